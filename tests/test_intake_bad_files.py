"""Files an office receives that cannot be imported: each gives one clear error that
names the file and says what to do, and the issue folder stays exactly as it was."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from .test_cli import run
from .word_files import (
    encrypted_docx,
    huge_png,
    make_article_docx,
    old_word_doc,
    photo_jpeg,
    zip_not_docx,
)

HEAD = ("# 新泾通讯 2024年第3期\n"
        "newsletter: 新泾通讯\npublisher: 长宁区新泾镇\n"
        "issue: {number: 3, date: 2024-03-10}\n"
        "articles:\n"
        "  - id: notice\n"
        "    title: 停水通知\n"
        "    body: 3月12日9:00—15:00仙霞路358弄停水。\n")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _doc(folder: Path) -> Path:
    return old_word_doc(folder / "居委会通知.doc")


def _wps(folder: Path) -> Path:
    return old_word_doc(folder / "活动总结.wps")


def _zip(folder: Path) -> Path:
    return zip_not_docx(folder / "照片.docx")


def _encrypted(folder: Path) -> Path:
    return encrypted_docx(folder / "加密稿件.docx", make_article_docx(folder / "plain.docx"))


def _huge_picture(folder: Path) -> Path:
    return make_article_docx(folder / "大图.docx", picture=huge_png(30_000, 30_000))


def _damaged(folder: Path) -> Path:
    whole = make_article_docx(folder / "whole.docx").read_bytes()
    target = folder / "损坏.docx"
    target.write_bytes(whole[: len(whole) // 2])
    return target


def _bomb(folder: Path) -> Path:
    """A .docx whose text part unpacks to 80 MiB of spaces (a zip bomb's shape)."""
    import zipfile

    target = folder / "炸弹.docx"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as part:
            for _ in range(80):
                part.write(b" " * 2**20)
    return target


def _empty(folder: Path) -> Path:
    from docx import Document

    target = folder / "空白.docx"
    Document().save(target)
    return target


def _encrypted_pdf(folder: Path) -> Path:
    import pikepdf
    from PIL import Image

    plain = folder / "plain.pdf"
    Image.new("RGB", (200, 200), "white").save(plain, "PDF")
    target = folder / "往期.pdf"
    with pikepdf.open(plain) as pdf:
        pdf.save(target, encryption=pikepdf.Encryption(owner="office", user="xinjing"))
    return target


def _photo(folder: Path) -> Path:
    target = folder / "合影.jpg"
    target.write_bytes(photo_jpeg(800, 600))
    return target


def _heic_photo(folder: Path) -> Path:
    """An iPhone photo sent as it is (IMG_2050.HEIC): a photo, not an unknown file."""
    import pillow_heif

    target = folder / "IMG_2050.HEIC"
    pillow_heif.from_pillow(Image.new("RGB", (640, 480), (60, 140, 140))).save(target)
    return target


def _webp_photo(folder: Path) -> Path:
    target = folder / "微信图片_20261206.webp"  # WeChat's "save image"
    Image.new("RGB", (640, 480), (200, 120, 40)).save(target, "WEBP")
    return target


def _bmp_picture(folder: Path) -> Path:
    target = folder / "截图.bmp"
    Image.new("RGB", (64, 48), (255, 255, 255)).save(target, "BMP")
    return target


def _rtf(folder: Path) -> Path:
    target = folder / "征文启事.docx"  # WPS's 格式文本 saved under a Word name
    target.write_bytes(rb"{\rtf1\ansi\ansicpg936\deff0{\fonttbl{\f0\fcharset134 SimSun;}}"
                       rb"\f0 \'d5\'f7\'ce\'c4\par}")
    return target


def _web_page(folder: Path) -> Path:
    target = folder / "敬老月活动.doc"  # Word's 另存为 → 网页, renamed
    target.write_text('<html xmlns:w="urn:schemas-microsoft-com:office:word"><head>'
                      '<meta charset="utf-8"></head><body><p>重阳节当天，社区为80岁以上老人'
                      '送上慰问品。</p></body></html>', encoding="utf-8")
    return target


def _odt(folder: Path) -> Path:
    import zipfile

    target = folder / "社区简讯.docx"
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return target


def _binary(folder: Path) -> Path:
    target = folder / "稿件.txt"
    target.write_bytes(b"\x00\x01\x02" * 1000)
    return target


CASES: dict[str, tuple[Callable[[Path], Path], str, str]] = {
    "doc": (_doc, "import.old-format", "另存为"),
    "wps": (_wps, "import.old-format", "另存为"),
    "zip": (_zip, "import.not-docx", ".docx"),
    "encrypted": (_encrypted, "import.encrypted", "password"),
    "huge picture": (_huge_picture, "import.picture", "60 MP"),
    "damaged": (_damaged, "import.damaged", "send or download it again"),
    "rtf": (_rtf, "import.other-format", "RTF"),
    "web page": (_web_page, "import.other-format", "web page"),
    "odt": (_odt, "import.not-docx", "OpenDocument"),
    "zip bomb": (_bomb, "import.too-large", "right file"),
    "empty": (_empty, "import.empty", "right file"),
    "encrypted pdf": (_encrypted_pdf, "import.encrypted", "password"),
    "photo": (_photo, "import.picture", "images/"),
    "heic photo": (_heic_photo, "import.picture", "images/"),
    "webp photo": (_webp_photo, "import.picture", "images/"),
    "bmp picture": (_bmp_picture, "import.picture", "images/"),
    "binary": (_binary, "import.not-text", ".docx"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_file_gives_one_clear_error_and_changes_nothing(tmp_path: Path, case: str) -> None:
    make, code, hint = CASES[case]
    sources = tmp_path / "sources"
    sources.mkdir()
    source = make(sources)
    issue = tmp_path / "issue"
    issue.mkdir()
    (issue / "issue.yaml").write_text(HEAD, encoding="utf-8")
    before = snapshot(issue)
    result = run("import", source, "--into", issue)
    assert result.returncode == 1, result.stdout + result.stderr
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 1, result.stderr
    assert source.name in errors[0] and f"[{code}]" in errors[0]
    assert hint in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(issue) == before


def test_a_text_that_starts_like_a_bmp_is_text(tmp_path: Path) -> None:
    from bulletin_press.intake.sources import kind_of

    source = tmp_path / "车主.txt"
    source.write_text("BMW车主俱乐部走进新泾镇\n\n12月6日，20余位车主为社区老人义务检修电动车。\n",
                      encoding="utf-8")
    assert kind_of(source) == "text"


def test_one_bad_file_among_good_ones_imports_nothing(tmp_path: Path) -> None:
    good = make_article_docx(tmp_path / "good.docx")
    bad = old_word_doc(tmp_path / "bad.doc")
    issue = tmp_path / "issue"
    issue.mkdir()
    (issue / "issue.yaml").write_text(HEAD, encoding="utf-8")
    before = snapshot(issue)
    result = run("import", good, bad, "--into", issue)
    assert result.returncode == 1
    assert "bad.doc" in result.stderr and "good.docx" not in result.stderr
    assert snapshot(issue) == before


def test_existing_files_are_never_overwritten(tmp_path: Path) -> None:
    source = make_article_docx(tmp_path / "canteen.docx")
    issue = tmp_path / "issue"
    (issue / "articles").mkdir(parents=True)
    (issue / "issue.yaml").write_text(HEAD, encoding="utf-8")
    (issue / "articles" / "canteen.md").write_text("编辑自己的稿子。\n", encoding="utf-8")
    result = run("import", source, "--into", issue)
    assert result.returncode == 0, result.stderr
    assert (issue / "articles" / "canteen.md").read_text(encoding="utf-8") == "编辑自己的稿子。\n"
    assert (issue / "articles" / "canteen-1.md").is_file()
    assert "added canteen-1:" in result.stdout


def test_a_folder_without_issue_yaml_is_refused(tmp_path: Path) -> None:
    source = make_article_docx(tmp_path / "canteen.docx")
    folder = tmp_path / "new-issue"
    folder.mkdir()
    result = run("import", source, "--into", folder)
    assert result.returncode == 1
    assert "[import.no-manifest]" in result.stderr and "articles" in result.stderr
    assert list(folder.iterdir()) == []


def test_an_issue_with_its_own_errors_gets_the_articles_and_is_told(tmp_path: Path) -> None:
    """The import adds the articles, then validation finds the issue's own mistake:
    exit 1, and the message does not claim nothing was written."""
    source = make_article_docx(tmp_path / "canteen.docx")
    issue = tmp_path / "issue"
    issue.mkdir()
    (issue / "issue.yaml").write_text(HEAD.replace("    body: 3月12日", "    body_file: 没有.md\n"
                                                   "    x: 3月12日"), encoding="utf-8")
    result = run("import", source, "--into", issue)
    assert result.returncode == 1
    assert "added canteen:" in result.stdout
    assert "nothing was written" not in result.stderr
    assert "the articles were added" in result.stderr and "[manifest." in result.stderr
    assert (issue / "articles" / "canteen.md").is_file()
