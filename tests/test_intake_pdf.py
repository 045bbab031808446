"""Back issues as PDFs: the built sample imported back gives the same articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin_press.build.pipeline import build
from bulletin_press.intake.importer import import_sources
from bulletin_press.intake.pdf import read_pdf
from bulletin_press.manifest.load import load_issue

from .conftest import SAMPLE
from .test_cli import run

EMPTY = ("newsletter: 新泾通讯\npublisher: 长宁区新泾镇\n"
         "issue: {number: 2, volume: 246, date: 2023-02-10}\narticles: []\n")


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sample") / "2023-01.pdf"
    path.write_bytes(build(SAMPLE).pdf)
    return path


@pytest.mark.slow
def test_built_sample_imported_back_gives_the_same_articles(sample_pdf: Path,
                                                            tmp_path: Path) -> None:
    issue = tmp_path / "back"
    issue.mkdir()
    (issue / "issue.yaml").write_text(EMPTY, encoding="utf-8")
    result = import_sources([sample_pdf], issue)
    sample = load_issue(SAMPLE)
    imported = load_issue(issue)
    assert [imported.bodies[a.id] for a in imported.manifest.articles] == [
        sample.bodies[a.id] for a in sample.manifest.articles]

    def heads(articles: list) -> list:  # type: ignore[type-arg]
        return [(a.section, a.title, a.subtitle,
                 [(p.caption, p.credit) for p in a.photos]) for a in articles]

    assert heads(imported.manifest.articles) == heads(sample.manifest.articles)
    photos = [issue / p.file for a in imported.manifest.articles for p in a.photos]
    assert [p.read_bytes()[:2] for p in photos] == [b"\xff\xd8", b"\xff\xd8"]  # from the PDF
    # What was left out is said: masthead, contents, running heads, colophon.
    codes = [n.code for n in result.notes]
    assert codes.count("import.contents") == 2
    assert codes.count("import.furniture") >= 3
    assert "import.no-text" in codes  # the masthead's 新泾通讯


@pytest.mark.slow
def test_pdf_paragraphs_join_across_columns_and_pages(sample_pdf: Path) -> None:
    draft = read_pdf(sample_pdf)
    joins = [n for n in draft.notes if n.code == "import.joined"]
    assert [n.location.page for n in joins] == [2, 3]  # continued on the next page
    assert all(n.location.line is None for n in draft.notes)  # PDFs are placed by page


def test_a_pdf_without_text_is_refused(tmp_path: Path) -> None:
    from PIL import Image

    scan = tmp_path / "扫描件.pdf"
    Image.new("RGB", (600, 800), "white").save(scan, "PDF")
    issue = tmp_path / "issue"
    issue.mkdir()
    (issue / "issue.yaml").write_text(EMPTY, encoding="utf-8")
    result = run("import", scan, "--into", issue)
    assert result.returncode == 1
    assert "扫描件.pdf" in result.stderr and "[import.no-text]" in result.stderr
    assert "OCR" in result.stderr
