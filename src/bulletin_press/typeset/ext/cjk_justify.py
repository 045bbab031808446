"""Inter-character justification for Chinese, as a contained WeasyPrint extension.

Stock WeasyPrint 70 justifies by widening spaces only (`justify_line` counts
U+0020/U+00A0), so a Chinese line is never justified and the whole slack of a
mixed line lands in its one or two spaces. clreq justifies by spreading the
slack over the gaps between characters. This module replaces two functions:

- `layout.inline.justify_line`: counts the justification opportunities of the
  line (a gap touching a Han character or a fullwidth mark, and every space;
  none inside a Latin word or number, inside "——" or "……", or after the
  line's last character, nor between a bracket or quote and the Latin letter
  or digit it holds: text/punctuation.py `holds_tight`),
  divides the slack equally, widens the text boxes and moves the boxes after
  them, exactly as stock justification does for spaces;
- and, through glyph_widths.py, `draw.text.draw_first_line`: before the
  glyphs of a justified box are written, the glyph that ends each opportunity
  is made that much wider;
- `layout.inline.remove_last_whitespace`: a line that ends with a full-width
  closing mark (，。、；：？！）」』”’》〉】) loses the mark's blank half from its
  width, as a trailing space is lost (clreq 3.1.6: at a line end such a mark is
  set half width). Its ink, in the left half in the layouts' GB-style fonts, then
  ends at the column edge when the line is justified, not half an em short; the
  glyph is drawn as it is, its blank half past the edge. Only in justified
  text; the half's share of the spreading is not counted when a line is judged
  (line_fit.py, the flush-start rule below): where lines break is unchanged.

Nothing is added to the text: the PDF text layer is unchanged. The extension
depends on WeasyPrint internals: typeset/gate.py installs it only into the
WeasyPrint version it was written for; the tests check the result from the PDF.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline as inline_module

from bulletin_press.text.breaks import BREAK, SOFT_GLUE, holds_a_long_run, visible
from bulletin_press.text.breaks import FLUSH_GAP_EM as FLUSH_GAP_EM  # line_fit, tests
from bulletin_press.text.normalise import is_cjk
from bulletin_press.text.punctuation import CLOSING, OPENING, byte_offsets, holds_tight
from bulletin_press.typeset.ext import glyph_widths
from bulletin_press.typeset.gate import replace

_SPACES = " \u00a0"
# Pairs of the same mark that the font joins into one continuous glyph.
_JOINED = frozenset({"——", "……"})
TRANSPARENT = frozenset({BREAK, SOFT_GLUE})  # break opportunities and soft glue
_original_justify_line = inline_module.justify_line
_original_remove_last_whitespace = inline_module.remove_last_whitespace
_TRAILING = "\u200b\ufeff\u2060 "  # what may follow the line's last mark in its text
# Marks set half width or proportional already: no blank half to take.
_NARROW_FEATURES = frozenset({"halt", "hwid", "pwid", "palt", "twid", "qwid"})
# On a line: the blank half taken from its end (compress_end), and once justified,
# that half's share of each gap (not counted when the line is judged: line_fit.looseness).
END = "bp_end"
END_SHARE = "bp_end_share"


def is_opportunity(char: str, following: str) -> bool:
    """May extra space go between `char` and the `following` character?"""
    if char in _SPACES:
        return True
    if not following or following in _SPACES or char + following in _JOINED:
        return False
    if char == "\u2060" or following == "\u2060":  # WORD JOINER: glued on purpose
        return False
    if holds_tight(char, following):
        # An opening bracket's or quote's ink is on the side of what it holds, a closing
        # one's on the side of what it follows: space spread there parts them, most of
        # all around an address, which has no gaps of its own to share the slack
        # (（ mp.weixin.qq.com/s/… ）). Beside Latin text only; Han keeps its gaps.
        return False
    return is_cjk(char) or is_cjk(following)


def text_boxes(box: Any) -> Iterator[Any]:
    """The text boxes of a line in visual order; atomic boxes yield None."""
    if isinstance(box, boxes.TextBox):
        yield box
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        for child in box.children:
            if child.is_in_normal_flow():
                yield from text_boxes(child)
    else:
        yield None


def line_gaps(line: Any) -> dict[int, list[int]]:
    """For each text box (by id), the indices of characters followed by an opportunity."""
    sequence: list[tuple[Any, int, str]] = []  # (box, index in box.text, char)
    for box in text_boxes(line):
        if box is None:
            sequence.append((None, -1, "\ufffc"))  # an image or inline block
            continue
        # Soft glue and break opportunities (text/breaks.py) are not characters here:
        # what they join is spaced like any other pair.
        sequence += [(box, i, c) for i, c in enumerate(box.text)
                     if c not in TRANSPARENT and not _in_an_amount(box.text, i)]
    while sequence and sequence[-1][2] in _SPACES:  # trailing spaces hang, never stretch
        sequence.pop()
    gaps: dict[int, list[int]] = {}
    for position, (box, index, char) in enumerate(sequence[:-1]):
        following = sequence[position + 1][2]
        if box is not None and is_opportunity(char, following):
            gaps.setdefault(id(box), []).append(index)
    return gaps


def _in_an_amount(text: str, index: int) -> bool:
    """Is text[index] the WORD JOINER that keeps a number with its unit (2022⁠年, 200⁠余⁠名,
    text/breaks.py)? It holds the line together, not the spacing: the gap is spread
    like any other (as the soft glue there was)."""
    if text[index] != "\u2060" or index + 1 >= len(text) or not is_cjk(text[index + 1]):
        return False
    before = [c for c in text[max(0, index - 6):index] if c not in "\u2060\u00a0"][-3:]
    return any(c.isdigit() or c == "%" for c in before)


def justify_line(context: Any, line: Any, extra_width: float) -> None:
    gaps = line_gaps(line)
    count = sum(len(v) for v in gaps.values())
    if count == 0 or line.style["direction"] == "rtl":
        _original_justify_line(context, line, extra_width)
        return
    spacing = extra_width / count
    share = getattr(line, END, 0.0) / count  # of a line-end mark's blank half
    setattr(line, END_SHARE, share)
    judged = spacing - share
    if judged > FLUSH_GAP_EM * float(line.style["font_size"]) and (
            ends_at_a_pause(line) or holds_a_run(line)):
        # Spread wider, its few Han characters would read letter-spaced (联 系 人 手
        # 机 ：): the line ends short instead, as the line before a web address or a
        # label's value does in print. So does a line that an address or number
        # fills: they have no gap to take a share, and the slack of a character that
        # did not fit went to the few Han gaps beside them (网 站 www.…/index.html,
        # 0.45 em). The composer (line_fit) still judges the line by the spacing it
        # would have needed.
        line.bp_unspread = judged
        return
    _spread(line, gaps, spacing, 0.0)


# Wider than FLUSH_GAP_EM (text/breaks.py) between two characters, a justified line
# is set flush start when it may end short: inside a web address at one of its break
# points, or after a label's colon (联系人手机：) whose value starts the next line, or
# before something that cannot break (line_fit.py calls `unspread`). The hard limit,
# where the composer lays lines out again, is line_fit.HAN_GAP_EM (0.5 em).
ADDRESS_CLASS = "bp-addr"  # text/breaks.py ADDRESS, as the layout sets it
_LABEL_ENDS = ("：", ":")


def ends_at_a_pause(line: Any) -> bool:
    """Does the line end where a reader expects a short line: inside a web address
    at one of its break points, or after a label's colon?"""
    last = None
    for box in text_boxes(line):
        if box is not None and box.text.strip("".join(TRANSPARENT) + _SPACES + "\u2060"):
            last = box
    if last is None:
        return False
    text = last.text.rstrip(_SPACES + "\u2060")
    if text.endswith(_LABEL_ENDS):
        return True
    element = last.element
    classes = (element.get("class") or "").split() if element is not None else []
    return ADDRESS_CLASS in classes and (text.endswith(BREAK) or text.endswith("/"))


