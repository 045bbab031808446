"""Line-end closing marks set half width (outside's H) and captions broken between
words (outside's J), judged from PDFs and from the check, with hard material."""

from __future__ import annotations

import io
import itertools

import pdfplumber
import pytest
import weasyprint

from bulletin_press.build.pipeline import build
from bulletin_press.checks.typesetting import BodyLine, check_overfull, read_body
from bulletin_press.pdf.text import Line
from bulletin_press.text.breaks import BREAK, mark_text
from bulletin_press.text.punctuation import CLOSING
from bulletin_press.text.words import words
from bulletin_press.typeset import gate
from bulletin_press.typeset.ext import cjk_justify

from .conftest import HEADER, MakeIssue
from .test_typocheck import G

gate.install()


def _rows(html: str) -> list[list[dict[str, object]]]:
    """The rows of characters of every page, top to bottom."""
    pdf = weasyprint.HTML(string=html).write_pdf()
    out: list[list[dict[str, object]]] = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            rows: dict[float, list[dict[str, object]]] = {}
            for char in page.chars:
                if char["text"].strip():
                    rows.setdefault(round(float(char["top"])), []).append(char)
            out += [sorted(row, key=lambda c: float(c["x0"])) for _, row in sorted(rows.items())]
    return out


def _page(body: str, width_em: float, align: str = "justify") -> str:
    return ("<html lang='zh-CN'><style>@page { size: 200mm 280mm; margin: 10mm }"
            "body { font: 10pt/20pt 'Noto Serif CJK SC'; margin: 0 }"
            f"p {{ width: {width_em}em; text-align: {align}; margin: 0 0 20pt }}</style>"
            f"<body>{body}</body></html>")


MARKS = "，。、；：？！）」』》"  # (” before Han: UAX #14 breaks before 会” instead)


def test_a_justified_line_ending_in_a_closing_mark_reaches_the_edge_with_its_ink() -> None:
    """The mark's blank half was left inside the column (团、 ended half an em short of
    在 above it): each closing mark, after Han and after a number, ends the first line
    of its paragraph, and its ink (the mark's left half) ends at the 12 em edge."""
    body = "".join(f"<p>{start}{mark}我们继续写下去直到这一段话结束为止。</p>"
                   for start in ("新泾镇社区居民代表大会", "居民代表共有12名志愿")
                   for mark in MARKS)
    ends = [row for row in _rows(_page(body, 12))
            if str(row[0]["text"]) in "新居" and str(row[-1]["text"]) in CLOSING]
    assert len(ends) == 2 * len(MARKS)
    inked = [float(row[-1]["x0"]) + 5 - float(row[0]["x0"]) for row in ends]
    assert all(abs(width - 120) < 0.3 for width in inked), inked  # main: 115


def test_lines_break_where_they_did() -> None:
    """Only the drawing changes: the same lines, at every width from 9 to 14 em, as
    without the compression; a centred line is not moved."""
    text = ("新泾镇第二届人民代表大会第二次会议于2022年12月29日顺利召开。来自各行各业、各条战线"
            "的人大代表汇聚一堂，依法履职，共商共议新泾经济社会发展；镇党委、政府有关领导列席"
            "会议。《我和我的祖国》《茉莉花》等16首曲目，“新泾之声”合唱团演唱。")
    body = "".join(f"<p style='width: {9 + k / 4}em'>{text}</p>" for k in range(21))
    body += "<p style='text-align: center'>九十岁的阿婆下了楼。</p>"
    html = _page(body, 12)

    def lines() -> list[str]:
        return ["".join(str(c["text"]) for c in row) for row in _rows(html)]

    compressed = lines()
    with gate.stock("cjk_justify"):
        stock = lines()
    assert compressed == stock


def test_the_check_measures_a_line_end_mark_by_its_ink() -> None:
    """《我和我的祖国》 before 《茉莉花》: the 》 at the line end is half width (.cjk-h),
    its ink at the column edge, but PDFium gives its whole box: `check` reported a
    5.3 pt overfull line (outside's H). A line really running past the edge still is."""
    edge = G.margin_side + G.column_width

    def row(text: str, last_x0: float) -> BodyLine:
        chars = [{"text": c, "x0": last_x0 - 10.5 * (len(text) - 1 - i),
                  "x1": last_x0 - 10.5 * (len(text) - 2 - i), "size": 10.5}
                 for i, c in enumerate(text)]
        line = Line(G.margin_top, chars[0]["x0"], chars[-1]["x1"], text, 10.5,
                    "X+Noto-Serif-CJK-SC", chars)
        return BodyLine(1, 1, 1, line, G.margin_side)

    assert list(check_overfull([row("演唱了《我和我的祖国》", edge - 5.25)], G)) == []
    over = [row("演唱了《我和我的祖国", edge - 5.25)]  # 国 runs half its width past
    assert [d.code for d in check_overfull(over, G)] == ["typography.overfull-line"]


def test_a_mark_set_half_width_already_or_in_english_is_not_taken_twice() -> None:
    """》 before 《 is half width already (.cjk-h); an English closing quote is
    proportional (.bp-pq): neither has a blank half to take."""
    style = {"font_feature_settings": (("halt", 1),), "font_variant_east_asian": "normal",
             "font_size": 10.0}
    assert cjk_justify.end_blank(style) == 0.0
    assert cjk_justify.end_blank({**style, "font_feature_settings": "normal",
                                  "font_variant_east_asian": ("proportional-width",)}) == 0.0
    assert cjk_justify.end_blank({**style, "font_feature_settings": "normal"}) == 5.0


def test_a_caption_may_break_beside_a_quote_between_han() -> None:
    """UAX #14 never breaks beside “ ” (LB19): 关注“新泾镇”微信 was one piece, and the
    caption broke inside the name when balanced. Beside another mark, nothing changes."""
    assert mark_text("扫码关注“新泾镇”微信公众号") == f"扫码关注{BREAK}“新泾镇”{BREAK}微信公众号"
    assert BREAK not in mark_text("他说：“好。”我们")
    assert BREAK not in mark_text("Tom said “hello” twice")


def test_jieba_keeps_a_bulletin_s_words_whole() -> None:
    assert "公众号" in words("扫码关注微信公众号")
    assert "小程序" in words("打开微信小程序")
    assert "随申办" in words("登录随申办查询")


@pytest.mark.slow
def test_captions_break_between_words(make_issue: MakeIssue) -> None:
    """The colophon's QR caption broke 微信公 / 众号 (outside's J), a notice's QR caption
    likewise inside a word: they break between words, balanced."""
    manifest = HEADER.replace("articles:\n", """\
colophon:
  office: 新泾通讯编辑部
  qr: {url: "https://mp.weixin.qq.com/s/Xj2026", caption: 扫码关注“新泾镇”微信公众号}
articles:
""") + """\
  - id: a
    title: 招募启事
    kind: notice
    body: 即日起招募春节志愿者，请扫描下方二维码报名。
    qr: {url: "https://wj.qq.com/s2/15537210", caption: 扫码进入志愿者报名小程序填写个人信息}
"""
    built = build(make_issue(manifest))
    _, every = read_body(built.pdf, built.prepared.layout.geometry)
    small = [line.text for _, line in every if line.size < 10]
    assert "扫码关注“新泾镇”" in small and "微信公众号" in small, small
    assert not any(line.endswith(("小", "小程", "微信公")) for line in small), small
    # Balanced: the two lines of each caption differ by a few characters at most
    pairs = [(a, b) for a, b in itertools.pairwise(small) if a.startswith("扫码")]
    assert pairs and all(abs(len(a) - len(b)) <= 4 for a, b in pairs), pairs
