"""A photo above a notice (`placement: top`) is shown whole at a designer's size: a
square logo about a third of the measure wide, a portrait photo as high, centred in
the notice's frame, its height whole lines. Before, it took the frame's width (the
measure, 178 mm) at a column photo's height: the outside tester's square 暑托班 logo
printed as a 178×102 mm band, cropped, and a missing person's portrait lost his head
and feet. The preflight's resolution is the one of the size printed."""

from __future__ import annotations

import io
import random
import re

import pdfplumber
import pytest
from PIL import Image, ImageDraw

from bulletin_press.build.pipeline import build_runs
from bulletin_press.checks.preflight import check_copyfit, check_photos
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

# A story with three phone photos (landscape, portrait, WeChat) ending on page 2, then
# a 敬老月 notice with a square PNG logo above it, a story with a portrait photo and a
# box of phone numbers: `pages: 3`. On main the logo was a 178 mm band cropped to 8 cm,
# the notice did not fit under the story's end, and page 2 was left half empty (4
# pages against 3).
ISSUE = """\
newsletter: 天山社区报
publisher: 长宁区天山路街道
issue: {number: 10, volume: 112, date: 2026-10-20}
layout: two-column
pages: 3
articles:
  - id: 加装电梯
    section: 民生
    title: 天山五村加装电梯“百台”目标提前实现 老人下楼不再难
    subtitle: 今年新开工39台，已有82台投入运行；“一梯一群”微信群管到底
    byline: 记者 顾佳怡  通讯员 Lily Wang
    photos:
      - {file: images/IMG_20261012_101530.jpg, caption: 天山五村12号楼新装电梯投入使用，居民试乘, \
credit: 摄影 顾佳怡}
      - {file: images/IMG_20261012_103311.jpg, caption: 86岁的周阿婆第一次坐电梯下楼买菜, credit: \
居民供图}
      - {file: images/mmexport1728800000000.jpg, caption: 施工方在天山五村18号楼吊装电梯井架, \
credit: 摄影 陆文杰}
    body: |
      10月12日上午，天山五村12号楼的新电梯正式启用。住在六楼的周阿婆今年86岁，腿脚不便，已经两年\
没有自己下过楼。“电梯一开，我就想去菜场看看。”她说。至此，天山路街道既有多层住宅加装电梯累计完成1\
00台，比原计划提前两个月实现“百台”目标。

      记者从街道房管办了解到，今年全街道新开工加装电梯39台，已有82台投入运行，另有18台正在施工。\
加装一台电梯的总费用约为65万元，市、区两级财政补贴最高可达28万元，其余由业主按楼层分摊，一楼、二\
楼的居民通常不出资或少出资。

      ### 难点：意见统一和管线搬迁

      “加装电梯最难的不是施工，是统一意见。”天山五村居委会主任沈美玲说。按照规定，加装电梯须经本\
幢楼三分之二以上业主同意，且不能有强烈反对意见。居委会和志愿者前后上门沟通了四十多次，才让12号楼\
的一楼住户签了字。

      地下管线搬迁是另一个难点。天山五村建于上世纪80年代，燃气、上水和弱电管线分布复杂，部分图纸\
已经缺失。街道协调市北燃气、长宁供水和中国电信（China Telecom）等单位成立联合工作组，现场勘察后再\
定方案，平均每台电梯的管线搬迁时间从45天缩短到20天。

      ### 管理：“一梯一群”管到底

      电梯装好了，谁来管？天山五村的做法是“一梯一群”：每台电梯建一个微信群，业主、物业、维保单位\
和居委会都在群里，电梯出现故障，居民在群里一报，维保人员30分钟内到场。维保费用每年约1.2万元，由受\
益业主按月分摊，每户每月20元到60元不等。

      “以前坐电梯要想着谁家多出了钱，现在大家在群里商量，账目每月公开，没有人有意见。”12号楼楼组\
长、退休教师吴国平说。

      ### 下一步：“应装尽装”

      明年，街道计划再启动加装电梯60台，重点是天山一村、天山四村等老旧小区。有意向的居民可向所在\
居委会咨询，或拨打街道的加装电梯热线021-6259 8877（工作日8:30—17:00），也可登录 https://www.chang\
ning.gov.cn/tianshan/dianti 下载申请材料。

  - id: 敬老节
    kind: notice
    section: 公告
    title: 关于开展2026年天山路街道“敬老月”系列活动的通知
    photos:
      - {file: images/敬老节标志.png, caption: 2026年“敬老月”活动标志, placement: top}
    body: |
      各居民区、全体居民：

      今年10月是全国第17个“敬老月”。为弘扬中华民族孝亲敬老传统美德，街道将于10月20日至11月20日开\
展系列活动，现将有关事项通知如下：

      一、**重阳节慰问**：10月29日（重阳节）上午，各居民区走访慰问辖区内80周岁以上独居老人，送上\
重阳糕和慰问金。

      二、**健康义诊**：10月25日（周日）9:00—11:30，在天山社区卫生服务中心（天山路1151号）举办义\
诊，提供血压、血糖测量和中医咨询，不需预约。

      三、**智能手机课堂**：每周三14:00在社区学校开课，教老人使用“随申办”App挂号、用微信视频通话\
和识别电信诈骗，报名电话021-6259 1234转8012。

      四、**银发摄影展**：征集60岁以上居民的摄影作品，题材不限，请于11月5日前发送至邮箱 tianshan_\
photo@163.com，注明姓名、居民区和联系电话。
    signature: {issuer: 天山路街道办事处, date: 2026-10-15}

  - id: 垃圾厢房
    title: 天山四村垃圾厢房“变身”口袋花园
    byline: 通讯员 钱晓东
    photos:
      - {file: images/wx_camera_1728900000.jpg, caption: 改造后的天山四村垃圾厢房, credit: 居民供\
图}
    body: |
      走进天山四村，原来位于小区中心的垃圾厢房已经不见了踪影，取而代之的是一座种满月季和绣球的口\
袋花园。今年7月，居民区在议事会上讨论决定，把垃圾厢房迁到靠近北门的空地上，原址改造成休闲花园。

      新的垃圾厢房配备了洗手池、除臭喷淋和破袋装置，还安装了智能监控。“以前夏天一开窗就是臭味，现\
在走到楼下都闻不到了。”住在3号楼的李阿姨说。

      花园的设计方案由同济大学景观系的学生志愿者免费完成，花苗由居民认领种植，每户认领一平方米，\
名牌上写着认领人的名字。居民区书记王晓燕介绍，目前已有126户居民认领了花苗，花园的日常养护由“绿手\
指”志愿者队伍负责，每周六上午9:00集中浇水除草。

      下一步，居民区还计划在花园边上设置一个“旧物交换角”，每月第一个周日开放，居民可以把闲置的书\
籍、玩具和小家电拿来交换。有意见和建议可拨打居委会电话021-6259 4433。

  - id: 服务电话
    kind: box
    title: 社区服务电话
    body: |
      | 服务 | 电话 |
      | --- | ---: |
      | 街道城运中心（24小时） | 021-6238 0110 |
      | 天山社区卫生服务中心 | 021-6259 1151 |
      | 加装电梯服务热线 | 021-6259 8877 |
      | 社区事务受理中心 | 021-6259 2020转8012 |
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


def _phone(size: tuple[int, int], seed: int) -> bytes:
    """A phone photo's stand-in: blocks of colour (edges, so not judged blurred)."""
    rng = random.Random(seed)
    image = Image.new("RGB", size, (rng.randint(60, 200),) * 3)
    draw = ImageDraw.Draw(image)
    for _ in range(60):
        x, y = rng.randint(0, size[0]), rng.randint(0, size[1])
        draw.rectangle((x, y, x + rng.randint(20, 250), y + rng.randint(20, 250)),
                       fill=tuple(rng.randint(0, 255) for _ in range(3)))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def _bodies() -> list[list[str]]:
    """Each article's paragraphs (list items, table rows) as printed, markup out."""
    found: list[list[str]] = []
    body = False
    for line in ISSUE.splitlines():
        text = line.strip()
        if text.startswith("- id:"):
            found.append([])
            body = False
        elif text.startswith("body: |"):
            body = True
        elif body and text and not text.startswith(("###", "| ---", "signature")):
            # A table's row: its cells read as one (a header of short words left out).
            cells = "".join(re.sub(r"\*\*|^- ", "", text).strip("|").split("|"))
            if len(cells.replace(" ", "")) > 4:
                found[-1].append(cells)
    return found


