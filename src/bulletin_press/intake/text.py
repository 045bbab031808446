"""Back issues as text (extracted from their PDFs): `#` a title, `##` a subtitle, a
paragraph per line or per group of lines, blank lines between."""

from __future__ import annotations

from pathlib import Path

from bulletin_press.diagnostics import Location
from bulletin_press.intake.backissue import Piece, PieceKind, articles_from_pieces
from bulletin_press.intake.draft import Draft

_HEADINGS: dict[str, PieceKind] = {"#": "title", "##": "subtitle", "###": "subhead"}


def read_text(text: str, source: Path) -> Draft:
    draft = Draft(source)
    articles_from_pieces(pieces_of(text, source), draft)
    return draft


def pieces_of(text: str, source: Path) -> list[Piece]:
    lines = text.splitlines()
    indents = sum(1 for line in lines if _indented(line)) >= 2
    pieces: list[Piece] = []
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        where = Location(source, index + 1, 1)
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


def _indented(line: str) -> bool:
    """'　　' (ideographic spaces) or two spaces before the text, as Chinese is typed."""
    return line.startswith("\u3000") or (line.startswith("  ") and bool(line.strip()))


def _starts(line: str, alone: bool, indents: bool) -> bool | None:
    """In text whose paragraphs are indented, an indented line starts one and a line
    between others goes on with it; else (None) the punctuation decides."""
    if not indents or alone:
        return True if indents and _indented(line) else None
    return _indented(line)
