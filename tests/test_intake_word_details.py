"""Details of Word documents as contributors send them, each read into a draft article:
merged table cells, line breaks typed with Shift+Enter, links, comments and tracked
changes, pictures Word can show and a page cannot."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_BREAK
from docx.shared import Cm

from bulletin_press.intake.docx import read_docx
from bulletin_press.intake.draft import Draft

from .word_files import photo_jpeg

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


def add_comment(parts: dict[str, bytes], number: int, author: str, text: str) -> None:
    """The comments part with one comment (its reference is the caller's), as Word
    writes it: the part, its relationship and its content type."""
    parts["word/comments.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:comments xmlns:w="{W}">'
        f'<w:comment w:id="{number}" w:author="{author}" w:initials="{author[0]}"><w:p><w:r>'
        f'<w:t>{text}</w:t></w:r></w:p></w:comment></w:comments>').encode()
    replace_in(parts, "word/_rels/document.xml.rels", "</Relationships>",
               '<Relationship Id="rIdC" Type="http://schemas.openxmlformats.org/'
               'officeDocument/2006/relationships/comments" Target="comments.xml"/>'
               "</Relationships>")
    replace_in(parts, "[Content_Types].xml", "</Types>",
               '<Override PartName="/word/comments.xml" ContentType="application/vnd.'
               'openxmlformats-officedocument.wordprocessingml.comments+xml"/></Types>')


def swap_media(parts: dict[str, bytes], name: str, data: bytes, content_type: str) -> None:
    """The document's one picture replaced by `data` stored as word/media/`name`."""
    [old] = [n for n in parts if n.startswith("word/media/")]
    del parts[old]
    parts[f"word/media/{name}"] = data
    replace_in(parts, "word/_rels/document.xml.rels", old.removeprefix("word/"), f"media/{name}")
    extension = name.rsplit(".", 1)[1]
    replace_in(parts, "[Content_Types].xml", "</Types>",
               f'<Default Extension="{extension}" ContentType="{content_type}"/></Types>')


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
                         "| ^^ | 仙霞新村 | 《阿拉的菜场》 |",
                         "| 三等奖 | 新泾六村 《晒秋》 | << |"]
    assert "import.table-merged" in codes(draft)


def test_lines_ended_with_shift_enter_stay_lines(tmp_path: Path) -> None:
    lines = ["活动地点：天山西路568号", "活动时间：10月14日13:30—17:00",
             "联系人：王老师 13917654321"]

    def write(doc: DocumentObject) -> None:
        doc.add_paragraph("10月14日下午，新泾镇第十届“邻里节”开幕。")
        paragraph = doc.add_paragraph("　　" + lines[0])
        for line in lines[1:]:
            paragraph.add_run().add_break()
            paragraph.add_run("　　" + line)
        doc.add_paragraph("欢迎居民踊跃参加。")

    draft = read_docx(word_file(tmp_path / "邻里节.docx", write))
    assert draft.articles[0].blocks == ["10月14日下午，新泾镇第十届“邻里节”开幕。",
                                        "\\\n".join(lines), "欢迎居民踊跃参加。"]
    assert "import.line-break" in codes(draft)
    from bulletin_press.text.blocks import HARD_BREAK, parse_body

    _first, kept, _last = parse_body(draft.articles[0].body)  # one paragraph, three lines
    assert "".join(span.text for span in kept.spans).split(HARD_BREAK) == lines


HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"


def add_link(parts: dict[str, bytes], mark: str, text: str, target: str, rid: str) -> None:
    replace_in(parts, "word/document.xml", f"<w:r><w:t>{mark}</w:t></w:r>",
               f'<w:hyperlink r:id="{rid}"><w:r><w:t>{text}</w:t></w:r></w:hyperlink>')
    replace_in(parts, "word/_rels/document.xml.rels", "</Relationships>",
               f'<Relationship Id="{rid}" Type="{HYPERLINK}" Target="{target}" '
               f'TargetMode="External"/></Relationships>')


def test_a_link_keeps_its_address(tmp_path: Path) -> None:
    def write(doc: DocumentObject) -> None:
        paragraph = doc.add_paragraph("本届邻里节报名办法")
        paragraph.add_run("LINK-1")
        paragraph.add_run("，咨询请发邮件至")
        paragraph.add_run("LINK-2")
        paragraph.add_run("。")

    def change(parts: dict[str, bytes]) -> None:
        add_link(parts, "LINK-1", "详见新泾镇官网",
                 "https://www.shcn.gov.cn/col/col6245/index.html?id=2023_10", "rIdL1")
        add_link(parts, "LINK-2", "linli@xinjing.gov.cn", "mailto:linli@xinjing.gov.cn",
                 "rIdL2")

    draft = read_docx(word_file(tmp_path / "报名.docx", write, change))
    assert draft.articles[0].blocks == [
        "本届邻里节报名办法[详见新泾镇官网](<https://www.shcn.gov.cn/col/col6245/index.html"
        "?id=2023_10>)，咨询请发邮件至[linli@xinjing.gov.cn](<mailto:linli@xinjing.gov.cn>)。"]
    from bulletin_press.text.blocks import parse_body

    [block] = parse_body(draft.articles[0].body)
    printed = "".join(span.text for span in block.spans)
    assert printed == ("本届邻里节报名办法详见新泾镇官网（www.shcn.gov.cn/col/col6245/index.html"
                       "?id=2023_10），咨询请发邮件至linli@xinjing.gov.cn。")


def field_link(parts: dict[str, bytes], mark: str, text: str, instruction: str) -> None:
    """A link as a HYPERLINK field (fldChar begin … separate … end), as Word writes it
    with a target frame or a screen tip, and as WPS saves a pasted link."""
    replace_in(parts, "word/document.xml", f"<w:r><w:t>{mark}</w:t></w:r>",
               '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
               f'<w:r><w:instrText xml:space="preserve">{instruction}</w:instrText></w:r>'
               '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
               f'<w:r><w:rPr><w:rStyle w:val="Hyperlink"/></w:rPr><w:t>{text}</w:t></w:r>'
               '<w:r><w:fldChar w:fldCharType="end"/></w:r>')


def test_a_link_field_with_switches_keeps_its_address(tmp_path: Path) -> None:
    """newcomer s15: a 年夜饭 report's link, a HYPERLINK field with a target frame
    (`\\t "_blank"`, Word's 'open in new window'; `\\o` is a screen tip), printed as its
    text alone: mammoth reads the field's address up to the last quote, switches
    and all, and an address with a space in it was dropped without a word."""
    address = "https://www.shpt.gov.cn/changfeng/2027-nianyefan/songcan.html?from=bulletin&id=87"

    def write(doc: DocumentObject) -> None:
        paragraph = doc.add_paragraph("送餐路线可在街道网站查询：")
        paragraph.add_run("LINK-1")
        paragraph.add_run("，春运信息见")
        paragraph.add_run("LINK-2")
        paragraph.add_run("。")

    def change(parts: dict[str, bytes]) -> None:
        field_link(parts, "LINK-1", "“暖心送餐”专栏",
                   f' HYPERLINK "{address.replace("&", "&amp;")}" \\t "_blank" ')
        field_link(parts, "LINK-2", "铁路12306网站",
                   ' HYPERLINK "https://www.12306.cn" \\o "中国铁路12306" ')

    draft = read_docx(word_file(tmp_path / "年夜饭.docx", write, change))
    assert draft.articles[0].blocks == [
        f"送餐路线可在街道网站查询：[“暖心送餐”专栏](<{address}>)，春运信息见"
        "[铁路12306网站](<https://www.12306.cn>)。"]
    assert len([n for n in draft.notes if n.code == "import.link"]) == 2


