"""What the preflight needs to know of a typeset page, from its boxes.

The preflight's page checks (safe area, copyfit's empty lines per column, the
printed text of an internal publication) used to read every page of the built
PDF back with pdfplumber (~150 ms a page). The same facts come from the boxes
WeasyPrint drew the page from, at ~1-3 ms a page; the run workers compute them
with each run and the run store keeps them, so a run from the store costs
nothing. They are the objects pdfplumber finds, measured the way it measures
them (tests/test_page_facts.py holds the two against each other):

- a character: from its glyph's origin to its font advance, and from the
  baseline the font's descent down, its font size up (pdfminer's box);
- an image: where it is drawn, uncut (object-fit: cover draws it larger than
  its box and clips it);
- a rectangle: a background's painting area; a border's padding and border box.

Lengths are in pt from the trimmed page's top-left corner (WeasyPrint's boxes
are in CSS pixels from there).
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from bulletin_press.layout.geometry import PT_PER_MM, Geometry
from bulletin_press.typeset.column_fill import page_give

PX_TO_PT = 0.75
SAFE_MM = 5.0  # text nearer the trimmed edge than this may be cut off


@dataclass(frozen=True)
class Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass(frozen=True)
class Mark:
    """Something drawn: a run of characters of one size and font (`size` > 0), an
    image or a rectangle (`size` 0)."""

    x0: float
    top: float
    x1: float
    bottom: float
    size: float = 0.0


@dataclass(frozen=True)
class PageFacts:
    text: str  # what the page prints, in the order it is drawn (whitespace kept)
    outside: Char | None  # the first character outside the safe area (top, then left)
    # Per column: the bottoms of the marks reaching into it from the top of the text
    # area down (within a point), lowest first; copyfit's empty lines at its foot.
    bottoms: tuple[tuple[float, ...], ...]
    body_text: bool  # a body-size character in the text area
    # Per column: lines the vertical justification added (typeset/ext/vertical_justify.py):
    # drawn, and in `bottoms`, but room the text leaves (the page plan's slack).
    give: tuple[int, ...] = ()

    def to_json(self) -> dict[str, Any]:
        outside = self.outside
        return {"text": self.text, "bottoms": [list(b) for b in self.bottoms],
                "body_text": self.body_text, "give": list(self.give),
                "outside": None if outside is None else [
                    outside.text, outside.x0, outside.top, outside.x1, outside.bottom]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PageFacts:
        outside = data["outside"]
        return cls(data["text"], None if outside is None else Char(*outside),
                   tuple(tuple(b) for b in data["bottoms"]), data["body_text"],
                   tuple(data.get("give", ())))

    def laid_over(self, frame: PageFacts) -> PageFacts:
        """This page with a frame page (running heads, page numbers: runs/assemble.py)
        drawn over it."""
        outside = min((c for c in (self.outside, frame.outside) if c is not None),
                      key=_char_order, default=None)
        bottoms = tuple(tuple(sorted({*a, *b}, reverse=True))
                        for a, b in zip(self.bottoms, frame.bottoms, strict=True))
        give = tuple(max(a, b) for a, b in itertools.zip_longest(self.give, frame.give,
                                                                 fillvalue=0))
        return PageFacts(self.text + frame.text, outside, bottoms,
                         self.body_text or frame.body_text, give)


def _r(length: float) -> float:
    return round(length, 2)


def _char_order(char: Char) -> tuple[float, float]:
    return round(char.top, 1), char.x0


def facts_of(chars: list[Char], marks: list[Mark], text: str, g: Geometry) -> PageFacts:
    """A page's facts from what is drawn on it (also what tests read from a PDF)."""
    # Compared in hundredths of a point: what is measured from boxes and what is read
    # from the PDF differ in the last digits, and marks lie on the text area's edges.
    safe = _r(SAFE_MM * PT_PER_MM)
    outside = min((c for c in chars if _r(c.x0) < safe or _r(c.x1) > _r(g.page_width) - safe
                   or _r(c.top) < safe or _r(c.bottom) > _r(g.page_height) - safe),
                  key=_char_order, default=None)
    top, foot = _r(g.margin_top - 1), _r(g.margin_top + g.lines * g.line + 1)
    bottoms = []
    for column in range(g.columns):
        left = _r(g.margin_side + column * (g.column_width + g.gap))
        right = _r(left + g.column_width)
        found = {_r(m.bottom) for m in marks if _r(m.x0) < right and _r(m.x1) > left
                 and _r(m.bottom) <= foot and _r(m.top) >= top}
        bottoms.append(tuple(sorted(found, reverse=True)))
    body = any(m.size and abs(m.size - g.body_size) < 0.1 and top <= _r(m.top)
               and _r(m.bottom) <= foot for m in marks)
    return PageFacts(text, outside, tuple(bottoms), body)


