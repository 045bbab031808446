"""Where a build's time goes: one issue typeset and written in this process, profiled.

    .venv/bin/python bench/profile_typeset.py [ISSUE_DIR] [--top 30]

Typesets once to warm up (imports, fonts), then profiles a second typeset and
write (cProfile) and prints the phases (layout, columns, line breaking, drawing,
fonts) and the functions with the most cumulative time. Run by hand.

    .venv/bin/python bench/profile_typeset.py ISSUE_DIR --cpu 3

times instead (no profiler, which inflates small calls): the CPU time of this
process for a typeset alone and a typeset + write, each run after a warm-up in
the same process, and prints every run and the medians, the load average and
the counts of the speed extensions (lines reused, balancing trials). Either
way it prints those counts for the warm-up typeset too: its tables start empty,
so "splits from the table" there is how much of the issue's text repeats.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from bulletin_press.build.pipeline import prepare  # noqa: E402
from bulletin_press.typeset.engine import typeset, write_pdf  # noqa: E402
from bulletin_press.typeset.ext import column_balance, column_layout, column_lines, split_cache  # noqa: E402

# (label, file suffix, function name) of the phases reported, by cumulative time.
PHASES = [
    ("typeset (HTML → pages)", "weasyprint/document.py", "_render"),
    ("  style (CSS cascade)", "weasyprint/css/__init__.py", "get_all_computed_styles"),
    ("  boxes", "formatting_structure/build.py", "build_formatting_structure"),
    ("  layout of all pages", "weasyprint/layout/__init__.py", "layout_document"),
    ("    columns containers", "typeset/ext/grid_columns.py", "columns_layout"),
    ("    line breaking (Pango)", "weasyprint/layout/inline.py", "get_next_linebox"),
    ("write (pages → PDF)", "weasyprint/document.py", "write_pdf"),
    ("  drawing", "weasyprint/pdf/__init__.py", "generate_pdf"),
    ("  fonts (subsets)", "weasyprint/pdf/fonts.py", "build_fonts_dictionary"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("issue", nargs="?", type=Path, default=ROOT / "issues" / "bench-16")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--cpu", type=int, default=0, metavar="RUNS",
                        help="time RUNS typesets by CPU time instead of profiling")
    args = parser.parse_args()
    prepared = prepare(args.issue)
    fence = prepared.fence()
    before = _counts()
    write_pdf(typeset(prepared.html.html, fence.url("issue"), fence, keeps=prepared.keeps()))
    # The first typeset starts with empty tables, as a build's first round does: how
    # much of its text repeats (the bench issues re-deal the sample's paragraphs,
    # text-varied-16 does not).
    print(f"{args.issue.name}, first typeset (empty tables): " + "; ".join(
        f"{label} {value - before[label]}" for label, value in _counts().items()))
    if args.cpu:
        _cpu(args.issue.name, prepared, args.cpu)
        return
    fence = prepared.fence()
    made, reused = column_lines.Counts.made, column_lines.Counts.reused
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    result = typeset(prepared.html.html, fence.url("issue"), fence, keeps=prepared.keeps())
    write_pdf(result)
    profile.disable()
    seconds = time.perf_counter() - started
    stats = pstats.Stats(profile)
    print(f"{args.issue.name}: {result.page_count} pages, typeset + write {seconds:.2f} s "
          f"(profiled); lines broken {column_lines.Counts.made - made}, reused "
          f"{column_lines.Counts.reused - reused}")
    table = stats.stats  # type: ignore[attr-defined]
    breaks = sum(value[1] for (path, _, func), value in table.items()
                 if path.endswith("weasyprint/layout/inline.py") and func == "get_next_linebox")
    print(f"  lines broken by Pango (get_next_linebox calls): {breaks}")
    for label, suffix, name in PHASES:
        total = sum(value[3] for (path, _, func), value in table.items()
                    if path.endswith(suffix) and func == name)
        print(f"  {label:34} {total:6.3f} s  {100 * total / seconds:3.0f} %")
    stats.sort_stats("cumulative").print_stats(args.top)


def _counts() -> dict[str, int]:
    """The speed extensions' counters (see each module's `Counts`)."""
    return {"lines broken": column_lines.Counts.made,
            "lines reused": column_lines.Counts.reused,
            "balancing trials laid out": column_balance.Counts.watched,
            "balancing trials skipped": column_balance.Counts.skipped,
            "final columns laid out": column_layout.Counts.laid_out,
            "final columns from the last trial": column_layout.Counts.reused,
            "splits measured": split_cache.Counts.measured,
            "splits from the table": split_cache.Counts.kept}


def _cpu(name: str, prepared: Any, runs: int) -> None:
    """CPU seconds of typesetting alone and of typesetting + writing, per run."""
    alone: list[float] = []
    both: list[float] = []
    for _ in range(runs):
        fence = prepared.fence()
        before = _counts()
        started = time.process_time()
        result = typeset(prepared.html.html, fence.url("issue"), fence, keeps=prepared.keeps())
        typeset_done = time.process_time()
        write_pdf(result)
        alone.append(typeset_done - started)
        both.append(time.process_time() - started)
    counts = "; ".join(f"{label} {value - before[label]}" for label, value in _counts().items())
    print(f"{name}: {result.page_count} pages; typeset CPU "
          f"{' '.join(f'{s:.3f}' for s in alone)} s, median {statistics.median(alone):.3f} s; "
          f"+ write {statistics.median(both):.3f} s; load {os.getloadavg()[0]:.2f}\n  {counts}")


if __name__ == "__main__":
    main()
