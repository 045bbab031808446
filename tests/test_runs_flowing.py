"""Page runs inside flowing text (runs/plan.py `cut_flowing`): an issue whose articles
flow one after another, typeset as several runs (each under a spacer as high as the
text before it, its first page laid over the last page of the run before), gives the
same pages as one run: the same pictures at 100 dpi, the same text, every paragraph
once and in order, links to the same pages."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path
from typing import Any

import pdfplumber
import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops

from bulletin_press.build.pipeline import Assembled, build_runs
from bulletin_press.layout.prepare import prepare
from bulletin_press.runs import plan
from bulletin_press.runs.plan import (
    chunks,
    cut_flowing,
    flowing_starts,
    issue_fill,
    issue_page_count,
    split_runs,
)
from bulletin_press.runs.worker import TypesetRun
from bulletin_press.text.breaks import visible

from .conftest import ROOT

pytestmark = pytest.mark.slow
FIXTURES = Path(__file__).parent / "fixtures"


def _issue(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    if name == "flow-hard":  # photos: the sample's
        folder.mkdir()
        shutil.copy(FIXTURES / "flow-hard.yaml", folder / "issue.yaml")
        shutil.copytree(ROOT / "issues" / "2023-01" / "images", folder / "images")
    else:
        shutil.copytree(ROOT / "issues" / name, folder)
    return folder


def _pictures(pdf: bytes) -> list[Image.Image]:
    document = pdfium.PdfDocument(pdf)
    return [page.render(scale=100 / 72).to_pil().convert("RGB") for page in document]


def _differing(a: bytes, b: bytes) -> list[int]:
    """Pages (1-based) whose pictures at 100 dpi are not the same, pixel for pixel."""
    first, second = _pictures(a), _pictures(b)
    assert len(first) == len(second)
    return [n for n, (x, y) in enumerate(zip(first, second, strict=True), start=1)
            if ImageChops.difference(x, y).getbbox() is not None]


def _texts(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [page.extract_text() for page in document.pages]


def _band_text(band: list[list[dict[str, Any]]], middle: float) -> str:
    """A band of two-column rows: the left column's rows, then the right one's."""
    left = ["".join(c["text"] for c in sorted(row, key=lambda c: c["x0"]) if c["x1"] <= middle)
            for row in band]
    right = ["".join(c["text"] for c in sorted(row, key=lambda c: c["x0"]) if c["x0"] >= middle)
             for row in band]
    return "".join(left + right)


def _reading_order(pdf: bytes) -> str:
    """The text as read: down the left column, then the right one, band by band
    between lines set across the page (headlines, wide tables)."""
    parts: list[str] = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            left, _, right, _ = page.bbox
            middle = (left + right) / 2
            rows: dict[int, list[dict[str, Any]]] = {}
            for char in page.chars:
                rows.setdefault(round(char["top"]), []).append(char)
            band: list[list[dict[str, Any]]] = []
            for top in sorted(rows):
                row = rows[top]
                if any(c["x0"] < middle + 5 and c["x1"] > middle - 5  # across the gap
                       for c in row if not c["text"].isspace()):
                    parts.append(_band_text(band, middle))
                    band = []
                    parts.append("".join(c["text"] for c in sorted(row, key=lambda c: c["x0"])))
                else:
                    band.append(row)
            parts.append(_band_text(band, middle))
    return re.sub(r"\s", "", "".join(parts))


def _destinations(pdf: bytes) -> dict[str, int]:
    """Named destination → page index (the contents box's and jump lines' links)."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        pages = {page.objgen: i for i, page in enumerate(document.pages)}
        tree = pikepdf.NameTree(document.Root.Names.Dests)
        return {str(name): pages[tree[name][0].objgen] for name in tree}


def _links(pdf: bytes) -> list[int]:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return [len(page.obj.get("/Annots", [])) for page in document.pages]


def _paragraphs(issue: Path) -> list[str]:
    """The start of every paragraph of the issue's articles, in order."""
    found = []
    for flow in prepare(issue).context.context["flows"]:
        for article in flow:
            for item in article["body"]:
                if item["kind"] == "paragraph" and item["figure"] is None:
                    text = re.sub(r"\s", "", visible("".join(s.text for s in item["spans"])))
                    found.append(text[:16])
    return found


def _one_run(issue: Path) -> Assembled:
    return build_runs(issue, jobs=1, store=False, flowing=False)


@pytest.mark.parametrize(("name", "pages"), [
    ("flow-16", 4), ("2023-01", 0), ("2023-02-notices", 0), ("flow-hard", 0)])
