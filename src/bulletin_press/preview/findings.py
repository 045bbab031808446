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
from dataclasses import dataclass, field
from typing import Any

from bulletin_press.checks.report import ordered
from bulletin_press.diagnostics import Diagnostic
from bulletin_press.layout.prepare import Prepared
from bulletin_press.runs.worker import TypesetRun


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
            read = _Read(pdf, body, every)
        return read

    def read(self, job: CheckJob) -> tuple[list[Any], list[tuple[int, Any]]]:
        """The issue's body lines and all its lines, as the typography check reads
        them from the issue's PDF: each run's pages numbered on from the runs before
        it. Keeps the runs of `job` (the worker is sent a run's PDF once: see
        server.CheckWorker)."""
        g = job.prepared.layout.geometry
        reads = [self._run(key, run, g) for key, run in zip(job.keys, job.runs, strict=True)]
        # Only the runs on screen are kept: a run an edit replaced is not seen again.
        self._read = {(key, repr(g)): read for key, read in zip(job.keys, reads, strict=True)}
        body: list[Any] = []
        every: list[tuple[int, Any]] = []
        first = 0
        for run, read in zip(job.runs, reads, strict=True):
            body += [dataclasses.replace(line, page=line.page + first) for line in read.body]
            every += [(number + first, line) for number, line in read.every]
            first += run.pages
        return body, every

    def findings(self, job: CheckJob) -> list[Diagnostic]:
        from bulletin_press.build.pipeline import Assembled
        from bulletin_press.checks.preflight import name_articles, preflight
        from bulletin_press.checks.typesetting import check_lines
        from bulletin_press.runs.plan import anchor_pages, merged_pdf

        layout = job.prepared.layout
        body, every = self.read(job)
        runs = [dataclasses.replace(run, pdf=self._read[(key, repr(layout.geometry))].pdf)
                for run, key in zip(job.runs, job.keys, strict=True)]
        # The page facts the preflight checks and the anchors' places are the runs'
        # (each typeset with its own running heads and folios: nothing laid over
        # them); the PDF is read for its fonts only.
        boxes: dict[str, tuple[int, tuple[float, float, float, float]]] = {}
        pages = anchor_pages(runs)
        for run in runs:
            for anchor, (x0, y0, x1, y1) in run.boxes.items():
                boxes.setdefault(anchor, (pages[anchor], (x0, y0, x1, y1)))
        assembled = Assembled(job.prepared, merged_pdf(runs), sum(run.pages for run in runs),
                              job.diagnostics, set(), 0, len(runs), anchors=pages,
                              facts=[fact for run in runs for fact in run.facts], boxes=boxes)
        typography = check_lines(body, every, layout.geometry, layout.font_families(),
                                 autospace_em=layout.spec.type.autospace_em)
        return ordered([*job.diagnostics, *preflight(assembled),
                        *name_articles(typography, assembled)])
