"""A notice the page plan set after the story that followed it (it did not fit under
the text above) can open the page after that story's end in its turn, leaving it
short: the photos the guard carried past the story's end stand in one column and a
box in the other, the notice (set whole, across the page) does not fit under them.
The plan moves a notice once in its rounds; after them it is tried once more after
the article that follows it now, whose head and text fill the hole
(page_fit._notice_further). The outside tester's 2026-07b in its shape: page 4
held the 垃圾分类 story's end, two photos and the 便民电话 box, ~60 % empty, the
暑托班 notice opening page 5."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from bulletin_press.build.page_fit import Fitted, _notice_further
from bulletin_press.layout.context import ArticleContext
from bulletin_press.layout.page_plan import Measure, PagePlan, reordered

LINES = 41


def _article(name: str, kind: str = "story", start: str = "continue") -> ArticleContext:
    return {"id": name, "anchor": f"article-{name}", "kind": kind,  # type: ignore[typeddict-item]
            "start": start, "continued": False, "section": None}


def _fitted(flows: list[list[ArticleContext]], fills: list[list[int]],
            pages: dict[str, int], plan: PagePlan) -> Fitted[Any]:
    prepared: Any = SimpleNamespace(context=SimpleNamespace(context={"flows": flows}))
    return Fitted(None, prepared, Measure(fills, pages), plan, 6)


# As the plan set it: the notice after the 垃圾分类 story and its box.
FLOWS = [[_article("flood", "notice")], [_article("sorting"), _article("phones", "box")],
         [_article("camp", "notice")], [_article("meeting")], [_article("diary")]]
PAGES = {"article-flood": 1, "article-sorting": 3, "article-phones": 4, "article-camp": 5,
         "article-meeting": 5, "article-diary": 7}
FILLS = [[39, 40], [41, 41], [41, 41], [30, 7], [41, 41], [41, 41], [41, 41], [20, 21]]


def test_a_moved_notice_that_opens_the_page_after_a_hole_goes_on_after_the_next_story() -> None:
    plan = PagePlan(after={"article-camp": "article-sorting"})
    further = _notice_further(_fitted(FLOWS, FILLS, PAGES, plan), LINES)
    assert further is not None
    assert dict(further.after) == {"article-camp": "article-meeting"}
    # Set so, the story that followed the notice fills page 4 under the story's end.
    original = [[_article("flood", "notice")], [_article("camp", "notice")],
                [_article("sorting"), _article("phones", "box")], [_article("meeting")],
                [_article("diary")]]
    assert [[a["id"] for a in flow] for flow in reordered(original, further.after)] == [
        ["flood"], ["sorting", "phones"], ["meeting"], ["camp"], ["diary"]]


def test_only_a_notice_the_plan_moved_and_only_before_a_hole() -> None:
    # Not moved by the plan: the rounds decide (moved_notice), not this.
    assert _notice_further(_fitted(FLOWS, FILLS, PAGES, PagePlan()), LINES) is None
    # Page 4 full: nothing to fill.
    full = [fill if page != 4 else [41, 40] for page, fill in enumerate(FILLS, start=1)]
    plan = PagePlan(after={"article-camp": "article-sorting"})
    assert _notice_further(_fitted(FLOWS, full, PAGES, plan), LINES) is None
    # The article after it opens a new page: it would fill nothing.
    flows = [*FLOWS[:3], [_article("meeting", start="new-page")], FLOWS[4]]
    assert _notice_further(_fitted(flows, FILLS, PAGES, plan), LINES) is None