def page_facts(page: Any, g: Geometry) -> PageFacts:
    """The facts of a WeasyPrint page (weasyprint.document.Page)."""
    drawn = _Drawn(g)
    drawn.walk(page._page_box)
    facts = facts_of(drawn.chars, drawn.marks, "".join(drawn.texts), g)
    give = page_give(page, g.columns, g.column_width, g.gap)
    return dataclasses.replace(facts, give=tuple(give)) if any(give) else facts


def document_facts(pages: list[Any], g: Geometry) -> list[PageFacts]:
    return [page_facts(page, g) for page in pages]


class _Drawn:
    """The characters, marks and text of a page's boxes; characters are measured
    one by one only for text near the page's edge (the safe-area check)."""

    def __init__(self, g: Geometry) -> None:
        from weasyprint.formatting_structure import boxes

        self.text_box, self.replaced_box = boxes.TextBox, boxes.ReplacedBox
        safe = SAFE_MM * PT_PER_MM
        self.inner = (safe, safe, g.page_width - safe, g.page_height - safe)
        self.lefts = [g.margin_side + i * (g.column_width + g.gap) for i in range(g.columns)]
        self.chars: list[Char] = []
        self.marks: list[Mark] = []
        self.texts: list[str] = []

    def walk(self, box: Any) -> None:
        style = box.style
        visible = style["visibility"] == "visible"
        if isinstance(box, self.text_box):
            if visible and box.text.strip() and style["font_size"] >= 1e-6:
                self._text(box)
            return
        self._background(box)
        if visible:
            self._borders(box)
        if isinstance(box, self.replaced_box) and visible and box.width and box.height:
            self._image(box)
        for child in getattr(box, "children", ()):
            self.walk(child)

    def _rect(self, x: float, y: float, width: float, height: float) -> None:
        self.marks.append(Mark(x * PX_TO_PT, y * PX_TO_PT, (x + width) * PX_TO_PT,
                               (y + height) * PX_TO_PT))

    def _background(self, box: Any) -> None:
        background = getattr(box, "background", None)
        if background is None or not background.layers or background.color.alpha <= 0:
            return
        if type(box).__name__ == "PageBox":
            return  # the page's own background: the whole page, outside the text area
        self._rect(*background.layers[-1].painting_area)

    def _borders(self, box: Any) -> None:
        top = getattr(box, "border_top_width", 0)
        right = getattr(box, "border_right_width", 0)
        bottom = getattr(box, "border_bottom_width", 0)
        left = getattr(box, "border_left_width", 0)
        if not (top or right or bottom or left) or type(box).__name__ == "PageBox":
            return
        style = box.style
        styles = {style[name] for name, width in (
            ("border_top_style", top), ("border_right_style", right),
            ("border_bottom_style", bottom), ("border_left_style", left)) if width}
        if styles & {"dotted", "dashed"} or styles <= {"none", "hidden"}:
            return  # stroked lines, not rectangles
        x, y, width, height = box.rounded_padding_box()[:4]
        self._rect(x, y, width, height)
        x, y, width, height = box.rounded_border_box()[:4]
        self._rect(x, y, width, height)

    def _image(self, box: Any) -> None:
        from weasyprint.layout.replaced import replacedbox_layout

        width, height, x, y = replacedbox_layout(box)
        if width <= 0 or height <= 0:
            return
        kind = type(box.replacement).__name__
        if kind == "RasterImage":
            self._rect(x, y, width, height)
        elif kind == "SVGImage":  # a QR code: its rectangles, not an image
            svg = box.replacement._svg
            view = svg.tree.get_viewbox() or (0.0, 0.0, width, height)
            scale = min(width / view[2], height / view[3])  # preserveAspectRatio: meet
            left = x + (width - view[2] * scale) / 2 - view[0] * scale
            top = y + (height - view[3] * scale) / 2 - view[1] * scale
            for rx, ry, rw, rh in _svg_rectangles(svg.tree):
                self._rect(left + rx * scale, top + ry * scale, rw * scale, rh * scale)

    def _text(self, box: Any) -> None:
        # Zero-width characters (word joiners, the break hints of text/breaks.py) draw
        # no glyph: they are not in the PDF's text either.
        self.texts.append(box.text.translate(_INVISIBLE))
        x0 = box.position_x * PX_TO_PT
        x1 = (box.position_x + box.width) * PX_TO_PT
        baseline = (box.position_y + box.baseline) * PX_TO_PT
        fonts = _fonts(box)
        left, top, right, foot = self.inner
        inside = x0 >= left and x1 <= right and all(
            baseline + descent * size - size >= top and baseline + descent * size <= foot
            for size, descent in fonts)
        # The box is wider than its characters by a letter-spacing or gap after the
        # last one: where it reaches into the next column, they are measured.
        if inside and not any(x0 < edge < x1 for edge in self.lefts):
            for size, descent in fonts:
                bottom = baseline + descent * size
                self.marks.append(Mark(x0, bottom - size, x1, bottom, size))
            return
        x = box.position_x
        for size, descent, glyphs in _runs(box):
            bottom = baseline + descent * size
            start, end = x, None
            for text, advance, width in glyphs:
                if text is not None:
                    end = max(end or x, x + width)
                    if not inside:
                        self.chars.append(Char(text, x * PX_TO_PT, bottom - size,
                                               (x + width) * PX_TO_PT, bottom))
                x += advance
            if end is not None:
                self.marks.append(Mark(start * PX_TO_PT, bottom - size, end * PX_TO_PT,
                                       bottom, size))


