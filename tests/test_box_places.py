"""Where the page plan leaves a box (a one-column sidebar, set whole): a reader meets it
where a story ends, never inside one, and never alone beside an empty column.

- The outside tester's August issue (pages: 8) on 45ab265: the plan set the 燃气 notice
  after the 便民服务电话 box that followed it (its text filled the hole the notice left),
  and the box, a flow of its own, stood under the 长者食堂 story's balanced columns, at
  the foot of the first: between 「…小程序或拨打订餐电话」 and 「021-6418 3356预约送餐上门…」
  at the top of the second. It now joins the story's columns, at their end
  (page_plan.lone_boxes_joined), as the context sets a box after a story.
- The same issue on main: the 防暑 box, set after the 宛南六村 story (its headline did not
  fit under the box), went on alone to the top of page 6 in that story's columns, the
  column beside it empty, the 长者食堂 story's headline across the page under it. It now
  heads 长者食堂's columns (page_plan.box_leads, with_leads: sidebars_joined).

Material: tests/column_set_issue.py (虹桥社区报: the 燃气改造 notice, the 防诈 box, the
老年大学 and 河道整治 stories), in other orders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bulletin_press.build.pipeline import build_runs
from bulletin_press.layout import page_plan
from bulletin_press.layout.context import ArticleContext
from bulletin_press.layout.page_plan import Measure, PagePlan, apply
from bulletin_press.layout.prepare import prepare
from bulletin_press.pdf.text import body_text, page_texts

from . import column_set_issue
from .conftest import FIXTURES, MakeIssue
from .test_column_sets import _beside_boxes
from .test_preview_builds import _fenglin

LINE = 18.0


def _ids(flows: list[list[dict[str, object]]]) -> list[list[object]]:
    return [[a["id"] for a in flow] for flow in flows]


def test_a_box_a_notice_was_set_after_joins_the_story_before_it(make_issue: MakeIssue) -> None:
    """老年大学, the 燃气 notice, the 防诈 box: the plan sets the notice after the box
    (moved_notice). The box follows the story in its columns, not under them alone."""
    c = column_set_issue
    manifest = c.HEAD + c.STORY + c.NOTICE + c.BOX
    folder = make_issue(manifest, c.files())
    context = prepare(folder).context.context
    assert _ids(context["flows"]) == [["老年大学"], ["燃气改造"], ["防诈提示"]]
    anchors = {a["id"]: a["anchor"] for a in context["articles"]}
    plan = PagePlan(after={anchors["燃气改造"]: anchors["防诈提示"]})
    flows = apply(context, plan, LINE)["flows"]
    assert _ids(flows) == [["老年大学", "防诈提示"], ["燃气改造"]]
    story, box = flows[0]
    assert story["space_after"] and not box["space_after"]
    assert story["headline_span"]  # the story keeps its headline across the page


def test_a_box_alone_atop_a_page_heads_the_next_story_s_columns(make_issue: MakeIssue) -> None:
    """老年大学 with the 防诈 box after it in its columns, then 河道整治: the story ends
    at the foot of page 1, the box stands alone at the top of page 2 and 河道整治's
    headline goes across under it. The box heads 河道整治's columns instead."""
    c = column_set_issue
    manifest = c.HEAD + c.STORY + c.BOX + c.SECOND
    folder = make_issue(manifest, c.files())
    context = prepare(folder).context.context
    flows = context["flows"]
    assert _ids(flows) == [["老年大学", "防诈提示"], ["河道整治"]]
    anchors = {a["id"]: a["anchor"] for a in context["articles"]}
    story, box, second = anchors["老年大学"], anchors["防诈提示"], anchors["河道整治"]
    alone = Measure([[41, 41], [14, 12]], {story: 1, box: 2, second: 2})
    assert page_plan.box_leads(flows, alone, {box: 0.0}, 41) == {box: second}
    # Not when the box is under the story's last lines on that page, nor when the
    # story after it opens a new page.
    assert page_plan.box_leads(flows, alone, {box: 6.0}, 41) == {}
    assert page_plan.box_leads(flows, Measure([[41, 41], [14, 12]], {
        story: 1, box: 2, second: 3}), {box: 0.0}, 41) == {}
    placed = apply(context, PagePlan(leads={box: second}), LINE)["flows"]
    assert _ids(placed) == [["老年大学"], ["防诈提示", "河道整治"]]
    lead, joined = placed[1]
    assert lead["space_after"] and not joined["headline_span"]
    assert not placed[0][0]["space_after"]


def _fenglin_eight(tmp_path: Path) -> Path:
    """The outside tester's August issue as they grew it to `pages: 8`: the fixture of
    tests/test_preview_builds.py (photos drawn at the camera's shapes) with the three
    articles they added (fixtures/fenglin-2026-08-more.yaml)."""
    issue = _fenglin(tmp_path)
    manifest = issue / "issue.yaml"
    text = manifest.read_text(encoding="utf-8").replace("\npages: 4\n", "\npages: 8\n", 1)
    more = (FIXTURES / "fenglin-2026-08-more.yaml").read_text(encoding="utf-8")
    manifest.write_text(text + "".join(line + "\n" for line in more.splitlines()
                                       if not line.startswith("#")), encoding="utf-8")
    return issue


