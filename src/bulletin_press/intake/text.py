"""Back issues as text (extracted from their PDFs): `#` a title, `##` a subtitle, a
paragraph per line or per group of lines, blank lines between."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from bulletin_press.diagnostics import Location
from bulletin_press.i18n import _
from bulletin_press.intake.backissue import (
    Piece,
    PieceKind,
    articles_from_pieces,
    ends_sentence,
)
from bulletin_press.intake.draft import Draft
from bulletin_press.intake.markdown import pipe_table

_HEADINGS: dict[str, PieceKind] = {"#": "title", "##": "subtitle", "###": "subhead"}


MAX_TITLE = 40  # characters of a first line taken as the title


def read_text(text: str, source: Path) -> Draft:
    draft = Draft(source)
    pieces = pieces_of(text, source)
    _first_line_title(pieces, draft)
    articles_from_pieces(pieces, draft)
    return draft


def _first_line_title(pieces: list[Piece], draft: Draft) -> None:
    """A contributor's text typed in Notepad has no '# ' line: its first line, short,
    on its own and not a sentence, is the title (as in a Word file without headings).
    In text whose paragraphs are indented, a first line flush left stands on its own
    as well, whatever follows it (a line like "（新泾镇社区卫生服务中心）" under it)."""
    if not pieces or any(p.kind == "title" for p in pieces):
        return
    first = pieces[0]
    flush_left = first.starts_paragraph is False  # indented paragraphs, this line not
    if first.kind != "text" or len(first.text) > MAX_TITLE or ends_sentence(first.text) \
            or first.text[-1] in "，、；：:;," or (len(pieces) > 1 and not first.alone
                                                  and not flush_left
                                                  and pieces[1].starts_paragraph is False):
        return
    first.kind = "title"
    draft.note("title", _("no '# ' title line: the first line '{text}' taken as the title")
               .format(text=first.text), first.where,
               _("check the title in issue.yaml"), check=True)


def pieces_of(text: str, source: Path) -> list[Piece]:
    lines = text.splitlines()
    indents = sum(1 for line in lines if _indented(line)) >= 2
    pieces: list[Piece] = []
    skip = 0  # lines of a table already taken
    for index, line in enumerate(lines):
        if skip:
            skip -= 1
            continue
        stripped = line.strip()
        if not stripped:
            continue
        where = Location(source, index + 1, 1)
        rows = _tab_rows(lines, index)
        if rows:
            pieces.append(Piece(pipe_table(rows), where, "table"))
            skip = len(rows) - 1
            continue
        column = len(line) - len(line.lstrip())
        marks, _space, rest = stripped.partition(" ")
        if marks in _HEADINGS and rest.strip():
            column += len(marks) + 1 + (len(rest) - len(rest.lstrip()))
            pieces.append(Piece(rest.strip(), where, _HEADINGS[marks], column=column))
            continue
        alone = (index == 0 or not lines[index - 1].strip()) and (
            index + 1 == len(lines) or not lines[index + 1].strip())
        pieces.append(Piece(stripped, where, alone=alone, column=column,
                            starts_paragraph=_starts(line, alone, indents)))
    return pieces


# Cells lined up in Notepad by hand: two or more spaces, full-width (　　) or not.
_SPACED_CELLS = re.compile("[ \u3000]{2,}")


def _tab_rows(lines: list[str], start: int) -> list[list[str]]:
    """A table copied from Excel or WPS into Notepad (a 区域/负责人/电话 list): two or
    more lines in a row whose cells are parted by tabs. Its rows; none: not a table.
    Or typed so, its cells lined up with spaces (「长风一村微型消防站　　大渡河路1718弄
    6号旁　　021-5218 6677转309」): two or more lines in a row of as many cells parted
    by two spaces or more, a number in one of them (two half-lines of verse parted so
    have none). As paragraphs, their spaces were set as gaps of any width, the lines
    loose, or taken out between Chinese characters."""
    rows = _cells(lines, start, lambda line: line.split("\t"))
    if rows:
        return rows
    rows = _cells(lines, start, _SPACED_CELLS.split)
    if len({len(row) for row in rows}) == 1 and any(
            re.search(r"\d", cell) for row in rows for cell in row):
        return rows
    return []


def _cells(lines: list[str], start: int,
           split: Callable[[str], list[str]]) -> list[list[str]]:
    rows: list[list[str]] = []
    for line in lines[start:]:
        cells = split(line.strip(" \u3000\r\n"))
        if len(cells) < 2 or not any(cell.strip() for cell in cells):
            break
        rows.append([cell.strip(" \u3000") for cell in cells])
    return rows if len(rows) >= 2 else []


def _indented(line: str) -> bool:
    """'　　' (ideographic spaces) or two spaces before the text, as Chinese is typed."""
    return line.startswith("\u3000") or (line.startswith("  ") and bool(line.strip()))


def _starts(line: str, alone: bool, indents: bool) -> bool | None:
    """In text whose paragraphs are indented, an indented line starts one and a line
    between others goes on with it; else (None) the punctuation decides."""
    if not indents or alone:
        return True if indents and _indented(line) else None
    return _indented(line)
