"""Mistakes a Chinese keyboard makes in `issue.yaml`, found before the YAML parser.

A Chinese input method types full-width characters where YAML needs ASCII
ones: `title：` (the colon U+FF1A), an indentation of full-width spaces
(U+3000), `－` list markers, “” quotes where YAML quotes were meant. The
parser then reports something generic, often lines later. This scan reads
the text line by line, skipping the content of `|`/`>` blocks, and names each
character on its own line and column, with the fix.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bulletin_press.diagnostics import Diagnostic, Location, error
from bulletin_press.i18n import N_, _
from bulletin_press.manifest.model import field_names

# Field names typed in Chinese → the English field.
CHINESE_KEYS: dict[str, str] = {
    "报头": "newsletter", "刊名": "newsletter", "主办": "publisher", "期": "issue",
    "期号": "number", "总期号": "volume", "日期": "date", "出版日期": "date",
    "版式": "layout", "版数": "pages", "页数": "pages", "版权页": "colophon",
    "编辑部": "office", "地址": "address", "邮编": "postcode", "电话": "phone",
    "邮箱": "email", "电子邮箱": "email", "印刷": "printer", "印数": "copies",
    "备注": "note", "文章": "articles", "编号": "id", "栏目": "section",
    "标题": "title", "副标题": "subtitle", "副题": "subtitle", "作者": "byline",
    "署名": "byline", "正文": "body", "正文文件": "body_file", "图片": "photos",
    "照片": "photos", "文件": "file", "图片说明": "caption", "说明": "caption",
    "图注": "caption", "摄影": "credit", "替代文字": "alt", "位置": "placement",
}
# Fields whose values are never free text: quotes in them are YAML quotes typed in Chinese.
PLAIN_FIELDS = frozenset({
    "id", "file", "body_file", "layout", "placement", "start", "headline", "date",
    "number", "volume", "pages", "copies", "after_paragraph"})

FULLWIDTH_SPACE, TAB = "\u3000", "\t"
CHARACTER_NAMES = {  # translated when shown
    FULLWIDTH_SPACE: N_("full-width space “　” (U+3000)"), TAB: N_("tab character"),
    "－": N_("full-width hyphen “－”"), "＊": N_("full-width asterisk “＊”"),
    "—": N_("dash “—”"), "–": N_("dash “–”"),
}

_KEY = r"[^\s:：#{}\[\],\"'“”‘’「」]+"
# A list item's marker as a Chinese keyboard or Word types it: －, ＊, a dash — or –.
_ITEM = re.compile(r"(?P<indent>[ \t\u3000]*)(?P<marker>[-－＊—–](?=[ \t\u3000]|$)[ \t\u3000]*)*")
# In a {…} mapping: a full-width comma before the next key ({number: 7，date: …}).
_FLOW = re.compile(r"\{[^{}]*\}?")
_FLOW_COMMA = re.compile(rf"[，、][ \t\u3000]*(?P<key>{_KEY})[ \t]*[:：]")
_KEY_AT = re.compile(rf"(?P<key>{_KEY})(?P<gap>[ \t]*)(?P<colon>[:：])(?P<after>[ \t\u3000]?)")
_BLOCK = re.compile(r"[|>｜][-+0-9]*[ \t]*(#.*)?$")
_QUOTES = {"“": "”", "‘": "’", "「": "」"}


@dataclass(frozen=True)
class _Line:
    number: int  # 1-based
    text: str


def keyboard_mistakes(text: str, path: Path) -> list[Diagnostic]:
    """Every Chinese-keyboard mistake in the manifest `text`, in order."""
    found = list(_scan(text.splitlines(), path))
    return sorted(found, key=lambda d: (d.location.line or 0, d.location.column or 0))


def _scan(lines: list[str], path: Path) -> Iterator[Diagnostic]:
    known = field_names()
    block_indent: int | None = None  # inside a `|`/`>` block or a plain scalar's lines
    for number, raw in enumerate(lines, start=1):
        def at(column: int, n: int = number) -> Location:
            return Location(path, n, column + 1)

        stripped = raw.lstrip(" \t\u3000")
        indent = len(raw) - len(stripped)
        if block_indent is not None:
            if not stripped or indent > block_indent:
                continue
            block_indent = None
        if not stripped or stripped.startswith("#") or raw.startswith("---"):
            continue
        item = _ITEM.match(raw)
        assert item is not None
        lead = item.group(0)
        for column, char in enumerate(lead):
            if char in (FULLWIDTH_SPACE, TAB):
                yield _indent_char(char, at(column))
                break
        for column, char in enumerate(lead):
            if char in "－＊—–":
                yield error("manifest.fullwidth-marker",
                            _("the list marker is a {char}, not the hyphen “-” that YAML "
                              "needs").format(char=_(CHARACTER_NAMES[char])),
                            at(column), _("type “- ” (hyphen and space) with the input "
                                          "method switched to English"))
        for flow in _FLOW.finditer(raw, len(lead)):
            for comma in _FLOW_COMMA.finditer(flow.group(0)):
                if comma["key"] in known or comma["key"] in CHINESE_KEYS:
                    yield error("manifest.fullwidth-comma",
                                _("in “{{…}}”, a full-width “{comma}” stands before “{key}”; "
                                  "YAML parts the fields with the ASCII comma “,”").format(
                                    comma=comma.group(0)[0], key=comma["key"]),
                                at(flow.start() + comma.start()),
                                _("type “, ” with the input method switched to English"))
        key_start = len(lead)
        found = _KEY_AT.match(raw, key_start)
        if found is None:
            continue
        key, colon = found["key"], found["colon"]
        english = CHINESE_KEYS.get(key)
        if colon == "：" and (key in known or english or key.isascii()):
            yield error("manifest.fullwidth-colon",
                        _("“{key}” is followed by a full-width colon “：”; YAML needs the "
                          "ASCII colon “:”").format(key=key),
                        at(found.start("colon")),
                        _("type “{key}: ” with the input method switched to English "
                          "(a colon and a space)").format(key=english or key))
        elif colon == "：":
            continue  # text, not a key
        if english:
            yield error("manifest.chinese-key",
                        _("the field name “{key}” is typed in Chinese").format(key=key),
                        at(found.start("key")),
                        _("field names are English: write “{english}:”").format(
                            english=english))
        if found["after"] == FULLWIDTH_SPACE:
            yield _indent_char(FULLWIDTH_SPACE, at(found.start("after")), after_colon=True)
        value = raw[found.end():].rstrip()
        field = english or key
        key_indent = found.start("key")
        if _BLOCK.match(value):
            if value.startswith("｜"):
                yield error("manifest.fullwidth-bar",
                            _("the block marker after “{key}:” is a full-width bar “｜”, "
                              "not “|”").format(key=key),
                            at(found.end()), _("type “|” with the input method switched to "
                                                "English"))
            block_indent = key_indent
            continue
        if value and value[0] in _QUOTES and value.endswith(_QUOTES[value[0]]):
            inner = value[1:-1]
            if field in PLAIN_FIELDS or ": " in inner or " #" in inner:
                yield error("manifest.chinese-quotes",
                            _("the value of “{key}” is in Chinese quotation marks {open}{close}, "
                              "which become part of it").format(
                                key=key, open=value[0], close=_QUOTES[value[0]]),
                            at(raw.index(value[0], found.end())),
                            _("use ASCII quotes \"…\" (input method switched to English), or "
                              "none"))
        if field == "body" and not value.startswith(("\"", "'")):
            following = _continuation(lines, number, key_indent)
            if following:
                merges = any(not lines[n - 1].strip() for n in following)
                message = (_("the text after “body:” runs over several lines without “|”: "
                             "its paragraphs would be merged into one")
                           if merges else
                           _("the text after “body:” runs over several lines without “|”: "
                             "its lines would be joined into one paragraph"))
                yield error("manifest.body-without-bar", message,
                            at(found.end("colon")),
                            _("write “body: |” and start the text on the next line, "
                              "indented"))
                block_indent = key_indent


def _continuation(lines: list[str], number: int, indent: int) -> list[int]:
    """The line numbers after `number` that belong to a plain scalar starting on it."""
    found: list[int] = []
    for n in range(number + 1, len(lines) + 1):
        text = lines[n - 1]
        stripped = text.lstrip(" \t\u3000")
        if not stripped:
            found.append(n)
            continue
        if len(text) - len(stripped) <= indent:
            break
        found.append(n)
    while found and not lines[found[-1] - 1].strip():
        found.pop()
    return found


def _indent_char(char: str, where: Location, after_colon: bool = False) -> Diagnostic:
    name = _(CHARACTER_NAMES[char])
    message = (_("a {char} after the colon; YAML needs an ordinary space").format(char=name)
               if after_colon else
               _("the indentation contains a {char}; YAML indents with ordinary spaces only")
               .format(char=name))
    return error("manifest.fullwidth-space" if char == FULLWIDTH_SPACE else "manifest.tab",
                 message, where,
                 _("replace it with ordinary spaces (switch the input method to English, "
                   "or to half-width 半角)"))