def _svg_rectangles(node: Any) -> Iterator[tuple[float, float, float, float]]:
    """(x, y, width, height) of each rectangle an SVG draws, in its own units: `rect`
    elements and the rectangles of straight-line `path`s (qr.py's modules)."""
    import re

    for child in node:
        if child.tag == "rect":
            values = [float(child.get(k, "0") or 0) for k in ("x", "y", "width", "height")]
            yield values[0], values[1], values[2], values[3]
        elif child.tag == "path":
            tokens = re.findall(r"[A-Za-z]|-?[0-9.]+(?:e-?[0-9]+)?", child.get("d") or "")
            yield from _path_rectangles(tokens)
        else:
            yield from _svg_rectangles(child)


def _path_rectangles(tokens: list[str]) -> Iterator[tuple[float, float, float, float]]:
    """The closed subpaths of four corners, axis-aligned, of a path of straight lines."""
    points: list[tuple[float, float]] = []
    x = y = 0.0
    command = ""
    i = 0
    while i < len(tokens):
        if tokens[i].isalpha():
            command = tokens[i]
            i += 1
        if command in "Zz":
            xs, ys = {p[0] for p in points}, {p[1] for p in points}
            if len(points) == 4 and len(xs) == 2 and len(ys) == 2:
                yield min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)
            x, y = points[0] if points else (x, y)
            points = []
        elif command in "MmLl":
            dx, dy = float(tokens[i]), float(tokens[i + 1])
            x, y = (x + dx, y + dy) if command.islower() else (dx, dy)
            points = [(x, y)] if command in "Mm" else [*points, (x, y)]
            command = {"M": "L", "m": "l"}.get(command, command)  # pairs after it: lines
            i += 2
        elif command in "HhVv":
            value = float(tokens[i])
            if command in "Hh":
                x = x + value if command == "h" else value
            else:
                y = y + value if command == "v" else value
            points.append((x, y))
            i += 1
        else:
            return  # curves and arcs: no rectangles (pdfplumber finds curves)


# An ASCII character that is not whitespace (str.isspace: \t-\r, \x1c-\x1f, space).
_ASCII_INK = re.compile("[\x00-\x08\x0e-\x1b\x21-\x7f]")
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
_DESCENTS: dict[Any, float] = {}  # Pango font key → its descent, a ratio of the size
_STYLES: dict[tuple[Any, ...], list[tuple[float, float]]] = {}  # see _fonts