def test_the_link_note_shows_the_text_as_typed(tmp_path: Path) -> None:
    """A link whose text is its long address (& _ * in it, as a government portal's query
    is): the note quotes it as the editor reads it in Word, not as escaped Markdown."""
    address = ("https://zwdt.sh.gov.cn/govPortals/bsfw/findBsfw.do?orgCode=SH00CN"
               "&area=310105&street=xinjing&type=queue&lang=zh_CN#item*2")

    def write(doc: DocumentObject) -> None:
        paragraph = doc.add_paragraph("各服务点的实时排队情况见")
        paragraph.add_run("LINK-1")
        paragraph.add_run("，或拨打021-62785500。")

    def change(parts: dict[str, bytes]) -> None:
        add_link(parts, "LINK-1", address.replace("&", "&amp;"), address.replace("&", "&amp;"),
                 "rIdL1")

    draft = read_docx(word_file(tmp_path / "服务点.docx", write, change))
    [note] = [n for n in draft.notes if n.code == "import.link"]
    assert note.message == f"the link '{address}' → {address}: printed with its address"
    from bulletin_press.text.blocks import parse_body

    [block] = parse_body(draft.articles[0].body)
    assert "".join(span.text for span in block.spans) == (
        f"各服务点的实时排队情况见{address}，或拨打021-62785500。")


def test_a_page_break_is_told_not_dropped_silently(tmp_path: Path) -> None:
    """newcomer s15: a 年夜饭 report had a page break (Ctrl+Enter) before its third
    part. It was dropped and nothing was said, while the import says every decision
    (docs/import.md: nothing is ever silently changed)."""
    def write(doc: DocumentObject) -> None:
        doc.add_paragraph("1月25日中午，长者食堂里张灯结彩。")
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        doc.add_paragraph("92岁的陈阿婆是长风一村的老住户。")

    draft = read_docx(word_file(tmp_path / "年夜饭.docx", write))
    assert draft.articles[0].blocks == ["1月25日中午，长者食堂里张灯结彩。",
                                        "92岁的陈阿婆是长风一村的老住户。"]
    [note] = [n for n in draft.notes if n.code == "import.page-break"]
    assert note.message.startswith("1 page break in the document is not kept")
    assert note.severity.name == "INFO"


def test_comments_and_tracked_changes_are_told_to_the_editor(tmp_path: Path) -> None:
    def write(doc: DocumentObject) -> None:
        doc.add_paragraph("REVISED")
        doc.add_paragraph("下一届邻里节将于明年秋季举办。COMMENTED")

    def change(parts: dict[str, bytes]) -> None:
        replace_in(parts, "word/document.xml", "<w:r><w:t>REVISED</w:t></w:r>",
                   '<w:r><w:t xml:space="preserve">颁奖仪式于16:30开始，</w:t></w:r>'
                   '<w:del w:id="91" w:author="张编辑" w:date="2023-10-15T09:00:00Z"><w:r>'
                   '<w:delText>由镇长亲自</w:delText></w:r></w:del>'
                   '<w:ins w:id="92" w:author="张编辑" w:date="2023-10-15T09:00:00Z"><w:r>'
                   '<w:t>由镇领导</w:t></w:r></w:ins><w:r><w:t>颁发证书。</w:t></w:r>')
        replace_in(parts, "word/document.xml", "COMMENTED</w:t></w:r>",
                   '</w:t></w:r><w:r><w:commentReference w:id="5"/></w:r>')
        add_comment(parts, 5, "李主任", "时间待确认，先别登")

    draft = read_docx(word_file(tmp_path / "邻里节.docx", write, change))
    assert draft.articles[0].blocks == ["颁奖仪式于16:30开始，由镇领导颁发证书。",
                                        "下一届邻里节将于明年秋季举办。"]
    notes = {note.code: note for note in draft.notes}
    assert "李主任" in notes["import.comment"].message
    assert "时间待确认，先别登" in notes["import.comment"].message
    assert "inserted: 1, deleted: 1" in notes["import.tracked-changes"].message
    assert all(notes[c].severity.name == "WARNING"
               for c in ("import.comment", "import.tracked-changes"))


def emf() -> bytes:
    """An EMF picture: its header record (bounds, frame, signature " EMF") and EOF."""
    import struct

    header = (struct.pack("<II", 1, 108) + struct.pack("<4i", 0, 0, 100, 100)
              + struct.pack("<4i", 0, 0, 2540, 2540) + struct.pack("<I", 0x464D4520)
              + struct.pack("<III", 0x10000, 128, 2)).ljust(108, b"\0")
    return header + struct.pack("<5I", 14, 20, 0, 16, 20)


def test_an_emf_drawing_gets_a_placeholder_and_the_text_comes_in(tmp_path: Path) -> None:
    def write(doc: DocumentObject) -> None:
        doc.add_paragraph("为切实做好冬季火灾防控工作，现就有关事项通知如下：")
        doc.add_picture(io.BytesIO(photo_jpeg(600, 400)), width=Cm(8))
        doc.add_paragraph("图为小区消防通道示意图")
        doc.add_paragraph("联系电话：021-62785432。")

    def change(parts: dict[str, bytes]) -> None:
        swap_media(parts, "image1.emf", emf(), "image/x-emf")

    draft = read_docx(word_file(tmp_path / "消防通知.docx", write, change))
    [article] = draft.articles
    assert article.blocks == ["为切实做好冬季火灾防控工作，现就有关事项通知如下：",
                              "联系电话：021-62785432。"]
    [photo] = article.photos
    assert (photo.data, photo.caption, photo.after_paragraph) == (None, "图为小区消防通道示意图", 1)
    [note] = [n for n in draft.notes if n.code == "import.drawing"]
    assert "EMF" in note.message and note.severity.name == "WARNING"


def test_only_what_the_editor_can_act_on_is_told_of_mammoth_s_messages(
        tmp_path: Path) -> None:
    def write(doc: DocumentObject) -> None:
        doc.add_paragraph("STYLED")
        doc.add_paragraph("勾选已报名的项目：SYMBOL")

    def change(parts: dict[str, bytes]) -> None:
        replace_in(parts, "word/document.xml", "<w:r><w:t>STYLED</w:t></w:r>",
                   '<w:r><w:rPr><w:rStyle w:val="Hyperlink"/></w:rPr><w:t>详见官网</w:t></w:r>')
        replace_in(parts, "word/document.xml", "SYMBOL</w:t></w:r>",
                   '</w:t></w:r><w:r><w:sym w:font="MT Extra" w:char="F025"/></w:r>')

    draft = read_docx(word_file(tmp_path / "报名.docx", write, change))
    [note] = [n for n in draft.notes if n.code == "import.word"]
    assert "w:sym" in note.message and note.severity.name == "WARNING"


def test_numbered_items_with_bullets_between_are_numbered_on(tmp_path: Path) -> None:
    def write(doc: DocumentObject) -> None:
        doc.add_paragraph("活动安排如下：")
        doc.add_paragraph("开幕式及文艺演出", style="List Number")
        doc.add_paragraph("社区合唱团《我和我的祖国》", style="List Bullet 2")
        doc.add_paragraph("沪剧选段《芦荡火种》", style="List Bullet 2")
        doc.add_paragraph("便民服务集市", style="List Number")
        doc.add_paragraph("磨刀、修伞、配钥匙", style="List Bullet 2")
        doc.add_paragraph("“百家宴”美食分享", style="List Number")
        doc.add_paragraph("欢迎居民踊跃参加。")

    draft = read_docx(word_file(tmp_path / "活动安排.docx", write))
    assert draft.articles[0].blocks[1].splitlines() == [
        "1. 开幕式及文艺演出", "   - 社区合唱团《我和我的祖国》", "   - 沪剧选段《芦荡火种》",
        "2. 便民服务集市", "   - 磨刀、修伞、配钥匙", "3. “百家宴”美食分享"]
    assert draft.articles[0].blocks[2] == "欢迎居民踊跃参加。"


