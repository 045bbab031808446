"""Pictures a contributor turned inside Word (a phone photo that showed sideways,
rotated with the picture's handle): Word keeps the file as it was and a rotation on
the picture's shape (`<a:xfrm rot="5400000">`, 60000ths of a degree, clockwise),
which mammoth does not pass on. The pictures are turned here as Word shows them."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path, PurePosixPath

from PIL import Image, ImageOps

_PIC = re.compile(r"<pic:pic\b.*?</pic:pic>", re.DOTALL)
_EMBED = re.compile(r'<a:blip\b[^>]*\br:embed="([^"]+)"')
_ROT = re.compile(r'<a:xfrm\b[^>]*\brot="(-?\d+)"')
_REL = re.compile(r'<Relationship\b[^>]*?\bId="([^"]+)"[^>]*?\bTarget="([^"]+)"')
_REL_REVERSED = re.compile(r'<Relationship\b[^>]*?\bTarget="([^"]+)"[^>]*?\bId="([^"]+)"')


def turns(path: Path) -> dict[str, int]:
    """The quarter turns clockwise (1, 2, 3) of each rotated picture, by the SHA-1 of
    its file; pictures not turned (or by other angles) are not listed."""
    try:
        with zipfile.ZipFile(path) as archive:
            document = archive.read("word/document.xml").decode("utf-8", "replace")
            rels = archive.read("word/_rels/document.xml.rels").decode("utf-8", "replace")
            targets = dict(_REL.findall(rels)) | {i: t for t, i in _REL_REVERSED.findall(rels)}
            found: dict[str, int] = {}
            for pic in _PIC.finditer(document):
                embed, rot = _EMBED.search(pic[0]), _ROT.search(pic[0])
                if embed is None or rot is None or embed[1] not in targets:
                    continue
                quarter = round(int(rot[1]) / 60000 / 90) % 4
                if not quarter or abs(int(rot[1]) / 60000 - 90 * round(int(rot[1]) / 5400000)) > 1:
                    continue
                name = str(PurePosixPath("word") / targets[embed[1]])
                data = archive.read(name)
                found[hashlib.sha1(data).hexdigest()] = quarter
            return found
    except (KeyError, OSError, ValueError, zipfile.BadZipFile):
        return {}


def turned(data: bytes, quarter: int) -> bytes:
    """The picture turned `quarter` quarter turns clockwise, as the camera's EXIF
    orientation and then Word's rotation show it; in its own format."""
    with Image.open(io.BytesIO(data)) as image:
        kind = image.format or "PNG"
        upright = ImageOps.exif_transpose(image)
        out_image = upright.rotate(-90 * quarter, expand=True)
        out = io.BytesIO()
        if kind == "JPEG":
            out_image.save(out, "JPEG", quality=92, dpi=image.info.get("dpi", (300, 300)))
        else:
            out_image.save(out, "PNG")
    return out.getvalue()
