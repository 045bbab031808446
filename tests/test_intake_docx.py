"""Word documents as contributors send them: imported, then built and read back
from the PDF."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
import yaml

from bulletin_press.intake.importer import import_sources
from bulletin_press.manifest.load import load_issue
from bulletin_press.pdf.text import page_texts

from .test_cli import run
from .word_files import (
    BOLD,
    BYLINE,
    CAPTION,
    FOOTNOTE,
    LIST_ITEMS,
    PARAGRAPHS,
    SUBTITLE,
    TABLE,
    TITLE,
    make_article_docx,
)

HEAD = ("newsletter: 新泾通讯\npublisher: 长宁区新泾镇\n"
        "issue: {number: 12, volume: 256, date: 2023-12-10}\n"
        "# The editor's own comment stays where it is.\n"
        "articles: []\n")


@pytest.fixture
def issue(tmp_path: Path) -> Path:
    folder = tmp_path / "2023-12"
    folder.mkdir()
    (folder / "issue.yaml").write_text(HEAD, encoding="utf-8")
    return folder


def test_word_document_becomes_an_article(tmp_path: Path, issue: Path) -> None:
    source = make_article_docx(tmp_path / "canteen.docx")
    result = import_sources([source], issue)
    assert [(a.id, a.body_file) for a in result.articles] == [("canteen",
                                                               "articles/canteen.md")]
    manifest = yaml.safe_load((issue / "issue.yaml").read_text(encoding="utf-8"))
    entry = manifest["articles"][0]
    assert (entry["title"], entry["subtitle"], entry["byline"]) == (TITLE, SUBTITLE, BYLINE)
    [photo] = entry["photos"]
    assert (photo["caption"], photo["credit"]) == (CAPTION, "摄影 李建国")
    assert (issue / photo["file"]).read_bytes()[:2] == b"\xff\xd8"  # the JPEG from Word
    body = (issue / "articles/canteen.md").read_text(encoding="utf-8")
    blocks = body.strip().split("\n\n")
    assert blocks[0] == PARAGRAPHS[0].replace(BOLD, f"**{BOLD}**")
    assert blocks[1] == "\n".join(f"- {item}" for item in LIST_ITEMS)
    assert blocks[2].splitlines()[0] == "| " + " | ".join(TABLE[0]) + " |"
    assert blocks[2].splitlines()[3] == "| " + " | ".join(TABLE[2]) + " |"
    assert blocks[3] == PARAGRAPHS[1] + "①"  # the footnote's marker
    assert blocks[4] == PARAGRAPHS[2]
    assert blocks[5] == f"注①：{FOOTNOTE}"  # the footnote, at the end
    assert "# The editor's own comment stays where it is.\n" in (
        issue / "issue.yaml").read_text(encoding="utf-8")
    codes = {n.code for n in result.notes}
    assert {"import.subtitle", "import.byline", "import.caption", "import.credit",
            "import.table", "import.footnote"} <= codes
    load_issue(issue)  # valid


def test_picture_without_caption_gets_a_note_and_a_placeholder_caption(
        tmp_path: Path, issue: Path) -> None:
    from docx import Document

    from .word_files import photo_jpeg

    source = tmp_path / "no-caption.docx"
    doc = Document()
    doc.add_paragraph("社区义诊活动", style="Title")
    doc.add_paragraph("上周六，仙霞社区卫生服务中心的医生为居民义诊。")
    import io
    doc.add_picture(io.BytesIO(photo_jpeg()))
    doc.add_paragraph("共有120位居民接受了检查。")
    doc.save(source)
    result = import_sources([source], issue)
    entry = yaml.safe_load((issue / "issue.yaml").read_text(encoding="utf-8"))["articles"][0]
    assert entry["title"] == "社区义诊活动"
    assert entry["photos"][0]["caption"] == "图片说明待补"
    assert (entry["photos"][0]["placement"], entry["photos"][0]["after_paragraph"]) == (
        "inline", 1)
    checks = [n for n in result.notes if n.code == "import.no-caption"]
    assert len(checks) == 1 and checks[0].severity == "warning"
    assert checks[0].message.startswith("picture 1 has no caption")  # which one


@pytest.mark.slow
def test_imported_word_document_prints(tmp_path: Path, issue: Path) -> None:
    source = make_article_docx(tmp_path / "长者食堂.docx")
    result = run("import", source, "--into", issue)
    assert result.returncode == 0, result.stderr
    assert f"added 长者食堂: {TITLE} (" in result.stdout  # the id is the file's name
    assert "ok (1 article)" in result.stdout
    assert (issue / "articles" / "长者食堂.md").is_file()
    assert [p.name for p in (issue / "images").glob("长者食堂-*")] == ["长者食堂-1.jpg"]
    target = tmp_path / "out.pdf"
    built = run("build", issue, "-o", target, "-j", "1")
    assert built.returncode == 0, built.stderr
    with pdfplumber.open(target) as pdf:
        images = [image for page in pdf.pages for image in page.images]
        words = pdf.pages[0].extract_words(keep_blank_chars=False)
    text = "".join(page_texts(target))  # in reading order, without spaces
    squeeze = "".join
    assert squeeze(TITLE.split()) in text
    # The paragraphs in order, each whole (the PDF's text joins lines without spaces).
    positions = [text.index(squeeze(p.split())[:24]) for p in PARAGRAPHS]
    assert positions == sorted(positions)
    for row in TABLE:  # the table's cells, row by row, left to right
        cells = [text.index(cell) for cell in row]
        assert cells == sorted(cells)
    assert squeeze(FOOTNOTE.split()) in text
    # The photo, with its caption right under it.
    assert len(images) == 1
    caption = next(w for w in words if w["text"].startswith(CAPTION[:6]))
    image = images[0]
    assert image["x0"] - 1 <= caption["x0"] and caption["top"] >= image["bottom"] - 40
    assert CAPTION in text and "摄影李建国" in text
    # And back: the printed article imported from its PDF.
    back = tmp_path / "back"
    back.mkdir()
    (back / "issue.yaml").write_text(HEAD, encoding="utf-8")
    again = import_sources([target], back)
    [article] = load_issue(back).manifest.articles
    assert (article.title, article.subtitle, article.byline) == (TITLE, SUBTITLE, BYLINE)
    assert [(p.caption, p.credit) for p in article.photos] == [(CAPTION, "摄影 李建国")]
    first = load_issue(issue)
    blocks = load_issue(back).bodies[article.id].strip().split("\n\n")
    expected = first.bodies[first.manifest.articles[0].id].strip().split("\n\n")
    # The bold is a font in the PDF, not marks; the table prints as the layout sets it.
    assert blocks[0] == expected[0].replace("**", "")
    assert blocks[1] == expected[1]  # the list, item by item
    assert blocks[-3:] == expected[-3:]  # paragraphs after the table, the footnote
    assert "import.byline" in {n.code for n in again.notes}


@pytest.mark.parametrize(("first", "properties", "title"), [
    ("关于开展冬季消防安全检查的通知", None, "关于开展冬季消防安全检查的通知"),
    ("各位居民：为确保冬季用火用电安全，居委会将于12月5日起开展入户检查，请予以配合。",
     "冬季消防安全检查", "冬季消防安全检查"),
])
def test_document_without_headings(tmp_path: Path, issue: Path, first: str,
                                   properties: str | None, title: str) -> None:
    from docx import Document

    source = tmp_path / "notice.docx"
    doc = Document()
    if properties:
        doc.core_properties.title = properties
    rest = ["检查时间：12月5日至12月20日，每天9:00—17:00。", "联系电话：021-62591234。"]
    for text in (first, *rest):
        doc.add_paragraph(text)
    doc.save(source)
    result = import_sources([source], issue)
    [article] = load_issue(issue).manifest.articles
    assert article.title == title
    body = load_issue(issue).bodies[article.id].strip().split("\n\n")
    assert body[-2:] == rest
    assert (body[0] == first) == (first != title)  # a long first line stays text
    assert [n.code for n in result.notes if n.severity == "warning"] == ["import.title"]


def test_a_linked_picture_is_never_fetched(tmp_path: Path, issue: Path) -> None:
    """A picture linked to a file outside the document (it could be any path or
    address) is left out with a note; the file it names is not read."""
    import re
    import zipfile

    from .word_files import photo_jpeg

    secret = tmp_path / "secret.jpg"
    secret.write_bytes(photo_jpeg(600, 400))
    source = make_article_docx(tmp_path / "linked.docx", footnote=False)
    with zipfile.ZipFile(source) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    rels = parts["word/_rels/document.xml.rels"].decode()
    rels, count = re.subn(r'Target="media/[^"]+"', f'Target="{secret.as_uri()}" '
                          'TargetMode="External"', rels)
    assert count == 1
    parts["word/_rels/document.xml.rels"] = rels.encode()
    parts["word/document.xml"] = parts["word/document.xml"].replace(b"r:embed=", b"r:link=")
    with zipfile.ZipFile(source, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    result = import_sources([source], issue)
    [article] = load_issue(issue).manifest.articles
    assert article.photos == []
    assert "import.linked-picture" in [n.code for n in result.notes]
    assert not (issue / "images").exists()


@pytest.mark.parametrize("headline", [
    "英国志愿者Alexander Montgomery-Fitzwilliam：我在新泾学包汤圆",
    "元宵游园会开始报名 登录https://yuanxiao.xinjing.sh.cn/2027/signup即可预约",
    "新春走访暖人心 邻里守望过大年",
])
def test_a_headline_made_with_direct_formatting_and_its_dash_subtitle(
        tmp_path: Path, issue: Path, headline: str) -> None:
    """Contributors make a headline bold 16 pt in a Normal paragraph and type the 副题
    under it starting with ——. A long English name or a web address made the headline
    longer than 40 characters: it stayed in the body, in bold, and the file name was the
    title; the —— line was set as the first paragraph."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    source = tmp_path / "洋邻居.docx"
    doc = Document()
    head = doc.add_paragraph()
    run = head.add_run(headline)
    run.bold, run.font.size = True, Pt(16)
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph("——北新泾社区“洋邻居学包汤圆”活动侧记")
    doc.add_paragraph("通讯员 韩磊")
    text = ["　　“Sticky, but delicious!”1月29日下午，来自英国曼彻斯特的Alexander "
            "Montgomery-Fitzwilliam（中文名蒙亚历）捏着一个有点歪的汤圆，笑着对大家说。",
            "　　活动还吸引了来自日本、韩国、法国和巴西的12位外籍居民参加，咨询电话021-62385230。"]
    for paragraph in text:
        doc.add_paragraph(paragraph)
    doc.save(source)
    result = import_sources([source], issue)
    loaded = load_issue(issue)
    [article] = loaded.manifest.articles
    assert article.title == headline
    assert article.subtitle == "——北新泾社区“洋邻居学包汤圆”活动侧记"
    assert article.byline == "通讯员 韩磊"
    body = loaded.bodies[article.id]
    assert "**" not in body and headline not in body and "侧记" not in body
    unindented = [paragraph.lstrip("\u3000") for paragraph in body.strip().split("\n\n")]
    assert unindented == [paragraph.lstrip("\u3000") for paragraph in text]
    assert "import.subtitle" in {n.code for n in result.notes}


