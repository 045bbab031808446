"""Contents entries computed again after each pass, so that their page is laid
out again only when what they show changed: a contained WeasyPrint extension.

A contents entry's `target-counter(attr(href), page)` needs the page of an
article that comes after it. WeasyPrint 70 lays the document out, lays the
entry's page out again, and only after that second layout computes the entry
again: its cached page counters differ from the page's (`pages` was 0 during
the first pass and is the page count now; WeasyPrint's comment on that check:
"Is the item at all interested in the new page_counter_values? It probably is
and this check is a brake"), so the page is laid out a third time, now with
the right numbers. And when the right numbers push an article onto the next
page, nothing computes the entries again: the contents shows the old page.

Here, at the end of each pass, every entry is computed again with what the
pass found (the targets' pages, the page count) and cached as such, and its
page is marked to be laid out again if what it shows changed, so another
pass follows. The page holding the contents is laid out twice, with the right
numbers the second time, and entries whose article moved are corrected.
Documents whose content shows `pages` (counter(pages) outside the margin
boxes) are left to WeasyPrint as they were. Measured: one layout fewer of
page 1 (masthead, contents, two columns), ~25 ms of a print build's first run
and of every one-document build.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from weasyprint import layout as layout_module
from weasyprint.layout import page as page_module

from bulletin_press.typeset.gate import replace

_original = page_module.make_all_pages


def _shows_page_count(collector: Any) -> bool:
    for lookup in collector.counter_lookup_items.values():
        if "pages" in lookup.missing_counters or any(
                "pages" in counters for counters in lookup.missing_target_counters.values()):
            return True
    return False


def _shown(box: Any) -> tuple[Any, ...]:
    """What a box shows, to tell whether computing it again changed it."""
    children = getattr(box, "children", None)
    return (type(box).__name__, getattr(box, "text", None),
            None if children is None else tuple(_shown(child) for child in children))


def resolve_after_pass(context: Any, page_count: int) -> None:
    """The contents entries computed again with what the pass found."""
    collector = context.target_collector
    if _shows_page_count(collector):
        return
    count = [page_count]
    for (parent_box, css_token), lookup in collector.counter_lookup_items.items():
        cached = lookup.cached_page_counter_values
        index = lookup.page_maker_index
        if css_token != "content" or not cached or index is None \
                or index >= len(context.page_maker):
            continue  # not laid out in the last pass: it will be computed when it is
        values = {**cached, "pages": list(count)}
        before = _shown(parent_box)
        lookup.parse_again(values)
        lookup.cached_page_counter_values = values
        if _shown(parent_box) != before:
            context.page_maker[index][-1]["content_changed"] = True
    for item in collector.target_lookup_items.values():
        if item.cached_page_counter_values:
            item.cached_page_counter_values["pages"] = list(count)


def make_all_pages(context: Any, root_box: Any, html: Any, pages: list[Any]) -> Iterator[Any]:
    """One pass (layout_document takes every page, then looks at what is marked)."""
    count = 0
    for page in _original(context, root_box, html, pages):
        count += 1
        yield page
    resolve_after_pass(context, count)


def install() -> None:
    replace("target_counters", layout_module, "make_all_pages", make_all_pages)  # by name
