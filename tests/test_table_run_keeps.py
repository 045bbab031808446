"""A story's text stays under its headline and photo when the table set across the
page at its end does not fit under that text. The run of columns before such a table
was kept with it (break-before: avoid): WeasyPrint finds no break inside columns, so
the whole run went to the next page with the table, and the page showed the headline
and the full-width photo alone over ~20 empty lines a column (newcomer's F3: 长风新村
表彰优秀志愿者, page 8). Only a short run (a line or three a column) keeps with its
table now (layout/context.py _with_table_heads, style.css .keeps-text)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bulletin_press.build.pipeline import build_runs
from bulletin_press.layout.prepare import prepare
from bulletin_press.pdf.text import page_texts

from .conftest import MakeIssue

LEAD = """\
  - id: lead
    title: 虹桥街道“15分钟社区生活圈”新添三处便民服务点
    byline: 记者 陈思远
    body: |
      3月1日起，虹桥街道在古北路、仙霞路和虹古路新设三处便民服务点，提供修鞋、配钥匙、\
缝补、磨刀和小家电维修等服务，每天8:00—18:00营业，节假日不休息。

      古北路服务点位于古北路1699弄12号（近红宝石路），由来自浙江的修鞋师傅老周和他的徒弟\
Kevin负责；仙霞路服务点设在仙霞路333号菜场二楼，虹古路服务点则在虹古路188号社区食堂旁。

      街道自治办负责人说，三处服务点的房租由街道补贴，服务价格在门口公示，居民可以扫码评价。\
开业一周，三处服务点共接待居民1,286人次，收到表扬留言73条。

      “以前修个拉链要坐两站公交，现在下楼走五分钟就到了。”住在虹古路的独居老人沈阿婆说。\
她的孙女Lily在美国读书，每周都通过视频电话问她“今天去没去服务点聊天”。

      街道还将在今年下半年新增两处服务点，分别位于延安西路2299号和剑河路500弄，届时将提供\
助浴、理发等服务。居民如有建议，可拨打021-6238 1234转8012，或发送邮件至hongqiao_fuwu@163.com。

      服务点的师傅们还自发组成了“巧手志愿队”，每月第一个星期六到各小区开展“修补日”活动。\
3月2日在虹储小区的第一次活动中，志愿队为居民免费修好了41把雨伞、23双鞋子和12台小家电，\
还为行动不便的老人上门修理了7台收音机。

      “我们在这里开店，也是这里的邻居。”老周说，“能帮一点是一点。”他的摊位上挂着一块小黑板，\
写着当天的天气和一句提醒：“今日降温，请添衣。”

      居民张先生是第一批在小程序上评价的人。他说，过去家门口的小修小补越来越难找，很多年轻人\
宁可扔掉也不修，“其实一把伞、一双鞋，修一修还能用好几年，这也是环保”。
"""

PARAGRAPHS = [
    "3月10日上午，虹桥街道在社区文化活动中心召开2026年度垃圾分类工作总结会。一年来，全街道湿垃圾"
    "分出量比上年增长12.6%，可回收物回收量达到1,530吨，十二个小区获评“垃圾分类示范小区”，虹储小区等"
    "三个小区还被评为区级“零废弃社区”。",
    "### 从“撤桶并点”到“定时定点”",
    "虹储小区是一个建于上世纪九十年代的老小区，共有居民1,146户，其中六十岁以上老人占四成。小区刚开始"
    "“撤桶并点”时，不少居民不习惯，有人把垃圾袋挂在树上，有人半夜扔在楼道口。居委会书记李梅带着志愿者"
    "在投放点“站桶”，一站就是三个月，每天早上7:00—9:00、晚上18:00—20:00两个时段，风雨无阻。",
    "### 年轻人带来“新办法”",
    "在古北国际社区，外籍居民占三成以上。来自法国的志愿者Marie Dubois和社区的年轻人一起，把垃圾分类"
    "指南翻译成英、法、日、韩四种语言，还在投放点贴上二维码，扫码就能看到每种垃圾该怎么扔。在某互联网"
    "公司工作的程序员张昊，利用周末时间为社区开发了“分类小助手”，输入物品名称就能查到分类结果，上线"
    "半年使用超过两万次。",
    "“分类其实不难，难的是坚持。”张昊说，“我们做的只是让坚持变得容易一点。”",
    "### 2027年，还要做这些事",
    "街道绿化市容所负责人介绍，2027年将重点推进三项工作：一是在全部32个小区设置“大件垃圾暂存点”，"
    "居民可预约上门清运；二是推广“绿色账户”积分，积分可兑换鸡蛋、洗衣液等日用品；三是在虹桥路、古北路"
    "沿街商铺开展“定时上门收运”，减少沿街垃圾桶。",
    "欢迎居民报名参加垃圾分类志愿服务，可登录“上海志愿者网”（https://www.volunteer.sh.cn）搜索"
    "“虹桥街道”，或拨打021-6238 1234转8015咨询。各示范小区的志愿者联络人如下表。",
]

TABLE = """\
      | 小区名称 | 志愿者联络人 | 志愿服务时段 | 联系电话 |
      | --- | --- | --- | --- |
      | 虹储小区 | 李梅 | 每天7:00—9:00 | 021-6238 1234转8021 |
      | 古北国际社区 | Marie Dubois | 周六9:00—11:00 | 138 1650 2297 |
      | 仙霞新村 | 欧阳建华 | 每天18:00—20:00 | 021-6238 1234转8022 |
      | 虹古小区 | 司马晓东 | 周三、周六全天 | 139 1762 0458 |
      | 剑河家苑 | 阿依古丽·买买提 | 每天7:00—9:00 | 186 2155 0912 |
      | 虹旭小区 | 张昊 | 周日14:00—16:00 | 021-6238 1234转8023 |
      | 延西小区 | 沈阿婆 | 每天9:00—10:00 | 021-6238 1234转8024 |
