"""Pictures as Word shows them, not as it stores them. Word keeps the file as it was
inserted and puts what the contributor did to it on the picture's shape, which
mammoth does not pass on:

- turned with the picture's handle (a phone photo that showed sideways):
  `<a:xfrm rot="5400000">`, 60000ths of a degree, clockwise;
- cropped with 裁剪 (a stranger's face cut off, a banner's edge): `<a:srcRect l="12500"
  t="0" r="8000" b="20000"/>` on the picture's fill, each side in 1000ths of a per cent
  of the picture (negative: room added around it, which a page does not need).

Here the pictures are cropped and turned as Word shows them."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from PIL import Image, ImageOps

_PIC = re.compile(r"<pic:pic\b.*?</pic:pic>", re.DOTALL)
_EMBED = re.compile(r'<a:blip\b[^>]*\br:embed="([^"]+)"')
_ROT = re.compile(r'<a:xfrm\b[^>]*\brot="(-?\d+)"')
_SRC_RECT = re.compile(r"<a:srcRect\b([^>]*)/?>")
_SIDE = re.compile(r'\b([ltrb])="(-?\d+)"')
_REL = re.compile(r'<Relationship\b[^>]*?\bId="([^"]+)"[^>]*?\bTarget="([^"]+)"')
_REL_REVERSED = re.compile(r'<Relationship\b[^>]*?\bTarget="([^"]+)"[^>]*?\bId="([^"]+)"')
_WHOLE = 100_000  # srcRect's unit: 1000ths of a per cent
MIN_KEPT = 0.02  # a crop that keeps less of a side than this is a slip: not applied


@dataclass(frozen=True)
class Shape:
    """What Word does to a picture: quarter turns clockwise (0-3), and the part of
    each side cut off (left, top, right, bottom, fractions of the picture), if any."""

    quarter: int = 0
    crop: tuple[float, float, float, float] | None = None

    @property
    def kept(self) -> float:
        """How much of the picture's area is shown."""
        if self.crop is None:
            return 1.0
        left, top, right, bottom = self.crop
        return (1 - left - right) * (1 - top - bottom)


def shapes(path: Path) -> dict[str, Shape]:
    """The shape of each picture turned or cropped in the document, by the SHA-1 of
    its file; pictures shown as stored (or turned by other angles) are not listed."""
    try:
        with zipfile.ZipFile(path) as archive:
            document = archive.read("word/document.xml").decode("utf-8", "replace")
            rels = archive.read("word/_rels/document.xml.rels").decode("utf-8", "replace")
            targets = dict(_REL.findall(rels)) | {i: t for t, i in _REL_REVERSED.findall(rels)}
            found: dict[str, Shape] = {}
            for pic in _PIC.finditer(document):
                embed = _EMBED.search(pic[0])
                if embed is None or embed[1] not in targets:
                    continue
                shape = Shape(_quarter(pic[0]), _crop(pic[0]))
                if shape == Shape():
                    continue
                data = archive.read(str(PurePosixPath("word") / targets[embed[1]]))
                found.setdefault(hashlib.sha1(data).hexdigest(), shape)
            return found
    except (KeyError, OSError, ValueError, zipfile.BadZipFile):
        return {}


def _quarter(pic: str) -> int:
    rot = _ROT.search(pic)
    if rot is None:
        return 0
    degrees = int(rot[1]) / 60000
    if abs(degrees - 90 * round(degrees / 90)) > 1:
        return 0  # a picture set at a slant: left as stored
    return round(degrees / 90) % 4


def _crop(pic: str) -> tuple[float, float, float, float] | None:
    rect = _SRC_RECT.search(pic)
    if rect is None:
        return None
    sides = {side: max(0, int(value)) / _WHOLE for side, value in _SIDE.findall(rect[1])}
    crop = (sides.get("l", 0.0), sides.get("t", 0.0), sides.get("r", 0.0), sides.get("b", 0.0))
    if not any(crop) or crop[0] + crop[2] > 1 - MIN_KEPT or crop[1] + crop[3] > 1 - MIN_KEPT:
        return None
    return crop


def shaped(data: bytes, shape: Shape) -> bytes:
    """The picture as Word shows it: the camera's EXIF orientation applied, cropped,
    then turned; in its own format (a JPEG once re-encoded, its colour profile kept)."""
    with Image.open(io.BytesIO(data)) as image:
        kind = image.format or "PNG"
        dpi = image.info.get("dpi", (300, 300))
        profile = image.info.get("icc_profile")
        out_image = ImageOps.exif_transpose(image)
        if shape.crop is not None:
            left, top, right, bottom = shape.crop
            w, h = out_image.size
            out_image = out_image.crop((round(w * left), round(h * top),
                                        round(w * (1 - right)), round(h * (1 - bottom))))
        if shape.quarter:
            out_image = out_image.rotate(-90 * shape.quarter, expand=True)
        out = io.BytesIO()
        extra = {"icc_profile": profile} if profile else {}
        if kind == "JPEG":
            out_image.save(out, "JPEG", quality=92, dpi=dpi, **extra)
        else:
            out_image.save(out, "PNG", **extra)
    return out.getvalue()
