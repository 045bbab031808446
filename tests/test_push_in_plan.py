"""The page plan pushes paragraphs in (issue 18, item 1): an issue about a quarter of
a page too long for its `pages: 4`, with no photo to make smaller and only its
spaces, is set in 4 pages by setting paragraphs whose last line holds two
characters a line shorter, their punctuation squeezed (page_plan.pushed_in,
typeset/ext/line_fit.py). Without it, the build makes 5 pages and says how many
lines to cut. Three stories of community news: paragraphs of Han text and marks,
and paragraphs with addresses, phone numbers, web addresses and English names
(tests/plan_issues.py), every one different."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin_press.build.pipeline import build, build_runs

from . import plan_issues
from .conftest import MakeIssue
from .test_page_plan import (
    _write,
    assert_colophon_at_foot,
    assert_no_holes,
    assert_paragraphs_once_in_order,
)

pytestmark = pytest.mark.slow

CLAUSES = ["街道联合区住建委、规划资源局等部门", "组织专业设计团队上门测量",
           "讲解加装电梯的补贴政策", "协调低层住户的意见", "志愿者每天上午走访独居老人",
           "帮助他们测量血压、整理药品", "居委会在小区门口设立了咨询台",
           "耐心解答居民提出的各种问题", "物业公司清理了楼道里的堆物",
           "更换了破损的消防指示灯", "社区食堂推出了软烂可口的新菜品",
           "老人们吃得放心、吃得舒心", "垃圾分类志愿者坚守在投放点",
           "指导居民破袋投放湿垃圾", "党员先锋队排查了电动自行车充电隐患",
           "劝导居民到集中充电棚充电", "社区学校开设了智能手机课程",
           "教老人使用预约挂号和网上缴费", "小区新建了口袋公园和健身步道",
           "周边居民散步有了好去处"]
ENDINGS = ["好", "很好", "受欢迎", "效果好", "反响热烈", "大家很满意", "居民纷纷点赞",
           "得到了居民的好评", "居民们都说办得实在", "收到了良好的社会效果",
           "这样的好事要多办一些"]
DIGITS = "零一二三四五六七八九"
_CLOSING, _OPENING = set("，。、；：？！）」』”’》〉】"), set("（「『“‘《〈【")


def _numeral(n: int) -> str:
    tens, units = divmod(n, 10)
    return (DIGITS[tens] if tens > 1 else "") + ("十" if tens else "") + \
        (DIGITS[units] if units or not tens else "")


def short_ended(k: int) -> str:
    """A paragraph of 69 characters (Han and marks, each a full em): at the column's
    23 em with its 2-em indent, lines of 21, 23 and 23 characters and two on the
    last (no closing mark starts a line, no opening one ends it)."""
    head = f"第{_numeral(k)}期活动中"
    for shift in range(len(CLAUSES)):
        for count in range(2, 6):
            parts = [head, *(CLAUSES[(k * 3 + shift + j) % len(CLAUSES)] for j in range(count))]
            for ending in ENDINGS:
                text = "，".join([*parts, ending]) + "。"
                if len(text) == 69 and not any(text[p] in _CLOSING for p in (21, 44, 67)) \
                        and not any(text[p] in _OPENING for p in (20, 43, 66)):
                    return text
    raise ValueError(k)


def _issue(make_issue: MakeIssue, count: int, pages: int | None = 4) -> Path:
    """Three stories of `count` paragraphs each: two short-ended ones, then one of
    plan_issues' (an address, a phone number, a web address or an English name)."""
    lines = ["newsletter: 新泾通讯", "publisher: 长宁区新泾镇",
             "issue: {number: 7, volume: 251, date: 2024-07-10}"]
    if pages is not None:
        lines.append(f"pages: {pages}")
    lines += ["colophon:", "  office: 《新泾通讯》编辑部", "  address: 上海市长宁区新泾镇哈密路1号",
              "  phone: 021-62330000", "  note: 内部资料 免费赠阅", "articles:"]
    titles = ["加装电梯、长者食堂、垃圾分类：新泾镇十件民生实事推进过半",
              "社区志愿者服务队走进独居老人家中", "口袋公园和健身步道建成开放"]
    k = 1
    for number, title in enumerate(titles):
        lines += [f"  - id: story{number + 1}", "    section: 民生", f"    title: {title}",
                  "    body: |"]
        for index in range(count):
            if index % 3 == 2:
                text = plan_issues.paragraph(number + 1, index)
            else:
                text, k = short_ended(k), k + 1
            lines += [f"      {text}", ""]
    return make_issue("\n".join(lines) + "\n", name=f"push-{count}-{pages}")


COUNT = 19  # paragraphs a story: on main "about 32 lines too many" for 4 pages


def test_the_issue_as_typed_is_too_long(make_issue: MakeIssue) -> None:
    built = build(_issue(make_issue, COUNT), plan=False)
    assert built.page_count == 5


@pytest.mark.parametrize("runs", [True, False], ids=["runs", "one-document"])
def test_paragraphs_pushed_in_fit_the_issue_to_its_pages(make_issue: MakeIssue, tmp_path: Path,
                                                         runs: bool) -> None:
    issue = _issue(make_issue, COUNT)
    built = build_runs(issue, store=False) if runs else build(issue)
    pdf = _write(built, tmp_path / "pushed.pdf")
    codes = [d.code for d in built.diagnostics]
    assert built.page_count == 4, codes  # main: 5, "about N lines too many"
    assert "copyfit.plan" not in codes
    assert_paragraphs_once_in_order(issue, pdf)
    assert_no_holes(pdf)
    assert_colophon_at_foot(pdf, 4)
