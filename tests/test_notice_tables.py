"""A table in a notice set in parts is cut between two rows, its header row repeated
at the top of the next part (layout/notice_parts.py). Before, the table was one item
that went whole to the next part: page 1's part of the 停电 notice ended with the
line introducing the table and the page's spare lines were spread over it, several
lines of white above 一、停电范围和时间; the 垃圾分类 notice took 3 pages for 2."""

from __future__ import annotations

import io
import itertools
import re
import textwrap
from typing import Any, cast

import pdfplumber
import pytest

from bulletin_press.build.pipeline import Assembled, Built, build, build_runs
from bulletin_press.layout.context import BodyItem
from bulletin_press.layout.notice_parts import TABLE_ROWS, parts, split_flows
from bulletin_press.pdf.text import Line, lines_of

from .conftest import HEADER, MakeIssue
from .test_kept_together import BOX
from .test_notice_parts import BATCHES, LEAD, POWER, TITLE, _rule_rows


def _pages(pdf: bytes) -> list[list[Line]]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [lines_of(page) for page in doc.pages]


def _flat(line: Line) -> str:
    return line.text.replace(" ", "")


# A 居委会 notice with a table of 18 rows in 3 columns: 楼号, times, 督导员 and phone.
ROWS = [
    ("1—6号楼", "7:00—9:00、18:00—20:00", "陈美华 139 1623 8875"),
    ("7—12号楼", "7:00—9:00、18:00—20:00", "王建军 021-6238 1234转8012"),
    ("13号楼（老年公寓）", "6:30—8:30、17:30—19:30", "李秀兰 137 0195 2268"),
    ("14—16号楼", "7:00—9:00、18:30—20:30", "张伟 186 2111 8899"),
    ("17号楼（沿街商铺）", "10:00—11:00、21:00—22:00", "Kevin Zhou 400-820-1234"),
    ("18—20号楼", "7:00—9:00、18:00—20:00", "刘强 137 8899 1122"),
    ("21号楼", "7:00—9:00、18:00—20:00", "赵丽华 139 1776 5432"),
    ("22—25号楼", "6:30—8:30、18:00—20:00", "周海涛 021-6278 9900"),
    ("26号楼（幼儿园东侧）", "7:30—9:30、18:00—20:00", "孙志明 186 2111 8890"),
    ("27—30号楼", "7:00—9:00、18:00—20:00", "吴敏 021-6220 5566转302"),
    ("31号楼", "7:00—9:00、18:00—20:00", "郑晓东 136 0188 7766"),
    ("32—35号楼", "7:00—9:00、19:00—21:00", "黄燕 021-6274 1188"),
    ("36号楼（社区食堂）", "9:00—10:00、13:00—14:00", "钱文杰 158 0173 6620"),
    ("37—40号楼", "7:00—9:00、18:00—20:00", "冯晓梅 021-6259 8877"),
    ("41号楼", "7:00—9:00、18:00—20:00", "褚国平 135 6416 0021"),
    ("42—45号楼", "6:30—8:30、18:00—20:00", "卫兰芳 021-6278 3300"),
    ("46号楼（物业办公楼）", "8:00—9:00、17:00—18:00", "蒋志远 139 0162 7788"),
    ("47—50号楼", "7:00—9:00、18:00—20:00", "沈佳怡 021-5219 0876"),
]
OPENING = [
    "为深入贯彻《上海市生活垃圾管理条例》，巩固我小区垃圾分类实效，经居委会、业委会和物业公司"
    "（上海长宁新泾物业管理有限公司）共同商议，自2027年4月1日起，本小区实行新的定时定点投放安排。"
    "现将有关事项通知如下：",
    "全小区共设6个定时投放点、2个误时投放点。定时投放点每天早晚各开放两小时，其余时间关闭；"
    "误时投放点设在小区北门（仙霞西路88弄口）和南门垃圾厢房，24小时开放，配有洗手池和破袋器。",
]
INTRO = "各楼号对应的投放时间和督导员如下："
CARE = [
    "湿垃圾请沥干水分、破袋投放，塑料袋投入干垃圾桶；有害垃圾（废电池、过期药品、灯管）请投放至"
    "南门红色收集箱；可回收物可预约“阿拉环保卡”上门回收，电话021-6278 5432。",
    "大件垃圾（旧家具、床垫）和装修垃圾请于每周六上午9:00—11:00预约，堆放在指定地点，不得占用消防"
    "通道。装修垃圾须袋装，每袋收费5元，由物业统一清运。",
    "对多次不按规定投放的住户，督导员将上门宣传；拒不改正的，将依法报城管执法部门处理。"
    "欢迎居民通过“新泾镇”微信公众号（ID: xinjing_sh）或邮箱lajifenlei@xinjing.example.cn"
    "提出意见建议。",
    "居委会招募垃圾分类志愿者，每周值守两次，每次两小时，可计入志愿服务时长。有意者请于3月25日前"
    "到居委会（仙霞西路88弄1号101室）报名，或登录https://www.xinjing.example.cn/volunteer "
    "在线报名。",
]
GARBAGE_TITLE = "关于调整仙霞西路88弄小区生活垃圾定时定点投放时间的通知"
_TABLE = "\n".join(["| 楼号 | 定时投放时间 | 督导员及电话 |", "| --- | --- | --- |"]
                   + [f"| {a} | {b} | {c} |" for a, b, c in ROWS])
