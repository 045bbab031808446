"""The stages composed: issue folder → HTML → typeset document → PDF bytes.

Nothing here prints or exits; commands decide that. WeasyPrint is imported
only when a document is typeset, so manifest checks and --help stay fast.
"""

from __future__ import annotations

import gc
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .context import (
    ContextResult,
    article_texts,
    build_context,
    figure_markers,
    headline_keeps,
    shift_figures,
)
from .coverage import check_coverage
from .diagnostics import BuildError, Diagnostic, Location, error, has_errors
from .fence import Fence
from .fonts import environment_problems
from .layouts import Layout, load_layout, page_css
from .load import LoadedIssue, load_issue
from .notes import photo_moved
from .project import is_within
from .render import RenderedHtml, render_html

if TYPE_CHECKING:
    from .archive import Source
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

    @property
    def page_count(self) -> int:
        return self.typeset.page_count


@dataclass
class Assembled:
    """The print PDF made of page runs (see runs.py, assemble.py)."""

    prepared: Prepared
    pdf: bytes
    page_count: int
    diagnostics: list[Diagnostic]
    files_read: set[Path]
    typeset_runs: int  # runs typeset by this build; the others came from the store
    run_count: int
    timings: dict[str, float] = field(default_factory=dict)


def make_fence(issue: LoadedIssue, layout: Layout) -> Fence:
    mounts = {"issue": issue.root, "fonts": issue.project.fonts_dir}
    mounts.update({f"layouts/{folder.name}": folder for folder in layout.folders})
    return Fence(mounts)


