"""The page plan: issues that fill exactly their planned pages, jump lines with the
right page numbers, no holes, the colophon at the foot of the last page.

Everything is read from the produced PDF: page count, the text of each page in
reading order, where the last text line and the colophon stand."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from bulletin_press.build import page_fit
from bulletin_press.build.pipeline import Assembled, Built, build, build_runs
from bulletin_press.checks.preflight import check_copyfit
from bulletin_press.layout import page_plan, pull_up
from bulletin_press.layout.page_plan import Measure, PagePlan
from bulletin_press.layout.prepare import prepare
from bulletin_press.pdf.text import body_text, page_texts, reading_order
from bulletin_press.text.breaks import visible
from bulletin_press.typeset import gate

from . import flow_hole_issue, photo_hole_issue, plan_issues, spread_issue
from .conftest import ROOT, MakeIssue

pytestmark = pytest.mark.slow

LINES, LINE = 41, 18.0  # the two-column layout's grid
TOO_LONG = [6, 6, 5, 5, 5]  # paragraphs per article: 5 pages of which the last ~¼ full
TOO_SHORT = [5, 4, 5, 4, 5]  # 4 pages, the last with ~¼ page left above the colophon
JUMPING = [6, 4, 4, 4, 4]
JUMP = {0: "layout: {continue_on: 4}"}


def _as_the_text_leaves_it() -> AbstractContextManager[None]:
    """Typesetting without the vertical justification (in this process)."""
    gate.install()
    return gate.stock("vertical_justify")


def _issue(make_issue: MakeIssue, counts: list[int], name: str, **options: object) -> Path:
    return make_issue(plan_issues.manifest(counts, **options),  # type: ignore[arg-type]
                      plan_issues.files(), name=name)


def _write(built: Built | Assembled, path: Path) -> Path:
    path.write_bytes(built.pdf)
    return path


def _paragraphs(issue: Path) -> list[list[str]]:
    """Each article's paragraphs as the reader gets them (normalised), without spaces."""
    context = prepare(issue).context.context
    return [["".join(visible(span.text) for span in item["spans"]).replace(" ", "")
             for item in article["body"] if item["kind"] == "paragraph"]
            for article in context["articles"]]


def assert_paragraphs_once_in_order(issue: Path, pdf: Path, last: int | None = None) -> None:
    """Every paragraph once, whole; an article's in order (a jumped article's rest
    comes later in the issue, after other articles); articles begin in order (up
    to article `last`). A hyphen a line end adds to an English word is left out."""
    text = body_text(pdf).replace("\u2010", "")
    starts = []
    for article in _paragraphs(issue)[:last]:
        position = 0
        for paragraph in article:
            assert text.count(paragraph) == 1, paragraph[:30]
            found = text.index(paragraph)
            assert found >= position, f"out of order: {paragraph[:30]}"
            position = found + len(paragraph)
        if article:  # a box of a list or a table only has none
            starts.append(text.index(article[0]))
    assert starts == sorted(starts)


def _columns_used(pdf: Path) -> list[list[int]]:
    """Lines used in each column of each page, from the glyphs of body text and
    the photos (the colophon's small type at the foot is left out)."""
    return _columns_filled(pdf, lambda page: [
        *(c for c in page.chars if c["size"] > 9.5), *page.images])


def assert_no_holes(pdf: Path) -> None:
    for number, fill in enumerate(_columns_used(pdf)[:-1], start=1):
        for column, lines in enumerate(fill, start=1):
            assert LINES - lines <= 2, f"page {number}, column {column}: {LINES - lines} empty"


def assert_colophon_at_foot(pdf: Path, page_number: int) -> None:
    with pdfplumber.open(pdf) as document:
        page = document.pages[page_number - 1]
        box = page.trimbox
        foot = float(box[1]) + 51.02 + LINES * LINE
        notes = [c for c in page.chars if c["text"] == "赠"]  # 内部资料 免费赠阅
        assert notes, "no colophon on the last page"
        assert foot - LINE - 1 < notes[0]["bottom"] <= foot + 1
        text_bottom = max(c["bottom"] for c in page.chars if c["size"] > 9.5)
        assert text_bottom < notes[0]["top"] - 4 * LINE  # above the colophon, not under it


def test_quarter_page_too_long_fits_four_pages(make_issue: MakeIssue, tmp_path: Path) -> None:
    natural = build(_issue(make_issue, TOO_LONG, "natural", pages=None), plan=False)
    assert natural.page_count == 5  # what the text needs without a plan
    issue = _issue(make_issue, TOO_LONG, "long")
    for built in (build(issue), build_runs(issue, store=False)):
        pdf = _write(built, tmp_path / "long.pdf")
        assert built.page_count == 4 and not [d for d in built.diagnostics
                                              if d.code.startswith("copyfit")]
        assert_paragraphs_once_in_order(issue, pdf)
        assert_no_holes(pdf)
        assert_colophon_at_foot(pdf, 4)


