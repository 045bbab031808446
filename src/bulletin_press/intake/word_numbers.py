"""The numbers Word puts before headings by itself (多级列表 on 标题 2: "一、检查范围"):
not in the text mammoth reads, so they are counted here from the document's numbering,
to be written into the subhead (a notice's 第二条 refers to them)."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DIGITS = "〇一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
MAX_PART = 16 * 1024 * 1024  # a numbering or styles part larger than this is not read


@dataclass(frozen=True)
class _Level:
    start: int
    fmt: str
    text: str  # "%1、", "（%2）"


def heading_numbers(path: Path) -> list[tuple[str, str]]:
    """(heading text, its number as Word shows it) for each numbered heading, in order;
    [] when the document has none or its parts cannot be read."""
    return [(text, label) for text, label, heading in numbered_paragraphs(path) if heading]


def numbered_paragraphs(path: Path) -> list[tuple[str, str, bool]]:
    """(text, number as Word shows it, whether it is a heading) for each paragraph Word
    numbers (bullets have no number), in order."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "word/numbering.xml" not in names:
                return []
            parts = {name: archive.read(name) for name in
                     ("word/document.xml", "word/numbering.xml", "word/styles.xml")
                     if name in names and archive.getinfo(name).file_size <= MAX_PART}
        document = ET.fromstring(parts["word/document.xml"])
        numbering = ET.fromstring(parts["word/numbering.xml"])
        styles = ET.fromstring(parts.get("word/styles.xml", b"<styles/>"))
    except (KeyError, OSError, zipfile.BadZipFile, ET.ParseError):
        return []
    levels = _levels(numbering)
    style_names, style_numbers = _styles(styles)
    counters: dict[str, list[int]] = {}
    found: list[tuple[str, str, bool]] = []
    for paragraph in document.iter(f"{W}p"):
        properties = paragraph.find(f"{W}pPr")
        style = _val(properties.find(f"{W}pStyle")) if properties is not None else None
        number = _own_number(properties) or style_numbers.get(style or "")
        if number is None or number[0] == "0" or number[0] not in levels:
            continue
        num_id, level = number
        level_defs = levels[num_id]
        if level not in level_defs:
            continue
        count = counters.setdefault(num_id, [])
        while len(count) <= level:
            count.append(level_defs.get(len(count), _Level(1, "decimal", "")).start - 1)
        count[level] += 1
        del count[level + 1:]
        name = style_names.get(style or "", "").lower()
        heading = name.startswith("heading") or name.startswith("标题 ")
        label = "" if level_defs[level].fmt in ("bullet", "none") else \
            _label(level_defs[level].text, count, level_defs)
        text = "".join(t.text or "" for t in paragraph.iter(f"{W}t")).strip()
        if label and text:
            found.append((text, label, heading))
    return found


def _val(element: ET.Element | None) -> str | None:
    return None if element is None else element.get(f"{W}val")


def _own_number(properties: ET.Element | None) -> tuple[str, int] | None:
    numbered = properties.find(f"{W}numPr") if properties is not None else None
    if numbered is None:
        return None
    num_id = _val(numbered.find(f"{W}numId"))
    level = _val(numbered.find(f"{W}ilvl")) or "0"
    return (num_id, int(level)) if num_id is not None and level.isdigit() else None


def _levels(numbering: ET.Element) -> dict[str, dict[int, _Level]]:
    abstract: dict[str, dict[int, _Level]] = {}
    for definition in numbering.iter(f"{W}abstractNum"):
        levels: dict[int, _Level] = {}
        for lvl in definition.iter(f"{W}lvl"):
            index = lvl.get(f"{W}ilvl", "0")
            start = _val(lvl.find(f"{W}start")) or "1"
            if index.isdigit() and start.isdigit():
                levels[int(index)] = _Level(int(start), _val(lvl.find(f"{W}numFmt")) or
                                            "decimal", _val(lvl.find(f"{W}lvlText")) or "")
        abstract[definition.get(f"{W}abstractNumId", "")] = levels
    return {num.get(f"{W}numId", ""): abstract.get(_val(num.find(f"{W}abstractNumId")) or "",
                                                   {})
            for num in numbering.iter(f"{W}num")}


def _styles(styles: ET.Element) -> tuple[dict[str, str], dict[str, tuple[str, int]]]:
    """Each paragraph style's name, and the numbering it gives (through basedOn too)."""
    names: dict[str, str] = {}
    own: dict[str, tuple[str, int] | None] = {}
    based: dict[str, str] = {}
    for style in styles.iter(f"{W}style"):
        style_id = style.get(f"{W}styleId", "")
        names[style_id] = _val(style.find(f"{W}name")) or ""
        own[style_id] = _own_number(style.find(f"{W}pPr"))
        parent = _val(style.find(f"{W}basedOn"))
        if parent:
            based[style_id] = parent
    numbers: dict[str, tuple[str, int]] = {}
    for style_id in own:
        current: str | None = style_id
        for _ in range(10):  # a basedOn chain; never a loop
            if current is None:
                break
            if own.get(current) is not None:
                numbers[style_id] = own[current]  # type: ignore[assignment]
                break
            current = based.get(current)
    return names, numbers


def _label(text: str, count: list[int], levels: dict[int, _Level]) -> str:
    def one(match: re.Match[str]) -> str:
        index = int(match.group(1)) - 1
        if index >= len(count):
            return ""
        return _format(count[index], levels.get(index, _Level(1, "decimal", "")).fmt)
    return re.sub(r"%(\d)", one, text).strip()


def _format(value: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified",
               "japaneseCounting", "taiwaneseCounting", "ideographDigital"):
        return _chinese(value)
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return _CIRCLED[value - 1] if 0 < value <= len(_CIRCLED) else str(value)
    if fmt in ("ideographTraditional",):
        return _TIANGAN[(value - 1) % len(_TIANGAN)]
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (value - 1) % 26)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt == "decimalFullWidth":
        return str(value).translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    if fmt in ("none", "bullet"):
        return ""
    return str(value)


def _chinese(value: int) -> str:
    """一 … 九十九 (a heading is never counted further)."""
    if not 0 < value < 100:
        return str(value)
    tens, ones = divmod(value, 10)
    if tens == 0:
        return _DIGITS[ones]
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def _roman(value: int) -> str:
    out = ""
    for amount, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                            (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"),
                            (5, "V"), (4, "IV"), (1, "I")):
        while value >= amount:
            out, value = out + letters, value - amount
    return out
