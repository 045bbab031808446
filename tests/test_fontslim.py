"""Smaller PDFs: fonts cut to the glyphs used, pages and text unchanged."""

from __future__ import annotations

import io

import pdfplumber
import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import ImageChops

from bulletin_press.build.pipeline import build
from bulletin_press.pdf.font_subsets import slim_fonts

from .conftest import SAMPLE

pytestmark = pytest.mark.slow


def _text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "".join(c["text"] for page in pdf.pages for c in page.chars)


def test_slim_fonts_keep_pages_and_text() -> None:
    fat = build(SAMPLE, slim=False).pdf
    slim = slim_fonts(fat)
    assert len(slim) < 0.6 * len(fat)
    assert _text(slim) == _text(fat)
    fat_doc, slim_doc = pdfium.PdfDocument(fat), pdfium.PdfDocument(slim)
    for index in range(len(fat_doc)):
        a = fat_doc[index].render(scale=2).to_pil().convert("L")
        b = slim_doc[index].render(scale=2).to_pil().convert("L")
        histogram = ImageChops.difference(a, b).histogram()
        assert sum(histogram[33:]) == 0  # at most anti-aliasing shades differ
    with pikepdf.open(io.BytesIO(slim)) as pdf:
        for font in pdf.pages[0].Resources.Font.values():
            program = font.DescendantFonts[0].FontDescriptor.FontFile3
            assert program.Subtype == pikepdf.Name.CIDFontType0C
            # ~1,100 distinct characters (the sample's 4 pages): a subset, not the font
            assert len(program.read_bytes()) < 250_000


def test_build_slims_by_default() -> None:
    assert build(SAMPLE).pdf == slim_fonts(build(SAMPLE, slim=False).pdf)