def test_flowing_runs_make_the_same_pages_as_one_run(tmp_path: Path, name: str,
                                                     pages: int) -> None:
    issue = _issue(tmp_path, name)
    one = _one_run(issue)
    cut = build_runs(issue, jobs=2, store=False, flowing=pages)
    assert one.run_count < cut.run_count  # really cut inside the flowing text
    assert cut.page_count == one.page_count
    assert _differing(one.pdf, cut.pdf) == []
    assert _texts(cut.pdf) == _texts(one.pdf)
    assert _destinations(cut.pdf) == _destinations(one.pdf)  # contents box, jumps
    assert _links(cut.pdf) == _links(one.pdf)  # a shared page keeps both runs' links
    # What the preflight checks on each page, from the runs as the workers found it.
    assert cut.page_facts() is not None
    assert cut.page_facts() == one.page_facts()
    # Every paragraph, in order, as often as in one run (read column by column;
    # a subtitle may repeat a paragraph's first words, flow-16 repeats articles).
    text, whole = _reading_order(cut.pdf), _reading_order(one.pdf)
    assert text == whole
    at = -1
    for start in _paragraphs(issue):
        assert text.count(start) == whole.count(start) >= 1, start
        at = text.find(start, at + 1)
        assert at >= 0, start


def test_a_spacer_one_line_off_gives_other_pages(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """What the equality above rests on: with the previous run's tail one line
    higher than it is, the pages differ (and the comparison sees it)."""
    issue = _issue(tmp_path, "2023-01")
    one = _one_run(issue)
    line = prepare(issue).layout.geometry.line * 4 / 3  # CSS px
    guess = plan._guess_spacer

    def off(done: list[TypesetRun], index: int) -> float:
        return guess(done, index) + line

    monkeypatch.setattr(plan, "_guess_spacer", off)
    cut = build_runs(issue, jobs=1, store=False, flowing=0)
    assert cut.run_count > 1
    assert cut.page_count != one.page_count or _differing(one.pdf, cut.pdf)


def test_wrong_guesses_are_typeset_again(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A first guess of every spacer two lines off: each such run is typeset again
    with the height its predecessor left, and the pages are the same."""
    issue = _issue(tmp_path, "2023-01")
    one = _one_run(issue)
    estimate = plan._estimate

    def low(*args: object, **kwargs: object) -> tuple[int, dict[str, int], float, list[int]]:
        pages, anchors, foot, starts = estimate(*args, **kwargs)  # type: ignore[arg-type]
        return pages, anchors, max(24.0, foot - 48), starts

    monkeypatch.setattr(plan, "_estimate", low)
    cut = build_runs(issue, jobs=1, store=False, flowing=0)
    assert cut.wrong_guesses >= cut.run_count - 1 >= 1
    assert _differing(one.pdf, cut.pdf) == []


def test_a_round_that_cuts_elsewhere_typesets_each_run_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """flow-16: the page plan's second round cuts its flowing text at another
    article (the plan's spaces move the guesses). The last round's runs, which held
    other articles, are no guide to the new runs' numbers: taken as one, run 1's
    contents box showed the moved article on the page round 1 measured, and run 1
    was typeset twice in that round, one core idle the second time. Guessed
    instead, each round typesets each run once at most (no spacer guessed wrong)."""
    issue = _issue(tmp_path, "flow-16")
    rounds: list[tuple[list[str], int, int]] = []
    real = plan.update

    def spy(prepared: Any, cache: plan.RunCache) -> list[TypesetRun]:
        done = real(prepared, cache)
        firsts = [re.findall(r'<article [^>]*id="([^"]+)"', run.html)[0] for run in done]
        rounds.append((firsts, cache.typeset_count, cache.wrong_guesses))
        return done

    monkeypatch.setattr(plan, "update", spy)
    built = build_runs(issue, jobs=2, store=False)
    assert len({tuple(firsts) for firsts, _, _ in rounds}) > 1, rounds  # the cut moved
    for firsts, typeset, wrong in rounds:
        assert typeset <= len(firsts) + wrong, rounds
    assert built.typeset_runs == sum(typeset for _, typeset, _ in rounds)


def test_a_run_typeset_alone_in_a_later_round_is_cut_in_two(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """flow-16's last plan round changes only run 1 (pages 1-7: the spread of
    page 7): where round 2 measured it, it is cut in two before an article whose
    text before it is unchanged, each half typeset at once on its own core; the
    second half's spacer is the foot round 2 measured there, right at once (no
    guess typeset again). The pages are those of one run; a build from the store
    (which keeps each run's feet) cuts there too and typesets nothing."""
    shutil.copytree(ROOT / "layouts", tmp_path / "layouts")  # its own project: own store
    issue = _issue(tmp_path, "flow-16")
    batches: list[list[str]] = []
    real = plan._typeset_all

    def spy(jobs: list[Any], *args: Any, **kwargs: Any) -> Any:
        batches.append([re.findall(r'<article [^>]*id="([^"]+)"', job.html)[0]
                        for job in jobs if job.user_css not in (plan.FRAME_CSS,
                                                                 plan.CONTENTS_CSS)])
        return real(jobs, *args, **kwargs)

    monkeypatch.setattr(plan, "_typeset_all", spy)
    # (Not cut before the articles round 2 changed, as `_cut_before_changes` does:
    # round 3 would change only a run of 2 pages, too short to cut in two.)
    monkeypatch.setattr(plan, "_cut_before_changes", lambda *_: None)
    # (Nor resumed at a page's top that opens a paragraph, as `_resume_point` does:
    # round 2 would keep pages 1-4 and typeset run 1 from page 5.)
    monkeypatch.setattr(plan, "_resume_point", lambda *_: None)
    built = build_runs(issue, jobs=2)
    assert batches[-1][0] == "article-text-1" and len(batches[-1]) == 2, batches
    assert built.run_count == 3 and built.wrong_guesses == 0
    assert _differing(_one_run(issue).pdf, built.pdf) == []
    again = build_runs(issue, jobs=2)
    assert (again.typeset_runs, again.run_count) == (0, 3)
    assert again.pdf == built.pdf


def test_the_store_guesses_right_after_an_edit_elsewhere(tmp_path: Path) -> None:
    """The last build's spacers are the next build's guesses: an edit that keeps its
    article's length typesets that article's run alone, no guess wrong; one that
    lengthens it typesets the runs after it again, with their new spacers."""
    shutil.copytree(ROOT / "layouts", tmp_path / "layouts")  # its own project: own store
    issue = _issue(tmp_path, "flow-16")
    first = build_runs(issue, jobs=1, flowing=4)
    assert first.typeset_runs >= first.run_count
    assert first.run_count >= 3
    again = build_runs(issue, jobs=1, flowing=4)
    assert (again.typeset_runs, again.wrong_guesses) == (0, 0)
    assert again.pdf == first.pdf
    manifest = issue / "issue.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("全镇116名党员代表参加大会。",
                                     "全镇117名党员代表参加大会。", 1), encoding="utf-8")
    edited = build_runs(issue, jobs=1, flowing=4)
    # The edited run only, once: the page plan's later rounds find theirs in the
    # store (the first run, whose contents box showed the pages those rounds moved,
    # was typeset again before the frame drew its numbers).
    assert (edited.typeset_runs, edited.wrong_guesses) == (1, 0)
    # Two more lines in the first article: every later run moves, its spacer known
    # only once the run before it is typeset.
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        "全镇117名党员代表参加大会。", "全镇117名党员代表参加大会。" + "新泾" * 24, 1),
        encoding="utf-8")
    longer = build_runs(issue, jobs=1, flowing=4)
    assert longer.typeset_runs > 1
    assert _differing(longer.pdf, _one_run(issue).pdf) == []


