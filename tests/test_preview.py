"""The live preview, driven in real headless Chromium (Debian's), and its server alone."""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT, SAMPLE

pytestmark = pytest.mark.slow
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Tests wait for states; a bound is only how long a busy machine may take (the
# suite passes with both cores busy), never an expectation of speed.
BOUND = 120.0
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


def start_preview(issue: Path, **env: str) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "bulletin_press", "preview", str(issue), "--no-open"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **env})
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], BOUND)
    assert ready, "the preview did not start"
    line = process.stdout.readline()
    url = line.split(" at ", 1)[1].split()[0]
    assert url.startswith("http://127.0.0.1:")
    return process, url


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    issue = tmp_path / "2023-01"
    shutil.copytree(SAMPLE, issue)
    process, url = start_preview(issue)
    try:
        yield issue, url
    finally:
        process.send_signal(2)  # Ctrl-C
        try:
            process.wait(timeout=BOUND)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
        assert process.returncode == 0, process.stderr.read() if process.stderr else ""


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=BOUND) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def until(condition: Callable[[], bool], what: str) -> None:
    """Wait until `condition()` holds (checked ten times a second), at most BOUND s."""
    deadline = time.monotonic() + BOUND
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not reached: {what}")
        time.sleep(0.1)


def state_of(url: str) -> dict[str, Any]:
    state: dict[str, Any] = json.loads(get(url + "api/state")[1])
    return state


def wait_built(url: str) -> None:
    def built() -> bool:
        status, body = get(url + "api/state")
        return status == 200 and b'"pages": [{' in body

    until(built, "a build")


def test_server_serves_pages_and_nothing_else(preview: tuple[Path, str]) -> None:
    _, url = preview
    wait_built(url)
    status, png = get(url + "page/1.png?scale=0.5")
    assert status == 200 and png.startswith(b"\x89PNG")
    assert get(url + "issue.pdf")[1].startswith(b"%PDF-")
    status, html = get(url + "issue.html")
    assert status == 200 and b"/files/layouts/two-column/style.css" in html
    assert get(url + "files/layouts/two-column/style.css")[0] == 200
    for bad in ("../../etc/hostname", "files/issue/../../../etc/hostname", "files/etc/hostname",
                "files/issue/%2e%2e/%2e%2e/etc/hostname", "assets/../preview.py", "page/99.png",
                "page/0.png", "api/../../x"):
        assert get(url + bad)[0] == 404, bad


def test_local_host_names() -> None:
    from bulletin_press.preview.server import local_host

    for host in ("127.0.0.1:8765", "localhost:8765", "LOCALHOST:8765", "[::1]:8765"):
        assert local_host(host, 8765), host
    refused: tuple[str | None, ...] = (
        "evil.example.com", "evil.example.com:8765", "127.0.0.1:9999", "127.0.0.1",
        "localhost.evil.example.com:8765", "127.0.0.2:8765", "", None)
    for bad in refused:
        assert not local_host(bad, 8765), bad
    assert local_host("localhost", 80)


def test_server_answers_only_to_its_local_names(preview: tuple[Path, str]) -> None:
    """DNS rebinding: a web page whose name was made to point at 127.0.0.1 sends
    its own name as Host; it must not read the preview."""
    import http.client

    _, url = preview
    port = int(url.rstrip("/").rsplit(":", 1)[1])

    def status(host: str, path: str = "/api/state") -> int:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=BOUND)
        try:
            connection.putrequest("GET", path, skip_host=True)
            connection.putheader("Host", host)
            connection.endheaders()
            return connection.getresponse().status
        finally:
            connection.close()

    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"):
        assert status(host) == 200, host
    for host in ("evil.example.com", f"evil.example.com:{port}", f"127.0.0.1:{port + 1}"):
        for path in ("/api/state", "/", "/issue.pdf", "/files/issue/issue.yaml"):
            assert status(host, path) == 403, (host, path)


