"""Stages 1-4 composed: issue folder → validated issue → text → context → HTML.

Everything before the typesetter; nothing here imports WeasyPrint, so manifest
checks and --help stay fast.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from bulletin_press.diagnostics import BuildError, Diagnostic, Location, error, has_errors
from bulletin_press.fonts.lookup import environment_problems
from bulletin_press.i18n import _
from bulletin_press.layout.context import (
    ContextResult,
    article_texts,
    build_context,
    headline_keeps,
)
from bulletin_press.layout.fence import Fence
from bulletin_press.layout.glyph_coverage import check_coverage
from bulletin_press.layout.markup_check import check_markup
from bulletin_press.layout.render import LaterHtml, RenderedHtml, render_html
from bulletin_press.layout.specs import Layout, load_layout, page_css
from bulletin_press.manifest.load import LoadedIssue, load_issue
from bulletin_press.text.blocks import LinkStyle


@dataclass(frozen=True)
class Prepared:
    """Everything before the typesetter: validated input and the HTML for it."""

    issue: LoadedIssue
    layout: Layout
    context: ContextResult
    html: RenderedHtml
    seconds: float
    glyph_warnings: list[Diagnostic] = field(default_factory=list)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.glyph_warnings + self.context.warnings

    def fence(self) -> Fence:
        return make_fence(self.issue, self.layout)

    def keeps(self) -> list[tuple[str, str]]:
        """(headline anchor, text anchor) of each flow, for typeset's keep guard."""
        return headline_keeps(self.context.context["flows"])

    def source_files(self) -> set[Path]:
        """Files the build depends on before any resource is fetched."""
        files = set(self.issue.files_read) | set(self.layout.files)
        for folder in self.layout.folders:
            files |= {p.resolve() for p in folder.iterdir() if p.is_file()}
        return files


def make_fence(issue: LoadedIssue, layout: Layout) -> Fence:
    mounts = {"issue": issue.root, "fonts": issue.project.fonts_dir}
    mounts.update({f"layouts/{folder.name}": folder for folder in layout.folders})
    return Fence(mounts)


def prepare(issue_dir: Path, *, later_html: bool = False) -> Prepared:
    """The issue loaded, checked and in context, and its HTML. `later_html`: that
    whole-issue HTML rendered only when read (the print build typesets each page
    run from its own HTML and never reads it: ~3 ms of its main process before the
    first run is sent, when the workers wait for it); a template error is then
    reported by the first render, a run's."""
    started = time.perf_counter()
    issue = load_issue(issue_dir)
    layout = load_layout(issue.project.layouts_dir, issue.manifest.layout)
    missing = environment_problems(layout.font_families())
    missing += [error("layout.font-file", _("font file '{file}' named by the layout is not in "
                                            "the fonts folder").format(file=face.file),
                      Location(layout.folder / "layout.yaml"),
                      _("put it in {folder}").format(folder=issue.project.fonts_dir))
                for face in layout.spec.fonts.files
                if not (issue.project.fonts_dir / face.file).is_file()]
    if missing:
        raise BuildError(missing)
    fence = make_fence(issue, layout)
    font_urls = {f.file: fence.url("fonts", f.file) for f in layout.spec.fonts.files}
    css = page_css(layout, font_urls)
    sheets = [fence.url(f"layouts/{p.parent.name}", p.name) for p in layout.stylesheet_paths()]
    first_sheets = [fence.url(f"layouts/{p.parent.name}", p.name)
                    for p in layout.stylesheet_paths(first_page=True)]
    # Layout option `links: text` prints a link's text alone, without its address.
    links: LinkStyle = "text" if layout.spec.options.get("links") == "text" else "address"
    texts = article_texts(issue, links)
    glyphs = check_markup(issue) + check_coverage(issue, layout, texts)
    if has_errors(glyphs):
        raise BuildError(glyphs)
    context = build_context(issue, layout, texts, css, sheets, first_sheets)
    html = LaterHtml(layout, context.context) if later_html else \
        render_html(layout, context.context)
    return Prepared(issue, layout, context, html, time.perf_counter() - started, glyphs)
