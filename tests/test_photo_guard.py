"""The photo guard: a photo that does not fit under the paragraph it follows is
moved after a later paragraph instead of leaving empty lines in the column."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bulletin_press.build.pipeline import Assembled, Built, build, build_runs
from bulletin_press.checks.typesetting import read_body
from bulletin_press.layout.context import figure_markers, shift_figures
from bulletin_press.layout.prepare import prepare
from bulletin_press.typeset.engine import typeset

from .conftest import HEADER, MakeIssue

PARAGRAPH = ("新泾镇第二十届人民代表大会第二次会议于2022年12月29日顺利召开。来自新泾镇各行各业、"
             "各条战线的人大代表，汇聚一堂，依法履职，共商共议新泾经济社会发展。镇党委、政府有关领导"
             "列席会议。")
# After paragraph 4 the photo does not fit in column 1 of page 1: stock layout
# leaves ~9 empty lines there and spills the article onto a third page.
ISSUE = HEADER + """\
  - id: one
    title: 第一篇
    photos: [{file: p.jpg, caption: 照片, placement: inline, after_paragraph: 4}]
    body: |
""" + "\n".join(f"      {PARAGRAPH}\n" for _ in range(24))


def _item(kind: str, anchor: str | None = None) -> dict[str, Any]:
    figure = {"anchor": anchor} if anchor else None
    return {"kind": kind, "runs": [], "entries": [], "ordered": False, "figure": figure,
            "marker": None}


def test_shift_figures_moves_a_photo_past_paragraphs() -> None:
    body = [_item("paragraph"), _item("figure", "photo-1-1"), _item("paragraph"),
            _item("subhead"), _item("paragraph"), _item("paragraph")]
    flows: Any = [[{"body": body}]]
    moved = shift_figures(flows, {"photo-1-1": 2})[0][0]["body"]
    assert [i["kind"] for i in moved] == ["paragraph", "paragraph", "subhead", "paragraph",
                                          "figure", "paragraph"]
    assert figure_markers(shift_figures(flows, {"photo-1-1": 2})) == [
        ("photo-1-1-after-text", "photo-1-1")]
    assert moved[3]["marker"] == "photo-1-1-after-text" and moved[0]["marker"] is None
    end = shift_figures(flows, {"photo-1-1": 9})[0][0]["body"]
    assert end[-1]["kind"] == "figure"  # never past the article's end
    assert shift_figures(flows, {}) is flows


def _empty_lines_in_first_column(built: Built | Assembled) -> float:
    g = built.prepared.layout.geometry
    body, _ = read_body(built.pdf, g)
    last = max(b.line.top for b in body if (b.page, b.column) == (1, 1))
    return (g.margin_top + g.lines * g.line - last) / g.line - 1


@pytest.mark.slow
def test_stock_layout_leaves_a_hole(make_issue: MakeIssue, sample_photo: Path) -> None:
    prepared = prepare(make_issue(ISSUE, {"p.jpg": sample_photo}))
    fence = prepared.fence()
    unguarded = typeset(prepared.html.html, fence.url("issue"), fence)
    g = prepared.layout.geometry
    markers = figure_markers(prepared.context.context["flows"])
    assert unguarded.holes(markers, g.column_width, g.line) == ["photo-1-1"]


@pytest.mark.slow
@pytest.mark.parametrize("runs", [False, True])
def test_guard_fills_the_hole(make_issue: MakeIssue, sample_photo: Path, runs: bool) -> None:
    folder = make_issue(ISSUE, {"p.jpg": sample_photo})
    built = build_runs(folder, store=False) if runs else build(folder)
    assert built.page_count == 2
    assert _empty_lines_in_first_column(built) < 1.5  # at most the widow/orphan line
    assert "layout.photo-moved" in [d.code for d in built.diagnostics]
