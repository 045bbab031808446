"""One-column containers balanced without a second layout (column_layout._settles).

WeasyPrint 70 balances a `columns: 1` container as any other: a first trial at
the page's height, then a trial at the content's height (its one column's
height divided by one), which is the same layout whenever every overflow test
comes out the same there. column_layout takes the first trial then, and says so
in `Counts.settled`. Tested against WeasyPrint's own column layout, byte for
byte; the layouts are counted; and a settle that does not check the tests is
caught (lines that run on below their box, which overflow at that height).
"""

from __future__ import annotations

from typing import Any

import pytest
import weasyprint

from bulletin_press.typeset import gate
from bulletin_press.typeset.ext import column_balance, column_layout

gate.install()

HTML = """<style>@page {{ size: 120mm 120mm; margin: 10mm; }}
  body {{ font: 12px/16px "Noto Serif CJK SC"; }}
  h1 {{ font: bold 20px/32px "Noto Sans CJK SC"; margin: 0 0 16px; }}
  .one {{ columns: 1; column-fill: balance; }}
  .two {{ columns: 2; column-gap: 12px; }}
  p {{ margin: 0; orphans: 2; widows: 2; text-align: justify; }}
  h3 {{ font: bold 13px/16px "Noto Sans CJK SC"; margin: 16px 0 0; break-after: avoid; }}
  .box {{ background: #eee; padding: 0 4px; }}
  table {{ border-collapse: collapse; width: 100%; }} td {{ border: 1px solid; }}
  .top {{ break-before: page; }}
  .foot {{ display: flex; justify-content: space-between; height: 64px; }}
  .qr {{ width: 64px; height: 64px; background: #333; }}
</style>
{body}"""

TEXT = ("虹梅街道关于2024年第二季度居民区停水检修的通知：受漕河泾开发区供水管网改造影响，"
        "田林东路75弄、虹梅路2000号至2050号将于6月12日（周三）9:00—16:00停水，"
        "请提前储水；咨询电话021-64851234，详见https://www.xuhui.gov.cn/hongmei/notice/2024-06。")
SHORT = "报名请到“Smart Home”服务站（虹漕南路200号1楼），截止6月30日。"
TABLE = ("<table><tr><td>停水时间</td><td>6月12日 9:00—16:00</td></tr>"
         "<tr><td>地址</td><td>田林东路75弄1—24号</td></tr></table>")
LIST = "<ul><li>储水：每户备足一天用水</li><li>关好水龙头，防止来水后溢出</li></ul>"


def _notice(k: int) -> str:
    parts = [f"<h3>第{k}号通知：供水管网改造（Water Works）</h3>",
             f"<p>{TEXT * (1 + k % 3)}</p>"]
    if k % 2:
        parts.append(TABLE)
    if k % 3 == 2:
        parts.append(LIST)
    parts.append(f'<div class="box"><p>{SHORT * (1 + k % 2)}</p></div>')
    if k % 2 == 0:  # a QR code and a signature side by side, as a notice's foot
        parts.append('<footer class="foot"><div class="qr"></div>'
                     "<p>虹梅街道办事处<br>2024年6月5日</p></footer>")
    return "".join(parts)


def _html(shift: int) -> str:
    # One-column containers at a page's top, below a headline, after two-column text,
    # over a page break and short ones; each ends the page or is balanced mid-page.
    body = (f"<h1>虹梅街道第{shift}期公告</h1>"
            f'<div class="one"><section>{_notice(shift)}</section></div>'
            f'<div class="two"><p>{TEXT * 2}</p></div>'
            f'<div class="one"><section>{_notice(shift + 1)}{_notice(shift + 2)}</section></div>'
            f'<div class="one top"><p>{SHORT}</p></div>'
            f'<div class="one"><section>{"".join(_notice(shift + k) for k in range(4))}'
            "</section></div>")
    return HTML.format(body=body)


def _pdf(html: str) -> bytes:
    pdf: bytes = weasyprint.HTML(string=html).write_pdf(uncompressed_pdf=True)
    return pdf


@pytest.mark.parametrize("shift", range(4))
def test_the_bytes_of_weasyprints_one_column(shift: int) -> None:
    html = _html(shift)
    settled = column_layout.Counts.settled
    ours = _pdf(html)
    assert column_layout.Counts.settled > settled  # the shortcut was taken
    with gate.stock("column_lines"):  # WeasyPrint's own column layout
        stock = _pdf(html)
    assert ours == stock


def _trials(monkeypatch: pytest.MonkeyPatch, html: str, settle: bool) -> tuple[int, int]:
    """Trials laid out and final columns laid out again, with the shortcut on or off."""
    if not settle:
        monkeypatch.setattr(column_layout, "_settles", lambda *args: False)
    watched, laid_out = column_balance.Counts.watched, column_layout.Counts.laid_out
    _pdf(html)
    monkeypatch.undo()
    return (column_balance.Counts.watched - watched, column_layout.Counts.laid_out - laid_out)


def test_one_layout_for_a_balanced_column(monkeypatch: pytest.MonkeyPatch) -> None:
    # A short one-column container mid-page: WeasyPrint lays it out twice (a trial at
    # the page's height, then at the content's), here once.
    html = HTML.format(body=f'<h1>虹梅街道公告</h1><div class="one"><section>{_notice(1)}'
                            f"</section></div><p>{SHORT}</p>")
    assert _trials(monkeypatch, html, settle=True) == (1, 0)
    assert _trials(monkeypatch, html, settle=False) == (2, 0)


def test_a_settle_that_skips_the_tests_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    # The container's last paragraph is one line tall by style, its lines run on below
    # it: the content's height (its boxes) is less than its lines need, so at that
    # height a line overflows and WeasyPrint's trial there is not the first trial.
    # _settles sees that test and refuses; one that does not look gives another PDF.
    html = HTML.format(body=f'<h1>虹梅街道公告</h1><div class="one"><section>{_notice(1)}'
                            f'<p style="height: 16px">{TEXT}</p></section></div><p>{SHORT}</p>')
    settled = column_layout.Counts.settled
    ours = _pdf(html)
    assert column_layout.Counts.settled == settled  # refused
    with gate.stock("column_lines"):
        stock = _pdf(html)
    assert ours == stock

    def eager(context: Any, seen: Any, tried: float, height: float, top: float) -> bool:
        return seen is not None and not seen.spoiled

    monkeypatch.setattr(column_layout, "_settles", eager)
    assert _pdf(html) != stock


def test_a_height_one_line_short_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # The content's height settles; one line (16 px) less does not: its last line
    # overflows there, as WeasyPrint's test says.
    html = HTML.format(body=f'<h1>虹梅街道公告</h1><div class="one"><section>{_notice(1)}'
                            f"</section></div><p>{SHORT}</p>")
    real = column_layout._settles
    answers: list[tuple[bool, bool]] = []

    def both(context: Any, seen: Any, tried: float, height: float, top: float) -> bool:
        answers.append((real(context, seen, tried, height, top),
                        real(context, seen, tried, height - 16, top)))
        return answers[-1][0]

    monkeypatch.setattr(column_layout, "_settles", both)
    _pdf(html)
    assert answers == [(True, False)]
