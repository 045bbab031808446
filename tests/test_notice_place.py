"""A notice set whole that went on to the next page, leaving page 1 short, is set
after the article that followed it (page_plan.moved_notice); when it is then set in
parts (notice_parts.parts: it moved on from a page it left short), it went on from
after that article, which is a box in one column: the column beside the box stayed
empty above the notice's frame, and under them only the notice's title and first
lines were left before （续下页） (the outside tester's summer issue: its 防汛 notice's
first part held only its title). A notice set in parts goes back to its own place:
it fills page 1 under the contents, and the box follows it."""

from __future__ import annotations

import io
import re

import pdfplumber
from PIL import Image

from bulletin_press.build.pipeline import build_runs
from bulletin_press.checks.preflight import check_copyfit
from bulletin_press.pdf.text import lines_of, trim_width

from .conftest import MakeIssue

MANIFEST = """\
newsletter: 仙霞社区报
publisher: 长宁区仙霞新村街道
issue: {number: 12, volume: 96, date: 2026-12-05}
layout: two-column
pages: 4
articles:
  - id: 停水通知
    kind: notice
    section: 公告
    title: 关于2026年12月仙霞新村地区供水管网改造期间分片停水的通知
    body: |
      各居民区、各物业服务企业、沿街各单位及全体居民：

      为提升仙霞新村地区供水水质和水压，上海城投水务集团将于12月8日至12月19日对茅台路、仙霞路沿线\
DN300老旧供水管道进行翻排改造。施工期间将分片暂停供水，现将有关事项通知如下：

      一、**停水时间**：每片区停水一次，时长约10小时（8:00—18:00），如遇雨雪天气顺延，顺延安排另\
行张贴于各楼道口。

      二、请居民在停水前一天晚上储备足够的生活用水，关好家中水龙头；恢复供水初期水质可能发黄，请\
放水3—5分钟至水清后再使用。

      三、独居老人、行动不便的居民如需送水服务，请提前一天联系所在居委会登记，志愿者将在停水当天\
上午10:00前把桶装水送到家门口。

      四、各片区停水日期及联系人如下：

      | 片区 | 停水日期 | 联系人 | 电话 |
      | --- | --- | --- | --- |
      | 仙霞新村一至三街坊 | 12月8日（周二） | 何建明 | 021-6259 3301 转201 |
      | 仙霞新村四至六街坊 | 12月10日（周四） | 沈美玲 | 139 1705 6623 |
      | 虹古路沿线商铺 | 12月11日（周五） | 褚国强 | 021-6259 7788 |
      | 茅台路568弄、588弄 | 12月14日（周一） | 卫晓东（物业经理） | 021-6270 4410 转3 |
      | 威宁路沿线小区 | 12月15日（周二） | 蒋丽君 | 186 2170 0453 |
      | 仙霞路660弄至700弄 | 12月16日（周三） | 韩志强 | 021-6259 1108 |
      | 剑河路沿线单位 | 12月17日（周四） | 杨春燕（街道城建办） | 021-6238 0110 转5 |
      | 在建工地、临时摊位 | 12月18日（周五） | 朱海波（安监所） | 138 1620 9077 |

      五、停水期间如发现管道漏水、路面积水等情况，请拨打供水热线962740或街道城运中心24小时值班电\
话021-6238 0110。施工进度可在“上海供水”微信公众号或 https://www.shwater.example.cn/xianxia/2026-1\
2 查询。给大家带来的不便，敬请谅解。
    signature:
      issuer: [仙霞新村街道城市运行管理中心, 上海城投水务（集团）有限公司]
      date: 2026-12-03

  - id: 取暖提示
    kind: box
    title: 冬季取暖安全提示
    body: |
      - **电热毯**：使用前检查有无破损、折痕，睡前关掉电源，不要整夜通电。
      - **取暖器**：远离窗帘、被褥和衣物至少1米，不要在取暖器上烘烤衣物；外出时拔下插头。
      - **燃气热水器**：洗澡时保持通风，出现头晕、乏力立即开窗并拨打120；燃气泄漏请拨打962777。
      - **电动车**：不要推进楼道、家中充电，请到小区集中充电棚；充电时间不超过8小时。
      - **独居老人**：请子女每天电话问候一次；社区“一键通”呼叫器故障可拨打021-6259 3301报修。

  - id: 食堂
    title: 仙霞社区长者食堂三周年：每天供应午餐680份，新增晚餐和送餐上门
    subtitle: 街道与三家餐饮企业合作，推出低盐低糖套餐和节气菜单
    byline: 记者 邵明华
    photos:
      - {file: images/a.jpg, caption: 老人们在仙霞社区长者食堂用午餐, credit: 摄影 邵明华}
      - {file: images/b.jpg, caption: 送餐志愿者出发为独居老人送餐, credit: 居民供图}
    body: |
      12月1日中午11点，仙霞社区长者食堂里已经坐满了老人。今年是食堂开业的第三年，记者从街道民政科\
了解到，食堂目前每天供应午餐约680份，比开业第一年的310份翻了一番还多；今年10月起新增的晚餐，每天\
也有120多位老人前来用餐。

      “一荤两素一汤，12块钱，比自己烧还便宜。”住在仙霞新村五街坊的张阿婆今年83岁，她说，“以前一个\
人懒得烧，经常泡饭对付，现在天天来，还能和老姐妹聊聊天。”

      ### 低盐低糖，菜单按节气换

      食堂负责人钟伟告诉记者，针对老人普遍患有高血压、糖尿病的情况，食堂和华东医院营养科合作，推\
出了低盐低糖套餐，每道菜标注热量和含盐量。菜单每两周更新一次，还按二十四节气推出时令菜，冬至那天\
会供应羊肉汤和酒酿圆子。

      对于行动不便的老人，食堂开通了送餐上门服务，由社区志愿者和外卖平台骑手配送，目前每天送餐约1\
50份。老人可以通过“随申办”App、微信小程序或拨打021-6259 3366订餐，每份加收配送费2元，低保和特困老\
人免收。

      ### 下一步：开设第二家分店

      街道民政科科长龚晓雯表示，明年上半年将在威宁路开设第二家长者食堂，预计可容纳90人同时用餐。\
同时，街道还计划在剑河路的社区服务站开设助餐点，让附近小区的老人步行10分钟就能吃上热饭热菜。

      “下一步，我们还要探索‘中央厨房+社区配送’的模式，让更多老人受益。”龚晓雯说。

      今年以来，食堂还吸引了不少年轻人。附近写字楼的白领吴小姐说，她经常中午来这里吃饭，“价格实惠\
，菜也清淡，关键是干净放心”。按照规定，非老年人用餐需按成本价支付，每份18元。
"""


