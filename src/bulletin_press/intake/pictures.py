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
