"""Details of Word documents as contributors send them, each read into a draft article:
merged table cells, line breaks typed with Shift+Enter, links, comments and tracked
changes, pictures Word can show and a page cannot."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject

from bulletin_press.intake.docx import read_docx
from bulletin_press.intake.draft import Draft

TITLE = "虹桥路社区“邻里节”圆满落幕 三千居民共享欢乐时光"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def word_file(path: Path, write: Callable[[DocumentObject], None],
              change: Callable[[dict[str, bytes]], None] | None = None) -> Path:
    """A document written with python-docx under a Heading 1 title; `change` edits the
    package's parts for what python-docx cannot write (links, comments, revisions)."""
    doc = Document()
    doc.add_heading(TITLE, level=1)
    write(doc)
    doc.save(path)
    if change is not None:
        with zipfile.ZipFile(path) as archive:
            parts = {name: archive.read(name) for name in archive.namelist()}
        change(parts)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in parts.items():
                archive.writestr(name, data)
    return path


def replace_in(parts: dict[str, bytes], name: str, old: str, new: str) -> None:
    text = parts[name].decode()
    assert old in text, old
    parts[name] = text.replace(old, new).encode()


def codes(draft: Draft) -> list[str]:
    return [note.code for note in draft.notes]


def test_cells_merged_down_a_column_keep_the_cells_beside_them_in_their_columns(
        tmp_path: Path) -> None:
    def write(doc: DocumentObject) -> None:
        rows = [["奖项", "居民区", "作品"], ["一等奖", "虹桥路居民区", "《我们的弄堂》"],
                ["二等奖", "天山五村", "《老房子新生活》"], ["", "仙霞新村", "《阿拉的菜场》"],
                ["三等奖", "新泾六村", "《晒秋》"]]
        table = doc.add_table(rows=len(rows), cols=3)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
        table.cell(2, 0).merge(table.cell(3, 0)).text = "二等奖"
        table.cell(4, 1).merge(table.cell(4, 2))

    draft = read_docx(word_file(tmp_path / "获奖名单.docx", write))
    lines = draft.articles[0].body.strip().splitlines()
    assert lines[3:] == ["| 二等奖 | 天山五村 | 《老房子新生活》 |",
                         "|  | 仙霞新村 | 《阿拉的菜场》 |",
                         "| 三等奖 | 新泾六村 《晒秋》 |  |"]
    assert "import.table-merged" in codes(draft)
