"""Markdown the layout cannot show, reported where the editor typed it.

The text stage finds it (an image in a body, raw HTML, a footnote, a link to
something a reader cannot type, markup left incomplete); here each finding
gets the file, line and column: in the body file, or under `body: |` in the
manifest, where the body's lines are indented.
"""

from __future__ import annotations

import re
from pathlib import Path

from bulletin_press.diagnostics import Diagnostic, Location, error, warning
from bulletin_press.i18n import _
from bulletin_press.layout.glyph_coverage import body_location
from bulletin_press.manifest.load import LoadedIssue
from bulletin_press.text.blocks import Block, Unsupported, parse_markdown


def check_markup(issue: LoadedIssue) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for index, article in enumerate(issue.manifest.articles):
        for problem in parse_markdown(issue.bodies.get(article.id, "")).problems:
            found.append(error(problem.code, problem.message,
                               _where(issue, index, problem), problem.hint))
        found += _plain_fields(issue, index)
    return found


_MARKDOWN_IN_PLAIN = re.compile(r"\*\*|\[[^\]]*\]\(|^\s*#+\s|^\s*>")


def _plain_fields(issue: LoadedIssue, index: int) -> list[Diagnostic]:
    """Headlines and captions are plain text, printed as typed: Markdown typed in
    them (**, [text](…), # or > at the start) would print as characters."""
    article = issue.manifest.articles[index]
    fields: list[tuple[tuple[str | int, ...], str | None]] = [
        (("title",), article.title), (("subtitle",), article.subtitle),
        (("section",), article.section), (("byline",), article.byline),
        *((("photos", n, "caption"), p.caption) for n, p in enumerate(article.photos))]
    return [warning("markup.in-plain-text",
                    _("'{text}' is plain text: its Markdown would print as typed").format(
                        text=text[:40]),
                    issue.article_location(index, *where),
                    _("write the words alone; headlines are set bold by the layout"))
            for where, text in fields if text and _MARKDOWN_IN_PLAIN.search(text)]


def _where(issue: LoadedIssue, index: int, problem: Unsupported) -> Location:
    start = body_location(issue, index, Block("paragraph", source_line=problem.line))
    if start.path is None or start.line is None:
        return start
    if issue.manifest.articles[index].body_file:
        return Location(start.path, start.line, problem.column)
    if ("articles", index, "body") in issue.source_map.block_scalars:
        return Location(start.path, start.line,
                        _indent(start.path, start.line) + problem.column)
    # `body: text` on the manifest's line: columns count from where the value starts
    # (after its opening quote); a value folded over lines has no exact column.
    value = issue.article_location(index, "body")
    if problem.line != 1 or value.column is None:
        return Location(start.path, start.line)
    opening = _line(start.path, start.line)[value.column - 1:value.column]
    return Location(start.path, start.line,
                    value.column + (opening in ("'", '"')) + problem.column - 1)


def _line(path: Path, line: int) -> str:
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _indent(path: Path, line: int) -> int:
    """The indentation YAML removed from a block scalar's line."""
    text = _line(path, line)
    return len(text) - len(text.lstrip(" "))
