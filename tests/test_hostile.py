"""Hostile and broken input: clear errors, nothing leaked, nothing lost (real files)."""

from __future__ import annotations

import io
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import zlib
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image
from pypdf import PdfReader

from bulletin_press.build.pipeline import build
from bulletin_press.diagnostics import BuildError
from bulletin_press.layout.prepare import prepare

from .conftest import HEADER, ROOT, SAMPLE, MakeIssue
from .test_cli import run

PHOTO_ISSUE = HEADER + """\
  - id: a
    title: 标题
    body: 正文。
    photos: [{file: images/p.jpg, caption: 说明}]
"""


def png_bomb() -> bytes:
    """A tiny PNG whose header claims 20 000 × 20 000 pixels."""
    raw = io.BytesIO()
    Image.new("1", (8, 8)).save(raw, "PNG")
    data = bytearray(raw.getvalue())
    data[16:24] = struct.pack(">II", 20000, 20000)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])) & 0xFFFFFFFF)
    return bytes(data)


def image_bytes(mode: str, size: tuple[int, int], fmt: str = "JPEG", **save: object) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, 128 if mode in ("L", "I;16") else None).save(out, fmt, **save)
    return out.getvalue()


@pytest.mark.parametrize(("content", "words"), [
    (png_bomb(), "too large"),
    (SAMPLE.joinpath("images/party-congress.jpg").read_bytes()[:40000], "damaged"),
    (b"<html>not a photo</html>", "not an image"),
    (b"", "not an image"),
    # An iPhone's photo (the ISO media header of a HEIF file) and a PDF named .jpg.
    (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 400,
     "the photo is HEIC"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "the file is a PDF document"),
], ids=["bomb", "truncated", "html", "empty", "heic", "pdf"])
def test_bad_photo_is_an_error_naming_it(make_issue: MakeIssue, content: bytes,
                                         words: str) -> None:
    folder = make_issue(PHOTO_ISSUE, {"images/p.jpg": content})
    result = run("build", folder, "-o", folder / "out.pdf")
    assert result.returncode == 1, result.stderr
    assert "photo 'images/p.jpg' cannot be used" in result.stderr and words in result.stderr
    assert f"{folder / 'issue.yaml'}:8:" in result.stderr
    assert "Traceback" not in result.stderr and not (folder / "out.pdf").exists()


HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 400


def test_a_missing_photo_and_an_unusable_one_are_reported_together(
        make_issue: MakeIssue) -> None:
    """All problems at once: a missing photo used to stop the build before the photos
    were opened, so an iPhone's HEIC photo was reported only by the next build."""
    folder = make_issue(PHOTO_ISSUE + """\
  - id: b
    title: 标题二
    body: 正文。
    photos: [{file: images/缺失的照片.jpg, caption: 说明}, {file: images/IMG_4021.jpg, caption: 说}]
""", {"images/p.jpg": image_bytes("RGB", (1200, 800)), "images/IMG_4021.jpg": HEIC})
    result = run("build", folder, "-o", folder / "out.pdf")
    assert result.returncode == 1, result.stderr
    assert "photo file 'images/缺失的照片.jpg' not found" in result.stderr
    assert "photo 'images/IMG_4021.jpg' cannot be used: the photo is HEIC" in result.stderr
    # both at their own place on the line that names them
    assert result.stderr.count(f"{folder / 'issue.yaml'}:12:") == 2, result.stderr
    assert "2 errors" in result.stderr and not (folder / "out.pdf").exists()


@pytest.mark.slow
@pytest.mark.parametrize("name", ["cmyk", "16-bit", "huge-exif", "grey"])
def test_unusual_photos_build(make_issue: MakeIssue, name: str) -> None:
    content = {
        "cmyk": lambda: image_bytes("CMYK", (1200, 800)),
        "16-bit": lambda: image_bytes("I;16", (1200, 800), "PNG"),
        "huge-exif": lambda: image_bytes("RGB", (1200, 800), exif=_exif(0x010E, "x" * 60000)),
        "grey": lambda: image_bytes("L", (1200, 800)),
    }[name]()
    built = build(make_issue(PHOTO_ISSUE, {"images/p.jpg": content}))
    with pdfplumber.open(io.BytesIO(built.pdf)) as pdf:
        assert len(pdf.pages[0].images) == 1


