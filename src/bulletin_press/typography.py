"""Typographic markup of Chinese text, after normalisation and before templating.

Stock WeasyPrint sets every full-width mark 1 em wide, so "。”" takes 2 em.
clreq asks 1.5 em for adjacent marks: we mark the mark whose blank half
faces its neighbour with class `cjk-h`, which the layout's CSS sets with the
font's `halt` feature (half width). `·` between names gets `cjk-dot`
(centred, ½ em) and WORD JOINERs so it never starts or ends a line; a dash
or tilde between digits gets a WORD JOINER before it for the same reason.
WORD JOINER is default-ignorable: it takes no space and is not in the PDF text.
"""

from __future__ import annotations

import re

from .blocks import Block, Run, merge_runs

# GB-style glyphs: ink in the left half (blank right) for stops and closing marks.
CLOSING = frozenset("，。、；：？！）」』”’》〉】")
OPENING = frozenset("（「『“‘《〈【")
WJ = "\u2060"
_INTERPUNCT = re.compile(r"(?<=\S)·(?=\S)")
_CONNECTOR = re.compile(r"(?<=\d)([—～~–-])(?=\d)")


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


def mark_runs(runs: list[Run]) -> list[Run]:
    protected = [Run(protect(r.text), r.strong, r.em, r.cls) for r in runs]
    text = "".join(r.text for r in protected)
    halves = half_width_positions(text)
    out: list[Run] = []
    offset = 0
    for run in protected:
        for i, char in enumerate(run.text):
            cls = "cjk-h" if offset + i in halves else "cjk-dot" if char == "·" else run.cls
            out.append(Run(char, run.strong, run.em, cls))
        offset += len(run.text)
    return merge_runs(out)


def mark_blocks(blocks: list[Block]) -> list[Block]:
    return [block.map_runs(mark_runs) for block in blocks]
