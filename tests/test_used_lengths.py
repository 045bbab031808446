"""A box's used lengths and strut answered from tables (typeset/ext/used_lengths.py):
the same PDF, byte for byte, as stock WeasyPrint's, for boxes whose lengths are
percentages (of the containing block's width and height), `calc()` (which
depends on the box's own font size), box-sizing,
collapsed table borders and page margins, and boxes with and without
backgrounds (rounded corners, shadows, a currentcolor background, hidden boxes);
the tables' keys hold every value WeasyPrint's functions read."""

from __future__ import annotations

import inspect
import re

import pytest
import weasyprint
from weasyprint.layout import percent
from weasyprint.text import line_break

from bulletin_press.typeset import gate
from bulletin_press.typeset.ext import used_lengths

gate.install()

NOTICE = ("虹梅街道田林东路75弄小区屋面修缮工程（Shanghai Urban Construction Roof Works）"
          "自2027年3月1日起施工，工期约45天，咨询电话021-64851234，"
          "详见https://www.xuhui.gov.cn/hongmei/notice-2027-03。")

HTML = """<style>
  @page {{ size: 130mm 120mm; margin: 12mm 8% 10mm; }}
  body {{ font: 12px/16px "Noto Serif CJK SC"; }}
  p {{ margin: 0 0 4px; text-align: justify; }}
  .box {{ width: 80%; padding: 2% 3%; border: 2px solid #333; box-sizing: border-box;
          margin: 6px auto; }}
  .pad {{ padding: 5%; max-width: 90%; min-height: 20px; }}
  .calc {{ margin-left: calc(2em + 5%); font-size: 10px; }}
  .big .calc {{ font-size: 15px; }}
  .loose {{ line-height: 2; }}
  .tight {{ line-height: 1.25em; }}
  table {{ border-collapse: collapse; width: 100%; }}
  td {{ border: 1px solid #666; padding: 1% 4px; width: 30%; }}
  .sep {{ border-collapse: separate; border-spacing: 2px; }}
  .h1 {{ height: 64px; }} .h2 {{ height: 96px; }}
  .half {{ height: 50%; background: #dde; overflow: hidden; }}
  .round {{ border-radius: 6px 0 0 0; border: 1px solid #999; }}
  .shadow {{ box-shadow: 2px 2px #999; }}
  .current {{ color: #a00; background-color: currentcolor; }}
  .hidden {{ visibility: hidden; background: #ccc; }}
  .clear {{ background: transparent; }}
</style>{body}"""


def _body() -> str:
    rows = "".join(f"<tr><td>{n}号楼</td><td>田林东路75弄{n}号</td><td>021-6485{1230 + n}</td></tr>"
                   for n in range(1, 5))
    part = (f"<div class='box'><p>{NOTICE}</p><p class='loose'>{NOTICE}</p></div>"
            f"<div class='pad'><p class='tight'>{NOTICE}</p></div>"
            f"<p class='calc'>{NOTICE}</p><div class='big'><p class='calc'>{NOTICE}</p></div>"
            f"<table>{rows}</table><table class='sep'>{rows}</table>"
            f"<div class='h1'><div class='half'>{NOTICE}</div></div>"
            f"<div class='h2'><div class='half'>{NOTICE}</div></div>"
            f"<p class='round'>{NOTICE}</p><p class='shadow'>{NOTICE}</p>"
            f"<p>电话：<span class='current'>021-64851234</span></p>"
            f"<p class='hidden'>{NOTICE}</p><p class='clear'>{NOTICE}</p>")
    return part * 3


def _pdf(html: str) -> bytes:
    pdf: bytes = weasyprint.HTML(string=html).write_pdf(uncompressed_pdf=True)
    return pdf


def test_the_bytes_with_and_without_the_tables() -> None:
    html = HTML.format(body=_body())
    kept = used_lengths.Counts.kept
    ours = _pdf(html)
    assert used_lengths.Counts.kept > kept  # lengths taken from the table
    with gate.stock("used_lengths"):
        assert ours == _pdf(html)


def test_a_calc_length_is_resolved_for_each_box() -> None:
    """calc(2em + 5%) is 20 px + 5 % at 10 px and 30 px + 5 % at 15 px: one key for
    both would set the second paragraph where the first is."""
    document = weasyprint.HTML(string=HTML.format(body=_body())).render()
    lefts = []
    for page in document.pages:
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is not None and element.get("class") == "calc" and \
                    type(box).__name__ == "BlockBox":
                lefts.append(round(box.margin_left, 2))
    assert len(set(lefts)) == 2


def test_switched_off_every_length_is_resolved_by_weasyprint(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(used_lengths.Switch, "on", False)
    html = HTML.format(body=_body())
    kept = used_lengths.Counts.kept
    ours = _pdf(html)
    assert used_lengths.Counts.kept == kept
    with gate.stock("used_lengths"):
        assert ours == _pdf(html)


def test_the_keys_hold_what_weasyprint_reads() -> None:
    """Every style value resolve_percentages and strut's own key read is in the keys."""
    source = inspect.getsource(percent.resolve_percentages) + inspect.getsource(
        percent.adjust_box_sizing)
    read = set(re.findall(r"style\['(\w+)'\]", source))
    read |= set(re.findall(r"resolve_one_percentage\(box, '(\w+)'", source))
    read |= {f"border_{side}_width" for side in ("top", "right", "bottom", "left")}
    assert read <= set(used_lengths.READ)
    strut_source = inspect.getsource(line_break._font_style_cache_key) + inspect.getsource(
        line_break.strut)
    assert set(re.findall(r"style\['(\w+)'\]", strut_source)) <= set(used_lengths.STRUT_READ)
