"""The preview's builds without a browser: what an edit shows is what a fresh
build shows, and a build is shown only if its files did not change under it."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pdfplumber
import pytest

from bulletin_press.build.pipeline import build_runs
from bulletin_press.preview.server import (
    PreviewState,
    Rebuilder,
    _stamps,
    build_snapshot,
)

from . import guard_issue
from .conftest import FIXTURES, ROOT, SAMPLE

pytestmark = pytest.mark.slow
NOTICES = ROOT / "issues" / "2023-02-notices"
# A page and a half more for the first article: its run grows, the runs after it
# start later, the contents box's page numbers and the running heads change.
MORE = "\n".join(
    f"      第{n}批：天山西路{n * 101}弄、淞虹路{n * 37}号（Vanke Garden {n}期）的住户请于"
    f"2月{n + 10}日前到居委会（电话021-6238 50{n:02d}）登记储水需求，"
    f"详见https://www.shcn.gov.cn/xinjing/tzgg/2023-02{n:02d}.html。\n"
    for n in range(1, 31))


def _issue(tmp_path: Path) -> Path:
    issue = tmp_path / "2023-02-notices"
    shutil.copytree(NOTICES, issue)
    return issue


def test_pages_after_a_page_count_change_are_a_fresh_builds(tmp_path: Path) -> None:
    """After an edit the preview ends on the pages `build` makes: the page plan's
    rounds started from the last build's plan end elsewhere here (the space above an
    article kept tight), and the preview shows the pages of a plan fitted from none."""
    issue = _issue(tmp_path)
    state = PreviewState(issue)
    rebuilder = Rebuilder(state, lambda _said: None)
    try:
        manifest = (issue / "issue.yaml").resolve()
        assert rebuilder.rebuild(_stamps({manifest}))
        assert state.snapshot is not None
        pages = len(state.snapshot.pages)
        text = manifest.read_text(encoding="utf-8")
        greeting = "      尊敬的住户：\n"
        manifest.write_text(text.replace(greeting, greeting + "\n" + MORE, 1), encoding="utf-8")
        assert rebuilder.rebuild(_stamps(state.watched))
        after = state.snapshot
    finally:
        rebuilder.stop.set()
        rebuilder.workers.stop()
    fresh, _, _ = build_snapshot(PreviewState(issue))
    assert after is not None and len(after.pages) > pages
    assert [p["hash"] for p in after.pages] == [p["hash"] for p in fresh.pages]
    assert after.index == fresh.index


def test_a_build_whose_files_changed_meanwhile_is_not_shown(tmp_path: Path) -> None:
    """A save in two writes: a build that began between them is thrown away, not
    shown (it may have read half a file), and the watcher builds again."""
    issue = _issue(tmp_path)
    state = PreviewState(issue)
    said: list[str] = []
    rebuilder = Rebuilder(state, said.append)
    try:
        manifest = (issue / "issue.yaml").resolve()
        stale = {manifest: (0, 0)}  # not how the file is now: it changed meanwhile
        assert rebuilder.rebuild(stale) is False
        assert state.snapshot is None and state.version == 0 and not said
        assert rebuilder.rebuild(_stamps({manifest})) is True
        assert state.snapshot is not None and state.version == 1 and state.error is None
        assert manifest in state.watched
    finally:
        rebuilder.stop.set()
        rebuilder.workers.stop()


def test_a_replaced_photo_is_shown(tmp_path: Path) -> None:
    """A photo saved again under the same name changes no HTML: its run is typeset
    again all the same, and its page shows the new picture."""
    issue = tmp_path / "2023-01"
    shutil.copytree(SAMPLE, issue)
    state = PreviewState(issue)
    before, _, _ = build_snapshot(state)
    photo = issue / "images" / "party-congress.jpg"
    size = photo.stat().st_size
    shutil.copy(issue / "images" / "people-congress.jpg", photo)
    assert photo.stat().st_size != size
    after, _, _ = build_snapshot(state, before.plan)
    assert after.typeset_runs >= 1
    assert [p["hash"] for p in after.pages] != [p["hash"] for p in before.pages]
    fresh, _, _ = build_snapshot(PreviewState(issue))
    assert [p["hash"] for p in after.pages] == [p["hash"] for p in fresh.pages]


def test_the_checks_findings_are_no_new_build(tmp_path: Path) -> None:
    """The pages first shown are checked while the page plan is fitted again from
    none; the same pages then are not shown again (which would start their checks
    over) because the checks' findings arrived meanwhile."""
    issue = _issue(tmp_path)
    state = PreviewState(issue)
    rebuilder = Rebuilder(state, lambda _said: None)
    try:
        manifest = (issue / "issue.yaml").resolve()
        assert rebuilder.rebuild(_stamps({manifest}))
        shown = state.snapshot
        assert shown is not None
        shown.findings = [*shown.findings, {"code": "copyfit.hole", "severity": "warning"}]
        version = state.version
        rebuilder._as_built(shown, _stamps(state.watched))
        assert state.snapshot is shown and state.version == version
    finally:
        rebuilder.stop.set()
        rebuilder.workers.stop()


