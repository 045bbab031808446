"""The page plan: an issue made to fill the pages its manifest plans (`pages:`).

A plan is a set of invisible or conventional changes to the context: photo
heights (75-125 % of the height the layout gives them, in whole lines), the
space above an article and under a headline (whole lines), and jumps: an
article cut after a paragraph, ended with "（下转第N版）", continued later under
a short repeat of its headline with "（上接第M版）". What the plan needs to know
comes from a typeset document (`Measure`: how many lines of each column are
used, on which page each anchor is); build/page_fit.py typesets, measures and
asks this module for the next plan, a few rounds at most.

All amounts are in column lines: a line across both columns counts twice.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Literal

from bulletin_press.layout import notice_parts
from bulletin_press.layout.context import (
    GAP_ARTICLES,
    GAP_PARAGRAPHS,
    HEADLINE_LEAST,
    HEADLINE_MOST,
    SPACE_LEAST,
    SPACE_MOST,
    ArticleContext,
    BodyItem,
    FigureContext,
    IssueContext,
    JumpLine,
    gap_places,
    lines_within,
    shown_whole,
    sidebars_joined,
)
from bulletin_press.layout.pushed_photo import TRIES, PhotoMove, moved_flows, raised, remedy

Flow = list[ArticleContext]

PHOTO_LEAST, PHOTO_MOST = 0.75, 1.25  # a photo's height, of the height the layout gives it
LIMIT = 1 / 3  # of a page, either way: what the plan makes up; further off, the editor is told
SLACK = 2  # lines a column may end short of its foot (of the colophon on the last page)
SPILL = 3  # lines per column an article may run onto a page: cut, not jumped (copyfit.spill)
JUMP_OUT = "（下转第{page}版）"  # layout options jump_out / jump_in change the wording
JUMP_IN = "（上接第{page}版）"


@dataclass(frozen=True)
class Cut:
    """Where an article jumps: `keep` body items before the jump line; the rest
    continues before the flow whose first article has the anchor `before` (None:
    after the last article)."""

    keep: int
    before: str | None


@dataclass(frozen=True)
class Pull:
    """A `start: new-page` article started under the article before it instead, in
    the hole its page would have left there (layout/pull_up.py)."""

    short: int  # lines the emptier column of that page would have ended short
    empty: int  # column lines that page would have left empty in all
    fresh: bool = True  # not yet measured (pull_up.pulls checks it once measured)
    # The photo heading its first column made smaller (within PHOTO_LEAST) for its
    # head to fit the hole: (the photo's anchor, its image lines).
    photo: tuple[str, int] | None = None
    # That photo set lower in the story instead, after its first paragraphs, when even
    # at PHOTO_LEAST it leaves no room for the head and PULL_LINES lines: (the photo's
    # anchor, paragraphs it is set later; layout/pushed_photo.remedy).
    lowered: tuple[str, int] | None = None


@dataclass(frozen=True)
class PagePlan:
    photo_lines: Mapping[str, int] = field(default_factory=dict)  # photo anchor → image lines
    space_above: Mapping[str, int] = field(default_factory=dict)  # flow anchor → lines
    headline_space: Mapping[str, int] = field(default_factory=dict)  # article anchor → lines
    cuts: Mapping[str, Cut] = field(default_factory=dict)  # article id → its jump
    # A short page's room spread between its blocks: gap key (`gap_key`) → lines.
    gaps: Mapping[str, int] = field(default_factory=dict)
    # Means a hole took: left as they are by later rounds (and by the next build
    # that starts from this plan, so that a plan met is met again at once).
    fixed: frozenset[str] = frozenset()
    pulled: Mapping[str, Pull] = field(default_factory=dict)  # article id → its pull-up
    # A notice set whole that went on to the next page, leaving a hole: set after the
    # article that followed it, whose text fills the hole (notice anchor → its anchor).
    after: Mapping[str, str] = field(default_factory=dict)
    # A photo that took its article's head on to the next page, leaving a hole on
    # the page before (layout/pushed_photo.py): moved later (photo anchor → how).
    photo_moves: Mapping[str, PhotoMove] = field(default_factory=dict)
    # A notice longer than a page set in parts (layout/notice_parts.py): notice id →
    # where each later part starts (an item, or a row of a table).
    parts: notice_parts.Parts = field(default_factory=dict)
    # A box that would have stood alone at the top of a page (the next article opens
    # a new page): set as a filler after an article that ends an earlier page short,
    # in its hole (`filler_box`; box anchor → the anchor of the article it follows).
    fillers: Mapping[str, str] = field(default_factory=dict)
    # The last resort for a colophon alone on the last page (build/page_fit.py): the
    # id of the last article, whose final block goes on to the colophon's page (a
    # notice as its last part, each part set whole; another article's text runs on
    # there, with no headline repeated and no jump lines: it is the next page).
    ends_on: str | None = None
    # Boxes that head the columns under a notice with the story after them
    # (context.sidebars_joined) whose story's head did not fit under them, the
    # column under them left short: set after the story instead, its headline across
    # the page again (`aside_after`; box anchor → the story's anchor).
    asides: Mapping[str, str] = field(default_factory=dict)
    # Paragraphs set pushed in (`pushed_in`; their anchors, `paragraph_anchor`): each
    # a line shorter where squeezing its punctuation saves its last line.
    pushed: frozenset[str] = frozenset()
    # Boxes that ended their set of columns alone at the top of a page (the story
    # before them ended on the page before), the column beside them empty, a story's
    # headline across the page under them: set at the head of that story's columns
    # instead, its text beside and under them (`box_leads`; box anchor → the story's).
    leads: Mapping[str, str] = field(default_factory=dict)
    # Such a box with no story after it on that page to head (a notice, a new page,
    # the colophon follow it): set before the last paragraphs of the story it
    # followed, at a paragraph's end, those paragraphs going on after it in the same
    # columns (`box_inset`; box anchor → the story's body items before it).
    insets: Mapping[str, int] = field(default_factory=dict)
    # A box that a page would have held alone (as `fillers`), set across the page
    # under a notice across the page that ends an earlier page short, in its hole
    # (`box_across`; box anchor → the notice's anchor).
    across: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Measure:
    """What a typeset issue tells the plan."""

    fills: list[list[int]]  # per page: lines used in each column, from the top
    pages: Mapping[str, int]  # anchor → page (1-based, in the issue)
    # Per page: lines the typesetter's vertical justification added to each column
    # (typeset/ext/vertical_justify.py): drawn, but room the text leaves (empty: none).
    give: list[list[int]] = field(default_factory=list, kw_only=True)


def natural(measure: Measure) -> list[list[int]]:
    """Lines the text uses in each column, without the justification's (the slack
    the plan plans with: page count, the colophon, a front-page jump)."""
    if not measure.give:
        return measure.fills
    gives = [*measure.give, *([[]] * (len(measure.fills) - len(measure.give)))]
    return [[used - (give[i] if i < len(give) else 0) for i, used in enumerate(fill)]
            for fill, give in zip(measure.fills, gives, strict=False)]


@dataclass(frozen=True)
class Knob:
    """One invisible means: a photo's height or a space, in whole lines."""

    kind: Literal["photo", "headline", "space"]
    key: str
    flow: str  # the anchor of the flow it belongs to
    order: int  # that flow's place in the issue
    weight: int  # column lines one line of it is worth (a spanning one: each column)
    least: int
    most: int
    natural: int


def room(measure: Measure, target: int, lines: int, colophon_lines: int) -> int:
    """Column lines to add (negative: to cut) for the text to end at the foot of
    page `target`, above a colophon of `colophon_lines` across the page."""
    fills = natural(measure)
    if not fills:
        return 0
    columns = len(fills[0])
    if len(fills) > target:
        over = sum(sum(f) for f in fills[target:])
        free = sum(lines - f for f in fills[target - 1])
    else:
        over = 0
        free = (target - len(fills)) * lines * columns + sum(lines - f for f in fills[-1])
    return free - over - colophon_lines * columns


def column_room(measure: Measure, page: int, lines: int, colophon_lines: int) -> int:
    """`room` as its longest column sees it: column lines to add (negative: to cut)
    for every column of `page` to end above a colophon of `colophon_lines` across
    the page. Text that fits in all may not fit so (a box kept whole makes one
    column long), and the text before the page moves each of its columns alike."""
    fills = natural(measure)
    if not 0 < page <= len(fills):
        return 0
    fill = fills[page - 1]
    return (lines - colophon_lines - max(fill)) * len(fill)


def limit(lines: int, columns: int) -> int:
    """The most the plan makes up, in column lines (a third of a page)."""
    return math.floor(lines * columns * LIMIT)


def fits(measure: Measure, target: int, lines: int, colophon_lines: int) -> bool:
    """Exactly `target` pages, text on the last one, every column of it within
    SLACK lines of the colophon."""
    if len(measure.fills) != target:
        return False
    columns = len(measure.fills[0])
    left = room(measure, target, lines, colophon_lines)
    return sum(measure.fills[-1]) > 0 and 0 <= left <= SLACK * columns


def acceptable(measure: Measure, target: int, lines: int, colophon_lines: int) -> bool:
    """Exactly `target` pages with text on the last: what the plan must at least reach."""
    return len(measure.fills) == target and sum(measure.fills[-1]) > 0 and \
        room(measure, target, lines, colophon_lines) >= 0


def holes(measure: Measure, lines: int) -> list[tuple[int, int, int]]:
    """(page, column, empty lines) of each column that ends more than SLACK lines
    short of its foot, on every page but the last."""
    written = [page for page, fill in enumerate(measure.fills, start=1) if sum(fill)]
    last = written[-1] if written else 1  # a page holding only the colophon: not text
    return [(page, column, lines - used)
            for page, fill in enumerate(measure.fills[:last - 1], start=1)
            for column, used in enumerate(fill, start=1) if lines - used > SLACK]


def knobs(context: IssueContext, columns: int, line: float) -> list[Knob]:
    """The plan's means, in the order it uses them: photos, the space under
    headlines, the space above articles; each from the end of the issue back, so
    that a change moves as few pages as it can."""
    photos: list[Knob] = []
    headlines: list[Knob] = []
    spaces: list[Knob] = []
    for index, flow in enumerate(context["flows"]):
        lead = flow[0]
        if index > 0 and lead["start"] == "continue" and not lead["continued"]:
            spaces.append(Knob("space", lead["anchor"], lead["anchor"], index, columns,
                               SPACE_LEAST,
                               SPACE_MOST, 1))
        for article in flow:
            if article["headline_span"] and article is lead and not article["continued"]:
                headlines.append(Knob("headline", article["anchor"], lead["anchor"], index,
                                      columns,
                                      HEADLINE_LEAST, HEADLINE_MOST, 1))
            for figure in _figures(article):
                natural = figure["image_lines"]
                weight = 1 if figure["width"] == "column" else columns
                most = math.floor(natural * PHOTO_MOST)
                if "aspect" in figure and "widest" in figure:  # shown whole: within its frame
                    most = max(natural, min(most, lines_within(
                        figure["aspect"], figure["widest"], line)))
                photos.append(Knob("photo", figure["anchor"], lead["anchor"], index, weight,
                                   max(1, math.ceil(natural * PHOTO_LEAST)), most, natural))
    return [*reversed(photos), *reversed(headlines), *reversed(spaces)]


def knob_page(knob: Knob, measure: Measure) -> int | None:
    """The page a means is on: a photo's, an article's (its headline, the space above)."""
    return measure.pages.get(knob.key)


