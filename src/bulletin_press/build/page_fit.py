"""The page plan met: typeset, measure, adjust, typeset again, a few rounds at most.

Both builds use it: the one-document build (check, archive) typesets the
whole issue each round; the page-run build (build) typesets only the runs a
round changed (a photo on the last page changes only the last run). Round 1
is the build without a plan; a round more for each article's jump while its
cut or its continuation's place settles; then, with `pages:` planned and the
issue within a third of a page of it, a round for each adjustment (usually
one or two); further off, none: the findings say what to cut or add per
article. An issue without `pages:` and without jumps costs nothing more;
one whose colophon was left alone on its last page is planned one page
shorter.
"""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from bulletin_press.diagnostics import Diagnostic, article_name, info, photo_name, warning
from bulletin_press.i18n import _, ngettext
from bulletin_press.layout import notice_parts, page_plan, pull_up, pushed_photo
from bulletin_press.layout.context import ArticleContext
from bulletin_press.layout.page_plan import Knob, Measure, PagePlan, knob_value
from bulletin_press.layout.prepare import Prepared
from bulletin_press.layout.render import LaterHtml, render_html

R = TypeVar("R")
_DEBUG = bool(os.environ.get("BP_PLAN_DEBUG"))
ROUNDS = 6  # typesettings at most, the first included


@dataclass(frozen=True)
class Measured(Measure):
    """A measure with the height of each flow's head (its headline and the space
    under it, to the top of its columns) in lines, on the page the flow starts
    on (by its lead's anchor; a flow whose head a page cut is not in it)."""

    heads: Mapping[str, float] = field(default_factory=dict)
    # A notice across the page that opens a page, set whole on it: its height in lines,
    # frame to frame, by its anchor (`notice_heights`: pull_up starts it in a hole it fits).
    wholes: Mapping[str, float] = field(default_factory=dict, kw_only=True)
    # Issue page → where the text after its last box would go on, in lines from the
    # text area's top (a page run's foot; its columns' box ends below their last line).
    feet: Mapping[int, float] = field(default_factory=dict)


def head_lines(flows: list[list[ArticleContext]],
               boxes: Mapping[str, tuple[int, Sequence[float]]], line: float,
               page_top: float | None = None, page_left: float | None = None
               ) -> dict[str, float]:
    """`Measured.heads` from where anchors are: anchor → (page, its box, its top at
    index 1); `line`: the grid line in the boxes' unit; `page_top`: the top of a page's
    text in it (the page margin), when no article opens a page to show it;
    `page_left`: the left edge of the first column (a box's top is given only in
    that column: one atop the second stands beside the first's text)."""
    found: dict[str, float] = {}
    for flow in flows:
        lead = flow[0]
        top, text = boxes.get(lead["anchor"]), boxes.get(lead["text_anchor"])
        if top is not None and text is not None and top[0] == text[0]:
            found[lead["anchor"]] = (text[1][1] - top[1][1]) / line
    # A box in the columns of the article before it, on a later page than that
    # article's head: its top in lines under the top of a page's text, as a page an
    # article opens has it (page_plan.filler_box).
    opens = [boxes[flow[0]["anchor"]][1][1] for flow in flows
             if flow[0]["start"] in ("new-page", "new-page-always")
             and flow[0]["anchor"] in boxes and boxes[flow[0]["anchor"]][0] > 1]
    if not opens and page_top is not None:
        opens = [page_top]  # (a box alone at the top of a page: page_plan.box_leads)
    for flow in flows:
        head = boxes.get(flow[0]["anchor"])
        for article in flow[1:]:
            at = boxes.get(article["anchor"])
            if opens and article["kind"] == "box" and at is not None and head is not None \
                    and at[0] > head[0] and (page_left is None
                                             or at[1][0] < page_left + 3 * line):
                found[article["anchor"]] = (at[1][1] - min(opens)) / line
    return found


def notice_heights(flows: list[list[ArticleContext]],
                boxes: Mapping[str, tuple[int, Sequence[float]]], line: float
                ) -> dict[str, float]:
    """`Measured.wholes` from where anchors are (as `head_lines`): each notice across
    the page that opens a page (`start: new-page`), set whole, its foot on the page
    its frame starts on: the frame's height in lines."""
    found: dict[str, float] = {}
    for flow in flows:
        lead = flow[0]
        if len(flow) > 1 or lead["kind"] != "notice" or lead["start"] != "new-page" or \
                lead["continued"] or lead.get("flows_on") or lead.get("goes_on"):
            continue
        frame, foot = boxes.get(lead["anchor"]), boxes.get(f"{lead['anchor']}-foot")
        if frame is not None and (foot is None or foot[0] == frame[0]):
            found[lead["anchor"]] = (frame[1][3] - frame[1][1]) / line
    return found


@dataclass
class Fitted(Generic[R]):
    result: R
    prepared: Prepared  # with the plan applied: what `result` was typeset from
    measure: Measure
    plan: PagePlan
    rounds: int
    findings: list[Diagnostic] = field(default_factory=list)


def planned(prepared: Prepared, plan: PagePlan, measure_cuts: frozenset[str] = frozenset()
            ) -> Prepared:
    """`prepared` with the plan applied to its context, and the HTML for it."""
    context = prepared.context.context
    if plan == PagePlan() and not measure_cuts and not any(
            a["continue_on"] for a in context["articles"]):
        return prepared
    spec = prepared.layout.spec.options
    wording = (str(spec.get("jump_out", page_plan.JUMP_OUT)),
               str(spec.get("jump_in", page_plan.JUMP_IN)))
    new = page_plan.apply(context, plan, prepared.layout.geometry.line, wording, measure_cuts)
    result = dataclasses.replace(prepared.context, context=new)
    return dataclasses.replace(prepared, context=result, html=LaterHtml(prepared.layout, new))


