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

from bulletin_press.build.page_fit import Fitted, Measured, fit, head_lines, notice_heights
from bulletin_press.diagnostics import BuildError, Diagnostic, error, has_errors
from bulletin_press.i18n import _
from bulletin_press.layout.context import (
    figure_markers,
    shift_figures,
)
from bulletin_press.layout.page_plan import Measure, PagePlan
from bulletin_press.layout.photo_guard import PASSES, first_holes
from bulletin_press.layout.photo_print import measure_photos
from bulletin_press.layout.prepare import Prepared, prepare
from bulletin_press.layout.render import render_html
from bulletin_press.layout.specs import Layout
from bulletin_press.manifest.project import is_within
from bulletin_press.pdf.native import load_pikepdf
from bulletin_press.typeset.guard_notes import headline_moved, photo_moved

if TYPE_CHECKING:
    from bulletin_press.manifest.load import LoadedIssue
    from bulletin_press.pdf.archive import Source
    from bulletin_press.runs.assemble import Begun, FontsAhead
    from bulletin_press.runs.plan import RunCache
    from bulletin_press.runs.store import RunStore
    from bulletin_press.runs.worker import TypesetRun
    from bulletin_press.typeset.engine import Typeset
    from bulletin_press.typeset.page_facts import PageFacts


@dataclass
class Built:
    prepared: Prepared  # with the page plan applied: what was typeset
    typeset: Typeset
    pdf: bytes
    timings: dict[str, float] = field(default_factory=dict)
    plan: list[Diagnostic] = field(default_factory=list)  # what the page plan could not meet
    rounds: int = 1  # typesettings of the page plan

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.prepared.diagnostics + self.typeset.diagnostics() + self.plan

    @property
    def files_read(self) -> set[Path]:
        return self.prepared.source_files() | set(self.typeset.fence.reads)

    @property
    def page_count(self) -> int:
        return self.typeset.page_count

    def page_facts(self) -> list[PageFacts]:
        """What the preflight checks on each page, from the typeset boxes (~2 ms a page)."""
        from bulletin_press.typeset.page_facts import document_facts

        if self._facts is None:
            self._facts = document_facts(self.typeset.document.pages,
                                         self.prepared.layout.geometry)
        return self._facts

    _facts: list[PageFacts] | None = field(default=None, init=False, repr=False)


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
    anchors: dict[str, int] = field(default_factory=dict)  # anchor → issue page
    rounds: int = 1  # rounds of the page plan
    # Per page: what the preflight checks, as the runs' workers found it (with the
    # page frame's running heads); empty when not known: the preflight reads the PDF.
    facts: list[PageFacts] = field(default_factory=list)
    # anchor → (issue page, its box there in pt); empty when not known.
    boxes: dict[str, tuple[int, tuple[float, float, float, float]]] = field(
        default_factory=dict)
    wrong_guesses: int = 0  # runs inside flowing text typeset again (see runs/plan.py)

    def anchor_pages(self) -> dict[str, int]:
        return self.anchors

    def page_facts(self) -> list[PageFacts] | None:
        return self.facts if len(self.facts) == self.page_count else None


def moved_notes(runs: list[TypesetRun], issue: LoadedIssue) -> list[Diagnostic]:
    """The keep guard's notes of the runs, named and placed (`headline_moved`)."""
    from bulletin_press.runs.plan import anchor_pages

    pages = anchor_pages(runs)
    moved = dict.fromkeys(a for run in runs for a in getattr(run, "moved", []))
    return [headline_moved(anchor, issue, pages.get(anchor)) for anchor in moved]


def _typeset_guarded(prepared: Prepared, shifts: dict[str, int]) -> Typeset:
    """The issue typeset, with the photo guard: a photo that left empty lines above
    it (it did not fit under its paragraph) follows a later paragraph instead.
    `shifts` (photo → paragraphs moved): the guard's moves so far, from the page
    plan's earlier rounds (updated; as the page-run build keeps them, runs/plan.py)."""
    from bulletin_press.typeset.engine import typeset

    g = prepared.layout.geometry
    context = prepared.context.context
    flows = shift_figures(context["flows"], shifts)
    html = prepared.html.html if not shifts else \
        render_html(prepared.layout, {**context, "flows": flows}).html
    for step in range(1, PASSES + 1):
        fence = prepared.fence()
        result = typeset(html, fence.url("issue"), fence, keeps=prepared.keeps())
        holes = first_holes(result.holes(figure_markers(flows), g.column_width, g.line),
                            result.anchor_pages(), context["flows"], shifts)
        if not holes or step == PASSES:
            break
        for anchor in holes:
            shifts[anchor] = shifts.get(anchor, 0) + 1
        flows = shift_figures(context["flows"], shifts)
        html = render_html(prepared.layout, {**context, "flows": flows}).html
    result.photos_moved = sorted(shifts)
    result.issue = prepared.issue
    return result