def hole_lines(measure: Measure, lines: int) -> list[tuple[int, int]]:
    """(page, empty column lines) of each page but the last with a column ending
    more than SLACK lines short of its foot."""
    short = {page for page, _, _ in holes(measure, lines)}
    return [(page, sum(lines - used for used in measure.fills[page - 1]))
            for page in sorted(short)]


def filled(plan: PagePlan, means: list[Knob], measure: Measure, lines: int, columns: int,
           spent: set[str], flows: list[Flow] | None = None, *,
           heads: Mapping[str, float] | None = None, column_chars: int = 0,
           boxes: bool = True, over: bool = False) -> tuple[PagePlan, set[str]]:
    """The plan with each hole on a page but the last filled by that page's own
    means (a headline that would have stood at the foot of the page without its
    text went on to the next, leaving the hole): its photos grow, its spaces
    open; and the keys of the means so spent, with those `spent` before (a later
    round leaves them as they are: moving them again would open the hole again).
    A page that nothing can reach from the next (it starts a new page, or its
    head does not fit even with its own means spent) gets its room spread
    between its blocks (`flows`: the issue as typeset, to find them). A hole
    above an article whose photo took its head on to the next page is closed by
    that photo first (`pushed_head`; `heads`: each flow's head in lines as
    measured, `column_chars`: body characters a column line holds). `over`: the
    issue runs over the pages it plans (a box set across under a notice only then:
    in an issue short of its pages, the page it leaves is a page more to fill)."""
    spent = set(spent)
    # The holes are what is drawn (the typesetter's vertical justification filled
    # what it could at its own places); the means fill the text's room.
    text = dataclasses.replace(measure, fills=natural(measure), give=[])
    if flows is not None and plan.photo_moves:
        plan, dropped = _unheld(plan, flows, measure, lines)
        spent |= {f"pushed-{anchor}" for anchor in dropped}
    filler = filler_box(flows, text, heads, lines) if flows is not None and heads else None
    if filler is not None and f"filler-{filler[0]}" not in spent:
        # A page holding only a box: the box fills a hole on an earlier page instead,
        # this round's only change (the pages after it move up). Tried once.
        spent.add(f"filler-{filler[0]}")
        return dataclasses.replace(plan, fillers={**plan.fillers, filler[0]: filler[1]}), spent
    across = box_across(flows, measure, heads, lines, columns, column_chars) \
        if flows is not None and heads and column_chars and boxes and over else None
    if across is not None and f"across-{across[0]}" not in spent:
        # The same with the hole under a notice across the page: the box goes across
        # the page under it, this round's only change. Tried once.
        spent.add(f"across-{across[0]}")
        return dataclasses.replace(plan, across={**plan.across, across[0]: across[1]}), spent
    aside = aside_after(flows, measure, lines) if flows is not None else {}
    if aside and not {f"aside-{box}" for box in aside} <= spent:
        # A box heading the columns under a notice, the story's head gone on to the
        # next column beside it: the box goes after the story, this round's only
        # change. Tried once.
        spent |= {f"aside-{box}" for box in aside}
        return dataclasses.replace(plan, asides={**plan.asides, **aside}), spent
    # (`boxes` False: the pages after the holes are taken as full, not as measured.)
    leads = box_leads(flows, measure, heads, lines) \
        if flows is not None and heads and boxes else {}
    if leads and not {f"lead-{box}" for box in leads} <= spent:
        # A box alone at the top of a page beside an empty column, the next story's
        # headline across under them: it heads that story's columns, this round's
        # only change. Tried once.
        spent |= {f"lead-{box}" for box in leads}
        return dataclasses.replace(plan, leads={**plan.leads, **leads}), spent
    ahead = box_inset(flows, text, heads, lines, column_chars, followed=True) \
        if flows is not None and heads and column_chars and boxes else None
    if ahead is not None and f"inset-{ahead[0]}" not in spent:
        # A box alone at the top of a page, the column beside it empty above the
        # notice (or the new page) that follows it, the story before it having
        # filled the page before: it goes before the story's last paragraphs, this
        # round's only change, before the holes are filled (filling them each round
        # left it there: own 古美家园 issue, 6 pages, 12 lines beside the box on page
        # 3; or a hole at that page's foot, the box too tall for it). Tried once (the
        # plan keeps the better round). A box that ends the issue waits for a round
        # that fills no hole (below).
        spent.add(f"inset-{ahead[0]}")
        return dataclasses.replace(plan, insets={**plan.insets, ahead[0]: ahead[1]}), spent
    untouched = plan
    for page, _ in hole_lines(measure, lines):
        later = moved_notice(flows, measure, page, lines) if flows is not None else None
        if later is not None and f"after-{later[0]}" not in spent:
            # The notice goes after the article that followed it: its text fills the
            # hole the notice left. Tried once: a hole it leaves further on stays.
            plan = dataclasses.replace(plan, after={**plan.after, later[0]: later[1]})
            spent.add(f"after-{later[0]}")
            continue
        # Only on the first page whose hole this round closes: a change above it
        # moves what follows (a spread there can fill this page, and the photo's
        # move would only shift the pages after: outside's nopages, page 4). Or on
        # a page that opens with an article starting a new page (a notice's later
        # part): no change above it moves what this page holds, and a hole under
        # it that the next story's photo made stays until the plan's rounds run
        # out (the tester's 古美家园, page 3: page 2's hole changed the plan first,
        # each round).
        pushed = pushed_head(plan, flows, means, text, heads, page, lines, columns,
                             column_chars, spent) \
            if flows is not None and heads and (plan == untouched or _opens(flows, measure, page)) \
            else None
        if pushed is not None:
            # The photo moved later, or made smaller, so that the article's head and
            # first paragraphs fill the hole; the page's other means stay as they are.
            # (A move put back is not tried again.)
            dropped = set(plan.photo_moves) - set(pushed.photo_moves)
            plan = pushed
            spent |= set(pushed.photo_moves) | {f"pushed-{a}" for a in dropped}
            continue
        gone = gone_on(flows, means, text, page, lines) if flows is not None else None
        if gone is not None:
            # A photo that went on to the next page, leaving this hole above it: made
            # smaller (within PHOTO_LEAST) it stays under its text, here. Also when a
            # hole shrank it before: it only ever shrinks, so no round undoes another.
            anchor, image, gap = gone
            gaps = {k: v for k, v in plan.gaps.items() if k != gap}
            plan = dataclasses.replace(plan, photo_lines={**plan.photo_lines, anchor: image},
                                       gaps=gaps)
            spent.add(anchor)
            continue
        up = gone_up(plan, flows, text, page, lines, column_chars, spent) \
            if flows is not None and column_chars and plan == untouched else None
        if up is not None:
            # A photo after its article's last paragraph that went on to the next
            # page's top, too tall to stay at 75 %: set before its last paragraphs, in
            # the page's last column, their text runs on beside nothing empty.
            plan = up
            spent |= {f"raised-{a}" for a in up.photo_moves}
            continue
        empty = sum(lines - used for used in text.fills[page - 1])
        # A spread is measured: what it left (balanced columns, a block kept whole
        # moving to the other column) is spread once more.
        key = f"spread-{page}" if f"spread-{page}" not in spent else f"spread-{page}-again"
        own = [k for k in means if knob_page(k, measure) == page and k.key not in spent]
        growth = sum((k.most - knob_value(plan, k)) * k.weight for k in own)
        if flows is not None and justified(measure, page) and \
                max(measure.fills[page - 1]) < lines - SLACK:
            # Short columns the typesetter filled as far as their places go: only a
            # spread across pages (or a photo) is left, tried once; shrinking the
            # next page's head would not bring it back into columns it filled.
            if key not in spent:
                plan, used = spread_page(plan, means, measure, flows, page, lines, columns,
                                         spent, key.endswith("again"))
                spent |= {key, *used}
            continue
        if flows is not None and key not in spent and growth < empty - columns and \
                _closes(flows, measure, page):
            if key.endswith("again") and continuing(flows, measure, page, lines) is None:
                # Its own blocks had their spread: a second changes a line or two at
                # a round's cost (text-16's page 6: none), unless it reaches back.
                spent.add(key)
                continue
            # Its own photos and spaces grow as far as they can, the rest is spread.
            plan, used = spread_page(plan, means, measure, flows, page, lines, columns, spent,
                                     key.endswith("again"))
            spent |= {key, *used}
            continue
        if max(text.fills[page - 1]) > lines - SLACK:
            # A column is full: the text goes on to the next page, and a column
            # ends short for a keep rule (a subhead and its first lines, widows):
            # growing the page would only push more text on. A line less above
            # makes room for what was pushed on; tried once.
            own = [k for k in means if knob_page(k, measure) == page and k.key not in spent]
            plan = moved(plan, [own], -columns)
            spent |= {k.key for k in own}
            continue
        own = [k for k in means if knob_page(k, measure) == page and k.key not in spent]
        growth = sum((k.most - knob_value(plan, k)) * k.weight for k in own)
        if growth >= empty - columns:
            plan = moved(plan, [own], empty - columns)
        else:
            # Not enough to fill it: make room for what went on to the next page
            # instead (the first article there, its headline and first photo).
            after = [k for k in means if k.key not in spent and k not in own
                     and measure.pages.get(k.flow) == page + 1]
            moved_flow = min((k.order for k in after), default=-1)
            first = [k for k in after if k.order == moved_flow]
            shrink = sum((knob_value(plan, k) - k.least) * k.weight for k in first + own)
            if any(plan.gaps.get(gap_key(k.key, where)) for k in first
                   for where in ("space", "headline")):
                shrink = 0  # a spread moved it on: its spaces are the spread's
            if shrink == 0 and flows is not None and key not in spent:
                # The next page's head does not come back even with its means spent.
                plan, used = spread_page(plan, means, measure, flows, page, lines, columns,
                                         spent, key.endswith("again"))
                spent |= {key, *used}
                continue
            plan = moved(plan, [first, own], -shrink)
            own = own + first
            # Its other means stay as they are: more room above it would undo this.
            own += [k for k in means if k.order == moved_flow]
        spent |= {k.key for k in own}
    inset = box_inset(flows, text, heads, lines, column_chars) \
        if flows is not None and heads and column_chars and boxes and plan == untouched \
        else None
    if inset is not None and f"inset-{inset[0]}" not in spent:
        # The same box with no story to head on its page: it goes before the last
        # paragraphs of the story it followed, which run on beside and under it.
        # Only in a round that fills no hole (it moves text on: those first), its
        # only change; tried once (the plan keeps the better round).
        spent.add(f"inset-{inset[0]}")
        return dataclasses.replace(plan, insets={**plan.insets, inset[0]: inset[1]}), spent
    return plan, spent