def test_quarter_page_too_short_fills_four_pages(make_issue: MakeIssue, tmp_path: Path) -> None:
    with _as_the_text_leaves_it():
        unplanned = build(_issue(make_issue, TOO_SHORT, "natural", pages=None), plan=False)
    natural = _write(unplanned, tmp_path / "natural.pdf")
    issue = _issue(make_issue, TOO_SHORT, "short")
    built = build_runs(issue, store=False)
    pdf = _write(built, tmp_path / "short.pdf")
    assert built.page_count == 4
    assert_paragraphs_once_in_order(issue, pdf)
    assert_no_holes(pdf)
    assert_colophon_at_foot(pdf, 4)
    # Without the plan, page 2 has a hole (a headline went on to page 3); the plan's
    # photos and spaces close it. check names it by page and column.
    with pytest.raises(AssertionError):
        assert_no_holes(natural)
    holes = [d.message for d in check_copyfit(unplanned) if d.code == "copyfit.hole"]
    assert any(m.startswith("page 2, left column: 7 lines empty, under article ") for m in holes)
    assert not [d for d in check_copyfit(build(issue)) if d.code == "copyfit.hole"]


def _jump_pages(pdf: Path, title: str) -> tuple[int, int, int, int]:
    """(page of （下转第N版）, N, page of （上接第M版）, M), and checks the title is
    repeated on the page of the continuation."""
    texts = [t.replace(" ", "") for t in page_texts(pdf)]
    out = [(i + 1, int(m.group(1))) for i, t in enumerate(texts)
           for m in [re.search(r"（下转第(\d+)版）", t)] if m]
    into = [(i + 1, int(m.group(1))) for i, t in enumerate(texts)
            for m in [re.search(r"（上接第(\d+)版）", t)] if m]
    assert len(out) == 1 and len(into) == 1
    (out_page, n), (in_page, m) = out[0], into[0]
    assert title.replace(" ", "") in texts[in_page - 1]
    return out_page, n, in_page, m


@pytest.mark.parametrize("runs", [True, False], ids=["runs", "one-document"])
def test_jump_lines_show_the_pages_and_follow_changes(make_issue: MakeIssue, tmp_path: Path,
                                                      runs: bool) -> None:
    title = plan_issues.TITLES[0][1]
    pages: list[list[str]] = []
    for name, counts in (("jump", JUMPING), ("grown", [JUMPING[0], JUMPING[1] + 2,
                                                       *JUMPING[2:]])):
        issue = _issue(make_issue, counts, name, extra=JUMP)
        built = build_runs(issue, store=False) if runs else build(issue)
        pdf = _write(built, tmp_path / f"{name}.pdf")
        out_page, n, in_page, m = _jump_pages(pdf, title)
        assert (out_page, m) == (1, 1)  # the lead story closes page 1
        assert n == in_page == 4  # and continues on page 4, as asked
        assert_paragraphs_once_in_order(issue, pdf)
        pages.append(page_texts(pdf))
    # Two paragraphs more in the article on page 2 (~12 lines): what follows it moved.
    assert pages[0][1] != pages[1][1] and pages[0][2] != pages[1][2]


def _warnings(built: Built | Assembled) -> list[str]:
    """The copyfit warnings `check` shows (the plan's and the PDF's)."""
    return [d.message for d in [*built.diagnostics, *check_copyfit(built)]
            if d.code.startswith("copyfit") and d.severity == "warning"]


def test_a_short_page_before_a_new_page_is_spread(make_issue: MakeIssue,
                                                  tmp_path: Path) -> None:
    """Page 2 ends 8 lines short in each column before an article that starts a
    new page; the plan spreads those lines between its blocks (subhead, table,
    list, quote, 落款, paragraphs): no column ends more than 2 lines short."""
    issue = make_issue(spread_issue.manifest(5), name="spread")
    with _as_the_text_leaves_it():
        unplanned = build(issue, plan=False)
    assert [m for m in _warnings(unplanned) if "room for" in m]  # the hole, as typeset
    with pytest.raises(AssertionError):
        assert_no_holes(_write(unplanned, tmp_path / "unplanned.pdf"))
    for built in (build(issue), build_runs(issue, store=False)):
        pdf = _write(built, tmp_path / "spread.pdf")
        assert built.page_count == unplanned.page_count == 3
        assert not _warnings(built)
        assert_no_holes(pdf)
        assert_paragraphs_once_in_order(issue, pdf)
        texts = [t.replace(" ", "") for t in page_texts(pdf)]
        assert "新泾镇社区事务受理服务中心" in texts[1] and "021-62387720" in texts[1]


