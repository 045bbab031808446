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

import functools
import io
import re
import subprocess
from collections.abc import Iterator
from typing import Any

import pikepdf
from pikepdf import Name

from bulletin_press.fonts.cff import PLACEHOLDER, cid_charset, font_cff_name
from bulletin_press.pdf.walk import cid_widths, content_holders

_ISO_LOCALE = re.compile(r"CJK[a-z]{2}")


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
    return {0} | set(cid_widths(cid_font))


def bare_cff(program: bytes, cids: set[int]) -> bytes | None:
    """The CID-keyed CFF of an OpenType font with only `cids`; None if not CID-keyed."""
    from fontTools.ttLib import TTFont  # ~10 ms: HarfBuzz cuts the fonts of a build

    return _bare_cff(TTFont(io.BytesIO(program)), cids)


def bare_cff_from(path: str, index: int, cids: set[int], *, hinting: bool = True
                  ) -> bytes | None:
    """The same, cut from an installed font file (face `index` of a collection):
    by HarfBuzz when it can (~50x faster), checked, else by fontTools."""
    from bulletin_press.fonts.harfbuzz import cff_subset

    data = cff_subset(path, index, cids, hinting=hinting)
    if data is not None:
        try:
            kept = cid_charset(data)
            if kept is not None and cids <= kept:
                return data
        except ValueError:  # a CFF HarfBuzz made that we cannot read: use fontTools
            pass
    from fontTools.ttLib import TTFont

    return _bare_cff(TTFont(path, fontNumber=index, lazy=True), cids)


def _bare_cff(font: Any, cids: set[int]) -> bytes | None:
    if "CFF " not in font or not hasattr(font["CFF "].cff.topDictIndex[0], "ROS"):
        return None
    order = font.getGlyphOrder()
    by_cid = {int(name[3:]): name for name in order if name.startswith("cid")}
    names = [by_cid[c] for c in sorted(cids) if c in by_cid]
    from fontTools import subset  # 70 ms to import; HarfBuzz cuts the fonts of a build

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


@functools.lru_cache(maxsize=1)
def _installed_fonts() -> tuple[tuple[str, int, str], ...]:
    """(file, face index, PostScript name) of every CFF font fontconfig knows."""
    try:
        out = subprocess.run(["fc-list", "-f", "%{file}\t%{index}\t%{postscriptname}\n"],
                             capture_output=True, text=True, timeout=20, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    found = []
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) == 3 and parts[0].lower().endswith((".otf", ".ttc", ".otc")):
            found.append((parts[0], int(parts[1] or 0), parts[2]))
    return tuple(found)


@functools.lru_cache(maxsize=32)
def _cff_name(path: str, index: int) -> str | None:
    return font_cff_name(path, index)


@functools.lru_cache(maxsize=32)
def font_file(cff_name: str, extra: tuple[str, ...] = ()) -> tuple[str, int] | None:
    """The installed file (and face) whose CFF is `cff_name`, e.g. NotoSerifCJKjp-Regular
    (the faces of a CJK collection share one CFF, named for one of them)."""
    key = _ISO_LOCALE.sub("CJK", cff_name)
    candidates = [(p, 0) for p in extra] + [
        (path, index) for path, index, ps in _installed_fonts()
        if _ISO_LOCALE.sub("CJK", ps) == key]
    for path, index in candidates:
        if _cff_name(path, index) == cff_name:
            return path, index
    return None


def program_name(program: bytes) -> str | None:
    """The CFF name of an embedded font program (or of a placeholder for one)."""
    if program.startswith(PLACEHOLDER):
        return program[len(PLACEHOLDER):].decode("latin-1")
    return font_cff_name(program)


def set_cff(pdf: pikepdf.Pdf, cid_font: Any, descriptor: Any, cff: bytes) -> None:
    """Make a bare CID-keyed CFF the font program of `cid_font` (via its `descriptor`)."""
    stream = pikepdf.Stream(pdf, cff)
    stream.Subtype = Name.CIDFontType0C
    descriptor.FontFile3 = pdf.make_indirect(stream)
    if "/CIDToGIDMap" in cid_font:  # only meaningful for TrueType CIDFonts
        del cid_font["/CIDToGIDMap"]


def slim_pdf(pdf: pikepdf.Pdf) -> bool:
    """Cut every OpenType CID font program of `pdf` down; True if any changed."""
    changed = False
    for font in _type0_fonts(pdf):
        cid_font = font.DescendantFonts[0]
        descriptor = cid_font.get("/FontDescriptor")
        program = descriptor.get("/FontFile3") if descriptor is not None else None
        if program is None or program.get("/Subtype") != Name.OpenType \
                or cid_font.get("/Subtype") != Name.CIDFontType0:
            continue
        data = program.read_bytes()
        name = program_name(data)
        located = font_file(name) if name else None
        cids = used_cids(cid_font)
        cff = (bare_cff_from(*located, cids) if located else None) or bare_cff(data, cids)
        if cff is not None:
            set_cff(pdf, cid_font, descriptor, cff)
            changed = True
    return changed


def slim_fonts(pdf_bytes: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        if not slim_pdf(pdf):
            return pdf_bytes
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()
