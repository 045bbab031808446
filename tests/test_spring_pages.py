"""Outside's 8-page 春节/元宵 issue (session 11, rebuilt in tests/spring_issue.py):
with `pages: 8` the page plan's first round has 8 pages; a later round moves the
灯谜 story's photo so that its headline comes back to page 3, which pushes every
page after it on, to 9 pages with more lines in holes. The plan kept that round
(a round that lost a held photo move ranked above the page count), so the issue
came out with 9 pages against `pages: 8`."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin_press.build.pipeline import build_runs

from . import spring_issue
from .conftest import MakeIssue
from .test_page_plan import assert_paragraphs_once_in_order

pytestmark = pytest.mark.slow


def test_the_spring_issue_keeps_its_planned_pages(make_issue: MakeIssue,
                                                   tmp_path: Path) -> None:
    issue = make_issue(spring_issue.MANIFEST, spring_issue.files(), name="spring")
    built = build_runs(issue, store=False)
    assert built.page_count == 8, [d.message for d in built.diagnostics]
    assert not [d for d in built.diagnostics if d.code == "copyfit.plan"]
    pdf = tmp_path / "spring.pdf"
    pdf.write_bytes(built.pdf)
    assert_paragraphs_once_in_order(issue, pdf)