def test_a_story_s_photos_then_a_notice_with_a_logo_close_their_pages(
        make_issue: MakeIssue) -> None:
    folder = make_issue(ISSUE, {
        "images/IMG_20261012_101530.jpg": _phone((1200, 900), 1),
        "images/IMG_20261012_103311.jpg": _phone((900, 1200), 2),
        "images/mmexport1728800000000.jpg": _phone((1080, 810), 3),
        "images/wx_camera_1728900000.jpg": _phone((810, 1080), 4),
        "images/敬老节标志.png": _logo()})
    built = build_runs(folder, store=False)
    findings = list(check_copyfit(built))
    # Its 3 planned pages, and no column but the last page's more than 2 lines short.
    assert not [d.message for d in findings if d.code in ("copyfit.hole", "copyfit.plan")]
    with pdfplumber.open(io.BytesIO(built.pdf)) as doc:
        assert len(doc.pages) == 3
        printed = []
        for page in doc.pages:
            mid = float(page.trimbox[2] - page.trimbox[0]) / 2
            printed.append("".join(line.text for line in sorted(
                lines_of(page), key=lambda line: (line.x0 >= mid, line.top))))
    text = re.sub(r"\s+", "", "".join(printed))
    # Every paragraph once, in order within its article.
    for paragraphs in _bodies():
        at = -1
        for paragraph in paragraphs:
            head = re.sub(r"\s+", "", paragraph)[:20]
            assert text.count(head) == 1, head
            assert text.index(head) > at, head
            at = text.index(head)
