"""Build-time benchmark: run by hand, report medians; never a timed test.

    .venv/bin/python bench/build_sample.py [ISSUE_DIR ...] [--runs 5]

For each issue: cold = a whole `bulletin-press build` process (imports, font
loading, typesetting, writing); warm = `pipeline.build` repeated in one process
(what a long-lived preview server pays). Also raw WeasyPrint on the same HTML,
in one call, as the yardstick, alternated with our builds so machine noise
hits both alike.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from bulletin_press.pipeline import build, prepare  # noqa: E402


def peak_rss_mib(command: list[str]) -> float:
    """Peak resident memory of a whole command, measured from a fresh parent."""
    probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
             "capture_output=True); print(resource.getrusage(resource.RUSAGE_CHILDREN)"
             ".ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe, *command], check=True,
                         capture_output=True, text=True).stdout
    return int(out.split()[-1]) / 1024


def timed(func: object) -> float:
    started = time.perf_counter()
    func()  # type: ignore[operator]
    return time.perf_counter() - started


def fmt(values: list[float]) -> str:
    return (f"median {statistics.median(values):.3f} s "
            f"(min {min(values):.3f}, max {max(values):.3f}, n={len(values)})")


def bench(issue: Path, runs: int) -> None:
    out = Path(tempfile.mkdtemp()) / "bench.pdf"
    html_file = out.with_suffix(".html")
    prepared = prepare(issue)
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
    ours_cmd = [str(ROOT / ".venv/bin/bulletin-press"), "build", str(issue), "-o", str(out)]
    cold: list[float] = []
    raw: list[float] = []
    for _ in range(runs):  # alternate A/B
        cold.append(timed(lambda: subprocess.run(ours_cmd, check=True, capture_output=True)))
        raw.append(timed(lambda: subprocess.run(raw_cmd, check=True, capture_output=True)))
    build(issue)  # warm up imports and fontconfig
    warm = [timed(lambda: build(issue)) for _ in range(runs)]
    built = build(issue)
    print(f"{issue.name}: {built.typeset.page_count} pages, {len(built.pdf) / 1024:.0f} KiB")
    print(f"  cold build (process)   {fmt(cold)}")
    print(f"  raw WeasyPrint (proc.) {fmt(raw)}")
    print(f"  warm build (in-proc.)  {fmt(warm)}")
    print(f"  ratio cold/raw         {statistics.median(cold) / statistics.median(raw):.2f}")
    print(f"  peak RSS: ours {peak_rss_mib(ours_cmd):.0f} MiB, raw WeasyPrint "
          f"{peak_rss_mib(raw_cmd):.0f} MiB; raw PDF "
          f"{Path(str(out) + '.raw.pdf').stat().st_size / 1024:.0f} KiB")
    print("  stages of last warm build: " + ", ".join(
        f"{k} {v:.3f} s" for k, v in built.timings.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("issues", nargs="*", type=Path,
                        default=[ROOT / "issues" / name for name in
                                 ("2023-01", "bench-16", "bench-64")])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    for issue in args.issues:
        bench(issue, args.runs)


if __name__ == "__main__":
    main()