def test_the_notices_example_has_no_holes(tmp_path: Path) -> None:
    """issues/2023-02-notices: page 1's notice across the page, page 2's story with
    its two boxes, page 3's column notice and box each end within 2 lines of the
    foot (the first typesetting leaves 5, 9/12 and 11 lines)."""
    issue = ROOT / "issues" / "2023-02-notices"
    built = build_runs(issue, store=False)
    assert built.page_count == 4 and built.rounds > 1
    assert not _warnings(built)
    # Up to the last article: its table across page 4 falls within the reading order's
    # band of the columns above it (pdf/text.py reads that band column by column).
    assert_paragraphs_once_in_order(issue, _write(built, tmp_path / "notices.pdf"), 7)


FRONT = [11, 4, 4, 3, 3]  # the lead runs a third of a page onto page 2
NEW_PAGE = {1: "layout: {start: new-page}"}


def test_the_plan_jumps_the_lead_to_close_page_1(make_issue: MakeIssue,
                                                 tmp_path: Path) -> None:
    """No continue_on anywhere: the lead's last third of a page would stand alone on
    page 2 before an article that starts a new page. The plan cuts the lead at the
    foot of page 1 and continues it on page 4; after article 2 grows by two
    paragraphs (~12 lines) the numbers are still right."""
    title = plan_issues.TITLES[0][1]
    unplanned = build(_issue(make_issue, FRONT, "unplanned", extra=NEW_PAGE), plan=False)
    assert "（下转" not in "".join(page_texts(_write(unplanned, tmp_path / "u.pdf")))
    issue = _issue(make_issue, FRONT, "front", extra=NEW_PAGE)
    built = build_runs(issue, store=False)
    pdf = _write(built, tmp_path / "front.pdf")
    assert built.page_count == 4 and not _warnings(built)
    assert _jump_pages(pdf, title) == (1, 4, 4, 1)
    assert_no_holes(pdf)
    assert_colophon_at_foot(pdf, 4)
    assert_paragraphs_once_in_order(issue, pdf)
    grown = _issue(make_issue, [FRONT[0], FRONT[1] + 2, *FRONT[2:]], "grown", extra=NEW_PAGE)
    built = build(grown)
    pdf = _write(built, tmp_path / "grown.pdf")
    out_page, n, in_page, m = _jump_pages(pdf, title)
    assert (out_page, m) == (1, 1) and n == in_page > 2
    assert_paragraphs_once_in_order(grown, pdf)


@pytest.mark.parametrize("new_page", [True, False], ids=["new-page", "flowing"])
def test_a_continuation_lands_on_the_page_asked_for(make_issue: MakeIssue, tmp_path: Path,
                                                    new_page: bool) -> None:
    """continue_on: 3. Placed before article 3, the first article on page 3, the
    continuation stood at the foot of page 2 (the text above ended there with
    room). When article 3 starts a new page the continuation opens page 3 above
    it; when article 3 flows on, the continuation goes after it."""
    extra = {0: "layout: {continue_on: 3}"}
    if new_page:
        extra[2] = "layout: {start: new-page}"
    issue = _issue(make_issue, JUMPING, "middle", pages=None, extra=extra)
    built = build_runs(issue, store=False)
    pdf = _write(built, tmp_path / "middle.pdf")
    assert _jump_pages(pdf, plan_issues.TITLES[0][1]) == (1, 3, 3, 1)
    assert not [d for d in built.diagnostics if d.code == "pages.jump-moved"]
    assert_paragraphs_once_in_order(issue, pdf)
    text = "".join(page_texts(pdf)[1:]).replace(" ", "")  # after the contents box
    jump_in = text.index("（上接第1版）")
    third = text.index(plan_issues.TITLES[2][1].replace(" ", ""))
    assert jump_in < third if new_page else third < jump_in


ISSUER = "长宁区新泾镇社区事务受理服务中心"
SIGNED = {0: "layout: {continue_on: 4}\n"
             f"    signature: {{issuer: {ISSUER}, date: 2024-06-08}}\n"
             "    qr: {url: https://www.shcn.gov.cn/xinjing/fuwu/2024-06.html, "
             "caption: 扫码查看办理指南}"}
COLOPHON_QR = "qr: {url: https://mp.weixin.qq.com/s/xinjing-tongxun, caption: 扫码关注微信公众号}"


