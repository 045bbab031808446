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

A table is cut between two rows (each row carries an id, `row_ids`), never inside
one: the part that goes on ends with the rows that fit, the next part opens with a
table of the rest under the header row repeated. A table keeps `TABLE_ROWS` rows on
either side of such a cut (the header and one row alone at a page's foot read as a
stray line); a shorter table moves on whole. A paragraph is cut between two of its
sentences (an empty span with an id after each 。！？；, `stops`, put in only once the
notice is in parts); the rest opens the next part, not indented.

A notice in one column of the article before it (`start: new-column`) may break: it
goes on in the next column of the page in a frame of its own (`box-decoration-break:
clone`), as a boxed item set over two columns does, with no mark (the eye goes on
to the next column). Where it goes on to the next page it is set in parts as one
across the page is, with the same marks: each later part starts a new column, which
the page's end makes the next page's first.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from collections.abc import Set as AbstractSet

from bulletin_press.layout.context import STOP, ArticleContext, BodyItem, sentence_stops
from bulletin_press.text.blocks import Span

Flow = list[ArticleContext]
# Where a later part starts: (item, row), the item's index in the notice's body and,
# in a table, the first of its body rows the part holds, in a paragraph the first of
# its sentences (0: the item whole).
Cut = tuple[int, int]
Parts = Mapping[str, tuple[Cut, ...]]  # notice id → where each later part starts
TABLE_ROWS = 2  # a table cut between rows keeps at least this many on either side


def part_anchor(anchor: str, part: int) -> str:
    """The anchor of a notice's part (0: the first, the notice's own)."""
    return anchor if part == 0 else f"{anchor}-part-{part + 1}"


def foot_anchor(article: ArticleContext) -> str:
    """The id of a notice's foot (its QR code, its 落款), on its last part."""
    return f"{article['anchor']}-foot"


def goes_on_anchor(article: ArticleContext) -> str:
    """The id of the （续下页） that ends a part that goes on."""
    return f"{article['anchor']}-goes-on"


def split_flows(flows: list[Flow], parts: Parts, whole: AbstractSet[str] = frozenset()
                ) -> list[Flow]:
    """The flows with each notice in `parts` set in its parts: a notice across the page
    a flow each; a notice in a column of the article before it (`start: new-column`)
    its parts in that flow, each starting a new column. Those in `whole` (ids) across
    the page have each part set whole (cut by the page plan, not where a page broke it)."""
    if not parts:
        return flows
    out: list[Flow] = []
    for flow in flows:
        lead = flow[0]
        cuts = parts.get(lead["id"]) if _framed(flow) else None
        if cuts is not None:
            # Longer than a page: it may break (no longer set whole), and where a part
            # does all the same, the next round cuts it there.
            if lead["id"] not in whole:
                lead = {**lead, "flows_on": True}
            out.extend([piece] for piece in _pieces(lead, cuts, True))
            continue
        new_flow: Flow = [lead]
        for article in flow[1:]:
            cuts = parts.get(article["id"]) if _uncut(article) else None
            new_flow.extend([article] if cuts is None else _pieces(article, cuts, False))
        out.append(new_flow)
    return out


def _pieces(notice: ArticleContext, cuts: tuple[Cut, ...], framed: bool
            ) -> list[ArticleContext]:
    """A notice's parts: the first goes on (（续下页）, its foot on the last part), each
    later one opens the next page with the title and （续）: a notice across the page
    as a new page's flow; one in a column at the top of the next column, which the
    page's end makes the next page's first."""
    body = _stopped(notice["body"])
    bounds: list[Cut] = [(0, 0), *cuts, (len(body), 0)]
    last = len(bounds) - 2
    pieces: list[ArticleContext] = []
    for part in range(last + 1):
        piece: ArticleContext = {**notice, "body": _between(body, bounds[part],
                                                            bounds[part + 1])}
        if part > 0:
            piece.update({
                "anchor": part_anchor(notice["anchor"], part),
                "text_anchor": part_anchor(notice["text_anchor"], part),
                "section": None, "subtitle": None, "byline": None,
                "continued": True, "full_width_figures": [], "jump_in": None,
                "jump_out": None, "plan_classes": ""})
            if framed:  # at the next page's top, never pulled up or under other text
                piece.update({"start": "new-page", "may_pull_up": False})
        if part < last:  # its foot (QR code, 落款) ends the last part
            piece.update({"qr": None, "signature": None, "goes_on": True})
        pieces.append(piece)
    return pieces