@pytest.mark.slow
def test_the_august_issue_s_boxes_stand_where_a_story_ends(tmp_path: Path) -> None:
    """On main the 防暑 box stood alone at the top of page 6 (set after 宛南六村, which
    ended at page 5's foot), 13 lines of the column beside it empty, 长者食堂's headline
    across under it; and the 便民服务电话 box, last, pushed the colophon alone onto page
    8. Now no box stands beside an empty column, the colophon is under text, and each
    box is met between two articles: the text before it ends a story (its last
    sentence), not a line of one."""
    issue = _fenglin_eight(tmp_path)
    built = build_runs(issue, store=False)
    pdf = tmp_path / "eight.pdf"
    pdf.write_bytes(built.pdf)
    assert built.page_count <= 8
    assert not _beside_boxes(pdf), _beside_boxes(pdf)
    texts = page_texts(pdf)
    last = texts[-1].split("枫林通讯编辑部")[0]
    assert "枫林通讯编辑部" in texts[-1] and len(re.sub(r"\s", "", last)) > 200, last
    # Every box entry once; the story text around each box: a story's end before it.
    text = body_text(pdf)
    for entry in ("不要等口渴了再喝", "11:00—15:00尽量不外出", "自称“电力公司”要求转账"):
        assert text.count(entry) == 1, entry
    for ending in ("拨打订餐电话021-64183356预约送餐上门", "欢迎老人们来坐坐。"):
        assert ending in text, ending


def test_a_box_alone_on_the_last_page_fills_an_earlier_hole() -> None:
    """The box ends the issue: after 红马甲, which fills page 3, it stood alone at the
    top of page 4 above the colophon, the column beside it empty, while page 2 ended
    short before 红马甲 (a new page). It goes in page 2's hole, as a box before an
    article that opens a new page does (filler_box); not when it is not alone there
    or not on the last page."""
    def article(name: str, kind: str = "story", start: str = "continue"
                ) -> ArticleContext:
        return {"id": name, "anchor": f"article-{name}", "kind": kind,  # type: ignore[typeddict-item]
                "start": start, "continued": False, "section": None}

    flows = [[article("lanterns")], [article("riddles", start="new-page")],
             [article("volunteers", start="new-page"), article("tips", "box")]]
    pages = {"article-lanterns": 1, "article-riddles": 2, "article-volunteers": 3,
             "article-tips": 4}
    measure = Measure([[40, 40], [25, 25], [41, 41], [13, 0]], pages)
    found = page_plan.filler_box(flows, measure, {"article-tips": 0.0}, 41)
    assert found == ("article-tips", "article-riddles")
    assert page_plan.filler_box(flows, measure, {"article-tips": 9.0}, 41) is None
    fifth = Measure([*measure.fills, [20, 20]], pages)  # not the last page
    assert page_plan.filler_box(flows, fifth, {"article-tips": 0.0}, 41) is None


def test_a_box_alone_atop_a_page_with_no_story_to_head_goes_before_the_last_paragraphs(
        make_issue: MakeIssue) -> None:
    """老年大学 fills page 1 to the foot of its last column; the 防诈 box after it, the
    issue's last article, stood alone at the top of page 2 above the colophon, the
    column beside it empty (planfit's b-short: its 报名须知 box on page 5). No story
    follows to head: the box goes before the story's last paragraphs, as few as hold
    its lines, at a paragraph's end; they run on after it in the same columns,
    without a headline, the story's foot with them."""
    c = column_set_issue
    folder = make_issue(c.HEAD + c.STORY + c.BOX, c.files())
    context = prepare(folder).context.context
    flows = context["flows"]
    assert _ids(flows) == [["老年大学", "防诈提示"]]
    anchors = {a["id"]: a["anchor"] for a in context["articles"]}
    story, box = anchors["老年大学"], anchors["防诈提示"]
    alone = Measure([[41, 41], [13, 0]], {story: 1, box: 2})
    found = page_plan.box_inset(flows, alone, {box: 0.0}, 41, 19)
    assert found is not None and found[0] == box
    body = flows[0][0]["body"]
    keep = found[1]
    assert body[keep]["kind"] in ("paragraph", "subhead") and 0 < keep < len(body) - 1
    # Under the story's last lines on page 2, or with a short last column on page 1:
    # nothing to do.
    assert page_plan.box_inset(flows, alone, {box: 5.0}, 41, 19) is None
    short = Measure([[41, 30], [13, 0]], {story: 1, box: 2})
    assert page_plan.box_inset(flows, short, {box: 0.0}, 41, 19) is None
    placed = apply(context, PagePlan(insets={box: keep}), LINE)["flows"]
    assert _ids(placed) == [["老年大学", "防诈提示", "老年大学"]]
    head, inset, rest = placed[0]
    assert head["body"] == body[:keep] and rest["body"][0]["spans"] == body[keep]["spans"]
    assert head["space_after"] and inset["space_after"] and not rest["space_after"]
    assert rest.get("resumed") and rest["continued"] and rest["anchor"] != head["anchor"]
    assert len(head["body"]) + len(rest["body"]) == len(body)
