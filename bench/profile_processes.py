"""Where a whole `bulletin-press build` spends its CPU, process by process.

    .venv/bin/python bench/profile_processes.py [ISSUE_DIR] [--top 12] [--no-profile]

Runs `build --no-cache` of a copy of the issue (its own empty run store) with
every Python process of the build profiled by cProfile (CPU time, steady on a
busy machine where wall time is not): the main process, the
worker server (its preload: WeasyPrint's import), each worker, Python's
resource tracker. A `sitecustomize` module in a temporary folder on PYTHONPATH
starts the profiler in each process and writes its statistics when the
process ends (a worker: when its bootstrap returns; the main process: before
its os._exit). Prints a timeline of the processes (start, end, CPU) and, for
each, its CPU in the build's stages and its most expensive functions.
`--no-profile`: the timeline only, without cProfile's overhead (~2x). Run by
hand; never a timed test.
"""

from __future__ import annotations

import argparse
import os
import pstats
import shutil
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Written as sitecustomize.py: imported by every Python process of the build.
HOOK = '''
import os, sys, time
_dir = os.environ.get("BP_PROFILE_DIR")
if _dir:
    import cProfile
    _role = ["main"]
    _profile = cProfile.Profile(time.process_time)  # CPU: steady on a busy machine
    _on = not os.environ.get("BP_PROFILE_OFF")

    def _event(what):
        with open(os.path.join(_dir, "events.txt"), "a") as out:
            out.write(f"{time.time():.4f} {os.getpid()} {_role[0]} "
                      f"{time.process_time():.3f} {what}\\n")

    def _dump():
        _profile.disable()
        if _on:
            _profile.dump_stats(os.path.join(_dir, f"{os.getpid()}-{_role[0]}.prof"))

    _event("start " + " ".join(sys.argv[1:3])[:60])
    if _on:
        _profile.enable()
    import atexit
    atexit.register(lambda: (_event("end"), _dump()))
    import multiprocessing.process as _process
    _bootstrap = _process.BaseProcess._bootstrap

    def _worker(self, *args, **kwargs):
        global _profile
        _profile.disable()  # the server's, inherited through fork
        _profile = cProfile.Profile(time.process_time)
        _role[0] = "worker"
        _event("forked")
        if _on:
            _profile.enable()
        try:
            return _bootstrap(self, *args, **kwargs)
        finally:
            _event("end")
            _dump()
    _process.BaseProcess._bootstrap = _worker
    import multiprocessing.forkserver as _forkserver
    _server_main = _forkserver.main

    def _server(*args, **kwargs):
        _role[0] = "server"
        _event("server")
        return _server_main(*args, **kwargs)
    _forkserver.main = _server
    _exit = os._exit

    def _os_exit(code):
        if _role[0] == "main":
            _event("end")
            _dump()
        _exit(code)
    os._exit = _os_exit
'''

STAGES = [
    ("imports", "<frozen importlib._bootstrap>", "_find_and_load"),
    ("prepare", "layout/prepare.py", "prepare"),
    ("page runs (update)", "runs/plan.py", "update"),
    ("  waiting for workers", "~", "<method 'acquire' of '_thread.lock' objects>"),
    ("assemble", "runs/assemble.py", "assemble"),
    ("preflight", "checks/preflight.py", "preflight"),
    ("typeset (engine)", "typeset/engine.py", "_typeset"),
    ("  stylesheets", "weasyprint/css/__init__.py", "find_stylesheets"),
    ("  cascade", "weasyprint/css/__init__.py", "get_all_computed_styles"),
    ("  layout", "weasyprint/layout/__init__.py", "layout_document"),
    ("write PDF", "typeset/engine.py", "write_pdf"),
    ("page facts", "typeset/page_facts.py", "document_facts"),
    ("gc.collect", "~", "<built-in method gc.collect>"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("issue", nargs="?", type=Path, default=ROOT / "issues" / "text-16")
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--no-profile", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp())
    (work / "hook").mkdir()
    (work / "hook" / "sitecustomize.py").write_text(HOOK, encoding="utf-8")
    (work / "profiles").mkdir()
    project = work / "project"
    shutil.copytree(args.issue, project / "issues" / args.issue.name)
    (project / "layouts").symlink_to(ROOT / "layouts")
    (project / "fonts").symlink_to(ROOT / "fonts")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
               [str(work / "hook"), *filter(None, [os.environ.get("PYTHONPATH")])]),
           "BP_PROFILE_DIR": str(work / "profiles")}
    if args.no_profile:
        env["BP_PROFILE_OFF"] = "1"
    print(f"{args.issue.name}: load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    subprocess.run([str(ROOT / ".venv/bin/bulletin-press"), "build",
                    str(project / "issues" / args.issue.name), "--no-cache",
                    "-o", str(work / "out.pdf")], env=env, check=True, capture_output=True)
    events = [line.split(maxsplit=4) for line in
              (work / "profiles" / "events.txt").read_text().splitlines()]
    origin = float(events[0][0])
    roles: dict[str, str] = {}
    print("timeline (s from the start; CPU of the process so far):")
    for stamp, pid, role, cpu, what in events:
        roles[pid] = role
        print(f"  {float(stamp) - origin:6.3f}  {pid:>7} {role:7} cpu {cpu:>6}  {what}")
    last: dict[str, float] = {}
    for _, pid, _, cpu, _ in events:
        last[pid] = max(last.get(pid, 0.0), float(cpu))
    build = events[0][1]
    for pid, role in roles.items():  # a Python process neither the build nor forked
        if role == "main" and pid != build:
            roles[pid] = "tracker"  # multiprocessing's resource tracker
    by_role: dict[str, float] = {}
    for pid, cpu in last.items():
        by_role[roles[pid]] = by_role.get(roles[pid], 0.0) + cpu
    print("CPU by process: " + ", ".join(f"{role} {cpu:.2f} s" for role, cpu in by_role.items())
          + f"; all {sum(by_role.values()):.2f} s")
    for path in sorted((work / "profiles").glob("*.prof")):
        pid = path.stem.split("-")[0]
        stats = pstats.Stats(str(path))
        table = stats.stats  # type: ignore[attr-defined]
        total = max((value[3] for value in table.values()), default=0.0)
        print(f"\n== process {pid} ({roles.get(pid, '?')}): {total:.3f} s of CPU, profiled")
        for label, suffix, name in STAGES:
            seconds = sum(value[3] for (file, _, func), value in table.items()
                          if (suffix == "~" or file.endswith(suffix)) and func == name)
            if seconds >= 0.001:
                print(f"  {label:24} {seconds:6.3f} s")
        stats.sort_stats("tottime").print_stats(args.top)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
