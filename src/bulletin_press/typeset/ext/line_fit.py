"""Where lines of a paragraph end, as a contained WeasyPrint extension.

WeasyPrint 70 breaks each line as full as it can, one after the other. Three
things a composer does are added here, each by laying a line out again with
the same WeasyPrint functions under a changed condition:

- lone last lines (孤字): when a justified paragraph's last line would hold a
  single character (with its punctuation), the line before it is laid out
  again a little narrower, so it gives a character to the last line; it is
  justified to the full width as before (a few hundredths of an em more per
  gap);
- loose lines: when justifying a line would set two characters further apart
  than the limits below, the line is laid out again "relaxed": soft glue
  (text/breaks.py) may break, and a Latin run that cannot otherwise start on
  this line may break anywhere (`overflow-wrap: anywhere`, WeasyPrint's own
  rule). Glue gives way in its order (text/breaks.py `relax`): first a label's,
  a phone number's, a range's after its dash; only when that does not help, a
  date's after 年 or 月; never a number's before its unit;
- balanced lines: a block whose style has `--bp-balance: 1` (headlines) is
  laid out at the narrowest width that keeps its number of lines, so the lines
  come out about equally long; `text-align` places them as usual; it breaks
  between words, and at the spaces between its phrases only when each phrase
  fits a line (text/words.py);
- captions (figcaption: a photo's, a QR code's) of more than one line are
  balanced too, and break between words (text/words.py): 扫码关注“新泾镇” /
  微信公众号 rather than …微信公 / 众号; words are kept whole only when that
  takes no line more (a photo caption's height is counted before typesetting,
  layout/context.py).

- pushing in (追い込み, clreq 标点挤压): a paragraph the page plan marks
  (`--bp-push: 1`) is set a line shorter when that can be done: its first lines
  (the fewest that do it) are broken up to PUSH_EM wider and take the overflow
  from their punctuation's blank halves (cjk_justify.squeeze); decided at the
  paragraph's start, otherwise it is set as it would be.

Narrowing, relaxing and pushing reach WeasyPrint's `split_first_line` through
context variables of this module, set only while the line is laid out again.
"""

from __future__ import annotations

import contextlib
import contextvars
import itertools
import re
import weakref
from collections.abc import Callable, Iterator
from math import inf
from typing import Any

from weasyprint.formatting_structure import boxes
from weasyprint.layout import block as block_module
from weasyprint.layout import inline as inline_module
from weasyprint.layout import leader as leader_module
from weasyprint.layout.percent import resolve_one_percentage, resolve_percentages
from weasyprint.text.constants import PANGO_WRAP_MODE
from weasyprint.text.ffi import pango
from weasyprint.text.line_break import create_layout, first_line_metrics, line_size

from bulletin_press.text import breaks
from bulletin_press.text.breaks import BREAK, LATE_GLUE, SOFT_GLUE, WORD, leading_run
from bulletin_press.text.words import (
    clauses,
    join_clauses,
    join_phrases,
    join_time_parts,
    join_words,
    phrases,
    time_parts,
)
from bulletin_press.typeset.ext import cjk_autospace, cjk_justify, split_cache
from bulletin_press.typeset.gate import replace

BALANCE = "__bp_balance"  # WeasyPrint's key for the custom property --bp-balance
PUSH = "__bp_push"  # --bp-push: 1, a paragraph the page plan sets a line shorter
HAN_GAP_EM = 0.5  # widest justified gap between two Han characters
GAP_EM = 1.0  # widest between any two characters
# Spread wider than this share of the limit (0.25 em), a line reads letter-spaced:
# soft glue may give way for it too (cjk_justify.FLUSH_GAP_EM).
FLUSH_RATIO = cjk_justify.FLUSH_GAP_EM / HAN_GAP_EM
UNBREAKABLE_EM = 4.0  # a run this wide can leave a loose line before it
# Spread past this share of the limit (0.15 em) before a run that cannot start on it,
# a line takes characters from the line above when that sets both more evenly, by at
# least EVEN_GAIN (0.04 em) at the wider of the two (`_shared`).
EVEN_RATIO = 0.3
EVEN_GAIN = 0.08
# Latin letters, digits and marks (no break between two of them), and characters
# held together by glue or a WORD JOINER.
# The glued pair is tried first: a regex alternation takes the first that matches, and
# 021⁠-6418 3356 was read as 021, -6418 and 3356 (no run long enough to look ahead for).
_UNBREAKABLE = re.compile(r"(?:[^\s\ufeff\u2060][\ufeff\u2060\u00a0]+(?=\S)|[!-~])+[!-~]?")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_PUNCTUATION = frozenset("，。、；：？！）」』”’》〉】…—～·（「『“‘《〈【%")
_INVISIBLE = frozenset("\u2060\u200b\ufeff \u00a0")