"""

BOX = """\
  - id: hours
    kind: box
    title: 清明期间社区服务时间
    body: |
      | 服务 | 4月4日 | 4月5日 | 4月6日起 |
      | --- | --- | --- | --- |
      | 社区事务受理中心 | 9:00—12:00 | 暂停 | 正常 |
      | 长者食堂 | 午餐至13:00 | 暂停 | 正常 |
      | 社区卫生服务中心 | 8:00—12:00 | 急诊照常 | 正常 |

      急事请拨打街道24小时值班电话021-6270 4110。
"""


def _manifest(paragraphs: list[str], pages: int | None = 4) -> str:
    body = "".join(f"      {p}\n\n" for p in paragraphs)
    return f"""\
newsletter: 虹桥社区报
publisher: 长宁区虹桥街道
issue: {{number: 3, date: 2027-03-15}}
{f"pages: {pages}" if pages else ""}
articles:
{LEAD}  - id: award
    layout: {{start: new-page-always}}
    section: 文明创建
    title: 虹桥街道表彰2026年度“垃圾分类示范小区”：十二个小区、三千余名志愿者守护“一平方米”
    byline: 通讯员 林晓燕
    photos:
      - {{file: images/award.jpg, caption: 3月10日，示范小区代表在表彰会上合影, credit: 摄影 王建国,
          placement: full-width}}
    body: |
{body}{TABLE}{BOX}"""


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.slow
def test_a_story_s_text_stays_under_its_photo_when_its_table_goes_overleaf(
        make_issue: MakeIssue, sample_photo: Path) -> None:
    """Page 2: the headline, the full-width photo and the text (about 17 lines a column:
    it fits under the photo, its table of 7 rows after it does not). On main the text
    went to page 3 with the table, page 2 held the headline and photo alone."""
    folder = make_issue(_manifest(PARAGRAPHS), {"images/award.jpg": sample_photo})
    pages = [_flat(t) for t in page_texts_of(build_runs(folder, store=False).pdf)]

    def page_of(text: str) -> int:
        found = [n for n, page in enumerate(pages, 1) if _flat(text) in page]
        assert len(found) == 1, (text, found)
        return found[0]

    headline = page_of("示范小区代表在表彰会上合影")  # the photo's caption, under the headline
    assert page_of(PARAGRAPHS[0][:16]) == headline
    # Every paragraph once, in order (the table after them, the box last).
    text = "".join(pages)
    at = -1
    for paragraph in [*PARAGRAPHS, "志愿服务时段", "延西小区", "急事请拨打街道24小时值班电话"]:
        head = _flat(paragraph.lstrip("# "))[:14]
        assert text.count(head) == 1, head
        assert text.index(head) > at, f"out of order: {head}"
        at = text.index(head)
    assert page_of("延西小区") > headline


def page_texts_of(pdf: bytes) -> list[str]:
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        return page_texts(Path(file.name))


def _tables(folder: Path) -> list[str]:
    html = prepare(folder).html.html
    return re.findall(r'<table class="([^"]*table-span[^"]*)"', html)


def test_only_a_short_run_of_text_keeps_with_the_table_across_the_page(
        make_issue: MakeIssue, sample_photo: Path) -> None:
    """Fast (no typesetting): after the whole story the table does not keep its run
    of columns with it; after one short paragraph (two lines a column) it does, as
    before: 2 lines at a page's foot would be cut from the table they introduce."""
    files = {"images/award.jpg": sample_photo}
    long = make_issue(_manifest(PARAGRAPHS), files, name="long")
    assert ["keeps-text" not in t for t in _tables(long)] == [True]
    short = make_issue(_manifest(PARAGRAPHS[-1:]), files, name="short")
    assert ["keeps-text" in t for t in _tables(short)] == [True]
