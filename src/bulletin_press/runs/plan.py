"""Page runs: an issue typeset as separate documents, one per run of pages.

An article that starts on a new page begins a run. Each run is rendered from
the same context as its own HTML document (the first with the masthead, the
last with the colophon), numbered from its first page, with the contents
box's page numbers given instead of counted. Runs whose HTML did not change
are not typeset again: after an edit to one article, only its run is, unless
its page count changed, which changes the numbers of the runs after it (and
of the contents box), and those are redone too. The preview uses this to
show an edit in a fraction of a full re-layout; the print build uses it to
typeset runs in parallel processes, consecutive runs a few pages at a time as
one document (runs/worker.py), and, through a store on disk (store.py, output/.cache/runs),
to skip runs an earlier build already typeset. runs/assemble.py joins the runs into
the issue's PDF.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import io
import itertools
import math
import re
import threading
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bulletin_press.layout.context import (
    ArticleContext,
    BodyItem,
    IssueContext,
    figure_markers,
    headline_keeps,
    shift_figures,
    spacer_length,
)
from bulletin_press.layout.page_plan import with_jump_pages
from bulletin_press.layout.photo_guard import PASSES, first_holes
from bulletin_press.layout.prepare import Prepared
from bulletin_press.layout.render import render_html
from bulletin_press.pdf.native import load_pikepdf
from bulletin_press.runs.store import RunStore
from bulletin_press.runs.worker import (
    RESUMED,
    Guards,
    Job,
    Part,
    TypesetRun,
    typeset_collected,
    typeset_job,
    worker_pool,
)
from bulletin_press.text.blocks import LINE_BREAK
from bulletin_press.text.breaks import INVISIBLE, visible

Flow = list[ArticleContext]
CHUNK_PAGES = 8  # framed runs typeset as one document up to this many pages (guessed)
FRAME_PAGE_COST = 0.1  # a page of the running heads' frame against a page of a run (timed)
CONTENTS_COST = 2.0  # the contents box's numbers (its page), in pages of a run (timed)
FLOW_PAGES = 8  # a framed run of flowing articles longer than this (guessed) is cut
RECUT_PAGES = 4  # a run typeset alone in a later round, this long or longer, is cut in two


def split_runs(flows: list[Flow]) -> list[list[Flow]]:
    runs: list[list[Flow]] = []
    for flow in flows:
        if runs and flow[0]["start"] != "new-page":
            runs[-1].append(flow)
        else:
            runs.append([flow])
    return runs


# Runs inside flowing text (the print build). Where articles flow one after
# another, a run may begin at an article that starts mid-page: it is typeset
# alone with a spacer as high as the previous run's tail at the top of its first
# page, and that page is laid over the previous run's last page (assemble.py).
# The spacer's height is guessed before the previous run is typeset (the store's
# last build of the issue, else `estimate`) and confirmed after: a run typeset
# with a wrong guess is typeset again (`RunCache.wrong_guesses`).
def cut_flowing(prepared: Prepared, runs: list[list[Flow]], limit: int) -> list[list[Flow]]:
    """`runs` cut further at articles that continue the text before them, each
    part about `limit` pages by the guesses (0: at every such article)."""
    cut: list[list[Flow]] = []
    for index, run in enumerate(runs):
        first = index == 0
        if len(run) < 2:
            cut.append(run)
            continue
        if limit <= 0:
            cut += [[flow] for flow in run]
            continue
        pages, _, _, starts = _estimate(prepared, run, first)
        parts = -(-pages // limit)
        if parts < 2:
            cut.append(run)
            continue
        g = prepared.layout.geometry
        total = pages * g.lines * g.columns
        # An article the text before it pushes to the next page even with a line
        # less above it is a cut whose spacer need not be guessed exactly (see
        # `_spacer`): preferred, up to a page away.
        tails: list[int] = []
        _foot(prepared, run, first, 0.0, tails)
        pushed = {i for i in range(1, len(run)) if tails[i] > _push_floor(prepared, run[i])}
        bonus = g.lines * g.columns
        at: list[int] = []
        for part in range(1, parts):
            target = total * part / parts
            candidates = [i for i in range(max(at, default=0) + 1, len(run))]
            if candidates:
                at.append(min(candidates, key=lambda i: abs(starts[i] - target)
                              - (bonus if i in pushed else 0)))
        bounds = [0, *sorted(set(at)), len(run)]
        cut += [run[a:b] for a, b in itertools.pairwise(bounds) if b > a]
    return cut


def resumed_flows(run: list[Flow], flow: int, item: int, rest: BodyItem | None = None
                  ) -> list[Flow]:
    """The flows of `run` from its flow `flow` on, that flow's lead resumed at its
    body item `item` (a paragraph that opens a page of the run as typeset): no head
    and no space above, its anchors its own (`RESUMED`), so that a run of these
    typeset alone from a page's top gives the pages the whole run gave from that
    page on (tests/test_runs_resumed.py). A later round of the page plan that
    changes the run only from that page on typesets only these; the whole run's
    pages before it stay as they were (`_resume_point`, `_kept`). `rest`: the page
    opens inside that paragraph, and this is its rest (`paragraph_rest`), set in its
    place. A lead resumed already is resumed further (its anchors suffixed again)."""
    lead = run[flow][0]
    body = lead["body"][item:] if rest is None else [rest, *lead["body"][item + 1:]]
    resumed: ArticleContext = {
        **lead, "body": body, "resumed": True,
        "anchor": lead["anchor"] + RESUMED, "text_anchor": lead["text_anchor"] + RESUMED,
        "full_width_figures": [],
        "plan_classes": " ".join([*[c for c in lead["plan_classes"].split()
                                    if not c.startswith("space-above-")], "space-above-0"])}
    # Vertical justification's places above the head and under it: the page before's.
    resumed.pop("place_space", None)
    resumed.pop("place_headline", None)
    return [[resumed, *run[flow][1:]], *run[flow + 1:]]


def paragraph_rest(item: BodyItem, line: str) -> BodyItem | None:
    """A paragraph's rest from its line that begins with the text `line` (a page's
    first line: `TypesetRun.cuts`), set on as a paragraph of its own: not indented
    (role "cont", as a notice's part goes on: layout/notice_parts.py), without the
    paragraph's id, the page plan's gap above it or its place for vertical
    justification (all are the paragraph's start's, on the page before). Its lines
    break as the whole paragraph's did from there (typeset/ext/line_fit.py lays a
    line out from its start, judged with the line under it). None when that line is
    not found once in the paragraph, or it begins inside a Latin word or number (its
    hyphenation would be the word's part's)."""
    if item["kind"] != "paragraph" or item["role"] or item["figure"] is not None:
        return None
    wanted = _plain(line)
    spans = item["spans"]
    text = _plain("".join(span.text for span in spans))
    at = text.find(wanted)
    if not wanted or at <= 0 or text.find(wanted, at + 1) >= 0:
        return None
    if text[at - 1].isascii() and text[at - 1].isalnum() and text[at].isascii() and \
            text[at].isalnum():
        return None
    # The span and the character where the `at`-th printed character is.
    counted = 0
    for number, span in enumerate(spans):
        for index, char in enumerate(span.text):
            if char in INVISIBLE or visible(char).isspace():
                continue
            if counted == at:
                if span.cls.startswith("bp-stop ") or span.cls == LINE_BREAK:
                    return None
                first = dataclasses.replace(span, text=span.text[index:])
                rest: BodyItem = {**item, "spans": [first, *spans[number + 1:]], "role": "cont",
                                  "anchor": None, "gap": 0}
                rest.pop("place", None)
                return rest
            counted += 1
    return None


def resumable(run: list[Flow], flow: int, item: int) -> bool:
    """Whether `run` resumed at its flow `flow`'s body item `item` (`resumed_flows`)
    may stand for the whole run's pages from there: not when a table follows (after
    a table set across the page, the next article's head came a line lower in a run
    resumed at a page above it than in the whole run: not understood, so not done)."""
    rest = [run[flow][0]["body"][item:], *[a["body"] for a in run[flow][1:]],
            *[a["body"] for f in run[flow + 1:] for a in f]]
    return not any(block["kind"] == "table" for body in rest for block in body)


def flowing_starts(runs: list[list[Flow]]) -> list[bool]:
    """Which runs begin inside flowing text (their first page is shared)."""
    return [index > 0 and run[0][0]["start"] != "new-page" for index, run in enumerate(runs)]


def _spacer_markup(prepared: Prepared) -> bool:
    """Whether the layout's template sets the spacer of a run (else no cuts)."""
    context: IssueContext = dict(prepared.context.context)  # type: ignore[assignment]
    length = spacer_length(1.5)
    context["flows"], context["toc"], context["run_spacer"] = [], [], length
    context["show_masthead"] = context["show_colophon"] = False
    return length in render_html(prepared.layout, context).html


# Framed runs (the print build): the runs are typeset without their page margin
# boxes (running heads, page numbers), so a run's pages do not depend on where
# it starts and every run is typeset once, in parallel; one "frame" document of
# as many pages as the issue, holding only the margin boxes, is laid over them
# (assemble.py). The contents box's page numbers, other runs' pages, are drawn
# by a document of their own, laid over the first page: the first run lays out
# its entries with placeholders of two digits (they stand in a column kept free
# for two, style.css .toc-list) and does not draw its leaders and numbers; the
# contents document lays out the same page and draws only those. So a page
# count that changes does not change the first run (in a text-heavy issue the
# biggest), nor the frame (~0.08 s: its HTML depends only on its page count),
# only the contents document (~0.08 s).
MARGIN_BOXES = ("top-left-corner", "top-left", "top-center", "top-right", "top-right-corner",
                "bottom-left-corner", "bottom-left", "bottom-center", "bottom-right",
                "bottom-right-corner", "left-top", "left-middle", "left-bottom", "right-top",
                "right-middle", "right-bottom")
