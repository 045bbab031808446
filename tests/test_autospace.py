"""Han–Latin/digit spacing (cjk_autospace), proven from the PDF."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest

from bulletin_press.build.pipeline import Built, build
from bulletin_press.checks.typesetting import BodyLine, check_autospace, check_overfull, read_body
from bulletin_press.text.blocks import Span
from bulletin_press.text.punctuation import AUTOSPACE, boundaries, is_boundary, is_han, mark_spans

from .conftest import HEADER, SAMPLE, MakeIssue

# Line 1 of a paragraph holds 21 characters after the 2-em indent, later lines 23.
FILL21 = "一" * 21
TEXT = HEADER + f"""\
  - id: spacing
    title: 中西文间距
    body: |
      会议于2022年举行，共有116名代表。

      {FILL21}2022年12月27日，全镇共有116名代表参加了“四力四城”建设的专题学习。

      {"一" * 20}**一**2022年12月27日，全镇的代表通过WeChat小程序提交了建议。

      本次活动由**新泾镇**2023年度计划资助，*WeChat*小程序上线，**ABC**中文，中文**ABC**，增长5%以上。
"""


def test_boundaries() -> None:
    assert boundaries("于2022年") == [0, 4]
    assert boundaries("abc中文def") == [2, 4]
    assert boundaries("“2022”年，2022。") == []  # punctuation takes no gap
    assert boundaries("１２年") == []  # full-width digits are set like Han
    assert boundaries("套餐¥12，满¥50免") == [1, 6, 9]  # the yuan sign is of its number
    assert boundaries("增长5%以上") == [1, 3]
    assert is_boundary("镇", "W") and not is_boundary("W", "e")


def test_markup_boundary_gets_the_gap_on_the_following_run() -> None:
    spans = mark_spans([Span("新泾镇", strong=True), Span("2023年度")])
    assert [(r.text, r.cls) for r in spans] == [
        ("新泾镇", ""), ("2", AUTOSPACE), ("023年度", "")]
    spans = mark_spans([Span("中文", strong=True), Span("a"), Span("中", em=True)])
    assert [(r.text, r.cls) for r in spans] == [("中文", ""), ("a", AUTOSPACE),
                                                ("中", AUTOSPACE)]
    # A boundary inside one span is the typesetter's; no markup for it.
    assert [r.cls for r in mark_spans([Span("于2022年")])] == [""]


def _body(built: Built) -> list[BodyLine]:
    body, _ = read_body(built.pdf, built.prepared.layout.geometry)
    return body


def _boundary_gaps(body: list[BodyLine], *, less_justification: bool = False
                   ) -> list[tuple[str, float]]:
    """(pair, gap in em) at each Han–Latin boundary; optionally less the share of
    justification the line gave every gap (its widest Han–Han gap)."""
    found = []
    for line in body:
        pairs = list(itertools.pairwise(line.line.chars))
        share = max([(b["x0"] - a["x1"]) / line.line.size for a, b in pairs
                     if is_han(a["text"]) and is_han(b["text"])] or [0.0])
        found += [(a["text"] + b["text"],
                   (b["x0"] - a["x1"]) / line.line.size - (share if less_justification else 0))
                  for a, b in pairs if is_boundary(a["text"], b["text"])]
    return found


@pytest.fixture(scope="module")
def spaced(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("autospace") / "issue"
    folder.mkdir()
    (folder / "issue.yaml").write_text(TEXT, encoding="utf-8")
    return build(folder)


@pytest.mark.slow
def test_gap_inside_lines_and_across_markup(spaced: Built) -> None:
    body = _body(spaced)
    gaps = _boundary_gaps(body, less_justification=True)
    assert len(gaps) > 20
    # An eighth of an em beside what justification gives every gap of the line:
    # not doubled, not lost, not dumped into these gaps.
    assert all(abs(gap - 0.125) < 0.02 for _, gap in gaps), gaps
    assert {"镇2", "t小", "C中", "文A"} <= {pair for pair, _ in gaps}  # across markup
    first = next(line for line in body if line.line.text.startswith("会议于"))
    # A paragraph's last line is not justified: the gaps are exactly the layout's.
    gaps = [g for _, g in _boundary_gaps([first])]
    assert len(gaps) == 4 and all(abs(g - 0.125) < 0.005 for g in gaps), gaps


@pytest.mark.slow
def test_gap_vanishes_at_line_edges(spaced: Built) -> None:
    body = _body(spaced)
    width = spaced.prepared.layout.geometry.column_width
    full = [line for line in body if line.line.text == FILL21]
    # The 21 characters before "2022" fill the line: its gap was not counted at the end.
    assert len(full) == 2 and all(abs(f.line.x1 - (f.left + width)) < 0.2 for f in full)
    starts = [line for line in body if line.line.text.startswith("2022年12月27日")]
    assert len(starts) == 2  # one after plain text, one after **一** (the markup gap)
    assert all(abs(line.line.x0 - line.left) < 0.05 for line in starts)
    assert list(check_autospace(body, 0.125)) == []
    assert list(check_overfull(body, spaced.prepared.layout.geometry)) == []


@pytest.mark.slow
def test_text_layer_unchanged(spaced: Built) -> None:
    text = "".join(line.line.text for line in _body(spaced))
    for needle in ("会议于2022年举行", "2022年12月27日", "通过WeChat小程序", "新泾镇2023年度",
                   "5%以上"):
        assert needle in text


@pytest.mark.slow
def test_check_finds_a_missing_gap(spaced: Built) -> None:
    body = _body(spaced)
    found = list(check_autospace(body, 0.25))  # the PDF has 1/8 em; 1/4 was asked
    assert found and all(d.code == "typography.autospace" for d in found)
    start = next(line for line in body if line.line.text.startswith("2022"))
    moved = BodyLine(start.page, start.column, start.number, start.line,
                     start.left - 5)  # as if "2022" stood 5 pt in from the column edge
    assert [d.code for d in check_autospace([moved], 0.125)] == ["typography.autospace-edge"]


@pytest.mark.slow
def test_amount_is_a_layout_option(make_issue: MakeIssue, tmp_path: Path) -> None:
    folder = make_issue(TEXT + "layout: wide\n")
    layouts = folder / "layouts"
    shutil.copytree(SAMPLE.parents[1] / "layouts" / "two-column", layouts / "two-column")
    (layouts / "wide").mkdir()
    (layouts / "wide" / "layout.yaml").write_text(
        "extends: two-column\nname: wide\ntype: {autospace_em: 0.25}\n")
    (folder / "fonts").mkdir()
    built = build(folder)
    gaps = _boundary_gaps(_body(built))
    assert gaps and all(gap >= 0.245 for _, gap in gaps)
    assert built.prepared.layout.spec.type.autospace_em == 0.25
