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


SERVICES = [["项目", "地点", "时间", "电话"],
            ["理发", "古美社区食堂二楼", "每周二8:30—11:00", "021-6238 1234转8012"],
            ["磨刀", "平南路菜市场门口", "每月5日9:00—11:30", "13912345678"],
            ["修伞", "居委会活动室", "工作日13:30—16:30", "021-5422 3301"]]


def _set(rows: list[list[str]], width: float) -> tuple[int, list[str]]:
    """The rows' lines at the widths column_widths gives, and the cells that wrap."""
    font = family_metrics("Noto Sans CJK SC")
    assert font is not None
    cells = [[Cell([Span(glue(t))], header=False, align=None) for t in row] for row in rows]
    shares = column_widths(cells, width, 9.5, font)
    total, wrapped = 0, []
    for row in rows:
        most = 1
        for text, share in zip(row, shares, strict=True):
            room, lines, x = share / 100 * width - 0.8 * 9.5, 1, 0.0
            for piece in pieces(glue(text)):
                w = font.width(piece, 9.5)
                lines, x = (lines + 1, w) if x and x + w > room else (lines, x + w)
            most = max(most, lines)
            if lines > 1:
                wrapped.append(text)
        total += most
    return total, wrapped


def test_columns_that_save_a_line_together_are_widened_together() -> None:
    # One step at a time, widening the time column alone saved nothing in a row whose
    # place wrapped too: the ranges were cut (每周二 / 8:30—11:00) in 7 lines, not 6.
    lines, wrapped = _set(SERVICES, 280)
    assert lines <= 6
    assert not any("—" in text for text in wrapped)  # the time ranges stay whole


def test_a_phone_number_keeps_its_extension_where_the_table_has_room() -> None:
    assert pieces(glue("021-6401 5110转2036")) == ["021-6401 5110转2036"]
    assert pieces(glue("共1234567人转2")) == ["共", "1234567", "人", "转2"]
    # Not room enough for it (a column of 单位 names would be cut): at 转 it breaks.
    hotline = [["单位", "电话", "服务时间"], ["全国反诈劝阻专线", "96110", "24小时"],
               ["古美路派出所", "021-6401 5110转2036", "24小时"],
               ["古美路街道平安办", "021-5422 3301转8012", "工作日8:30—17:00"]]
    _, wrapped = _set(hotline, 241.5)
    assert not any(name in wrapped for name in ("全国反诈劝阻专线", "古美路街道平安办"))
    _, wrapped = _set(hotline, 330)
    assert wrapped == []


def test_a_split_table_keeps_two_rows_together(make_issue: MakeIssue, tmp_path: Path) -> None:
    # outside s14 #5: the hotline table's last row went alone to the top of the right
    # column (a table of one row, under its repeated header).
    manifest = (Path(__file__).parent / "fixtures" / "hotline-table.yaml").read_text("utf-8")
    built = build(make_issue(manifest))
    path = tmp_path / "h.pdf"
    path.write_bytes(built.pdf)
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        words = page.extract_words()
        middle = page.width / 2

        def side(start: str) -> set[bool]:
            return {w["x0"] > middle for w in words if w["text"].startswith(start)}
        assert len(side("古美路街道平安办")) == 1
        assert side("上海市反诈中心") == side("古美路街道平安办")
