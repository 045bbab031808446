"""A photo above a notice (`placement: top`) is shown whole at a designer's size: a
square logo about a third of the measure wide, a portrait photo as high, centred in
the notice's frame, its height whole lines. Before, it took the frame's width (the
measure, 178 mm) at a column photo's height: the outside tester's square 暑托班 logo
printed as a 178×102 mm band, cropped, and a missing person's portrait lost his head
and feet. The preflight's resolution is the one of the size printed."""

from __future__ import annotations

import io
import re

import pdfplumber
import pytest
from PIL import Image, ImageDraw

from bulletin_press.build.pipeline import build_runs
from bulletin_press.checks.preflight import check_photos
from bulletin_press.layout.geometry import PT_PER_MM
from bulletin_press.pdf.text import in_trim, lines_of

from .conftest import MakeIssue

pytestmark = pytest.mark.slow

MANIFEST = """\
newsletter: 虹桥社区报
publisher: 长宁区虹桥街道
issue: {number: 3, volume: 58, date: 2027-03-01}
layout: two-column
articles:
  - id: 医保
    kind: notice
    section: 通知
    title: 关于做好2027年度城乡居民基本医疗保险参保登记的通知
    photos:
      - {file: images/logo.png, caption: 长宁区医疗保障局标志, placement: top}
    body: |
      各居民区、全体居民：

      2027年度城乡居民医保集中登记缴费期为2026年9月1日至12月25日。未参加职工医保的本市户籍居民、\
持《上海市居住证》满一年的外省市居民及其子女，请在期内到居住地居委会或街道社区事务受理服务中心（虹桥\
路1286号）办理登记。

      **个人缴费标准**：70周岁以上每人每年525元，60—69周岁每人每年765元，中小学生和婴幼儿每人每年2\
80元；低保、特困人员个人缴费部分由政府全额补助。

      **网上办理**：可通过“随申办”App或 https://zwdt.sh.gov.cn/govPortals/ybdj?area=changning 在线\
登记，缴费可用支付宝、微信或银联（UnionPay）云闪付。

      **咨询电话**：021-6238 1234 转8012（工作日8:30—17:00），或拨打12393医保服务热线。
    signature: {issuer: 长宁区虹桥街道社区事务受理服务中心, date: 2026-08-25}

  - id: 新闻
    section: 社区
    title: 虹桥街道“家门口”服务站开到第18家
    body: |
      2月26日，古北路1500弄服务站正式开放，这是虹桥街道今年开出的第18家“家门口”服务站。站内设有\
医保代办、老年助餐和法律咨询等12项服务，周一至周六9:00—20:00开放。

      街道党工委书记介绍，下一步将把服务站延伸到荣华东道沿线的外籍人士聚居区，提供中英文双语（Ch\
inese-English）服务，并招募30名懂外语的志愿者。

  - id: 寻人
    kind: notice
    section: 启事
    title: 寻人启事
    photos:
      - {file: images/portrait.jpg, caption: 走失老人王建国近照, placement: top}
    body: |
      王建国，男，78岁，身高约1.70米，患有阿尔茨海默病，说上海话。2月27日下午3时许从虹桥路1000弄家\
中走出，至今未归。走失时身穿深蓝色羽绒服、灰色长裤，戴黑色毛线帽，脚穿黑色棉鞋。

      如有知情者，请拨打138 1620 9077（王女士）或021-6238 1234转8012（虹桥派出所），定当重谢。
    signature: {issuer: 家属 王丽, date: 2027-02-28}
"""

LINE = 18.0  # the layout's line (layout.yaml line_pt)


def _logo() -> bytes:
    """A square PNG logo with transparent corners: a filled disc and a bar."""
    image = Image.new("RGBA", (500, 500), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, 490, 490), fill=(0, 120, 200, 255))
    draw.rectangle((100, 220, 400, 280), fill=(255, 255, 255, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _portrait() -> bytes:
    """A phone's portrait photo (3:4): a head at the top, feet at the bottom."""
    image = Image.new("RGB", (900, 1200), (200, 190, 170))
    draw = ImageDraw.Draw(image)
    draw.ellipse((350, 40, 550, 240), fill=(230, 180, 150))
    draw.rectangle((330, 1100, 570, 1190), fill=(30, 30, 30))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def test_a_notice_s_logo_and_portrait_are_shown_whole_at_a_designer_s_size(
        make_issue: MakeIssue) -> None:
    folder = make_issue(MANIFEST, {"images/logo.png": _logo(),
                                   "images/portrait.jpg": _portrait()})
    built = build_runs(folder, store=False)
    drawn = []
    with pdfplumber.open(io.BytesIO(built.pdf)) as doc:
        text = ""
        for page in doc.pages:
            lines = lines_of(page)
            text += "".join(line.text for line in lines)
            width = float(page.trimbox[2] - page.trimbox[0])
            for image in in_trim(page, page.images):
                captions = [line for line in lines if line.top >= image["top"] - 1
                            and ("标志" in line.text or "近照" in line.text)]
                drawn.append((image, width, captions[0] if captions else None))
    assert len(drawn) == 2
    measure = 2 * 241.5 + 21
    for (image, width, caption), source in zip(drawn, ((500, 500), (900, 1200)), strict=True):
        wide, high = image["x1"] - image["x0"], image["bottom"] - image["top"]
        # Whole: drawn at the file's proportions, nothing of it under its caption.
        assert wide / high == pytest.approx(source[0] / source[1], rel=0.01)
        assert caption is not None
        assert image["bottom"] <= caption.top + 0.5, (image["bottom"], caption.top)
        # A third of the measure high (a square logo a third of it wide), on the grid;
        # the page plan may make it 75–125 % of that.
        third = round(measure / 3 / LINE)
        assert high / LINE == pytest.approx(round(high / LINE), abs=0.01)
        assert 0.75 * third <= round(high / LINE) <= 1.25 * third
        assert wide <= 1.25 * measure / 3
        # Centred in the frame, which is centred on the page.
        assert (image["x0"] + image["x1"]) / 2 == pytest.approx(width / 2, abs=1)
    # The check's resolution is the one of the size printed (57 mm wide, not 178).
    logo = drawn[0][0]
    mm = (logo["x1"] - logo["x0"]) / PT_PER_MM
    found = [d.message for d in check_photos(built) if d.code == "photo.resolution"]
    assert any("logo.png" in m and f"printed {mm:.0f}×{mm:.0f} mm" in m for m in found), found
    # Every paragraph once, in order within its article (the page plan may set a
    # notice after the story that follows it).
    flat = re.sub(r"\s+", "", text)
    for heads in (("2027年度城乡居民医保集中登记", "个人缴费标准", "网上办理", "咨询电话"),
                  ("2月26日，古北路1500弄", "街道党工委书记"), ("王建国，男，78岁", "如有知情者")):
        at = -1
        for head in heads:
            assert flat.count(head) == 1, head
            assert flat.index(head) > at, head
            at = flat.index(head)
