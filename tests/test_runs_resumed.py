"""A page run resumed mid-article at a page's top (runs/plan.py `resumed_flows`):
where a page of a run opens with a paragraph's first line, the run's flows from
that paragraph on, typeset alone, give the whole run's pages from that page on,
the same pictures at 100 dpi. This is what lets a later round of the page plan
keep a run's unchanged pages and typeset only from the first changed one."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops

from bulletin_press.build.pipeline import build_runs
from bulletin_press.layout.context import BodyItem
from bulletin_press.layout.prepare import Prepared, prepare
from bulletin_press.runs import plan
from bulletin_press.runs.worker import Job, TypesetRun, typeset_job
from bulletin_press.text.blocks import Span
from bulletin_press.text.breaks import visible

from .conftest import ROOT

pytestmark = pytest.mark.slow


def _pictures(pdf: bytes) -> list[Image.Image]:
    return [page.render(scale=100 / 72).to_pil().convert("RGB")
            for page in pdfium.PdfDocument(pdf)]


def _typeset(prepared: Prepared, runs: list[list[plan.Flow]], index: int) -> TypesetRun:
    html = plan.run_html(prepared, runs, index, 1, {}, framed=True)
    job = Job(html, plan.BODY_CSS, plan._guards(prepared, runs[index], {}))
    return typeset_job(job, prepared.fence().mounts)[0]


def _page_tops(pdf: bytes) -> dict[int, str]:
    """Page (1-based, from the second) → the text of its first line, when that line
    is indented: a paragraph's first line opens the page."""
    tops: dict[int, str] = {}
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for number, page in enumerate(document.pages[1:], start=2):
            middle = page.width / 2
            body = [c for c in page.chars if 9 < c["size"] < 11 and c["x1"] < middle]
            if not body:
                continue
            top = min(c["top"] for c in body)
            line = sorted((c for c in body if abs(c["top"] - top) < 1), key=lambda c: c["x0"])
            # (nothing above it: a headline across the page would be)
            if line[0]["x0"] > min(c["x0"] for c in body) + 5 and \
                    top <= min(c["top"] for c in page.chars) + 1:
                tops[number] = "".join(c["text"] for c in line)
    return tops


def _text(item: BodyItem) -> str:
    return re.sub(r"\s", "", visible("".join(s.text for s in item["spans"])))


@pytest.mark.parametrize("name", ["flow-16", "text-16"])
def test_a_run_resumed_at_a_page_top_gives_the_whole_runs_pages(name: str) -> None:
    prepared = prepare(ROOT / "issues" / name)
    runs = plan.cut_flowing(prepared, plan.split_runs(prepared.context.context["flows"]),
                            plan.FLOW_PAGES)
    found = None
    for index, run in enumerate(runs):  # the first run with a page that opens so
        if len(run) < 2:
            continue
        whole = _typeset(prepared, runs, index)
        merged = plan.merged_pdf([whole])
        for page, line in sorted(_page_tops(merged).items()):
            starts = re.sub(r"\s", "", line)[:8]
            # The article the page's text goes on with: the last to begin above it.
            flow = max(i for i, articles in enumerate(run)
                       if whole.anchors[articles[0]["anchor"]] < page)
            found = next(((page, flow, item) for item, block in
                          enumerate(run[flow][0]["body"])
                          if item and block["kind"] == "paragraph" and block["figure"] is None
                          and _text(block).startswith(starts)), None)
            if found:
                break
        if found:
            break
    assert found is not None, "no page of the run opens with a paragraph"
    page, flow, item = found
    resumed = [*runs[:index], run[:flow], plan.resumed_flows(run, flow, item),
               *runs[index + 1:]]
    part = _typeset(prepared, resumed, index + 1)
    assert part.pages == whole.pages - page + 1
    assert part.fill == whole.fill[page - 1:]
    before, after = _pictures(merged), _pictures(plan.merged_pdf([part]))
    differing = [page + k for k, picture in enumerate(after)
                 if ImageChops.difference(before[page - 1 + k], picture).getbbox() is not None]
    assert differing == []
    # Its articles on the pages the whole run gives them, its own anchors apart.
    lead = run[flow][0]["anchor"]
    assert {a: p + page - 1 for a, p in part.anchors.items()
            if not a.endswith(plan.RESUMED)} == \
        {a: p for a, p in whole.anchors.items() if p >= page and a in part.anchors}
    assert part.anchors[lead + plan.RESUMED] == 1 and lead not in part.anchors