def holds_a_run(line: Any) -> bool:
    """Does a Chinese line hold an address, a long number or a code (text/breaks.py)?
    (An English line's word spaces spread as usual.)"""
    text = "".join("\ufffc" if box is None else visible(box.text) for box in text_boxes(line))
    return holds_a_long_run(text) and any(is_cjk(char) for char in text)


def unspread(line: Any) -> None:
    """Take a justified line's spreading back: it is set flush start, as `justify_line`
    sets a line that ends at a pause, and keeps the spacing it had as `bp_unspread`."""
    spacing = max((box.bp_justify[0] for box in text_boxes(line)
                   if getattr(box, "bp_justify", None) is not None), default=None)
    if spacing is not None:
        _take_back(line, 0.0)
        line.bp_unspread = spacing - getattr(line, END_SHARE, 0.0)


def _take_back(box: Any, x_back: float) -> float:
    """`_spread` undone: widened boxes narrowed again, the boxes after them moved back."""
    if isinstance(box, boxes.TextBox):
        box.position_x -= x_back
        justify = getattr(box, "bp_justify", None)
        if justify is not None:
            del box.bp_justify
            extra = justify[0] * len(justify[1])
            box.width -= extra
            x_back += extra
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        box.position_x -= x_back
        before = x_back
        for child in box.children:
            if child.is_in_normal_flow():
                x_back = _take_back(child, x_back)
        box.width -= x_back - before
    else:
        box.translate(-x_back, 0)
    return x_back


def _spread(box: Any, gaps: dict[int, list[int]], spacing: float, x_advance: float) -> float:
    if isinstance(box, boxes.TextBox):
        box.position_x += x_advance
        indices = gaps.get(id(box), [])
        if indices:
            box.bp_justify = (spacing, frozenset(byte_offsets(box.text, indices).values()))
            extra = spacing * len(indices)
            box.width += extra
            x_advance += extra
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        box.position_x += x_advance
        before = x_advance
        for child in box.children:
            if child.is_in_normal_flow():
                x_advance = _spread(child, gaps, spacing, x_advance)
        box.width += x_advance - before
    else:
        box.translate(x_advance, 0)
    return x_advance


