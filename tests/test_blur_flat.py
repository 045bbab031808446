"""photo.blurred on flat drawings (outside tester, session 12: volunteer.jpg, a PIL
placeholder with a frame and two diagonals, was "out of focus"): a sharp drawing, poster or
logo with few edges is not flagged; the same drawings blurred, and a soft photo, still are."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from bulletin_press.checks.preflight import BLURRED_PIXELS, edge_width

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"


def _placeholder() -> Image.Image:
    image = Image.new("RGB", (1200, 1600), (120, 150, 190))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 1199, 1599), outline=(90, 60, 60), width=10)
    draw.line((0, 0, 1199, 1599), fill=(150, 125, 115), width=5)
    draw.line((1199, 0, 0, 1599), fill=(150, 125, 115), width=5)
    return image


def _poster() -> Image.Image:
    image = Image.new("RGB", (1200, 1700), (200, 30, 40))
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 120)
    draw.rectangle((80, 900, 1120, 1500), fill=(255, 230, 180))
    draw.text((100, 200), "防汛防台", font=font, fill="white")
    draw.text((100, 1000), "021-6238 1234", font=font, fill=(40, 40, 40))
    return image


def _logo() -> Image.Image:
    image = Image.new("RGB", (800, 800), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((100, 100, 700, 700), fill=(0, 90, 170))
    draw.text((230, 330), "新泾", font=ImageFont.truetype(FONT, 160), fill="white")
    return image


def _width(image: Image.Image, path: Path) -> float:
    image.save(path, quality=90)
    measured = edge_width(path, image.width, 300)
    assert measured is not None
    return measured[0]


@pytest.mark.parametrize("draw", [_placeholder, _poster, _logo])
def test_a_sharp_flat_drawing_is_sharp_and_blurred_it_is_not(draw: object,
                                                              tmp_path: Path) -> None:
    assert callable(draw)
    image = draw()
    assert _width(image, tmp_path / "sharp.jpg") < BLURRED_PIXELS
    assert _width(image.filter(ImageFilter.GaussianBlur(8)), tmp_path / "soft.jpg") \
        >= BLURRED_PIXELS
