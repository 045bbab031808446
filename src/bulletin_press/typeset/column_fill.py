"""How full each column of a typeset page is: what the page plan measures.

For each page, the lines used in each column, counted from the top of the text
area to the foot of the lowest visible line or image that reaches into the
column (a headline or photo across the page reaches into every column). Margin
boxes and absolutely placed boxes (the colophon at the foot of the last page)
are not text: they are left out. Cost: a walk over the page's boxes, ~1 ms a
page.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

PX_TO_PT = 0.75  # WeasyPrint's boxes are in CSS pixels
_DRAWN = {"LineBox", "BlockReplacedBox", "InlineReplacedBox"}


def _bottoms(box: Any, found: list[tuple[float, float, float]]) -> None:
    """(left, right, bottom) in pt of each visible line and image under `box`."""
    name = type(box).__name__
    if name == "MarginBox" or (name != "PageBox"
                               and box.style["position"] in ("absolute", "fixed")):
        return
    if name in _DRAWN and box.style["visibility"] == "visible":
        found.append((box.position_x * PX_TO_PT, (box.position_x + box.width) * PX_TO_PT,
                      (box.position_y + box.height) * PX_TO_PT))
        if name == "LineBox":
            return  # what a line holds ends with it
    for child in getattr(box, "children", ()):
        _bottoms(child, found)


def page_fill(page: Any, columns: int, column_width: float, gap: float,
              line: float) -> list[int]:
    """Lines used in each of the `columns` of a WeasyPrint page (lengths in pt)."""
    box = page._page_box
    found: list[tuple[float, float, float]] = []
    _bottoms(box, found)
    top = box.content_box_y() * PX_TO_PT
    left = box.content_box_x() * PX_TO_PT
    fill = []
    for column in range(columns):
        x0 = left + column * (column_width + gap)
        lowest = max((bottom for a, b, bottom in found
                      if a < x0 + column_width - 1 and b > x0 + 1 and bottom > top + 0.5),
                     default=top)
        # A line's foot may sit a hair above the grid line (rounding): whole lines up.
        fill.append(max(0, math.ceil((lowest - top) / line - 0.05)))
    return fill


def document_fill(pages: list[Any], columns: int, column_width: float, gap: float,
                  line: float) -> list[list[int]]:
    return [page_fill(page, columns, column_width, gap, line) for page in pages]


# Set on a page box by typeset/ext/vertical_justify.py: {column's left edge (CSS px):
# lines it added}, and how much lower (CSS px) the page's flow ends for it.
GIVEN, GROWN = "bp_justified", "bp_justified_grown"


def page_give(page: Any, columns: int, column_width: float, gap: float) -> list[int]:
    """Lines the vertical justification added to each of the `columns` of a
    WeasyPrint page (lengths in pt): drawn, but not the text's."""
    box = page._page_box
    given: dict[float, int] = getattr(box, GIVEN, {})
    left = box.content_box_x() * PX_TO_PT
    give = []
    for column in range(columns):
        x0 = left + column * (column_width + gap)
        give.append(sum(lines for x, lines in given.items()
                        if x0 - 1 <= x * PX_TO_PT < x0 + column_width))
    return give


def document_give(pages: list[Any], columns: int, column_width: float, gap: float
                  ) -> list[list[int]]:
    return [page_give(page, columns, column_width, gap) for page in pages]


def _find(box: Any, css_class: str) -> Any | None:
    element = getattr(box, "element", None)
    if element is not None and css_class in (element.get("class") or "").split():
        return box
    for child in getattr(box, "children", ()):
        found = _find(child, css_class)
        if found is not None:
            return found
    return None


def room_lines(page: Any, css_class: str, line: float) -> int | None:
    """Body lines the first box of `css_class` on a page takes, its margins
    included (the colophon's hidden copy: the room the text leaves it)."""
    box = _find(page._page_box, css_class)
    if box is None:
        return None
    height: float = box.margin_height() * PX_TO_PT
    return math.ceil(height / line - 0.05)


def _in_flow(box: Any) -> list[Any]:
    """The children of `box` laid out in the flow (not absolutely placed)."""
    return [child for child in getattr(box, "children", ())
            if child.style["position"] not in ("absolute", "fixed")]


def _body_blocks(page: Any) -> list[Any]:
    """The blocks in the flow of a page's body (html > body > these)."""
    box = page._page_box
    body = box.children[0].children[0] if box.children and box.children[0].children else None
    return _in_flow(body)


def page_foot(page: Any) -> float:
    """The foot of the last box in the flow of a page's body, in CSS px below the
    top of its text area: where the text of a next document would go on (a page
    run inside flowing text, runs/plan.py)."""
    box = page._page_box
    flowing = _body_blocks(page)
    if not flowing:
        return 0.0
    last = flowing[-1]
    return float(last.border_box_y() + last.border_height() - box.content_box_y()
                 - getattr(box, GROWN, 0.0))


