"""A notice set in parts is split only when it does not fit its page whole: when a
later round of the page plan moves the text above its first part away, that part
opens its page half empty and the rest waits on the next page (newcomer F4, the
长风社区's 烟花爆竹 notice: 23 lines empty under its first part on page 4, the whole
notice about 38 lines). It is set whole again, once; and a round whose spread pushes
a whole notice's 落款 over onto the next page is not the one kept."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

from bulletin_press.build.page_fit import _torn
from bulletin_press.layout.notice_parts import parts, split_flows

from .test_notice_parts import _notice


def _split() -> tuple[Any, dict[str, int]]:
    notice = {**_notice(7), "start": "continue"}
    cut = {"n": ((3, 0),)}
    split = split_flows([[notice]], cut)
    # Part 1 (items 1-3) on page 4, alone on it; part 2 (items 4-7, the 落款) on page 5.
    pages = {"article-n": 4, "article-n-goes-on": 4, "article-n-part-2": 5,
             "article-n-part-2-foot": 5,
             **{f"article-n-item-{i}": 4 if i < 4 else 5 for i in range(1, 8)},
             **{f"article-n-item-{i}-end": 4 if i < 4 else 5 for i in range(1, 8)}}
    return split, pages


def test_a_first_part_that_no_longer_fills_its_page_sets_the_notice_whole() -> None:
    split, pages = _split()
    cut = {"n": ((3, 0),)}
    full = [[40, 40], [41, 39], [33, 24], [40, 41], [39, 38]]
    assert parts(split, pages, cut, full, 41) == cut  # it fills page 4: the cut stays
    # Under a story's end, 9 lines short (its next item did not fit): the cut stays.
    assert parts(split, pages, cut, [[40, 40], [41, 39], [33, 24], [31, 32]], 41) == cut
    short = [[40, 40], [41, 39], [33, 24], [17, 18], [39, 38]]  # 23 lines under it
    assert parts(split, pages, cut, short, 41) == {}  # set whole again
    # Once: set whole, it went on in parts again (its next item did not fit): kept.
    assert parts(split, pages, cut, short, 41, reflowed={"n"}) == cut
    # Set whole after a page left short, it is not let flow from its place again.
    whole = [[{**_notice(7), "start": "continue"}]]
    on5 = {"article-n": 5, "article-n-foot": 5,
           **{f"article-n-item-{i}": 5 for i in range(1, 8)},
           **{f"article-n-item-{i}-end": 5 for i in range(1, 8)}}
    fills = [[40, 40], [41, 39], [41, 41], [19, 2], [34, 38]]
    assert parts(whole, on5, {}, fills, 41) == {"n": ()}  # (session 14's rule)
    assert parts(whole, on5, {}, fills, 41, reflowed={"n"}) == {}


def test_a_round_with_a_whole_notice_torn_by_a_page_is_marked() -> None:
    notice = {**_notice(7), "start": "continue"}

    def fitted(foot: int) -> Any:
        measure = SimpleNamespace(pages={"article-n": 5, "article-n-foot": foot})
        prepared = SimpleNamespace(context=SimpleNamespace(context={"flows": [[notice]]}))
        return cast(Any, SimpleNamespace(measure=measure, prepared=prepared))

    assert _torn(fitted(6))
    assert not _torn(fitted(5))
    flowing = {**notice, "flows_on": True}  # a flowing notice breaks: the next round cuts it
    measure = SimpleNamespace(pages={"article-n": 5, "article-n-foot": 6})
    prepared = SimpleNamespace(context=SimpleNamespace(context={"flows": [[flowing]]}))
    assert not _torn(cast(Any, SimpleNamespace(measure=measure, prepared=prepared)))
