"""Balancing trials that cannot come out differently, skipped: a contained WeasyPrint extension.

WeasyPrint 70 balances a columns container by laying its columns out at trial
heights (column_layout.py). After a trial that leaves content over, the next
height is the last one plus the least space that would move a box up a
column — or, when no box gave such a space (nothing fitted in a column, a
block that must not break, a forced column break), plus 1 px. On our line
grid that crawl is common and long: a three-line block kept together is tried
at 36, 37, … 72 px, each time failing in the same way (text-16: 36 trials for
one container; issues/2023-02-notices: 24 of its 48 trials).

A trial's outcome — where each column ends — depends on the height tried only
through WeasyPrint's overflow test (`LayoutContext.overflows`: does this
position pass the bottom?). While a trial is laid out, `Watch` records every
test that said "overflows" and by how much (position − bottom; a taller trial
moves every bottom down by as much as the height grows). A trial taller by
less than the smallest such amount makes every test come out the same, so it
fails the same way and WeasyPrint would step again by 1 px: those trials are
not laid out, only their steps are taken, so the height the loop ends at — and
so the columns and the bytes of the PDF — are WeasyPrint's own
(tests/test_column_balance.py). The space steps of a crawl do not change either:
a failed trial's spare space at a column's foot only grows with the height.

Not skipped (laid out as before): a trial that leaves a float placed (a
float taken back with a column that failed leaves nothing) or lays out a
columns container inside (whose own trials depend on the height in other ways
than the tests); footnotes never reach here (column_layout.usable).
`Counts` says how many trials were laid out and how many skipped.
"""

from __future__ import annotations

from math import inf, isfinite
from typing import Any

from weasyprint.layout import LayoutContext

from bulletin_press.typeset.ext import column_layout
from bulletin_press.typeset.gate import replace

_overflows = LayoutContext.overflows  # WeasyPrint's test, a static method
# A test that overflowed by less than this is taken as not overflowing at the
# next height: room for the rounding of `bottom * (1 + 1e-9)` and of the bottoms
# recomputed from the next height.
_MARGIN = 1e-6


class Counts:
    """Balancing trials laid out and skipped, for tests and the bench."""

    watched = 0
    skipped = 0


class Watch:
    """The overflow tests of one trial's columns: how much taller a trial can be
    and still have every test come out the same."""

    def __init__(self, context: Any, keep: bool = False) -> None:
        self.context = context
        self.slack = inf  # least overflow of a test that overflowed
        self.spoiled = False  # a float or inner columns: skip nothing
        self.outer: Watch | None = None
        self.shapes = 0
        # With `keep`, every test, as (bottom, position, overflowed, against the
        # page's bottom less a bottom space, i.e. through `overflows_page`, not a
        # box's own bottom): what a trial at another height would test
        # (column_layout.py, one-column containers; nothing kept elsewhere).
        self.tests: list[tuple[float, float, bool, bool]] | None = [] if keep else None
        self.paged = False

    def overflows(self, bottom: float, position_y: float) -> bool:
        result: bool = _overflows(bottom, position_y)
        if self.tests is not None:
            self.tests.append((bottom, position_y, result, self.paged))
        if result and isfinite(bottom):  # an infinite bottom is not the trial's
            self.slack = min(self.slack, position_y - bottom - _MARGIN * max(1.0, abs(bottom)))
        return result

    def overflows_page(self, bottom_space: float, position_y: float) -> bool:
        """WeasyPrint's `LayoutContext.overflows_page`, its tests marked as such."""
        self.paged = True
        try:
            return self.overflows(self.context.page_bottom - bottom_space, position_y)
        finally:
            self.paged = False

    def start(self) -> None:
        context = self.context
        self.outer = getattr(context, "bp_watch", None)
        if self.outer is not None:  # columns inside a trial's columns
            self.outer.spoiled = True
        context.bp_watch = self
        context.overflows = self.overflows  # the instance's, in place of the static method
        if self.tests is not None:
            context.overflows_page = self.overflows_page
        elif "overflows_page" in vars(context):  # an outer watch's: WeasyPrint's here
            del context.overflows_page
        self.shapes = len(context.excluded_shapes)
        Counts.watched += 1

    def stop(self) -> None:
        context = self.context
        if len(context.excluded_shapes) != self.shapes:
            self.spoiled = True
        context.bp_watch = self.outer
        if "overflows_page" in vars(context):
            del context.overflows_page  # WeasyPrint's method again
        if self.outer is not None:
            context.overflows = self.outer.overflows
            if self.outer.tests is not None:
                context.overflows_page = self.outer.overflows_page
        else:
            del context.overflows  # WeasyPrint's static method again

    def fails_again(self, taller: float) -> bool:
        """Does a trial `taller` px taller than the one watched fail as it did?"""
        if self.spoiled or taller >= self.slack:
            return False
        Counts.skipped += 1
        return True


def watch(context: Any, keep: bool = False) -> Watch:
    return Watch(context, keep)


def install() -> None:
    # Only where column_lines lays the columns out with column_layout.py.
    replace("column_balance", column_layout, "watch", watch)
