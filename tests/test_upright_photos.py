"""An upright (portrait) phone photo cropped to its box in a column keeps its top,
where heads and signs are, and loses its foot. Before, object-fit: cover kept its
middle: the 电梯井 施工中 sign at the top of the outside tester's photo (session 13)
was cut in half. (Printing it whole up to half the column, as the `upright` helper
built, made the page plan of tests/test_notice_photos.py end with a 3-line hole: not
merged.)

The photos here are stored as a phone stores them (landscape pixels, EXIF
orientation 6) with a band of a colour nothing else on the page has at the top of
the picture as shown, and another at its foot: the rendered page tells which of
them printed."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw, ImageOps

from bulletin_press.build.pipeline import Built, build
from bulletin_press.checks.preflight import anchor_boxes, check_photos

from .conftest import MakeIssue

pytestmark = pytest.mark.slow

TOP = (255, 0, 255)  # magenta: the band at the photo's top (heads, a sign)
FOOT = (0, 255, 255)  # cyan: the band at its foot
BAND = 0.1  # each band's share of the photo's height

MANIFEST = """\
newsletter: 枫林通讯
publisher: 徐汇区枫林路街道办事处
issue: {{number: 8, volume: 312, date: 2026-08-10}}
layout: two-column
articles:
  - id: 加梯
    section: 民生
    title: 宛南六村21号楼：等了八年的电梯终于来了
    byline: 记者 蒋文斌
    photos:
      - file: images/IMG_20260728_163045.jpg
        caption: 正在施工的电梯井道（摄影 蒋文斌）
        placement: inline
        after_paragraph: 1
    body: |
      7月26日上午，宛南六村21号楼前的空地上摆起了一张长桌，18户居民代表依次在加装电梯协议上签下名字。\
“从2018年第一次提出来，到今天签约，整整八年。”住在6楼的退休教师周阿姨眼眶有些湿润。

      21号楼建于1987年，是一栋6层的老公寓，楼里60岁以上的老人占了一半。因为低层住户担心采光、噪音和\
维修费用分摊，加梯的事一直没谈拢。今年3月，居委会引入“听证会、协调会、评议会”三会制度，请来规划师\
现场讲解方案，把电梯井道从南侧调整到北侧，并约定1楼、2楼住户不承担建设费用。经过5次协调会，同意率从\
61%提高到100%。

      据了解，该电梯预计10月底前投入使用。街道房管办提醒，有加梯意愿的楼组可拨打咨询\
电话021-6238 1234转8012，或关注“枫林路街道”微信公众号，在“办事指南——加装电梯”栏目查询政策（网址：\
https://www.xuhui.gov.cn/fenglin/bszn/jzdt/index.html）。

      居委会书记马丽萍说：“加梯不只是装一台电梯，更是一次邻里关系的重建。大家坐下来算清账、说开了，\
事情就好办了。”{more}
"""


def phone_photo(width: int, height: int) -> bytes:
    """An upright photo `width`×`height` as shown, stored landscape with EXIF
    orientation 6 (a phone's), its top and foot bands coloured."""
    shown = Image.new("RGB", (width, height), (120, 140, 110))
    draw = ImageDraw.Draw(shown)
    band = round(height * BAND)
    draw.rectangle((0, 0, width, band - 1), fill=TOP)
    draw.rectangle((0, height - band, width, height), fill=FOOT)
    stored = shown.transpose(Image.Transpose.ROTATE_90)  # the sensor's landscape
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to show
    out = io.BytesIO()
    stored.save(out, "JPEG", exif=exif.tobytes(), quality=92)
    data = out.getvalue()
    assert ImageOps.exif_transpose(Image.open(io.BytesIO(data))).size == (width, height)
    return data


def bands(built: Built, anchor: str) -> tuple[float, float, float, float]:
    """(top band, foot band, image height, width) as printed, in pt: the rows of the
    photo's box on its rendered page (1 px = 1 pt) that are the top and foot colours."""
    import pypdfium2

    where = anchor_boxes(built)[anchor]
    assert where.box is not None
    document = pypdfium2.PdfDocument(built.pdf)
    page = document[where.page - 1]
    # The box is measured from the trimmed page's corner: the PDF's page has the bleed.
    trim = page.get_trimbox()
    media = page.get_mediabox()
    dx, dy = trim[0] - media[0], media[3] - trim[3]
    image = page.render(scale=1).to_pil().convert("RGB")
    x0, y0, x1, y1 = where.box
    middle = round(dx + (x0 + x1) / 2)
    rows = [image.getpixel((middle, y)) for y in range(round(dy + y0), round(dy + y1))]

    def near(pixel: tuple[int, int, int], colour: tuple[int, int, int]) -> bool:
        return max(abs(a - b) for a, b in zip(pixel, colour, strict=True)) < 40

    figure = next(f for f in built.prepared.context.context["articles"][0]["body"]
                  if f["figure"] is not None)["figure"]
    assert figure is not None
    return (sum(near(p, TOP) for p in rows), sum(near(p, FOOT) for p in rows),
            figure["image_lines"] * 18.0, x1 - x0)


@pytest.mark.parametrize(("width", "height"), [(1536, 2048), (1080, 1920), (900, 2700)],
                         ids=["3:4", "9:16", "1:3"])
def test_an_upright_photo_keeps_its_top(make_issue: MakeIssue, width: int,
                                        height: int) -> None:
    """3:4 (a phone's photo, 18 lines whole at the column's width), 9:16 (a phone's
    full screen, 24) and 1:3 (a screenshot, 40), each printed lower than that: the
    top band prints whole, the foot band not at all."""
    folder = make_issue(MANIFEST.format(more=""),
                        {"images/IMG_20260728_163045.jpg": phone_photo(width, height)})
    built = build(folder)
    top, foot, image_height, box_width = bands(built, "photo-1-1")
    natural = box_width * height / width  # its height at the column's width
    assert image_height < natural - natural * BAND  # cropped by more than its foot band
    assert top == pytest.approx(natural * BAND, abs=3), (top, natural)  # the top band whole
    assert foot == 0  # the foot is cut, not the top
    cropped = [d for d in check_photos(built) if d.code == "photo.cropped"]
    if image_height / natural < 0.65:  # the preflight says so when much is cut
        [cut] = cropped
        assert "its top is kept" in cut.message and "of its foot cut off" in cut.message
    else:
        assert cropped == []
