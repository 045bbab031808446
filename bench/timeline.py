"""The timeline of one cold build: per process, when each step starts and ends.

    .venv/bin/python bench/timeline.py [ISSUE_DIR ...] [--slot 0.05] [--no-cache/--cache]

Runs `bulletin-press build ISSUE --no-cache` (empty run store) as its own process
in a copy of the issue, with a `sitecustomize` hook on the Python path that wraps
the build's steps (prepare, the page plan's rounds, each run's typesetting in its
worker, the frame, assembling, the preflight, writing) and writes one line per
step to a file: process id, start and end (CLOCK_MONOTONIC, the same clock in
every process), CPU seconds of the step. Nothing in the package changes; the
hook is active only here. The build's process tree is sampled every 10 ms for
its CPU use (all processes).

Prints, per issue: every step in order of its start, and a chart of the
processes (one character a `--slot`), with the CPU use of all processes (cores
busy) below. Run by hand; the times say where the critical path goes, the
absolute numbers move with the machine's load (printed).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from compiled import compile_sources  # bench/, this script's folder

ROOT = Path(__file__).resolve().parents[1]

# What the hook wraps: module → [(function or Class.method, label)]. Labels with a
# leading "~" are waits (the process is idle meanwhile); "*" marks steps so
# small and many that they are summed per process instead of listed.
STEPS: dict[str, list[tuple[str, str]]] = {
    "bulletin_press.commands.cli": [("_build_one", "build")],
    "bulletin_press.runs.worker": [
        ("start_workers", "start workers"), ("_start_worker", "worker up"),
        ("typeset_collected", "job"), ("typeset_run", "run"), ("typeset_chunk", "chunk"),
        ("worker_pool", "pool")],
    "bulletin_press.layout.prepare": [("prepare", "prepare")],
    "bulletin_press.build.pipeline": [("_assembled", "assemble"), ("fit_runs", "fit"),
                                      ("_begin_assembly", "begin assembly"),
                                      ("_Meanwhile.__call__", "meanwhile"),
                                      ("_run_facts", "run facts")],
    "bulletin_press.build.page_fit": [("planned", "planned HTML"),
                                      ("colophon_room", "colophon room")],
    "bulletin_press.runs.plan": [
        ("update", "round"), ("_typeset_all", "~typeset (wait)"),
        ("cut_flowing", "cut flowing"), ("_spacer_markup", "*spacer markup"),
        ("_estimate", "*estimate"), ("run_html", "*run html"), ("_frame_html", "*frame html")],
    "bulletin_press.runs.store": [("RunStore.get", "*store get"), ("RunStore.put", "*store put"),
                                  ("RunStore.guess", "store guess"),
                                  ("RunStore.remember", "store remember"),
                                  ("RunStore.note_files", "store note files")],
    "bulletin_press.checks.preflight": [("preflight", "preflight")],
    "bulletin_press.commands.atomic_files": [("write_atomic", "write")],
    "bulletin_press.typeset.engine": [("typeset", "layout"), ("write_pdf", "pdf")],
    "bulletin_press.typeset.page_facts": [("document_facts", "facts")],
    "bulletin_press.typeset.column_fill": [("document_fill", "fill")],
}
# Imports timed where they happen (the module's own code, its imports included).
IMPORTS = ("weasyprint", "bulletin_press.typeset.warm", "bulletin_press.runs.worker",
           "bulletin_press.build.pipeline", "bulletin_press.layout.prepare",
           "bulletin_press.commands.cli", "pikepdf", "bulletin_press.runs.assemble")

HOOK = r'''
import json, os, sys, time, functools, importlib.abc, importlib.machinery

_FILE = os.environ.get("BP_TIMELINE")
_STEPS = json.loads(os.environ.get("BP_TIMELINE_STEPS", "{}"))
_IMPORTS = set(json.loads(os.environ.get("BP_TIMELINE_IMPORTS", "[]")))


def _cpu():
    t = os.times()
    return t.user + t.system


def _log(**event):
    event["pid"] = os.getpid()
    line = json.dumps(event, ensure_ascii=False) + "\n"
    fd = os.open(_FILE, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line.encode())
    finally:
        os.close(fd)


def _what(label, args, result):
    """A few words on a job or run: its first article, its pages."""
    try:
        if label == "job":
            job = args[0]
            kind = "frame" if job.user_css and "body * { visibility: hidden" in job.user_css \
                else f"chunk of {len(job.parts)}" if job.parts else "run"
            runs = [(min(r.anchors, key=r.anchors.get) if r.anchors else "-", r.pages)
                    for r in result]
            return f"{kind}: " + ", ".join(f"{a} {p}p" for a, p in runs)
        if label == "round":
            return f"{len(result)} runs"
    except Exception as exc:  # never break the build for a label
        return repr(exc)
    return ""


def _wrap(func, label):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        start, cpu = time.monotonic(), _cpu()
        result = func(*args, **kwargs)
        _log(step=label, t0=start, t1=time.monotonic(), cpu=_cpu() - cpu, total=_cpu(),
             what=_what(label, args, result))
        return result
    return wrapper


def _patch(module):
    for name, label in _STEPS.get(module.__name__, []):
        owner, _, attr = name.rpartition(".")
        target = getattr(module, owner, None) if owner else module
        func = getattr(target, attr, None)  # (none: another checkout without it, --src)
        if func is not None and not getattr(func, "_timed", False):
            wrapped = _wrap(func, label)
            wrapped._timed = True
            setattr(target, attr, wrapped)


class _Loader(importlib.abc.Loader):
    def __init__(self, inner):
        self.inner = inner

    def create_module(self, spec):
        return self.inner.create_module(spec)

    def exec_module(self, module):
        start, cpu = time.monotonic(), _cpu()
        self.inner.exec_module(module)
        if module.__name__ in _IMPORTS:
            _log(step="import " + module.__name__, t0=start, t1=time.monotonic(),
                 cpu=_cpu() - cpu, total=_cpu(), what="")
        _patch(module)


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name not in _STEPS and name not in _IMPORTS:
            return None
        for finder in sys.meta_path:
            if finder is self:
                continue
            spec = finder.find_spec(name, path, target) if hasattr(finder, "find_spec") \
                else None
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = _Loader(spec.loader)
                return spec
        return None


if _FILE:
    with open("/proc/self/cmdline", "rb") as _f:
        _argv = _f.read().split(b"\0")
    _role = "forkserver" if b"forkserver" in b" ".join(_argv) else \
        "resource tracker" if b"resource_tracker" in b" ".join(_argv) else "python"
    _log(step="process", t0=time.monotonic(), t1=time.monotonic(), cpu=0.0, total=_cpu(),
         what=_role)
    sys.meta_path.insert(0, _Finder())
'''


@dataclass
class Event:
    pid: int
    step: str
    t0: float
    t1: float
    cpu: float
    total: float
    what: str


def sample_cpu(root: int, stop: threading.Event, samples: list[tuple[float, int]]) -> None:
    """(time, CPU ticks of the whole process tree so far) every 10 ms."""
    seen: dict[int, int] = {}
    while not stop.is_set():
        stack = [root]
        while stack:
            pid = stack.pop()
            with contextlib.suppress(OSError, ValueError, IndexError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                seen[pid] = max(seen.get(pid, 0), int(fields[11]) + int(fields[12]))
                for task in Path(f"/proc/{pid}/task").glob("*"):
                    with contextlib.suppress(OSError):
                        stack += [int(c) for c in (task / "children").read_text().split()]
        samples.append((time.monotonic(), sum(seen.values())))
        time.sleep(0.01)


def run(issue: Path, cache: bool, jobs: int | None, src: Path | None = None
        ) -> tuple[list[Event], float, float, list[tuple[float, int]], str]:
    project = Path(tempfile.mkdtemp(prefix="timeline-"))
    try:
        work = project / "issues" / issue.name
        shutil.copytree(issue, work)
        (project / "layouts").symlink_to(ROOT / "layouts")
        (project / "fonts").symlink_to(ROOT / "fonts")
        hook = project / "hook"
        hook.mkdir()
        (hook / "sitecustomize.py").write_text(HOOK, encoding="utf-8")
        events_file = project / "events.jsonl"
        path = [str(hook), *([str(src)] if src else [])]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(path), "BP_TIMELINE": str(events_file),
               "BP_TIMELINE_STEPS": json.dumps(STEPS),
               "BP_TIMELINE_IMPORTS": json.dumps(list(IMPORTS))}
        command = [str(ROOT / ".venv/bin/bulletin-press"), "build", str(work),
                   "-o", str(project / "out.pdf")]
        if jobs is not None:
            command += ["-j", str(jobs)]
        if cache:  # the store filled first: the timeline of an unchanged build
            subprocess.run(command, check=True, capture_output=True)
            events_file.unlink(missing_ok=True)
        else:
            command.append("--no-cache")
        samples: list[tuple[float, int]] = []
        stop = threading.Event()
        started = time.monotonic()
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT)
        sampler = threading.Thread(target=sample_cpu, args=(process.pid, stop, samples))
        sampler.start()
        output = process.communicate()[0].decode()
        ended = time.monotonic()
        stop.set()
        sampler.join()
        if process.returncode:
            raise SystemExit(output)
        events = [Event(**json.loads(line)) for line in
                  events_file.read_text(encoding="utf-8").splitlines()]
        return events, started, ended, samples, output
    finally:
        shutil.rmtree(project, ignore_errors=True)


def roles(events: list[Event], main: int | None) -> dict[int, str]:
    """A name for each process: main, worker server, worker N."""
    found: dict[int, str] = {}
    starts: dict[int, float] = {}
    for e in events:
        starts[e.pid] = min(starts.get(e.pid, e.t0), e.t0)
        if e.step == "process":
            found[e.pid] = e.what
    workers = sorted((p for p in starts if p not in found or found[p] == "python"),
                     key=starts.__getitem__)
    first = min(starts, key=starts.__getitem__)
    number = 0
    for pid in workers:
        if pid == first:
            found[pid] = "main"
        elif any(e.pid == pid and e.step == "worker up" for e in events):
            number += 1
            found[pid] = f"worker {number}"
        elif any(e.pid == pid and e.step == "import bulletin_press.typeset.warm"
                 for e in events):
            found[pid] = "forkserver"  # forked from the main process (runs/fork_server.py)
    return found


def report(issue: Path, events: list[Event], started: float, ended: float,
           samples: list[tuple[float, int]], slot: float) -> None:
    names = roles(events, None)
    wall = ended - started
    print(f"== {issue.name}: wall {wall:.2f} s, load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    summed: dict[tuple[int, str], list[float]] = {}
    print(f"  {'process':16} {'start':>6} {'end':>6} {'wall':>6} {'cpu':>6}  step")
    for e in sorted(events, key=lambda e: (e.t0, -e.t1)):
        if e.step == "process":
            continue
        if e.step.startswith("*"):
            got = summed.setdefault((e.pid, e.step[1:]), [0, 0.0, 0.0, math_inf(), 0.0])
            got[0] += 1
            got[1] += e.t1 - e.t0
            got[2] += e.cpu
            got[3] = min(got[3], e.t0 - started)
            got[4] = max(got[4], e.t1 - started)
            continue
        print(f"  {names.get(e.pid, str(e.pid)):16} {e.t0 - started:6.3f} {e.t1 - started:6.3f}"
              f" {e.t1 - e.t0:6.3f} {e.cpu:6.2f}  {e.step.lstrip('~')}"
              + (f" ({e.what})" if e.what else ""))
    for (pid, step), (count, seconds, cpu, first, last) in sorted(summed.items()):
        print(f"  {names.get(pid, str(pid)):16} {first:6.3f} {last:6.3f} {seconds:6.3f}"
              f" {cpu:6.2f}  {step}: {count:.0f} calls in all")
    totals: dict[int, float] = {}
    for e in events:
        totals[e.pid] = max(totals.get(e.pid, 0.0), e.total)
    print("  CPU by process (to its last step): " + ", ".join(
        f"{names.get(pid, str(pid))} {cpu:.2f} s" for pid, cpu in sorted(
            totals.items(), key=lambda item: names.get(item[0], "~"))))
    first_job(events, names, started)
    serial_parts(events, names, started, ended, samples)
    if samples:
        ticks = samples[-1][1] / os.sysconf("SC_CLK_TCK")
        print(f"  CPU of all processes (sampled): {ticks:.2f} s in {wall:.2f} s wall: "
              f"{ticks / wall:.2f} cores busy on average")
    chart(events, names, started, ended, samples, slot)


def first_job(events: list[Event], names: dict[int, str], started: float) -> None:
    """What the first job waited for: the main process sending it (imports, prepare)
    or the worker server's preload and fork (its workers up)."""
    jobs = [e.t0 for e in events if e.step == "job"]
    sent = [e.t0 for e in events if e.step == "~typeset (wait)" and names.get(e.pid) == "main"]
    ups = [e.t1 for e in events if e.step == "worker up"]
    if not (jobs and sent and ups):
        return
    main_cpu = max((e.total for e in events if names.get(e.pid) == "main"
                    and e.t1 <= min(sent)), default=0.0)
    server_cpu = max((e.total for e in events if names.get(e.pid) == "forkserver"),
                     default=0.0)
    print(f"  first job starts {min(jobs) - started:.3f} s: the main process sends it at "
          f"{min(sent) - started:.3f} s ({main_cpu:.2f} s CPU so far), the first worker is "
          f"up at {min(ups) - started:.3f} s (the server's CPU {server_cpu:.2f} s)")


