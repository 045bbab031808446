"""What a photo file is, from its first bytes: the manifest names every photo that
is not a JPEG or PNG together with its missing files (all problems at once), before
layout decodes the ones that are (layout/photos.py)."""

from __future__ import annotations

from pathlib import Path

from bulletin_press.diagnostics import Diagnostic, Location, error
from bulletin_press.i18n import _

# ISO media brands of HEIF pictures: what iPhones (and many Android phones) save.
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
_OTHER_IMAGES = ((b"GIF8", "GIF"), (b"II*\x00", "TIFF"), (b"MM\x00*", "TIFF"), (b"BM", "BMP"))


def is_jpeg_or_png(head: bytes) -> bool:
    return head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n"))


def first_bytes(path: Path) -> bytes | None:
    """What a file's format is known by; None when it cannot be read."""
    try:
        with path.open("rb") as handle:
            return handle.read(16)
    except OSError:
        return None


def not_a_photo(path: Path) -> str | None:
    """Why the file at `path` cannot be a printable photo, in the editor's words, or
    None when it starts as a JPEG or PNG does, is a phone's HEIC photo (printed from a
    JPEG made of it, layout/photos.py) or cannot be read (said elsewhere)."""
    head = first_bytes(path)
    if head is None or is_jpeg_or_png(head) or (is_heif(head) and _opens_as_heif(path)):
        return None
    return describe(head)


def _opens_as_heif(path: Path) -> bool:
    """Can the HEIF file's structure be read (its pixels are decoded by layout)?"""
    import pillow_heif

    try:
        pillow_heif.open_heif(path)
    except (OSError, ValueError, RuntimeError, SyntaxError):
        return False
    return True


def is_heif(head: bytes) -> bool:
    """A HEIF picture (a phone's HEIC photo), from its first 12 bytes."""
    return head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS


def describe(head: bytes) -> str:
    """What a file that is no JPEG or PNG is: a phone's HEIC photo is a photo, just not
    one the printer takes."""
    if is_heif(head):
        return _("the photo is HEIC, the format of iPhones and many other phones, which "
                 "cannot be printed; send it again as JPEG (on an iPhone: 设置 → 相机 → "
                 "格式 → 兼容性最佳, or share it as 照片 in WeChat)")
    if head.startswith(b"%PDF"):
        return _("the file is a PDF document, not a photo")
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return _("the file is {format}; use JPEG or PNG").format(format="WEBP")
    for magic, name in _OTHER_IMAGES:
        if head.startswith(magic):
            return _("the file is {format}; use JPEG or PNG").format(format=name)
    return _("the file is not an image (JPEG or PNG)")


def unusable_photo(file: str, reason: str, location: Location) -> Diagnostic:
    return error("photo.unreadable", _("photo '{file}' cannot be used: {reason}").format(
        file=file, reason=reason), location,
        _("export the photo again as JPEG (sRGB) from the camera or phone"))
