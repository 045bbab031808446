"""Photo inspection before layout: size, orientation, colour mode, resolution.

Only headers are read here (Pillow decodes lazily), so a huge or hostile file
costs nothing until it is refused.
"""

from __future__ import annotations

import functools
import io
import math
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bulletin_press.i18n import _
from bulletin_press.manifest.photo_files import describe, first_bytes, is_heif

MAX_PIXELS = 60_000_000  # a 60 MP photo is far beyond what a column needs at 300 ppi
_ROTATED = {5, 6, 7, 8}  # EXIF orientations that swap width and height


@dataclass(frozen=True)
class ImageInfo:
    path: Path
    width: int  # as displayed, EXIF orientation applied
    height: int
    mode: str
    format: str
    dpi: float | None = None  # the resolution the file says it has, if any
    heic: bool = False  # a phone's HEIC photo, printed from a JPEG made of it

    @property
    def aspect(self) -> float:
        return self.width / self.height


class ImageProblem(Exception):
    """The file cannot be used as a photo; the message says why in plain words."""


@contextmanager
def _strict_decoding() -> Iterator[None]:
    """WeasyPrint tells Pillow to accept truncated images (the missing part prints
    grey); we want to know."""
    from PIL import ImageFile

    previous = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = previous


def inspect_image(path: Path) -> ImageInfo:
    """Checked once per version of the file: decoding a photo is the slow part."""
    try:
        stat = path.stat()
    except OSError:
        return _inspect(path, 0, 0)
    return _inspect(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=256)
