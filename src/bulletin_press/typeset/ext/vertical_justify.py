"""Vertical justification: a short column filled on its own, in whole lines, as
a contained WeasyPrint extension.

InDesign's "vertical justification" for a newsletter on a line grid: on every
page whose text is closed (its last article goes on on the next page, or the
next page opens with an article that starts a new page; a document's last page
when the document says so: a page run that ends before an article starting a
new page, see `closes_last_page` in layout/context.py), each column of the page's lowest run
of columns that ends short of its foot has its blocks moved down by whole lines
at the places the HTML marks (`data-vj`, set by layout/context.py
`justify_places`: the page plan's places and caps), until it reaches its foot
or the places are used up: first a line at each block place (above a subhead,
around a table, list, quote, rule or photo, above an article's foot, between
two articles of a flow), then a second, a third, each up to its cap; between
two paragraphs last, one line at most. The typesetter decides nothing
editorial: where and how much come from the markers.

Nothing moves across a column or a page, and nothing is laid out again: the
boxes of the column below a place are translated (`Box.translate`), before the
pages become `Page`s, so anchors, links and the PDF follow. No place at the top
of a column (the space would open it). When fewer lines than places are to
give, they go to places spread evenly down the column.

What each column got is kept on the page box (column_fill.GIVEN: the column's
left edge in CSS px → lines; GROWN: how much lower the flow ends), for the page
plan (its slack is the text's, not the justification's), the photo guard and
a page run's foot (typeset/column_fill.py).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from weasyprint import document as document_module
from weasyprint.css import AnonymousStyle
from weasyprint.formatting_structure import boxes
from weasyprint.layout.background import layout_box_backgrounds

from bulletin_press.typeset.column_fill import GIVEN, GROWN
from bulletin_press.typeset.ext.grid_columns import line_pitch
from bulletin_press.typeset.gate import replace

_original = document_module.layout_document
CLOSES = "data-closes-last-page"  # on <body>: the document's last page is filled too
MARK = "data-vj"  # on a block: "b2" (a block place, 2 lines at most), "p1" (paragraphs)
_DRAWN = (boxes.LineBox, boxes.ReplacedBox)


@dataclass
class Place:
    box: Any  # the block the lines go above
    group: str  # "b" (blocks, filled first) or "p" (between paragraphs)
    most: int
    lines: int = 0


def layout_document(html: Any, root_box: Any, context: Any, max_loops: int = 8
                    ) -> Iterator[Any]:
    pages = list(_original(html, root_box, context, max_loops))
    body = html.etree_element.find("body")
    closes = body is not None and body.get(CLOSES) is not None
    pitch = line_pitch(root_box.style)
    for number, page in enumerate(pages, start=1):
        if pitch is not None and (closes if number == len(pages) else
                                  _closed(page, pages[number])):
            justify_page(page, pitch, context.get_image_from_uri)
        yield page


def _first_article(page: Any) -> Any | None:
    """The first `<article>` box in a page's flow."""
    for box in getattr(page, "children", ()):
        if not _in_flow(box):
            continue
        if box.element_tag == "article":
            return box
        found = _first_article(box)
        if found is not None:
            return found
    return None


def _last_article(page: Any) -> Any | None:
    found = None
    for box in getattr(page, "children", ()):
        if _in_flow(box) and not isinstance(box, boxes.LineBox):
            found = box if box.element_tag == "article" else (_last_article(box) or found)
    return found


def _closed(page: Any, following: Any) -> bool:
    """Whether a page's text is closed: its last article goes on on the next page,
    or the next page opens with an article that starts a new page. Not when its
    last article ends on it and the next one, which flows on, was put on the next
    page (its head did not fit): then the text before could flow on to it, as a
    page run inside flowing text leaves it (runs/plan.py); the page plan spreads it."""
    last, first = _last_article(page), _first_article(following)
    if last is None or first is None:
        return True
    if first.element is last.element:
        return True
    return "start-new-page" in (first.element.get("class") or "").split()


def justify_page(page: Any, pitch: float, get_image_from_uri: Any) -> dict[float, int]:
    """Fill the short columns of the lowest run of columns on a page (a page box);
    returns what each column got, also kept on the page box. Backgrounds were laid
    out where the boxes were: laid out again for what moved."""
    given: dict[float, int] = {}
    grown = 0.0
    found = _lowest_columns(page)
    if found is not None:
        path, container = found
        foot = page.content_box_y() + page.height - sum(
            box.padding_bottom + box.border_bottom_width for box in [*path[1:], container])
        before = _bottom(container)
        columns = [c for c in container.children if getattr(c, "is_column", False)]
        # First the places across the page, above the article and under its
        # headline, as far as every column is short: all its columns move down.
        shorts = [_short(column, foot, pitch) for column in columns]
        across = _places_across(page, path, container)
        if shorts and min(shorts) > 0 and across:
            share(across, min(shorts))
            for place in across:
                if place.lines:
                    place.box.translate(0, place.lines * pitch)
            moved = sum(place.lines for place in across)
            for column in columns:
                given[column.position_x] = moved
        for column in columns:
            lines = _justify_column(column, foot, pitch)
            if lines:
                given[column.position_x] = given.get(column.position_x, 0) + lines
        if before > -math.inf:
            grown = _bottom(container) - before
        if grown > 0:
            # The boxes holding the columns end lower by as much (a notice's frame).
            for box in [*path[1:], container]:
                box.height += grown
        if given:
            article = path[-1]
            moved = article if article.element_tag not in ("html", "body") else container
            layout_box_backgrounds(page, moved, get_image_from_uri)
    setattr(page, GIVEN, given)
    setattr(page, GROWN, max(0.0, grown))
    return given


