"""Table columns as wide as their content needs (layout/tables.py): a column of
times, prices or phone numbers keeps each on one line."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from bulletin_press.build.pipeline import build
from bulletin_press.fonts.lookup import family_metrics
from bulletin_press.layout.tables import column_widths, pieces
from bulletin_press.pdf.text import lines_of
from bulletin_press.text.blocks import Cell, Span
from bulletin_press.text.breaks import glue

from .conftest import HEADER, MakeIssue

ROWS = [
    ["类别", "预约方式", "清运时间", "收费标准", "咨询电话"],
    ["---", "---", "---", "---:", "---"],
    ["大件垃圾（沙发、床垫、衣柜等）", "“随申办”APP或电话预约", "每周二、五 9:00—11:30", "每件20元",
     "021-6238 4410"],
    ["装修垃圾（袋装）", "物业服务中心登记", "每周三 13:30—16:30", "每袋3元", "021-6238 4411"],
    ["装修垃圾（散装，满1车）", "电话预约", "预约后48小时内", "每车450元", "13601822476（陈师傅）"],
    ["废旧家电（冰箱、洗衣机、空调）", "拨打“爱回收”热线或登录www.aihuishou.example.com",
     "预约后3个工作日内", "免费上门回收", "400-820-5050"],
]
TABLE = "".join(f"      | {' | '.join(row)} |\n" for row in ROWS)
WHOLE = ["每周二、五9:00—11:30", "每周三13:30—16:30", "每件20元", "每车450元", "免费上门回收",
         "021-62384410", "400-820-5050"]


def test_pieces_keep_glued_times_prices_and_numbers_whole() -> None:
    assert pieces(glue("每周二、五 9:00—11:30")) == ["每", "周", "二、", "五", "9:00—11:30"]
    assert pieces(glue("每车450元")) == ["每", "车", "450元"]
    assert pieces(glue("13601822476（陈师傅）")) == ["13601822476", "（陈", "师", "傅）"]


def test_a_column_gets_its_longest_piece_then_what_saves_lines() -> None:
    font = family_metrics("Noto Sans CJK SC")
    assert font is not None

    def row(*texts: str) -> list[Cell]:
        return [Cell([Span(glue(t))], header=False, align=None) for t in texts]

    rows = [row("大件垃圾（沙发、床垫、衣柜等），请提前一天预约并说明数量", "9:00—11:30",
                "每件20元"), row("装修垃圾", "13:30—16:30", "每车450元")]
    widths = column_widths(rows, 241.5, 9.5, font)
    assert len(widths) == 3 and sum(widths) == pytest.approx(100, abs=0.1)
    time_room = widths[1] / 100 * 241.5 - 0.8 * 9.5
    assert time_room >= font.width("13:30—16:30", 9.5)  # the range is never cut
    assert column_widths(rows, 60, 9.5, font) == []  # the pieces alone do not fit


@pytest.mark.slow
def test_a_notice_table_keeps_times_and_prices_on_one_line(make_issue: MakeIssue,
                                                          tmp_path: Path) -> None:
    manifest = HEADER + ("  - id: n\n    kind: notice\n    title: 通知\n    body: |\n"
                         "      各居民区：\n\n" + TABLE)
    built = build(make_issue(manifest))
    path = tmp_path / "n.pdf"
    path.write_bytes(built.pdf)
    with pdfplumber.open(path) as pdf:
        texts = [line.text.replace(" ", "") for line in lines_of(pdf.pages[0])]
    for whole in WHOLE:
        assert any(whole in text for text in texts), (whole, texts)
