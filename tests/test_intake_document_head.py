"""An official document sent for the bulletin as the office filed it, with its head
(红头): the issuer's header line in large red type, the document number, a rule; then
the title. The header line was taken as the article's title."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor

from bulletin_press.intake.docx import read_docx

HEADER = "新泾镇人民政府文件"
NUMBER = "长新府〔2023〕12号"
TITLE = "关于做好2023年冬季安全生产工作的通知"
BODY = ["为切实做好今冬明春安全生产工作，防范和遏制各类事故发生，现将有关事项通知如下。",
        "各单位要在12月31日前完成燃气、电气线路自查，发现隐患及时整改，并将自查情况报镇"
        "安全生产办公室（电话：021-62785432，邮箱：anquan_xinjing@163.com）。",
        "对群租房、“三合一”场所开展专项检查，检查结果在www.xinjing.gov.cn/aqsc公示。"]


def red_head(path: Path, header_style: str | None, title_style: str | None,
             number_line: str = NUMBER, header: str = HEADER) -> Path:
    doc = Document()
    line = doc.add_paragraph(style=header_style)
    line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = line.add_run(header)
    run.font.color.rgb, run.font.size, run.bold = RGBColor(0xE0, 0, 0), Pt(36), True
    if number_line:
        doc.add_paragraph(number_line).alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph("━━━━━━━━━━━━━━━━━━━━━━━━").runs[0].font.color.rgb = RGBColor(0xE0, 0, 0)
    title = doc.add_paragraph(style=title_style)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run(TITLE).bold = True
    doc.add_paragraph("各居民区、各有关单位：")
    doc.add_paragraph(BODY[0])
    doc.add_paragraph("一、开展隐患自查", style="Heading 2")
    doc.add_paragraph(BODY[1])
    doc.add_paragraph("二、加强重点场所检查", style="Heading 2")
    doc.add_paragraph(BODY[2])
    doc.add_paragraph("新泾镇人民政府")
    doc.add_paragraph("2023年11月20日")
    doc.save(path)
    return path


@pytest.mark.parametrize(("header_style", "title_style"), [
    (None, None), ("Title", "Heading 1"), ("Heading 1", "Heading 1"), (None, "Heading 2")])
def test_the_head_of_an_official_document_is_not_its_title(
        tmp_path: Path, header_style: str | None, title_style: str | None) -> None:
    draft = read_docx(red_head(tmp_path / "冬季安全生产通知.docx", header_style, title_style))
    [article] = draft.articles
    assert article.title == TITLE
    assert article.subtitle == NUMBER
    assert article.blocks[0] == "各居民区、各有关单位："
    assert not any(HEADER in block or "━" in block for block in article.blocks)
    assert article.signature == {"issuer": "新泾镇人民政府", "date": "2023年11月20日"}
    assert article.kind == "notice"
    [note] = [n for n in draft.notes if n.code == "import.document-head"]
    assert HEADER in note.message and NUMBER in note.message and TITLE in note.message
    assert note.severity.name == "WARNING"


def test_a_number_with_its_signer_and_a_header_spaced_out(tmp_path: Path) -> None:
    draft = read_docx(red_head(tmp_path / "报告.docx", None, None,
                               number_line=f"{NUMBER}　　　　签发人：张建华",
                               header="中 共 新 泾 镇 委 员 会 文 件"))
    [article] = draft.articles
    assert (article.title, article.subtitle) == (TITLE, NUMBER)
    [note] = [n for n in draft.notes if n.code == "import.document-head"]
    assert "签发人：张建华" in note.message


def test_a_notice_titled_by_its_issuer_keeps_its_title(tmp_path: Path) -> None:
    """"…中心通知" followed by the salutation, not by a title: it is the title."""
    doc = Document()
    doc.add_paragraph("新泾镇社区事务受理服务中心通知")
    doc.add_paragraph("各位居民：")
    doc.add_paragraph("因系统升级，本中心12月2日（周六）暂停办理业务，12月4日起恢复。")
    doc.save(tmp_path / "停办通知.docx")
    draft = read_docx(tmp_path / "停办通知.docx")
    assert draft.articles[0].title == "新泾镇社区事务受理服务中心通知"
    assert "import.document-head" not in [n.code for n in draft.notes]