def _stopped(body: list[BodyItem]) -> list[BodyItem]:
    """A notice's paragraphs with an id between each two sentences (`stops`): set in
    parts, a paragraph the page breaks is cut between two of its sentences. (Only then:
    the empty span changes the spacing of a 「；」 before it, layout/context.py.)"""
    out: list[BodyItem] = []
    for item in body:
        anchor = item.get("anchor")
        if item["kind"] == "paragraph" and not item.get("role") and anchor \
                and "stops" not in item:
            spans, stops = sentence_stops(anchor, item.get("spans", []))
            if stops:
                item = {**item, "spans": spans, "stops": stops}
        out.append(item)
    return out


def _sentences(item: BodyItem) -> list[list[Span]]:
    """A paragraph's spans, sentence by sentence: each but the last ends with its stop."""
    groups: list[list[Span]] = [[]]
    for span in item["spans"]:
        groups[-1].append(span)
        if span.cls.startswith(STOP + " "):
            groups.append([])
    return groups


def _between(body: list[BodyItem], start: Cut, stop: Cut) -> list[BodyItem]:
    """The items of a part from `start` to `stop`: a table cut at either end is the
    piece of it between, its header kept (`rows_from`, layout/context.py)."""
    out: list[BodyItem] = []
    for index in range(start[0], min(stop[0] + 1, len(body))):
        low = start[1] if index == start[0] else 0
        high = stop[1] if index == stop[0] else None
        if index == stop[0] and not high:
            break  # the next part starts with this item whole
        item = body[index]
        table = item.get("table")
        if (low or high) and table is not None:
            rows = slice(low, high)
            piece: BodyItem = {**item, "table": {**table, "rows": table["rows"][rows],
                                                 "bound": table.get("bound", [])[rows]},
                               "row_ids": item.get("row_ids", [])[rows], "rows_from": low}
            out.append(piece)
        elif (low or high) and item.get("stops"):
            # A paragraph cut between two sentences: the piece after the cut goes on
            # without an indent (role "cont") and without the paragraph's start id;
            # the piece before it without its end's.
            sentences = slice(low, high)
            piece = {**item, "spans": [span for group in _sentences(item)[sentences]
                                       for span in group],
                     "stops": item.get("stops", [])[sentences], "stops_from": low}
            if low:
                piece.update({"role": "cont", "anchor": None})
            if high is not None:
                piece.pop("end", None)
                piece["marker"] = None
            out.append(piece)
        else:
            out.append(item)
    return out


def _joined(pieces: list[ArticleContext]) -> list[BodyItem]:
    """A notice's body as it was before it was set in parts: the pieces of a table cut
    between rows are one table again."""
    body: list[BodyItem] = []
    for piece in pieces:
        for item in piece["body"]:
            table = item.get("table")
            if item.get("rows_from") and table is not None and body and body[-1].get("table"):
                before = body[-1]
                whole = before["table"]
                assert whole is not None
                body[-1] = {**before, "table": {
                    **whole, "rows": whole["rows"] + table["rows"],
                    "bound": whole.get("bound", []) + table.get("bound", [])},
                            "row_ids": before.get("row_ids", []) + item.get("row_ids", [])}
                body[-1].pop("rows_from", None)
            elif item.get("stops_from") and body:
                before = body[-1]
                joined: BodyItem = {
                    **before, "spans": before["spans"] + item["spans"],
                    "stops": before.get("stops", []) + item.get("stops", []),
                    "role": "", "marker": item["marker"]}
                joined.pop("stops_from", None)
                joined.pop("end", None)
                if "end" in item:
                    joined["end"] = item["end"]
                body[-1] = joined
            else:
                body.append(item)
    return body


def _framed(flow: Flow) -> bool:
    """A notice in a flow of its own (a frame across the page), not yet in parts."""
    lead = flow[0]
    return len(flow) == 1 and lead["kind"] == "notice" and not lead["continued"]


def _uncut(article: ArticleContext) -> bool:
    """A notice not yet in parts (its own flow's, or in a column of another's)."""
    return article["kind"] == "notice" and not article["continued"] \
        and article["anchor"] == f"article-{article['id']}"


NOTICE_ROOM = 8  # lines a column: a hole worth a part (page_plan.NOTICE_ROOM)