def fit(prepared: Prepared, typeset_round: Callable[[Prepared], tuple[R, Measure]],
        rounds: int | None = None, start: PagePlan | None = None) -> Fitted[R]:
    """The issue typeset to fill its planned pages (see the module's docstring),
    in at most `rounds` typesettings (default ROUNDS), starting from the plan
    `start` (the preview's last: after a small edit it is often met at once)."""
    manifest = prepared.issue.manifest
    g = prepared.layout.geometry
    base = prepared.context.context
    asked = [a for a in base["articles"] if a["continue_on"]]  # layout: {continue_on: N}
    jumping = list(asked)  # and the front page's lead when the plan jumps it
    # The colophon's room is what the planned pages need: measured when planned.
    colophon = colophon_room(prepared) if manifest.pages else \
        base["colophon_lines"] + 1 if base["colophon_position"] == "foot" else 0
    # A notice's parts are measured afresh: after an edit, one may fit a page again.
    # The last resort for a colophon alone is tried afresh too: after the edit it may
    # not be needed.
    plan = dataclasses.replace(start, parts={}, ends_on=None) if start else PagePlan()
    means = page_plan.knobs(base, g.columns, g.line)  # from the layout's own heights
    history: list[Fitted[R]] = []
    spent = set(plan.fixed)  # means the holes took
    reflowed: set[str] = set()  # notices in parts set whole again (notice_parts.parts)
    target = manifest.pages
    most = rounds or ROUNDS
    chosen_on: int | None = None  # the page count the pull-ups were chosen on
    kept: list[pull_up.Kept] = []  # the articles that keep their new pages, and why
    far = False  # `pages:` further off than the plan makes up (page_plan.limit)
    why = "the build"  # the decision that asked for the round (BP_PLAN_DEBUG prints it)
    trimmed: frozenset[str] = frozenset()  # means the round's plan cut for a text too long
    for number in range(1, most + 1):
        unmeasured = frozenset(a["id"] for a in jumping if a["id"] not in plan.cuts)
        current = planned(prepared, plan, unmeasured)
        result, measure = typeset_round(current)
        cut_last, trimmed = trimmed, frozenset()
        history.append(Fitted(result, current, measure, plan, number))
        if _DEBUG:
            print("round", number, "for", why, measure.fills, dict(plan.photo_lines),
                  dict(plan.space_above), dict(plan.headline_space), dict(plan.cuts),
                  dict(plan.gaps), "pushed", len(plan.pushed))
            print("  articles' pages", {k: v for k, v in measure.pages.items()
                                        if k.startswith("article-")})
            print("  give", measure.give, "colophon", colophon, "pulled", dict(plan.pulled),
                  "after", dict(plan.after), "moves", dict(plan.photo_moves),
                  "parts", dict(plan.parts))
        cuts = {a["id"]: page_plan.cut_for(a, current.context.context["flows"], measure,
                                           plan.cuts.get(a["id"]), manifest.pages)
                for a in jumping}
        if number == most:
            break
        alone = _alone(measure)  # the colophon
        if number == 1 and target is not None and manifest.pages and not page_plan.fits(
                measure, target, g.lines, colophon) and abs(page_plan.room(
                measure, target, g.lines, colophon)) > page_plan.limit(
                g.lines, g.columns) + _hole_lines(measure, g.lines):
            # Further off than the plan makes up, with the holes it closes on the way
            # (a head that went on to the next page comes back): the editor cuts or adds text (the
            # findings say how much per article), and every page moves with it, so
            # nothing is adjusted now: the build is round 1 (the rounds a jump asked
            # for aside, to place its cut). When the colophon stands alone on the
            # last page, one round more takes it back onto the page before (below).
            far = True
        ending = far and not (alone and number == 1)
        # A notice longer than a page: set in parts where the page broke it, then
        # checked (layout/notice_parts.py), before anything else the plan changes.
        parts = notice_parts.parts(current.context.context["flows"], measure.pages,
                                   plan.parts, page_plan.natural(measure), g.lines,
                                   frozenset(plan.after) | _pulled_anchors(current, plan),
                                   frozenset(reflowed))
        # A notice in parts set whole again (its first part no longer filled its
        # page): once, each (notice_parts.parts).
        reflowed |= {n for n, cuts in plan.parts.items() if cuts and n not in parts}
        # A notice's part that goes on was cut to fill its page: a photo, headline or
        # space grown on that page (its own or a story's above it) pushes the part's
        # last lines over and （续下页） onto a page of its own. Those means stay.
        held = {measure.pages.get(article["anchor"]) for flow in current.context.context[
            "flows"] for article in flow if article.get("goes_on")}
        spent |= {k.key for k in means if page_plan.knob_page(k, measure) in held}
        if parts != dict(plan.parts):
            # A notice set in parts fills the page it starts on from its own place: one
            # set whole that went on to the next page was set after the article that
            # followed it (`PagePlan.after`, a box in one column), and in parts it
            # would follow that box, the column beside the box empty above it and, with
            # only a few lines left under it, its first part no more than its title and
            # （续下页）. It goes back to its own place.
            split = {a["anchor"] for flow in current.context.context["flows"] for a in flow
                     if a["id"] in parts and not a["continued"]}
            after = {a: t for a, t in plan.after.items() if a not in split}
            plan = dataclasses.replace(plan, parts=parts, after=after)
            why = "a notice set in parts"
            continue
        if ending and not asked:
            break
        if manifest.pages and not ending and len(jumping) == len(asked) and not plan.cuts:
            # With pages planned, page 1 must close: the lead continues on the last
            # page. A round to find where its paragraphs fall, then its cut. (An issue
            # without a plan keeps its articles whole: bench-16's two-page stories.)
            lead = page_plan.front_jump(current.context.context["flows"], measure, g.lines)
            if lead is not None:
                jumping.append({**lead, "continue_on": manifest.pages})
                why = "the front page's lead jumped"
                continue
        if cuts != dict(plan.cuts):
            plan = dataclasses.replace(plan, cuts=cuts)
            why = "a jump's cut"
            continue
        if ending:
            break
        # A hole before a new-page article that its page cannot fill: the article
        # starts in it (layout/pull_up.py), before any spread of the pages it moves.
        # All of them decided in the first round that gets here, on its measure; the
        # rounds after only check them.
        heads = measure.heads if isinstance(measure, Measured) else {}
        decided = pull_up.pulls(current.context.context["flows"], measure, heads, plan, means,
                                spent, g.lines, g.columns, target, decide=chosen_on is None,
                                natural_pages=chosen_on,
                                wholes=measure.wholes if isinstance(measure, Measured) else {},
                                column_chars=current.layout.spec.page.column_chars)
        if chosen_on is None and not decided.failed:  # (a start plan's undone: next round)
            chosen_on, kept = len(measure.fills), decided.kept
        spent |= decided.failed
        if decided.pulled.keys() != plan.pulled.keys():
            changed = decided.pulled.keys() ^ plan.pulled.keys()
            plan = dataclasses.replace(plan, pulled=decided.pulled)
            # The holes on the pages before the first one the pull-ups change are
            # filled in the same round: those pages stay as measured (text-16's page
            # 8, whose head went on, spread together with the pull-up on page 10, not
            # in a round after it).
            first = _first_moved(current.context.context["flows"], measure, changed)
            if first is not None and first > 1:
                before = _masked(measure, first, g.lines)
                plan, spent = _filled(current, plan, means, before, spent, boxes=False)
            plan = dataclasses.replace(plan, fixed=frozenset(spent))
            why = f"pull-ups {sorted(changed)}" + (f" with the holes before page {first}"
                                                   if first is not None and first > 1 else "")
            continue
        plan = dataclasses.replace(plan, pulled=decided.pulled)  # checked
        if len(history) > 1 and plan.gaps != history[-2].plan.gaps and \
                _worse(measure, history[-2].measure, g.lines):
            # The spread pushed a block over (a keep rule, a box kept whole): half of it.
            gaps = page_plan.halved(history[-2].plan.gaps, plan.gaps)
            if gaps == dict(history[-2].plan.gaps):
                break
            plan = dataclasses.replace(plan, gaps=gaps)
            why = "a spread halved (it pushed a block over)"
            continue
        spill = page_plan.spill_back(plan, current.context.context["flows"], means, measure,
                                     g.lines, g.columns, spent) \
            if manifest.pages and target is not None and len(measure.fills) > target else None
        if spill is not None:
            # A page all but empty: the last lines of an article that began earlier,
            # before an article that starts a new page, cost a page the plan lacks.
            # Its means on the pages before take them back; the page goes (the other
            # holes, and the page count, from the round that measures it).
            page, nxt, used = spill
            spent |= used
            plan = dataclasses.replace(nxt, fixed=frozenset(spent))
            why = f"the spill on page {page} taken back"
            continue
        aim = target
        if alone and (target is None or target >= len(measure.fills)):
            # The colophon alone on the last page: back onto the page before it, also
            # when more pages are planned than the text fills (it never stands alone).
            aim = len(measure.fills) - 1
            target = aim if target is None else target
        back = _cut_back(history, [k for k in means if k.key in cut_last], g.lines) \
            if manifest.pages and cut_last else {}
        if back:
            # Means the last round cut for a text too long that opened a hole on a
            # page instead (before a block set whole: the lines they freed did not
            # reach the last page) are put back and not cut again.
            spent |= {k.key for k in back}
            plan = page_plan.set_to(plan, back)
        nxt, spent = _filled(current, plan, means, measure, spent)
        # A box set across the page under a notice, in an earlier page's hole, takes
        # its lines off the last pages: the round that measures it aims.
        boxed = nxt.across.keys() != plan.across.keys()
        if aim is not None and not boxed and \
                not page_plan.fits(measure, aim, g.lines, colophon):
            left = page_plan.room(measure, aim, g.lines, colophon)
            if alone and left >= 0 and manifest.pages:
                # The text fits the page above the colophon in all, yet a column of
                # it is too long (a box kept whole in it): the colophon went on. Each
                # column moves up as the text before it does: cut what that one needs
                # in every column. (Only for the pages planned: text-varied-16, none
                # planned, set its page 7 a round later 4 lines a column short so.)
                left = min(left, page_plan.column_room(measure, aim, g.lines, colophon))
            # Too long: as far as round 1 allowed (the holes the text leaves on the
            # way are lines it does not fill either), unless a page is more than half
            # empty (the holes are then the plan's other means' to close first).
            reach = page_plan.limit(g.lines, g.columns) + (
                _hole_lines(measure, g.lines)
                if left < 0 and not _all_but_empty(measure, g.lines) else 0)
            if abs(left) <= reach:
                # To fill: the means of the last two pages (the planned last and the
                # one before); earlier ones would move every page after them. To cut:
                # any, the last pages' first. Aim a line short of each column's foot:
                # a line more would turn the page.
                near = min(aim, len(measure.fills)) - 1 if left > 0 else 1
                # Not on a page a jump closes: its cut stays, a smaller photo there
                # would only leave a hole above the jump line.
                closed = {measure.pages.get(a["anchor"]) for a in jumping}
                rest = [k for k in means if k.key not in spent
                        and (page_plan.knob_page(k, measure) or 0) >= near
                        and page_plan.knob_page(k, measure) not in closed]
                wanted = left - g.columns
                grown = page_plan.moved(nxt, page_plan.by_page(rest, measure), wanted)
                if left < 0:
                    trimmed = frozenset(k.key for k in rest
                                        if knob_value(grown, k) < knob_value(nxt, k))
                short = wanted - _amount(nxt, grown, means)
                if _DEBUG:
                    print("  aim", aim, "left", left, "short", short, "reach", reach)
                rate = _push_rate(history, aim, g.lines, colophon)
                if left > 0 and short > 0 and rate and "pushed-back" not in spent:
                    # Pushed in further than the pages need (which paragraphs save a
                    # line is known only once typeset): some set as they were again,
                    # as many as the lines left over at the lines each saved. Once.
                    spent.add("pushed-back")
                    grown = page_plan.pushed_back(grown, current.context.context["flows"],
                                                  measure, math.floor(short / rate))
                elif left > 0 and short > 0:
                    # The last pages' means are spent (or are now): the earlier pages'
                    # photos, which push every page after them on (the best round is
                    # kept), for the rest at once, not in a round of their own.
                    earlier = [k for k in means if k.key not in spent and k.kind == "photo"]
                    grown = page_plan.moved(grown, page_plan.by_page(earlier, measure), short)
                elif short < 0 and manifest.pages and not _all_but_empty(measure, g.lines):
                    # Still too long with the last pages' means spent: paragraphs whose
                    # last line holds a few characters are set a line shorter, their
                    # punctuation squeezed (pushing in), the last pages' first. Only
                    # for the pages planned (an issue without them keeps its lines),
                    # and not while a page before the last is more than half empty:
                    # that page is a spill or a hole to close, not text too long.
                    grown = page_plan.pushed_in(grown, current.context.context["flows"],
                                                measure, -short,
                                                current.layout.spec.page.column_chars)
                nxt = grown
        if nxt == dataclasses.replace(plan, fixed=nxt.fixed):
            break  # nothing to typeset differently
        nxt = dataclasses.replace(nxt, fixed=frozenset(spent))
        if _DEBUG:
            why = "holes filled: " + ", ".join(f"page {page} {empty} lines" for page, empty in
                                               page_plan.hole_lines(measure, g.lines)) + (
                f"; pages: {aim}, {page_plan.room(measure, aim, g.lines, colophon)} lines off"
                if aim is not None else "")
        plan = nxt
    chosen = _best(history, target, g.lines, colophon, manifest.pages is not None)
    further = _notice_further(chosen, g.lines) if most > 1 else None
    if further is not None:
        # A notice the plan set after the article that followed it opens the page after
        # that article's end, which it leaves short (the photos the guard carried past
        # the story's end, a box beside them): it goes on after the next article too,
        # whose head and text fill the hole. One typesetting, kept only when it leaves
        # fewer lines in holes on no more pages.
        current = planned(prepared, further)
        result, measure = typeset_round(current)
        history.append(Fitted(result, current, measure, further, len(history) + 1))
        if _DEBUG:
            print("notice further:", measure.fills, dict(further.after))
        if not _alone(measure) and len(measure.fills) <= len(chosen.measure.fills) \
                and _hole_lines(measure, g.lines) < _hole_lines(chosen.measure, g.lines):
            chosen = history[-1]
    left_alone = _alone_shorter(history, chosen, target, g.lines) \
        if most > 1 and manifest.pages else None
    if left_alone is None:
        left_alone = chosen
    elif _DEBUG:
        print("last lines on round", left_alone.rounds, "of", len(left_alone.measure.fills),
              "pages, not the", len(chosen.measure.fills), "pages kept")
    on = _last_lines_on(left_alone) if most > 1 and _alone(left_alone.measure) else None
    if on is not None:
        # The last resort for a colophon the plan left alone on the last page (the
        # last page's text and the colophon do not fit one page, and no photo or
        # space there gives enough): the last article's final lines go on to it.
        current = planned(prepared, on)
        result, measure = typeset_round(current)
        history.append(Fitted(result, current, measure, on, len(history) + 1))
        if _DEBUG:
            print("last lines on:", measure.fills, on.ends_on)
        if not _alone(measure) and _no_worse(measure, chosen.measure, left_alone is chosen,
                                             g.lines):
            chosen = history[-1]
            # What went on leaves room on the page before: its photos (those shrunk
            # for the colophon too) and spaces fill it, one round more.
            photos = {f["anchor"] for a in base["articles"] if a["id"] == on.ends_on
                      for f in [*a["full_width_figures"],
                                *(i["figure"] for i in a["body"] if i["figure"])]}
            nxt, _spent = _filled(current, on, means, measure, spent - photos)
            nxt = dataclasses.replace(nxt, fixed=on.fixed)
            if nxt != on:
                current = planned(prepared, nxt)
                result, measure = typeset_round(current)
                history.append(Fitted(result, current, measure, nxt, len(history) + 1))
                if _DEBUG:
                    print("and filled:", measure.fills, dict(nxt.photo_lines), dict(nxt.gaps))
                if not _alone(measure) and len(measure.fills) <= len(chosen.measure.fills) \
                        and _hole_lines(measure, g.lines) < _hole_lines(chosen.measure, g.lines):
                    chosen = history[-1]
    if chosen.plan.ends_on is not None:
        # No page was aimed at but the one the colophon stood alone on: none missed.
        target = manifest.pages
    chosen.findings = _findings(prepared, chosen, target, colophon, asked)
    if chosen.plan.ends_on is not None:
        chosen.findings.append(_ended_on(prepared, chosen, left_alone.measure, colophon))
    chosen.findings[:0] = _kept_pages(prepared, chosen, kept, target)
    chosen.findings[:0] = pushed_photo.notes(prepared.issue, base, chosen.prepared.context.context,
                                             chosen.plan.photo_moves, chosen.measure.pages)
    chosen.findings += pushed_photo.gone_on(prepared.issue, chosen.prepared.context.context,
                                            chosen.measure.fills,
                                            chosen.measure.pages, g.lines)
    chosen.rounds = len(history)
    return chosen


