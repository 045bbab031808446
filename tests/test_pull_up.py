"""Issue 18: an article that starts a new page starts in the hole the page before
it would leave (layout/pull_up.py), under the article before, when that page's
other means cannot fill it; `start: new-page-always` keeps its page.

Read from the produced PDFs: the page each headline is on, the columns' fill,
every paragraph once and in order, the jump lines' page numbers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bulletin_press.build.pipeline import Assembled, Built, build, build_runs
from bulletin_press.checks.preflight import check_copyfit
from bulletin_press.i18n import ENV
from bulletin_press.layout.page_plan import Measure, PagePlan, Pull
from bulletin_press.layout.prepare import prepare
from bulletin_press.layout.pull_up import Kept, Pulls, pulls
from bulletin_press.pdf.text import body_text, page_texts

from . import pull_up_issue
from .conftest import ROOT, MakeIssue
from .test_page_plan import (
    LINES,
    _columns_drawn,
    _holes,
    _paragraphs,
    assert_paragraphs_once_in_order,
)

pytestmark = pytest.mark.slow

HALF = 12  # lead paragraphs: unplanned, the lead ends on page 2 at 25/24 lines of 41


def _write(built: Built | Assembled, path: Path) -> Path:
    path.write_bytes(built.pdf)
    return path


def _pages(built: Built | Assembled) -> dict[str, int]:
    """Anchor → the page it is on (a headline's page: article-<id>; its text's:
    text-<id>). Not the page text: the contents box on page 1 names every title."""
    return dict(built.typeset.anchor_pages() if isinstance(built, Built)
                else built.anchor_pages())


def _pulled(built: Built | Assembled) -> list[str]:
    return [d.message for d in built.diagnostics if d.code == "pages.pulled-up"]


def _line_of(issue: Path, text: str, after: str) -> int:
    """The line number in issue.yaml of the first `text` after the line with `after`."""
    lines = (issue / "issue.yaml").read_text(encoding="utf-8").splitlines()
    first = next(n for n, line in enumerate(lines) if after in line)
    return next(n for n, line in enumerate(lines[first:], start=first + 1) if text in line)


def test_text16_keeps_its_16_pages_and_the_pull_up_that_fills_a_hole(
        tmp_path: Path) -> None:
    """text-16 is 16 pages without pull-ups: a stapled booklet's 4 sheets. Its page 5
    ends 15/16 lines short before 《text-5》 and page 14 before 《text-13》 (all three of
    its new-page articles started in the hole before them made it 15 pages: a blank
    back page). Pulling 《text-5》 up only moves its hole to page 10 (before
    《text-9》), and pulling that one too to page 14: 16 pages cannot lose it. So only
    《text-13》 starts under 《text-12》 (its page's hole goes to the last page), the
    others keep their new pages, page 5's hole is named by the check, and the build
    says what it did at 《text-13》's `start:`. Every paragraph as often as the
    issue has it, in order."""
    issue = ROOT / "issues" / "text-16"
    built = build_runs(issue, store=False)
    pdf = _write(built, tmp_path / "text-16.pdf")
    assert built.page_count == 16
    pages = _pages(built)
    assert (pages["article-text-5"], pages["article-text-9"]) == (6, 11)
    assert (pages["article-text-13"], pages["text-text-13"]) == (14, 14)
    columns = _columns_drawn(pdf)
    assert all(LINES - used <= 2 for used in columns[13])  # page 14: full
    assert all(LINES - used > 10 for used in columns[4])  # page 5: the hole kept ...
    under = [d for d in check_copyfit(built) if d.code == "copyfit.under"
             and d.location is not None and d.location.page == 5]
    assert under  # ... and named
    notes = [d for d in built.diagnostics if d.code == "pages.pulled-up"]
    assert [n.location.line for n in notes if n.location is not None] == \
        [_line_of(issue, "start: new-page", "id: text-13")]
    assert "starts on page 14 under" in notes[0].message
    # Why 《text-5》 keeps its new page, at its `start:`.
    kept = [d for d in built.diagnostics if d.code == "pages.kept-new-page"]
    assert [k.location.line for k in kept if k.location is not None] == \
        [_line_of(issue, "start: new-page", "id: text-5")]
    assert "starts a new page (page 6), not under" in kept[0].message
    assert "on page 5: the space there would only move on to page 10" in kept[0].message
    # One number for that space: the check's room and the note's lines to add.
    room = re.search(r"room for (\d+) more lines", under[0].message)
    add = re.search(r"add about (\d+) lines", kept[0].hint or "")
    assert room is not None and add is not None and room.group(1) == add.group(1)
    assert not [d for d in built.diagnostics if d.code == "pages.saddle-stitch"]
    text = body_text(pdf)
    paragraphs = [p for article in _paragraphs(issue) for p in article]
    position = 0
    for paragraph in paragraphs:
        assert text.count(paragraph) == paragraphs.count(paragraph), paragraph[:30]
        position = text.index(paragraph, position) + len(paragraph)


def test_a_new_page_article_starts_in_the_half_page_before_it(
        make_issue: MakeIssue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The lead ends 18 lines a column short of page 2's foot (17 before paragraphs
    broke beside quotes: its lines came out a line shorter); 《长护险…》 (start:
    new-page, a table, English words, phone numbers, web addresses) opened page 3.
    Planned, it starts on page 2 under the lead, in both builds (one document, page
    runs): no hole, every paragraph once and in order, and a note in either
    language."""
    issue = make_issue(pull_up_issue.manifest(HALF), name="half")
    plain = build(issue, plan=False)
    unplanned = _write(plain, tmp_path / "unplanned.pdf")
    assert _pages(plain)["article-care"] == 3
    assert 2 in _holes(unplanned)  # (vertical justification spreads some of it)
    assert not _pulled(plain)
    for name, built in (("one", build(issue)), ("runs", build_runs(issue, store=False))):
        pdf = _write(built, tmp_path / f"{name}.pdf")
        assert (_pages(built)["article-care"], _pages(built)["text-care"]) == (2, 2), name
        assert _holes(pdf) == [], name
        assert_paragraphs_once_in_order(issue, pdf)
        assert "新泾镇社区事务受理服务中心" in page_texts(pdf)[1].replace(" ", "") or \
            "021-62382100" in "".join(page_texts(pdf)).replace(" ", "")
        assert _pulled(built) == [
            f"《{pull_up_issue.CARE_TITLE}》 starts on page 2 under 《{pull_up_issue.LEAD_TITLE}》,"
            " not on a new page: page 2 would have been 18 lines a column short"]
        assert not [d for d in check_copyfit(built) if d.severity == "warning"
                    and d.location is not None and d.location.page == 2]
    monkeypatch.setenv(ENV, "zh")
    zh = build(issue).diagnostics
    note = next(d for d in zh if d.code == "pages.pulled-up")
    assert "第2版" in note.message and "new-page-always" in (note.hint or "")
    assert "starts on" not in note.message


def test_new_page_always_keeps_the_page_and_the_hole_is_warned(make_issue: MakeIssue,
                                                              tmp_path: Path) -> None:
    """`start: new-page-always`: 《长护险…》 keeps page 3; page 2's hole stays and
    the check warns about it, at the lead."""
    issue = make_issue(pull_up_issue.manifest(HALF, care_start="new-page-always"),
                       name="always")
    built = build_runs(issue, store=False)
    pdf = _write(built, tmp_path / "always.pdf")
    assert _pages(built)["article-care"] == 3
    assert 2 in _holes(pdf)
    assert not _pulled(built)
    under = [d for d in check_copyfit(built) if d.code == "copyfit.under"
             and d.severity == "warning" and d.location is not None and d.location.page == 2]
    assert under and "ends on page 2" in under[0].message
    assert under[0].location is not None and \
        under[0].location.line == _line_of(issue, "title:", "id: renovation")
    assert_paragraphs_once_in_order(issue, pdf)


def _jumps(pdf: Path) -> list[tuple[int, str, int]]:
    """(page, 转/接, the page number it gives) of each jump line."""
    return [(page, kind, int(number)) for page, text in enumerate(page_texts(pdf), start=1)
            for kind, number in re.findall(r"（[上下]([转接])第(\d+)版）", text.replace(" ", ""))]


def test_jump_lines_stay_right_when_an_article_is_pulled_up(make_issue: MakeIssue,
                                                           tmp_path: Path) -> None:
    """The lead jumps to the last page (`continue_on: 5`); 《睦邻微课堂…》 (start:
    new-page) follows 《长护险…》, which ends with page 3 half empty: it starts there,
    the issue gets a page shorter, and the jump lines give the pages where the cut
    and the continuation are (the plan says the continuation moved to page 4)."""
    issue = make_issue(pull_up_issue.manifest(
        14, 14, lead_layout="{continue_on: 5}", last=6, last_layout="{start: new-page}"),
        name="jump")
    for name, built in (("one", build(issue)), ("runs", build_runs(issue, store=False))):
        pdf = _write(built, tmp_path / f"{name}.pdf")
        assert [m for m in _pulled(built) if pull_up_issue.LAST_TITLE in m], name
        assert _pages(built)["article-classroom"] == 3
        (out_page, out, to), (in_page, into, back) = _jumps(pdf)
        assert (out, into) == ("转", "接")
        assert (out_page, to, in_page, back) == (1, 4, 4, 1), name
        assert_paragraphs_once_in_order(issue, pdf)
        moved = [d for d in built.diagnostics if d.code == "pages.jump-moved"]
        assert moved and "page 4" in moved[0].message


def test_a_later_edit_leaves_no_stale_run(make_issue: MakeIssue, tmp_path: Path) -> None:
    """Built with the run store: the pulled-up article in the lead's run. Then the
    lead grows by 3 paragraphs (page 2's hole is then a few lines, which the page's
    own blocks take, so 《长护险…》 goes back to page 3): the stored build has exactly the
    pages of a build from an empty store."""
    issue = make_issue(pull_up_issue.manifest(HALF), name="edited")
    first = build_runs(issue)
    assert _pulled(first) and _pages(first)["article-care"] == 2
    (issue / "issue.yaml").write_text(pull_up_issue.manifest(HALF + 3), encoding="utf-8")
    stored = build_runs(issue)
    cold = build_runs(issue, store=False)
    assert page_texts(_write(stored, tmp_path / "stored.pdf")) == \
        page_texts(_write(cold, tmp_path / "cold.pdf"))
    assert _pages(stored)["article-care"] == _pages(cold)["article-care"] == 3
    assert not _pulled(stored)


# The decision alone, on measured facts (no typesetting).

def _decide(issue: Path, fills: list[list[int]], care_page: int, head: float = 5.0,
            target: int | None = None) -> set[str]:
    context = prepare(issue).context.context
    measure = Measure(fills, {"article-renovation": 1, "article-care": care_page,
                              "article-classroom": care_page + 1})
    return set(pulls(context["flows"], measure, {"article-care": head}, PagePlan(), [], set(),
                     LINES, 2, target).pulled)


def test_the_decision_needs_a_hole_the_head_fits_and_no_page_planned(
        make_issue: MakeIssue) -> None:
    issue = make_issue(pull_up_issue.manifest(HALF), name="decide")
    full = [41, 41]
    assert _decide(issue, [full, [25, 24], full], 3) == {"care"}
    assert _decide(issue, [full, [41, 24], full], 3) == set()  # a full column: nothing under it
    # Not even half full: a short tail of the lead is the editor's layout.
    assert _decide(issue, [full, [21, 20], full], 3) == set()
    # The blank line, a head of 5 lines and 3 of its text: 9 lines under the longer column.
    assert _decide(issue, [full, [33, 31], full], 3, head=5.0) == set()
    assert _decide(issue, [full, [25, 24], full], 3, head=14.0) == set()
    # pages: 3 planned and the issue within them: the page it frees is needed.
    assert _decide(issue, [full, [25, 24], full], 3, target=3) == set()
    assert _decide(issue, [full, [25, 24], full, [10, 10]], 3, target=3) == {"care"}
    always = make_issue(pull_up_issue.manifest(HALF, care_start="new-page-always"),
                        name="decide-always")
    assert _decide(always, [full, [25, 24], full], 3) == set()


def _choice(issue: Path, fills: list[list[int]], target: int | None = None) -> Pulls:
    """The pull-ups chosen on measured fills: the lead on pages 1-2, 《长护险…》 from
    page 3, 《睦邻微课堂…》 (start: new-page) from page 5; heads of 5 lines."""
    context = prepare(issue).context.context
    measure = Measure(fills, {"article-renovation": 1, "article-care": 3,
                              "article-classroom": 5})
    heads = {"article-care": 5.0, "article-classroom": 5.0}
    return pulls(context["flows"], measure, heads, PagePlan(), [], set(), LINES, 2, target)


def _chosen(issue: Path, fills: list[list[int]], target: int | None = None) -> set[str]:
    return set(_choice(issue, fills, target).pulled)


def test_the_pull_ups_are_chosen_at_once_for_the_pages_a_stapled_booklet_needs(
        make_issue: MakeIssue) -> None:
    """Every set of pull-ups is predicted from one measure; the one kept needs the
    fewest blank pages to a multiple of 4, then leaves the least in holes."""
    issue = make_issue(pull_up_issue.manifest(HALF, last_layout="{start: new-page}"),
                       name="choose")
    full = [41, 41]
    # 9 pages: 《长护险…》 pulled up moves the text to page 4 up by 30 lines, which
    # leaves 26/26 there (less full than the 36/36 measured, where its head did not
    # fit): then 《睦邻微课堂…》 fits under it, and the issue ends on page 8. Both in
    # the same round, though the second hole is only predicted.
    nine = [full, [30, 30], full, [36, 36], full, full, full, full, [10, 10]]
    assert _chosen(issue, nine) == {"care", "classroom"}
    # 8 pages, a multiple of 4. 《长护险…》 pulled up would only move page 2's hole
    # (16/17 lines) to page 4, larger (26/26): not made. 《睦邻微课堂…》 pulled up moves
    # page 4's hole (11/11) to the last page, which keeps 6/6 lines: made.
    eight = [full, [25, 24], full, [30, 30], full, full, full, [16, 16]]
    assert _chosen(issue, eight) == {"classroom"}
    # The same with 10/10 lines on the last page: the pull-up would empty it, 7 pages
    # (a blank one for stapling): not made, page 4's hole stays (the check names it).
    eight[-1] = [10, 10]
    assert _chosen(issue, eight) == set()
    # Both keep their pages, and the build can say why: 《长护险…》 would move page 2's
    # hole on to page 4; 《睦邻微课堂…》 would make it 7 pages.
    assert _choice(issue, eight).kept == [Kept("care", 2, None, 4), Kept("classroom", 4, 7, 7)]
    # 9 pages: 《睦邻微课堂…》 pulled up leaves 1/1 lines on page 9, a guess that may be
    # a page off; a page less would be 8, better still for stapling: made. (On 8
    # pages, above, 7 would be worse: not.)
    tight = [full, [25, 24], full, [30, 30], full, full, full, full, [11, 11]]
    assert _chosen(issue, tight) == {"classroom"}
    # With pages: 7 planned, the issue over them: welcome, and 《长护险…》 too. Pulled
    # up, it leaves page 4 less than half full (kept as the editor laid it out when
    # no page count is asked for); over the planned pages 《睦邻微课堂…》 then starts
    # there as well: 7 pages and no holes, where 《睦邻微课堂…》 alone leaves 8.
    assert _chosen(issue, eight, target=7) == {"care", "classroom"}


def test_a_pull_up_that_lost_the_booklet_s_pages_is_undone(make_issue: MakeIssue) -> None:
    """The round after the choice measures it: 《长护险…》 pulled up on an issue of 8
    pages that now has 7 (the text moved more than predicted) is undone, and no
    other pull-up is chosen in that round; on one of 9 pages, 7 is fewer blank pages
    to a multiple of 4: it stays."""
    issue = make_issue(pull_up_issue.manifest(HALF, last_layout="{start: new-page}"),
                       name="undo")
    context = prepare(issue).context.context
    full = [41, 41]
    measure = Measure([full] * 6 + [[20, 20]], {"article-renovation": 1, "article-care": 2,
                                                "article-classroom": 5})
    plan = PagePlan(pulled={"care": Pull(17, 33)})
    heads = {"article-care": 5.0, "article-classroom": 5.0}

    def after(natural: int) -> Pulls:
        return pulls(context["flows"], measure, heads, plan, [], set(), LINES, 2, None,
                     decide=False, natural_pages=natural)

    assert after(8).pulled == {} and after(8).failed == {"pull-care"}
    assert set(after(9).pulled) == {"care"} and not after(9).pulled["care"].fresh
