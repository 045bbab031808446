"""Build-time benchmark: run by hand, report medians; never a timed test.

    .venv/bin/python bench/build_sample.py [ISSUE_DIR ...] [--runs 5]

For each issue, each a whole `bulletin-press build` process (imports, font
loading, typesetting, writing), alternated with raw WeasyPrint on the same HTML
in one call (the yardstick), so that machine noise hits both alike:

- cold, empty store: `build --no-cache` (every page run typeset, in parallel);
- cold, unchanged: `build` again (every run from output/.cache/runs);
- cold, one article edited: a character of the last article changed, `build`.

Also the CPU time of all the build's processes against raw WeasyPrint's (steady
on a busy machine, where wall times are not), warm = the one-document
`pipeline.build` repeated in one process (what `check` and `archive` pay in a
long-lived process), and peak memory.

`--base SRC`: before/after in the same run: the cold build of another checkout's
`src` (e.g. main's, `git worktree add --detach`), run with this checkout's
environment, alternated with ours (base, raw, ours; then ours, raw, base), each
paired to the raw run beside it and ours to base; CPU likewise. Both
checkouts' bytecode is written first (bench/compiled.py).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from compiled import compile_sources  # noqa: E402  (bench/, this script's folder)

from bulletin_press.build.pipeline import build  # noqa: E402
from bulletin_press.layout.prepare import prepare  # noqa: E402


def _tree(root: int) -> list[int]:
    """`root` and every process below it (the build's workers are children of a
    server process the build started, not of the build itself)."""
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        with contextlib.suppress(OSError):  # the process may end meanwhile
            for task in Path(f"/proc/{pid}/task").glob("*"):
                with contextlib.suppress(OSError):
                    stack += [int(c) for c in (task / "children").read_text().split()]
    return found


def _pss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def peak_memory_mib(command: list[str]) -> tuple[float, float]:
    """Peak resident memory of the largest process of a command's process tree,
    from each process's high-water mark (VmHWM), and the peak of the whole
    tree's proportional set size (PSS: shared pages counted once), read every
    5 ms while it runs: getrusage would miss the workers, which the build does
    not wait for."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peaks: dict[int, int] = {}
    total = 0
    while process.poll() is None:
        pids = _tree(process.pid)
        total = max(total, sum(_pss_kib(pid) for pid in pids))
        for pid in pids:
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    peaks[pid] = max(peaks.get(pid, 0), int(line.split()[1]))
        time.sleep(0.005)
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command)
    return max(peaks.values(), default=0) / 1024, total / 1024


def _cpu_ticks(pid: int) -> int:
    """utime + stime of a process, in clock ticks (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def cpu_seconds(command: list[str], env: dict[str, str] | None = None) -> float:
    """CPU time of a command's whole process tree (workers included), read every
    5 ms while it runs: unlike wall time it hardly changes with what else the
    machine does (another process's ≤5 ms after the last read is missed)."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=env)
    seen: dict[int, int] = {}
    while process.poll() is None:
        for pid in _tree(process.pid):
            seen[pid] = max(seen.get(pid, 0), _cpu_ticks(pid))
        time.sleep(0.005)
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command)
    return sum(seen.values()) / os.sysconf("SC_CLK_TCK")


def _last_article_file(issue: Path) -> Path:
    """The file holding the last article's text: its `body_file`, or the manifest."""
    import yaml

    manifest = issue / "issue.yaml"
    articles = yaml.safe_load(manifest.read_text(encoding="utf-8"))["articles"]
    body_file = articles[-1].get("body_file")
    return issue / body_file if body_file else manifest


def timed(func: object) -> float:
    started = time.perf_counter()
    func()  # type: ignore[operator]
    return time.perf_counter() - started


def fmt(values: list[float]) -> str:
    return (f"median {statistics.median(values):.3f} s "
            f"(min {min(values):.3f}, max {max(values):.3f}, n={len(values)})")