def _fonts(box: Any) -> list[tuple[float, float]]:
    """(size in pt, descent) of each font a text box's characters are set in: shaped
    once for each style and kind of text (Latin, other, both), as Pango chooses the
    font by both; a box's own shaping is what drawing it costs."""
    style = box.style
    text = box.text
    ascii_text = _ASCII_INK.search(text) is not None
    other = not text.isascii()
    key = (style["font_family"], style["font_weight"], style["font_style"],
           style["font_stretch"], style["font_size"], style["lang"],
           style["font_variant_east_asian"], ascii_text, other)
    if key not in _STYLES:
        _STYLES[key] = sorted({(size, descent) for size, descent, _ in _runs(box)})
    return _STYLES[key]


def _runs(box: Any) -> Iterator[tuple[float, float, list[tuple[str | None, float, float]]]]:
    """Per run of one font in the text box's line: its size in pt, its descent (a
    fraction of the size, as the PDF's font descriptor gives it) and its glyphs:
    (the text it shows or None, its advance in px, its font width in px)."""
    from weasyprint.pdf.stream import get_pango_font_key
    from weasyprint.text.ffi import FROM_UNITS, ffi, pango

    from bulletin_press.typeset.ext.glyph_widths import widen

    layout = box.pango_layout
    layout.reactivate(box.style)  # as WeasyPrint draws it (draw/text.py)
    try:
        yield from _shaped(box, layout, get_pango_font_key, FROM_UNITS, ffi, pango, widen)
    finally:
        layout.deactivate()


def _shaped(box: Any, layout: Any, get_pango_font_key: Any, FROM_UNITS: float, ffi: Any,
            pango: Any, widen: Any
            ) -> Iterator[tuple[float, float, list[tuple[str | None, float, float]]]]:
    autospace = getattr(layout, "bp_autospace", None)  # the glyphs drawn wider
    if autospace is not None:
        widen(layout, *autospace)
    justify = getattr(box, "bp_justify", None)
    if justify is not None:
        widen(layout, *justify)
    pango.pango_layout_set_single_paragraph_mode(layout.layout, True)
    line, _ = layout.get_first_line()
    encoded = layout.text.encode()
    run = line.runs[0] if line.runs != ffi.NULL else ffi.NULL
    while run != ffi.NULL:
        item = run.data
        run = run.next
        font = item.item.analysis.font
        key, _description, font_size = get_pango_font_key(font)
        if key not in _DESCENTS:  # a ratio of the size, rounded as the PDF's font descriptor
            metrics = pango.pango_font_get_metrics(font, ffi.NULL)
            _DESCENTS[key] = round(pango.pango_font_metrics_get_descent(metrics) * FROM_UNITS
                                   / font_size * 1000) / 1000
            pango.pango_font_metrics_unref(metrics)
        size, descent = font_size * PX_TO_PT, _DESCENTS[key]
        glyphs = item.glyphs
        count = glyphs.num_glyphs
        clusters = glyphs.log_clusters
        offset, length = item.item.offset, item.item.length
        found: list[tuple[str | None, float, float]] = []
        logical = ffi.new("PangoRectangle *")
        for i in range(count):
            info = glyphs.glyphs[i]
            width = info.geometry.width
            if info.glyph == pango.PANGO_GLYPH_EMPTY:
                found.append((None, width / 1000, 0.0))  # as draw/text.py moves over it
                continue
            start = clusters[i]
            end = next((clusters[j] for j in range(i + 1, count) if clusters[j] != start),
                       length)
            text = encoded[offset + start:offset + end].decode(errors="replace") \
                if i == 0 or clusters[i - 1] != start else ""
            # The PDF's advance: the font's width in thousandths, less the kerning that
            # draw/text.py writes (truncated) to reach Pango's position.
            pango.pango_font_get_glyph_extents(font, info.glyph, ffi.NULL, logical)
            own = round(logical.width * 1000 * FROM_UNITS / font_size)
            shift = info.geometry.x_offset / font_size
            kerning = own + shift - width * 1000 * FROM_UNITS / font_size
            found.append((text or None, (own - int(kerning)) * font_size / 1000,
                          own * font_size / 1000))
        yield size, descent, found
