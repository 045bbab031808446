"""A new-page article started in a page less than half full when the issue runs
over its planned pages (issue 18, item 1). With `pages: 4`: a lead story fills
page 1 and runs on to page 2, a short 艺术节 story follows it there, and the
长者食堂 story starts a new page: page 2 was left more than half empty and the
issue took 5 pages ("about 19 lines too many"), since a page less than half full
is kept as the editor laid it out. With pages planned and the issue over them,
the planned count comes first: the 长者食堂 story starts under the 艺术节 story on
page 2, and the issue fills its 4 pages (layout/pull_up.py `_may_pull`). Made
from planfit's generated stress issues (an 8-page one, a 4-page one made here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin_press.build.pipeline import build, build_runs

from .conftest import MakeIssue
from .test_page_plan import (
    _columns_used,
    _write,
    assert_colophon_at_foot,
    assert_paragraphs_once_in_order,
)
from .test_spill_back import LIFT, _body, _canteen, _photo

pytestmark = pytest.mark.slow

ARTS = [
    "11月8日晚，新泾镇社区文化活动中心剧场座无虚席，“乐活新泾”第三届社区文化艺术节在此闭幕。来自18个居民区的"
    "23支文艺团队登台献艺，沪剧、越剧、舞蹈、合唱轮番上演。",
    "本届艺术节历时两个月，共举办书画展、摄影展、广场舞大赛、家庭才艺秀等各类活动46场，参与居民超过1.2万人次，"
    "其中年龄最大的参赛者已有89岁。",
    "来自新泾八村的“夕阳红”合唱团演唱了《我和我的祖国》《茉莉花》等曲目。团长顾美华说，合唱团成立已有15年，"
    "团员从最初的8人发展到现在的46人，每周二、周四在活动室排练。",
    "家庭才艺秀上，三代同台的“戴家班”表演了沪剧选段《芦荡火种》，小孙女还用英语介绍了沪剧的历史，赢得全场掌声。"
    "评委说：“这正是社区文化传承的最好样子。”",
]


def _issue(make_issue: MakeIssue, canteen: int, pages: int | None = 4) -> Path:
    planned = f"pages: {pages}\n" if pages else ""
    manifest = f"""\
newsletter: 新泾社区报
publisher: 长宁区新泾镇人民政府
issue: {{number: 6, volume: 31, date: 2026-12-06}}
layout: two-column
{planned}colophon:
  office: 《新泾社区报》编辑部
  address: 上海市长宁区天山西路345号（新泾镇社区事务受理服务中心3楼）
  postcode: "200335"
  phone: 021-6238 5000转8012
  email: sqb@xinjing.example.cn
  note: 内部资料 免费赠阅
articles:
  - id: lift
    section: 城建
    title: 既有多层住宅加装电梯提速 今年已完工47台
    photos:
      - {{file: images/lift.jpg, caption: 新泾六村完成加装的电梯}}
    body: |
{_body(LIFT)}  - id: arts
    section: 文化
    title: 社区文化艺术节落幕
    body: |
{_body(ARTS)}  - id: canteen
    section: 民生
    title: 家门口的长者食堂开张了
    layout: {{start: new-page}}
    photos:
      - {{file: images/canteen-1.jpg, caption: 老人们在长者食堂用午餐}}
    body: |
{_body(_canteen(canteen))}"""
    files: dict[str, bytes | str | Path] = {"images/lift.jpg": _photo(1),
                                            "images/canteen-1.jpg": _photo(2)}
    return make_issue(manifest, files, name=f"pull-{canteen}-{pages}")


CANTEEN_PARAGRAPHS = 34  # 4 pages and about a quarter of a page, page 2 under half full


def test_the_issue_as_typed_leaves_page_2_under_half_full(make_issue: MakeIssue,
                                                          tmp_path: Path) -> None:
    natural = build(_issue(make_issue, CANTEEN_PARAGRAPHS, pages=None), plan=False)
    assert natural.page_count == 5
    assert max(_columns_used(_write(natural, tmp_path / "natural.pdf"))[1]) <= 41 // 2


@pytest.mark.parametrize("runs", [True, False], ids=["runs", "one-document"])
def test_over_its_pages_a_new_page_story_starts_under_half_a_page(
        make_issue: MakeIssue, tmp_path: Path, runs: bool) -> None:
    issue = _issue(make_issue, CANTEEN_PARAGRAPHS)
    built = build_runs(issue, store=False) if runs else build(issue)
    pdf = _write(built, tmp_path / "pulled.pdf")
    codes = [d.code for d in built.diagnostics]
    assert built.page_count == 4, codes
    assert "copyfit.plan" not in codes
    assert "pages.pulled-up" in codes  # said at the story's start:, with how to keep it
    assert_paragraphs_once_in_order(issue, pdf)
    assert_colophon_at_foot(pdf, 4)
    assert min(_columns_used(pdf)[1]) >= 41 - 2  # page 2 filled by the story's start
