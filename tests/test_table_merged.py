"""Merged table cells: `^^` (with the cell above) and `<<` (with the cell to the
left) in a pipe table, printed as one cell spanning its rows and columns; Word's
merged cells imported so."""

from __future__ import annotations

import io
import itertools
from pathlib import Path

import pdfplumber
import pytest
from docx.document import Document as DocumentObject
from hypothesis import given, settings
from hypothesis import strategies as st

from bulletin_press.build.pipeline import build
from bulletin_press.intake.docx import read_docx
from bulletin_press.layout.tables import table_context
from bulletin_press.text.blocks import parse_markdown

from .conftest import HEADER, MakeIssue
from .test_intake_word_details import word_file

FIREWORKS = """\
| 区域 | 禁放路段 | 时段 | 负责单位 |
| --- | --- | --- | --- |
| 古美路街道 | 古美路（莲花路至虹梅路） | 全天 | 古美派出所 |
| ^^ | 平阳路、平南路沿线50米内 | 全天 | ^^ |
| ^^ | 古美西路（Gumei West Road）1—300号 | 除夕18:00至初一6:00 | ^^ |
| 梅陇镇 | 莲花南路、罗秀路 | 全天 | 梅陇派出所 |
| ^^ | 春申路沿线商铺 | 初五0:00至8:00 | ^^ |
| 备注 | 以区公安分局最新公告为准，举报电话110或021-5422 3301 | << | << |
"""


def grid(markdown: str) -> list[list[tuple[str, int, int, bool]]]:
    table = parse_markdown(markdown).blocks[0]
    return [[("".join(s.text for s in c.spans), c.rows, c.columns, c.covered) for c in row]
            for row in table.rows]


def test_marks_merge_cells_down_rows_and_across_columns() -> None:
    parsed = parse_markdown(FIREWORKS)
    assert parsed.problems == []
    rows = grid(FIREWORKS)
    assert rows[1][0] == ("古美路街道", 3, 1, False)
    assert rows[1][3] == ("古美派出所", 3, 1, False)
    assert [row[0][3] for row in rows[2:4]] == [True, True]  # covered, not printed
    assert rows[4][0] == ("梅陇镇", 2, 1, False)
    assert rows[6][1][:3] == ("以区公安分局最新公告为准，举报电话110或021-5422 3301", 1, 3)
    assert [c[3] for c in rows[6][2:]] == [True, True]


def test_a_block_merged_down_and_across() -> None:
    rows = grid("| 时间 | 地点 | 内容 |\n| --- | --- | --- |\n"
                "| 1月18日 | 社区事务受理服务中心三楼 | << |\n| 1月19日 | ^^ | ^^ |\n")
    assert rows[1][1][1:3] == (2, 2)
    assert all(c[3] for c in [rows[1][2], rows[2][1], rows[2][2]])


@pytest.mark.parametrize(("markdown", "line", "column"), [
    ("| ^^ | 地点 |\n| --- | --- |\n| 古美路 | 全天 |", 1, 3),  # nothing above the header
    ("| 区域 | 地点 |\n| --- | --- |\n| ^^ | 全天 |", 3, 3),  # above is the header
    ("| 区域 | 地点 |\n| --- | --- |\n| << | 全天 |", 3, 3),  # nothing to the left
    # under two merged columns, one marked and the other not: no rectangle
    ("| 区域 | 地点 |\n| --- | --- |\n| 古美路街道 | << |\n| ^^ | 平阳路 |", 4, 3),
])
def test_a_mark_with_nothing_to_merge_with_is_reported_where_typed(
        markdown: str, line: int, column: int) -> None:
    problems = parse_markdown(markdown).problems
    assert [(p.code, p.line, p.column) for p in problems] == [
        ("markup.table-merge", line, column)]
    assert problems[0].hint