_NO_MARGIN_BOXES = "".join(f"@{name} {{ content: none !important; }}" for name in MARGIN_BOXES)
# A contents entry's leader and page number (layouts/*/masthead.html.j2, style.css).
NUMBERS = ".toc a::after"
BODY_CSS = f"@page {{ {_NO_MARGIN_BOXES} }}\n{NUMBERS} {{ visibility: hidden !important; }}\n"
FRAME_CSS = ("@page { background: none !important; }\n"
             "html, body { background: none !important; }\n"
             "body * { visibility: hidden !important; }\n")
CONTENTS_CSS = (f"@page {{ {_NO_MARGIN_BOXES} }}\n{FRAME_CSS}"
                f"{NUMBERS} {{ visibility: visible !important; }}\n")



@dataclass
class RunCache:
    """What the last round typeset, by run index; reused while the HTML is the same."""

    runs: list[TypesetRun] = field(default_factory=list)
    typeset_count: int = 0  # runs typeset by the last `update` (for tests and logs)
    store: RunStore | None = None  # on disk, shared by processes (the CLI's builds)
    jobs: int = 1  # processes typesetting at once
    framed: bool = False  # typeset without margin boxes, laid on page frames
    # The photo guard: paragraphs each photo moved (layout/photo_guard.py), kept
    # from round to round of the page plan as the one-document build keeps them
    # (pipeline `_typeset_guarded`), so that both make the same pages.
    shifts: dict[str, int] = field(default_factory=dict)
    # With `framed`: runs of flowing articles cut at about this many pages (see
    # cut_flowing; 0: at every article; None: never), and how many runs the last
    # `update` typeset with a wrong guess of their spacer.
    flow_pages: int | None = FLOW_PAGES
    wrong_guesses: int = 0
    # Articles at which a run typeset alone was cut in two (see `_recut`): cut there
    # in the page plan's later rounds too.
    recuts: frozenset[str] = frozenset()
    # With `framed`: the documents laid over the runs (the page frames, `frame`,
    # and the contents box's numbers, `contents`), by kind, as typeset last, and
    # those they need that are not these: typeset when asked for (only assembling
    # needs them, not the page plan's measure; see `update`).
    framing: dict[str, TypesetRun] = field(default_factory=dict)
    frame_due: tuple[list[Job], dict[str, Path]] | None = None
    # Of those, the ones a round gave to a core its runs left idle, not waited for:
    # their futures by HTML, taken in by the next round or when asked for (`_settle`).
    # (kind, pages, future): a frame's pages count as typeset (see `_frame_pages`).
    framing_later: dict[str, tuple[str, int, Future[list[TypesetRun]]]] = field(
        default_factory=dict)
    # Each round's runs of the build under way (`fit_runs` clears them); with
    # `framed` (one build), every frame typeset, by HTML.
    rounds: list[_Round] = field(default_factory=list)
    frames: dict[str, TypesetRun] = field(default_factory=dict)
    # With `framed` (one build): every run typeset, by its HTML (the store's reads may be off:
    # `build --no-cache`): a round that typesets a run as an earlier round did (the
    # photo guard's first tries, each round again) finds it here.
    typeset_before: dict[str, TypesetRun] = field(default_factory=dict)
    # The last contents document taken in (a round's, with its numbers then): its
    # glyphs are those the next one likely draws (see assemble.begin).
    contents_before: TypesetRun | None = None
    # The HTML of the frame and contents the last round wants, by kind: one an
    # earlier round left typesetting (other numbers) is kept when it comes in, not
    # taken for these (a plan gone back to an earlier round's numbers found those
    # typeset; the other round's document, done later, drew its own).
    framing_wanted: dict[str, str] = field(default_factory=dict)
    # Work for this process while a round's runs are typeset and a core idles (the
    # page plan's later rounds typeset one run or two): called with the round's
    # content, its runs (the last round's, or stand-ins, where `missing`) and the
    # indices of those being typeset (`missing`), at most once a round. The build
    # reads the fonts for assembling then (see pipeline._build_runs).
    meanwhile: Callable[[Prepared, list[TypesetRun], list[int]], None] | None = None
    # Framing documents a round's end gives out once those still being typeset have
    # ended (`_frame_for`), until the next round gives out its own jobs.
    waiting: _Waiting | None = None

    @property
    def frame(self) -> TypesetRun | None:
        return self._framing("frame")

    @property
    def contents(self) -> TypesetRun | None:
        return self._framing("contents")

    def send_framing(self) -> None:
        """The frame and contents still due (see `_framing`) given to the workers now,
        not waited for: this process can begin assembling meanwhile. Asking for
        them takes them in as it takes in those a round left on an idle core. In
        this process (one job at a time) they stay due: typeset when asked for."""
        _take_waiting(self, close=True, due=True)
        if self.frame_due is None or self.jobs <= 1:
            return
        jobs, mounts = self.frame_due
        sent = [job for job in jobs
                if job.html not in self.frames and job.html not in self.framing_later]
        if not sent:
            return
        with worker_pool(min(self.jobs, len(sent))) as pool:
            for job in sent:  # (the pages: a frame's count for the next round; none is)
                self.framing_later[job.html] = (_kind(job), 0,
                                                pool.submit(typeset_collected, job, mounts))

    def typesetting(self, kind: str) -> bool:
        """Whether a document of `kind` (frame or contents) is being typeset in a
        worker: asking for it may wait."""
        _take_waiting(self)
        return any(k == kind and not future.done()
                   for k, _, future in self.framing_later.values())

    def typeset_last(self, kind: str) -> TypesetRun | None:
        """The document of `kind` (frame or contents) typeset last, waiting for none:
        one a round gave out that is done, else the one taken in last."""
        _take_waiting(self)
        done = [future.result()[0] for k, _, future in self.framing_later.values()
                if k == kind and future.done()]
        return done[-1] if done else self.framing.get(kind)

    def earlier_contents(self) -> TypesetRun | None:
        """The contents document typeset last before the one being typeset (a
        round's, with its numbers then): its glyphs are likely the next one's."""
        _take_waiting(self)
        done = [future.result()[0] for kind, _, future in self.framing_later.values()
                if kind == "contents" and future.done()]
        return done[-1] if done else self.contents_before

    def framing_now(self, kind: str) -> TypesetRun | None:
        """What `frame` or `contents` (`kind`) gives, waiting for no other document."""
        _take_waiting(self, close=True, due=True)
        _settle(self, kinds={kind})
        due = [job for job in self.frame_due[0] if _kind(job) == kind] \
            if self.frame_due is not None else []
        if any(job.html not in self.frames for job in due):
            return self._framing(kind)  # typeset now
        for job in due:
            self.framing[kind] = self.frames[job.html]
        return self.framing.get(kind)

    def _framing(self, kind: str) -> TypesetRun | None:
        _take_waiting(self, close=True, due=True)
        _settle(self)
        if self.frame_due is not None:
            jobs, mounts = self.frame_due
            self.frame_due = None
            for job in jobs:  # (one the round's idle core typeset meanwhile: done)
                if job.html in self.frames:
                    self.framing[_kind(job)] = self.frames[job.html]
            jobs = [job for job in jobs if job.html not in self.frames]
            results = _typeset_all(jobs, mounts, self.jobs) if jobs else []
            for job, result in zip(jobs, results, strict=True):
                self.framing[_kind(job)] = self.frames[job.html] = result[0]
                if self.store is not None:
                    self.store.put(result[0])
        return self.framing.get(kind)


@dataclass
class _Round:
    """What an `update` left: asked for the same content again (the page plan went
    back to an earlier round's plan as its best), it is that. Typesetting it again
    instead would start from the last round's runs and photo guard (`RunCache.shifts`),
    and could end on other pages than the round the plan chose (the preview's did)."""

    prepared: Prepared
    runs: list[TypesetRun]
    recuts: frozenset[str]
    shifts: dict[str, int]
    framing: list[Job]  # the frame and contents these runs need
    remembered: list[TypesetRun]  # the next build's guesses, as this round left them


def run_html(prepared: Prepared, runs: list[list[Flow]], index: int, start: int,
             pages: dict[str, int], *, framed: bool = False,
             shifts: dict[str, int] | None = None, last: int | None = None,
             contents: bool = True, spacer: float = 0.0) -> str:
    """The HTML of run `index` (through run `last`, as one chunk; see `Part`)."""
    last = index if last is None else last
    context: IssueContext = dict(prepared.context.context)  # type: ignore[assignment]
    # Jump lines show issue pages, always given: a framed run counts its own from 1.
    context["flows"] = with_jump_pages([flow for run in runs[index:last + 1]
                                        for flow in shift_figures(run, shifts or {})], pages)
    if framed:  # the page numbers are the frame's: a run's own pages count from 1
        start = 1
        # Its own articles' contents entries too show a placeholder (their pages in the
        # run, under 100), not `target-counter()`: drawn by the contents document, the
        # numbers are hidden here, and a counter would have WeasyPrint lay the page
        # holding the contents out twice (typeset/ext/target_counters.py; ~17 ms of
        # CPU of bench-16's first run, its masthead and contents, in round 1 and again
        # in each later round that changes that run).
        pages = {**pages, **dict.fromkeys(_anchors(runs[index]), OWN_PAGE)}
    context["show_masthead"] = index == 0
    context["show_colophon"] = last == len(runs) - 1
    # Its last page is closed when the next run starts a new page: its short columns
    # are filled (typeset/ext/vertical_justify.py); not one the next run goes on.
    context["closes_last_page"] = last + 1 < len(runs) and runs[last + 1][0][0]["start"] == \
        "new-page"
    context["page_start"] = start
    context["run_spacer"] = spacer_length(spacer)
    numbers = {a: _placeholder(p) for a, p in pages.items()} if framed else pages
    context["toc"] = [{**entry, "page": numbers.get(entry["anchor"])}
                      for entry in context["toc"]] if contents else []
    return render_html(prepared.layout, context).html