def _alone_shorter(history: list[Fitted[R]], chosen: Fitted[R], target: int | None,
                   lines: int) -> Fitted[R] | None:
    """The round to try the last resort (`_last_lines_on`) on when the round kept has
    more pages than planned: the one, with the colophon alone on its last page, on
    fewer pages and with fewer lines in holes than the round kept (the fewest; the
    latest of equals; planfit's d-short, `pages: 8`: rounds 4-6 set the text on 8
    pages, the colophon alone on page 9, and 10 pages were kept). `_best` puts a
    round whose colophon stands alone after any other, so a round that left the
    colophon alone on page 8 of 8 lost to round 1's 9 pages with 157 lines in
    holes, and the last resort that would have set text on its page 8 was never
    tried (outside s14's 古美家园, on 32c96d9)."""
    if target is None or _alone(chosen.measure) or len(chosen.measure.fills) <= target:
        return None
    holes = _hole_lines(chosen.measure, lines)
    found = [h for h in history if _alone(h.measure)
             and len(h.measure.fills) < len(chosen.measure.fills)
             and (h.plan.cuts, h.plan.parts) == (chosen.plan.cuts, chosen.plan.parts)
             and _hole_lines(h.measure, lines) < holes]
    return min(reversed(found), key=lambda h: _hole_lines(h.measure, lines), default=None)