def _exif(tag: int, value: object) -> Image.Exif:
    exif = Image.Exif()
    exif[tag] = value
    return exif


@pytest.mark.slow
def test_exif_orientation_respected(make_issue: MakeIssue) -> None:
    # Stored landscape, tagged "rotate 90°": a portrait photo.
    content = image_bytes("RGB", (1600, 1200), exif=_exif(0x0112, 6))
    built = build(make_issue(PHOTO_ISSUE, {"images/p.jpg": content}))
    [figure] = [i["figure"] for i in built.prepared.context.context["articles"][0]["body"]
                if i["figure"]]
    assert figure["image_height"] == "252pt"  # portrait: the tallest a photo may be
    with pdfplumber.open(io.BytesIO(built.pdf)) as pdf:
        [drawn] = pdf.pages[0].images
    assert drawn["height"] > drawn["width"]  # drawn upright, then cropped to its box


def test_symlinked_photo_pointing_outside_is_refused(make_issue: MakeIssue) -> None:
    folder = make_issue(PHOTO_ISSUE)
    (folder / "images").mkdir()
    (folder / "images" / "p.jpg").symlink_to("/etc/hostname")
    with pytest.raises(BuildError) as info:
        prepare(folder)
    assert info.value.diagnostics[0].code == "manifest.photo-outside"


def test_manifest_too_large_and_binary(make_issue: MakeIssue) -> None:
    folder = make_issue()
    (folder / "issue.yaml").write_text("a: " + "x" * (1024 * 1024 + 10), encoding="utf-8")
    result = run("validate", folder)
    assert result.returncode == 1 and "the limit is 1024 KiB" in result.stderr
    (folder / "issue.yaml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
    result = run("validate", folder)
    assert result.returncode == 1 and "not valid UTF-8" in result.stderr


@pytest.mark.slow
def test_network_references_are_never_fetched(make_issue: MakeIssue, tmp_path: Path) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.2)
    port = listener.getsockname()[1]
    connections: list[object] = []

    def accept() -> None:
        end = time.time() + 20
        while time.time() < end:
            try:
                connections.append(listener.accept())
            except OSError:
                continue
    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    layouts = tmp_path / "proj" / "layouts"
    shutil.copytree(ROOT / "layouts" / "two-column", layouts / "two-column")
    style = layouts / "two-column" / "style.css"
    style.write_text(f'@import url("http://127.0.0.1:{port}/a.css");\n' + style.read_text()
                     + f'body {{ background: url("http://127.0.0.1:{port}/x.png"); }}\n'
                     + 'p::before { content: url("file:///etc/hostname"); }\n')
    folder = make_issue(name="proj/issues/x")
    with pytest.raises(BuildError) as info:
        build(folder)
    assert {d.code for d in info.value.diagnostics} == {"fence.refused"}
    time.sleep(0.5)
    listener.close()
    assert connections == []


def _pdf_pages(path: Path) -> int:
    return len(PdfReader(path).pages)


@pytest.mark.slow
def test_two_builds_at_once_do_not_corrupt_each_other(tmp_path: Path) -> None:
    target = tmp_path / "same.pdf"
    command = [sys.executable, "-m", "bulletin_press", "build", str(SAMPLE), "-o", str(target)]
    first = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    second = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert first.wait(timeout=120) == 0 and second.wait(timeout=120) == 0
    assert _pdf_pages(target) == 4
    assert [p.name for p in tmp_path.iterdir()] == ["same.pdf"]


