"""Nothing prints raw: the text layer of every PDF the suite made has no Markdown.

Runs last (files are collected in name order): it reads the PDFs the tests before
it built in this process (conftest.PRINTED) and the PDF files they wrote under
pytest's temporary folder (the CLI's, from subprocesses). A test that prints
markup as typed on purpose (a headline is plain text) is marked `markup_as_typed`.
"""

from __future__ import annotations

import re

import pypdfium2 as pdfium
import pytest

from bulletin_press.build.pipeline import build

from .conftest import AS_TYPED, HEADER, PRINTED, MakeIssue

_MARKUP = re.compile(r"\||---|\]\(|\*\*")


def leftover(pdf: bytes) -> list[str]:
    """Lines of the text layer with table pipes, rules, link brackets, bold stars or a
    quote mark at their start."""
    found = []
    document = pdfium.PdfDocument(pdf)
    try:
        for page in document:
            text = page.get_textpage().get_text_range()
            for line in text.splitlines():
                line = line.strip()
                if _MARKUP.search(line) or line.startswith(">"):
                    found.append(line)
    finally:
        document.close()
    return found


def test_no_pdf_of_the_suite_prints_markdown_raw(tmp_path_factory: pytest.TempPathFactory
                                                 ) -> None:
    written = [(str(path), path.read_bytes())
               for path in tmp_path_factory.getbasetemp().rglob("*.pdf")
               if not any(part.startswith(name) for part in path.parts for name in AS_TYPED)]
    pdfs = [*PRINTED, *written]
    if not pdfs:
        pytest.skip("reads the PDFs the rest of the suite builds: run it with them")
    offenders = {}
    for where, pdf in pdfs:
        try:
            lines = leftover(pdf)
        except pdfium.PdfiumError:
            continue  # a test's deliberately broken file
        if lines:
            offenders[where] = lines[:3]
    assert not offenders, offenders


@pytest.mark.slow
@pytest.mark.markup_as_typed
def test_the_scan_finds_markup(make_issue: MakeIssue) -> None:
    issue = make_issue(HEADER + """\
  - id: a
    title: "**紧急**停水通知"
    body: 正文。
""")  # a headline is plain text, printed as typed (validate warns)
    found = leftover(build(issue).pdf)  # in the contents and as the headline
    assert found and all(line.startswith("**紧急**停水通知") for line in found)
