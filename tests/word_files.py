"""Word documents as contributors send them, made in the tests with python-docx (and
the parts it cannot write, a footnote, added to the package by hand); and the bad
files an office receives: an old .doc, a zip that is not a document, a
password-protected .docx, a picture far too large."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

from docx import Document
from docx.shared import Cm
from PIL import Image

TITLE = "仙霞路长者食堂开张 老人吃饭不用愁"
SUBTITLE = "试运营首周接待1,200人次，“一荤两素”15元起"
BYLINE = "文/张晓燕"
PHOTO_CREDIT = "摄影：李建国"
CAPTION = "图为居民在仙霞路358弄长者食堂用餐"
PARAGRAPHS = [
    "本报讯 12月1日上午，位于仙霞路358弄的新泾镇第三家长者食堂正式开张，"
    "首批200位65岁以上的老人办理了就餐卡。",
    "食堂由街道委托“乐活家园”社会组织运营，每天供应早、中、晚三餐，"
    "老人可用随申码或APP预约，免费Wi-Fi覆盖整个用餐区。",
    "食堂负责人王海东表示，下一步将根据居民意见调整菜单，并开通送餐上门服务"
    "（咨询电话021-62591234，网址www.xinjing.gov.cn/canteen）。",
]
BOLD = "12月1日上午"
LIST_ITEMS = ["午餐供应时间11:00—13:00", "晚餐供应时间17:00—18:30", "周日及法定节假日照常营业"]
TABLE = [["餐别", "价格", "备注"], ["一荤两素", "15元", "70岁以上减2元"],
         ["两荤两素", "20元", "含例汤"]]
FOOTNOTE_MARK = "FOOTNOTE-HERE"
FOOTNOTE = "长者食堂的补贴标准见《长宁区社区长者食堂管理办法》第十二条。"


def photo_jpeg(width: int = 1800, height: int = 1200) -> bytes:
    image = Image.new("RGB", (width, height), (70, 120, 160))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80, dpi=(300, 300))
    return out.getvalue()


def make_article_docx(path: Path, picture: bytes | None = None,
                      footnote: bool = True) -> Path:
    doc = Document()
    doc.add_heading(TITLE, level=1)
    doc.add_heading(SUBTITLE, level=2)
    doc.add_paragraph(BYLINE)
    first = doc.add_paragraph()
    head, _, tail = PARAGRAPHS[0].partition(BOLD)
    first.add_run(head)
    first.add_run(BOLD).bold = True
    first.add_run(tail)
    for item in LIST_ITEMS:
        doc.add_paragraph(item, style="List Bullet")
    table = doc.add_table(rows=len(TABLE), cols=len(TABLE[0]))
    for r, row in enumerate(TABLE):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    doc.add_picture(io.BytesIO(picture or photo_jpeg()), width=Cm(12))
    doc.add_paragraph(CAPTION, style="Caption")
    second = doc.add_paragraph(PARAGRAPHS[1])
    if footnote:
        second.add_run(FOOTNOTE_MARK)
    doc.add_paragraph(PARAGRAPHS[2])
    doc.add_paragraph(PHOTO_CREDIT)
    doc.save(path)
    if footnote:
        _add_footnote(path)
    return path


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _add_footnote(path: Path) -> None:
    """python-docx writes no footnotes: add word/footnotes.xml and a reference."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    document = parts["word/document.xml"].decode()
    document = document.replace(f"<w:t>{FOOTNOTE_MARK}</w:t>",
                                '<w:footnoteReference w:id="1"/>')
    parts["word/document.xml"] = document.encode()
    parts["word/footnotes.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:footnotes xmlns:w="{_W}">'
        f'<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        f'</w:footnote>'
        f'<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        f'<w:continuationSeparator/></w:r></w:p></w:footnote>'
        f'<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r>'
        f'<w:r><w:t xml:space="preserve"> {FOOTNOTE}</w:t></w:r></w:p></w:footnote>'
        f'</w:footnotes>').encode()
    rels = parts["word/_rels/document.xml.rels"].decode()
    parts["word/_rels/document.xml.rels"] = rels.replace("</Relationships>", (
        '<Relationship Id="rIdFootnotes" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>'
        "</Relationships>")).encode()
    types = parts["[Content_Types].xml"].decode()
    parts["[Content_Types].xml"] = types.replace("</Types>", (
        '<Override PartName="/word/footnotes.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>')).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def huge_png(width: int = 30_000, height: int = 30_000) -> bytes:
    """A real, complete 1-bit PNG of width × height pixels (small: all white)."""
    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data)
            + chunk(b"IEND", b""))


def old_word_doc(path: Path) -> Path:
    """A compound file with a WordDocument stream: the container of Word 97-2003 .doc
    (and of WPS files), written the way the format lays it out."""
    end, free, fat_sector = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    stream = (b"\xec\xa5" + b"\x00" * 4094)  # 8 sectors; starts with Word's magic
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\x00" * 6
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
              + struct.pack("<I", 0) + struct.pack("<I", free) * 108)
    fat = [fat_sector, end] + [n + 1 for n in range(2, 9)] + [end]
    fat_bytes = b"".join(struct.pack("<I", v) for v in fat) + b"\xff" * (512 - 4 * len(fat))

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        encoded = name.encode("utf-16-le") + b"\x00\x00" if name else b""
        return (encoded.ljust(64, b"\x00") + struct.pack("<HBB", len(encoded), kind, 1)
                + struct.pack("<III", free, free, child) + b"\x00" * 36
                + struct.pack("<IIII", start, size, 0, 0)[:8] + b"\x00" * 4)

    directory = (entry("Root Entry", 5, 1, end, 0) + entry("WordDocument", 2, free, 2, 4096)
                 + (b"\x00" * 64 + struct.pack("<HBB", 0, 0, 0)
                    + struct.pack("<III", free, free, free) + b"\x00" * 48) * 2)
    path.write_bytes(header + fat_bytes + directory + stream)
    return path


def encrypted_docx(path: Path, plain: Path, password: str = "xinjing2023") -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    with plain.open("rb") as source, path.open("wb") as target:
        OOXMLFile(source).encrypt(password, target)
    return path


def zip_not_docx(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("照片/说明.txt", "这是一个压缩包，不是 Word 文档。")
        archive.writestr("mimetype", "application/zip")
    return path