def test_a_cell_that_reads_marks_is_text_when_escaped() -> None:
    rows = grid("| 区域 | 地点 |\n| --- | --- |\n| 古美路 | 全天 |\n| \\^^ | \\<< |\n")
    assert rows[2] == [("^^", 1, 1, False), ("<<", 1, 1, False)]


def test_word_merged_cells_are_imported_merged(tmp_path: Path) -> None:
    def write(doc: DocumentObject) -> None:
        rows = [["区域", "禁放路段", "时段"], ["古美路街道", "古美路", "全天"],
                ["", "平阳路沿线50米内", "全天"], ["", "古美西路1—300号", "除夕18:00起"],
                ["备注", "以区公安分局最新公告为准", ""], ["梅陇镇", "^^", "全天"]]
        table = doc.add_table(rows=len(rows), cols=3)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
        table.cell(1, 0).merge(table.cell(3, 0)).text = "古美路街道"
        table.cell(4, 1).merge(table.cell(4, 2)).text = "以区公安分局最新公告为准"

    draft = read_docx(word_file(tmp_path / "禁放通告.docx", write))
    body = draft.articles[0].body
    rows = grid(body[body.index("| 区域"):])
    assert rows[1][0] == ("古美路街道", 3, 1, False)
    assert rows[2][0][3] and rows[3][0][3]
    assert rows[4][1] == ("以区公安分局最新公告为准", 1, 2, False)
    assert rows[5][1] == ("^^", 1, 1, False)  # Word's text ^^ stays text
    assert parse_markdown(body).problems == []
    assert "import.table-merged" in [n.code for n in draft.notes]


NOTICE = HEADER + """\
  - id: fireworks
    kind: notice
    title: 关于春节期间烟花爆竹禁放区域的通告
    body: |
      各位居民：

      经区人民政府批准，春节期间下列区域全面禁止燃放烟花爆竹，咨询电话021-6238 1234转8012。

{table}
      请各居民区将本通告张贴于楼道宣传栏。
"""


def test_a_merged_cell_is_printed_once_spanning_its_rows(make_issue: MakeIssue) -> None:
    table = "".join("      " + line + "\n" for line in FIREWORKS.splitlines())
    pdf = build(make_issue(NOTICE.replace("{table}\n", table))).pdf
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        words = page.extract_words()
        text = page.extract_text()
        assert text.count("古美路街道") == 1 and text.count("古美派出所") == 1
        assert text.count("梅陇镇") == 1
        first = next(w for w in words if w["text"].startswith("古美路（"))
        third = next(w for w in words if w["text"].startswith("古美西路"))
        district = next(w for w in words if w["text"].startswith("古美路街道"))
        # centred down the three rows it spans (from the first row's line to the next
        # district's), not at the top of the first
        after = next(w for w in words if w["text"].startswith("莲花南路"))
        line = next(w for w in words if w["text"].startswith("春申路"))["top"] - after["top"]
        assert first["top"] < district["top"] < third["top"]
        assert abs(district["top"] + line / 2 - (first["top"] + after["top"]) / 2) < 2
        # 备注 is one cell across three columns: its text starts in the second column
        # and runs on past where the third begins
        note = next(w for w in words if w["text"].startswith("以区公安分局"))
        when = next(w for w in words if w["text"] == "时段")
        assert note["x0"] < when["x0"] < note["x1"]