def _photo(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1600, 1200), colour).save(out, "JPEG", dpi=(300, 300))
    return out.getvalue()


def _paragraphs() -> list[str]:
    """The notice's paragraphs, the box's entries and the story's paragraphs, as
    printed (markup out), in the manifest's order."""
    body = MANIFEST[MANIFEST.index("    body: |"):]
    found = []
    for line in body.splitlines():
        text = line.strip()
        if not text or text.startswith(("|", "#", "- {", "signature", "issuer", "date", "- id",
                                        "kind", "section", "title", "subtitle", "byline",
                                        "photos", "body")):
            continue
        found.append(re.sub(r"\*\*|^- ", "", text))
    return found


def test_a_notice_in_parts_starts_at_its_own_place_not_after_the_box(
        make_issue: MakeIssue) -> None:
    folder = make_issue(MANIFEST, {"images/a.jpg": _photo((120, 150, 90)),
                                   "images/b.jpg": _photo((90, 110, 160))})
    built = build_runs(folder, store=False)
    pages = built.anchor_pages()
    # The notice opens page 1 under the contents and goes on to page 2; the box follows.
    assert pages["article-停水通知"] == 1
    assert pages["article-停水通知-part-2-foot"] == 2
    assert pages["article-取暖提示"] == 2
    holes = [d.message for d in check_copyfit(built) if d.code == "copyfit.hole"
             and d.location is not None and d.location.page == 1]
    assert not holes, holes
    with pdfplumber.open(io.BytesIO(built.pdf)) as doc:
        # Read column by column (the halves of a line across the page: the left first).
        printed = []
        for page in doc.pages:
            mid = trim_width(page) / 2
            printed.append("".join(line.text for line in sorted(
                lines_of(page), key=lambda line: (line.x0 >= mid, line.top))))
    text = re.sub(r"\s+", "", "".join(printed))
    # Each paragraph once, in order (a part's （续下页） and the next part's title between).
    at = 0
    for paragraph in _paragraphs():
        head = re.sub(r"\s+", "", paragraph)[:12]
        assert text.count(head) == 1, head
        where = text.index(head)
        assert where > at, head
        at = where
    # The notice's first part holds more than its title and salutation: at least three
    # lines of its text on page 1 above （续下页）.
    first = printed[0]
    assert "（续下页）" in first
    opening = first[first.index("全体居民：") + len("全体居民："):first.index("（续下页）")]
    assert len(re.sub(r"\s+", "", opening)) >= 3 * 40
