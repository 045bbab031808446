"""Pushing in (追い込み, clreq 挤压; issue 18, item 1): a paragraph the page plan marks
(`--bp-push: 1`, class bp-push) is set a line shorter when squeezing the blank halves
of its full-width punctuation takes its short last line back; never more than
cjk_justify.PUSH_EM a line, never more than half a mark; otherwise it is set as
before. Judged from the PDF: lines, the marks' advances, the text."""

from __future__ import annotations

import io
import itertools

import pdfplumber
import weasyprint

from bulletin_press.typeset import gate
from bulletin_press.typeset.ext import cjk_justify

gate.install()

SIZE = 10.5  # pt
WIDTH = 23  # em: the two-column layout's column
SQUEEZABLE = set("，。、；：”’）》」』〉】“‘（《「『〈【")

# Its last line holds 欢迎。 alone: two quotes on line 2 and 、、， on line 4 give it back.
SHORT_END = ("社区党群服务中心将于12月10日（周四）上午9:00在三楼多功能厅举办"
             "“冬季消防安全”专题讲座，邀请区消防救援支队的王晓东教官讲解电动自行车充电、"
             "厨房用火、取暖器使用等方面的注意事项，欢迎。")
# Its last line (开工。居民可拨打021-6238 1234转8012咨询。) is too long to take back.
LONG_END = ("加装电梯是老旧小区居民的心头大事。今年以来，街道联合区住建委、规划资源局等"
            "部门，组织专业设计团队上门测量、讲解政策，协调低层住户的意见，目前已有12个"
            "门栋完成签约，其中5台电梯已经开工。居民可拨打021-6238 1234转8012咨询。")
# One mark a line at most: half an em is not a character.
FEW_MARKS = ("新泾镇第二届人民代表大会第二次会议于本月顺利召开来自各行各业各条战线的"
             "人大代表汇聚一堂依法履职共商共议新泾经济社会发展镇党委政府有关领导列席会议"
             "并讲话，会议听取了工作报告。")


def _rows(paragraphs: list[tuple[str, bool]]) -> list[list[list[dict[str, object]]]]:
    """Each paragraph's rows of characters, left to right."""
    body = "".join(f"<p{' class=bp-push' if push else ''}>{text}</p>"
                   for text, push in paragraphs)
    html = ("<html lang='zh-CN'><style>@page { size: 200mm 280mm; margin: 10mm }"
            f"body {{ font: {SIZE}pt/18pt 'Noto Serif CJK SC'; margin: 0 }}"
            f"p {{ width: {WIDTH}em; text-align: justify; text-indent: 2em; margin: 0 0 36pt }}"
            ".bp-push { --bp-push: 1 }</style>"
            f"<body>{body}</body></html>")
    pdf = weasyprint.HTML(string=html).write_pdf()
    rows: dict[int, list[dict[str, object]]] = {}
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for char in doc.pages[0].chars:
            if str(char["text"]).strip():
                rows.setdefault(round(float(char["top"])), []).append(char)
    out: list[list[list[dict[str, object]]]] = [[]]
    last = None
    for top, row in sorted(rows.items()):
        if last is not None and top - last > 20:  # a paragraph's margin between
            out.append([])
        out[-1].append(sorted(row, key=lambda c: float(c["x0"])))
        last = top
    return out


def _text(rows: list[list[dict[str, object]]]) -> str:
    return "".join(str(c["text"]) for row in rows for c in row)


def _squeezes(row: list[dict[str, object]]) -> list[float]:
    """How much narrower than a full em each mark inside the line is drawn (pt)."""
    return [SIZE - (float(b["x0"]) - float(a["x0"]))
            for a, b in itertools.pairwise(row)
            if a["text"] in SQUEEZABLE and b["text"] not in SQUEEZABLE]


def test_a_pushed_paragraph_loses_its_short_last_line() -> None:
    plain, pushed = _rows([(SHORT_END, False), (SHORT_END, True)])
    assert len(plain) == 5 and _text(plain[-1:]) == "欢迎。"
    assert len(pushed) == 4  # main: 5, the class has no effect
    assert _text(pushed) == _text(plain) == SHORT_END.replace(" ", "")
    left = float(plain[1][0]["x0"])
    for row in pushed[:-1]:  # justified to the column as before (a line-end mark hangs)
        end = row[-1]
        edge = float(end["x0"]) + (SIZE / 2 if end["text"] in SQUEEZABLE else SIZE)
        assert abs(edge - (left + WIDTH * SIZE)) < 0.6, _text([row])
    squeezed = [_squeezes(row) for row in pushed]
    assert any(max(s, default=0) > 1 for s in squeezed)
    for row, amounts in zip(pushed, squeezed, strict=True):
        assert all(a <= SIZE / 2 + 0.3 for a in amounts), _text([row])  # half a mark at most
        assert sum(a for a in amounts if a > 0.3) <= cjk_justify.PUSH_EM * SIZE + 0.5


def test_a_paragraph_pushing_in_cannot_shorten_is_set_as_before() -> None:
    """Its lines where they were, no mark squeezed: pushed in only to save a line."""
    for text in (LONG_END, FEW_MARKS):
        plain, pushed = _rows([(text, False), (text, True)])
        assert [_text([row]) for row in pushed] == [_text([row]) for row in plain]
        assert [[round(float(c["x0"]), 1) for c in row] for row in pushed] == \
            [[round(float(c["x0"]), 1) for c in row] for row in plain]