def bench(issue: Path, runs: int, base: Path | None = None) -> None:
    print(f"{issue.name}: load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
          "at the start", flush=True)
    # A project of its own, so the run store starts empty and edits stay there.
    project = Path(tempfile.mkdtemp())
    work = project / "issues" / issue.name
    shutil.copytree(issue, work)
    (project / "layouts").symlink_to(ROOT / "layouts")
    (project / "fonts").symlink_to(ROOT / "fonts")
    out = project / "bench.pdf"
    html_file = out.with_suffix(".html")
    prepared = prepare(work)
    # Raw WeasyPrint gets the same HTML with real file URLs (ours are virtual,
    # served through the fence) and stock justification.
    html = prepared.html.html
    for name, folder in prepared.fence().mounts.items():
        html = html.replace(f"file:///bulletin-press/{name}/", folder.as_uri() + "/")
    html_file.write_text(html, encoding="utf-8")
    raw_cmd = [sys.executable, "-c",
               "import sys, weasyprint; weasyprint.HTML(filename=sys.argv[1], "
               "base_url=sys.argv[2]).write_pdf(sys.argv[3])",
               str(html_file), prepared.issue.root.as_uri() + "/", str(out) + ".raw.pdf"]
    ours_cmd = [str(ROOT / ".venv/bin/bulletin-press"), "build", str(work), "-o", str(out)]
    manifest = _last_article_file(work)
    original = manifest.read_text(encoding="utf-8")
    last = original.rindex("。")
    cold: list[float] = []
    cached: list[float] = []
    edited: list[float] = []
    raw: list[float] = []
    base_env = dict(os.environ, PYTHONPATH=str(base)) if base is not None else None
    base_cold: list[float] = []
    base_out = [*ours_cmd[:-1], str(out) + ".base.pdf", "--no-cache"]
    for n in range(runs):  # alternate A/B
        manifest.write_text(original, encoding="utf-8")
        if base_env is not None and n % 2 == 0:
            base_cold.append(timed(lambda: subprocess.run(base_out, check=True,
                                                          capture_output=True, env=base_env)))
        cold.append(timed(lambda: subprocess.run([*ours_cmd, "--no-cache"], check=True,
                                                 capture_output=True)))
        raw.append(timed(lambda: subprocess.run(raw_cmd, check=True, capture_output=True)))
        if base_env is not None and n % 2 == 1:
            base_cold.append(timed(lambda: subprocess.run(base_out, check=True,
                                                          capture_output=True, env=base_env)))
        cached.append(timed(lambda: subprocess.run(ours_cmd, check=True, capture_output=True)))
        # A new word each time, so the edited run was never typeset before.
        manifest.write_text(original[:last] + "一二三四五六七八九十"[n % 10] * (n // 10 + 1)
                            + original[last:], encoding="utf-8")
        edited.append(timed(lambda: subprocess.run(ours_cmd, check=True, capture_output=True)))
    manifest.write_text(original, encoding="utf-8")
    build(issue)  # warm up imports and fontconfig
    warm = [timed(lambda: build(issue)) for _ in range(runs)]
    built = build(issue)
    raw_median = statistics.median(raw)
    print(f"{issue.name}: {built.typeset.page_count} pages; PDF {out.stat().st_size / 1024:.0f}"
          f" KiB (one-document build {len(built.pdf) / 1024:.0f} KiB)")
    print(f"  raw WeasyPrint (proc.)      {fmt(raw)}")
    for label, values in (("cold, empty store", cold), ("cold, unchanged", cached),
                          ("cold, 1 article edited", edited)):
        # Each run's ratio to the raw run beside it: steadier than a ratio of medians
        # when other work on the machine comes and goes.
        paired = [ours / yardstick for ours, yardstick in zip(values, raw, strict=True)]
        print(f"  {label:27} {fmt(values)}  ratio {statistics.median(values) / raw_median:.2f},"
              f" paired {statistics.median(paired):.2f} ({min(paired):.2f}–{max(paired):.2f})")
    if base_cold:
        paired = [b / yardstick for b, yardstick in zip(base_cold, raw, strict=True)]
        print(f"  base: cold, empty store     {fmt(base_cold)}  ratio "
              f"{statistics.median(base_cold) / raw_median:.2f}, paired "
              f"{statistics.median(paired):.2f} ({min(paired):.2f}–{max(paired):.2f})")
        after = [ours / b for ours, b in zip(cold, base_cold, strict=True)]
        print(f"  ours ÷ base, cold, paired   median {statistics.median(after):.2f} "
              f"({min(after):.2f}–{max(after):.2f})")
    print(f"  warm one-document build     {fmt(warm)}")
    ours_cpu, raw_cpu, base_cpu = [], [], []
    for _ in range(3):
        ours_cpu.append(cpu_seconds([*ours_cmd, "--no-cache"]))
        raw_cpu.append(cpu_seconds(raw_cmd))
        if base_env is not None:
            base_cpu.append(cpu_seconds(base_out, base_env))
    print(f"  CPU time, all processes     ours (empty store) {fmt(ours_cpu)}, raw WeasyPrint "
          f"{fmt(raw_cpu)}; ratio {statistics.median(ours_cpu) / statistics.median(raw_cpu):.2f}")
    if base_cpu:
        after = [o / b for o, b in zip(ours_cpu, base_cpu, strict=True)]
        print(f"  CPU time, base              {fmt(base_cpu)}; ratio "
              f"{statistics.median(base_cpu) / statistics.median(raw_cpu):.2f}; ours ÷ base, "
              f"paired {statistics.median(after):.2f}")
    largest, total = peak_memory_mib([*ours_cmd, "--no-cache"])
    one_largest, one_total = peak_memory_mib([*ours_cmd, "--no-cache", "-j", "1"])
    raw_largest, raw_total = peak_memory_mib(raw_cmd)
    print(f"  peak RSS, largest process: ours (empty store) {largest:.0f} MiB, ours with -j 1 "
          f"{one_largest:.0f} MiB, raw WeasyPrint {raw_largest:.0f} MiB; raw PDF "
          f"{Path(str(out) + '.raw.pdf').stat().st_size / 1024:.0f} KiB")
    print(f"  peak PSS, all processes: ours {total:.0f} MiB, ours with -j 1 {one_total:.0f} MiB,"
          f" raw WeasyPrint {raw_total:.0f} MiB")
    print("  stages of last warm build: " + ", ".join(
        f"{k} {v:.3f} s" for k, v in built.timings.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("issues", nargs="*", type=Path,
                        default=[ROOT / "issues" / name for name in
                                 ("2023-01", "bench-16", "bench-64", "text-16", "flow-16")])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--base", type=Path, default=None,
                        help="another checkout's src/: its cold builds alternated with ours")
    args = parser.parse_args()
    # Both sides with their bytecode written (see compiled.py), or the one without
    # pays its modules' compiling in every process.
    compile_sources(ROOT / "src", *([args.base] if args.base else []))
    for issue in args.issues:
        bench(issue, args.runs, args.base.resolve() if args.base else None)


if __name__ == "__main__":
    main()
