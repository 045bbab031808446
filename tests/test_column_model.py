"""Two-column balancing without WeasyPrint's failing trials (column_model.py).

WeasyPrint 70 balances a columns container by laying its columns out at trial
heights until one holds everything. column_model reads the first trial's lines
and blocks, runs that loop on them, and column_layout lays out only the trial at
the height the loop ends at. Tested against WeasyPrint's own column layout byte
for byte, on material whose columns break at subheads, photos, kept paragraphs
and widows/orphans 2, on first and later pages; each prediction beside the
loop's own height (check mode); the trials counted; a height one line off caught.
"""

from __future__ import annotations

import base64
import io
import random
from typing import Any

import pytest
import weasyprint
from PIL import Image

from bulletin_press.typeset import gate
from bulletin_press.typeset.ext import column_layout, column_model

gate.install()


def _png() -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 30), (90, 120, 150)).save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


PHOTO = _png()
HTML = """<style>@page {{ size: 130mm 150mm; margin: 12mm; }}
  body {{ font: 12px/16px "Noto Serif CJK SC"; }}
  h1 {{ font: bold 20px/32px "Noto Sans CJK SC"; margin: 0 0 16px; break-after: avoid; }}
  .two {{ columns: 2; column-gap: 12px; column-fill: balance; }}
  p {{ margin: 0; orphans: 2; widows: 2; text-indent: 2em; text-align: justify; }}
  h3 {{ font: bold 13px/16px "Noto Sans CJK SC"; margin: 16px 0 0; break-after: avoid; }}
  figure {{ margin: 0 0 16px; break-inside: avoid; }}
  figure img {{ display: block; width: 100%; height: 48px; }}
  figcaption {{ font: 10px/16px "Noto Sans CJK SC"; text-align: center; }}
  .kept {{ break-inside: avoid; }}
  .top {{ break-before: page; }}
</style>
{body}"""

TEXT = ("徐汇区虹梅街道2024年第二季度“美丽家园”改造将于7月1日启动：田林东路75弄、"
        "虹梅路2000号至2050号共12幢楼的外墙、屋面和雨水管将分三批翻新，"
        "施工单位为上海城建（Shanghai Urban Construction）第三工程队，"
        "咨询电话021-64851234，进度见https://www.xuhui.gov.cn/hongmei/2024/renovation。")
SHORT = "居民可在工作日9:00—17:00到虹漕南路200号1楼服务站登记。"


def _article(k: int) -> str:
    parts = [f"<p>{TEXT * (1 + k % 3)}{SHORT * (k % 2)}</p>", f"<p>{SHORT * (2 + k % 4)}</p>"]
    if k % 2 == 0:
        parts.append(f"<h3>第{k}批：外墙与屋面（Roof Works）</h3>")
    parts.append(f"<p>{TEXT}{SHORT * (k % 3)}</p>")
    if k % 3 == 1:
        parts.append(f'<figure><img src="{PHOTO}" alt=""><figcaption>第{k}幢施工现场'
                     "</figcaption></figure>")
    if k % 4 == 3:
        parts.append(f'<p class="kept">{SHORT * 3}</p>')
    parts.append(f"<h3>联系方式{k}</h3><p>{SHORT * (1 + k % 2)}{TEXT * (k % 2)}</p>")
    return "".join(parts)


def _html(shift: int) -> str:
    # Articles balanced mid-page, at a page's foot and on later pages (where the
    # look-ahead's top margins are truncated), after a forced break too.
    body = "".join(
        f'<h1 class="{"top" if k == 3 else ""}">虹梅街道改造简报（{shift + k}）</h1>'
        f'<div class="two"><section>{_article(shift + k)}</section></div>'
        for k in range(6))
    return HTML.format(body=body)


def _pdf(html: str) -> bytes:
    pdf: bytes = weasyprint.HTML(string=html).write_pdf(uncompressed_pdf=True)
    return pdf


@pytest.fixture
def counts() -> Any:
    before = (column_model.Counts.predicted, column_model.Counts.skipped,
              column_model.Counts.missed, column_layout.Counts.trials)

    def taken() -> tuple[int, int, int, int]:
        now = (column_model.Counts.predicted, column_model.Counts.skipped,
               column_model.Counts.missed, column_layout.Counts.trials)
        return (now[0] - before[0], now[1] - before[1], now[2] - before[2], now[3] - before[3])

    return taken


