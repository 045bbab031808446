"""The colophon never stands alone on the last page (issue 18, item 3). When the
last page's text and the colophon do not fit one page and no photo or space there
gives enough, the last article's final block goes on to the colophon's page: a
notice set whole as its last part (（续下页）, （续）), a story's text running on, with
no headline repeated and no jump lines: the colophon's page is the very next one, and
a jump to the next page is never printed (build/page_fit.py `_last_lines_on`).
Before, the page held the colophon's small type only (an outside tester's
3-article issue and 通讯/2026-07b; text-varied-16's page 15)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pytest

from bulletin_press.build.pipeline import Assembled, Built, build, build_runs

from .conftest import MakeIssue
from .test_page_plan import assert_colophon_at_foot, assert_paragraphs_once_in_order

pytestmark = pytest.mark.slow

HEAD = """\
newsletter: 新泾社区报
publisher: 新泾镇人民政府
issue: {{number: {number}, date: 2027-03-01}}
colophon:
  office: 《新泾社区报》编辑部
  address: 上海市长宁区天山西路345号（新泾镇社区事务受理服务中心3楼）
  postcode: '200335'
  phone: 021-6238 5000转8012
  email: sqb@xinjing.example.cn
  printer: 上海长宁彩印厂
  copies: 6000
  note: 内部资料 免费赠阅
articles:
"""

SPORTS = [
    "新泾镇第七届社区运动会于5月{n}日在新泾公园开幕，来自18个居民区的1,260名运动员参加了广场舞、"
    "健步走、趣味接力等12个项目的角逐，开幕式上镇里为第{n}批“健康家庭”代表颁奖。",
    "本届运动会首次设立“亲子组”和“银龄组”，年龄最大的参赛者已82岁；第{n}场比赛的成绩和照片可在"
    "“新泾镇”微信公众号或www.xinjing.gov.cn/sports查询，赛事热线021-6238 1234转80{n:02d}。",
]

LIFT = [
    "为切实解决居民“上下楼难”问题，根据《上海市既有多层住宅增设电梯指导意见》精神，现就2027年度"
    "第{n}批加装电梯报名事项公告如下：",
    "{n}、申请条件：四层及以上、未设电梯的既有多层住宅，经本幢业主三分之二以上同意、且其余业主无"
    "实质性反对意见的，可由业主代表向所在居委会提出申请。",
    "{n}、补贴标准：市、区两级财政按每台28万元给予补贴，镇级财政再配套5万元；详情咨询镇房管办，"
    "电话021-6238 1234转8{n:03d}（工作日9:00—17:00），联系人沈建华、Lily Wang。",
    "{n}、报名地点：新泾镇社区事务受理服务中心二楼6号窗口（天山西路345号），或登录“一网通办”"
    "https://zwdt.sh.gov.cn/govPortals/xinjing/dianti-{n}在线提交材料。",
    "{n}、施工管理：施工单位须在楼道口张贴公告和项目负责人电话，每日施工时间为8:00—12:00、"
    "13:00—18:00，严禁夜间施工；投诉请拨12345或镇城运中心021-6238 0110。",
]

CANTEEN = [
    "社区食堂开业一个月来，日均接待老人320人次，第{n}周最忙时队伍排到了门外。经理周海涛说，菜品"
    "每周更新，午餐一荤两素12元，80岁以上老人再打九折。",
    "家住新泾五村{n}号的王阿姨今年78岁，老伴住院后她一个人做饭总是凑合。“现在走5分钟就到，热菜热汤，"
    "还能和老姐妹聊聊天。”送餐上门请拨021-6238 1234转8{n:03d}。",
    "镇里今年计划再建两家社区食堂，分别位于天山西路和北翟路，第{n}期菜单可登录"
    "https://www.xinjing.example.cn/canteen/{n}查询，也可关注Xinjing Canteen公众号。",
]


# Paragraphs per article: the last page's text then fills its page to the foot.
COUNTS = {"sports": 12, "lift": 15, "first": 13, "second": 17}


def _paragraphs(sentences: list[str], count: int, start: int = 1) -> str:
    return "\n\n".join("      " + sentences[i % len(sentences)].format(n=start + i)
                       for i in range(count)) + "\n"


def notice_last(make_issue: MakeIssue) -> Path:
    """A story filling page 1, then a notice set whole opening page 2 that fills it
    nearly to the foot: with the colophon's six lines it does not fit the page."""
    return make_issue(HEAD.format(number=3) + f"""\
  - id: sports
    title: 第七届社区运动会开幕 1260名居民同场竞技
    body: |
{_paragraphs(SPORTS, COUNTS['sports'])}
  - id: lift
    kind: notice
    title: 关于开展2027年度既有多层住宅加装电梯报名工作的公告
    layout: {{start: new-page}}
    body: |
{_paragraphs(LIFT, COUNTS['lift'], start=11)}
    signature:
      issuer: 新泾镇人民政府
      date: 2027-02-20
""", name="notice-last")