def test_malformed_requests_do_not_kill_the_server(preview: tuple[Path, str]) -> None:
    import socket

    _, url = preview
    host, port = url.removeprefix("http://").rstrip("/").split(":")
    for junk in (b"GARBAGE\r\n\r\n", b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n", b"\x00\xff"):
        with socket.create_connection((host, int(port)), timeout=5) as sock:
            sock.sendall(junk)
            sock.settimeout(5)
            with contextlib.suppress(OSError):
                sock.recv(1024)
    assert get(url + "api/state")[0] == 200


def test_browser_updates_pages_and_shows_errors(preview: tuple[Path, str]) -> None:
    from playwright.sync_api import expect, sync_playwright

    issue, url = preview
    wait_built(url)
    manifest = issue / "issue.yaml"
    original = manifest.read_text(encoding="utf-8")
    expect.set_options(timeout=BOUND * 1000)  # not Playwright's 5 s: a state, not a clock
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        fetched: list[str] = []
        page.on("request", lambda r: fetched.append(r.url) if "/page/" in r.url else None)
        page.goto(url)
        images = page.locator("#pages img[data-page]")
        expect(images).to_have_count(4)
        expect(page.locator("#title")).to_have_text("新泾通讯 2023年第1期")
        first = images.nth(0).get_attribute("data-hash")
        last = images.nth(3).get_attribute("data-hash")
        page.evaluate("window.notReloaded = true")
        fetched.clear()

        manifest.write_text(original.replace("奋进新征程 共创新业绩", "奋进新征程 再创新业绩"),
                            encoding="utf-8")
        expect(images.nth(0)).not_to_have_attribute("data-hash", first or "")
        assert page.evaluate("window.notReloaded") is True
        assert images.nth(3).get_attribute("data-hash") == last
        assert not any("/page/4.png" in u for u in fetched)  # unchanged pages not re-fetched

        manifest.write_text(original.replace("publisher: 长宁区新泾镇", "publisher: [未闭合"),
                            encoding="utf-8")
        overlay = page.locator("#error-overlay")
        expect(overlay).to_be_visible()
        expect(overlay).to_contain_text("issue.yaml:")
        expect(overlay).to_contain_text("YAML syntax error")
        expect(images).to_have_count(4)  # the last good pages stay

        manifest.write_text(original, encoding="utf-8")
        expect(overlay).to_be_hidden()
        expect(images).to_have_count(4)
        # The sample has nothing to report; 8 planned pages it cannot fill it says.
        manifest.write_text(original.replace("pages: 4", "pages: 8"), encoding="utf-8")
        findings = page.locator("#finding-list li")
        expect(findings.first).to_be_visible(timeout=30000)  # once the worker has checked
        # pages: 8 unmet: the plan's warning (once), what each article should gain, the
        # last page's room above the colophon
        expect(page.locator("#finding-state")).to_have_text("0 errors, 1 warning, 5 notes")
        browser.close()


def test_rapid_saves_end_with_the_last_one(preview: tuple[Path, str]) -> None:
    issue, url = preview
    wait_built(url)
    manifest = issue / "issue.yaml"
    original = manifest.read_text(encoding="utf-8")
    for i in range(12):  # an editor hammering Ctrl-S, half-written files included
        text = original.replace("newsletter: 新泾通讯", f"newsletter: 新泾通讯{i}")
        manifest.write_text(text[: len(text) // 2] if i % 3 == 1 else text, encoding="utf-8")
        time.sleep(0.02)
    until(lambda: (state := state_of(url))["title"] == "新泾通讯11 2023年第1期"
          and not state["error"], "the last save built")


def test_recovers_when_a_missing_file_appears(tmp_path: Path) -> None:
    issue = tmp_path / "x"
    shutil.copytree(SAMPLE, issue)
    text = (issue / "issue.yaml").read_text(encoding="utf-8")
    (issue / "issue.yaml").write_text(
        text.replace("images/people-congress.jpg", "images/later.jpg"), encoding="utf-8")
    process, url = start_preview(issue)
    try:
        until(lambda: bool(state_of(url)["error"]), "the error shown")
        assert "later.jpg" in " ".join(state_of(url)["error"])
        shutil.copy(SAMPLE / "images" / "people-congress.jpg", issue / "images" / "later.jpg")
        until(lambda: not (state := state_of(url))["error"] and bool(state["pages"]),
              "the pages built")
        state = state_of(url)
        assert state["error"] is None and len(state["pages"]) == 4
    finally:
        process.send_signal(2)
        process.wait(timeout=BOUND)


def test_shows_what_to_install_with_another_weasyprint(tmp_path: Path) -> None:
    fake = tmp_path / "fake"
    fake.mkdir()
    (fake / "sitecustomize.py").write_text(  # a WeasyPrint that reports another version
        "import weasyprint\nweasyprint.__version__ = weasyprint.VERSION = '71.0'\n")
    issue = tmp_path / "2023-01"
    shutil.copytree(SAMPLE, issue)
    process, url = start_preview(issue, PYTHONPATH=str(fake))
    try:
        until(lambda: bool(state_of(url)["error"]), "the error shown")
        error = " ".join(state_of(url)["error"])
        assert "needs WeasyPrint 70.0, found 71.0" in error
        assert "pip install weasyprint==70.0" in error and "internal error" not in error
    finally:
        process.send_signal(2)
        process.wait(timeout=BOUND)


def _descendants(pid: int) -> list[int]:
    found, stack = [], [pid]
    while stack:
        for task in Path(f"/proc/{stack.pop()}/task").glob("*"):
            try:
                children = [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            found += children
            stack += children
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_stopping_the_preview_leaves_no_process(tmp_path: Path) -> None:
    """The preflight runs in a worker process; stopped, the preview leaves nothing
    behind (it once left the worker, ~200 MB, and its resource tracker)."""
    issue = tmp_path / "2023-01"
    shutil.copytree(SAMPLE, issue)
    manifest = issue / "issue.yaml"  # the sample has nothing to report; 8 pages it says
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("pages: 4", "pages: 8"),
                        encoding="utf-8")
    process, url = start_preview(issue)
    checking = []  # what the findings panel says while the worker checks the pages
    try:
        def checked() -> bool:
            state = state_of(url)
            if state["pages"]:
                checking.append(state["checking"])
            return bool(state.get("findings")) and not state["checking"]

        until(checked, "findings from the preflight worker")
        # The pages came first, said to be under check (检查中…), then the findings.
        assert checking[0] is True and checking[-1] is False
        assert state_of(url)["tally"] == "0 errors, 1 warning, 5 notes"  # pages: 8
        workers = _descendants(process.pid)
        assert workers
    finally:
        process.send_signal(2)
        process.wait(timeout=BOUND)
    assert process.stderr is not None
    said = process.stderr.read()
    assert "preview stopped." in said
    assert "Traceback" not in said and "Warning" not in said  # e.g. leaked semaphores
    until(lambda: not any(_alive(pid) for pid in workers), "the workers ended")