def spill_back(plan: PagePlan, flows: list[Flow], means: list[Knob], measure: Measure,
               lines: int, columns: int, spent: AbstractSet[str]
               ) -> tuple[int, PagePlan, set[str]] | None:
    """(page, the plan, the keys of the means it took) that takes back the first
    spill: a page but the last holding no more than the last SPILL lines a column
    of an article that began on an earlier page, before an article that starts a
    new page (copyfit.spill: the page is all but empty). The means on the pages
    that article runs over (its photos down to PHOTO_LEAST, the spaces under its
    headline and above it, those of the articles above it there), the nearest
    page first, give those lines in whole lines (the text the page holds is
    often a widow the column before could not end with: the vertical
    justification's line there is room too); the page goes, and every page after
    it moves up one. Not a spill the plan's own means made (a photo grown, lines
    spread on those pages to fill a hole): the rounds that grew them judge it.
    None when there is none, or those means cannot give that much."""
    text = natural(measure)
    for page in range(2, len(text)):
        fill = text[page - 1]
        spilt = sum(fill)
        if not 0 < spilt <= SPILL * columns or not _closes(flows, measure, page):
            continue
        article = continuing(flows, measure, page, lines)
        if article is None:
            continue
        lead = next(flow[0] for flow in flows if any(a is article for a in flow))
        start = measure.pages.get(lead["anchor"], page)
        mine = [k for k in means if k.key not in spent
                and start <= (knob_page(k, measure) or 0) < page]
        there = {a["anchor"] for flow in flows for a in flow
                 if start <= measure.pages.get(a["anchor"], 0) <= page}
        if any(knob_value(plan, k) > k.natural for k in means
               if start <= (knob_page(k, measure) or 0) < page) or \
                any(key.rsplit("@", 1)[0] in there for key in plan.gaps):
            continue  # the plan's own growth pushed it over: its rounds judge that
        need = spilt
        if sum((knob_value(plan, k) - k.least) * k.weight for k in mine) < need:
            continue
        nxt = moved(plan, by_page(mine, measure), -need)
        return page, nxt, {k.key for k in mine}
    return None


def pushed_head(plan: PagePlan, flows: list[Flow], means: list[Knob], measure: Measure,
                heads: Mapping[str, float], page: int, lines: int, columns: int,
                column_chars: int, spent: set[str]) -> PagePlan | None:
    """The plan with the photo that took the next page's first article (its
    headline, first paragraphs and the photo) on from `page` moved later or made
    smaller (layout/pushed_photo.py), when `page` ends short in every column
    before that article, which flows on from it (not a new page) and whose head
    as measured (`heads`) fits the room with lines of its text; None when that
    is not the case, or nothing brings the head back."""
    fill = measure.fills[page - 1]
    if max(fill) >= lines - SLACK:
        return None  # a full column: the text above went on, not only the article
    after = [flow[0] for flow in flows if measure.pages.get(flow[0]["anchor"], 0) > page]
    if not after:
        return None
    lead = after[0]
    anchor = lead["anchor"]
    if measure.pages.get(anchor) != page + 1 or lead["start"] != "continue" or \
            lead["continued"] or anchor not in heads:
        return None
    above = plan.space_above.get(anchor, 1) + plan.gaps.get(gap_key(anchor, "space"), 0)
    # Under the head, a line kept for where the columns' box ends below their text.
    room = lines - max(fill) - above - math.ceil(heads[anchor] - 0.01) - 1
    least = {k.key: k.least for k in means if k.kind == "photo"}
    mine = {f["anchor"] for f in _figures(lead)}
    moves = {a: m.paragraphs for a, m in plan.photo_moves.items() if a in mine}
    found = remedy(lead, room, columns, column_chars, least, moves)
    if found is None or f"pushed-{found.anchor}" in spent:
        return None
    before = plan.photo_moves.get(found.anchor)
    if before is not None and before.tries >= TRIES:
        # Moved as the estimate said and a paragraph more, and the head stayed on:
        # not the photo's doing (or not the estimate's to find). Put back.
        return dataclasses.replace(plan, photo_moves={
            a: m for a, m in plan.photo_moves.items() if a != found.anchor})
    photo_lines = dict(plan.photo_lines)
    if found.lines != _image_lines(lead, found.anchor):
        photo_lines[found.anchor] = found.lines
    tries = before.tries + 1 if before is not None else 1
    return dataclasses.replace(
        plan, photo_lines=photo_lines,
        photo_moves={**plan.photo_moves,
                     found.anchor: PhotoMove(found.paragraphs, page, tries)})


def gone_up(plan: PagePlan, flows: list[Flow], measure: Measure, page: int, lines: int,
            column_chars: int, spent: set[str]) -> PagePlan | None:
    """The plan with the photo that follows the last paragraph of the article whose
    text ends on `page` and that went on to the top of the next page, above the
    next article (gone_on found it too tall to stay at 75 %), set before as few of
    its last paragraphs as carry it into `page`'s last column (pushed_photo.raised);
    None when there is none, or no paragraphs do."""
    fill = measure.fills[page - 1]
    for flow in flows:
        for article in flow:
            for figure in _figures(article):
                anchor = figure["anchor"]
                if figure["width"] != "column" or f"raised-{anchor}" in spent or \
                        anchor in plan.photo_moves or \
                        measure.pages.get(f"{anchor}-after-text") != page or \
                        measure.pages.get(anchor) != page + 1:
                    continue
                following = [f[0] for f in flows if measure.pages.get(f[0]["anchor"], 0) > page]
                if not following or measure.pages.get(following[0]["anchor"]) != page + 1:
                    continue
                count = raised(article, anchor, fill[-1], lines, column_chars)
                if count is None:
                    continue
                return dataclasses.replace(plan, photo_moves={
                    **plan.photo_moves, anchor: PhotoMove(-count, page)})
    return None


def _unheld(plan: PagePlan, flows: list[Flow], measure: Measure, lines: int
            ) -> tuple[PagePlan, set[str]]:
    """The plan without the photo moves (`pushed_head`) whose article still starts
    after the page it was moved for, where that page has no hole left (something
    else filled it: the move only changes the pages after) or the move was tried
    TRIES times; and their anchors (not tried again)."""
    homes = {f["anchor"]: a["anchor"] for flow in flows for a in flow for f in _figures(a)}
    short = {page for page, _ in hole_lines(measure, lines)}
    dropped = {anchor for anchor, move in plan.photo_moves.items()
               if measure.pages.get(homes.get(anchor, ""), 0) > move.page
               and (move.page not in short or move.tries >= TRIES)}
    if not dropped:
        return plan, dropped
    return dataclasses.replace(plan, photo_moves={
        a: m for a, m in plan.photo_moves.items() if a not in dropped}), dropped


def held(moves: Mapping[str, PhotoMove], context: IssueContext,
         measures: list[Measure]) -> dict[str, PhotoMove]:
    """The moves (`moves`) whose article started on the page it was moved for in
    one of `measures` at least (a move that never did is not the plan's to prefer)."""
    homes = _homes(context)
    return {a: m for a, m in moves.items()
            if any(0 < measure.pages.get(homes.get(a, ""), 0) <= m.page
                   for measure in measures)}


def _homes(context: IssueContext) -> dict[str, str]:
    """Photo anchor → the anchor of its article."""
    return {f["anchor"]: article["anchor"] for article in context["articles"]
            for f in _figures(article)}


def kept_off(moves: Mapping[str, PhotoMove], context: IssueContext, measure: Measure) -> int:
    """How many of the articles whose photos the plan moved (`moves`, a later
    round's) start after the page it moved them for in `measure`: a round whose
    page count looks met only because an article's photo took its head on, leaving
    a hole that may be the whole front page (the plan prefers fewer such)."""
    homes = _homes(context)
    return sum(1 for anchor, move in moves.items()
               if measure.pages.get(homes.get(anchor, ""), 0) > move.page)


def _image_lines(article: ArticleContext, anchor: str) -> int:
    return next(f["image_lines"] for f in _figures(article) if f["anchor"] == anchor)


def gone_on(flows: list[Flow], means: list[Knob], measure: Measure, page: int, lines: int
            ) -> tuple[str, int, str | None] | None:
    """(anchor, image lines, the key of the plan's gap above it) of a photo that did
    not fit under the text it follows at the foot of `page` and went on to the next
    page, leaving the hole (the photo guard moves a photo only as far as the
    article's end), when it fits there made smaller, within PHOTO_LEAST, and without
    the plan's gap above it (None when there is none)."""
    fill = measure.fills[page - 1]
    written = [used for used in fill if used]
    if not written:
        return None
    room = lines - written[-1]  # the text before the photo ends the page's last column
    for flow in flows:
        for article in flow:
            figures = [(i, item) for i, item in enumerate(article["body"])
                       if item["figure"] is not None]
            for index, (place, item) in enumerate(figures):
                figure = item["figure"]
                assert figure is not None
                follows = _follows(figure, figures[index - 1][1]["figure"] if index else None,
                                   measure)
                if figure["width"] != "column" or follows is None or \
                        measure.pages.get(figure["anchor"]) != page + 1 or \
                        measure.pages.get(follows[0]) != page:
                    continue
                # Its caption and the line under it a photo keeps from the text; under
                # the photo before it, that one's line and one more (measured: a photo
                # of 11 lines and its caption did not fit under another in 16 lines
                # with a 2-line gap). The plan's own gap above it is taken back.
                fitted = photo_to_fit(figure, means, room - 1 - 2 * follows[1])
                if fitted is not None and (fitted < figure["image_lines"] or item["gap"]):
                    gap = gap_key(article["anchor"], place) if item["gap"] else None
                    return figure["anchor"], fitted, gap
    return None


NOTICE_ROOM = 8  # lines a column at least: the next article's head and its first lines


def moved_notice(flows: list[Flow], measure: Measure, page: int, lines: int
                 ) -> tuple[str, str] | None:
    """(notice anchor, the next article's anchor) when the page after `page` opens
    with a notice across the page (set whole, it did not fit under the text above:
    `page` ends short) and a story or box that continues the pages follows it, on
    that page too or at the top of the next (a notice a page long): set after it,
    that article's head and text fill the hole."""
    fill = measure.fills[page - 1]
    if min(lines - used for used in fill) < NOTICE_ROOM:
        return None
    for index, flow in enumerate(flows[:-1]):
        lead, nxt = flow[0], flows[index + 1][0]
        if lead["kind"] != "notice" or lead["start"] != "continue" or lead["continued"] \
                or measure.pages.get(lead["anchor"]) != page + 1:
            continue
        # On that page too, or opening the page after it (the notice filled its page).
        if nxt["kind"] == "notice" or nxt["start"] != "continue" or nxt["continued"] or \
                measure.pages.get(nxt["anchor"]) not in (page + 1, page + 2):
            return None
        return lead["anchor"], nxt["anchor"]
    return None


BOX_ALONE = 1.5  # lines: a box whose top is this near its page's top opens the page
INSET_MARGIN = 2  # lines: a box set into the hole it left stands this far above the foot


def _alone_before_new_page(flow: Flow, nxt: ArticleContext | None, page: int,
                           measure: Measure, heads: Mapping[str, float], lines: int) -> bool:
    """The box ending `flow` stands alone at the top of `page` (its story ended on a
    page before) and the next article opens the next page, or none follows and the
    page is the last: a filler its page does not need."""
    box = flow[-1]
    if heads.get(box["anchor"], lines) > BOX_ALONE or \
            measure.pages.get(flow[-2]["anchor"], page) >= page:
        return False
    if nxt is None:
        if page != len(measure.fills):
            return False
    elif measure.pages.get(nxt["anchor"]) != page + 1 or \
            nxt["start"] not in ("new-page", "new-page-always"):
        return False
    return not any(measure.fills[page - 1][1:])  # nothing but the box on its page