def test_cut_flowing_cuts_only_between_flowing_articles() -> None:
    prepared = prepare(ROOT / "issues" / "text-16")
    runs = split_runs(prepared.context.context["flows"])
    cut = cut_flowing(prepared, runs, 4)
    assert len(cut) > len(runs)
    # The same flows in the same order; every run of new-page articles still starts one.
    assert [f for run in cut for f in run] == [f for run in runs for f in run]
    starts = flowing_starts(cut)
    assert sum(not s for s in starts) == len(runs)
    assert all(run[0][0]["start"] != "new-page" for run, s in zip(cut, starts, strict=True)
               if s)
    assert len(cut_flowing(prepared, runs, 0)) == sum(len(run) for run in runs)
    assert cut_flowing(prepared, runs, 100) == runs


def test_shared_pages_are_counted_once() -> None:
    runs = [TypesetRun("", b"", 2, {"a": 1}, fill=[[41, 41], [9, 9]], foot=216.0),
            TypesetRun("", b"", 2, {"b": 1}, fill=[[20, 20], [30, 29]], spacer=216.0),
            TypesetRun("", b"", 1, {"c": 1}, fill=[[12, 12]])]
    assert issue_page_count(runs) == 4
    assert plan.anchor_pages(runs) == {"a": 1, "b": 2, "c": 4}
    assert issue_fill(runs) == [[41, 41], [20, 20], [30, 29], [12, 12]]
    # A run that begins inside flowing text is never typeset in one document with
    # the run before it (that document's pages would hold both).
    assert chunks([0, 1, 2], [2, 2, 1], 8, frozenset({1})) == [[0], [1, 2]]


