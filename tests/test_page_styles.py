"""Page styles shared by pages of one kind, margin boxes measured once per
content: the same bytes as stock WeasyPrint, with less computed."""

from __future__ import annotations

import base64
import io
from contextlib import nullcontext

import pytest
import weasyprint
from PIL import Image
from weasyprint.css import StyleFor

from bulletin_press.typeset import gate

gate.install()

PAGES = """<style>
  @page {{ size: 120mm 90mm; margin: 15mm 10mm;
    @top-left {{ content: string(title); font-size: 8pt; }}
    @top-right {{ content: "Issue 1"; font-size: 8pt; }}
    @bottom-center {{ content: "— " counter(page) " —"; }} }}
  @page :first {{ @top-left {{ content: none; }} }}
  @page :left {{ @top-right {{ content: "left"; }} }}
  @page wide {{ size: 150mm 90mm; }}
  {extra}
  h1 {{ string-set: title content(text); }} .wide {{ page: wide; }}
  section {{ break-before: page; }}
</style>
<h1>Title</h1>{sections}"""


def _html(extra: str = "") -> str:
    sections = "".join(f"<section{' class=wide' if n == 4 else ''}><p>Page {n}</p></section>"
                       for n in range(2, 9))
    return PAGES.format(extra=extra, sections=sections)


def _pdf(html: str, stock: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[bytes, int]:
    """The PDF, and how many page and margin box styles were computed."""
    computed = 0
    compute = StyleFor.set_computed_styles

    def counting(self: object, element: object, *args: object, **kwargs: object) -> None:
        nonlocal computed
        computed += isinstance(element, tuple)  # a page type (elements are not tuples)
        compute(self, element, *args, **kwargs)

    with monkeypatch.context() as patch, (gate.stock("page_styles") if stock else nullcontext()):
        patch.setattr(StyleFor, "set_computed_styles", counting)
        pdf: bytes = weasyprint.HTML(string=html).write_pdf(uncompressed_pdf=True)
    return pdf, computed


def test_pages_are_the_bytes_weasyprint_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    ours, our_styles = _pdf(_html(), False, monkeypatch)
    stock, stock_styles = _pdf(_html(), True, monkeypatch)
    assert ours == stock
    # Stock: a page style and its margin boxes' for each of the 8 pages; ours: for
    # each kind (first, right, left, the wide page's sides) once.
    assert our_styles * 2 == stock_styles  # 4 kinds of page for 8 pages


def test_nth_page_rules_are_left_to_weasyprint(monkeypatch: pytest.MonkeyPatch) -> None:
    html = _html("@page :nth(3) { @bottom-center { content: 'third'; } }")
    ours, our_styles = _pdf(html, False, monkeypatch)
    stock, stock_styles = _pdf(html, True, monkeypatch)
    assert ours == stock and our_styles == stock_styles


def test_margin_boxes_with_images_come_out_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    def png(colour: str, width: int) -> str:
        out = io.BytesIO()
        Image.new("RGB", (width, 10), colour).save(out, "PNG")
        return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()

    # Not kept by content (only text is): measured on every page, as before.
    extra = (f"@page :left {{ @top-right {{ content: url({png('red', 40)}); }} }}"
             f"@page :right {{ @top-right {{ content: url({png('blue', 90)}); }} }}")
    ours, _ = _pdf(_html(extra), False, monkeypatch)
    stock, _ = _pdf(_html(extra), True, monkeypatch)
    assert ours == stock
