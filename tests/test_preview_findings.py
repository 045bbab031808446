"""The preview's findings, made from the page runs it typeset for the pictures
(preview/findings.py), against the findings of the issue typeset again as one
document (what the preview showed before, and what `check` says)."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from bulletin_press.build.pipeline import build
from bulletin_press.checks.preflight import name_articles, preflight
from bulletin_press.checks.report import ordered
from bulletin_press.checks.typesetting import check_typography, read_body
from bulletin_press.diagnostics import Diagnostic
from bulletin_press.preview.findings import Checker
from bulletin_press.preview.server import PreviewState, Snapshot, build_snapshot
from bulletin_press.runs.plan import merged_pdf

from .conftest import ROOT, SAMPLE

pytestmark = pytest.mark.slow
HONGMEI = Path(__file__).parent / "fixtures" / "hongmei-2026-11"
NOTICES = ROOT / "issues" / "2023-02-notices"  # three runs: pages 1–2, 3, 4


def _one_document(issue: Path) -> list[Diagnostic]:
    built = build(issue, slim=False)
    layout = built.prepared.layout
    found = [*built.diagnostics, *preflight(built), *name_articles(check_typography(
        built.pdf, layout.geometry, layout.font_families(),
        autospace_em=layout.spec.type.autospace_em), built)]
    return ordered(found)


def _snapshot(issue: Path) -> Snapshot:
    snapshot, _, _ = build_snapshot(PreviewState(issue))
    assert snapshot.check is not None
    return snapshot


def _said(findings: list[Diagnostic]) -> list[tuple[str, str, str, int | None]]:
    return [(d.severity.value, d.code, d.message, d.location.page) for d in findings]


@pytest.fixture
def planned_8(tmp_path: Path) -> Path:
    """The sample planned at 8 pages: findings on pages of its later runs too."""
    issue = tmp_path / "2023-01"
    shutil.copytree(SAMPLE, issue)
    manifest = issue / "issue.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("pages: 4", "pages: 8"),
                        encoding="utf-8")
    return issue


@pytest.mark.parametrize("which", ["planned_8", "hongmei", "notices"])
def test_findings_from_the_runs_are_the_issues(which: str, request: pytest.FixtureRequest
                                               ) -> None:
    issue = {"hongmei": HONGMEI, "notices": NOTICES}.get(which) \
        or request.getfixturevalue(which)
    snapshot = _snapshot(issue)
    assert snapshot.check is not None
    checker = Checker()
    found = checker.findings(snapshot.check)
    assert found and any(d.location.page and d.location.page > 1 for d in found)
    assert _said(found) == _said(_one_document(issue))
    # Sent again without the PDFs (the worker has them): the same, from what it kept.
    again = dataclasses.replace(snapshot.check, runs=[
        dataclasses.replace(run, pdf=b"") for run in snapshot.check.runs])
    assert checker.findings(again) == found


def test_lines_read_run_by_run_are_the_issues() -> None:
    """Each run's lines, numbered on from the runs before it, are the lines of the
    issue's PDF: the typography checks see the same pages."""
    snapshot = _snapshot(NOTICES)
    job = snapshot.check
    assert job is not None and len(job.runs) > 1
    g = job.prepared.layout.geometry
    body, every = read_body(merged_pdf(job.runs), g)
    joined, all_lines = Checker().read(job)
    assert [(line.page, line.column, line.number, line.line.text) for line in joined] == \
        [(line.page, line.column, line.number, line.line.text) for line in body]
    assert [(n, ln.text) for n, ln in all_lines] == [(n, ln.text) for n, ln in every]