# The photos of fixtures/fenglin-2026-08, by file: their shapes as the camera's (a
# phone's upright one turned by its EXIF), drawn smaller.
FENGLIN_PHOTOS = {"爱心暑托班结业-党群中心-1.jpg": (1600, 1200),
                  "爱心暑托班结业-党群中心-2.jpg": (1600, 1200),
                  "IMG_20260726_100512.jpg": (1600, 1200),
                  "IMG_20260728_163045.jpg": (1200, 1600),
                  "20260726_101833.jpg": (1600, 1205)}


def _texts(pdf: bytes) -> list[str]:
    """Each page's text as laid out (by position: runs draw in another order)."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return ["".join((page.extract_text() or "").split()) for page in document.pages]


def _fenglin(tmp_path: Path) -> Path:
    issue = tmp_path / "fenglin-2026-08"
    shutil.copytree(FIXTURES / "fenglin-2026-08", issue)
    (issue / "images").mkdir()
    for seed, (name, shape) in enumerate(FENGLIN_PHOTOS.items(), start=1):
        (issue / "images" / name).write_bytes(guard_issue.photo(shape, seed))
    return issue


def test_the_preview_shows_the_pages_build_makes(tmp_path: Path) -> None:
    """An issue whose page plan keeps an earlier round than its last (`pages: 4` for
    about 5½ pages: round 1), while the photo guard moved a photo further on in the
    rounds after it: the preview typeset that round again from the last round's
    photo guard, and showed its colophon alone on page 6 (build: the story's third
    photo above it). Now it is that round's runs, as `build`'s are: the same text on
    the same pages."""
    issue = _fenglin(tmp_path)
    built = build_runs(issue, store=False)
    shown, _, _ = build_snapshot(PreviewState(issue))
    texts, expected = _texts(shown.pdf), _texts(built.pdf)
    assert len(texts) == len(expected) == built.page_count
    for page, (text, wanted) in enumerate(zip(texts, expected, strict=True), start=1):
        assert text == wanted, f"page {page}"
    # An article goes on to the last page (the story's text or its third photo, since
    # main 641deda the notice's last part): the colophon is not alone there, as it was
    # in the preview. Its running head and the colophon's lines are not an article's.
    story = texts[-1].split("枫林通讯·2026年第8期")[0].removeprefix(
        "枫林通讯2026年第8期总第312期2026年8月10日")
    assert "枫林通讯编辑部" in texts[-1] and len(story) > 20, story


# A paragraph more for the 宛南六村 story, before its last one.
WORKS = ("      施工期间，楼道北侧的自行车棚临时移至22号楼东侧，施工单位上海申联电梯工程有限公司"
         "（Shanghai Shenlian Elevator Co., Ltd.）承诺每天7:00前、18:00后不进行产生噪音的作业，"
         "现场负责人电话138 1654 2290，投诉可拨打021-6418 3356转2。\n\n")


def test_after_an_edit_the_preview_ends_on_the_pages_build_makes(tmp_path: Path) -> None:
    """After an edit the preview ends on `build`'s pages: its fit from none (after the
    fast one from the last plan) started with the photo guard's moves of the build
    before the edit, which only move photos on; `build` starts without. A paragraph
    more in the 宛南六村 story: page 5 was not `build`'s."""
    issue = _fenglin(tmp_path)
    state = PreviewState(issue)
    rebuilder = Rebuilder(state, lambda _said: None)
    try:
        manifest = (issue / "issue.yaml").resolve()
        assert rebuilder.rebuild(_stamps({manifest}))
        text = manifest.read_text(encoding="utf-8")
        last = "      据了解，该电梯预计10月底前投入使用。"
        assert last in text
        manifest.write_text(text.replace(last, WORKS + last, 1), encoding="utf-8")
        assert rebuilder.rebuild(_stamps(state.watched))
        shown = state.snapshot
    finally:
        rebuilder.stop.set()
        rebuilder.workers.stop()
    built = build_runs(issue, store=False)
    assert shown is not None
    texts, expected = _texts(shown.pdf), _texts(built.pdf)
    assert any("申联电梯" in text for text in texts)
    assert len(texts) == len(expected)
    for page, (text, wanted) in enumerate(zip(texts, expected, strict=True), start=1):
        assert text == wanted, f"page {page}"


