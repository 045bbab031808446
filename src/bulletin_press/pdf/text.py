"""Read a built PDF the way a reader does: pages, lines, columns, reading order.

Used by the typography check and by the tests; everything is measured from
the PDF, never from the HTML: by the checks through PDFium's text API
(`read_pages`, C: ~10 ms a page), by the tests with pdfplumber (~150 ms a page),
the same characters either way (tests/test_pdf_text.py).
"""

from __future__ import annotations

import ctypes
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pdfplumber

from bulletin_press.layout.specs import Geometry
from bulletin_press.typeset.page_facts import Char, Mark, PageFacts, facts_of


@dataclass
class Line:
    top: float
    x0: float
    x1: float
    text: str
    size: float
    fontname: str
    chars: list[dict[str, Any]] = field(default_factory=list, repr=False)


@dataclass
class ReadPage:
    """A page's characters as pdfplumber gives them (text, x0, x1, top, bottom, size,
    fontname), measured from the trimmed page's top-left corner already."""

    chars: list[dict[str, Any]]
    trimbox: tuple[float, float, float, float]  # (0, 0, width, height)


def read_pages(pdf_bytes: bytes) -> list[ReadPage]:
    """Every page's characters through PDFium's text API: what pdfminer reads (a
    character from its origin to its advance, from the font's descent up by its
    size), whitespace and PDFium's generated characters left out."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    widths = _font_widths(pdf_bytes)
    document = pdfium.PdfDocument(pdf_bytes)
    pages = []
    try:
        for page in document:
            left, bottom, right, top = (ctypes.c_float() for _ in range(4))
            if not raw.FPDFPage_GetTrimBox(page, left, bottom, right, top):
                raw.FPDFPage_GetMediaBox(page, left, bottom, right, top)
            textpage = page.get_textpage()
            pages.append(ReadPage(_chars(raw, textpage, left.value, top.value, widths),
                                  (0.0, 0.0, right.value - left.value,
                                   top.value - bottom.value)))
            textpage.close()
            page.close()
    finally:
        document.close()
    return pages


def _font_widths(pdf_bytes: bytes) -> dict[str, dict[str, list[float]]]:
    """Per font name, the widths (in em) of the glyphs each text is drawn with, from
    the fonts' /W and ToUnicode: PDFium's character boxes end where the next
    character starts (justification's spacing included), pdfminer's at the glyph's
    own width."""
    import pikepdf

    from bulletin_press.pdf.walk import cid_widths, content_holders

    found: dict[str, dict[str, list[float]]] = {}
    seen: set[tuple[int, int]] = set()
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        for holder in content_holders(pdf):
            fonts = holder.get("/Resources", pikepdf.Dictionary()).get("/Font")
            for font in (fonts or pikepdf.Dictionary()).values():
                if font.objgen in seen or font.get("/Subtype") != pikepdf.Name.Type0 \
                        or "/ToUnicode" not in font:
                    continue
                seen.add(font.objgen)
                widths = cid_widths(font.DescendantFonts[0])
                default = float(font.DescendantFonts[0].get("/DW", 1000))
                table = found.setdefault(str(font.get("/BaseFont", ""))[1:], {})
                for cid, text in _to_unicode(font.ToUnicode.read_bytes()).items():
                    width = widths.get(cid, default) / 1000
                    if width not in table.setdefault(text, []):
                        table[text].append(width)
    return found


def _to_unicode(data: bytes) -> dict[int, str]:
    """CID → text of a ToUnicode CMap's bfchar entries (what WeasyPrint and
    runs/assemble.py write)."""
    import re

    found: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for code, text in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>", block):
            try:
                found.setdefault(int(code, 16), bytes.fromhex(text.decode()).decode("utf-16-be"))
            except (ValueError, UnicodeDecodeError):
                continue
    return found


def _chars(raw: Any, textpage: Any, left: float, top: float,
           widths: dict[str, dict[str, list[float]]]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    box = raw.FS_RECTF()
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    matrix = raw.FS_MATRIX()
    name = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    fonts: dict[int | None, tuple[float, str]] = {}  # text object → (size, font name)
    for index in range(raw.FPDFText_CountChars(textpage)):
        text = chr(raw.FPDFText_GetUnicode(textpage, index))
        if not text.strip() or raw.FPDFText_IsGenerated(textpage, index):
            continue
        obj = raw.FPDFText_GetTextObject(textpage, index)
        key = ctypes.cast(obj, ctypes.c_void_p).value
        if key not in fonts:
            raw.FPDFPageObj_GetMatrix(obj, matrix)
            raw.FPDFText_GetFontInfo(textpage, index, name, len(name), flags)
            size = raw.FPDFText_GetFontSize(textpage, index) * abs(matrix.d)
            fonts[key] = (size, name.value.decode("utf-8", "replace"))
        size, fontname = fonts[key]
        raw.FPDFText_GetCharOrigin(textpage, index, origin_x, origin_y)
        raw.FPDFText_GetLooseCharBox(textpage, index, box)
        foot = top - box.bottom
        x0 = origin_x.value - left
        # The glyph's own width: of the font's widths for this text, the one nearest
        # to where the next character starts (a text drawn with two glyphs: rare).
        advance = box.right - origin_x.value
        own = widths.get(fontname, {}).get(text)
        x1 = x0 + min(own, key=lambda w: abs(w * size - advance)) * size if own else \
            box.right - left
        found.append({"text": text, "x0": x0, "x1": x1,
                      "top": foot - size, "bottom": foot, "size": size,
                      "fontname": fontname})
    return found


@contextmanager
def plumbed(pdf_bytes: bytes) -> Iterator[Any]:
    """pdfplumber's document of `pdf_bytes` (the page facts' oracle, `pdf_page_facts`)."""
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        yield pdf


def trim_offset(page: Any) -> tuple[float, float]:
    """pdfplumber's position of the TrimBox's top-left corner (bleed shifts it)."""
    box = page.trimbox
    return float(box[0]), float(box[1])


def trim_width(page: Any) -> float:
    box = page.trimbox
    return float(box[2] - box[0])


def in_trim(page: Any, objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Copies of pdfplumber objects with coordinates from the trimmed page's top-left."""
    dx, dy = trim_offset(page)
    return [{**o, "x0": o["x0"] - dx, "x1": o["x1"] - dx, "top": o["top"] - dy,
             "bottom": o["bottom"] - dy} for o in objects]


