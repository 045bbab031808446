"""Page runs: typeset separately, the same pages as one document; edits redo only their run."""

from __future__ import annotations

import io
import shutil
import warnings
from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import ImageChops

from bulletin_press.build.pipeline import build
from bulletin_press.layout.prepare import prepare
from bulletin_press.runs.plan import (
    BODY_CSS,
    RunCache,
    chunks,
    merged_pdf,
    run_html,
    split_runs,
    update,
)
from bulletin_press.runs.worker import Guards, Job, Part, TypesetRun, typeset_chunk, typeset_run

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
    whole = build(issue, slim=False, plan=False).pdf  # update() alone: no page plan
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
    assert _pages(runs_pdf) == _pages(build(issue, slim=False, plan=False).pdf)


def test_chunks_group_consecutive_runs_up_to_the_limit() -> None:
    pages = [2, 3, 3, 9, 1, 1, 1]
    assert chunks([0, 1, 2, 3, 4, 5, 6], pages, 8) == [[0, 1, 2], [3], [4, 5, 6]]
    assert chunks([0, 2, 3, 5, 6], pages, 8) == [[0], [2], [3], [5, 6]]  # gaps split
    assert chunks([0, 1, 2], pages, 0) == [[0], [1], [2]]  # no chunks (the preview)


def _chunk(issue: Path, first: int, last: int, edit: Callable[[str], str] = str
           ) -> tuple[list[TypesetRun], list[TypesetRun]]:
    """Runs first..last of bench-16 typeset as one chunk, and each alone."""
    prepared = prepare(issue)
    runs = split_runs(prepared.context.context["flows"])
    mounts = prepared.fence().mounts
    pages = {article["anchor"]: 9 for run in runs for flow in run for article in flow}
    htmls = [edit(run_html(prepared, runs, i, 1, pages, framed=True)) for i in range(len(runs))]
    parts = tuple(Part(htmls[i], frozenset(a["anchor"] for f in runs[i] for a in f),
                       runs[i][0][0]["anchor"], Guards()) for i in range(first, last + 1))
    html = edit(run_html(prepared, runs, first, 1, pages, framed=True, last=last))
    chunked = typeset_chunk(Job(html, BODY_CSS, Guards(), parts), mounts)
    alone = [typeset_run(htmls[i], mounts, BODY_CSS) for i in range(first, last + 1)]
    return chunked, alone


def test_a_chunk_is_cut_into_the_runs_typeset_alone(tmp_path: Path) -> None:
    issue = tmp_path / "b"
    shutil.copytree(BENCH, issue)
    chunked, alone = _chunk(issue, 0, 2)
    assert [r.pages for r in chunked] == [r.pages for r in alone] == [2, 2, 2]
    for c, a in zip(chunked, alone, strict=True):
        assert (c.html, c.anchors, c.holes) == (a.html, a.anchors, a.holes)
        assert c.diagnostics == a.diagnostics == []
        first, second = pdfium.PdfDocument(c.pdf), pdfium.PdfDocument(a.pdf)
        for index in range(c.pages):
            diff = ImageChops.difference(
                first[index].render(scale=1).to_pil().convert("L"),
                second[index].render(scale=1).to_pil().convert("L"))
            assert sum(diff.histogram()[33:]) == 0
    # The contents box (run 0) links to the other runs as it does alone: by name,
    # for assemble.py to resolve across runs.
    with pikepdf.open(io.BytesIO(chunked[0].pdf)) as pdf:
        uris = {str(annot.A.URI) for annot in pdf.pages[0].obj.get("/Annots", [])
                if "/A" in annot and "/URI" in annot.A}
    assert {"bp-dest:article-article-2", "bp-dest:article-article-3"} <= uris


def test_a_chunk_weasyprint_warns_about_is_typeset_run_by_run(tmp_path: Path) -> None:
    """What WeasyPrint logs cannot be told apart by run: each run is typeset alone,
    and the warning stays with the run it belongs to."""
    issue = tmp_path / "b"
    shutil.copytree(BENCH, issue)

    def edit(html: str) -> str:
        return html.replace('id="article-article-3"', 'id="article-article-3" style="colr: red"')

    chunked, alone = _chunk(issue, 1, 3, edit)
    assert [r.pdf for r in chunked] == [r.pdf for r in alone]
    assert [[d.code for d in r.diagnostics] for r in chunked] == [[], ["render.log"], []]


def test_store_key_covers_every_module_a_worker_imports() -> None:
    """A stored run is reused only with the code that typeset it: every module of
    the package a worker loads must be in the key (a list of them went stale)."""
    import subprocess
    import sys

    from bulletin_press.runs.store import code_files

    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, bulletin_press.runs.worker\n"
         "import bulletin_press.typeset.engine\n"
         "print('\\n'.join(m.__file__ for n, m in sys.modules.items()"
         " if n.startswith('bulletin_press') and getattr(m, '__file__', None)))"],
        capture_output=True, text=True, check=True).stdout.split()
    assert len(loaded) > 10
    assert {Path(f).resolve() for f in loaded} <= {p.resolve() for p in code_files()}