def test_a_jumped_article_ends_with_its_qr_and_signature(make_issue: MakeIssue,
                                                         tmp_path: Path) -> None:
    """The kinds' article end (QR code, 落款) goes with the continuation; the colophon
    with its QR code (taller than its text) still stands at the foot of page 4."""
    issue = _issue(make_issue, JUMPING, "signed", extra=SIGNED, colophon=COLOPHON_QR)
    built = build(issue)
    pdf = _write(built, tmp_path / "signed.pdf")
    assert built.page_count == 4
    out_page, n, in_page, m = _jump_pages(pdf, plan_issues.TITLES[0][1])
    assert (out_page, n, in_page, m) == (1, 4, 4, 1)
    texts = [t.replace(" ", "") for t in page_texts(pdf)]
    assert [number for number, t in enumerate(texts, start=1) if ISSUER in t] == [4]
    assert texts[3].index("（上接第1版）") < texts[3].index(ISSUER)
    assert [number for number, t in enumerate(texts, start=1) if "扫码查看办理指南" in t] == [4]
    assert_paragraphs_once_in_order(issue, pdf)
    with pdfplumber.open(pdf) as document:
        page = document.pages[3]
        foot = float(page.trimbox[1]) + 51.02 + LINES * LINE
        # The colophon's QR code (5 lines, its text 4) ends at the foot of the page; the
        # text ends above the colophon's rule, whose line the colophon's height counts.
        modules = [r for r in page.rects if r["x0"] > page.width / 2
                   and r["top"] > foot - 8 * LINE]
        # (the dark modules end a quiet zone of 4 modules, half a line, above its foot)
        assert modules and foot - LINE < max(r["bottom"] for r in modules) <= foot
        code_top = min(r["top"] for r in modules)
        note = next(c for c in page.chars if c["text"] == "赠")  # 内部资料 免费赠阅
        assert code_top < note["top"] < foot
        text_bottom = max(c["bottom"] for c in page.chars if c["size"] > 9.5)
        assert text_bottom < code_top - LINE


def test_colophon_after_text_keeps_todays_place(make_issue: MakeIssue, tmp_path: Path) -> None:
    issue = _issue(make_issue, [3, 2], "after", pages=None, colophon="position: after-text")
    pdf = _write(build(issue), tmp_path / "after.pdf")
    with pdfplumber.open(pdf) as document:
        page = document.pages[-1]
        lines = reading_order(page)
        note = next(ln for ln in lines if "免费赠阅" in ln.text)
        body = [ln for ln in lines if ln.size > 9.5]
        # Right after the text: the rule's line and 3 lines of colophon above the note.
        assert note.top - max(ln.top for ln in body) < 7 * LINE


def _columns_drawn(pdf: Path) -> list[list[int]]:
    """Lines used in each column of each page, from everything drawn in the text
    area: characters of any size (a box's, a table's), photos, rules, a box's
    tint, a QR code."""
    return _columns_filled(pdf, lambda page: [
        *page.chars, *page.images, *page.rects, *page.lines, *page.curves])


def _columns_filled(pdf: Path, drawn: Callable[[Any], list[dict[str, Any]]]
                    ) -> list[list[int]]:
    """Lines used in each column of each page: down to the lowest of what `drawn`
    takes from the page inside the text area."""
    used = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            box = page.trimbox
            top, left = float(box[1]) + 51.02, float(box[0]) + 45.64
            objects = drawn(page)
            fill = []
            for column in range(2):
                x0 = left + column * (241.5 + 21)
                bottoms = [o["bottom"] for o in objects if o["x0"] < x0 + 240
                           and o["x1"] > x0 + 1 and top - 1 < o["top"] < top + LINES * LINE]
                lowest = max(bottoms, default=top)
                fill.append(round((lowest - top) / LINE + 0.3))
            used.append(fill)
    return used


def _holes(pdf: Path) -> list[int]:
    """Pages but the last with a column ending more than 2 lines short (from the PDF)."""
    return sorted({number for number, fill in enumerate(_columns_drawn(pdf)[:-1], start=1)
                   for lines in fill if LINES - lines > 2})


def _named_pages(built: Built | Assembled) -> set[int]:
    """Pages a copyfit warning names (a hole, an article ending short)."""
    return {d.location.page for d in [*built.diagnostics, *check_copyfit(built)]
            if d.code.startswith("copyfit") and d.severity == "warning"
            and d.location is not None and d.location.page is not None}


# The issues the plan fills without a hole. text-16 is not among them: pulling an
# article up into page 5's hole would only move the hole on to page 10 of its 16
# pages (layout/pull_up.py keeps the booklet's page count first); the others have
# pages no means fills (bench-16's pages before its new-page articles are half full
# or less): there every hole is named by the check.
FILLED = {"2023-01", "flow-16"}


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "issues").iterdir()
                                        if (p / "issue.yaml").exists()))
