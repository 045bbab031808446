"""Tables for the templates: cells with their alignment, and whether a table is
too wide for a column and spans the columns instead.

A CJK cell can wrap after any character, so almost any table "fits" a column
by wrapping; what does not fit is a cell's longest unbreakable word (a phone
number, an address in Latin letters) or so many columns that each gets only
a few characters. Those tables are set across the columns.
"""

from __future__ import annotations

import re
from typing import TypedDict

from bulletin_press.fonts.lookup import Metrics
from bulletin_press.text.blocks import Block, Cell, Span

CELL_PADDING_EM = 0.4  # each side; the layout's CSS uses the same (table.table th, td)
MIN_CELL_CHARS = 6  # a column narrower than this wraps its cells into stubs
_UNBREAKABLE = re.compile(r"[0-9A-Za-z@:/._%+\-（）()]+")


class CellContext(TypedDict):
    spans: list[Span]
    header: bool
    align: str  # "left", "center", "right" or "" (the layout's default)


class TableContext(TypedDict):
    head: list[list[CellContext]]  # header rows (the Markdown table's first)
    rows: list[list[CellContext]]
    span: bool  # too wide for a column: set across the columns


def table_context(block: Block, column_width: float, size: float,
                  font: Metrics | None, can_span: bool) -> TableContext:
    head = [[_cell(c) for c in row] for row in block.rows if row and all(c.header for c in row)]
    rows = [[_cell(c) for c in row] for row in block.rows[len(head):]]
    wide = can_span and too_wide(block.rows, column_width, size, font)
    return {"head": head, "rows": rows, "span": wide}


def _cell(cell: Cell) -> CellContext:
    return {"spans": cell.spans, "header": cell.header, "align": cell.align or ""}


def _text(cell: Cell) -> str:
    return "".join(s.text for s in cell.spans)


def too_wide(rows: list[list[Cell]], column_width: float, size: float,
             font: Metrics | None) -> bool:
    """True when the columns' narrowest possible widths, or a few characters per
    column, do not fit in one column of text."""
    if not rows:
        return False
    count = max(len(row) for row in rows)
    padding = 2 * CELL_PADDING_EM * size

    def width(text: str) -> float:
        return font.width(text, size) if font else len(text) * size

    narrowest = []
    for index in range(count):
        cells = [_text(row[index]) for row in rows if index < len(row)]
        words = [w for text in cells for w in _UNBREAKABLE.findall(text)]
        longest = max((width(w) for w in words), default=0.0)
        natural = max((width(t) for t in cells), default=0.0)
        narrowest.append(min(natural, max(longest, MIN_CELL_CHARS * size)) + padding)
    return sum(narrowest) > column_width + 0.01
