"""A photo that takes its article's head on to the next page, and where it goes instead.

WeasyPrint 70 lays out a run of columns one column box at a time; when one of
them places nothing (layout/column.py: `new_child is None` drops `columns`),
every column of the run goes on to the next page. An article whose photo
would open a column it is too tall for therefore goes on whole, headline and
first paragraphs included, and leaves the page before it empty under the text
above (outside's `full`: page 1 held only the masthead and the contents box).
The photo guard cannot see it (the photo stands right under its paragraph, on
the next page); the page plan finds it here from where the article's head went
and the room it left, and moves the photo after a later paragraph or makes it
smaller (within PHOTO_LEAST) so that the article starts in that room.

The room is known in lines (the page plan's measure); the text before the
photo is estimated from its characters (`block_lines`): where that is off by a
line, the photo is taken to open a column (a paragraph ending within a line of
a column's foot or top), and a round that still finds the article on the next
page moves the photo on by a paragraph more.
"""

from __future__ import annotations

import itertools
import math
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from bulletin_press.diagnostics import Diagnostic, article_name, info, photo_name, warning
from bulletin_press.i18n import _, ngettext
from bulletin_press.layout.context import (
    ArticleContext,
    BodyItem,
    FigureContext,
    IssueContext,
    shift_figures,
)
from bulletin_press.manifest.load import LoadedIssue

SLACK = 2  # lines a column may end short (page_plan.SLACK)
EDGE = 1  # lines at a column's top or foot where an estimate cannot tell the column
# Lines under the head in each column at least: fewer, and the head may have gone on
# for its own sake (the keep guard: a headline with its first lines).
ROOM_LEAST = 4
TRIES = 2  # moves of one photo (the estimate's, a paragraph more) before it is given up


@dataclass(frozen=True)
class PhotoMove:
    """A photo the page plan set `paragraphs` later than the layout did, so that its
    article starts on `page` (its image lines, if smaller, are the plan's
    `photo_lines`)."""

    paragraphs: int  # negative: earlier (`raised`)
    page: int
    tries: int = 1


@dataclass(frozen=True)
class Remedy:
    """What brings an article's head back: its photo `anchor` moved `paragraphs`
    later than it stands, set `lines` high (image lines)."""

    anchor: str
    paragraphs: int
    lines: int