_narrow: contextvars.ContextVar[float] = contextvars.ContextVar("bp_narrow", default=0.0)
# How much glue may give way (text/breaks.py `relax`): 0 none, 1 all but a date's, 2 all.
_relaxed: contextvars.ContextVar[int] = contextvars.ContextVar("bp_relaxed", default=0)
# How much wider than the column a pushed line is broken (cjk_justify.squeeze).
_pushed: contextvars.ContextVar[float] = contextvars.ContextVar("bp_pushed", default=0.0)
_original_split = inline_module.split_first_line
_original_iter = inline_module.iter_line_boxes
# Of each balanced block's lines: (available width, how much narrower, number of lines).
_balanced_at: weakref.WeakKeyDictionary[Any, tuple[float, float, int]] = (
    weakref.WeakKeyDictionary())


def split_first_line(text: str, style: Any, context: Any, max_width: float | None,
                     justification_spacing: float, is_line_start: bool = True,
                     minimum: bool = False) -> Any:
    narrow = _narrow.get() - _pushed.get()
    if narrow and max_width is not None and max_width != inf:
        max_width = max(0.0, max_width - narrow)
    level = _relaxed.get()
    if level:
        text = breaks.relax(text, level)  # the same number of bytes: offsets stay valid
        if style["overflow_wrap"] == "anywhere" and max_width is not None and max_width != inf:
            return _anywhere(text, style, context, max_width, justification_spacing)
    return split_cache.split(_original_split, text, style, context, max_width,
                             justification_spacing, is_line_start, minimum)