def _inspect(path: Path, mtime_ns: int, size: int) -> ImageInfo:
    # Pillow is imported here, by the first photo: an issue of text alone (and the
    # build's first page runs) need not wait for it.
    from PIL import Image, UnidentifiedImageError

    converted = printable(path)

    def source() -> Path | io.BytesIO:
        return path if converted is None else io.BytesIO(converted)

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(source()) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise ImageProblem(
                        _("the image is {width}×{height} pixels ({mp:.0f} million); the limit "
                          "is {limit:.0f} million").format(
                            width=width, height=height, mp=width * height / 1e6,
                            limit=MAX_PIXELS / 1e6))
                if image.format not in ("JPEG", "PNG"):
                    raise ImageProblem(_("the file is {format}; use JPEG or PNG").format(
                        format=image.format))
                orientation = image.getexif().get(0x0112, 1)
                mode, fmt = image.mode, image.format
                stated = image.info.get("dpi")
            with Image.open(source()) as image:
                image.verify()  # checks structure; must come straight after open
            with Image.open(source()) as image, _strict_decoding():
                # A truncated JPEG passes verify(); decoding finds it, at an eighth
                # of the size as well (the whole stream is read; ~4x faster).
                image.draft(image.mode, (image.width // 8, image.height // 8))
                image.load()
    except ImageProblem:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageProblem(_("the image is too large to open safely ({reason})").format(
            reason=exc)) from None
    except UnidentifiedImageError:
        raise ImageProblem(_unidentified(path)) from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise ImageProblem(_("the image file is damaged ({reason})").format(
            reason=exc)) from None
    if orientation in _ROTATED:
        width, height = height, width
    if width < 1 or height < 1:
        raise ImageProblem(_("the image has no pixels"))
    dpi = float(stated[0]) if stated and float(stated[0]) > 1 else None
    return ImageInfo(path, width, height, mode, fmt or "", dpi, heic=converted is not None)


def printable(path: Path) -> bytes | None:
    """The JPEG made from the HEIC photo at `path` (once per version of the file), or
    None when the file is no HEIC photo; ImageProblem when it cannot be read."""
    head = first_bytes(path)
    if head is None or not is_heif(head):
        return None
    stat = path.stat()
    return _heic_jpeg(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _heic_jpeg(path: Path, mtime_ns: int, size: int) -> bytes:
    return heic_as_jpeg(path.read_bytes())


def _unidentified(path: Path) -> str:
    """What a file Pillow cannot read is (manifest/photo_files.py says it in words)."""
    return describe(first_bytes(path) or b"")


# What a phone's HEIC photo is called by the programs that hold it (Word's package,
# a mail attachment).
HEIF_TYPES = frozenset({"image/heic", "image/heif", "image/heic-sequence",
                        "image/heif-sequence"})


def heic_as_jpeg(data: bytes) -> bytes:
    """A phone's HEIC photo (iPhones save them) as a JPEG the printer takes: upright as
    the phone showed it, its colour profile kept; ImageProblem if it cannot be read
    or is too large. pillow-heif decodes it (libheif, in its wheel)."""
    import pillow_heif

    try:
        heif = pillow_heif.open_heif(io.BytesIO(data), convert_hdr_to_8bit=True)
        width, height = heif.size
        if width * height > MAX_PIXELS:
            raise ImageProblem(_("the image is {width}×{height} pixels ({mp:.0f} million); the "
                                 "limit is {limit:.0f} million").format(
                                     width=width, height=height, mp=width * height / 1e6,
                                     limit=MAX_PIXELS / 1e6))
        image = heif.to_pillow()
    except ImageProblem:
        raise
    except (OSError, ValueError, RuntimeError) as exc:
        raise ImageProblem(_("the HEIC photo cannot be read ({reason})").format(
            reason=exc)) from None
    profile = image.info.get("icc_profile")
    out = io.BytesIO()
    # No resolution is written: a phone states none that means anything for print.
    image.convert("RGB").save(out, "JPEG", quality=92,
                              **({"icc_profile": profile} if profile else {}))
    image.close()
    return out.getvalue()


# A photo with more pixels than the print can show is embedded smaller: a 50 MP phone
# photo in a column printed at ~2400 ppi and was 6.1 MB of a 9.1 MB PDF, too large to
# mail to the print shop. Print needs 300 ppi (PPI_WARNING, the print shop's ask); a
# photo that would print at more than DOWNSAMPLE_ABOVE ppi at the largest size the page
# plan may give it is embedded at EMBED_PPI there (the prepress rule "above 450 ppi,
# down to 300", with room: printed up to 1.5 times larger still gives 300 ppi). Only
# JPEG photos (a phone's, a camera's, a HEIC photo's JPEG) in RGB or grey: a PNG logo or
# chart keeps its exact pixels, a CMYK file its separation.
DOWNSAMPLE_ABOVE = 600.0
EMBED_PPI = 450.0


def embed_scale(info: ImageInfo, width_pt: float, height_pt: float) -> float:
    """The share of its pixels a photo is embedded with (1: as it is) when it covers
    a box of `width_pt` × `height_pt` at most (object-fit: cover)."""
    if (info.format not in ("JPEG", "MPO") and not info.heic) or info.mode not in ("RGB", "L"):
        return 1.0
    ppi = min(72 * info.width / width_pt, 72 * info.height / height_pt)
    if ppi <= DOWNSAMPLE_ABOVE:
        return 1.0
    return math.ceil(EMBED_PPI / ppi * 10_000) / 10_000  # never under EMBED_PPI


def embedded(data: bytes, scale: float) -> bytes:
    """The JPEG `data` with its pixels scaled by `scale` (< 1), as a JPEG: its colour
    profile and EXIF (the orientation the phone stored) kept. Decoded at the nearest
    larger DCT scale (draft), then resampled (Lanczos). `data` unchanged if it is not
    a JPEG in RGB or grey, or the scale takes nothing off."""
    from PIL import Image

    with _strict_decoding(), Image.open(io.BytesIO(data)) as image:
        if image.format not in ("JPEG", "MPO") or image.mode not in ("RGB", "L"):
            return data
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        if size[0] >= image.width:
            return data
        exif, profile = image.info.get("exif"), image.info.get("icc_profile")
        image.draft(image.mode, size)
        small = image.resize(size, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    small.save(out, "JPEG", quality=92, **({"exif": exif} if exif else {}),
               **({"icc_profile": profile} if profile else {}))
    return out.getvalue()


@functools.lru_cache(maxsize=8)
def embedded_file(path: Path, mtime_ns: int, size: int, scale: float) -> bytes:
    """`embedded` of the file at `path` (once per version of the file and scale in a
    process: each round of the page plan typesets the photo again); a HEIC photo's JPEG."""
    return embedded(printable(path) or path.read_bytes(), scale)
