"""The stages composed: issue folder → HTML → typeset document → PDF bytes.

Nothing here prints or exits; commands decide that. WeasyPrint is imported
only when a document is typeset, so manifest checks and --help stay fast.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .context import ContextResult, article_texts, build_context
from .coverage import check_coverage
from .diagnostics import BuildError, Diagnostic, has_errors
from .fence import Fence
from .fonts import environment_problems
from .layouts import Layout, load_layout, page_css
from .load import LoadedIssue, load_issue
from .render import RenderedHtml, render_html

if TYPE_CHECKING:
    from .typeset import Typeset


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
        return Fence((self.issue.root, *self.layout.folders, self.issue.project.fonts_dir))

    def source_files(self) -> set[Path]:
        """Files the build depends on before any resource is fetched."""
        files = set(self.issue.files_read) | set(self.layout.files)
        for folder in self.layout.folders:
            files |= {p.resolve() for p in folder.iterdir() if p.is_file()}
        return files


@dataclass
class Built:
    prepared: Prepared
    typeset: Typeset
    pdf: bytes
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.prepared.diagnostics + self.typeset.diagnostics()

    @property
    def files_read(self) -> set[Path]:
        return self.prepared.source_files() | set(self.typeset.fence.reads)


def prepare(issue_dir: Path) -> Prepared:
    started = time.perf_counter()
    issue = load_issue(issue_dir)
    layout = load_layout(issue.project.layouts_dir, issue.manifest.layout)
    missing = environment_problems(layout.font_families())
    if missing:
        raise BuildError(missing)
    font_urls = {f.file: (issue.project.fonts_dir / f.file).resolve().as_uri()
                 for f in layout.spec.fonts.files}
    css = page_css(layout, font_urls)
    sheets = [p.resolve().as_uri() for p in layout.stylesheet_paths()]
    texts = article_texts(issue)
    glyphs = check_coverage(issue, layout, texts)
    if has_errors(glyphs):
        raise BuildError(glyphs)
    context = build_context(issue, layout, texts, css, sheets)
    html = render_html(layout, context.context)
    return Prepared(issue, layout, context, html, time.perf_counter() - started, glyphs)


def build(issue_dir: Path) -> Built:
    """Validate, typeset and write the print PDF; BuildError if anything is wrong."""
    from .typeset import typeset, write_pdf

    prepared = prepare(issue_dir)
    result = typeset(prepared.html.html, prepared.issue.root, prepared.fence())
    started = time.perf_counter()
    pdf = write_pdf(result)
    write_seconds = time.perf_counter() - started
    built = Built(prepared, result, pdf, {
        "prepare": prepared.seconds, "typeset": result.seconds, "write": write_seconds})
    if has_errors(built.diagnostics):
        raise BuildError(built.diagnostics)
    return built