@pytest.mark.parametrize("shift", range(6))
def test_the_bytes_of_weasyprints_balancing(shift: int, counts: Any) -> None:
    html = _html(shift)
    ours = _pdf(html)
    predicted, skipped, missed, _ = counts()
    assert predicted > 0 and skipped > 0 and missed == 0
    with gate.stock("column_lines"):  # WeasyPrint's own column layout, its loop
        stock = _pdf(html)
    assert ours == stock


@pytest.mark.parametrize("shift", range(6))
def test_every_prediction_is_where_the_loop_ends(shift: int,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # Check mode: WeasyPrint's loop runs; each prediction is kept beside the height
    # it ended at and the failing trials it laid out.
    monkeypatch.setattr(column_layout.Model, "check", True)
    monkeypatch.setattr(column_layout.Model, "seen", [])
    _pdf(_html(shift))
    seen = column_layout.Model.seen
    known = [entry for entry in seen if entry[0] is not None]
    assert len(known) >= 3
    assert any(entry[3] > 0 for entry in known)  # containers with failing trials
    for guess, failing, height, found in known:
        assert guess == pytest.approx(height, abs=1e-6)
        assert failing == found


def test_failing_trials_are_not_laid_out(monkeypatch: pytest.MonkeyPatch, counts: Any) -> None:
    html = _html(1)
    _pdf(html)
    _, skipped, _, trials = counts()
    monkeypatch.setattr(column_layout.Model, "on", False)
    before = column_layout.Counts.trials
    _pdf(html)
    stock_trials = column_layout.Counts.trials - before
    assert skipped > 0
    assert trials == stock_trials - skipped


@pytest.mark.parametrize("off", [-1, 1])
def test_a_height_one_line_off(off: int, monkeypatch: pytest.MonkeyPatch,
                               counts: Any) -> None:
    # A prediction one line (16 px) too high gives a trial that fits at a height the
    # loop never reaches: other columns, another PDF (the byte tests catch it). One
    # line too low gives a trial that does not fit: WeasyPrint's loop runs from its
    # start (counted as missed), with WeasyPrint's bytes.
    html = _html(1)
    with gate.stock("column_lines"):
        stock = _pdf(html)
    real = column_model.predict

    def shifted(*args: Any, **kwargs: Any) -> column_model.Prediction:
        guess = real(*args, **kwargs)
        return column_model.Prediction(guess.height + off * 16, guess.failing)

    monkeypatch.setattr(column_model, "predict", shifted)
    ours = _pdf(html)
    _, _, missed, _ = counts()
    if off > 0:
        assert ours != stock
    else:
        assert missed > 0
        assert ours == stock


def test_what_the_model_does_not_know_is_counted(counts: Any) -> None:
    # A float and a table in the columns: WeasyPrint's loop, the reason counted.
    float_box = '<div style="float: right; width: 40px; height: 32px"></div>'
    table = "<table><tr><td>停水时间</td><td>6月12日</td></tr></table>"
    html = HTML.format(body=f'<h1>通知</h1><div class="two"><section>{float_box}'
                            f"<p>{TEXT}</p></section></div>"
                            f'<h1>通知</h1><div class="two"><section><p>{SHORT * 2}</p>'
                            f"{table}<p>{SHORT * 2}</p></section></div>")
    refused = dict(column_model.Counts.refused)
    ours = _pdf(html)
    assert counts()[0] == 0
    grown = {reason: column_model.Counts.refused[reason] - refused.get(reason, 0)
             for reason in column_model.Counts.refused}
    assert grown.get("float") == 1 and grown.get("TableBox") == 1
    with gate.stock("column_lines"):
        assert ours == _pdf(html)


def test_a_caption_line_past_its_height_is_tested_where_it_is() -> None:
    # A photo credit in smaller type makes the caption's last line 16.4 px, not 16:
    # it runs below the caption's fixed height (the toolchain's whole lines), and
    # WeasyPrint tests that line's bottom against the column's foot, not the photo's.
    html = HTML.format(body='<div class="two"><section><p>' + SHORT + "</p>"
                            f'<figure><img src="{PHOTO}" alt="">'
                            '<figcaption style="height: 32px">第1幢施工现场，田林东路75弄南侧'
                            '外墙脚手架已搭设完毕 <span style="font-size: 0.9em">摄影 王海'
                            "</span></figcaption></figure></section></div>")
    page = weasyprint.HTML(string=html).render().pages[0]._page_box
    figures = [box for box in page.descendants() if box.element_tag == "figure"]
    figure = figures[-1]
    section = next(box for box in page.descendants() if figure in box.children)
    line = figure.children[-1].children[-1]
    bottom = figure.border_box_y() + figure.border_height()
    assert line.position_y + line.height > bottom + 0.1
    assert column_model._reach(figure, section) == line.position_y + line.height


@pytest.mark.parametrize("k", [0, 2, 8])
def test_one_balancing_trial_per_container(k: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # One article's columns: WeasyPrint lays out its first trial, its failing trials
    # (k=8: three, after 1-px steps from a first column that came back empty) and the
    # trial that fits; here the first and the one that fits.
    html = HTML.format(body=f'<h1>虹梅街道改造简报</h1><div class="two"><section>{_article(k)}'
                            "</section></div>")

    def trials() -> int:
        before = column_layout.Counts.trials
        _pdf(html)
        return column_layout.Counts.trials - before

    ours = trials()
    monkeypatch.setattr(column_layout.Model, "check", True)  # WeasyPrint's loop, watched
    monkeypatch.setattr(column_layout.Model, "seen", [])
    theirs = trials()
    (guess, failing, height, found), = column_layout.Model.seen
    assert found >= 1 and failing == found
    assert guess is not None and abs(guess - height) < 1e-6
    assert ours == theirs - found


MORE = """<style>
  .hl { break-inside: avoid; break-after: avoid; margin: 0 0 16px; }
  .hl p { text-indent: 0; } .hl .t { font: bold 16px/32px "Noto Sans CJK SC"; }
  blockquote { margin: 16px 2em; } blockquote p, .sig { text-indent: 0; }
  .sig { text-align: right; }
</style>"""


def _random_article(draw: random.Random) -> str:
    def para() -> str:
        text = TEXT if draw.random() < 0.5 else SHORT
        return f"<p>{text * draw.randint(1, 3)}{SHORT[:draw.randint(0, len(SHORT))]}</p>"

    parts = []
    if draw.random() < 0.3:  # a headline inside the columns: kept whole, kept with the text
        parts.append(f'<header class="hl"><p>要闻</p><p class="t">{SHORT[:draw.randint(8, 40)]}'
                     "</p></header>")
    for _ in range(draw.randint(1, 7)):
        kind = draw.random()
        if kind < 0.55:
            parts.append(para())
        elif kind < 0.7:
            parts.append(f"<h3>{SHORT[:draw.randint(4, 30)]}</h3>")
        elif kind < 0.8:
            parts.append(f'<figure><img src="{PHOTO}" style="height: {16 * draw.randint(2, 6)}px"'
                         f' alt=""><figcaption>{SHORT[:draw.randint(4, 50)]}</figcaption></figure>')
        elif kind < 0.88:
            parts.append(f'<p class="kept">{SHORT * draw.randint(1, 4)}</p>')
        elif kind < 0.94:
            parts.append(f"<blockquote><p>{SHORT * draw.randint(1, 3)}</p><p>{SHORT}</p>"
                         "</blockquote>")
        else:
            parts.append('<p class="sig">虹梅街道办事处</p><p class="sig">2024年6月5日</p>')
    return "".join(parts)


@pytest.mark.parametrize("seed", range(0, 60, 5))
def test_random_articles_end_where_the_loop_ends(seed: int,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # Articles drawn from subheads, photos of 2–6 lines, kept paragraphs, quotes with
    # margins, signatures and headlines kept with their text, continued over pages:
    # every prediction is WeasyPrint's height and failing trials (check mode).
    draw = random.Random(seed)
    body = "".join(f'<h1 class="{"top" if draw.random() < 0.15 else ""}">简报{k}</h1>'
                   f'<div class="two"><section>{_random_article(draw)}</section></div>'
                   for k in range(draw.randint(2, 7)))
    monkeypatch.setattr(column_layout.Model, "check", True)
    monkeypatch.setattr(column_layout.Model, "seen", [])
    _pdf(HTML.format(body=body) + MORE)
    known = [entry for entry in column_layout.Model.seen if entry[0] is not None]
    assert known
    for guess, failing, height, found in known:
        assert guess == pytest.approx(height, abs=1e-6)
        assert failing == found


def test_a_forced_column_break_is_not_modelled(counts: Any) -> None:
    # `break-before: column` (the layouts' .start-new-column) ends a column wherever
    # the height is: WeasyPrint's loop, the reason counted, WeasyPrint's bytes.
    html = HTML.format(body=f'<h1>通知</h1><div class="two"><section><p>{SHORT * 3}</p>'
                            f'<p style="break-before: column">{TEXT}</p><p>{SHORT}</p>'
                            "</section></div>")
    forced = column_model.Counts.refused["forced break"]
    ours = _pdf(html)
    assert column_model.Counts.refused["forced break"] == forced + 1
    assert counts()[0] == 0
    with gate.stock("column_lines"):
        assert ours == _pdf(html)
