"""What follows a page-wide notice that ends mid-page goes on in two columns under
it on the same page: a box (a one-column sidebar, `start: continue`) heads the first
column and the story after it follows it in the same columns, balanced
(context.sidebars_joined). Before, the box could join no columns (a notice's are
not a story's) and stood alone in one column with the other empty beside it, the
story's headline across the page under them (the outside tester's summer issue:
its 高温 box beside 17 empty lines; page 2 left 55 % empty when the plan pushed the
box on). Material: tests/column_set_issue.py."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest

from bulletin_press.build.pipeline import build_runs
from bulletin_press.layout.prepare import prepare
from bulletin_press.pdf.text import body_text

from . import column_set_issue
from .conftest import MakeIssue

LINES, LINE = 41, 18.0  # the two-column layout's grid
TINT = (0.960784, 0.937255, 0.901961)  # a box's background (style.css --tint)


def _beside_boxes(pdf: Path) -> list[tuple[int, float]]:
    """(page, lines) for each box (its tinted frame, one column wide, more than 3
    lines high) beside which the other column is empty for more than 2 lines."""
    found = []
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages, start=1):
            left = float(page.trimbox[0]) + 45.64
            middle = left + 241.5 + 21 / 2
            boxes = [r for r in page.rects if r.get("fill") and r["height"] > 3 * LINE
                     and r["x1"] - r["x0"] < 300 and tuple(
                         round(c, 3) for c in r["non_stroking_color"]) == tuple(
                         round(c, 3) for c in TINT)]
            drawn = [*page.chars, *page.images]
            for box in boxes:
                right = box["x0"] < middle  # the column beside it
                spans = sorted((o["top"], o["bottom"]) for o in drawn
                               if (o["x0"] >= middle if right else o["x1"] <= middle)
                               and o["bottom"] > box["top"] and o["top"] < box["bottom"])
                at, worst = box["top"], 0.0
                for top, bottom in spans:
                    worst, at = max(worst, top - at), max(at, bottom)
                worst = max(worst, box["bottom"] - at)
                if worst > 2 * LINE:
                    found.append((number, round(worst / LINE, 1)))
    return found


def _short_columns(pdf: Path) -> list[tuple[int, int, int]]:
    """(page, column, lines) for each column of a page but the last that ends more
    than 2 lines short of its foot: its lowest text (a table's too), photo or tinted
    frame."""
    found = []
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages[:-1], start=1):
            box = page.trimbox
            top, left = float(box[1]) + 51.02, float(box[0]) + 45.64
            drawn = [*page.chars, *page.images, *(r for r in page.rects if r.get("fill"))]
            for column in range(2):
                x0 = left + column * (241.5 + 21)
                bottom = max((o["bottom"] for o in drawn if o["x0"] < x0 + 240
                              and o["x1"] > x0 + 1 and top < o["bottom"] < top + LINES * LINE + 1),
                             default=top)
                empty = LINES - round((bottom - top) / LINE)
                if empty > 2:
                    found.append((number, column + 1, empty))
    return found


def _assert_once_in_order(manifest: str, pdf: Path, moved: str | None = None) -> None:
    """Each paragraph of the notice and the stories, each entry of the box, once and
    in order, reading each band of a page column by column; the articles begin in
    the manifest's order, but the box `moved` (set after the story after it)."""
    text = body_text(pdf)
    starts = []
    for name, paragraphs in column_set_issue.printed_paragraphs(manifest).items():
        at = -1
        for paragraph in paragraphs:
            head = re.sub(r"\s+", "", paragraph)[:14]
            assert text.count(head) == 1, head
            assert text.index(head) > at, f"out of order: {head}"
            at = text.index(head)
        if name != moved:
            starts.append(text.index(re.sub(r"\s+", "", paragraphs[0])[:14]))
    assert starts == sorted(starts)


def test_the_box_and_story_after_a_notice_share_columns_in_the_context(
        make_issue: MakeIssue) -> None:
    folder = make_issue(column_set_issue.manifest(pages=None), column_set_issue.files())
    flows = prepare(folder).context.context["flows"]
    assert [[a["id"] for a in flow] for flow in flows] == [
        ["燃气改造"], ["防诈提示", "老年大学"], ["河道整治"]]
    box, story = flows[1]
    assert box["space_after"] and not story["headline_span"]
    # The photo that headed the story follows its first paragraph.
    kinds = [item["kind"] for item in story["body"]]
    assert kinds[:3] == ["paragraph", "figure", "paragraph"]


@pytest.mark.slow
def test_a_box_after_a_notice_ending_mid_page_heads_the_columns_under_it(
        make_issue: MakeIssue, tmp_path: Path) -> None:
    manifest = column_set_issue.manifest()
    folder = make_issue(manifest, column_set_issue.files())
    built = build_runs(folder, store=False)
    pdf = tmp_path / "autumn.pdf"
    pdf.write_bytes(built.pdf)
    assert built.page_count == 4
    pages = built.anchor_pages()
    # The notice goes on to page 2 and ends there; the box and the story follow it
    # on that page.
    ends = max(page for anchor, page in pages.items()
               if anchor.startswith("article-燃气改造") and anchor.endswith("foot"))
    assert ends == 2
    assert pages["article-防诈提示"] == pages["article-老年大学"] == 2
    assert not _beside_boxes(pdf), _beside_boxes(pdf)
    assert not _short_columns(pdf), _short_columns(pdf)
    _assert_once_in_order(manifest, pdf)


@pytest.mark.slow
def test_a_story_with_photos_after_a_notice_goes_on_under_it(
        make_issue: MakeIssue, tmp_path: Path) -> None:
    """No box: the story's headline across the page under the notice's end, its
    photos and text in the columns (the same before this change: a guard)."""
    manifest = column_set_issue.manifest(box=False, pages=3)
    folder = make_issue(manifest, column_set_issue.files())
    built = build_runs(folder, store=False)
    pdf = tmp_path / "nobox.pdf"
    pdf.write_bytes(built.pdf)
    assert built.page_count == 3
    pages = built.anchor_pages()
    assert pages["article-老年大学"] == 2
    assert not _short_columns(pdf), _short_columns(pdf)
    _assert_once_in_order(manifest, pdf)


@pytest.mark.slow
def test_a_box_whose_story_head_does_not_fit_under_it_goes_after_the_story(
        make_issue: MakeIssue, tmp_path: Path) -> None:
    """A notice four paragraphs longer: it flows from page 1 (about a page long, it
    left page 1 short: notice_parts._fills_page) and its last part ends lower on
    page 2, where under the box the story's headline and its first lines no longer
    fit: they went on to the next column and the one under the box ended short. The
    box goes after the story (page_plan.aside_after): the story's headline across
    the page under the notice, its text in both columns. (Until session 14 the
    notice was a paragraph longer, `longer=1`, set whole on page 2 at first; since
    it flows from page 1 at once, its part on page 2 is short, the story's head fits
    under the box and no aside is needed: the material no longer showed one.)"""
    manifest = column_set_issue.manifest(longer=4)
    folder = make_issue(manifest, column_set_issue.files())
    built = build_runs(folder, store=False)
    pdf = tmp_path / "longer.pdf"
    pdf.write_bytes(built.pdf)
    assert built.page_count == 4
    pages = built.anchor_pages()
    assert pages["article-老年大学"] == 2 < pages["article-防诈提示"]
    assert not _short_columns(pdf), _short_columns(pdf)
    assert not _beside_boxes(pdf), _beside_boxes(pdf)
    _assert_once_in_order(manifest, pdf, moved="防诈提示")
    [note] = [d for d in built.diagnostics if d.code == "pages.box-moved"]
    assert "《防范电信诈骗提示》" in note.message and note.location is not None
