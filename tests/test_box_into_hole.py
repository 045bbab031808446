"""A box that did not fit the lines its story left at a page's foot goes before the
story's last paragraphs, whose text takes the hole up (issue 18 item 3).

Own 古美家园 issue on main: 雨污分流改造 runs from page 1 to page 2, its right column 4
lines short; the 12-line 温馨提示 box after it, set whole, did not fit there and went
on to the top of page 3, the column beside it empty above the 燃气 notice. `box_inset`
moved such a box only when the page before was full to its last column's foot, and
only in a round that filled no hole (in a 6-page issue, never: each round filled
one). A make-up person sets it a few paragraphs earlier, in that column, and lets the
story's last paragraphs run on under it to the foot and over the page. A box that
ends the issue (planfit's e-short, page 8) is left to the colophon's last resort.

Material: 古美家园 (own text, tests/fixtures/gumei-2026-11-box.yaml): 雨污分流改造 (27
paragraphs: phones, a URL, 4,600万元, DN300), its 温馨提示 box, a 燃气 notice with a
table across the page, 老年学校 (Kevin Zhang, 021-6401 7788)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from bulletin_press.build.pipeline import build_runs
from bulletin_press.layout import page_plan
from bulletin_press.layout.page_plan import Measure, PagePlan, apply
from bulletin_press.layout.prepare import prepare
from bulletin_press.pdf.text import body_text, page_texts

from .conftest import FIXTURES, MakeIssue
from .test_column_sets import _beside_boxes, _short_columns

LINE = 18.0
LINES = 41

GUMEI = (FIXTURES / "gumei-2026-11-box.yaml").read_text(encoding="utf-8")


def _photo() -> bytes:
    """A 1600×1100 photo of coloured blocks (a street dug up, as far as the plan cares)."""
    image = Image.new("RGB", (1600, 1100), (90, 120, 110))
    draw = ImageDraw.Draw(image)
    for n in range(40):
        x, y = (n * 397) % 1500, (n * 271) % 1000
        draw.rectangle((x, y, x + 180, y + 120), fill=((n * 53) % 255, (n * 97) % 255, 120))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def _issue(make_issue: MakeIssue) -> Path:
    return make_issue(GUMEI, {"images/pipe.jpg": _photo()})


def _setup(make_issue: MakeIssue) -> tuple[dict, list, str, str, int]:  # type: ignore[type-arg]
    prepared = prepare(_issue(make_issue))
    context = prepared.context.context
    flows = context["flows"]
    anchors = {a["id"]: a["anchor"] for a in context["articles"]}
    return context, flows, anchors["pipes"], anchors["tips"], prepared.layout.spec.page.column_chars


def _measure(story: str, box: str, last: int, box_fill: list[int]) -> Measure:
    """雨污分流 from page 1 to page 2, its last column ending at `last`; the box at the
    top of page 3 (`box_fill`: page 3's columns)."""
    return Measure([[LINES, LINES], [LINES, last], box_fill, [30, 30]],
                   {story: 1, box: 3, "article-gas": 3})


def test_a_box_that_did_not_fit_the_hole_goes_before_the_story_s_last_paragraphs(
        make_issue: MakeIssue) -> None:
    context, flows, story, box, chars = _setup(make_issue)
    assert [a["id"] for a in flows[0]] == ["pipes", "tips"]
    hole = _measure(story, box, LINES - 6, [LINES, LINES])
    # As before: not a page full to its last column's foot, nothing to do.
    assert page_plan.box_inset(flows, hole, {box: 0.0}, LINES, chars) is None
    found = page_plan.box_inset(flows, hole, {box: 0.0}, LINES, chars, followed=True)
    assert found is not None and found[0] == box
    body = flows[0][0]["body"]
    keep = found[1]
    assert body[keep]["kind"] in ("paragraph", "subhead") and body[keep - 1]["kind"] != "subhead"
    # The text after it: beyond what the hole holds, the box's lines and a margin,
    # and no more than the last column held (estimated from the characters).
    held = sum(-(-page_plan._item_chars(item) // chars) for item in body[keep:])
    assert 6 < held <= LINES - 6
    # The round's plan: the box set in, the page's other means left as they are.
    plan, spent = page_plan.filled(PagePlan(), [], hole, LINES, 2, set(), flows,
                                   heads={box: 0.0}, column_chars=chars)
    assert dict(plan.insets) == {box: keep} and f"inset-{box}" in spent
    again, _ = page_plan.filled(PagePlan(), [], hole, LINES, 2, spent, flows,
                                heads={box: 0.0}, column_chars=chars)
    assert not again.insets  # tried once
    placed = apply(context, plan, LINE)["flows"]
    assert [a["id"] for a in placed[0]] == ["pipes", "tips", "pipes"]
    head, _inset, rest = placed[0]
    assert head["body"] == body[:keep] and len(rest["body"]) == len(body) - keep
    assert rest.get("resumed") and rest["continued"]


def test_a_hole_the_box_would_have_fitted_is_not_its_hole(make_issue: MakeIssue) -> None:
    """A hole taller than the box and the line above it: something else left it (the
    box is not at the top of the next page for want of room there)."""
    _context, flows, story, box, chars = _setup(make_issue)
    wide = _measure(story, box, LINES - 16, [LINES, LINES])
    assert page_plan.box_inset(flows, wide, {box: 0.0}, LINES, chars, followed=True) is None
    # Under other text on its page: not alone at its top.
    hole = _measure(story, box, LINES - 6, [LINES, LINES])
    assert page_plan.box_inset(flows, hole, {box: 6.0}, LINES, chars, followed=True) is None
    # A box that ends the issue (the colophon's page: the last resort's): not here.
    last = [[a for a in flow if a["id"] != "gas"] for flow in flows]
    last = [flow for flow in last if flow and flow[0]["id"] in ("pipes",)]
    assert page_plan.box_inset(last, hole, {box: 0.0}, LINES, chars, followed=True) is None


def test_the_colophon_s_room_is_the_longest_column_s() -> None:
    """The text of the last page fits above the colophon in all (16 column lines free,
    the colophon takes 14) while its right column, holding the box, is 2 lines too
    long for it: the colophon went on alone (e-short on this branch, round 4: page 8
    [30, 36] without the justification's lines). The plan cuts what that column needs,
    in every column (the text before the page moves both alike)."""
    measure = Measure([[LINES, LINES], [30, 36], [0, 0]], {}, give=[[], [0, 0], []])
    assert page_plan.room(measure, 2, LINES, 7) == 2
    assert page_plan.column_room(measure, 2, LINES, 7) == -4
    # The lines the justification added are room, as `room` counts them.
    spread = Measure([[LINES, LINES], [36, 39], [0, 0]], {}, give=[[], [6, 3], []])
    assert page_plan.column_room(spread, 2, LINES, 7) == -4
    assert page_plan.column_room(Measure([[LINES, LINES], [30, 33]], {}), 2, LINES, 7) == 2


def test_a_cut_that_opened_a_hole_before_a_notice_is_put_back() -> None:
    """planfit's e-short, too long by 13 lines, round 3: the plan cut the page-1 photo
    from 9 to 7 lines (its last pages' means were spent); page 2's text moved up, but
    page 3 opens with a notice set whole, which did not follow: page 2 went from
    [39, 41] to [37, 39], a hole, and the last page kept its lines. That cut is put
    back (and not made again); a cut on a page after the hole stays, and a round
    whose holes did not grow keeps its cuts."""
    from bulletin_press.build.page_fit import Fitted, _cut_back
    from bulletin_press.layout.page_plan import Knob

    photo = Knob("photo", "photo-1-1", "article-lift", 0, 1, 7, 11, 9)
    late = Knob("photo", "photo-8-1", "article-alley", 9, 1, 6, 10, 8)
    pages = {"photo-1-1": 1, "photo-8-1": 8}
    before = Measure([[LINES, LINES], [39, 41], *[[LINES, LINES]] * 5, [41, 35], [11, 0]],
                     pages)
    after = Measure([[LINES, LINES], [37, 39], *[[LINES, LINES]] * 5, [41, 38], [4, 4]],
                    pages)
    cut = PagePlan(photo_lines={"photo-1-1": 7, "photo-8-1": 7})
    history = [Fitted(None, None, before, PagePlan(), 2),  # type: ignore[arg-type]
               Fitted(None, None, after, cut, 3)]  # type: ignore[arg-type]
    assert _cut_back(history, [photo, late], LINES) == {photo: 9}
    assert page_plan.set_to(cut, {photo: 9}).photo_lines == {"photo-1-1": 9, "photo-8-1": 7}
    kept = Measure([[LINES, LINES], [39, 41], *[[LINES, LINES]] * 5, [41, 38], [4, 4]], pages)
    history[-1] = Fitted(None, None, kept, cut, 3)  # type: ignore[arg-type]
    assert _cut_back(history, [photo, late], LINES) == {}


@pytest.mark.slow
def test_the_box_stands_in_the_story_s_last_column_not_beside_an_empty_one(
        make_issue: MakeIssue, tmp_path: Path) -> None:
    """The issue as typed (no `pages:`): 雨污分流 fills page 1 and runs to page 2's
    foot; on main its 11-line 温馨提示 box did not fit the 4 lines left in page 2's
    right column and stood alone at the top of page 3, the right column beside it
    empty (11 lines), the 燃气 notice across the page under it: [(2, 2, 4)] short,
    [(3, 11.0)] beside the box. Now the box stands in page 2's right column before
    the story's last paragraphs, which run on to page 3 above the notice."""
    built = build_runs(_issue(make_issue), store=False)
    pdf = tmp_path / "gumei.pdf"
    pdf.write_bytes(built.pdf)
    assert built.page_count == 4
    assert _short_columns(pdf) == []
    assert _beside_boxes(pdf) == []
    text = body_text(pdf)
    pages = page_texts(pdf)
    assert "排水报修" in pages[1] and "关于古美西路沿线小区燃气管道改造的通知" in pages[2]
    body = GUMEI.split("  - id: pipes", 1)[1].split("  - id: tips", 1)[0]
    paragraphs = [p.strip() for p in body.split("body: |", 1)[1].split("\n\n")
                  if p.strip() and not p.strip().startswith("###")]
    at = -1
    for paragraph in paragraphs:
        head = re.sub(r"\s+", "", paragraph)[:14]
        assert text.count(head) == 1, head
        assert text.index(head) > at, f"out of order: {head}"
        at = text.index(head)
    for entry in ("小区内管道堵塞", "竣工一年内免费上门维修", "洗衣机排水请接入新装立管"):
        assert text.count(entry) == 1, entry
    assert text.index("小区内管道堵塞") < text.index("尊敬的居民朋友")


def test_a_box_beside_an_empty_column_above_a_notice_goes_in_first(
        make_issue: MakeIssue) -> None:
    """The same box when the typesetter's vertical justification filled page 2 (its
    text 3 lines short, 3 lines given: no hole drawn) and the box stood alone at the
    top of page 3, the column beside it empty above the notice (own 6-page 古美家园
    issue: 12 lines beside it; filling the holes each round left it there): set
    before the story's last paragraphs as the round's only change, ahead of the
    holes; not a box that ends the issue."""
    _context, flows, story, box, chars = _setup(make_issue)
    justified = Measure([[LINES, LINES], [LINES, LINES], [LINES, LINES], [30, 30]],
                        {story: 1, box: 3, "article-gas": 3},
                        give=[[0, 0], [0, 3], [0, 0], [0, 0]])
    found = page_plan.box_inset(flows, page_plan.Measure(page_plan.natural(justified),
                                                         justified.pages),
                                {box: 0.0}, LINES, chars, followed=True)
    assert found is not None and found[0] == box
    plan, spent = page_plan.filled(PagePlan(), [], justified, LINES, 2, set(), flows,
                                   heads={box: 0.0}, column_chars=chars)
    assert dict(plan.insets) == {box: found[1]} and not plan.gaps and spent == {f"inset-{box}"}
    ending = [[a for a in flow] for flow in flows if flow[0]["id"] == "pipes"]
    assert page_plan.box_inset(ending, justified, {box: 0.0}, LINES, chars,
                               followed=True) is None


@pytest.mark.slow
def test_a_planned_issue_s_box_is_set_in_although_each_round_fills_a_hole(
        make_issue: MakeIssue, tmp_path: Path) -> None:
    """`pages: 6`: the same story and box, the notice, five more stories, the last on a
    new page. On main the box stood alone atop page 3 in every round, 12 lines of the
    column beside it empty above the notice (page 2 filled to its foot by the
    justification: [(3, 12.0)]); the inset that would move it waited for a round
    that filled no hole, and each round filled one. Now it stands in page 2's right
    column, and the issue still makes its 6 pages."""
    manifest = (FIXTURES / "gumei-2026-11-six.yaml").read_text(encoding="utf-8")
    folder = make_issue(manifest, {"images/pipe.jpg": _photo(),
                                   "images/market.jpg": _photo()}, name="six")
    built = build_runs(folder, store=False)
    pdf = tmp_path / "six.pdf"
    pdf.write_bytes(built.pdf)
    assert built.page_count == 6
    assert _beside_boxes(pdf) == []
    pages = page_texts(pdf)
    assert "排水报修" in pages[1] and "关于古美西路沿线小区燃气管道改造的通知" in pages[2]
    text = body_text(pdf)
    assert text.count("竣工一年内免费上门维修") == 1
    assert text.index("小区内管道堵塞") < text.index("尊敬的居民朋友")
