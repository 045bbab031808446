"""What a build whose page runs all come from the store skips: assembling (the
print PDF assembled from the same runs is kept) and starting the typesetting
processes (nothing the last build read changed)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from bulletin_press.build.pipeline import build_runs
from bulletin_press.commands import cli
from bulletin_press.runs import assemble as assemble_module
from bulletin_press.runs import worker
from bulletin_press.runs.store import RunStore

from .conftest import ROOT, SAMPLE

pytestmark = pytest.mark.slow


@pytest.fixture
def issue(tmp_path: Path) -> Path:
    """The sample in a project of its own, so its run store starts empty."""
    project = tmp_path / "project"
    shutil.copytree(SAMPLE, project / "issues" / "2023-01")
    (project / "layouts").symlink_to(ROOT / "layouts")
    (project / "fonts").mkdir()
    return project / "issues" / "2023-01"


def _store(issue: Path) -> RunStore:
    return RunStore(issue.parents[1] / "output" / ".cache" / "runs")


def test_the_same_runs_are_not_assembled_again(issue: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    first = build_runs(issue)
    calls: list[int] = []
    real = assemble_module.assemble

    def counted(*args: object, **kwargs: object) -> bytes:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(assemble_module, "assemble", counted)
    again = build_runs(issue)
    assert again.typeset_runs == 0 and calls == []
    assert again.pdf == first.pdf
    # A font put in the project's fonts folder may be embedded: assembled again.
    (issue.parents[1] / "fonts" / "extra.otf").write_bytes(b"not really a font")
    assert build_runs(issue).pdf == first.pdf and calls == [1]
    # Without the store's runs (--no-cache) everything is made again.
    build_runs(issue, reuse=False)
    assert calls == [1, 1]


def test_the_store_knows_when_nothing_the_build_read_changed(issue: Path) -> None:
    store = _store(issue)
    assert not store.unchanged(issue)  # never built
    build_runs(issue)
    assert store.unchanged(issue)
    photo = issue / "images" / "party-congress.jpg"
    photo.write_bytes(photo.read_bytes() + b"\0")  # a file the build read
    assert not store.unchanged(issue)
    build_runs(issue)
    assert store.unchanged(issue)
    assert not RunStore(store.folder, read=False).unchanged(issue)


def test_an_unchanged_build_starts_no_typesetting_processes(
        issue: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[int] = []
    real = worker.start_workers
    monkeypatch.setattr(worker, "start_workers", lambda: started.append(1) or real())
    runner = CliRunner()
    out = issue.parent / "out.pdf"
    assert runner.invoke(cli.main, ["build", str(issue), "-o", str(out), "-j", "2"]).exit_code == 0
    assert started  # the first build typesets: its processes start ahead
    started.clear()
    result = runner.invoke(cli.main, ["build", str(issue), "-o", str(out), "-j", "2"])
    assert result.exit_code == 0 and "0 typeset" in result.output
    assert started == []
    article = issue / "issue.yaml"
    article.write_text(article.read_text(encoding="utf-8").replace("隆重举行", "隆重召开"),
                       encoding="utf-8")
    result = runner.invoke(cli.main, ["build", str(issue), "-o", str(out), "-j", "2"])
    assert result.exit_code == 0 and "0 typeset" not in result.output
    assert started
