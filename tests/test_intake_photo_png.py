"""A photo pasted into Word is kept there as PNG (Word on Windows stores a pasted picture
so): the import stores it as a print-quality JPEG, as a PDF carries a photo best; a
screenshot of text and a cut-out with transparency stay PNG."""

from __future__ import annotations

import io
import random
from pathlib import Path

from docx.document import Document as DocumentObject
from docx.shared import Cm
from PIL import Image, ImageChops, ImageDraw, ImageFont, ImageStat

from bulletin_press.fonts.lookup import find_face
from bulletin_press.intake.docx import read_docx

from .test_intake_word_details import codes, word_file


def phone_photo_png(width: int = 1600, height: int = 1200) -> bytes:
    """A landscape of the 绿道 as a phone takes it: sky, trees, a path, sensor noise; with
    the phone's sRGB profile."""
    rng = random.Random(2026)
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):  # sky to grass
        t = y / height
        draw.line([(0, y), (width, y)], fill=(int(120 + 80 * t), int(170 - 40 * t),
                                              int(230 - 150 * t)))
    for _ in range(60):  # trees
        x, y, r = rng.randrange(width), rng.randrange(height // 3, height), rng.randrange(20, 90)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=(rng.randrange(30, 90),
                                                         rng.randrange(90, 160), 40))
    noise = Image.effect_noise((width, height), 24).convert("RGB")
    image = Image.blend(image, noise, 0.1)
    out = io.BytesIO()
    image.save(out, "PNG", icc_profile=_srgb())
    return out.getvalue()


def _srgb() -> bytes:
    from PIL import ImageCms

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
    return bytes(profile.tobytes())


def screenshot_png() -> bytes:
    """The 随申办 page with the service points' phone numbers, as a screenshot."""
    image = Image.new("RGB", (1920, 1080), "white")
    draw = ImageDraw.Draw(image)
    face = find_face("Noto Sans CJK SC")
    assert face is not None
    font = ImageFont.truetype(str(face.path), 28, index=face.index)
    for y in range(40, 1040, 44):
        draw.text((40, y), "新泾一村服务点 021-62781234 周一至周五 8:30—17:00", font=font,
                  fill=(33, 33, 33))
    draw.rectangle([1300, 80, 1860, 400], fill=(0, 122, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def cut_out_png() -> bytes:
    """The town's emblem on a transparent ground, over a photo's many colours."""
    photo = Image.open(io.BytesIO(phone_photo_png(1200, 1200))).convert("RGBA")
    mask = Image.new("L", photo.size, 0)
    ImageDraw.Draw(mask).ellipse([100, 100, 1100, 1100], fill=255)
    photo.putalpha(mask)
    out = io.BytesIO()
    photo.save(out, "PNG")
    return out.getvalue()


def test_a_photo_pasted_as_png_is_stored_as_jpeg(tmp_path: Path) -> None:
    pictures = [phone_photo_png(), screenshot_png(), cut_out_png()]

    def write(doc: DocumentObject) -> None:
        doc.add_paragraph("12月6日上午，全长3.5公里的新泾绿道正式开放，"
                          "Emily Watson一家在步道上骑行。")
        for picture, caption in zip(pictures, ["绿道航拍全景", "随申办上的服务点电话",
                                               "新泾镇镇徽"], strict=True):
            doc.add_picture(io.BytesIO(picture), width=Cm(12))
            doc.add_paragraph(f"图为{caption}")

    draft = read_docx(word_file(tmp_path / "新泾绿道.docx", write))
    photo, screenshot, emblem = draft.articles[0].photos
    assert (photo.suffix, screenshot.suffix, emblem.suffix) == (".jpg", ".png", ".png")
    assert photo.data is not None and photo.data.startswith(b"\xff\xd8")
    assert len(photo.data) < len(pictures[0]) / 2
    with Image.open(io.BytesIO(photo.data)) as stored, \
            Image.open(io.BytesIO(pictures[0])) as pasted:
        assert stored.size == pasted.size and stored.mode == "RGB"
        assert stored.info.get("icc_profile") == pasted.info["icc_profile"]
        error = ImageStat.Stat(ImageChops.difference(stored, pasted.convert("RGB"))).mean
        assert max(error) < 3  # print quality: under 3 of 255 on average per channel
    assert codes(draft).count("import.photo-png") == 1
    [note] = [n for n in draft.notes if n.code == "import.photo-png"]
    assert note.message.startswith("picture 1 is a photo kept as PNG in the document")
    assert note.location.place and "picture 1" in note.location.place
