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

import gc
import math
from dataclasses import dataclass, field
from pathlib import Path

from bulletin_press.layout.context import (
    ArticleContext,
    IssueContext,
    figure_markers,
    headline_keeps,
    shift_figures,
)
from bulletin_press.layout.page_plan import with_jump_pages
from bulletin_press.layout.prepare import Prepared
from bulletin_press.layout.render import render_html
from bulletin_press.runs.store import RunStore
from bulletin_press.runs.worker import (
    Guards,
    Job,
    Part,
    TypesetRun,
    typeset_collected,
    typeset_job,
    worker_pool,
)

Flow = list[ArticleContext]
CHUNK_PAGES = 8  # framed runs typeset as one document up to this many pages (guessed)


def split_runs(flows: list[Flow]) -> list[list[Flow]]:
    runs: list[list[Flow]] = []
    for flow in flows:
        if runs and flow[0]["start"] != "new-page":
            runs[-1].append(flow)
        else:
            runs.append([flow])
    return runs


# Framed runs (the print build): the runs are typeset without their page margin
# boxes (running heads, page numbers), so a run's pages do not depend on where
# it starts and every run is typeset once, in parallel; one "frame" document of
# as many pages as the issue, holding only the margin boxes, is laid over them
# (assemble.py). Only the contents box depends on other runs' page numbers.
MARGIN_BOXES = ("top-left-corner", "top-left", "top-center", "top-right", "top-right-corner",
                "bottom-left-corner", "bottom-left", "bottom-center", "bottom-right",
                "bottom-right-corner", "left-top", "left-middle", "left-bottom", "right-top",
                "right-middle", "right-bottom")
_NO_MARGIN_BOXES = "".join(f"@{name} {{ content: none !important; }}" for name in MARGIN_BOXES)
BODY_CSS = f"@page {{ {_NO_MARGIN_BOXES} }}"
FRAME_CSS = ("@page { background: none !important; }\n"
             "html, body { background: none !important; }\n"
             "body * { visibility: hidden !important; }\n")


@dataclass
class RunCache:
    """What the last round typeset, by run index; reused while the HTML is the same."""

    runs: list[TypesetRun] = field(default_factory=list)
    typeset_count: int = 0  # runs typeset by the last `update` (for tests and logs)
    store: RunStore | None = None  # on disk, shared by processes (the CLI's builds)
    jobs: int = 1  # processes typesetting at once
    framed: bool = False  # typeset without margin boxes, laid on page frames
    frame: TypesetRun | None = None  # with `framed`: the page frames for the runs
    shifts: dict[str, int] = field(default_factory=dict)  # photo guard: paragraphs moved


def run_html(prepared: Prepared, runs: list[list[Flow]], index: int, start: int,
             pages: dict[str, int], *, framed: bool = False,
             shifts: dict[str, int] | None = None, last: int | None = None,
             contents: bool = True) -> str:
    """The HTML of run `index` (through run `last`, as one chunk; see `Part`)."""
    last = index if last is None else last
    context: IssueContext = dict(prepared.context.context)  # type: ignore[assignment]
    # Jump lines show issue pages, always given: a framed run counts its own from 1.
    context["flows"] = with_jump_pages([flow for run in runs[index:last + 1]
                                        for flow in shift_figures(run, shifts or {})], pages)
    if framed:  # the page numbers are the frame's: a run's own pages count from 1
        start = 1
        own = _anchors(runs[index])
        pages = {a: p for a, p in pages.items() if a not in own}  # counted by WeasyPrint
    context["show_masthead"] = index == 0
    context["show_colophon"] = last == len(runs) - 1
    context["page_start"] = start
    context["toc"] = [{**entry, "page": pages.get(entry["anchor"])}
                      for entry in context["toc"]] if contents else []
    return render_html(prepared.layout, context).html


def _anchors(run: list[Flow]) -> set[str]:
    return {article["anchor"] for flow in run for article in flow}