def _no_worse(measure: Measure, kept: Measure, alone: bool, lines: int) -> bool:
    """Whether the last resort's round replaces the round kept: when that round's
    colophon stood alone, on no more pages; else (it had more pages than planned,
    `_alone_shorter`) on fewer pages, with no more lines in holes."""
    if alone:
        return len(measure.fills) <= len(kept.fills)
    return len(measure.fills) < len(kept.fills) and \
        _hole_lines(measure, lines) <= _hole_lines(kept, lines)


def _cut_back(history: list[Fitted[R]], means: list[Knob], lines: int) -> dict[Knob, int]:
    """The means of `means` (those the last round's plan cut for a text too long)
    that took lines (its plan's value below the round before's) on or before the
    first page where that round opened a hole or made one larger, with their
    values before: a photo on page 1 made smaller for an issue too long moves
    page 2's text up, and when page 3 opens with a notice set whole, the lines
    freed stay on page 2 as a hole (planfit's e-short, round 3: page 2 [39, 41] →
    [37, 39]) and never reach the last page. Empty when it cut nothing or opened
    no hole."""
    if len(history) < 2:
        return {}
    last, before = history[-1], history[-2]
    cut = [k for k in means if knob_value(last.plan, k) < knob_value(before.plan, k)]
    if not cut:
        return {}
    was = {(page, column): empty for page, column, empty in
           page_plan.holes(before.measure, lines)}
    opened = [page for page, column, empty in page_plan.holes(last.measure, lines)
              if empty > was.get((page, column), 0)]
    if not opened:
        return {}
    first = min(opened)
    return {k: knob_value(before.plan, k) for k in cut
            if (page_plan.knob_page(k, last.measure) or first + 1) <= first}


def _pulled_anchors(current: Prepared, plan: PagePlan) -> frozenset[str]:
    """The anchors of the articles the plan pulled up (layout/pull_up.py)."""
    return frozenset(a["anchor"] for a in current.context.context["articles"]
                     if a["id"] in plan.pulled)


def _all_but_empty(measure: Measure, lines: int) -> bool:
    """Is a page before the last more than half empty?"""
    return any(2 * sum(fill) < lines * len(fill) for fill in page_plan.natural(measure)[:-1])


def _push_rate(history: list[Fitted[R]], aim: int, lines: int, colophon: int) -> float:
    """Column lines each paragraph the last round set pushed in saved, as measured
    against the round before it (0: it pushed none in, or saved nothing)."""
    if len(history) < 2:
        return 0.0
    last, before = history[-1], history[-2]
    added = len(last.plan.pushed - before.plan.pushed)
    if not added or before.plan.pushed - last.plan.pushed:
        return 0.0
    saved = page_plan.room(last.measure, aim, lines, colophon) - \
        page_plan.room(before.measure, aim, lines, colophon)
    return max(0.0, saved / added)


def _alone(measure: Measure) -> bool:
    """Whether the last page holds only the colophon (no text)."""
    return len(measure.fills) > 1 and sum(measure.fills[-1]) == 0


def _notice_further(fitted: Fitted[R], lines: int) -> PagePlan | None:
    """The plan of `fitted` with a notice the plan set after another article
    (`PagePlan.after`) set after the article that follows it now, when it opens the
    page after a hole (page_plan.moved_notice); None when there is none. (In the
    rounds a notice is moved once: the hole its first move leaves on a later page
    shows only when the rounds are spent.)"""
    plan = fitted.plan
    flows = fitted.prepared.context.context["flows"]
    for page, _empty in page_plan.hole_lines(fitted.measure, lines):
        later = page_plan.moved_notice(flows, fitted.measure, page, lines)
        if later is not None and later[0] in plan.after and plan.after[later[0]] != later[1]:
            return dataclasses.replace(plan, after={**plan.after, later[0]: later[1]})
    return None


def _last_lines_on(fitted: Fitted[R]) -> PagePlan | None:
    """The plan of `fitted`, whose colophon stands alone on the last page, with the
    last article's final block (and its foot: QR code, 落款) set on to that page:
    a notice set whole as its last part (notice_parts: "（续下页）", "（续）"), any
    other article's text running on to it (page_plan.apply: no headline repeated,
    no jump lines to the very next page). None when there is nothing to move: an
    article of one block, one that is already a continuation (a jump) or in parts,
    or a box (a sidebar, not continued)."""
    plan = fitted.plan
    flows = fitted.prepared.context.context["flows"]
    if not flows or not flows[-1]:
        return None
    last = flows[-1][-1]
    body = last["body"]
    if last["continued"] or last["id"] in plan.cuts or last["id"] in plan.parts \
            or len(body) < 2 or plan.ends_on is not None or last["kind"] == "box":
        return None
    return dataclasses.replace(plan, ends_on=last["id"])


