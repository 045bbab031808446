"""The page that holds a notice's last part: the next story starts under it.

A notice set in parts (layout/notice_parts.py) leaves two holes in the round that
first sets it so: the page of its first part ends a few lines short (it is cut
between two items), and the page of its last part holds a few lines, a photo and
the 落款. The story after it goes on to the next page when its head (headline,
subtitle, a panorama across the page) and the upright photo heading its first
column do not fit under that part: the headline guard moves it. The page plan
answers such a hole by moving the photo after a later paragraph (`pushed_head`),
but only on the first page whose hole a round closes; the spread of the first
part's page came first in every round, and when the rounds ran out (the outside
tester's 古美家园, `pages: 8`: a spread that pushed a block over was halved twice)
the page stayed half empty. A page that opens with a notice's later part (a flow
that starts a new page) holds nothing a change above it moves: its hole is
answered in the same round."""

from __future__ import annotations

from pathlib import Path

from bulletin_press.build.page_fit import Measured, _filled, planned
from bulletin_press.layout import page_plan
from bulletin_press.layout.page_plan import PagePlan
from bulletin_press.layout.prepare import prepare

from . import notice_foot_issue
from .conftest import MakeIssue


def _issue(make_issue: MakeIssue) -> Path:
    return make_issue(notice_foot_issue.MANIFEST, notice_foot_issue.files())


def test_the_story_after_a_notice_s_last_part_is_brought_under_it_with_the_hole_above(
        make_issue: MakeIssue) -> None:
    prepared = prepare(_issue(make_issue))
    g = prepared.layout.geometry
    # The notice in two parts: the first holds its items up to 五, the second 五, the
    # photo and the 落款 (where round 2 measured the page break it).
    plan = PagePlan(parts={"管道施工": ((7, 0),)})
    current = planned(prepared, plan)
    flows = current.context.context["flows"]
    leads = [flow[0]["anchor"] for flow in flows]
    assert leads[:4] == ["article-美丽家园", "article-管道施工", "article-管道施工-part-2",
                         "article-重阳"]
    # Round 3 as measured (the 古美家园 issue's shape): page 2 is the first part,
    # cut before 五, 7 and 8 lines short; page 3 the last part, 14 and 17 lines; the
    # story's head (15 lines) and its upright photo went on to page 4.
    pages = {"article-美丽家园": 1, "photo-1-1": 1, "article-管道施工": 2,
             "article-管道施工-part-2": 3, "photo-2-1": 3, "article-重阳": 4,
             "photo-3-1": 4, "photo-3-2": 4, "photo-3-3": 4, "article-健身步道": 5,
             "photo-4-1": 5, "article-电话": 5}
    measure = Measured(fills=[[41, 41], [34, 33], [14, 17], [41, 41], [40, 40]], pages=pages,
                       heads={"article-重阳": 15.0})
    means = page_plan.knobs(prepared.context.context, g.columns, g.line)
    nxt, _spent = _filled(current, plan, means, measure, set())
    # Page 2's hole is spread in its part (its gaps), and in the same round the
    # upright photo heading 重阳's first column goes after its second paragraph, so
    # that its headline, panorama and first paragraphs start under the notice's end.
    assert any(key.startswith("article-管道施工@") for key in nxt.gaps)
    assert set(nxt.photo_moves) == {"photo-3-2"}
    move = nxt.photo_moves["photo-3-2"]
    assert move.page == 3 and move.paragraphs >= 1
    # Not for a page that opens with a story that flows on from the page before:
    # a change above it may move what it holds (the first hole only, as before).
    assert not page_plan._opens(flows, measure, 4)
    assert page_plan._opens(flows, measure, 3)
