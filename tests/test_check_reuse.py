"""`check` as `build` makes the issue (page runs, from the store where unchanged)
and reading the characters through PDFium: the same report as typesetting the
issue again as one document and reading it with pdfplumber, as it did before."""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner

from bulletin_press.build.pipeline import build, build_runs
from bulletin_press.checks import typesetting
from bulletin_press.checks.preflight import name_articles, preflight
from bulletin_press.checks.report import json_report, ordered
from bulletin_press.commands import cli
from bulletin_press.diagnostics import display_path
from bulletin_press.pdf.text import ReadPage, in_trim, lines_of, read_pages, trim_width

from .conftest import FIXTURES, ROOT, SAMPLE

pytestmark = pytest.mark.slow


def _hard(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    folder = project / "issues" / "hard"
    (folder / "images").mkdir(parents=True)
    (project / "layouts").symlink_to(ROOT / "layouts")
    (project / "fonts").mkdir()
    shutil.copy(SAMPLE / "images" / "party-congress.jpg", folder / "images" / "canteen.jpg")
    shutil.copy(FIXTURES / "hard-breaks.yaml", folder / "issue.yaml")
    return folder


ISSUES: dict[str, Callable[[Path], Path]] = {
    "sample": lambda tmp: SAMPLE,
    "notices": lambda tmp: ROOT / "issues" / "2023-02-notices",
    "hard-breaks": _hard,
    # a 187 ppi photo: its finding says where the photo is on the page
    "hongmei": lambda tmp: FIXTURES / "hongmei-2026-11",
}


def plumbed_pages(pdf_bytes: bytes) -> list[ReadPage]:
    """The pages as pdfplumber reads them (what the typography check read before)."""
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        return [ReadPage(in_trim(page, page.chars), (0.0, 0.0, trim_width(page),
                                                      float(page.trimbox[3] - page.trimbox[1])))
                for page in pdf.pages]


@pytest.mark.parametrize("name", list(ISSUES))
def test_pdfium_reads_the_characters_pdfplumber_reads(name: str, tmp_path: Path) -> None:
    pdf = build_runs(ISSUES[name](tmp_path), store=False).pdf
    ours, theirs = read_pages(pdf), plumbed_pages(pdf)
    assert len(ours) == len(theirs)
    for page, (a, b) in enumerate(zip(ours, theirs, strict=True), start=1):
        def key(c: dict[str, object]) -> tuple[float, float]:
            return round(float(c["top"]), 1), round(float(c["x0"]), 1)  # type: ignore[arg-type]
        mine = sorted(a.chars, key=key)
        read = sorted((c for c in b.chars if c["text"].strip()), key=key)
        assert [c["text"] for c in mine] == [c["text"] for c in read], page
        assert [c["fontname"] for c in mine] == [c["fontname"] for c in read], page
        for x, y in zip(mine, read, strict=True):
            assert all(abs(x[k] - y[k]) < 0.001 for k in ("x0", "x1", "top", "bottom", "size")), \
                (page, x, y)
        assert [ln.text for ln in lines_of(a)] == [ln.text for ln in lines_of(b)]


@pytest.mark.parametrize("name", list(ISSUES))
def test_check_reports_what_the_one_document_check_reported(
        name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    issue = ISSUES[name](tmp_path)
    # Before: typeset again as one document, the pages read with pdfplumber.
    with monkeypatch.context() as patch:
        patch.setattr(typesetting, "read_pages", plumbed_pages)
        built = build(issue, slim=False)
        layout = built.prepared.layout
        findings = [*built.diagnostics, *preflight(built), *name_articles(
            typesetting.check_typography(built.pdf, layout.geometry, layout.font_families(),
                                         autospace_em=layout.spec.type.autospace_em), built)]
        before = json_report(display_path(issue), built, ordered(findings))
    out = tmp_path / "report.json"
    result = CliRunner().invoke(cli.main, ["check", str(issue), "--format", "json",
                                           "-o", str(out)])
    assert result.exit_code in (0, 1), result.output
    assert out.read_text(encoding="utf-8") == before
    assert '"code"' in before  # findings to compare