def _ended_on(prepared: Prepared, fitted: Fitted[R], alone: Measure, colophon: int
              ) -> Diagnostic:
    """What the last resort did (`_last_lines_on`), and how to make it unneeded:
    `alone`, the pages as they were with the colophon alone on the last."""
    issue = prepared.issue
    g = prepared.layout.geometry
    ids = [a.id for a in issue.manifest.articles]
    article_id = fitted.plan.ends_on or ""
    title = next((a["title"] for a in prepared.context.context["articles"]
                  if a["id"] == article_id), "")
    page = len(fitted.measure.fills)
    # Column lines the text is too long for the page before (with the colophon).
    lines = max(1, -page_plan.room(alone, page - 1, g.lines, colophon))
    where = issue.article_location(ids.index(article_id), "title") if article_id in ids \
        else issue.source_map.location(("colophon",), key=True)
    return info(
        "pages.last-lines-on",
        _("the colophon would have stood alone on page {page}: the last part of 《{title}》 "
          "goes on to it, above the colophon").format(page=page, title=title),
        where,
        ngettext("to end the issue on page {before}, cut about {lines} line (from this "
                 "article, or a photo made smaller); or add text or a photo to fill page "
                 "{page}",
                 "to end the issue on page {before}, cut about {lines} lines (from this "
                 "article, or a photo made smaller); or add text or a photo to fill page "
                 "{page}", lines).format(before=page - 1, lines=lines, page=page))


def _first_moved(flows: list[list[ArticleContext]], measure: Measure, changed: AbstractSet[str]
                 ) -> int | None:
    """The first page a change of these articles' pull-ups moves: the page
    before the earliest of them (None: none found on the measured pages)."""
    pages = [measure.pages[flow[0]["anchor"]] for flow in flows
             if flow[0]["id"] in changed and flow[0]["anchor"] in measure.pages]
    return min(pages) - 1 if pages else None


def _masked(measure: Measure, first: int, lines: int) -> Measure:
    """`measure` with the pages from `first` on taken as full: only the holes
    before them are filled."""
    fills = [fill if page < first else [lines] * len(fill)
             for page, fill in enumerate(measure.fills, start=1)]
    give = [row if page < first else [0] * len(row)
            for page, row in enumerate(measure.give, start=1)]
    return dataclasses.replace(measure, fills=fills, give=give)


def _amount(before: PagePlan, after: PagePlan, means: list[Knob]) -> int:
    """Column lines `after` adds to `before` by its means (negative: takes)."""
    return sum((knob_value(after, k) - knob_value(before, k)) * k.weight for k in means)


def _filled(current: Prepared, plan: PagePlan, means: list[Knob], measure: Measure,
            spent: set[str], boxes: bool = True) -> tuple[PagePlan, set[str]]:
    """`page_plan.filled`, without a round that cannot change a page: a hole whose
    next page's head (its headline and first lines) went on is first answered by
    shrinking that head's spaces (and the page's own photos). When the head as
    measured (`Measured.heads`) with the space left above it and a line of its
    text needs more lines than the hole holds even so, that round would typeset
    the same pages only to spread the hole in the next: the shrink is kept without
    typesetting it, its means counted as spent as that round would have, and the
    hole spread at once (the same plan as those two rounds, a round sooner).
    `boxes`: False for a measure whose later pages are taken as full (`_masked`):
    a box alone atop one of them is not judged there."""
    g = current.layout.geometry
    flows = current.context.context["flows"]
    heads = measure.heads if isinstance(measure, Measured) else {}
    chars = current.layout.spec.page.column_chars
    pages = current.issue.manifest.pages
    nxt, spent_after = page_plan.filled(plan, means, measure, g.lines, g.columns, spent, flows,
                                        heads=heads, column_chars=chars, boxes=boxes,
                                        over=pages is not None and len(measure.fills) > pages)
    feet = measure.feet if isinstance(measure, Measured) else {}
    taken = {(k.kind, k.key): knob_value(plan, k) - knob_value(nxt, k) for k in means}
    futile: set[str] = set()
    for page, _empty in page_plan.hole_lines(measure, g.lines):
        used = max(measure.fills[page - 1])
        if used > g.lines - page_plan.SLACK:
            continue  # a full column: its own shrink (a keep rule), not this one
        shrunk = [flow for flow in flows if measure.pages.get(flow[0]["anchor"]) == page + 1
                  and any(k.flow == flow[0]["anchor"] and taken[(k.kind, k.key)] > 0
                          for k in means)]
        if len(shrunk) != 1 or shrunk[0][0]["anchor"] not in heads:
            continue
        lead = shrunk[0][0]
        head = [k for k in means if k.flow == lead["anchor"]]
        own = [k for k in means if page_plan.knob_page(k, measure) == page]
        wide = {f["anchor"] for f in lead["full_width_figures"]}
        # The head as it would be: its headline space and photos across the page
        # less what the shrink takes; above it, the space the shrink leaves; the
        # page's own means give at most all they take, in any column.
        height = heads[lead["anchor"]] - sum(
            taken[(k.kind, k.key)] for k in head
            if k.kind == "headline" or (k.kind == "photo" and k.key in wide))
        above = next((knob_value(nxt, k) for k in head if k.kind == "space"), 1)
        # Where the text on the page ends: its foot when measured (the columns' box
        # ends up to a line below its last line), which the head's columns need too.
        closing = min(1.0, max(0.0, feet.get(page, used) - used))
        room = g.lines - used - closing + sum(max(0, taken[(k.kind, k.key)]) for k in own)
        text = _least_lines(lead, current.layout.spec.page.column_chars)
        if _DEBUG:
            print("shrink for page", page, "room", room, "above", above, "head", height,
                  "text", text, "closing", closing)
        if above + height + text + closing > room:
            futile |= {k.key for k in head + own if k.key in spent_after - spent}
    if not futile:
        return nxt, spent_after
    if _DEBUG:
        print("futile shrink not typeset:", sorted(futile))
    # The shrink stays in the plan, as after its round (it moves nothing on these
    # pages; a later spread can bring its head back to mid-page, where it shows).
    kept = [k for k in means if k.key in futile and taken[(k.kind, k.key)]]
    tables = {kind: {**getattr(plan, name), **{k.key: knob_value(nxt, k) for k in kept
                                              if k.kind == kind}}
              for kind, name in (("photo", "photo_lines"), ("space", "space_above"),
                                 ("headline", "headline_space"))}
    with_shrink = dataclasses.replace(plan, photo_lines=tables["photo"],
                                      space_above=tables["space"],
                                      headline_space=tables["headline"])
    return page_plan.filled(with_shrink, means, measure, g.lines, g.columns, spent | futile, flows,
                            heads=heads, column_chars=chars, boxes=boxes)


def _least_lines(article: ArticleContext, column_chars: int) -> int:
    """Lines of its text a headline goes with at least: two (the layout's orphans)
    when its first block is a paragraph surely longer than a line, else one."""
    body = article["body"]
    first = body[0] if body else None
    if first is None or first["kind"] != "paragraph":
        return 1
    chars = sum(len(span.text) for span in first["spans"])
    return 2 if chars > 2 * max(1, column_chars) else 1


