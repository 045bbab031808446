"""The typography check: what a Chinese reader sees wrong, measured from the PDF
(its characters read through PDFium, pdf/text.py `read_pages`).

Each finding names the page, column and line. The checks follow W3C clreq
and GB/T 15834: lines justified to the column edge, no forbidden mark at a
line start or end (避头尾), "——"/"……" and numbers never split, both columns on
one baseline grid, the Han–Latin gap inside lines and not at their
edges, no orphan or widow line, no heading left at the foot of a
column, only the layout's fonts, no loose line, no paragraph ending with a
lone character (孤字), headlines broken between words into lines of more
than two characters.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
import statistics
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bulletin_press.diagnostics import Diagnostic, Location, error, page_name, unique, warning
from bulletin_press.i18n import _
from bulletin_press.layout.specs import Geometry
from bulletin_press.pdf.text import Line, lines_of, read_pages, reading_order
from bulletin_press.text.breaks import BREAK_AFTER as ADDRESS_BREAK_AFTER
from bulletin_press.text.breaks import BREAK_BEFORE as ADDRESS_BREAK_BEFORE
from bulletin_press.text.breaks import FLUSH_GAP_EM, LABEL, holds_a_long_run, leading_run
from bulletin_press.text.normalise import is_cjk
from bulletin_press.text.punctuation import (
    CLOSING,
    holds_tight,
    is_boundary,
    is_han,
    is_latin,
)
from bulletin_press.text.words import words

NO_LINE_START = frozenset("，。、；：？！）」』”’》〉】…·%℃—～")
NO_LINE_END = frozenset("（「『“‘《〈【·")
RAGGED_TOLERANCE = 0.5  # pt
GRID_TOLERANCE = 0.5  # pt
LOOSE_HAN_EM = 0.5  # widest gap between two Han characters of a justified line
LOOSE_ANY_EM = 1.0  # between any two characters
PUNCTUATION = NO_LINE_START | NO_LINE_END | frozenset("“”‘’")
ALIGNED_EM = 0.25  # a line within this of the column edge starts there
EDGE_EM = 0.5  # a Han–Latin gap at a line start is less; a list number's indent is more
PARAGRAPH_INDENT_EM = 2.0  # the layouts' first-line indent (`.columns p`)
# A list item's first line: the bullet or number the template sets before it.
LIST_MARKER = re.compile(r"^(?:[•◦▪·]|\d{1,3}[.．])")
LABEL_ENDS = ("：", ":")  # 开放时间： — a label line, ragged on purpose
# Lines that start with a label (地址：…, 电话：021…) one under the other are the
# items of a block the editor broke by hand (text/blocks.py): each may end short.
LABEL_START = re.compile(r"[\u4e00-\u9fff]{1,6}[：:]")
AUTOSPACE_EM = 0.25  # the layouts' Han–Latin gap, at most


@dataclass(frozen=True)
class BodyLine:
    page: int
    column: int  # 1-based
    number: int  # 1-based line number within its column on this page
    line: Line
    left: float  # the column's left edge
    # The edge its text is justified to: the measure's for a line across the page;
    # None: the column's (left + column width).
    right: float | None = None
    # Something other than body text (a heading, a table, a blank line) comes before
    # it: it starts a new block of text.
    starts_block: bool = False

    @property
    def indented(self) -> bool:
        return self.line.x0 - self.left > self.line.size

    @property
    def list_item(self) -> bool:
        """The first line of a list item (lists are not justified body text)."""
        return bool(LIST_MARKER.match(self.line.text))

    @property
    def aligned(self) -> bool:
        """Starts at the column edge: a paragraph's second or later line."""
        return abs(self.line.x0 - self.left) < ALIGNED_EM * self.line.size

    @property
    def paragraph(self) -> bool:
        """A line of running text: at the column edge or indented by the paragraph
        indent. Lines set apart otherwise (list markers, quotes, a notice's
        signature, centred lines) are not held to justification or orphan rules."""
        indent = self.line.x0 - self.left - PARAGRAPH_INDENT_EM * self.line.size
        return self.aligned or abs(indent) < ALIGNED_EM * self.line.size

    def edge(self, g: Geometry) -> float:
        return self.right if self.right is not None else self.left + g.column_width

    @property
    def full(self) -> bool:
        """Reaches the edge its text is justified to (unknown edge: taken as reached)."""
        return self.right is None or self.right - self.line.x1 <= RAGGED_TOLERANCE

    def where(self) -> str:
        return _("column {column}, line {line}").format(column=self.column, line=self.number)

    def location(self, path: Path | None) -> Location:
        box = (self.line.x0, self.line.top, self.line.x1, self.line.top + self.line.size)
        return Location(path, page=self.page, box=box)