_BODY = "\n\n".join(["全体居民：", *OPENING, "### 一、投放时间和督导员", INTRO, _TABLE,
                     "### 二、注意事项", *CARE])
GARBAGE = f"""\
  - id: garbage
    kind: notice
    title: {GARBAGE_TITLE}
    body: |
{textwrap.indent(_BODY, " " * 6)}
    signature:
      issuer: [仙霞西路88弄居民委员会, 上海长宁新泾物业管理有限公司]
      date: 2027年3月15日
"""
STORY = """\
  - id: story
    title: 新泾镇“美丽家园”改造：十二个小区今年完工
    body: |
      为做好辖区二次供水设施改造，新泾镇自来水服务所将于2027年3月分片施工。施工期间请居民\
提前储水，关好水龙头，防止来水后跑水。详情可登录www.xinjing.gov.cn/water查询。

      今年的改造涉及12个小区、共计8,460户居民，总投资约3,200万元，计划于2027年6月底前全部完工。
"""


def _check_table_in_parts(built: Built | Assembled, title: str, header: str,
                          subhead: str, rows: list[str], after: str) -> None:
    """The notice's table cut between rows over two parts: every row once, in order;
    the header row at the top of each part's piece; the part that goes on ending at
    the page's foot (within 2 lines) in a closed frame, with no hole above `subhead`."""
    pages = _pages(built.pdf)
    g = built.prepared.layout.geometry
    foot = g.bleed + g.margin_top + g.lines * g.line  # the body's foot, from the top
    text = "".join(_flat(line) for lines in pages for line in lines)
    found = [text.find(r.replace(" ", "")) for r in rows]
    assert -1 not in found and found == sorted(found), [r for r, at in zip(
        rows, found, strict=True) if at < 0]
    assert all(text.count(r.replace(" ", "")) == 1 for r in rows)
    on = {r: n for r in rows for n, lines in enumerate(pages, 1)
          if any(r.replace(" ", "") in _flat(line) for line in lines)}
    table_pages = sorted(set(on.values()))
    assert len(table_pages) == 2, on  # cut between two rows, not moved on whole
    first, second = table_pages
    assert sum(1 for p in on.values() if p == first) >= TABLE_ROWS
    assert sum(1 for p in on.values() if p == second) >= TABLE_ROWS
    for page in table_pages:  # the header row above the table's rows on each page
        heads = [line for line in pages[page - 1] if header in _flat(line)]
        assert len(heads) == 1, page
        assert heads[0].top < min(line.top for line in pages[page - 1]
                                  if any(r.replace(" ", "") in _flat(line) for r in rows))
    # The part on the first page goes on at the foot of the page, in a closed frame.
    [out] = [line for line in pages[first - 1] if "（续下页）" in _flat(line)]
    rules = _rule_rows(built.pdf, first, out.top + 8, out.top + 40)
    assert rules and foot - max(rules) < 2 * g.line, (foot, rules)
    [again] = [line for line in pages[second - 1] if _flat(line) == title + "（续）"]
    assert _rule_rows(built.pdf, second, again.top - 40, again.top)
    # No hole in the first page's part: each line of it follows the one above by at
    # most two lines (a blank line above a subhead or a table), none spread apart.
    lines = sorted((line for line in pages[first - 1] if line.top < out.top), key=lambda x: x.top)
    at = next(i for i, line in enumerate(lines) if subhead in _flat(line))
    notice = [line.top for line in lines[at - 1:]]
    gaps = [(b - a) / g.line for a, b in itertools.pairwise(notice)]
    assert max(gaps) <= 2.05, [round(x, 2) for x in gaps]
    # And the text after the table follows on the next part.
    assert any(after in _flat(line) for line in pages[second - 1])


@pytest.mark.slow
@pytest.mark.parametrize("runs", [True, False])
def test_a_power_cut_notice_s_table_goes_on_between_rows(make_issue: MakeIssue,
                                                         runs: bool) -> None:
    folder = make_issue(HEADER + LEAD + POWER + BOX)
    built: Built | Assembled = build_runs(folder, store=False) if runs else build(folder)
    _check_table_in_parts(built, TITLE, "现场联系人及电话", "一、停电范围和时间",
                          [c for _, _, c in BATCHES], "二、停电期间注意事项")


