"""The one gate to WeasyPrint (typeset/gate.py): the version checked before any
extension touches an internal, each extension switchable, the speed extensions
the same bytes as stock WeasyPrint."""

from __future__ import annotations

import ast
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from bulletin_press.build.pipeline import build, build_runs
from bulletin_press.diagnostics import BuildError
from bulletin_press.runs.store import RunStore
from bulletin_press.typeset import gate

from .conftest import ROOT, SAMPLE

PACKAGE = ROOT / "src" / "bulletin_press"
# A WeasyPrint that reports another version, in every process Python starts.
FAKE_VERSION = ("import weasyprint\n"
                "weasyprint.__version__ = weasyprint.VERSION = '71.0'\n")
INSTALL = """
import sys
from weasyprint.layout import inline
before = inline.justify_line
from bulletin_press.typeset import gate
try:
    gate.install()
except gate.UnsupportedWeasyPrint as exc:
    print(exc.diagnostics[0].format())
print("extensions imported:", sorted(m for m in sys.modules if ".typeset.ext." in m))
print("justify_line untouched:", inline.justify_line is before)
print("replaced:", len(gate.replacements()))
"""


def _python(code: str, fake: Path | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, **env}
    if fake is not None:
        environ["PYTHONPATH"] = str(fake)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=environ, check=False, cwd=ROOT)


@pytest.fixture
def fake_weasyprint(tmp_path: Path) -> Path:
    folder = tmp_path / "fake"
    folder.mkdir()
    (folder / "sitecustomize.py").write_text(FAKE_VERSION)
    return folder


def test_another_version_is_refused_before_any_extension(fake_weasyprint: Path) -> None:
    out = _python(INSTALL, fake_weasyprint).stdout
    assert "error: bulletin_press needs WeasyPrint 70.0, found 71.0" in out
    assert "[typeset.weasyprint-version]" in out and "pip install weasyprint==70.0" in out
    assert "extensions imported: []" in out
    assert "justify_line untouched: True" in out and "replaced: 0" in out
    # The same WeasyPrint as it is: everything installed.
    out = _python(INSTALL).stdout
    assert "extensions imported: ['bulletin_press.typeset.ext." in out
    assert "'bulletin_press.typeset.ext.cjk_autospace'" in out
    assert "justify_line untouched: False" in out and "replaced: 0" not in out


def test_importing_an_extension_checks_the_version(fake_weasyprint: Path) -> None:
    result = _python("import bulletin_press.typeset.ext.leaders", fake_weasyprint)
    assert result.returncode == 1 and "UnsupportedWeasyPrint" in result.stderr
    assert "found 71.0" in result.stderr


def test_the_error_comes_back_from_a_worker_as_itself() -> None:
    error = pickle.loads(pickle.dumps(gate.UnsupportedWeasyPrint("71.0")))
    assert isinstance(error, gate.UnsupportedWeasyPrint) and isinstance(error, BuildError)
    assert error.diagnostics[0].code == "typeset.weasyprint-version"


@pytest.mark.parametrize("jobs", ["1", "2"])  # in the command's process; in workers
def test_build_with_another_version_exits_1_saying_what_to_install(
        fake_weasyprint: Path, tmp_path: Path, jobs: str) -> None:
    target = tmp_path / "out.pdf"
    result = subprocess.run(
        [sys.executable, "-m", "bulletin_press", "build", str(SAMPLE), "-o", str(target),
         "--no-cache", "-j", jobs], capture_output=True, text=True, cwd=ROOT, check=False,
        env={**os.environ, "PYTHONPATH": str(fake_weasyprint)})
    assert result.returncode == 1, result.stderr
    assert "found 71.0" in result.stderr and "pip install weasyprint==70.0" in result.stderr
    assert "internal error" not in result.stderr and not target.exists()


def test_switches_are_read_from_the_environment() -> None:
    assert gate.switched_off({}) == frozenset()
    assert gate.switched_off({gate.OFF_VARIABLE: " leaders, page_styles "}) == {
        "leaders", "page_styles"}
    assert gate.switched_off({gate.OFF_VARIABLE: "all"}) == set(gate.EXTENSIONS)
    with pytest.raises(BuildError, match="unknown extension: leader"):
        gate.switched_off({gate.OFF_VARIABLE: "leader"})


def test_a_switched_off_extension_is_not_installed() -> None:
    code = ("from bulletin_press.typeset import gate\nprint(gate.install())\n"
            "print(sorted({r.extension for r in gate.replacements()}))")
    out = _python(code, **{gate.OFF_VARIABLE: "leaders,cjk_justify"}).stdout.splitlines()
    assert out[0] == ("('cjk_autospace', 'grid_columns', 'line_fit', 'column_lines', "
                      "'column_balance', 'page_styles', 'target_counters', 'font_programs', "
                      "'paint_order', 'artifacts', 'structure_tree', 'parsed_sheets', "
                      "'vertical_justify', 'png_streams', 'drawn_text', 'used_lengths', "
                      "'box_flow')")
    assert "leaders" not in out[1] and "cjk_justify" not in out[1]
    assert "glyph_widths" in out[1]  # cjk_autospace draws through it
    out = _python(code, **{gate.OFF_VARIABLE: "all"}).stdout.splitlines()
    assert out == ["()", "[]"]


def test_switches_are_part_of_the_run_store_key(monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path) -> None:
    salt = RunStore(tmp_path).salt
    monkeypatch.setenv(gate.OFF_VARIABLE, "leaders")
    assert RunStore(tmp_path).salt != salt


@pytest.mark.slow
def test_speed_extensions_write_the_bytes_of_stock_weasyprint() -> None:
    """The sample (contents with leader dots and target counters, running heads)
    built as one document and in page runs, with the speed extensions and without."""
    gate.install()
    ours = build(SAMPLE).pdf, build_runs(SAMPLE, store=False, reuse=False).pdf
    with gate.stock(*gate.SPEED):
        stock = build(SAMPLE).pdf, build_runs(SAMPLE, store=False, reuse=False).pdf
    assert ours == stock
    # The switch really switches: without the CJK ones the pages differ.
    with gate.stock("cjk_justify", "cjk_autospace"):
        assert build(SAMPLE).pdf != ours[0]


def test_no_module_outside_typeset_names_weasyprint() -> None:
    """Not imported (tests/test_package_layout.py), nor looked up by name
    (find_spec, importlib.metadata): typeset/ answers for WeasyPrint."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.relative_to(PACKAGE).parts[0] == "typeset":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                    node.value.split(".")[0] in {"weasyprint", "pydyf"}:
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert not found, found
