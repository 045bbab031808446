from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "issues" / "2023-01"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

MINIMAL = """\
newsletter: 测试通讯
publisher: 测试镇
issue: {number: 3, date: 2024-05-01}
articles:
  - id: first
    title: 第一篇文章
    body: |
      这是第一段。

      这是第二段。
"""

# The first lines of a small test manifest; tests add their articles.
HEADER = """\
newsletter: 测试
publisher: 测试镇
issue: {number: 1, date: 2024-01-01}
articles:
"""

MakeIssue = Callable[..., Path]


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests read the English messages, whatever the developer's locale; the tests of
    the Chinese ones (test_i18n.py) set the locale themselves."""
    monkeypatch.setenv("BULLETIN_PRESS_LANG", "en")
    monkeypatch.setenv("LANGUAGE", "en")


@pytest.fixture
def make_issue(tmp_path: Path) -> MakeIssue:
    """Write an issue folder: manifest text plus optional files (name → bytes|str|Path)."""
    def make(manifest: str = MINIMAL, files: dict[str, bytes | str | Path] | None = None,
             name: str = "issue") -> Path:
        folder = tmp_path / name
        folder.mkdir(parents=True, exist_ok=True)
        head = HEADER if manifest.startswith(HEADER) else ""
        text = head + textwrap.dedent(manifest[len(head):])
        (folder / "issue.yaml").write_text(text, encoding="utf-8")
        for rel, content in (files or {}).items():
            target = folder / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, Path):
                shutil.copy(content, target)
            elif isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        return folder
    return make


@pytest.fixture(scope="session")
def sample_photo() -> Path:
    return SAMPLE / "images" / "party-congress.jpg"
