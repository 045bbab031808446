"""A new-page story started in the hole before it, its photo set lower in the
story (issue 18, item 1: planfit's d-short, 9 pages for `pages: 8`).

With `pages: 4`: a lead story about the 燃气 pipe renewal fills page 1 and runs
on to page 2, a 反诈 story follows it there, and the 社区食堂 story opens a new
page (`start: new-page`) with a photo at its head (no `placement:` written).
Page 2 ends a dozen lines short: room for the story's headline and its first
lines, not for the photo even at 75 %. On main the story kept its new page and
the issue took 5 pages ("about N lines too many"). A make-up person starts the
story in the hole and sets the photo lower in the story, after its first
paragraphs (layout/pull_up.py `_lowered`); the issue fills its 4 pages. An
editor's `placement: top` is kept (the story then keeps its new page)."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from bulletin_press.build.pipeline import build, build_runs
from bulletin_press.layout.page_plan import Measure, PagePlan
from bulletin_press.layout.prepare import prepare
from bulletin_press.layout.pull_up import pulls

from .conftest import MakeIssue
from .test_page_plan import (
    _columns_used,
    _write,
    assert_colophon_at_foot,
    assert_paragraphs_once_in_order,
)
from .test_spill_back import _body, _photo

GAS = [
    "记者从镇城运中心获悉，新泾镇老旧小区燃气立管改造今年已完成62幢、涉及居民3,460户，剩余的新泾五村、"
    "天山西路580弄等9幢楼将在春节前完工。",
    "“以前的铸铁管用了三十多年，一到冬天就怕漏气。”家住新泾五村12号的钱老师说，施工队提前一周在楼道里贴了"
    "告示，每户停气不超过6小时，当天就恢复了供气。",
    "### 先入户检测，再分段施工",
    "改造由上海燃气市北销售有限公司负责，施工前逐户检测灶具和软管，发现超期使用的橡胶软管一律免费更换为金属"
    "波纹管，共换下旧软管1,126根。",
    "对家中只有老人的住户，居委会安排志愿者陪同入户，施工结束后再上门回访一次。居民如对施工有疑问，可拨打"
    "燃气抢修热线962777或镇城运中心电话021-6238 0110转3021。",
    "### 扫码就能查进度",
    "今年起，每幢楼的改造进度都在“随申办”的“家门口服务”栏目里公布，居民扫描楼道口的二维码即可查看，也可"
    "访问https://zwdt.sh.gov.cn/govPortals/xinjing查询。",
    "镇城运中心主任周斌表示，明年将把改造范围扩大到1995年以前建成的全部多层住宅，并同步加装燃气泄漏报警器，"
    "预计再惠及居民2,800余户。",
    "北虹小区的改造是在一个月内完成的。小区物业经理Kevin Zhang说，物业提前整理出每户的联系方式"
    "和作息时间，施工队按楼层错开时段，上班族可以预约周末入户。",
    "施工期间，燃气公司在小区门口设了临时服务点，工作日9:00—17:00有人值守，居民可以当场咨询补贴政策、预约"
    "灶具安全检查，也可以领取《家庭用气安全手册》。",
    "镇里还请来同济大学燃气工程专业的志愿者，为老人们讲解如何识别燃气泄漏：闻到臭鸡蛋味时不要开关电器，"
    "先关总阀、再开窗通风，然后到室外打电话报修。",
]

SCAM = [
    "“您的医保卡涉嫌违规，请立即把存款转到安全账户。”上个月，家住哈密路1280弄的刘阿姨接到这样一个电话，"
    "她没有照做，而是拨打了社区民警的电话。",
    "新泾派出所的数据显示，今年1至10月辖区共发生电信网络诈骗案件47起，其中冒充“公检法”和“医保中心”的占了"
    "一半以上，受骗者多为65岁以上的老人。",
    "为此，派出所和各居民区联合开展了“反诈进楼道”活动，民警在每幢楼张贴反诈海报，并把96110反诈专线和社区"
    "民警的手机号码写在每户的门卡背面。",
    "### 一个电话挽回8万元",
    "10月下旬，北翟路一位独居老人在家中连续接听“客服”电话，准备去银行转账。社区网格员小陈在走访时发现异常，"
    "立即联系民警赶到银行，成功挽回存款8万元。",
    "民警提醒：公检法机关不会通过电话办案，更没有所谓的“安全账户”；凡是要求下载APP、共享屏幕或转账的，一律"
    "是诈骗。如有疑问，请拨打110或96110。",
    "派出所还在天山西路345号社区事务受理服务中心设立了反诈咨询台，每周三上午有民警坐班，居民可以带着手机来"
    "检查是否装了可疑软件，也可以现场安装“国家反诈中心”APP。",
    "### 孙辈当起“反诈宣传员”",
    "天山第一小学的同学们把反诈知识编成了顺口溜：“陌生电话要警惕，转账汇款先问清。”五年级的小林回家后教会了"
    "外婆，还帮她在手机上设置了来电拦截。",
    "社区老年大学也开设了“智能手机课堂”，每周四下午在活动室上课，讲解如何辨别钓鱼链接、如何设置支付密码，"
    "报名电话021-6238 5566转205，名额有限，额满为止。",
    "民警还总结了骗子常用的几句话：“你的快递丢了，我们给你理赔”“你有一笔贷款逾期了”“我是你的领导，明天来我"
    "办公室”。听到这些话，就要多留个心眼。",
    "据统计，“反诈进楼道”活动开展以来，辖区已有1.6万名居民安装了反诈APP，老人被骗案件同比下降了四成。",
]

MEAL = [
    "早上10点半，位于北虹路{n}号的社区食堂已经飘出饭菜香。这家食堂由原来的菜场二楼改建而成，面积约400平方米，"
    "可同时容纳120人就餐。",
    "食堂每天供应早、中、晚三餐，午餐一荤两素一汤15元，60岁以上老人凭“敬老卡”优惠3元。开业第{n}天，午餐"
    "时段的就餐人数已经超过了500人次。",
    "负责运营的是一家连锁餐饮企业，厨师长老郑说，菜单按“低盐、低油、少糖”的要求设计，每周一在微信公众号"
    "“新泾生活”上公布，第{n}期菜单里新增了三道软烂菜。",
    "附近写字楼的年轻人也成了常客。在Vanke Center {n}楼上班的小吴说：“中午不用再点外卖，十几块钱"
    "吃得又干净又实惠，下午还能打包一份带回家给奶奶。”",
    "食堂还为行动不便的老人提供送餐服务，每份加收2元，订餐电话021-6238 1234转8{n:03d}，每天上午"
    "9点前预订，由社区志愿者骑车送到家门口。",
    "镇民政科负责人表示，食堂的运营情况将由居民代表每季度打分，第{n}次评议会上居民提出的“增加夜宵”“周末"
    "供应点心”等建议，已经列入下一步的改进计划。",
]

MEAL_HEADS = ["老人吃得放心", "年轻人也来了", "居民说了算"]


def _meal(count: int) -> list[str]:
    """`count` paragraphs, each with its own number; a subhead after every fifth."""
    out: list[str] = []
    for i in range(count):
        out.append(MEAL[i % len(MEAL)].format(n=21 + i * 7))
        if i % 5 == 4 and i < count - 1:
            out.append("### " + MEAL_HEADS[(i // 5) % len(MEAL_HEADS)])
    return out


def _issue(make_issue: MakeIssue, meal: int, pages: int | None = 4,
           placement: str = "") -> Path:
    planned = f"pages: {pages}\n" if pages else ""
    placed = f", placement: {placement}" if placement else ""
    manifest = f"""\