def build(issue_dir: Path, *, variant: str | None = None,
          identifier: bytes | bool | None = None, slim: bool = True,
          tagged: bool = False, plan: bool = True) -> Built:
    """Validate, typeset and write the PDF (for print, or the PDF/A `variant`;
    `tagged`: with a structure tree); BuildError if anything is wrong. Not
    `plan`: as typeset once, without the page plan (build/page_fit.py; to
    compare with)."""
    from bulletin_press.pdf.font_subsets import slim_fonts
    from bulletin_press.typeset.column_fill import PX_TO_PT, document_fill, document_give
    from bulletin_press.typeset.engine import write_pdf

    shifts: dict[str, int] = {}  # the photo guard's, kept from round to round

    def typeset_round(planned: Prepared) -> tuple[Typeset, Measure]:
        result = _typeset_guarded(planned, shifts)
        g = planned.layout.geometry
        fills = document_fill(result.document.pages, g.columns, g.column_width, g.gap, g.line)
        give = document_give(result.document.pages, g.columns, g.column_width, g.gap)
        boxes: dict[str, tuple[int, tuple[float, float, float, float]]] = {}
        for number, page in enumerate(result.document.pages, start=1):
            for anchor, box in page.anchors.items():
                boxes.setdefault(anchor, (number, box))
        flows = planned.context.context["flows"]
        heads = head_lines(flows, boxes, g.line / PX_TO_PT,
                           g.margin_top / PX_TO_PT, g.margin_side / PX_TO_PT)
        return result, Measured(fills, result.anchor_pages(), heads, give=give,
                                wholes=notice_heights(flows, boxes, g.line / PX_TO_PT))

    fitted = fit(prepare(issue_dir), typeset_round, rounds=None if plan else 1)
    prepared, result = fitted.prepared, fitted.result
    started = time.perf_counter()
    pdf = write_pdf(result, variant=variant, identifier=identifier, tagged=tagged)
    if slim:  # the preview skips it: it costs ~0.4 s and changes nothing on screen
        pdf = slim_fonts(pdf)
    write_seconds = time.perf_counter() - started
    built = Built(prepared, result, pdf, {
        "prepare": prepared.seconds, "typeset": result.seconds, "write": write_seconds},
        fitted.findings, fitted.rounds)
    if has_errors(built.diagnostics):
        raise BuildError(built.diagnostics)
    return built


def build_runs(issue_dir: Path, *, jobs: int = 1, store: bool = True,
               reuse: bool = True, tagged: bool = False,
               flowing: bool | int = True) -> Assembled:
    """The print PDF, typeset run by run: runs in `jobs` processes at once (forked
    from a server, see runjob.start_workers: a script calling this with `jobs` > 1
    needs Python's `if __name__ == "__main__":` guard), runs unchanged since an
    earlier build taken from the store in output/.cache/runs unless not `reuse`
    (and none stored unless `store`); BuildError if anything is wrong.

    `tagged`: a tagged PDF, typeset as one document. Its structure tree is one
    tree over the issue (an article cut by a page is one element); the runs'
    trees would have to be merged element by element across run boundaries.

    `flowing`: runs of articles that flow one after another are cut into runs of
    about runs.plan.FLOW_PAGES pages (a number: of that many pages, 0 at every
    article; False: not cut, to compare with)."""
    from bulletin_press.runs.worker import end_workers

    try:
        return _build_runs(issue_dir, jobs=jobs, store=store, reuse=reuse, tagged=tagged,
                           flowing=flowing)
    finally:  # the workers are kept between rounds (runs/worker.py worker_pool)
        end_workers()


def _build_runs(issue_dir: Path, *, jobs: int, store: bool, reuse: bool, tagged: bool,
                flowing: bool | int) -> Assembled:
    from bulletin_press.runs.plan import FLOW_PAGES, RunCache
    from bulletin_press.runs.store import RunStore

    if tagged:
        return _one_document(issue_dir, tagged=True)
    prepared = prepare(issue_dir, later_html=True)  # (each run is rendered on its own)
    if has_page_sides(prepared.layout):
        return _one_document(issue_dir)
    started = time.perf_counter()
    folder = prepared.issue.project.output_dir / ".cache" / "runs"
    cache = RunCache(store=RunStore(folder, read=reuse) if store else None, jobs=jobs,
                     framed=True, flow_pages=None if flowing is False
                     else FLOW_PAGES if flowing is True else flowing)
    meanwhile = _Meanwhile(cache, (str(prepared.issue.project.fonts_dir),))
    cache.meanwhile = meanwhile
    try:
        return _assembled_runs(prepared, cache, started, meanwhile)
    finally:
        meanwhile.close()


