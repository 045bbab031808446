"""A story's table longer than a page breaks between rows, never inside one, its
header row repeated at the top of each page or column it goes on to. Before, a row of
a wide table (set across the page) broke inside: its first lines at the foot of page 1
(序号, the phone number), the rest of its address and dates on page 2 in a row with no
序号, read as a row of its own."""

from __future__ import annotations

import io

import pdfplumber
import pytest

from bulletin_press.build.pipeline import build_runs
from bulletin_press.pdf.text import Line, lines_of

from .conftest import HEADER, MakeIssue
from .test_notice_tables import STORY

INTRO = ("为深入推进“美丽家园”建设，2027年新泾镇共有50个小区（门牌）纳入改造计划，涉及外墙保温、"
         "屋面防水和雨污分流。施工期间夜间作业时间为22:00—次日5:30，"
         "如有疑问请拨打021-6238 1234转8800。")
WIDE = "\n".join(
    ["      | 序号 | 小区名称及门牌 | 改造内容 | 施工时间 | 联系人及电话 |",
     "      | --- | --- | --- | --- | --- |"]
    + [f"      | {n} | 天山西路{1000 + n * 8}弄{n}—{n + 20}号（Vanke Garden{n}区） | "
       "外墙保温、屋面防水、雨污分流 | "
       f"2027年{1 + n % 12}月{n % 28 + 1}日 22:00—次日5:30（第{n}批） | "
       f"王晓峰 021-6238 1234转{8000 + n} |" for n in range(1, 51)])


def _story(title: str, table: str, shift: int) -> str:
    notes = "".join(f"      {note}\n\n" for note in NOTES[:shift])
    return f"""\
  - id: table
    title: {title}
    body: |
      {INTRO}

{notes}      各小区施工安排如下：

{table}

      以上安排如有调整，将通过“新泾镇”微信公众号（ID: xinjing_sh）\
和https://www.xinjing.example.cn/ 公布。
"""


# Lines that move the table down by one line each: wherever a page breaks it, one of
# the shifts puts the break inside a row of three lines.
NOTES = ["（一）夜间施工已报区建管委备案。", "（二）施工垃圾日产日清。"]


def _pages(pdf: bytes) -> list[list[Line]]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [lines_of(page) for page in doc.pages]


@pytest.mark.slow
@pytest.mark.parametrize("shift", [0, 1, 2])
def test_a_long_table_breaks_between_rows_under_its_header(make_issue: MakeIssue,
                                                           shift: int) -> None:
    """A table across the page, 50 rows of three lines: with shift 2 a page broke row 4
    inside before (a table in a column, its rows of one or two lines, broke cleanly
    between rows and columns under a repeated header already: not tested here)."""
    rows, header = 50, "联系人及电话"

    def first(n: int) -> str:
        return f"转{8000 + n}"  # on a row's first line

    def last(n: int) -> str:
        return f"（第{n}批）"  # on its third

    built = build_runs(make_issue(HEADER + STORY + _story("改造小区一览表", WIDE, shift)),
                       store=False)
    pages = _pages(built.pdf)
    assert len(pages) >= 2

    def where(text: str) -> tuple[int, float]:
        found = [(number, line.top) for number, lines in enumerate(pages, 1)
                 for line in lines if text in line.text.replace(" ", "")]
        assert len(found) == 1, (text, found)
        return found[0]

    spots = [(where(first(n)), where(last(n))) for n in range(1, rows + 1)]
    # Each row whole on one page and in one column: its last line's text is at most
    # two lines under its first line's (not above it, at the next column's top).
    line = built.prepared.layout.geometry.line
    for n, ((page_a, top_a), (page_b, top_b)) in enumerate(spots, 1):
        assert page_a == page_b and 0 <= top_b - top_a <= 2.5 * line, n
    assert [p for (p, _), _ in spots] == sorted(p for (p, _), _ in spots)
    # The header row at the top of the table on every page it is on (in each column).
    for page in sorted({p for (p, _), _ in spots}):
        heads = [line for line in pages[page - 1] if header in line.text.replace(" ", "")]
        rows_here = [line for line in pages[page - 1]
                     if any(first(n) in line.text.replace(" ", "")
                            for n in range(1, rows + 1))]
        assert heads and min(h.top for h in heads) < min(r.top for r in rows_here), page
