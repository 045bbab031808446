"""Page runs: an issue typeset as separate documents, one per run of pages.

An article that starts on a new page begins a run. Each run is rendered from
the same context as its own HTML document (the first with the masthead, the
last with the colophon), numbered from its first page, with the contents
box's page numbers given instead of counted. Runs whose HTML did not change
are not typeset again: after an edit to one article, only its run is, unless
its page count changed, which changes the numbers of the runs after it (and
of the contents box), and those are redone too. The preview uses this to
show an edit in a fraction of a full re-layout.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .context import ArticleContext, IssueContext
from .pipeline import Prepared
from .render import render_html

Flow = list[ArticleContext]


def split_runs(flows: list[Flow]) -> list[list[Flow]]:
    runs: list[list[Flow]] = []
    for flow in flows:
        if runs and flow[0]["start"] != "new-page":
            runs[-1].append(flow)
        else:
            runs.append([flow])
    return runs


@dataclass
class TypesetRun:
    html: str
    pdf: bytes
    pages: int
    anchors: dict[str, int]  # anchor → page within the run (1-based)


@dataclass
class RunCache:
    """What the last round typeset, by run index; reused while the HTML is the same."""

    runs: list[TypesetRun] = field(default_factory=list)
    typeset_count: int = 0  # runs typeset by the last `update` (for tests and logs)


def run_html(prepared: Prepared, runs: list[list[Flow]], index: int, start: int,
             pages: dict[str, int]) -> str:
    context: IssueContext = dict(prepared.context.context)  # type: ignore[assignment]
    context["flows"] = runs[index]
    context["show_masthead"] = index == 0
    context["show_colophon"] = index == len(runs) - 1
    context["page_start"] = start
    context["toc"] = [{**entry, "page": pages.get(entry["anchor"])}
                      for entry in context["toc"]]
    return render_html(prepared.layout, context).html


def update(prepared: Prepared, cache: RunCache) -> list[TypesetRun]:
    """Typeset what changed; at most a few rounds until page numbers settle."""
    from .typeset import typeset, write_pdf

    runs = split_runs(prepared.context.context["flows"])
    done = list(cache.runs[:len(runs)])
    typeset_count = 0
    for _ in range(4):
        starts, pages = _numbers(done, len(runs))
        changed = False
        for index in range(len(runs)):
            html = run_html(prepared, runs, index, starts[index], pages)
            if index < len(done) and done[index].html == html:
                continue
            fence = prepared.fence()
            result = typeset(html, fence.url("issue"), fence)
            run = TypesetRun(html, write_pdf(result), result.page_count,
                             result.anchor_pages())
            typeset_count += 1
            if index < len(done):
                changed |= done[index].pages != run.pages or done[index].anchors != run.anchors
                done[index] = run
            else:
                done.append(run)
                changed = True
        if not changed:
            break
    cache.runs = done
    cache.typeset_count = typeset_count
    return done


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


def merged_pdf(runs: list[TypesetRun]) -> bytes:
    """One PDF of all runs (for the preview's download; each run keeps its fonts)."""
    import io

    import pikepdf

    with pikepdf.new() as merged:
        for run in runs:
            with pikepdf.open(io.BytesIO(run.pdf)) as part:
                merged.pages.extend(part.pages)  # links between runs are not kept
        out = io.BytesIO()
        merged.save(out)
        return out.getvalue()


def page_index(runs: list[TypesetRun]) -> list[tuple[int, int]]:
    """(run, page within the run) for every page of the issue, in order."""
    return [(r, p) for r, run in enumerate(runs) for p in range(1, run.pages + 1)]