def _worse(measure: Measure, before: Measure, lines: int) -> bool:
    """More pages, or more empty lines in holes, than `before`."""
    return len(measure.fills) > len(before.fills) or _hole_lines(measure, lines) > \
        _hole_lines(before, lines)


def _met(measure: Measure, target: int, lines: int, colophon: int, planned: bool) -> bool:
    """Whether a round meets the page count `target`: acceptable to the plan and, with
    `pages:` planned, not met only by holes no means fills (`_by_holes`)."""
    return page_plan.acceptable(measure, target, lines, colophon) and not (
        planned and _by_holes(measure, lines))


def _by_holes(measure: Measure, lines: int) -> bool:
    """Whether a round's pages hold more lines in holes than the plan makes up (a
    third of a page, page_plan.limit): a planned count met with them is not met."""
    columns = len(measure.fills[0]) if measure.fills else 1
    return _hole_lines(measure, lines) > page_plan.limit(lines, columns)


def _hole_lines(measure: Measure, lines: int) -> int:
    return sum(empty for _, _, empty in page_plan.holes(measure, lines))


def colophon_room(prepared: Prepared) -> int:
    """Lines of the last page the colophon at its foot keeps from the text: its
    room (the blank line above it, its rule, its lines, a QR code beside them)
    and a line more (the columns' box ends a line below their last line: a text
    line exactly at the room's top still pushed the colophon over); 0 when it
    follows the text. Counted from its entries (`colophon_lines`); with a QR code
    beside them (a caption wrapping beside the code, the code's height against
    the text's) measured: the colophon alone typeset once (~0.15-0.2 s, the
    process's first typesetting ~0.6 s; the same colophon is not typeset again
    in the process, e.g. the preview's)."""
    context = prepared.context.context
    if context["colophon_position"] != "foot" or not (context["colophon"]
                                                      or context["colophon_qr"]):
        return 0
    if not context["colophon_qr"]:
        return context["colophon_lines"] + 1
    return _measured_room(prepared) + 1


def _measured_room(prepared: Prepared) -> int:
    from bulletin_press.typeset.column_fill import room_lines
    from bulletin_press.typeset.engine import typeset

    context = prepared.context.context
    alone = render_html(prepared.layout, {**context, "flows": [], "articles": [], "toc": [],
                                          "show_masthead": False}).html
    cached = _ROOMS.get(alone)
    if cached is None:
        fence = prepared.fence()
        pages = typeset(alone, fence.url("issue"), fence).document.pages
        measured = room_lines(pages[-1], "colophon-room", prepared.layout.geometry.line)
        cached = _ROOMS[alone] = measured if measured is not None else \
            context["colophon_lines"] + 1
    return cached


_ROOMS: dict[str, int] = {}  # the colophon alone, as HTML → its room in lines


def _best(history: list[Fitted[R]], target: int | None, lines: int, colophon: int,
          planned: bool = False) -> Fitted[R]:
    """The round that came closest to the plan (the latest of equals): the colophon
    not alone on the last page, the planned page count with text on the last page
    (without a plan: no more pages than typeset first) and, with `pages:` planned
    (`planned`), no more than a third of a page in holes (a count met by holes that
    no means fills is not met: the text is short of it, and the build says by how
    much), no more pages than planned, the fewest lines in holes, the last page
    filled."""
    last = history[-1]
    first = len(history[0].measure.fills)
    context = history[0].prepared.context.context
    # Photos moved for their article's head (page_plan.pushed_head) that held in a round.
    moves = page_plan.held(last.plan.photo_moves, context, [h.measure for h in history])
    # The fewest lines in holes of a round where every held move kept its article on
    # the page it was moved for: a round that lost one is worse only when holding it
    # left less in holes (full's empty front page), not when the move only pushed
    # the pages after it on, a page more and more in holes (outside's 春节 issue).
    holding = [_hole_lines(h.measure, lines) for h in history
               if not page_plan.kept_off(moves, context, h.measure)]
    least = min(holding, default=None)

    def lost(m: Measure) -> int:
        off = page_plan.kept_off(moves, context, m)
        return off if off and least is not None and least < _hole_lines(m, lines) else 0

    def score(fitted: Fitted[R]) -> tuple[bool, bool, bool, int, bool, bool, int, bool]:
        m = fitted.measure
        return ((fitted.plan.cuts, fitted.plan.parts) == (last.plan.cuts, last.plan.parts),
                not _alone(m),  # the colophon not alone
                not _torn(fitted),  # no notice set whole broken by a page
                # not a page count met by a head its photo took on (an empty front page)
                -lost(m),
                _met(m, target, lines, colophon, planned)
                if target is not None else len(m.fills) <= first,
                # (of rounds that miss the plan: no more pages than planned, then the
                # fewest lines in holes, not a count met by holes: outside's 春节 issue)
                not planned or target is None or len(m.fills) <= target,
                -_hole_lines(m, lines),
                target is None or page_plan.fits(m, target, lines, colophon))

    return max(reversed(history), key=score)


def _torn(fitted: Fitted[R]) -> bool:
    """Whether a notice across the page set whole (not flowing, not in parts) has its
    foot on a later page than its frame: a spread or a move of the round pushed its
    last lines over, its 落款 in a frame of its own on the next page (the 长风社区's
    烟花爆竹 notice under 春运 and the spread of its own room)."""
    pages = fitted.measure.pages
    for flow in fitted.prepared.context.context["flows"]:
        lead = flow[0]
        if len(flow) > 1 or lead["kind"] != "notice" or lead["continued"] \
                or lead.get("flows_on") or lead.get("goes_on"):
            continue
        top, foot = pages.get(lead["anchor"]), pages.get(notice_parts.foot_anchor(lead))
        if top is not None and foot is not None and foot > top:
            return True
    return False