def parts(flows: list[Flow], pages: Mapping[str, int], planned: Parts,
          fills: list[list[int]], lines: int, moved: AbstractSet[str] = frozenset(),
          reflowed: AbstractSet[str] = frozenset()) -> dict[str, tuple[Cut, ...]]:
    """Where each notice is cut into parts, from a typeset round: `flows` as typeset
    (with the `planned` parts), `pages`: anchor → page, `fills`: the lines each
    column's text uses (page_plan.natural). The parts whose items all ended on their
    first page keep their cuts; in the first that did not, the cut goes before the
    first item that did not (later parts are measured the round after). A notice
    that, longer than a page, moved on whole from a page it left short (set whole,
    it did not fit under the text above) is first let flow from there, uncut (no
    cuts: `()`), and cut where that page ends the round after. So is one about a page
    long that moved on whole from such a page when the article after it would not
    fill it (`_fills_page`), unless the plan moved it already (`moved`: anchors of
    notices set after the article that followed them, page_plan.moved_notice, or
    pulled up), or a notice before it moved on whole or is in parts (its moves move
    this one's page: one at a time). A notice in parts whose first part, across the
    page, no longer fills its page (`_short_part`: the plan moved the text above it
    away, half its page or more is empty) is set whole again (not in the result): where
    it fits a page it stays so; longer, the page breaks it and the round after cuts
    it there. Once a notice (`reflowed`: ids, the caller's record), and such a notice
    is not let flow from its place again (`_fills_page`), so that a part held short
    by its next item (a table's rows, a photo) is not set whole and cut over and over."""
    found: dict[str, tuple[Cut, ...]] = {}
    earlier = False  # a notice before it moved on whole, or is in parts
    for notice, pieces in _notices(flows).items():
        body = _joined(pieces)
        units = _units(body)
        before = planned.get(notice)
        cuts = list(before or ())[:len(pieces) - 1]
        bounds: list[Cut] = [(0, 0), *cuts, (len(body), 0)]
        kept: list[Cut] = []
        for number, piece in enumerate(pieces):
            first = pages.get(piece["anchor"])
            if first is None:
                break
            low, high = bounds[number], bounds[number + 1]
            inside = [u for u in units if low <= u[0] < high]
            over = [start for start, end in inside[1:]
                    if end is not None and pages.get(end, first) > first]
            if not over and len(inside) > 1 and pages.get(foot_anchor(piece), first) > first:
                over = [inside[-1][0]]  # its 落款 went on alone: its last item goes with it
            if not over and len(inside) > 1 and pages.get(goes_on_anchor(piece), first) > first:
                # Its （续下页） went on alone, into a frame of its own on the next page (a
                # round gave a line more above it): its last block goes on with it.
                over = [inside[-1][0]]
            if before is None and _moved_on(piece, first, fills, lines) and (
                    over or (piece["anchor"] not in moved and not earlier
                             and notice not in reflowed
                             and _fills_page(flows, piece, pages, first, fills, lines))):
                found[notice] = ()
                break
            if over:
                kept.append(_measured(body, over[0], pages, first))
                break
            if number == 0 and before and len(pieces) > 1 and notice not in reflowed \
                    and _short_part(flows, piece, first, fills, lines):
                break  # set whole again (not in `found`)
            if number + 1 < len(pieces):
                kept.append(high)
        else:
            if before is not None and not kept:
                found[notice] = ()  # flowing, not broken yet: stays so
        if kept:
            found[notice] = tuple(kept)
        first_page = pages.get(pieces[0]["anchor"])
        # One at a time: the pages after a notice that moves on or flows move with it.
        earlier = earlier or notice in found or before is not None or (
            first_page is not None and _moved_on(pieces[0], first_page, fills, lines))
    return found


def _short_part(flows: list[Flow], piece: ArticleContext, page: int,
                fills: list[list[int]], lines: int) -> bool:
    """Whether a notice's first part, a flow across the page that goes on, leaves half
    its page or more empty: cut to fill it, it no longer does (the plan moved what was
    above it away; the 长风社区's 烟花爆竹 notice: its first part alone on a page, 23
    lines of 41 empty under it, the rest on the next page). Less (a part under a
    story's end a round left 9 lines short) is the next item's not fitting, or a
    spread's to fill: set whole, the notice would go on and leave the story's end
    alone on its page."""
    if not any(len(flow) == 1 and flow[0] is piece for flow in flows) or page > len(fills):
        return False
    return lines - max(fills[page - 1]) >= max(NOTICE_ROOM, lines / 2)


def _moved_on(lead: ArticleContext, page: int, fills: list[list[int]], lines: int) -> bool:
    """Whether a notice on `page` moved on whole from the page before, leaving it
    short: it follows that page's text, which ends `NOTICE_ROOM` lines or more short."""
    if lead["start"] != "continue" or page < 2 or page - 1 > len(fills):
        return False
    return min(lines - used for used in fills[page - 2]) >= NOTICE_ROOM


