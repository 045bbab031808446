from __future__ import annotations

import re
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


# Every PDF the tests build in this process, with the test that built it: the last
# test (test_zz_printed_markup.py) reads them all for Markdown printed raw.
PRINTED: list[tuple[str, bytes]] = []
AS_TYPED: set[str] = set()  # tests that print markup as typed on purpose (marker)


@pytest.fixture(autouse=True)
def record_printed(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep each PDF a test builds: the one-document writer and the page-run
    assembler are looked up when called, so wrapping them here sees every build."""
    if request.node.get_closest_marker("markup_as_typed"):
        AS_TYPED.add(re.sub(r"\W", "_", request.node.name)[:30])
        return
    from bulletin_press.runs import assemble
    from bulletin_press.typeset import engine

    def keeping(original: Callable[..., bytes]) -> Callable[..., bytes]:
        def wrapped(*args: object, **kwargs: object) -> bytes:
            pdf = original(*args, **kwargs)
            PRINTED.append((request.node.nodeid, pdf))
            return pdf
        return wrapped

    monkeypatch.setattr(engine, "write_pdf", keeping(engine.write_pdf))
    monkeypatch.setattr(assemble, "assemble", keeping(assemble.assemble))


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
