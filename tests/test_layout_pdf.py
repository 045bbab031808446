"""Article starts and placements, read back from the built PDF."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from bulletin_press.build.pipeline import build
from bulletin_press.pdf.text import lines_of

from .conftest import MakeIssue

pytestmark = pytest.mark.slow

STARTS = """\
newsletter: 测试
publisher: 测试镇
issue: {number: 1, date: 2024-01-01}
articles:
  - {id: a, title: 甲文标题, body: 第一篇正文。}
  - {id: b, title: 乙文标题, body: 第二篇正文。, layout: {start: new-column}}
  - {id: c, title: 丙文标题, body: 第三篇正文。, layout: {start: new-page}}
"""


def test_new_column_and_new_page(make_issue: MakeIssue, tmp_path: Path) -> None:
    built = build(make_issue(STARTS))
    path = tmp_path / "x.pdf"
    path.write_bytes(built.pdf)
    g = built.prepared.layout.geometry
    right = g.margin_side + g.column_width + g.gap
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) == 2
        first = {ln.text: ln for ln in lines_of(pdf.pages[0])}
        second = {ln.text: ln for ln in lines_of(pdf.pages[1])}
    assert first["乙文标题"].x0 == pytest.approx(right, abs=0.5)  # top of column 2
    assert first["第一篇正文。"].x0 < right
    assert "丙文标题" in second and "丙文标题" not in first
    pages = built.typeset.anchor_pages()
    assert {k: v for k, v in pages.items() if k.startswith("article-")} == {
        "article-a": 1, "article-b": 1, "article-c": 2}