def truncated_pages(pages: list[Any]) -> set[int]:
    """The pages (1-based) where a box that begins there had its top margin truncated
    to 0 (WeasyPrint truncates a margin at an unforced break, on pages after the first
    only: a subhead at a column's top). A document resumed at such a page (runs/plan.py
    `resumed_flows`) would keep that margin on its first page: not the same page."""
    seen: set[int] = set()
    found: set[int] = set()

    def walk(box: Any, number: int, here: set[int]) -> None:
        if type(box).__name__ == "MarginBox":
            return
        element = getattr(box, "element", None)
        if element is not None and type(box).__name__ != "LineBox":
            key = id(element)
            if key not in seen:
                here.add(key)
                margin = box.style["margin_top"]
                if getattr(margin, "value", 0) != 0 and box.margin_top == 0:
                    found.add(number)
        for child in getattr(box, "children", ()):
            walk(child, number, here)

    for number, page in enumerate(pages, start=1):
        here: set[int] = set()
        walk(page._page_box, number, here)
        seen |= here
    return found


def page_tops(pages: list[Any], truncated: set[int] | None = None
              ) -> dict[int, tuple[list[str], str]]:
    """`TypesetRun.tops` (runs/worker.py): from the second page on, a page whose
    first box, down to its first line, is a paragraph at the text area's top and
    that line its first (indented: a paragraph an earlier page went on with has no
    indent); not a page with a margin truncated (`truncated_pages`)."""
    return {number: (ids, "".join(element.itertext()))
            for number, ids, element, line, _ in _first_lines(pages, truncated)
            if getattr(line, "text_indent", 0) > 0}


def page_cuts(pages: list[Any], truncated: set[int] | None = None
              ) -> dict[int, tuple[list[str], str, str]]:
    """`TypesetRun.cuts` (runs/worker.py): from the second page on, a page whose first
    box, down to its first line, is a plain paragraph (no class) at the text area's top
    that an earlier page began (its line not indented): the ids of the elements
    holding it, the paragraph's text and that line's, when the paragraph has another
    line on the page (so that line is not its last: line_fit.py judges a last line
    with the one above it); not a page with a margin truncated (`truncated_pages`)."""
    return {number: (ids, "".join(element.itertext()), "".join(_texts(line)))
            for number, ids, element, line, lines in _first_lines(pages, truncated)
            if not element.get("class") and getattr(line, "text_indent", 0) == 0
            and lines > 1}


def _first_lines(pages: list[Any], truncated: set[int] | None
                 ) -> Iterator[tuple[int, list[str], Any, Any, int]]:
    """From the second page on, each page (not one with a margin truncated) whose
    first box, down to its first line, is a paragraph (`p`) with that line at the text
    area's top: the page number, the ids of the elements holding it, the paragraph's
    element, the line box and how many lines of the paragraph the page holds."""
    truncated = truncated_pages(pages) if truncated is None else truncated
    for number, page in enumerate(pages[1:], start=2):
        if number in truncated:
            continue
        box = page._page_box
        top = box.content_box_y()
        ids: list[str] = []
        while getattr(box, "children", None):
            flowing = _in_flow(box)
            if not flowing:
                break
            parent, box = box, flowing[0]
            element = getattr(box, "element", None)
            if element is not None and element.get("id"):
                ids.append(element.get("id"))
            if type(box).__name__ == "LineBox":
                element = getattr(parent, "element", None)
                if element is not None and element.tag == "p" and \
                        abs(box.position_y - top) < 0.5:
                    lines = sum(type(child).__name__ == "LineBox" for child in flowing)
                    yield number, ids, element, box, lines
                break


def _texts(box: Any) -> list[str]:
    """The text of the text boxes under `box`, in order."""
    if type(box).__name__ == "TextBox":
        return [box.text]
    return [text for child in getattr(box, "children", ()) for text in _texts(child)]


def article_feet(pages: list[Any]) -> dict[str, tuple[int, float]]:
    """`TypesetRun.feet` (runs/worker.py): measured as `page_foot` measures a page's foot,
    at the box before each article that begins on a page (its previous page's
    foot when it begins at the top)."""
    feet: dict[str, tuple[int, float]] = {}
    for number, page in enumerate(pages, start=1):
        box = page._page_box
        flowing = _body_blocks(page)
        for index, child in enumerate(flowing):
            element = getattr(child, "element", None)
            anchor = element.get("id") if element is not None else None
            if not anchor or anchor in feet or getattr(child, "is_continuation", False):
                continue
            if index:
                last = flowing[index - 1]
                feet[anchor] = (number, float(last.border_box_y() + last.border_height()
                                              - box.content_box_y()))
            elif number > 1:
                feet[anchor] = (number - 1, page_foot(pages[number - 2]))
    return feet
