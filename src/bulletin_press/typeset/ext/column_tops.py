"""Whether WeasyPrint's `page_is_empty` changed a set of columns: a proof, not a layout.

WeasyPrint 70 lays a columns container out with two values of `page_is_empty`:
its first trial with True, its balancing trials with False, and the final
columns with the container's own value. The flag reaches only the boxes laid
out first in each column (its *top chain*: the column's first box, that box's
first box, and so on; every later box gets False), and there it does four
things, all in weasyprint/layout/block.py:

1. it truncates a top margin to 0 on pages after the first (`block_level_layout`);
2. it lets a top box or its first line overflow the column instead of breaking
   (`_in_flow_layout`'s `can_break`, `_linebox_layout`'s `overflow`);
3. it ignores orphans, widows, `break-inside: avoid` and an avoided break that
   has no earlier place to break (`_break_line`, `block_container_layout`,
   `_in_flow_layout`) instead of giving the box up;
4. it places a float first in a box even when it does not fit.

With False, (2) and (3) give a top box up, and a given-up top box gives its
whole column up (a box whose first child is given up has nothing to keep). So
**a trial laid out with False in which every column was laid out is the layout
with True too**, as long as (1) and (4) cannot happen and nothing else reads
the flag. `immaterial` checks exactly that on the trial's boxes:

- every column was laid out (the caller's `complete`);
- no float, positioned, running, footnote or note box in the container
  (`in_flow`, checked once on the source boxes), so (4) and the out-of-flow
  paths cannot happen;
- on the top chain: each box is the first one of its parent that was laid out
  (`index`); no top margin is left to truncate (pages after the first), no
  `clear`; only block boxes, replaced blocks and lines (tables, flex, grid and
  inner columns read the flag themselves); no cloned or discarded decorations;
- and WeasyPrint's second layout of a box whose border, padding or margin below
  overflows although its content fits (`_in_flow_layout`'s
  `border_page_overflow`, done only where the flag is False) did not happen:
  a whole top box ends that far above the foot, a top box broken at the foot
  has nothing below its content.

Where one of these does not hold, the caller lays the columns out with the
other value as WeasyPrint does (counted, column_layout.Counts).
"""

from __future__ import annotations

from typing import Any

from weasyprint.formatting_structure import boxes
from weasyprint.layout.absolute import AbsolutePlaceholder


def _zero(value: Any) -> bool:
    return value == 0 or getattr(value, "value", None) == 0


def in_flow(context: Any, box: Any) -> bool:
    """Is every box in the container's source in normal flow or absolutely positioned
    (a list's outside markers: a placeholder where it is, which no box counts as
    content and nothing lays out with the flag)? (kept per container)"""
    kept: dict[int, tuple[Any, bool]] = context.__dict__.setdefault("bp_in_flow", {})
    hit = kept.get(id(box))
    if hit is not None and hit[0] is box:
        return hit[1]
    answer = not any(child.is_floated() or child.is_running() or child.is_footnote()
                     or child.is_note() for child in box.descendants())
    kept[id(box)] = (box, answer)
    return answer


def may_hold(context: Any, children: list[Any], skip_stack: Any) -> bool:
    """Before a layout: can `immaterial` hold for the first column? Not when the box
    it starts with has a top margin to truncate (a subhead starting a column on a
    later page, which WeasyPrint's True does move up): then laying out with False
    first would be a trial thrown away."""
    if context.current_page <= 1:
        return True
    while children:
        index = _first(skip_stack)
        if index >= len(children):
            return True
        child = children[index]
        rest = skip_stack[index] if skip_stack else None
        if rest is None and not _zero(child.style["margin_top"]):
            return False
        if isinstance(child, (boxes.LineBox, boxes.BlockReplacedBox)) \
                or not isinstance(child, boxes.ParentBox):
            return True
        children, skip_stack = child.children, rest
    return True


def _first(skip_stack: Any) -> int:
    if not skip_stack:
        return 0
    (index,) = skip_stack.keys()
    return int(index)


def _top_holds(context: Any, column: Any, start: Any, resume_at: Any, bottom_space: float,
               margins: bool) -> bool:
    """Does the flag change nothing on this column's top chain? (see the module)"""
    foot = context.page_bottom - bottom_space
    parent, skip_stack, resume = column, start, resume_at
    while True:
        children = parent.children
        index = _first(skip_stack)
        while children and isinstance(children[0], AbsolutePlaceholder):
            if getattr(children[0], "index", None) != index:
                return False
            children, index = children[1:], index + 1  # a marker: no content (block.py)
        if not children:
            return True
        child = children[0]
        if isinstance(child, boxes.LineBox):
            return True
        if getattr(child, "index", None) != index or not child.is_in_normal_flow():
            return False
        style = child.style
        if (margins and child.margin_top != 0) or style["clear"] != "none" \
                or style["box_decoration_break"] == "clone" or style["continue"] == "discard":
            return False
        broken = resume is not None and _first(resume) == index
        if broken and resume[index] is None:
            return False  # a break before the top box: not a column this proof knows
        below = child.padding_bottom + child.border_bottom_width + (
            0 if parent.bottom_margin_collapses() else child.margin_bottom)
        if broken:
            if not (_zero(style["padding_bottom"]) and _zero(style["border_bottom_width"])
                    and (_zero(style["margin_bottom"]) or parent.bottom_margin_collapses())):
                return False
        elif context.overflows(foot - below, child.border_box_y() + child.border_height()):
            return False
        if isinstance(child, boxes.BlockReplacedBox):
            return True
        if type(child) is not boxes.BlockBox or child.is_table_wrapper \
                or style["column_width"] != "auto" or style["column_count"] != "auto":
            return False
        parent = child
        skip_stack = skip_stack[index] if skip_stack and index in skip_stack else None
        resume = resume[index] if broken else None


def proven(context: Any, box: Any, columns: list[Any], starts: list[Any],
           ends: list[Any], bottom_space: float) -> int:
    """How many of these columns, laid out with page_is_empty False, are the columns
    with True too, from the first on? (Each column that was laid out is its own
    case of the argument: it starts where the one before it ended, in both.)"""
    if not in_flow(context, box):
        return 0
    margins = context.current_page > 1
    for i, (column, start, end) in enumerate(zip(columns, starts, ends, strict=True)):
        if not _top_holds(context, column, start, end, bottom_space, margins):
            return i
    return len(columns)


def immaterial(context: Any, box: Any, columns: list[Any], starts: list[Any],
               ends: list[Any], bottom_space: float) -> bool:
    """Are these columns, laid out with page_is_empty False, also the columns with True?"""
    return proven(context, box, columns, starts, ends, bottom_space) == len(columns)