def serial_parts(events: list[Event], names: dict[int, str], started: float, ended: float,
                 samples: list[tuple[float, int]]) -> None:
    """The build's serial start and end (issue 21): the CPU every process spent
    before the first job began (sampled: the resource tracker too), and what the
    main process did from the last job's end to the PDF written, step by step."""
    jobs = [e for e in events if e.step == "job"]
    if not jobs:
        return
    first = min(e.t0 for e in jobs)
    tick = 1 / os.sysconf("SC_CLK_TCK")
    before = max((s for s in samples if s[0] <= first), default=(first, 0))[1] * tick
    print(f"  start: the first job at {first - started:.3f} s; CPU of all processes by then "
          f"{before:.2f} s (sampled)")
    last = max(e.t1 for e in jobs)
    written = [e for e in events if e.step == "write" and names.get(e.pid) == "main"]
    if not written:
        return
    end = max(e.t1 for e in written)
    steps = [e for e in events if names.get(e.pid) == "main" and e.t0 >= last - 0.001
             and e.t1 <= end + 0.001 and not e.step.startswith(("*", "~", "import"))
             and e.step not in ("fit", "build", "round")]
    parts = ", ".join(f"{e.step} {1000 * (e.t1 - e.t0):.0f} ms" for e in
                      sorted(steps, key=lambda e: e.t0) if e.t1 - e.t0 >= 0.0005)
    main_cpu = max(e.total for e in written) - max(
        (e.total for e in events if names.get(e.pid) == "main" and e.t1 <= last), default=0.0)
    print(f"  end: the last job ends at {last - started:.3f} s, the PDF is written at "
          f"{end - started:.3f} s (+{1000 * (end - last):.0f} ms, the main process's CPU "
          f"{1000 * main_cpu:.0f} ms: {parts}); the command ends at {ended - started:.3f} s")