def filler_box(flows: list[Flow], measure: Measure, heads: Mapping[str, float], lines: int
               ) -> tuple[str, str] | None:
    """(box anchor, the anchor of the article to set it after) when a page holds
    only a box (kind box, `start: continue`, the last of its columns, at the top
    of the page: `heads` has its top, in lines, under its anchor; the next
    article opens the next page, or none follows: the box ends the issue, alone on
    its last page above the colophon) and an earlier page ends short before an
    article that opens a new page, with room in its columns for the box as
    measured and the line between articles: the nearest such page. A box is not
    set before the article it belongs to: one with a section (栏目) of the article
    before it."""
    order = [a for flow in flows for a in flow]
    for index, flow in enumerate(flows):
        box = flow[-1]
        nxt = flows[index + 1][0] if index + 1 < len(flows) else None
        if len(flow) < 2 or box["kind"] != "box" or box["start"] != "continue" or \
                box["continued"] or (box["section"] and box["section"] == flow[-2]["section"]):
            continue
        page = measure.pages.get(box["anchor"])
        if page is None or page < 2 or \
                not _alone_before_new_page(flow, nxt, page, measure, heads, lines):
            continue
        fill = measure.fills[page - 1]
        need = fill[0] + 1  # the box, and the line above it
        at = order.index(box)
        for hole in range(page - 1, 0, -1):
            empty = [lines - used for used in measure.fills[hole - 1]]
            # The article that ends the page, the one after it opening the next page.
            ends = [i for i, a in enumerate(order[:at])
                    if measure.pages.get(a["anchor"], page) <= hole]
            if not ends:
                return None
            last, after = order[ends[-1]], order[ends[-1] + 1]
            if after["start"] not in ("new-page", "new-page-always") or \
                    after["kind"] == "box" or last["kind"] == "notice" or \
                    measure.pages.get(after["anchor"]) != hole + 1:
                continue
            if sum(empty) >= need + len(empty) and max(empty) >= need:
                return box["anchor"], last["anchor"]
        return None
    return None


BOX_FRAME = 3  # lines a box takes besides its entries: its title bar, rule and padding


def _item_width(item: BodyItem) -> float:
    """A paragraph's width in body characters: a Latin letter or digit half of one."""
    return sum(0.5 if ord(c) < 0x2000 else 1.0
               for spans in [item["spans"], *item["entries"]] for span in spans for c in span.text)


def box_across(flows: list[Flow], measure: Measure, heads: Mapping[str, float], lines: int,
               columns: int, column_chars: int) -> tuple[str, str] | None:
    """(box anchor, the notice's anchor) when a page holds only a box, as
    `filler_box` finds one (alone at the top of the issue's last page above the
    colophon, or of a page before an article that opens a new page), or the box
    closes the issue and the page after its own holds only the colophon (the box
    is what the issue can lose: the room it leaves takes the colophon), and an
    earlier page ends with a notice across the page, before an article that opens
    a new page, with room under it for the box set across the page too (its
    entries on full-width lines) and the line above it: the nearest such page.
    A notice across the page leaves no columns a box could join; in one column
    under it, the box would stand beside an empty column. The room is the text's:
    the typesetter's vertical justification spread the notice's own paragraphs
    (given on the page's first column, the notice's left edge, it moved the whole
    notice), so its natural foot is the drawn one less that. The box's lines across
    are its measured lines less what its entries take in a column (at least
    BOX_FRAME), plus what they take across (`column_chars` a column line, `columns`
    columns and the gap of two characters between each; a Latin letter or digit
    half a character). Not a box with a table or photo, nor one of the
    section (栏目) of the article before it. None: none such."""
    across = columns * column_chars + 2 * (columns - 1)
    for index, flow in enumerate(flows):
        box = flow[-1]
        nxt = flows[index + 1][0] if index + 1 < len(flows) else None
        if len(flow) < 2 or box["kind"] != "box" or box["start"] != "continue" or \
                box["continued"] or (box["section"] and box["section"] == flow[-2]["section"]) \
                or any(item["figure"] is not None or item["table"] is not None
                       for item in box["body"]):
            continue
        page = measure.pages.get(box["anchor"])
        if page is None or page < 2 or column_chars <= 0:
            continue
        entries = [max(1, math.ceil(_item_width(item) / chars)) for item in box["body"]
                   for chars in (column_chars, across)]
        fill = measure.fills[page - 1]
        if nxt is None and page == len(measure.fills) - 1 and not any(measure.fills[-1]):
            # The box closes the issue, and the page after it holds the colophon alone:
            # the room the box leaves in its columns takes the colophon. Its bar, rule
            # and padding BOX_FRAME (its top is not measured beside text); the line
            # above it.
            need = BOX_FRAME + sum(entries[1::2]) + 1
        else:
            if not _alone_before_new_page(flow, nxt, page, measure, heads, lines):
                continue
            # Its bar, the rule and padding under it: what its entries leave of its
            # lines measured, at least BOX_FRAME; and the line above it.
            need = max(BOX_FRAME, fill[0] - sum(entries[0::2])) + sum(entries[1::2]) + 1
        for hole in range(page - 1, 0, -1):
            here = [f for f in flows if measure.pages.get(f[0]["anchor"]) == hole]
            after = next((f[0] for f in flows if measure.pages.get(f[0]["anchor"], 0) > hole),
                         None)
            if not here or after is None or measure.pages.get(after["anchor"]) != hole + 1:
                continue
            notice = here[-1][0]
            if len(here[-1]) > 1 or notice["kind"] != "notice" or notice["continued"] or \
                    notice.get("goes_on") or notice.get("flows_on") or \
                    after["start"] not in ("new-page", "new-page-always") or \
                    after["anchor"] == box["anchor"]:
                continue
            drawn = measure.fills[hole - 1]
            give = measure.give[hole - 1] if len(measure.give) >= hole else []
            foot = max(drawn) - max(give, default=0)
            if lines - foot >= need:
                return box["anchor"], notice["anchor"]
        return None
    return None


def with_across(flows: list[Flow], across: Mapping[str, str]) -> list[Flow]:
    """The flows with each box in `across` taken from its columns and set in a flow
    of its own right after the notice it names, across the page (`across`: one
    column of the full measure, as the notice)."""
    if not across:
        return flows
    boxes = {a["anchor"]: a for flow in flows for a in flow
             if a["kind"] == "box" and a["anchor"] in across}
    out: list[Flow] = []
    for flow in flows:
        kept = [a for a in flow if a["anchor"] not in boxes]
        if len(kept) < len(flow):
            kept = [{**a, "space_after": i + 1 < len(kept)
                     and kept[i + 1]["start"] != "new-column"} for i, a in enumerate(kept)]
        if kept:
            out.append(kept)
        out += [[{**boxes[b], "across": True, "space_after": False}]
                for b, notice in across.items() if notice == flow[0]["anchor"] and b in boxes]
    return out


def aside_after(flows: list[Flow], measure: Measure, lines: int) -> dict[str, str]:
    """The boxes that head a set of columns with the story after them (under a
    notice: context.sidebars_joined) → that story's anchor, when the story's head
    went on to the next column on the same page, the first column, the boxes',
    ending more than SLACK lines short while the last is full: set after the story,
    its headline goes across the page under the notice and its text fills both
    columns. The first such set."""
    for flow in flows:
        at = next((i for i, a in enumerate(flow) if a["kind"] != "box"), len(flow))
        if at == 0 or at == len(flow) or flow[at]["kind"] != "story":
            continue
        boxes, story = flow[:at], flow[at]
        page = measure.pages.get(flow[0]["anchor"])
        if page is None or measure.pages.get(story["anchor"]) != page:
            continue
        # (The first column's text as it left it; the last as drawn: the typesetter's
        # vertical justification may have filled it, not the boxes' column.)
        fill, text = measure.fills[page - 1], natural(measure)[page - 1]
        if len(fill) > 1 and text[0] < lines - SLACK and fill[-1] >= lines - SLACK:
            return {box["anchor"]: story["anchor"] for box in boxes}
    return {}


def box_leads(flows: list[Flow], measure: Measure, heads: Mapping[str, float], lines: int
              ) -> dict[str, str]:
    """{box anchor: the next story's anchor} for the box (kind box, `start:
    continue`) that ends a set of columns and stands alone at the top of a page
    (`heads` has a box's top, in lines, under its anchor: within BOX_ALONE), the
    article before it in the set on an earlier page (its text ended at that
    page's foot: a box is set whole), the next flow a story that goes on on the
    same page with its headline across the page under it: the column beside the
    box is empty, and a reader meets it between two stories with nothing around
    it. Set at the head of the story's columns (context.sidebars_joined), the
    story's text runs beside and under it. Not a story that opens a new page or a
    new column, a jump's continuation, or one with photos across the page
    (sidebars_joined keeps those apart); not two boxes (they stand side by side).
    The first such box."""
    for index, flow in enumerate(flows[:-1]):
        at = len(flow)
        while at > 0 and flow[at - 1]["kind"] == "box":
            at -= 1
        boxes, story = flow[at:], flows[index + 1][0]
        # One box: two stand side by side at the top of the page, no column empty.
        if at == 0 or len(boxes) != 1 or boxes[0]["start"] != "continue" or \
                boxes[0]["continued"]:
            continue
        box = boxes[0]
        page = measure.pages.get(box["anchor"])
        if page is None or heads.get(box["anchor"], lines) > BOX_ALONE or \
                measure.pages.get(flow[at - 1]["anchor"], page) >= page:
            continue
        if story["kind"] != "story" or story["start"] != "continue" or story["continued"] \
                or story["full_width_figures"] or measure.pages.get(story["anchor"]) != page:
            continue
        return {box["anchor"]: story["anchor"]}
    return {}


def box_inset(flows: list[Flow], measure: Measure, heads: Mapping[str, float], lines: int,
              column_chars: int, followed: bool = False) -> tuple[str, int] | None:
    """(box anchor, the story's body items to keep before it) for a box that ends a
    set of columns alone at the top of a page (as `box_leads` finds one) with no
    story after it there to head (a notice follows, an article that opens a new
    page, or nothing: the colophon), after a story whose text filled the page
    before to the foot of its last column: set before as few of the story's last
    paragraphs as hold the box's lines and the line above it (estimated from their
    characters, `column_chars` a column line), at a paragraph's end, it stands in
    that column and those paragraphs run on after it, on to the page it stood on,
    beside each other. Not a story that jumps or is a jump's continuation, nor a
    box of its own section (栏目: it belongs after the story). None: none such.

    `followed`: a box that an article follows (a notice, a new page), also when
    the story left a few lines at the foot of the page before, fewer than the box
    and the line above it need (a hole, or lines the typesetter's vertical
    justification spread): the box, set whole, did not fit there and went on (own
    古美家园 issue: page 2's right column 4 lines short, the 12-line 温馨提示 box
    alone atop page 3 above a notice, 12 lines beside it empty). Set before as
    few of the story's last paragraphs as carry the box's lines and the line
    above it past that hole, with INSET_MARGIN lines to spare, and no more than
    that page's last column holds (set higher it falls to the foot of the column
    before, a hole there), it stands in that column and their text runs on to
    its foot and over the page, as a make-up person takes a hole up with the
    text that flows after it. Not a box that ends the issue (planfit's e-short,
    page 8): the story's rest would end the issue, and the colophon's last resort
    (build/page_fit.py) cannot set a continuation's lines on to its page."""
    for index, flow in enumerate(flows):
        if len(flow) < 2:
            continue
        box, story = flow[-1], flow[-2]
        nxt = flows[index + 1][0] if index + 1 < len(flows) else None
        if box["kind"] != "box" or box["start"] != "continue" or box["continued"] or \
                story["kind"] != "story" or story["continued"] or story["continue_on"] or \
                story.get("resumed") or (box["section"] and box["section"] == story["section"]):
            continue
        page = measure.pages.get(box["anchor"])
        if page is None or page < 2 or heads.get(box["anchor"], lines) > BOX_ALONE or \
                measure.pages.get(story["anchor"], page) >= page:
            continue
        if nxt is not None and nxt["kind"] == "story" and nxt["start"] == "continue" and \
                measure.pages.get(nxt["anchor"]) == page:
            continue  # a story to head there (box_leads)
        # The box's lines: its title bar, each entry's lines, the rule and padding.
        need = 3 + sum(max(1, math.ceil(_item_chars(item) / column_chars))
                       for item in box["body"]) + 1
        empty = lines - measure.fills[page - 2][-1]
        if followed:
            if nxt is None or empty > need:
                continue  # it ends the issue, or it would have fitted there
        elif empty > SLACK:
            continue
        least = need if not followed else need + 1 - empty + INSET_MARGIN
        most = lines if not followed else measure.fills[page - 2][-1]
        body, held = story["body"], 0
        for keep in range(len(body) - 1, 0, -1):
            figure = body[keep]["figure"]
            held += math.ceil(_item_chars(body[keep]) / column_chars) + (
                figure["lines"] if figure is not None else 0)
            if held > most:
                return None
            if held >= least and body[keep]["kind"] in ("paragraph", "subhead") and \
                    body[keep - 1]["kind"] != "subhead":
                return box["anchor"], keep
        return None
    return None


