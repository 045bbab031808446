"""Tables for the templates: cells with their alignment, and whether a table is
too wide for a column and spans the columns instead.

A CJK cell can wrap after any character, so almost any table "fits" a column
by wrapping; what does not fit is a cell's longest unbreakable word (a phone
number, an address in Latin letters) or so many columns that each gets only
a few characters. Those tables are set across the columns.

The columns' widths are chosen here, not by the renderer's automatic layout,
which gives a long cell's column most of the width and leaves a column of
times, prices or phone numbers so narrow that "9:00—11:30" and "每车450元"
wrap: each column gets at least its longest unbreakable piece, then the rest
of the width goes, a little at a time, where it saves the most wrapped lines.
"""

from __future__ import annotations

import re
from typing import TypedDict

from bulletin_press.fonts.lookup import Metrics
from bulletin_press.text.blocks import Block, Cell, Span
from bulletin_press.text.breaks import visible

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
    widths: list[float]  # each column's share of the table's width in percent; [] = auto


def table_context(block: Block, column_width: float, size: float,
                  font: Metrics | None, can_span: bool, measure: float | None = None
                  ) -> TableContext:
    """`measure`: the width the table has when it is set across the page (a spanning
    story table, a notice's); else it has `column_width`."""
    head = [[_cell(c) for c in row] for row in block.rows if row and all(c.header for c in row)]
    rows = [[_cell(c) for c in row] for row in block.rows[len(head):]]
    if not rows:
        # A table of one row (| 咨询电话 | 021-6238 1234 | under its | --- |, as Markdown
        # wants a header; a Word table of one row, imported): its row is what it tells,
        # not the heads of columns that have nothing under them. It was printed as a
        # header alone, bold on its tint, over an empty body.
        head, rows = [], [[{**cell, "header": False} for cell in row] for row in head]
    wide = can_span and too_wide(block.rows, column_width, size, font)
    width = measure if measure is not None and (wide or not can_span) else column_width
    return {"head": head, "rows": rows, "span": wide,
            "widths": column_widths(block.rows, width, size, font) if font else []}


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


_JOINERS = frozenset("\ufeff\u2060\u00a0")  # glue, word joiner, no-break space (breaks.py)
_BREAKS = frozenset(" \u200b")
_NO_START = frozenset("，。、；：？！）」』”’》〉】…—～·%")
_NO_END = frozenset("（「『“‘《〈【")


def pieces(text: str) -> list[str]:
    """The text cut where a line may break: between Han characters, at spaces and
    break points; not inside Latin words and numbers, nor where text/breaks.py glued
    ("9:00—11:30", "450元", "021-6238 4410"), nor before a closing mark."""
    out: list[str] = []
    current = ""
    previous = ""
    for char in text:
        if char in _BREAKS:
            if current:
                out.append(current)
            current, previous = "", ""
            continue
        if char in _JOINERS:
            previous = char
            current += char
            continue
        latin = char.isascii() and previous.isascii() and previous not in ("", " ")
        joined = previous in _JOINERS or latin or char in _NO_START or previous in _NO_END
        if current and not joined:
            out.append(current)
            current = ""
        current += char
        previous = char
    if current:
        out.append(current)
    return [visible(piece) for piece in out]


def _lines(widths: list[float], room: float, slack: float) -> int:
    """Lines a cell of pieces of these widths takes in a column `room` wide; `slack`
    is kept free for what the pieces' widths leave out (spaces, Han–Latin gaps)."""
    room -= slack
    lines, x = 1, 0.0
    for width in widths:
        if x and x + width > room + 0.01:
            lines, x = lines + 1, width
        else:
            x += width
    return lines


def column_widths(rows: list[list[Cell]], width: float, size: float,
                  font: Metrics) -> list[float]:
    """Each column's share of `width` in percent: first its longest piece, then, step
    by step, the width that saves the most wrapped lines for the width it takes;
    what is left, in proportion to the columns' one-line widths. [] when the pieces
    alone do not fit (the renderer's automatic layout decides)."""
    count = max((len(row) for row in rows), default=0)
    if count == 0:
        return []
    padding = 2 * CELL_PADDING_EM * size
    cells = [[[font.width(p, size) for p in pieces(_text(row[i]))] if i < len(row) else []
              for i in range(count)] for row in rows]
    natural = [max((sum(cell[i]) + size / 2 for cell in cells), default=0.0)
               for i in range(count)]
    room = [max((max(cell[i], default=0.0) for cell in cells), default=0.0)
            for i in range(count)]
    spare = width - sum(room) - count * padding
    if spare < 0:
        return []

    def total(rooms: list[float]) -> float:
        """The table's lines, and half a line for each line a cell wraps onto inside
        a taller row (a time range split under another's two lines still reads badly)."""
        found = 0.0
        for cell in cells:
            lines = [_lines(cell[i], rooms[i], size / 2) for i in range(count)]
            found += max(lines) + 0.5 * sum(n - 1 for n in lines)
        return found

    step = size / 2
    lines = total(room)
    while spare >= step:
        best: tuple[float, int, float] | None = None  # (saved per pt, column, pt)
        for column in range(count):
            extra = step
            while extra <= spare and room[column] + extra <= natural[column] + step:
                trial = room.copy()
                trial[column] += extra
                saved = lines - total(trial)
                if saved > 0:
                    if best is None or saved / extra > best[0]:
                        best = (saved / extra, column, extra)
                    break
                extra += step
        if best is None:
            break
        room[best[1]] += best[2]
        spare -= best[2]
        lines = total(room)
    weights = [max(n, 1.0) for n in natural]
    room = [r + spare * w / sum(weights) for r, w in zip(room, weights, strict=True)]
    return [round(100 * (r + padding) / width, 2) for r in room]