def text_width(text: str) -> float:
    """A text's width in body characters: Chinese (and other wide) characters one,
    Latin letters, digits and spaces half."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.5 for c in text)


def block_lines(item: BodyItem, column_chars: int) -> int | None:
    """Estimated column lines of a block (None: a block across the page, whose
    place no estimate knows)."""
    chars = max(1, column_chars)

    def lines(width: float) -> int:
        return max(1, math.ceil(width / chars))

    kind = item["kind"]
    if item["figure"] is not None:
        figure = item["figure"]
        return None if figure["width"] != "column" else figure["lines"] + 1
    if kind == "paragraph":
        return lines(2 + text_width("".join(span.text for span in item["spans"])))
    if kind == "subhead":
        return 2  # its line and the space above it
    if kind == "list":
        return sum(lines(2 + text_width("".join(s.text for s in entry)))
                   for entry in item["entries"])
    if kind == "quote":
        counted = [block_lines(child, column_chars) for child in item["children"]]
        return None if None in counted else sum(c or 0 for c in counted)
    if kind == "table":
        table = item["table"]
        if table is None or table["span"]:
            return None
        return len(table["head"]) + len(table["rows"]) + 1
    return 1


def pushing(body: list[BodyItem], room: int, columns: int, column_chars: int
            ) -> tuple[str, int] | None:
    """(anchor, lines left in its column) of the first photo that would open a
    column of `room` lines it does not fit (or may not: within EDGE), when the
    blocks of `body` are set into `columns` columns of `room` lines; None when
    none does before the columns are full (a photo that then goes on to the next
    page leaves a hole the photo guard closes)."""
    column, used = 0, 0
    for item in body:
        size = block_lines(item, column_chars)
        if size is None:
            return None  # across the page: the estimate stops (nothing found)
        figure = item["figure"]
        if figure is None:
            used += size
            while used > room:
                if column + 1 >= columns:
                    return None
                column, used = column + 1, used - room
            continue
        left = room - used
        if size <= left - (EDGE if used else 0):
            used += size
            continue
        if column + 1 >= columns and used > EDGE:
            return None  # the page ends above it: it goes on (the photo guard's)
        if column + 1 >= columns or size > room - EDGE:
            return figure["anchor"], left
        column, used = column + 1, size  # it opens the next column, leaving a hole there
    return None


def remedy(article: ArticleContext, room: int, columns: int, column_chars: int,
           least: Mapping[str, int], moved: Mapping[str, int]) -> Remedy | None:
    """How the article's head comes back into `room` lines under it in each of
    `columns` columns: its photo that would open a column it does not fit, made
    smaller to fit where it stands (not under PHOTO_LEAST: `least`, anchor →
    image lines), else moved after as few paragraphs more as keep it from
    opening a column (and smaller, if it then fits the column it ends). `moved`:
    paragraphs the plan moved photos already (the article as given has them
    moved): when the estimate finds none pushing now, the head still went on, so
    the photo the plan moved goes a paragraph further. None: nothing helps."""
    if room < ROOM_LEAST:
        return None
    body = article["body"]
    paragraphs = sum(1 for item in body if item["kind"] == "paragraph")
    found = pushing(body, room, columns, column_chars)
    if found is None:
        mine = [f for f in _figures(article) if f["anchor"] in moved]
        if not mine or _last(body, mine[0]["anchor"]):
            return None
        figure = mine[0]
        return Remedy(figure["anchor"], moved[figure["anchor"]] + 1, figure["image_lines"])
    anchor = found[0]
    figure = next(f for f in _figures(article) if f["anchor"] == anchor)
    lines, caption = figure["image_lines"], figure["caption_lines"]
    done = moved.get(anchor, 0)
    for step in range(0, paragraphs + 1):
        now = pushing(shift_figures([[article]], {anchor: step})[0][0]["body"], room, columns,
                      column_chars) if step else found
        if now is None:
            return Remedy(anchor, done + step, lines)
        smaller = now[1] - caption - 1 - EDGE
        if now[0] == anchor and least.get(anchor, lines) <= smaller < lines:
            return Remedy(anchor, done + step, smaller)
    return None


def _figures(article: ArticleContext) -> list[FigureContext]:
    return [item["figure"] for item in article["body"] if item["figure"] is not None]


def _last(body: list[BodyItem], anchor: str) -> bool:
    """No paragraph follows the photo `anchor`: it cannot move on."""
    at = next(i for i, item in enumerate(body) if item["figure"] is not None
              and item["figure"]["anchor"] == anchor)
    return not any(item["kind"] == "paragraph" for item in body[at + 1:])


def moved_flows(flows: list[list[ArticleContext]], moves: Mapping[str, int]
                ) -> list[list[ArticleContext]]:
    """The flows with each photo in `moves` that many paragraphs later
    (context.shift_figures), or, negative, before that many paragraphs before it
    (`raise_photo`)."""
    later = {a: n for a, n in moves.items() if n > 0}
    earlier = {a: -n for a, n in moves.items() if n < 0}
    if earlier:
        flows = [[_raised(article, earlier) for article in flow] for flow in flows]
        # (markers: what a photo follows, counted again)
        flows = shift_figures(flows, {a: 0 for a in earlier})
    return shift_figures(flows, later) if later else flows


def _raised(article: ArticleContext, earlier: Mapping[str, int]) -> ArticleContext:
    body = list(article["body"])
    for anchor, count in earlier.items():
        at = next((i for i, item in enumerate(body) if item["figure"] is not None
                   and item["figure"]["anchor"] == anchor), None)
        if at is None:
            continue
        before = [i for i in range(at) if body[i]["kind"] == "paragraph"]
        if len(before) < count + 1:
            continue  # it stays after the first paragraph at least
        item = body.pop(at)
        body.insert(before[-count], item)
    return {**article, "body": body}


def raised(article: ArticleContext, anchor: str, last_fill: int, lines: int,
           column_chars: int) -> int | None:
    """Paragraphs to put after the photo `anchor`, which follows the article's last
    paragraph and went on to the next page's top, so that it stands in the last
    column of the page the text ends on (`last_fill`: lines that column uses) with
    the text after it running on to the next page beside nothing empty: as few as
    carry the photo's lines past the column's foot, all of them within that column
    (None: none do, or the photo does not follow the last paragraph)."""
    body = article["body"]
    at = next((i for i, item in enumerate(body) if item["figure"] is not None
               and item["figure"]["anchor"] == anchor), None)
    if at is None or any(item["kind"] != "figure" for item in body[at + 1:]):
        return None
    figure = body[at]["figure"]
    assert figure is not None
    need = figure["lines"] + 1
    tail = 0
    for count, item in enumerate(reversed(body[:at]), start=1):
        size = block_lines(item, column_chars)
        if size is None or item["kind"] != "paragraph":
            return None
        tail += size
        if tail > last_fill - EDGE - 1:
            return None  # it would stand in the column before
        if tail >= last_fill + need - lines + EDGE:
            return count if count < len([i for i in body if i["kind"] == "paragraph"]) \
                else None
    return None


def notes(issue: LoadedIssue, base: IssueContext, planned: IssueContext,
          moves: Mapping[str, PhotoMove], pages: Mapping[str, int]) -> list[Diagnostic]:
    """The build's note for each photo the plan moved or made smaller for its
    article to start on the page it kept it off (`base`: the issue as laid out,
    `planned`: as typeset, `pages`: anchor → page as typeset), at the photo in
    issue.yaml; none for a move that did not hold (the check names the hole)."""
    found: list[Diagnostic] = []
    for anchor, move in moves.items():
        was = _placed(base, anchor)
        now = _placed(planned, anchor)
        if was is None or now is None or pages.get(now[0]["anchor"], 0) > move.page:
            continue
        article, figure, after = now
        before, natural = was[2], was[1]["image_lines"]
        index, photo = figure["article"], figure["photo"]
        name = f"{article_name(index, article['title'])} › {photo_name(photo, figure['src'])}"
        if move.paragraphs < 0:
            found.append(info(
                "layout.photo-moved",
                _("{photo}: after paragraph {before}, the article's last, it did not fit "
                  "under the text on page {page} and stood at the top of page {next}, above "
                  "the next article, with the page before short; it now follows paragraph "
                  "{after}, and the text after it runs on to page {next}").format(
                    photo=name, before=before, after=after, page=move.page,
                    next=move.page + 1),
                issue.article_location(index, "photos", photo, "after_paragraph"),
                _("set after_paragraph: {after} to place it so yourself").format(after=after)))
            continue
        if after != before and figure["image_lines"] < natural:
            done = _("it now follows paragraph {after} and is set at {percent} % of its "
                     "height").format(after=after,
                                      percent=round(100 * figure["image_lines"] / natural))
        elif after != before:
            done = _("it now follows paragraph {after}").format(after=after)
        else:
            done = _("it is now set at {percent} % of its height").format(
                percent=round(100 * figure["image_lines"] / natural))
        found.append(info(
            "layout.photo-moved",
            _("{photo}: after paragraph {before} it would have opened a column too short for "
              "it, and the article's headline and first paragraphs would have gone on to page "
              "{next} with it, leaving page {page} empty under the text above; {done}, so the "
              "article starts on page {page}").format(
                photo=name, before=before, next=move.page + 1, page=move.page, done=done),
            issue.article_location(index, "photos", photo, "after_paragraph"),
            _("set after_paragraph: {after} to place it so yourself").format(after=after)))
    return found


def _placed(context: IssueContext, anchor: str
            ) -> tuple[ArticleContext, FigureContext, int] | None:
    """(article, photo, paragraphs before it) of the photo `anchor`."""
    for flow in context["flows"]:
        for article in flow:
            count = 0
            for item in article["body"]:
                if item["kind"] == "paragraph":
                    count += 1
                figure = item["figure"]
                if figure is not None and figure["anchor"] == anchor:
                    return article, figure, count
    return None


def gone_on(issue: LoadedIssue, planned: IssueContext, fills: list[list[int]],
            pages: Mapping[str, int], lines: int) -> list[Diagnostic]:
    """A warning for each article whose photos went on past its text to the top of
    the next page, above the article after it, leaving the page its text ends on
    short (the photo guard moves a photo no further than the article's end, and
    the plan made none of them small enough, within 75 %, to stay under the text:
    page_plan.gone_on), at its first such photo in issue.yaml: how many lines they
    need and how many the page has."""
    found: list[Diagnostic] = []
    articles = [a for flow in planned["flows"] for a in flow if not a["continued"]]
    for article, after in itertools.pairwise(articles):
        figures = [f for f in _figures(article) if f["width"] == "column"]
        starts = [f for f in figures if f"{f['anchor']}-after-text" in pages]
        # The photo that followed the text as typeset (the guard may have moved it on).
        first = next((f for f in starts if pages.get(f["anchor"], 0) ==
                      pages[f"{f['anchor']}-after-text"] + 1), None)
        if first is not None:
            page = pages[f"{first['anchor']}-after-text"]
        else:
            # Photos set after the text (placement: bottom), the first of them
            # after the last paragraph and still on its page, the others on the next.
            trailing = _trailing(article)
            marked = trailing[0] if trailing and trailing[0] in starts else None
            if marked is None:
                continue
            page = pages[f"{marked['anchor']}-after-text"]
            first = next((f for f in trailing if pages.get(f["anchor"]) == page + 1), None)
            if first is None:
                continue
        on = [f for f in figures if pages.get(f["anchor"]) == page + 1]
        starts_on = pages.get(after["anchor"], 0)
        if not 0 < page < len(fills) or after["start"] == "new-page" or \
                starts_on not in (page + 1, page + 2):
            continue
        names = "、".join(photo_name(f["photo"]) for f in on)
        name = article_name(first["article"], article["title"])
        next_name = article_name(after_index(issue, after), after["title"])
        if starts_on == page + 2:
            # Nothing else on that page: the article after them did not fit under them.
            if any(pages.get(a["anchor"]) == page + 1 for a in articles) or \
                    max(lines - used for used in fills[page]) <= SLACK:
                continue
            found.append(warning(
                "copyfit.photos-gone-on",
                ngettext("{article}: {photos} went on past its text, which ends on page {page}, "
                         "and stand alone at the top of page {next}; {after} does not fit under "
                         "them there ({room} line left in a column) and starts on page {later}",
                         "{article}: {photos} went on past its text, which ends on page {page}, "
                         "and stand alone at the top of page {next}; {after} does not fit under "
                         "them there ({room} lines left in a column) and starts on page {later}",
                         max(lines - used for used in fills[page])).format(
                    article=name, photos=names, page=page, next=page + 1, after=next_name,
                    room=max(lines - used for used in fills[page]), later=page + 2),
                issue.article_location(first["article"], "photos", first["photo"]),
                _("put a photo after an earlier paragraph (after_paragraph:) or leave one "
                  "out, so that the photos stand beside text; or cut {after} to fit under "
                  "them").format(after=next_name)))
            continue
        room = max(lines - used for used in fills[page - 1])
        need = min(f["lines"] + 1 for f in on)
        if room < 3 or need <= room:
            continue  # (a line or two: the column is full; it fits: not this)
        found.append(warning(
            "copyfit.photos-gone-on",
            ngettext("{article}: {photos} went on past its text, which ends on page {page}, "
                     "to the top of page {next}, above {after}: page {page} has {room} lines "
                     "left in a column, the photo needs {need} with its caption",
                     "{article}: {photos} went on past its text, which ends on page {page}, "
                     "to the top of page {next}, above {after}: page {page} has {room} lines "
                     "left in a column, the smallest of the photos needs {need} with its "
                     "caption", len(on)).format(
                article=name, photos=names, page=page, next=page + 1, after=next_name,
                room=room, need=need),
            issue.article_location(first["article"], "photos", first["photo"]),
            ngettext("cut about {lines} line from the article's text so that the photo fits under "
                     "it on page {page}, put a photo after an earlier paragraph "
                     "(after_paragraph:), or leave one out",
                     "cut about {lines} lines from the article's text so that the photo fits under "
                     "it on page {page}, put a photo after an earlier paragraph "
                     "(after_paragraph:), or leave one out", need - room).format(
                         lines=need - room, page=page)))
    return found


def _trailing(article: ArticleContext) -> list[FigureContext]:
    """The column photos after the article's last block of text, in order."""
    found: list[FigureContext] = []
    for item in reversed(article["body"]):
        if item["figure"] is None:
            break
        if item["figure"]["width"] == "column":
            found.insert(0, item["figure"])
    return found


def after_index(issue: LoadedIssue, article: ArticleContext) -> int:
    """The article's place in issue.yaml (from 0)."""
    ids = [a.id for a in issue.manifest.articles]
    return ids.index(article["id"]) if article["id"] in ids else article["number"] - 1
