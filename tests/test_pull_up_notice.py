"""A notice across the page that starts a new page may start in the hole before it
when its whole height, as measured on the page it opens, fits there (layout/pull_up.py;
issue 18, "no holes"). Before, only a story was pulled up: pulling up the story before
the notice only moved that story's hole on to the page before the notice, so neither
was made (planfit's generated d-short/d-long, `pages: 8`: page 4 left 28/28 lines
empty before 《垃圾分类…》, which would have moved the hole before the 居家养老 notice).

The decision alone, on measured facts (no typesetting): the fills and pages of an
issue as typeset, the heads of the stories, the whole height of the notice."""

from __future__ import annotations

from pathlib import Path

from bulletin_press.build.page_fit import notice_heights
from bulletin_press.layout.page_plan import Measure, PagePlan
from bulletin_press.layout.prepare import prepare
from bulletin_press.layout.pull_up import Pulls, pulls

from . import pull_up_issue
from .conftest import MakeIssue

LINES = 41
FULL = [41, 41]

NOTICE = """\
  - id: service
    kind: notice
    section: 公告
    title: 关于开展2027年度居家养老上门服务报名工作的通知
    layout: {start: new-page}
    body: |
      各居民区、各位居民：

      一、申请条件：户籍或居住证地址在新泾镇、年满60周岁的老年人，或持有残疾人证的居民。

      二、报名时间：即日起至12月21日，工作日9:00—11:30、13:30—17:00，节假日除外。

      三、咨询电话：021-6238 1234转8012（镇社区服务中心），联系人：沈建华、Lily Wang；\
网上办理请登录 https://zwdt.sh.gov.cn/govPortals/xinjing/zhulao 。
    signature:
      issuer: 新泾镇社区服务中心
      date: 2026-11-28
"""


def _issue(make_issue: MakeIssue) -> Path:
    """The lead on pages 1-2, 《长护险…》 (`start: new-page`) from page 3, the 居家养老
    notice (`start: new-page`), then 《睦邻微课堂…》 flowing on under it."""
    text = pull_up_issue.manifest(12)
    text = text.replace("  - id: classroom", NOTICE + "  - id: classroom", 1)
    return make_issue(text, name="notice-pull")


def _pulls(issue: Path, fills: list[list[int]], whole: float | None,
           target: int | None = 7) -> Pulls:
    context = prepare(issue).context.context
    measure = Measure(fills, {"article-renovation": 1, "article-care": 3,
                              "article-service": 5, "article-classroom": 5})
    wholes = {} if whole is None else {"article-service": whole}
    return pulls(context["flows"], measure, {"article-care": 5.0}, PagePlan(), [], set(),
                 LINES, 2, target, wholes=wholes)


def test_a_notice_whose_whole_height_fits_the_hole_starts_in_it(make_issue: MakeIssue) -> None:
    issue = _issue(make_issue)
    # 8 pages, 7 planned: page 2 ends 16/17 lines short before 《长护险…》; pulled up,
    # its text moves up by 30 column lines and page 4 ends 26/26 short before the
    # notice, whose 18 lines (and the blank line above it) fit there: both start
    # under the text before them, the text after them moves up by 80 column lines
    # and the issue ends on page 7 with no hole.
    eight = [FULL, [25, 24], FULL, [30, 30], [20, 20], FULL, FULL, [16, 16]]
    chosen = _pulls(issue, eight, whole=18.0)
    assert set(chosen.pulled) == {"care", "service"}
    # The notice as tall as the hole (26 lines: with the blank line above it and the
    # line a predicted page keeps spare, it does not fit): 《长护险…》 alone would
    # only move page 2's hole on to page 4, larger: nothing is pulled up.
    assert set(_pulls(issue, eight, whole=25.0).pulled) == set()
    # Its height not measured (a notice set in parts, or that did not open its page).
    assert set(_pulls(issue, eight, whole=None).pulled) == set()
    # Not under a spill: 《长护险…》's last 2 lines alone on page 4 are the plan's to
    # take back (page_plan.spill_back), which ends the issue a page sooner.
    spilt = [FULL, FULL, FULL, [2, 0], [20, 20], FULL, FULL, [16, 16]]
    assert set(_pulls(issue, spilt, whole=18.0).pulled) == set()
    spilt[3] = [12, 10]  # the end of a story: the notice starts under it
    assert set(_pulls(issue, spilt, whole=18.0).pulled) == {"service"}


def test_a_notice_s_whole_height_is_read_from_its_frame_on_the_page_it_opens(
        make_issue: MakeIssue) -> None:
    flows = prepare(_issue(make_issue)).context.context["flows"]
    line = 18.0
    boxes = {"article-service": (5, (45.0, 51.0, 549.0, 51.0 + 18.5 * line)),
             "article-service-foot": (5, (300.0, 250.0, 549.0, 300.0)),
             "article-care": (3, (45.0, 51.0, 549.0, 800.0))}
    assert notice_heights(flows, boxes, line) == {"article-service": 18.5}
    # Its foot (落款) went on to the next page: not set whole on one page.
    boxes["article-service-foot"] = (6, (300.0, 60.0, 549.0, 100.0))
    assert notice_heights(flows, boxes, line) == {}
