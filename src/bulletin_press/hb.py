"""HarfBuzz, called directly: font subsets for the PDF, cmaps and advances.

Bare CID-keyed CFF subsets of installed fonts: HarfBuzz's subsetter
(libharfbuzz-subset0, which WeasyPrint uses too) cuts a Noto CJK face down to
a few hundred glyphs in ~10 ms; fontTools needs ~0.5 s for the same because it
interprets every charstring. For a CID-keyed CFF it keeps each glyph's CID in
the charset, so the PDF's character codes (the original glyph ids, which are
the CIDs of these Adobe-Identity fonts) and the /W widths stay valid. Layout
tables are dropped first, or their closure would pull in vertical and locale
variants nobody uses.
"""

from __future__ import annotations

import functools
from typing import Any

_CDEF = """
typedef struct hb_blob_t hb_blob_t; typedef struct hb_face_t hb_face_t;
typedef struct hb_set_t hb_set_t; typedef struct hb_subset_input_t hb_subset_input_t;
typedef uint32_t hb_codepoint_t;
hb_blob_t *hb_blob_create_from_file(const char *file_name);
void hb_blob_destroy(hb_blob_t *blob);
const char *hb_blob_get_data(hb_blob_t *blob, unsigned int *length);
hb_face_t *hb_face_create(hb_blob_t *blob, unsigned int index);
void hb_face_destroy(hb_face_t *face);
unsigned int hb_face_get_glyph_count(const hb_face_t *face);
hb_blob_t *hb_face_reference_table(const hb_face_t *face, uint32_t tag);
void hb_set_add(hb_set_t *set, hb_codepoint_t codepoint);
void hb_set_clear(hb_set_t *set);
hb_subset_input_t *hb_subset_input_create_or_fail(void);
void hb_subset_input_destroy(hb_subset_input_t *input);
hb_set_t *hb_subset_input_glyph_set(hb_subset_input_t *input);
hb_set_t *hb_subset_input_set(hb_subset_input_t *input, int set_type);
void hb_subset_input_set_flags(hb_subset_input_t *input, unsigned int value);
hb_face_t *hb_subset_or_fail(hb_face_t *source, const hb_subset_input_t *input);
typedef struct hb_font_t hb_font_t;
typedef int hb_bool_t; typedef int32_t hb_position_t;
hb_font_t *hb_font_create(hb_face_t *face);
void hb_font_destroy(hb_font_t *font);
unsigned int hb_face_get_upem(const hb_face_t *face);
hb_bool_t hb_font_get_nominal_glyph(hb_font_t *font, hb_codepoint_t unicode,
                                    hb_codepoint_t *glyph);
hb_position_t hb_font_get_glyph_h_advance(hb_font_t *font, hb_codepoint_t glyph);
"""
_NO_HINTING = 0x01  # hb_subset_flags_t
_DESUBROUTINIZE = 0x04
_NOTDEF_OUTLINE = 0x40
_SETS_DROP_TABLE_TAG = 3  # hb_subset_sets_t
_SETS_LAYOUT_FEATURE_TAG = 6
_DROP = (b"GSUB", b"GPOS", b"GDEF", b"BASE", b"JSTF", b"vmtx", b"vhea", b"VORG", b"DSIG")


def _tag(name: bytes) -> int:
    return int.from_bytes(name, "big")


@functools.lru_cache(maxsize=1)
def _libraries() -> tuple[Any, Any, Any] | None:
    try:
        from cffi import FFI  # type: ignore[import-untyped]

        ffi = FFI()
        ffi.cdef(_CDEF)
        return ffi, ffi.dlopen("libharfbuzz.so.0"), ffi.dlopen("libharfbuzz-subset.so.0")
    except (ImportError, OSError, AttributeError):
        return None


@functools.lru_cache(maxsize=16)
def _face(path: str, index: int) -> Any:
    return _open_face(path, index)


def _open_face(path: str, index: int) -> Any:
    libraries = _libraries()
    if libraries is None:
        return None
    ffi, hb, _ = libraries
    blob = hb.hb_blob_create_from_file(path.encode())  # mapped, not read
    face = ffi.gc(hb.hb_face_create(blob, index), hb.hb_face_destroy)
    hb.hb_blob_destroy(blob)  # the face holds its own reference
    return face if hb.hb_face_get_glyph_count(face) > 0 else None


def cff_subset(path: str, index: int, cids: set[int], *, hinting: bool = True) -> bytes | None:
    """The CFF table of face `index` of `path` with only `cids` (and .notdef);
    None when HarfBuzz is missing or fails (the caller falls back to fontTools)."""
    libraries = _libraries()
    # A face of its own, unmapped when done: the pages of a 20 MB font file that
    # subsetting touched would otherwise stay in the process's memory.
    face = _open_face(path, index)
    if libraries is None or face is None:
        return None
    ffi, hb, hbs = libraries
    subset_input = ffi.gc(hbs.hb_subset_input_create_or_fail(), hbs.hb_subset_input_destroy)
    if subset_input == ffi.NULL:
        return None
    glyphs = hbs.hb_subset_input_glyph_set(subset_input)
    for cid in sorted(cids | {0}):
        hb.hb_set_add(glyphs, cid)
    flags = _DESUBROUTINIZE | _NOTDEF_OUTLINE | (0 if hinting else _NO_HINTING)
    hbs.hb_subset_input_set_flags(subset_input, flags)
    drop = hbs.hb_subset_input_set(subset_input, _SETS_DROP_TABLE_TAG)
    for name in _DROP:
        hb.hb_set_add(drop, _tag(name))
    hb.hb_set_clear(hbs.hb_subset_input_set(subset_input, _SETS_LAYOUT_FEATURE_TAG))
    result = hbs.hb_subset_or_fail(face, subset_input)
    if result == ffi.NULL:
        return None
    result = ffi.gc(result, hb.hb_face_destroy)
    table = hb.hb_face_reference_table(result, _tag(b"CFF "))
    try:
        length = ffi.new("unsigned int *")
        data = hb.hb_blob_get_data(table, length)
        return bytes(ffi.buffer(data, length[0])) if length[0] else None
    finally:
        hb.hb_blob_destroy(table)


class FaceMetrics:
    """A face's cmap and horizontal advances, asked per character (a Noto CJK cmap
    read whole by fontTools costs ~0.15 s; these lookups cost microseconds)."""

    def __init__(self, path: str, index: int) -> None:
        libraries = _libraries()
        face = _face(path, index)
        if libraries is None or face is None:
            raise OSError(f"HarfBuzz cannot open {path}")
        self._ffi, self._hb, _ = libraries
        self.face = face  # keeps the face alive as long as the font
        self.font = self._ffi.gc(self._hb.hb_font_create(face), self._hb.hb_font_destroy)
        self.units_per_em = int(self._hb.hb_face_get_upem(face))
        self._glyph = self._ffi.new("hb_codepoint_t *")

    def glyph(self, codepoint: int) -> int | None:
        found = self._hb.hb_font_get_nominal_glyph(self.font, codepoint, self._glyph)
        return int(self._glyph[0]) if found else None

    def advance(self, glyph: int) -> int:
        """In font units (a new font's scale is its units per em)."""
        return int(self._hb.hb_font_get_glyph_h_advance(self.font, glyph))