class _Meanwhile:
    """What the build's process does while a round of the page plan typesets its
    runs and a core idles (RunCache.meanwhile; bench-16's second round typesets
    one run of 2 pages): it reads the fonts of the runs, the frame and the contents
    document as they are now, and cuts each merged font from its file in a thread
    (runs.assemble.FontsAhead), ~30 of the ~70 ms of CPU assembling takes after
    the last round; and it measures each photo's sharpness at the scale it prints
    at (layout.photo_print, ~10 ms a photo), which the preflight asks for after the
    assembly. Both are used where they are the same in the end."""

    def __init__(self, cache: RunCache, font_folders: tuple[str, ...]) -> None:
        self.cache = cache
        self.font_folders = font_folders
        self.fonts: FontsAhead | None = None

    def __call__(self, prepared: Prepared, runs: list[TypesetRun], missing: list[int]
                 ) -> None:
        try:
            self._read(prepared, runs)
        except Exception:
            # Work ahead only: what fails here fails again where it counts (the
            # assembly, the preflight), with its own message; the build goes on.
            return

    def _read(self, prepared: Prepared, runs: list[TypesetRun]) -> None:
        from bulletin_press.runs.assemble import FontsAhead
        from bulletin_press.runs.plan import issue_page_count

        if self.fonts is None:
            self.fonts = FontsAhead(self.font_folders)
        # The runs being typeset are read as the last round typeset them (their
        # glyphs are likely the same), the frame's pages as many as the issue's.
        pdfs: list[tuple[bytes, int | None]] = [(run.pdf, None) for run in runs if run.pdf]
        frame = self.cache.typeset_last("frame")
        if frame is not None:
            pdfs.append((frame.pdf, issue_page_count(runs)))
        contents = self.cache.typeset_last("contents")
        if contents is not None:
            pdfs.append((contents.pdf, None))
        self.fonts.read(pdfs)
        boxes = {anchor: box for anchor, (_, box) in _run_boxes(runs).items()}
        measure_photos(prepared.layout, prepared.context.context, prepared.context.images,
                       boxes)

    def close(self) -> None:
        if self.fonts is not None:
            self.fonts.close()


def _assembled_runs(prepared: Prepared, cache: RunCache, started: float,
                    meanwhile: _Meanwhile) -> Assembled:
    from bulletin_press.runs.plan import anchor_pages, issue_page_count
    from bulletin_press.runs.worker import release_workers

    fitted = fit_runs(prepared, cache)
    prepared, runs = fitted.prepared, fitted.result
    shared = [run.spacer > 0 for run in runs]
    # The frame and contents may still be due (typeset in the workers on first
    # access): read them first. The contents document is typically the last one
    # typeset (its numbers are known once the last round's runs are), ~0.08 s on
    # one core: meanwhile this process lays the runs and the frame together and
    # cuts their fonts (assemble.begin), what it would do after it otherwise.
    cache.send_framing()
    framed = cache.framing_now("frame")
    frame = framed.pdf if framed is not None else None
    begun = None
    if cache.typesetting("contents"):
        earlier = cache.earlier_contents()
        begun = _begin_assembly(prepared, [run.pdf for run in runs], frame, shared,
                                earlier.pdf if earlier is not None else None,
                                meanwhile.fonts)
    try:
        contents = cache.contents.pdf if cache.contents is not None else None
        release_workers()  # nothing more to typeset: they end while the runs are joined
        if cache.jobs <= 1:  # else the documents were in the workers (collecting: ~20 ms)
            gc.collect()  # the last typeset document's cycles (~60 MiB), before assembling
        typeset_seconds = time.perf_counter() - started
        started = time.perf_counter()
        pdf = _assembled(prepared, [run.pdf for run in runs], frame, contents, cache.store,
                         shared, begun, meanwhile.fonts)
    finally:
        if begun is not None:  # (finished: closed already; else let go here)
            begun.close()
    diagnostics = prepared.diagnostics + _unique([d for run in runs for d in run.diagnostics])
    diagnostics += [photo_moved(anchor, prepared.issue) for anchor in sorted(cache.shifts)]
    diagnostics += moved_notes(runs, prepared.issue)
    diagnostics += fitted.findings
    files = prepared.source_files() | {p for run in runs for p in run.reads}
    built = Assembled(prepared, pdf, issue_page_count(runs), diagnostics, files,
                      cache.typeset_count, len(runs), {
                          "prepare": prepared.seconds, "typeset": typeset_seconds,
                          "assemble": time.perf_counter() - started}, anchor_pages(runs),
                      fitted.rounds, _run_facts(runs, cache.frame, cache.contents),
                      _run_boxes(runs),
                      wrong_guesses=cache.wrong_guesses)
    if has_errors(built.diagnostics):
        raise BuildError(built.diagnostics)
    if cache.store is not None:
        cache.store.note_files(prepared.issue.root, files | set(prepared.layout.files))
    return built


