"""`check` names the article a hole is under as printed, not as listed: the page plan
sets a box before a notice that does not fit under the masthead (the outside tester's
July issue, session 12: the 高温 box, article 2, on page 1; the 防汛 notice, article 1,
on pages 1–2). Page 2's holes, under the notice's last part, were said to be "under
article 2 《高温天气健康小贴士》", with a hint to add 24 lines to that box on page 1."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from bulletin_press.build.pipeline import build
from bulletin_press.checks.preflight import check_copyfit

from .conftest import MakeIssue

pytestmark = pytest.mark.slow
SUMMER = Path(__file__).parent / "fixtures" / "summer-2026-07.yaml"


def _logo() -> bytes:
    """The 暑托班 logo as the tester drew it: an orange disk on a transparent square."""
    image = Image.new("RGBA", (1200, 1200), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse([50, 50, 1150, 1150], fill=(255, 140, 0, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_a_hole_is_named_under_the_article_printed_above_it(make_issue: MakeIssue) -> None:
    folder = make_issue(SUMMER.read_text(encoding="utf-8"), {"images/暑托班标志.png": _logo()})
    built = build(folder)
    starts = built.typeset.anchor_pages()
    # Since the notice set in parts goes back to its own place (branch parts, s12), the
    # notice fills page 1 and the box follows it on page 2: listed and printed orders
    # agree, and page 2's hole is under the box, printed above it there.
    assert (starts["article-高温提示"], starts["article-防汛防台通知"]) == (2, 1)
    under = [(d.location.page, re.search(r"under (article \d+)", d.message))
             for d in check_copyfit(built) if d.code == "copyfit.hole"
             and " above " not in d.message]
    named = {(page, m.group(1)) for page, m in under if m is not None}
    assert named, "a hole at a page's foot under the box (page 2)"
    for page, article in named:
        assert not (page == 1 and article == "article 2"), named  # the box is not on page 1
    assert (2, "article 2") in named


def test_a_hole_is_marked_where_it_is_on_the_page(make_issue: MakeIssue) -> None:
    """The HTML report and the preview mark a finding where its box is; holes had none,
    so the outside tester's report showed a page 4 with 15 and 33 empty lines and no
    mark on it. Each hole's box is its column's empty part, as many lines high."""
    folder = make_issue(SUMMER.read_text(encoding="utf-8"), {"images/暑托班标志.png": _logo()})
    built = build(folder)
    g = built.prepared.layout.geometry
    holes = [d for d in check_copyfit(built) if d.code == "copyfit.hole"]
    assert holes
    for hole in holes:
        box = hole.location.box
        assert box is not None, hole.message
        lines = int(re.search(r"(\d+) lines empty", hole.message).group(1))  # type: ignore[union-attr]
        assert box[3] - box[1] == pytest.approx(lines * g.line, abs=0.5), hole.message
        middle = g.page_width / 2
        if "across the page" in hole.message:  # under a notice set across the page
            assert box[0] < middle < box[2]
        else:
            assert (box[2] < middle) if "left column" in hole.message else (box[0] > middle)
        assert g.margin_top <= box[1] < box[3] <= g.margin_top + g.lines * g.line + 0.5


def test_a_right_column_hole_under_a_full_width_photo_is_under_its_story() -> None:
    """newcomer s15, page 8 of a 12-page plan: 《…优秀志愿者…》's headline and full-width
    photo head the page, its text went on to page 9, and both columns are empty under
    the photo. The left column's hole was named after that story, the right column's
    after 《垃圾分类“小管家”上岗》, which ended on page 7: the photo across the page was
    counted in the left column only (its middle is in the gap)."""
    from types import SimpleNamespace

    from bulletin_press.checks.preflight import Placed, _article_at
    from bulletin_press.layout.geometry import Geometry

    g = Geometry(page_width=595.28, page_height=841.89, bleed=8.5, margin_top=56.7,
                 margin_bottom=56.7, margin_side=42.5, line=17.0, body_size=10.5,
                 columns=2, column_width=246.0, gap=18.3, lines=43)
    articles = [SimpleNamespace(id="sorting", title="垃圾分类“小管家”上岗"),
                SimpleNamespace(id="volunteers", title="长风新村街道表彰2026年度“优秀志愿者”")]
    built = SimpleNamespace(prepared=SimpleNamespace(
        layout=SimpleNamespace(geometry=g),
        issue=SimpleNamespace(manifest=SimpleNamespace(articles=articles))))
    placed = {"text-sorting": Placed(7, (42.5, 600.0, 288.5, 620.0)),
              "article-volunteers": Placed(8, (42.5, 60.0, 552.8, 130.0)),
              "photo-2-1": Placed(8, (42.5, 140.0, 552.8, 300.0)),
              "text-volunteers": Placed(9, (42.5, 57.0, 288.5, 75.0))}
    for column in (1, 2):
        assert _article_at(built, placed, (8, column, 500.0), marks=True) == 1, column  # type: ignore[arg-type]
    # A photo in the left column alone is still not above the right column's hole.
    placed["photo-2-1"] = Placed(8, (42.5, 140.0, 288.5, 300.0))
    assert _article_at(built, placed, (8, 2, 500.0), marks=True) == 0  # type: ignore[arg-type]
