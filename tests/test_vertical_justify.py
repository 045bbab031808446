"""Vertical justification (typeset/ext/vertical_justify.py): a short column filled
on its own in whole lines at the places the HTML marks, against stock WeasyPrint."""

from __future__ import annotations

from typing import Any

import pytest
import weasyprint

from bulletin_press.layout.context import GAP_PARAGRAPHS, ArticleContext, justify_places
from bulletin_press.typeset import gate
from bulletin_press.typeset.ext.vertical_justify import Place, share

gate.install()

LINE = 24.0  # px: every vertical length below is whole lines of it
TOP, FOOT = 20.0, 452.0  # the page's text area: 18 lines
# A page of two columns: the left one full of a long paragraph (an address, a phone
# number, English words), the right one its last lines, a subhead, a table of
# addresses and phones, a paragraph with a web address, one with English words; it
# ends short of the foot. Marks as layout/context.py writes them: a block place
# above the subhead and above the paragraph after the table, a paragraph place;
# none under the subhead (the table stays with it).
PARAGRAPH = (
    "新泾镇社区事务受理服务中心（地址：长宁区哈密路1号乙，电话021-6233 0110）自本月起延长服务"
    "时间，工作日晚上八点前可办理居住证、社保卡和老年综合津贴等业务。" * 2
    + "北虹路1088弄小区加装电梯工程进入收尾阶段，施工单位表示新电梯将于月底前交付使用，"
    "惠及十二个楼道的居民。天山路街道与新泾镇联合举办的“睦邻微课堂”开讲，社区志愿者用Python和"
    "Excel演示如何查看电子医保凭证。")
HTML = """<html><head><style>
@page {{ size: 440px 472px; margin: 20px }}
html {{ line-height: 24px; font-size: 14px; font-family: "Noto Serif CJK SC" }}
body {{ margin: 0 }}
.columns {{ columns: 2; column-gap: 20px; column-fill: auto }}
p {{ margin: 0; text-indent: 2em; orphans: 2; widows: 2 }}
h3 {{ margin: 24px 0 0; font: bold 14px/24px "Noto Sans CJK SC"; break-after: avoid }}
table {{ border-collapse: collapse; margin: 0; width: 100% }}
td, th {{ padding: 0; font: 12px/24px "Noto Sans CJK SC"; text-align: left }}
</style></head><body{closes}>
<div class="columns"><section>
<p id="long">{paragraph}</p>
<h3 id="subhead" data-vj="b2">二、服务点地址和电话（Service Points）</h3>
<table id="table"><tr><th>站点</th><th>电话</th></tr>
<tr><td>睦邻中心 哈密路1号乙</td><td>021-6233 0110</td></tr>
<tr><td>长者食堂 北虹路1088弄</td><td>021-6238 7720</td></tr></table>
<p id="web" data-vj="b2">居民可登录www.xinjing.gov.cn/15min查询身边的37个服务点。</p>
<p id="english" data-vj="p1">Shanghai Elevator Co. 表示，新电梯将于月底前通过检验。</p>
</section></div>
{after}</body></html>"""
NEXT_PAGE = '<div style="break-before: page"><p>第二版</p></div>\n'


def _boxes(html: str, stock: bool = False) -> dict[str, list[tuple[int, float, float, float]]]:
    """Element id → (page, x, top, bottom) of each of its block boxes (border box, px)."""
    if stock:
        with gate.stock("vertical_justify"):
            document = weasyprint.HTML(string=html).render()
    else:
        document = weasyprint.HTML(string=html).render()
    found: dict[str, list[tuple[int, float, float, float]]] = {}

    def walk(box: Any, page: int) -> None:
        element = getattr(box, "element", None)
        if element is not None and element.get("id") and \
                type(box).__name__ not in ("LineBox", "TextBox", "InlineBox"):
            top = box.border_box_y()
            found.setdefault(element.get("id"), []).append(
                (page, round(box.position_x), round(top, 2), round(top + box.border_height(), 2)))
        for child in getattr(box, "children", ()):
            walk(child, page)

    for number, page in enumerate(document.pages):
        walk(page._page_box, number)
    return found


