"""Boxes that clip their overflow painted where they stand in the flow: a
contained WeasyPrint extension.

WeasyPrint 70 gives every box whose `overflow` is not `visible` a stacking
context of its own (`stacking._dispatch`), and stacking contexts are painted
after all the in-flow content of their parent (CSS 2.1 Appendix E, step 8).
CSS itself does not make `overflow` create a stacking context. The result is
invisible on paper but not in the file: every photo (`img { overflow: hidden }`
in WeasyPrint's user-agent sheet), every caption and contents entry that clips
its text is written after the text of the whole page, so text extracted in
content order (copy and paste, `pdftotext -raw`, search snippets, any reader
that ignores tags) reads a column, then the contents box and the captions,
then the next column.

Here a block-level box that only clips (static position, no opacity,
transform, float or z-index) is painted as one piece at its place among the
in-flow blocks: its background, border, clip and content, as WeasyPrint paints
a stacking context, only earlier. Nothing overlaps it in a layout of columns
and lines, so the page looks the same; the content stream follows the flow.
"""

from __future__ import annotations

from typing import Any

from weasyprint import draw as draw_module
from weasyprint import stacking
from weasyprint.formatting_structure import boxes
from weasyprint.layout.absolute import AbsolutePlaceholder

from bulletin_press.typeset.gate import replace

_original_dispatch = stacking._dispatch
_original_draw_block_level = draw_module.draw_block_level


def clips_only(box: Any) -> bool:
    """Does `box` make a stacking context for its overflow alone?"""
    style = box.style
    return (style["overflow"] != "visible" and style["position"] == "static"
            and style["opacity"] >= 1 and not style["transform"]
            and isinstance(box, boxes.BlockLevelBox)
            and not isinstance(box, boxes.TableCellBox)
            and not box.is_floated() and not box.is_grid_item)


def _dispatch(box: Any, page: Any, child_contexts: Any, blocks: Any, floats: Any,
              blocks_and_cells: Any) -> Any:
    real = box._box if isinstance(box, AbsolutePlaceholder) else box
    if clips_only(real):
        # Painted among the in-flow blocks (see draw_block_level), in tree order;
        # taken out of its parent's children as WeasyPrint takes out a context.
        blocks_and_cells[stacking.StackingContext.from_box(real, page)] = {}
        return None
    return _original_dispatch(box, page, child_contexts, blocks, floats, blocks_and_cells)


def draw_block_level(page: Any, stream: Any, blocks_and_cells: Any) -> None:
    for block, children in blocks_and_cells.items():
        if isinstance(block, stacking.StackingContext):
            draw_module.draw_stacking_context(stream, block)
        else:
            _original_draw_block_level(page, stream, {block: children})


def install() -> None:
    replace("paint_order", stacking, "_dispatch", _dispatch)  # _dispatch_children: by name
    replace("paint_order", draw_module, "draw_block_level", draw_block_level)  # so draw
