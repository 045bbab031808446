"""The commands through the real entry point, as an editor runs them."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from bulletin_press.build.page_fit import ROUNDS

from .conftest import HEADER, ROOT, SAMPLE, MakeIssue


def run(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "bulletin_press", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


def test_help_lists_commands() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in ("build", "schema", "validate"):
        assert command in result.stdout
    assert run("build", "--help").returncode == 0


@pytest.mark.slow
def test_build_writes_pdf_and_reports(tmp_path: Path) -> None:
    target = tmp_path / "out" / "sample.pdf"
    result = run("build", SAMPLE, "-o", target)
    assert result.returncode == 0, result.stderr
    # The summary names the file, its pages and size as written, the time and the runs.
    summary = re.fullmatch(r"wrote (.+): 4 pages, (\d+) KiB in (\d+\.\d\d) s "
                           r"\((\d+) page runs?, (\d+) typeset\)\n", result.stdout)
    assert summary, result.stdout
    assert Path(summary[1]).resolve() == target.resolve()
    assert int(summary[2]) == round(target.stat().st_size / 1024)
    assert float(summary[3]) > 0 and int(summary[5]) <= int(summary[4]) * ROUNDS  # a round each
    assert len(PdfReader(target).pages) == 4  # pages: 4, the page plan
    assert [p.name for p in target.parent.iterdir()] == ["sample.pdf"]  # no temp files left


@pytest.mark.slow
def test_builds_are_byte_for_byte_the_same(tmp_path: Path) -> None:
    """A print shop or an archive compares files: the same issue gives the same
    bytes, whatever order Python's hashing gives sets (it differs per process)."""
    made = []
    for seed in ("1", "2", "3"):
        target = tmp_path / f"{seed}.pdf"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run([sys.executable, "-m", "bulletin_press", "build", "--no-cache",
                                 str(SAMPLE), "-o", str(target)], capture_output=True,
                                text=True, cwd=ROOT, env=env, timeout=300)
        assert result.returncode == 0, result.stderr
        made.append(target.read_bytes())
    assert made[0] == made[1] == made[2]


@pytest.mark.slow
def test_failed_build_keeps_last_good_pdf(make_issue: MakeIssue, tmp_path: Path) -> None:
    folder = make_issue()
    target = tmp_path / "keep.pdf"
    assert run("build", folder, "-o", target).returncode == 0
    good = target.read_bytes()
    (folder / "issue.yaml").write_text("newsletter: 测试\npublisher: [\n", encoding="utf-8")
    result = run("build", folder, "-o", target)
    assert result.returncode == 1
    assert f"{folder / 'issue.yaml'}:3:1: error: YAML syntax error" in result.stderr
    assert "nothing was written" in result.stderr
    assert "Traceback" not in result.stderr
    assert target.read_bytes() == good


def test_manifest_errors_exit_1_with_file_line_and_hint(make_issue: MakeIssue) -> None:
    folder = make_issue(HEADER + """\
          - id: a
            titel: 标题
            body: 正文。
        """)
    result = run("validate", folder)
    assert result.returncode == 1
    assert f"{folder / 'issue.yaml'}:6:3: error: unknown field 'titel' in article" \
        in result.stderr
    assert "hint: did you mean 'title'?" in result.stderr


def test_schema_prints_json() -> None:
    result = run("schema")
    assert result.returncode == 0
    assert json.loads(result.stdout)["title"].startswith("bulletin_press issue manifest")


def test_missing_issue_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = run("build", tmp_path / "nope")
    assert result.returncode == 1
    assert "no issue.yaml" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow
