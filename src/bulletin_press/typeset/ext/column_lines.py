"""The lines of a multi-column container broken once, as a contained WeasyPrint extension.

WeasyPrint 70 balances columns by laying them out again and again at trial
heights (see column_layout.py), and every trial breaks every paragraph into
lines again with Pango: ~3 line breaks per line a page shows, ~2/3 of a text
page's typesetting time. A paragraph's lines do not depend on the height
tried: a line is broken from where the previous one ended, at the column
width, wherever the column ends. So within one columns container each line is
broken once: `get_next_linebox` keeps every line it makes, keyed by the
paragraph, where the line starts in it, the width, the indent and line_fit's
conditions (how much narrower, relaxed: they change where the line breaks),
and gives a copy of it, moved to where it is asked for, to every later trial
and to the final columns. Both WeasyPrint's line iteration and line_fit.py's
look `get_next_linebox` up when they call it, so the cache sits under either.
A speed extension (`column_lines` in typeset/gate.py): the same bytes as
without it (tests/test_column_lines.py, tests/test_gate.py).

Only lines of plain inline content are kept (text and inline boxes: no inline
blocks, images, floats or positioned boxes, whose layout can depend on the
space below the line), none is kept or reused beside a float (its width
depends on where it is), and none of a balanced block (line_fit changes its
text between layouts); the rest are broken as WeasyPrint does. The cache lives
as long as the container's layout (`columns`), so stale boxes are never seen.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline as inline_module

from bulletin_press.typeset.ext import column_layout, grid_columns, line_fit
from bulletin_press.typeset.gate import replace

_original = inline_module.get_next_linebox

# (paragraph, where the line starts, width, indent, narrower by, relaxed) →
# (paragraph kept alive, the line, where the next line starts, x and y it was
# made at, what the call left in the paragraph box: x and y offsets, width, height)
LineKey = tuple[int, Any, float, float, float, int]
Kept = tuple[Any, Any, Any, float, float, tuple[float, float, float, float]]


class Counts:
    """Lines broken and lines reused, for tests and the bench."""

    made = 0
    reused = 0


def frozen(skip_stack: Any) -> Any:
    """A hashable copy of a WeasyPrint skip stack (nested {index: skip stack})."""
    if skip_stack is None:
        return None
    return tuple((index, frozen(rest)) for index, rest in skip_stack.items())


def plain(box: Any) -> bool:
    """Is a laid-out line made only of text and inline boxes?"""
    if isinstance(box, boxes.TextBox):
        return True
    if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        return all(plain(child) for child in box.children)
    return False


@contextmanager
def columns(context: Any) -> Iterator[None]:
    """Lines broken while this is open are kept and reused (one columns container)."""
    saved = getattr(context, "bp_lines", None)
    context.bp_lines = {}
    try:
        yield
    finally:
        context.bp_lines = saved


def get_next_linebox(context: Any, linebox: Any, position_y: float, bottom_space: float,
                     skip_stack: Any, containing_block: Any, absolute_boxes: list[Any],
                     fixed_boxes: list[Any], first_letter_style: Any,
                     first_line_style: Any) -> tuple[Any, Any]:
    """WeasyPrint's `get_next_linebox`, with lines kept while `columns` is open."""
    lines: dict[LineKey, Kept] | None = getattr(context, "bp_lines", None)
    if lines is None or first_letter_style is not None or first_line_style is not None \
            or context.excluded_shapes or line_fit.balanced(linebox.style):
        made: tuple[Any, Any] = _original(
            context, linebox, position_y, bottom_space, skip_stack, containing_block,
            absolute_boxes, fixed_boxes, first_letter_style, first_line_style)
        return made
    key = (id(linebox), frozen(skip_stack), containing_block.width, linebox.text_indent,
           line_fit.narrowed(), line_fit.relaxed())
    x = containing_block.content_box_x()
    kept = lines.get(key)
    if kept is not None:
        _, template, resume_at, made_x, made_y, state = kept
        Counts.reused += 1
        line = template.deepcopy()
        line.translate(x - made_x, position_y - made_y)
        line.position_y = position_y  # as WeasyPrint sets it, not moved by a sum
        linebox.position_x, linebox.position_y = x + state[0], position_y + state[1]
        linebox.width, linebox.height = state[2], state[3]
        return line, resume_at
    absolutes, fixed = len(absolute_boxes), len(fixed_boxes)
    line, resume_at = _original(context, linebox, position_y, bottom_space, skip_stack,
                                containing_block, absolute_boxes, fixed_boxes, None, None)
    Counts.made += 1
    if line is not None and not context.excluded_shapes and plain(line) and \
            (len(absolute_boxes), len(fixed_boxes)) == (absolutes, fixed):
        state = (linebox.position_x - x, linebox.position_y - position_y,
                 linebox.width, linebox.height)
        lines[key] = (linebox, line.deepcopy(), resume_at, x, position_y, state)
    return line, resume_at


def columns_layout(context: Any, box: Any, bottom_space: float, *args: Any) -> Any:
    """A columns container laid out as WeasyPrint 70 does, with each line broken once
    (and WeasyPrint's look-ahead only where it is used, see column_layout.py)."""
    if column_layout.usable(context, box):
        with columns(context):
            return column_layout.columns_layout(context, box, bottom_space, *args)
    return grid_columns._original(context, box, bottom_space, *args)


def install() -> None:
    # Looked up by name when called, by WeasyPrint's iter_line_boxes and by line_fit.
    replace("column_lines", inline_module, "get_next_linebox", get_next_linebox)
    # The columns are laid out through grid_columns (which puts them on the grid).
    replace("column_lines", grid_columns, "_layout", columns_layout)
