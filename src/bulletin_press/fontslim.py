"""Smaller PDFs: embedded CJK fonts cut down to the glyphs actually used.

WeasyPrint (through HarfBuzz) subsets the Noto CJK fonts keeping every glyph
id up to the highest one used, wrapped as OpenType with horizontal and
vertical metrics for ~60,000 glyphs: ~400 KiB per font for a few hundred
characters. Here each such font program is replaced by a bare CID-keyed CFF
(FontFile3 /CIDFontType0C) holding only the glyphs the page text uses (those
with a width in the PDF's /W array) and .notdef. The charset keeps each
glyph's CID, so the character codes in the content streams, the /W widths
and the ToUnicode maps stay exactly as they were: the pages look the same
and copy the same text.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pikepdf
from fontTools import subset
from fontTools.ttLib import TTFont
from pikepdf import Name

from .pdfwalk import content_holders


def _type0_fonts(pdf: pikepdf.Pdf) -> Iterator[Any]:
    seen: set[tuple[int, int]] = set()
    for holder in content_holders(pdf):
        resources = holder.get("/Resources", pikepdf.Dictionary())
        for font in resources.get("/Font", pikepdf.Dictionary()).values():
            if font.objgen not in seen and font.get("/Subtype") == Name.Type0:
                seen.add(font.objgen)
                yield font


def used_cids(cid_font: Any) -> set[int]:
    """CIDs with a width in /W: the glyphs the text uses."""
    cids = {0}
    w = list(cid_font.get("/W", pikepdf.Array()))
    i = 0
    while i < len(w):
        first = int(w[i])
        if isinstance(w[i + 1], pikepdf.Array):
            cids.update(range(first, first + len(w[i + 1])))
            i += 2
        else:
            cids.update(range(first, int(w[i + 1]) + 1))
            i += 3
    return cids


def bare_cff(program: bytes, cids: set[int]) -> bytes | None:
    """The CID-keyed CFF of an OpenType font with only `cids`; None if not CID-keyed."""
    font = TTFont(io.BytesIO(program))
    if "CFF " not in font or not hasattr(font["CFF "].cff.topDictIndex[0], "ROS"):
        return None
    order = font.getGlyphOrder()
    by_cid = {int(name[3:]): name for name in order if name.startswith("cid")}
    names = [by_cid[c] for c in sorted(cids) if c in by_cid]
    options = subset.Options()
    options.retain_gids = False
    options.notdef_outline = True
    options.layout_features = []
    options.name_IDs = []
    options.hinting = True
    options.drop_tables += ["vmtx", "vhea", "VORG", "GSUB", "GPOS", "GDEF"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(glyphs=names)
    subsetter.subset(font)
    kept = {int(n[3:]) for n in font.getGlyphOrder() if n.startswith("cid")}
    if kept != {c for c in cids if c in by_cid}:
        return None  # never risk a glyph going missing
    data: bytes = font.getTableData("CFF ")
    return data


def slim_fonts(pdf_bytes: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        changed = False
        for font in _type0_fonts(pdf):
            cid_font = font.DescendantFonts[0]
            descriptor = cid_font.get("/FontDescriptor")
            program = descriptor.get("/FontFile3") if descriptor is not None else None
            if program is None or program.get("/Subtype") != Name.OpenType \
                    or cid_font.get("/Subtype") != Name.CIDFontType0:
                continue
            cff = bare_cff(program.read_bytes(), used_cids(cid_font))
            if cff is None:
                continue
            stream = pikepdf.Stream(pdf, cff)
            stream.Subtype = Name.CIDFontType0C
            descriptor.FontFile3 = pdf.make_indirect(stream)
            if "/CIDToGIDMap" in cid_font:  # only meaningful for TrueType CIDFonts
                del cid_font["/CIDToGIDMap"]
            changed = True
        if not changed:
            return pdf_bytes
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()
