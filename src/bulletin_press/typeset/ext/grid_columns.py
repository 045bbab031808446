"""Balanced columns that end on the line grid, as a contained WeasyPrint extension.

Both columns share one baseline grid only if every block above a line is a
whole number of lines tall. WeasyPrint 70 balances a multi-column container
by trying heights from the average of the columns upwards in steps that are
not lines; the column holding a paragraph broken across columns then grows
to that height (a broken block reaches the end of its fragmentainer), so an
article whose columns are balanced could end half a line off the grid, and
every article after it on the page with it (seen: 9 pt = ½ line, in issues of
articles that follow one another on a page).

`columns_layout` is wrapped: a container that ends off the grid is made a
whole number of lines tall (its columns too), as long as that stays on the
page; what follows is placed after it by WeasyPrint as usual. The body text
inside the columns does not move.

The columns themselves are laid out by `_layout`: WeasyPrint's own
`columns_layout`, or, with the column_lines extension, the same layout with
each line broken once (column_lines.py, column_layout.py).
"""

from __future__ import annotations

import math
from typing import Any

from weasyprint.layout import block as block_module
from weasyprint.layout import column as column_module

from bulletin_press.typeset.gate import replace

_original = column_module.columns_layout
_layout = _original  # what lays the columns out (column_lines.py replaces it)


def line_pitch(style: Any) -> float | None:
    """The line height in CSS pixels when it is a length, else None."""
    value = style["line_height"]
    unit = getattr(value, "unit", None)
    if unit == "px":
        return float(value.value)
    return None


def snapped(height: float, pitch: float) -> float:
    lines = math.ceil(height / pitch - 1e-6)
    return lines * pitch


def columns_layout(context: Any, box: Any, bottom_space: float, *args: Any,
                   **kwargs: Any) -> Any:
    result = _layout(context, box, bottom_space, *args, **kwargs)
    new_box = result[0]
    pitch = line_pitch(box.style)
    if new_box is None or pitch is None or new_box.height == "auto":
        return result
    height = snapped(new_box.height, pitch)
    room = context.page_bottom - bottom_space - new_box.content_box_y()
    if height - new_box.height > 0.01 and height <= room + 0.01:
        new_box.height = height
        for child in new_box.children:
            if child.is_in_normal_flow() and child.height != "auto":
                child.height = height
    return result


def install() -> None:
    replace("grid_columns", column_module, "columns_layout", columns_layout)
    replace("grid_columns", block_module, "columns_layout", columns_layout)  # imported by name