def _pages_shown(run: list[Flow], pages: dict[str, int], prepared: Prepared
                 ) -> tuple[object, ...]:
    """What a framed run's HTML shows of the issue's page numbers `pages` (see
    `run_html`): its jump lines' pages, and the contents box's placeholders (for its
    own articles always the same). The same for other numbers that show the same: the
    check that ends a pass (numbers measured, not guessed) finds the run rendered
    already."""
    own = _anchors(run)
    jumps = tuple(pages.get(jump["href"].removeprefix("#"))
                  for flow in run for article in flow
                  for jump in (article["jump_out"], article["jump_in"]) if jump is not None)
    toc = tuple(_placeholder(pages[entry["anchor"]])
                if entry["anchor"] in pages and entry["anchor"] not in own else None
                for entry in prepared.context.context["toc"])
    return jumps, toc


# A framed run's own articles' page in its contents entries (`run_html`): hidden, and
# within the two digits the entries keep room for (any run is under 100 pages).
OWN_PAGE = 1


def _placeholder(page: int) -> int:
    """A framed run's contents number (not drawn: the frame's is): 10, two digits,
    the column style.css keeps free for them, so that the entries' lines break as
    with any number under 100 (an article moved from page 9 to 10 leaves the run
    as it is); as many digits as `page` from 100 on."""
    return max(10, int(10 ** (len(str(page)) - 1)))


def _anchors(run: list[Flow]) -> set[str]:
    return {article["anchor"] for flow in run for article in flow}


def _settle(cache: RunCache, *, wait: bool = True, kinds: set[str] | None = None) -> None:
    """The frame and contents documents a round left typesetting on an idle core
    (`RunCache.framing_later`), taken in as if that round had waited for them:
    waited for, or (not `wait`: a round beginning, whose runs go to the cores
    meanwhile) those done; only those of `kinds` if given."""
    _take_waiting(cache)
    for html, (kind, _pages, future) in list(cache.framing_later.items()):
        if (not wait and not future.done()) or (kinds is not None and kind not in kinds):
            continue
        del cache.framing_later[html]
        typeset = future.result()[0]
        cache.frames[html] = typeset
        if cache.framing_wanted.get(kind, html) == html:
            cache.framing[kind] = typeset
        if kind == "contents":
            cache.contents_before = typeset
        if cache.store is not None:
            cache.store.put(typeset)


def _typeset_all(jobs: list[Job], mounts: dict[str, Path], processes: int,
                 costs: list[float] | None = None, background: int = 0,
                 later: dict[str, Future[list[TypesetRun]]] | None = None,
                 meanwhile: Callable[[], None] | None = None,
                 busy: list[Future[list[TypesetRun]]] | None = None
                 ) -> list[list[TypesetRun]]:
    """Each job typeset: the results of all but the last `background` jobs. Those
    (the frame and contents: only assembling needs them) are typeset on a core the
    others leave idle while they are typeset, their futures put in `later` by HTML,
    not waited for; one that no core was idle for is left out (typeset when asked
    for), as all of them are in this process (`processes` 1). `meanwhile`: called
    once a core idles while the jobs are typeset (`busy`: the workers' other
    documents, given out before), if one does (never in this process)."""
    if processes > 1 and jobs:  # even one: the workers have the typesetter imported
        return _in_processes(jobs, mounts, processes, costs, background,
                             {} if later is None else later, meanwhile, busy or [])
    return _in_order(jobs[:len(jobs) - background], mounts)  # no core idle here


def _in_order(jobs: list[Job], mounts: dict[str, Path]) -> list[list[TypesetRun]]:
    # What exists now outlives these documents: frozen, the collections between
    # them need not walk it (~30 ms a collection); thawed after, so that nothing
    # stays uncollectable.
    gc.freeze()
    try:
        done: list[list[TypesetRun]] = []
        for job in jobs:
            if done:
                gc.collect()  # the last document's cycles (see typeset_collected)
            done.append(typeset_job(job, mounts))
        return done  # the last one's cycles: collected by whoever needs the memory
    finally:
        gc.unfreeze()


def _in_processes(jobs: list[Job], mounts: dict[str, Path], processes: int,
                  costs: list[float] | None = None, background: int = 0,
                  later: dict[str, Future[list[TypesetRun]]] | None = None,
                  meanwhile: Callable[[], None] | None = None,
                  busy: list[Future[list[TypesetRun]]] | None = None
                  ) -> list[list[TypesetRun]]:
    # Longest first (by `costs`, else by the HTML's length, the frame document's
    # counted 8 times), so the last worker does not start the biggest job alone.
    if costs is None or len(costs) != len(jobs):
        costs = [len(job.html) * (8 if job.user_css == FRAME_CSS else 1) for job in jobs]
    fore = len(jobs) - background
    order = sorted(range(fore), key=lambda i: -costs[i])
    fillers = sorted(range(fore, len(jobs)), key=lambda i: -costs[i])
    with worker_pool(min(processes, len(jobs))) as pool:
        futures = {i: pool.submit(typeset_collected, jobs[i], mounts) for i in order}
        try:
            _load_assembler()  # while the workers typeset, not before the first job
            waiting = set(futures.values())
            filling: set[Future[list[TypesetRun]]] = set()
            while waiting and fillers:
                # A core idle (fewer jobs than cores left, counting those queued):
                # the next filler; else wait for a job to end.
                if len(waiting) + len(filling) < processes:
                    index = fillers.pop(0)
                    future = pool.submit(typeset_collected, jobs[index], mounts)
                    filling.add(future)
                    if later is not None:
                        later[jobs[index].html] = future
                    continue
                ended, _ = wait(waiting | filling, return_when=FIRST_COMPLETED)
                waiting -= ended
                filling -= ended
            if meanwhile is not None and fore < processes:
                _when_idle(set(futures.values()), filling | set(busy or []), processes,
                           meanwhile)
            return [futures[i].result() for i in range(fore)]
        except KeyboardInterrupt:  # the workers ignore it: what runs ends, the rest not
            pool.shutdown(cancel_futures=True)
            raise


def _when_idle(own: set[Future[list[TypesetRun]]], others: set[Future[list[TypesetRun]]],
               processes: int, meanwhile: Callable[[], None]) -> None:
    """`meanwhile` called as soon as fewer documents are typeset (or waiting for a
    worker) than there are `processes`, if `own` jobs are still typeset then: work
    for this process that takes no core from them."""
    while True:
        running = {future for future in own | others if not future.done()}
        if not running & own:
            return
        if len(running) < processes:
            meanwhile()
            return
        wait(running, return_when=FIRST_COMPLETED)


def _load_assembler() -> None:
    """Import pikepdf (Ctrl-C deferred: see pdf/native.py) and the assembler, which
    the runs need once typeset: this process would otherwise wait idle meanwhile."""
    load_pikepdf()
    import bulletin_press.runs.assemble  # noqa: F401  (loaded for later; nothing used here)


def chunks(indices: list[int], pages: list[int], limit: int,
           apart: frozenset[int] = frozenset()) -> list[list[int]]:
    """Consecutive run indices grouped, each group at most `limit` pages (by the
    guesses in `pages`) unless a run alone is longer; a run in `apart` (one that
    begins inside flowing text) begins a group."""
    groups: list[list[int]] = []
    for index in indices:
        group = groups[-1] if groups else []
        if group and group[-1] == index - 1 and index not in apart and \
                sum(pages[i] for i in group) + pages[index] <= limit:
            group.append(index)
        else:
            groups.append([index])
    return groups