def column_lefts(g: Geometry) -> list[float]:
    return [g.margin_side + i * (g.column_width + g.gap) for i in range(g.columns)]


def _page_body_lines(page: object, number: int, g: Geometry) -> list[BodyLine]:
    """Body lines in reading order; numbered within their column from the top of the page."""
    lefts = column_lefts(g)
    ordered = reading_order(page)
    lines = [ln for ln in ordered if abs(ln.size - g.body_size) < 0.1]
    body = {id(ln) for ln in lines}
    headed = {id(ln) for before, ln in itertools.pairwise(ordered)
              if id(ln) in body and before.size > g.body_size + 0.1}
    columns = [_column_of(ln, lefts, g) for ln in lines]
    tops: dict[int, list[float]] = {}
    for line, column in zip(lines, columns, strict=True):
        tops.setdefault(column, []).append(line.top)
    for column_tops in tops.values():
        column_tops.sort()
    found = [BodyLine(number, column + 1, tops[column].index(line.top) + 1, line,
                      lefts[column], _right_edge(line, lefts[column], g),
                      id(line) in headed or _after_gap(line.top, tops[column], g.line))
             for line, column in zip(lines, columns, strict=True)]
    # A paragraph's last line across the measure (a notice's) that ends just short of
    # the gap looks like a column's line run past its edge: "…征文活动，欢迎大家踊跃
    # 投稿。" was "runs 5.2 pt past the column edge". Under a line across the measure,
    # in the same paragraph (the next grid line), it is set across the measure too.
    across = g.margin_side + g.measure
    by_place = {(b.column, b.line.top): b for b in found}
    for index, b in enumerate(found):
        if b.right == across or b.line.x1 <= b.edge(g) + RAGGED_TOLERANCE or b.starts_block:
            continue
        above = [a for (column, top), a in by_place.items() if column == b.column
                 and 0 < b.line.top - top <= g.line + GRID_TOLERANCE]
        if above and above[0].right == across:
            found[index] = dataclasses.replace(b, right=across)
    return found


def _after_gap(top: float, column_tops: list[float], pitch: float) -> bool:
    """More than a line below the body line above it in its column."""
    index = column_tops.index(top)
    return index > 0 and top - column_tops[index - 1] > pitch + GRID_TOLERANCE


def _column_of(line: Line, lefts: list[float], g: Geometry) -> int:
    """The column a line starts in (a line set flush right starts far from its
    column's left edge, but still inside the column)."""
    inside = [i for i, left in enumerate(lefts)
              if left - g.gap / 2 <= line.x0 < left + g.column_width + g.gap / 2]
    return inside[0] if inside else min(range(len(lefts)), key=lambda i: abs(line.x0 - lefts[i]))


def _right_edge(line: Line, left: float, g: Geometry) -> float:
    """A line that runs into the gap is set across the measure (a notice over the
    page): its edge is the measure's, not the column's."""
    column_right = left + g.column_width
    if line.x1 > column_right + g.gap / 2:
        return g.margin_side + g.measure
    return column_right