def end_blank(style: Any) -> float:
    """The blank half of a full-width closing mark set in `style` (0 when the style
    sets marks half width or proportional: .cjk-h, .bp-pq)."""
    features = style["font_feature_settings"]
    if features != "normal" and any(value and tag in _NARROW_FEATURES
                                    for tag, value in features):
        return 0.0
    if style["font_variant_east_asian"] != "normal" and any(
            "width" in key for key in style["font_variant_east_asian"]):
        return 0.0
    return 0.5 * float(style["font_size"])


def closing_end(text: str) -> bool:
    """Does the text end with a full-width closing mark (invisible characters after it
    left out)?"""
    return text.rstrip(_TRAILING)[-1:] in CLOSING


def remove_last_whitespace(context: Any, line: Any) -> None:
    _original_remove_last_whitespace(context, line)
    if line.style["text_align_all"] == "justify":
        compress_end(line)


def compress_end(line: Any) -> None:
    """Take the blank half of a closing mark that ends the line from the widths of its
    text box and the boxes around it (as WeasyPrint takes a trailing space's)."""
    ancestors = []
    box = line
    while isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        ancestors.append(box)
        if not box.children:
            return
        box = box.children[-1]
    if not isinstance(box, boxes.TextBox) or line.style["direction"] != "ltr" or \
            not closing_end(box.text):
        return
    blank = end_blank(box.style)
    if not blank:
        return
    setattr(line, END, blank)
    box.width -= blank
    for ancestor in ancestors:
        ancestor.width -= blank


# Pushing in (追い込み, clreq 3.2: 挤压): a line of a paragraph the page plan sets a
# line shorter holds up to PUSH_EM more than the column, taken from the blank halves
# of its full-width punctuation, each mark giving the same share and never more than
# its blank half (line_fit.py lays such lines out). ？！ keep their width (clreq: not
# compressed), as do the marks already set half width (.cjk-h) and the line-end mark.
PUSH_EM = 1.0
SQUEEZABLE_CLOSING = CLOSING - frozenset("？！")
PUSH = "bp_push"


def squeezable(line: Any) -> tuple[dict[int, list[int]], float]:
    """The marks of a line that may give their blank half (by text box, the indices
    in its text), and the most they give together."""
    found: dict[int, list[int]] = {}
    most = 0.0
    last: tuple[Any, int] | None = None  # the line's last character: its mark is set
    for box in text_boxes(line):  # half width already (compress_end)
        if box is None:
            last = None
            continue
        for index, char in enumerate(box.text):
            if char not in TRANSPARENT and char not in _TRAILING:
                last = (box, index)
    for box in text_boxes(line):
        if box is None or not end_blank(box.style):
            continue
        for index, char in enumerate(box.text):
            if (char in SQUEEZABLE_CLOSING or char in OPENING) and (box, index) != last:
                found.setdefault(id(box), []).append(index)
                most += end_blank(box.style)
    return found, most


def squeeze(line: Any, amount: float) -> bool:
    """Take `amount` from the line's width at its squeezable marks, equally, within
    PUSH_EM and each mark's blank half: their text boxes are narrowed (and drawn so,
    `bp_push`), the boxes after them moved back. False (nothing changed) when the
    marks do not give that much."""
    marks, most = squeezable(line)
    count = sum(len(indices) for indices in marks.values())
    size = float(line.style["font_size"])
    if amount <= 0 or not count or amount > min(most, PUSH_EM * size) + 0.01:
        return False
    share = amount / count
    _squeeze(line, marks, share, 0.0)
    return True


def _squeeze(box: Any, marks: dict[int, list[int]], share: float, x_back: float) -> float:
    if isinstance(box, boxes.TextBox):
        box.position_x -= x_back
        indices = marks.get(id(box), [])
        if indices:
            offsets = byte_offsets(box.text, indices)
            setattr(box, PUSH, (share, frozenset(
                offsets[i] for i in indices if box.text[i] not in OPENING), frozenset(
                offsets[i] for i in indices if box.text[i] in OPENING)))
            box.width -= share * len(indices)
            x_back += share * len(indices)
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        box.position_x -= x_back
        before = x_back
        for child in box.children:
            if child.is_in_normal_flow():
                x_back = _squeeze(child, marks, share, x_back)
        box.width -= x_back - before
    else:
        box.translate(-x_back, 0)
    return x_back


def install() -> None:
    """Replace WeasyPrint's justification (the glyphs are widened by glyph_widths)."""
    replace("cjk_justify", inline_module, "justify_line", justify_line)
    replace("cjk_justify", inline_module, "remove_last_whitespace", remove_last_whitespace)
    glyph_widths.install()
