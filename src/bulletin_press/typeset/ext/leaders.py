"""Leader dots written as copies of one drawn dot: a contained WeasyPrint extension.

A contents entry's `leader(dotted)` is laid out by WeasyPrint 70 as one text
box per dot (~80 across a column), and each is drawn through the whole text
path: Pango's line, the font, the glyph string, the colour: ~2 ms a contents
entry (bench-16's first chunk, 10 entries: 0.458 -> 0.439 s). The dots of
one leader are copies of one box (same text, style, Pango layout, baseline),
so what WeasyPrint writes for each differs only in the text matrix's x. Here
the first three dots are drawn as WeasyPrint draws them; if the second and
third wrote the same operators but for their x, the others are written as
those operators with their own x, formatted as WeasyPrint formats it. The
content stream is byte for byte what WeasyPrint would write; anything else
(tagged PDF, text decorations, ellipsis, a dot that draws differently) is
drawn as before.
"""

from __future__ import annotations

from typing import Any

import pydyf
from weasyprint import draw as draw_module
from weasyprint.formatting_structure import boxes

from bulletin_press.typeset.gate import replace

_original = draw_module.draw_inline_level
_DRAWN = 3  # dots drawn by WeasyPrint before the rest are copied


def _copies(children: Any) -> bool:
    first = children[0]
    return all(isinstance(child, boxes.TextBox) and child.style is first.style
               and child.pango_layout is first.pango_layout and child.text == first.text
               and child.position_y == first.position_y and child.baseline == first.baseline
               for child in children)


def _matrix(box: Any) -> bytes:
    """The text matrix operator draw_text writes for `box` (see draw/text.py)."""
    scratch = pydyf.Stream()
    scratch.set_text_matrix(1, 0, 0, -1, box.position_x, box.position_y + box.baseline)
    return bytes(scratch.stream[-1])


def _draw(stream: Any, box: Any, child: Any, offset_x: float, text_overflow: str) -> list[bytes]:
    """Draw a dot as WeasyPrint's loop does; what it wrote if it continued the
    last text object (taking back its end, as WeasyPrint does when a text
    object follows another), else []."""
    ops = stream.stream
    before = len(ops)
    continues = before > 0 and ops[-1] == b"ET"
    with stream.marked(child, "Span"):
        draw_module.draw_text(stream, child, offset_x + child.position_x - box.position_x,
                              text_overflow, "none")
    if not continues or len(ops) < before or ops[before - 1] == b"ET":
        return []  # nothing drawn, or a text object of its own
    return list(ops[before - 1:])


def draw_inline_level(stream: Any, page: Any, box: Any, offset_x: float = 0,
                      text_overflow: str = "clip", block_ellipsis: str = "none") -> Any:
    children = getattr(box, "children", None)
    if not getattr(box, "is_leader", False) or not isinstance(box, boxes.InlineBox) \
            or not children or len(children) <= _DRAWN + 1 or stream._tags is not None \
            or text_overflow != "clip" or block_ellipsis != "none" or not _copies(children):
        return _original(stream, page, box, offset_x, text_overflow, block_ellipsis)
    box.children = children[:1]
    try:  # the leader box itself (background, border) and its first dot
        _original(stream, page, box, offset_x, text_overflow, block_ellipsis)
    finally:
        box.children = children
    second = _draw(stream, box, children[1], offset_x, text_overflow)
    third = _draw(stream, box, children[2], offset_x, text_overflow)
    # The same operators but for the text matrix, which comes first.
    same = bool(second) and len(second) == len(third) and second[1:] == third[1:] \
        and second[-1] == b"ET" and second[0] == _matrix(children[1]) \
        and third[0] == _matrix(children[2])
    for child in children[_DRAWN:]:
        if same:  # as WeasyPrint would: continue the text object, move, show, end
            stream.stream[-1:] = [_matrix(child), *third[1:]]
        else:
            _draw(stream, box, child, offset_x, text_overflow)
    return None


def install() -> None:
    replace("leaders", draw_module, "draw_inline_level", draw_inline_level)  # called by name
