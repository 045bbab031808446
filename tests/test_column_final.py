"""The last balancing trial's columns kept as the final columns (column_layout.py
`_Trial`): the same PDF, byte for byte, as WeasyPrint's own column layout; the
columns are really taken from the trial; taken without moving them into place,
the PDF differs (so the equality test would catch a wrong reuse)."""

from __future__ import annotations

from typing import Any

import pytest
import weasyprint

from bulletin_press.typeset import gate
from bulletin_press.typeset.ext import column_layout

gate.install()

HTML = """<style>@page {{ size: 120mm 110mm; margin: 10mm; }}
  body {{ font: 12px/16px "Noto Serif CJK SC"; }}
  .c {{ columns: 2; column-gap: 12px; column-fill: balance; }}
  p {{ margin: 0; orphans: 2; widows: 2; text-align: justify; }}
  h3 {{ font: bold 13px/16px "Noto Sans CJK SC"; margin: 16px 0 0; break-after: avoid; }}
  .keep {{ break-inside: avoid; }}
  .photo {{ height: 64px; background: #999; break-inside: avoid; }}
  .top {{ break-before: page; }}
</style>
{body}"""

TEXT = ("长宁区新泾镇社区事务受理服务中心（哈密路1955号）自2024年3月1日起试行延时服务，"
        "工作日晚上8点前可办理医保、社保卡补换等63项业务，咨询电话021-62205960转8012，"
        "详见https://www.shcn.gov.cn/xinjing。“Smart Community”试点覆盖天山五村等12个小区。")


def _container(n: int, top: bool) -> str:
    blocks = [f"<h3>第{n}部分：Q{n % 4 + 1}工作回顾与2025年展望</h3>"]
    for k in range(3 + 2 * n):
        if k == 2:
            blocks.append('<div class="photo"></div><p>居民在受理中心办理业务（摄影 王小明）</p>')
        cls = "keep" if k == 4 else ""
        blocks.append(f'<p class="{cls}">{TEXT * (1 + (k + n) % 3)}</p>')
    return f'<div class="c{" top" if top else ""}">{"".join(blocks)}</div>'


def _html() -> str:
    # Containers that start a page and fill it (the trial at the page's height is
    # the final layout), and short ones after a paragraph (balanced mid-page).
    body = "".join(_container(n, top=n % 2 == 0) + f"<p>{TEXT}</p>" for n in range(5))
    return HTML.format(body=body)


def _pdf(html: str) -> bytes:
    pdf: bytes = weasyprint.HTML(string=html).write_pdf(uncompressed_pdf=True)
    return pdf


def test_final_columns_from_the_trial_are_weasyprints_bytes() -> None:
    html = _html()
    reused = column_layout.Counts.reused
    ours = _pdf(html)
    assert column_layout.Counts.reused > reused  # the trial's columns were kept
    with gate.stock("column_lines"):  # WeasyPrint's own column layout
        stock = _pdf(html)
    assert ours.count(b"/Type /Page/") >= 4
    assert ours == stock


def test_columns_kept_where_they_were_laid_out_are_caught(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def unmoved(columns: list[Any], step: float) -> list[Any]:
        return columns

    html = _html()
    with gate.stock("column_lines"):
        stock = _pdf(html)
    monkeypatch.setattr(column_layout, "_moved", unmoved)
    assert _pdf(html) != stock
