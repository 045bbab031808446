"""The preflight's page facts found from the typeset boxes (typeset/page_facts.py:
by the run workers for `build`, stored with each run) against the same facts read
back from the PDF with pdfplumber (pdf/text.py `pdf_page_facts`, what the
preflight read before): the same facts, so the same findings."""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from bulletin_press.build.pipeline import Assembled, Built, build, build_runs
from bulletin_press.checks.preflight import check_fonts_embedded, preflight
from bulletin_press.diagnostics import Diagnostic
from bulletin_press.pdf.pdfa_rules import check_pdfa
from bulletin_press.pdf.text import pdf_page_facts
from bulletin_press.pdf.walk import fonts_not_embedded
from bulletin_press.typeset.page_facts import PageFacts

from .conftest import FIXTURES, ROOT, SAMPLE

pytestmark = pytest.mark.slow

def _project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    (project / "issues").mkdir(parents=True)
    (project / "layouts").symlink_to(ROOT / "layouts")
    (project / "fonts").mkdir()
    return project


@pytest.fixture
def own(tmp_path: Path) -> Path:
    """An issue of our own with each finding the facts decide (see its comment)."""
    folder = _project(tmp_path) / "issues" / "own"
    (folder / "images").mkdir(parents=True)
    shutil.copy(SAMPLE / "images" / "people-congress.jpg", folder / "images" / "market.jpg")
    shutil.copy(FIXTURES / "page-facts.yaml", folder / "issue.yaml")
    return folder


def _hard(tmp_path: Path) -> Path:
    folder = _project(tmp_path) / "issues" / "hard"
    (folder / "images").mkdir(parents=True)
    shutil.copy(SAMPLE / "images" / "party-congress.jpg", folder / "images" / "canteen.jpg")
    shutil.copy(FIXTURES / "hard-breaks.yaml", folder / "issue.yaml")
    return folder


ISSUES = {
    "sample": lambda tmp: SAMPLE,
    "notices": lambda tmp: ROOT / "issues" / "2023-02-notices",
    "text-16": lambda tmp: ROOT / "issues" / "text-16",
    "hard-breaks": _hard,
}


def differences(found: list[PageFacts], read: list[PageFacts]) -> list[str]:
    """What differs between two lists of page facts, beyond the last digits of a
    length and the order of what a page prints (the text is compared as characters:
    list markers are drawn before their item, and spaces may be no-break ones)."""
    if len(found) != len(read):
        return [f"{len(found)} pages against {len(read)}"]
    said: list[str] = []
    for number, (a, b) in enumerate(zip(found, read, strict=True), start=1):
        if Counter(re.sub(r"\s", "", a.text)) != Counter(re.sub(r"\s", "", b.text)):
            said.append(f"page {number}: text")
        if (a.outside is None) != (b.outside is None) or (
                a.outside is not None and b.outside is not None and (
                    a.outside.text != b.outside.text or not _near(
                        dataclasses.astuple(a.outside)[1:],
                        dataclasses.astuple(b.outside)[1:]))):
            said.append(f"page {number}: outside {a.outside} against {b.outside}")
        for column, (x, y) in enumerate(zip(a.bottoms, b.bottoms, strict=True), start=1):
            if len(x) != len(y) or not _near(x, y):
                said.append(f"page {number} column {column}: bottoms {x[:3]}… against {y[:3]}…")
        if a.body_text != b.body_text:
            said.append(f"page {number}: body text {a.body_text} against {b.body_text}")
    return said