def with_insets(flows: list[Flow], insets: Mapping[str, int]) -> list[Flow]:
    """The flows with each box in `insets` set inside the story before it in its
    columns, after the story's first `insets[box]` body items: the story's head
    and those items, the box, the rest of the story (its anchor its own, no
    headline: `resumed`; `continued`, as a jump's continuation is, for what counts
    an article once) with its foot (QR code, 落款)."""
    if not insets:
        return flows
    out: list[Flow] = []
    for flow in flows:
        new: Flow = []
        for index, article in enumerate(flow):
            keep = insets.get(article["anchor"])
            before = new[-1] if new else None
            if keep is None or index == 0 or before is None or before["kind"] != "story" \
                    or not 0 < keep < len(before["body"]):
                new.append(article)
                continue
            anchor = f"{before['anchor']}-after-box"
            head: ArticleContext = {**before, "body": before["body"][:keep], "qr": None,
                                    "signature": None, "space_after": True}
            rest: ArticleContext = {
                **before, "anchor": anchor, "text_anchor": f"{before['text_anchor']}-after-box",
                "body": before["body"][keep:], "resumed": True, "continued": True,
                "start": "continue", "full_width_figures": [], "plan_classes": "",
                "jump_in": None, "space_after": article["space_after"]}
            new[-1:] = [head, {**article, "space_after": True}, rest]
        out.append(new)
    return out


def with_leads(flows: list[Flow], leads: Mapping[str, str]) -> list[Flow]:
    """The flows with each box in `leads` taken from its columns and set in a flow
    of its own right before the flow the story it names leads (sidebars_joined
    then sets them in one set of columns)."""
    if not leads:
        return flows
    leading = {a["anchor"] for flow in flows for a in flow
               if a["kind"] == "box" and a["anchor"] in leads}
    boxes = {a["anchor"]: a for flow in flows for a in flow if a["anchor"] in leading}
    out: list[Flow] = []
    for flow in flows:
        ahead = [boxes[b] for b, story in leads.items()
                 if story == flow[0]["anchor"] and b in boxes]
        if ahead:
            out.append([{**box, "space_after": True} for box in ahead])
        kept = [a for a in flow if a["anchor"] not in leading]
        if len(kept) < len(flow):
            kept = [{**a, "space_after": i + 1 < len(kept)
                     and kept[i + 1]["start"] != "new-column"} for i, a in enumerate(kept)]
        if kept:
            out.append(kept)
    return out


def lone_boxes_joined(flows: list[Flow], leads: AbstractSet[str] = frozenset()
                      ) -> list[Flow]:
    """The flows with each flow of boxes only (`start: continue`) that follows the
    columns of a story (not a notice's: a notice across the page has none) joined
    to them, at their end, as the context's column_flows sets a box after the
    article before it: the plan's moves (a notice set after the box that followed
    it) can leave one alone under a story whose columns end mid-page, where it
    stood under the first column beside nothing, and a reader met it in the
    middle of the story's last sentence, between its columns. Not the boxes in
    `leads` (anchors: `with_leads` set them to head the next story's columns)."""
    out: list[Flow] = []
    for flow in flows:
        if out and all(a["kind"] == "box" and a["start"] == "continue" and not a["continued"]
                       and a["anchor"] not in leads for a in flow) and \
                out[-1][0]["kind"] != "notice":
            joined = [*out[-1], *flow]
            out[-1] = [{**a, "space_after": i + 1 < len(joined)
                        and joined[i + 1]["start"] != "new-column"}
                       for i, a in enumerate(joined)]
        else:
            out.append(flow)
    return out


def set_apart(flows: list[Flow], asides: Mapping[str, str], articles: list[ArticleContext]
              ) -> list[Flow]:
    """The flows with each set of columns that boxes in `asides` head parted again:
    the boxes a flow of their own, the story after them as the context made it
    (`articles`: its headline across the page, its photo heading it), leading the
    rest of the set (with_fillers then sets the boxes after it)."""
    if not asides:
        return flows
    made = {a["anchor"]: a for a in articles}
    out: list[Flow] = []
    for flow in flows:
        at = next((i for i, a in enumerate(flow) if a["anchor"] not in asides), len(flow))
        if 0 < at < len(flow) and asides.get(flow[0]["anchor"]) == flow[at]["anchor"]:
            out += [flow[:at], [made.get(flow[at]["anchor"], flow[at]), *flow[at + 1:]]]
        else:
            out.append(flow)
    return out


def with_fillers(flows: list[Flow], fillers: Mapping[str, str]) -> list[Flow]:
    """The flows with each box in `fillers` taken from its columns and set after
    the article it names, in that article's columns."""
    if not fillers:
        return flows
    anchors = {a["anchor"] for flow in flows for a in flow}
    boxes = {a["anchor"]: a for flow in flows for a in flow
             if a["kind"] == "box" and fillers.get(a["anchor"]) in anchors}
    out: list[Flow] = []
    for flow in flows:
        new: Flow = []
        for article in flow:
            if article["anchor"] in boxes:
                continue
            new.append(article)
            new += [boxes[b] for b, target in fillers.items()
                    if target == article["anchor"] and b in boxes]
        if new:
            out.append([{**a, "space_after": i + 1 < len(new)
                         and new[i + 1]["start"] != "new-column"}
                        for i, a in enumerate(new)])
    return out


def reordered(flows: list[Flow], after: Mapping[str, str]) -> list[Flow]:
    """The flows with each notice in `after` set after the flow it names."""
    if not after:
        return flows
    moving = {flow[0]["anchor"]: flow for flow in flows if flow[0]["anchor"] in after}
    out: list[Flow] = []
    for flow in flows:
        anchor = flow[0]["anchor"]
        if anchor in moving:
            continue
        out.append(flow)
        out += [moving[a] for a, target in after.items() if target == anchor and a in moving]
    placed = {flow[0]["anchor"] for flow in out}
    return out + [flow for a, flow in moving.items() if a not in placed]


def _follows(figure: FigureContext, previous: FigureContext | None, measure: Measure
             ) -> tuple[str, bool] | None:
    """The anchor of what a photo follows as typeset, and whether it is a photo: the
    end of the paragraph before it (its marker), else the article's photo before it
    (the photo guard moves photos in their order: one it carried along follows it)."""
    marker = f"{figure['anchor']}-after-text"
    if marker in measure.pages:
        return marker, False
    return (previous["anchor"], True) if previous is not None else None


def spread_page(plan: PagePlan, means: list[Knob], measure: Measure, flows: list[Flow],
                page: int, lines: int, columns: int, spent: set[str], again: bool = False
                ) -> tuple[PagePlan, set[str]]:
    """The plan with a short page's room filled: its own photos and spaces grow,
    the rest is spread between blocks on it (`gaps_on`). When the article that
    ends on it began on an earlier page, the spaces above the articles and under
    the headlines of the pages its text flows over (from the last page started
    anew) are places too: a line more there moves the text on down this page.
    Those are gaps as well, so that a spread that pushed a headline over (the
    keep guard) is halved with the rest. A page that the article ending on it
    began earlier and that this cannot even half fill is left as it is: blank
    lines all the way back would not hide the hole; the check names it and says
    what to add. With the keys of the means it spent."""
    # The typesetter filled each short column at its own places as far as they go
    # (its spaces above articles and under headlines too): when no column is full,
    # what is left are its photos and moves across pages (the text before it
    # flowing on); with a full column, also lines that push its text on into
    # the short one (across columns).
    part = _part_closing(flows, measure, page)
    if part is not None:
        # A notice's part across the page that goes on closes it, cut where the page
        # ended it: what is above it grown would push its last block over; the room
        # under it is spread in it alone.
        values, _left = _spread_values(dict(plan.gaps), _article_gaps(part, 0, columns, False),
                                       spread_amount(natural(measure)[page - 1], lines, columns))
        return dataclasses.replace(plan, gaps=values), set()
    boxed = [(index, article) for flow in flows for index, article in enumerate(flow)
             if measure.pages.get(flow[0]["anchor"]) == page]
    if any(article.get("across") for _index, article in boxed):
        # A box the plan set across the page under a notice, in its hole: the box is
        # the page's lowest run of columns, the only one the typesetter's vertical
        # justification fills. The room is spread between the blocks of the notice
        # and of the box, which the page holds alone (the article before the notice
        # ended on the page before: the notice, set whole, went on, not its text).
        gaps = [gap for index, article in boxed
                for gap in _article_gaps(article, index, columns, True)]
        gaps += [Gap(gap_key(article["anchor"], "space"), SPACE_MOST - 1, columns)
                 for index, article in boxed if index == 0 and article.get("across")]
        values = _spread_evenly(dict(plan.gaps), gaps, spread_amount(
            natural(measure)[page - 1], lines, columns))
        return dataclasses.replace(plan, gaps=values), set()
    across = justified(measure, page) and max(measure.fills[page - 1]) < lines - SLACK
    own = [k for k in means if knob_page(k, measure) == page and k.key not in spent
           and (k.kind == "photo" or not across)]
    own += earlier_means(means, flows, measure, page, lines, spent)
    upstream = _upstream_gaps(plan, flows, measure, page, lines, columns, spent)
    if across and not upstream and not any(knob_value(plan, k) < k.most for k in own):
        return plan, {f"spread-{page}", f"spread-{page}-again"}
    measure = dataclasses.replace(measure, fills=natural(measure), give=[])
    amount = spread_amount(measure.fills[page - 1], lines, columns)
    growth = min(amount, sum((k.most - knob_value(plan, k)) * k.weight for k in own))
    grown = moved(plan, [own], growth)
    gaps = gaps_on(flows, measure, page, lines, columns, again, across) + \
        _upstream_gaps(grown, flows, measure, page, lines, columns, spent)
    values, left = _spread_values(dict(plan.gaps), gaps, amount - growth)
    if continuing(flows, measure, page, lines) is not None and left * 2 > amount:
        return plan, {f"spread-{page}-again"}  # and not tried again
    return dataclasses.replace(grown, gaps=values), {k.key for k in own}


def _part_closing(flows: list[Flow], measure: Measure, page: int) -> ArticleContext | None:
    """The part of a notice across the page that goes on (layout/notice_parts.py) set
    on `page`, which it closes: the next part opens the next page."""
    for flow in flows:
        lead = flow[0]
        if lead.get("goes_on") and lead["kind"] == "notice" and \
                measure.pages.get(lead["anchor"]) == page:
            return lead
    return None


