"""Where a build's time goes: one issue typeset and written in this process, profiled.

    .venv/bin/python bench/profile_typeset.py [ISSUE_DIR] [--top 30]

Typesets once to warm up (imports, fonts), then profiles a second typeset and
write (cProfile) and prints the phases (layout, columns, line breaking, drawing,
fonts) and the functions with the most cumulative time. Run by hand.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from bulletin_press.build.pipeline import prepare  # noqa: E402
from bulletin_press.typeset.engine import typeset, write_pdf  # noqa: E402
from bulletin_press.typeset.ext import column_lines  # noqa: E402

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
    args = parser.parse_args()
    prepared = prepare(args.issue)
    fence = prepared.fence()
    write_pdf(typeset(prepared.html.html, fence.url("issue"), fence, keeps=prepared.keeps()))
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


if __name__ == "__main__":
    main()
