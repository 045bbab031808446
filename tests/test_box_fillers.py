"""A box that would stand alone at the top of a page (the article after it opens a
new page) is set as a filler in an earlier page's hole (page_plan.filler_box,
with_fillers): the spring issue's 温馨提示 on page 6, in its shape (see
test_spring_pages.py for the built issue)."""

from __future__ import annotations

from bulletin_press.layout.context import ArticleContext
from bulletin_press.layout.page_plan import Measure, filler_box, with_fillers

LINES = 41


def _article(name: str, kind: str = "story", start: str = "continue",
             section: str | None = None) -> ArticleContext:
    return {"id": name, "anchor": f"article-{name}", "kind": kind,  # type: ignore[typeddict-item]
            "start": start, "continued": False, "section": section}


def _issue(section: str | None = None) -> list[list[ArticleContext]]:
    """灯谜 ends page 2 short before 红马甲 (a new page), which ends page 3 full;
    温馨提示 after it opens page 4 alone; the 征兵 notice opens page 5."""
    return [[_article("lanterns")], [_article("riddles", start="new-page")],
            [_article("volunteers", start="new-page", section="平安"),
             _article("tips", "box", section=section)],
            [_article("conscription", "notice", "new-page")]]


PAGES = {"article-lanterns": 1, "article-riddles": 2, "article-volunteers": 3,
         "article-tips": 4, "article-conscription": 5}


def _measure(hole: list[int]) -> Measure:
    return Measure(fills=[[40, 40], hole, [41, 41], [8, 0], [30, 30]], pages=PAGES)


def test_a_box_alone_at_a_page_top_fills_the_nearest_earlier_hole() -> None:
    flows = _issue()
    found = filler_box(flows, _measure([25, 25]), {"article-tips": 0.0}, LINES)
    assert found == ("article-tips", "article-riddles")
    moved = with_fillers(flows, dict([found]))
    assert [[a["id"] for a in flow] for flow in moved] == [
        ["lanterns"], ["riddles", "tips"], ["volunteers"], ["conscription"]]
    assert [a["space_after"] for a in moved[1]] == [True, False]
    assert moved[2][0]["space_after"] is False
    assert sum(len(flow) for flow in moved) == 5  # the box once


def test_a_box_is_not_moved_when_it_does_not_open_its_page_or_fit_or_belongs() -> None:
    # Under the text of the article before it on its page (its top 12 lines down).
    assert filler_box(_issue(), _measure([25, 25]), {"article-tips": 12.0}, LINES) is None
    # The hole is smaller than the box and the line above it.
    assert filler_box(_issue(), _measure([36, 36]), {"article-tips": 0.0}, LINES) is None
    # A box of the article's own section belongs to it.
    assert filler_box(_issue("平安"), _measure([25, 25]), {"article-tips": 0.0}, LINES) is None
    # Its target not in the flows: the box stays where it is.
    assert [[a["id"] for a in f] for f in with_fillers(_issue(), {"article-tips": "x"})][2] == \
        ["volunteers", "tips"]