def lines_of(page: Any) -> list[Line]:
    """Characters grouped into lines by baseline, in points from the trimmed page's
    top-left corner; rows of both columns stay separate."""
    chars = sorted(in_trim(page, page.chars), key=lambda c: (round(c["top"], 1), c["x0"]))
    mid = trim_width(page) / 2
    lines: list[Line] = []
    groups: dict[tuple[float, bool], list[dict[str, Any]]] = {}
    for char in chars:
        if not char["text"].strip():
            continue
        key = (round(char["top"], 0), char["x0"] >= mid)
        groups.setdefault(key, []).append(char)
    for (_top, _right), group in groups.items():
        group.sort(key=lambda c: c["x0"])
        lines.append(Line(min(c["top"] for c in group), group[0]["x0"],
                          group[-1]["x1"], "".join(c["text"] for c in group),
                          group[0]["size"], group[0]["fontname"], group))
    return _merge_spanning(lines, mid)


def _merge_spanning(lines: list[Line], mid: float) -> list[Line]:
    """A centred line crossing the middle was split in two halves above; join them."""
    by_top: dict[float, list[Line]] = {}
    for line in lines:
        by_top.setdefault(round(line.top), []).append(line)
    out: list[Line] = []
    for group in by_top.values():
        group.sort(key=lambda ln: ln.x0)
        if len(group) == 2 and group[1].x0 - group[0].x1 < 12 and group[0].x1 > mid - 20:
            a, b = group
            out.append(Line(a.top, a.x0, b.x1, a.text + b.text, a.size, a.fontname,
                            a.chars + b.chars))
        else:
            out.extend(group)
    return out


def is_spanning(line: Line, page_width: float) -> bool:
    mid = page_width / 2
    return line.x0 < mid - 20 and line.x1 > mid + 20


def reading_order(page: Any) -> list[Line]:
    """Spanning lines cut the page into bands; in each band column 1, then column 2."""
    lines = sorted(lines_of(page), key=lambda ln: (ln.top, ln.x0))
    mid = trim_width(page) / 2
    ordered: list[Line] = []
    band: list[Line] = []

    def flush() -> None:
        ordered.extend(sorted((ln for ln in band if ln.x0 < mid), key=lambda ln: ln.top))
        ordered.extend(sorted((ln for ln in band if ln.x0 >= mid), key=lambda ln: ln.top))
        band.clear()

    for line in lines:
        if is_spanning(line, trim_width(page)):
            flush()
            ordered.append(line)
        else:
            band.append(line)
    flush()
    return ordered


def body_text(path: Path, body_size: float = 10.5) -> str:
    """All body-size text of the document in reading order, without spaces."""
    with pdfplumber.open(path) as pdf:
        return "".join(ln.text for page in pdf.pages for ln in reading_order(page)
                       if abs(ln.size - body_size) < 0.1).replace(" ", "")


def page_texts(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return ["".join(ln.text for ln in reading_order(page)) for page in pdf.pages]



def pdf_page_facts(pdf_bytes: bytes, g: Geometry) -> list[PageFacts]:
    """The preflight's page facts read from a PDF (typeset/page_facts.py finds them
    from the typeset boxes, ~100 times faster; this is what they are held against)."""
    found = []
    with plumbed(pdf_bytes) as pdf:
        for page in pdf.pages:
            chars = in_trim(page, page.chars)
            marks = [Mark(c["x0"], c["top"], c["x1"], c["bottom"], c["size"]) for c in chars]
            marks += [Mark(o["x0"], o["top"], o["x1"], o["bottom"])
                      for o in in_trim(page, [*page.images, *page.rects])]
            found.append(facts_of(
                [Char(c["text"], c["x0"], c["top"], c["x1"], c["bottom"]) for c in chars],
                marks, "".join(c["text"] for c in chars), g))
    return found