def _in_flow(box: Any) -> bool:
    return not isinstance(box, boxes.MarginBox) and \
        box.style["position"] not in ("absolute", "fixed") and box.style["float"] == "none"


def _columns_of(box: Any) -> bool:
    children = getattr(box, "children", ())
    return any(getattr(child, "is_column", False) for child in children)


def _lowest_columns(page: Any) -> tuple[list[Any], Any] | None:
    """The last box of columns in the page's flow, with the boxes from the page
    down to it, if nothing in the flow comes after it on the page."""
    last: tuple[list[Any], Any] | None = None
    after = False

    def walk(box: Any, path: list[Any]) -> None:
        nonlocal last, after
        for child in getattr(box, "children", ()):
            if not _in_flow(child) or isinstance(child, boxes.LineBox):
                if isinstance(child, boxes.LineBox) and last is not None:
                    after = True
                continue
            if _columns_of(child):
                last, after = ([*path, box], child), False
                continue
            if _drawn(child) and last is not None:
                after = True
            walk(child, [*path, box])

    walk(page, [])
    return None if last is None or after else last


def _drawn(box: Any) -> bool:
    """Something a reader sees at this box itself (not its children): a line, an
    image, a rule or a tint."""
    return isinstance(box, _DRAWN) or box.border_top_width > 0 or \
        box.border_bottom_width > 0 or box.style["background_color"].alpha > 0


def _bottom(box: Any) -> float:
    """The foot of the lowest line, image or frame in `box`, in px."""
    lowest = -math.inf
    for child in getattr(box, "children", ()):
        if not _in_flow(child):
            continue
        if _drawn(child):
            lowest = max(lowest, child.border_box_y() + child.border_height())
        if not isinstance(child, boxes.LineBox):
            lowest = max(lowest, _bottom(child))
    return lowest


def _mark(box: Any) -> tuple[str, int] | None:
    """A block's place marker, if it has its own (not an anonymous box's or a
    pseudo-element's, which share their element)."""
    if getattr(box, "is_table_wrapper", False):
        box = box.get_wrapped_table()
    element = getattr(box, "element", None)
    if element is None or isinstance(box.style, AnonymousStyle) or \
            box.element_tag != element.tag:
        return None
    value = element.get(MARK)
    if not value or value[0] not in "bp" or not value[1:].isdigit():
        return None
    return value[0], int(value[1:])


def _places(column: Any) -> list[Place]:
    """The column's places in order: above an article's section or one of its
    blocks, once something is drawn above it in the column (none at its top)."""
    found: list[Place] = []
    seen = False
    for section in column.children:
        mark = _mark(section)
        if mark is not None and seen:
            found.append(Place(section, *mark))
        for child in getattr(section, "children", ()):
            mark = _mark(child)
            if mark is not None and seen:
                found.append(Place(child, *mark))
            seen = seen or _bottom_of(child) > -math.inf
        seen = seen or _bottom_of(section) > -math.inf
    return found


def _bottom_of(box: Any) -> float:
    """`_bottom` of a box with the box itself."""
    own = box.border_box_y() + box.border_height() if _drawn(box) else -math.inf
    return max(own, _bottom(box))


def _places_across(page: Any, path: list[Any], container: Any) -> list[Place]:
    """The places above the lowest columns' article (when something is drawn above
    it on the page) and under its headline (when the headline is on the page)."""
    found: list[Place] = []
    article = path[-1] if len(path) > 1 else None
    top = page.content_box_y() + 0.5
    if article is None:
        return []
    mark = _mark(article)
    if mark is not None and article.border_box_y() > top:
        found.append(Place(article, *mark))
    mark = _mark(container)
    flowing = [c for c in getattr(article, "children", ()) if _in_flow(c)]
    if mark is not None and flowing and flowing[0] is not container:
        found.append(Place(container, *mark))
    return found


def _short(column: Any, foot: float, pitch: float) -> int:
    """Whole lines between a column's lowest drawn box and its foot."""
    bottom = _bottom(column)
    if bottom == -math.inf:
        return 0
    return math.floor((foot - bottom) / pitch + 0.05)


def _justify_column(column: Any, foot: float, pitch: float) -> int:
    short = _short(column, foot, pitch)
    if short <= 0:
        return 0
    places = _places(column)
    left = share(places, short)
    lines = short - left
    if lines:
        _move(column, {id(p.box): p.lines for p in places if p.lines}, pitch)
    return lines


def share(places: list[Place], amount: int) -> int:
    """`amount` lines given to `places`: blocks first, a line at each, then a
    second and a third up to their caps, then between paragraphs; in a round
    with fewer lines than places, places spread evenly. Returns what is left."""
    left = amount
    for group in ("b", "p"):
        members = [p for p in places if p.group == group]
        for level in range(1, max((p.most for p in members), default=0) + 1):
            open_ = [p for p in members if p.lines < min(level, p.most)]
            if not open_ or left <= 0:
                continue
            chosen = open_ if left >= len(open_) else \
                [open_[math.floor((k + 0.5) * len(open_) / left)] for k in range(left)]
            for place in chosen:
                place.lines += 1
                left -= 1
    return left


def _move(column: Any, lines: dict[int, int], pitch: float) -> None:
    """Translate the column's boxes below each place by its lines; a section that
    holds places grows by what went inside it."""
    offset = 0.0
    for section in column.children:
        offset += lines.get(id(section), 0) * pitch
        if offset:
            section.translate(0, offset)
        inner = 0.0
        for child in getattr(section, "children", ()):
            inner += lines.get(id(child), 0) * pitch
            if inner:
                child.translate(0, inner)
        if inner:
            section.height += inner
            offset += inner


def install() -> None:
    replace("vertical_justify", document_module, "layout_document", layout_document)
