"""Stages 5-6: HTML → typeset Document → PDF bytes, through WeasyPrint's public API.

Typesetting and writing are separate on purpose: the print PDF, the PDF/A and
the preview's page images all come from one typeset document. Only typeset/
imports WeasyPrint; its internals are reached only by the extensions in
typeset/ext/, which typeset/gate.py installs (after checking the version) the
first time a document is typeset in a process.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

# isort: off
from bulletin_press.i18n import N_, _
from bulletin_press.typeset import _weasyload  # noqa: F401  # first: imports WeasyPrint without its slow search
# isort: on
import weasyprint
from weasyprint.formatting_structure import boxes
from weasyprint.urls import URLFetcher, URLFetcherResponse

from bulletin_press.diagnostics import Diagnostic, Location, error, warning
from bulletin_press.layout.fence import Fence
from bulletin_press.typeset import gate, image_streams
from bulletin_press.typeset.column_fill import GIVEN
from bulletin_press.typeset.guard_notes import headline_moved, photo_moved

if TYPE_CHECKING:
    from bulletin_press.manifest.load import LoadedIssue

# WeasyPrint log lines that mean the PDF would be wrong, with what to do.
_FATAL_LOGS = {
    ".notdef glyph rendered": ("font.notdef",
                               N_("a character has no glyph in any installed font")),
    "Too many glyphs missing": ("font.glyphs-missing",
                                N_("characters are missing from a font; text selection breaks")),
}


class _FencedFetcher(URLFetcher):  # type: ignore[misc]
    def __init__(self, fence: Fence) -> None:
        super().__init__(timeout=1, allowed_protocols={"file", "data"})
        self.fence = fence

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        data, media_type = self.fence.open(url)  # raises FenceRefused: WeasyPrint logs it
        return URLFetcherResponse(url, data, {"Content-Type": media_type})


@dataclass
class Typeset:
    document: Any  # weasyprint.document.Document
    fence: Fence
    log: list[logging.LogRecord] = field(default_factory=list)
    seconds: float = 0.0
    moved: list[str] = field(default_factory=list)  # headlines the keep guard moved
    photos_moved: list[str] = field(default_factory=list)  # photos the photo guard moved
    issue: LoadedIssue | None = None  # whose photos they are: named in the notes

    @property
    def page_count(self) -> int:
        return len(self.document.pages)

    def anchor_pages(self) -> dict[str, int]:
        """Anchor id → 1-based page number where it is placed."""
        found: dict[str, int] = {}
        for number, page in enumerate(self.document.pages, start=1):
            for anchor in page.anchors:
                found.setdefault(anchor, number)
        return found

    def page_texts(self) -> list[str]:
        """The text each page shows, in box order (what the checks look for without
        reading the PDF back: ~1 ms a page against pdfplumber's ~150 ms)."""
        def text(box: Any) -> Iterator[str]:
            if isinstance(box, boxes.TextBox):
                yield box.text
            for child in getattr(box, "children", ()):
                yield from text(child)

        return ["".join(text(page._page_box)) for page in self.document.pages]

    def stranded(self, keeps: list[tuple[str, str]]) -> list[str]:
        """Of (headline anchor, text anchor) pairs, the headlines whose text starts on
        a later page: left at the foot of a page without what they introduce."""
        pages = self.anchor_pages()
        found = []
        for head, text in keeps:
            if head not in pages or text not in pages or pages[text] <= pages[head]:
                continue
            page = self.document.pages[pages[head] - 1]
            # At the top of its page already: a new page would change nothing.
            if page.anchors[head][1] > page._page_box.content_box_y() + 1:
                found.append(head)
        return found

    def holes(self, markers: list[tuple[str, str]], column_width: float, line: float
              ) -> list[str]:
        """Photos (of (marker, photo anchor) pairs) that did not fit under the text
        before them and went on in the next column or page, leaving at least two
        empty lines above. `column_width`, `line`: in pt."""
        places: dict[str, tuple[int, float, float]] = {}
        for number, page in enumerate(self.document.pages):
            for anchor, box in page.anchors.items():
                places.setdefault(anchor, (number, box[0] * 0.75, box[1] * 0.75))
        found = []
        for marker, photo in markers:
            if marker not in places or photo not in places:
                continue
            text_page, text_x, text_y = places[marker]
            photo_page, photo_x, _ = places[photo]
            same_column = text_page == photo_page and \
                photo_x - 1 <= text_x <= photo_x + column_width + 1
            if same_column:
                continue
            page_box = self.document.pages[text_page]._page_box
            bottom = (page_box.content_box_y() + page_box.height) * 0.75
            # As the text left it: the vertical justification's lines above the
            # marker filled the hole, but the photo is better moved.
            given: dict[float, int] = getattr(page_box, GIVEN, {})
            lift = line * sum(lines for x, lines in given.items()
                              if x * 0.75 - 1 <= text_x <= x * 0.75 + column_width + 1)
            if bottom - (text_y - lift + line) >= 2 * line - 1:
                found.append(photo)
        return found

    def diagnostics(self) -> list[Diagnostic]:
        found: list[Diagnostic] = []
        for refusal in self.fence.refusals:
            found.append(error("fence.refused", _("refused to load '{url}': {reason}").format(
                url=refusal.url, reason=refusal.reason), Location(),
                               _("reference files inside the issue folder by relative path")))
        found += [photo_moved(anchor, self.issue) for anchor in self.photos_moved]
        if self.issue is not None:  # else the build names them (TypesetRun.moved)
            pages = self.anchor_pages()
            found += [headline_moved(anchor, self.issue, pages.get(anchor))
                      for anchor in self.moved]
        for record in self.log:
            message = record.getMessage()
            for marker, (code, text) in _FATAL_LOGS.items():
                if marker in message:
                    found.append(error(code, _(text), hint=_(
                        "run 'bulletin-press check' to see which characters; replace them or "
                        "add a font")))
                    break
            else:
                if any(r.url in message for r in self.fence.refusals):
                    continue  # reported from the fence's own record
                if message.startswith("Failed to load"):
                    found.append(error("render.load-failed", message.splitlines()[0][:300],
                                       hint=_("the file is damaged or not what its name says")))
                    continue
                found.append(warning("render.log", message.splitlines()[0][:300]))
        return found


class _Collect(logging.Handler):
    def __init__(self, into: list[logging.LogRecord]) -> None:
        super().__init__(logging.WARNING)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(record)


@contextmanager
def _collect_logs(into: list[logging.LogRecord]) -> Iterator[None]:
    logger = logging.getLogger("weasyprint")
    handler = _Collect(into)
    logger.addHandler(handler)
    propagate = logger.propagate
    logger.propagate = False  # findings are reported by us, not printed by WeasyPrint
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def typeset(html: str, base_url: str, fence: Fence, user_css: str | None = None,
            keeps: list[tuple[str, str]] | None = None) -> Typeset:
    """`user_css`: a user stylesheet (its !important rules win over the layout's).

    `keeps`: (headline anchor, text anchor) of each article. WeasyPrint 70 can
    leave a spanning headline at the foot of a page although the layout says
    `break-after: avoid`; an article whose headline it strands so is typeset
    again starting on a new page (at most a few rounds).
    """
    gate.install()  # once per process: BuildError with another WeasyPrint version
    result = _typeset(html, base_url, fence, user_css)
    moved: list[str] = []
    for _round in range(3):
        stranded = result.stranded(keeps or [])
        if not stranded:
            break
        moved += stranded
        # The break is forced, and WeasyPrint keeps the margins at the top of a page
        # after a forced break (an unforced one truncates them: css-break-3): the
        # article's line above it (`.article + .article`) stayed, and the page
        # began a line lower than where the headline goes when pushed by the text
        # above it. A run typeset under a spacer that just pushes its headline (runs/plan
        # `_spacer`'s floor) then gave other pages than the issue typeset as one.
        guard = "".join(f"#{anchor} {{ break-before: page !important; "
                        f"margin-top: 0 !important; }}\n" for anchor in moved)
        seconds = result.seconds
        result = _typeset(html, base_url, Fence(fence.mounts), (user_css or "") + "\n" + guard)
        result.seconds += seconds
    result.moved = moved
    return result


def _typeset(html: str, base_url: str, fence: Fence, user_css: str | None) -> Typeset:
    started = time.perf_counter()
    log: list[logging.LogRecord] = []
    fetcher = _FencedFetcher(fence)
    sheets = [weasyprint.CSS(string=user_css)] if user_css else None
    with _collect_logs(log):
        document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
            stylesheets=sheets, font_config=_font_configuration())
    return Typeset(document, fence, log, time.perf_counter() - started)