@pytest.mark.slow
def test_a_garbage_sorting_notice_s_table_goes_on_between_rows(make_issue: MakeIssue) -> None:
    """18 rows of 楼号, times and 督导员 with their phone numbers: the notice under a
    short story fills page 1 with the table's first rows and ends on page 2."""
    built = build_runs(make_issue(HEADER + STORY + GARBAGE + BOX), store=False)
    _check_table_in_parts(built, GARBAGE_TITLE, "督导员及电话", "一、投放时间和督导员",
                          [c for _, _, c in ROWS], "二、注意事项")
    assert built.page_count == 2
    pages = _pages(built.pdf)
    text = "".join(_flat(line) for lines in pages for line in lines)
    order = ["全体居民：", *OPENING, INTRO, *CARE, "仙霞西路88弄居民委员会", "2027年3月15日"]
    found = [text.find(p.replace(" ", "")) for p in order]
    assert -1 not in found and found == sorted(found)
    assert all(text.count(p.replace(" ", "")) == 1 for p in order)


def _table_notice(rows: int) -> Any:
    anchor = "article-n-item-2"
    cells = [[{"spans": [], "align": "", "header": False}] for _ in range(rows)]
    table = {"head": [[{"spans": [], "align": "", "header": True}]], "rows": cells,
             "span": False, "widths": []}
    items: list[BodyItem] = [
        cast(BodyItem, {"kind": "paragraph", "figure": None, "table": None,
                        "anchor": "article-n-item-1", "end": "article-n-item-1-end"}),
        cast(BodyItem, {"kind": "table", "figure": None, "table": table, "anchor": anchor,
                        "end": anchor + "-end",
                        "row_ids": [f"{anchor}-row-{n}" for n in range(1, rows)]
                        + [anchor + "-end"]}),
        cast(BodyItem, {"kind": "paragraph", "figure": None, "table": None,
                        "anchor": "article-n-item-3", "end": "article-n-item-3-end"})]
    return {"id": "n", "anchor": "article-n", "text_anchor": "text-n", "kind": "notice",
            "continued": False, "start": "new-page", "body": items, "qr": None,
            "signature": None}


def test_a_table_is_cut_before_the_first_row_on_the_next_page() -> None:
    notice = _table_notice(10)
    # Rows 1-6 on page 1, rows 7-10 and the paragraph after on page 2.
    pages = {"article-n": 1, "article-n-item-1": 1, "article-n-item-1-end": 1,
             "article-n-item-2": 1, **{f"article-n-item-2-row-{n}": 1 if n <= 6 else 2
                                       for n in range(1, 10)},
             "article-n-item-2-end": 2, "article-n-item-3": 2, "article-n-item-3-end": 2}
    cut = parts([[notice]], pages, {}, [], 41)
    assert cut == {"n": ((1, 6),)}
    first, second = (flow[0] for flow in split_flows([[notice]], cut))
    table1, table2 = first["body"][-1], second["body"][0]
    assert table1["table"] and table2["table"]
    assert len(table1["table"]["rows"]) == 6 and len(table2["table"]["rows"]) == 4
    assert table2["table"]["head"] == table1["table"]["head"]  # repeated
    assert table2.get("rows_from") == 6 and table2.get("row_ids", [])[-1] == "article-n-item-2-end"
    # Measured again in parts, each part on its page: the cut stays.
    again = {**pages, "article-n-part-2": 2}
    assert parts([[first], [second]], again, cut, [], 41) == cut
    # One row alone would go on: the cut keeps TABLE_ROWS rows with the rest.
    late = {**pages, **{f"article-n-item-2-row-{n}": 1 for n in range(1, 10)}}
    assert parts([[notice]], late, {}, [], 41) == {"n": ((1, 10 - TABLE_ROWS),)}
    # A table of three rows is not cut: it moves on whole.
    short = _table_notice(3)
    few = {"article-n": 1, "article-n-item-1": 1, "article-n-item-1-end": 1,
           "article-n-item-2": 1, "article-n-item-2-row-1": 1, "article-n-item-2-row-2": 2,
           "article-n-item-2-end": 2, "article-n-item-3": 2, "article-n-item-3-end": 2}
    assert parts([[short]], few, {}, [], 41) == {"n": ((1, 0),)}


