"""A notice in one column of the story before it (`layout: {start: new-column}`)
longer than a column (layout/notice_parts.py): it goes on in the next column in a
frame of its own, closed at the column's foot and opened again at the next column's
top, with no mark; where it goes on to the next page it is set in parts, with
（续下页） at the foot of the part and the title, small, with （续） at the top of the
next page's first column. Before, it was kept whole (`break-inside: avoid`) however
long: a notice beside a short story sent the story's headline alone to page 2 and its
text to page 3 (4 pages for 2), and one over two columns had its frame open at the
cut."""

from __future__ import annotations

import io
from typing import Any

import pdfplumber
import pytest

from bulletin_press.build.pipeline import build_runs
from bulletin_press.layout.geometry import Geometry
from bulletin_press.pdf.text import Line, lines_of

from .conftest import HEADER, MakeIssue
from .test_kept_together import BOX
from .test_notice_parts import ACCENT
from .test_notice_tables import CARE, OPENING

STORY_PARAGRAPHS = [
    "为做好辖区二次供水设施改造，新泾镇自来水服务所将于2027年3月分片施工。施工期间请居民提前储水，"
    "关好水龙头，防止来水后跑水。详情可登录www.xinjing.gov.cn/water查询。",
    "今年的改造涉及12个小区、共计8,460户居民，总投资约3,200万元，计划于2027年6月底前全部完工。",
]
TITLE = "关于仙霞西路88弄小区生活垃圾定时投放的通知"
OTHER = [
    "小区南门临时停车场于4月1日起改为垃圾分类宣传点，每周日上午9:00—11:00有志愿者现场讲解，"
    "并可用“阿拉环保卡”积分兑换垃圾袋、洗洁精等生活用品。",
    "本通知自2027年4月1日起施行，原《仙霞西路88弄小区垃圾投放时间安排》（2025年6月）同时废止。"
    "如有疑问，请致电居委会021-6238 1234转8012，或发送邮件至juweihui88@xinjing.example.cn。",
]
ORDER = ["全体居民：", *OPENING, "一、注意事项", *CARE, "二、其他", *OTHER]


def _issue(story_repeats: int) -> str:
    story = "\n".join(f"      {p}\n" for p in STORY_PARAGRAPHS * story_repeats)
    care = "\n".join(f"      {p}\n" for p in CARE)
    more = "\n".join(f"      {p}\n" for p in OTHER)
    opening = "\n".join(f"      {p}\n" for p in OPENING)
    return HEADER + f"""\
  - id: story
    title: 新泾镇“美丽家园”改造：十二个小区今年完工
    body: |
{story}
  - id: rules
    kind: notice
    title: {TITLE}
    layout: {{start: new-column}}
    body: |
      全体居民：

{opening}
      ### 一、注意事项

{care}
      ### 二、其他

{more}
    signature:
      issuer: [仙霞西路88弄居民委员会, 上海长宁新泾物业管理有限公司]
      date: 2027年3月15日
""" + BOX


def _pages(pdf: bytes) -> list[list[Line]]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [lines_of(page) for page in doc.pages]


def _flat(line: Line) -> str:
    return line.text.replace(" ", "")


def _columns(g: Geometry) -> list[tuple[float, float]]:
    """Each column's left and right edge, in points from the trimmed page's left."""
    return [(g.margin_side + c * (g.column_width + g.gap),
             g.margin_side + c * (g.column_width + g.gap) + g.column_width)
            for c in range(g.columns)]


def _rules(pdf: bytes, page: int, column: tuple[float, float], g: Geometry) -> list[float]:
    """Rows (pt from the trimmed page's top) where the frame's colour runs across
    most of a column: the rules that close a notice's frame there."""
    import pypdfium2

    scale = 2.0
    image: Any = pypdfium2.PdfDocument(pdf)[page - 1].render(scale=scale).to_pil().convert("RGB")
    left, right = ((x + g.bleed) * scale for x in column)
    rows: list[float] = []
    for y in range(image.height):
        red = sum(1 for x in range(int(left), int(right), 2)
                  if all(abs(a - b) < 40 for a, b in zip(image.getpixel((x, y)), ACCENT,
                                                          strict=True)))
        if red * 2 > 0.8 * (right - left):
            rows.append(y / scale - g.bleed)
    return rows