@dataclass
class _KeptFonts:
    on: bool = False
    configuration: Any = None


_kept_fonts = _KeptFonts()


def keep_font_configuration() -> None:
    """From now on this process's documents share one font configuration (a
    print build's worker, which lives as long as its build): each new one
    loads fontconfig's configuration and gets a new Pango font map whose fonts,
    their glyph metrics and shaping, start cold (~10 ms a document). A document
    whose stylesheets add fonts (@font-face) leaves it to itself: the next
    document gets a new one, so no document sees another's fonts."""
    _kept_fonts.on = True


def _font_configuration() -> Any:
    """The kept font configuration (see keep_font_configuration), else None:
    WeasyPrint makes one for the document."""
    if not _kept_fonts.on:
        return None
    kept = _kept_fonts.configuration
    if kept is None or kept._folder is not None:  # _folder: the fonts @font-face added
        from weasyprint.text.fonts import FontConfiguration

        kept = _kept_fonts.configuration = FontConfiguration()
    return kept


def write_pdf(result: Typeset, *, variant: str | None = None,
              identifier: bytes | bool | None = None, fonts: str = "own",
              compress: bool = True, tagged: bool = False) -> bytes:
    """`identifier`: None = one derived from the content for PDF/A (which requires
    it; the same document gets the same one), none for print; False = none.
    `fonts`: "own" (WeasyPrint's subsets), "placeholder" or "shared" (see
    typeset/ext/font_programs.py; "own" when that extension is switched off).
    `tagged`: with a structure tree (PDF/A level A variants are tagged anyway)."""
    chosen = bool(variant) if identifier is None else identifier
    options: dict[str, Any] = {"pdf_identifier": chosen, "uncompressed_pdf": not compress,
                               "pdf_tags": tagged}
    if variant:
        options["pdf_variant"] = variant
    programs: AbstractContextManager[None] = nullcontext()
    if fonts != "own" and "font_programs" in gate.install():
        from bulletin_press.typeset.ext.font_programs import programs as font_programs

        programs = font_programs(fonts)
    with _collect_logs(result.log), programs, image_streams.kept_in(_images_folder(result.fence)):
        pdf: bytes = result.document.write_pdf(**options)
    return pdf


def _images_folder(fence: Fence) -> Path | None:
    """Where a PNG photo's image stream is kept for the next document
    (typeset/ext/png_streams.py): the issue's project's output/.cache/images."""
    from bulletin_press.manifest.project import find_project

    issue = fence.mounts.get("issue")
    return image_streams.folder_for(find_project(issue).output_dir) if issue else None
