"""The rules for internal publications (内部资料性出版物), checked.

《内部资料性出版物管理办法》 (国家新闻出版广电总局令第2号, 2015) says what every
copy of an internal publication must show and what it may not. A print shop
asks for the permit (准印证) and refuses a job that breaks these rules, so
`check` reports each of them as an error with its place: in issue.yaml (or the
article's file) for what the manifest says, on the page for what the layout
prints. An issue whose manifest says `publication: {kind: public}`, or nothing,
is not held to them. docs/publication.md lists the rules with their articles.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bulletin_press.diagnostics import Diagnostic, Location, article_name, error
from bulletin_press.i18n import _
from bulletin_press.layout.publication import (
    FREE_EXCHANGE,
    colophon_items,
    is_internal,
)
from bulletin_press.manifest.load import LoadedIssue
from bulletin_press.manifest.yaml_source import DataPath

MEASURES = "《内部资料性出版物管理办法》"


@dataclass(frozen=True)
class Rule:
    code: str
    article: str  # where in the measures it comes from
    text: str  # what it asks, in English (shown through _())


RULES = (
    Rule("publication.permit", "第十四条第一款",
         "the cover carries the permit number (准印证号) in full"),
    Rule("publication.issuer", "第十四条第一款", "the editing body (编印单位) is shown"),
    Rule("publication.audience", "第十四条第一款", "the audience (发送对象) is shown"),
    Rule("publication.printer", "第十四条第一款", "the print shop (印刷单位) is shown"),
    Rule("publication.copies", "第十四条第一款", "the print run (印数) is shown"),
    Rule("publication.cover-line", "第十四条第一款", "page 1 prints the permit number and "
         "内部资料，免费交流"),
    Rule("publication.colophon", "第十四条第一款", "the colophon prints the editing body, "
         "audience, print shop, print date, print run and issue number (期号)"),
    Rule("publication.name", "第十四条第二款", "the name does not end in 报, 刊 or 杂志"),
    Rule("publication.forbidden-word", "第十四条第二款", "no 本报, 本刊, 记者, 刊号, 期刊社 "
         "or 杂志社 in titles and text"),
    Rule("publication.price", "第十五条第（二）项", "no price (不得标价)"),
    Rule("publication.advertisement", "第十五条第（三）项", "no advertisements (不得刊登广告)"),
)
_BY_CODE = {rule.code: rule for rule in RULES}

FORBIDDEN_WORDS = ("本报", "本刊", "记者", "刊号", "期刊社", "杂志社")
_NAME_ENDINGS = ("报", "刊", "杂志")
_PRICE = re.compile(
    r"(?:定价|售价|零售价|订价|订阅价|工本费)\s*[:：]?\s*(?:人民币)?\s*[¥￥]?\s*\d"
    r"|[¥￥]\s*\d"
    r"|\d+(?:\.\d+)?\s*元\s*[/／]\s*(?:册|本|份|期|年)"
    r"|每(?:册|本|份|期)\s*\d+(?:\.\d+)?\s*元")
_ADVERTISEMENT = re.compile(r"广告")


def _finding(code: str, message: str, location: Location, hint: str) -> Diagnostic:
    rule = _BY_CODE[code]
    return error(code, _("internal publication: {message} ({measures} {article})").format(
        message=message, measures=MEASURES, article=rule.article), location, hint)


@dataclass(frozen=True)
class _Text:
    """A piece of the issue's text and where it is written."""

    what: str  # for the message, e.g. "article 'x'"
    text: str
    path: Path
    line: int | None  # 1-based, of the text's first line
    column: int | None
    heading: bool = False  # a section name or title: where an advertisement shows


def _field(issue: LoadedIssue, data_path: DataPath, what: str, text: str | None
           ) -> Iterator[_Text]:
    if text:
        where = issue.source_map.location(data_path)
        yield _Text(what, text, issue.manifest_path, where.line, where.column,
                    data_path[-1] in ("section", "title"))


def _texts(issue: LoadedIssue) -> Iterator[_Text]:
    m = issue.manifest
    yield from _field(issue, ("newsletter",), _("the name"), m.newsletter)
    yield from _field(issue, ("publisher",), _("the publisher"), m.publisher)
    if m.publication is not None:
        yield from _field(issue, ("publication", "issuer"), _("the editing body"),
                          m.publication.issuer)
    for name in ("office", "address", "note"):
        yield from _field(issue, ("colophon", name), _("the colophon"),
                          getattr(m.colophon, name))
    for index, article in enumerate(m.articles):
        here = ("articles", index)
        label = article_name(index, article.title)
        for name in ("section", "title", "subtitle", "byline"):
            yield from _field(issue, (*here, name), label, getattr(article, name))
        for number, photo in enumerate(article.photos):
            for name in ("caption", "credit", "alt"):
                yield from _field(issue, (*here, "photos", number, name), label,
                                  getattr(photo, name))
        yield from _body(issue, index, label)


