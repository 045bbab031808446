"""A notice across the page about a page long that does not fit under the text above
it flows from its own place, in parts (layout/notice_parts.py `_fills_page`): set
whole, it went on to the next page and left the page above it half empty, and set
after the story that followed it (page_plan.moved_notice) it left the same hole
under that story's end. A layout editor starts it where it stands and goes on
overleaf: "（续下页）", then its title small with "（续）" at the next page's top.

Material: tests/column_set_issue.py without its box and four paragraphs longer (the
燃气 notice does not fit under the contents of page 1: main left page 1 31 lines a
column empty, with and without `pages:`), and tests/notice_flow_issue.py (a 停水
notice after a lead story ending mid-page 2: main made 5 pages of 4, page 3 an
empty frame holding only "（续下页）" and page 3 39 lines empty)."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest

from bulletin_press.build.pipeline import build_runs
from bulletin_press.checks.preflight import check_copyfit

from . import column_set_issue, notice_flow_issue
from .conftest import MakeIssue
from .test_column_sets import _assert_once_in_order, _short_columns


def _pages_text(pdf: Path) -> list[str]:
    with pdfplumber.open(pdf) as document:
        return [re.sub(r"\s+", "", page.extract_text() or "") for page in document.pages]


@pytest.mark.slow
@pytest.mark.parametrize("pages", [4, None])
def test_a_notice_a_page_long_starts_under_the_contents_and_goes_on(
        make_issue: MakeIssue, tmp_path: Path, pages: int | None) -> None:
    manifest = column_set_issue.manifest(box=False, longer=3, pages=pages)
    built = build_runs(make_issue(manifest, column_set_issue.files()), store=False)
    pdf = tmp_path / "gas.pdf"
    pdf.write_bytes(built.pdf)
    at = built.anchor_pages()
    # The notice opens page 1 under the contents and ends on page 2, where the story
    # follows it; three pages (the text is some 80 lines short of 4: the check says so).
    assert at["article-燃气改造"] == 1
    assert at["article-燃气改造-part-2-foot"] == 2
    assert at["article-老年大学"] == 2
    assert built.page_count == 3
    assert not _short_columns(pdf), _short_columns(pdf)
    first = _pages_text(pdf)[0]
    assert "（续下页）" in first
    _assert_once_in_order(manifest, pdf)
    holes = [d.message for d in check_copyfit(built) if d.code == "copyfit.hole"]
    assert not holes, holes


@pytest.mark.slow
def test_a_notice_after_a_story_ending_mid_page_starts_under_it(
        make_issue: MakeIssue, tmp_path: Path) -> None:
    manifest = notice_flow_issue.manifest()
    built = build_runs(make_issue(manifest, notice_flow_issue.files()), store=False)
    pdf = tmp_path / "water.pdf"
    pdf.write_bytes(built.pdf)
    at = built.anchor_pages()
    assert built.page_count == 4
    # Under the lead story's end on page 2; its last part and 落款 atop page 3, the
    # story after it under them.
    assert at["article-停水通知"] == 2
    assert at["article-停水通知-part-2-foot"] == at["article-垃圾分类"] == 3
    assert not _short_columns(pdf), _short_columns(pdf)
    # No part is an empty frame: each page holding one has some of its text.
    texts = _pages_text(pdf)
    assert "（续下页）" in texts[1] and "五、停水期间" not in texts[1]
    assert "五、停水期间" in texts[2] and "（续下页）" not in texts[2]
    _assert_once_in_order(manifest, pdf)
    assert not [d for d in built.diagnostics if d.code == "copyfit.plan"]
