"""Page runs: typeset separately, the same pages as one document; edits redo only their run."""

from __future__ import annotations

import io
import shutil
import warnings
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest
from PIL import ImageChops

from bulletin_press.pipeline import build, prepare
from bulletin_press.runs import RunCache, merged_pdf, split_runs, update

from .conftest import ROOT

pytestmark = pytest.mark.slow
BENCH = ROOT / "issues" / "bench-16"


def _pages(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() for page in pdf.pages]


def test_runs_make_the_same_pages_as_one_document(tmp_path: Path) -> None:
    issue = tmp_path / "b"
    shutil.copytree(BENCH, issue)
    prepared = prepare(issue)
    assert len(split_runs(prepared.context.context["flows"])) == 8
    cache = RunCache()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pikepdf: links between runs are not kept
        runs_pdf = merged_pdf(update(prepared, cache))
    whole = build(issue, slim=False).pdf
    assert _pages(runs_pdf) == _pages(whole)  # running heads, page numbers, contents
    a, b = pdfium.PdfDocument(whole), pdfium.PdfDocument(runs_pdf)
    for index in (0, 2, 15):
        diff = ImageChops.difference(a[index].render(scale=1).to_pil().convert("L"),
                                     b[index].render(scale=1).to_pil().convert("L"))
        assert sum(diff.histogram()[33:]) == 0

    manifest = issue / "issue.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        "全镇116名党员代表参加大会。", "全镇117名党员代表参加大会。", 1), encoding="utf-8")
    update(prepare(issue), cache)
    assert cache.typeset_count == 1  # only the edited article's run

    # A longer first article pushes every later run back a page: all renumbered.
    text = manifest.read_text(encoding="utf-8")
    first = text.index("  body: ") if "  body: " in text else text.index("body:")
    longer = text[:first] + text[first:].replace("\n\n", "\n\n    " + "新泾" * 400 + "\n\n", 1)
    manifest.write_text(longer, encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        runs_pdf = merged_pdf(update(prepare(issue), cache))
    assert cache.typeset_count >= 8
    assert _pages(runs_pdf) == _pages(build(issue, slim=False).pdf)