def _reading(pages: list[list[Line]], g: Geometry) -> str:
    """The pages' text in reading order: each page's left column, then its right."""
    middle = g.margin_side + g.column_width + g.gap / 2
    body = [[line for line in lines
             if g.margin_top - 2 < line.top < g.margin_top + g.lines * g.line]
            for lines in pages]  # not the running heads and folios
    return "".join(_flat(line) for lines in body for line in sorted(
        lines, key=lambda line: (line.x0 >= middle, line.top)))


def _in_order_once(pages: list[list[Line]], g: Geometry) -> None:
    text = _reading(pages, g)
    found = [text.find(p.replace(" ", "")) for p in ORDER]
    assert -1 not in found, [p for p, at in zip(ORDER, found, strict=True) if at < 0]
    assert found == sorted(found)
    assert all(text.count(p.replace(" ", "")) == 1 for p in ORDER)


@pytest.mark.slow
def test_a_column_notice_longer_than_the_page_goes_on_with_marks(make_issue: MakeIssue
                                                                  ) -> None:
    """Beside a short story on page 1, the notice fills the right column to its foot,
    （续下页） there; page 2 opens with its title and （续）."""
    built = build_runs(make_issue(_issue(2)), store=False)
    g = built.prepared.layout.geometry
    pages = _pages(built.pdf)
    assert len(pages) == 2
    _in_order_once(pages, g)
    left, right = _columns(g)
    foot = g.margin_top + g.lines * g.line  # the body's foot, from the trimmed top
    [out] = [(n, line) for n, lines in enumerate(pages, 1) for line in lines
             if "（续下页）" in _flat(line)]
    middle = (left[1] + right[0]) / 2
    assert out[0] == 1 and out[1].x0 > middle  # page 1's right column
    [again] = [(n, line) for n, lines in enumerate(pages, 1) for line in lines
               if _flat(line) == TITLE + "（续）"]
    assert again[0] == 2 and again[1].x1 < middle  # page 2's left column, at its top
    assert again[1].top <= min(line.top for line in pages[1] if line.x0 < middle
                               and line.top > g.margin_top - 2) + 1
    # The part fills page 1's right column: its frame closed within 2 lines of the foot.
    closing = [y for y in _rules(built.pdf, 1, right, g) if y > out[1].top]
    assert closing and foot - closing[0] < 2 * g.line, (foot, closing)
    # The next part's frame is closed above its title.
    assert [y for y in _rules(built.pdf, 2, left, g) if y < again[1].top]


@pytest.mark.slow
def test_a_column_notice_goes_on_in_the_next_column_in_a_frame_of_its_own(
        make_issue: MakeIssue) -> None:
    """After a story that fills page 1, the notice starts page 2's left column and goes
    on in the right one: a closed frame in each, no mark."""
    built = build_runs(make_issue(_issue(8)), store=False)
    g = built.prepared.layout.geometry
    pages = _pages(built.pdf)
    _in_order_once(pages, g)
    assert "续" not in _reading(pages, g)
    left, right = _columns(g)
    [(page, title)] = [(n, line) for n, lines in enumerate(pages, 1) for line in lines
                       if "关于仙霞西路88弄小区" in _flat(line) and line.size > 12]
    assert title.x1 < (left[1] + right[0]) / 2
    on_right = [line for line in pages[page - 1] if line.x0 > (left[1] + right[0]) / 2
                and any(p.replace(" ", "")[:12] in _flat(line) for p in CARE)]
    assert on_right  # it went on in the right column
    # The frame closed under the last line of the left column, and opened again above
    # the first line of the right one.
    middle = (left[1] + right[0]) / 2
    foot = g.margin_top + g.lines * g.line
    last = max(line.top for line in pages[page - 1] if line.x0 < middle and line.top < foot)
    assert [y for y in _rules(built.pdf, page, left, g) if last + 8 < y < foot]
    first = min(line.top for line in pages[page - 1]
                if line.x0 > middle and line.top > g.margin_top - 2)
    assert [y for y in _rules(built.pdf, page, right, g) if first - 40 < y < first]
