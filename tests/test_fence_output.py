"""The resource fence and atomic output, on real files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bulletin_press.build.pipeline import build
from bulletin_press.commands.atomic_files import clean_stale_temps, write_atomic
from bulletin_press.diagnostics import BuildError
from bulletin_press.layout.fence import Fence, FenceRefused

from .conftest import ROOT, MakeIssue


def test_fence_serves_mounted_files_by_virtual_url_and_records_them(tmp_path: Path) -> None:
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "a.css").write_text("p{}")
    fence = Fence({"layouts/x": tmp_path})
    url = fence.url("layouts/x", "css/a.css")
    assert url == "file:///bulletin-press/layouts/x/css/a.css"
    data, media = fence.open(url)
    assert data == b"p{}" and media == "text/css"
    assert fence.reads == [tmp_path / "css" / "a.css"]


@pytest.mark.parametrize("url", [
    "file:///etc/hostname", "http://127.0.0.1:9/x.png", "https://example.com/a.css",
    "ftp://example.com/x", "data:text/css,p{}", "file://otherhost/bulletin-press/issue/a.css",
    "file:///bulletin-press/other/a.css", "file:///bulletin-press/issue/../../etc/hostname",
    "file:///bulletin-press/issue/%2e%2e/%2e%2e/etc/hostname",
])
def test_fence_refuses_outside_and_network(tmp_path: Path, url: str) -> None:
    (tmp_path / "a.css").write_text("p{}")
    fence = Fence({"issue": tmp_path})
    with pytest.raises(FenceRefused):
        fence.open(url)
    assert len(fence.refusals) == 1 and fence.reads == []


def test_fence_refuses_real_paths_even_inside_the_issue(tmp_path: Path) -> None:
    (tmp_path / "a.css").write_text("p{}")
    fence = Fence({"issue": tmp_path})
    with pytest.raises(FenceRefused):
        fence.open((tmp_path / "a.css").as_uri())


def test_fence_refuses_symlink_escape(tmp_path: Path) -> None:
    root = tmp_path / "issue"
    root.mkdir()
    (root / "link.png").symlink_to("/etc/hostname")
    fence = Fence({"issue": root})
    with pytest.raises(FenceRefused, match="outside"):
        fence.open(fence.url("issue", "link.png"))


@pytest.mark.slow
def test_layout_css_pointing_outside_fails_build_and_leaks_nothing(
        make_issue: MakeIssue, tmp_path: Path) -> None:
    layouts = tmp_path / "proj" / "layouts"
    shutil.copytree(ROOT / "layouts" / "two-column", layouts / "evil")
    secret = tmp_path / "secret.css"
    secret.write_text("body { color: red } /* SECRET-MARKER */")
    style = layouts / "evil" / "style.css"
    style.write_text(f'@import url("{secret.as_uri()}");\n' + style.read_text()
                     + 'body { background: url("http://127.0.0.1:9/x.png"); }\n')
    issue = make_issue(name="proj/issues/x")
    text = (issue / "issue.yaml").read_text(encoding="utf-8")
    (issue / "issue.yaml").write_text(text.replace("publisher:", "layout: evil\npublisher:"),
                                      encoding="utf-8")
    with pytest.raises(BuildError) as info:
        build(issue)
    refused = [d for d in info.value.diagnostics if d.code == "fence.refused"]
    assert {secret.as_uri(), "http://127.0.0.1:9/x.png"} <= {
        d.message.split("'")[1] for d in refused}


def test_write_atomic_replaces_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "a.pdf"
    write_atomic(target, b"one")
    write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]


def test_killed_writer_leaves_old_file_and_temp_is_cleaned(tmp_path: Path) -> None:
    target = tmp_path / "a.pdf"
    target.write_bytes(b"good")
    script = (
        "import os, sys, signal\n"
        "from pathlib import Path\n"
        "import bulletin_press.commands.atomic_files as o\n"
        "real = os.replace\n"
        "def die(*a):\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "o.os.replace = die\n"
        f"o.write_atomic(Path({str(target)!r}), b'x' * 1000)\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], check=False)
    assert proc.returncode == -9
    assert target.read_bytes() == b"good"
    leftovers = [p for p in tmp_path.iterdir() if p.name != "a.pdf"]
    assert len(leftovers) == 1  # the killed writer's temp file
    assert clean_stale_temps(tmp_path) == leftovers
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]
    assert target.read_bytes() == b"good"  # the cleaning leaves the last good file
    # A temp file of a writer that is still running (this process) is not stale.
    live = tmp_path / f".a.pdf.{os.getpid()}.x1y2.tmp"
    live.write_bytes(b"half")
    assert clean_stale_temps(tmp_path) == [] and live.read_bytes() == b"half"