def test_headings_styled_with_chinese_names_are_headings(tmp_path: Path) -> None:
    """WPS and Chinese templates store Heading 1 as 「标题 1」 (style id "2"), not as
    "heading 1"."""
    def write(doc: DocumentObject) -> None:
        doc.add_paragraph("本报讯 11月6日至12日，天山路街道开展垃圾分类宣传周活动。")
        doc.add_heading("一、进社区", 2)
        doc.add_paragraph("志愿者走进23个居民区，向居民讲解四分类知识。")
        doc.add_heading("二、进校园", 2)
        doc.add_paragraph("在天山第一小学开展“小手拉大手”活动。")

    def change(parts: dict[str, bytes]) -> None:
        for name, old, new in [("word/document.xml", 'w:val="Heading1"', 'w:val="2"'),
                               ("word/document.xml", 'w:val="Heading2"', 'w:val="3"'),
                               ("word/styles.xml", 'w:styleId="Heading1"', 'w:styleId="2"'),
                               ("word/styles.xml", 'w:styleId="Heading2"', 'w:styleId="3"'),
                               ("word/styles.xml", '"heading 1"', '"标题 1"'),
                               ("word/styles.xml", '"heading 2"', '"标题2"')]:
            replace_in(parts, name, old, new)

    draft = read_docx(word_file(tmp_path / "垃圾分类.docx", write, change))
    [article] = draft.articles
    assert article.title == TITLE
    assert article.blocks[1::2] == ["### 一、进社区", "### 二、进校园"]


def test_short_lines_all_in_bold_are_subheads(tmp_path: Path) -> None:
    def write(doc: DocumentObject) -> None:
        doc.add_paragraph("为切实做好冬季火灾防控工作，现就有关事项通知如下：")
        doc.add_paragraph().add_run("一、检查时间").bold = True
        doc.add_paragraph("2023年12月1日至2024年1月31日。")
        doc.add_paragraph().add_run("请各居民区于11月30日前报送名单。").bold = True
        mixed = doc.add_paragraph()
        mixed.add_run("注意：").bold = True
        mixed.add_run("楼道严禁堆物")

    draft = read_docx(word_file(tmp_path / "消防通知.docx", write))
    assert draft.articles[0].blocks == [
        "为切实做好冬季火灾防控工作，现就有关事项通知如下：", "### 一、检查时间",
        "2023年12月1日至2024年1月31日。", "**请各居民区于11月30日前报送名单**。",
        "**注意**：楼道严禁堆物"]  # marks outside the stars: **注意：**楼 prints its stars


def test_a_notice_s_closing_lines_are_its_signature(tmp_path: Path) -> None:
    def write(doc: DocumentObject) -> None:
        doc.add_paragraph("各居民区、物业公司：")
        doc.add_paragraph("为切实做好冬季火灾防控工作，现就有关事项通知如下。")
        doc.add_paragraph("联系电话：021-62785432。")
        doc.add_paragraph("新泾镇人民政府")
        doc.add_paragraph("新泾镇安全生产办公室")
        doc.add_paragraph("2023年11月20日")

    def retitle(parts: dict[str, bytes]) -> None:
        replace_in(parts, "word/document.xml", TITLE, "关于开展2023年冬季消防安全检查的通知")

    draft = read_docx(word_file(tmp_path / "消防通知.docx", write, retitle))
    [article] = draft.articles
    assert article.blocks == ["各居民区、物业公司：",
                              "为切实做好冬季火灾防控工作，现就有关事项通知如下。",
                              "联系电话：021-62785432。"]
    assert article.signature == {"issuer": ["新泾镇人民政府", "新泾镇安全生产办公室"],
                                 "date": "2023年11月20日"}
    assert article.kind == "notice"


def test_a_story_ending_in_a_date_keeps_its_text(tmp_path: Path) -> None:
    def write(doc: DocumentObject) -> None:
        doc.add_paragraph("活动将持续到年底。")
        doc.add_paragraph("报名截止日期为：")
        doc.add_paragraph("2023年11月20日")

    draft = read_docx(word_file(tmp_path / "报名.docx", write))
    assert draft.articles[0].signature is None
    assert draft.articles[0].blocks[-1] == "2023年11月20日"


def test_an_imported_notice_is_a_valid_article(tmp_path: Path) -> None:
    from bulletin_press.intake.importer import import_sources
    from bulletin_press.manifest.load import load_issue

    def write(doc: DocumentObject) -> None:
        doc.add_paragraph("12月5日9:00—15:00仙霞路358弄停水，请居民提前储水。")
        doc.add_paragraph("新泾镇人民政府")
        doc.add_paragraph("2023年12月1日")

    def retitle(parts: dict[str, bytes]) -> None:
        replace_in(parts, "word/document.xml", TITLE, "停水通知")

    issue = tmp_path / "2023-12"
    issue.mkdir()
    (issue / "issue.yaml").write_text("newsletter: 新泾通讯\npublisher: 长宁区新泾镇\n"
                                      "issue: {number: 12, date: 2023-12-10}\narticles: []\n",
                                      encoding="utf-8")
    import_sources([word_file(tmp_path / "停水.docx", write, retitle)], issue)
    [article] = load_issue(issue).manifest.articles
    assert article.kind == "notice"
    assert article.signature is not None and article.signature.issuer == "新泾镇人民政府"
    assert article.signature.date == "2023年12月1日"


def test_the_same_document_imported_twice_is_told(tmp_path: Path) -> None:
    from bulletin_press.intake.importer import import_sources

    def write(doc: DocumentObject) -> None:
        doc.add_paragraph("10月14日下午，新泾镇第十届“邻里节”开幕。")

    source = word_file(tmp_path / "邻里节.docx", write)
    issue = tmp_path / "2023-11"
    issue.mkdir()
    (issue / "issue.yaml").write_text("newsletter: 新泾通讯\npublisher: 长宁区新泾镇\n"
                                      "issue: {number: 11, date: 2023-11-25}\narticles: []\n",
                                      encoding="utf-8")
    first = import_sources([source], issue)
    assert not [n for n in first.notes if n.code == "import.same-title"]
    again = import_sources([source], issue)
    [note] = [n for n in again.notes if n.code == "import.same-title"]
    assert note.severity.name == "WARNING" and "邻里节-1" in note.message
    assert "(邻里节)" in note.message and note.location.path == source


def test_imported_files_are_readable_by_colleagues_as_any_file(tmp_path: Path) -> None:
    """mkstemp's files are the owner's only: issue.yaml rewritten and the new body and
    picture files would be unreadable on the office's shared folder."""
    import os
    import stat

    from bulletin_press.intake.importer import import_sources

    def write(doc: DocumentObject) -> None:
        doc.add_paragraph("10月14日下午，新泾镇第十届“邻里节”开幕。")
        doc.add_picture(io.BytesIO(photo_jpeg(600, 400)), width=Cm(8))
        doc.add_paragraph("图为开幕式现场")

    issue = tmp_path / "2023-11"
    issue.mkdir()
    manifest = issue / "issue.yaml"
    manifest.write_text("newsletter: 新泾通讯\npublisher: 长宁区新泾镇\n"
                        "issue: {number: 11, date: 2023-11-25}\narticles: []\n",
                        encoding="utf-8")
    manifest.chmod(0o664)
    mask = os.umask(0o022)
    try:
        result = import_sources([word_file(tmp_path / "邻里节.docx", write)], issue)
    finally:
        os.umask(mask)
    assert stat.S_IMODE(manifest.stat().st_mode) == 0o664
    assert len(result.written) == 2
    assert {stat.S_IMODE(p.stat().st_mode) for p in result.written} == {0o644}