def earlier_means(means: list[Knob], flows: list[Flow], measure: Measure, page: int,
                  lines: int, spent: set[str]) -> list[Knob]:
    """The photos and headline space of the article that began on an earlier page
    and ends on `page`, on those earlier pages: the pages between hold its text
    alone, so a photo of it a line taller (within 125 %) or a line more under its
    headline moves its end down `page` and nothing else (bench-16's page 2: its
    lead story ends 3/5 lines short before an article that starts a new page, and
    its photo on page 1 may grow). Only before an article that starts a new page
    (or the end): a flowing next article's head would move with it."""
    ending = continuing(flows, measure, page, lines)
    if ending is None or ending["continued"] or not _closes(flows, measure, page):
        return []
    start = measure.pages.get(ending["anchor"])
    if start is None or start >= page:
        return []
    photos = {f["anchor"] for f in _figures(ending)}
    found = [k for k in means if k.key not in spent and (knob_page(k, measure) or page) < page
             and ((k.kind == "photo" and k.key in photos)
                  or (k.kind == "headline" and k.key == ending["anchor"]))]
    return found


def _alone(flows: list[Flow], measure: Measure, article: ArticleContext, page: int) -> bool:
    """`article` fills the pages from the one it opens to `page` alone: nothing
    before it on the page it starts on, nothing after it on `page` (the next
    article starts a new page, or none follows)."""
    start = measure.pages.get(article["anchor"])
    if start is None or start >= page or not _closes(flows, measure, page):
        return False
    for flow in flows:
        if article in flow:
            return flow[0] is article
        if any(measure.pages.get(a["anchor"]) == start for a in flow):
            return False
    return False


def justified(measure: Measure, page: int) -> bool:
    """The typesetter's vertical justification added lines on `page`: it used the
    places of each short column there up to their caps (or filled it)."""
    return len(measure.give) >= page and any(measure.give[page - 1])


def _upstream_gaps(plan: PagePlan, flows: list[Flow], measure: Measure, page: int,
                   lines: int, columns: int, spent: set[str]) -> list[Gap]:
    """The spaces above and under the headlines of the articles that flow on to
    `page` from earlier pages (none when the article ending on it began on it),
    as far back as the last article that starts a new page; the nearest first.
    Not an article whose spaces a hole took (`spent`: shrunk to bring its head
    back to the page before, growing them would send it on again)."""
    if continuing(flows, measure, page, lines) is None or _closes(flows, measure, page):
        # Before an article that starts a new page the page's own blocks take it:
        # a line more on the pages before it risks moving one of their headlines
        # on (the keep guard), a hole there for a hole here.
        return []
    found: list[Gap] = []
    for index, flow in enumerate(flows):
        lead = flow[0]
        at = measure.pages.get(lead["anchor"])
        if at is None or at > page:
            break
        if lead["start"] == "new-page":
            found = []
        anchor = lead["anchor"]
        if anchor in spent and at < page:
            # A hole shrank its spaces to bring its head back to the page before: a
            # line anywhere above it sends the head on again (the flowing fixture at
            # [11, 10, 9, 9, 8] went back and forth for 6 rounds so).
            found = []
        if lead["continued"] or anchor in spent:
            continue
        if lead["headline_span"]:
            under = plan.headline_space.get(anchor, 1)
            if under < HEADLINE_MOST and at < page:
                found.append(Gap(gap_key(anchor, "headline"), HEADLINE_MOST - under, columns))
        if index > 0 and lead["start"] == "continue":
            above = plan.space_above.get(anchor, 1)
            if above < SPACE_MOST and at < page:
                found.append(Gap(gap_key(anchor, "space"), SPACE_MOST - above, columns))
    return list(reversed(found))


@dataclass(frozen=True)
class Gap:
    """A place between two blocks where a short page's room can go."""

    key: str  # gap_key(article anchor, body index | "above" | "foot")
    most: int  # lines at most: GAP_ARTICLES, GAP_BLOCKS or GAP_PARAGRAPHS
    weight: int  # column lines one line of it is worth (a notice across the page: each)


def gap_key(article_anchor: str, where: int | str) -> str:
    return f"{article_anchor}@{where}"


def _opens(flows: list[Flow], measure: Measure, page: int) -> bool:
    """The page opens with a flow that starts a new page (a notice's later part, an
    article with `start: new-page`): what it holds no change on the pages before moves."""
    for flow in flows:
        at = measure.pages.get(flow[0]["anchor"], 0)
        if at >= page:
            return at == page and flow[0]["start"] == "new-page"
    return False


def _closes(flows: list[Flow], measure: Measure, page: int) -> bool:
    """The page ends before a flow that starts a new page (or before nothing)."""
    for flow in flows:
        if measure.pages.get(flow[0]["anchor"], 0) > page:
            return flow[0]["start"] == "new-page"
    return True


def spread_amount(fill: list[int], lines: int, columns: int) -> int:
    """Column lines to spread on a page: each column to a line short of its foot;
    when a column is full already, the last one only (a column ended by the next
    article starting a new column)."""
    if max(fill) >= lines - SLACK:
        return max(0, lines - fill[-1] - 1)
    return sum(lines - used - 1 for used in fill)


def gaps_on(flows: list[Flow], measure: Measure, page: int, lines: int, columns: int,
            again: bool = False, across: bool = False) -> list[Gap]:
    """The places on `page` to spread its room: between the blocks of the
    articles that start on it (the page ends short of the next, so all their
    blocks are on it); when a column is full, only in the articles from the last
    one that starts a new column on (the short last column's). `across`: only
    the places that move text across a page (the tail of an article that began
    earlier): the typesetter's vertical justification used the others."""
    full = max(measure.fills[page - 1]) >= lines - SLACK
    found: list[Gap] = []
    ending = continuing(flows, measure, page, lines)
    for flow in flows:
        on_page = [i for i, a in enumerate(flow) if measure.pages.get(a["anchor"]) == page]
        if full:
            new_columns = [i for i in on_page if flow[i]["start"] == "new-column"]
            on_page = [i for i in on_page if new_columns and i >= new_columns[-1]]
        if ending is not None and (not full or not on_page):
            on_page = [i for i, a in enumerate(flow) if a is ending] + on_page
        for index in on_page:
            article = flow[index]
            if article is not ending:
                if not across:
                    found += _article_gaps(article, index, columns, above=True)
                continue
            # Its text runs on to this page: a line more in it moves its end down
            # this page. Only between its blocks near its end (estimated: its share
            # of text here, counting every earlier page as full of it, so short; a
            # second spread counts the page it starts on as half): a gap just under
            # its headline could take the lines the headline needs under it there,
            # and it would move on.
            start = measure.pages.get(article["anchor"], page)
            if _alone(flows, measure, article, page):
                # Its pages hold it alone, up to the new page after it: a line anywhere
                # in it moves its end down this page, and no other headline. The
                # places nearest its end first.
                found += list(reversed(_article_gaps(article, index, columns, above=False)))
                continue
            here = sum(measure.fills[page - 1])
            share = here / (here + (page - start - (0.5 if again else 0)) * lines * columns)
            starting = [a for f in flows for a in f if a is not article
                        and measure.pages.get(a["anchor"]) == page]
            if not starting:
                found += _tail_gaps(article, index, columns, share)
                continue
            # Articles that start on the page hold part of its lines: its tail here is
            # what they leave (their lines estimated from their characters at the
            # issue's own density, headlines and photos included: so short). Further
            # back, on the page before, no lines above a subhead: a subhead near that
            # page's foot pushed on with its first lines left a hole there
            # (text-varied-16's page 1, 4 lines).
            density = _density(flows, measure)
            tail = here - sum(_text_chars(a) for a in starting) / density
            near = {gap.key for gap in _tail_gaps(article, index, columns, min(
                share, max(0.0, tail) * density / max(1, _text_chars(article))))}
            found += [gap for gap in _tail_gaps(article, index, columns, share)
                      if gap.key in near or not _above_subhead(article, gap.key)]
    return found


def _above_subhead(article: ArticleContext, key: str) -> bool:
    """The gap `key` is the place above one of the article's subheads."""
    where = key.rpartition("@")[2]
    return where.isdigit() and article["body"][int(where)]["kind"] == "subhead"


def _density(flows: list[Flow], measure: Measure) -> float:
    """Characters of text per column line in the issue as typeset (its headlines,
    photos and spaces counted as lines: less than a column line holds)."""
    chars = sum(_text_chars(a) for flow in flows for a in flow)
    lines = sum(sum(fill) for fill in measure.fills)
    return max(1.0, chars / max(1, lines))


def _tail_gaps(article: ArticleContext, index: int, columns: int, share: float) -> list[Gap]:
    """An article's gaps between its blocks in the last `share` of its text."""
    body = article["body"]
    sizes = [_item_chars(item) for item in body]
    total = sum(sizes)
    after = total
    first = len(body)
    for i, size in enumerate(sizes):
        if after <= share * total:
            first = i
            break
        after -= size
    keys = {gap_key(article["anchor"], i) for i in range(first, len(body))}
    keys.add(gap_key(article["anchor"], "foot"))
    return [gap for gap in _article_gaps(article, index, columns, above=False)
            if gap.key in keys]


def _article_gaps(article: ArticleContext, index: int, columns: int, above: bool
                  ) -> list[Gap]:
    """The places between an article's blocks where a spread may put lines (`index`:
    its place in its flow; `above`: the space above it too): `gap_places`, shared
    with the typesetter's vertical justification."""
    # A notice in one wide column (and a box the plan set across the page under one).
    across = index == 0 and (article["kind"] == "notice" or bool(article.get("across")))
    if article.get("goes_on") and not across:
        # A notice's part that goes on was cut to fill its page (layout/notice_parts.py):
        # a line more in it pushes its last block over, and the next round cuts it
        # shorter, for good (a notice in a column beside a story's short column).
        # Across the page the room under it is its own (its next block did not fit
        # there whole): a spread, a line short of the foot, fills that.
        return []
    weight = columns if across else 1
    anchor = article["anchor"]
    places = gap_places(article, index)
    found: list[Gap] = []
    if above and places.above:
        found.append(Gap(gap_key(anchor, "above"), places.above, weight))
    found += [Gap(gap_key(anchor, i), most, weight)
              for i, most in enumerate(places.items) if most]
    if places.foot:
        found.append(Gap(gap_key(anchor, "foot"), places.foot, weight))
    return found


def continuing(flows: list[Flow], measure: Measure, page: int, lines: int
               ) -> ArticleContext | None:
    """The article that began on an earlier page and whose text runs on to `page`
    (none when `page` opens with an article that starts a new page, when no
    column of the page before reaches its foot, or when the last article there is
    set whole: it ended there)."""
    if page < 2 or max(measure.fills[page - 2]) < lines - SLACK:
        return None
    last: ArticleContext | None = None
    for flow in flows:
        for article in flow:
            at = measure.pages.get(article["anchor"])
            if at is None:
                continue
            if at >= page:
                opens = at == page and article is flow[0] and article["start"] == "new-page"
                return None if opens else _flowing(last)
            last = article
    return _flowing(last)


def _flowing(article: ArticleContext | None) -> ArticleContext | None:
    """`article` unless it is set whole (a notice, a box): such a block does not
    run on to the next page, the next article went there."""
    return None if article is None or article["kind"] in ("notice", "box") else article


