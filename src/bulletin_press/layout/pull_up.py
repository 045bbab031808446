"""A new-page article started in the hole before it (issue 18: no holes).

An article with `start: new-page` opens a page. When the page before it would
end with a column more than SLACK lines short of its foot, and the plan's other
means cannot fill it (the page's photos and spaces, `page_plan.knobs`, and lines
between its blocks up to their most, `page_plan.gaps_on`), the make-up
answer is to start the article there: right under the article before, with the
usual blank line between articles and its headline across the page, provided
the headline and at least PULL_LINES lines of its text fit under the longer
column, and that column is more than half full (a page holding only a short tail
of the article before, or one article per page, is the editor's layout).
Otherwise it keeps its page and the check names the hole.
`start: new-page-always` keeps the new page whatever the hole.

Only a story is pulled up: a notice or a box is set whole, so a few lines of
it never fit a hole where its whole height does not. Nor an article with a jump
of its own (`continue_on`): where it is cut is measured on the page it starts on.

With `pages: N` the plan needs its N pages: an article is pulled up only while
the issue, measured, runs over them (the pull-up takes back lines the plan
would otherwise have to cut), and a pull-up after which it ends short of them
is undone. An issue within its planned pages keeps its new-page articles where
they are, and the check names the holes. Jump lines need nothing: their page numbers are read
from where the anchors land, after a pull-up as after any other change.

A pull-up moves the text up to the next article that opens a page by the hole
it fills: the hole before that one is judged in the same round as it will be
(a line to spare), not in a round of its own. A pull-up whose headline the
typesetter still moved on (the keep guard) is undone, not tried again.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass

from bulletin_press.layout.context import ArticleContext
from bulletin_press.layout.page_plan import (
    SLACK,
    Flow,
    Knob,
    Measure,
    PagePlan,
    Pull,
    gaps_on,
    heading_photo,
    knob_page,
    knob_value,
    natural,
    photo_to_fit,
    spread_amount,
)

PULL_LINES = 3  # lines of its text an article pulled up has under its headline at least


@dataclass(frozen=True)
class Pulls:
    """The plan's pull-ups after a round, and the ones undone (`failed_key`)."""

    pulled: dict[str, Pull]
    failed: set[str]


def failed_key(article_id: str) -> str:
    """The key of a pull-up that did not hold, among the means a plan has spent."""
    return f"pull-{article_id}"


def pulls(flows: list[Flow], measure: Measure, heads: Mapping[str, float], plan: PagePlan,
          means: list[Knob], spent: set[str], lines: int, columns: int,
          target: int | None) -> Pulls:
    """The articles to start under the article before them after this round
    (`flows`: as typeset; `heads`: each flow's head in lines, headline to text, on
    its page; `means`, `spent`: the plan's; `target`: the planned pages)."""
    pulled = dict(plan.pulled)
    failed: set[str] = set()
    text = natural(measure)  # the text's own lines, without the vertical justification's
    for index, flow in enumerate(flows):
        lead = flow[0]
        pull = pulled.get(lead["id"])
        if pull is None or index == 0:
            continue
        if pushed(flows[index - 1], lead, measure, lines) or (
                pull.fresh and target is not None and len(measure.fills) < target):
            # Its headline went on all the same; or the planned pages needed the page
            # it freed.
            del pulled[lead["id"]]
            failed.add(failed_key(lead["id"]))
        elif pull.fresh:
            pulled[lead["id"]] = dataclasses.replace(pull, fresh=False)
    if failed or (target is not None and len(measure.fills) <= target):
        # Undone: the next round measures the pages without it. With pages planned
        # and the issue within them, the page a pull-up frees is needed.
        return Pulls(pulled, failed)
    moving = 0  # column lines the text before this flow moves up by this round's pull-ups
    for index, flow in enumerate(flows):
        lead = flow[0]
        if index == 0 or lead["start"] != "new-page":
            continue
        moved, moving = moving, 0
        if not lead["may_pull_up"] or lead["continued"] or lead["continue_on"] or \
                lead["kind"] != "story" or \
                lead["id"] in pulled or failed_key(lead["id"]) in spent | failed:
            continue
        at = measure.pages.get(lead["anchor"])
        head = heads.get(lead["anchor"])
        if at is None or at < 2 or head is None:
            continue
        page = at - 1
        # The page before it as measured; after a pull-up before it in this round,
        # as it will be (its text moved up by the hole that one fills), with a line
        # to spare for the guess: a wrong one is undone once measured (`pushed`).
        fill = text[page - 1] if not moved else _moved_up(text, page, moved, lines, columns)
        if fill is None:
            continue
        empty = sum(lines - used for used in fill)
        if max(fill) <= lines // 2 + 1 or max(lines - used for used in fill) <= SLACK:
            # No hole; or a page not even half full: a short tail of the article
            # before (or a page per notice) is the editor's layout, the check names it.
            continue
        # Under the longer column: a blank line, the headline, its first lines (and a
        # photo heading its column before them: a photo is not split).
        # The photo may be made smaller for it (within 75 %: page_plan.photo_to_fit).
        needed = 1 + math.ceil(head - 0.01) + PULL_LINES + (1 if moved else 0)
        photo = heading_photo(lead)
        photo_lines = photo_to_fit(photo, means, lines - max(fill) - needed)
        if photo_lines is None:
            continue
        own = sum((k.most - knob_value(plan, k)) * k.weight for k in means
                  if knob_page(k, measure) == page and k.key not in spent)
        spreads = sum(gap.most * gap.weight
                      for gap in gaps_on(flows, measure, page, lines, columns))
        if own + spreads >= spread_amount(fill, lines, columns):
            continue  # its own photos and spaces, and lines between its blocks, fill it
        smaller = photo is not None and photo_lines != photo["image_lines"]
        pulled[lead["id"]] = Pull(max(lines - used for used in fill), empty, photo=(
            (photo["anchor"], photo_lines) if smaller and photo is not None else None))
        moving = empty - columns  # its hole, less the blank line above it
    return Pulls(pulled, failed)


def pushed(before: Flow, article: ArticleContext, measure: Measure, lines: int) -> bool:
    """A pulled-up article that the typesetter still moved on to the next page
    (its headline and first lines did not fit: the keep guard): it stands on a
    later page than the flow before it, and the page before it still has a hole."""
    at = measure.pages.get(article["anchor"])
    if at is None or at < 2 or any(measure.pages.get(a["anchor"], 0) >= at for a in before):
        return False
    return max(lines - used for used in natural(measure)[at - 2]) > SLACK


def _moved_up(fills: list[list[int]], page: int, moved: int, lines: int, columns: int
              ) -> list[int] | None:
    """The fill of `page`, the last of a text that moves up by `moved` column lines
    (its columns balanced); when it empties, of the page before, where the text
    then ends (None: further back, not guessed)."""
    used = sum(fills[page - 1]) - moved
    if used <= 0 and page >= 2:
        used += sum(fills[page - 2])
    if used <= 0:
        return None
    return [min(lines, -(-used // columns))] * columns