def test_every_issue_has_no_hole_the_check_does_not_name(name: str, tmp_path: Path) -> None:
    """Every issue as `build` makes it: every paragraph once, whole, in order; no
    column on a page but the last ends more than 2 lines short unless a copyfit
    warning names that page; the issues in FILLED have none at all (flow-16's page 8
    had 8 lines a column: the article ending there began on page 7)."""
    issue = ROOT / "issues" / name
    built = build_runs(issue, store=False)
    pdf = _write(built, tmp_path / f"{name}.pdf")
    holes = _holes(pdf)
    assert set(holes) <= _named_pages(built), holes
    if name in FILLED:
        assert holes == []
    # Every paragraph as often as the issue has it (the bench issues repeat theirs),
    # in order. The notices: up to its last article (its table across page 4 sits in
    # the reading order's band of the columns above it, see the notices' test). Less
    # the hyphen a line end adds to an English word (text-varied-16's Dec‐ / athlon).
    text = body_text(pdf).replace("\u2010", "")
    paragraphs = [p for article in _paragraphs(issue)[:7 if name == "2023-02-notices" else None]
                  for p in article]
    position = 0
    for paragraph in paragraphs:
        assert text.count(paragraph) == paragraphs.count(paragraph), paragraph[:30]
        position = text.index(paragraph, position) + len(paragraph)


def test_a_short_page_whose_article_began_earlier_is_filled(make_issue: MakeIssue,
                                                           tmp_path: Path) -> None:
    """Articles that flow one after another under tall heads, with subheads, a table
    of addresses and phones, web addresses: page 3 ends 10/9 lines short (the
    article ending there began on page 2; the next head does not fit under it;
    [12, 10, 9, 9, 8] before paragraphs broke beside quotes, whose lines came out
    tighter and left the hole on page 4). The plan spreads lines in the articles
    flowing on to it — above and under their headlines, between the blocks of its
    last article, never right after a subhead (a gap there stranded a subhead at a
    column's foot) — and takes back what moved a headline on."""
    issue = make_issue(flow_hole_issue.manifest([11, 11, 10, 9, 8]), name="flowhole")
    with _as_the_text_leaves_it():
        unplanned = _write(build(issue, plan=False), tmp_path / "unplanned.pdf")
    before = _columns_drawn(unplanned)[2]
    assert min(before) <= LINES - 9
    built = build(issue)
    pdf = _write(built, tmp_path / "flowhole.pdf")
    after = _columns_drawn(pdf)
    assert len(after) == len(_columns_drawn(unplanned))
    assert _holes(pdf) == []
    assert_paragraphs_once_in_order(issue, pdf)
    # No subhead ends a column: its first line follows it in the same column.
    for page in page_texts(pdf):
        for subhead in flow_hole_issue.SUBHEADS:
            if subhead in page.replace(" ", ""):
                assert not page.replace(" ", "").rstrip().endswith(subhead)


def test_the_front_page_jump_without_pages_is_named_not_made(make_issue: MakeIssue,
                                                             tmp_path: Path) -> None:
    """Without pages: the page count is the editor's: the lead that runs half a page
    on to page 2 before an article that starts a new page is not jumped by itself
    (that would drop a page); the check names page 2 and the jump that closes page
    1, and the jump it names builds with both jump lines and no hole on page 2. A
    lead that leaves page 2 a few lines short is told to add them, not to jump (a
    jump would send most of a page of it to the last page: bench-16's page 2)."""
    few = build(_issue(make_issue, FRONT, "few", pages=None, extra=NEW_PAGE))
    under = [d for d in check_copyfit(few) if d.code == "copyfit.under"
             and d.location is not None and d.location.page == 2]
    assert under and "continue_on" not in (under[0].hint or "")
    assert re.search(r"add about \d+ lines to article 1 《", under[0].hint or "")
    issue = _issue(make_issue, [8, *FRONT[1:]], "nopages", pages=None, extra=NEW_PAGE)
    built = build(issue)
    pdf = _write(built, tmp_path / "nopages.pdf")
    # The lead is not jumped (its last page may end with the last article's jump, the
    # colophon's company: test_colophon_alone.py).
    assert "（下转" not in page_texts(pdf)[0]
    under = [d for d in check_copyfit(built) if d.code == "copyfit.under"
             and d.location is not None and d.location.page == 2]
    assert under and f"continue_on: {built.page_count}" in (under[0].hint or "")
    jumped = _issue(make_issue, FRONT, "jumped", pages=None,
                    extra={**NEW_PAGE, 0: f"layout: {{continue_on: {built.page_count}}}"})
    pdf = _write(build(jumped), tmp_path / "jumped.pdf")
    texts = "".join(page_texts(pdf))
    assert "（下转" in texts and "（上接第1版）" in texts
    assert 2 not in _holes(pdf)
    assert_paragraphs_once_in_order(jumped, pdf)


# The plan's arithmetic, without typesetting.

def _measure(*fills: list[int]) -> Measure:
    return Measure([list(f) for f in fills], {})


