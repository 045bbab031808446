"""Columns laid out once (column_layout.py + column_tops.py): a trial laid out with
page_is_empty False stands for WeasyPrint's layout with True where column_tops
proves the flag changed nothing, so a full page of columns below a headline is
laid out once, and balanced columns at a page's top are not laid out again after
their last trial. The same PDF, byte for byte, as WeasyPrint's own column layout;
fewer layouts; and a proof that forgets a condition is caught (the PDF differs)."""

from __future__ import annotations

from typing import Any

import pytest
import weasyprint
from weasyprint.layout import block as block_module

from bulletin_press.typeset import gate
from bulletin_press.typeset.ext import column_layout, column_tops

gate.install()

HTML = """<style>@page {{ size: 120mm 110mm; margin: 10mm; }}
  body {{ font: 12px/16px "Noto Serif CJK SC"; }}
  h1 {{ font: bold 20px/32px "Noto Sans CJK SC"; margin: 0 0 16px; }}
  .c {{ columns: 2; column-gap: 12px; column-fill: balance; }}
  p {{ margin: 0; orphans: 2; widows: 2; text-align: justify; }}
  h3 {{ font: bold 13px/16px "Noto Sans CJK SC"; margin: 16px 0 0; break-after: avoid; }}
  .keep {{ break-inside: avoid; }}
  .photo {{ margin: 0 0 16px; height: 64px; background: #999; break-inside: avoid; }}
  table {{ border-collapse: collapse; width: 100%; }} td {{ border: 1px solid; }}
  .top {{ break-before: page; }}
</style>
{body}"""

# Mixed Han, Latin, digits, phone numbers, an address and a long URL.
TEXT = ("长宁区新泾镇社区事务受理服务中心（哈密路1955号）自2024年3月1日起试行延时服务，"
        "工作日晚上8点前可办理医保、社保卡补换等63项业务，咨询电话021-62205960转8012，"
        "详见https://www.shcn.gov.cn/xinjing/zhengwu/2024/0301-yanshi-fuwu.html?from=bulletin。")
LIST = ("<ul><li>社区食堂：北翟路1111弄12号（电话021-62205960）</li>"
        "<li>助浴点：剑河路600号，每周二、四9:00—11:30</li><li>睦邻中心：天山西路568号</li></ul>")
SHORT = "“Smart Community”试点覆盖天山五村等12个小区，报名截止3月15日。"
TABLE = ('<table class="keep"><tr><td>社区食堂</td><td>北翟路1111弄12号</td></tr>'
         "<tr><td>睦邻中心</td><td>天山西路568号 021-52180000</td></tr></table>")


def _article(shift: int) -> str:
    """A long article: subheads, a photo, a table, lists and a kept paragraph at places
    that move with `shift`, so that some land at a column's top or foot."""
    blocks: list[str] = []
    for k in range(14):
        if k % 4 == 1:
            blocks.append(f"<h3>第{k}部分：Q{k % 4 + 1}工作回顾与2025年展望</h3>")
        if k == 5:
            blocks.append('<div class="photo"></div>')
        if k == 8:
            blocks.append(TABLE)
        if k % 5 == 3:  # its outside markers are absolutely positioned boxes
            blocks.append(LIST)
        cls = "keep" if k == 10 else ""
        blocks.append(f'<p class="{cls}">{TEXT * (1 + (k + shift) % 3)}{SHORT * (shift % 2)}</p>')
    return f"<section>{''.join(blocks)}</section>"  # as an article is set


def _html(shift: int) -> str:
    # A headline, then columns over several pages (a full page below the headline,
    # then pages of columns at their top, then balanced at a page's top); then a
    # short article balanced mid-page; then one that starts a page and is balanced.
    body = (f"<h1>新泾镇2024年为民办实事项目第{shift}期进展通报</h1>"
            f'<div class="c">{_article(shift)}</div>'
            f"<p>{SHORT}</p>"
            f'<div class="c"><p>{TEXT}</p><h3>简讯</h3><p>{SHORT * 3}</p></div>'
            f'<div class="c top">{_article(shift + 1)[:1200]}</section></div>')
    return HTML.format(body=body)


def _pdf(html: str) -> bytes:
    pdf: bytes = weasyprint.HTML(string=html).write_pdf(uncompressed_pdf=True)
    return pdf


def _counts() -> tuple[int, int, int]:
    counts = column_layout.Counts
    return counts.proven, counts.refused, counts.laid_out


@pytest.mark.parametrize("shift", range(6))
def test_the_bytes_of_weasyprints_columns(shift: int) -> None:
    html = _html(shift)
    before = _counts()
    ours = _pdf(html)
    proven, _, laid_out = (a - b for a, b in zip(_counts(), before, strict=True))
    with gate.stock("column_lines"):  # WeasyPrint's own column layout
        stock = _pdf(html)
    assert ours.count(b"/Type /Page/") >= 4
    assert ours == stock
    assert proven > 0  # columns were taken from a trial with the other flag
    assert laid_out <= 1  # (a subhead at a column's top, see below)