def read_body(pdf_bytes: bytes, g: Geometry) -> tuple[list[BodyLine], list[tuple[int, Line]]]:
    """Body lines in reading order (columns left to right, pages in order), and all lines."""
    body: list[BodyLine] = []
    every: list[tuple[int, Line]] = []
    for number, page in enumerate(read_pages(pdf_bytes), start=1):  # PDFium, not pdfminer
        body += _page_body_lines(page, number, g)
        every += [(number, ln) for ln in lines_of(page)]
    return body, every


def _paragraph_ends(body: list[BodyLine]) -> list[bool]:
    """A line ends its block when the next body line does not continue it at the
    column edge (it starts indented, starts a list item, is set apart or comes after a
    heading, table or blank line), when it is a label ending in "：" or it and the next
    start with one (地址：… / 电话：…, broken by hand), or when none follows."""
    return [i + 1 == len(body) or body[i + 1].indented or body[i + 1].list_item
            or not body[i + 1].aligned or body[i + 1].starts_block
            or body[i].line.text.endswith(LABEL_ENDS)
            or _label_lines(body[i].line.text, body[i + 1].line.text) for i in range(len(body))]


def _label_lines(text: str, following: str) -> bool:
    """Two lines that each start with a label (地址：… / 电话：…): an address block the
    editor broke by hand, one item a line."""
    return LABEL_START.match(text) is not None and LABEL_START.match(following) is not None


def _in_lists(body: list[BodyLine], g: Geometry) -> list[bool]:
    """Is each line a list item's: its first line (a marker), or a line under it at
    the item's text that the line above runs on into (set ragged, that one ends
    within LIST_RUN_EM of the column's edge)? A list item's later lines stand in by
    the list's indent, as a paragraph's first line does: the last of them, 「查询。」
    under 「搜索“纳凉点”，或拨打12345市民服务热线」, was judged a paragraph's line
    ending short (outside s12's 2026-07b, in a box the plan moved)."""
    found: list[bool] = []
    for i, line in enumerate(body):
        above = body[i - 1] if i else None
        found.append(line.list_item or (
            above is not None and found[-1] and line.indented and not line.starts_block
            and (above.page, above.column) == (line.page, line.column)
            and above.edge(g) - above.line.x1 < LIST_RUN_EM * above.line.size))
    return found


LIST_RUN_EM = 3.0  # a ragged list line ends nearer the edge than this when its item goes on
# (a word of two characters and its mark pushed to the next line)


def check_justification(body: list[BodyLine], g: Geometry,
                        path: Path | None = None) -> Iterator[Diagnostic]:
    ends = _paragraph_ends(body)
    listed = _in_lists(body, g)
    for i, (line, last) in enumerate(zip(body, ends, strict=True)):
        short = line.edge(g) - line.line.x1
        following = body[i + 1].line.text if i + 1 < len(body) else ""
        if line.paragraph and not last and not listed[i] and short > RAGGED_TOLERANCE \
                and not _address_break(line.line.text, following) \
                and not _before_unbreakable(line, body[i + 1:i + 3], short) \
                and not _beside_a_long_run(line, short):
            yield warning("typography.ragged-line",
                          _("{where} ends {short:.1f} pt short of the column edge (“{end}”)")
                          .format(where=line.where(), short=short, end=line.line.text[-8:]),
                          line.location(path),
                          _("the line could not be justified: add or remove a few characters "
                            "in it, or break a long number or web address"))


def _address_break(text: str, following: str) -> bool:
    """Does the line end inside an address, where an address may break (text/breaks.py),
    or is it one word or address alone? Such a line is never spread letter by letter,
    so it may end short."""
    if not text or not following or is_cjk(text[-1]) or is_cjk(following[0]):
        return False
    alone = not any(is_cjk(c) or c.isspace() for c in text)
    return alone or text[-1] in ADDRESS_BREAK_AFTER or following[0] in ADDRESS_BREAK_BEFORE


