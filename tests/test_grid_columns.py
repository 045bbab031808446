"""Balanced columns end on the line grid (grid_columns.py), proven from the PDF."""

from __future__ import annotations

import pytest

from bulletin_press.build.pipeline import build
from bulletin_press.checks.typesetting import check_grid, read_body
from bulletin_press.typeset import gate
from bulletin_press.typeset.ext import grid_columns

from .conftest import HEADER, MakeIssue

# A five-line paragraph balances as 3 + 2 lines; WeasyPrint's balancing left
# such a container ½ line taller than its lines, and what followed off the grid.
PARAGRAPH = ("新泾镇第二十届人民代表大会第二次会议于2022年12月29日顺利召开。来自新泾镇各行各业、"
             "各条战线的人大代表，汇聚一堂，依法履职，共商共议新泾经济社会发展。镇党委、政府有关领导"
             "列席会议。")
ARTICLES = HEADER + "".join(
    f"  - id: a{i}\n    title: 第{i}篇文章\n    layout: {{start: continue}}\n"
    f"    body: {PARAGRAPH}\n" for i in range(1, 5))


def test_snapped() -> None:
    assert grid_columns.snapped(63.0, 18.0) == 72.0
    assert grid_columns.snapped(54.0, 18.0) == 54.0
    assert grid_columns.snapped(54.000001, 18.0) == 54.0  # rounding noise is not a line


def _off_grid(folder: object) -> int:
    built = build(folder)  # type: ignore[arg-type]
    geometry = built.prepared.layout.geometry
    body, _ = read_body(built.pdf, geometry)
    assert len(body) >= 16
    return len(list(check_grid(body, geometry)))


@pytest.mark.slow
def test_articles_after_balanced_columns_stay_on_the_grid(make_issue: MakeIssue,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    folder = make_issue(ARTICLES)
    assert _off_grid(folder) == 0
    # Without the extension, the same issue has lines off the grid: the test can fail.
    with gate.stock("grid_columns"):
        assert _off_grid(folder) > 0