def test_a_run_is_recut_only_where_the_text_before_is_unchanged() -> None:
    """`_recut` cuts where the last round measured the foot of the text before an
    article, and only while that text is the same (else its foot is not known)."""
    flows: list[Any] = [[{"anchor": name}] for name in ("a", "b", "c")]
    old = '<article id="a">one</article><article id="b">two</article><article id="c">3</article>'
    measured = TypesetRun(old, b"", 6, {"a": 1, "b": 2, "c": 4},
                          feet={"b": (2, 100.0), "c": (4, 300.0)})
    # Only the last article changed: both cuts possible, the more even one taken (c:
    # pages 1-4 and 4-6).
    new = old.replace(">3<", ">three<")
    assert plan._recut([flows], [measured], [new], None) == (0, 2)
    # The second article changed (as long as before): its foot is still known, the
    # third's not.
    assert plan._recut([flows], [measured], [old.replace("two", "TWO")], None) == (0, 1)
    # The first changed: no foot known.
    assert plan._recut([flows], [measured], [old.replace("one", "ONE")], None) is None
    # Not measured (a stand-in), too short, or another run changed as well: not cut.
    guess = TypesetRun("", b"", 6, measured.anchors, feet=measured.feet)
    assert plan._recut([flows], [guess], [new], None) is None
    short = TypesetRun(old, b"", 3, measured.anchors, feet=measured.feet)
    assert plan._recut([flows], [short], [new], None) is None
    other = TypesetRun("x", b"", 2, {})
    assert plan._recut([flows, flows], [measured, other], [new, "y"], None) is None


def test_each_run_is_rendered_once_for_the_same_numbers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A round renders a run's HTML once for the same numbers and spacer: the
    check that ends a pass (are the numbers settled?) and the pass after it ask
    for the same HTML, which the main process rendered twice (~1.5 ms a run, the
    workers waiting) before."""
    issue = _issue(tmp_path, "flow-16")
    asked: list[list[tuple[object, ...]]] = []  # per round: what each run was rendered of
    real_update, real_html = plan.update, plan.run_html

    def update(prepared: Any, cache: plan.RunCache) -> list[TypesetRun]:
        asked.append([])
        return real_update(prepared, cache)

    def run_html(prepared: Any, runs: list[Any], index: int, start: int,
                 pages: dict[str, int], **kwargs: Any) -> str:
        if runs[index]:  # a run's (not the frame's or the contents box's)
            # (an article and how much of its body: `_resume_point` renders a run
            # up to a page's paragraph, a probe, not the run)
            asked[-1].append((tuple((a["anchor"], len(a["body"])) for flow in runs[index]
                                    for a in flow),
                              len(runs), frozenset(pages.items()),
                              frozenset((kwargs.get("shifts") or {}).items()),
                              kwargs.get("spacer"), kwargs.get("last")))
        return real_html(prepared, runs, index, start, pages, **kwargs)

    monkeypatch.setattr(plan, "update", update)
    monkeypatch.setattr(plan, "run_html", run_html)
    build_runs(issue, jobs=2, store=False)
    assert len(asked) > 1 and all(asked), asked  # later rounds too
    for inputs in asked:
        assert len(inputs) == len(set(inputs))


def test_the_contents_numbers_a_round_sets_are_typeset_as_it_ends(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """flow-16's second round moves its articles' pages; its last round moves none.
    The contents box's numbers as the second round typeset them go to the workers
    as it ends, while the plan decides the next round, not after the last round's
    runs on a core they leave idle (the assembling waited for them): no round
    ends with the contents left due, and the last one typesets only runs. (Unless
    a frame or contents document was still being typeset as the round before it
    ended: then its contents waited for that one, `_frame_for`, and if the last
    round gave out its runs first, its own contents went with them.)"""
    issue = _issue(tmp_path, "flow-16")
    asked: list[list[str]] = []  # per round: the contents documents given to the workers
    waited: list[bool] = []  # per round: a contents document waited as it began
    real_update, real_all = plan.update, plan._typeset_all

    def update(prepared: Any, cache: plan.RunCache) -> list[TypesetRun]:
        asked.append([])
        waited.append(cache.waiting is not None)
        done = real_update(prepared, cache)
        due = cache.frame_due[0] if cache.frame_due is not None else []
        assert all(plan._kind(job) != "contents" for job in due)
        return done

    def typeset_all(jobs: list[Any], *args: Any, **kwargs: Any) -> Any:
        asked[-1] += [job.html for job in jobs if job.user_css == plan.CONTENTS_CSS]
        return real_all(jobs, *args, **kwargs)

    monkeypatch.setattr(plan, "update", update)
    monkeypatch.setattr(plan, "_typeset_all", typeset_all)
    built = build_runs(issue, jobs=2, store=False)
    assert built.rounds == len(asked) == 3
    assert asked[0] and (not asked[-1] or waited[-1]), (asked, waited)
    monkeypatch.undo()
    assert _differing(_one_run(issue).pdf, built.pdf) == []