newsletter: 新泾社区报
publisher: 长宁区新泾镇人民政府
issue: {{number: 7, volume: 31, date: 2026-12-08}}
layout: two-column
{planned}colophon:
  office: 《新泾社区报》编辑部
  address: 上海市长宁区天山西路345号（新泾镇社区事务受理服务中心3楼）
  postcode: "200335"
  phone: 021-6238 5000转8012
  email: sqb@xinjing.example.cn
  note: 内部资料 免费赠阅
articles:
  - id: gas
    section: 城建
    title: 老旧小区燃气立管改造年底收官 3,460户居民用上新管道
    photos:
      - {{file: images/gas.jpg, caption: 施工人员在新泾五村更换燃气立管}}
    body: |
{_body(GAS)}  - id: scam
    section: 平安
    title: 民警走进楼道 教老人识破“安全账户”骗局
    body: |
{_body(SCAM)}  - id: meal
    section: 民生
    title: 北虹路社区食堂开门迎客 一荤两素一汤15元
    layout: {{start: new-page}}
    photos:
      - {{file: images/meal.jpg, caption: 居民在社区食堂排队取餐{placed}}}
    body: |
{_body(_meal(meal))}"""
    files: dict[str, bytes | str | Path] = {"images/gas.jpg": _photo(3),
                                            "images/meal.jpg": _photo(4)}
    return make_issue(manifest, files, name=f"lowered-{meal}-{pages}-{placement or 'none'}")


MEAL_PARAGRAPHS = 36  # 5 pages as typed, the last with a few lines; 4 with the story pulled up


def _first_page_of(pdf: Path, text: str) -> int:
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages, start=1):
            if text in (page.extract_text() or "").replace("\n", ""):
                return number
    return 0


@pytest.mark.slow
def test_the_issue_as_typed_leaves_a_hole_too_small_for_the_photo(
        make_issue: MakeIssue, tmp_path: Path) -> None:
    natural = build(_issue(make_issue, MEAL_PARAGRAPHS, pages=None), plan=False)
    assert natural.page_count == 5
    short = 41 - max(_columns_used(_write(natural, tmp_path / "natural.pdf"))[1])
    assert 9 <= short <= 17  # the head and 3 lines fit; the photo at 75 % (9 + 1) does not


@pytest.mark.slow
@pytest.mark.parametrize("runs", [True, False], ids=["runs", "one-document"])
def test_over_its_pages_the_story_starts_in_the_hole_its_photo_lower(
        make_issue: MakeIssue, tmp_path: Path, runs: bool) -> None:
    issue = _issue(make_issue, MEAL_PARAGRAPHS)
    built = build_runs(issue, store=False) if runs else build(issue)
    pdf = _write(built, tmp_path / "lowered.pdf")
    codes = [d.code for d in built.diagnostics]
    assert built.page_count == 4, codes
    assert "copyfit.plan" not in codes
    assert "pages.pulled-up" in codes
    assert "layout.photo-moved" in codes  # said at the photo: after which paragraph
    assert_paragraphs_once_in_order(issue, pdf)
    assert_colophon_at_foot(pdf, 4)
    used = _columns_used(pdf)
    assert all(min(page) >= 41 - 2 for page in used[:3]), used
    assert _first_page_of(pdf, "位于北虹路21号") == 2  # its first lines in the hole
    with pdfplumber.open(pdf) as document:
        meal_photo = [image for page in document.pages[1:2] for image in page.images]
    # Page 2 holds no photo of the story's: it stands lower, on page 3.
    assert len(meal_photo) == 0


@pytest.mark.slow
def test_an_editors_placement_top_is_kept(make_issue: MakeIssue, tmp_path: Path) -> None:
    issue = _issue(make_issue, MEAL_PARAGRAPHS, placement="top")
    built = build(issue)
    pdf = _write(built, tmp_path / "top.pdf")
    assert _first_page_of(pdf, "位于北虹路21号") == 3
    assert built.page_count == 5


# The decision alone, on measured facts (no typesetting).

def _decide(issue: Path, fills: list[list[int]], target: int | None,
            column_chars: int = 23) -> dict[str, tuple[str, int] | None]:
    context = prepare(issue).context.context
    measure = Measure(fills, {"article-gas": 1, "article-scam": 2, "article-meal": 3})
    decided = pulls(context["flows"], measure, {"article-meal": 4.0}, PagePlan(), [], set(),
                    41, 2, target, column_chars=column_chars)
    return {name: pull.lowered for name, pull in decided.pulled.items()}


def test_the_decision_sets_the_photo_lower_only_over_the_planned_pages(
        make_issue: MakeIssue) -> None:
    issue = _issue(make_issue, MEAL_PARAGRAPHS)
    full = [41, 41]
    # The issue as typed: page 2's text ends 15/16 lines short (the typesetter's vertical
    # justification draws 6 lines more in each column: the check measures 9 empty).
    hole = [full, [26, 25], full, full, [3, 2]]
    lowered = _decide(issue, hole, 4)["meal"]
    assert lowered is not None and lowered[0] == "photo-3-1" and lowered[1] >= 1
    assert _decide(issue, hole, None) == {}  # no pages planned: the editor's layout
    assert _decide(issue, hole[:4], 4) == {}  # within its pages: the page is needed
    assert _decide(issue, [full, [34, 31], full, full, [3, 2]], 4) == {}  # 7 lines: no head
    assert _decide(issue, hole, 4, column_chars=0) == {}  # (no estimate: not lowered)
    # A hole the photo fits at 75 %: started there with its photo at its head, as before.
    assert _decide(issue, [full, [20, 20], full, full, [3, 2]], 4) == {"meal": None}
    top = _issue(make_issue, MEAL_PARAGRAPHS, placement="top")
    assert _decide(top, hole, 4) == {}  # the editor's placement: top is kept
