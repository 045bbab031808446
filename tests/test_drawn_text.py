"""A text box's glyphs written once per text and style (typeset/ext/drawn_text.py):
the same PDF, byte for byte, as stock WeasyPrint's, in a document that repeats
lines and in the next document that shares its font configuration (a build's
worker, the preview); boxes drawn otherwise than plainly are left to WeasyPrint,
and a character no font has is reported in every document."""

from __future__ import annotations

import gc
import logging
from typing import Any

import pytest
import weasyprint
from weasyprint.text.fonts import FontConfiguration

from bulletin_press.typeset import gate
from bulletin_press.typeset.ext import drawn_text

gate.install()

# Han with Latin, digits, a phone number, a URL and an address; a notice's lines
# repeated (running heads, a table of the same opening hours), bold and spaced
# styles of the same words (other glyphs, other widths), justified and autospaced.
TEXT = ("长宁区新泾镇社区卫生服务中心（剑河路595号）自2027年1月4日起开设周六上午门诊，"
        "预约电话021-62209715转6012，网上预约https://www.xinjing-health.cn/booking，"
        "Smart Health App亦可。")
HOURS = "周一至周五 8:00—16:30 周六 8:00—11:30（法定节假日除外）"

HTML = """<style>
  @page {{ size: 120mm 110mm; margin: 14mm 10mm;
    @top-center {{ content: "新泾通讯 2027年第1期"; font: 9px sans-serif; }}
    @bottom-center {{ content: counter(page); font: 9px sans-serif; }} }}
  body {{ font: 12px/16px "Noto Serif CJK SC"; --bp-autospace: 0.25; }}
  p {{ margin: 0; text-align: justify; }}
  .wide {{ letter-spacing: 1.5px; }}
  .words {{ word-spacing: 4px; }}
  .bold {{ font-weight: bold; }}
  .under {{ text-decoration: underline; }}
  .hidden {{ visibility: hidden; }}
  .en {{ text-align: justify; font-family: serif; }}
  .cut {{ white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
</style>{body}"""


def _body(n: int) -> str:
    parts = []
    for i in range(n):
        parts.append(f"<p>{TEXT * 2}</p><p>{HOURS}</p><p class='wide'>{TEXT}</p>"
                     f"<p class='words'>{TEXT}</p><p class='bold'>{TEXT}</p>"
                     f"<p class='under'>{HOURS}</p><p class='hidden'>{HOURS}</p>"
                     f"<p class='en' lang='en'>Changning District Community Health Centre "
                     f"No.{i + 1}, 595 Jianhe Road: open Saturday mornings.</p>"
                     f"<p class='cut'>{TEXT}</p>")
    return "".join(parts)


def _pdf(html: str, config: FontConfiguration | None = None) -> bytes:
    document = weasyprint.HTML(string=html).render(font_config=config)
    pdf: bytes = document.write_pdf(uncompressed_pdf=True)
    return pdf


def _stock(html: str) -> bytes:
    with gate.stock("drawn_text"):
        return _pdf(html)


def test_the_bytes_in_a_document_that_repeats_lines() -> None:
    html = HTML.format(body=_body(3))
    kept = drawn_text.Counts.kept
    ours = _pdf(html)
    assert drawn_text.Counts.kept > kept  # repeated lines written from the table
    assert ours == _stock(html)


def test_the_next_document_with_the_same_fonts_is_written_from_the_table() -> None:
    """A build's worker typesets a run again in a later round: every plain box of the
    second document comes from the table, and its bytes are stock WeasyPrint's."""
    config = FontConfiguration()
    first = HTML.format(body=_body(1))
    _pdf(first, config)
    drawn, kept = drawn_text.Counts.drawn, drawn_text.Counts.kept
    again = _pdf(first, config)
    assert drawn_text.Counts.kept > kept
    # Only what is not plain is drawn by WeasyPrint: underlined, cut with an ellipsis,
    # the running heads (their page numbers differ) and nothing else twice.
    assert drawn_text.Counts.drawn - drawn < drawn_text.Counts.kept - kept
    assert again == _stock(first)
    # Another document, other lines among the same ones: still stock bytes.
    other = HTML.format(body=_body(2).replace("周六", "周日"))
    assert _pdf(other, config) == _stock(other)


def test_boxes_drawn_otherwise_are_left_to_weasyprint(monkeypatch: pytest.MonkeyPatch
                                                      ) -> None:
    seen: list[Any] = []
    original = drawn_text._original

    def spy(stream: Any, textbox: Any, *args: Any) -> None:
        seen.append(textbox.style["text_decoration_line"])
        original(stream, textbox, *args)

    monkeypatch.setattr(drawn_text, "_original", spy)
    config = FontConfiguration()
    html = HTML.format(body=_body(1))
    _pdf(html, config)
    seen.clear()
    _pdf(html, config)
    # The second time only the underlined box, the ellipsis's and the running heads'
    # boxes (drawn by WeasyPrint's own draw_text) reach WeasyPrint.
    assert any(value not in ("none", frozenset(), set()) for value in seen)
    assert len(seen) <= 4


def test_a_character_without_a_glyph_is_reported_in_every_document() -> None:
    """A .notdef glyph fails the build (typeset/engine.py reads WeasyPrint's log):
    a box with one is never kept, so the next document logs it again."""
    config = FontConfiguration()
    html = HTML.format(body="<p>新泾镇社区通知：请于12月20日前报名\ue000。</p>")
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep(logging.WARNING)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        first = _pdf(html, config)
        notdef = sum(".notdef" in r.getMessage() for r in records)
        assert notdef
        second = _pdf(html, config)
        assert sum(".notdef" in r.getMessage() for r in records) == 2 * notdef
    finally:
        logger.removeHandler(handler)
    assert first == second == _stock(html)


def test_switched_off_every_box_is_drawn_by_weasyprint(monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    monkeypatch.setattr(drawn_text.Switch, "on", False)
    html = HTML.format(body=_body(2))
    kept = drawn_text.Counts.kept
    assert _pdf(html) == _stock(html)
    assert drawn_text.Counts.kept == kept


def _ref_count(address: int) -> int:
    """A GObject's reference count, read from its public struct (GTypeInstance, ref_count)."""
    ffi = drawn_text._ffi
    return int(ffi.cast("struct { void *g_class; unsigned int ref_count; } *", address).ref_count)


def test_the_fonts_a_table_holds_are_given_back_with_its_configuration() -> None:
    # A long process (the tests, a check typesetting one document after another)
    # makes a font configuration per document: the Pango fonts the table named
    # are let go with it; kept, each held its face and font map (the suite grew
    # to 16 GB of memory before this).
    config = FontConfiguration()
    _pdf(HTML.format(body=_body(2)), config)
    held = dict(config.bp_drawn_fonts)
    assert held
    address = next(iter(held))
    drawn_text._gobject.g_object_ref(address)  # ours, so the font outlives the test
    before = _ref_count(address)
    release = config.bp_drawn_release
    del config
    gc.collect()
    assert not release.alive
    assert before > 1
    assert _ref_count(address) == 1  # only the test's own reference is left
    drawn_text._gobject.g_object_unref(address)