def prepare(issue_dir: Path) -> Prepared:
    started = time.perf_counter()
    issue = load_issue(issue_dir)
    layout = load_layout(issue.project.layouts_dir, issue.manifest.layout)
    missing = environment_problems(layout.font_families())
    missing += [error("layout.font-file", f"font file '{face.file}' named by the layout is "
                      "not in the fonts folder", Location(layout.folder / "layout.yaml"),
                      f"put it in {issue.project.fonts_dir}")
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
    texts = article_texts(issue)
    glyphs = check_coverage(issue, layout, texts)
    if has_errors(glyphs):
        raise BuildError(glyphs)
    context = build_context(issue, layout, texts, css, sheets, first_sheets)
    html = render_html(layout, context.context)
    return Prepared(issue, layout, context, html, time.perf_counter() - started, glyphs)


def _typeset_guarded(prepared: Prepared) -> Typeset:
    """The issue typeset, with the photo guard: a photo that left empty lines above
    it (it did not fit under its paragraph) follows a later paragraph instead."""
    from .typeset import typeset

    g = prepared.layout.geometry
    context = prepared.context.context
    shifts: dict[str, int] = {}
    flows = context["flows"]
    html = prepared.html.html
    for _ in range(4):
        fence = prepared.fence()
        result = typeset(html, fence.url("issue"), fence, keeps=prepared.keeps())
        holes = result.holes(figure_markers(flows), g.column_width, g.line)
        if not holes:
            break
        for anchor in holes:
            shifts[anchor] = shifts.get(anchor, 0) + 1
        flows = shift_figures(context["flows"], shifts)
        html = render_html(prepared.layout, {**context, "flows": flows}).html
    result.photos_moved = sorted(shifts)
    return result


def build(issue_dir: Path, *, variant: str | None = None,
          identifier: bytes | bool | None = None, slim: bool = True) -> Built:
    """Validate, typeset and write the PDF (for print, or the PDF/A `variant`);
    BuildError if anything is wrong."""
    from .fontslim import slim_fonts
    from .typeset import write_pdf

    prepared = prepare(issue_dir)
    result = _typeset_guarded(prepared)
    started = time.perf_counter()
    pdf = write_pdf(result, variant=variant, identifier=identifier)
    if slim:  # the preview skips it: it costs ~0.4 s and changes nothing on screen
        pdf = slim_fonts(pdf)
    write_seconds = time.perf_counter() - started
    built = Built(prepared, result, pdf, {
        "prepare": prepared.seconds, "typeset": result.seconds, "write": write_seconds})
    if has_errors(built.diagnostics):
        raise BuildError(built.diagnostics)
    return built


def build_runs(issue_dir: Path, *, jobs: int = 1, store: bool = True,
               reuse: bool = True) -> Assembled:
    """The print PDF, typeset run by run: runs in `jobs` processes at once (forked
    from a server, see runjob.start_workers: a script calling this with `jobs` > 1
    needs Python's `if __name__ == "__main__":` guard), runs unchanged since an
    earlier build taken from the store in output/.cache/runs unless not `reuse`
    (and none stored unless `store`); BuildError if anything is wrong."""
    from .assemble import FontNotFound, assemble
    from .runs import RunCache, RunStore, update

    prepared = prepare(issue_dir)
    if has_page_sides(prepared.layout):
        return _one_document(issue_dir)
    started = time.perf_counter()
    folder = prepared.issue.project.output_dir / ".cache" / "runs"
    cache = RunCache(store=RunStore(folder, read=reuse) if store else None, jobs=jobs,
                     framed=True)
    runs = update(prepared, cache)
    if jobs <= 1:  # else the documents were in the workers; a collection here costs ~20 ms
        gc.collect()  # the last typeset document's reference cycles (~60 MiB), before assembling
    frame = cache.frame.pdf if cache.frame is not None else None
    typeset_seconds = time.perf_counter() - started
    started = time.perf_counter()
    try:
        pdf = assemble([run.pdf for run in runs], frame=frame,
                       font_folders=(str(prepared.issue.project.fonts_dir),))
    except FontNotFound as exc:
        raise BuildError([error("font.file-not-found", f"the font file of {exc} was not "
                                "found to embed it", hint="install the font with fontconfig "
                                "or put its file in the fonts folder")]) from exc
    diagnostics = prepared.diagnostics + _unique([d for run in runs for d in run.diagnostics])
    diagnostics += [photo_moved(anchor) for anchor in sorted(cache.shifts)]
    files = prepared.source_files() | {p for run in runs for p in run.reads}
    built = Assembled(prepared, pdf, sum(run.pages for run in runs), diagnostics, files,
                      cache.typeset_count, len(runs), {
                          "prepare": prepared.seconds, "typeset": typeset_seconds,
                          "assemble": time.perf_counter() - started})
    if has_errors(built.diagnostics):
        raise BuildError(built.diagnostics)
    return built


_PAGE_SIDES = re.compile(r"@page[^{]*:(left|right|recto|verso)\b"
                         r"|break-(before|after)\s*:\s*(left|right|recto|verso)\b",
                         re.IGNORECASE)
_FIRST_PAGE = re.compile(r"@page[^{]*:first\b", re.IGNORECASE)


def has_page_sides(layout: Layout) -> bool:
    """Does the layout tell pages apart in a way runs would get wrong? Each run
    counts its pages from 1: left and right pages, and breaks to a left or right
    page, would fall on the wrong side, and `@page :first` outside the
    first-page stylesheets would style every run's first page."""
    def text(path: Path) -> str:
        return path.read_text(encoding="utf-8", errors="replace")

    general = [text(path) for path in layout.stylesheet_paths()]
    first = [text(path) for path in layout.stylesheet_paths(True)]
    return any(_PAGE_SIDES.search(css) for css in general + first) or \
        any(_FIRST_PAGE.search(css) for css in general)


def _one_document(issue_dir: Path) -> Assembled:
    built = build(issue_dir)
    return Assembled(built.prepared, built.pdf, built.page_count, built.diagnostics,
                     built.files_read, 1, 1, built.timings)


def _unique(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return list(dict.fromkeys(diagnostics))


def archive(issue_dir: Path, variant: str, *, embed_sources: bool = False) -> Built:
    """The issue as PDF/A, post-processed for conformance (see archive.py)."""
    from .archive import postprocess, variant_part

    part, _ = variant_part(variant)
    if embed_sources and part != 3:
        raise BuildError([error("archive.embed-needs-part-3",
                                f"sources can only be embedded in PDF/A-3, not {variant}",
                                hint="use --variant pdf/a-3u (the default with "
                                     "--embed-sources)")])
    built = build(issue_dir, variant=variant)
    context = built.prepared.context.context
    sources = source_files(built) if embed_sources else []
    built.pdf = postprocess(built.pdf, language=context["lang"],
                            publisher=context["publisher"], date_iso=context["date_iso"],
                            sources=sources)
    return built


def source_files(built: Built) -> list[Source]:
    """What rebuilding needs: the issue's files, its layout chain and its font files."""
    from .archive import Source

    issue = built.prepared.issue
    layout = built.prepared.layout
    sources: dict[str, bytes] = {}
    for path in sorted(built.files_read):
        if is_within(path, issue.root):
            sources[path.relative_to(issue.root).as_posix()] = path.read_bytes()
    for folder in layout.folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                name = f"layouts/{folder.name}/{path.relative_to(folder).as_posix()}"
                sources[name] = path.read_bytes()
    for face in layout.spec.fonts.files:
        sources[f"fonts/{face.file}"] = (issue.project.fonts_dir / face.file).read_bytes()
    return [Source(name, data) for name, data in sources.items()]


def print_pdf(built: Built | Assembled, *, marks: bool = False, pdf_x: bool = False) -> bytes:
    """The print PDF, with crop marks outside the bleed and/or as checked PDF/X-4."""
    from .pdfx_check import check_pdfx4
    from .printpdf import add_crop_marks, to_pdfx4

    data = built.pdf
    if marks:
        data = add_crop_marks(data)
    if pdf_x:
        spec = built.prepared.layout.spec.print
        context = built.prepared.context.context
        data = to_pdfx4(data, profile=Path(spec.profile), condition=spec.condition,
                        info=spec.info, title=context["document_title"],
                        author=context["publisher"], date_iso=context["date_iso"])
        report = check_pdfx4(data)
        if not report.ok:
            raise BuildError(report.diagnostics())
    return data
