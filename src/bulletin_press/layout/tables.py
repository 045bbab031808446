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

import itertools
import re
from collections.abc import Callable
from typing import TypedDict

from bulletin_press.fonts.lookup import Metrics
from bulletin_press.text.blocks import Block, Cell, Span
from bulletin_press.text.breaks import visible

# A cell merged down at most this many rows keeps them together in one column or page;
# one merged down more (a 居民区 over its twenty 楼栋) is let break with them, its text at
# its top (centred, it would stand in whichever part holds its middle, or be cut off): it
# pushed its table whole to the next page, leaving a page empty, when it was bound.
KEPT_ROWS = 6
CELL_PADDING_EM = 0.4  # each side; the layout's CSS uses the same (table.table th, td)
MIN_CELL_CHARS = 6  # a column narrower than this wraps its cells into stubs
_UNBREAKABLE = re.compile(r"[0-9A-Za-z@:/._%+\-（）()]+")


class CellContext(TypedDict):
    spans: list[Span]
    header: bool
    align: str  # "left", "center", "right" or "" (the layout's default)
    rows: int  # a merged cell's rows and columns (1, 1: not merged)
    columns: int
    long: bool  # merged down more than KEPT_ROWS rows: may break, text at its top


class TableContext(TypedDict):
    head: list[list[CellContext]]  # header rows (the Markdown table's first)
    rows: list[list[CellContext]]
    span: bool  # too wide for a column: set across the columns
    widths: list[float]  # each column's share of the table's width in percent; [] = auto
    # Per body row: a merged cell goes on into the next row, which must not be parted
    # from it (a column or page break there would cut the merged cell).
    bound: list[bool]


def table_context(block: Block, column_width: float, size: float,
                  font: Metrics | None, can_span: bool, measure: float | None = None
                  ) -> TableContext:
    """`measure`: the width the table has when it is set across the page (a spanning
    story table, a notice's); else it has `column_width`."""
    head = [[_cell(c) for c in row if not c.covered]
            for row in block.rows if row and all(c.header for c in row)]
    rows = [[_cell(c) for c in row if not c.covered] for row in block.rows[len(head):]]
    if not rows:
        # A table of one row (| 咨询电话 | 021-6238 1234 | under its | --- |, as Markdown
        # wants a header; a Word table of one row, imported): its row is what it tells,
        # not the heads of columns that have nothing under them. It was printed as a
        # header alone, bold on its tint, over an empty body.
        head, rows = [], [[{**cell, "header": False} for cell in row] for row in head]
    grid = _measured(block.rows)
    wide = can_span and too_wide(grid, column_width, size, font)
    width = measure if measure is not None and (wide or not can_span) else column_width
    return {"head": head, "rows": rows, "span": wide,
            "widths": column_widths(grid, width, size, font) if font else [],
            "bound": _bound(block.rows[len(block.rows) - len(rows):])}


def _cell(cell: Cell) -> CellContext:
    return {"spans": cell.spans, "header": cell.header, "align": cell.align or "",
            "rows": cell.rows, "columns": cell.columns, "long": cell.rows > KEPT_ROWS}


def _measured(rows: list[list[Cell]]) -> list[list[Cell]]:
    """The rows as the column widths are searched for: a cell merged across columns
    counts in none of them (its columns' widths together hold it); one merged down
    rows counts in its column once."""
    return [[Cell([]) if cell.columns > 1 else cell for cell in row] for row in rows]


def _bound(rows: list[list[Cell]]) -> list[bool]:
    """Per row: does a cell merged down the rows (KEPT_ROWS at most) go on into the
    next row?"""
    last = [-1] * len(rows)  # the last row each row's merged cells reach
    for r, row in enumerate(rows):
        last[r] = max([r, *(r + cell.rows - 1 for cell in row
                            if not cell.covered and cell.rows <= KEPT_ROWS)])
    reach, bound = -1, []
    for r in range(len(rows)):
        reach = max(reach, last[r])
        bound.append(reach > r)
    return bound


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
    return _extensions([visible(piece) for piece in out])