def test_a_back_issue_s_ruled_table_with_merged_cells_is_imported_merged(
        tmp_path: Path) -> None:
    """A back issue's table ruled around every cell, 古美路街道 merged down three rows
    and 备注's text across two columns: read by its rules (it was read from the gaps,
    古美路街道 in the middle row and the rows above and under it empty)."""
    from weasyprint import HTML

    from bulletin_press.intake.pdf import read_pdf

    from .test_intake_pdf import _two_columns

    rows = ("<tr><td>区域</td><td>禁放路段</td><td>时段</td></tr>"
            "<tr><td rowspan=3>古美路街道</td><td>古美路</td><td>全天</td></tr>"
            "<tr><td>平阳路沿线50米内</td><td>全天</td></tr>"
            "<tr><td>古美西路1—300号</td><td>除夕18:00起</td></tr>"
            "<tr><td>备注</td><td colspan=2>以区公安分局最新公告为准</td></tr>")
    before = ("经区人民政府批准，春节期间下列区域全面禁止燃放烟花爆竹，违者由公安机关依法"
              "处罚，咨询电话021-6238 1234转8012。")
    after = "请各居民区将本通告张贴于楼道宣传栏，并通过微信群转告居民，对违规燃放行为及时劝阻。"
    html = f"""<html><head><style>{_two_columns(240)}
    table {{ width: 100%; border-collapse: collapse; font: 8.5pt "Noto Sans CJK SC" }}
    td {{ border: .5pt solid #555; padding: 1mm }}
    </style></head><body><h1>关于春节期间烟花爆竹禁放区域的通告</h1>
    <div class="cols"><p>{before}</p><table>{rows}</table><p>{after}</p></div></body></html>"""
    source = tmp_path / "2027-01.pdf"
    HTML(string=html).write_pdf(source)
    [article] = read_pdf(source).articles
    [table] = [b for b in article.blocks if b.startswith("|")]
    assert table.split("\n")[2:] == ["| 古美路街道 | 古美路 | 全天 |",
                                     "| ^^ | 平阳路沿线50米内 | 全天 |",
                                     "| ^^ | 古美西路1—300号 | 除夕18:00起 |",
                                     "| 备注 | 以区公安分局最新公告为准 | << |"]
    assert parse_markdown(table).problems == []


PARAGRAPH = ("根据《上海市烟花爆竹安全管理条例》，经区人民政府批准，春节期间下列区域全面禁止燃"
             "放烟花爆竹。违者由公安机关依法处罚，咨询电话021-6238 1234转8012"
             "，详见https://www.shmh.gov.cn/gumei/tzgg。")

SPLIT = HEADER + """\
  - id: fireworks
    kind: notice
    section: 公告
    title: 关于2027年春节期间烟花爆竹禁放区域的通告
    body: |
      各位居民：

      {PARAGRAPH}

      | 区域 | 禁放路段 | 时段 | 负责单位 |
      | --- | --- | --- | --- |
      | 古美路街道 | 古美路（莲花路至虹梅路） | 全天 | 古美派出所 |
      | ^^ | 平阳路、平南路沿线50米内 | 全天 | ^^ |
      | ^^ | 古美西路（Gumei West Road）1—300号 | 除夕18:00至初一6:00 | ^^ |
      | 梅陇镇 | 莲花南路、罗秀路 | 全天 | 梅陇派出所 |
      | ^^ | 春申路沿线商铺 | 初五0:00至8:00 | ^^ |
      | 备注 | 以区公安分局最新公告为准，举报电话110或021-5422 3301 | << | << |

      请各居民区将本通告张贴于楼道宣传栏。

  - id: story
    title: 社区志愿者春节值守安排
    body: |
      春节期间，古美路街道组织社区志愿者在各居民区开展巡查值守，重点检查楼道堆物、电动自行车充电和烟花爆竹禁放情况。志愿者每日两班，每班四人，遇到问题及时上报居委会。

      | 居民区 | 值守地点 | 联系人 | 电话 |
      | --- | --- | --- | --- |
      | 古美一村 | 1号门岗 | 王阿姨 | 021-6401 5110转2036 |
      | ^^ | 社区活动室 | ^^ | ^^ |
      | 古美二村 | 南门 | 李师傅 | 138 1765 4421 |
      | 平阳一村 | 北门 | 张先生 | 021-6480 7722 |
      | ^^ | 菜场口 | 陈女士 | 139 1622 0093 |
      | ^^ | 地下车库入口 | ^^ | ^^ |

      志愿者上岗前须参加消防安全培训，培训时间为1月18日（周一）下午2点，地点在街道社区事务受理服务中心三楼会议室。
""".replace("{PARAGRAPH}", PARAGRAPH)