def test_a_short_right_column_beside_a_full_one_is_filled_in_whole_lines() -> None:
    html = HTML.format(closes="", paragraph=PARAGRAPH, after=NEXT_PAGE)
    stock, ours = _boxes(html, stock=True), _boxes(html)
    # Stock WeasyPrint: the left column full, the right one ends two lines short.
    left, right = stock["long"]
    assert left[3] == FOOT and right[1] > left[1]
    assert FOOT - stock["english"][0][3] == 2 * LINE
    # Justified: the right column reaches its foot, the left one is as it was.
    assert ours["english"][0][3] == FOOT
    assert ours["long"] == stock["long"]
    moves = {key: ours[key][0][2] - stock[key][0][2] for key in ("subhead", "table", "web",
                                                                  "english")}
    assert all(move % LINE == 0 and move >= 0 for move in moves.values()), moves
    # Down the column, never up again; the blocks first (above the subhead, above
    # the paragraph after the table), a line each, before the paragraphs.
    assert list(moves.values()) == sorted(moves.values())
    assert moves == {"subhead": LINE, "table": LINE, "web": 2 * LINE, "english": 2 * LINE}
    # No space after a heading: the table follows the subhead as before.
    assert ours["table"][0][2] == ours["subhead"][0][3]
    # The subhead's own margin above is kept, the line is added to it.
    assert ours["subhead"][0][2] - ours["long"][1][3] == 2 * LINE


def test_a_documents_last_page_is_left_unless_it_closes() -> None:
    """The issue's last page (the colophon's) keeps its text where it ends; a page
    run's last page before an article that starts a new page is filled."""
    last = HTML.format(closes="", paragraph=PARAGRAPH, after="")
    assert _boxes(last) == _boxes(last, stock=True)
    closed = HTML.format(closes=" data-closes-last-page", paragraph=PARAGRAPH, after="")
    assert _boxes(closed)["english"][0][3] == FOOT


def test_nothing_moves_at_the_top_of_a_column() -> None:
    """A mark on the first block of a column is no place: the blank would open it."""
    html = HTML.format(closes="", paragraph="短段落。", after=NEXT_PAGE).replace(
        '<h3 id="subhead"', '<h3 id="subhead" style="break-before: column"')
    ours = _boxes(html)
    assert ours["subhead"] == _boxes(html, stock=True)["subhead"]
    assert ours["english"][0][3] > _boxes(html, stock=True)["english"][0][3]


def _places(*marks: str) -> list[Place]:
    return [Place(object(), mark[0], int(mark[1:])) for mark in marks]


@pytest.mark.parametrize(("amount", "expected", "left"), [
    (1, [0, 1, 0, 0], 0),  # blocks first; fewer lines than places: spread evenly
    (2, [1, 1, 0, 0], 0),
    (3, [1, 2, 0, 0], 0),  # a second line at a block (cap 2) before a paragraph
    (4, [2, 2, 0, 0], 0),
    (5, [2, 2, 0, 1], 0),
    (9, [2, 2, 1, 1], 3),  # the caps: what is left stays
])
def test_share_fills_blocks_first_then_paragraphs_up_to_their_caps(
        amount: int, expected: list[int], left: int) -> None:
    places = _places("b2", "b2", "p1", "p1")
    assert share(places, amount) == left
    assert [p.lines for p in places] == expected


def test_share_spreads_a_few_lines_evenly_down_the_column() -> None:
    places = _places("p1", "p1", "p1", "p1", "p1", "p1")
    share(places, 2)
    assert [p.lines for p in places] == [0, 1, 0, 0, 1, 0]


def _article(kinds: list[str], **fields: Any) -> ArticleContext:
    body = [{"kind": kind, "table": None, "gap": 0} for kind in kinds]
    article = {"kind": "story", "start": "continue", "qr": None, "signature": None,
               "gap_above": 0, "gap_foot": 0, "continued": False, "headline_span": True,
               "body": body}
    return {**article, **fields}  # type: ignore[return-value]


def test_places_never_follow_a_headline_or_subhead_and_give_way_to_the_plan() -> None:
    article = _article(["paragraph", "paragraph", "subhead", "paragraph", "table",
                        "paragraph"])
    article["body"][5]["gap"] = 1  # the page plan spread a line there already
    second = _article(["paragraph", "paragraph"], start="continue", kind="box")
    [[first, box]] = justify_places([[article, second]])
    assert [item["place"] for item in first["body"]] == ["", "p1", "b2", "", "b2", "b1"]
    assert GAP_PARAGRAPHS == 1
    # The first flow of the issue: nothing above it; its headline has room for a line.
    assert first["place_space"] == "" and first["place_headline"] == "b1"
    # A box is kept whole: a place above it, none inside.
    assert box["place_above"] == "b3" and [i["place"] for i in box["body"]] == ["", ""]