# A phone number's extension (021-6401 5110转2036, 分机8012) is part of the number: a
# cell keeps them on one line when its column can be given the room (column_widths).
_EXTENSION = re.compile(r"(?:转|分机)\d{1,5}")


def _extensions(found: list[str]) -> list[str]:
    """The pieces with an extension joined to the phone number before it."""
    out: list[str] = []
    for piece in found:
        previous = out[-1] if out else ""
        number = previous[-1:].isdigit() and sum(c.isdigit() for c in previous) >= 7
        extension = _EXTENSION.fullmatch(piece) or piece in ("转", "分机")
        rest = previous.endswith(("转", "分机")) and piece.isdigit() and len(piece) <= 5
        if (number and extension) or rest:
            out[-1] += piece
        else:
            out.append(piece)
    return out


def _lines(widths: list[float], room: float, slack: float) -> int:
    """Lines a cell of pieces of these widths takes in a column `room` wide; `slack`
    is kept free for what the pieces' widths leave out (spaces, Han–Latin gaps)."""
    return _wrapped(widths, room, slack)[0]


def _wrapped(widths: list[float], room: float, slack: float,
             inside: list[bool] | None = None) -> tuple[int, float, int]:
    """The lines, the width of the last, and how many lines end inside a run of Han
    (`inside`: before each piece, whether that is so there)."""
    room -= slack
    lines, x, cuts = 1, 0.0, 0
    for k, width in enumerate(widths):
        if x and x + width > room + 0.01:
            lines, x = lines + 1, width
            cuts += bool(inside and inside[k])
        else:
            x += width
    return lines, x, cuts


def _inside_han(found: list[str]) -> list[bool]:
    """Before each piece: does a line break there part two Han characters (a name:
    古美路街道平 / 安办), not a number from its word (021-5422 3301 / 转8012)?"""
    return [k > 0 and bool(_HAN_END.search(found[k - 1]) and _HAN_START.match(piece))
            for k, piece in enumerate(found)]


_HAN_END = re.compile("[\u3400-\u9fff]$")
_HAN_START = re.compile("[\u3400-\u9fff]")


def column_widths(rows: list[list[Cell]], width: float, size: float,
                  font: Metrics) -> list[float]:
    """Each column's share of `width` in percent: first its longest piece, then the
    widths that wrap the fewest lines (the best of all steps when there are few
    enough to try, else step by step, the width that saves the most for the width it
    takes); what is left, in proportion to the columns' one-line widths. [] when the
    pieces alone do not fit (the renderer's automatic layout decides). A phone number
    with its extension is one piece when the table has the room, else two."""
    whole = _column_widths(rows, width, size, font, pieces)
    apart = _column_widths(rows, width, size, font, _pieces_apart)
    found = [result for result in (whole, apart) if result[0]]
    return min(found, key=lambda result: result[1])[0] if found else []


def _same_lines(cells: list[list[list[float]]], room: list[float], column: int,
                extra: float, size: float) -> bool:
    """Do the column's cells take as many lines `extra` wider, and end as long (a
    character alone or not), counted with no slack?"""
    def shape(width: float, widths: list[float]) -> tuple[int, bool]:
        lines, last, _ = _wrapped(widths, width, -1.0)
        return lines, lines > 1 and last < 1.2 * size
    return all(shape(room[column], cell[column]) == shape(room[column] + extra, cell[column])
               for cell in cells)


def _pieces_apart(text: str) -> list[str]:
    return [part for piece in pieces(text) for part in _EXTENSION_APART.split(piece) if part]


_EXTENSION_APART = re.compile(r"(?<=\d)(?=(?:转|分机)\d)")
_TRIALS = 20000  # combinations of the columns' steps tried at most
_LATIN = re.compile(r"[ -~\u00a0]")