@pytest.mark.slow
def test_ctrl_c_leaves_the_previous_pdf(tmp_path: Path) -> None:
    target = tmp_path / "out.pdf"
    target.write_bytes(b"%PDF-previous")
    process = subprocess.Popen(
        [sys.executable, "-m", "bulletin_press", "build", str(ROOT / "issues" / "bench-64"),
         "--no-cache", "-o", str(target)], cwd=ROOT, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,  # the longest build there is: ~3 s
        start_new_session=True)  # a process group of its own, as a terminal's job is
    # Interrupt once the build is under way (its worker processes started), as a
    # terminal does: the whole process group.
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    deadline = time.time() + 30
    while time.time() < deadline and process.poll() is None:
        if children.read_text().strip():
            break
        time.sleep(0.01)
    time.sleep(0.3)
    os.killpg(process.pid, signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    if "wrote" in stdout:  # the build won the race: the new PDF is whole
        assert _pdf_pages(target) == 65
        pytest.skip("the build finished before the interrupt arrived")
    assert process.returncode == 130, (process.returncode, stdout, stderr)
    assert "interrupted; the previous output is unchanged." in stderr
    assert "Traceback" not in stderr
    assert target.read_bytes() == b"%PDF-previous"


# Run a command with an import hook standing in for pikepdf's native module: an
# interrupt that arrives while it loads aborts the process (exit 134, as the real
# module's abort does, only every time). Where the import is guarded, the hook's
# interrupt waits until the module is loaded and ends the command as usual.
_PIKEPDF_INTERRUPTED = """
import os, signal, sys
class Interrupt:
    def find_spec(self, name, path=None, target=None):
        if name == "pikepdf":
            sys.meta_path.remove(self)
            if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
                os._exit(134)  # Ctrl-C while the native module initialises
            os.kill(os.getpid(), signal.SIGINT)
        return None
sys.meta_path.insert(0, Interrupt())
sys.argv = ["bulletin-press", *sys.argv[1:]]
from bulletin_press.commands.entry import run
run()
"""


@pytest.mark.parametrize("command", ["archive", "check", "build", "build-parallel", "impose",
                                     "check-pdfa", "unpack"])
def test_ctrl_c_while_pikepdf_loads_leaves_the_previous_output(command: str,
                                                               tmp_path: Path) -> None:
    target = tmp_path / "out.pdf"
    target.write_bytes(b"%PDF-previous")
    source = tmp_path / "in.pdf"
    source.write_bytes(b"%PDF-1.7 not read: the command is interrupted first")
    args = {"archive": ["archive", SAMPLE, "-o", target],
            "check": ["check", SAMPLE, "--format", "html", "-o", target],
            "build": ["build", SAMPLE, "-j", "1", "-o", target],
            # pikepdf loads while the workers typeset (runs/plan.py), not first
            "build-parallel": ["build", SAMPLE, "-j", "2", "--no-cache", "-o", target],
            "impose": ["impose", source, "-o", target],
            "check-pdfa": ["check-pdfa", source],
            "unpack": ["unpack", source, tmp_path / "unpacked"]}[command]
    result = subprocess.run([sys.executable, "-c", _PIKEPDF_INTERRUPTED, *map(str, args)],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 130, (result.returncode, result.stderr)
    assert "interrupted; the previous output is unchanged." in result.stderr
    assert "Traceback" not in result.stderr
    assert target.read_bytes() == b"%PDF-previous"
    assert not (tmp_path / "unpacked").exists()


def test_internal_error_exit_3_with_traceback_file(make_issue: MakeIssue,
                                                   tmp_path: Path) -> None:
    layouts = tmp_path / "proj" / "layouts"
    shutil.copytree(ROOT / "layouts" / "two-column", layouts / "two-column")
    template = layouts / "two-column" / "colophon.html.j2"
    template.write_text("{{ 1 // 0 }}\n")  # a layout bug the toolchain does not foresee
    folder = make_issue(name="proj/issues/x")
    result = run("build", folder)
    assert result.returncode == 3
    assert "internal error: ZeroDivisionError" in result.stderr
    crash = Path(result.stderr.split("the details are in ")[1].split(";")[0])
    assert "Traceback" in crash.read_text() and "Traceback" not in result.stderr
    os.unlink(crash)
