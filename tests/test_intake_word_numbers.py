"""Headings Word numbers by itself (a multilevel list linked to 标题 2 / 标题 3, as
government offices' templates have it: 一、 and （一）): the numbers are not in the text,
and a subhead without them lost what a notice's 第二条 refers to."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from docx import Document

from bulletin_press.intake.docx import read_docx
from bulletin_press.intake.word_numbers import heading_numbers

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
# One abstract numbering with three levels: 一、 （一） 1.; the level-2 list starts at 3.
NUMBERING = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering {W}>
<w:abstractNum w:abstractNumId="7">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>
  <w:lvlText w:val="%1、"/></w:lvl>
 <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>
  <w:lvlText w:val="（%2）"/></w:lvl>
 <w:lvl w:ilvl="2"><w:start w:val="3"/><w:numFmt w:val="decimal"/>
  <w:lvlText w:val="%3."/></w:lvl>
</w:abstractNum>
<w:num w:numId="4"><w:abstractNumId w:val="7"/></w:num>
</w:numbering>"""

SECTIONS = [  # (style, heading, text under it)
    ("Heading 2", "检查范围", "全镇35个居民区、127栋高层住宅。"),
    ("Heading 3", "高层住宅", "重点检查电动自行车充电。"),
    ("Heading 3", "沿街商铺", "重点检查“三合一”场所。"),
    ("Heading 4", "整改时限", "7个工作日内整改完毕。"),
    ("Heading 2", "时间安排", "12月1日—12月15日为自查阶段。"),
    ("Heading 2", "工作要求", "发现隐患立即整改，电话021-62785432。"),
]


def numbered_notice(path: Path) -> Path:
    doc = Document()
    doc.add_paragraph("关于开展2026年冬季消防安全集中检查的通知", style="Title")
    doc.add_paragraph("各居民区、各物业服务企业：")
    for style, heading, text in SECTIONS:
        doc.add_paragraph(heading, style=style)
        doc.add_paragraph(text)
    doc.save(path)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["word/numbering.xml"] = NUMBERING.encode()
    styles = parts["word/styles.xml"].decode()
    for level, style_id in enumerate(("Heading2", "Heading3", "Heading4")):
        # The heading styles carry the numbering (a multilevel list linked to them).
        styles = re.sub(
            rf'(<w:style [^>]*w:styleId="{style_id}"[^>]*>.*?<w:pPr>)',
            rf'\1<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="4"/></w:numPr>',
            styles, count=1, flags=re.DOTALL)
    parts["word/styles.xml"] = styles.encode()
    if "word/numbering.xml" not in parts["[Content_Types].xml"].decode():
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"</Types>", b'<Override PartName="/word/numbering.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/></Types>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_headings_numbered_by_word_keep_their_numbers(tmp_path: Path) -> None:
    source = numbered_notice(tmp_path / "消防检查通知.docx")
    assert heading_numbers(source) == [("检查范围", "一、"), ("高层住宅", "（一）"),
                                       ("沿街商铺", "（二）"), ("整改时限", "3."),
                                       ("时间安排", "二、"), ("工作要求", "三、")]
    [article] = read_docx(source).articles
    subheads = [b for b in article.blocks if b.startswith("### ")]
    assert subheads == ["### 一、检查范围", "### （一）高层住宅", "### （二）沿街商铺",
                        "### 3. 整改时限", "### 二、时间安排", "### 三、工作要求"]
    notes = [n for n in read_docx(source).notes if n.code == "import.heading-number"]
    assert len(notes) == 6 and "numbered '二、' by Word" in notes[4].message


def test_paragraphs_word_numbers_keep_their_numbers(tmp_path: Path) -> None:
    """Items numbered （一） by Word came out as a Markdown list, 1. 2. 3. (under an empty
    bullet, when Word numbered the second level only); a 1. 2. list stays a list."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    items = ["招募对象：年满18周岁的本镇居民；", "服务时间：2027年2月5日至2月20日；",
             "报名方式：拨打志愿者服务中心电话021-62780011。"]
    path = tmp_path / "招募启事.docx"
    doc = Document()
    doc.add_paragraph("关于招募2027年春节“邻里守望”志愿者的启事", style="Title")
    doc.add_paragraph("各位居民：")
    for text in items:
        paragraph = doc.add_paragraph(text)
        numbered = OxmlElement("w:numPr")
        for tag, value in (("w:ilvl", "1"), ("w:numId", "77")):
            element = OxmlElement(tag)
            element.set(qn("w:val"), value)
            numbered.append(element)
        paragraph._p.get_or_add_pPr().append(numbered)
    doc.add_paragraph("报名须知：")
    for text in ("带好身份证", "穿运动鞋"):
        doc.add_paragraph(text, style="List Number")
    doc.save(path)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    # The template's numbering (List Number's) and ours, abstract definitions first.
    numbering = parts["word/numbering.xml"].decode()
    ours = NUMBERING.split(f"<w:numbering {W}>")[1].split("</w:numbering>")[0]
    abstract, num = ours.split("</w:abstractNum>")
    abstract = abstract.replace('w:abstractNumId="7"', 'w:abstractNumId="77"') + \
        "</w:abstractNum>"
    num = num.replace('w:numId="4"', 'w:numId="77"').replace('w:val="7"', 'w:val="77"')
    first = numbering.index("<w:abstractNum ")
    numbering = numbering[:first] + abstract + numbering[first:]
    parts["word/numbering.xml"] = numbering.replace("</w:numbering>",
                                                    num + "</w:numbering>").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    draft = read_docx(path)
    [article] = draft.articles
    assert article.blocks == [
        "各位居民：", "\n\n".join(f"{label}{text}" for label, text in
                              zip(["（一）", "（二）", "（三）"], items, strict=True)),
        "报名须知：", "1. 带好身份证\n2. 穿运动鞋"]
    assert "import.list-numbers" in [n.code for n in draft.notes]