def _subhead_html(lines: int, tail: int = 1) -> str:
    """Page 2, reached without a forced break: columns below a paragraph, with a
    subhead after `lines` one-line paragraphs; from 17 lines on it starts the
    second column (balanced at the page's top, or a full page), where WeasyPrint's
    True truncates its top margin (the columns' first box, a section, lets the
    margin collapse to the page)."""
    body = (f"<p>{TEXT * 5}</p>" + '<div class="c"><section>' + f"<p>{LINE}</p>" * lines
            + f"<h3>第二部分：Q3工作回顾</h3><p>{TEXT * tail}</p></section></div>")
    return HTML.format(body=body)


@pytest.mark.parametrize("lines", [16, 17, 18, 23])
def test_a_subhead_at_a_column_top_on_a_later_page(lines: int) -> None:
    html = _subhead_html(lines)
    before = _counts()
    ours = _pdf(html)
    proven, refused, laid_out = (a - b for a, b in zip(_counts(), before, strict=True))
    with gate.stock("column_lines"):
        stock = _pdf(html)
    assert ours == stock
    if lines == 16:  # the subhead ends column 1: proven
        assert proven == 1
    else:  # the flag matters there: the final columns are laid out as WeasyPrint's
        assert (proven, laid_out) == (0, 1)
    assert refused == 0  # the first column's top is a paragraph: nothing thrown away


def test_a_refused_first_trial_keeps_its_proven_columns() -> None:
    """The first trial of columns below a paragraph on page 2, laid out with False:
    its second column starts with the subhead (margin truncated by True), so it is
    refused; its first column is proven and kept, only the second is laid out again
    with True. WeasyPrint's bytes."""
    html = _subhead_html(8, tail=6)
    counts = column_layout.Counts
    refused, kept = counts.refused, counts.kept
    ours = _pdf(html)
    assert (counts.refused - refused, counts.kept - kept) == (1, 1)
    with gate.stock("column_lines"):
        assert _pdf(html) == ours


def test_a_proof_that_forgets_the_margins_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the top-margin condition the proof lets a False layout stand for
    WeasyPrint's True one where a subhead's margin is truncated: the PDF differs
    (so the equality tests above would catch a wrong proof)."""
    with gate.stock("column_lines"):
        stock = _pdf(_subhead_html(17))
    held = column_tops._top_holds

    def forgetful(context: Any, column: Any, start: Any, end: Any, bottom_space: float,
                  margins: bool) -> bool:
        return held(context, column, start, end, bottom_space, False)

    monkeypatch.setattr(column_tops, "_top_holds", forgetful)
    monkeypatch.setattr(column_tops, "may_hold", lambda *args: True)
    assert _pdf(_subhead_html(17)) != stock


# Layouts per columns container: a pass is the columns laid out from the
# container's start (a trial or the final columns; look-aheads excluded).

PAGE = """<style>@page {{ size: 120mm 110mm; margin: 10mm; }}
  body {{ font: 12px/16px "Noto Serif CJK SC"; }}
  h1 {{ font: bold 20px/32px "Noto Sans CJK SC"; margin: 0 0 16px; }}
  .c {{ columns: 2; column-gap: 12px; column-fill: balance; }}
  p {{ margin: 0; orphans: 2; widows: 2; }}
</style>{body}"""

LINE = "新泾镇社区食堂试点每日供应午餐"  # one line at the column width


def _passes(monkeypatch: pytest.MonkeyPatch, html: str) -> list[int]:
    """Passes per columns container layout, in order."""
    passes: list[int] = []
    start: list[Any] = []
    laid = block_module.block_box_layout
    outer = column_layout.columns_layout

    def counted(context: Any, box: Any, bottom_space: float, skip_stack: Any,
                *args: Any, **kwargs: Any) -> Any:
        if getattr(box, "is_column", False) and bottom_space != float("inf"):
            if not start:
                start.append(skip_stack)
            if skip_stack == start[0]:
                passes[-1] += 1
        return laid(context, box, bottom_space, skip_stack, *args, **kwargs)

    def container(*args: Any) -> Any:
        passes.append(0)
        start.clear()
        return outer(*args)

    monkeypatch.setattr(block_module, "block_box_layout", counted)
    monkeypatch.setattr(column_layout, "columns_layout", container)
    _pdf(html)
    return passes


def test_one_layout_per_page_of_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    """A headline, then 3 pages of columns, the last one 8 lines (4 + 4): below the
    headline the columns overflow the page and are laid out once (WeasyPrint: a
    trial with True, then the columns with False); a page of columns at its top
    is laid out once; the last page's are laid out at the page's height and at
    the balanced height that fits (1 content layout + 1 column layout, WeasyPrint:
    again after that)."""
    lines = 2 * 19 + 2 * 21 + 8
    paragraphs = "".join(f"<p>{LINE * 4}</p>" for _ in range(lines // 4))
    headline = "<h1>新泾镇2024年为民办实事项目进展</h1>"
    html = PAGE.format(body=f'{headline}<div class="c">{paragraphs}</div>')
    passes = _passes(monkeypatch, html)
    assert len(passes) == 3
    assert passes == [1, 1, 2]
