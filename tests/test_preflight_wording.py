"""What the preflight says, in words an editor can act on. The hint under a blurred photo
says what can be done where the photo stands: a photo in a column is printed the column's
width whatever its placement, so only a larger original helps there; one across the page
can also go into a column. A one-page issue has one page."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from bulletin_press.build.pipeline import build
from bulletin_press.checks.preflight import check_photos

from .conftest import HEADER, MakeIssue

pytestmark = pytest.mark.slow


def wechat_jpeg(width: int, height: int) -> bytes:
    """A photo as a WeChat group passes it on without 原图: 300×200 pixels."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 150, 60)).save(out, "JPEG", quality=70)
    return out.getvalue()


def test_a_blurred_photo_s_hint_fits_its_placement(make_issue: MakeIssue) -> None:
    folder = make_issue(HEADER + """\
          - id: canteen
            title: 社区食堂春节不打烊 年夜饭套餐开始预订
            body: 年夜饭套餐（4人份，8菜1汤，￥388.00/桌）需提前3天预订，电话021-62195566。
            photos:
              - {file: 微信图片_20270131.jpg, caption: 社区食堂的年夜饭套餐}
              - {file: 微信图片_20270201.jpg, caption: 元宵游园会, placement: full-width}
              - {file: 微信图片_20270202.jpg, caption: 公园, placement: inline, after_paragraph: 1}
        """, {"微信图片_20270131.jpg": wechat_jpeg(300, 200),
              "微信图片_20270201.jpg": wechat_jpeg(300, 200),
              "微信图片_20270202.jpg": wechat_jpeg(300, 200)})
    hints = {d.location.line: d.hint or "" for d in check_photos(build(folder))
             if d.code == "photo.resolution" and d.severity.value == "error"}
    assert set(hints) == {9, 10, 11}
    for line in (9, 11):  # in a column: top (the default) and inline
        assert "placement: top" not in hints[line]
        assert "原图" in hints[line] and "column's width" in hints[line]
    assert "placement: top instead of full-width" in hints[10]


def test_a_one_page_issue_is_one_page(make_issue: MakeIssue) -> None:
    """The example issue `new` makes builds one page: "the issue has 1 pages"."""
    from bulletin_press.checks.preflight import check_pages

    folder = make_issue(HEADER + """\
          - id: flyer
            title: 元宵游园会2月20日举行
            body: 2月20日（正月十五）15:00—21:00在新泾公园举行，咨询电话021-62385230。
        """)
    [finding] = [d for d in check_pages(build(folder)) if d.code == "pages.saddle-stitch"]
    assert finding.message.startswith("the issue has 1 page; ")
    assert "3 blank pages" in finding.message
