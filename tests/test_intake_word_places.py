"""Where in a Word document each import note points: the paragraph's number and first
words, or the picture's number, and the heading it is under; a comment by the words it
is attached to. A Word file has no line numbers, and the notes named only the file."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_BREAK
from docx.shared import Cm

from bulletin_press.diagnostics import Diagnostic
from bulletin_press.intake.docx import read_docx

from .test_intake_word_details import add_comment, replace_in
from .word_files import photo_jpeg


def notice(path: Path) -> Path:
    """A 通知 as a residents' committee writes it: numbered Heading 2 sections, lines
    ended with Shift+Enter, two pictures (one with a line under it that reads like a
    caption, one with nothing), and a comment on the deadline."""
    doc = Document()
    doc.add_heading("关于开展2023年“邻里节”活动的通知", level=1)
    doc.add_paragraph("各居民区、各有关单位：")
    doc.add_paragraph("为丰富社区居民文化生活，增进邻里感情，经研究，决定于10月举办第十届"
                      "“邻里节”活动。现将有关事项通知如下。")
    doc.add_heading("一、活动安排", level=2)
    lines = doc.add_paragraph("活动时间：10月14日13:30—17:00")
    lines.runs[0].add_break(WD_BREAK.LINE)
    lines.add_run("活动地点：天山西路568号新泾镇社区文化活动中心")
    doc.add_picture(io.BytesIO(photo_jpeg()), width=Cm(12))
    doc.add_paragraph("社区合唱团在开幕式上演唱")
    doc.add_heading("二、报名方式", level=2)
    doc.add_paragraph("请各居民区于DEADLINE统一报名，或登录www.xinjing.gov.cn/linlijie自行报名。")
    doc.add_picture(io.BytesIO(photo_jpeg(1200, 1600)), width=Cm(8))
    doc.add_heading("三、联系方式", level=2)
    doc.add_paragraph("联系人：王老师，电话：021-62785432，手机：13917654321。")
    doc.save(path)
    with __import__("zipfile").ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    replace_in(parts, "word/document.xml", "DEADLINE",
               '</w:t></w:r><w:commentRangeStart w:id="7"/><w:r><w:t>10月10日前</w:t></w:r>'
               '<w:commentRangeEnd w:id="7"/><w:r><w:commentReference w:id="7"/></w:r>'
               '<w:r><w:t xml:space="preserve">')
    add_comment(parts, 7, "李主任", "截止日期待街道确认")
    with __import__("zipfile").ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def _by_code(notes: list[Diagnostic]) -> dict[str, Diagnostic]:
    return {note.code: note for note in notes}


def test_each_note_names_its_place_in_the_document(tmp_path: Path) -> None:
    draft = read_docx(notice(tmp_path / "邻里节通知.docx"))
    notes = _by_code(draft.notes)
    assert notes["import.line-break"].location.place == (
        "paragraph 5 '活动时间：10月14日13:…', under '一、活动安排'")
    assert notes["import.caption-guess"].location.place == (
        "paragraph 7 '社区合唱团在开幕式上演唱', under '一、活动安排'")
    assert notes["import.comment"].location.place == "on the words '10月10日前'"
    assert notes["import.no-caption"].location.place == "picture 2, under '二、报名方式'"
    assert [n.location.place for n in draft.notes if n.code == "import.subhead"] == [
        "paragraph 4 '一、活动安排'", "paragraph 8 '二、报名方式'", "paragraph 11 '三、联系方式'"]
    assert "邻里节通知.docx (paragraph 7 '社区合唱团在开幕式上演唱', under '一、活动安排'): " \
        "warning: " in notes["import.caption-guess"].format()
    assert all(note.location.place for note in draft.notes
               if note.code not in ("import.signature", "import.notice")), [
        (n.code, n.location) for n in draft.notes if not n.location.place]


def test_the_places_read_in_chinese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BULLETIN_PRESS_LANG", "zh")
    notes = _by_code(read_docx(notice(tmp_path / "邻里节通知.docx")).notes)
    assert notes["import.caption-guess"].location.place == (
        "第7段「社区合唱团在开幕式上演唱」，在「一、活动安排」下")
    assert notes["import.comment"].location.place == "批注所在文字「10月10日前」"
    assert notes["import.no-caption"].location.place == "第2张图片，在「二、报名方式」下"
    assert "（第7段「社区合唱团在开幕式上演唱」，在「一、活动安排」下）" in str(
        notes["import.caption-guess"].location)