_IN_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:/{0,2}[^./?#]*$")


def _anywhere(text: str, style: Any, context: Any, max_width: float,
              justification_spacing: float) -> Any:
    """What `split_first_line` does for `overflow-wrap: anywhere` when a word does not
    fit, here to fill a line that would be loose: at the last of the text's own break
    points that fits (an address's, text/breaks.py), else anywhere. The Han–Latin gap
    is kept free: WeasyPrint counts an inline box's left margin (where the gap is)
    after the split."""
    max_width = max(0.0, max_width - cjk_autospace.amount(style) - 0.01)
    layout = create_layout(text, style, context, max_width, justification_spacing)
    first_line, index = layout.get_first_line()  # at a break point of the address first
    if not index or line_size(first_line, style)[0] > max_width:
        anywhere = create_layout(text, style, context, max_width, justification_spacing)
        pango.pango_layout_set_wrap(anywhere.layout, PANGO_WRAP_MODE["WRAP_CHAR"])
        cut_line, cut = anywhere.get_first_line()
        # Not inside an address's scheme and first name (…（https:// / mp.weixin…): the
        # line overflows as it did, and breaks before the address.
        if not _IN_SCHEME.match(breaks.visible(text.encode()[:cut].decode(errors="ignore"))):
            layout, first_line, index = anywhere, cut_line, cut
    resume_index = index or first_line.length
    if resume_index >= len(text.encode()):
        resume_index = None
    space_collapse = style["white_space"] in ("normal", "nowrap", "pre-line")
    return first_line_metrics(first_line, text, layout, resume_index, space_collapse, style)


def _texts(box: Any) -> Iterator[Any]:
    """The text boxes of a line in visual order (cjk_justify's walk, atomic boxes left out)."""
    return (text for text in cjk_justify.text_boxes(box) if text is not None)


def visible_text(line: Any) -> str:
    return "".join(c for box in _texts(line) for c in box.text if c not in _INVISIBLE)


def is_lone(line: Any) -> bool:
    """A line holding one character, with or without its punctuation."""
    text = visible_text(line)
    return len([c for c in text if c not in _PUNCTUATION]) == 1


def looseness(line: Any) -> float:
    """How far justification spreads the line, as a share of its limit (> 1: too loose).
    The share of a line-end mark's blank half (cjk_justify.compress_end) is not counted."""
    worst = 0.0
    unspread = getattr(line, "bp_unspread", None)  # set flush start by cjk_justify
    if unspread is not None:
        worst = unspread / (float(line.style["font_size"]) or 1.0) / HAN_GAP_EM
    end = getattr(line, cjk_justify.END_SHARE, 0.0)
    for box in _texts(line):
        justify = getattr(box, "bp_justify", None)
        if justify is None:
            continue
        size = float(box.style["font_size"]) or 1.0
        worst = max(worst, (justify[0] - end) / size / HAN_GAP_EM)
    return worst


def slack(line: Any) -> float:
    """The width justification added to the line (a line-end mark's half not counted)."""
    total = 0.0
    unspread = getattr(line, "bp_unspread", None)
    if unspread is not None:  # the width it would have needed, to narrow the line by
        total += unspread * sum(len(v) for v in cjk_justify.line_gaps(line).values())
    end = getattr(line, cjk_justify.END_SHARE, 0.0)
    for box in _texts(line):
        justify = getattr(box, "bp_justify", None)
        if justify is not None:
            total += (justify[0] - end) * len(justify[1])
    return total


def _balance(style: Any) -> bool:
    try:
        value = style[BALANCE]
    except (KeyError, TypeError):
        return False
    return bool(value) and getattr(value[0], "value", 0) == 1


def balanced(style: Any) -> bool:
    """Are a block's lines balanced (its text may change between layouts)?"""
    return _balance(style)


def narrowed() -> float:
    """How much narrower the line being laid out is broken (column_lines.py's key;
    negative: wider, pushed in)."""
    return _narrow.get() - _pushed.get()


def relaxed() -> int:
    """How far the line being laid out is relaxed (column_lines.py's key)?"""
    return _relaxed.get()


class _Lines:
    """Lays out the lines of one inline formatting context, line by line."""

    def __init__(self, context: Any, box: Any, containing_block: Any, bottom_space: float,
                 absolute_boxes: list[Any], fixed_boxes: list[Any]) -> None:
        self.context, self.box, self.containing_block = context, box, containing_block
        self.bottom_space = bottom_space
        self.absolute_boxes, self.fixed_boxes = absolute_boxes, fixed_boxes
        self.indent = box.text_indent
        self.pushed: list[Any] = []  # where the lines pushed in start (skip stacks)

    def line(self, position_y: float, skip_stack: Any, first: bool, narrow: float = 0.0,
             relaxed: int = 0, push: bool | None = None
             ) -> tuple[Any, Any, list[Any], list[Any]]:
        if push is None:
            push = any(skip_stack == start for start in self.pushed)
        if push:
            size = float(self.box.style["font_size"])
            # Pango measures a line-end closing mark whole: half an em more, taken back
            # by compress_end.
            for ems in (cjk_justify.PUSH_EM + 0.5, cjk_justify.PUSH_EM, 0.5):
                laid = self._line(position_y, skip_stack, first, narrow, relaxed, ems * size)
                if laid[0] is None:
                    return laid
                over = self.overflow(laid[0])
                if over <= 0.01 or cjk_justify.squeeze(laid[0], over):
                    return laid
        return self._line(position_y, skip_stack, first, narrow, relaxed, 0.0)

    def overflow(self, line: Any) -> float:
        """How far the line reaches past its column."""
        edge = float(self.containing_block.content_box_x() + self.containing_block.width)
        return max((float(box.position_x + box.width) for box in _texts(line)),
                   default=edge) - edge

    def _line(self, position_y: float, skip_stack: Any, first: bool, narrow: float,
              relaxed: int, pushed: float) -> tuple[Any, Any, list[Any], list[Any]]:
        self.box.text_indent = self.indent if first else 0
        absolutes: list[Any] = []
        fixed: list[Any] = []
        tokens = _narrow.set(narrow), _relaxed.set(relaxed), _pushed.set(pushed)
        try:
            line, resume_at = inline_module.get_next_linebox(
                self.context, self.box, position_y, self.bottom_space, skip_stack,
                self.containing_block, absolutes, fixed, None, None)
        finally:
            _narrow.reset(tokens[0])
            _relaxed.reset(tokens[1])
            _pushed.reset(tokens[2])
        if line is not None:
            handle_leader(self.context, line, self.containing_block)
        return line, resume_at, absolutes, fixed

    def commit(self, absolutes: list[Any], fixed: list[Any]) -> None:
        self.absolute_boxes.extend(absolutes)
        self.fixed_boxes.extend(fixed)


_original_leader = leader_module.handle_leader


def handle_leader(context: Any, line: Any, containing_block: Any) -> None:
    """WeasyPrint's leader, its dots continued to what follows them. WeasyPrint lays
    the dots from the containing block's right edge; a contents entry's page number
    stands in the 1.5 em kept free beyond it (style.css .toc-list), flush right, so
    the dots stopped ~0.7 em short of a one-digit number. The dots go on, on the same
    pitch (they stay aligned from entry to entry), up to the number."""
    _original_leader(context, line, containing_block)
    found = leader_module.leader_index(line)[1]
    if found is None or not found.children or line.style["direction"] != "ltr":
        return
    last = max(found.children, key=lambda dot: dot.position_x)
    end = found.position_x + found.width  # where the box after the leader starts
    dots = list(found.children)
    while last.position_x + 2 * last.width <= end + 0.01:
        last = last.copy()
        last.position_x += last.width
        dots.insert(0, last)  # WeasyPrint lists them from the right
    found.children = tuple(dots)


def _count(line: Any) -> int:
    return len(visible_text(line))


def iter_line_boxes(context: Any, box: Any, position_y: float, bottom_space: float,
                    skip_stack: Any, containing_block: Any, absolute_boxes: list[Any],
                    fixed_boxes: list[Any], first_letter_style: Any,
                    first_line_style: Any) -> Iterator[tuple[Any, Any]]:
    # A list item is set ragged (its lines start under its text, the check does not
    # judge them as justified), but its last line is not left with one character
    # either (「…登记后投入运」 / 「行。」): the lone rule of `_justified` narrows the line
    # above; its lines are not spread, so nothing else of `_justified` acts on them.
    justified = box.style["text_align_all"] == "justify" or _list_item(box)
    balance = _balance(box.style)
    worded = not (justified or balance) and _caption(box)
    if first_letter_style or first_line_style or context.excluded_shapes or not (
            justified or balance or worded):
        yield from _original_iter(context, box, position_y, bottom_space, skip_stack,
                                  containing_block, absolute_boxes, fixed_boxes,
                                  first_letter_style, first_line_style)
        return
    resolve_percentages(box, containing_block)
    if skip_stack is None:
        resolve_one_percentage(box, "text_indent", containing_block.width)
    else:
        box.text_indent = 0
    lines = _Lines(context, box, containing_block, bottom_space, absolute_boxes, fixed_boxes)
    if balance or worded:
        yield from _balanced(lines, position_y, skip_stack, keep_count=worded)
    else:
        yield from _justified(lines, position_y, skip_stack)


Laid = tuple[Any, Any, list[Any], list[Any]]  # (line, resume_at, absolute, fixed boxes)
_NARROWER = (0.5, 1.0, 1.5, 2.0, 3.0, 4.0)  # em: how much narrower a line is tried


def _fitted(lines: _Lines, position_y: float, skip_stack: Any, first: bool,
            narrow: float = 0.0) -> Laid:
    """A line; laid out again relaxed when it would be loose and that helps."""
    laid = lines.line(position_y, skip_stack, first, narrow=narrow)
    if laid[0] is None or laid[1] is None:
        return laid
    loose = looseness(laid[0])
    if loose <= FLUSH_RATIO:
        return laid
    flush = getattr(laid[0], "bp_unspread", None) is not None  # ends short at a pause
    relaxed = lines.line(position_y, skip_stack, first, narrow=narrow, relaxed=1)
    if relaxed[0] is not None and relaxed[1] != laid[1] and \
            _SCHEME_END.search(visible_text(relaxed[0])) and not _gains(lines, laid, relaxed):
        relaxed = laid  # a line ending 网页版地址为https:// only where it saves a line
    if relaxed[0] is not None and relaxed[1] != laid[1]:
        if loose > 1 and looseness(relaxed[0]) < loose and not (
                (flush or _in_an_english_word(relaxed[0])) and _cut_in_a_word(relaxed[0])):
            return relaxed  # over the limit, any break that helps, but no address is cut
            # for a line that is not spread anyway (…example.go|v.cn once), and no English
            # word without its hyphen (Programm / e: WeasyPrint's Pro‐ stays, word spaces
            # opened)
        # Visibly spread (活 动 中 心 开 放, 0.43 em before "9:00至20:30"): glue gives way
        # when the line comes out tighter, or ends at a pause set flush (联系人手机：),
        # but a word or address is not cut for it.
        better = looseness(relaxed[0]) < loose or getattr(relaxed[0], "bp_unspread", None)
        if better and not _cut_in_a_word(relaxed[0]) and not _between_glued_han(
                visible_text(relaxed[0])[-1:], _text_after(lines.box, relaxed[1], 4)):
            return relaxed
    if LATE_GLUE.search(_text_after(lines.box, laid[1], 24)):
        # Still visibly spread, or set short, before a date that could not start on the
        # line (…（天山西路38号）从 with 4.6 em empty before 10月30日): nothing better
        # exists, the date breaks after its 年 or 月 (从10月 / 30日).
        late = lines.line(position_y, skip_stack, first, narrow=narrow, relaxed=2)
        if late[0] is not None and late[1] != laid[1] and looseness(late[0]) < loose and \
                not _cut_in_a_word(late[0]):
            return late
    return laid


# A line that ends right after an address's scheme (…网页版地址为https://) holds no
# address yet: text/breaks.py glues the scheme to what follows.
_SCHEME_END = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://$")
SCHEME_GLUE = f"/{SOFT_GLUE}"  # after an address's scheme (text/breaks.py); seldom elsewhere
_SCHEME_NEXT = re.compile(f"[A-Za-z][A-Za-z0-9+.\\-]*:\u2060?/\u2060?{SCHEME_GLUE}")


def _gains(lines: _Lines, laid: Laid, relaxed: Laid, most: int = 12) -> bool:
    """Does the relaxed line make the paragraph a line shorter than the line as laid
    (its following lines laid out as they come, up to `most`; past that: is less text
    left)? A break after an address's scheme is taken only then:
    …或访问https:// / www.hongqiao.example.cn/hezhang了解。 is a line shorter than
    …或访问 / https://www.hongqiao.example.cn/hezhang / 了解。; where the two take as many
    lines (…网页版地址为 / https://www.shmh.gov.cn/gumei/ and …地址为https:// /
    www.shmh.gov.cn/gumei/), the line ends before the address."""
    def rest(line: Laid) -> tuple[int, int]:
        for count in range(most):
            if line[0] is None:
                return most + 1, 0  # does not fit where it is: no gain to be judged
            if line[1] is None:
                return count, 0
            line = _below(lines, line, relax=False)
        return most, len(_text_after(lines.box, line[1], 1 << 20).encode())
    return rest(relaxed) < rest(laid)


def _at_scheme(lines: _Lines, position_y: float, skip_stack: Any, first: bool,
               laid: Laid) -> Laid:
    """The line ends before an address whose scheme's glue could end it (…或登录 /
    https://zwdt.sh.gov.cn/ixpasbva/2023-0521 / .html。): the glue gives way where that
    makes the paragraph a line shorter (…或登录https:// / zwdt.sh.gov.cn/…html。), the
    line loose or not."""
    if laid[0] is None or laid[1] is None or not _SCHEME_NEXT.match(
            _text_after(lines.box, laid[1], 16).lstrip("".join(_INVISIBLE))):
        return laid
    relaxed = lines.line(position_y, skip_stack, first, relaxed=1)
    if relaxed[0] is not None and relaxed[1] not in (None, laid[1]) and \
            _SCHEME_END.search(visible_text(relaxed[0])) and looseness(relaxed[0]) <= 1 \
            and _gains(lines, laid, relaxed):
        return relaxed
    return laid


def _between_glued_han(before: str, after: str) -> bool:
    """Would the line end between two Han characters that glue held together (a label
    word, 电话：; a number's unit word, 48小时)? Only a loose line may end there."""
    following = after.lstrip("".join(_INVISIBLE))[:1]
    return bool(before and following and _HAN.match(before) and _HAN.match(following))


def _in_an_english_word(line: Any) -> bool:
    """Does the line end inside a long English word (class bp-en, hyphenated at a line
    end), not after all of it?"""
    last = None
    for box in _texts(line):
        if box.text.strip("".join(_INVISIBLE)):
            last = box
    if last is None or last.element is None or \
            WORD not in (last.element.get("class") or "").split():
        return False
    invisible = "".join(_INVISIBLE)
    on_line: str = last.text.strip(invisible)
    return on_line != "".join(last.element.itertext()).strip(invisible)


def _cut_in_a_word(line: Any) -> bool:
    """Does the line end inside an address or long word, where only `overflow-wrap:
    anywhere` (a relaxed line's last resort) breaks?"""
    last = None
    for box in _texts(line):
        if box.text.strip("".join(_INVISIBLE)):
            last = box
    if last is None or last.style["overflow_wrap"] != "anywhere":
        return False
    text = last.text.rstrip("".join(_INVISIBLE))
    return not text.endswith(("/", "=", "&", "-", "\u00ad", "\u2010")) and \
        not last.text.endswith(BREAK)


def _below(lines: _Lines, laid: Laid, relax: bool) -> Laid:
    line = laid[0]
    below = line.position_y + line.height
    if relax:
        return _fitted(lines, below, laid[1], False)
    return lines.line(below, laid[1], False)


def _bad(laid: Laid) -> float:
    """How wrong a following line is: loose (> 1) or a lone last line (2)."""
    line, resume_at = laid[0], laid[1]
    if line is None:
        return 0.0
    if resume_at is None:
        return 2.0 if is_lone(line) else 0.0
    return looseness(line)


def _set_short(lines: _Lines, laid: Laid) -> bool:
    """Will `_justified` take the line's spreading back (spread past the flush limit
    before a run that cannot start on it), where the line does not end at a pause (a
    label's colon, a break point of an address: set short there on purpose)?"""
    line, resume_at = laid[0], laid[1]
    if line is None or resume_at is None or looseness(line) <= FLUSH_RATIO or \
            getattr(line, "bp_unspread", None) is not None or \
            visible_text(line).endswith(("：", ":")):
        return False
    return bool(leading_run(_text_after(lines.box, resume_at, 40)))


def pushed_style(style: Any) -> bool:
    """Is a paragraph set pushed in (the page plan's `--bp-push: 1`)?"""
    try:
        value = style[PUSH]
    except (KeyError, TypeError):
        return False
    return bool(value) and getattr(value[0], "value", 0) == 1


# Of each paragraph set pushed in: (its width, where its pushed lines start).
_pushed_at: weakref.WeakKeyDictionary[Any, tuple[float, list[Any]]] = (
    weakref.WeakKeyDictionary())


def _push_starts(lines: _Lines, position_y: float, skip_stack: Any) -> list[Any]:
    """Where the lines of a paragraph set pushed in start that are pushed: the
    fewest of its first lines that set it a line shorter (none when even all of
    them do not). Decided at the paragraph's start, kept for the lines a later
    column or page resumes it at."""
    width = float(lines.containing_block.width)
    known = _pushed_at.get(lines.box)
    if skip_stack is not None:
        return known[1] if known is not None and known[0] == width else []
    if known is not None and known[0] == width:
        return known[1]

    def laid_out(pushed: int) -> list[Any]:  # the starts of its lines
        starts: list[Any] = []
        skip, y = None, position_y
        while True:
            starts.append(skip)
            line, resume_at, _, _ = lines.line(y, skip, skip is None,
                                               push=len(starts) <= pushed)
            if line is None or resume_at is None:
                return starts
            y, skip = line.position_y + line.height, resume_at

    count = len(laid_out(0))
    found: list[Any] = []
    if count > 1 and len(laid_out(count)) < count:
        low, high = 1, count - 1  # the fewest first lines pushed that save the line
        while low < high:
            middle = (low + high) // 2
            if len(laid_out(middle)) < count:
                high = middle
            else:
                low = middle + 1
        found = laid_out(low)[:low]
    with contextlib.suppress(TypeError):
        _pushed_at[lines.box] = (width, found)
    return found


def _justified(lines: _Lines, position_y: float, skip_stack: Any
               ) -> Iterator[tuple[Any, Any]]:
    first = skip_stack is None
    if pushed_style(lines.box.style):
        lines.pushed = _push_starts(lines, position_y, skip_stack)
    current = _fitted(lines, position_y, skip_stack, first)
    schemes = any(SCHEME_GLUE in box.text for box in _texts(lines.box))
    while True:
        if schemes:
            current = _at_scheme(lines, position_y, skip_stack, first, current)
        line, resume_at, absolutes, fixed = current
        if line is None:
            return
        following = None
        if resume_at is not None and _suspect(_text_after(lines.box, resume_at, 40)):
            current, following = _with_following(lines, position_y, skip_stack, first, current)
            line, resume_at, absolutes, fixed = current
        if resume_at is not None and looseness(line) > FLUSH_RATIO and leading_run(
                _text_after(lines.box, resume_at, 40)):
            # Spread to 联 系 人 手 机 ：because what follows cannot start on it (a phone
            # number, an address, a label with its value): the line ends short instead
            # (an English line too: its word spaces would open past 1 em).
            cjk_justify.unspread(line)
        lines.commit(absolutes, fixed)
        yield line, resume_at
        if resume_at is None:
            return
        position_y = line.position_y + line.height
        skip_stack = resume_at
        first = False
        current = following or _fitted(lines, position_y, skip_stack, first)


def _text_after(box: Any, skip_stack: Any, limit: int = 64) -> str:
    """About `limit` characters of the text that follows a line's resume point."""
    out: list[str] = []

    def walk(child: Any, skip: Any) -> None:
        if sum(map(len, out)) >= limit:
            return
        if isinstance(child, boxes.TextBox):
            start = next(iter(skip)) if skip else 0
            out.append(child.text.encode()[start:start + 4 * limit].decode(errors="ignore"))
        elif isinstance(child, (boxes.LineBox, boxes.InlineBox)):
            index, inner = next(iter(skip.items())) if skip else (0, None)
            for position, grandchild in enumerate(child.children[index:]):
                if grandchild.is_in_normal_flow():
                    walk(grandchild, inner if position == 0 else None)
        else:
            out.append("\ufffc")

    walk(box, skip_stack)
    return "".join(out)[:limit]


def _suspect(text: str) -> bool:
    """Could the line that starts with `text` be a lone last line, or loose? Only then
    is it laid out before the line above is given (a lookahead costs a layout)."""
    if len(text) <= 8 and len([c for c in text if c not in _INVISIBLE | _PUNCTUATION]) <= 1:
        return True  # perhaps the paragraph's last line, alone
    for run in _UNBREAKABLE.finditer(text):  # something long that cannot break
        found = run.group(0)
        ascii_count = sum(c.isascii() for c in found)
        others = len(found) - ascii_count - sum(c in _INVISIBLE for c in found)
        if 0.55 * ascii_count + others >= UNBREAKABLE_EM:
            return True
    return False


def _with_following(lines: _Lines, position_y: float, skip_stack: Any, first: bool,
                    current: Laid) -> tuple[Laid, Laid]:
    """The line and the one below it, as a composer would set them. When the one below
    would be loose or a lone last line, first this line gives it characters (it is
    laid out relaxed, or narrower), and only then is the line below relaxed: a break
    inside glue or inside an address is the last resort."""
    following = _below(lines, current, relax=False)
    if _set_short(lines, following):
        # It would be set flush, up to half the column short (服务，请联系社区工作人员王晓燕，
        # before 电话：021-6238 1234): first its glue gives way, the label ends it and its
        # value goes on (…王晓燕，电话： / 021-6238 1234…), before the line above is spread
        # to give it characters.
        relaxed = _below(lines, current, relax=True)
        if _bad(relaxed) <= 1 and not _set_short(lines, relaxed):
            return current, relaxed
    if _bad(following) <= 1:
        if EVEN_RATIO < looseness(following[0]) <= FLUSH_RATIO and following[1] is not None:
            return _shared(lines, position_y, skip_stack, first, current, following)
        return current, following
    candidates = _passed_down(lines, position_y, skip_stack, first, current)
    tried: list[Laid] = []  # laid out once, judged with the line below as is, then relaxed
    best = (max(looseness(current[0]), _bad(following)), current, following)
    for attempt, relax in itertools.chain(((a, False) for a in _remember(candidates, tried)),
                                          ((a, True) for a in [current, *tried])):
        below = _below(lines, attempt, relax)
        score = max(looseness(attempt[0]), _bad(below))
        if score <= 1:
            return attempt, below
        if score < best[0]:
            best = score, attempt, below
    return best[1], best[2]


def _shared(lines: _Lines, position_y: float, skip_stack: Any, first: bool,
            current: Laid, following: Laid) -> tuple[Laid, Laid]:
    """The line below is spread, under the limit but visibly (「可 通 过 “枫 林 e 家” 小 程
    序 或 拨 打 订 餐 电 话」, 0.23 em, before 「021-6418 3356预约…」 that cannot start on
    it), and not so far that it is set flush (`_justified`, past FLUSH_GAP_EM before
    such a run: a short line there is the house's way): this line gives it characters
    (it is laid out narrower) when that sets the two lines more evenly, the wider
    spread of the two at least EVEN_GAIN less, and the line below ends where it did
    (the rest of the paragraph is unchanged). A composer spreads a line's slack over
    the lines around it (Knuth–Plass)."""
    worst = max(looseness(current[0]), looseness(following[0]))
    best = worst - EVEN_GAIN, current, following
    size = float(current[0].style["font_size"])
    count = _count(current[0])
    already = slack(current[0])
    for ems in _NARROWER[:3]:
        attempt = lines.line(position_y, skip_stack, first, narrow=already + ems * size)
        if attempt[0] is None or attempt[1] is None or _count(attempt[0]) >= count:
            continue
        count = _count(attempt[0])
        below = _below(lines, attempt, relax=False)
        if below[0] is None or below[1] != following[1]:
            continue
        score = max(looseness(attempt[0]), looseness(below[0]))
        if score < best[0]:
            best = score, attempt, below
    return best[1], best[2]


def _remember(items: Iterator[Laid], into: list[Laid]) -> Iterator[Laid]:
    for item in items:
        into.append(item)
        yield item


def _passed_down(lines: _Lines, position_y: float, skip_stack: Any, first: bool,
                 current: Laid) -> Iterator[Laid]:
    """The line laid out again so that it ends earlier: relaxed (its soft glue may
    break), then narrower and narrower (it gives characters to the line below)."""
    size = float(current[0].style["font_size"])
    count = _count(current[0])
    already = slack(current[0])
    after = _text_after(lines.box, current[1], 30)
    if SOFT_GLUE in after or _UNBREAKABLE.search(after):  # else relaxing changes nothing
        relaxed = lines.line(position_y, skip_stack, first, relaxed=1)
        if relaxed[0] is not None and relaxed[1] is not None and relaxed[1] != current[1] \
                and (not _SCHEME_END.search(visible_text(relaxed[0]))
                     or _gains(lines, current, relaxed)):
            yield relaxed
    for ems in _NARROWER:
        attempt = lines.line(position_y, skip_stack, first, narrow=already + ems * size)
        if attempt[0] is None or attempt[1] is None or _count(attempt[0]) >= count:
            continue
        count = _count(attempt[0])
        if looseness(attempt[0]) <= 1:
            yield attempt


def _all_lines(lines: _Lines, position_y: float, skip_stack: Any, narrow: float
               ) -> list[tuple[Any, Any, list[Any], list[Any]]]:
    found: list[Laid] = []
    first = skip_stack is None
    while True:
        result = lines.line(position_y, skip_stack, first, narrow=narrow)
        if result[0] is None:
            return found
        found.append(result)
        if result[1] is None:
            return found
        position_y = result[0].position_y + result[0].height
        skip_stack = result[1]
        first = False


def _overflows(result: list[tuple[Any, Any, list[Any], list[Any]]], width: float) -> bool:
    return any(line.width > width + 0.01 for line, *_ in result)


def _join_words(box: Any) -> bool:
    """Keep the words of a block's text together (text/words.py); whether any changed."""
    changed = False
    for text_box in _texts(box):
        joined = join_words(text_box.text)
        changed |= joined != text_box.text
        text_box.text = joined
    return changed


def _list_item(box: Any) -> bool:
    """A list item's lines, set ragged: the lone rule only (see `iter_line_boxes`)."""
    tag = getattr(getattr(box, "element", None), "tag", None)
    return isinstance(tag, str) and tag.rpartition("}")[2] == "li" and \
        box.style["text_align_all"] == "start" and box.style["direction"] == "ltr"


def _caption(box: Any) -> bool:
    tag = getattr(getattr(box, "element", None), "tag", None)
    return isinstance(tag, str) and tag.rpartition("}")[2] == "figcaption"


# A caption's text boxes as they came, before words were joined: each layout of the
# caption decides again from them (the same at any width, whatever was laid out before).
_unjoined: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()


def _balanced(lines: _Lines, position_y: float, skip_stack: Any, keep_count: bool = False
              ) -> Iterator[tuple[Any, Any]]:
    width = float(lines.containing_block.width)
    known = _balanced_at.get(lines.box)  # laid out before (columns are balanced by trials)
    best = _all_lines(lines, position_y, skip_stack, known[1] if known else 0.0)
    if known is None or known[0] != width or len(best) != known[2]:
        best = _balance_lines(lines, position_y, skip_stack, width, keep_count)
    for line, resume_at, absolutes, fixed in best:
        lines.commit(absolutes, fixed)
        yield line, resume_at


def _balance_lines(lines: _Lines, position_y: float, skip_stack: Any, width: float,
                   keep_count: bool = False) -> list[Laid]:
    """The lines at the narrowest width that keeps their number (searched to 1 px).
    `keep_count` (captions): words are kept whole only when that takes no line more."""
    if keep_count:
        for text_box in _texts(lines.box):
            text_box.text = _unjoined.setdefault(text_box, text_box.text)
    best = _all_lines(lines, position_y, skip_stack, 0.0)
    if len(best) > 1 and _join_words(lines.box):  # it breaks: only between words
        joined = _all_lines(lines, position_y, skip_stack, 0.0)
        if keep_count and (len(joined) > len(best) or _overflows(joined, width)):
            for text_box in _texts(lines.box):  # a word wider than the caption, or a line more
                text_box.text = _unjoined[text_box]
        else:
            best = joined
    ends: frozenset[int] | None = None  # where its lines may end (a phrase's end), or anywhere
    if len(best) > 1 and not keep_count:
        best, ends = _by_phrases(lines, position_y, skip_stack, width, best)
        # Without spaces between phrases: after a clause's mark, else after the time it
        # opens with, when that sets the lines about evenly (「东安路长者食堂“升级”：扫码 /
        # 点餐…」, 「…第三季度居民 / 住宅燃气…」 broke inside their phrases to balance).
        for split, join in ((clauses, join_clauses), (time_parts, join_time_parts)):
            if ends is not None:
                break
            words_best = best
            texts = list(_texts(lines.box))
            before = [text_box.text for text_box in texts]
            best, ends = _by_phrases(lines, position_y, skip_stack, width, best,
                                     split=split, join=join)
            if ends is None:
                continue
            parted, narrowest = _narrowest(lines, position_y, skip_stack, width, best, ends)
            if _even(parted):
                _keep_balance(lines.box, width, narrowest, len(parted))
                return parted
            # Too uneven (a short first clause, 「通知：」 over a long line): as before.
            for text_box, text in zip(texts, before, strict=True):
                text_box.text = text
            best, ends = words_best, None
    best, narrowest = _narrowest(lines, position_y, skip_stack, width, best, ends)
    _keep_balance(lines.box, width, narrowest, len(best))
    return best


CLAUSE_EVEN = 0.6  # a headline broken after its clauses: its shortest line at least this
# share of its longest (东安路长者食堂“升级”： 12 over 扫码点餐、送餐上门，老人吃饭更方便了 17)


def _even(result: list[Laid]) -> bool:
    counts = [len(visible_text(line)) for line, *_ in result]
    return min(counts) >= CLAUSE_EVEN * max(counts)


def _keep_balance(box: Any, width: float, narrowest: float, count: int) -> None:
    with contextlib.suppress(TypeError):
        _balanced_at[box] = (width, narrowest, count)


def _narrowest(lines: _Lines, position_y: float, skip_stack: Any, width: float,
               best: list[Laid], ends: frozenset[int] | None) -> tuple[list[Laid], float]:
    """The lines at the narrowest width that keeps their number, ending where `ends`
    allows (None: anywhere); with how much narrower that is."""
    narrowest = 0.0
    if len(best) > 1:
        low, high = 0.0, width * (1 - 1 / len(best))
        while high - low > 1.0:  # px
            middle = (low + high) / 2
            attempt = _all_lines(lines, position_y, skip_stack, middle)
            if len(attempt) == len(best) and not _overflows(attempt, width - middle) and (
                    ends is None or _line_ends(attempt) <= ends):
                best, low, narrowest = attempt, middle, middle
            else:
                high = middle
    return best, narrowest


def _by_phrases(lines: _Lines, position_y: float, skip_stack: Any, width: float,
                best: list[Laid], split: Callable[[str], list[str]] = phrases,
                join: Callable[[str], str] = join_phrases
                ) -> tuple[list[Laid], frozenset[int] | None]:
    """A headline whose phrases spaces part (text/words.py `join_phrases`) laid out to
    break at those spaces only, when that takes no line more and each phrase fits a
    line; else `best` as it was (its words joined). With the lines, the places where
    they may end (counted in visible characters), or None: anywhere they do now."""
    texts = list(_texts(lines.box))
    before = [text_box.text for text_box in texts]
    for text_box in texts:
        text_box.text = join(text_box.text)
    if [text_box.text for text_box in texts] == before:
        return best, None
    ends, count = set(), 0
    for phrase in split("".join(before)):
        count += sum(char not in _INVISIBLE for char in phrase)
        ends.add(count)
    phrased = _all_lines(lines, position_y, skip_stack, 0.0)
    # A phrase wider than the line is broken inside all the same (overflow-wrap), and
    # not wider: that is seen from where the lines end.
    if len(phrased) <= len(best) and not _overflows(phrased, width) and (
            _line_ends(phrased) <= ends):
        return phrased, frozenset(ends)
    for text_box, text in zip(texts, before, strict=True):
        text_box.text = text
    return best, None


def _line_ends(result: list[Laid]) -> set[int]:
    """Where each line but the last ends, counted in visible characters from the start."""
    ends, count = set(), 0
    for line, *_ in result[:-1]:
        count += len(visible_text(line))
        ends.add(count)
    return ends


def install() -> None:
    """Replace WeasyPrint's line iteration and first-line split (typeset/gate.py)."""
    replace("line_fit", inline_module, "split_first_line", split_first_line)
    replace("line_fit", inline_module, "iter_line_boxes", iter_line_boxes)
    replace("line_fit", block_module, "iter_line_boxes", iter_line_boxes)  # imported by name
    replace("line_fit", inline_module, "handle_leader", handle_leader)  # imported by name