def test_room_counts_column_lines_to_the_colophon() -> None:
    # 4 pages planned, 5 made: 21 column lines on page 5 and a 6-line colophon.
    assert page_plan.room(_measure([41, 41], [41, 41], [41, 41], [41, 41], [11, 10]),
                          4, LINES, 6) == -33
    # The last page's text ends 11 lines above the foot: 22 free, 12 for the colophon.
    assert page_plan.room(_measure([41, 41], [30, 30]), 2, LINES, 6) == 10
    assert page_plan.fits(_measure([41, 41], [34, 34]), 2, LINES, 6)
    assert not page_plan.fits(_measure([41, 41], [30, 30]), 2, LINES, 6)
    assert page_plan.acceptable(_measure([41, 41], [30, 30]), 2, LINES, 6)
    assert page_plan.holes(_measure([41, 38], [41, 41], [5, 5]), LINES) == [(1, 2, 3)]
    # A page with only the colophon is no page of text: the one before may end short.
    assert page_plan.holes(_measure([41, 41], [30, 30], [0, 0]), LINES) == []


def test_moved_spends_photos_first_within_their_limits() -> None:
    means = [page_plan.Knob("photo", "p1", "a", 0, 1, 7, 12, 9),
             page_plan.Knob("photo", "p2", "b", 1, 2, 8, 12, 10),
             page_plan.Knob("space", "b", "b", 1, 2, 0, 2, 1)]
    grown = page_plan.moved(PagePlan(), [means], 6)
    # A line each in turn: 9 → 11 (2 column lines), 10 → 12 (a photo across: 4).
    assert grown.photo_lines == {"p1": 11, "p2": 12} and not grown.space_above
    shrunk = page_plan.moved(PagePlan(), [means], -20)
    assert shrunk.photo_lines == {"p1": 7, "p2": 8} and shrunk.space_above == {"b": 0}


def test_lines_per_article_share_by_length(make_issue: MakeIssue) -> None:
    context = prepare(_issue(make_issue, [8, 2], "share")).context.context
    shares = dict((a["id"], lines) for a, lines in page_plan.lines_per_article(context, 20))
    assert sum(shares.values()) == 20 and shares["article-1"] > 3 * shares["article-2"]


@pytest.mark.parametrize("caption", [
    "扫码关注微信公众号", "扫码关注“新泾镇”微信公众号，查看每期电子版和往期回顾（Back Issues）"])
def test_the_colophon_room_with_a_qr_code_is_measured(make_issue: MakeIssue,
                                                      caption: str) -> None:
    """With a QR code beside it the colophon's room is typeset and measured (a
    caption that wraps beside the code, the code taller than the text); the
    count from its entries agrees (the plan uses it without a QR code)."""
    colophon = (f"qr: {{url: https://mp.weixin.qq.com/s/xinjing-tongxun, "
                f"caption: {caption}}}")
    prepared = prepare(_issue(make_issue, [3, 2], "qr", colophon=colophon))
    context = prepared.context.context
    measured = page_fit._measured_room(prepared)
    assert measured == context["colophon_lines"] >= 7  # above: a line, the rule; 5 of code
    assert page_fit.colophon_room(prepared) == measured + 1
    plain = prepare(_issue(make_issue, [3, 2], "plain"))
    assert page_fit._measured_room(plain) == plain.context.context["colophon_lines"]


def test_text16s_short_columns_are_filled_in_the_typesetting(tmp_path: Path) -> None:
    """text-16 as `build` makes it: pages 10 and 15 had a column 1-6 lines short
    beside a full one before an article that starts a new page (one spread per
    page could not reach it); the vertical justification fills each column on its
    own, in the first round: the plan spreads no page there."""
    built = build_runs(ROOT / "issues" / "text-16", store=False)
    pdf = _write(built, tmp_path / "text-16.pdf")
    assert not {10, 15} & set(_holes(pdf)), _columns_drawn(pdf)
    assert min(_columns_drawn(pdf)[14]) >= LINES - 1  # main: its left column 3 short


@pytest.mark.parametrize("counts", [[12, 11, 9, 9, 8], [13, 10, 9, 9, 8], [14, 12, 10, 9, 8]])
def test_a_flowing_issue_is_filled_at_several_lengths(make_issue: MakeIssue, tmp_path: Path,
                                                      counts: list[int]) -> None:
    """The flowing issue of tall heads, subheads, a table of addresses and phones, at
    other lengths than [12, 10, 9, 9, 8] (above): with the plan's spreads alone
    [13, 10, 9, 9, 8] left page 3's left column 6 lines short."""
    issue = make_issue(flow_hole_issue.manifest(counts), name="flowhole")
    built = build_runs(issue, store=False)
    pdf = _write(built, tmp_path / "flowhole.pdf")
    assert _holes(pdf) == [], _columns_drawn(pdf)
    assert_paragraphs_once_in_order(issue, pdf)


