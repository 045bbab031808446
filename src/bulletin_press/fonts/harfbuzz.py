"""HarfBuzz, called directly: font subsets for the PDF, cmaps and advances.

Bare CID-keyed CFF subsets of installed fonts: HarfBuzz's subsetter
(libharfbuzz-subset0, which WeasyPrint uses too) cuts a Noto CJK face down to
a few hundred glyphs in ~10 ms; fontTools needs ~0.5 s for the same because it
interprets every charstring. For a CID-keyed CFF it keeps each glyph's CID in
the charset, so the PDF's character codes (the original glyph ids, which are
the CIDs of these Adobe-Identity fonts) and the /W widths stay valid. Layout
tables are dropped first, or their closure would pull in vertical and locale
variants nobody uses.

Called through ctypes: cffi would first parse these declarations with
pycparser, ~30 ms of every build's start.
"""

from __future__ import annotations

import ctypes
import functools
from typing import Any, NamedTuple

_NO_HINTING = 0x01  # hb_subset_flags_t
_DESUBROUTINIZE = 0x04
_NOTDEF_OUTLINE = 0x40
_SETS_DROP_TABLE_TAG = 3  # hb_subset_sets_t
_SETS_LAYOUT_FEATURE_TAG = 6
_DROP = (b"GSUB", b"GPOS", b"GDEF", b"BASE", b"JSTF", b"vmtx", b"vhea", b"VORG", b"DSIG")

_P = ctypes.c_void_p
_UINT = ctypes.c_uint
_CODEPOINT = ctypes.c_uint32
# name: (library, result, arguments); library 0 = harfbuzz, 1 = harfbuzz-subset
_SIGNATURES: dict[str, tuple[int, Any, list[Any]]] = {
    "hb_blob_create_from_file": (0, _P, [ctypes.c_char_p]),
    "hb_blob_destroy": (0, None, [_P]),
    "hb_blob_get_data": (0, _P, [_P, ctypes.POINTER(_UINT)]),
    "hb_face_create": (0, _P, [_P, _UINT]),
    "hb_face_destroy": (0, None, [_P]),
    "hb_face_get_glyph_count": (0, _UINT, [_P]),
    "hb_face_get_upem": (0, _UINT, [_P]),
    "hb_face_reference_table": (0, _P, [_P, ctypes.c_uint32]),
    "hb_set_add": (0, None, [_P, _CODEPOINT]),
    "hb_set_clear": (0, None, [_P]),
    "hb_font_create": (0, _P, [_P]),
    "hb_font_destroy": (0, None, [_P]),
    "hb_font_get_nominal_glyph": (0, ctypes.c_int, [_P, _CODEPOINT, ctypes.POINTER(_CODEPOINT)]),
    "hb_font_get_glyph_h_advance": (0, ctypes.c_int32, [_P, _CODEPOINT]),
    "hb_subset_input_create_or_fail": (1, _P, []),
    "hb_subset_input_destroy": (1, None, [_P]),
    "hb_subset_input_glyph_set": (1, _P, [_P]),
    "hb_subset_input_set": (1, _P, [_P, ctypes.c_int]),
    "hb_subset_input_set_flags": (1, None, [_P, _UINT]),
    "hb_subset_or_fail": (1, _P, [_P, _P]),
}


class _HarfBuzz(NamedTuple):
    hb: Any
    subset: Any


def _tag(name: bytes) -> int:
    return int.from_bytes(name, "big")


@functools.lru_cache(maxsize=1)
def _libraries() -> _HarfBuzz | None:
    try:
        libraries = (ctypes.CDLL("libharfbuzz.so.0"), ctypes.CDLL("libharfbuzz-subset.so.0"))
        for name, (which, result, arguments) in _SIGNATURES.items():
            function = getattr(libraries[which], name)
            function.restype, function.argtypes = result, arguments
    except (OSError, AttributeError):
        return None
    return _HarfBuzz(*libraries)


