"""The preview's findings: preflight and typography of the pages on screen.

They are made from the page runs the preview typeset for the pictures, as the
print build makes its preflight from its runs, instead of typesetting the
issue again as one document (that alone took longer than everything else). A
run's lines, once read from its PDF, are kept under the hashes of its pages:
after an edit only the run that changed is read again. This runs in a worker
process (see server.CheckWorker), so that the preview's own process keeps its
time for the next edit's pages.
"""

from __future__ import annotations

import dataclasses
import io
from dataclasses import dataclass, field
from typing import Any

from bulletin_press.checks.report import ordered
from bulletin_press.diagnostics import Diagnostic
from bulletin_press.layout.prepare import Prepared
from bulletin_press.runs.worker import TypesetRun

PX_PER_PT = 4 / 3  # WeasyPrint's anchors are in CSS pixels


@dataclass
class CheckJob:
    """What the worker is sent: the issue as typeset for the pictures."""

    prepared: Prepared  # with the page plan applied
    runs: list[TypesetRun]  # a run the worker was sent before comes without its PDF
    keys: list[str]  # each run's pages' hashes, joined: what the worker keeps it under
    diagnostics: list[Diagnostic] = field(default_factory=list)  # prepare, runs, page plan


@dataclass(frozen=True)
class _Read:
    """What the checks need of one run's PDF, read once."""

    pdf: bytes
    body: list[Any]  # checks.typesetting.BodyLine, pages numbered within the run
    every: list[tuple[int, Any]]
    anchors: dict[str, tuple[int, float, float]]  # name → (page in the run, x, y) in px


def _anchors(pdf: bytes) -> dict[str, tuple[int, float, float]]:
    """Where WeasyPrint placed each anchor (element id) of a run: its named
    destinations, in the typeset page's pixels from the page's top-left corner."""
    import pikepdf

    found: dict[str, tuple[int, float, float]] = {}
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        names = doc.Root.get("/Names", pikepdf.Dictionary()).get("/Dests")
        if names is None:
            return found
        pages: dict[Any, int] = {page.objgen: i for i, page in enumerate(doc.pages, start=1)}
        heights: dict[Any, float] = {}
        for page in doc.pages:
            # WeasyPrint draws from the page box's top-left corner: y is up from
            # the page box's foot; the media box adds the bleed on both sides.
            box = [float(v) for v in page.obj.MediaBox]
            heights[page.objgen] = box[1] + box[3]
        tree = pikepdf.NameTree(names)
        for name in tree:
            dest = tree[name]
            if isinstance(dest, pikepdf.Array) and len(dest) >= 4 \
                    and dest[0].objgen in pages:
                found[str(name)] = (pages[dest[0].objgen], float(dest[2]) * PX_PER_PT,
                                    (heights[dest[0].objgen] - float(dest[3])) * PX_PER_PT)
    return found


@dataclass
class _Page:
    anchors: dict[str, tuple[float, float, float, float]] = field(default_factory=dict)


@dataclass
class _Document:
    pages: list[_Page]


@dataclass
class _Typeset:
    document: _Document


@dataclass
class _Placed:
    """What `name_articles` reads of a one-document build: the issue, and where
    each anchor stands (here gathered from the runs)."""

    prepared: Prepared
    typeset: _Typeset


class Checker:
    """The worker's side: findings of a `CheckJob`, keeping what it read of each run."""

    def __init__(self) -> None:
        self._read: dict[tuple[str, str], _Read] = {}

    def _run(self, key: str, run: TypesetRun, geometry: Any) -> _Read:
        from bulletin_press.checks.typesetting import read_body

        cache_key = (key, repr(geometry))
        read = self._read.get(cache_key)
        if read is None:
            pdf = run.pdf or next(r.pdf for (k, _g), r in self._read.items() if k == key)
            body, every = read_body(pdf, geometry)
            read = _Read(pdf, body, every, _anchors(pdf))
        return read

    def read(self, job: CheckJob) -> tuple[list[Any], list[tuple[int, Any]], list[_Page]]:
        """The issue's body lines, all its lines and its pages' anchors, as the
        typography check reads them from the issue's PDF: each run's numbered on from
        the runs before it. Keeps the runs of `job` (the worker is sent a run's PDF
        once: see server.CheckWorker)."""
        g = job.prepared.layout.geometry
        reads = [self._run(key, run, g) for key, run in zip(job.keys, job.runs, strict=True)]
        # Only the runs on screen are kept: a run an edit replaced is not seen again.
        self._read = {(key, repr(g)): read for key, read in zip(job.keys, reads, strict=True)}
        body: list[Any] = []
        every: list[tuple[int, Any]] = []
        pages: list[_Page] = []
        for run, read in zip(job.runs, reads, strict=True):
            first = len(pages)
            body += [dataclasses.replace(line, page=line.page + first) for line in read.body]
            every += [(number + first, line) for number, line in read.every]
            pages += [_Page() for _ in range(run.pages)]
            for name, (page, x, y) in read.anchors.items():
                pages[first + page - 1].anchors[name] = (x, y, x, y)
        return body, every, pages

    def findings(self, job: CheckJob) -> list[Diagnostic]:
        from bulletin_press.build.pipeline import Assembled
        from bulletin_press.checks.preflight import name_articles, preflight
        from bulletin_press.checks.typesetting import check_lines
        from bulletin_press.pdf.text import parsed_once
        from bulletin_press.runs.plan import anchor_pages, merged_pdf

        layout = job.prepared.layout
        body, every, pages = self.read(job)
        runs = [dataclasses.replace(run, pdf=self._read[(key, repr(layout.geometry))].pdf)
                for run, key in zip(job.runs, job.keys, strict=True)]
        pdf = merged_pdf(runs)
        assembled = Assembled(job.prepared, pdf, len(pages), job.diagnostics, set(), 0,
                              len(runs), anchors=anchor_pages(runs))
        typography = check_lines(body, every, layout.geometry, layout.font_families(),
                                 autospace_em=layout.spec.type.autospace_em)
        placed: Any = _Placed(job.prepared, _Typeset(_Document(pages)))
        with parsed_once(pdf):  # the preflight's checks read the pages once
            found = [*job.diagnostics, *preflight(assembled), *name_articles(typography, placed)]
        return ordered(found)
