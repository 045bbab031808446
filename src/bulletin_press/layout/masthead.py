"""The masthead's name (报头) at a size that fits beside the issue details.

The name is set at 40 pt on one line of the masthead's 54 pt (style.css
.mh-title). A longer name is made smaller in steps; when even the smallest
one-line size is too wide, it is set on two lines of 27 pt or three of 18 pt
(the same 54 pt: the page below does not move), cut into lines of about equal
width between words, never inside one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypedDict

from bulletin_press.fonts.lookup import Metrics
from bulletin_press.text.words import words

TRACKING_EM = 0.08  # style.css .mh-title letter-spacing
INFO_SIZE_PT = 9.0  # style.css .mh-info: the issue, date and publisher lines
GAP_PT = 18.0  # at least one line's width between the name and the details
# (lines, line height in pt, font sizes tried in order): the block stays 54 pt high.
STEPS: tuple[tuple[int, float, tuple[float, ...]], ...] = (
    (1, 54.0, (40.0, 36.0, 32.0, 28.0)),
    (2, 27.0, (24.0, 22.0, 20.0, 18.0)),
    (3, 18.0, (15.0, 14.0, 13.0, 12.0)),
)


class MastheadTitle(TypedDict):
    lines: list[str]
    size_pt: float
    line_pt: float


def info_width(texts: list[str], font: Metrics) -> float:
    """The width of the issue details' widest line."""
    return max((font.width(text, INFO_SIZE_PT) for text in texts), default=0.0)


def masthead_title(name: str, room: float, font: Metrics | None) -> MastheadTitle:
    """The name's lines, size and line height for a masthead `room` pt wide."""
    if font is None:  # no metrics (the font is missing: reported elsewhere)
        return {"lines": [name], "size_pt": 40.0, "line_pt": 54.0}

    def width(text: str, size: float) -> float:
        return font.width(text, size) + TRACKING_EM * size * len(text)

    lines = [name]
    pieces: list[str] | None = None
    for count, line_pt, sizes in STEPS:
        if count > 1:  # one line needs no words (jieba's dictionary: ~1 s, ~75 MiB)
            pieces = pieces or (words(name) if len(name) > 1 else [name])
            lines = balanced(pieces, count, lambda text: width(text, 1.0))
        for size in sizes:
            if max(width(line, size) for line in lines) <= room:
                return {"lines": lines, "size_pt": size, "line_pt": line_pt}
    count, line_pt, sizes = STEPS[-1]
    return {"lines": lines, "size_pt": sizes[-1], "line_pt": line_pt}


def balanced(pieces: list[str], count: int, width: Callable[[str], float]) -> list[str]:
    """`pieces` joined into at most `count` lines whose widest is as narrow as can be;
    a line never starts with a closing mark nor ends with an opening one."""
    if count <= 1 or len(pieces) <= 1:
        return ["".join(pieces)]
    best: tuple[tuple[float, float], list[str]] | None = None
    for cut in range(1, len(pieces)):
        head, rest = "".join(pieces[:cut]), pieces[cut:]
        if rest[0][:1] in _NO_START or head[-1:] in _NO_END:
            continue
        lines = [head, *balanced(rest, count - 1, width)]
        # The narrowest widest line; of equals, the longer first line (a name reads
        # on: "…服务中心 / 暨新时代…", not "…党建 / 服务中心暨…").
        key = (round(max(width(line) for line in lines), 6), -width(head))
        if best is None or key < best[0]:
            best = (key, lines)
    return best[1] if best else ["".join(pieces)]


_NO_START = frozenset("，。、；：？！）」』”’》〉】…—～·")
_NO_END = frozenset("（「『“‘《〈【")