def math_inf() -> float:
    return float("inf")


LETTERS = {"prepare": "P", "round": "R", "planned HTML": "h", "cut flowing": "c",
           "spacer markup": "m", "estimate": "e", "run html": "h", "frame html": "h",
           "typeset (wait)": ".", "assemble": "A", "preflight": "F", "write": "W",
           "start workers": "s", "worker up": "u", "job": "j", "layout": "L", "pdf": "D",
           "facts": "f", "fill": "f", "run facts": "f", "store get": "g", "store put": "p",
           "store guess": "g", "store remember": "r", "store note files": "n",
           "colophon room": "C", "pool": "o", "build": "b", "fit": "-", "run": "j",
           "chunk": "j", "begin assembly": "a", "meanwhile": "M"}


def chart(events: list[Event], names: dict[int, str], started: float, ended: float,
          samples: list[tuple[float, int]], slot: float) -> None:
    width = int((ended - started) / slot) + 1
    pids = sorted({e.pid for e in events}, key=lambda p: min(e.t0 for e in events
                                                              if e.pid == p))
    print(f"  chart: one character = {slot * 1000:.0f} ms; " + ", ".join(
        f"{v}={k}" for k, v in sorted(LETTERS.items(), key=lambda item: item[1])
        if k not in ("run", "chunk", "frame html", "run html", "fill", "run facts")))
    for pid in pids:
        row = [" "] * width
        own = [e for e in events if e.pid == pid and e.step != "process"]
        # Longest first, so inner steps are drawn over the steps holding them.
        for e in sorted(own, key=lambda e: -(e.t1 - e.t0)):
            imported = e.step.startswith("import ")
            letter = "i" if imported else LETTERS.get(e.step.lstrip("~*"), "?")
            a = int((e.t0 - started) / slot)
            b = max(a + 1, int((e.t1 - started) / slot + 0.5))
            for x in range(max(0, a), min(width, b)):
                row[x] = letter
        print(f"  {names.get(pid, str(pid))[:16]:16} |{''.join(row)}|")
    if samples:
        tick = 1 / os.sysconf("SC_CLK_TCK")
        row = []
        for x in range(width):
            t0, t1 = started + x * slot, started + (x + 1) * slot
            before = max((s for s in samples if s[0] <= t0), default=(t0, 0))[1]
            after = max((s for s in samples if s[0] <= t1), default=(t1, before))[1]
            busy = (after - before) * tick / slot  # cores busy in the slot
            row.append(" " if busy < 0.25 else "." if busy < 0.75 else "1" if busy < 1.25
                       else ":" if busy < 1.75 else "2")
        print(f"  {'cores busy':16} |{''.join(row)}|  (. half, 1 one, : 1.5, 2 both)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("issues", nargs="*", type=Path,
                        default=[ROOT / "issues" / name for name in
                                 ("text-16", "flow-16", "bench-16", "2023-01")])
    parser.add_argument("--slot", type=float, default=0.04, help="seconds a character")
    parser.add_argument("--cache", action="store_true",
                        help="an unchanged build (store filled first) instead of --no-cache")
    parser.add_argument("-j", "--jobs", type=int, default=None)
    parser.add_argument("--src", type=Path, default=None,
                        help="the package from this src folder (another checkout: before/after)")
    args = parser.parse_args()
    compile_sources(ROOT / "src", *([args.src] if args.src else []))  # see compiled.py
    for issue in args.issues:
        events, started, ended, samples, output = run(issue, args.cache, args.jobs, args.src)
        report(issue, events, started, ended, samples, args.slot)
        print("  " + output.strip().splitlines()[0] if output.strip() else "")


if __name__ == "__main__":
    sys.exit(main())