@pytest.mark.slow
def test_a_notice_s_first_part_is_not_its_title_alone(make_issue: MakeIssue) -> None:
    """Under a story of eight paragraphs the 垃圾分类 notice's first part holds its
    salutation and first paragraph. Before, a round of the page plan gave the story's
    headline two lines more after the notice was cut to fill page 1: the paragraph went
    over, and the next round left the title and 全体居民： alone above （续下页）."""
    head, body = STORY.split("body: |\n")
    story = head + "body: |\n" + "\n\n".join([body.rstrip("\n")] * 4) + "\n"
    built = build_runs(make_issue(HEADER + story + GARBAGE + BOX), store=False)
    pages = _pages(built.pdf)
    [(page, out)] = [(n, line) for n, lines in enumerate(pages, 1) for line in lines
                     if "（续下页）" in _flat(line)][:1]
    above = "".join(_flat(line) for line in pages[page - 1] if line.top < out.top)
    assert "全体居民：" in above and OPENING[0][:20] in above, above[-80:]


def test_a_part_whose_mark_went_on_alone_gives_its_last_block_to_the_next() -> None:
    """A round after the cut pushed a part's （续下页） over, alone into a frame on the
    next page (its rows all on their page): the next round cuts a block earlier.
    Before, the cut stayed and the page with the lone mark was printed."""
    notice = _table_notice(10)
    cut = {"n": ((1, 6),)}
    first, second = (flow[0] for flow in split_flows([[notice]], cut))
    pages = {"article-n": 1, "article-n-item-1": 1, "article-n-item-1-end": 1,
             "article-n-item-2": 1, **{f"article-n-item-2-row-{n}": 1 if n <= 6 else 3
                                       for n in range(1, 10)},
             "article-n-item-2-end": 3, "article-n-item-3": 3, "article-n-item-3-end": 3,
             "article-n-part-2": 3, "article-n-goes-on": 1}
    assert parts([[first], [second]], pages, cut, [], 41) == cut
    assert parts([[first], [second]], {**pages, "article-n-goes-on": 2}, cut, [], 41) == \
        {"n": ((1, 5),)}


# A 告居民书 of plain paragraphs of two or three sentences (； ends one too), over three
# pages: the second page breaks the last paragraph but one (found by trying).
LETTER_TITLE = "关于仙霞西路88弄小区生活垃圾分类工作的告居民书"
LETTER_BODY = [*OPENING, *CARE] * 3 + CARE[:1]
LETTER = f"""\
  - id: letter
    kind: notice
    title: {LETTER_TITLE}
    body: |
{textwrap.indent(chr(10).join(["全体居民：", *LETTER_BODY]).replace(chr(10), chr(10) * 2), " " * 6)}
    signature:
      issuer: 仙霞西路88弄居民委员会
      date: 2027年3月15日
"""


@pytest.mark.slow
def test_a_paragraph_the_page_breaks_is_cut_between_two_sentences(
        make_issue: MakeIssue) -> None:
    """Where the page breaks a paragraph of a notice set in parts, the part ends with
    the sentences that fit and （续下页）; the next opens with the title and （续）
    and the paragraph's next sentence, not indented. Before, the paragraph went whole
    to the next part and the page above it ended short by its lines on the page."""
    head, body = STORY.split("body: |\n")
    story = head + "body: |\n" + "\n\n".join([body.rstrip("\n")] * 4) + "\n"
    built = build_runs(make_issue(HEADER + story + LETTER + BOX), store=False)
    pages = _pages(built.pdf)
    g = built.prepared.layout.geometry
    bottom = g.margin_top + g.lines * g.line  # the body's foot, from the trimmed top
    body = [[line for line in lines if g.margin_top - 2 < line.top < bottom] for lines in pages]
    text = re.sub("（续下页）|" + LETTER_TITLE + "（续）", "",
                  "".join(_flat(line) for lines in body for line in lines))
    # Every paragraph whole, once, in order: the notice's text reads on across the marks.
    assert "".join(["全体居民：", *LETTER_BODY]).replace(" ", "") in text
    cut = 0
    for number, lines in enumerate(body[:-1], 1):
        outs = [line for line in lines if "（续下页）" in _flat(line)]
        if not outs:
            continue
        # The part fills its page: its frame closed within 2 lines of the body's foot.
        foot = g.bleed + bottom
        rules = _rule_rows(built.pdf, number, outs[0].top + 8, outs[0].top + 40)
        assert rules and foot - max(rules) < 2 * g.line + 1, (number, foot, rules)
        [title] = [line for line in body[number] if _flat(line) == LETTER_TITLE + "（续）"]
        first = min((line for line in body[number] if line.top > title.top),
                    key=lambda x: x.top)
        before = max((line for line in lines if line.top < outs[0].top), key=lambda x: x.top)
        if abs(first.x0 - g.margin_side) < 1 and _flat(before).endswith(("。", "；", "！", "？")):
            cut += 1  # a sentence ends the part, the paragraph goes on unindented
    assert cut >= 1