def _column_widths(rows: list[list[Cell]], width: float, size: float, font: Metrics,
                   cut: Callable[[str], list[str]]) -> tuple[list[float], float]:
    """The widths (in percent; [] when the pieces do not fit) and their lines."""
    count = max((len(row) for row in rows), default=0)
    if count == 0:
        return [], 0.0
    padding = 2 * CELL_PADDING_EM * size
    cut_up = [[cut(_text(row[i])) if i < len(row) else [] for i in range(count)]
              for row in rows]
    cells = [[[font.width(p, size) for p in cell] for cell in row] for row in cut_up]
    insides = [[_inside_han(cell) for cell in row] for row in cut_up]
    # Kept free in each cell for what the pieces' widths leave out: spaces and the gaps
    # between Han and Latin; in a cell of Han only, a hair (a column of names got half
    # a character more than it was counted with, and set 全国反诈劝阻专 / 线).
    slacks = [[size / 2 if _LATIN.search(_text(row[i])) else 0.05 * size
               if i < len(row) else 0.0 for i in range(count)] for row in rows]
    natural = [max((sum(cell[i]) + slack[i] for cell, slack in zip(cells, slacks, strict=True)),
                   default=0.0)
               for i in range(count)]
    room = [max((max(cell[i], default=0.0) for cell in cells), default=0.0)
            for i in range(count)]
    spare = width - sum(room) - count * padding
    if spare < 0:
        return [], 0.0

    def total(rooms: list[float]) -> float:
        """The table's lines, and half a line for each line a cell wraps onto inside
        a taller row (a time range split under another's two lines still reads badly),
        and a line for a cell's last line of one character."""
        found = 0.0
        for cell, slack, inside in zip(cells, slacks, insides, strict=True):
            wrapped = [_wrapped(cell[i], rooms[i], slack[i], inside[i]) for i in range(count)]
            lines = [n for n, _, _ in wrapped]
            # A wrapped cell's last line of one character (全国反诈劝阻专 / 线) reads as
            # badly as a line more; a line ending inside a name a little worse than one
            # ending between a number and its word.
            lone = sum(n > 1 and last < 1.2 * size for n, last, _ in wrapped)
            cuts = sum(c for _, _, c in wrapped)
            found += max(lines) + 0.5 * sum(n - 1 for n in lines) + lone + 0.25 * cuts
        return found

    step = size / 2
    # Each column's steps where one of its cells takes a line fewer: trying them all
    # finds what one step at a time does not (a phone number and a time range that
    # each save a line only when the other does too, in the same row).
    steps: list[list[float]] = []
    for column in range(count):
        found_steps, last = [0.0], None
        extra = 0.0
        while extra <= spare and room[column] + extra <= natural[column] + step:
            counts = [_lines(cell[column], room[column] + extra, slack[column])
                      for cell, slack in zip(cells, slacks, strict=True)]
            if last is not None and counts != last:
                found_steps.append(extra)
            last = counts
            extra += step
        steps.append(found_steps)
    trials = 1
    for found_steps in steps:
        trials *= len(found_steps)
    if trials <= _TRIALS:
        best_key: tuple[float, float] | None = None
        best_room = room
        for combination in itertools.product(*steps):
            used = sum(combination)
            if used > spare + 0.01:
                continue
            trial = [r + e for r, e in zip(room, combination, strict=True)]
            key = (total(trial), used)
            if best_key is None or key < best_key:
                best_key, best_room = key, trial
        spare -= sum(best_room) - sum(room)
        room = best_room
    else:
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
    # What is left goes where it changes no cell's lines as the renderer may set them
    # (its measure is a hair wider than counted here): a column of names given half a
    # character more set 全国反诈劝阻专 / 线 where 6 + 2 characters were counted.
    shares = [w * (spare < step or _same_lines(cells, room, column, spare * w / sum(weights), size))
              for column, w in enumerate(weights)]
    if sum(shares):
        weights = shares
    score = total(room)
    room = [r + spare * w / sum(weights) for r, w in zip(room, weights, strict=True)]
    return [round(100 * (r + padding) / width, 2) for r in room], score