def _findings(prepared: Prepared, fitted: Fitted[R], target: int | None, colophon: int,
              jumping: list[ArticleContext]) -> list[Diagnostic]:
    issue = prepared.issue
    g = prepared.layout.geometry
    measure = fitted.measure
    found: list[Diagnostic] = []
    ids = [a.id for a in issue.manifest.articles]
    titles = {a["anchor"]: a["title"] for a in prepared.context.context["articles"]}
    found += _pulled_up(prepared, fitted)
    found += _fillers(prepared, fitted)
    for article in jumping:
        landed = measure.pages.get(page_plan.continued_anchor(article["anchor"]))
        wanted = article["continue_on"]
        if landed is None or landed == wanted:
            continue
        cut = fitted.plan.cuts.get(article["id"])
        before = titles.get(cut.before) if cut is not None and cut.before else None
        where = issue.article_location(ids.index(article["id"]), "layout")
        if before is not None and wanted is not None and landed < wanted:
            # Why: it goes before the first article on that page, which flows on
            # from the page above instead of starting one.
            found.append(warning(
                "pages.jump-moved", _("《{title}》 continues on page {landed}, not on page "
                                     "{wanted}: it goes before 《{next}》, the first article "
                                     "on page {wanted}, and the text above that ends on page "
                                     "{landed} with room for it").format(
                    title=article["title"], landed=landed, wanted=wanted, next=before),
                where, _("give 《{next}》 start: new-page (the continuation then opens page "
                         "{wanted}), or change continue_on").format(next=before,
                                                                    wanted=wanted)))
            continue
        found.append(warning(
            "pages.jump-moved", _("《{title}》 continues on page {landed}, not on page "
                                 "{wanted}").format(title=article["title"],
                                                    landed=landed, wanted=wanted),
            where, _("the jump lines show page {landed}; to continue on page {wanted}, move "
                     "articles or change continue_on").format(landed=landed, wanted=wanted)))
    if target is None or _met(measure, target, g.lines, colophon,
                              issue.manifest.pages is not None):
        return found
    left = page_plan.room(measure, target, g.lines, colophon)
    pages = len(measure.fills)
    where = issue.source_map.location(("pages",))
    if issue.manifest.pages is not None and page_plan.acceptable(measure, target, g.lines,
                                                                 colophon):
        # The planned count met only by holes the plan could not fill (before articles
        # that open a page, a notice set whole): the text is that much short of it.
        holes = _hole_lines(measure, g.lines)
        left += holes
        # (holes: more than the plan's limit, a third of a page: never one)
        summary = ngettext("the issue fills its {target} planned pages only with {holes} "
                           "empty lines in holes (the check names each): its text is about "
                           "{lines} line too few",
                           "the issue fills its {target} planned pages only with {holes} "
                           "empty lines in holes (the check names each): its text is about "
                           "{lines} lines too few", left).format(target=target, holes=holes,
                                                                 lines=left)
        hint = _("add the lines named for each article, a photo, or lower pages:")
    elif issue.manifest.pages is None:
        # No pages: planned; the plan only tried to take the colophon, alone on the
        # last page, back onto the page before (`fit`). Nothing was planned to name.
        column = _column_too_long(measure, target, g.lines, colophon, left)
        if column is not None:
            # The page has room, but not at the foot of every column: the colophon
            # spans them (a photo that ends a column at its foot keeps it out).
            number, lines = column
            found.append(warning(
                "copyfit.plan",
                ngettext("the colophon stands alone on page {pages}: it needs {room} lines "
                         "at the foot of every column of page {target}, and its {column} "
                         "column is about {lines} line too long for that",
                         "the colophon stands alone on page {pages}: it needs {room} lines "
                         "at the foot of every column of page {target}, and its {column} "
                         "column is about {lines} lines too long for that", lines).format(
                    pages=pages, target=target, room=colophon, lines=lines,
                    column=_column_name(number, g.columns)),
                issue.source_map.location(("colophon",), key=True),
                ngettext("cut about {lines} line from that column (text, or a photo there "
                         "made smaller), or add text or a photo to fill page {pages}",
                         "cut about {lines} lines from that column (text, or a photo there "
                         "made smaller), or add text or a photo to fill page {pages}",
                         lines).format(lines=lines, pages=pages)))
            return found
        if left >= 0:
            return found
        summary = ngettext(
            "the colophon stands alone on page {pages}: the text is about {lines} line too "
            "long to end on page {target}",
            "the colophon stands alone on page {pages}: the text is about {lines} lines too "
            "long to end on page {target}", -left).format(pages=pages, target=target,
                                                          lines=-left)
        hint = _("cut the lines named for each article, or add text or a photo to fill "
                 "page {pages} (and write pages: {pages} in issue.yaml to plan that "
                 "many)").format(pages=pages)
        aim = _("so that the issue ends on page {target}, its colophon included")
        where = issue.source_map.location(("colophon",), key=True)
    elif left < 0:
        summary = ngettext("the issue needs {pages} pages, {target} are planned: about "
                           "{lines} line too many",
                           "the issue needs {pages} pages, {target} are planned: about "
                           "{lines} lines too many", -left).format(pages=pages, target=target,
                                                                   lines=-left)
        hint = _("cut the lines named for each article, or raise pages:")
    else:
        summary = ngettext("the issue fills {pages} pages, {target} are planned: about "
                           "{lines} line too few",
                           "the issue fills {pages} pages, {target} are planned: about "
                           "{lines} lines too few", left).format(pages=pages, target=target,
                                                                 lines=left)
        hint = _("add the lines named for each article, a photo, or lower pages:")
    if issue.manifest.pages is not None:
        aim = _("so that the issue fills its {target} planned pages")
    found.append(warning("copyfit.plan", summary, where, hint))
    for article, share in page_plan.lines_per_article(prepared.context.context, -left):
        location = issue.article_location(ids.index(article["id"]), "title")
        if share > 0:
            text = ngettext("《{title}》: cut {lines} line", "《{title}》: cut {lines} lines",
                            share).format(title=article["title"], lines=share)
        else:
            text = ngettext("《{title}》: add {lines} line", "《{title}》: add {lines} lines",
                            -share).format(title=article["title"], lines=-share)
        found.append(info("copyfit.article", text, location, aim.format(target=target)))
    return found


def _column_too_long(measure: Measure, target: int, lines: int, colophon: int, left: int
                     ) -> tuple[int, int] | None:
    """(column, lines too long) of page `target`'s column that most keeps the
    colophon (`colophon` lines at the foot of every column) off it, when that
    column alone is further off than the page as a whole (`left`, column lines
    to add: negative, to cut); None when not (the whole page is too full)."""
    text = page_plan.natural(measure)
    if not 0 < target <= len(text):
        return None
    over = [used + colophon - lines for used in text[target - 1]]
    worst = max(over, default=0)
    if worst <= page_plan.SLACK or worst * len(over) <= max(0, -left) + page_plan.SLACK:
        return None
    return over.index(worst) + 1, worst


def _column_name(column: int, columns: int) -> str:
    """left/right of two columns, else the column's number (as the check names them)."""
    if columns == 2:
        return _("left") if column == 1 else _("right")
    return str(column)


def _pulled_up(prepared: Prepared, fitted: Fitted[R]) -> list[Diagnostic]:
    """What the plan did with each article it started under the article before it
    (layout/pull_up.py), at its `start:`: where, why, and how to keep its new page."""
    issue = prepared.issue
    ids = [a.id for a in issue.manifest.articles]
    articles = fitted.prepared.context.context["articles"]
    flows = {flow[0]["id"]: before for before, flow in
             zip(fitted.prepared.context.context["flows"],
                 fitted.prepared.context.context["flows"][1:], strict=False)}
    found: list[Diagnostic] = []
    for index, article in enumerate(articles):
        pull = fitted.plan.pulled.get(article["id"])
        if pull is None or article["continued"] or index == 0 or article["id"] not in flows \
                or pull_up.pushed(flows[article["id"]], article, fitted.measure,
                                  prepared.layout.geometry.lines):
            continue  # (a round whose pull-up did not hold: the check names the hole)
        under = articles[index - 1]
        page = fitted.measure.pages.get(article["anchor"], 0)
        where = issue.article_location(ids.index(article["id"]), "layout", "start")
        found.append(info(
            "pages.pulled-up",
            ngettext("《{title}》 starts on page {page} under 《{under}》, not on a new page: "
                     "page {page} would have been {short} line a column short",
                     "《{title}》 starts on page {page} under 《{under}》, not on a new page: "
                     "page {page} would have been {short} lines a column short",
                     pull.short).format(title=article["title"], page=page,
                                        under=under["title"], short=pull.short),
            where,
            ngettext("to keep it on a new page, add about {lines} line or a photo to "
                     "《{under}》, or write start: new-page-always (the space then stays empty)",
                     "to keep it on a new page, add about {lines} lines or a photo to "
                     "《{under}》, or write start: new-page-always (the space then stays empty)",
                     pull.empty).format(lines=pull.empty, under=under["title"])))
        if pull.lowered is not None:
            found += _lowered(prepared, article, pull.lowered[0], page)
    return found


