"""Inter-character justification (cjk_justify), proven from the PDF."""

from __future__ import annotations

import itertools
from pathlib import Path

import pdfplumber
import pytest

from bulletin_press.build.pipeline import Built, build
from bulletin_press.checks.typesetting import check_justification, read_body
from bulletin_press.text.punctuation import is_boundary
from bulletin_press.typeset.ext import cjk_justify

from .conftest import HEADER, SAMPLE, MakeIssue

HARD = HEADER + """\
  - id: hard
    title: 难排的文字
    body: |
      据统计，2022年12月27日至2023年1月3日，全镇共有116名代表参加了
      “四力四城”建设的专题学习，参与率达98.5%，比上年提高3.2个百分点。

      会议期间，代表们还观看了纪录片《奋进新时代——上海长宁的故事》，
      并通过WeChat小程序和www.xinjing.gov.cn网站提交了建议……
      活动由卡尔·马克思研究会协办。

      The print shop asked for PDF/X-4 files with 3 mm bleed; 新泾镇编辑部
      replied on Monday, promising a proof by Friday at the latest.

      ### 小标题也要对齐

      “你说‘明天（周二）见’，是吗？”他问。她答：“是的！”——然后离开了。温度为25℃，湿度60%，风力3～4级。
"""


def test_opportunities() -> None:
    assert cjk_justify.is_opportunity("中", "文")
    assert cjk_justify.is_opportunity("年", "2") and cjk_justify.is_opportunity("2", "年")
    assert cjk_justify.is_opportunity(" ", "a")
    assert not cjk_justify.is_opportunity("2", "0")  # never inside a number
    assert not cjk_justify.is_opportunity("a", "b")  # nor a Latin word
    assert not cjk_justify.is_opportunity("—", "—") and not cjk_justify.is_opportunity("…", "…")
    assert not cjk_justify.is_opportunity("尔", "\u2060")  # glued by a WORD JOINER
    assert not cjk_justify.is_opportunity("中", " ")  # the space itself stretches


def _pdf(built: Built, tmp_path: Path) -> Path:
    path = tmp_path / "out.pdf"
    path.write_bytes(built.pdf)
    return path


@pytest.mark.slow
@pytest.mark.parametrize("source", ["sample", "hard"])
def test_every_line_but_paragraph_ends_reaches_the_right_edge(
        source: str, make_issue: MakeIssue, tmp_path: Path) -> None:
    built = build(SAMPLE if source == "sample" else make_issue(HARD))
    geometry = built.prepared.layout.geometry
    body, _ = read_body(built.pdf, geometry)
    assert len(body) > 8
    assert [d.message for d in check_justification(body, geometry)] == []


@pytest.mark.slow
def test_slack_spread_over_gaps_not_dumped_in_spaces(make_issue: MakeIssue,
                                                     tmp_path: Path) -> None:
    built = build(make_issue(HARD))
    path = _pdf(built, tmp_path)
    with pdfplumber.open(path) as pdf:
        chars = [c for c in pdf.pages[0].chars if abs(c["size"] - 10.5) < 0.1]
        text = "".join(c["text"] for c in chars)
    gaps = [b["x0"] - a["x1"] for a, b in itertools.pairwise(chars)
            if abs(a["top"] - b["top"]) < 0.5 and a["text"] != " " and b["text"] != " "
            and a["x1"] - a["x0"] > 9 and 0 <= b["x0"] - a["x0"] < 30
            and not is_boundary(a["text"], b["text"])]  # those add the autospace gap
    assert max(gaps) < 0.15 * 10.5  # no Han–Han gap wider than 0.15 em
    spaces = [b["x0"] - a["x1"] for a, b in itertools.pairwise(chars)
              if a["text"] == " " and abs(a["top"] - b["top"]) < 0.5]
    assert spaces and max(spaces) < 0.6 * 10.5  # a stock space is ~0.26 em
    # Nothing was added to the text layer: dates and numbers are still searchable.
    for needle in ("2022年12月27日", "98.5%", "www.xinjing.gov.cn", "卡尔·马克思"):
        assert needle in text
