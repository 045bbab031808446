"""The page-run build (`build`: runs cut inside flowing text, typeset in two
processes, laid on page frames) and the one-document build (`check`,
`archive`) make the same pages of the same issue, through the page plan's
rounds and the photo guard; `pages:` far off is one round."""

from __future__ import annotations

import io

import pdfplumber
import pytest

from bulletin_press.build import page_fit
from bulletin_press.build.pipeline import build, build_runs
from bulletin_press.diagnostics import Diagnostic
from bulletin_press.layout.page_plan import Measure, PagePlan
from bulletin_press.layout.prepare import prepare

from . import guard_issue
from .conftest import MakeIssue

pytestmark = pytest.mark.slow

# Articles' paragraphs and the paragraphs their photos follow: flowing issues whose
# photos the guard moves (on main the builds made 4 and 5 pages of the first, and
# other pages 5 and 6 of the second).
ISSUES = [([7, 3, 5, 3], [[2, 3, 4], [1], [1, 2, 3], []]),
          ([6, 5, 8, 4, 7, 3], [[1, 4], [], [], [1, 2, 4], [4], [1, 2, 3]])]


def _texts(pdf: bytes) -> list[str]:
    """Each page's text as laid out (by position: the runs' PDF draws in another order)."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return ["".join((page.extract_text() or "").split()) for page in document.pages]


@pytest.mark.parametrize(("counts", "photos"), ISSUES)
def test_the_page_run_build_makes_the_one_document_s_pages(
        make_issue: MakeIssue, counts: list[int], photos: list[list[int]]) -> None:
    issue = make_issue(guard_issue.manifest(counts, photos), guard_issue.files(photos))
    runs = build_runs(issue, jobs=2, store=False)
    one = build(issue)
    assert runs.run_count > 1  # cut inside the flowing text
    moved = [d for d in one.diagnostics if d.code == "layout.photo-moved"]
    assert moved  # the photo guard was at work
    assert runs.page_count == one.page_count
    texts, whole = _texts(runs.pdf), _texts(one.pdf)
    for page, (text, expected) in enumerate(zip(texts, whole, strict=True), start=1):
        assert text == expected, f"page {page}"
    assert sorted(d.message for d in runs.diagnostics if d.code == "layout.photo-moved") == \
        sorted(d.message for d in moved)
    # The colophon never alone: the text ends on its page.
    last = guard_issue.paragraph(len(counts) - 1, counts[-1] - 1)
    assert "".join(last.split())[-10:] in texts[-1]


PHOTOS = [[1, 3, 4], [1, 3, 4], [1, 4], [], [], []]


def test_pages_far_off_is_one_round(make_issue: MakeIssue,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """`pages: 12` for text of about 6 pages: beyond what the plan makes up, the
    build is round 1 (what it typesets without a plan) and says per article what
    to add."""
    counts, photos = [5, 6, 5, 5, 8, 5], PHOTOS
    planned = make_issue(guard_issue.manifest(counts, photos, pages=12),
                         guard_issue.files(photos), name="planned")
    built = build_runs(planned, jobs=2, store=False)
    assert built.rounds == 1
    codes = [d.code for d in built.diagnostics]
    assert codes.count("copyfit.plan") == 1
    assert codes.count("copyfit.article") == len(counts) + 1  # and the notice
    plain = make_issue(guard_issue.manifest(counts, photos), guard_issue.files(photos),
                       name="plain")
    monkeypatch.setattr(page_fit, "ROUNDS", 1)
    first = build_runs(plain, jobs=2, store=False)
    assert built.typeset_runs == first.typeset_runs
    assert built.page_count == first.page_count < 12


def test_pages_far_off_with_the_colophon_alone_takes_one_round_more(
        make_issue: MakeIssue) -> None:
    """Round 1 leaves the colophon alone on page 6 (the last article ends at page 5's
    foot); one round more brings it back onto page 5 (never alone), and that is all."""
    counts, photos = [5, 6, 5, 5, 2], PHOTOS[:5]
    issue = make_issue(guard_issue.manifest(counts, photos, pages=12), guard_issue.files(photos))
    built = build_runs(issue, jobs=2, store=False)
    assert built.rounds == 2
    assert built.page_count == 5
    last = guard_issue.paragraph(len(counts) - 1, counts[-1] - 1)
    assert "".join(last.split())[-10:] in _texts(built.pdf)[-1]
    plan = [d for d in built.diagnostics if d.code == "copyfit.plan"]
    assert len(plan) == 1 and "5 pages" in plan[0].message


def test_a_colophon_kept_off_by_one_full_column_is_named_with_that_column(
        make_issue: MakeIssue) -> None:
    """The colophon (10 lines across the page) alone on page 6 while page 5's left
    column is full to its foot (a photo ends it) and its right one has 13 lines
    empty: the page is only 7 lines too long in all, but the left column must lose
    10. Said so; a page too long in both columns keeps the total."""
    counts, photos = [5, 6, 5, 5, 2], PHOTOS[:5]
    prepared = prepare(make_issue(guard_issue.manifest(counts, photos),
                                  guard_issue.files(photos)))

    def said(last: list[int]) -> Diagnostic:
        measure = Measure([[41, 41]] * 4 + [last, [0, 0]], {})
        fitted = page_fit.Fitted(None, prepared, measure, PagePlan(), 2)
        plan = [d for d in page_fit._findings(prepared, fitted, 5, 10, [])
                if d.code == "copyfit.plan"]
        assert len(plan) == 1
        return plan[0]

    one = said([41, 28])
    assert "it needs 10 lines at the foot of every column of page 5, and its left column " \
        "is about 10 lines too long" in one.message
    assert one.hint is not None and one.hint.startswith("cut about 10 lines from that column")
    both = said([36, 36])
    assert "the text is about 10 lines too long to end on page 5" in both.message