def update(prepared: Prepared, cache: RunCache) -> list[TypesetRun]:
    """Typeset what changed; a few rounds until page numbers and spacers settle."""
    _settle(cache, wait=False)
    for past in cache.rounds:
        if past.prepared is prepared:
            return _again(past, cache)
    runs = split_runs(prepared.context.context["flows"])
    recutting = False
    if cache.framed and cache.flow_pages is not None and _spacer_markup(prepared):
        runs = cut_flowing(prepared, runs, cache.flow_pages)
        recutting = True
        if 0 < len(runs) < cache.jobs and cache.flow_pages > 0:
            # Fewer runs than cores (the sample: one run of 4 pages): a core would
            # wait out every round; the flowing text cut into as many runs as cores.
            longest = max(estimate_pages(prepared, run, i == 0) for i, run in enumerate(runs))
            limit = -(-longest // (cache.jobs - len(runs) + 1))
            if limit < longest:
                runs = cut_flowing(prepared, runs, limit)
    base = list(runs)  # the frame's (its HTML counts the runs)
    if recutting:
        runs = _split_at(runs, cache.recuts)
    flowing = flowing_starts(runs)
    # The last round's run at each place stands for the run there now while it holds
    # the same articles; one that does not (a flowing run cut elsewhere: the page
    # plan's spaces moved the guesses) is no guide to its numbers and spacer, and
    # run 1's contents box would show its articles' old pages: guessed instead.
    articles = [_anchors(run) for run in runs]
    every = set().union(*articles)
    # The same for the last build's runs (the store's guesses), whose last round may
    # have cut elsewhere than this first round does.
    mounts = prepared.fence().mounts
    store = cache.store
    # (A run kept and its resumed rest, `_resume_point`, stand for the whole run
    # again: else every run after them is matched with the wrong one, guessed, and
    # a round typesets them more than once: flowing-9's third round.)
    known = _joined(cache.runs, [_first_article(run.html) for run in cache.runs],
                    frozenset()) if cache.runs or store is None else \
        store.guess(prepared.issue.root, len(runs))
    guides: list[TypesetRun | None] = [
        run if every.intersection(run.anchors) == articles[index] else None
        for index, run in enumerate(known[:len(runs)])]
    line = _line_px(prepared)
    floors = [_push_floor(prepared, run[0]) * line if flowing[i] else math.inf
              for i, run in enumerate(runs)]
    firsts = [run[0][0]["anchor"] for run in runs]
    arrivals: set[int] = set()  # the runs this update brought: made from this content
    done: list[TypesetRun] = []

    def spacer_of(index: int) -> float:
        if not flowing[index]:
            return 0.0
        return _spacer(done, index, floors[index], firsts[index], arrivals)

    # Each run's HTML by what `run_html` makes it of: a pass renders what the check
    # that ended the pass before rendered (~1.5 ms a run, in the main process while
    # the workers wait for their jobs).
    rendered: dict[tuple[object, ...], str] = {}

    # Runs whose pages an earlier round typeset as the start of a longer run, kept
    # (see `_resume_point`), by the list of their flows: their HTML is that run's.
    kept_runs: dict[int, TypesetRun] = {}

    def html_of(index: int, start: int, pages: dict[str, int], spacer: float) -> str:
        kept = kept_runs.get(id(runs[index]))
        if kept is not None:
            return kept.html
        key = (tuple(a["anchor"] for flow in runs[index] for a in flow), index == 0,
               index + 1 == len(runs), index + 1 < len(runs) and
               runs[index + 1][0][0]["start"] == "new-page",
               1 if cache.framed else start,  # (a framed run counts its pages from 1)
               _pages_shown(runs[index], pages, prepared) if cache.framed else
               frozenset(pages.items()), frozenset(cache.shifts.items()), spacer)
        html = rendered.get(key)
        if html is None:
            html = rendered[key] = run_html(prepared, runs, index, start, pages,
                                            framed=cache.framed, shifts=cache.shifts,
                                            spacer=spacer)
        return html

    for index in range(len(runs)):
        guide = guides[index] if index < len(guides) else None
        if guide is None:  # a stand-in: guessed numbers
            spacer = spacer_of(index)
            count, anchors, foot, _ = _estimate(prepared, runs[index], index == 0,
                                                spacer / line)
            guide = TypesetRun("", b"", count, anchors, foot=foot, spacer=spacer)
        done.append(guide)
    typeset_count = 0
    wrong = 0
    framing = dict(cache.framing)
    cache.frame_due = None
    # Passes: the photo guard's steps (as many as in one document, PASSES - 1), each
    # with a pass more for every run inside flowing text whose spacer it moves.
    passes = PASSES * (1 + sum(flowing))
    steps = 0
    recut = recutting and cache.jobs > 1
    # The last round's typeset runs by their first article (see `_cut_before_changes`).
    before = {_first_article(run.html): run for run in cache.runs if run.html}
    # A run the last round kept and resumed (`_resume_point`): its text goes on in its
    # rest, the run after it, whose foot is the whole text's (`_cut_before_changes`).
    rests = {id(run): rest for run, rest in zip(cache.runs, cache.runs[1:], strict=False)
             if run.html and _first_article(rest.html).endswith(RESUMED)}
    cutting = False
    while passes > 0:
        passes -= 1
        spacers = [spacer_of(i) for i in range(len(runs))]
        starts, pages = _numbers(done, len(runs), flowing)
        htmls = [html_of(index, starts[index], pages, spacers[index])
                 for index in range(len(runs))]
        halves = _recut(runs, done, htmls, store) if recut else None
        at = (*halves, done[halves[0]]) if halves is not None else None
        # In the first passes only (what the last round measured): `_recut` once, else
        # `_cut_before_changes` while it finds a run to cut.
        if at is None and (recut or cutting) and cache.framed:
            def render(probe: list[list[Flow]], index: int, starts: list[int] = starts,
                       pages: dict[str, int] = pages, spacers: list[float] = spacers) -> str:
                return run_html(prepared, probe, index, starts[index], pages,
                                framed=True, shifts=cache.shifts, spacer=spacers[index])

            resume = _resume_point(runs, done, htmls, before, flowing, render)
            if resume is not None:
                index, flow, item, guide, page, rest = resume
                whole = runs[index]
                lead = whole[flow][0]
                head: ArticleContext = {**lead, "body": lead["body"][:item]}
                kept_flows = [*whole[:flow], [head]]
                resumed = resumed_flows(whole, flow, item, rest)
                runs[index:index + 1] = [kept_flows, resumed]
                flowing.insert(index + 1, False)
                floors.insert(index + 1, math.inf)
                firsts.insert(index + 1, resumed[0][0]["anchor"])
                kept = _kept(guide, page - 1, prepared.layout.geometry.lines * line)
                kept_runs[id(kept_flows)] = done[index] = kept
                arrivals.add(id(kept))
                # The resumed run's stand-in: to its end in the guide, which is the
                # foot of the text before the next run's first article when the guide
                # went on with it (this round cut the text there: flowing-9's second
                # round, else the next run's spacer was guessed from the guide's last
                # page and it was typeset twice).
                # A rest typeset before (an earlier round resumed there too) is itself.
                following = runs[index + 2][0][0]["anchor"] if index + 2 < len(runs) else ""
                end, foot = guide.feet.get(following, (guide.pages, guide.foot))
                found = _typeset_before(cache, html_of(index + 1, 1, pages, 0.0))
                if found is not None:
                    arrivals.add(id(found))
                done.insert(index + 1, found or TypesetRun(
                    "", b"", max(1, end - page + 1),
                    {a: p - page + 1 for a, p in guide.anchors.items() if page <= p <= end},
                    foot=foot))
                cutting = True
                passes += 2
                continue
        if at is None and (recut or cutting):
            at = _cut_before_changes(runs, done, htmls, before, cache)
            cutting = at is not None
        recut = False
        if at is not None:
            index, cut, guide = at
            whole = runs[index]
            page, foot = guide.feet[whole[cut][0]["anchor"]]
            runs[index:index + 1] = [whole[:cut], whole[cut:]]
            flowing.insert(index + 1, True)
            floors.insert(index + 1, _push_floor(prepared, whole[cut]) * line)
            firsts.insert(index + 1, whole[cut][0]["anchor"])
            # Stand-ins from what the whole run measured: the first part's foot is
            # exact while the text before the cut is unchanged (`_recut`).
            done[index] = TypesetRun(
                "", b"", page, {a: p for a, p in guide.anchors.items() if p <= page},
                foot=foot, spacer=guide.spacer)
            # The second part's stand-in to the end of the text: with the last
            # round's resumed tail when the guide was kept (flowing-9's third round:
            # else its foot was the kept run's full last page, the runs after it were
            # typeset under spacers guessed from it, and again).
            tail = rests.get(id(guide))
            length = guide.pages - page + 1
            done.insert(index + 1, TypesetRun(
                "", b"", length + (tail.pages if tail is not None else 0),
                {a: p - page + 1 for a, p in guide.anchors.items() if p >= page} | (
                    {} if tail is None else {a: p + length for a, p in tail.anchors.items()
                                             if not a.endswith(RESUMED)}),
                foot=guide.foot if tail is None else tail.foot))
            done[index + 1].spacer = spacer_of(index + 1)
            cache.recuts |= {whole[cut][0]["anchor"]}
            passes += 2  # this one again, and one for the run more inside flowing text
            continue
        missing: list[int] = []
        for index, html in enumerate(htmls):
            if index < len(done) and done[index].html == html:
                continue
            found = _typeset_before(cache, html)
            if found is not None:
                found.spacer = spacers[index]
                _put(done, index, found)
                arrivals.add(id(found))
            else:
                missing.append(index)
        css = BODY_CSS if cache.framed else None
        # Framed runs are typeset a few pages at a time (see Part); the preview's
        # one by one, as its page numbers and running heads are its own.
        apart = frozenset(i for i, f in enumerate(flowing) if f)
        groups = chunks(missing, [r.pages for r in done], CHUNK_PAGES if cache.framed else 0,
                        apart)
        jobs: list[Job] = []
        for group in groups:
            first, last = group[0], group[-1]
            if first == last:
                jobs.append(Job(htmls[first], css, _guards(prepared, runs[first], cache.shifts)))
                continue
            parts = tuple(Part(htmls[i], frozenset(_anchors(runs[i])), runs[i][0][0]["anchor"],
                               _guards(prepared, runs[i], cache.shifts)) for i in group)
            html = run_html(prepared, runs, first, starts[first], pages, framed=True,
                            shifts=cache.shifts, last=last, spacer=spacers[first])
            # The chunk's document keeps every part's headlines; the photo guard
            # looks at each part's pages (see typeset_chunk).
            keeps = [keep for part in parts for keep in part.guards.keeps]
            jobs.append(Job(html, css, Guards(keeps), parts))
        framing_jobs: list[Job] = []
        frame_pages = 0
        # (The last round's framing documents that waited for a core: given out by
        # now or no more; this round's own go with its jobs.)
        _take_waiting(cache, close=True)
        if cache.framed and jobs:
            # The frame and contents go with the runs (typeset alone only when asked
            # for: see RunCache.frame), the frame with a little room for pages not
            # foreseen (a page of it costs ~3.5 ms; too few cost another round), in
            # steps of 4, so that it serves small changes; the contents typeset again
            # when their numbers change (~0.08 s, not the first run nor the frame).
            frame_pages = _frame_pages(_frame_known(framing, cache), issue_page_count(done))
            for job in _framing_jobs(prepared, base, frame_pages, pages):
                kind = _kind(job)
                if (kind in framing and framing[kind].html == job.html) or \
                        job.html in cache.framing_later:
                    continue
                found = cache.frames.get(job.html)
                if found is None and store is not None:
                    found = store.get(job.html)
                if found is not None:
                    framing[kind] = found
                else:
                    framing_jobs.append(job)
        # What each job costs, in run pages (as guessed): a page of the frame holds
        # only the margin boxes (~4 ms typeset and written, a run's ~40 ms).
        costs = [float(sum(done[i].pages for i in group)) for group in groups]
        costs += [FRAME_PAGE_COST * frame_pages if _kind(job) == "frame" else CONTENTS_COST
                  for job in framing_jobs]
        # The frame and contents fill the cores the runs leave idle, not waited for
        # (a round more would wait for them: `_settle`).
        later = _Given(cache, {job.html: _kind(job) for job in framing_jobs}, frame_pages)
        results = _typeset_all(
            jobs + framing_jobs, mounts, cache.jobs, costs, background=len(framing_jobs),
            later=later, busy=[future for _, _, future in cache.framing_later.values()],
            meanwhile=None if cache.meanwhile is None else
            functools.partial(cache.meanwhile, prepared, list(done), list(missing)))
        # (Those given out are in cache.framing_later: see _Given.)
        fresh = [run for result in results for run in result]
        typeset_count += len(fresh)
        for index, run in zip(missing, fresh, strict=True):
            run.spacer = spacers[index]
            _put(done, index, run)
            arrivals.add(id(run))
            if cache.framed:  # (the preview's store keeps them, within its bounds)
                cache.typeset_before[run.html] = run
            if store is not None:
                store.put(run)
        # A spacer guessed wrong: the run is typeset again in the next round.
        guessed = {i for i in range(len(runs)) if flowing[i] and spacer_of(i) != spacers[i]}
        wrong += len(guessed & set(missing))
        # The photo guard (layout/photo_guard.py) looks at the issue's pages as they
        # will be: every run typeset under its right spacer (a run under a wrong one
        # has its photos elsewhere than in the issue); then it moves the photos whose
        # hole is on the first page with one, as the one-document build does.
        holes: list[str] = []
        if steps < PASSES - 1 and passes > 0 and not guessed and \
                all(done[i].html == htmls[i] for i in range(len(runs))):
            holes = first_holes([a for run in done for a in run.holes],
                                _numbers(done, len(runs), flowing)[1],
                                prepared.context.context["flows"], cache.shifts)
        steps += bool(holes)
        for anchor in holes:  # the photo guard: each such photo one paragraph later
            cache.shifts[anchor] = cache.shifts.get(anchor, 0) + 1
        if holes:
            settled = False
        elif cache.framed:
            # Jump lines (any run) show page numbers, a run inside flowing text the
            # height of the text before it (the contents box's numbers: the frame's).
            numbers = _numbers(done, len(runs), flowing)
            settled = [html_of(i, numbers[0][i], numbers[1], spacer_of(i))
                       for i in range(len(runs))] == htmls
        else:
            settled = _numbers(done, len(runs), flowing) == (starts, pages)
        if settled:
            break
    # The next build's first round does not cut where `_recut` did.
    remembered = _joined(done, [r[0][0]["anchor"] for r in runs], cache.recuts)
    if store is not None:
        store.remember(prepared.issue.root, remembered)
    cache.runs = done
    for typeset in framing.values():
        cache.frames[typeset.html] = typeset
    cache.framing = framing
    wanted: list[Job] = []
    if cache.framed:  # the frame and contents these runs need
        wanted = _framing_jobs(prepared, base,
                               _frame_pages(_frame_known(framing, cache),
                                            issue_page_count(done)),
                               _numbers(done, len(runs), flowing)[1])
    # Every round's, the preview's too (cleared by each build: build.pipeline.fit_runs).
    cache.rounds.append(_Round(prepared, done, cache.recuts, dict(cache.shifts), wanted,
                               remembered))
    _frame_for(cache, wanted, mounts)
    cache.typeset_count = typeset_count
    cache.wrong_guesses = wrong
    return done


def _frame_for(cache: RunCache, jobs: list[Job], mounts: dict[str, Path]) -> None:
    """`cache.frame` and `cache.contents`: those of `jobs` (typeset in this build,
    stored, or due: typeset when asked for)."""
    _take_waiting(cache, close=True)
    cache.frame_due = None
    kinds = {_kind(job) for job in jobs}
    cache.framing_wanted = {_kind(job): job.html for job in jobs}
    # What is due keeps the last one typeset of its kind till then (its pages:
    # the next round's frame keeps them while enough, see `_frame_pages`).
    cache.framing = {kind: run for kind, run in cache.framing.items() if kind in kinds}
    due: list[Job] = []
    for job in jobs:
        found = cache.frames.get(job.html)
        if found is None and cache.store is not None:
            found = cache.store.get(job.html)
        if found is not None:
            cache.framing[_kind(job)] = cache.frames[job.html] = found
        elif job.html not in cache.framing_later:  # (else typeset meanwhile)
            due.append(job)
    if due and cache.framed and cache.jobs > 1:
        # Given to the workers now, not waited for, all but one core's worth (the
        # contents first: ~0.08 s, the frame's pages are fewer than the runs'): they
        # are typeset while this process plans the next round (its workers idle
        # meanwhile), and a round after it finds them typeset or under way, instead
        # of giving them a core only once its own runs leave one idle (flow-16's
        # last round: the contents box's numbers, set by the round before, were
        # typeset after its runs, and the assembling waited for them); the next
        # round's runs still find a core free. The numbers are this round's, typeset.
        # A framing document a round gave a core its runs left idle, still being
        # typeset, holds that core: the next round's runs would find none free
        # (flow-16: the frame, a filler of round 1, and this round's contents, whose
        # numbers the next round changes, held both cores while its 9-page run
        # waited). Those beyond the cores left are given out when it ends, unless
        # the next round has given out its jobs by then (`_take_waiting`): then the
        # round's own framing documents go with them (these, if still the ones
        # wanted, are due again at that round's end); unless the build asks for them
        # first (`send_framing`): then they are due.
        due.sort(key=lambda job: _kind(job) != "contents")
        running = [future for _, _, future in cache.framing_later.values()
                   if not future.done()]
        now, due = due[:cache.jobs - 1], due[cache.jobs - 1:]
        free = max(0, cache.jobs - 1 - len(running))
        now, later = now[:free], now[free:]
        with worker_pool(cache.jobs) as pool:  # (the rounds' pool, not a smaller one)
            for job in now:
                cache.framing_later[job.html] = (_kind(job), _job_pages(job),
                                                 pool.submit(typeset_collected, job, mounts))
            if later:
                waiting = cache.waiting = _Waiting(later, mounts, pool, running)
                for future in running:
                    future.add_done_callback(functools.partial(_give_waiting, waiting))
    if due:
        cache.frame_due = (due, mounts)


class _Given(dict[str, Future[list[TypesetRun]]]):
    """A round's framing documents given to the cores its runs leave idle, by HTML
    (`_typeset_all`'s `later`): each is in `cache.framing_later` from when it is
    given, so that the round's `meanwhile` finds one that has ended while the runs
    are typeset (`RunCache.typeset_last`: bench-16's second round gives out its
    contents document with its run; the fonts read meanwhile are then its too)."""

    def __init__(self, cache: RunCache, kinds: dict[str, str], pages: int) -> None:
        super().__init__()
        self.cache, self.kinds, self.pages = cache, kinds, pages

    def __setitem__(self, html: str, future: Future[list[TypesetRun]]) -> None:
        super().__setitem__(html, future)
        self.cache.framing_later[html] = (self.kinds[html], self.pages, future)


def _job_pages(job: Job) -> int:
    """A framing document's pages: a frame's page breaks and one; the contents, one."""
    return job.html.count(_PAGE_BREAK) + 1 if _kind(job) == "frame" else 1


@dataclass
class _Waiting:
    """Framing documents to give to the workers once the framing documents being
    typeset (`running`) have all ended (`_give_waiting`, in the pool's thread that
    takes in their results), while `open`; those given out, in `given`, until
    `_take_waiting` takes them in."""

    jobs: list[Job]
    mounts: dict[str, Path]
    pool: Any  # the rounds' pool (worker_pool)
    running: list[Future[list[TypesetRun]]]
    lock: threading.Lock = field(default_factory=threading.Lock)
    open: bool = True
    given: list[tuple[Job, Future[list[TypesetRun]]]] = field(default_factory=list)
    unsent: list[Job] = field(default_factory=list)  # the pool had ended: not given


def _give_waiting(waiting: _Waiting, _ended: Future[list[TypesetRun]]) -> None:
    with waiting.lock:
        if not waiting.open or not all(future.done() for future in waiting.running):
            return
        waiting.open = False
        for index, job in enumerate(waiting.jobs):
            try:  # (not through worker_pool: this thread must not wait for its lock)
                future = waiting.pool.submit(typeset_collected, job, waiting.mounts)
            except RuntimeError:  # the pool has ended (unused a while): due when asked for
                waiting.unsent = waiting.jobs[index:]
                return
            waiting.given.append((job, future))


def _take_waiting(cache: RunCache, close: bool = False, due: bool = False) -> None:
    """The framing documents `cache.waiting` gave out, taken in as given out by a
    round (`RunCache.framing_later`); `close`: none given out from now on, and with
    `due` those not given out are due (typeset when asked for: the build asks), else
    left (a round's pass: its own framing documents are those it wants)."""
    waiting = cache.waiting
    if waiting is None:
        return
    with waiting.lock:
        left = (list(waiting.jobs) if waiting.open else list(waiting.unsent)) if close else []
        if close:
            waiting.open = False
            cache.waiting = None
        given, waiting.given = waiting.given, []
    for job, future in given:
        if future.cancelled():  # the pool ended meanwhile (unused a while)
            left.append(job)
        else:
            cache.framing_later[job.html] = (_kind(job), _job_pages(job), future)
    if due and left:
        jobs, mounts = cache.frame_due if cache.frame_due is not None else ([], waiting.mounts)
        cache.frame_due = ([*left, *jobs], mounts)


def _kind(job: Job) -> str:
    """Which of FRAMING a frame's or contents' job is."""
    return "contents" if job.user_css == CONTENTS_CSS else "frame"


def _framing_jobs(prepared: Prepared, runs: list[list[Flow]], page_count: int,
                  pages: dict[str, int]) -> list[Job]:
    """The documents laid over framed runs (FRAMING): the frame of `page_count`
    pages, and the contents box's numbers showing `pages` (when it has entries)."""
    guards = Guards(geometry=prepared.layout.geometry)
    jobs = [Job(_frame_html(prepared, runs, page_count), FRAME_CSS, guards)]
    if prepared.context.context["toc"]:
        jobs.append(Job(_contents_html(prepared, runs, pages), CONTENTS_CSS, guards))
    return jobs


def _again(past: _Round, cache: RunCache) -> list[TypesetRun]:
    """An earlier round's runs, for the same content: as that round left them."""
    cache.runs = past.runs
    cache.recuts = past.recuts
    cache.shifts = dict(past.shifts)
    cache.typeset_count = cache.wrong_guesses = 0
    if cache.store is not None:
        cache.store.remember(past.prepared.issue.root, past.remembered)
    _frame_for(cache, past.framing, past.prepared.fence().mounts)
    return past.runs


def _typeset_before(cache: RunCache, html: str) -> TypesetRun | None:
    """The run of `html` as this cache typeset it (a copy: the plan sets its
    spacer), else as the store has it."""
    known = cache.typeset_before.get(html)
    if known is not None:
        return dataclasses.replace(known)
    return cache.store.get(html) if cache.store is not None else None


def _frame_pages(last: int | None, total: int) -> int:
    """The frame's pages for an issue of `total`: the last frame's (`last` pages)
    while enough."""
    if last is not None and last >= total:
        return last
    return -(-(total + 2) // 4) * 4


def _frame_known(framing: dict[str, TypesetRun], cache: RunCache) -> int | None:
    """The pages of the last frame: the one being typeset on an idle core (given out
    after `framing`'s), else `framing`'s."""
    _take_waiting(cache)
    pending = [pages for kind, pages, _ in cache.framing_later.values() if kind == "frame"]
    if pending:
        return pending[-1]
    frame = framing.get("frame")
    return frame.pages if frame is not None else None


def _split_at(runs: list[list[Flow]], anchors: frozenset[str]) -> list[list[Flow]]:
    """`runs` cut again before the flows led by `anchors` (not at a run's start)."""
    if not anchors:
        return runs
    cut: list[list[Flow]] = []
    for run in runs:
        bounds = [0, *[i for i in range(1, len(run)) if run[i][0]["anchor"] in anchors],
                  len(run)]
        cut += [run[a:b] for a, b in itertools.pairwise(bounds)]
    return cut


def _recut(runs: list[list[Flow]], done: list[TypesetRun], htmls: list[str],
           store: RunStore | None) -> tuple[int, int] | None:
    """A later round of the page plan that typesets one run alone (the plan changed
    only it) leaves a core idle; cut in two where the last round measured it, the
    run is typeset in two halves at once. The cut: (run, flow) before an article
    the run's body holds, which the text before it is the same as last round's
    (so its foot there, `TypesetRun.feet`, is the first half's exactly: the
    second half's spacer is known, not guessed), the halves' pages most even.
    None: no run to cut (more than one changed, too short, nothing measured)."""
    changed = [i for i, html in enumerate(htmls) if done[i].html != html]
    if len(changed) != 1:
        return None
    index = changed[0]
    run, guide, html = runs[index], done[index], htmls[index]
    if not guide.html or guide.pages < RECUT_PAGES or len(run) < 2 or (
            store is not None and store.get(html) is not None):
        return None
    best: tuple[int, int] | None = None
    for cut in range(1, len(run)):
        anchor = run[cut][0]["anchor"]
        if anchor not in guide.feet:
            continue
        page = guide.feet[anchor][0]
        tag = f'id="{anchor}"'
        at = html.rfind("<article", 0, html.find(tag))
        if at <= 0 or guide.html.rfind("<article", 0, guide.html.find(tag)) != at or \
                guide.html[:at] != html[:at]:
            continue  # the text before it changed: its foot with it
        larger = max(page, guide.pages - page + 1)
        if page >= 2 and guide.pages - page >= 1 and (best is None or larger < best[0]):
            best = (larger, cut)
    return (index, best[1]) if best is not None else None


def _cut_before_changes(runs: list[list[Flow]], done: list[TypesetRun], htmls: list[str],
                        before: dict[str, TypesetRun], cache: RunCache
                        ) -> tuple[int, int, TypesetRun] | None:
    """A later round of the page plan changes a few articles (their spaces): a run
    that holds them after articles it left as they were is cut before the first
    one it changed, where the last round's run with the same first article
    measured its foot (the text before is the same, `_recut`'s test: the second
    part's spacer is exact). The first part is typeset anew now (its pages as
    before), but a round after this one that changes only the later articles
    again finds it typeset and typesets the second part alone (flow-16's third
    round: 3 pages, not the whole first run's 7 in two halves). The run, its
    flow to cut before, and the run measured; None: none such."""
    for index, run in enumerate(runs):
        if len(run) < 2 or (index < len(done) and done[index].html == htmls[index]):
            continue
        guide = before.get(run[0][0]["anchor"])
        if guide is None or _typeset_before(cache, htmls[index]) is not None:
            continue
        # The contents box's entries of other runs' articles carry a placeholder
        # number, the run's own none (runs/plan.py `run_html`): the same lines.
        html, old = _PLACEHOLDER.sub(r"\1", htmls[index]), _PLACEHOLDER.sub(r"\1", guide.html)
        cut = 0  # the last flow whose text before is the same
        for number in range(1, len(run)):
            tag = f'id="{run[number][0]["anchor"]}"'
            at = html.rfind("<article", 0, html.find(tag))
            if at <= 0 or tag not in old or old.rfind("<article", 0, old.find(tag)) != at or \
                    old[:at] != html[:at]:
                break
            cut = number
        if cut == 0:
            continue
        anchor = run[cut][0]["anchor"]
        at = html.rfind("<article", 0, html.find(f'id="{anchor}"'))
        if cut == len(run) - 1 and \
                html[at:html.find("</article>", at)] == old[at:old.find("</article>", at)]:
            continue  # the last flow as it was: what changed comes after it
        if anchor in guide.feet and guide.feet[anchor][0] >= 2:  # a part of a page at least
            return index, cut, guide
    return None


def _resume_point(runs: list[list[Flow]], done: list[TypesetRun], htmls: list[str],
                  before: dict[str, TypesetRun], flowing: list[bool],
                  render: Callable[[list[list[Flow]], int], str]
                  ) -> tuple[int, int, int, TypesetRun, int, BodyItem | None] | None:
    """A later round of the page plan changes a run from some article on: where the
    last round's run with the same first article has a page, before the first
    change, that opens with a paragraph's first line (`TypesetRun.tops`) or with a
    line inside a paragraph (`TypesetRun.cuts`), and the HTML up to that
    paragraph's end is the same, that run's pages before it are this run's: kept,
    and the run resumed at that paragraph, or that paragraph's rest from that line
    (`resumed_flows`, `paragraph_rest`), is all that is typeset (flow-16's second
    round: pages 1-4 of its first run kept, not typeset again). The latest such
    page. A run resumed already is resumed further (flow-16's third round changes
    the resumed run's last article: its first pages are kept). (run, flow, body
    item, the run measured, page, the paragraph's rest or None); None: none such.
    Only a run that does not begin inside flowing text (no spacer to follow) and
    holds no photos and no jumps (their numbers and the photo guard's moves are not
    in what is compared). `render`: a run's HTML as this pass renders run `index`
    (its numbers, spacer, shifts)."""
    for index, run in enumerate(runs):
        if flowing[index] or (index < len(done) and done[index].html == htmls[index]):
            continue
        guide = before.get(run[0][0]["anchor"])
        if guide is None or not (guide.tops or guide.cuts) or not guide.pdf or any(
                article["full_width_figures"] or article["jump_out"] or article["jump_in"]
                or article["continued"]
                or any(item["figure"] is not None for item in article["body"])
                for flow in run for article in flow):
            continue
        html, old = _PLACEHOLDER.sub(r"\1", htmls[index]), _PLACEHOLDER.sub(r"\1", guide.html)
        for page in sorted({*guide.tops, *guide.cuts}, reverse=True):
            if page < 2 or page > guide.pages + 1:  # (+ 1: a kept run's next page)
                continue
            ids, text = guide.tops[page] if page in guide.tops else guide.cuts[page][:2]
            flow = next((i for i, f in enumerate(run) if f[0]["anchor"] in ids), None)
            if flow is None or len(run[flow]) > 1 or run[flow][0]["kind"] in ("notice", "box"):
                continue
            lead = run[flow][0]
            items = [i for i, item in enumerate(lead["body"]) if item["kind"] == "paragraph"
                     and (i or page not in guide.tops)
                     and _plain("".join(s.text for s in item["spans"])) == _plain(text)]
            if len(items) != 1 or not resumable(run, flow, items[0]):
                continue
            rest = None
            if page not in guide.tops:
                rest = paragraph_rest(lead["body"][items[0]], guide.cuts[page][2])
                if rest is None:
                    continue
            # What the page's paragraph ends: the run rendered to it, against the whole.
            upto: ArticleContext = {**lead, "body": lead["body"][:items[0] + 1]}
            probe = [*runs[:index], [*run[:flow], [upto]], *runs[index + 1:]]
            cut = _PLACEHOLDER.sub(r"\1", render(probe, index))
            end = common_prefix(cut, html)
            if end and old[:end] == html[:end]:
                return index, flow, items[0], guide, page, rest
    return None


def common_prefix(a: str, b: str) -> int:
    """The length of the longest common start of `a` and `b`, found by comparing
    halves as whole slices (`_resume_point` compares runs' HTML, ~50 000 characters:
    a comparison character by character took ~2 ms of this process's time each,
    between the rounds, while the workers wait)."""
    low, high = 0, min(len(a), len(b))
    while low < high:  # a[:low] == b[:low]; the length is at most high
        middle = (low + high + 1) // 2
        if a[low:middle] == b[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _plain(text: str) -> str:
    return re.sub(r"\s", "", visible(text))


def _kept(guide: TypesetRun, pages: int, full: float) -> TypesetRun:
    """The first `pages` pages of a typeset run, as a run of their own (`_resume_point`):
    its PDF cut there, its measures theirs; the page after it opens with the paragraph
    `tops` still names (the next round may resume there again)."""
    if pages == guide.pages:
        pdf = guide.pdf
    else:
        load_pikepdf()
        import pikepdf

        with pikepdf.open(io.BytesIO(guide.pdf)) as document:
            del document.pages[pages:]
            out = io.BytesIO()
            document.save(out)
            pdf = out.getvalue()
    anchors = {a: p for a, p in guide.anchors.items() if p <= pages}
    return TypesetRun(guide.html if pages == guide.pages else f"{guide.html}<!-- {pages} -->",
                      pdf, pages, anchors, guide.diagnostics, guide.reads,
                      [a for a in guide.holes if a in anchors], guide.fill[:pages],
                      guide.facts[:pages],
                      {a: b for a, b in guide.boxes.items() if a in anchors},
                      foot=full, spacer=guide.spacer,
                      feet={a: f for a, f in guide.feet.items() if a in anchors},
                      tops={p: t for p, t in guide.tops.items() if p <= pages + 1},
                      cuts={p: t for p, t in guide.cuts.items() if p <= pages + 1})


def _first_article(html: str) -> str:
    """The anchor of a run's first article, from its HTML ("" if none)."""
    found = _ARTICLE_ID.search(html)
    return found.group(1) if found else ""


_ARTICLE_ID = re.compile(r'<article [^>]*id="([^"]+)"')
_PLACEHOLDER = re.compile(r'(?<=<li><a href="#)([^"]+") data-page="\d+"')


def _joined(done: list[TypesetRun], firsts: list[str], recuts: frozenset[str]
            ) -> list[TypesetRun]:
    """The runs as if not cut where `_recut` cut them: each second half's numbers
    joined to its first half's (pages, anchors, foot), as the whole run measures."""
    joined: list[TypesetRun] = []
    for run, first in zip(done, firsts, strict=True):
        if joined and first.endswith(RESUMED):  # (its first page its own)
            head = joined[-1]
            anchors = {**head.anchors, **{a: p + head.pages for a, p in run.anchors.items()
                                          if not a.endswith(RESUMED)}}
            joined[-1] = TypesetRun("", b"", head.pages + run.pages, anchors,
                                    foot=run.foot, spacer=head.spacer)
        elif joined and first in recuts:
            head = joined[-1]
            shift = head.pages - 1
            anchors = {**head.anchors, **{a: p + shift for a, p in run.anchors.items()}}
            joined[-1] = TypesetRun("", b"", head.pages + run.pages - 1, anchors,
                                    foot=run.foot, spacer=head.spacer)
        else:
            joined.append(run)
    return joined


def _spacer(done: list[TypesetRun], index: int, floor: float, first: str,
            arrivals: set[int]) -> float:
    """The spacer to typeset run `index` under: the foot of the run before
    (`_guess_spacer`), unless the run's first article goes to its second page
    under it; then any spacer that pushes it gives the same pages (also when the
    keep guard pushes it: its moved headline starts at its page's top as a pushed
    one does, typeset.engine.typeset): the one it
    was typeset under if that was lower, else `floor` (the least that pushes it,
    guessed; confirmed when typeset, else the foot). `arrivals`: the runs typeset
    (or found) for this content; the others (an earlier round's) are guesses."""
    foot = _guess_spacer(done, index)
    run = done[index] if index < len(done) else None
    typeset = run is not None and id(run) in arrivals and run.spacer > 0
    if run is not None and typeset and run.spacer <= foot and run.anchors.get(first) == 2:
        return run.spacer
    if foot >= floor and not (run is not None and typeset and run.spacer == floor):
        return floor
    return foot


def _guess_spacer(done: list[TypesetRun], index: int) -> float:
    """The spacer of run `index` (inside flowing text): the foot of the run before,
    as typeset, or as the last build or `estimate` left it."""
    return done[index - 1].foot if index - 1 < len(done) else 0.0


def _line_px(prepared: Prepared) -> float:
    return prepared.layout.geometry.line * 4 / 3


def _guards(prepared: Prepared, flows: list[Flow], shifts: dict[str, int]) -> Guards:
    """What the typesetter checks one run (its `flows`) against."""
    g = prepared.layout.geometry
    return Guards(headline_keeps(flows), figure_markers(shift_figures(flows, shifts)),
                  g.column_width, g.line, g.columns, g.gap, g)


def _put(done: list[TypesetRun], index: int, run: TypesetRun) -> None:
    if index < len(done):
        done[index] = run
    else:
        done.append(run)


def estimate_pages(prepared: Prepared, run: list[Flow], first: bool) -> int:
    """A guess of a run's page count, from its text and photos in grid lines, so
    that the first round numbers the pages right and typesets each run once; a
    wrong guess costs a second round, never a wrong page."""
    return estimate(prepared, run, first)[0]


def estimate(prepared: Prepared, run: list[Flow], first: bool) -> tuple[int, dict[str, int]]:
    """`estimate_pages`, and the page (within the run) each article is guessed to
    start on: the contents box of the first run shows them, so a wrong guess for an
    article that starts mid-run costs the first run again (in a text-heavy issue a
    third of the typesetting)."""
    pages, anchors, _, _ = _estimate(prepared, run, first)
    return pages, anchors


def _estimate(prepared: Prepared, run: list[Flow], first: bool, top: float = 0.0
              ) -> tuple[int, dict[str, int], float, list[int]]:
    """`estimate` of a run whose first `top` lines are the previous run's (a run
    inside flowing text), the foot of its last page's text in CSS px (`_foot`: the
    spacer of a run after it) and the column lines before each of its flows."""
    g = prepared.layout.geometry
    chars = max(1, prepared.layout.spec.page.column_chars)
    page = g.lines * g.columns  # in column lines: a line of each column counts twice
    # The masthead (5 lines) and the contents box (3 and one line an entry), across
    # the columns.
    lines = (8 + len(prepared.context.context["toc"])) * g.columns if first else 0
    if top:  # the tail before it, and the blank line that parts the articles
        lines += (math.ceil(top - 0.01) + 1) * g.columns
    anchors: dict[str, int] = {}
    starts: list[int] = []
    for index, flow in enumerate(run):
        if index:
            lines += g.columns  # a blank line parts consecutive articles
        starts.append(lines)
        for number, article in enumerate(flow):
            if number and article["start"] == "new-column":
                lines += -lines % page % (page // g.columns)  # to the next column's top
            # The headline (5 lines) goes with the first two lines of text: too little
            # room left on the page, and the article starts on the next.
            head = 5 * (g.columns if article["headline_span"] else 1)
            if -lines % page < head + 2 * g.columns:
                lines += -lines % page
            anchors[article["anchor"]] = 1 + lines // page
            lines += head
            lines += sum(f["lines"] + 1 for f in article["full_width_figures"]) * g.columns
            for item in article["body"]:
                if item["figure"] is not None:
                    lines += item["figure"]["lines"] + 1
                    continue
                texts = [item["spans"], *item["entries"]]
                for spans in texts:
                    ems = sum(_ems(s.text) for s in spans) + 2  # the indent
                    lines += math.ceil(ems / chars) + (1 if item["kind"] == "subhead" else 0)
        lines += -lines % g.columns  # balanced columns end level
    if not top:
        return max(1, -(-lines // page)), anchors, _foot(prepared, run, first, top), starts
    # A run inside flowing text: the columns simulated (its pages and articles
    # follow from the spacer, which the contents box's numbers then depend on).
    found: dict[str, int] = {}
    pages: list[int] = []
    foot = _foot(prepared, run, first, top, pages, found)
    return pages[-1], found, foot, starts


def _foot(prepared: Prepared, run: list[Flow], first: bool, top: float = 0.0,
          tails: list[int] | None = None, anchors: dict[str, int] | None = None) -> float:
    """The foot of a run's last page's text in CSS px (the spacer of a run after
    it), for a run whose first `top` lines are the previous run's. The columns are
    filled as the typesetter fills them, about: paragraphs of whole lines
    (characters of the column's width, Latin ½ em) parted between columns with two
    lines at least on either side, a subhead kept with what follows, photos whole,
    an article's last columns balanced by WeasyPrint's trials (see `_balance`).
    `tails`: filled with the lines used on the page before each flow; `anchors`:
    with the page (of the run) each article starts on."""
    anchors = {} if anchors is None else anchors
    g = prepared.layout.geometry
    spec = prepared.layout.spec.page
    chars = max(1, spec.column_chars)
    measure = spec.columns * chars + (spec.columns - 1) * spec.gap_chars  # body ems
    height = g.lines
    # The masthead (5 lines) and the contents box (3 and one line an entry).
    y = 8 + len(prepared.context.context["toc"]) if first else 0
    if top:
        y = math.ceil(top - 0.01)
    page = 1
    for index, flow in enumerate(run):
        if tails is not None:
            tails.append(y)
        lead = flow[0]
        if (index or top) and y:
            y += _plan_space(lead, "space-above")  # none at a page's top
        items: list[_Item] = []
        for number, article in enumerate(flow):
            if number and article["start"] == "new-column":
                items.append(_Item(0, "column"))
            if number or not lead["headline_span"]:
                items.append(_Item(_headline_lines(article, chars * 10.5 / 16, 16), "keep",
                                   article=article["anchor"]))
            items += _body_items(article, chars)
        if lead["headline_span"]:
            head = _headline_lines(lead, measure * 10.5 / 20, 20) + sum(
                f["lines"] + 1 for f in lead["full_width_figures"])
            first_lines = next((i.lines for i in items if i.kind == "text"), 2)
            if y and y + head + _least(first_lines) > height:
                page, y = page + 1, 0  # the headline goes with two lines of text
            anchors[lead["anchor"]] = page
            y += head
        state = (0, 0)
        while True:
            room = height - y
            balanced = _balance(items, state, room, g.columns)
            if balanced is not None:
                y += balanced[0]
                for anchor in balanced[1]:
                    anchors.setdefault(anchor, page)
                break
            for _ in range(g.columns):
                state, _used, placed = _fill(items, state, room, room == height and y == 0)
                for anchor in placed:
                    anchors.setdefault(anchor, page)
            if state[0] >= len(items):
                y = height
                break
            page, y = page + 1, 0
        anchors.setdefault(lead["anchor"], page)
    if tails is not None:
        tails.append(page)  # and last: the pages
    return y * _line_px(prepared)


def _push_floor(prepared: Prepared, flow: Flow) -> int:
    """The least lines of text above a flow on its page that push its headline (with
    the two lines of text it goes with) to the next page, about; the page's lines if
    nothing does."""
    g = prepared.layout.geometry
    lead = flow[0]
    if not lead["headline_span"]:
        return g.lines
    spec = prepared.layout.spec.page
    measure = spec.columns * spec.column_chars + (spec.columns - 1) * spec.gap_chars
    head = _headline_lines(lead, measure * 10.5 / 20, 20) + sum(
        f["lines"] + 1 for f in lead["full_width_figures"])
    items = _body_items(lead, max(1, spec.column_chars))
    first_lines = next((i.lines for i in items if i.kind == "text"), 2)
    return max(1, g.lines - head - _least(first_lines) - _plan_space(lead, "space-above") + 1)


def _plan_space(article: ArticleContext, name: str) -> int:
    """Blank lines above an article or under its headline: the layout's one, or the
    page plan's (its classes space-above-N, headline-space-N)."""
    for word in article["plan_classes"].split():
        if word.startswith(name + "-") and word[len(name) + 1:].isdigit():
            return int(word[len(name) + 1:])
    return 1


@dataclass(frozen=True)
class _Item:
    """Something in the columns, in lines: text (parted with two lines at least on
    either side), a headline or subhead kept with what follows, a photo or table
    kept whole, or a break to the next column."""

    lines: int
    kind: str  # "text", "keep", "solid" or "column"
    margin: int = 0  # blank lines above it, dropped at a column's top
    article: str | None = None  # the anchor of the article it begins


def _lines(text: str, width: float) -> int:
    return max(1, math.ceil((_ems(text) + 2) / width))  # with the indent


def _headline_lines(article: ArticleContext, width: float, _size: int) -> int:
    """Kicker, title (two grid lines a line), subtitle, byline, the blank line under."""
    lines = _plan_space(article, "headline-space") + (1 if article["section"] else 0) + (
        1 if article["byline"] else 0)
    title = article["title_set"] if not article["continued"] else article["title"]
    lines += 2 * sum(max(1, math.ceil(_ems(part) / width)) for part in title.split("\n"))
    if article["subtitle"]:
        lines += sum(max(1, math.ceil(_ems(part) / (width * 20 / 12)))
                     for part in article["subtitle"].split("\n"))
    if article["jump_in"]:
        lines += 1
    return lines


def _body_items(article: ArticleContext, chars: int) -> list[_Item]:
    items: list[_Item] = [_Item(f["lines"] + 1, "solid")
                          for f in article["full_width_figures"]
                          if not article["headline_span"]]
    for item in article["body"]:
        figure = item["figure"]
        if figure is not None:
            place = figure["placement"]
            items.append(_Item(figure["lines"] + (1 if place != "bottom" else 0), "solid",
                               1 if place in ("inline", "bottom") else 0))
        elif item["kind"] == "subhead":
            items.append(_Item(_lines("".join(s.text for s in item["spans"]), chars),
                               "keep", 1))
        elif item["kind"] == "table" and item["table"] is not None:
            items.append(_Item(2 + 2 * len(item["table"].get("rows", [])), "solid"))
        elif item["kind"] == "rule":
            items.append(_Item(1, "solid"))
        else:
            texts = [item["spans"], *item["entries"]] if item["kind"] != "quote" else \
                [c["spans"] for c in item["children"]]
            items += [_Item(_lines("".join(s.text for s in spans), chars), "text")
                      for spans in texts if spans]
    if article["signature"]:
        items.append(_Item(len(article["signature"]["lines"]), "solid"))
    if article["qr"]:
        items.append(_Item(5, "solid"))
    if article["jump_out"]:
        items.append(_Item(1, "solid"))
    return items


def _least(lines: int) -> int:
    """The lines of a paragraph that may stand at a column's foot: two, or all of
    it when it cannot be parted two and two."""
    return lines if lines < 4 else 2


def _fill(items: list[_Item], state: tuple[int, int], room: float, empty: bool
          ) -> tuple[tuple[int, int], float, list[str]]:
    """One column of `room` lines filled from `state` (item, lines of it placed):
    the state after, the lines it takes (a paragraph parted at its foot reaches
    down to it) and the articles begun."""
    index, done = state
    used = 0
    placed: list[str] = []
    while index < len(items):
        item = items[index]
        margin = item.margin if used else 0
        if item.kind == "column":
            if used:
                return (index + 1, 0), used, placed
            index += 1
            continue
        left = item.lines - done
        if item.kind == "text":
            if used + margin + left <= room:
                used += margin + left
                index, done = index + 1, 0
                continue
            part = min(math.floor(room - used - margin), left - 2)
            if part >= 2 or (not used and part > 0):
                return (index, done + part), room, placed
            if not used:  # too little room for anything: as it comes
                return (index, done + max(1, math.floor(room))), room, placed
            return (index, done), used, placed
        follows = items[index + 1] if index + 1 < len(items) else None
        need = left + margin + (_least(follows.lines) if item.kind == "keep" and follows
                                and follows.kind == "text" else 0)
        if used + need <= room or not used:
            used += margin + left
            if item.article:
                placed.append(item.article)
            index, done = index + 1, 0
            continue
        return (index, 0), used, placed
    return (index, 0), used, placed


def _next_height(items: list[_Item], state: tuple[int, int]) -> float:
    """The height of the least that can follow `state` (WeasyPrint's look-ahead lays
    out what follows with no room: a line of text, a subhead, a whole photo)."""
    index, _ = state
    while index < len(items) and items[index].kind == "column":
        index += 1
    if index >= len(items):
        return 0.0
    item = items[index]
    return 1.0 if item.kind == "text" else float(item.lines)


def _balance(items: list[_Item], state: tuple[int, int], room: int, columns: int
             ) -> tuple[int, list[str]] | None:
    """The height of the columns holding the rest of `items` balanced, if they fit
    in `room` lines, and the articles they begin: WeasyPrint's trials, from the
    columns' mean height up by the least height that moves a line up a column."""
    def trial(height: float) -> tuple[bool, list[float], float, list[str]]:
        at, taken, lost, placed = state, [], math.inf, []
        for _ in range(columns):
            at, used, begun = _fill(items, at, height, False)
            taken.append(used)
            placed += begun
            if at[0] >= len(items):
                break
            # A column the text goes on from is full: its box reaches its foot.
            gap = _next_height(items, at)
            if gap > 1 / 24:
                lost = min(lost, gap)
        return at[0] >= len(items), taken, lost, placed

    fits, taken, lost, placed = trial(room)
    if not fits:
        return None
    height = sum(taken) / columns
    for _ in range(200):
        fits, _, step, placed = trial(height)
        if fits:
            return math.ceil(height - 1e-6), placed
        lost = min(lost, step)
        height += 1 / 24 if lost == math.inf else lost
        if height > room:
            return room, placed
    return room, placed


def _ems(text: str) -> float:
    """Width of text in body ems, about: Latin letters, digits and ASCII marks ½ em."""
    # (Counted by the codec, not character by character: the estimates read every
    # paragraph of a run, a few times a round, in this process while the workers
    # wait. Characters below U+007F: ASCII less DEL.)
    ascii_count = len(text.encode("ascii", "ignore")) - text.count("\x7f")
    return len(text) - ascii_count / 2


def _numbers(done: list[TypesetRun], count: int, shared: list[bool] | None = None
             ) -> tuple[list[int], dict[str, int]]:
    """First page of each run, and the issue page of every anchor, from what is known;
    a run in `shared` begins on the last page of the run before."""
    shared = shared or [False] * count
    starts = [1]
    pages: dict[str, int] = {}
    for index in range(count):
        if index < len(done):
            run = done[index]
            pages.update({a: starts[index] + p - 1 for a, p in run.anchors.items()})
            starts.append(starts[index] + run.pages)
        else:
            starts.append(starts[index] + 1)
        if index + 1 < count and shared[index + 1]:
            starts[-1] -= 1
    return starts[:count], pages


def _shared(runs: list[TypesetRun]) -> list[bool]:
    return [index > 0 and run.spacer > 0 for index, run in enumerate(runs)]


def anchor_pages(runs: list[TypesetRun]) -> dict[str, int]:
    """The issue page of every anchor of the runs."""
    return _numbers(runs, len(runs), _shared(runs))[1]


def issue_page_count(runs: list[TypesetRun]) -> int:
    """The issue's pages: a run inside flowing text shares its first page."""
    return sum(run.pages for run in runs) - sum(_shared(runs))


def issue_fill(runs: list[TypesetRun]) -> list[list[int]]:
    """Lines used per column of each issue page (a shared page: the fuller of both)."""
    fills: list[list[int]] = []
    for shared, run in zip(_shared(runs), runs, strict=True):
        own = list(run.fill)
        if shared and fills and own:
            fills[-1] = [max(a, b) for a, b in zip(fills[-1], own[0], strict=False)]
            own = own[1:]
        fills += own
    return fills


def _frame_html(prepared: Prepared, runs: list[list[Flow]], page_count: int) -> str:
    """The issue's page frames: `page_count` pages holding only the margin boxes
    (running heads, page numbers; the masthead sets their strings, hidden), to
    lay over framed runs. No articles, contents or colophon."""
    html = run_html(prepared, [[], *runs[1:]], 0, 1, {}, contents=False)
    breaks = _PAGE_BREAK * (page_count - 1)
    return html.replace("</body>", breaks + "</body>")


_PAGE_BREAK = '<div style="break-before: page"></div>'


def _contents_html(prepared: Prepared, runs: list[list[Flow]], pages: dict[str, int]) -> str:
    """The first page with the contents box showing the articles' issue `pages`,
    to draw its leaders and numbers over the first run's (CONTENTS_CSS). No
    articles: the contents box is laid out where the first run's is."""
    return run_html(prepared, [[], *runs[1:]], 0, 1, pages)


def merged_pdf(runs: list[TypesetRun], frame: bytes | None = None,
               contents: bytes | None = None) -> bytes:
    """One PDF of all runs, as the print build makes it (see assemble.py)."""
    from bulletin_press.runs.assemble import assemble

    return assemble([run.pdf for run in runs], frame=frame, contents=contents,
                    shared=_shared(runs))


def page_index(runs: list[TypesetRun]) -> list[tuple[int, int]]:
    """(run, page within the run) for every page of the issue, in order."""
    shared = _shared(runs)
    return [(r, p) for r, run in enumerate(runs)
            for p in range(2 if shared[r] else 1, run.pages + 1)]