def _begin_assembly(prepared: Prepared, runs: list[bytes], frame: bytes | None,
                    shared: list[bool], likely: bytes | None,
                    fonts: FontsAhead | None = None) -> Begun:
    """The runs and the frame assembled, their fonts being cut (assemble.begin) with
    the glyphs of `likely` (an earlier contents document), to finish with the
    contents box's numbers."""
    load_pikepdf()  # before runs.assemble imports it, where Ctrl-C could abort it
    from bulletin_press.runs.assemble import begin

    return begin(runs, frame=frame, font_folders=(str(prepared.issue.project.fonts_dir),),
                 shared=shared, ahead=True, likely=likely, fonts=fonts)


def _assembled(prepared: Prepared, runs: list[bytes], frame: bytes | None,
               contents: bytes | None, store: RunStore | None, shared: list[bool],
               begun: Begun | None = None, ahead: FontsAhead | None = None) -> bytes:
    """The print PDF of the runs: as assembled from the same runs before (kept in the
    store: a build whose runs all come from the store costs no assembling), or
    assembled now (finishing `begun`: these runs and frame, begun while the
    contents document was typeset; `ahead`: the fonts read and cut meanwhile)."""
    from bulletin_press.runs.store import assembly_key

    fonts = prepared.issue.project.fonts_dir
    key = assembly_key(runs, frame, sorted(fonts.glob("*")) if fonts.is_dir() else [], shared,
                       contents)
    found = store.assembled(key) if store is not None else None
    if found is not None:
        return found
    load_pikepdf()  # before runs.assemble imports it, where Ctrl-C could abort it
    from bulletin_press.runs.assemble import FontNotFound, assemble

    try:
        pdf = assemble(runs, frame=frame, contents=contents, font_folders=(str(fonts),),
                       shared=shared, begun=begun, fonts=ahead)
    except FontNotFound as exc:
        raise BuildError([error("font.file-not-found", _("the font file of {font} was not "
                                                         "found to embed it").format(font=exc),
                                hint=_("install the font with fontconfig or put its file in "
                                       "the fonts folder"))]) from exc
    if store is not None:
        store.keep_assembled(key, pdf)
    return pdf


def fit_runs(prepared: Prepared, cache: RunCache, start: PagePlan | None = None
             ) -> Fitted[list[TypesetRun]]:
    """The issue's page runs typeset to meet its page plan: each round typesets
    only the runs it changed (see runs.plan.update); `cache.typeset_count` counts
    them all."""
    from bulletin_press.runs.plan import anchor_pages, issue_fill, update

    typeset_count = wrong_guesses = 0

    def typeset_round(planned: Prepared) -> tuple[list[TypesetRun], Measure]:
        nonlocal typeset_count, wrong_guesses
        done = update(planned, cache)
        typeset_count += cache.typeset_count
        wrong_guesses += cache.wrong_guesses
        g = planned.layout.geometry
        flows, boxes = planned.context.context["flows"], _run_boxes(done)
        heads = head_lines(flows, boxes, g.line, g.margin_top, g.margin_side)
        return done, Measured(issue_fill(done), anchor_pages(done), heads,
                              _run_feet(done, planned.layout.geometry.line * 4 / 3),
                              give=[list(f.give) for f in _run_facts(done, None)],
                              wholes=notice_heights(flows, boxes, planned.layout.geometry.line))

    cache.rounds.clear()  # (the preview's cache is kept from build to build)
    fitted = fit(prepared, typeset_round, start=start)
    if fitted.result is not cache.runs:  # an earlier round was the plan's best: its runs
        fitted.result, _ = typeset_round(fitted.prepared)  # as that round left them
    cache.rounds.clear()  # (they hold each round's content and runs)
    cache.typeset_count = typeset_count
    cache.wrong_guesses = wrong_guesses
    return fitted


