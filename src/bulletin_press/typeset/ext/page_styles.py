"""Page styles computed once per kind of page, and margin boxes measured once
per content: a contained WeasyPrint extension.

WeasyPrint 70 tells pages apart by a page type that includes the page's
index (for `@page :nth()` selectors), so it computes the page's style and
each of its 16 margin boxes' styles again for every page, and measures each
running head again (the widths of a margin box row come from the min- and
max-content widths of its boxes, each a Pango layout) although it is the same
text in the same style on every page. That was ~50 % of typesetting the
issue's page frame (running heads and folios, see runs.py) and a few % of
each run.

- When no `@page` rule of the document has an `:nth()` selector, a page's
  index matters only as first or not: each page gets the styles computed for
  its kind (side, blank, name, first or not), the same style objects.
- The min- and max-content widths of a margin box are kept for the rest of
  the layout, by its content (text and style of every box in it), when it
  holds only text: a folio differs on every page and is measured each time.

The pages come out the same (byte for byte, tested).
"""

from __future__ import annotations

from typing import Any

from weasyprint.formatting_structure import boxes
from weasyprint.layout import page as page_module

from bulletin_press.typeset.gate import replace

_original_styles = page_module.set_page_type_computed_styles
_original_min = page_module.min_content_width
_original_max = page_module.max_content_width
_TEXT_ONLY = (boxes.MarginBox, boxes.LineBox, boxes.InlineBox, boxes.TextBox, boxes.BlockBox)


def _has_nth(style_for: Any) -> bool:
    return any(selector[2].index is not None
               for sheet, _, _ in style_for._sheets
               for _, selectors, _ in sheet.page_rules for selector in selectors)


def set_page_type_computed_styles(page_type: Any, html: Any, style_for: Any) -> None:
    # Per document: whether it has :nth() page rules, and each kind's pseudo types.
    if "bp_page_kinds" not in style_for.__dict__:
        style_for.bp_page_kinds = None if _has_nth(style_for) else {}
    kinds = style_for.bp_page_kinds
    if kinds is None:
        _original_styles(page_type, html, style_for)
        return
    kind = page_type._replace(index=min(page_type.index, 1),
                              groups=tuple((name, min(i, 1)) for name, i in page_type.groups))
    computed = style_for.get_computed_styles()
    if kind not in kinds:
        _original_styles(kind, html, style_for)
        kinds[kind] = [pseudo for element, pseudo in computed if element == kind]
    if kind != page_type:
        for pseudo_type in kinds[kind]:
            computed[page_type, pseudo_type] = computed[kind, pseudo_type]


def _content(box: Any, styles: list[Any]) -> tuple[Any, ...] | None:
    """What a margin box's widths depend on, or None if it holds more than text;
    its boxes' styles are added to `styles`."""
    if not isinstance(box, _TEXT_ONLY):
        return None
    children = []
    for child in getattr(box, "children", ()):
        found = _content(child, styles)
        if found is None:
            return None
        children.append(found)
    styles.append(box.style)
    return type(box).__name__, id(box.style), getattr(box, "text", None), tuple(children)


def _measured(measure: Any, tag: str) -> Any:
    def width(context: Any, box: Any, outer: bool = True) -> Any:
        styles: list[Any] = []
        content = _content(box, styles) if isinstance(box, boxes.MarginBox) else None
        if content is None:
            return measure(context, box, outer)
        cache = context.__dict__.setdefault("bp_margin_widths", {})  # one per layout
        key = (tag, outer, content)
        if key not in cache:
            # The styles are kept with the width: while the layout lasts no other
            # style can take one's id.
            cache[key] = (measure(context, box, outer), styles)
        return cache[key][0]
    return width


min_content_width = _measured(_original_min, "min")
max_content_width = _measured(_original_max, "max")


def install() -> None:
    replace("page_styles", page_module, "set_page_type_computed_styles",
            set_page_type_computed_styles)
    replace("page_styles", page_module, "min_content_width", min_content_width)
    replace("page_styles", page_module, "max_content_width", max_content_width)
