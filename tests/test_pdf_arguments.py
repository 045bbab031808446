"""The commands that read a PDF (impose, check-pdfa, unpack) given what an editor may
pick by mistake: a Word document, a photo, a PDF cut short by a transfer. Each gives
one error naming the file and an exit code of 1, never an internal error."""

from __future__ import annotations

from pathlib import Path

import pytest

from .test_cli import run
from .word_files import make_article_docx, photo_jpeg

SAMPLE_PDF_HEAD = (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\n"
                   b"endobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n")


def _word(folder: Path) -> Path:
    source = make_article_docx(folder / "稿件.docx", footnote=False)
    target = folder / "第11期.pdf"  # a Word file under a PDF's name
    target.write_bytes(source.read_bytes())
    return target


def _photo(folder: Path) -> Path:
    target = folder / "合影.pdf"
    target.write_bytes(photo_jpeg(300, 200))
    return target


def _cut(folder: Path) -> Path:
    target = folder / "2023-11.pdf"  # the first bytes of a PDF, the rest lost
    target.write_bytes(SAMPLE_PDF_HEAD)
    return target


@pytest.mark.parametrize("command", ["impose", "check-pdfa", "unpack"])
@pytest.mark.parametrize(("make", "words"), [(_word, "not a PDF"), (_photo, "not a PDF"),
                                             (_cut, "damaged or cut short")],
                         ids=["word", "photo", "cut"])
def test_a_file_that_is_not_a_good_pdf_is_a_clear_error(tmp_path: Path, command: str,
                                                          make: object, words: str) -> None:
    assert callable(make)
    source: Path = make(tmp_path)
    before = sorted(tmp_path.iterdir())
    args: list[str | Path] = [command, source]
    if command == "unpack":
        args.append(tmp_path / "unpacked")
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    [line] = [x for x in result.stderr.splitlines() if ": error: " in x]
    assert source.name in line and words in line
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    assert sorted(tmp_path.iterdir()) == before  # nothing written


def test_imposing_a_proof_warns_it_is_not_for_print(tmp_path: Path) -> None:
    """A build with errors writes <name>.proof.pdf beside the last good PDF; imposed,
    it would go to the print shop with the errors in it."""
    from PIL import Image

    proof = tmp_path / "2023-11.proof.pdf"
    Image.new("RGB", (595, 842), "white").save(proof, "PDF")
    result = run("impose", proof, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "1 page + 3 blank on 2 sheet sides" in result.stdout
    [line] = [x for x in result.stderr.splitlines() if ": warning: " in x]
    assert proof.name in line and "not for print" in line and "[impose.proof]" in line
    assert (tmp_path / "2023-11.proof.imposed.pdf").exists()


def test_check_pdfa_of_a_print_pdf_says_it_is_not_an_archive(tmp_path: Path) -> None:
    from PIL import Image

    printed = tmp_path / "2023-11.pdf"
    Image.new("RGB", (595, 842), "white").save(printed, "PDF")
    result = run("check-pdfa", printed, cwd=tmp_path)
    assert result.returncode == 1
    lines = [x for x in (result.stdout + result.stderr).splitlines() if x.strip()]
    assert "not an archive copy" in lines[0] and "[pdfa.not-claimed]" in lines[0]
    assert "FAIL" not in result.stdout  # not every rule it never meant to meet
    assert "bulletin-press archive" in result.stderr


def test_output_piped_into_head_is_no_internal_error(tmp_path: Path) -> None:
    """`bulletin-press check-pdfa print.pdf --variant … | head -3`: the pipe closes
    after three lines; that is no crash and writes no crash file. (Here the pipe is
    closed from the start, so that the first write fails every time.)"""
    import os
    import subprocess
    import sys

    from PIL import Image

    from .conftest import ROOT

    printed = tmp_path / "2023-11.pdf"
    Image.new("RGB", (595, 842), "white").save(printed, "PDF")
    env = {**os.environ, "NO_COLOR": "1", "TMPDIR": str(tmp_path)}
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line: every write fails
    try:
        writer = subprocess.run([sys.executable, "-m", "bulletin_press", "check-pdfa",
                                 printed, "--variant", "pdf/a-2b"], stdout=write_end,
                                stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env,
                                timeout=300)
    finally:
        os.close(write_end)
    assert "internal error" not in writer.stderr, writer.stderr
    assert writer.returncode != 3
    assert not list(tmp_path.glob("bulletin-press-crash-*"))