class _Face:
    """A HarfBuzz face of a font file (mapped, not read), destroyed with this object."""

    def __init__(self, hb: Any, path: str, index: int) -> None:
        self._destroy = hb.hb_face_destroy
        blob = hb.hb_blob_create_from_file(path.encode())
        self.pointer = hb.hb_face_create(blob, index)
        hb.hb_blob_destroy(blob)  # the face holds its own reference

    def __del__(self) -> None:
        if self.pointer:
            self._destroy(self.pointer)
            self.pointer = None


@functools.lru_cache(maxsize=16)
def _face(path: str, index: int) -> _Face | None:
    return _open_face(path, index)


def _open_face(path: str, index: int) -> _Face | None:
    libraries = _libraries()
    if libraries is None:
        return None
    face = _Face(libraries.hb, path, index)
    return face if libraries.hb.hb_face_get_glyph_count(face.pointer) > 0 else None


def cff_subset(path: str, index: int, cids: set[int], *, hinting: bool = True) -> bytes | None:
    """The CFF table of face `index` of `path` with only `cids` (and .notdef);
    None when HarfBuzz is missing or fails (the caller falls back to fontTools)."""
    libraries = _libraries()
    # A face of its own, unmapped when done: the pages of a 20 MB font file that
    # subsetting touched would otherwise stay in the process's memory.
    face = _open_face(path, index)
    if libraries is None or face is None:
        return None
    hb, hbs = libraries
    subset_input = hbs.hb_subset_input_create_or_fail()
    if not subset_input:
        return None
    try:
        glyphs = hbs.hb_subset_input_glyph_set(subset_input)
        for cid in sorted(cids | {0}):
            hb.hb_set_add(glyphs, cid)
        flags = _DESUBROUTINIZE | _NOTDEF_OUTLINE | (0 if hinting else _NO_HINTING)
        hbs.hb_subset_input_set_flags(subset_input, flags)
        drop = hbs.hb_subset_input_set(subset_input, _SETS_DROP_TABLE_TAG)
        for name in _DROP:
            hb.hb_set_add(drop, _tag(name))
        hb.hb_set_clear(hbs.hb_subset_input_set(subset_input, _SETS_LAYOUT_FEATURE_TAG))
        result = hbs.hb_subset_or_fail(face.pointer, subset_input)
    finally:
        hbs.hb_subset_input_destroy(subset_input)
    if not result:
        return None
    try:
        table = hb.hb_face_reference_table(result, _tag(b"CFF "))
        try:
            length = _UINT()
            data = hb.hb_blob_get_data(table, ctypes.byref(length))
            return ctypes.string_at(data, length.value) if data and length.value else None
        finally:
            hb.hb_blob_destroy(table)
    finally:
        hb.hb_face_destroy(result)


class FaceMetrics:
    """A face's cmap and horizontal advances, asked per character (a Noto CJK cmap
    read whole by fontTools costs ~0.15 s; these lookups cost microseconds)."""

    def __init__(self, path: str, index: int) -> None:
        libraries = _libraries()
        face = _face(path, index)
        if libraries is None or face is None:
            raise OSError(f"HarfBuzz cannot open {path}")
        self._hb = libraries.hb
        self.face = face  # keeps the face alive as long as the font
        self.font = self._hb.hb_font_create(face.pointer)
        self.units_per_em = int(self._hb.hb_face_get_upem(face.pointer))
        self._glyph = _CODEPOINT()

    def __del__(self) -> None:
        if getattr(self, "font", None):
            self._hb.hb_font_destroy(self.font)
            self.font = None

    def glyph(self, codepoint: int) -> int | None:
        found = self._hb.hb_font_get_nominal_glyph(self.font, codepoint,
                                                   ctypes.byref(self._glyph))
        return int(self._glyph.value) if found else None

    def advance(self, glyph: int) -> int:
        """In font units (a new font's scale is its units per em)."""
        return int(self._hb.hb_font_get_glyph_h_advance(self.font, glyph))
