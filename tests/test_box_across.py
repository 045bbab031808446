"""A box that would stand alone on a page goes across the page under a notice
(issue 18, items 1 and 3; layout/page_plan.py `box_across`). With `pages: 4`,
the 便民服务电话 box that ends the issue did not fit under the story's last lines
on page 4 and stood alone at the top of page 5 above the colophon; page 2 holds
a notice across the page with room under it that the plan took for 6 lines: the
typesetter's vertical justification spread the notice's paragraphs, and its
lines were counted in the first column only (the notice's left edge). Set across
the page under the notice, the box fits there, its entries on full-width lines,
and the issue fills its 4 pages. Own material: 《仙霞社区报》, a lead story with a
photo across the page, a 医保 notice with a URL and phone numbers, a reading
festival story that opens a new page with three photos and subheads, the box of
phone numbers (021-6275 1234转8012, 12345, English names)."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from bulletin_press.build.pipeline import build, build_runs
from bulletin_press.layout import page_plan
from bulletin_press.layout.context import ArticleContext
from bulletin_press.layout.page_plan import Measure, PagePlan
from bulletin_press.layout.prepare import prepare
from bulletin_press.pdf.text import body_text, page_texts

from .conftest import MakeIssue
from .test_page_plan import (
    _paragraphs,
    _write,
    assert_colophon_at_foot,
    assert_no_holes,
    assert_paragraphs_once_in_order,
)
from .test_spill_back import _body, _photo

LEAD = [
    "入冬以来，仙霞新村街道虹古路以北的7个老旧小区陆续完成“美丽家园”改造，涉及住宅楼112幢、居民4,600余户。"
    "改造后的小区，屋面不再漏水，楼道灯换成了声控节能灯，雨污水管也全部分流。",
    "“以前一下大雨，楼下的路就成了小河。”家住虹古路251弄的居民徐阿姨说，今年7月排水管网翻新后，"
    "小区再也没有积过水，她终于敢在雨天出门买菜了。",
    "改造前，街道请设计单位逐楼踏勘，召开居民议事会23场，把“居民点单”放在第一位：加装扶手、"
    "增设休息座椅、拓宽消防通道，这些需求都写进了施工图。",
    "小区里的“口袋公园”是居民最喜欢的地方。原先的一块空地被改造成健身步道和儿童游戏区，"
    "步道全长380米，铺设了透水塑胶，傍晚散步的居民络绎不绝。",
    "街道城建中心负责人介绍，改造资金由市、区两级财政承担，居民不需要出钱。施工期间，"
    "项目部每天公示作业内容和噪声时段，投诉电话021-6275 3300转2号线24小时有人接听。",
    "明年，街道还将对茅台路沿线的5个小区实施改造，同步推进二次供水设施更新和架空线入地，"
    "方案将在各居委会公示栏和“仙霞新村”微信公众号公布，欢迎居民提出意见。",
]

NOTICE = [
    "各居民区、各位居民：",
    "2027年度本市城乡居民基本医疗保险参保缴费工作已经开始，现将有关事项通知如下：",
    "一、参保对象：具有本市户籍、未参加职工医保的城乡居民；持有本市居住证且积分达到标准分值的人员及其同住子女。",
    "二、缴费时间：2026年12月1日至2027年2月28日，逾期缴费的，自缴费次月起享受待遇。",
    "三、缴费标准：70周岁以上老人每人每年515元，60—69周岁每人每年715元，中小学生和婴幼儿每人每年250元。",
    "四、缴费方式：可通过“随申办”App、支付宝、各大银行网点缴纳，也可到街道社区事务受理服务中心现场办理。",
    "五、网上办理：登录“一网通办”https://zwdt.sh.gov.cn/govPortals/xianxia/yibao "
    "查询缴费记录和待遇标准。",
    "六、咨询电话：021-6275 1234转8012（街道社区事务受理服务中心），联系人：王丽华、Kevin Zhang。",
    "七、特别提醒：医保部门不会通过电话、短信要求转账，请勿点击陌生链接；如有疑问请拨打12345市民服务热线。",
]

FESTIVAL = [
    "11月{n}日，仙霞新村街道第五届社区读书节在虹古路社区文化活动中心开幕，来自14个居民区的"
    "300余名居民参加了开幕式，现场还举行了“书香家庭”颁奖仪式。",
    "本届读书节为期一个月，共安排读书分享会、亲子共读、旧书交换、朗诵比赛等活动{n}场，"
    "其中“老物件里的故事”主题分享会报名人数最多，名额在两天内就被抢空。",
    "家住天山二村的退休教师黄老师带来了珍藏{n}年的连环画，他说：“这些书陪了我半辈子，"
    "希望年轻人也能看看我们那个年代的故事。”",
    "旧书交换集市上，居民用一本旧书就能换一本“心仪好书”，还可以把书放进小区的“共享书柜”。"
    "目前街道已在楼组里设立共享书柜{n}个，累计流转图书6,800余册。",
    "朗诵比赛吸引了不少中小学生。茅台路小学五年级学生Amy Li用中英文朗诵了《少年中国说》，"
    "获得少儿组一等奖，她说最喜欢的是第{n}段。",
    "街道图书馆馆长介绍，读书节期间，居民凭社保卡可借阅图书{n}册，借阅期限延长至60天，"
    "馆内还开设了“长者数字阅读课”，手把手教老人使用电子书。",
    "下一步，街道将把读书节的活动延伸到楼组和睦邻点，计划每月举办一次“楼道读书会”，"
    "活动预告将在www.xianxia.example.cn/read和居委会公告栏第{n}期发布。",
]
FESTIVAL_HEADS = ["书香进楼组", "旧书换新知", "长者也爱读"]

PHONES = [
    "街道社区事务受理服务中心：021-6275 0001（周一至周六8:30—17:00）；",
    "街道城建中心（美丽家园改造）：021-6275 3300转2，夜间021-6275 3399；",
    "虹古路社区卫生服务中心家庭医生签约：021-6259 6120；",
    "长者食堂订餐：021-6275 1234转8015，每天上午10点前预订；",
    "市民服务热线：12345；反诈专线：96110（Anti-fraud hotline）。",
]


def _festival(count: int) -> list[str]:
    """`count` paragraphs (each with its own number), a subhead after every fourth."""
    out: list[str] = []
    for i in range(count):
        out.append(FESTIVAL[i % len(FESTIVAL)].format(n=12 + i * 3))
        if i % 4 == 3 and i < count - 1:
            out.append("### " + FESTIVAL_HEADS[(i // 4) % len(FESTIVAL_HEADS)])
    return out


def _issue(make_issue: MakeIssue, festival: int, pages: int | None = 4) -> Path:
    planned = f"pages: {pages}\n" if pages else ""
    manifest = f"""\