def _near(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    return all(abs(x - y) <= 0.02 for x, y in zip(a, b, strict=True))


def read_from_pdf(built: Built | Assembled) -> list[Diagnostic]:
    """The preflight's findings with the page facts read from the PDF, as before."""
    if isinstance(built, Assembled):
        return preflight(dataclasses.replace(built, facts=[]))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(built, "page_facts", lambda: None)
        return preflight(built)


def _same_both_ways(built: Built | Assembled) -> list[Diagnostic]:
    found = built.page_facts()
    assert found is not None  # from the boxes: no page read
    g = built.prepared.layout.geometry
    assert differences(found, pdf_page_facts(built.pdf, g)) == []
    findings = preflight(built)
    assert findings == read_from_pdf(built)
    return findings


@pytest.mark.parametrize("name", list(ISSUES))
def test_the_print_build_finds_the_facts_the_pdf_shows(name: str, tmp_path: Path) -> None:
    built = build_runs(ISSUES[name](tmp_path), jobs=1, store=False)
    _same_both_ways(built)


def test_our_issue_has_each_finding_the_facts_decide_both_ways(own: Path) -> None:
    built = build_runs(own, jobs=2)  # in the workers, then from the store
    findings = _same_both_ways(built)
    codes = Counter(d.code for d in findings)
    assert codes["pages.safe-area"] == 1 and codes["copyfit.hole"] == 1
    assert {"copyfit.under", "pages.saddle-stitch"} <= set(codes)
    again = build_runs(own, jobs=2)
    assert again.typeset_runs == 0  # every run and the frame from the store
    assert again.page_facts() == built.page_facts()
    assert preflight(again) == findings


def test_one_document_builds_find_them_from_their_document(own: Path) -> None:
    built = build(own)
    findings = _same_both_ways(built)
    assert "pages.safe-area" in {d.code for d in findings}


def test_a_wrong_fact_is_seen(own: Path) -> None:
    """Each fact changed is a difference and changes the findings: the comparison
    above would fail if the boxes were measured wrong."""
    built = build_runs(own, jobs=1, store=False)
    good = built.page_facts()
    assert good is not None
    at = next(i for i, page in enumerate(good) if page.outside is not None)
    over = good[at]  # the page with the headline past the safe area
    assert over.outside is not None
    lowest = list(good[1].bottoms[0])

    def replaced(index: int, page: PageFacts) -> list[PageFacts]:
        return [*good[:index], page, *good[index + 1:]]

    wrong = {
        "outside": replaced(at, dataclasses.replace(over, outside=None)),
        "outside box": replaced(at, dataclasses.replace(over, outside=dataclasses.replace(
            over.outside, x1=over.outside.x1 - 0.1))),
        "bottoms": replaced(1, dataclasses.replace(good[1], bottoms=(
            tuple(lowest[1:]), *good[1].bottoms[1:]))),
        "text": replaced(0, dataclasses.replace(good[0], text=good[0].text[2:])),
        "body text": replaced(1, dataclasses.replace(good[1], body_text=False)),
    }
    findings = preflight(built)
    for what, facts in wrong.items():
        assert differences(facts, good), what
        if what in ("outside", "bottoms"):
            assert preflight(dataclasses.replace(built, facts=facts)) != findings, what


def test_an_unembedded_font_is_found_from_the_font_dictionaries() -> None:
    built = build_runs(SAMPLE, jobs=1, store=False)
    assert list(check_fonts_embedded(built)) == []
    with pikepdf.open(io.BytesIO(built.pdf)) as pdf:
        for font in pdf.pages[0].Resources.Font.values():
            descriptor = font.DescendantFonts[0].FontDescriptor
            del descriptor["/FontFile3"]
            break
        out = io.BytesIO()
        pdf.save(out)
    stripped = dataclasses.replace(built, pdf=out.getvalue())
    found = list(check_fonts_embedded(stripped))
    assert [d.code for d in found] == ["fonts.not-embedded"]
    report = check_pdfa(stripped.pdf, 2, "B", only=frozenset({"6.2.11.4.1-1"}))
    assert [f.detail for f in report.failures] == [d.message.split(":")[0] for d in found]
    with pikepdf.open(io.BytesIO(stripped.pdf)) as pdf:
        assert fonts_not_embedded(pdf) == [f.detail for f in report.failures]
