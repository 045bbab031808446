"""Findings a person can act on: where, what, and what to do about it.

Every stage reports problems as `Diagnostic` values; only the commands decide
how to print them and which exit code follows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Location:
    """A place in a source file (1-based line and column) or on a page."""

    path: Path | None = None
    line: int | None = None
    column: int | None = None
    page: int | None = None
    # Where on the page, in PDF points from the trim box's top-left: x0, top, x1, bottom.
    box: tuple[float, float, float, float] | None = None

    def __str__(self) -> str:
        parts: list[str] = []
        if self.path is not None:
            parts.append(display_path(self.path))
            if self.line is not None:
                parts.append(str(self.line))
                if self.column is not None:
                    parts.append(str(self.column))
        text = ":".join(parts)
        if self.page is not None:
            text = f"{text} (page {self.page})" if text else f"page {self.page}"
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
        head = f"{where}: " if where else ""
        text = f"{head}{self.severity.value}: {self.message} [{self.code}]"
        if self.hint:
            text += f"\n  hint: {self.hint}"
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


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)


def display_path(path: Path) -> str:
    """Paths relative to the working directory read better in messages."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
