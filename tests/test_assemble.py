"""The print build from page runs (runs.py + assemble.py): the same pages as one
document, fonts and photos embedded once, links and outline kept, runs reused."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pdfplumber
import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import ImageChops

from bulletin_press.build.pipeline import build, build_runs
from bulletin_press.diagnostics import BuildError
from bulletin_press.fonts.cff import PLACEHOLDER
from bulletin_press.runs import assemble as assemble_module
from bulletin_press.runs import plan as runs_module

from .conftest import ROOT

pytestmark = pytest.mark.slow
BENCH = ROOT / "issues" / "bench-16"


@pytest.fixture
def issue(tmp_path: Path) -> Path:
    """bench-16 in a project of its own, so its run store starts empty."""
    project = tmp_path / "project"
    shutil.copytree(BENCH, project / "issues" / "bench-16")
    (project / "layouts").symlink_to(ROOT / "layouts")
    (project / "fonts").mkdir()
    return project / "issues" / "bench-16"


def _texts(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() for page in pdf.pages]


def _fonts(data: bytes) -> dict[str, bytes]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        found: dict[str, bytes] = {}
        for page in pdf.pages:
            for font in page.obj.Resources.get("/Font", {}).values():
                program = font.DescendantFonts[0].FontDescriptor.FontFile3
                found[f"{font.objgen}"] = program.read_bytes()
            for xobject in page.obj.Resources.get("/XObject", {}).values():
                for font in xobject.get("/Resources", {}).get("/Font", {}).values():
                    program = font.DescendantFonts[0].FontDescriptor.FontFile3
                    found[f"{font.objgen}"] = program.read_bytes()
        return found


def test_runs_make_the_same_issue_as_one_document(issue: Path) -> None:
    built = build_runs(issue, jobs=2)
    whole = build(issue).pdf
    assert built.run_count == 8 and built.page_count == 16
    assert _texts(built.pdf) == _texts(whole)  # running heads, page numbers, contents
    a, b = pdfium.PdfDocument(whole), pdfium.PdfDocument(built.pdf)
    for index in range(16):
        diff = ImageChops.difference(a[index].render(scale=1).to_pil().convert("L"),
                                     b[index].render(scale=1).to_pil().convert("L"))
        assert sum(diff.histogram()[33:]) == 0, f"page {index + 1} differs"
    # Each font once (the runs' subsets merged), no placeholder left, photos once.
    fonts = _fonts(built.pdf)
    assert len(fonts) == 3 and not any(p.startswith(PLACEHOLDER) for p in fonts.values())
    assert len(built.pdf) < 1.15 * len(whole)
    with pikepdf.open(io.BytesIO(built.pdf)) as pdf:
        images = {obj.objgen for page in pdf.pages
                  for obj in page.obj.Resources.get("/XObject", {}).values()
                  if obj.get("/Subtype") == "/Image"}
        assert len(images) == 2  # bench-16 places two photos four times each
        # The outline lists the articles in order, each at its page.
        with pdf.open_outline() as outline:
            items = [(item.title, pdf.pages.index(pikepdf.Page(item.destination[0])))
                     for item in outline.root]
        assert len(items) == 8 and [page for _, page in items] == list(range(0, 16, 2))
        # The contents box links to every article, across runs.
        dests = pikepdf.NameTree(pdf.Root.Names.Dests)
        links = [annot for annot in pdf.pages[0].obj.get("/Annots", [])
                 if annot.get("/Subtype") == "/Link"]
        targets = {str(annot.Dest) for annot in links if "/Dest" in annot}
        assert {f"article-article-{n}" for n in range(1, 9)} <= targets
        assert not any("/A" in annot for annot in links)
        assert pdf.pages.index(pikepdf.Page(dests["article-article-5"][0])) == 8
        assert str(pdf.docinfo.Title) and str(pdf.Root.Lang) == "zh-CN"


def test_parallel_and_serial_builds_are_the_same_bytes(issue: Path) -> None:
    assert build_runs(issue, jobs=2, store=False).pdf == build_runs(issue, jobs=1,
                                                                    store=False).pdf


def test_unchanged_runs_come_from_the_store(issue: Path) -> None:
    first = build_runs(issue, jobs=2)
    assert first.typeset_runs >= 8
    again = build_runs(issue)
    assert again.typeset_runs == 0 and again.pdf == first.pdf
    manifest = issue / "issue.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        "全镇116名党员代表参加大会。", "全镇117名党员代表参加大会。", 1), encoding="utf-8")
    edited = build_runs(issue)
    # The edited article's run alone, twice: as edited, then with the page plan that
    # fills page 2 (its photo and spaces; each build plans from scratch).
    assert edited.typeset_runs == 2
    text = "".join(_texts(edited.pdf))
    assert text.count("117") == 1 and text.count("116名") == 6
    # A photo that changes on disk makes its runs typeset again, though the HTML is the same.
    photo = next((issue / "images").iterdir())
    photo.write_bytes(photo.read_bytes() + b"\0")
    assert build_runs(issue).typeset_runs >= 1


def test_a_font_that_cannot_be_found_is_an_error(issue: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(assemble_module, "font_file", lambda *_: None)
    with pytest.raises(BuildError) as caught:
        build_runs(issue, store=False)
    assert caught.value.diagnostics[0].code == "font.file-not-found"


@pytest.mark.parametrize("css", [
    "@page :left { @bottom-center { color: red; } }",
    ".article.start-new-page { break-before: right; }",
    "@page :first { margin-top: 40mm; }",
])
def test_a_layout_telling_pages_apart_is_built_as_one_document(issue: Path, css: str) -> None:
    """Runs count their pages from 1: left/right pages and a general `:first`
    would be wrong in them."""
    project = issue.parents[1]
    (project / "layouts").unlink()
    shutil.copytree(ROOT / "layouts" / "two-column", project / "layouts" / "two-column")
    sides = project / "layouts" / "sides"
    sides.mkdir()
    (sides / "layout.yaml").write_text(
        "extends: two-column\nname: sides\nstylesheets: [style.css, sides.css]\n")
    (sides / "sides.css").write_text(css + "\n")
    manifest = issue / "issue.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        "layout: two-column", "layout: sides"), encoding="utf-8")
    built = build_runs(issue, jobs=2)
    assert built.run_count == 1 and built.page_count == 16
    assert _texts(built.pdf) == _texts(build(issue).pdf)


def test_pages_beyond_the_guessed_count_get_their_frames(issue: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Every run guessed at one page: the frame typeset with them is too short, and
    is typeset again for the pages found."""
    monkeypatch.setattr(runs_module, "estimate_pages", lambda *_: 1)
    built = build_runs(issue, jobs=2, store=False)
    texts = _texts(built.pdf)
    assert built.page_count == len(texts) == 16
    assert all(f"— {n} —" in text for n, text in enumerate(texts, start=1))
    assert all("新泾通讯" in text for text in texts)  # the running head (and masthead)