def test_rows_a_merged_cell_spans_are_not_parted_by_a_page_break(
        make_issue: MakeIssue) -> None:
    """The volunteers' table runs over its page's foot where 平阳一村 spans three rows:
    WeasyPrint broke it after the first (平阳一村 and 北门 at the foot, 菜场口 and
    地下车库入口 under the header repeated on the next page, the merged cell cut)."""
    pdf = build(make_issue(SPLIT)).pdf
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        pages = [page.extract_text() for page in doc.pages]
    [where] = [n for n, text in enumerate(pages) if "平阳一村" in text]
    assert all(name in pages[where] for name in ("北门", "菜场口", "地下车库入口"))
    assert len(pages) > 1 and where > 0  # the table did run over


def test_a_notice_in_parts_is_not_cut_inside_a_merged_cell() -> None:
    """Where a notice longer than a page may be cut between two rows of its table:
    never between rows a merged cell spans (古美路街道 down rows 1–3, 梅陇镇 4–5)."""
    from bulletin_press.layout.notice_parts import _units

    block = parse_markdown(FIREWORKS).blocks[0]
    table = table_context(block, 240.0, 9.5, None, can_span=False)
    assert table["bound"] == [True, True, False, True, False, False]
    ids = [f"t-row-{n}" for n in range(1, 6)] + ["t-end"]
    item = {"figure": None, "anchor": "t", "end": "t-end", "row_ids": ids, "table": table}
    starts = [start for (_, start), _ in _units([item])]  # type: ignore[list-item]
    assert starts == [0, 3]  # before 梅陇镇 (2 rows at least either side), not inside a span


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["^^", "<<", "古美", "x", ""]), min_size=3,
                         max_size=3), min_size=2, max_size=6))
def test_merged_cells_always_tile_the_table(rows: list[list[str]]) -> None:
    """Whatever the marks, each cell of the grid is printed by exactly one cell (a
    merge's first covers a rectangle), and each body row says whether it is bound."""
    markdown = "\n".join(["| " + " | ".join(rows[0]) + " |", "| --- | --- | --- |",
                          *("| " + " | ".join(row) + " |" for row in rows[1:])])
    table = parse_markdown(markdown).blocks[0]
    printed: dict[tuple[int, int], tuple[int, int]] = {}
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row):
            if not cell.covered:
                for place in itertools.product(range(r, r + cell.rows),
                                               range(c, c + cell.columns)):
                    assert place not in printed
                    printed[place] = (r, c)
    assert set(printed) == {(r, c) for r in range(len(rows)) for c in range(3)}
    context = table_context(table, 240.0, 9.5, None, can_span=True)
    assert len(context["bound"]) == len(context["rows"])


def test_a_cell_merged_down_many_rows_lets_them_break() -> None:
    """A 居民区 over its twenty 楼栋: bound, the table went whole to the next page and
    left a page empty (the headline alone on it); it breaks with its rows, its text
    at its top."""
    rows = ["| 古美路街道 | 古美一村1号楼 | 021-6401 5110 |",
            *(f"| ^^ | 古美一村{k}号楼 | 138 1765 {4400 + k} |" for k in range(2, 21))]
    markdown = "| 区域 | 楼栋 | 电话 |\n| --- | --- | --- |\n" + "\n".join(rows)
    context = table_context(parse_markdown(markdown).blocks[0], 240.0, 9.5, None,
                            can_span=True)
    assert not any(context["bound"])
    assert context["rows"][0][0]["long"] and context["rows"][0][0]["rows"] == 20
    short = table_context(parse_markdown(FIREWORKS).blocks[0], 240.0, 9.5, None,
                          can_span=True)
    assert not short["rows"][0][0]["long"]