newsletter: 仙霞社区报
publisher: 长宁区仙霞新村街道办事处
issue: {{number: 12, volume: 18, date: 2026-12-10}}
layout: two-column
{planned}colophon:
  office: 《仙霞社区报》编辑部
  address: 上海市长宁区虹古路258号（仙霞新村街道社区文化活动中心2楼）
  postcode: "200336"
  phone: 021-6275 1234转8010
  email: xxsqb@xianxia.example.cn
  note: 内部资料 免费赠阅
articles:
  - id: homes
    section: 城建
    title: “美丽家园”改造让老小区焕然一新 4600余户居民受益
    byline: 记者 陆嘉怡
    photos:
      - {{file: images/homes.jpg, caption: 改造后的虹古路251弄, placement: full-width}}
    body: |
{_body(LEAD)}  - id: yibao
    kind: notice
    section: 公告
    title: 关于做好2027年度城乡居民基本医疗保险参保缴费工作的通知
    body: |
{_body(NOTICE)}    signature:
      issuer: 仙霞新村街道社区事务受理服务中心
      date: 2026-12-05
  - id: reading
    section: 文化
    title: 第五届社区读书节开幕 书香飘进楼组
    layout: {{start: new-page}}
    photos:
      - {{file: images/reading-1.jpg, caption: 居民在旧书交换集市上挑选图书}}
      - {{file: images/reading-2.jpg, caption: 朗诵比赛现场, placement: inline,
         after_paragraph: 4}}
      - {{file: images/reading-3.jpg, caption: 楼组里的共享书柜, placement: inline,
         after_paragraph: 9}}
    body: |
{_body(_festival(festival))}  - id: phones
    kind: box
    title: 便民服务电话
    body: |
{_body(PHONES)}"""
    files: dict[str, bytes | str | Path] = {
        "images/homes.jpg": _photo(1), "images/reading-1.jpg": _photo(2),
        "images/reading-2.jpg": _photo(3), "images/reading-3.jpg": _photo(4)}
    return make_issue(manifest, files, name=f"across-{festival}-{pages}")


FESTIVAL_PARAGRAPHS = 26  # on main: 5 pages, the box alone on page 5 above the colophon


def _flows_and_anchors(make_issue: MakeIssue) -> tuple[list[list[ArticleContext]],
                                                       dict[str, str]]:
    context = prepare(_issue(make_issue, FESTIVAL_PARAGRAPHS)).context.context
    return context["flows"], {a["id"]: a["anchor"] for a in context["articles"]}


def test_the_box_goes_under_the_notice_whose_room_is_counted_without_its_spread(
        make_issue: MakeIssue) -> None:
    """The issue's first round as measured: page 2 holds the notice, drawn to line 36
    of 41 with the 11 lines the typesetter's vertical justification gave it (counted
    in the first column); page 5 the box alone (11 lines in a column). Across the page
    its five entries take a line each: it fits under the notice as the text leaves
    it, not in the 5 lines the drawn notice leaves."""
    flows, a = _flows_and_anchors(make_issue)
    pages = {a["homes"]: 1, a["yibao"]: 2, a["reading"]: 3, a["phones"]: 5}
    fills = [[41, 40], [31, 36], [41, 41], [41, 38], [11, 0]]
    give = [[], [11, 0], [0, 3], [1, 8], []]
    measure = Measure(fills, pages, give=give)
    heads = {a["phones"]: 0.0}
    assert page_plan.box_across(flows, measure, heads, 41, 2, 23) == (a["phones"], a["yibao"])
    # As drawn (no spread known): 5 lines under the notice, too few even across.
    assert page_plan.box_across(flows, Measure(fills, pages), heads, 41, 2, 23) is None
    # Not a box beside text on its page, nor one under text at its page's top.
    beside = Measure([*fills[:4], [11, 6]], pages, give=give)
    assert page_plan.box_across(flows, beside, heads, 41, 2, 23) is None
    assert page_plan.box_across(flows, measure, {a["phones"]: 9.0}, 41, 2, 23) is None
    # Nor when the notice leaves less room than the box takes across.
    full = Measure([fills[0], [31, 38], *fills[2:]], pages, give=[[], [4, 0], *give[2:]])
    assert page_plan.box_across(flows, full, heads, 41, 2, 23) is None


def test_a_box_closing_the_issue_before_a_page_with_the_colophon_alone_goes_across(
        make_issue: MakeIssue) -> None:
    """The story a few lines shorter (planfit's b-short once its quotes broke): the box
    ends page 4 under the story's last lines, in the second column, and page 5 holds
    nothing but the colophon. The box is not alone, yet it is what the issue can lose:
    it goes across under the notice too. Not when the last page holds text, nor when
    the notice leaves too little room."""
    flows, a = _flows_and_anchors(make_issue)
    pages = {a["homes"]: 1, a["yibao"]: 2, a["reading"]: 3, a["phones"]: 4}
    fills = [[41, 40], [31, 36], [41, 41], [41, 40], [0, 0]]
    give = [[], [11, 0], [0, 3], [0, 2], []]
    measure = Measure(fills, pages, give=give)
    assert page_plan.box_across(flows, measure, {}, 41, 2, 23) == (a["phones"], a["yibao"])
    text_after = Measure([*fills[:4], [6, 0]], pages, give=give)
    assert page_plan.box_across(flows, text_after, {}, 41, 2, 23) is None
    full = Measure([fills[0], [31, 38], *fills[2:]], pages, give=[[], [4, 0], *give[2:]])
    assert page_plan.box_across(flows, full, {}, 41, 2, 23) is None


def test_the_box_set_across_follows_the_notice_in_a_flow_of_its_own(
        make_issue: MakeIssue) -> None:
    context = prepare(_issue(make_issue, FESTIVAL_PARAGRAPHS)).context.context
    a = {article["id"]: article["anchor"] for article in context["articles"]}
    applied = page_plan.apply(context, PagePlan(across={a["phones"]: a["yibao"]}), 18.0)
    ids = [[article["id"] for article in flow] for flow in applied["flows"]]
    assert ids == [["homes"], ["yibao"], ["phones"], ["reading"]]
    box = applied["flows"][2][0]
    assert box.get("across") and not box["space_after"]
    assert not applied["flows"][3][0].get("across")


def _box_lines(pdf: Path, page: int) -> list[tuple[float, float]]:
    """(left, right) of each line of the box's entries on `page`, in pt."""
    with pdfplumber.open(pdf) as document:
        words = document.pages[page - 1].extract_words()
    return [(w["x0"], w["x1"]) for w in words if "021-6275" in w["text"] or "12345" in w["text"]]


@pytest.mark.slow
@pytest.mark.parametrize(("runs", "festival"),
                         [(True, FESTIVAL_PARAGRAPHS), (False, FESTIVAL_PARAGRAPHS),
                          (True, FESTIVAL_PARAGRAPHS - 1)],
                         ids=["runs", "one-document", "box-closing-page-4"])
def test_a_box_alone_on_the_last_page_goes_across_under_the_notice(
        make_issue: MakeIssue, tmp_path: Path, runs: bool, festival: int) -> None:
    """On 81ef2f0: 5 pages, "about 17 lines too many", the box alone at the top of page 5
    above the colophon, the column beside it empty. Now 4 pages: the box across page
    2 under the notice, every paragraph once and in order, no column but the last
    page's more than 2 lines short, the colophon at the foot of page 4. With a
    paragraph fewer (on 52e59c0: 5 pages, "about 3 lines too many") the box ends
    page 4 under the story and page 5 holds the colophon alone: the same."""
    issue = _issue(make_issue, festival)
    built = build_runs(issue, store=False) if runs else build(issue)
    pdf = _write(built, tmp_path / "across.pdf")
    codes = [d.code for d in built.diagnostics]
    assert built.page_count == 4, codes
    assert "copyfit.plan" not in codes
    moved = [d.message for d in built.diagnostics if d.code == "pages.box-moved"]
    assert any("便民服务电话" in m and "across the page" in m for m in moved), moved
    # The box comes before the story it followed (it moved): the stories in order,
    # each paragraph once; the box's entries once and in order.
    assert_paragraphs_once_in_order(issue, pdf, last=3)
    text = body_text(pdf)
    entries = _paragraphs(issue)[3]
    assert len(entries) == len(PHONES)
    assert all(text.count(entry) == 1 for entry in entries), entries
    places = [text.index(entry) for entry in entries]
    assert places == sorted(places)
    assert_no_holes(pdf)
    assert_colophon_at_foot(pdf, 4)
    texts = page_texts(pdf)
    assert "市民服务热线" in texts[1].replace(" ", "")  # under the notice, on page 2
    with pdfplumber.open(pdf) as document:
        middle = float(document.pages[1].width) / 2
    # Across the page: its entries run over the middle, where the columns' gap is.
    assert any(left < middle - 40 and right > middle + 40
               for left, right in _box_lines(pdf, 2))
