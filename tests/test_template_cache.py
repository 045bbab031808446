"""Compiled templates are kept by name and source: copies of a layout in other
folders share the entries (the cache is never pruned), edits get new ones."""

from __future__ import annotations

from pathlib import Path

import jinja2

from bulletin_press.layout.specs import _SourceKeyedCache


def _render(folder: Path, cache: Path) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)),
                             bytecode_cache=_SourceKeyedCache(str(cache)))
    return env.get_template("page.html.j2").render(title="新泾")


def test_copies_of_a_layout_share_compiled_templates(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "page.html.j2").write_text("<h1>{{ title }}</h1>", encoding="utf-8")
        assert _render(tmp_path / name, cache) == "<h1>新泾</h1>"
    assert len(list(cache.iterdir())) == 1
    (tmp_path / "b" / "page.html.j2").write_text("<h2>{{ title }}</h2>", encoding="utf-8")
    assert _render(tmp_path / "b", cache) == "<h2>新泾</h2>"  # an edit is not served stale
    assert _render(tmp_path / "a", cache) == "<h1>新泾</h1>"
    assert len(list(cache.iterdir())) == 2