# The photos of fixtures/gumei-2026-09-pages4, by file: the phones' shapes (upright ones as
# their EXIF turns them), drawn smaller.
GUMEI_PHOTOS = {"中秋游园会侧记-党群服务中心-1.jpg": (1600, 1200),
                "防范电信诈骗提醒-派出所-1.jpg": (1600, 1200),
                "防范电信诈骗提醒-派出所-2.jpg": (1632, 1224),
                "PANO_20261001_201544.jpg": (2304, 512),
                "IMG_20261001_073015.jpg": (1512, 2016),
                "IMG_20260923_150044.jpg": (1500, 2000),
                "IMG_20260925_212230.jpg": (2016, 1512)}


def test_the_preview_shows_the_pages_build_makes_on_two_cores(tmp_path: Path) -> None:
    """`build` on two cores cuts a flowing issue into runs as many as the cores: the
    second run (the 国庆 story after the parking notice) is typeset under a spacer
    that pushes its headline to its second page, and there the keep guard moved it,
    with a forced break, after which WeasyPrint keeps the article's line above it:
    page 4 began a line lower than in the preview's one run (「Hello Gumei国际邻里节」
    went to the right column, page 5 from there on), and build said 56 lines too
    many, the preview 55. Now both are one document's pages."""
    issue = tmp_path / "gumei-2026-09"
    shutil.copytree(FIXTURES / "gumei-2026-09-pages4", issue)
    (issue / "images").mkdir()
    for seed, (name, shape) in enumerate(GUMEI_PHOTOS.items(), start=1):
        (issue / "images" / name).write_bytes(guard_issue.photo(shape, seed))
    built = build_runs(issue, jobs=2, store=False)
    shown, _, _ = build_snapshot(PreviewState(issue))
    texts, expected = _texts(shown.pdf), _texts(built.pdf)
    assert len(texts) == len(expected) == built.page_count
    for page, (text, wanted) in enumerate(zip(texts, expected, strict=True), start=1):
        assert text == wanted, f"page {page}"
    plans = [[f["message"] for f in shown.findings if f["code"] == "copyfit.plan"],
             [d.message for d in built.diagnostics if d.code == "copyfit.plan"]]
    assert plans[0] == plans[1] and len(plans[0]) == 1, plans