def story_last(make_issue: MakeIssue) -> Path:
    """Two stories of a page each, without photos: the second ends at its page's
    foot, so the colophon has no room under it."""
    return make_issue(HEAD.format(number=4) + f"""\
  - id: first
    title: 家门口的“老年饭桌”开张了
    body: |
{_paragraphs(CANTEEN, COUNTS['first'])}
  - id: second
    title: 社区食堂一个月：日均接待老人320人次
    layout: {{start: new-page}}
    body: |
{_paragraphs(CANTEEN, COUNTS['second'], start=31)}
""", name="story-last")


def assert_no_page_holds_only_the_colophon(pdf: Path) -> None:
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages, start=1):
            body = [c for c in page.chars if c["size"] > 9.5]  # the colophon's type: 9pt
            assert body, f"page {number} holds only the colophon"


@pytest.mark.parametrize("issue", [notice_last, story_last])
@pytest.mark.parametrize("runs", [True, False], ids=["runs", "one-document"])
def test_the_colophon_never_stands_alone(make_issue: MakeIssue, tmp_path: Path,
                                         issue: Callable[[MakeIssue], Path], runs: bool) -> None:
    folder = issue(make_issue)
    built: Built | Assembled = build_runs(folder, store=False) if runs else build(folder)
    pdf = tmp_path / "out.pdf"
    pdf.write_bytes(built.pdf)
    assert_no_page_holds_only_the_colophon(pdf)
    assert_paragraphs_once_in_order(folder, pdf)
    with pdfplumber.open(pdf) as document:
        pages = len(document.pages)
    assert pages == 3
    assert_colophon_at_foot(pdf, pages)
    codes = [d.code for d in built.diagnostics]
    assert "copyfit.plan" not in codes  # no "the colophon stands alone" any more
    assert "pages.last-lines-on" in codes  # the note saying what went on, and why


def test_a_story_s_last_lines_run_on_to_the_next_page_without_a_jump(
        make_issue: MakeIssue, tmp_path: Path) -> None:
    """The outside tester's 《垃圾分类“小管家”上岗》 (newcomer s15 F2): page 6 ended
    with （下转第7版）, page 7 repeated the headline with （上接第6版） above its last
    two lines. A reader turning the page needs neither: the text runs on."""
    folder = story_last(make_issue)
    built = build_runs(folder, store=False)
    assert "pages.last-lines-on" in [d.code for d in built.diagnostics]
    pdf = tmp_path / "out.pdf"
    pdf.write_bytes(built.pdf)
    with pdfplumber.open(pdf) as document:
        texts = [(page.extract_text() or "").replace(" ", "") for page in document.pages]
    assert len(texts) == 3
    whole = "".join(texts)
    assert "下转" not in whole and "上接" not in whole
    # The headline on page 2 only (and in page 1's contents box); page 3 opens with
    # the story's last paragraph.
    assert "社区食堂一个月" in texts[1] and "社区食堂一个月" not in texts[2]
    last = CANTEEN[(COUNTS["second"] - 1) % len(CANTEEN)].format(n=31 + COUNTS["second"] - 1)
    body = texts[2].split("\n", 1)[1]  # under the running head
    assert body.startswith(last[:8])
    assert_paragraphs_once_in_order(folder, pdf)