def spread(plan: PagePlan, gaps: list[Gap], amount: int) -> PagePlan:
    """The plan with `amount` column lines spread over `gaps`, a line at a time
    in their order, evenly: a line at every place (between paragraphs last),
    then a second, a third, each place up to its most. What is left over stays
    (the check reports the page)."""
    return dataclasses.replace(plan, gaps=_spread_values(dict(plan.gaps), gaps, amount)[0])


def _spread_values(values: dict[str, int], gaps: list[Gap], amount: int
                   ) -> tuple[dict[str, int], int]:
    """`spread`'s gaps and the column lines it could not place."""
    left = amount
    # Between paragraphs last, once the other places are at their most: in Chinese
    # setting a paragraph is marked by its indent, and a blank line between two
    # reads as a section break (clreq 3.1.3; books and bulletins set none).
    blocks = [gap for gap in gaps if gap.most != GAP_PARAGRAPHS]
    paragraphs = [gap for gap in gaps if gap.most == GAP_PARAGRAPHS]
    for group in (blocks, paragraphs):
        for level in range(1, GAP_ARTICLES + 1):
            for gap in group:
                if values.get(gap.key, 0) < min(level, gap.most) and gap.weight <= left:
                    values[gap.key] = values.get(gap.key, 0) + 1
                    left -= gap.weight
    return values, left


