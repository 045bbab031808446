"""Saddle-stitch imposition, checked on real output."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader, PdfWriter

from bulletin_press.build.pipeline import build
from bulletin_press.layout.booklet import blank_pages_needed
from bulletin_press.pdf.impose import impose, saddle_order

from .conftest import HEADER, SAMPLE, MakeIssue
from .test_cli import run


def test_saddle_order() -> None:
    assert saddle_order(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]
    assert saddle_order(4) == [(4, 1), (2, 3)]
    assert saddle_order(6) == [(None, 1), (2, None), (6, 3), (4, 5)]
    assert blank_pages_needed(6) == 2 and blank_pages_needed(8) == 0


def _halves(data: bytes) -> list[tuple[int | None, int | None]]:
    """The page numbers printed in the foot of each half of each sheet."""
    sheets = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            mid = page.width / 2
            numbers: list[int | None] = []
            for box in ((0, 0, mid, page.height), (mid, 0, page.width, page.height)):
                text = page.crop(box).extract_text() or ""
                found = re.findall(r"—\s*(\d+)\s*—", text)
                numbers.append(int(found[-1]) if found else None)
            sheets.append((numbers[0], numbers[1]))
    return sheets


@pytest.mark.slow
def test_eight_page_issue_imposed_in_folding_order(make_issue: MakeIssue) -> None:
    body = "\n".join(f"  - {{id: a{i}, title: 第{i}篇, body: 第{i}篇正文。, "
                     f"layout: {{start: {'new-page' if i > 1 else 'continue'}}}}}"
                     for i in range(1, 9))
    built = build(make_issue(HEADER + body + "\n"))
    assert built.typeset.page_count == 8
    imposed = impose(built.pdf)
    assert _halves(imposed) == [(8, 1), (2, 7), (6, 3), (4, 5)]
    with pdfplumber.open(io.BytesIO(imposed)) as pdf:
        a3 = (pdf.pages[0].width, pdf.pages[0].height)
    assert a3 == pytest.approx((1190.55, 841.89), abs=0.1)


@pytest.mark.slow
def test_sample_padded_and_bleed_clipped(tmp_path: Path) -> None:
    pdf = tmp_path / "s.pdf"
    # The sample's first 3 pages (it has 4): a booklet needs a blank page.
    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(build(SAMPLE).pdf)).pages[:3]:
        writer.add_page(page)
    with pdf.open("wb") as out:
        writer.write(out)
    result = run("impose", pdf)
    assert result.returncode == 0, result.stderr
    assert "3 pages + 1 blank on 2 sheet sides" in result.stdout
    imposed = (tmp_path / "s.imposed.pdf").read_bytes()
    assert _halves(imposed) == [(None, 1), (2, 3)]
    with pdfplumber.open(io.BytesIO(imposed)) as sheet:
        # Nothing of page 1 (right half of sheet 1) spills into the blank left half.
        left = sheet.pages[0].crop((0, 0, sheet.pages[0].width / 2, sheet.pages[0].height))
        assert left.chars == [] and left.images == []
