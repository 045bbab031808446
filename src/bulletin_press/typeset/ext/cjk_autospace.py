"""Han–Latin/digit spacing (autospace), measured while lines are broken.

clreq asks for a gap of 1/8–1/4 em between a Han character and an adjacent
Latin letter or digit ("于 2022 年" set as "于2022年"), with no character added
to the text and no gap at a line's start or end. WeasyPrint 70 has no
`text-autospace`, so this extends its Pango layout:

- while lines are broken (`Layout.set_text` without `justify`), the character
  after each boundary gets a Pango letter-spacing attribute of the gap, so
  the gap counts in the line's width and in where the line breaks. Pango
  spends it half before and half after that character: the same total as
  the gap before it, so a line breaks exactly where it would with the gap
  (the character before the boundary fits a full line, as it must: its gap
  would vanish at the line end). Pango drops the outer half at the ends of a
  text, so the last character never carries it (the one before does) and one
  at index 0 carries twice the value. Whole-pixel values are nudged because
  Pango rounds those.
- WeasyPrint lays each line out again from the line's own text, so a
  boundary at a line's end (the next character is on the next line) or start
  is not in that text and gets no gap: the gap vanishes at line edges.
- when a line is drawn (`set_text(justify=True)`), no attribute is set;
  instead the glyph before each boundary is widened by the gap (glyph_widths.py), exactly the
  width the line was measured with, without Pango's half-before shift.

The amount comes from the custom property `--bp-autospace` (a number, in em
of the text's font size), set by the layout (`type.autospace_em`); 0 turns it
off for an element. Boundaries across inline markup (`**中文**Latin`) are
marked by typography.py, which wraps the boundary's first character so its
text box carries the gap at its end; see `edge_autospace`.
"""

from __future__ import annotations

from typing import Any

from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline
from weasyprint.text import line_break
from weasyprint.text.ffi import TO_UNITS, ffi, pango

from bulletin_press.text.punctuation import AUTOSPACE, after_boundary, boundaries, byte_offsets
from bulletin_press.typeset.ext import glyph_widths
from bulletin_press.typeset.gate import replace

PROPERTY = "__bp_autospace"  # WeasyPrint's key for the custom property --bp-autospace
_original_set_text = line_break.Layout.set_text
_original_text_align = inline.text_align


def amount(style: Any) -> float:
    """The gap in CSS pixels for text in `style`; 0 when off."""
    try:
        value = style[PROPERTY]
    except (KeyError, TypeError):
        return 0.0
    if not value:
        return 0.0
    token = value[0]
    number = getattr(token, "value", None)
    if not isinstance(number, (int, float)) or number <= 0:
        return 0.0
    return min(float(number), 0.5) * float(style["font_size"])


def _units(pixels: float) -> int:
    value: int = round(float(pixels * TO_UNITS))
    return value + 1 if value % TO_UNITS == 0 else value  # Pango rounds whole pixels


def _base_spacing(style: Any) -> int:
    spacing = style["letter_spacing"]
    return 0 if spacing == "normal" else int(spacing * TO_UNITS)


def set_text(self: Any, text: str, justify: bool = False) -> None:
    _original_set_text(self, text, justify)
    stale = getattr(self, "bp_attrs", ())
    self.bp_autospace = None
    self.bp_attrs = ()
    gap = amount(self.style)
    indices = boundaries(self.text) if gap else []
    if justify and indices:  # drawing: draw_first_line widens the glyphs instead
        self.bp_autospace = (gap, frozenset(byte_offsets(self.text, indices).values()))
    if not stale and (justify or not indices):
        return
    base = _base_spacing(self.style)
    attr_list = pango.pango_layout_get_attributes(self.layout)
    if attr_list == ffi.NULL:
        attr_list = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)

    def spacing(start: int, end: int, value: int) -> None:
        attr = pango.pango_attr_letter_spacing_new(value)
        attr.start_index, attr.end_index = start, end
        pango.pango_attr_list_change(attr_list, attr)

    # The layout keeps its attribute list between texts: undo the last text's gaps.
    for start, end in stale:
        spacing(start, end, base)
    if not justify:
        # On the character after the boundary, except at the end of the text,
        # where Pango would drop its trailing half; then on the one before
        # (twice the value at index 0, where Pango drops the leading half).
        last = len(self.text) - 1
        # (past glue: letter spacing on an invisible character is partly lost)
        carriers = [after_boundary(self.text, index) for index in indices]
        carriers = [carrier if carrier < last else index
                    for index, carrier in zip(indices, carriers, strict=True)]
        # One character can carry two gaps: "午2小" at the end of a line (issue 15:
        # the line was measured one gap short and ran 1.3 pt past the column).
        gaps: dict[int, int] = {}
        for carrier in carriers:
            gaps[carrier] = gaps.get(carrier, 0) + (2 if carrier == 0 else 1)
        offsets = byte_offsets(self.text, gaps)
        ranges = []
        for carrier, count in gaps.items():
            start = offsets[carrier]
            end = start + len(self.text[carrier].encode())
            spacing(start, end, base + _units(gap * count))
            ranges.append((start, end))
        self.bp_attrs = tuple(ranges)
    pango.pango_layout_set_attributes(self.layout, attr_list)


def _leading_autospace(line: Any) -> tuple[list[Any], Any] | None:
    """The `bp-as` box that starts the line, with the boxes that contain it."""
    path = [line]
    box = line
    while isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        children = [c for c in box.children if c.is_in_normal_flow()]
        if not children:
            return None
        box = children[0]
        if isinstance(box, boxes.InlineBox):
            classes = (box.element.get("class") or "").split() if box.element is not None else []
            if AUTOSPACE in classes and box.margin_left:
                return path, box
            path.append(box)
    return None


def text_align(context: Any, line: Any, available_width: float, last: bool) -> float:
    """Drop the gap of a markup boundary that starts the line, then align as usual."""
    found = _leading_autospace(line)
    if found is not None:
        path, box = found
        gap = box.margin_left
        box.margin_left = 0
        for child in box.children:
            child.translate(-gap, 0)
        for ancestor, on_path in zip(path, [*path[1:], box], strict=True):
            ancestor.width -= gap
            siblings = ancestor.children
            for sibling in siblings[siblings.index(on_path) + 1:]:
                sibling.translate(-gap, 0)
    return float(_original_text_align(context, line, available_width, last))


def install() -> None:
    replace("cjk_autospace", line_break.Layout, "set_text", set_text)
    replace("cjk_autospace", inline, "text_align", text_align)
    glyph_widths.install()
