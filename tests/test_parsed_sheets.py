"""Stylesheets parsed once per process (typeset/ext/parsed_sheets.py): kept by
their text, so a changed sheet is parsed anew and its change shows; a sheet
whose parsing touches the document (@font-face) is never kept; every document
still reads its <link> through the fence (the run store's record of what a
run read). The pages are byte for byte stock WeasyPrint's: tests/test_gate.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bulletin_press.layout.fence import Fence
from bulletin_press.typeset import gate
from bulletin_press.typeset.engine import typeset
from bulletin_press.typeset.ext import parsed_sheets

HTML = """<!DOCTYPE html><html lang="zh"><head>
<style>@page { size: 100mm 80mm; margin: 10mm; } body { font-size: 12pt; }</style>
<link rel="stylesheet" href="{href}"></head>
<body><p id="p">上海市长宁区新泾镇仙霞西路 88 号，电话 021-62345678。</p></body></html>"""


def _text_box(box: Any) -> Any:
    for child in getattr(box, "children", ()):
        if type(child).__name__ == "TextBox":
            return child
        found = _text_box(child)
        if found is not None:
            return found
    return None


def _typeset(folder: Path, href: str = "style.css") -> tuple[Any, Fence]:
    fence = Fence({"issue": folder})
    result = typeset(HTML.replace("{href}", href), fence.url("issue"), fence)
    return result.document.pages[0], fence


def _colour(page: Any) -> tuple[float, ...]:
    return tuple(_text_box(page._page_box).style["color"])


def test_a_changed_stylesheet_is_parsed_again(tmp_path: Path) -> None:
    assert "parsed_sheets" in gate.install()
    sheet = tmp_path / "style.css"
    sheet.write_text("p { color: #ff0000; } @page { margin: 12mm; }", encoding="utf-8")
    first, fence = _typeset(tmp_path)
    assert _colour(first)[:3] == (1, 0, 0)
    assert sheet in fence.reads
    kept = dict(parsed_sheets._kept)
    again, fence = _typeset(tmp_path)
    assert _colour(again)[:3] == (1, 0, 0)
    assert sheet in fence.reads  # read again, though parsed once
    assert dict(parsed_sheets._kept) == kept  # nothing parsed anew
    # The @page rule of the kept sheet still applies: 12 mm, not the <style>'s 10 mm.
    assert round(again._page_box.margin_left * 0.75 / 72 * 25.4, 3) == 12
    sheet.write_text("p { color: #0000ff; } @page { margin: 12mm; }", encoding="utf-8")
    changed, _ = _typeset(tmp_path)
    assert _colour(changed)[:3] == (0, 0, 1)


def test_a_sheet_with_font_faces_is_never_kept(tmp_path: Path) -> None:
    gate.install()
    sheet = tmp_path / "faces.css"
    sheet.write_text("@font-face { font-family: X; src: local('Noto Sans CJK SC'); }\n"
                     "p { font-family: X; color: #00ff00; }", encoding="utf-8")
    page, _ = _typeset(tmp_path, "faces.css")
    assert _colour(page)[:3] == (0, 1, 0)
    assert not any(sheet.as_uri() in str(key) or "faces.css" in str(key)
                   for key in parsed_sheets._kept)


def test_switched_off_every_document_parses_its_sheets(tmp_path: Path) -> None:
    gate.install()
    (tmp_path / "style.css").write_text("p { color: #ff0000; }", encoding="utf-8")
    with gate.stock("parsed_sheets"):
        before = dict(parsed_sheets._kept)
        page, _ = _typeset(tmp_path)
        assert dict(parsed_sheets._kept) == before
    assert _colour(page)[:3] == (1, 0, 0)
