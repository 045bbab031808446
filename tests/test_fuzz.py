"""Property-based fuzzing: any manifest or text gives a result or a clear error, never a crash.

Random Unicode here includes CJK Extension B and beyond, control and bidi
characters, unpaired-surrogate-free astral planes and long strings.
"""

from __future__ import annotations

import copy
import io
import tempfile
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bulletin_press.build.pipeline import build
from bulletin_press.diagnostics import BuildError, has_errors
from bulletin_press.manifest.load import load_issue
from bulletin_press.text.blocks import parse_body
from bulletin_press.text.breaks import visible
from bulletin_press.text.normalise import BREAKS, normalise_blocks
from bulletin_press.text.punctuation import WJ, mark_blocks

from .conftest import SAMPLE

ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=80)
NASTY = st.sampled_from(["\u202e", "\u200b", "\ufeff", "\x00", "\x07", "\u2028", "𠮷", "𪚥",
                         "\U0002b820", "<script>", "../../etc/passwd", "*" * 3, "#", "- ",
                         "\r\n", "\t", "   ", "：", "…", "·"])
TEXT = st.one_of(ANY_TEXT, st.lists(st.one_of(ANY_TEXT, NASTY), max_size=12).map("".join),
                 st.text(min_size=2000, max_size=6000))
KEYS = st.sampled_from(["newsletter", "publisher", "issue", "number", "volume", "date",
                        "layout", "articles", "id", "title", "body", "body_file", "photos",
                        "file", "caption", "placement", "start", "pages", "colophon"])
VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
              st.dates(), TEXT),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        KEYS | ANY_TEXT, children, max_size=5), max_leaves=25)
SAMPLE_DATA = yaml.safe_load((SAMPLE / "issue.yaml").read_text(encoding="utf-8"))
FUZZ = settings(max_examples=600, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# Problems of the manifest file as a whole: no line to point at.
WHOLE_FILE = {"manifest.too-large", "manifest.unreadable", "manifest.missing"}


def assert_clear(exc: BuildError, manifest: Path) -> None:
    """What a failure must give: errors, each saying what, where and which kind."""
    assert exc.diagnostics and has_errors(exc.diagnostics)
    for d in exc.diagnostics:
        assert d.message and d.code, d
        assert d.location.path is not None, d.format()
        if d.location.path == manifest and d.code not in WHOLE_FILE:  # a place: its line
            assert d.location.line is not None and d.location.line >= 1, d.format()


def _load(text: str | bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "issue.yaml"
        if isinstance(text, str):
            path.write_text(text, encoding="utf-8", errors="surrogatepass")
        else:
            path.write_bytes(text)
        try:
            issue = load_issue(Path(folder))
        except BuildError as exc:
            assert_clear(exc, path.resolve())
            return
        # What loading promises the later stages: a valid manifest, a body for
        # every article, unique ids.
        articles = issue.manifest.articles
        assert articles and issue.manifest.newsletter.strip()
        assert sorted(issue.bodies) == sorted(a.id for a in articles)
        assert len({a.id for a in articles}) == len(articles)


@FUZZ
@given(VALUES)
def test_random_documents_load_or_fail_clearly(data: Any) -> None:
    _load(yaml.safe_dump(data, allow_unicode=True))


@FUZZ
@given(st.one_of(ANY_TEXT, st.binary(max_size=300), st.text(max_size=400)))
def test_random_files_load_or_fail_clearly(text: str | bytes) -> None:
    _load(text)


@st.composite
def mutated_sample(draw: st.DrawFn) -> Any:
    """The sample manifest with a few values replaced anywhere in it."""
    data = copy.deepcopy(SAMPLE_DATA)
    for _ in range(draw(st.integers(1, 3))):
        node = data
        while True:
            keys = list(node) if isinstance(node, dict) else list(range(len(node)))
            if not keys:
                break
            key = draw(st.sampled_from(keys))
            child = node[key]
            if isinstance(child, dict | list) and child and draw(st.booleans()):
                node = child
                continue
            node[key] = draw(VALUES)
            break
    return data


@FUZZ
@given(mutated_sample())
def test_mutated_sample_loads_or_fails_clearly(data: Any) -> None:
    _load(yaml.safe_dump(data, allow_unicode=True))


@settings(max_examples=1000, deadline=None)
@given(TEXT)
def test_text_pipeline_never_crashes(text: str) -> None:
    blocks = normalise_blocks(parse_body(text))
    marked = mark_blocks(blocks)
    for block, done in zip(blocks, marked, strict=True):
        assert done.plain_text().replace(WJ, "") == block.plain_text().replace(WJ, "")
    # Pasted controls are gone; where lines may break changes nothing a reader sees.
    raw = normalise_blocks(parse_body(text), {BREAKS})
    for block, plain in zip(blocks, raw, strict=True):
        assert not any(c in plain.plain_text() for c in "\x00\x07\u202e\ufeff")
        assert visible(block.plain_text()) == visible(plain.plain_text())


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(ANY_TEXT, NASTY, st.sampled_from(["中文", "Latin", "2023", "《》"])),
                min_size=1, max_size=20).map("".join))
def test_random_articles_build_or_fail_clearly(body: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        manifest = {"newsletter": "测试", "publisher": "测试镇",
                    "issue": {"number": 1, "date": "2024-01-01"},
                    "articles": [{"id": "a", "title": "标题", "body": body}]}
        text = yaml.safe_dump(manifest, allow_unicode=True).replace("'2024-01-01'", "2024-01-01")
        (Path(folder) / "issue.yaml").write_text(text, encoding="utf-8")
        try:
            built = build(Path(folder))
        except BuildError as exc:
            assert_clear(exc, (Path(folder) / "issue.yaml").resolve())
            return
        # A PDF a reader can open, with the article's headline in it.
        with pdfplumber.open(io.BytesIO(built.pdf)) as pdf:
            assert len(pdf.pages) == built.page_count >= 1
            assert "标题" in pdf.pages[0].extract_text()