def _spread_past_flush(text: str, short: float, size: float) -> bool:
    """Would spreading `short` over the line's gaps between Han characters (and beside
    them) open each wider than FLUSH_GAP_EM?"""
    gaps = sum(1 for a, b in itertools.pairwise(text)
               if (is_cjk(a) or is_cjk(b)) and a + b not in ("——", "……")
               and not holds_tight(a, b))
    return gaps > 0 and short / gaps > FLUSH_GAP_EM * size - RAGGED_TOLERANCE


def _beside_a_long_run(line: BodyLine, short: float) -> bool:
    """Is the line set flush start because an address or long number fills it, so
    that its few Han gaps would have been spread wider than FLUSH_GAP_EM (网 站
    www.…/index.html; typeset/ext/cjk_justify.py)?"""
    text = line.line.text.replace("\x02", "-")
    return holds_a_long_run(text) and _spread_past_flush(text, short, line.line.size)


def _before_unbreakable(line: BodyLine, following: list[BodyLine], short: float) -> bool:
    """Is the line set flush start because what starts the next line cannot break and
    did not fit (联系人手机：13812345678 before 传真：021-62345679), where justifying
    would have spread its characters wider than FLUSH_GAP_EM (typeset/ext/line_fit.py)?
    `following`: the next two lines (an address is known by its whole text)."""
    if not following or not following[0].line.chars or not line.line.text:
        return False
    # PDFium reads a hyphen that ends a line as U+0002
    run = leading_run("".join(b.line.text for b in following).replace("\x02", "-"))
    chars, size = following[0].line.chars, line.line.size
    if not run:
        return False
    label = LABEL.match(run)
    if label is not None:
        # A label goes to the line's end without its value (…王晓燕，电话： / 021-6238
        # 1234): only the label did not fit (服务，请联系社区工作人员王晓燕，set 7 em short
        # before 电话：021-6238 1234 was let pass).
        run = label.group(0)
    width = chars[min(len(run), len(chars)) - 1]["x1"] - chars[0]["x0"]
    if is_boundary(line.line.text[-1], run[0]):
        width += AUTOSPACE_EM * size
    return width > short and _spread_past_flush(line.line.text, short, size)


def ink_right(line: Line) -> float:
    """Where the line's text ends to the eye: a full-width closing mark that ends it
    (，。》…) has its ink in its left half and is set half width there, its blank half
    past the edge (typeset/ext/cjk_justify.py compress_end); PDFium gives its whole box."""
    last = line.chars[-1] if line.chars else None
    if last is not None and last["text"] in CLOSING and \
            last["x1"] - last["x0"] > 0.75 * line.size:
        return float(last["x0"]) + 0.5 * line.size
    return line.x1


def check_overfull(body: list[BodyLine], g: Geometry, path: Path | None = None
                   ) -> Iterator[Diagnostic]:
    for line in body:
        over = ink_right(line.line) - line.edge(g)
        if over > RAGGED_TOLERANCE:
            yield warning("typography.overfull-line",
                          _("{where} runs {over:.1f} pt past the column edge").format(
                              where=line.where(), over=over), line.location(path),
                          _("break the long word or web address in it"))


def check_autospace(body: list[BodyLine], autospace_em: float, path: Path | None = None
                    ) -> Iterator[Diagnostic]:
    """The Han–Latin gap is there inside lines and gone at line starts."""
    if autospace_em <= 0:
        return
    for line in body:
        chars = line.line.chars
        size = line.line.size
        if chars and line.line.x0 - line.left < EDGE_EM * size and not line.list_item and \
                is_latin(chars[0]["text"]) and chars[0]["x0"] - line.left > 0.05 * size:
            yield warning("typography.autospace-edge",
                          _("{where} starts {gap:.1f} pt in from the column edge").format(
                              where=line.where(), gap=chars[0]["x0"] - line.left),
                          line.location(path))
        for a, b in itertools.pairwise(chars):
            gap = b["x0"] - a["x1"]
            if is_boundary(a["text"], b["text"]) and gap < (autospace_em - 0.02) * size:
                yield warning("typography.autospace",
                              _("{where}: no space between “{a}” and “{b}” ({gap:.2f} em, "
                                "{expected:g} em expected)").format(
                                  where=line.where(), a=a["text"], b=b["text"],
                                  gap=gap / size, expected=autospace_em), line.location(path))


