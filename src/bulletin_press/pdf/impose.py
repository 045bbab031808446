"""Saddle-stitch imposition: the print PDF as 2-up sheets, pages ordered for folding.

For n pages (padded with blanks to a multiple of 4), sheet side k carries the
pages that end up facing each other once the stack is folded and stapled:
8 pages → 8|1, 2|7, 6|3, 4|5. Each A4 page is placed by its TrimBox, so the
sheet is exactly two trimmed pages wide (A3 landscape for A4).
"""

from __future__ import annotations

import io

import pikepdf


def saddle_order(pages: int) -> list[tuple[int | None, int | None]]:
    """Pairs of 1-based page numbers (left, right) per sheet side; None = blank."""
    total = -(-pages // 4) * 4
    pairs: list[tuple[int | None, int | None]] = []
    low, high = 1, total
    front = True
    while low < high:
        left, right = (high, low) if front else (low, high)
        pairs.append((_real(left, pages), _real(right, pages)))
        low, high, front = low + 1, high - 1, not front
    return pairs


def _real(number: int, pages: int) -> int | None:
    return number if number <= pages else None


def impose(pdf_bytes: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(pdf_bytes)) as source, pikepdf.new() as sheets:
        trim = source.pages[0].trimbox
        width, height = float(trim[2] - trim[0]), float(trim[3] - trim[1])
        for left, right in saddle_order(len(source.pages)):
            sheet = sheets.add_blank_page(page_size=(2 * width, height))
            for slot, number in enumerate((left, right)):
                if number is None:
                    continue
                # qpdf makes the page a form XObject whose BBox is its TrimBox: the
                # bleed is clipped away and the trimmed page fills its half exactly.
                page = sheets.copy_foreign(source.pages[number - 1].obj)
                sheet.add_overlay(pikepdf.Page(page), pikepdf.Rectangle(
                    slot * width, 0, (slot + 1) * width, height))
        title = str(source.docinfo.get("/Title", ""))
        sheets.docinfo["/Title"] = f"{title} (saddle-stitch imposition)".strip()
        sheets.docinfo["/Producer"] = "bulletin_press"
        out = io.BytesIO()
        sheets.save(out, deterministic_id=True)
    return out.getvalue()
