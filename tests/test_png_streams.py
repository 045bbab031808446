"""A PNG photo's image stream made once (typeset/ext/png_streams.py): WeasyPrint
decodes and encodes a PNG again in every document it writes (seconds for a
phone's photo); here the result is kept by the PNG's bytes, in the process and
in the project's output/.cache/images, so the next document (another page run,
another worker, the next build) takes it. The PDF is the one stock WeasyPrint
writes, byte for byte; a changed photo is encoded anew."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from bulletin_press.layout.fence import Fence
from bulletin_press.typeset import gate, image_streams
from bulletin_press.typeset.engine import typeset, write_pdf
from bulletin_press.typeset.ext import png_streams

HTML = """<!DOCTYPE html><html lang="zh"><head>
<style>@page { size: 148mm 210mm; margin: 10mm; } img { width: 120mm; }</style></head>
<body><p>新泾绿道全线贯通，3.5公里滨水步道串起6个口袋公园（航拍：王建国）。</p>
<img src="{src}" alt="新泾绿道航拍"></body></html>"""


def _photo(path: Path, seed: int, size: tuple[int, int] = (1200, 900)) -> None:
    """A photo-like PNG (smooth gradients and noise, no alpha), bigger than SMALLEST."""
    rng = random.Random(seed)
    noise = bytes(rng.randrange(256) for _ in range(size[0] * size[1] // 16))
    small = Image.frombytes("L", (size[0] // 4, size[1] // 4), noise).resize(size)
    Image.merge("RGB", (small, small.rotate(90, expand=False), small.transpose(
        Image.Transpose.FLIP_LEFT_RIGHT))).save(path, format="PNG")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "layouts").mkdir()  # a project: its output/ is tmp_path/output
    issue = tmp_path / "issues" / "2026-12"
    (issue / "images").mkdir(parents=True)
    _photo(issue / "images" / "绿道-1.png", 1)
    image_streams.forget()
    return issue


def _pdf(issue: Path, name: str = "绿道-1.png") -> bytes:
    fence = Fence({"issue": issue})
    return write_pdf(typeset(HTML.replace("{src}", f"images/{name}"), fence.url("issue"), fence))


def _encodings(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every encoding of a PNG by WeasyPrint's own code, from now on."""
    made: list[Any] = []
    original = png_streams._original

    def spy(pillow_image: Any) -> bytes:
        made.append(pillow_image.size)
        return bytes(original(pillow_image))

    monkeypatch.setattr(png_streams, "_original", spy)
    return made


def test_a_png_photo_is_encoded_once_and_written_as_stock_weasyprint_does(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "png_streams" in gate.install()
    made = _encodings(monkeypatch)
    first = _pdf(project)
    assert made == [(1200, 900)]
    second = _pdf(project)  # another document: taken from this process
    assert made == [(1200, 900)] and second == first
    kept = list((project.parents[1] / "output" / ".cache" / "images").glob("*.idat"))
    assert len(kept) == 1
    image_streams.forget()  # another process (a worker, the next build): from the folder
    assert _pdf(project) == first and made == [(1200, 900)]
    with gate.stock("png_streams"):
        assert _pdf(project) == first
    # A file damaged on disk is made again, not written into the PDF.
    kept[0].write_bytes(kept[0].read_bytes()[:-100])
    image_streams.forget()
    assert _pdf(project) == first and len(made) == 2


def test_a_changed_photo_is_encoded_again(project: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    gate.install()
    made = _encodings(monkeypatch)
    first = _pdf(project)
    _photo(project / "images" / "绿道-1.png", 2)  # replaced under the same name
    changed = _pdf(project)
    assert len(made) == 2 and changed != first
    with gate.stock("png_streams"):
        assert _pdf(project) == changed


def test_a_small_png_or_an_unwritable_folder_changes_nothing(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gate.install()
    made = _encodings(monkeypatch)
    _photo(project / "images" / "二维码.png", 3, (400, 400))  # a QR code's size
    small = _pdf(project, "二维码.png")
    assert _pdf(project, "二维码.png") == small and len(made) == 2  # not kept
    (project.parents[1] / "output").write_text("not a folder")  # cannot be written
    assert _pdf(project) == _pdf(project)
    assert len(made) == 3  # kept in the process all the same
