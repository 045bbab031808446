"""Typographic markup: punctuation compression and line-break protection."""

from __future__ import annotations

import itertools
from pathlib import Path

import pdfplumber
import pytest

from bulletin_press.build.pipeline import build
from bulletin_press.text.blocks import Span
from bulletin_press.text.punctuation import WJ, half_width_positions, mark_spans, protect

from .conftest import HEADER, MakeIssue


@pytest.mark.parametrize(("text", "halved"), [
    ("奏唱《国歌》。", {5}),          # 》。 → the 》
    ("“你好。”", {3}),                # 。” → the 。
    ("说：“好”", {1}),                # ：“ → the ：
    ("（「引」）、", {1, 3, 4}),       # （「 → 「; 」） → 」; ）、 → ）
    ("一，二。三", set()),            # no adjacent marks
])
def test_half_width_positions(text: str, halved: set[int]) -> None:
    assert half_width_positions(text) == halved


def test_interpunct_and_connectors_protected() -> None:
    assert protect("卡尔·马克思") == f"卡尔{WJ}·{WJ}马克思"
    assert protect("2022—2023年，3~5人") == f"2022{WJ}—2023年，3{WJ}~5人"


def test_mark_runs_keeps_styles_and_text() -> None:
    spans = mark_spans([Span("奏唱"), Span("《国歌》", strong=True), Span("。")])
    assert "".join(r.text for r in spans) == "奏唱《国歌》。"
    assert Span("》", strong=True, cls="cjk-h") in spans
    assert Span("《国歌", strong=True) in spans


@pytest.mark.slow
def test_adjacent_marks_take_one_and_a_half_em_in_pdf(make_issue: MakeIssue,
                                                      tmp_path: Path) -> None:
    folder = make_issue(HEADER + """\
          - id: a
            title: 标点
            body: |
              全体起立，奏唱《国歌》。

              他说：“你好。”卡尔·马克思
        """)
    # One-line paragraphs: last lines are not justified, so advances are the fonts'.
    path = tmp_path / "p.pdf"
    path.write_bytes(build(folder).pdf)
    with pdfplumber.open(path) as pdf:
        chars = [c for c in pdf.pages[0].chars if abs(c["size"] - 10.5) < 0.1]
    advance = {a["text"] + b["text"]: b["x0"] - a["x0"] for a, b in itertools.pairwise(chars)}
    for pair in ("》。", "：“", "。”"):
        assert advance[pair] == pytest.approx(5.25, abs=0.05), pair  # ½ em, not 1 em
    assert advance["，奏"] == pytest.approx(10.5, abs=0.05)  # a lone mark stays 1 em
    # The interpunct is ½ em (its ink is centred by a glyph offset, so measure 尔 → 马).
    x0 = {c["text"]: c["x0"] for c in chars}
    assert x0["马"] - x0["尔"] == pytest.approx(15.75, abs=0.05)
    text = "".join(c["text"] for c in chars)
    assert "卡尔·马克思" in text and WJ not in text