def check_line_breaks(body: list[BodyLine], path: Path | None = None) -> Iterator[Diagnostic]:
    ends = _paragraph_ends(body)
    for i, line in enumerate(body):
        text = line.line.text
        first, last = text[0], text[-1]
        if first in NO_LINE_START and not text.startswith("——"):
            yield warning("typography.line-start",
                          _("{where} starts with “{mark}”, which must not begin a line (避头)")
                          .format(where=line.where(), mark=first), line.location(path))
        if last in NO_LINE_END:
            yield warning("typography.line-end",
                          _("{where} ends with “{mark}”, which must not end a line (避尾)")
                          .format(where=line.where(), mark=last), line.location(path))
        if ends[i] or i + 1 == len(body):
            continue
        following = body[i + 1].line.text
        pair = last + following[0]
        if pair in ("——", "……") and not text.endswith(pair) and not following.startswith(pair):
            yield warning("typography.split-mark",
                          _("{where}: “{mark}” is split across two lines").format(
                              where=line.where(), mark=pair), line.location(path))
        if last.isdigit() and following[0].isdigit():
            yield warning("typography.split-number",
                          _("{where}: the number “…{before}|{after}…” is split across two "
                            "lines").format(where=line.where(), before=text[-4:],
                                            after=following[:4]), line.location(path))


def check_grid(body: list[BodyLine], g: Geometry, path: Path | None = None
               ) -> Iterator[Diagnostic]:
    if not body:
        return
    phases = [(b.line.top - g.margin_top) % g.line for b in body]
    phase = statistics.median(phases)
    seen: set[tuple[int, int]] = set()  # a block off the grid moves every line under it
    for line, value in zip(body, phases, strict=True):
        off = (value - phase + g.line / 2) % g.line - g.line / 2
        if abs(off) > GRID_TOLERANCE and (line.page, line.column) not in seen:
            seen.add((line.page, line.column))
            yield warning("typography.off-grid",
                          _("{where} and the lines under it sit {off:+.1f} pt off the "
                            "baseline grid shared by both columns").format(
                              where=line.where(), off=off), line.location(path),
                          _("a block above it is not a whole number of lines tall"))


def check_orphans_widows(body: list[BodyLine], path: Path | None = None
                         ) -> Iterator[Diagnostic]:
    ends = _paragraph_ends(body)
    for i, line in enumerate(body):
        following = body[i + 1] if i + 1 < len(body) else None
        moves_on = following is not None and (following.page, following.column) != (
            line.page, line.column) and following.line.top < line.line.top
        if line.indented and line.paragraph and line.full and not ends[i] and moves_on:
            yield warning("typography.orphan",
                          _("{where}: the first line of a paragraph is alone at the foot of "
                            "the column").format(where=line.where()), line.location(path),
                          _("add or cut a line in the text above"))
        previous = body[i - 1] if i else None
        came_from = previous is not None and (previous.page, previous.column) != (
            line.page, line.column)
        # A line after one that stopped short of the edge starts a paragraph of its
        # own (a salutation at the head of a column), whatever its indent.
        continues = previous is not None and previous.paragraph and previous.full
        if came_from and continues and line.aligned and not line.list_item and ends[i]:
            yield warning("typography.widow",
                          _("{where}: the last line of a paragraph is alone at the head of "
                            "the column").format(where=line.where()), line.location(path),
                          _("shorten the paragraph by a few characters, or lengthen it"))


