"""Typographic markup of Chinese text, after normalisation and before templating.

Stock WeasyPrint sets every full-width mark 1 em wide, so "。”" takes 2 em.
clreq asks 1.5 em for adjacent marks: we mark the mark whose blank half
faces its neighbour with class `cjk-h`, which the layout's CSS sets with the
font's `halt` feature (half width). `·` between names gets `cjk-dot`
(centred, ½ em) and WORD JOINERs so it never starts or ends a line; a dash
or tilde between digits gets a WORD JOINER before it for the same reason.
WORD JOINER is default-ignorable: it takes no space and is not in the PDF text.

Han–Latin spacing is set by the typesetter (cjk_autospace.py) inside each
span of text; where inline markup separates the two (`**中文**Latin`), the
character after the boundary gets class `bp-as`, whose margin is the gap.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from bulletin_press.text.blocks import Block, Span
from bulletin_press.text.breaks import ADDRESS, WORD

# GB-style glyphs: ink in the left half (blank right) for stops and closing marks.
CLOSING = frozenset("，。、；：？！）」』”’》〉】")
OPENING = frozenset("（「『“‘《〈【")
WJ = "\u2060"
AUTOSPACE = "bp-as"
_LATIN = r"0-9A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff%\u00a5"  # ¥: of its number
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_INVISIBLE = "\u200b\ufeff\u2060"  # break, soft glue, WORD JOINER (text/breaks.py)
# A boundary passes over invisible characters (glue, breaks) between the two sides.
_BOUNDARY = re.compile(f"(?:[{_HAN}][{_INVISIBLE}]*(?=[{_LATIN}])"
                       f"|[{_LATIN}][{_INVISIBLE}]*(?=[{_HAN}]))")
_IS_HAN = re.compile(f"[{_HAN}]")
_IS_LATIN = re.compile(f"[{_LATIN}]")
WHOLE = frozenset({ADDRESS, WORD})  # spans that keep their class when the gap is marked
_INTERPUNCT = re.compile(r"(?<=\S)·(?=\S)")
_CONNECTOR = re.compile(r"(?<=\d)([—～~–-])(?=\d)")


def is_han(char: str) -> bool:
    """A Han character (not punctuation, kana or full-width forms)."""
    return _IS_HAN.fullmatch(char) is not None


def is_latin(char: str) -> bool:
    """A letter or digit that takes clreq's Han–Latin gap (Latin, Greek, Cyrillic; %)."""
    return _IS_LATIN.fullmatch(char) is not None


CLOSING_BRACKETS = frozenset("）」』”’》〉】")


def holds_tight(before: str, after: str) -> bool:
    """Is the pair an opening bracket or quote and the Latin letter or digit it holds,
    or such a character and the closing bracket or quote after it? Their ink touches
    across the pair (the bracket's is on the side of what it holds), so justification
    spreads no slack there (typeset/ext/cjk_justify.py; the check counts the same)."""
    return (before in OPENING and is_latin(after)) or (after in CLOSING_BRACKETS
                                                        and is_latin(before))


def is_boundary(before: str, after: str) -> bool:
    return (is_han(before) and is_latin(after)) or (is_latin(before) and is_han(after))


def boundaries(text: str) -> list[int]:
    """Indices of characters followed by a Han–Latin or Latin–Han boundary."""
    return [m.start() for m in _BOUNDARY.finditer(text)]


def after_boundary(text: str, index: int) -> int:
    """The index of the first visible character after the boundary at `index`."""
    index += 1
    while index < len(text) - 1 and text[index] in _INVISIBLE:
        index += 1
    return index


def byte_offsets(text: str, indices: Iterable[int]) -> dict[int, int]:
    """Character index → UTF-8 offset, for the `indices` (Pango counts bytes)."""
    wanted = set(indices)
    found: dict[int, int] = {}
    position = 0
    for index, char in enumerate(text):
        if index in wanted:
            found[index] = position
        position += len(char.encode())
    return found


def protect(text: str) -> str:
    """Add WORD JOINERs; never changes or removes a character."""
    text = _INTERPUNCT.sub(f"{WJ}·{WJ}", text)
    return _CONNECTOR.sub(lambda m: WJ + m.group(1), text)


def half_width_positions(text: str) -> set[int]:
    """Indices of marks to set half width so adjacent pairs take 1.5 em."""
    marks = CLOSING | OPENING
    found: set[int] = set()
    for i in range(len(text) - 1):
        a, b = text[i], text[i + 1]
        if a in CLOSING and b in marks:
            found.add(i)
        elif a in OPENING and b in OPENING:
            found.add(i + 1)
    return found


PROPORTIONAL_QUOTE = "bp-pq"
_CURLY = frozenset("“”‘’")


def latin_quote_positions(text: str) -> set[int]:
    """Indices of curly quotes inside English text (“Foreigner’s Work Permit”): no Han
    on either side, Latin on one. The CJK face draws them 1 em wide; they are set in
    its proportional forms (style.css .bp-pq)."""
    found: set[int] = set()
    for i, char in enumerate(text):
        if char not in _CURLY:
            continue
        before = text[:i].rstrip(_INVISIBLE)[-1:]
        after = text[i + 1:].lstrip(_INVISIBLE)[:1]
        if _IS_HAN.match(before) or _IS_HAN.match(after) or before in CLOSING | OPENING \
                or after in CLOSING | OPENING:
            continue
        if (before != "" and before.isascii() and (before.isalnum() or before in ".,!?;:")) or (
                after and after.isascii() and after.isalnum()):
            found.add(i)
    return found


def mark_spans(spans: list[Span]) -> list[Span]:
    protected = [Span(protect(r.text), r.strong, r.em, r.cls) for r in spans]
    text = "".join(r.text for r in protected)
    halves = half_width_positions(text)
    latin_quotes = latin_quote_positions(text)
    # Per character: the span it came from and its class (changed in place below);
    # the spans are cut from these once, at the end.
    owner: list[Span] = []
    classes: list[str] = []
    offset = 0
    for span in protected:
        for i, char in enumerate(span.text):
            classes.append("cjk-h" if offset + i in halves else "cjk-dot" if char == "·" else
                           PROPORTIONAL_QUOTE if offset + i in latin_quotes and not span.cls
                           else span.cls)
            owner.append(span)
        offset += len(span.text)
    for i in range(1, len(text)):  # boundaries that inline markup splits (left to right)
        before, after = owner[i - 1], owner[i]
        styled = (before.strong, before.em, classes[i - 1]) != (after.strong, after.em,
                                                                classes[i])
        if styled and is_boundary(text[i - 1], text[i]):
            cls = classes[i]
            if cls in WHOLE:  # the gap before the whole address or word
                j = i
                while j < len(text) and classes[j] == cls:
                    classes[j] = f"{cls} {AUTOSPACE}"
                    j += 1
            else:
                classes[i] = AUTOSPACE
    out: list[Span] = []
    begin = 0
    for i in range(1, len(text) + 1):
        if i < len(text) and classes[i] == classes[begin] and (
                owner[i].strong, owner[i].em) == (owner[begin].strong, owner[begin].em):
            continue
        out.append(Span(text[begin:i], owner[begin].strong, owner[begin].em, classes[begin]))
        begin = i
    return out


def mark_blocks(blocks: list[Block]) -> list[Block]:
    return [block.map_spans(lambda spans: list(_marked(tuple(spans)))) for block in blocks]


@functools.lru_cache(maxsize=4096)  # the preview redoes unchanged paragraphs on every save
def _marked(spans: tuple[Span, ...]) -> tuple[Span, ...]:
    return tuple(mark_spans(list(spans)))
