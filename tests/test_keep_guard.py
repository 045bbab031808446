"""The keep guard: a headline WeasyPrint leaves at the foot of a page without its
text is moved to the next page by the toolchain (typeset.typeset's `keeps`)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bulletin_press.build.pipeline import build, build_runs, moved_notes
from bulletin_press.checks.typesetting import check_stranded_headings, read_body
from bulletin_press.layout.prepare import prepare
from bulletin_press.runs.worker import TypesetRun
from bulletin_press.typeset.engine import typeset

from .conftest import ROOT

pytestmark = pytest.mark.slow
PARAGRAPH = ("新泾镇第二十届人民代表大会第二次会议于2022年12月29日顺利召开。来自新泾镇各行各业、"
             "各条战线的人大代表，汇聚一堂，依法履职，共商共议新泾经济社会发展。镇党委、政府有关领导"
             "列席会议。")


@pytest.fixture
def issue(tmp_path: Path) -> Path:
    """Ten paragraphs, then an article whose headline lands at the page foot. Its
    layout drops the headline's `break-after: avoid` (which WeasyPrint honours in
    our layout, but did not always in a spanning headline): CSS alone fails."""
    folder = tmp_path / "issue"
    shutil.copytree(ROOT / "layouts" / "two-column", folder / "layouts" / "two-column")
    (folder / "layouts" / "nokeep").mkdir()
    (folder / "layouts" / "nokeep" / "layout.yaml").write_text(
        "extends: two-column\nname: nokeep\nstylesheets: [style.css, nokeep.css]\n")
    (folder / "layouts" / "nokeep" / "nokeep.css").write_text(
        ".headline, .headline * { break-after: auto !important; "
        "break-inside: auto !important; }\n")
    (folder / "fonts").mkdir()
    (folder / "images").mkdir()
    shutil.copy(ROOT / "issues" / "2023-01" / "images" / "party-congress.jpg",
                folder / "images" / "p.jpg")
    first = "\n\n".join(f"      {PARAGRAPH}" for _ in range(10))
    (folder / "issue.yaml").write_text(f"""\
newsletter: 测试
publisher: 测试镇
issue: {{number: 1, date: 2024-01-01}}
layout: nokeep
articles:
  - id: one
    title: 第一篇
    body: |
{first}
  - id: two
    section: 要闻
    title: 第二篇文章
    subtitle: 副标题
    photos: [{{file: images/p.jpg, caption: 照片, placement: top}}]
    body: |
      {PARAGRAPH}
""", encoding="utf-8")
    return folder


def test_css_alone_strands_the_headline(issue: Path) -> None:
    prepared = prepare(issue)
    fence = prepared.fence()
    unguarded = typeset(prepared.html.html, fence.url("issue"), fence)
    assert unguarded.stranded(prepared.keeps()) == ["article-two"]


@pytest.mark.parametrize("runs", [False, True])
def test_the_guard_moves_it_to_the_next_page(issue: Path, runs: bool) -> None:
    built = build_runs(issue, store=False) if runs else build(issue)
    geometry = built.prepared.layout.geometry
    body, every = read_body(built.pdf, geometry)
    assert list(check_stranded_headings(body, every, geometry)) == []
    page_of = {line.text: page for page, line in every}
    assert page_of["第二篇文章"] == 2 and page_of.get("要闻") == 2
    # The guard moved it in the first typesetting; the page plan then spread the room
    # it left on page 1 between the paragraphs there, and the last round needed no guard.
    unplanned = build(issue, plan=False)
    assert [d.code for d in unplanned.diagnostics if d.code == "layout.headline-moved"] == [
        "layout.headline-moved"]


def test_the_note_names_the_article_and_its_place(issue: Path) -> None:
    """layout.headline-moved named the article by its id ('two') with no place; it now
    says it as the editor counts it, at its title in issue.yaml, with its new page (from
    the engine in one process, and from the runs the workers typeset)."""
    unplanned = build(issue, plan=False)
    [note] = [d for d in unplanned.diagnostics if d.code == "layout.headline-moved"]
    assert "article 2 《第二篇文章》" in note.message and "'two'" not in note.message
    assert note.location.path == issue / "issue.yaml"
    lines = (issue / "issue.yaml").read_text(encoding="utf-8").splitlines()
    title = lines.index("    title: 第二篇文章") + 1
    assert (note.location.line, note.location.page) == (title, 2)  # its title:, on page 2
    runs = [TypesetRun("", b"", 1, {"article-one": 1}),
            TypesetRun("", b"", 1, {"article-two": 1}, moved=["article-two"])]
    prepared = prepare(issue)
    [from_runs] = moved_notes(runs, prepared.issue)
    assert from_runs.message == note.message
    assert (from_runs.location.line, from_runs.location.page) == (title, 2)


def test_a_moved_headline_starts_at_the_top_of_its_page(issue: Path) -> None:
    """The guard's break is forced, and WeasyPrint keeps an article's margin (its line
    above, `.article + .article`) after a forced break where text that pushes it
    on truncates it: the moved article began a line down its page, and a run typeset
    under a spacer that pushes its headline on (the guard moving it) had other pages
    than the issue as one document (the outside tester's 古美家园, page 4)."""
    prepared = prepare(issue)
    fence = prepared.fence()
    guarded = typeset(prepared.html.html, fence.url("issue"), fence, keeps=prepared.keeps())
    assert guarded.moved == ["article-two"]
    page = guarded.document.pages[guarded.anchor_pages()["article-two"] - 1]
    assert page.anchors["article-two"][1] == pytest.approx(page._page_box.content_box_y())
