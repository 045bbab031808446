"""What a reader makes of one source: draft articles and the notes on each decision."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bulletin_press.diagnostics import Diagnostic, Location, Severity
from bulletin_press.intake.markdown import paragraph_count


@dataclass
class DraftPhoto:
    caption: str
    credit: str | None = None
    alt: str | None = None
    # The picture's bytes and file suffix; None: a placeholder is made for it.
    data: bytes | None = None
    suffix: str = ".jpg"
    after_paragraph: int | None = None  # set for a picture that stood inside the text
    # The article's blocks before it where it stood (subheads, lists and tables too).
    blocks_before: int | None = None
    where: Location = field(default_factory=Location)
    label: str = ""  # how notes name it: "picture 2" (counted through the document)


@dataclass
class DraftArticle:
    title: str
    where: Location
    subtitle: str | None = None
    section: str | None = None
    byline: str | None = None
    blocks: list[str] = field(default_factory=list)  # Markdown, one block each
    photos: list[DraftPhoto] = field(default_factory=list)
    heading_level: int = 0  # of the Word heading that started it; 0: none
    kind: str | None = None  # "notice" for a 通知 with a signature; None: the default
    signature: dict[str, str | list[str]] | None = None  # issuer and date, as written

    @property
    def body(self) -> str:
        return "\n\n".join(self.blocks) + "\n"

    @property
    def paragraph_count(self) -> int:
        return paragraph_count(self.blocks)


@dataclass
class Draft:
    """One source read: its articles, and the notes the editor should check."""

    source: Path
    articles: list[DraftArticle] = field(default_factory=list)
    notes: list[Diagnostic] = field(default_factory=list)

    def note(self, code: str, message: str, where: Location, hint: str | None = None,
             *, check: bool = False) -> None:
        """A decision made (info), or something the editor must look at (warning)."""
        severity = Severity.WARNING if check else Severity.INFO
        self.notes.append(Diagnostic(severity, f"import.{code}", message, where, hint))
