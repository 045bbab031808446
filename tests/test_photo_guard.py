"""The photo guard: a photo that does not fit under the paragraph it follows is
moved after a later paragraph instead of leaving empty lines in the column."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from PIL import Image, ImageDraw

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
    [note] = [d for d in built.diagnostics if d.code == "layout.photo-moved"]
    # Like every other finding: the file and line of the photo's after_paragraph, the
    # article by its title, the photo by its file (it had none of them: "article 1 ›
    # photo 1 did not fit…", no place).
    line = ISSUE.splitlines().index(
        "    photos: [{file: p.jpg, caption: 照片, placement: inline, after_paragraph: 4}]") + 1
    assert note.location.path == folder / "issue.yaml" and note.location.line == line
    assert note.message.startswith("article 1 《第一篇》 › photo 1 (p.jpg) did not fit")
    assert note.format().startswith(f"{folder / 'issue.yaml'}:{line}:")


def test_a_moved_photo_keeps_the_photos_of_its_story_in_order() -> None:
    """A photo story: five photos spread through three paragraphs, two of them
    one after the other. Whichever photos the guard moves, and however far, the
    reader meets them in the order the editor gave."""
    def body() -> list[dict[str, Any]]:
        return [_item("figure", "photo-1-1"), _item("paragraph"),
                _item("figure", "photo-1-2"), _item("figure", "photo-1-3"),
                _item("paragraph"), _item("figure", "photo-1-4"), _item("subhead"),
                _item("paragraph"), _item("figure", "photo-1-5"), _item("paragraph")]

    def photos(shifts: dict[str, int]) -> list[str]:
        flows: Any = [[{"body": body()}]]
        moved = shift_figures(flows, shifts)[0][0]["body"]
        assert [i["kind"] for i in moved].count("paragraph") == 4
        return [i["figure"]["anchor"] for i in moved if i["figure"] is not None]

    in_order = [f"photo-1-{n}" for n in range(1, 6)]
    for shifts in ({"photo-1-2": 1}, {"photo-1-2": 2}, {"photo-1-4": 1, "photo-1-2": 3},
                   {"photo-1-3": 1, "photo-1-2": 1}, {"photo-1-2": 9}, {"photo-1-5": 1}):
        assert photos(shifts) == in_order, shifts
    flows: Any = [[{"body": body()}]]
    kinds = [i["kind"] for i in shift_figures(flows, {"photo-1-2": 1})[0][0]["body"]]
    # Photo 2 follows the second paragraph and takes photo 3 along; photo 4 stays.
    assert kinds == ["figure", "paragraph", "paragraph", "figure", "figure", "figure",
                     "subhead", "paragraph", "figure", "paragraph"]


STORY_CAPTIONS = ["清晨六点，志愿者在天山西路568号门口搭起帐篷",
                  "上午九点，第一批居民排队领取号码牌（联系电话021-62785432）",
                  "社区医生为82岁的张阿婆测量血压", "孩子们在“小小图书角”读绘本",
                  "傍晚收摊，志愿者合影留念"]


def _phone_photo(number: int) -> bytes:
    """Photos 2 and 4 taken upright (3:4), the others across (4:3)."""
    size = (1500, 2000) if number % 2 == 0 else (2000, 1500)
    image = Image.new("RGB", size, (60 + 30 * number, 150 - 20 * number, 90))
    ImageDraw.Draw(image).rectangle([100, 100, 600, 600], fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80, dpi=(300, 300))
    return out.getvalue()


@pytest.mark.slow
def test_a_photo_story_prints_its_photos_in_order(make_issue: MakeIssue) -> None:
    """Five phone photos of a three-paragraph story, without placements: spread
    through the text, two of them after the first paragraph. The story starts low on
    page 1, so the guard moves photos; before, the reader met 图1, 图4, 图3, 图5, 图2."""
    photos = "".join(f'      - {{file: images/IMG_20231014_{n}.jpg, caption: "图{n} {c}"}}\n'
                     for n, c in enumerate(STORY_CAPTIONS, 1))
    folder = make_issue(HEADER + """\
  - id: lead
    title: 镇人大代表听取民生实事项目进展
    body: |
""" + "\n".join(f"      {PARAGRAPH}\n" for _ in range(6)) + """\
  - id: story
    title: 一天的“邻里节”：五张照片里的新泾
    photos:
""" + photos + """\
    body: |
      10月14日，新泾镇第十届“邻里节”在天山西路568号举行，从清晨到傍晚，近三千名居民参加。

      本报记者跟随志愿者王建国度过了这一天，用五张照片记录下社区里的点点滴滴。

      活动详情见新泾镇官网 www.xinjing.gov.cn/linlijie 或拨打热线 021-62785432。
""", {f"images/IMG_20231014_{n}.jpg": _phone_photo(n) for n in range(1, 6)})
    built = build(folder)
    assert "layout.photo-moved" in [d.code for d in built.diagnostics]
    found: list[tuple[int, bool, float, int]] = []
    with pdfplumber.open(io.BytesIO(built.pdf)) as pdf:
        for number, page in enumerate(pdf.pages):
            for word in page.extract_words():
                caption = re.fullmatch(r"图(\d)", word["text"])
                if caption is not None:  # reading order: page, column, top
                    found.append((number, word["x0"] > page.width / 2, word["top"],
                                  int(caption[1])))
    assert [n for *_place, n in sorted(found)] == [1, 2, 3, 4, 5]
