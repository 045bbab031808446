"""The page plan's rounds: an issue that meets its plan typesets each run about once.

A round is a typesetting of every run the plan changed (build/page_fit.py). The
pages are the ones more rounds made: the PDFs of the bench issues and the test
fixtures are byte-identical to those of the three-round plan (but flow-hard's,
whose plan never settled), and the equality tests of runs against one document
(test_runs*.py) hold.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from typing import Any

import pytest

from bulletin_press.build import page_fit
from bulletin_press.build.page_fit import Measured
from bulletin_press.build.pipeline import build_runs
from bulletin_press.layout.page_plan import Measure, natural

from .conftest import ROOT, SAMPLE

pytestmark = pytest.mark.slow


def test_the_sample_fills_its_planned_pages_in_two_rounds() -> None:
    """Round 1 measures 4 pages with the last too short; round 2 grows the last pages'
    spaces and, for what they cannot give, the earlier pages' photos at once (they
    took a third round), and its own measurement confirms the plan is met."""
    built = build_runs(SAMPLE, store=False)
    assert built.page_count == 4
    assert not [d for d in built.diagnostics if d.code == "copyfit.plan"]
    assert (built.rounds, built.typeset_runs) == (2, 2)


def _built_with_first_filled(issue: Path) -> tuple[Any, tuple[Any, ...]]:
    """`issue` built cold, with the arguments of the plan's first `_filled`."""
    seen: list[tuple[Any, ...]] = []
    original = page_fit._filled

    def spy(*args: Any) -> Any:
        seen.append(args)
        return original(*args)

    page_fit._filled = spy  # type: ignore[assignment]
    try:
        built = build_runs(issue, store=False)
    finally:
        page_fit._filled = original  # type: ignore[assignment]
    return built, seen[0]