def _typeset_all(jobs: list[Job], mounts: dict[str, Path], processes: int
                 ) -> list[list[TypesetRun]]:
    if processes > 1 and jobs:  # even one: the workers have the typesetter imported
        return _in_processes(jobs, mounts, processes)
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


def _in_processes(jobs: list[Job], mounts: dict[str, Path], processes: int
                  ) -> list[list[TypesetRun]]:
    # Longest first, so the last worker does not start the biggest job alone; the
    # frame document (short HTML, many pages) counts as long.
    order = sorted(range(len(jobs)),
                   key=lambda i: -len(jobs[i].html) * (8 if jobs[i].user_css == FRAME_CSS
                                                       else 1))
    with worker_pool(min(processes, len(jobs))) as pool:
        futures = {i: pool.submit(typeset_collected, jobs[i], mounts) for i in order}
        try:
            return [futures[i].result() for i in range(len(jobs))]
        except KeyboardInterrupt:  # the workers ignore it: what runs ends, the rest not
            pool.shutdown(cancel_futures=True)
            raise


def chunks(indices: list[int], pages: list[int], limit: int) -> list[list[int]]:
    """Consecutive run indices grouped, each group at most `limit` pages (by the
    guesses in `pages`) unless a run alone is longer."""
    groups: list[list[int]] = []
    for index in indices:
        group = groups[-1] if groups else []
        if group and group[-1] == index - 1 and \
                sum(pages[i] for i in group) + pages[index] <= limit:
            group.append(index)
        else:
            groups.append([index])
    return groups