def test_a_later_round_keeps_a_runs_pages_before_its_first_change(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """flow-16: round 1 leaves a hole on page 8; round 2 spreads it from text-5 on
    (page 5). Pages 1-4 of round 1's first run are kept, not typeset again: page 5
    opens with a paragraph of text-4, and round 2 typesets the run from there. The
    pages are those of the build that typesets them again."""
    issue = tmp_path / "flow-16"
    shutil.copytree(ROOT / "issues" / "flow-16", issue)
    typeset: list[set[str]] = []  # per round: the anchors of the runs typeset
    real = plan._typeset_all

    def recording(jobs: list[Job], *args: Any, **kwargs: Any) -> list[list[TypesetRun]]:
        results = real(jobs, *args, **kwargs)
        typeset.append({a for result in results for run in result for a in run.anchors})
        return results

    monkeypatch.setattr(plan, "_typeset_all", recording)
    built = build_runs(issue, jobs=2, store=False)
    assert len(typeset) >= 2
    later = set().union(*typeset[1:])
    assert "article-text-1" not in later  # pages 1-4: round 1's
    assert "article-text-4" + plan.RESUMED in later
    monkeypatch.setattr(plan, "_resume_point", lambda *args: None)
    again = build_runs(issue, jobs=2, store=False)
    assert built.page_count == again.page_count == 15
    before, after = _pictures(again.pdf), _pictures(built.pdf)
    assert [n for n, (x, y) in enumerate(zip(before, after, strict=True), start=1)
            if ImageChops.difference(x, y).getbbox() is not None] == []


@pytest.mark.parametrize("name", ["flow-16", "text-varied-16"])
def test_a_run_resumed_inside_a_paragraph_gives_the_whole_runs_pages(name: str) -> None:
    """Where a page opens with a line of a paragraph begun on the page before
    (`TypesetRun.cuts`), the paragraph's rest from that line (`paragraph_rest`: not
    indented, no gap above) and what follows, typeset alone, give the whole run's
    pages from there: the same pictures at 100 dpi, fill and anchors. Every such
    page of the first run that has them (text-varied-16: names, addresses, phone
    numbers, dates, English words cut between lines)."""
    prepared = prepare(ROOT / "issues" / name)
    runs = plan.cut_flowing(prepared, plan.split_runs(prepared.context.context["flows"]),
                            plan.FLOW_PAGES)
    tried = 0
    for index, run in enumerate(runs):
        if tried:
            break
        whole = _typeset(prepared, runs, index)
        if not whole.cuts:
            continue
        before = _pictures(plan.merged_pdf([whole]))
        for page in sorted(whole.cuts):
            ids, text, line = whole.cuts[page]
            flow = next(i for i, f in enumerate(run) if f[0]["anchor"] in ids)
            body = run[flow][0]["body"]
            item = next(i for i, block in enumerate(body) if block["kind"] == "paragraph"
                        and _text(block) == re.sub(r"\s", "", visible(text)))
            rest = plan.paragraph_rest(body[item], line)
            if rest is None or not plan.resumable(run, flow, item):
                continue
            tried += 1
            assert rest["role"] == "cont" and _text(rest).startswith(
                re.sub(r"\s", "", visible(line)))
            resumed = [*runs[:index], run[:flow], plan.resumed_flows(run, flow, item, rest),
                       *runs[index + 1:]]
            part = _typeset(prepared, resumed, index + 1)
            assert (part.pages, part.fill) == (whole.pages - page + 1, whole.fill[page - 1:])
            after = _pictures(plan.merged_pdf([part]))
            assert [page + k for k, picture in enumerate(after)
                    if ImageChops.difference(before[page - 1 + k], picture).getbbox()
                    is not None] == []
            assert {a: p + page - 1 for a, p in part.anchors.items()
                    if not a.endswith(plan.RESUMED)} == \
                {a: p for a, p in whole.anchors.items() if p >= page and a in part.anchors}
    assert tried, "no page of a run opens inside a paragraph"


def test_a_paragraphs_rest_begins_at_its_lines_first_character() -> None:
    """The rest is cut at the line's first printed character, whatever marks and
    spans stand before it; not inside a Latin word, nor where the line's text is
    found twice."""
    item: Any = {"kind": "paragraph", "spans": [
        Span("联系电话：021-6238\u00a01234\u2060转8012，"), Span("Hiroshi", cls="bp-en"),
        Span("\u200b先生在天山西路880号。")], "role": "", "figure": None, "anchor": "p-3",
        "gap": 2, "place": "p", "entries": [], "marker": None}
    rest = plan.paragraph_rest(item, "转8012，Hiroshi先生")
    assert rest is not None
    assert [s.text for s in rest["spans"]] == ["转8012，", "Hiroshi", "\u200b先生在天山西路880号。"]
    assert (rest["role"], rest["anchor"], rest["gap"], "place" in rest) == ("cont", None, 0, False)
    rest = plan.paragraph_rest(item, "先生在天山")
    assert rest is not None and [s.text for s in rest["spans"]] == ["先生在天山西路880号。"]
    assert plan.paragraph_rest(item, "roshi先生") is None  # inside a word
    assert plan.paragraph_rest(item, "0") is None  # found more than once
    assert plan.paragraph_rest(item, "联系电话") is None  # the paragraph's start


def _resumed_at(prepared: Prepared, runs: list[list[plan.Flow]], whole: TypesetRun,
                page: int) -> TypesetRun:
    """Run 0 resumed inside the paragraph that opens `page` (`whole.cuts`)."""
    run = runs[0]
    ids, text, line = whole.cuts[page]
    flow = next(i for i, f in enumerate(run) if f[0]["anchor"] in ids)
    body = run[flow][0]["body"]
    item = next(i for i, block in enumerate(body) if block["kind"] == "paragraph"
                and _text(block) == re.sub(r"\s", "", visible(text)))
    rest = plan.paragraph_rest(body[item], line)
    assert rest is not None
    return _typeset(prepared, [run[:flow], plan.resumed_flows(run, flow, item, rest),
                               *runs[1:]], 1)


def test_no_run_resumes_where_a_margin_was_truncated_or_before_a_table(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Two pages that open inside a paragraph where a run resumed there would not give
    the whole run's page (tests/fixtures/flow-subheads): page 5, whose right column
    opens with a subhead, its top margin truncated as WeasyPrint does on pages after
    a document's first only (`truncated_pages`: not recorded in `cuts`); and page 4,
    whose article goes on with a table set across the page (`resumable`: no)."""
    from bulletin_press.typeset import column_fill

    prepared = prepare(ROOT / "tests" / "fixtures" / "flow-subheads")
    runs = plan.cut_flowing(prepared, plan.split_runs(prepared.context.context["flows"]),
                            plan.FLOW_PAGES)
    whole = _typeset(prepared, runs, 0)
    assert whole.pages == 5 and 4 in whole.cuts and 5 not in whole.cuts
    monkeypatch.setattr(column_fill, "truncated_pages", lambda pages: set())
    bare = _typeset(prepared, runs, 0)
    assert 5 in bare.cuts  # it does open inside a paragraph
    before = _pictures(plan.merged_pdf([whole]))
    for page in (4, 5):
        part = _resumed_at(prepared, runs, bare, page)
        after = _pictures(plan.merged_pdf([part]))
        assert any(ImageChops.difference(before[page - 1 + k], picture).getbbox()
                   is not None for k, picture in enumerate(after))
    ids, text, _ = whole.cuts[4]
    flow = next(i for i, f in enumerate(runs[0]) if f[0]["anchor"] in ids)
    body = runs[0][flow][0]["body"]
    item = next(i for i, block in enumerate(body) if block["kind"] == "paragraph"
                and _text(block) == re.sub(r"\s", "", visible(text)))
    assert not plan.resumable(runs[0], flow, item)
    assert plan.resumable(runs[0], flow, len(body) - 1)  # after the table


def test_a_run_cut_after_a_resumed_one_guesses_the_next_spacers_from_its_rest(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """flowing-9 (midrun's generated issue: 14 articles of flowing text, tables,
    addresses, phone numbers): its second round keeps run 1's first 3 pages and
    resumes article 3 on the next; its third round cuts run 1 before article 2
    (`_cut_before_changes`), and the stand-in for the second part took the kept
    run's foot (a full page) rather than its resumed rest's: the runs after it
    were typeset under spacers guessed from it, and typeset again (80 run pages
    for 14, more than the 74 before runs resumed)."""
    issue = tmp_path / "flowing-9"
    issue.mkdir()
    shutil.copy(ROOT / "tests" / "fixtures" / "flowing-9.yaml", issue / "issue.yaml")
    pages: list[int] = []
    typeset_all = plan._typeset_all

    def counted(jobs: list[Job], *args: Any, **kwargs: Any) -> list[list[TypesetRun]]:
        results = typeset_all(jobs, *args, **kwargs)
        fore = len(jobs) - kwargs.get("background", 0)
        pages.extend(run.pages for result in results[:fore] for run in result)
        return results

    monkeypatch.setattr(plan, "_typeset_all", counted)
    built = build_runs(issue, jobs=2, store=False)
    assert built.page_count == 14
    assert built.wrong_guesses <= 2, built.wrong_guesses  # 5 before
    assert sum(pages) <= 74, sum(pages)  # 80 before; 70 now