def _fills_page(flows: list[Flow], notice: ArticleContext, pages: Mapping[str, int],
                first: int, fills: list[list[int]], lines: int) -> bool:
    """Whether a notice across the page, set whole on `first` after a page it left
    short (`_moved_on`), is about a page long (LONG_SHARE of its page or more, and
    nothing after it there) and the article after it would not fill that hole: set
    after it (page_plan.moved_notice), the notice would leave the same hole under
    that article's end. It flows from its own place instead. Not before an article
    that opens a page (the hole would only move under the notice's end), nor when
    the article after it fills a page of its own (the flow after it starts a later
    page) with lines that fit the hole: it goes before the notice, set whole."""
    at = next((i for i, flow in enumerate(flows) if flow[0] is notice), None)
    if at is None or len(flows[at]) > 1 or first > len(fills) or \
            max(fills[first - 1]) < LONG_SHARE * lines:
        return False
    # Its first part holds some of its text: a photo heading it (a logo) needs its
    # lines too, or the part would be its title and （续下页） alone.
    head = 0
    for item in notice["body"]:
        figure = item["figure"]
        if figure is None:
            break
        head += figure["image_lines"] + figure["caption_lines"] + 1
    if min(lines - used for used in fills[first - 2]) < NOTICE_ROOM + head:
        return False
    if at + 1 < len(flows) and flows[at + 1][0]["start"] != "continue":
        return False  # the next opens a page: the hole would only move under its end
    starts = [pages.get(flow[0]["anchor"]) for flow in flows[at + 1:]]
    later = [page for page in starts if page is not None]
    if later and later[0] <= first:
        return False  # an article under it on its page: it is shorter than that
    if later and (len(later) == 1 or later[0] < later[1]) and later[0] <= len(fills):
        hole = sum(lines - used for used in fills[first - 2])
        if sum(fills[later[0] - 1]) + len(fills[later[0] - 1]) <= hole:
            return False
    return True


LONG_SHARE = 0.75  # of a page's lines: a notice about a page long


def _notices(flows: list[Flow]) -> dict[str, list[ArticleContext]]:
    """Each framed notice's parts as typeset, in order (one when not in parts)."""
    found: dict[str, list[ArticleContext]] = {}
    for flow in flows:
        lead = flow[0]
        if len(flow) == 1 and _uncut(lead):
            found[lead["id"]] = [lead]
        elif lead["kind"] == "notice" and lead["continued"] and lead["id"] in found:
            found[lead["id"]].append(lead)
        for article in flow[1:]:  # in a column of the article before it
            if _uncut(article):
                found[article["id"]] = [article]
            elif article["kind"] == "notice" and article["continued"] \
                    and article["id"] in found:
                found[article["id"]].append(article)
    return found


def _measured(body: list[BodyItem], cut: Cut, pages: Mapping[str, int], first: int) -> Cut:
    """The cut, or, before a paragraph that the page broke before its sentences were
    marked (the notice was not yet in parts), the cut after it: its part goes on over
    it this once, and the round after cuts it between the sentences where the page
    broke it."""
    item = body[cut[0]] if cut[0] < len(body) else None
    if item is None or cut[1] or item["kind"] != "paragraph" or item.get("role") \
            or "stops" in item or not item["anchor"] or pages.get(item["anchor"]) != first:
        return cut
    return (cut[0] + 1, 0) if sentence_stops(item["anchor"], item.get("spans", []))[1] else cut


def _units(body: list[BodyItem]) -> list[tuple[Cut, str | None]]:
    """What a part may be cut before, in order: each item's start, and in a table each
    row that leaves `TABLE_ROWS` rows on either side; with the id that tells the page
    each ends on (a paragraph's last line, a list's last entry, a table's last row
    before the next cut; else its start: a photo, a rule, which are not broken)."""
    units: list[tuple[Cut, str | None]] = []
    for index, item in enumerate(body):
        figure = item["figure"]
        end = item.get("end") or item["anchor"] or (figure["anchor"] if figure else None)
        # A table's rows, a paragraph's sentences: the id at the end of each.
        stops = item.get("stops", [])
        rows = item.get("row_ids", []) or ([*stops, end] if stops and end else [])
        least = TABLE_ROWS if item.get("row_ids") else 1
        # Never between two rows a merged cell spans (it would be cut in two).
        bound = item["table"].get("bound", []) if item.get("row_ids") and item["table"] else []
        starts = [0, *(s for s in range(least, len(rows) - least + 1)
                       if not (s - 1 < len(bound) and bound[s - 1]))]
        for start, stop in itertools.pairwise([*starts, len(rows)]):
            units.append(((index, start), rows[stop - 1] if stop < len(rows) else end))
        if not rows:
            units.append(((index, 0), end))
    return units
