"""CFF names read from a font's first bytes: the same as fontTools reads from
the whole table, for files, font programs and HarfBuzz faces; never an
exception for what is not a CFF font."""

from __future__ import annotations

import glob

import pytest
from fontTools.ttLib import TTFont

from bulletin_press.fonts.cff import PLACEHOLDER, cid_charset, font_cff_name, name_in_table
from bulletin_press.pdf.font_subsets import program_name

NOTO = sorted(glob.glob("/usr/share/fonts/opentype/noto/Noto*CJK-*.ttc"))


def _faces(path: str) -> int:
    with open(path, "rb") as handle:
        return int.from_bytes(handle.read(12)[8:12], "big")


def _program(cff: bytes) -> bytes:
    """A one-table OpenType font program (what a PDF's FontFile3 /OpenType holds)."""
    return (b"OTTO" + (1).to_bytes(2, "big") + bytes(6)
            + b"CFF " + bytes(4) + (28).to_bytes(4, "big") + len(cff).to_bytes(4, "big") + cff)


@pytest.mark.parametrize("path", NOTO)
def test_installed_faces_named_as_fonttools_names_them(path: str) -> None:
    for index in range(_faces(path)):
        expected = str(TTFont(path, fontNumber=index, lazy=True)["CFF "].cff.fontNames[0])
        assert font_cff_name(path, index) == expected
    assert font_cff_name(path, _faces(path)) is None  # no such face


def test_program_bytes_and_every_truncation() -> None:
    cff = TTFont(NOTO[0], fontNumber=0, lazy=True).reader["CFF "][:4096]
    program = _program(cff)
    name = str(TTFont(NOTO[0], fontNumber=0, lazy=True)["CFF "].cff.fontNames[0])
    assert font_cff_name(program) == name == program_name(program)
    assert program_name(PLACEHOLDER + name.encode()) == name
    for end in range(0, 28 + 64):  # cut anywhere: the name or None, never an exception
        assert font_cff_name(program[:end]) in (None, name)
    assert font_cff_name(program[:28 + 20]) is None  # the name cut in two is no name


@pytest.mark.parametrize("data", [
    b"", b"\x00\x01\x00\x00" + bytes(60),  # TrueType outlines: no CFF
    b"OTTO" + (3).to_bytes(2, "big") + bytes(200),  # no CFF among the tables
    b"ttcf" + bytes(8), b"not a font at all",
])
def test_what_is_not_a_cff_font_has_no_name(data: bytes) -> None:
    assert font_cff_name(data) is None


def test_name_index_read_further_when_the_head_is_short() -> None:
    name = b"N" * 300  # longer than the first read
    table = bytes([1, 0, 4, 2]) + (1).to_bytes(2, "big") + bytes([2]) \
        + (1).to_bytes(2, "big") + (301).to_bytes(2, "big") + name
    reads: list[int] = []
    assert name_in_table(lambda size: reads.append(size) or table[:size]) == name
    assert len(reads) == 2


def test_missing_file_has_no_name() -> None:
    assert font_cff_name("/nonexistent/font.otf") is None


def _fonttools_cids(table: bytes) -> set[int] | None:
    import io

    from fontTools.cffLib import CFFFontSet

    cff = CFFFontSet()
    cff.decompile(io.BytesIO(table), None)
    top = cff.topDictIndex[0]
    if not hasattr(top, "ROS"):
        return None
    return {int(n[3:]) for n in top.charset if n.startswith("cid")} | {0}


@pytest.mark.parametrize("cids", [{1}, {5, 6, 7, 9}, set(range(30, 300, 7)) | {1000, 30000}])
def test_charset_of_harfbuzz_subsets_as_fonttools_reads_it(cids: set[int]) -> None:
    from bulletin_press.fonts.harfbuzz import cff_subset

    table = cff_subset(NOTO[0], 0, cids)
    assert table is not None
    assert cid_charset(table) == _fonttools_cids(table) == cids | {0}


def test_charset_of_a_whole_noto_cff() -> None:
    table = TTFont(NOTO[0], fontNumber=0, lazy=True).reader["CFF "]
    assert cid_charset(table) == _fonttools_cids(table)


def _index(items: list[bytes]) -> bytes:
    if not items:
        return bytes(2)
    offsets = [1]
    for item in items:
        offsets.append(offsets[-1] + len(item))
    return (len(items).to_bytes(2, "big") + bytes([2])
            + b"".join(o.to_bytes(2, "big") for o in offsets) + b"".join(items))


def _int(value: int) -> bytes:
    return bytes([28]) + value.to_bytes(2, "big", signed=True)  # fixed size: 3 bytes


@pytest.mark.parametrize("form", [0, 1, 2])
def test_charset_formats(form: int) -> None:
    """A hand-made CID-keyed CFF: 4 glyphs, CIDs 0, 10, 11, 12, in each charset format."""
    charset = {0: bytes([0]) + b"".join(c.to_bytes(2, "big") for c in (10, 11, 12)),
               1: bytes([1]) + (10).to_bytes(2, "big") + bytes([2]),
               2: bytes([2]) + (10).to_bytes(2, "big") + (2).to_bytes(2, "big")}[form]

    def top(charset_at: int, charstrings_at: int, ros: bool = True) -> bytes:
        return ((_int(0) * 3 + bytes([12, 30]) if ros else b"")
                + _int(charset_at) + bytes([15]) + _int(charstrings_at) + bytes([17]))

    head = bytes([1, 0, 4, 2]) + _index([b"X"])
    others = _index([]) + _index([])  # the String and Global Subr INDEXes
    for ros in (False, True):
        charset_at = len(head) + len(_index([top(0, 0, ros)])) + len(others)
        charstrings_at = charset_at + len(charset)
        table = (head + _index([top(charset_at, charstrings_at, ros)]) + others + charset
                 + _index([b"\x0e"] * 4))
        assert cid_charset(table) == ({0, 10, 11, 12} if ros else None)
    for end in range(len(head) + 2, len(table)):  # cut short anywhere: refused, not misread
        with pytest.raises(ValueError):
            cid_charset(table[:end])
