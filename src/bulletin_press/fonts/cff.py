"""CFF font names and charsets, read from the few bytes that hold them.

A run's PDF names each CJK font by its CFF name (see `PLACEHOLDER`), and the
installed file with that CFF is found by reading the name of each candidate
face. fontTools reads the whole CFF table for that (16 MB for a Noto CJK
collection, ~25 ms a face, plus ~40 ms to import its CFF code once); the name
sits in the table's first hundred bytes, after the sfnt table directory. The
check of HarfBuzz's subsets (CID-keyed, every glyph asked for kept) reads
their Top DICT and charset here too.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

# What a run's PDF holds in place of a CFF font's program: the issue embeds one
# subset of each font, cut by assemble.py (see typeset/ext/font_programs.py).
PLACEHOLDER = b"OTTO\0bulletin-press: font program to come\0"

_HEAD = 256  # bytes of a CFF table read first: enough for any real font's name


def name_in_table(read: Callable[[int], bytes]) -> bytes | None:
    """The first font name in a CFF table's Name INDEX; `read(n)` gives the
    table's first n bytes (or all of a shorter table). None if not a CFF."""
    data = read(_HEAD)
    if len(data) < 8:
        return None
    start = data[2]  # hdrSize
    count = int.from_bytes(data[start:start + 2], "big")
    size = data[start + 2] if count else 0
    if not count or not 1 <= size <= 4:
        return None
    first = int.from_bytes(data[start + 3:start + 3 + size], "big")
    second = int.from_bytes(data[start + 3 + size:start + 3 + 2 * size], "big")
    base = start + 3 + (count + 1) * size - 1  # offsets count from 1
    if not 1 <= first < second:
        return None
    if base + second > len(data):
        data = read(base + second)
    return data[base + first:base + second] if base + second <= len(data) else None


def _cff_table(read: Callable[[int, int], bytes], index: int) -> tuple[int, int] | None:
    """(offset, length) of the CFF table of face `index` of an OpenType font or
    collection, from `read(offset, size)`."""
    head = read(0, 12)
    if head[:4] == b"ttcf":
        count = int.from_bytes(head[8:12], "big")
        if not 0 <= index < count:
            return None
        directory = int.from_bytes(read(12 + 4 * index, 4), "big")
        head = read(directory, 12)
    elif index != 0:
        return None
    else:
        directory = 0
    if head[:4] != b"OTTO":
        return None  # TrueType outlines or not a font: no CFF
    tables = int.from_bytes(head[4:6], "big")
    records = read(directory + 12, 16 * tables)
    for at in range(0, len(records) - 15, 16):
        if records[at:at + 4] == b"CFF ":
            return (int.from_bytes(records[at + 8:at + 12], "big"),
                    int.from_bytes(records[at + 12:at + 16], "big"))
    return None


def font_cff_name(source: str | bytes, index: int = 0) -> str | None:
    """The CFF name of face `index` of a font file (a path) or font program
    (bytes); None for fonts without a CFF and for anything unreadable."""
    def reader(read: Callable[[int, int], bytes]) -> str | None:
        table = _cff_table(read, index)
        if table is None:
            return None
        offset, length = table
        name = name_in_table(lambda size: read(offset, min(size, length)))
        return name.decode("latin-1") if name else None

    try:
        if isinstance(source, bytes):
            return reader(lambda offset, size: source[offset:offset + size])
        with open(source, "rb") as handle:
            def read(offset: int, size: int) -> bytes:
                handle.seek(offset)
                return handle.read(size)
            return reader(read)
    except (OSError, ValueError):
        return None


def _card(data: bytes, at: int, size: int) -> int:
    """The unsigned number of `size` bytes at `at`; ValueError beyond the table."""
    if at + size > len(data):
        raise ValueError("CFF table cut short")
    return int.from_bytes(data[at:at + size], "big")


def _index(data: bytes, at: int) -> tuple[list[bytes], int]:
    """The items of the INDEX at `at`, and where it ends."""
    count = _card(data, at, 2)
    if count == 0:
        return [], at + 2
    size = _card(data, at + 2, 1)
    if not 1 <= size <= 4:
        raise ValueError(f"CFF INDEX offset size {size}")
    offsets = [_card(data, at + 3 + i * size, size) for i in range(count + 1)]
    base = at + 2 + (count + 1) * size  # offsets count from 1
    if base + offsets[-1] > len(data):
        raise ValueError("CFF INDEX beyond the table")
    return [data[base + a:base + b] for a, b in pairwise(offsets)], base + offsets[-1]


def _dict(data: bytes) -> dict[int, list[float]]:
    """A CFF DICT: operator (12 x as 1200 + x) → operands."""
    found: dict[int, list[float]] = {}
    operands: list[float] = []
    at = 0
    while at < len(data):
        b0 = data[at]
        if b0 <= 21:
            key = 1200 + data[at + 1] if b0 == 12 else b0
            at += 2 if b0 == 12 else 1
            found[key], operands = operands, []
        elif b0 == 28 or b0 == 29:
            size = 2 if b0 == 28 else 4
            value = _card(data, at + 1, size)
            operands.append(value - (1 << 8 * size) if value >> (8 * size - 1) else value)
            at += 1 + size
        elif b0 == 30:  # a real: nibbles up to 0xf; only skipped, no operand here is one
            at += 1
            while at < len(data) and 0xF not in (data[at] >> 4, data[at] & 0xF):
                at += 1
            operands.append(0.0)
            at += 1
        elif 32 <= b0 <= 246:
            operands.append(b0 - 139)
            at += 1
        elif 247 <= b0 <= 254:
            value = (b0 - 247 if b0 <= 250 else b0 - 251) * 256 + data[at + 1] + 108
            operands.append(value if b0 <= 250 else -value)
            at += 2
        else:
            raise ValueError(f"CFF DICT byte {b0}")
    return found


def cid_charset(table: bytes) -> set[int] | None:
    """The CIDs of a CID-keyed CFF table's glyphs (its charset); None if the
    font is not CID-keyed. ValueError if the table is malformed."""
    try:
        _, at = _index(table, table[2])  # the Name INDEX, after the header
        top = _dict(_index(table, at)[0][0])
        if 1230 not in top:  # no ROS: not CID-keyed
            return None
        glyphs = len(_index(table, int(top[17][0]))[0])  # the CharStrings
        at = int(top[15][0])  # the charset
        found = {0}  # glyph 0 is .notdef, CID 0
        form, at = _card(table, at, 1), at + 1
        if form == 0:
            found |= {_card(table, at + 2 * i, 2) for i in range(glyphs - 1)}
        elif form in (1, 2):
            size = 1 if form == 1 else 2
            while len(found) < glyphs:
                first, left = _card(table, at, 2), _card(table, at + 2, size)
                found |= set(range(first, first + left + 1))
                at += 2 + size
        else:
            raise ValueError(f"CFF charset format {form}")
        return found
    except (IndexError, KeyError) as exc:
        raise ValueError(f"CFF table cut short: {exc}") from exc
