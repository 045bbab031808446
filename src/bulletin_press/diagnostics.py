"""Findings a person can act on: where, what, and what to do about it.

Every stage reports problems as `Diagnostic` values; only the commands decide
how to print them and which exit code follows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from bulletin_press.i18n import N_, _, ngettext


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        """The word a person reads ("error", "错误"); the value stays for machines."""
        return _(_SEVERITY_LABELS[self])


_SEVERITY_LABELS = {Severity.ERROR: N_("error"), Severity.WARNING: N_("warning"),
                    Severity.INFO: N_("note")}


def page_name(number: int) -> str:
    """A page as an editor names it: "page 3", "第3版"."""
    return _("page {n}").format(n=number)


def lines_name(count: int) -> str:
    """A number of lines, for a message that names several counts: "1 line", "3 lines",
    "3行" (a message with one count says it with ngettext itself)."""
    return ngettext("{n} line", "{n} lines", count).format(n=count)


def article_name(index: int, title: object = None) -> str:
    """An article as a person counts it (from 1) and by its title: "第2篇文章《…》"."""
    if isinstance(title, str) and title.strip():
        # As the title reads: without the editor's forced line breaks (奋进新征程|共创新业绩).
        text = re.sub(r"\s*[|｜]\s*", "", title.strip())
        short = text if len(text) <= 18 else text[:16] + "…"
        return _("article {n} 《{title}》").format(n=index + 1, title=short)
    return _("article {n}").format(n=index + 1)


def photo_name(index: int, file: object = None) -> str:
    """A photo of an article, counted from 1, with its file when known."""
    if isinstance(file, str) and file.strip():
        return _("photo {n} ({file})").format(n=index + 1, file=file.strip())
    return _("photo {n}").format(n=index + 1)


@dataclass(frozen=True)
class Location:
    """A place in a source file (1-based line and column) or on a page."""

    path: Path | None = None
    line: int | None = None
    column: int | None = None
    page: int | None = None
    # Where on the page, in PDF points from the trim box's top-left: x0, top, x1, bottom.
    box: tuple[float, float, float, float] | None = None
    # A place in a document without lines to number, as its reader finds it: "paragraph 5
    # '活动地点：…', under '二、报名方式'" in a Word file.
    place: str | None = None

    def __str__(self) -> str:
        parts: list[str] = []
        if self.path is not None:
            parts.append(display_path(self.path))
            if self.line is not None:
                parts.append(str(self.line))
                if self.column is not None:
                    parts.append(str(self.column))
        text = ":".join(parts)
        if self.place is not None:
            text = _("{where} ({place})").format(where=text, place=self.place) if text \
                else self.place
        if self.page is not None:
            page = page_name(self.page)
            text = _("{where} ({page})").format(where=text, page=page) if text else page
        return text


@dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    code: str
    message: str
    location: Location = field(default_factory=Location)
    hint: str | None = None

    def format(self) -> str:
        where = str(self.location)
        head = _("{where}: ").format(where=where) if where else ""
        text = head + _("{severity}: {message} [{code}]").format(
            severity=self.severity.label, message=self.message, code=self.code)
        if self.hint:
            text += "\n  " + _("hint: {hint}").format(hint=self.hint)
        return text

    def as_dict(self) -> dict[str, object]:
        loc = self.location
        return {
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
            "path": display_path(loc.path) if loc.path else None,
            "line": loc.line,
            "column": loc.column,
            "page": loc.page,
            "box": list(loc.box) if loc.box else None,
            "place": loc.place,
        }


class BuildError(Exception):
    """Raised by a stage when the input cannot go further; carries every finding."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))


def error(code: str, message: str, location: Location | None = None,
          hint: str | None = None) -> Diagnostic:
    return Diagnostic(Severity.ERROR, code, message, location or Location(), hint)


def warning(code: str, message: str, location: Location | None = None,
            hint: str | None = None) -> Diagnostic:
    return Diagnostic(Severity.WARNING, code, message, location or Location(), hint)


def info(code: str, message: str, location: Location | None = None,
         hint: str | None = None) -> Diagnostic:
    return Diagnostic(Severity.INFO, code, message, location or Location(), hint)


def unique(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Each finding once (the same problem found twice, e.g. by two checks), in order."""
    return list(dict.fromkeys(diagnostics))


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)


def display_path(path: Path) -> str:
    """Paths relative to the working directory read better in messages."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
