"""Lists numbered by hand (1．… 2．…, 1、… on lines of their own, (1)…), as editors type
them in Word or WeChat: each item is a paragraph of its own, and the vertical
justification, which fills a short column with blank lines between paragraphs, puts
none between the items nor between the line that introduces them and the first."""

from __future__ import annotations

import itertools

import pytest

from bulletin_press.build.pipeline import build
from bulletin_press.checks.typesetting import read_body
from bulletin_press.layout.prepare import prepare
from bulletin_press.text.blocks import parse_body

from .conftest import HEADER, MakeIssue

ISSUE = HEADER + """\
  - id: choir
    title: 社区合唱团招募新团员
    body: |
      新泾镇社区文化活动中心合唱团现面向辖区居民招募新团员，具体安排如下：

      1．报名时间：3月1日至3月15日，每天9:00—17:00。

      2．报名地点：天山西路345号社区文化活动中心一楼服务台。

      3．报名条件：热爱唱歌，身体健康，能坚持每周参加一次排练。

      4．咨询电话：021-6238 1234转8012，联系人王老师。

      欢迎有兴趣的居民踊跃报名。排练时间为每周三下午，地点在活动中心三楼多功能厅。

      排练安排：
      (1) 第一次排练：3月22日，熟悉曲目《我和我的祖国》。
      (2) 第二次排练：3月29日，分声部练习。

      合唱团成立于2015年，曾获长宁区社区合唱比赛一等奖。
  - id: next
    title: 春节期间便民服务安排
    layout: {start: new-page-always}
    body: |
      春节期间，社区事务受理服务中心除夕至初三休息，初四起恢复办公。
"""


def test_lines_numbered_by_hand_are_paragraphs_of_their_own() -> None:
    blocks = parse_body("排练安排：\n(1) 第一次排练：3月22日，\n熟悉曲目。\n（2）第二次排练。\n"
                        "\n1、报名时间：3月1日。\n2、报名地点：天山西路345号。\n\n"
                        "共有3.5万\n2.5万人参加，详见第\n3、4两页")
    assert [(b.source_line, b.plain_text()) for b in blocks] == [
        (1, "排练安排："), (2, "(1) 第一次排练：3月22日，\n熟悉曲目。"), (4, "（2）第二次排练。"),
        (6, "1、报名时间：3月1日。"), (7, "2、报名地点：天山西路345号。"),
        (9, "共有3.5万\n2.5万人参加，详见第\n3、4两页")]  # 2.5 a number; one 3、 no list


@pytest.mark.slow
def test_no_blank_line_between_items_numbered_by_hand(make_issue: MakeIssue) -> None:
    folder = make_issue(ISSUE)
    html = prepare(folder).html.html
    for item in ("1．报名", "2．报名", "3．报名", "4．咨询", "(1) 第一", "(2) 第二"):
        tag = html[html.rindex("<p", 0, html.index(item[:4])):html.index(item[:4])]
        assert "data-vj" not in tag, (item, tag)  # no place for a blank line above it
    assert 'data-vj="p1">欢迎有兴趣' in html.replace("\u2060", "").replace("\ufeff", "")
    built = build(folder)
    g = built.prepared.layout.geometry
    lines = [b for b in read_body(built.pdf, g)[0] if b.page == 1]
    tops = {b.line.text[:6]: (b.column, b.line.top) for b in lines}
    given = [b.line.top - a.line.top for a, b in itertools.pairwise(lines)
             if a.column == b.column and b.line.top - a.line.top > 1.5 * g.line]
    assert given, "the page is not filled: the test sees no justification"  # a blank line
    for first, last in (("新泾镇社区文", "4．咨询电话"), ("排练安排：", "(2)第二次")):
        start = next(i for i, b in enumerate(lines) if b.line.text.startswith(first))
        end = next(i for i, b in enumerate(lines)
                   if b.line.text.replace(" ", "").startswith(last.replace(" ", "")))
        pitches = {round(b.line.top - a.line.top, 1)
                   for a, b in zip(lines[start:end], lines[start + 1:end + 1], strict=True)}
        assert pitches == {round(g.line, 1)}, (first, pitches, tops)  # main: blank lines