def check_stranded_headings(body: list[BodyLine], every: list[tuple[int, Line]],
                            g: Geometry, path: Path | None = None) -> Iterator[Diagnostic]:
    """A heading with no body text under it on its page, in the lowest lines of the page."""
    text_bottom = g.margin_top + g.lines * g.line
    for page, line in every:
        if line.size <= g.body_size + 0.1 or line.top < g.margin_top:
            continue  # body text, captions, running heads
        below = [b for b in body if b.page == page and b.line.top > line.top
                 and b.line.x0 < line.x1 and b.line.x1 > line.x0]
        if not below and text_bottom - line.top < 4 * g.line:
            yield warning("typography.stranded-heading",
                          _("the heading “{heading}” is at the foot of {page} with its text on "
                            "the next page").format(heading=line.text[:20],
                                                    page=page_name(page)),
                          Location(path, page=page, box=(line.x0, line.top, line.x1,
                                                          line.top + line.size)),
                          _("shorten the previous article or start this one on a new page"))


def check_fonts(every: list[tuple[int, Line]], families: list[str],
                path: Path | None = None) -> Iterator[Diagnostic]:
    tokens = [f.replace(" ", "-") for f in families]
    seen: set[str] = set()
    for page, line in every:
        for char in line.chars:
            name = str(char.get("fontname", ""))
            if name in seen or any(t in name for t in tokens):
                continue
            seen.add(name)
            yield error("typography.unexpected-font",
                        _("“{char}” is set in {font}, not in the layout's fonts ({fonts})")
                        .format(char=char["text"], font=name, fonts=", ".join(families)),
                        Location(path, page=page, box=(char["x0"], char["top"], char["x1"],
                                                        char["bottom"])),
                        _("a character fell back to another font; replace it or add a font"))


def check_loose_lines(body: list[BodyLine], path: Path | None = None) -> Iterator[Diagnostic]:
    """Justified lines spread so far that the reader sees gaps (issue 15's limits): two
    Han characters more than 0.5 em apart, any two neighbours more than 1 em."""
    for line, last in zip(body, _paragraph_ends(body), strict=True):
        if last:
            continue  # not justified
        size = line.line.size
        worst = 0.0
        for a, b in itertools.pairwise(_clusters(line.line.chars)):
            gap = (b[1] - a[2]) / size
            limit = LOOSE_HAN_EM if is_han(a[0]) and is_han(b[0]) else LOOSE_ANY_EM
            worst = max(worst, gap / limit)
        if worst > 1:
            yield warning("typography.loose-line", _(
                "{where} is set loosely: characters stand up to {gap:.2f} em apart "
                "(“{text}”)").format(where=line.where(), gap=worst * LOOSE_HAN_EM,
                                     text=line.line.text[:12]),
                line.location(path), _(
                    "something that cannot be broken follows (an address, a number, a long "
                    "word); reword the sentence or move it"))


def _clusters(chars: list[dict[str, object]]) -> list[tuple[str, float, float]]:
    """(text, x0, x1) of what is drawn as one glyph: the font joins “——” into one
    2-em dash, which PDFium reads as two characters at the same place, each 1 em
    wide (the second “—” then seemed 1 em from the character after it)."""
    out: list[tuple[str, float, float]] = []
    for char in chars:
        x0, x1 = float(char["x0"]), float(char["x1"])  # type: ignore[arg-type]
        if out and abs(x0 - out[-1][1]) < 0.01 and x1 > x0:
            text, start, end = out[-1]
            out[-1] = (text + str(char["text"]), start, end + (x1 - x0))
        else:
            out.append((str(char["text"]), x0, x1))
    return out


def check_lone_characters(body: list[BodyLine], path: Path | None = None
                          ) -> Iterator[Diagnostic]:
    """A paragraph's last line holding a single character (孤字), with or without its
    punctuation."""
    for line, last in zip(body, _paragraph_ends(body), strict=True):
        if last and len([c for c in line.line.text if c not in PUNCTUATION]) == 1:
            yield warning("typography.lone-character", _(
                "{where}: the paragraph ends with '{text}' alone on its last line (孤字)"
            ).format(where=line.where(), text=line.line.text), line.location(path),
                _("add or remove a few characters in the paragraph"))


