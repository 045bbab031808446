"""A photo that does not fit under the text it follows at a page's foot, where the
photo guard cannot move it (it follows the article's last paragraph), is made
smaller, within 75 % of its height, and stays under its text: before, it went on
to the top of the next page and left a hole above it (outside's defect E)."""

from __future__ import annotations

import io
import math
from typing import Any

import pdfplumber
import pytest
from PIL import Image, ImageDraw

from bulletin_press.build.pipeline import Assembled, Built, build, build_runs
from bulletin_press.layout.context import FigureContext
from bulletin_press.layout.page_plan import Knob, Measure, gone_on, holes
from bulletin_press.layout.prepare import prepare

from .conftest import MakeIssue

WASTE = ("2027年1月起，新泾镇全面推行生活垃圾定时定点投放，湿垃圾、干垃圾、可回收物和有害垃圾"
         "分别投放，投放时间为每天7:00—9:00和18:00—20:00。详情请查询 www.xinjing.gov.cn/"
         "lajifenlei 或拨打热线021-62785432。")


def _photo() -> bytes:
    image = Image.new("RGB", (2000, 1500), (70, 140, 90))
    ImageDraw.Draw(image).rectangle([100, 100, 700, 700], fill=(250, 250, 250))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def _issue(paragraphs: int) -> str:
    body = "\n".join(f"      {WASTE}\n" for _ in range(paragraphs))
    return f"""\
newsletter: 新泾通讯
publisher: 新泾镇
issue: {{number: 1, date: 2027-01-05}}
articles:
  - id: waste
    title: 垃圾分类新规一月起实施
    photos:
      - {{file: images/sorting.jpg, caption: 志愿者在新泾一村垃圾箱房指导居民分类投放（摄影 陈立）,
          placement: inline, after_paragraph: {paragraphs}}}
    body: |
{body}
  - id: water
    title: 二次供水改造：一月分片停水
    body: |
{body}
"""


@pytest.mark.slow
@pytest.mark.parametrize("runs", [False, True])
def test_a_photo_after_the_last_paragraph_shrinks_to_stay_at_the_page_foot(
        make_issue: MakeIssue, runs: bool) -> None:
    """垃圾分类: nine paragraphs end 12 lines above page 1's foot in the right column,
    and the photo after them takes 14 (image and caption). It stays there at 75 % or
    more of its height, page 1 has no hole, and 二次供水 opens page 2."""
    folder = make_issue(_issue(9), {"images/sorting.jpg": _photo()})
    natural = prepare(folder).context.context["articles"][0]["body"][-1]["figure"]
    assert natural is not None
    built: Built | Assembled = build_runs(folder, store=False) if runs else build(folder)
    g = built.prepared.layout.geometry
    assert built.page_count == 2
    with pdfplumber.open(io.BytesIO(built.pdf)) as pdf:
        [image] = pdf.pages[0].images
        assert not pdf.pages[1].images
        first = pdf.pages[0].extract_text().replace(" ", "")
        second = pdf.pages[1].extract_text().replace(" ", "")
    assert "志愿者在新泾一村垃圾箱房" in first  # its caption under it
    assert image["x0"] > g.page_width / 2  # at the foot of the right column, under its text
    assert "二次供水改造" in second.splitlines()[1]  # under the running head
    # The photo is set in fewer lines (cropped to them, as the plan's photos are).
    [planned] = [item["figure"] for flow in built.prepared.context.context["flows"]
                 for article in flow for item in article["body"] if item["figure"]]
    assert math.ceil(0.75 * natural["image_lines"]) <= planned["image_lines"] < \
        natural["image_lines"]
    assert not [d for d in built.diagnostics if d.code == "copyfit.hole"]


def _figure(anchor: str, lines: int) -> FigureContext:
    return {"anchor": anchor, "article": 0, "photo": 0, "src": "p.jpg", "caption": "图",
            "credit": None, "alt": "", "width": "column", "image_height": "",
            "image_lines": lines, "caption_lines": 1, "caption_height": "", "lines": lines + 1,
            "placement": "inline"}


def _item(kind: str, marker: str | None = None, figure: FigureContext | None = None,
          gap: int = 0) -> dict[str, Any]:
    return {"kind": kind, "figure": figure, "marker": marker, "gap": gap}


def test_gone_on_measures_the_room_above_the_photo() -> None:
    """Two photos after the last paragraph: the second went on to page 2. Page 1's
    right column ends 15 lines short: the photo (14 lines natural, 11 at least) gets
    15 less its caption, the line under itself and two under the photo before it:
    11. A column ending 14 lines short would leave it 10, below its least: it is
    left as it is."""
    knob = Knob("photo", "photo-1-2", "article-a", 0, 1, 11, 17, 14)
    measure = Measure([[41, 26], [30, 20]], {"photo-1-1-after-text": 1, "photo-1-1": 1,
                                             "photo-1-2": 2})

    def flows(gap: int) -> Any:
        return [[{"anchor": "article-a", "body": [_item("paragraph", "photo-1-1-after-text"),
                           _item("figure", figure=_figure("photo-1-1", 9)),
                           _item("figure", figure=_figure("photo-1-2", 14), gap=gap)]}]]

    assert holes(measure, 41) == [(1, 2, 15)]
    assert gone_on(flows(0), [knob], measure, 1, 41) == ("photo-1-2", 11, None)
    # The plan's gap above it is taken back: the photo keeps the same lines.
    assert gone_on(flows(2), [knob], measure, 1, 41) == ("photo-1-2", 11, "article-a@2")
    measure = Measure([[41, 27], [30, 20]], measure.pages)  # 14 lines: 10 < least 11
    assert gone_on(flows(0), [knob], measure, 1, 41) is None
    # On the page it went on to there is nothing to shrink for.
    assert gone_on(flows(0), [knob], measure, 2, 41) is None