def _spread_evenly(values: dict[str, int], gaps: list[Gap], amount: int) -> dict[str, int]:
    """`_spread_values` with the lines between paragraphs, when fewer than their
    places, spread evenly down the page (as the typesetter's vertical justification
    gives them), not to the first places: a notice's first items parted by blank
    lines over its last ones set tight reads as two notices."""
    def block(gap: Gap) -> bool:  # (the space above an article: a block's place too)
        return gap.most != GAP_PARAGRAPHS or gap.key.endswith("@space")

    values, left = _spread_values(values, [gap for gap in gaps if block(gap)], amount)
    paragraphs = [gap for gap in gaps if not block(gap)
                  and values.get(gap.key, 0) < gap.most and gap.weight <= left]
    weight = max((gap.weight for gap in paragraphs), default=1)
    count = min(len(paragraphs), left // weight)
    for k in range(count):
        gap = paragraphs[math.floor((k + 0.5) * len(paragraphs) / count)]
        values[gap.key] = values.get(gap.key, 0) + 1
    return values


def halved(before: Mapping[str, int], after: Mapping[str, int]) -> dict[str, int]:
    """Gaps half way from `before` to `after` (a spread that pushed a block over)."""
    return {key: before.get(key, 0) + (after.get(key, 0) - before.get(key, 0)) // 2
            for key in {*before, *after}}


def _figures(article: ArticleContext) -> list[FigureContext]:
    return [*article["full_width_figures"],
            *(item["figure"] for item in article["body"] if item["figure"] is not None)]


def heading_photo(article: ArticleContext) -> FigureContext | None:
    """The photo that opens the article's text (placement top: at the head of its
    first column), if any."""
    body = article["body"]
    return body[0]["figure"] if body else None


def photo_to_fit(figure: FigureContext | None, means: list[Knob], room: int
                 ) -> int | None:
    """Image lines for a photo heading a column so that it and its caption fit in
    `room` lines: as typeset when they fit, else smaller, down to PHOTO_LEAST of
    the layout's height (its `means`); None when even that is too tall (no photo:
    0 when `room` is not negative)."""
    if figure is None:
        return 0 if room >= 0 else None
    lines = figure["image_lines"]
    if lines + figure["caption_lines"] <= room:
        return lines
    knob = next((k for k in means if k.kind == "photo" and k.key == figure["anchor"]), None)
    least = knob.least if knob is not None else max(1, math.ceil(lines * PHOTO_LEAST))
    fitted = room - figure["caption_lines"]
    return fitted if fitted >= least else None


def knob_value(plan: PagePlan, knob: Knob) -> int:
    """What `plan` gives this knob (its natural value when the plan leaves it)."""
    table = {"photo": plan.photo_lines, "headline": plan.headline_space,
             "space": plan.space_above}[knob.kind]
    return table.get(knob.key, knob.natural)


def moved(plan: PagePlan, groups: list[list[Knob]], amount: int) -> PagePlan:
    """The plan with `amount` column lines more (negative: fewer), one line at a
    time, group by group (a page's means, the last page first), within a group
    by kind (photos, then headline spaces, then article spaces) until it is
    reached or the means are spent. Overshooting by a line is allowed: a column
    ends a line short."""
    values: dict[tuple[str, str], int] = {}
    step = 1 if amount > 0 else -1
    left = abs(amount)
    for group in groups:
        for kind in ("photo", "headline", "space"):
            means = [k for k in group if k.kind == kind]
            progress = True
            while left > 0 and progress:
                progress = False
                for knob in means:
                    value = values.get((kind, knob.key), knob_value(plan, knob))
                    if left <= 0 or not knob.least <= value + step <= knob.most \
                            or knob.weight > left + 1:
                        continue
                    values[(kind, knob.key)] = value + step
                    left -= knob.weight
                    progress = True

    def table(kind: str, before: Mapping[str, int]) -> dict[str, int]:
        return {**before, **{key: v for (k, key), v in values.items() if k == kind}}

    return dataclasses.replace(plan, photo_lines=table("photo", plan.photo_lines),
                               space_above=table("space", plan.space_above),
                               headline_space=table("headline", plan.headline_space))


def set_to(plan: PagePlan, values: Mapping[Knob, int]) -> PagePlan:
    """The plan with each means in `values` set to its value there."""
    def table(kind: str, before: Mapping[str, int]) -> dict[str, int]:
        return {**before, **{k.key: v for k, v in values.items() if k.kind == kind}}

    return dataclasses.replace(plan, photo_lines=table("photo", plan.photo_lines),
                               space_above=table("space", plan.space_above),
                               headline_space=table("headline", plan.headline_space))


def by_page(means: list[Knob], measure: Measure) -> list[list[Knob]]:
    """The means grouped by the page they are on, the last page first."""
    pages = sorted({knob_page(k, measure) or 0 for k in means}, reverse=True)
    return [[k for k in means if (knob_page(k, measure) or 0) == page] for page in pages]


def lines_per_article(context: IssueContext, amount: int) -> list[tuple[ArticleContext, int]]:
    """`amount` column lines shared among the articles by their length: what each
    should gain (or lose) for the issue to fill its pages."""
    articles = [a for a in context["articles"]]
    sizes = [max(1, _text_chars(a)) for a in articles]
    total = sum(sizes)
    shares = [round(amount * size / total) for size in sizes]
    shares[sizes.index(max(sizes))] += amount - sum(shares)  # rounding goes to the longest
    return [(a, s) for a, s in zip(articles, shares, strict=True) if s]


def _text_chars(article: ArticleContext) -> int:
    return sum(_item_chars(item) for item in article["body"])


def _item_chars(item: BodyItem) -> int:
    """Characters of a block's text: its spans, list entries and what they nest,
    a quote's paragraphs, a table's cells."""
    table = item["table"]
    cells = [c for row in [*table["head"], *table["rows"]] for c in row] if table else []
    return (sum(len(span.text) for spans in [item["spans"], *item["entries"]] for span in spans)
            + sum(_item_chars(sub) for subs in item["nested"] for sub in subs)
            + sum(_item_chars(child) for child in item["children"])
            + sum(len(span.text) for c in cells for span in c["spans"]))


# Pushing in (追い込み): a paragraph whose last line holds a few characters set a
# line shorter by squeezing its full-width punctuation (typeset/ext/line_fit.py,
# cjk_justify.squeeze: at most PUSH_EM a line, each mark at most its blank half).
# Which paragraph can is known only when it is laid out (its text does not tell
# where its lines break closely enough): the plan sets the paragraphs of the last
# pages pushed in, as many as the lines it needs ask for, and the typesetter
# pushes in only those it sets a line shorter; the others stay as they were.
PUSH_HITS = 0.15  # of the paragraphs set pushed in, the share that save a line
_SQUEEZABLE = frozenset("，。、；：”’）》」』〉】“‘（《「『〈【")


def may_push(item: BodyItem, column: int) -> bool:
    """Could pushing in set the paragraph a line shorter: is it longer than a line,
    with marks to squeeze (two a line give a character)?"""
    if item["kind"] != "paragraph" or item.get("role") in ("verse", "salutation"):
        return False
    text = "".join(span.text for span in item["spans"])
    return len(text) > column and sum(char in _SQUEEZABLE for char in text[:-1]) >= 2


def _paragraphs_by_page(flows: list[Flow], measure: Measure) -> list[tuple[int, int, str]]:
    """(page, place in the issue, anchor) of each paragraph, by its article's page."""
    found: list[tuple[int, int, str]] = []
    for flow in flows:
        for article in flow:
            page = measure.pages.get(article["anchor"], 0)
            found += [(page, len(found), paragraph_anchor(article, index))
                      for index, _item in enumerate(article["body"])]
    return found


def pushed_in(plan: PagePlan, flows: list[Flow], measure: Measure, lines: int, column: int
              ) -> PagePlan:
    """The plan with more paragraphs set pushed in, for `lines` column lines (about
    PUSH_HITS of them save one): from the last page back (a line taken there moves
    the fewest pages), within a page from its last paragraph back."""
    items = {paragraph_anchor(article, index): item for flow in flows for article in flow
             for index, item in enumerate(article["body"])}
    found = sorted(((page, order, anchor) for page, order, anchor
                    in _paragraphs_by_page(flows, measure)
                    if anchor not in plan.pushed and may_push(items[anchor], column)),
                   reverse=True)
    chosen = {anchor for *_, anchor in found[:math.ceil(lines / PUSH_HITS)]}
    if not chosen:
        return plan
    return dataclasses.replace(plan, pushed=plan.pushed | chosen)


def pushed_back(plan: PagePlan, flows: list[Flow], measure: Measure, count: int) -> PagePlan:
    """The plan with `count` of its paragraphs set pushed in set as they were again,
    the first pages' first (those `pushed_in` took last): the issue was pushed in
    further than it needed."""
    pushed = sorted((page, order, anchor) for page, order, anchor
                    in _paragraphs_by_page(flows, measure) if anchor in plan.pushed)
    back = {anchor for *_, anchor in pushed[:count]}
    return dataclasses.replace(plan, pushed=plan.pushed - back)


# Jumps


def paragraph_anchor(article: ArticleContext, index: int) -> str:
    return f"{article['anchor']}-item-{index + 1}"


def continued_anchor(article_anchor: str) -> str:
    return f"{article_anchor}-continued"


def jump_anchor(article_anchor: str) -> str:
    return f"{article_anchor}-jump"


def cut_for(article: ArticleContext, flows: list[Flow], measure: Measure,
            cut: Cut | None, planned: int | None = None) -> Cut:
    """Where an article with `continue_on` jumps: after the last paragraph that
    ends on the page it starts on (the page closes with it; what follows fills
    the rest), before the first later article that starts on the page it
    continues on, or after the last article when that is the last page (of the
    `planned` pages, or of the issue): there it stays while pages move. `cut`:
    the last round's, checked: if its jump line went over to the next page, a
    paragraph less stays."""
    start = measure.pages.get(article["anchor"], 1)
    body = article["body"]
    if cut is None:
        starts = [measure.pages.get(paragraph_anchor(article, i))
                  if item["kind"] != "figure" else None for i, item in enumerate(body)]
        later = [i for i, page in enumerate(starts) if page == start and i > 0]
        keep = later[-1] if later else 1
    else:
        keep = cut.keep
        if measure.pages.get(jump_anchor(article["anchor"]), start) > start and keep > 1:
            keep = _previous_text(body, keep)
    keep = max(1, min(keep, len(body) - 1))
    last = planned or len(measure.fills)
    target = article["continue_on"] or 0
    if target >= last:
        return Cut(keep, None)
    landed = measure.pages.get(continued_anchor(article["anchor"]))
    if cut is not None and cut.before is not None and landed is not None:
        if landed == target:
            return Cut(keep, cut.before)  # there: it stays while the pages move
        if landed < target:
            # The text above the article it precedes ended on the page before with
            # room: it goes after that article instead.
            return Cut(keep, _next_flow(flows, cut.before))
    return Cut(keep, _continues_before(article, flows, measure))


def _next_flow(flows: list[Flow], anchor: str) -> str | None:
    """The flow after the one with `anchor` (None: it is the last)."""
    leads = [flow[0]["anchor"] for flow in flows if not flow[0]["continued"]]
    index = leads.index(anchor) if anchor in leads else len(leads)
    return leads[index + 1] if index + 1 < len(leads) else None


def front_jump(flows: list[Flow], measure: Measure, lines: int) -> ArticleContext | None:
    """The lead story of page 1 when page 1 must close: it runs on past page 1,
    and the page its text ends on is left with a hole before an article that
    starts a new page (its blocks are on two pages: no spread fills it). The plan
    cuts it at the foot of page 1 and continues it on the last page."""
    if len(flows) < 2:
        return None
    lead, nxt = flows[0][0], flows[1][0]
    if lead["kind"] != "story" or lead["continue_on"] or lead["continued"] or \
            len(lead["body"]) < 2 or measure.pages.get(lead["anchor"]) != 1 or \
            nxt["start"] != "new-page":
        return None
    ends = measure.pages.get(nxt["anchor"], 0) - 1  # the page the lead's text ends on
    if ends < 2 or ends > len(measure.fills):
        return None
    fill = natural(measure)[ends - 1]
    if sum(fill) <= SPILL * len(fill):
        return None  # a few lines run over: the check says how many to cut (copyfit.spill)
    return lead if any(page == ends for page, _, _ in holes(measure, lines)) else None


def _previous_text(body: list[BodyItem], keep: int) -> int:
    earlier = [i for i in range(1, keep) if body[i]["kind"] != "figure"]
    return earlier[-1] if earlier else 1


def _continues_before(article: ArticleContext, flows: list[Flow], measure: Measure
                      ) -> str | None:
    target = article["continue_on"] or 0
    seen = False
    for flow in flows:
        if any(a["anchor"] == article["anchor"] for a in flow):
            seen = True
            continue
        if seen and not flow[0]["continued"] and \
                measure.pages.get(flow[0]["anchor"], 0) >= target:
            return flow[0]["anchor"]
    return None


# Applying a plan


def apply(context: IssueContext, plan: PagePlan, line: float,
          wording: tuple[str, str] = (JUMP_OUT, JUMP_IN),
          measure_cuts: frozenset[str] = frozenset()) -> IssueContext:
    """The context with the plan's photo heights, spaces and jumps; the articles
    in `measure_cuts` (ids) get an anchor on each paragraph, for `cut_for`."""
    photos = {p.photo[0]: p.photo[1] for p in plan.pulled.values() if p.photo is not None}
    if photos:
        plan = dataclasses.replace(plan, photo_lines={**plan.photo_lines, **photos})
    flows: list[Flow] = []
    continuations: dict[str | None, list[Flow]] = {}
    moves = {anchor: move.paragraphs for anchor, move in plan.photo_moves.items()}
    for pull in plan.pulled.values():
        if pull.lowered is not None:  # (a later move of the plan's goes on from there)
            moves[pull.lowered[0]] = moves.get(pull.lowered[0], 0) + pull.lowered[1]
    # A notice set after boxes that head a set of columns with a story goes between
    # them, as after a box alone: the story follows it (a notice set in parts then
    # goes back to its place, and the boxes and the story share columns again).
    between = {flow[0]["anchor"]: flow[1]["anchor"] for flow in context["flows"]
               if len(flow) > 1 and flow[0]["kind"] == "box"
               and flow[0]["anchor"] in plan.after.values()}
    apart = set_apart(context["flows"], {**between, **plan.asides}, context["articles"])
    flows_in = with_insets(with_leads(with_across(reordered(with_fillers(
        moved_flows(apart, moves), {**plan.fillers, **plan.asides}), plan.after),
        plan.across), plan.leads), plan.insets)
    parts: dict[str, tuple[notice_parts.Cut, ...]] = dict(plan.parts)
    whole, ends = frozenset[str](), plan.ends_on
    for article in (a for flow in flows_in for a in flow if a["id"] == ends):
        if len(article["body"]) < 2:
            continue
        if article["kind"] == "notice" and ends not in parts:
            parts[article["id"]] = ((len(article["body"]) - 1, 0),)
            whole = frozenset({article["id"]})
        elif ends not in plan.cuts:
            plan = dataclasses.replace(plan, cuts={**plan.cuts, article["id"]: Cut(
                len(article["body"]) - 1, None)})
    for flow in notice_parts.split_flows(flows_in, parts, whole):
        new_flow: Flow = []
        for article in flow:
            changed = _applied(article, plan, line, article["id"] in measure_cuts)
            if article["id"] in plan.pulled and article is flow[0]:
                changed = {**changed, "start": "continue"}  # under the article before it
            cut = plan.cuts.get(article["id"])
            if cut is None or cut.keep >= len(article["body"]):
                new_flow.append(changed)
                continue
            first, rest = _split(changed, cut.keep, wording)
            if article["id"] == ends:
                # On the colophon's page, not under its own cut: the very next page,
                # so the text runs on as the reader turns the page, with no jump
                # lines (（下转第7版） on page 6 is never printed) and no headline
                # repeated; its foot (QR code, 落款) goes with it.
                first = {**first, "jump_out": None}
                rest = {**rest, "start": "new-page", "resumed": True, "jump_in": None}
            rest = _gapped(rest, plan)
            new_flow.append(first)
            continuations.setdefault(cut.before, []).append([rest])
        flows.append(new_flow)
    placed: list[Flow] = []
    for flow in flows:
        before = continuations.pop(flow[0]["anchor"], [])
        if before and flow[0]["start"] == "new-page":
            # The continuation opens the page the article it precedes opened: put
            # before it at the end of the page above, it would land a page early.
            before[0] = [{**before[0][0], "start": "new-page"}, *before[0][1:]]
            flow = [{**flow[0], "start": "continue"}, *flow[1:]]
        placed += before
        placed.append(flow)
    for left_over in continuations.values():
        placed += left_over
    # A box the plan's moves left alone after a story joins the story's columns, at
    # their end; one left alone before a story (a notice set after the story, or in
    # parts) shares the story's columns, as in the context's flows.
    placed = sidebars_joined(lone_boxes_joined(placed, plan.leads.keys()), apart=plan.pulled.keys())
    articles = [a for flow in placed for a in flow]
    order = {a["anchor"]: i for i, a in enumerate(articles)}
    # The contents box lists the articles as they follow each other (a notice set
    # later is listed later).
    toc = sorted(context["toc"], key=lambda entry: order.get(entry["anchor"], len(order)))
    return {**context, "flows": placed, "articles": articles, "toc": toc}


def _applied(article: ArticleContext, plan: PagePlan, line: float, anchors: bool
             ) -> ArticleContext:
    def figure(f: FigureContext) -> FigureContext:
        lines = plan.photo_lines.get(f["anchor"])
        if lines is None or lines == f["image_lines"]:
            return f
        if "aspect" in f:  # shown whole (a notice's, an upright one): its width follows
            return shown_whole(f, lines, line)
        changed: FigureContext = {**f, "image_lines": lines, "lines": lines + f["caption_lines"],
                                  "image_height": f"{lines * line:g}pt"}
        return changed

    body: list[BodyItem] = []
    for index, item in enumerate(article["body"]):
        new = {**item, "figure": figure(item["figure"])} if item["figure"] else dict(item)
        if anchors and item["kind"] != "figure":
            new["anchor"] = paragraph_anchor(article, index)
        if paragraph_anchor(article, index) in plan.pushed:
            new["push"] = True
        body.append(new)  # type: ignore[arg-type]
    classes = []
    anchor = article["anchor"]
    # A spread's lines above an article and under its headline (`_upstream_gaps`).
    above = plan.space_above.get(anchor, 1) + plan.gaps.get(gap_key(anchor, "space"), 0)
    if above != 1:
        classes.append(f"space-above-{above}")
    under = plan.headline_space.get(anchor, 1) + plan.gaps.get(gap_key(anchor, "headline"), 0)
    if under != 1:
        classes.append(f"headline-space-{under}")
    return _gapped({**article, "body": body,
                    "full_width_figures": [figure(f) for f in article["full_width_figures"]],
                    "plan_classes": " ".join(classes), "space_lines": above,
                    "headline_lines": under}, plan)


def _gapped(article: ArticleContext, plan: PagePlan) -> ArticleContext:
    """The article with the plan's gaps between its blocks (keyed by its anchor: a
    jumped article's continuation has its own)."""
    anchor = article["anchor"]
    body = [{**item, "gap": plan.gaps.get(gap_key(anchor, index), 0)}
            for index, item in enumerate(article["body"])]
    return {**article, "body": body,  # type: ignore[typeddict-item]
            "gap_above": plan.gaps.get(gap_key(anchor, "above"), 0),
            "gap_foot": plan.gaps.get(gap_key(anchor, "foot"), 0)}


def _split(article: ArticleContext, keep: int, wording: tuple[str, str]
           ) -> tuple[ArticleContext, ArticleContext]:
    anchor = article["anchor"]
    rest_anchor = continued_anchor(anchor)
    out_before, out_after = _wording(wording[0])
    in_before, in_after = _wording(wording[1])
    jump_out: JumpLine = {"anchor": jump_anchor(anchor), "href": f"#{rest_anchor}",
                          "before": out_before, "after": out_after, "page": None}
    jump_in: JumpLine = {"anchor": f"{rest_anchor}-jump", "href": f"#{anchor}",
                         "before": in_before, "after": in_after, "page": None}
    # A QR code and the 落款 end the article: they go with its continuation.
    first: ArticleContext = {**article, "body": article["body"][:keep], "jump_out": jump_out,
                             "qr": None, "signature": None}
    rest: ArticleContext = {
        **article, "anchor": rest_anchor, "text_anchor": f"{article['text_anchor']}-continued",
        "section": None, "subtitle": None, "byline": None, "start": "continue",
        "headline_span": True, "full_width_figures": [], "body": article["body"][keep:],
        "continued": True, "jump_in": jump_in, "jump_out": None, "plan_classes": ""}
    return first, rest


def _wording(text: str) -> tuple[str, str]:
    before, _, after = text.partition("{page}")
    return before, after


def with_jump_pages(flows: list[Flow], pages: Mapping[str, int]) -> list[Flow]:
    """The jump lines' page numbers given (page runs count their own pages; the
    one-document build lets the renderer count them, like the contents box's)."""
    def given(jump: JumpLine | None) -> JumpLine | None:
        if jump is None:
            return None
        return {**jump, "page": pages.get(jump["href"].removeprefix("#"))}

    return [[{**a, "jump_out": given(a["jump_out"]), "jump_in": given(a["jump_in"])}
             for a in flow] for flow in flows]
