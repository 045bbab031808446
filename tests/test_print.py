"""Print PDF: page boxes, crop marks outside the bleed, PDF/X-4 checked rule by rule."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pdfplumber
import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String

from bulletin_press.build.pipeline import Built, build, print_pdf
from bulletin_press.diagnostics import BuildError
from bulletin_press.layout.specs import PT_PER_MM
from bulletin_press.pdf.pdfa_rules import RULES
from bulletin_press.pdf.pdfx_rules import check_pdfx4
from bulletin_press.pdf.prepress import MARK_LENGTH, SLUG, to_pdfx4

from .conftest import SAMPLE
from .test_cli import run

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built() -> Built:
    return build(SAMPLE)


@pytest.fixture(scope="module")
def pdfx(built: Built) -> bytes:
    return print_pdf(built, marks=True, pdf_x=True)


def test_crop_marks_outside_the_bleed(built: Built) -> None:
    marked = print_pdf(built, marks=True)
    g = built.prepared.layout.geometry
    with pikepdf.open(io.BytesIO(marked)) as pdf:
        page = pdf.pages[0].obj
        assert [float(v) for v in page.TrimBox] == pytest.approx(
            [0, 0, g.page_width, g.page_height], abs=0.001)
        bleed = [float(v) for v in page.BleedBox]
        assert bleed == pytest.approx([-g.bleed, -g.bleed, g.page_width + g.bleed,
                                       g.page_height + g.bleed], abs=0.001)
        media = [float(v) for v in page.MediaBox]
        assert media == pytest.approx([bleed[0] - SLUG, bleed[1] - SLUG, bleed[2] + SLUG,
                                       bleed[3] + SLUG], abs=0.001)
        assert page.Resources.ColorSpace.BPAll[1] == Name.All  # registration colour
    with pdfplumber.open(io.BytesIO(marked)) as pdf:
        lines = pdf.pages[0].lines
        dx, dy = float(pdf.pages[0].trimbox[0]), float(pdf.pages[0].trimbox[1])
    marks = [ln for ln in lines if abs(ln["x1"] - ln["x0"] - MARK_LENGTH) < 0.01
             or abs(ln["bottom"] - ln["top"] - MARK_LENGTH) < 0.01]
    assert len(marks) == 8  # two at each corner
    for mark in marks:  # every mark lies wholly outside the bleed
        x0, x1 = mark["x0"] - dx, mark["x1"] - dx
        top, bottom = mark["top"] - dy, mark["bottom"] - dy
        outside_x = x1 <= -g.bleed or x0 >= g.page_width + g.bleed
        outside_y = bottom <= -g.bleed or top >= g.page_height + g.bleed
        assert outside_x or outside_y, mark


def test_pdfx4_passes_every_rule(pdfx: bytes) -> None:
    report = check_pdfx4(pdfx)
    assert [f"{f.rule.id}: {f.detail}" for f in report.failures] == []
    assert len(report.checked) >= 25
    with pikepdf.open(io.BytesIO(pdfx)) as pdf:
        assert pdf.pdf_version == "1.6"
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == Name.GTS_PDFX and intent.DestOutputProfile.N == 4
        assert str(intent.OutputConditionIdentifier) == "CGATS TR 001"
        assert "/Annots" not in pdf.pages[0].obj or len(pdf.pages[0].obj.Annots) == 0


def test_plain_print_pdf_is_not_pdfx(built: Built) -> None:
    failed = check_pdfx4(built.pdf).failed_ids()
    assert {"X4-output-intent", "X4-device-rgb", "X4-xmp-version", "X4-version"} <= failed


def test_pdfx_keeps_text_and_looks_the_same(built: Built, pdfx: bytes) -> None:
    def text(data: bytes) -> str:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return "".join(c["text"] for page in pdf.pages for c in page.chars)
    assert text(pdfx) == text(built.pdf)


def test_not_a_cmyk_profile_is_refused(built: Built, tmp_path: Path) -> None:
    rgb = Path("/usr/share/color/icc/ghostscript/default_rgb.icc")
    with pytest.raises(BuildError) as info:
        to_pdfx4(built.pdf, profile=rgb, condition="x", info="x", title="t", author="a",
                 date_iso="2023-01-10")
    assert info.value.diagnostics[0].code == "print.profile"
    with pytest.raises(BuildError):
        to_pdfx4(built.pdf, profile=tmp_path / "missing.icc", condition="x", info="x",
                 title="t", author="a", date_iso="2023-01-10")


def test_build_command_pdf_x(tmp_path: Path) -> None:
    target = tmp_path / "x.pdf"
    result = run("build", SAMPLE, "--pdf-x", "--marks", "-o", target)
    assert result.returncode == 0, result.stderr
    assert "PDF/X-4" in result.stdout
    assert check_pdfx4(target.read_bytes()).ok


def _page(pdf: pikepdf.Pdf) -> Any:
    return pdf.pages[0].obj


def _xmp(pdf: pikepdf.Pdf, old: str, new: str) -> None:
    text = pdf.Root.Metadata.read_bytes().decode()
    assert old in text
    pdf.Root.Metadata.write(text.replace(old, new).encode())


X4_MUTATIONS: dict[str, Callable[[pikepdf.Pdf], None]] = {
    "X4-output-intent": lambda pdf: pdf.Root.__delitem__("/OutputIntents"),
    "X4-device-rgb": lambda pdf: pdf.pages[0].contents_add(
        pikepdf.Stream(pdf, b"1 0 0 rg"), prepend=False),
    "X4-device-cmyk": lambda pdf: (pdf.Root.__delitem__("/OutputIntents"),
                                   pdf.pages[0].contents_add(
                                       pikepdf.Stream(pdf, b"0 0 0 1 k"), prepend=False)),
    "X4-page-boxes": lambda pdf: _page(pdf).__delitem__("/TrimBox"),
    "X4-xmp-version": lambda pdf: _xmp(pdf, "PDF/X-4</pdfxid", "PDF/X-3</pdfxid"),
    "X4-xmp-document": lambda pdf: _xmp(pdf, "xmpMM:VersionID>1</xmpMM:VersionID",
                                        "xmpMM:Other>1</xmpMM:Other"),
    "X4-xmp-dates": lambda pdf: _xmp(pdf, "xmp:MetadataDate", "xmp:OtherDate"),
    "X4-title": lambda pdf: _xmp(pdf, "dc:title", "dc:subject"),
    "X4-trapped": lambda pdf: setattr(pdf.docinfo, "Trapped", Name("/True")),
    "X4-annotations": lambda pdf: setattr(_page(pdf), "Annots", Array([Dictionary(
        Type=Name.Annot, Subtype=Name.Link, F=4, Rect=Array([10, 10, 50, 50]),
        A=Dictionary(S=Name.URI, URI=String("https://example.com")))])),
}


def test_every_pdfx_rule_has_a_breaking_case() -> None:
    own = {r.id for r, _ in RULES if r.standards == frozenset({"X4"})}
    assert own == set(X4_MUTATIONS) | {"X4-version"}


@pytest.mark.parametrize("rule_id", sorted(X4_MUTATIONS))
def test_pdfx_rule_fails_when_broken(rule_id: str, pdfx: bytes) -> None:
    with pikepdf.open(io.BytesIO(pdfx)) as pdf:
        X4_MUTATIONS[rule_id](pdf)
        out = io.BytesIO()
        pdf.save(out, force_version="1.6")
    assert rule_id in check_pdfx4(out.getvalue()).failed_ids()


def test_pdf_17_is_not_pdfx4(pdfx: bytes) -> None:
    assert "X4-version" in check_pdfx4(pdfx.replace(b"%PDF-1.6", b"%PDF-1.7", 1)).failed_ids()


def test_shared_rules_apply_to_pdfx(pdfx: bytes) -> None:
    with pikepdf.open(io.BytesIO(pdfx)) as pdf:
        font = next(iter(_page(pdf).Resources.Font.values()))
        del font.DescendantFonts[0].FontDescriptor["/FontFile3"]
        out = io.BytesIO()
        pdf.save(out)
    assert "6.2.11.4.1-1" in check_pdfx4(out.getvalue()).failed_ids()  # fonts embedded


def test_marks_size(built: Built) -> None:
    assert SLUG > MARK_LENGTH and pytest.approx(8 * PT_PER_MM) == SLUG


def test_full_bleed_photo_reaches_the_bleed_edges(tmp_path: Path) -> None:
    import shutil

    issue = tmp_path / "i"
    shutil.copytree(SAMPLE, issue)
    manifest = issue / "issue.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        "placement: full-width", "placement: full-bleed"), encoding="utf-8")
    built = build(issue)
    g = built.prepared.layout.geometry
    from bulletin_press.pdf.text import in_trim

    with pdfplumber.open(io.BytesIO(built.pdf)) as pdf:
        [image] = in_trim(pdf.pages[0], pdf.pages[0].images)
        captions = [c for c in in_trim(pdf.pages[0], pdf.pages[0].chars) if c["size"] < 9.1]
    assert image["x0"] == pytest.approx(-g.bleed, abs=0.05)
    assert image["x1"] == pytest.approx(g.page_width + g.bleed, abs=0.05)
    assert min(c["x0"] for c in captions) > g.margin_side  # the caption stays in the measure