# Holes before an article that starts a new page (bench-16's shapes, small), the
# tail of an article that flows on, and what the check says about those left.

def _photo_heights(pdf: Path) -> list[list[float]]:
    """The height of each photo on each page, in points."""
    with pdfplumber.open(pdf) as document:
        return [[float(image["height"]) for image in page.images] for page in document.pages]


def test_a_story_ending_short_before_a_new_page_is_filled_by_its_own_photo(
        make_issue: MakeIssue, tmp_path: Path) -> None:
    """A story led by a photo runs from page 1 on to page 2 and ends there short of
    the foot; the next story opens page 3 with its own photo and its head does not
    fit in the room (bench-16's page 2). Its photo on page 1 grows (within 125 %),
    a line more goes under its headline, lines go between its blocks on both pages
    (they hold it alone): page 2 reaches its foot, the next story keeps its page."""
    issue = make_issue(photo_hole_issue.manifest([14, 6, 6]), photo_hole_issue.files(),
                       name="photohole")
    with _as_the_text_leaves_it():
        unplanned = build(issue, plan=False)
    natural = _write(unplanned, tmp_path / "unplanned.pdf")
    assert min(_columns_drawn(natural)[1]) <= LINES - 3
    built = build_runs(issue, store=False)
    pdf = _write(built, tmp_path / "photohole.pdf")
    assert built.page_count == unplanned.page_count == 4
    assert _holes(pdf) == [], _columns_drawn(pdf)
    assert_paragraphs_once_in_order(issue, pdf)
    before, after = _photo_heights(natural)[0][0], _photo_heights(pdf)[0][0]
    assert before < after <= before * page_plan.PHOTO_MOST + 0.5
    texts = [t.replace(" ", "") for t in page_texts(pdf)]
    assert photo_hole_issue.TITLES[1][1].replace(" ", "") in texts[2]  # its own new page
    assert not [d for d in check_copyfit(built) if d.location is not None
                and d.location.page == 2 and d.code.startswith("copyfit")]


def test_a_heading_photo_is_made_smaller_for_its_head_to_start_in_the_hole(
        make_issue: MakeIssue) -> None:
    """The pull-up's decision (layout/pull_up.py) on measured fills: a head of 5 lines,
    the blank line above it and 3 lines of text, and the photo heading its first
    column (9 lines and its caption) go under the longer column. Where they fit only
    with the photo smaller, it is made as small as needed, never below 75 %; the
    plan applied gives the photo those lines."""
    issue = make_issue(photo_hole_issue.manifest([10, 6, 6]), photo_hole_issue.files(),
                       name="decide")
    prepared = prepare(issue)
    context = prepared.context.context
    means = page_plan.knobs(context, 2, LINE)
    photo = page_plan.heading_photo(context["flows"][1][0])
    assert photo is not None and photo["image_lines"] == 9
    caption = photo["caption_lines"]

    def decide(longer: int) -> page_plan.Pull | None:
        fills = [[41, 41], [longer, longer - 1], [41, 41], [30, 30]]
        measure = Measure(fills, {"article-story-1": 1, "article-story-2": 3,
                                  "article-story-3": 4})
        return pull_up.pulls(context["flows"], measure, {"article-story-2": 5.0}, PagePlan(),
                             means, set(), LINES, 2, None).pulled.get("story-2")

    room = LINES - 9  # under the longer column, less the blank line, head and 3 lines
    natural = decide(room - 9 - caption)
    assert natural is not None and natural.photo is None  # it fits as it is
    smaller = decide(room - 8 - caption)  # a line short: the photo 8 lines
    assert smaller is not None and smaller.photo == (photo["anchor"], 8)
    least = decide(room - 7 - caption)  # 7 lines: 75 % of 9, rounded up
    assert least is not None and least.photo == (photo["anchor"], 7)
    assert decide(room - 6 - caption) is None  # 6 lines would be 67 %: it keeps its page
    applied = page_plan.apply(context, PagePlan(pulled={"story-2": least}), LINE)
    story = applied["flows"][1][0] if applied["flows"][1][0]["id"] == "story-2" else next(
        a for flow in applied["flows"] for a in flow if a["id"] == "story-2")
    figure = page_plan.heading_photo(story)
    assert figure is not None and figure["image_lines"] == 7 and story["start"] == "continue"
    assert figure["image_height"] == f"{7 * LINE:g}pt"