def test_a_hand_made_headline_on_two_bold_lines(tmp_path: Path, issue: Path) -> None:
    """A headline typed on two lines, each bold 16 pt (凝心聚力谱新篇 / 新泾镇召开2027年
    春节团拜会): the second printed as a bold first paragraph, and the reporter's line under
    it was no longer right under the title. A bold 一、… opening the text stays a subhead."""
    from docx import Document
    from docx.shared import Pt

    source = tmp_path / "团拜会.docx"
    doc = Document()
    doc.add_paragraph("")  # the empty first line many documents start with
    for line in ("凝心聚力谱新篇", "新泾镇召开2027年春节团拜会"):
        run = doc.add_paragraph().add_run(line)
        run.bold, run.font.size = True, Pt(16)
    doc.add_paragraph("记者 沈佳怡")
    doc.add_paragraph().add_run("一、回顾2026").bold = True
    text = "1月30日上午，新泾镇2027年春节团拜会在仙霞西路750号举行，200余人参加。"
    doc.add_paragraph(text)
    doc.save(source)
    result = import_sources([source], issue)
    loaded = load_issue(issue)
    [article] = loaded.manifest.articles
    assert (article.title, article.subtitle, article.byline) == (
        "凝心聚力谱新篇", "新泾镇召开2027年春节团拜会", "记者 沈佳怡")
    [guess] = [n for n in result.notes if n.code == "import.subtitle"]
    assert guess.severity.name == "WARNING"  # a bold line there may be a label (编者按)
    assert loaded.bodies[article.id].strip().split("\n\n") == ["### 一、回顾2026", text]