def test_batch_builds_all_and_reports_each(make_issue: MakeIssue, tmp_path: Path) -> None:
    project = tmp_path / "proj"
    good = [make_issue(name=f"proj/issues/{n}") for n in ("one", "two")]
    (project / "layouts").symlink_to(ROOT / "layouts", target_is_directory=True)
    broken = make_issue("newsletter: [\n", name="proj/issues/broken")
    result = run("build", *good, broken, "-j", "2")
    assert result.returncode == 1
    assert "ok  " in result.stdout and "2 of 3 issues built" in result.stdout
    assert f"FAILED {broken}" in result.stderr and "YAML syntax error" in result.stderr
    for name in ("one", "two"):
        assert (project / "output" / f"{name}.pdf").read_bytes().startswith(b"%PDF-")
    assert run("build", *good, "-o", tmp_path / "x.pdf").returncode == 2  # usage error


def _small_photo() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (240, 160), "gray").save(out, "JPEG")  # 71 ppi in a column
    return out.getvalue()


@pytest.mark.slow
def test_build_archive_and_pdf_x_report_the_preflight_after_writing(
        make_issue: MakeIssue, tmp_path: Path) -> None:
    folder = make_issue(HEADER + """\
          - id: a
            title: 标题
            body: 正文。
            photos: [{file: small.jpg, caption: 小图}]
        """, {"small.jpg": _small_photo()})
    for args, target in [((), tmp_path / "a.pdf"), (("--pdf-x",), tmp_path / "x.pdf")]:
        target.write_bytes(b"the last good PDF")
        result = run("build", folder, "-o", target, *args)
        assert result.returncode == 1  # a photo that prints blurred is an error
        assert target.read_bytes() == b"the last good PDF"  # a failed build replaces nothing
        proof = target.with_name(target.stem + ".proof.pdf")
        assert proof.read_bytes().startswith(b"%PDF"), result.stderr  # the pages, to proof
        assert "[photo.resolution]" in result.stderr and "71 ppi" in result.stderr
        assert "preflight: 1 error, 1 warning" in result.stderr  # and the 1 page
        assert "fix these before it goes to print" in result.stderr
        assert proof.name in result.stdout  # the "wrote …" line names what was written
    archived = run("archive", folder, "-o", tmp_path / "a.pdfa.pdf")
    assert archived.returncode == 1 and "preflight: 1 error" in archived.stderr
    assert not (tmp_path / "a.pdfa.pdf").exists()
    assert (tmp_path / "a.pdfa.proof.pdf").is_file()


@pytest.mark.slow
def test_build_strict_fails_on_warnings(tmp_path: Path) -> None:
    import shutil

    # The back issue's two articles alone: 3 pages, a stapled booklet needs 4.
    back = tmp_path / "back-issue"
    shutil.copytree(SAMPLE, back)
    manifest = (back / "issue.yaml").read_text(encoding="utf-8")
    (back / "issue.yaml").write_text(manifest[:manifest.index("\n  # The two articles below")]
                                     .replace("\npages: 4 ", "\n# pages: 4 "), encoding="utf-8")
    plain = run("build", back, "-o", tmp_path / "s.pdf")
    assert plain.returncode == 0
    assert re.search(r"preflight: 0 errors, 1 warning, \d+ notes?", plain.stderr), plain.stderr
    assert "[pages.saddle-stitch]" in plain.stderr  # the warning in full
    assert "copyfit.under" not in plain.stderr  # notes are counted, not shown
    strict = run("build", back, "-o", tmp_path / "s.pdf", "--strict")
    assert strict.returncode == 1 and "[pages.saddle-stitch]" in strict.stderr