def test_bench16s_page_2_is_filled_and_its_holes_are_named_with_sensible_hints(
        tmp_path: Path) -> None:
    """bench-16's lead story ended page 2 3/5 lines short before 《勠力同心…》's new
    page: its photo on page 1 grows, a line more under its headline, lines between
    its paragraphs; page 2 reaches its foot. The holes left (pages 4, 6, 8, … a
    third to half full before the next story's page) are named with the lines to
    add to the story; the front page's jump is no longer suggested for a few lines."""
    built = build_runs(ROOT / "issues" / "bench-16", store=False)
    pdf = _write(built, tmp_path / "bench-16.pdf")
    assert built.page_count == 16
    assert 2 not in _holes(pdf), _columns_drawn(pdf)[1]
    under = [d for d in check_copyfit(built) if d.code == "copyfit.under"
             and d.location is not None and d.location.page == 4]
    assert under and "continue_on" not in (under[0].hint or "")
    assert re.search(r"add about \d+ lines to article 2 《", under[0].hint or "")


def test_text_varied_16s_first_page_is_full(tmp_path: Path) -> None:
    """text-varied-16's page 2 spread reached back into the tail of page 1's lead; two
    lines above its subhead 「读书会」 on page 1 pushed the subhead on to page 2 and left
    page 1's right column 4 lines short. The tail is now counted on the page it ends
    on (the article starting there holds the rest); the page before gets lines between
    paragraphs only."""
    built = build_runs(ROOT / "issues" / "text-varied-16", store=False)
    pdf = _write(built, tmp_path / "text-varied-16.pdf")
    holes = _holes(pdf)
    assert 1 not in holes and 2 not in holes, _columns_drawn(pdf)[:2]
    assert not [d for d in check_copyfit(built) if d.code == "copyfit.hole"]


def test_the_flowing_hole_left_is_named_with_a_cut_that_fills_it(make_issue: MakeIssue,
                                                                  tmp_path: Path) -> None:
    """[10, 11, 9, 9, 8], the first article about three lines longer: a page ends
    short because the next article's head (7 lines) with two lines of its text does
    not fit under the article ending there (a few lines short, the space above it
    already taken away); every place on the page is at its most and the issue has no
    photo. The check names the page, each column and the article above the hole, and
    says to add lines to it or cut a few for the next head to start there; with a
    paragraph cut ([10, 10, …]) no page has a hole. (Without the first article's
    lines, since paragraphs break beside quotes and came out tighter, the head fits.)"""
    counts, longer = [10, 11, 9, 9, 8], {0: 2}
    issue = make_issue(flow_hole_issue.manifest(counts, longer), name="flowcut")
    built = build(issue)
    found = [d for d in check_copyfit(built) if d.code == "copyfit.hole"]
    pages = {d.location.page for d in found if d.location is not None}
    assert len(pages) == 1 and len(found) == 2  # both columns of one page
    above = re.search(r"under article (\d) 《", found[0].message)
    assert above, found[0].message
    number = int(above.group(1))
    title = flow_hole_issue.HEADS[number - 1][1].replace("|", "")
    assert f"《{title[:10]}" in found[0].message
    hint = found[0].hint or ""
    cut = re.search(rf"or cut about (\d+) lines from it: then article {number + 1} 《", hint)
    assert cut and re.search(rf"add about \d+ lines to article {number} 《", hint), hint
    assert 0 < int(cut.group(1)) <= 6  # less than a paragraph (about 5 column lines)
    cut_counts = [c - (i == number - 1) for i, c in enumerate(counts)]  # a paragraph less
    fixed = make_issue(flow_hole_issue.manifest(cut_counts, longer), name="flowcut-fixed")
    pdf = _write(build_runs(fixed, store=False), tmp_path / "fixed.pdf")
    assert _holes(pdf) == []
    assert_paragraphs_once_in_order(fixed, pdf)


def test_a_head_brought_back_is_not_sent_on_again_by_spaces_above_it(
        make_issue: MakeIssue) -> None:
    """[11, 10, 9, 9, 8], the first article about three lines longer: filling page 4's
    hole sent 《北虹路…》's head on to page 4, and halving that spread brought it back
    to page 3; page 5 then ends short before 《文化…》's head. Spreading page 5 grew
    the spaces above 《北虹路…》 too, which left page 3 short again (6 rounds, 18
    runs typeset, its last two rounds with a hole on page 3). Nothing above a head
    brought back grows: 5 rounds, no hole. (Before paragraphs broke beside quotes,
    whose lines came out tighter, [11, 10, 9, 9, 8] itself went back and forth.)"""
    issue = make_issue(flow_hole_issue.manifest([11, 10, 9, 9, 8], {0: 2}), name="flowback")
    built = build_runs(issue, store=False)
    assert built.rounds <= 5
    assert built.anchor_pages()["article-flow-3"] == 3
    assert not [d.message for d in check_copyfit(built) if d.code == "copyfit.hole"]
