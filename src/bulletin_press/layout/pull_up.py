"""A new-page article started in the hole before it (issue 18: no holes).

An article with `start: new-page` opens a page. When the page before it would
end with a column more than SLACK lines short of its foot, and the plan's other
means cannot fill it (the page's photos and spaces, `page_plan.knobs`, and lines
between its blocks up to their most, `page_plan.gaps_on`), the make-up
answer is to start the article there: right under the article before, with the
usual blank line between articles and its headline across the page, provided
the headline and at least PULL_LINES lines of its text fit under the longer
column, and that column is more than half full (a page holding only a short tail
of the article before, or one article per page, is the editor's layout; not when
the issue runs over its planned pages: the count asked for comes first).
When the issue runs over its planned pages and the photo heading the story does
not fit the hole even at 75 %, the photo is set lower in the story instead (a
make-up person's answer: `_lowered`), unless the editor wrote its `placement: top`.
Otherwise it keeps its page and the check names the hole.
`start: new-page-always` keeps the new page whatever the hole.

A story is pulled up, and a notice across the page whose whole height, as
measured on the page it opens (`wholes`), fits under the longer column with
the blank line above it: a notice is set whole, so a few lines of it never fit
a hole where its whole height does not (a box never: it is set in a column).
Not an article with a jump of its own (`continue_on`): where it is cut is
measured on the page it starts on.

Which of the articles that may be pulled up are, is decided once, in the page
plan's first round, from its measure (`choose`): a pull-up moves its article
and the text after it up to the next article that opens a page by the room it
takes, on the line grid, so every set of pull-ups is predicted (the hole before
a later article as it will be, a line to spare), and the set kept is:
- first, the one with the page count a stapled booklet needs (a sheet folded
  is 4 pages): an issue of 16 pages stays 16 (or would reach 12), one of 17 is
  welcome to reach 16; the fewest blank pages to a multiple of 4. A count that
  hangs on a last page predicted with fewer than GUESS_LINES lines a column is
  not trusted where a page less would be worse. With `pages: N` the plan needs
  its N pages: pull-ups only while the issue runs over them (they take back
  lines the plan would otherwise cut), the fewest pages over N and never fewer;
- then the one that leaves the least in holes (a column's empty lines squared:
  a half-empty page is worse than two short columns). A pull-up that only moves
  a hole on to the page before the next new-page article is not made: the hole
  is as large there;
- then the fewest pull-ups.
Holes left are named by the check. The rounds after only check the pull-ups: one
whose headline the typesetter still moved on (the keep guard), or after which
the issue lost the page count it was chosen for, is undone, not tried again.
Jump lines need nothing: their page numbers are read from where the anchors
land, after a pull-up as after any other change.
"""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from bulletin_press.layout.booklet import blank_pages_needed as _blanks
from bulletin_press.layout.context import ArticleContext, FigureContext
from bulletin_press.layout.page_plan import (
    SLACK,
    SPILL,
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
from bulletin_press.layout.pushed_photo import remedy

_DEBUG = bool(os.environ.get("BP_PLAN_DEBUG"))
PULL_LINES = 3  # lines of its text an article pulled up has under its headline at least


@dataclass(frozen=True)
class Pulls:
    """The plan's pull-ups after a round, the ones undone (`failed_key`), and the
    articles that could have started in the hole before them and keep their pages
    (decided this round)."""

    pulled: dict[str, Pull]
    failed: set[str]
    kept: list[Kept] = field(default_factory=list)


def failed_key(article_id: str) -> str:
    """The key of a pull-up that did not hold, among the means a plan has spent."""
    return f"pull-{article_id}"


def pulls(flows: list[Flow], measure: Measure, heads: Mapping[str, float], plan: PagePlan,
          means: list[Knob], spent: set[str], lines: int, columns: int,
          target: int | None, decide: bool = True, natural_pages: int | None = None,
          wholes: Mapping[str, float] | None = None, column_chars: int = 0) -> Pulls:
    """The articles to start under the article before them after this round
    (`flows`: as typeset; `heads`: each flow's head in lines, headline to text, on
    its page; `means`, `spent`: the plan's; `target`: the planned pages). The
    pull-ups the last round made are checked; with `decide`, new ones are chosen
    (`choose`): all at once, from this round's measure (the page plan decides in
    its first round only, so that a pull-up is a round of its own no more;
    `natural_pages`: the page count they were chosen on; `wholes`: the height of
    each notice that opens a page, set whole, in lines; `column_chars`: body
    characters a column line holds, to set a heading photo lower: `_lowered`)."""
    pulled = dict(plan.pulled)
    failed: set[str] = set()
    for index, flow in enumerate(flows):
        lead = flow[0]
        pull = pulled.get(lead["id"])
        if pull is None or index == 0:
            continue
        if pushed(flows[index - 1], lead, measure, lines) or (
                pull.fresh and not _count_kept(len(measure.fills), natural_pages, target)):
            # Its headline went on all the same; or the pages it was chosen to keep
            # (a stapled booklet's multiple of 4, the planned pages) were lost.
            del pulled[lead["id"]]
            failed.add(failed_key(lead["id"]))
        elif pull.fresh:
            pulled[lead["id"]] = dataclasses.replace(pull, fresh=False)
    if failed or not decide or (target is not None and len(measure.fills) <= target):
        # Undone: the next round measures the pages without it. With pages planned
        # and the issue within them, the page a pull-up frees is needed.
        return Pulls(pulled, failed)
    chosen = choose(flows, measure, heads, plan, means, spent | failed, lines, columns, target,
                    wholes or {}, column_chars)
    pulled.update(chosen.pulled)
    return Pulls(pulled, failed, chosen.kept)


def _count_kept(pages: int, natural: int | None, target: int | None) -> bool:
    """Whether `pages` measured after pull-ups chosen on an issue of `natural`
    pages is a count they were allowed to reach (`_blanks`): not fewer than
    planned; without a plan, no more blank pages for stapling than before."""
    if target is not None:
        return pages >= target
    if natural is None:
        return True
    return pages == natural or _blanks(pages) < _blanks(natural) or _blanks(pages) == 0


@dataclass(frozen=True)
class _Boundary:
    """An article that opens a page, the pages its text runs to (as measured), and
    what the page before it can fill by its own means (column lines)."""

    lead: ArticleContext
    first: int  # the page it opens
    last: int  # the last page of its text (the page before the next boundary)
    means: int = 0


@dataclass(frozen=True)
class _Path:
    """The issue predicted up to a boundary: the pull-ups chosen so far, the holes
    left before the boundaries not pulled up (`_hole`), the page count so far and
    the fill of its last page."""

    pulls: tuple[tuple[str, Pull], ...]
    holes: int
    page: int
    fill: tuple[int, ...]


@dataclass(frozen=True)
class Kept:
    """An article that could have started in the hole before it and keeps its new
    page: its pull-up would have given the issue `pages` pages (a stapled booklet's
    count lost), or (`pages` None) only moved the hole to page `to`."""

    article: str  # its id
    before: int  # the page whose hole stays
    pages: int | None
    to: int


@dataclass(frozen=True)
class Choice:
    """The pull-ups chosen at once (`choose`), and the articles that keep their pages."""

    pulled: dict[str, Pull]
    kept: list[Kept]


def _bounds(flows: list[Flow], measure: Measure, plan: PagePlan, means: list[Knob],
            spent: set[str], lines: int, columns: int) -> list[_Boundary]:
    """The articles that open a page after the first, as measured."""
    count = len(measure.fills)
    found: list[_Boundary] = []
    for index, flow in enumerate(flows):
        lead = flow[0]
        at = measure.pages.get(lead["anchor"])
        if index == 0 or lead["start"] != "new-page" or at is None or at < 2 or at > count or \
                (found and at <= found[-1].first):
            continue
        page = at - 1
        own = sum((k.most - knob_value(plan, k)) * k.weight for k in means
                  if knob_page(k, measure) == page and k.key not in spent)
        spreads = sum(gap.most * gap.weight
                      for gap in gaps_on(flows, measure, page, lines, columns))
        found.append(_Boundary(lead, at, at, own + spreads))
    return [dataclasses.replace(b, last=(found[i + 1].first - 1 if i + 1 < len(found)
                                         else count)) for i, b in enumerate(found)]


def _steps(path: _Path, bound: _Boundary, text: list[list[int]], heads: Mapping[str, float],
           spent: set[str], lines: int, columns: int, means: list[Knob], over: bool = False,
           wholes: Mapping[str, float] | None = None, column_chars: int = 0
           ) -> tuple[_Path, _Path | None]:
    """The issue predicted past `bound`: with its article on its new page, and
    started under the text before it (None: it may not be). `over`: the issue runs
    over its planned pages (`_may_pull`)."""
    page = bound.first - 1  # the measured page before it
    pages = bound.last - bound.first + 1
    last = tuple(text[bound.last - 1])
    fill = list(path.fill)
    hole = _hole(fill, lines, bound.means, columns)
    kept = _Path(path.pulls, path.holes + hole, path.page + pages, last)
    fits = None if hole == 0 else _may_pull(
        bound.lead, fill, heads, lines, spent, means,
        moved=path.page != page or fill != text[page - 1], over=over, wholes=wholes,
        columns=columns, column_chars=column_chars)
    if fits is None:
        return kept, None
    # Under the longer column, after a blank line: the room it takes there, by
    # which its text (to the next article that opens a page) moves up.
    room = (lines - max(fill) - 1) * columns
    end = (lines * columns - room) + (pages - 1) * lines * columns + sum(last) - fits.saved
    used = -(-end // (lines * columns))
    tail = end - (used - 1) * lines * columns
    pull = Pull(max(lines - used_ for used_ in fill), sum(lines - used_ for used_ in fill),
                photo=fits.photo, lowered=fits.lowered)
    return kept, _Path((*path.pulls, (bound.lead["id"], pull)), path.holes,
                       path.page + used - 1, _balanced(tail, lines, columns))


def choose(flows: list[Flow], measure: Measure, heads: Mapping[str, float], plan: PagePlan,
           means: list[Knob], spent: set[str], lines: int, columns: int,
           target: int | None, wholes: Mapping[str, float] | None = None,
           column_chars: int = 0) -> Choice:
    """All the pull-ups of the issue, decided at once from one measure: every set
    of them is predicted (a pulled-up article and the text after it up to the next
    article that opens a page move up by the room it takes, on the line grid), and
    the one kept is, first, the one whose page count a stapled booklet needs (the
    fewest blank pages to a multiple of 4; with `pages: N` planned, the fewest
    pages over N and never fewer), then the one with the least left in holes
    (`_hole`: a large hole counts more than small ones), then the fewest pull-ups.
    A pull-up that only moves a hole to a later page is not made: the hole is as
    large there, or larger. With the articles that could have started in a hole
    and keep their pages, and why (`Kept`)."""
    text = natural(measure)
    bounds = _bounds(flows, measure, plan, means, spent, lines, columns)
    if not bounds:
        return Choice({}, [])
    start = _Path((), 0, bounds[0].first - 1, tuple(text[bounds[0].first - 2]))
    paths = [start]
    for bound in bounds:
        nxt: dict[tuple[int, tuple[int, ...]], _Path] = {}
        for path in paths:
            for step in _steps(path, bound, text, heads, spent, lines, columns, means,
                               over=target is not None, wholes=wholes,
                               column_chars=column_chars):
                if step is not None:
                    _keep(nxt, step)
        paths = list(nxt.values())

    def score(path: _Path) -> tuple[int, int, int, int, int]:
        unsure = _unsure(path, target, columns)
        if target is not None:
            return (int(path.page < target), int(unsure), max(0, path.page - target),
                    path.holes, len(path.pulls))
        return (int(unsure), _blanks(path.page), 0, path.holes, len(path.pulls))

    best = min(paths, key=score)
    if _DEBUG:
        print("pull-ups chosen", [(p.page, p.fill, p.holes, [i for i, _ in p.pulls])
                                  for p in sorted(paths, key=score)[:6]])
    chosen = dict(best.pulls)
    kept: list[Kept] = []
    for index, bound in enumerate(bounds):
        if bound.lead["id"] in chosen:
            continue
        # The chosen path with this one pulled up too, if it may be: where its hole
        # would go (the page before the next article that keeps its page), and the
        # page count.
        path, before, to = start, 0, 0
        for later, other in enumerate(bounds):
            stay, pull = _steps(path, other, text, heads, spent, lines, columns, means,
                                over=target is not None, wholes=wholes,
                                column_chars=column_chars)
            if later == index:
                if pull is None:
                    break
                before = path.page
            elif later > index and not to and (other.lead["id"] not in chosen or pull is None):
                to = path.page
            path = pull if pull is not None and (
                later == index or other.lead["id"] in chosen) else stay
        else:
            if path.page != best.page or _unsure(path, target, columns):
                # The count it would give (or might: a page less).
                pages = path.page if path.page != best.page else path.page - 1
                kept.append(Kept(bound.lead["id"], before, pages, path.page))
            else:
                kept.append(Kept(bound.lead["id"], before, None, to or path.page))
    return Choice(chosen, kept)


def _unsure(path: _Path, target: int | None, columns: int) -> bool:
    """A count guessed within a few lines of its last page may be a page less (only
    the pages without pull-ups are sure): not trusted where that page less would
    be worse (fewer than planned; more blank pages for stapling)."""
    if not path.pulls or sum(path.fill) >= GUESS_LINES * columns:
        return False
    if target is not None:
        return path.page - 1 < target
    return _blanks(path.page - 1) > _blanks(path.page)


def _keep(paths: dict[tuple[int, tuple[int, ...]], _Path], path: _Path) -> None:
    """Of the paths that reach the same page with the same fill (the same issue
    from there on), the one with the least in holes, then the fewest pull-ups."""
    key = (path.page, path.fill)
    best = paths.get(key)
    if best is None or (path.holes, len(path.pulls)) < (best.holes, len(best.pulls)):
        paths[key] = path


GUESS_LINES = 3  # lines a column a predicted last page holds at least to count as sure


def _balanced(total: int, lines: int, columns: int) -> tuple[int, ...]:
    """A last page's columns holding `total` column lines, balanced."""
    return tuple(min(lines, (total + columns - 1 - i) // columns) for i in range(columns))


def _hole(fill: list[int], lines: int, means: int, columns: int) -> int:
    """How bad the hole is that a page ending before an article that opens the
    next leaves: each column's empty lines squared (a column 20 lines short is
    worse than two 10 lines short: a page half empty is what a reader sees); 0
    when no column ends more than SLACK lines short of its foot, or its own means
    and the lines between its blocks fill it."""
    short = [lines - used for used in fill if lines - used > SLACK]
    if not short or means >= spread_amount(fill, lines, columns):
        return 0
    return sum(empty * empty for empty in short)


@dataclass(frozen=True)
class _Fits:
    """How a pulled-up article fits the hole: the photo heading its first column
    made smaller for it (its anchor and image lines; None: as typeset) and the
    column lines that saves."""

    photo: tuple[str, int] | None = None
    saved: int = 0
    lowered: tuple[str, int] | None = None  # (Pull.lowered)


def _may_pull(lead: ArticleContext, fill: list[int], heads: Mapping[str, float], lines: int,
              spent: set[str], means: list[Knob], moved: bool, over: bool = False,
              wholes: Mapping[str, float] | None = None, columns: int = 2,
              column_chars: int = 0) -> _Fits | None:
    """Whether an article that opens a page may start under the text of the page
    before (`fill`): a story (not a notice, a box, a jump's part) whose new page is
    not kept (`new-page-always`), whose head was measured, on a page more than half
    full with room for a blank line, its head, a photo heading its first column
    (made smaller within 75 % if need be: page_plan.photo_to_fit) and PULL_LINES
    lines of its text (a line more when that page is itself predicted). A page
    less than half full is left as the editor laid it out, unless the issue runs
    over its planned pages (`over`): the page count asked for comes first, and a
    story starting mid-page is not seen as a means. A notice across the page (its
    own flow) may when its whole height as measured (`wholes`) and the blank line
    above it fit under the longer column (a line more when that page is predicted),
    unless that page holds only a spill of the article before (SPILL lines).
    When the issue runs over its planned pages and the photo heading the story
    does not fit even at 75 %, it is set lower in the story (`_lowered`). None: it
    may not."""
    if not lead["may_pull_up"] or lead["continued"] or lead["continue_on"] or \
            lead["kind"] not in ("story", "notice") or failed_key(lead["id"]) in spent:
        return None
    if max(fill) <= lines // 2 + 1 and not over:
        return None
    if lead["kind"] == "notice":
        # Not under a spill (a few lines of the article before alone on the page):
        # the plan takes those back (page_plan.spill_back), and the page goes.
        whole = (wholes or {}).get(lead["anchor"])
        if whole is None or max(fill) <= SPILL or \
                1 + math.ceil(whole - 0.01) + (1 if moved else 0) > lines - max(fill):
            return None
        return _Fits()
    head = heads.get(lead["anchor"])
    if head is None:
        return None
    needed = 1 + math.ceil(head - 0.01) + PULL_LINES + (1 if moved else 0)
    photo = heading_photo(lead)
    photo_lines = photo_to_fit(photo, means, lines - max(fill) - needed)
    if photo_lines is None:
        under = lines - max(fill) - needed + PULL_LINES  # lines under the head, a column
        return _lowered(lead, photo, under, columns, column_chars, means) \
            if over and under >= PULL_LINES else None
    if photo is None or photo_lines == photo["image_lines"]:
        return _Fits()
    return _Fits((photo["anchor"], photo_lines), photo["image_lines"] - photo_lines)


def _lowered(lead: ArticleContext, photo: FigureContext | None, room: int, columns: int,
             column_chars: int, means: list[Knob]) -> _Fits | None:
    """A make-up person's answer to a hole too small for a story's head and the
    photo heading it: the head and first paragraphs start in the hole (`room`
    lines under the head in each of `columns` columns), the photo set after as few
    paragraphs as keep it from opening a column there it does not fit
    (pushed_photo.remedy: it then stands lower in the story, on the next page or
    where it fits; made smaller within 75 % when that fits it where it ends).
    Only a photo the toolchain placed at the head (no `placement:` written: an
    editor's `placement: top` is kept). None: no paragraphs do."""
    if photo is None or photo.get("placed") or photo["width"] != "column" or not column_chars:
        return None
    least = {k.key: k.least for k in means if k.kind == "photo"}
    found = remedy(lead, room, columns, column_chars, least, {})
    if found is None or found.anchor != photo["anchor"] or found.paragraphs < 1:
        return None
    if found.lines == photo["image_lines"]:
        return _Fits(lowered=(found.anchor, found.paragraphs))
    return _Fits((found.anchor, found.lines), photo["image_lines"] - found.lines,
                 lowered=(found.anchor, found.paragraphs))


def pushed(before: Flow, article: ArticleContext, measure: Measure, lines: int) -> bool:
    """A pulled-up article that the typesetter still moved on to the next page
    (its headline and first lines did not fit: the keep guard): it stands on a
    later page than the flow before it, and the page before it still has a hole."""
    at = measure.pages.get(article["anchor"])
    if at is None or at < 2 or any(measure.pages.get(a["anchor"], 0) >= at for a in before):
        return False
    return max(lines - used for used in natural(measure)[at - 2]) > SLACK