@pytest.mark.slow
def test_new_issue_follows_the_previous_and_builds_as_it_is(tmp_path: Path) -> None:
    import shutil

    import yaml

    project = tmp_path / "project"
    shutil.copytree(ROOT / "layouts", project / "layouts")
    shutil.copytree(SAMPLE, project / "issues" / "2023-01")
    made = run("new", project / "issues" / "2023-02")
    assert made.returncode == 0, made.stderr
    assert "issue 2, 2023-02-10" in made.stdout and "next:" in made.stdout
    data = yaml.safe_load((project / "issues" / "2023-02" / "issue.yaml").read_text("utf-8"))
    assert data["issue"] == {"number": 2, "volume": 246, "date": __import__(
        "datetime").date(2023, 2, 10)}
    assert data["colophon"]["office"] == "《新泾通讯》编辑部" and data["layout"] == "two-column"
    assert run("validate", project / "issues" / "2023-02").returncode == 0
    built = run("build", project / "issues" / "2023-02", "-o", tmp_path / "new.pdf")
    assert built.returncode == 0, built.stderr
    assert len(PdfReader(tmp_path / "new.pdf").pages) == 1
    # the newest issue beside it is the previous one: 2023-02 → 2023-03
    assert "issue 3, 2023-03-10" in run("new", project / "issues" / "next").stdout
    # December → January: a new year starts at number 1
    december = (project / "issues" / "2023-01" / "issue.yaml").read_text("utf-8").replace(
        "date: 2023-01-10", "date: 2023-12-31")
    (project / "issues" / "2023-01" / "issue.yaml").write_text(december, "utf-8")
    made = run("new", tmp_path / "other" / "2024-01", "--from", project / "issues" / "2023-01")
    assert "issue 1, 2024-01-31" in made.stdout
    again = run("new", project / "issues" / "2023-02")
    assert again.returncode == 2 and "not empty" in again.stderr


@pytest.mark.slow
def test_an_issue_outside_any_project_is_built_beside_its_folder(tmp_path: Path) -> None:
    """Its layouts and fonts are the package's, but its PDF and run store go to
    output/ in the folder that holds it, wherever the command runs: not into the
    package's checkout."""
    issue = tmp_path / "desk" / "2024-03-out-of-project"
    issue.mkdir(parents=True)
    (issue / "issue.yaml").write_text(HEADER + "  - {id: a, title: 通知, body: 正文。}\n",
                                      encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    checkout = ROOT / "output" / "2024-03-out-of-project.pdf"
    checkout.unlink(missing_ok=True)
    result = run("build", issue, cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    target = tmp_path / "desk" / "output" / "2024-03-out-of-project.pdf"
    assert target.read_bytes().startswith(b"%PDF-")
    assert str(target) in result.stdout
    assert (tmp_path / "desk" / "output" / ".cache" / "runs").is_dir()
    assert not checkout.exists() and list(elsewhere.iterdir()) == []


def _raising(exc: BaseException) -> None:
    raise exc


def _wrapped_interrupt() -> None:
    try:
        raise KeyboardInterrupt
    except KeyboardInterrupt as interrupt:
        raise RuntimeError("a library's own error") from interrupt


@pytest.mark.parametrize("raise_it", [
    # pydantic-core, building the manifest's validator when Ctrl-C arrives, keeps only
    # the interrupt's name (seen at load 10 in tests/test_hostile.py's Ctrl-C test)
    lambda: _raising(__import__("pydantic_core").SchemaError(
        "Error building validator: KeyboardInterrupt")),
    _wrapped_interrupt,
])
def test_ctrl_c_wrapped_by_a_library_is_an_interrupt(
        raise_it: Any, capsys: pytest.CaptureFixture[str]) -> None:
    from bulletin_press.commands.cli import EXIT_INTERRUPTED, guarded
    with pytest.raises(SystemExit) as exit_:
        guarded(raise_it)()
    assert exit_.value.code == EXIT_INTERRUPTED
    assert "interrupted; the previous output is unchanged." in capsys.readouterr().err


def test_other_errors_stay_internal(capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from bulletin_press.commands import cli
    monkeypatch.setattr(cli, "_save_traceback", lambda: str(tmp_path / "crash.txt"))
    with pytest.raises(SystemExit) as exit_:
        cli.guarded(lambda: _raising(ValueError("KeyboardInterrupt in a message only")))()
    assert exit_.value.code == cli.EXIT_INTERNAL
    assert "internal error" in capsys.readouterr().err
