"""QR codes as vector paths for the templates (segno).

The code is drawn as one SVG path of whole modules, with the four-module quiet
zone the standard asks for, at error correction M or better (segno raises it
where that costs no size). Its printed size is a whole number of lines and at
least 20 mm, which a phone reads from paper at arm's length.
"""

from __future__ import annotations

import math
from typing import TypedDict

from bulletin_press.text.breaks import mark_text

PT_PER_MM = 72 / 25.4
MIN_SIZE_MM = 20.0
QUIET_ZONE = 4  # modules of white around the symbol (ISO/IEC 18004)


class QrContext(TypedDict):
    url: str
    caption: str | None
    modules: int  # the side of the drawing, quiet zone included, in modules
    path: str  # SVG path data of the dark modules, in module units
    size: str  # CSS length of the drawing's side, a whole number of lines
    lines: int  # that side in lines


def qr_context(url: str, caption: str | None, line: float) -> QrContext:
    import segno  # imported when an issue has a QR code

    code = segno.make_qr(url, error="m", boost_error=True)
    rows = [list(row) for row in code.matrix_iter(border=QUIET_ZONE)]
    modules = len(rows)
    # The symbol without its quiet zone is at least MIN_SIZE_MM wide.
    symbol = modules - 2 * QUIET_ZONE
    lines = math.ceil(MIN_SIZE_MM * PT_PER_MM * modules / symbol / line)
    # The caption's breaks and glue as a photo caption's (扫码关注 / “新泾镇”…)
    return {"url": url, "caption": mark_text(caption) if caption else caption,
            "modules": modules, "path": module_path(rows),
            "size": f"{lines * line:g}pt", "lines": lines}


def module_path(rows: list[list[int]]) -> str:
    """One rectangle per horizontal run of dark modules."""
    parts: list[str] = []
    for y, row in enumerate(rows):
        x = 0
        while x < len(row):
            if not row[x]:
                x += 1
                continue
            start = x
            while x < len(row) and row[x]:
                x += 1
            parts.append(f"M{start} {y}h{x - start}v1h{start - x}z")
    return "".join(parts)
