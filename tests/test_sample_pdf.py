"""End to end: build the sample issue and read the PDF as a reader would."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from pypdf import PdfReader

from bulletin_press.build.pipeline import Built, build
from bulletin_press.checks.typesetting import check_grid, ink_right, read_body
from bulletin_press.layout.specs import PT_PER_MM
from bulletin_press.pdf.text import body_text, in_trim, lines_of, reading_order

from .conftest import FIXTURES, SAMPLE

pytestmark = pytest.mark.slow
A4 = (210 * PT_PER_MM, 297 * PT_PER_MM)
CAPTIONS = {"新泾镇第十六届党员代表大会第二次会议", "新泾镇第二十届人民代表大会第二次会议"}


@pytest.fixture(scope="module")
def built() -> Built:
    return build(SAMPLE)


@pytest.fixture(scope="module")
def pdf_path(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sample") / "2023-01.pdf"
    path.write_bytes(built.pdf)
    return path


def seed_sentences() -> list[str]:
    """The seed's body text as an editor would print it: sentences in order."""
    text = (FIXTURES / "seed-2023-01.txt").read_text(encoding="utf-8")
    kept = [ln.strip() for ln in text.splitlines()
            if ln.strip() and not ln.startswith("#") and ln.strip() not in CAPTIONS]
    body = "".join(kept).replace("奋斗目标 and 主要任务", "奋斗目标和主要任务").replace(" ", "")
    return [s for s in re.findall(r"[^。！？]+[。！？]”?", body)]


def test_builds_without_findings(built: Built) -> None:
    assert built.diagnostics == []


def test_page_count_and_a4_trim(pdf_path: Path) -> None:
    reader = PdfReader(pdf_path)
    assert len(reader.pages) == 4  # pages: 4, met by the page plan
    for page in reader.pages:
        trim = page.trimbox
        assert float(trim.width) == pytest.approx(A4[0], abs=0.01)
        assert float(trim.height) == pytest.approx(A4[1], abs=0.01)
        bleed = page.bleedbox
        assert float(bleed.width) == pytest.approx(A4[0] + 6 * PT_PER_MM, abs=0.01)


def test_every_seed_sentence_once_in_reading_order(pdf_path: Path) -> None:
    text = body_text(pdf_path)
    position = 0
    for sentence in seed_sentences():
        assert text.count(sentence) == 1, sentence
        found = text.find(sentence, position)
        assert found >= position, f"out of order: {sentence}"
        position = found + len(sentence)
    assert len(seed_sentences()) == 31


def test_two_text_columns_on_every_page(pdf_path: Path, built: Built) -> None:
    g = built.prepared.layout.geometry
    left, right = g.margin_side, g.margin_side + g.column_width + g.gap
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            body = [ln for ln in lines_of(page) if abs(ln.size - 10.5) < 0.1]
            # (a closing mark ending a line sets its blank half past the edge)
            col1 = [ln for ln in body if ink_right(ln) <= left + g.column_width + 0.5]
            col2 = [ln for ln in body if ln.x0 >= right - 0.5]
            assert len(col1) > 5 and len(col2) > 5, f"page {page.page_number}"
            assert len(col1) + len(col2) == len(body)  # nothing crosses the gap
            assert min(ln.x0 for ln in col1) == pytest.approx(left, abs=0.5)
            assert min(ln.x0 for ln in col2) == pytest.approx(right, abs=0.5)


def test_fonts_embedded_and_subset(pdf_path: Path) -> None:
    reader = PdfReader(pdf_path)
    fonts: dict[str, Any] = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
    names = sorted(fonts)
    assert len(names) == 3
    assert any("Serif-CJK-SC" in n for n in names) and any("Sans-CJK-SC" in n for n in names)
    for name, font in fonts.items():
        assert re.match(r"/[A-Z]{6}\+", name), f"{name} is not subset"
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), name


def test_masthead_on_page_one(pdf_path: Path, built: Built) -> None:
    top_margin = built.prepared.layout.geometry.margin_top
    with pdfplumber.open(pdf_path) as pdf:
        first = reading_order(pdf.pages[0])
        assert first[0].text == "新泾通讯" and first[0].size == pytest.approx(40, abs=0.1)
        text = "".join(ln.text for ln in first[:8])
        for part in ("2023年第1期", "总第245期", "2023年1月10日", "长宁区新泾镇", "本期导读"):
            assert part in text
        # The running head is on the other pages, not on page 1.
        assert all(ln.top > top_margin for ln in first)
        foot = max(lines_of(pdf.pages[0]), key=lambda ln: ln.top)
        assert foot.text == "新泾通讯2023年第1期总第245期—1—"
        for page in pdf.pages[1:]:
            top = sorted(lines_of(page), key=lambda ln: ln.top)[0]
            assert top.text.startswith("新泾通讯2023年第1期") and top.top < top_margin
            foot = max(lines_of(page), key=lambda ln: ln.top)
            assert foot.text == f"—{page.page_number}—"


def test_contents_page_numbers_match_article_starts(pdf_path: Path, built: Built) -> None:
    titles = [a.title.replace(" ", "") for a in built.prepared.issue.manifest.articles]
    with pdfplumber.open(pdf_path) as pdf:
        starts = {}
        for number, page in enumerate(pdf.pages, start=1):
            for line in lines_of(page):
                if line.size == pytest.approx(20, abs=0.1) and line.text in titles:
                    starts.setdefault(line.text, number)
        toc = [ln.text.replace(".", "") for ln in reading_order(pdf.pages[0])
               if ln.size == pytest.approx(10, abs=0.1)]
    assert set(starts) == set(titles)
    for title in titles:
        [entry] = [t for t in toc if title in t]
        assert entry.endswith(str(starts[title])), (entry, starts)
    assert built.typeset.anchor_pages()["article-people-congress"] == starts[titles[1]]


def test_captions_right_under_photos(pdf_path: Path, built: Built) -> None:
    figures = [item["figure"] for a in built.prepared.context.context["articles"]
               for item in a["body"] if item["figure"]]
    figures += [f for a in built.prepared.context.context["articles"]
                for f in a["full_width_figures"]]
    heights = sorted(float(f["image_height"].removesuffix("pt")) for f in figures)
    with pdfplumber.open(pdf_path) as pdf:
        found = []
        for page in pdf.pages:
            for image in in_trim(page, page.images):
                # object-fit: cover draws the whole image centred and clips it to the box.
                centre = (image["top"] + image["bottom"]) / 2
                visible = next(h for h in heights if h <= image["height"] + 0.01)
                bottom = centre + visible / 2
                below = [ln for ln in lines_of(page)
                         if 0 < ln.top - bottom < 18 and ln.size == pytest.approx(9, abs=0.1)]
                found += [c for c in CAPTIONS for ln in below if c in ln.text]
    assert sorted(found) == sorted(CAPTIONS)


def test_body_lines_of_both_columns_on_one_grid(built: Built) -> None:
    geometry = built.prepared.layout.geometry
    body, _ = read_body(built.pdf, geometry)
    assert {b.column for b in body} == {1, 2}
    assert [d.message for d in check_grid(body, geometry)] == []


def test_same_manifest_gives_same_bytes(built: Built) -> None:
    assert build(SAMPLE).pdf == built.pdf
