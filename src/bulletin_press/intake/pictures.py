"""Pictures found in a source: checked by the same photo guard as any photo of an
issue before anything is written, stored as JPEG or PNG; placeholders where a back
issue names a photo the text does not carry."""

from __future__ import annotations

import io
import subprocess
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from bulletin_press.diagnostics import BuildError, Location, error
from bulletin_press.i18n import _
from bulletin_press.layout.photos import (
    HEIF_TYPES,
    MAX_PIXELS,
    ImageProblem,
    heic_as_jpeg,
    inspect_image,
)
from bulletin_press.manifest.photo_files import is_heif

# What Word may hold that Pillow reads and the layout does not: made PNG.
_CONVERTIBLE = {"image/gif", "image/bmp", "image/tiff", "image/x-ms-bmp", "image/webp"}
_KEPT = {"image/jpeg": ".jpg", "image/png": ".png"}
PLACEHOLDER_SIZE = (2400, 1600)  # 300 ppi across a 203 mm wide page, as the sample's


def drawing_kind(content_type: str) -> str | None:
    """"EMF", "WMF", "SVG" for the drawings Word shows and a page cannot (charts pasted
    from Excel or WPS, clip art), else None."""
    kind = content_type.rpartition("/")[2].removeprefix("x-").split("+")[0].upper()
    return kind if kind in ("EMF", "WMF", "SVG") else None


def checked_picture(data: bytes, content_type: str, source: Path, label: str
                    ) -> tuple[bytes, str]:
    """The picture as JPEG or PNG bytes and its suffix, or a BuildError naming the
    source and the picture (over 60 MP, damaged, not an image)."""
    if content_type in HEIF_TYPES or is_heif(data[:12]):
        try:
            data = heic_as_jpeg(data)
        except ImageProblem as exc:
            raise _problem(source, label, str(exc), _(
                "in Word, replace it by the photo saved as JPEG")) from None
        content_type = "image/jpeg"
    elif content_type in _CONVERTIBLE:
        data = _as_png(data, source, label)
        content_type = "image/png"
    suffix = _KEPT.get(content_type)
    if suffix is None:
        raise _problem(source, label, _("it is {kind}, which cannot be printed").format(
            kind=content_type), _("in Word, right-click the picture → 另存为图片 as PNG or "
                                  "JPEG, and insert that instead"))
    if suffix == ".png":
        jpeg = photo_png_as_jpeg(data)
        if jpeg is not None:
            data, suffix = jpeg, ".jpg"
    with tempfile.TemporaryDirectory(prefix="bulletin-press-import-") as folder:
        path = Path(folder) / f"picture{suffix}"
        path.write_bytes(data)
        try:
            inspect_image(path)
        except ImageProblem as exc:
            raise _problem(source, label, str(exc), _(
                "replace it in the document by a photo of at most {limit} MP, e.g. "
                "3000×2000 pixels").format(limit=MAX_PIXELS // 1_000_000)) from None
    return data, suffix


# A photo pasted into Word is kept as PNG (Word on Windows stores a pasted picture so;
# TIFF and WebP photos are made PNG above). In a PDF a PNG is deflated pixels: a 12 MP
# photo is ~12 MB of the PDF and costs every typesetting of its page seconds to compress
# again. A large, opaque PNG of many colours is a photo: stored as a print-quality JPEG.
# Screenshots, charts and scans of text have few colours (and edges JPEG would smear).
PHOTO_PNG_PIXELS = 1_000_000
_PHOTO_COLOURS = 1_000  # distinct colours in a 128×128 sample of its pixels (of 16,384)
PHOTO_JPEG_QUALITY = 92


def photo_png_as_jpeg(data: bytes) -> bytes | None:
    """The PNG as a JPEG when it is a photo (see above), else None."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            pixels = image.width * image.height
            if image.format != "PNG" or not PHOTO_PNG_PIXELS <= pixels <= MAX_PIXELS \
                    or image.mode not in ("RGB", "RGBA", "L"):
                return None
            image.load()
            if image.mode == "RGBA":
                extrema = image.getchannel("A").getextrema()
                if not isinstance(extrema, tuple) or extrema[0] != 255:
                    return None  # a cut-out: its transparency is kept
            sample = image.resize((128, 128), Image.Resampling.NEAREST)  # no new colours
            if len(sample.getcolors(maxcolors=16_384) or []) < _PHOTO_COLOURS:
                return None
            out = io.BytesIO()
            icc = image.info.get("icc_profile")
            image.convert("L" if image.mode == "L" else "RGB").save(
                out, "JPEG", quality=PHOTO_JPEG_QUALITY, subsampling=0,
                **({"icc_profile": icc} if icc else {}))
            return out.getvalue()
    except (OSError, ValueError, Image.DecompressionBombError):
        return None  # the photo guard below names what is wrong with it


def _as_png(data: bytes, source: Path, label: str) -> bytes:
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise _problem(source, label, _("the image is {w}×{h} pixels; the limit is "
                                                "{limit} MP").format(
                                                    w=image.width, h=image.height,
                                                    limit=MAX_PIXELS // 1_000_000))
            out = io.BytesIO()
            image.convert("RGBA" if "A" in image.getbands() else "RGB").save(out, "PNG")
            return out.getvalue()
    except BuildError:
        raise
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise _problem(source, label, _("the image cannot be read ({reason})").format(
            reason=exc)) from None


def _problem(source: Path, label: str, reason: str, hint: str | None = None) -> BuildError:
    return BuildError([error("import.picture", _("{picture}: {reason}").format(
        picture=label, reason=reason), Location(source), hint)])


def placeholder(caption: str) -> bytes:
    """A print-size JPEG that can never be mistaken for the real photo."""
    image = Image.new("RGB", PLACEHOLDER_SIZE, (176, 190, 197))
    draw = ImageDraw.Draw(image)
    w, h = PLACEHOLDER_SIZE
    draw.rectangle([0, 0, w - 1, h - 1], outline=(120, 134, 141), width=12)
    draw.line([0, 0, w, h], fill=(140, 154, 161), width=8)
    draw.line([0, h, w, 0], fill=(140, 154, 161), width=8)
    draw.rectangle([w * 0.12, h * 0.36, w * 0.88, h * 0.64], fill=(236, 239, 241))
    draw.text((w / 2, h * 0.445), "照片占位 · PLACEHOLDER", font=_font(120),
              fill=(176, 31, 36), anchor="mm")
    draw.text((w / 2, h * 0.56), caption[:30], font=_font(64), fill=(60, 60, 60), anchor="mm")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, dpi=(300, 300), optimize=True)
    return out.getvalue()


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        found = subprocess.run(["fc-match", "-f", "%{file}", "Noto Sans CJK SC:bold"],
                               capture_output=True, text=True, check=False).stdout
        return ImageFont.truetype(found, size, index=2)
    except OSError:
        return ImageFont.load_default()