def headlines(every: list[tuple[int, Line]], g: Geometry) -> list[tuple[int, list[Line]]]:
    """The lines of each headline (larger than body text), grouped: one size, one
    font, one above the other."""
    found: list[tuple[int, list[Line]]] = []
    for page, line in sorted(every, key=lambda pl: (pl[0], pl[1].top, pl[1].x0)):
        if line.size <= g.body_size + 0.1 or line.top < g.margin_top:
            continue
        if found and found[-1][0] == page:
            previous = found[-1][1][-1]
            if (abs(previous.size - line.size) < 0.1 and previous.fontname == line.fontname
                    and 0 < line.top - previous.top <= 2.5 * line.size
                    and line.x0 < previous.x1 and line.x1 > previous.x0):
                found[-1][1].append(line)
                continue
        found.append((page, [line]))
    return found


def check_headlines(every: list[tuple[int, Line]], g: Geometry, path: Path | None = None
                    ) -> Iterator[Diagnostic]:
    """A headline of several lines breaks between words, and no line holds only one
    or two characters."""
    for page, lines in headlines(every, g):
        if len(lines) < 2:
            continue
        texts = [ln.text.replace(" ", "") for ln in lines]
        whole = "".join(texts)
        ends = set(itertools.accumulate(len(w) for w in words(whole)))
        position = 0
        for number, (line, text) in enumerate(zip(lines, texts, strict=True), start=1):
            where = Location(path, page=page, box=(line.x0, line.top, line.x1,
                                                    line.top + line.size))
            if len([c for c in text if c not in PUNCTUATION]) <= 2:
                yield warning("typography.headline-short-line", _(
                    "line {number} of the headline “{headline}” holds only “{text}”"
                ).format(number=number, headline=whole[:20], text=text), where, _(
                    "shorten or lengthen the headline, or break it by hand with |"))
            position += len(text)
            # Between two Latin letters the line broke at a space (“Notice | to”): the
            # PDF's lines carry no spaces, and jieba reads “Noticeto” as one word.
            latin = text[-1:].isascii() and text[-1:].isalpha() and number < len(lines) \
                and texts[number][:1].isascii() and texts[number][:1].isalpha()
            if number < len(lines) and position not in ends and not latin:
                yield warning("typography.headline-split-word", _(
                    "the headline “{headline}” breaks inside a word: “{before}|{after}”"
                ).format(headline=whole[:20], before=text[-3:], after=texts[number][:3]),
                    where, _("break the headline by hand with | where it should break"))


def check_typography(pdf_bytes: bytes, g: Geometry, families: list[str],
                     path: Path | None = None, *, autospace_em: float = 0.0
                     ) -> list[Diagnostic]:
    """All typography findings of a built PDF; `path` only labels the findings."""
    body, every = read_body(pdf_bytes, g)
    return check_lines(body, every, g, families, path, autospace_em=autospace_em)


def check_lines(body: list[BodyLine], every: list[tuple[int, Line]], g: Geometry,
                families: list[str], path: Path | None = None, *, autospace_em: float = 0.0
                ) -> list[Diagnostic]:
    """`check_typography` of lines already read (`read_body`): the preview reads only
    the pages that changed and keeps the others' lines."""
    return unique([
        *check_justification(body, g, path),
        *check_overfull(body, g, path),
        *check_autospace(body, autospace_em, path),
        *check_line_breaks(body, path),
        *check_grid(body, g, path),
        *check_orphans_widows(body, path),
        *check_stranded_headings(body, every, g, path),
        *check_fonts(every, families, path),
        *check_loose_lines(body, path),
        *check_lone_characters(body, path),
        *check_headlines(every, g, path),
    ])