@pytest.fixture(scope="module")
def text16(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """text-16 built cold, with the arguments of the plan's first `_filled`; its
    new-page articles keep their pages (`start: new-page-always`), so that its
    holes are the plan's to spread (else its page 5's article starts in the hole
    before it: tests/test_pull_up.py)."""
    issue = tmp_path_factory.mktemp("text16") / "text-16"
    shutil.copytree(ROOT / "issues" / "text-16", issue)
    manifest = issue / "issue.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        "start: new-page", "start: new-page-always"), encoding="utf-8")
    built, first = _built_with_first_filled(issue)
    return {"built": built, "first": first}


def test_a_text_heavy_issue_typesets_only_the_runs_a_hole_changes(
        text16: dict[str, Any]) -> None:
    """4 runs once, then the one whose hole is spread (page 6: 《text-6》's head went
    on to page 7): the shrink of that head (5 lines measured, 5 lines of room on
    page 6) is not typeset only to find that it did not come back. The holes of
    pages 10 and 15 are filled in the typesetting (the vertical justification);
    pages 5 and 14 end short with every place in their columns used and no text
    before them to flow on: no round spreads them (before: 6 runs typeset)."""
    built = text16["built"]
    assert built.page_count == 16
    assert (built.rounds, built.run_count, built.typeset_runs) == (2, 4, 5)


def _spread(plan: Any, article: str) -> bool:
    return any(key.startswith(article + "@") for key in plan.gaps)


def test_a_shrink_is_dropped_only_when_the_measured_head_cannot_come_back(
        text16: dict[str, Any]) -> None:
    current, plan, means, drawn, spent = text16["first"]
    assert isinstance(drawn, Measured)
    # As the text leaves page 6 (the vertical justification fills it since): 5 lines
    # left under its longer column.
    measure = dataclasses.replace(drawn, fills=natural(drawn), give=[])
    assert measure.fills[5] == [36, 34]
    assert measure.heads["article-text-6"] == pytest.approx(5.0)  # went on to page 7
    nxt, _ = page_fit._filled(current, plan, means, measure, set(spent))
    # Not typeset, but kept, as after that round: the spread comes at once.
    assert nxt.space_above.get("article-text-6") == 0 and _spread(nxt, "article-text-5")

    # With 11 lines left the head (5) and its first lines might come back: tried.
    fills = [list(f) for f in measure.fills]
    fills[5] = [30, 30]
    roomy = dataclasses.replace(measure, fills=fills)
    nxt, _ = page_fit._filled(current, plan, means, roomy, set(spent))
    assert nxt.space_above.get("article-text-6") == 0 and not _spread(nxt, "article-text-5")

    # A head not measured (a build that does not give the boxes): tried, as before.
    plain = Measure(measure.fills, measure.pages)
    nxt, _ = page_fit._filled(current, plan, means, plain, set(spent))
    assert nxt.space_above.get("article-text-6") == 0 and not _spread(nxt, "article-text-5")


def test_the_one_document_build_takes_as_few_rounds() -> None:
    from bulletin_press.build.pipeline import build

    built = build(Path(SAMPLE))
    assert built.rounds == 2


def test_a_run_s_foot_counts_where_the_next_head_would_go() -> None:
    """flow-16 page 8 ends 33/33 lines before 《text-8》 (head 5 lines), the last page of
    its first run: the run's foot is a line lower (its columns' box ends below its last
    line), and typeset under a spacer of 34 lines the head goes on even with no space
    above it (33: it stays; tried by hand). With the foot the shrink is dropped; with
    the foot unknown it is tried."""
    _built, (current, plan, means, measure, spent) = _built_with_first_filled(
        ROOT / "issues" / "flow-16")
    assert measure.fills[7] == [33, 33] and measure.feet[8] == pytest.approx(34.0)
    _, spent_after = page_fit._filled(current, plan, means, measure, set(spent))
    assert "article-text-8" in spent_after and "spread-8" in spent_after  # spread at once
    unknown = dataclasses.replace(measure, feet={})
    _, spent_after = page_fit._filled(current, plan, means, unknown, set(spent))
    assert "spread-8" not in spent_after  # the shrink is typeset first


def test_text16_s_pull_up_is_decided_in_round_one() -> None:
    """text-16 as it is: round 1 measures 16 pages and decides every pull-up at once
    (layout/pull_up.py `choose`): 《text-13》 starts in the hole on page 14, which the
    16 pages keep (its text's move predicted on the line grid: the last page 7/7,
    measured 8/6); 《text-5》 and 《text-9》 keep their new pages. Page 5's hole and
    page 6 (《text-6》's head went on) are spread in the same round. Round 2 confirms.
    Before: a pull-up was found round by round (4 rounds, 11 runs typeset, 15
    pages). 6, not 7: the first run, whose contents box shows the pages, is not
    typeset again in round 2 (the page frame draws those numbers)."""
    built = build_runs(ROOT / "issues" / "text-16", store=False)
    assert built.page_count == 16
    assert (built.rounds, built.typeset_runs) == (2, 6)


def test_a_page_an_article_s_head_went_on_from_has_its_foot_measured() -> None:
    """`Measured.feet` of page runs: each run's last page, and a page inside a run
    after which an article opens the next page (its text before ends there:
    `TypesetRun.feet`); not a page where an article starts under text."""
    from bulletin_press.build.pipeline import _run_feet
    from bulletin_press.runs.worker import TypesetRun

    line = 16.0
    first = TypesetRun("", b"", 3, {"a-1": 1, "a-2": 3, "a-3": 3}, foot=20 * line,
                       feet={"a-2": (2, 34 * line), "a-3": (3, 10 * line)})
    second = TypesetRun("", b"", 2, {"a-4": 1}, foot=30 * line, spacer=21 * line,
                        feet={"a-5": (1, 12 * line)})
    feet = _run_feet([first, second], line)
    # Page 2: 《a-2》 opens page 3. Not page 3 by 《a-3》, which starts under text
    # there: the first run's foot (the second goes on under it). 《a-5》, not placed
    # in the run: nothing.
    assert feet == {2: 34.0, 3: 20.0, 4: 30.0}


def test_a_round_does_not_typeset_the_contents_for_numbers_the_next_round_changes(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """text-16 typeset in this process (one core, never idle): its second round moves
    《text-13》 up a page, so the contents box's numbers of round 1 are not the
    issue's. The frame and the contents are typeset once each, when assembling asks
    for them, with the last round's numbers (before: the contents in every round,
    twice); the numbers drawn are the articles' pages."""
    from bulletin_press.runs import plan

    kinds: list[str] = []
    real = plan.typeset_job

    def spy(job: Any, mounts: Any) -> Any:
        kinds.extend(["frame" if job.user_css == plan.FRAME_CSS else "contents"
                      if job.user_css == plan.CONTENTS_CSS else "run"] * (len(job.parts) or 1))
        return real(job, mounts)

    monkeypatch.setattr(plan, "typeset_job", spy)
    built = build_runs(ROOT / "issues" / "text-16", jobs=1, store=False)
    assert built.rounds == 2 and built.page_count == 16
    assert (kinds.count("frame"), kinds.count("contents")) == (1, 1), kinds
    assert kinds.count("run") == built.typeset_runs
    assert kinds[-2:] in (["frame", "contents"], ["contents", "frame"]), kinds
    from .test_contents_frame import _contents_numbers, _destinations

    pages = _destinations(built.pdf)
    assert _contents_numbers(built.pdf) == [pages[f"article-text-{n}"] for n in range(1, 14)]


def test_a_round_ends_when_its_runs_are_in_not_its_frame(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Two cores, three runs and the frame: the frame goes to the core the runs leave
    idle (not before: the runs' jobs are all given out first), and the round's
    results come back while it is still being typeset; the next round takes it in
    (`_settle`) as typeset. (The last run goes on till the frame has begun, so
    that a core is idle meanwhile.)"""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from bulletin_press.runs import plan
    from bulletin_press.runs.worker import Guards, Job, TypesetRun

    frame_begun, frame_may_end = threading.Event(), threading.Event()
    given: list[str] = []

    def typeset(job: Job, mounts: Any) -> list[TypesetRun]:
        given.append(job.html)
        if job.user_css == plan.FRAME_CSS:
            frame_begun.set()
            assert frame_may_end.wait(30)
        elif job.html == "run 2":
            assert frame_begun.wait(30)
        return [TypesetRun(job.html, b"%PDF", 1, {})]

    class Pool(ThreadPoolExecutor):
        def __enter__(self) -> Pool:
            return self

        def __exit__(self, *_: object) -> None:
            pass  # kept, as worker_pool keeps its workers

    pool = Pool(2)
    monkeypatch.setattr(plan, "worker_pool", lambda processes: pool)
    monkeypatch.setattr(plan, "typeset_collected", typeset)
    monkeypatch.setattr(plan, "_load_assembler", lambda: None)
    jobs = [Job(f"run {n}", plan.BODY_CSS, Guards()) for n in range(3)]
    frame = Job("frame", plan.FRAME_CSS, Guards())
    later: dict[str, Any] = {}
    try:
        results = plan._typeset_all([*jobs, frame], {}, 2, [1.0, 2.0, 3.0, 2.0],
                                    background=1, later=later)
        assert [r[0].html for r in results] == ["run 0", "run 1", "run 2"]
        assert given[-1] == "frame"  # after every run was given out
        assert not later["frame"].done()  # the round is over; the frame goes on
        cache = plan.RunCache(jobs=2, framed=True)
        cache.framing_later["frame"] = ("frame", 20, later["frame"])
        assert plan._frame_known({}, cache) == 20  # the next round's frame: the same
        plan._settle(cache, wait=False)  # a round beginning: not waited for
        assert "frame" in cache.framing_later and "frame" not in cache.framing
        frame_may_end.set()
        plan._settle(cache)
        assert cache.framing["frame"].html == "frame" and not cache.framing_later
    finally:
        frame_may_end.set()
        pool.shutdown()


def test_a_later_round_typesets_only_from_the_first_article_it_changed(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """flow-16: round 2 spreads page 8 (spaces above and under the heads of
    《text-5》–《text-7》, gaps in 《text-7》) and cuts its first run before 《text-5》,
    where round 1 measured that run's foot (its articles 1–4 as they were); round 3
    spreads 《text-6》 only, and typesets the parts from 《text-5》 on, cut before
    《text-6》: 2 pages and 2, not the first run's 7 again in two halves of 4 (articles
    1–3 and 4–6). No spacer is guessed wrong, and the pages are those of one run
    (pixels at 100 dpi)."""
    import re

    from bulletin_press.runs import plan

    from .test_runs_flowing import _differing, _one_run

    batches: list[list[tuple[str, int]]] = []
    real = plan._typeset_all

    def spy(jobs: list[Any], *args: Any, **kwargs: Any) -> Any:
        results = real(jobs, *args, **kwargs)
        batches.append([(re.findall(r'<article [^>]*id="([^"]+)"', job.html)[0], run[0].pages)
                        for job, run in zip(jobs, results, strict=False)
                        if job.user_css not in (plan.FRAME_CSS, plan.CONTENTS_CSS)])
        return results

    monkeypatch.setattr(plan, "_typeset_all", spy)
    # The cut alone: not resumed at a page's top that opens a paragraph of 《text-4》
    # (`_resume_point`, tests/test_runs_resumed.py), which starts round 2 a page earlier.
    monkeypatch.setattr(plan, "_resume_point", lambda *_: None)
    issue = ROOT / "issues" / "flow-16"
    built = build_runs(issue, jobs=2, store=False)
    assert built.rounds == 3 and built.wrong_guesses == 0
    assert "article-text-5" in [first for first, _ in batches[1]], batches
    last = sorted(batches[-1])
    assert [first for first, _ in last] == ["article-text-5", "article-text-6"], batches
    assert sum(pages for _, pages in last) <= 4, batches
    monkeypatch.setattr(plan, "_typeset_all", real)
    assert _differing(_one_run(issue).pdf, built.pdf) == []