def update(prepared: Prepared, cache: RunCache) -> list[TypesetRun]:
    """Typeset what changed; at most a few rounds until page numbers settle."""
    runs = split_runs(prepared.context.context["flows"])
    done = list(cache.runs[:len(runs)])
    mounts = prepared.fence().mounts
    store = cache.store
    if store is not None and not done:
        done = store.guess(prepared.issue.root, len(runs))
    done += [TypesetRun("", b"", *estimate(prepared, run, index == 0))
             for index, run in enumerate(runs[len(done):], start=len(done))]
    typeset_count = 0
    frame: TypesetRun | None = None
    for _ in range(4):
        starts, pages = _numbers(done, len(runs))
        htmls = [run_html(prepared, runs, index, starts[index], pages, framed=cache.framed,
                          shifts=cache.shifts) for index in range(len(runs))]
        missing: list[int] = []
        arrived: list[TypesetRun] = []  # runs this round brought (store or typesetter)
        for index, html in enumerate(htmls):
            if index < len(done) and done[index].html == html:
                continue
            found = store.get(html) if store is not None else None
            if found is not None:
                _put(done, index, found)
                arrived.append(found)
            else:
                missing.append(index)
        css = BODY_CSS if cache.framed else None
        # Framed runs are typeset a few pages at a time (see Part); the preview's
        # one by one, as its page numbers and running heads are its own.
        groups = chunks(missing, [r.pages for r in done], CHUNK_PAGES if cache.framed else 0)
        jobs: list[Job] = []
        for group in groups:
            first, last = group[0], group[-1]
            if first == last:
                jobs.append(Job(htmls[first], css, _guards(prepared, runs[first], cache.shifts)))
                continue
            parts = tuple(Part(htmls[i], frozenset(_anchors(runs[i])), runs[i][0][0]["anchor"],
                               _guards(prepared, runs[i], cache.shifts)) for i in group)
            html = run_html(prepared, runs, first, starts[first], pages, framed=True,
                            shifts=cache.shifts, last=last)
            # The chunk's document keeps every part's headlines; the photo guard
            # looks at each part's pages (see typeset_chunk).
            keeps = [keep for part in parts for keep in part.guards.keeps]
            jobs.append(Job(html, css, Guards(keeps), parts))
        frame_html = None
        total = sum(r.pages for r in done)
        if cache.framed and (frame is None or frame.pages < total):
            # The frame goes with the runs, with a little room for pages not foreseen
            # (a page of the frame costs ~3.5 ms; too few cost another round), in
            # steps of 4, so that the stored frame serves small changes.
            frame_html = _frame_html(prepared, runs, -(-(total + 2) // 4) * 4)
            frame = store.get(frame_html) if store is not None else None
            if frame is None:
                jobs.append(Job(frame_html, FRAME_CSS,
                                Guards(geometry=prepared.layout.geometry)))
        results = _typeset_all(jobs, mounts, cache.jobs)
        if frame_html is not None and len(results) > len(groups):
            frame = results.pop()[0]
            if store is not None:
                store.put(frame)
        fresh = [run for result in results for run in result]
        typeset_count += len(fresh)
        for index, run in zip(missing, fresh, strict=True):
            _put(done, index, run)
            arrived.append(run)
            if store is not None:
                store.put(run)
        holes = [a for run in arrived for a in run.holes]
        for anchor in holes:  # the photo guard: each such photo one paragraph later
            cache.shifts[anchor] = cache.shifts.get(anchor, 0) + 1
        if holes:
            settled = False
        elif cache.framed:
            # The contents box (run 1) and jump lines (any run) show page numbers.
            numbers = _numbers(done, len(runs))
            settled = [run_html(prepared, runs, i, numbers[0][i], numbers[1], framed=True,
                                shifts=cache.shifts) for i in range(len(runs))] == htmls
        else:
            settled = _numbers(done, len(runs)) == (starts, pages)
        if settled and (frame is None or frame.pages >= sum(r.pages for r in done)):
            break
    if store is not None:
        store.remember(prepared.issue.root, done)
    cache.runs = done
    cache.frame = frame
    cache.typeset_count = typeset_count
    return done


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
    g = prepared.layout.geometry
    chars = max(1, prepared.layout.spec.page.column_chars)
    page = g.lines * g.columns  # in column lines: a line of each column counts twice
    # The masthead (5 lines) and the contents box (3 and one line an entry), across
    # the columns.
    lines = (8 + len(prepared.context.context["toc"])) * g.columns if first else 0
    anchors: dict[str, int] = {}
    for index, flow in enumerate(run):
        if index:
            lines += g.columns  # a blank line parts consecutive articles
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
    return max(1, -(-lines // page)), anchors


def _ems(text: str) -> float:
    """Width of text in body ems, about: Latin letters, digits and ASCII marks ½ em."""
    ascii_count = sum(1 for c in text if c < "\x7f")
    return len(text) - ascii_count / 2


def _numbers(done: list[TypesetRun], count: int) -> tuple[list[int], dict[str, int]]:
    """First page of each run, and the issue page of every anchor, from what is known."""
    starts = [1]
    pages: dict[str, int] = {}
    for index in range(count):
        if index < len(done):
            run = done[index]
            pages.update({a: starts[index] + p - 1 for a, p in run.anchors.items()})
            starts.append(starts[index] + run.pages)
        else:
            starts.append(starts[index] + 1)
    return starts[:count], pages


def anchor_pages(runs: list[TypesetRun]) -> dict[str, int]:
    """The issue page of every anchor of the runs."""
    return _numbers(runs, len(runs))[1]


def _frame_html(prepared: Prepared, runs: list[list[Flow]], page_count: int) -> str:
    """The issue's page frames: `page_count` pages holding only the margin boxes
    (running heads, page numbers; the masthead sets their strings, hidden), to lay
    over framed runs. No articles, contents entries or colophon: only their cost."""
    html = run_html(prepared, [[], *runs[1:]], 0, 1, {}, contents=False)
    breaks = '<div style="break-before: page"></div>' * (page_count - 1)
    return html.replace("</body>", breaks + "</body>")


def merged_pdf(runs: list[TypesetRun], frame: bytes | None = None) -> bytes:
    """One PDF of all runs, as the print build makes it (see assemble.py)."""
    from bulletin_press.runs.assemble import assemble

    return assemble([run.pdf for run in runs], frame=frame)


def page_index(runs: list[TypesetRun]) -> list[tuple[int, int]]:
    """(run, page within the run) for every page of the issue, in order."""
    return [(r, p) for r, run in enumerate(runs) for p in range(1, run.pages + 1)]
