"""Font programs of a document, cheaper than WeasyPrint's own when the PDF is only
a part of the issue: a contained WeasyPrint extension.

WeasyPrint 70 copies each font's whole file (a 20 MB collection for Noto CJK)
into every document it writes and subsets it. Within `programs(mode)` the file
is read only to subset, and:

- "placeholder": a font with a CFF is not embedded at all; the place of its
  program holds the CFF's name, from which runs/assemble.py embeds the
  issue's one subset of the font;
- "shared": one subset per font serves every document written in this process
  while it holds the glyphs they use (the preview's runs); a document needing
  more glyphs makes a new subset of all glyphs seen.

Outside `programs()` (and in "own" mode) WeasyPrint's functions run as they
are. Switched off, every run embeds its own subsets and assemble.py merges
them by CFF name: the same bytes out, more work.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from weasyprint.pdf import fonts
from weasyprint.text.ffi import ffi, harfbuzz

from bulletin_press.fonts.cff import PLACEHOLDER, name_in_table
from bulletin_press.typeset.gate import replace

_mode: ContextVar[str] = ContextVar("bp_font_programs", default="own")
_reading: ContextVar[bool] = ContextVar("bp_font_file_reading", default=False)
_original_subset = fonts.Font.subset
_original_read = fonts.get_hb_object_data
_CFF_NAMES: dict[tuple[bytes, int, int], bytes | None] = {}
_SHARED: dict[tuple[bytes, str, int, int], tuple[frozenset[int], bytes]] = {}


@contextmanager
def programs(mode: str) -> Iterator[None]:
    """Within: fonts written in `mode` ("own", "placeholder" or "shared")."""
    token = _mode.set(mode)
    try:
        yield
    finally:
        _mode.reset(token)


def _cff_name(face: Any) -> bytes | None:
    """The name in a face's CFF table, or None for other fonts."""
    blob = harfbuzz.hb_face_reference_table(face, int.from_bytes(b"CFF ", "big"))
    try:
        length = ffi.new("unsigned int *")
        data = harfbuzz.hb_blob_get_data(blob, length)
        return name_in_table(lambda size: bytes(ffi.buffer(data, min(size, length[0]))))
    finally:
        harfbuzz.hb_blob_destroy(blob)


def _face_cff_name(font: Any) -> bytes | None:
    """`_cff_name` of a WeasyPrint font, once per face in a process (it is asked
    for every font of every document)."""
    key = (font.name, font.index, harfbuzz.hb_face_get_glyph_count(font.hb_face))
    if key not in _CFF_NAMES:
        _CFF_NAMES[key] = _cff_name(font.hb_face)
    return _CFF_NAMES[key]


def get_hb_object_data(hb_object: Any, ot_color: Any = None, glyph: Any = None) -> Any:
    """A whole font file is not copied into a `Font` (only read to subset)."""
    if ot_color is None and glyph is None and _mode.get() != "own" and not _reading.get():
        return b""
    return _original_read(hb_object, ot_color, glyph)


def _subset_from_file(font: Any, glyphs: Any, hinting: Any) -> None:
    token = _reading.set(True)
    try:
        font.file_content = _original_read(font.hb_face)
        _original_subset(font, glyphs, hinting)
    finally:
        _reading.reset(token)


def subset(self: Any, to_unicode: Any, hinting: Any) -> None:
    mode = _mode.get()
    if mode == "own":
        _original_subset(self, to_unicode, hinting)
        return
    name = _face_cff_name(self) if to_unicode else None
    if name is None:
        _subset_from_file(self, to_unicode, hinting)
    elif mode == "placeholder":
        self.file_content = PLACEHOLDER + name
    else:
        key = (name, self.family, self.weight, self.style)
        glyphs, content = _SHARED.get(key, (frozenset(), b""))
        if not set(to_unicode) <= glyphs:
            glyphs = glyphs | set(to_unicode)
            _subset_from_file(self, dict.fromkeys(glyphs, ""), hinting)
            content = self.file_content
            _SHARED[key] = (glyphs, content)
        self.file_content = content


def install() -> None:
    replace("font_programs", fonts.Font, "subset", subset)
    replace("font_programs", fonts, "get_hb_object_data", get_hb_object_data)