def test_photos_laid_out_in_a_table_keep_their_captions(tmp_path: Path) -> None:
    def write(doc: DocumentObject) -> None:
        doc.add_paragraph("重阳节前后，各居民区开展了丰富多彩的敬老活动。")
        table = doc.add_table(rows=2, cols=3)
        for column in range(2):
            run = table.cell(0, column).paragraphs[0].add_run()
            run.add_picture(io.BytesIO(photo_jpeg(800, 600)), width=Cm(5))
        table.cell(1, 0).text = "志愿者为老人理发（摄影 王芳）"
        table.cell(1, 1).text = "社区医生上门义诊"
        table.cell(0, 2).text = "活动时间：10月20日—23日"
        doc.add_paragraph("活动共服务老人600余人次。")

    draft = read_docx(word_file(tmp_path / "敬老月.docx", write))
    [article] = draft.articles
    assert [(p.caption, p.credit, p.after_paragraph) for p in article.photos] == [
        ("志愿者为老人理发", "摄影 王芳", 1), ("社区医生上门义诊", None, 1)]
    assert article.blocks == ["重阳节前后，各居民区开展了丰富多彩的敬老活动。",
                              "活动时间：10月20日—23日", "活动共服务老人600余人次。"]
    assert "import.no-caption" not in codes(draft)


def test_alt_text_no_person_wrote_is_no_caption(tmp_path: Path) -> None:
    """Office writes a description of its own (描述已自动生成) or the picture's file name
    as alt text; printed as the caption it would read as nonsense."""
    alts = ["图片包含 人, 户外, 天空&#10;&#10;描述已自动生成", "微信图片_20231014133502.jpg",
            "IMG_20231014_133502", "图片 3", "社区合唱团在开幕式上演唱"]

    def write(doc: DocumentObject) -> None:
        doc.add_paragraph("10月14日下午，新泾镇第十届“邻里节”开幕。")
        for _alt in alts:
            doc.add_picture(io.BytesIO(photo_jpeg(600, 400)), width=Cm(6))
            doc.add_paragraph("居民们在广场上欢聚一堂。")

    def change(parts: dict[str, bytes]) -> None:
        document = parts["word/document.xml"].decode()
        for number, alt in enumerate(alts, 1):
            old = f'<wp:docPr id="{number}" name="Picture {number}"/>'
            assert old in document, old
            document = document.replace(old, f'<wp:docPr id="{number}" name="Picture '
                                             f'{number}" descr="{alt}"/>')
        parts["word/document.xml"] = document.encode()

    draft = read_docx(word_file(tmp_path / "邻里节.docx", write, change))
    assert [p.caption for p in draft.articles[0].photos] == ["图片说明待补"] * 4 + [
        "社区合唱团在开幕式上演唱"]


def test_a_short_line_under_a_picture_is_its_caption(tmp_path: Path) -> None:
    lines = ["▲ 志愿者为老人理发", "社区医生上门义诊（摄影 王芳）", "社区合唱团在开幕式上演唱",
             "活动共服务老人600余人次。"]

    def write(doc: DocumentObject) -> None:
        doc.add_paragraph("重阳节前后，各居民区开展了丰富多彩的敬老活动。")
        for line in lines:
            doc.add_picture(io.BytesIO(photo_jpeg(600, 400)), width=Cm(6))
            doc.add_paragraph(line)

    draft = read_docx(word_file(tmp_path / "敬老月.docx", write))
    [article] = draft.articles
    assert [(p.caption, p.credit) for p in article.photos] == [
        ("志愿者为老人理发", None), ("社区医生上门义诊", "摄影 王芳"),
        ("社区合唱团在开幕式上演唱", None), ("图片说明待补", None)]
    assert article.blocks == ["重阳节前后，各居民区开展了丰富多彩的敬老活动。",
                              "活动共服务老人600余人次。"]  # a sentence is text
    guessed = [n for n in draft.notes if n.code == "import.caption-guess"]
    assert len(guessed) == 1 and "picture 3" in guessed[0].message


def test_a_picture_turned_in_word_is_turned_in_the_issue(tmp_path: Path) -> None:
    """A phone photo that showed sideways, turned a quarter clockwise with Word's
    handle: Word keeps the file and a rotation on the shape."""
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (800, 600), (70, 120, 160))
    ImageDraw.Draw(picture).rectangle([0, 0, 799, 99], fill=(200, 30, 30))  # sky on top
    stored = io.BytesIO()
    picture.save(stored, "JPEG", quality=90)

    def write(doc: DocumentObject) -> None:
        doc.add_paragraph("10月14日下午，新泾镇第十届“邻里节”开幕。")
        doc.add_picture(io.BytesIO(stored.getvalue()), width=Cm(6))
        doc.add_paragraph("图为开幕式现场")

    def change(parts: dict[str, bytes]) -> None:
        replace_in(parts, "word/document.xml", "<pic:spPr><a:xfrm>",
                   '<pic:spPr><a:xfrm rot="5400000">')

    draft = read_docx(word_file(tmp_path / "邻里节.docx", write, change))
    [photo] = draft.articles[0].photos
    assert photo.data is not None
    with Image.open(io.BytesIO(photo.data)) as image:
        assert image.size == (600, 800)
        # The red band that was on top is on the right after a clockwise quarter turn.
        red, _g, _b = image.convert("RGB").getpixel((570, 400))
        left, _g, _b = image.convert("RGB").getpixel((30, 400))
    assert red > 150 and left < 120
    assert "import.turned" in codes(draft)