def _lowered(prepared: Prepared, article: ArticleContext, anchor: str, page: int
             ) -> list[Diagnostic]:
    """The note for the photo that headed a pulled-up story and was set lower in it
    (pull_up._lowered), at the photo in issue.yaml. (Where it stands is the
    typesetter's to say: its photo guard may move it on by a paragraph more.)"""
    for item in article["body"]:
        figure = item["figure"]
        if figure is not None and figure["anchor"] == anchor:
            index, photo = figure["article"], figure["photo"]
            name = f"{article_name(index, article['title'])} › {photo_name(photo, figure['src'])}"
            return [info(
                "layout.photo-moved",
                _("{photo}: it headed the story, which now starts on page {page} in the space "
                  "under the article before; even at 75 % of its height it left no room there "
                  "for the headline and the first lines, so it is set lower in the story, "
                  "after its first paragraphs").format(photo=name, page=page),
                prepared.issue.article_location(index, "photos", photo),
                _("write placement: top to keep it at the head (the story then keeps its "
                  "new page)"))]
    return []


def _fillers(prepared: Prepared, fitted: Fitted[R]) -> list[Diagnostic]:
    """Each box the plan set after a story, at its `kind:`: the story's headline did
    not fit under it (page_plan.aside_after), or as a filler in an earlier page's
    hole (a page would have held only the box: page_plan.filler_box); and each box
    it set before the last paragraphs of the story it followed (page_plan.box_inset)."""
    issue = prepared.issue
    ids = [a.id for a in issue.manifest.articles]
    articles = {a["anchor"]: a for a in prepared.context.context["articles"]}
    found: list[Diagnostic] = []
    # Boxes that headed the columns under a notice, set after the story that followed
    # them there (page_plan.aside_after), and fillers set in an earlier page's hole.
    moved = [(anchor, after, "aside") for anchor, after in fitted.plan.asides.items()]
    moved += [(anchor, after, "filler") for anchor, after in fitted.plan.fillers.items()]
    # And boxes set across the page under a notice, in its hole (page_plan.box_across).
    moved += [(anchor, after, "across") for anchor, after in fitted.plan.across.items()]
    for anchor, after, how in moved:
        box, under = articles.get(anchor), articles.get(after)
        page = fitted.measure.pages.get(anchor)
        if box is None or under is None or page is None or box["id"] not in ids:
            continue
        if how == "across":
            why = _("《{title}》 is set on page {page} across the page under 《{under}》, not "
                    "where the manifest lists it: a page would have held only this box")
            hint = _("to keep it in its place, write layout: {{start: new-column}} (beside "
                     "the article before it) or add about a column's lines to the articles "
                     "before it")
        elif how == "aside":
            why = _("《{title}》 is set on page {page} after 《{under}》, not where the manifest "
                    "lists it: under the notice, the column beside that article's headline "
                    "would have ended short under the box")
            hint = _("to keep it in its place, shorten the box or the notice above it by a "
                     "few lines")
        else:
            why = _("《{title}》 is set on page {page} after 《{under}》, not where the manifest "
                    "lists it: a page would have held only this box")
            hint = _("to keep it in its place, write layout: {{start: new-column}} (beside "
                     "the article before it) or add about a column's lines to the articles "
                     "before it")
        found.append(info("pages.box-moved",
                          why.format(title=box["title"], page=page, under=under["title"]),
                          issue.article_location(ids.index(box["id"]), "kind"),
                          hint.format()))
    # Boxes set before the last paragraphs of the story they followed (box_inset).
    for anchor in fitted.plan.insets:
        box = articles.get(anchor)
        page = fitted.measure.pages.get(anchor)
        story = next((flow[i - 1] for flow in fitted.prepared.context.context["flows"]
                      for i, a in enumerate(flow) if a["anchor"] == anchor and i > 0), None)
        if box is None or story is None or page is None or box["id"] not in ids:
            continue
        found.append(info(
            "pages.box-moved",
            _("《{title}》 is set on page {page} before the last paragraphs of 《{under}》: "
              "after them it would have stood alone at the top of the next page, the "
              "column beside it empty").format(title=box["title"], page=page,
                                               under=story["title"]),
            issue.article_location(ids.index(box["id"]), "kind"),
            _("to keep it after the story, shorten the story or the box by a few lines "
              "(or give the box the story's section: it then stays after the story)")))
    return found


def _kept_pages(prepared: Prepared, fitted: Fitted[R], kept: list[pull_up.Kept],
                target: int | None) -> list[Diagnostic]:
    """Why an article that could have started in the hole before it keeps its new
    page (`pull_up.choose`), at its `start:`, when the hole is still there."""
    issue = prepared.issue
    g = prepared.layout.geometry
    ids = [a.id for a in issue.manifest.articles]
    articles = fitted.prepared.context.context["articles"]
    index = {article["id"]: i for i, article in enumerate(articles)}
    text = page_plan.natural(fitted.measure)
    found: list[Diagnostic] = []
    for one in kept:
        at = index.get(one.article)
        if at is None or at == 0 or one.article in fitted.plan.pulled or one.article not in ids:
            continue
        article, under = articles[at], articles[at - 1]
        page = fitted.measure.pages.get(article["anchor"], 0)
        if page < 2 or page > len(text) or \
                max(g.lines - used for used in text[page - 2]) <= page_plan.SLACK:
            continue  # filled after all
        before = page - 1
        if one.pages is None:
            why = _("the space there would only move on to page {to}").format(
                to=one.to + page - 1 - one.before)
        elif target is not None:
            why = _("the issue would then have {pages} pages, fewer than the {target} "
                    "planned").format(pages=one.pages, target=target)
        else:
            why = _("the issue would then have {pages} pages, and a stapled booklet needs "
                    "a multiple of 4").format(pages=one.pages)
        # The room as drawn, the check's (copyfit.under) number for the same space:
        # what the plan and the justification spread there is in it.
        room = sum(g.lines - used for used in fitted.measure.fills[before - 1])
        found.append(info(
            "pages.kept-new-page",
            _("《{title}》 starts a new page (page {page}), not under 《{under}》 on page "
              "{before}: {why}").format(title=article["title"], page=page,
                                        under=under["title"], before=before, why=why),
            issue.article_location(ids.index(one.article), "layout", "start"),
            ngettext("page {before}'s space stays (the check names it): add about {lines} "
                     "line or a photo to 《{under}》 to fill it",
                     "page {before}'s space stays (the check names it): add about {lines} "
                     "lines or a photo to 《{under}》 to fill it", room).format(
                before=before, under=under["title"], lines=room)))
    return found
