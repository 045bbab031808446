"""An upright (portrait) phone photo in a column is printed whole: as high as the layout
and the page plan make its box (the lines the plan reckons with, unchanged), as wide
as that makes it, centred, or with its caption beside it where the room beside it
takes the caption. Before, it filled the column's width (object-fit: cover) and lost
its foot: a 3:4 photo the plan made 11 lines high showed 61 % of its height (people's
feet, a notice board's lower half). Session 13's `upright` branch printed it taller
instead, up to half the column, and the page plan then alternated between rounds.

The photos here are stored as a phone stores them (landscape pixels, EXIF
orientation 6) with a band of a colour nothing else on the page has at the top of
the picture as shown, and another at its foot: the rendered page tells which of
them printed."""

from __future__ import annotations

import io

import pdfplumber
import pytest
from PIL import Image, ImageDraw, ImageOps

from bulletin_press.build.pipeline import Built, build
from bulletin_press.checks.preflight import anchor_boxes, check_copyfit, check_photos

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


def drawn(built: Built, anchor: str) -> tuple[int, tuple[float, float, float, float]]:
    """(page, box in pt from the trimmed page's top-left corner) of the photo of the
    figure `anchor`, as drawn (pdfplumber: where the image is painted, uncut)."""
    import pdfplumber

    where = anchor_boxes(built)[anchor]
    assert where.box is not None
    with pdfplumber.open(io.BytesIO(built.pdf)) as pdf:
        page = pdf.pages[where.page - 1]
        trim = page.trimbox or page.mediabox
        def overlap(i: dict[str, float]) -> float:
            wide = min(i["x1"] - trim[0], where.box[2]) - max(i["x0"] - trim[0], where.box[0])
            high = min(i["bottom"] - trim[1], where.box[3]) - max(i["top"] - trim[1],
                                                                  where.box[1])
            return max(wide, 0.0) * max(high, 0.0)

        # The image painted in the figure's box: the one covering most of it (a photo
        # beside it on the page, its caption's side, may touch the box's edge).
        image = max(page.images, key=overlap)
        assert overlap(image) > 0, (anchor, where.box)
        return where.page, (image["x0"] - trim[0], image["top"] - trim[1],
                            image["x1"] - trim[0], image["bottom"] - trim[1])


def bands(built: Built, anchor: str) -> tuple[float, float, float, float]:
    """(top band, foot band, image height, width) as printed, in pt: the rows of the
    photo's box on its rendered page (1 px = 1 pt) that are the top and foot colours,
    down the middle of the photo as drawn."""
    import pypdfium2

    where = anchor_boxes(built)[anchor]
    assert where.box is not None
    number, (ix0, _, ix1, _) = drawn(built, anchor)
    document = pypdfium2.PdfDocument(built.pdf)
    page = document[number - 1]
    # The box is measured from the trimmed page's corner: the PDF's page has the bleed.
    trim = page.get_trimbox()
    media = page.get_mediabox()
    dx, dy = trim[0] - media[0], media[3] - trim[3]
    image = page.render(scale=1).to_pil().convert("RGB")
    _, y0, _, y1 = where.box
    middle = round(dx + (ix0 + ix1) / 2)
    rows = [image.getpixel((middle, y)) for y in range(round(dy + y0), round(dy + y1))]

    def near(pixel: tuple[int, int, int], colour: tuple[int, int, int]) -> bool:
        return max(abs(a - b) for a, b in zip(pixel, colour, strict=True)) < 40

    figure = next(f for f in built.prepared.context.context["articles"][0]["body"]
                  if f["figure"] is not None)["figure"]
    assert figure is not None
    return (sum(near(p, TOP) for p in rows), sum(near(p, FOOT) for p in rows),
            float(figure["image_height"].removesuffix("pt")), ix1 - ix0)


@pytest.mark.parametrize(("width", "height", "beside"),
                         [(1536, 2048, False), (1080, 1920, True), (900, 2700, True)],
                         ids=["3:4", "9:16", "1:3"])
