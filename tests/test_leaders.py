"""Leader dots written as copies of one drawn dot: the same bytes as stock
WeasyPrint, and the copies really taken where they can be."""

from __future__ import annotations

from contextlib import nullcontext

import pytest
import weasyprint

from bulletin_press.typeset import gate
from bulletin_press.typeset.ext import leaders

gate.install()

HTML = """<style>@page {{ size: 120mm 90mm; margin: 10mm; }}
  li {{ list-style: none; }} a {{ color: #b01f24; text-decoration: none; {extra} }}
  a::after {{ content: leader(dotted) " " target-counter(attr(href), page); }}</style>
<ol>{entries}</ol>
<h1 id="one">One</h1><h1 id="two" style="break-before: page">Two</h1>"""


def _pdf(html: str, stock: bool, monkeypatch: pytest.MonkeyPatch, **options: object) -> bytes:
    copied: list[bytes] = []
    matrix = leaders._matrix

    def counted(box: object) -> bytes:
        copied.append(matrix(box))
        return copied[-1]

    with monkeypatch.context() as patch, (gate.stock("leaders") if stock else nullcontext()):
        patch.setattr(leaders, "_matrix", counted)
        pdf: bytes = weasyprint.HTML(string=html).write_pdf(uncompressed_pdf=True, **options)
    return pdf + b"\n%copied " + str(len(copied)).encode()


def _html(extra: str = "") -> str:
    entries = "".join(f'<li><a href="#{a}">Entry {a}</a></li>' for a in ("one", "two"))
    return HTML.format(extra=extra, entries=entries)


def test_dots_are_the_bytes_weasyprint_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    ours = _pdf(_html(), False, monkeypatch)
    stock = _pdf(_html(), True, monkeypatch)
    body, _, copied = ours.rpartition(b"\n%copied ")
    assert body == stock.rpartition(b"\n%copied ")[0]
    assert int(copied) > 50  # two leaders of dozens of dots each were copied
    assert body.count(b" Tm") > 80  # one per dot: the copies are written


@pytest.mark.parametrize(("extra", "options"), [
    ("text-decoration: underline;", {}),  # each dot also draws its underline
    ("", {"pdf_variant": "pdf/ua-1"}),  # tagged: each dot is its own marked span
])
def test_dots_weasyprint_must_draw_itself(monkeypatch: pytest.MonkeyPatch, extra: str,
                                          options: dict[str, object]) -> None:
    ours = _pdf(_html(extra), False, monkeypatch, **options)
    stock = _pdf(_html(extra), True, monkeypatch, **options)
    body, _, copied = ours.rpartition(b"\n%copied ")
    assert body == stock.rpartition(b"\n%copied ")[0]
    assert int(copied) <= 4  # at most the checks on the second and third dots