def _body(issue: LoadedIssue, index: int, label: str) -> Iterator[_Text]:
    article = issue.manifest.articles[index]
    source = issue.bodies.get(article.id, "")
    if article.body_file:
        path, first = issue.root / article.body_file, 1
    else:
        start = issue.article_location(index, "body")
        block = ("articles", index, "body") in issue.source_map.block_scalars
        path, first = issue.manifest_path, (start.line or 1) + (1 if block else 0)
    for number, line in enumerate(source.splitlines()):
        yield _Text(label, line, path, first + number, None)


def _place(item: _Text, start: int) -> Location:
    """Where the text at `start` of `item.text` is written: looked for on its line of
    the file (a quoted or indented value starts later than its text)."""
    if item.line is None:
        return Location(item.path)
    try:
        written = item.path.read_text(encoding="utf-8").splitlines()[item.line - 1]
    except (OSError, IndexError, UnicodeDecodeError):
        written = ""
    at = written.find(item.text[start:start + 4], (item.column or 1) - 1)
    return Location(item.path, item.line, at + 1 if at >= 0 else item.column)


def check_manifest(issue: LoadedIssue) -> list[Diagnostic]:
    """What an internal publication's manifest is missing or says that it may not."""
    m = issue.manifest
    if not is_internal(m) or m.publication is None:
        return []
    found: list[Diagnostic] = []
    smap = issue.source_map
    block = smap.location(("publication",), key=True)
    needed = (("permit", "publication.permit", _("no permit number (准印证号)")),
              ("issuer", "publication.issuer", _("no editing body (编印单位)")),
              ("audience", "publication.audience", _("no audience (发送对象)")),
              ("printer", "publication.printer", _("no print shop (印刷单位)")),
              ("copies", "publication.copies", _("no print run (印数)")))
    for name, code, message in needed:
        if getattr(m.publication, name) is None:
            found.append(_finding(code, message, block, _(
                "add '{name}:' under 'publication:' in issue.yaml").format(name=name)))
    name = m.newsletter.strip("《》 ")
    if name.endswith(_NAME_ENDINGS):
        found.append(_finding("publication.name", _(
            "the name '{name}' ends in 报, 刊 or 杂志").format(name=m.newsletter),
            smap.location(("newsletter",)), _(
                "an internal publication may not call itself a newspaper or periodical; "
                "use a name such as 通讯, 简讯 or 资讯")))
    for item in _texts(issue):
        found += _words(item)
    return found


def _words(item: _Text) -> Iterator[Diagnostic]:
    for word in FORBIDDEN_WORDS:
        for match in re.finditer(re.escape(word), item.text):
            yield _finding("publication.forbidden-word", _(
                "'{word}' in {what}").format(word=word, what=item.what),
                _place(item, match.start()), _(
                    "internal publications may not use 本报, 本刊, 记者, 刊号, 期刊社 or 杂志社: "
                    "write 本资料 or the name, and 通讯员 instead of 记者"))
    for match in _PRICE.finditer(item.text):
        yield _finding("publication.price", _("a price '{text}' in {what}").format(
            text=match.group(0), what=item.what), _place(item, match.start()),
            _("internal publications are free of charge: remove the price"))
    if item.heading and _ADVERTISEMENT.search(item.text):
        yield _finding("publication.advertisement", _("an advertisement in {what}").format(
            what=item.what), _place(item, 0),
            _("internal publications may not carry advertisements: leave the article out"))


def check_printed(issue: LoadedIssue, page_texts: list[str]) -> list[Diagnostic]:
    """What the layout should have printed and did not: the cover line on page 1,
    the colophon's items on some page. `page_texts`: what each page shows."""
    m = issue.manifest
    if not is_internal(m) or m.publication is None:
        return []
    pages = [re.sub(r"\s+", "", text) for text in page_texts] or [""]
    found: list[Diagnostic] = []
    needed = [FREE_EXCHANGE] + ([m.publication.permit] if m.publication.permit else [])
    missing = [text for text in needed if re.sub(r"\s+", "", text) not in pages[0]]
    if missing:
        found.append(_finding("publication.cover-line", _(
            "page 1 does not print {texts}").format(texts=", ".join(missing)),
            Location(page=1), _("use a layout that prints the cover line (two-column does)")))
    everything = "".join(pages).replace("：", "")
    for label, value in colophon_items(m):
        if re.sub(r"\s+", "", label + value) not in everything:
            found.append(_finding("publication.colophon", _(
                "the colophon does not print {label} ({value})").format(
                    label=label, value=value), Location(page=len(pages)),
                _("use a layout whose colophon prints the publication's items "
                  "(two-column does)")))
    return found
