"""A print build's worker shares one font configuration between its documents
(typeset/engine.py keep_font_configuration), except with a document whose
stylesheets add fonts: the next document gets a new one, without them."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin_press.layout.fence import Fence
from bulletin_press.typeset import engine
from bulletin_press.typeset.engine import typeset

PAGE = """<!DOCTYPE html><html lang="zh"><head><style>@page {{ size: 90mm 60mm; }}
{css}</style></head><body><p style="font-family: {family}">新泾镇仙霞西路 88 号 Tel 021-62345678</p>
</body></html>"""
FACE = "@font-face { font-family: Added; src: local('Noto Serif CJK SC'); }"


def _config(folder: Path, css: str = "", family: str = "serif") -> object:
    fence = Fence({"issue": folder})
    result = typeset(PAGE.format(css=css, family=family), fence.url("issue"), fence)
    return result.document.font_config


def test_documents_share_fonts_until_one_adds_its_own(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    assert _config(tmp_path) is not _config(tmp_path)  # by default: one each
    monkeypatch.setattr(engine, "_kept_fonts", engine._KeptFonts())
    engine.keep_font_configuration()
    first = _config(tmp_path)
    assert _config(tmp_path) is first
    with_face = _config(tmp_path, FACE, "Added")
    assert with_face is first  # it was clean: the document added its fonts to it
    after = _config(tmp_path)
    assert after is not with_face  # a new one, without the added fonts
    assert after._folder is None  # type: ignore[attr-defined]
    assert _config(tmp_path) is after