def test_a_picture_cropped_in_word_is_cropped_in_the_issue(tmp_path: Path) -> None:
    """A phone photo of the 邻里节 stage cropped in Word (裁剪): a passer-by at the
    left and the sky at the top cut off; the second picture, cropped and turned,
    and with room added around it (negative sides), which is not a crop."""
    from PIL import Image, ImageDraw

    def photo(size: tuple[int, int]) -> bytes:
        picture = Image.new("RGB", size, (40, 60, 170))  # the stage: blue
        draw = ImageDraw.Draw(picture)
        draw.rectangle([0, 0, size[0] // 4 - 1, size[1] - 1], fill=(210, 40, 40))  # passer-by
        draw.rectangle([0, 0, size[0] - 1, size[1] // 10 - 1], fill=(40, 180, 60))  # sky
        out = io.BytesIO()
        picture.save(out, "JPEG", quality=92, dpi=(300, 300))
        return out.getvalue()

    def write(doc: DocumentObject) -> None:
        doc.add_paragraph("10月14日下午，新泾镇第十届“邻里节”在天山西路568号开幕。")
        doc.add_picture(io.BytesIO(photo((1600, 1200))), width=Cm(12))
        doc.add_paragraph("图为开幕式现场")
        doc.add_picture(io.BytesIO(photo((1200, 1000))), width=Cm(6))
        doc.add_paragraph("图为社区合唱团演唱《我和我的祖国》")

    def change(parts: dict[str, bytes]) -> None:
        text = parts["word/document.xml"].decode()
        first, second = text.split("<a:stretch>", 2)[:2], text.split("<a:stretch>")[2]
        text = (first[0] + '<a:srcRect l="25000" t="10000"/><a:stretch>' + first[1]
                + '<a:srcRect l="25000" t="10000" r="-5000" b="-3000"/><a:stretch>' + second)
        parts["word/document.xml"] = text.replace(
            '<a:xfrm><a:off x="0" y="0"/><a:ext cx="2160000"',
            '<a:xfrm rot="16200000"><a:off x="0" y="0"/><a:ext cx="2160000"').encode()

    draft = read_docx(word_file(tmp_path / "邻里节.docx", write, change))
    first, second = draft.articles[0].photos
    assert first.data is not None and second.data is not None
    with Image.open(io.BytesIO(first.data)) as image:
        assert image.size == (1200, 1080)
        rgb = image.convert("RGB")
        # Neither the passer-by (red) nor the sky (green) is left at the edges.
        for x, y in ((2, 540), (2, 2), (600, 2), (1197, 1077)):
            red, green, blue = rgb.getpixel((x, y))
            assert blue > 130 and red < 90 and green < 110, (x, y, rgb.getpixel((x, y)))
    with Image.open(io.BytesIO(second.data)) as image:
        # 900×900 left after the crop, then a quarter turn anticlockwise: the same size,
        # and what was the stage's bottom edge is now on the right.
        assert image.size == (900, 900)
        assert max(image.convert("RGB").getpixel((2, 2))[:2]) < 90
    cropped = [n for n in draft.notes if n.code == "import.cropped"]
    assert [n.location.place for n in cropped] == ["picture 1", "picture 2"]
    assert "68%" in cropped[0].message  # 75 % of the width, 90 % of the height
    assert "import.turned" in codes(draft)


def heic_photo(size: tuple[int, int] = (2016, 1512)) -> bytes:
    """An iPhone-like HEIC photo: sky (blue) over a red roof band at the top third."""
    import pillow_heif
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", size, (60, 120, 200))
    ImageDraw.Draw(picture).rectangle([0, size[1] // 3, size[0] - 1, size[1] // 2],
                                      fill=(200, 40, 40))
    heif = pillow_heif.from_pillow(picture)
    out = io.BytesIO()
    heif.save(out, quality=70)
    return out.getvalue()


def test_a_phones_heic_photo_in_word_is_stored_as_jpeg(tmp_path: Path) -> None:
    """Word (on a Mac) keeps an iPhone photo as the HEIC it was: media/image1.heic."""
    def write(doc: DocumentObject) -> None:
        doc.add_paragraph("10月14日下午，新泾镇第十届“邻里节”开幕。")
        doc.add_picture(io.BytesIO(photo_jpeg()), width=Cm(12))
        doc.add_paragraph("图为开幕式现场（摄影 王芳）")

    def change(parts: dict[str, bytes]) -> None:
        swap_media(parts, "IMG_4021.heic", heic_photo(), "image/heic")

    draft = read_docx(word_file(tmp_path / "邻里节.docx", write, change))
    [photo] = draft.articles[0].photos
    assert photo.suffix == ".jpg" and photo.data is not None
    from PIL import Image

    with Image.open(io.BytesIO(photo.data)) as image:
        assert (image.format, image.size) == ("JPEG", (2016, 1512))
        red, _g, blue = image.convert("RGB").getpixel((1000, 630))
        assert red > 150 and blue < 90
    assert photo.caption == "图为开幕式现场"
    [note] = [n for n in draft.notes if n.code == "import.heic"]
    assert "picture 1" in note.message and str(note.location.place).startswith("picture 1")


def test_numbered_sections_styled_heading_1_stay_in_the_article(tmp_path: Path) -> None:
    def write(doc: DocumentObject) -> None:
        doc.add_paragraph("为丰富居民文化生活，现将有关事项通知如下。")
        doc.add_heading("一、活动时间", level=1)
        doc.add_paragraph("2023年12月1日至31日。")
        doc.add_heading("（二）报名方式", level=1)
        doc.add_paragraph("拨打021-62598765报名。")
        doc.add_heading("仙霞新村举办冬至包饺子活动", level=1)
        doc.add_paragraph("12月22日上午，仙霞新村居委会举办包饺子活动。")

    draft = read_docx(word_file(tmp_path / "通知.docx", write))
    assert [a.title for a in draft.articles] == [TITLE, "仙霞新村举办冬至包饺子活动"]
    assert draft.articles[0].blocks[1::2] == ["### 一、活动时间", "### （二）报名方式"]


def test_a_chart_or_an_equation_left_out_is_told(tmp_path: Path) -> None:
    def write(doc: DocumentObject) -> None:
        doc.add_paragraph("今年垃圾分类达标率逐月上升：CHART")
        doc.add_paragraph("达标率的算法：EQUATION")

    def change(parts: dict[str, bytes]) -> None:
        replace_in(parts, "word/document.xml", "CHART</w:t></w:r>",
                   '</w:t></w:r><w:r><w:drawing><wp:inline><a:graphic xmlns:a="http://schemas.'
                   'openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.'
                   'openxmlformats.org/drawingml/2006/chart"><c:chart xmlns:c="http://schemas.'
                   'openxmlformats.org/drawingml/2006/chart" r:id="rId99"/></a:graphicData>'
                   '</a:graphic></wp:inline></w:drawing></w:r>')
        replace_in(parts, "word/document.xml", "EQUATION</w:t></w:r>",
                   '</w:t></w:r><m:oMath xmlns:m="http://schemas.openxmlformats.org/officeDocument'
                   '/2006/math"><m:r><m:t>P=a/b</m:t></m:r></m:oMath>')

    draft = read_docx(word_file(tmp_path / "垃圾分类.docx", write, change))
    left = [n.message for n in draft.notes if n.code == "import.left-out"]
    assert len(left) == 2 and "chart" in left[0] and "equation" in left[1]


def test_bold_that_ends_or_starts_with_a_chinese_mark_stays_bold(tmp_path: Path) -> None:
    """An interview's 问：/答： in bold, right before the answer's first character, and a
    bold quote inside a sentence: Markdown reads `**问：**您` as plain text with stars
    (a closing ** after a mark needs a space or a mark after it), so the import wrote
    text that `validate` refused. The marks go outside the stars; the words stay bold."""
    parts = [[("问：", "b"), ("您为什么选择住在新泾？", "")],
             [("答：", "b"), ("离公司近。楼下的王阿姨被评为", ""), ("“社区好邻居”", "b"),
              ("，每天教我说", ""), ("“侬好”", "i"), ("。", "")],
             [("（注意：", "b"), ("报名截止到1月20日）", "")],
             [("Q:", "b"), ("What do you wish for the new year?", "")]]

    def write(doc: DocumentObject) -> None:
        for runs in parts:
            paragraph = doc.add_paragraph()
            for text, style in runs:
                run = paragraph.add_run(text)
                run.bold = style == "b"
                run.italic = style == "i"

    draft = read_docx(word_file(tmp_path / "访穆腾.docx", write))
    from bulletin_press.text.blocks import parse_markdown

    parsed = parse_markdown(draft.articles[0].body)
    assert parsed.problems == []
    assert ["".join(s.text for s in block.spans) for block in parsed.blocks] == \
        ["".join(text for text, _style in runs) for runs in parts]
    bold = ["".join(s.text for s in block.spans if s.strong) for block in parsed.blocks]
    assert bold == ["问", "答社区好邻居", "注意", "Q"]
    assert ["".join(s.text for s in block.spans if s.em) for block in parsed.blocks] == \
        ["", "侬好", "", ""]


def test_a_contributor_s_line_under_the_title_is_the_byline(tmp_path: Path) -> None:
    """A resident's poem and a chef's recipes, each signed under the title as 「单位 职务
    姓名」: kept as the first paragraph, whose spaces the text rules take out between
    Han, they printed 长者食堂厨师长钱国平 and 新泾八村居民吴桂芳（78岁）."""
    for signed, first in [("长者食堂 厨师长 钱国平", "材料：糯米100克、大米50克。"),
                          ("新泾八村居民 吴桂芳（78岁）", "天还没亮透，菜场的灯先醒了。")]:
        def write(doc: DocumentObject, signed: str = signed, first: str = first) -> None:
            doc.add_paragraph(signed)
            doc.add_paragraph(first)
            doc.add_paragraph("各位居民朋友 同志们：")  # later, and a salutation: text

        draft = read_docx(word_file(tmp_path / f"{signed[:4]}.docx", write))
        [article] = draft.articles
        assert article.byline == signed
        assert article.blocks == [first, "各位居民朋友 同志们："]
        assert "import.byline-guess" in codes(draft)


def text_box_run(lines: list[str], vml_only: bool = False, shape_only: bool = False,
                 title: str | None = None) -> str:
    """A text box (插入 → 文本框) as Word 2016 saves it: a shape with its text, and the
    same box again in VML for older readers; Word 2007 writes the VML alone. `title`
    is a first line in bold, in a paragraph with a style of its own, an empty one under it."""
    body = "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in lines)
    if title is not None:
        body = ('<w:p w:rsidR="00A1"><w:pPr><w:pStyle w:val="Heading2"/><w:jc w:val="center"/>'
                f"</w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t>{title}</w:t></w:r></w:p>"
                '<w:p w:rsidR="00B2"/>' + body)  # and an empty line under it
    vml = ('<w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml" style="width:186pt;'
           f'height:110pt"><v:textbox><w:txbxContent>{body}</w:txbxContent></v:textbox>'
           "</v:shape></w:pict>")
    if vml_only:
        return f"<w:r>{vml}</w:r>"
    fallback = "" if shape_only else f"<mc:Fallback>{vml}</mc:Fallback>"
    return ('<w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/'
            'markup-compatibility/2006"><mc:Choice Requires="wps"><w:drawing><wp:anchor>'
            '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
            '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/'
            'wordprocessingShape"><wps:wsp xmlns:wps="http://schemas.microsoft.com/office/'
            f'word/2010/wordprocessingShape"><wps:txbx><w:txbxContent>{body}</w:txbxContent>'
            "</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>"
            f"</mc:Choice>{fallback}</mc:AlternateContent></w:r>")


def test_a_text_box_is_a_box_article_after_its_story(tmp_path: Path) -> None:
    """A canteen's notice with its 温馨提示 in a text box in the middle of a paragraph:
    the box's lines came in as paragraphs of the story, the bold 温馨提示 a ### subhead,
    between the opening and the menu. Now the box is an article of its own (kind: box)
    after the story, and the story's paragraph is whole."""
    box = ["温馨提示", "凭长宁区敬老卡用餐享受9折优惠；网上预订：https://www.shcn.gov.cn/st?id=8012",
           "预订电话：021-6238 1234转8012（顾师傅）"]
    opening = "春节期间（2月5日至2月13日），社区食堂照常营业，"
    rest = "每天11:00—13:00供应午餐。"
    for vml_only in (False, True):
        def write(doc: DocumentObject) -> None:
            doc.add_paragraph(opening + "BOX" + rest)
            doc.add_paragraph("红烧狮子头每份￥12.50，糖醋小排每份￥15.00。")
            doc.add_heading("第二篇：社区图书室春节开放时间", level=1)
            doc.add_paragraph("图书室2月10日起每天9:00—16:00开放。")

        def change(parts: dict[str, bytes], vml_only: bool = vml_only) -> None:
            replace_in(parts, "word/document.xml", "BOX",
                       "</w:t></w:r>" + text_box_run(box, vml_only) + "<w:r><w:t>")

        draft = read_docx(word_file(tmp_path / f"社区食堂{vml_only}.docx", write, change))
        story, tips, library = draft.articles
        assert story.blocks == [opening + rest, "红烧狮子头每份￥12.50，糖醋小排每份￥15.00。"]
        assert (tips.kind, tips.title) == ("box", "温馨提示")
        assert tips.blocks == box[1:]
        assert library.title == "第二篇：社区图书室春节开放时间" and library.kind is None
        [note] = [n for n in draft.notes if n.code == "import.text-box"]
        assert "'温馨提示 凭长宁区敬老卡用餐" in note.message and "kind: box" in note.message
        assert note.severity.name == "WARNING"
        assert "import.subhead" not in codes(draft)


def test_a_text_box_s_title_is_its_bold_line_else_it_is_named_for_the_editor(
        tmp_path: Path) -> None:
    """Two boxes in one story: 便民服务电话 in bold (its paragraph styled Heading 2 and
    centred in Word) is the first box's title; the second box starts with a sentence, so
    it is titled 温馨提示 and the note asks for a title. Both follow the story, in order."""
    first = ["社区事务受理服务中心：021-6401 8890", "派出所户籍窗口：021-5422 3301转2036"]
    second = ["停车场收费标准自2027年1月1日起调整，业主车辆每月300元。", "详见 www.gumei.sh.cn"]

    def write(doc: DocumentObject) -> None:
        doc.add_paragraph("居民办事更方便了。BOX1")
        doc.add_paragraph("物业提醒各位业主注意。BOX2")

    def change(parts: dict[str, bytes]) -> None:
        replace_in(parts, "word/document.xml", "BOX1",
                   "</w:t></w:r>" + text_box_run(first, title="便民服务电话") + "<w:r><w:t>")
        replace_in(parts, "word/document.xml", "BOX2",
                   "</w:t></w:r>" + text_box_run(second) + "<w:r><w:t>")

    draft = read_docx(word_file(tmp_path / "两个文本框.docx", write, change))
    story, phones, parking = draft.articles
    assert story.blocks == ["居民办事更方便了。", "物业提醒各位业主注意。"]
    assert (phones.kind, phones.title, phones.blocks) == ("box", "便民服务电话", first)
    assert (parking.kind, parking.title) == ("box", "温馨提示")
    assert parking.blocks == [second[0], "详见 www.gumei.sh.cn"]
    notes = [n for n in draft.notes if n.code == "import.text-box"]
    assert len(notes) == 2 and "give the box its own title" in (notes[1].hint or "")


def test_two_documents_with_a_tip_box_each_are_not_told_as_one_imported_twice(
        tmp_path: Path) -> None:
    """Two stories, each with its 温馨提示 text box, imported into one issue: the two
    boxes share their title, which is no sign of a file imported twice."""
    from bulletin_press.intake.importer import import_sources

    sources = []
    for name, tip in [("食堂", "订餐电话：021-6238 1234转8012"), ("图书室", "借书请带读者证。")]:
        def write(doc: DocumentObject) -> None:
            doc.add_paragraph("社区服务有新变化。BOX")

        def change(parts: dict[str, bytes], tip: str = tip) -> None:
            replace_in(parts, "word/document.xml", "BOX",
                       "</w:t></w:r>" + text_box_run(["温馨提示", tip]) + "<w:r><w:t>")

        sources.append(word_file(tmp_path / f"{name}.docx", write, change))
    issue = tmp_path / "2027-01"
    issue.mkdir()
    (issue / "issue.yaml").write_text("newsletter: 新泾通讯\npublisher: 长宁区新泾镇\n"
                                      "issue: {number: 1, date: 2027-01-25}\narticles: []\n",
                                      encoding="utf-8")
    result = import_sources(sources, issue)
    assert [a.title for a in result.articles].count("温馨提示") == 2
    # the stories share the test's title: that one is told, the boxes' is not
    same = [n.message for n in result.notes if n.code == "import.same-title"]
    assert len(same) == 1 and "温馨提示" not in same[0]


def test_a_text_box_without_its_vml_copy_is_said_to_be_left_out(tmp_path: Path) -> None:
    """A shape with text and no VML copy (as some editors save it): mammoth does not
    read it; the note says its words are not in the article."""
    def write(doc: DocumentObject) -> None:
        doc.add_paragraph("正文。BOX")

    def change(parts: dict[str, bytes]) -> None:
        replace_in(parts, "word/document.xml", "BOX",
                   "</w:t></w:r>" + text_box_run(["温馨提示", "请带好身份证。"], shape_only=True)
                   + "<w:r><w:t>")

    draft = read_docx(word_file(tmp_path / "无VML.docx", write, change))
    [story] = draft.articles
    assert story.blocks == ["正文。"]
    [note] = [n for n in draft.notes if n.code == "import.text-box-lost"]
    assert "温馨提示 请带好身份证。" in note.message


def test_numbers_typed_on_after_word_s_list_go_on_with_it(tmp_path: Path) -> None:
    """元宵灯谜: riddles 1–5 numbered by Word (列表编号), 6–10 typed by hand with 6． 8、 9.
    as contributors go on; the hand-typed ones were paragraphs, printed indented as text
    under a list with hanging numbers. A number that does not go on (a new 1.) stays text."""
    riddles = ["千里相逢（打一字）", "一口咬掉牛尾巴（打一字）", "有心走不快，见水装不满（打一字）"]

    def write(doc: DocumentObject) -> None:
        doc.add_paragraph("今年元宵节（2月20日）晚上6:30—8:30在新泾公园举办灯谜会，请先猜为快：")
        for riddle in riddles:
            doc.add_paragraph(riddle, style="List Number")
        doc.add_paragraph("4．半部春秋（打一字）")
        doc.add_paragraph("5、十五的月亮（打一成语）")
        doc.add_paragraph("6. **上海**春节家家有（打一食品）")
        doc.add_paragraph("8. 正月初一（打一字）")  # not the next number: text
        doc.add_paragraph("1.不在禁放区域燃放烟花爆竹；")

    draft = read_docx(word_file(tmp_path / "元宵灯谜.docx", write))
    [article] = draft.articles
    assert article.blocks[1] == ("1. 千里相逢（打一字）\n2. 一口咬掉牛尾巴（打一字）\n"
                                 "3. 有心走不快，见水装不满（打一字）\n4. 半部春秋（打一字）\n"
                                 "5. 十五的月亮（打一成语）\n"
                                 "6. \\*\\*上海\\*\\*春节家家有（打一食品）")
    assert article.blocks[2:] == ["8\\. 正月初一（打一字）", "1.不在禁放区域燃放烟花爆竹；"]
    [note] = [n for n in draft.notes if n.code == "import.list-typed-on"]  # one for them all
    assert note.message == ("'4．半部春秋（打一字）' to '6. **上海**春节家家有…', numbered "
                            "by hand after a list Word numbers: the list's items 4–6")


def test_a_cell_s_lines_are_joined_with_a_space_and_told(tmp_path: Path) -> None:
    """A couplet typed in a table cell, 上联 and 下联 on two lines (Shift+Enter), and a cell
    of two paragraphs: the lines ran together with nothing between them
    (上联：红梅含苞傲冬雪下联：绿柳吐絮迎新春), without a note."""
    def write(doc: DocumentObject) -> None:
        doc.add_paragraph("社区春联征集活动共收到作品136副，三等奖作品如下：")
        table = doc.add_table(rows=2, cols=3)
        for cell, text in zip(table.rows[0].cells, ["作者", "作品", "展出时间"], strict=True):
            cell.text = text
        table.cell(1, 0).text = "北新泾 李秀兰"
        couplet = table.cell(1, 1).paragraphs[0]
        couplet.add_run("上联：红梅含苞傲冬雪").add_break()
        couplet.add_run("下联：绿柳吐絮迎新春")
        table.cell(1, 2).text = "2月10日—2月20日"
        table.cell(1, 2).add_paragraph("9:00—16:30")

    draft = read_docx(word_file(tmp_path / "春联选登.docx", write))
    [article] = draft.articles
    assert article.blocks[-1].splitlines()[-1] == (
        "| 北新泾 李秀兰 | 上联：红梅含苞傲冬雪 下联：绿柳吐絮迎新春 "
        "| 2月10日—2月20日 9:00—16:30 |")
    told = [n.message for n in draft.notes if n.code == "import.table-cell-lines"]
    assert told == [
        "a table cell of several lines ('上联：红梅含苞傲冬雪 / 下联：绿柳吐絮迎新春'): its lines "
        "are joined, a cell has no line breaks in print",
        "a table cell of several lines ('2月10日—2月20日 / 9:00—16:30'): its lines are joined, "
        "a cell has no line breaks in print"]


def test_a_byline_inside_the_text_is_not_the_article_s(tmp_path: Path) -> None:
    """Prize-winning couplets, each under its prize with its author in brackets: the
    first author, （作者：新泾六村 王福根）, became the byline of the whole article,
    printed under its headline. A byline line is the article's when nothing follows it."""
    def write(doc: DocumentObject) -> None:
        doc.add_paragraph("今年社区春联征集活动共收到作品136副，以下作品获奖：")
        doc.add_paragraph().add_run("一等奖").bold = True
        doc.add_paragraph("上联：龙腾盛世千家乐　下联：羊跃新春万户欢")
        doc.add_paragraph("（作者：新泾六村 王福根）")
        doc.add_paragraph().add_run("二等奖").bold = True
        doc.add_paragraph("上联：春风入户家家暖　下联：瑞雪临门处处新")
        doc.add_paragraph("获奖作品将于2月10日在仙霞西路750号展出，咨询电话021-62385230。")
        doc.add_paragraph("（通讯员 林晓彤）")

    draft = read_docx(word_file(tmp_path / "春联选登.docx", write))
    [article] = draft.articles
    assert article.byline == "通讯员 林晓彤"
    assert "（作者：新泾六村 王福根）" in article.blocks
    assert article.blocks[-1] == "获奖作品将于2月10日在仙霞西路750号展出，咨询电话021-62385230。"
    [kept] = [n for n in draft.notes if n.code == "import.byline-in-text"]
    assert "王福根" in kept.message and kept.severity.name == "WARNING"
    assert kept.location.place is not None and "一等奖" in kept.location.place


def wmf() -> bytes:
    """A WMF picture (clip art, a chart from WPS): its placeable header, header and EOF."""
    import struct

    key = struct.pack("<IHhhhhHI", 0x9AC6CDD7, 0, 0, 0, 2000, 1000, 1440, 0)
    check = 0
    for i in range(0, 20, 2):
        check ^= struct.unpack("<H", key[i:i + 2])[0]
    return key + struct.pack("<H", check) + struct.pack("<HHHIHIH", 1, 9, 0x300, 12, 0, 3, 0) \
        + struct.pack("<IH", 3, 0)


def test_a_wmf_chart_is_told_in_plain_words(tmp_path: Path) -> None:
    """"picture 1 is an WMF drawing": the article read as a programmer's template."""
    def write(doc: DocumentObject) -> None:
        doc.add_paragraph("近三年，全镇春节期间火警数量持续下降（见下图）。")
        doc.add_picture(io.BytesIO(photo_jpeg(600, 400)), width=Cm(8))
        doc.add_paragraph("图1 2024—2026年春节期间火警数量")

    def change(parts: dict[str, bytes]) -> None:
        swap_media(parts, "image1.wmf", wmf(), "image/x-wmf")

    draft = read_docx(word_file(tmp_path / "烟花爆竹安全.docx", write, change))
    [note] = [n for n in draft.notes if n.code == "import.drawing"]
    assert note.message.startswith("picture 1 is a drawing (WMF), which cannot be printed")
    # Word's caption number left out (import.caption-number): the text says 见下图
    assert draft.articles[0].photos[0].caption == "2024—2026年春节期间火警数量"


def test_a_credit_in_brackets_as_the_last_line_is_the_photos_credit(tmp_path: Path) -> None:
    """「（图/林雨桐）」 closing a resident's story (outside s12): the credit of its photos,
    as 「图/林雨桐」 is, not a line of text printed after the last paragraph."""
    def write(doc: DocumentObject) -> None:
        doc.add_paragraph("7月6日早上7点50分，我推开社区文化活动中心三楼的玻璃门。")
        doc.add_picture(io.BytesIO(photo_jpeg()), width=Cm(12))
        doc.add_paragraph("暑托班开班第一天，孩子们在签到")
        doc.add_paragraph("（图片展将持续到8月底）")
        doc.add_paragraph("第二期暑托班将于7月27日开班，咨询电话021-6238 2266。")
        doc.add_paragraph("（图/林雨桐）")

    draft = read_docx(word_file(tmp_path / "暑托班.docx", write))
    [article] = draft.articles
    assert article.blocks[-2:] == ["（图片展将持续到8月底）",  # text that only starts so
                                   "第二期暑托班将于7月27日开班，咨询电话021-6238 2266。"]
    assert [(p.caption, p.credit) for p in article.photos] == [
        ("暑托班开班第一天，孩子们在签到", "图/林雨桐")]
    assert "import.credit" in codes(draft)



def test_the_office_alone_under_the_title_is_the_byline(tmp_path: Path) -> None:
    """A 房管办's report with the office's name alone under its title, as offices sign
    what they send: it stayed the first paragraph and printed indented, 「　　街道房管办」,
    above the text. A sentence, a short line of text and a salutation there stay text."""
    for office in ["街道房管办", "枫林路街道文化站", "社区党群服务中心", "宛南六村居委会"]:
        def write(doc: DocumentObject, office: str = office) -> None:
            doc.add_paragraph(office)
            doc.add_paragraph("截至7月31日，街道今年已完成加装电梯签约43台。")

        draft = read_docx(word_file(tmp_path / f"{office}.docx", write))
        [article] = draft.articles
        assert article.byline == office
        assert article.blocks == ["截至7月31日，街道今年已完成加装电梯签约43台。"]
        assert "import.byline-guess" in codes(draft)
    for first in ["街道召开加梯推进会。", "各位居民：", "加装电梯", "签约仪式在居委会"]:
        def text(doc: DocumentObject, first: str = first) -> None:
            doc.add_paragraph(first)
            doc.add_paragraph("截至7月31日，街道今年已完成加装电梯签约43台。")

        draft = read_docx(word_file(tmp_path / f"t{len(first)}.docx", text))
        [article] = draft.articles
        assert article.byline is None, first
        assert article.blocks[0] == first


def test_a_picture_after_a_table_goes_after_the_paragraph_nearest_it(tmp_path: Path) -> None:
    """A police notice: a picture under the table of hotlines, in the section after a
    list. A photo is placed after a paragraph; after_paragraph counted the paragraphs
    before it (2), so it printed above the section's subhead, the list and the table,
    beside the first picture. The paragraph right after it is nearer (0 blocks between)."""

    def write(doc: DocumentObject) -> None:
        doc.add_paragraph("广大居民朋友：")
        doc.add_paragraph("近期辖区内连续发生多起冒充电商客服的电信网络诈骗案件。")
        doc.add_picture(io.BytesIO(photo_jpeg(600, 400)), width=Cm(6))
        doc.add_paragraph("民警在平南居民区开展反诈宣传", style="Caption")
        doc.add_heading("一、牢记“三不一多”", level=2)
        for item in ["未知链接不点击；", "个人信息不透露；"]:
            doc.add_paragraph(item, style="List Number")
        doc.add_heading("二、遇到可疑情况，请拨打以下电话", level=2)
        table = doc.add_table(rows=3, cols=2)
        for row, cells in enumerate([("单位", "电话"), ("全国反诈劝阻专线", "96110"),
                                     ("古美路派出所", "021-6401 5110转2036")]):
            for column, text in enumerate(cells):
                table.cell(row, column).text = text
        doc.add_picture(io.BytesIO(photo_jpeg(600, 400)), width=Cm(6))
        doc.add_paragraph("民警向老人讲解诈骗案例", style="Caption")
        doc.add_paragraph("更多防骗知识请关注“闵行公安”微信公众号。")
        doc.add_paragraph("夜间请拨打110。")
        doc.add_heading("三、其他", level=2)
        doc.add_picture(io.BytesIO(photo_jpeg(600, 400)), width=Cm(6))  # under a subhead
        doc.add_paragraph("反诈宣传海报", style="Caption")
        doc.add_paragraph("宣传海报可到居委会领取。")

    draft = read_docx(word_file(tmp_path / "反诈提醒.docx", write))
    [article] = draft.articles
    # 1: after paragraph 2, where it stood; 2: after 更多防骗知识 (3), not 2;
    # 3: under the subhead 三、 (one block back, none ahead): after 宣传海报 (5)
    assert [p.after_paragraph for p in article.photos] == [2, 3, 5]
    moved = [n for n in draft.notes if n.code == "import.photo-after-paragraph"]
    assert len(moved) == 2 and "picture 2 stood after a table" in moved[0].message \
        and "更多防骗知识" in moved[0].message and "subhead" in moved[1].message


def test_word_s_caption_numbers_are_left_out_unless_the_text_refers_to_them(
        tmp_path: Path) -> None:
    """The police notice's pictures had captions made with 插入题注: 「图1 9月12日，…」,
    「图2 民警向老人讲解…」. They printed with the numbers, and in the 4-page issue
    the photo guard set 图2 above 图1. The numbers go (with a note); where the text
    refers to a picture by its number (如图1所示) they stay."""

    def write(numbered_in_text: bool) -> Callable[[DocumentObject], None]:
        def body(doc: DocumentObject) -> None:
            doc.add_paragraph("近期辖区内连续发生多起冒充电商客服的电信网络诈骗案件"
                              + ("，如图1所示。" if numbered_in_text else "。"))
            for caption in ["图1 9月12日，民警在平南居民区开展反诈宣传",
                            "图 2：民警向老人讲解诈骗案例（摄影 倪振华）"]:
                doc.add_picture(io.BytesIO(photo_jpeg(600, 400)), width=Cm(6))
                doc.add_paragraph(caption, style="Caption")
            doc.add_paragraph("更多防骗知识请关注“闵行公安”微信公众号。")
        return body

    draft = read_docx(word_file(tmp_path / "反诈.docx", write(False)))
    [article] = draft.articles
    assert [(p.caption, p.credit) for p in article.photos] == [
        ("9月12日，民警在平南居民区开展反诈宣传", None), ("民警向老人讲解诈骗案例", "摄影 倪振华")]
    assert len([n for n in draft.notes if n.code == "import.caption-number"]) == 2
    kept = read_docx(word_file(tmp_path / "反诈2.docx", write(True)))
    assert [p.caption for p in kept.articles[0].photos] == [
        "图1 9月12日，民警在平南居民区开展反诈宣传", "图 2：民警向老人讲解诈骗案例"]
    assert not [n for n in kept.notes if n.code == "import.caption-number"]
