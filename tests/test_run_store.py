"""The run store (runs/store.py) as a build's main process uses it between the
page plan's rounds: every run typeset is put, and a put into a full store does
not stat every entry to remove the oldest (a user's store is full after a few
dozen builds: ~3 ms of CPU and the disk's waits a put, ~9 puts a build)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bulletin_press.runs.store import RunStore
from bulletin_press.runs.worker import TypesetRun


def _run(n: int) -> TypesetRun:
    # An address and a phone number of its own: each run is another entry.
    return TypesetRun(f"<p>新泾镇哈密路{n}号 021-6238 {1000 + n}</p>", b"%PDF-1.7 " + bytes([n]),
                      1, {f"article-{n}": 1})


def _stored(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("*.pdf"))


def test_a_full_store_removes_its_oldest_runs_only_past_its_slack(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(RunStore, "LIMIT", 3)
    monkeypatch.setattr(RunStore, "SLACK", 2, raising=False)
    store = RunStore(tmp_path)
    for n in range(5):  # up to LIMIT + SLACK: nothing is removed, nothing stat'ed
        store.put(_run(n))
        os.utime(tmp_path / f"{store._key(_run(n).html)}.pdf", (1_000 + n, 1_000 + n))
    assert len(_stored(tmp_path)) == 5
    store.keep_assembled("k" * 32, b"%PDF-1.7 assembled")  # not counted, never removed
    store.put(_run(5))  # one more: the oldest go, down to LIMIT
    kept = {p.name.removesuffix(".pdf") for p in tmp_path.glob("*.pdf")
            if not p.name.startswith("assembled-")}
    assert kept == {store._key(_run(n).html) for n in (3, 4, 5)}
    assert {p.stem for p in tmp_path.glob("*.json")} == kept  # each with its facts
    assert (tmp_path / f"assembled-{'k' * 32}.pdf").is_file()
    for n in (3, 4, 5):
        found = store.get(_run(n).html)
        assert found is not None and found.anchors == {f"article-{n}": 1}
    assert store.get(_run(0).html) is None


def test_the_code_stamp_follows_every_module_without_reading_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The store's key for the package's code (`folder_digest`): a module changed,
    added or removed anywhere in the package changes it, its bytecode does not;
    it is made without reading the ~1.7 MB of source (~5 ms before a build's
    first page run), from each module's size and time of change."""
    from bulletin_press.runs import store

    (tmp_path / "layout").mkdir()
    (tmp_path / "layout" / "__pycache__").mkdir()
    module = tmp_path / "layout" / "context.py"
    module.write_text("GAP = 1\n", encoding="utf-8")
    (tmp_path / "diagnostics.py").write_text("", encoding="utf-8")
    first = store.folder_digest(str(tmp_path))

    def unread(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("a module was read")

    monkeypatch.setattr(Path, "read_bytes", unread)
    assert store.folder_digest(str(tmp_path)) == first
    monkeypatch.undo()
    (tmp_path / "layout" / "__pycache__" / "context.cpython-311.pyc").write_bytes(b"\0")
    assert store.folder_digest(str(tmp_path)) == first
    module.write_text("GAP = 2\n", encoding="utf-8")
    os.utime(module, ns=(1, 1))  # another time of change, the same size
    changed = store.folder_digest(str(tmp_path))
    assert changed != first
    (tmp_path / "layout" / "tables.py").write_text("", encoding="utf-8")
    assert store.folder_digest(str(tmp_path)) not in (first, changed)
    assert store._code_digest() == store.folder_digest(
        str(Path(store.__file__).resolve().parents[1]))


def test_a_stored_run_keeps_what_the_build_notes_from_it(tmp_path: Path) -> None:
    """A run served from the store gives the same notes as when it was typeset: the
    headlines the keep guard moved (layout.headline-moved) and the pages a later
    round may resume at."""
    run = TypesetRun("<p>天山西路345号</p>", b"%PDF-1.7 x", 2, {"article-two": 2},
                     moved=["article-two"], tops={2: (["p-3"], "据上海中心气象台预报")})
    store = RunStore(tmp_path)
    store.put(run)
    found = store.get(run.html)
    assert found is not None
    assert (found.moved, found.tops) == (["article-two"], {2: (["p-3"], "据上海中心气象台预报")})