def _run_boxes(runs: list[TypesetRun]
               ) -> dict[str, tuple[int, tuple[float, float, float, float]]]:
    """Where each anchor of the runs is: its issue page and box (a run inside flowing
    text begins on the last page of the run before)."""
    found: dict[str, tuple[int, tuple[float, float, float, float]]] = {}
    first = 1
    for index, run in enumerate(runs):
        if index and run.spacer > 0:
            first -= 1
        for anchor, (x0, y0, x1, y1) in run.boxes.items():
            found.setdefault(anchor, (first + run.anchors[anchor] - 1, (x0, y0, x1, y1)))
        first += run.pages
    return found


def _run_feet(runs: list[TypesetRun], line_px: float) -> dict[int, float]:
    """The foot of each run's last page (its issue page → lines from the top), and
    of each page inside a run that an article's head went on from (it opens the
    next page: `TypesetRun.feet`), so that a hole there is judged on its foot
    whichever way the runs are cut."""
    feet: dict[int, float] = {}
    inside: dict[int, float] = {}
    first = 1
    for index, run in enumerate(runs):
        if index and run.spacer > 0:
            first -= 1
        for anchor, (page, foot) in run.feet.items():
            if run.anchors.get(anchor, page) > page:
                inside.setdefault(first + page - 1, foot / line_px)
        if run.pages:
            feet[first + run.pages - 1] = run.foot / line_px
        first += run.pages
    return {**inside, **feet}


def _run_facts(runs: list[TypesetRun], frame: TypesetRun | None,
               contents: TypesetRun | None = None) -> list[PageFacts]:
    """The page facts of the runs' pages with the frame (and the contents box's
    numbers) laid over them, as assembled; empty if a run or the frame has none.
    A run inside flowing text lays its first page over the last page of the run
    before (runs/plan.py)."""
    if any(len(run.facts) != run.pages for run in runs):
        return []
    facts: list[PageFacts] = []
    for index, run in enumerate(runs):
        own = list(run.facts)
        if index and run.spacer > 0 and facts and own:
            facts[-1] = facts[-1].laid_over(own.pop(0))
        facts += own
    if frame is None:
        return facts
    if len(frame.facts) < len(facts):
        return []
    over = list(frame.facts[:len(facts)])
    if contents is not None:  # drawn before the frame (assemble.py)
        if len(contents.facts) != contents.pages:
            return []
        over[:len(contents.facts)] = [numbers.laid_over(heads) for numbers, heads
                                      in zip(contents.facts, over, strict=False)]
    return [page.laid_over(laid) for page, laid in zip(facts, over, strict=True)]


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


def _one_document(issue_dir: Path, tagged: bool = False) -> Assembled:
    built = build(issue_dir, tagged=tagged)
    boxes: dict[str, tuple[int, tuple[float, float, float, float]]] = {}
    for number, page in enumerate(built.typeset.document.pages, start=1):
        for anchor, (x0, y0, x1, y1) in page.anchors.items():
            boxes.setdefault(anchor, (number, (x0 * 0.75, y0 * 0.75, x1 * 0.75, y1 * 0.75)))
    return Assembled(built.prepared, built.pdf, built.page_count, built.diagnostics,
                     built.files_read, 1, 1, built.timings, built.typeset.anchor_pages(),
                     1, built.page_facts(), boxes)


def _unique(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return list(dict.fromkeys(diagnostics))


def archive(issue_dir: Path, variant: str, *, embed_sources: bool = False) -> Built:
    """The issue as PDF/A, post-processed for conformance (see archive.py)."""
    from bulletin_press.pdf.archive import postprocess, variant_part

    part, _level = variant_part(variant)
    if embed_sources and part != 3:
        raise BuildError([error("archive.embed-needs-part-3",
                                _("sources can only be embedded in PDF/A-3, not {variant}")
                                .format(variant=variant),
                                hint=_("use --variant pdf/a-3u (the default with "
                                       "--embed-sources)"))])
    built = build(issue_dir, variant=variant)
    context = built.prepared.context.context
    sources = source_files(built) if embed_sources else []
    built.pdf = postprocess(built.pdf, language=context["lang"],
                            publisher=context["publisher"], date_iso=context["date_iso"],
                            sources=sources)
    return built


def source_files(built: Built) -> list[Source]:
    """What rebuilding needs: the issue's files, its layout chain and its font files."""
    from bulletin_press.pdf.archive import Source

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
    from bulletin_press.pdf.pdfx_rules import check_pdfx4
    from bulletin_press.pdf.prepress import add_crop_marks, to_pdfx4

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