def test_an_upright_photo_in_a_column_is_printed_whole(make_issue: MakeIssue, width: int,
                                                       height: int, beside: bool) -> None:
    """3:4 (a phone's photo, 18 lines at the column's width), 9:16 (a phone's full
    screen, 24) and 1:3 (a screenshot, 40) in a box of 14 lines and a caption line:
    both bands print whole (nothing of the photo is cut), the photo as drawn has its
    own shape, no wider than the column. The 9:16 and 1:3 ones leave room beside them
    for the caption: it is set there, its last line on the photo's foot, and the photo
    takes the caption's line too. The figure takes the lines it took when the photo was
    cropped to the column's width (the page plan's measures): no `photo.cropped`."""
    folder = make_issue(MANIFEST.format(more=""),
                        {"images/IMG_20260728_163045.jpg": phone_photo(width, height)})
    built = build(folder)
    g = built.prepared.layout.geometry
    figure = next(f for f in built.prepared.context.context["articles"][0]["body"]
                  if f["figure"] is not None)["figure"]
    assert figure is not None
    top, foot, image_height, drawn_width = bands(built, "photo-1-1")
    _, (_x0, y0, x1, y1) = drawn(built, "photo-1-1")
    assert top == pytest.approx(image_height * BAND, abs=3), (top, image_height)
    assert foot == pytest.approx(image_height * BAND, abs=3), (foot, image_height)
    assert y1 - y0 == pytest.approx(image_height, abs=0.5)  # drawn within its box: whole
    assert drawn_width == pytest.approx(image_height * width / height, abs=0.5)
    assert drawn_width < g.column_width - 1
    # The lines it takes: as a photo cropped to the column's width (14 at most) and its
    # caption at the column's width.
    assert figure["image_lines"] == 14 and figure["caption_lines"] == 1
    assert figure["lines"] == 15
    assert bool(figure.get("beside")) is beside
    assert image_height == (15 if beside else 14) * g.line
    where = anchor_boxes(built)["photo-1-1"]
    assert where.box is not None
    assert where.box[3] - where.box[1] == pytest.approx(15 * g.line, abs=0.5)
    with pdfplumber.open(io.BytesIO(built.pdf)) as pdf:
        page = pdf.pages[where.page - 1]
        trim = page.trimbox or page.mediabox
        caption = [c for c in page.chars if c["text"] in "正在施工的电梯井道（摄影蒋文斌）"
                   and where.box[1] - 1 < c["top"] - trim[1] < where.box[3] + 1
                   and where.box[0] - 1 < c["x0"] - trim[0] < where.box[2] + 1]
    assert caption
    if beside:  # right of the photo, its last line ending on the photo's foot
        assert min(c["x0"] - trim[0] for c in caption) > x1
        assert max(c["bottom"] - trim[1] for c in caption) == pytest.approx(y1, abs=g.line / 2)
    else:  # under it
        assert min(c["top"] - trim[1] for c in caption) > y1
    assert [d for d in check_photos(built) if d.code == "photo.cropped"] == []


def test_the_story_whose_upright_photos_made_the_plan_alternate_closes_its_pages(
        make_issue: MakeIssue) -> None:
    """tests/test_notice_photos.py's story (two phone photos taken across, two upright,
    then a notice with a logo, `pages: 3`): printed taller, as session 13 built it, its
    upright photos made the page plan alternate between a 4-page round and a 3-page one
    with a 3-line hole. Printed whole at the heights the plan gives them, they are drawn
    at their own shape (3:4), no wider than the column, and the issue closes its 3 pages
    as it did when they were cropped."""
    from .test_notice_photos import ISSUE, _logo, _phone

    folder = make_issue(ISSUE, {
        "images/IMG_20261012_101530.jpg": _phone((1200, 900), 1),
        "images/IMG_20261012_103311.jpg": _phone((900, 1200), 2),
        "images/mmexport1728800000000.jpg": _phone((1080, 810), 3),
        "images/wx_camera_1728900000.jpg": _phone((810, 1080), 4),
        "images/敬老节标志.png": _logo()})
    built = build(folder)
    assert not [d.message for d in check_copyfit(built)
                if d.code in ("copyfit.hole", "copyfit.plan")]
    with pdfplumber.open(io.BytesIO(built.pdf)) as pdf:
        assert len(pdf.pages) == 3
    g = built.prepared.layout.geometry
    upright = [f for article in built.prepared.context.context["articles"]
               for item in article["body"] for f in [item["figure"]]
               if f is not None and f["src"] in ("images/IMG_20261012_103311.jpg",
                                                 "images/wx_camera_1728900000.jpg")]
    assert len(upright) == 2
    for figure in upright:
        _, (x0, y0, x1, y1) = drawn(built, figure["anchor"])
        assert (x1 - x0) / (y1 - y0) == pytest.approx(0.75, abs=0.01)  # whole
        assert x1 - x0 < g.column_width - 1
        assert y1 - y0 == pytest.approx(float(figure["image_height"].removesuffix("pt")),
                                        abs=0.5)
    assert [d for d in check_photos(built) if d.code == "photo.cropped"] == []
