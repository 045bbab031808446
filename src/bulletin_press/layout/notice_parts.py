"""A notice longer than a page, set in parts, one a page, so that a reader sees it
goes on: "（续下页）" at the foot of a part that goes on, and the next part opens the
next page with the notice's title, small, and "（续）" (the wording: layout options
notice_out and notice_in).

A notice is set whole (`break-inside: avoid`): one that does not fit under the text
above it moves on to the next page, so only one longer than a page is broken, at a
page's foot, and CSS cannot put anything at a box's break. The page plan learns where
the page broke it from a typeset round (its items carry ids at their start and end,
layout/context.py `item_anchors`) and sets it again in parts, each cut before the
first item that did not end on its part's first page. A part that went on all the
same (a page of other height, a notice of three pages) is cut again the next round.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Set as AbstractSet

from bulletin_press.layout.context import ArticleContext, BodyItem

Flow = list[ArticleContext]
Parts = Mapping[str, tuple[int, ...]]  # notice id → the item each later part starts with


def part_anchor(anchor: str, part: int) -> str:
    """The anchor of a notice's part (0: the first, the notice's own)."""
    return anchor if part == 0 else f"{anchor}-part-{part + 1}"


def foot_anchor(article: ArticleContext) -> str:
    """The id of a notice's foot (its QR code, its 落款), on its last part."""
    return f"{article['anchor']}-foot"


def split_flows(flows: list[Flow], parts: Parts, whole: AbstractSet[str] = frozenset()
                ) -> list[Flow]:
    """The flows with each notice in `parts` set in its parts, a flow each; those
    in `whole` (ids) with each part set whole (cut by the page plan, not where a
    page broke it)."""
    if not parts:
        return flows
    out: list[Flow] = []
    for flow in flows:
        lead = flow[0]
        cuts = parts.get(lead["id"]) if _framed(flow) else None
        if cuts is None:
            out.append(flow)
            continue
        # Longer than a page: it may break (no longer set whole), and where a part
        # does all the same, the next round cuts it there.
        if lead["id"] not in whole:
            lead = {**lead, "flows_on": True}
        body = lead["body"]
        bounds = [0, *cuts, len(body)]
        last = len(bounds) - 2
        for part in range(last + 1):
            piece: ArticleContext = {**lead, "body": body[bounds[part]:bounds[part + 1]]}
            if part > 0:
                piece.update({
                    "anchor": part_anchor(lead["anchor"], part),
                    "text_anchor": part_anchor(lead["text_anchor"], part),
                    "section": None, "subtitle": None, "byline": None,
                    # at the next page's top, never pulled up or under other text
                    "start": "new-page", "may_pull_up": False, "continued": True,
                    "full_width_figures": [], "jump_in": None, "jump_out": None,
                    "plan_classes": ""})
            if part < last:  # its foot (QR code, 落款) ends the last part
                piece.update({"qr": None, "signature": None, "goes_on": True})
            out.append([piece])
    return out


def _framed(flow: Flow) -> bool:
    """A notice in a flow of its own (a frame across the page), not yet in parts."""
    lead = flow[0]
    return len(flow) == 1 and lead["kind"] == "notice" and not lead["continued"]


NOTICE_ROOM = 8  # lines a column: a hole worth a part (page_plan.NOTICE_ROOM)


def parts(flows: list[Flow], pages: Mapping[str, int], planned: Parts,
          fills: list[list[int]], lines: int) -> dict[str, tuple[int, ...]]:
    """Where each notice is cut into parts, from a typeset round: `flows` as typeset
    (with the `planned` parts), `pages`: anchor → page, `fills`: the lines each
    column's text uses (page_plan.natural). The parts whose items all ended on their
    first page keep their cuts; in the first that did not, the cut goes before the
    first item that did not (later parts are measured the round after). A notice
    that, longer than a page, moved on whole from a page it left short (set whole,
    it did not fit under the text above) is first let flow from there, uncut (no
    cuts: `()`), and cut where that page ends the round after."""
    found: dict[str, tuple[int, ...]] = {}
    for notice, pieces in _notices(flows).items():
        body = [item for piece in pieces for item in piece["body"]]
        before = planned.get(notice)
        cuts = list(before or ())[:len(pieces) - 1]
        bounds = [0, *cuts, len(body)]
        kept: list[int] = []
        for number, piece in enumerate(pieces):
            first = pages.get(piece["anchor"])
            if first is None:
                break
            low, high = bounds[number], bounds[number + 1]
            over = [i for i in range(low + 1, high) if _ends_on(body[i], pages, first) > first]
            if not over and high - 1 > low and pages.get(foot_anchor(piece), first) > first:
                over = [high - 1]  # its 落款 went on alone: its last item goes with it
            if over and before is None and _moved_on(piece, first, fills, lines):
                found[notice] = ()
                break
            if over:
                kept.append(over[0])
                break
            if number + 1 < len(pieces):
                kept.append(high)
        else:
            if before is not None and not kept:
                found[notice] = ()  # flowing, not broken yet: stays so
        if kept:
            found[notice] = tuple(kept)
    return found


def _moved_on(lead: ArticleContext, page: int, fills: list[list[int]], lines: int) -> bool:
    """Whether a notice on `page` moved on whole from the page before, leaving it
    short: it follows that page's text, which ends `NOTICE_ROOM` lines or more short."""
    if lead["start"] != "continue" or page < 2 or page - 1 > len(fills):
        return False
    return min(lines - used for used in fills[page - 2]) >= NOTICE_ROOM


def _notices(flows: list[Flow]) -> dict[str, list[ArticleContext]]:
    """Each framed notice's parts as typeset, in order (one when not in parts)."""
    found: dict[str, list[ArticleContext]] = {}
    for flow in flows:
        lead = flow[0]
        if len(flow) == 1 and lead["kind"] == "notice" and lead["anchor"] == \
                f"article-{lead['id']}" and not lead["continued"]:
            found[lead["id"]] = [lead]
        elif lead["kind"] == "notice" and lead["continued"] and lead["id"] in found:
            found[lead["id"]].append(lead)
    return found


def _ends_on(item: BodyItem, pages: Mapping[str, int], first: int) -> int:
    """The page an item ends on: its end's id (a paragraph's last line, a list's last
    entry, a table's last row), else its start (a photo, a rule: not broken)."""
    figure = item["figure"]
    for anchor in (item.get("end"), item["anchor"], figure["anchor"] if figure else None):
        if anchor is not None and anchor in pages:
            return pages[anchor]
    return first
