"""Make the clearly marked placeholder photos of the sample issue.

We have no photos of the real events; a print-size placeholder (2400×1600 px,
300 ppi at 203 mm wide) exercises the same code paths as a real photo and can
never be mistaken for one. Run: .venv/bin/python scripts/make_placeholders.py
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

SIZE = (2400, 1600)
PHOTOS = {
    "issues/2023-01/images/party-congress.jpg": "新泾镇第十六届党员代表大会第二次会议",
    "issues/2023-01/images/people-congress.jpg": "新泾镇第二十届人民代表大会第二次会议",
}


def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = subprocess.run(["fc-match", "-f", "%{file}", "Noto Sans CJK SC:bold"],
                          capture_output=True, text=True, check=False).stdout
    try:
        return ImageFont.truetype(path, size, index=2)
    except OSError:
        return ImageFont.load_default()


def make(path: Path, label: str) -> None:
    image = Image.new("RGB", SIZE, (176, 190, 197))
    draw = ImageDraw.Draw(image)
    w, h = SIZE
    draw.rectangle([0, 0, w - 1, h - 1], outline=(120, 134, 141), width=12)
    draw.line([0, 0, w, h], fill=(140, 154, 161), width=8)
    draw.line([0, h, w, 0], fill=(140, 154, 161), width=8)
    draw.rectangle([w * 0.12, h * 0.36, w * 0.88, h * 0.64], fill=(236, 239, 241))
    draw.text((w / 2, h * 0.445), "照片占位 · PLACEHOLDER", font=font(120), fill=(176, 31, 36),
              anchor="mm")
    draw.text((w / 2, h * 0.56), label, font=font(64), fill=(60, 60, 60), anchor="mm")
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", quality=85, dpi=(300, 300), optimize=True)


if __name__ == "__main__":
    root = Path(__file__).resolve().parents[1]
    for name, label in PHOTOS.items():
        make(root / name, label)
        print(f"wrote {name}", file=sys.stderr)
