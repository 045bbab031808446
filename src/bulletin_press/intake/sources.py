"""Which kind of source a file is, found from its first bytes (not its name), and the
clear refusal of what cannot be read: old Word and WPS files, password-protected or
damaged documents."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Literal

from bulletin_press.diagnostics import BuildError, Location, error
from bulletin_press.i18n import _

SourceKind = Literal["docx", "pdf", "text"]

MAX_SOURCE_BYTES = 200 * 1024 * 1024  # a Word file with its photos; larger is not an article
MAX_UNPACKED = 4 * MAX_SOURCE_BYTES
MAX_XML = 64 * 1024 * 1024  # one part of text read whole into memory
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003, WPS, and encrypted Office files

def save_as_docx() -> str:
    """The hint for every Word file the import cannot read."""
    return _("open it in Word or WPS and save it again with 文件 → 另存为 → "
             "“Word 文档 (*.docx)”, then import the .docx")


def refuse(path: Path, code: str, message: str, hint: str | None = None) -> BuildError:
    return BuildError([error(f"import.{code}", message, Location(path), hint)])


def kind_of(path: Path) -> SourceKind:
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            start = handle.read(512)
        head = start[:8]
    except OSError as exc:
        raise refuse(path, "unreadable", _("cannot read the file: {reason}").format(
            reason=exc.strerror or exc)) from None
    if size > MAX_SOURCE_BYTES:
        raise refuse(path, "too-large", _("the file is {size} MiB; the limit is {limit} MiB")
                     .format(size=size // 2**20, limit=MAX_SOURCE_BYTES // 2**20))
    if head.startswith(_OLE2):
        raise _ole2_refusal(path)
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        _check_docx(path)
        return "docx"
    if _is_picture(start):
        raise refuse(path, "picture", _("the file is a picture, not an article"),
                     _("copy it into the issue's images/ folder and add it to an article's "
                       "photos: with its caption"))
    other = _other_format(start)
    if other is not None:
        raise refuse(path, "other-format", other, save_as_docx())
    if path.suffix.lower() in (".doc", ".wps", ".docx", ".pdf", ".rtf", ".odt"):
        raise refuse(path, "damaged", _("the file is not a {kind} document: it is damaged "
                                        "or something else renamed").format(
                                            kind=path.suffix.lower().lstrip(".")),
                     save_as_docx())
    with path.open("rb") as handle:
        if b"\x00" in handle.read(8192):  # no text file holds NUL bytes
            raise refuse(path, "not-text", _("the file is not text, a Word document or a PDF"),
                         _("import .docx Word documents, back-issue text files or PDFs"))
    return "text"


# A phone's HEIC (and AVIF) photo: an ISO box "ftyp" with an image brand.
_HEIF_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs",
                b"mif1", b"msf1", b"avif", b"avis")


def _is_picture(start: bytes) -> bool:
    """JPEG, PNG, GIF, TIFF; a phone's HEIC, WebP (WeChat saves them), BMP (with its
    reserved bytes zero, so a text that starts with "BM" stays text)."""
    return (start.startswith((b"\xff\xd8", b"\x89PNG", b"GIF8", b"II*\x00", b"MM\x00*"))
            or (start[4:8] == b"ftyp" and start[8:12] in _HEIF_BRANDS)
            or (start[:4] == b"RIFF" and start[8:12] == b"WEBP")
            or (start[:2] == b"BM" and start[6:10] == b"\0\0\0\0"))


def _other_format(start: bytes) -> str | None:
    """What Word and WPS also save under a .doc name and the import cannot read: RTF
    (格式文本), a web page (网页, .mht), Word 2003 XML."""
    text = start.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"{\\rtf"):
        return _("the file is an RTF document (格式文本 RTF), which the import cannot read")
    if text.startswith((b"<html", b"<!doctype html", b"mime-version:")) \
            or (text.startswith(b"<?xml") and b"word.document" in text):
        return _("the file is a web page or XML saved by Word (网页, .mht, .xml), which "
                 "the import cannot read")
    return None


def _ole2_refusal(path: Path) -> BuildError:
    # An encrypted .docx is an OLE2 container holding "EncryptedPackage"; the
    # directory entries name their streams in UTF-16.
    data = path.read_bytes()
    if "EncryptedPackage".encode("utf-16-le") in data:
        return refuse(path, "encrypted", _("the document is protected by a password"),
                      _("open it in Word, remove the password (文件 → 信息 → 保护文档 → "
                        "用密码进行加密, clear the password) and save it as .docx"))
    if path.suffix.lower() == ".wps":
        return refuse(path, "old-format", _("the file is a WPS document (.wps), which the "
                                            "import cannot read"), save_as_docx())
    return refuse(path, "old-format", _("the file is an old Word 97-2003 document (.doc), "
                                        "which the import cannot read"), save_as_docx())


def _check_docx(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            # Sizes as the archive states them; a zip bomb is refused before any
            # part is unpacked.
            unpacked = sum(info.file_size for info in archive.infolist())
            largest_xml = max((info.file_size for info in archive.infolist()
                               if info.filename.endswith(".xml")), default=0)
            broken = (archive.testzip() if "word/document.xml" in names
                      and unpacked <= MAX_UNPACKED and largest_xml <= MAX_XML else None)
    except (zipfile.BadZipFile, OSError, ValueError):
        # It starts as a zip (PK) but its end, the table of its parts, is missing:
        # a download or transfer that stopped half way.
        raise refuse(path, "damaged", _("the file is cut off or damaged: it starts like a "
                                        "Word document, but its end is missing"),
                     _("send or download it again (a transfer that stopped half way cuts a "
                       "file short); if it still fails, open it in Word or WPS and save it "
                       "again as .docx")) from None
    if "word/document.xml" not in names:
        what = (_("a spreadsheet or presentation") if {"xl/workbook.xml", "ppt/presentation.xml"}
                & names else _("an OpenDocument text (.odt)") if "content.xml" in names
                else _("a zip archive"))
        raise refuse(path, "not-docx", _("the file is {what}, not a Word document").format(
            what=what), _("import .docx Word documents, back-issue text files or PDFs"))
    if unpacked > MAX_UNPACKED or largest_xml > MAX_XML:
        raise refuse(path, "too-large", _("the document unpacks to {size} MiB; the limit is "
                                          "{limit} MiB").format(
                                              size=unpacked // 2**20,
                                              limit=MAX_UNPACKED // 2**20),
                     _("a document's text is a few MiB; its pictures may be larger, but "
                       "not this: is it the right file?"))
    if broken is not None:
        raise refuse(path, "damaged", _("the file is damaged (part '{part}' cannot be read)")
                     .format(part=broken), save_as_docx())
