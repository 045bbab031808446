"""A web address in Chinese text, judged from the PDF at every place a line can meet
it: it breaks only where an address may (after / , before . - _ ? & =), never inside a
word (a WeChat article's address broke inside "weixin": mp.wei / xin), and no slack is
spread between it and the full-width brackets around it (（ mp.weixin.qq.com/s/… ）)."""

from __future__ import annotations

import itertools

from bulletin_press.build.pipeline import build
from bulletin_press.checks.typesetting import BodyLine, read_body
from bulletin_press.text.breaks import BREAK, SOFT_GLUE, break_points

from .conftest import HEADER, MakeIssue

URL = "https://mp.weixin.qq.com/s/Xk3b9QvR2mT_8aLp"
PRINTED = "mp.weixin.qq.com/s/Xk3b9QvR2mT_8aLp"  # a link's address, as printed
LEAD = "新泾镇社区党群服务中心二楼的邻里汇于三月起试运营设有老年助餐点和共享书房"


def _allowed_cuts(address: str) -> set[int]:
    """Offsets into the address where a line may end (the text stage's break points;
    the glue after its scheme gives way where that saves the paragraph a line)."""
    cuts, offset = set(), 0
    for char in break_points(address):
        if char in (BREAK, SOFT_GLUE):
            cuts.add(offset)
        elif char != "\u2060":
            offset += 1
    return cuts


def _cuts(lines: list[BodyLine], address: str) -> list[tuple[str, int]]:
    """Where the address is cut between two lines: (the line, offset into the address)."""
    found = []
    for line, following in itertools.pairwise(lines):
        text, after = line.line.text, following.line.text
        for k in range(1, len(address)):
            if text.endswith(address[:k]) and after.startswith(address[k:]):
                found.append((text, k))
    return found


def _bracket_gaps(lines: list[BodyLine]) -> list[str]:
    """Space wider than a hair between a bracket and the Latin text it holds."""
    gaps = []
    for line in lines:
        for a, b in itertools.pairwise(line.line.chars):
            inner = (a["text"] == "（" and b["text"].isascii()) or (
                a["text"].isascii() and b["text"] == "）")
            gap = (b["x0"] - a["x1"]) / line.line.size
            if inner and gap > 0.05:
                gaps.append(f"“{line.line.text}” {a['text']}{b['text']} {gap:.2f} em")
    return gaps


def test_a_wechat_address_breaks_only_at_its_break_points(make_issue: MakeIssue) -> None:
    paragraphs = []
    for k in range(22):
        paragraphs.append(f"{LEAD[:k]}详见文章[阅读原文]({URL})，或拨打服务热线。")
        paragraphs.append(f"{LEAD[:k]}详见原文（{URL}），也可以到前台登记。")
    body = "".join(f"      {p}\n\n" for p in paragraphs)
    built = build(make_issue(HEADER + f"  - id: a\n    title: 测试\n    body: |\n{body}"))
    lines, _ = read_body(built.pdf, built.prepared.layout.geometry)
    text = "".join(line.line.text for line in lines)
    assert text.count(URL) == 22 and text.count(f"（{PRINTED}）") == 22
    for address in (URL, PRINTED):
        cuts = _cuts(lines, address)
        assert cuts, "the address never meets a line's end: the test sees nothing"
        wrong = [f"“{line}” at {k}" for line, k in cuts if k not in _allowed_cuts(address)]
        assert wrong == []  # main: 15 cuts inside a word of the link's address
    assert _bracket_gaps(lines) == []  # main: 14 lines spread around （ ）
