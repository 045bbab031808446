"""The print build's worker server forked from the command's own process as it
starts (runs/fork_server.py, commands/entry.py), before the CLI is imported:
its import of WeasyPrint, what a cold build's first page run waits for, begins
~0.1 s sooner, without a new interpreter's start. It behaves as the server
Python starts: its workers typeset, it ignores Ctrl-C, and it ends with the
process that forked it, however that ended."""

from __future__ import annotations

import inspect
import os
import shutil
import signal
import subprocess
import sys
import time
from multiprocessing import forkserver
from pathlib import Path

import pytest

from bulletin_press.commands import entry
from bulletin_press.runs import fork_server

from .conftest import ROOT, SAMPLE
from .processes import running


def _wait_for(condition: object, what: str) -> None:
    deadline = time.monotonic() + 60  # a bound for a busy machine; it takes < 1 s
    while not condition() and time.monotonic() < deadline:  # type: ignore[operator]
        time.sleep(0.01)
    assert condition(), what  # type: ignore[operator]



def _parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[1])


def test_pythons_forkserver_keeps_what_fork_server_records() -> None:
    # What ForkServer.ensure_running sets when it starts a server, and the server
    # loop's arguments: fork_server does the same by other means.
    source = inspect.getsource(forkserver.ForkServer.ensure_running)
    for name in fork_server._RECORDED:
        assert f"self.{name} = " in source, name
    assert hasattr(forkserver.ForkServer(), "_lock")
    assert list(inspect.signature(forkserver.main).parameters)[:3] == [
        "listener_fd", "alive_r", "preload"]
    assert not any(hasattr(forkserver.ForkServer(), n) for n in fork_server._UNKNOWN)


def test_pythons_resource_tracker_keeps_what_fork_tracker_records() -> None:
    # What ResourceTracker.ensure_running sets when it starts a tracker, and the
    # tracker loop's argument: fork_tracker does the same by other means.
    from multiprocessing import resource_tracker

    source = inspect.getsource(resource_tracker.ResourceTracker.ensure_running)
    for name in fork_server._TRACKER_RECORDED:
        assert f"self.{name} = " in source, name
    assert "resource_tracker import main;main(%d)" in source  # its own loop, given its pipe
    assert list(inspect.signature(resource_tracker.main).parameters) == ["fd"]
    tracker = resource_tracker.ResourceTracker()
    assert hasattr(tracker, "_lock")
    assert not any(hasattr(tracker, n) for n in fork_server._TRACKER_UNKNOWN)


# A fresh process, as the command's is when it starts: the server forked from it
# serves the pool, ignores Ctrl-C and typesets; `fallback`: another thread runs,
# so Python starts its own server.
FORKED = """
import os, signal, sys, threading
from multiprocessing import forkserver
from bulletin_press.runs import worker

if sys.argv[1] == "fallback":
    stop = threading.Event()
    threading.Thread(target=stop.wait).start()
worker.start_workers(2, fork=True)
server = forkserver._forkserver._forkserver_pid
os.kill(server, signal.SIGINT)  # a Ctrl-C reaches the whole process group
with worker.worker_pool(2) as pool:
    parents = {pool.submit(os.getppid).result() for _ in range(4)}
    run = pool.submit(worker.typeset_run, "<p>新泾镇 Service Points 021-6238 1234</p>",
                      {}).result()
command = open(f"/proc/{server}/cmdline", "rb").read()  # serving: its own by now
print("own interpreter", b"multiprocessing." + b"forkserver import main" in command,
      "same command",
      command == open("/proc/self/cmdline", "rb").read())
print("served by it", parents == {server}, "pages", run.pages, run.pdf[:5].decode())
worker.end_workers()
if sys.argv[1] == "fallback":
    stop.set()
print("server", server, flush=True)
if sys.argv[2] == "kill":
    worker.start_workers(2)  # its two workers forked ahead, then killed
    pool = worker._kept.pool
    while len(pool._processes) < 2:
        pool.submit(os.getpid).result()
    print("workers", *pool._processes, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
"""


def _forked(how: str, end: str) -> tuple[str, list[int]]:
    out = subprocess.run([sys.executable, "-c", FORKED, how, end], capture_output=True,
                         text=True, cwd=ROOT, timeout=120)
    assert out.returncode == (-signal.SIGKILL if end == "kill" else 0), out.stderr
    assert "Traceback" not in out.stderr, out.stderr
    pids = [int(word) for line in out.stdout.splitlines()
            if line.startswith(("server", "workers")) for word in line.split()[1:]]
    return out.stdout, pids


def test_the_forked_server_serves_ignores_ctrl_c_and_ends_with_its_process() -> None:
    out, (server,) = _forked("fork", "exit")
    assert "own interpreter False same command True" in out
    assert "served by it True pages 1 %PDF-" in out
    _wait_for(lambda: not running(server), "the server ended with its process")


def test_the_forked_server_and_its_workers_end_when_the_process_is_killed() -> None:
    _, (server, *workers) = _forked("fork", "kill")
    assert len(workers) == 2
    for pid in (server, *workers):
        _wait_for(lambda pid=pid: not running(pid), f"{pid} ended after kill -9")  # type: ignore[misc]


def test_with_another_thread_python_starts_the_server() -> None:
    out, (server,) = _forked("fallback", "exit")
    assert "own interpreter True same command False" in out
    assert "served by it True pages 1 %PDF-" in out
    _wait_for(lambda: not running(server), "Python's server ended with its process")


# The command as the console script runs it; the fork is watched.
COMMAND = """
import sys
from bulletin_press.runs import fork_server
real = fork_server.fork_server
def watched(preload):
    print("forked; the CLI imported:", "click" in sys.modules, file=sys.stderr)
    return real(preload)
fork_server.fork_server = watched
sys.argv = ["bulletin-press", *sys.argv[1:]]
from bulletin_press.commands.entry import run
run()
"""


def _command(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", COMMAND, *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_a_build_forks_its_server_before_the_cli_unless_nothing_is_typeset(
        tmp_path: Path) -> None:
    project = tmp_path / "project"
    issue = project / "issues" / "2023-01"
    shutil.copytree(SAMPLE, issue)
    (project / "layouts").symlink_to(ROOT / "layouts")
    (project / "fonts").mkdir()
    target = tmp_path / "out.pdf"
    first = _command("build", issue, "-j", "2", "-o", target)
    assert first.returncode == 0, first.stderr
    assert "forked; the CLI imported: False" in first.stderr
    assert "4 pages" in first.stdout
    assert "leaked" not in first.stderr and "Traceback" not in first.stderr
    again = _command("build", issue, "-j", "2", "-o", target)  # all runs stored
    assert again.returncode == 0 and "0 typeset" in again.stdout, again.stdout
    assert "forked" not in again.stderr
    one = _command("build", issue, "-j", "1", "--no-cache", "-o", target)
    assert one.returncode == 0 and "forked" not in one.stderr
    # A command that fails before it builds ends the workers it started: nothing
    # left for the resource tracker to warn of.
    failed = _command("build", issue, "--no-cache", "--marks", "--pdf-x", "-o", tmp_path)
    assert failed.returncode != 0 and "forked" in failed.stderr
    assert "leaked" not in failed.stderr and "Traceback" not in failed.stderr


def test_which_commands_fork_the_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    issue = str(tmp_path)
    other = str(tmp_path / "other")
    os.mkdir(other)
    asked = {
        ("build", issue): (tmp_path, True),
        ("--lang", "zh", "build", issue, "--no-cache"): (tmp_path, False),
        ("build", "--lang=en", "-j", "2", "-o", "x.pdf", "--strict", issue): (tmp_path, True),
        ("build", issue, "-j2", "--output=x.pdf", "--marks", "--pdf-x"): (tmp_path, True),
        ("build", "--jobs=3", "--", issue): (tmp_path, True),
        ("check", issue, "--format", "json", "--typography"): (tmp_path, True),
        ("build", issue, "-j", "1"): None,
        ("build", issue, "-j1"): None,
        ("build", issue, "--jobs=1"): None,
        ("build", issue, "-j", "many"): None,
        ("build", issue, other): None,  # several issues: one process each
        ("build", issue, "--tagged"): None,  # one document
        ("build", "--help"): None,
        ("build", issue, "-h"): None,
        ("--help",): None,
        ("build", str(tmp_path / "missing")): None,
        ("build", issue, "-o"): None,
        ("check", issue, "--no-cache"): None,
        ("archive", issue): None,
        ("preview", issue): None,
        (): None,
    }
    for args, expected in asked.items():
        assert entry.typesetting_command(list(args)) == expected, args
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert entry.typesetting_command(["build", issue]) is None
    assert entry.typesetting_command(["build", issue, "-j", "2"]) == (tmp_path, True)


def test_a_store_that_cannot_be_read_leaves_the_start_to_the_command(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def unreadable(issue_dir: Path) -> bool:
        raise PermissionError(issue_dir)

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(entry, "runs_stored", unreadable)
    assert entry.start_typesetting(["build", str(tmp_path)]) is False  # no traceback here


# The start of `build --no-cache` in a fresh interpreter, up to the server's fork
# (which is not made: what is there by then is printed instead).
AT_FORK = """
import sys
from multiprocessing import resource_tracker
from bulletin_press.runs import fork_server
def watched(preload):
    tracker = resource_tracker._resource_tracker._pid
    print("CLI imported", "click" in sys.modules, "tracker forked", tracker is not None
          and open(f"/proc/{tracker}/cmdline", "rb").read()
          == open("/proc/self/cmdline", "rb").read())
    raise SystemExit(0)
fork_server.fork_server = watched
from bulletin_press.commands import entry
entry.start_typesetting(["build", sys.argv[1], "-j", "2", "--no-cache"])
"""


def test_the_resource_tracker_is_forked_before_the_server(tmp_path: Path) -> None:
    """Python's resource tracker, which the workers' pool needs, is there when the
    server is forked, forked from this process, not a new interpreter started
    beside it and the server (~15 ms of CPU while the first page run waits)."""
    out = subprocess.run([sys.executable, "-c", AT_FORK, str(tmp_path)], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["CLI", "imported", "False", "tracker", "forked", "True"], \
        out.stdout


# A fresh process forks the tracker, makes a named semaphore as the pool's queues do,
# and dies (`kill`) without unregistering it, or ends having freed it (`exit`).
TRACKED = """
import os, signal, sys
from multiprocessing import get_context, resource_tracker
from bulletin_press.runs import fork_server
pid = fork_server.fork_tracker()
lock = get_context("forkserver").Lock()
print("same command", open(f"/proc/{pid}/cmdline", "rb").read()
      == open("/proc/self/cmdline", "rb").read(), "kept", resource_tracker.getfd() is not None
      and resource_tracker._resource_tracker._pid == pid)
print("semaphore", lock._semlock.name.lstrip("/"), "tracker", pid, flush=True)
if sys.argv[1] == "kill":
    os.kill(os.getpid(), signal.SIGKILL)
del lock
"""


@pytest.mark.parametrize("end", ["kill", "exit"])
def test_the_forked_resource_tracker_unlinks_what_a_killed_build_left(end: str) -> None:
    """Python's resource tracker forked (fork_tracker), not started as a new
    interpreter: it serves the process's semaphores as Python's would, unlinks
    one a killed process left (with Python's warning) and ends with the process."""
    out = subprocess.run([sys.executable, "-c", TRACKED, end], capture_output=True, text=True,
                         cwd=ROOT, timeout=120)  # returns once the tracker closed stderr
    assert out.returncode == (-signal.SIGKILL if end == "kill" else 0), out.stderr
    assert "same command True kept True" in out.stdout, out.stdout + out.stderr
    words = out.stdout.split()
    semaphore, tracker = words[words.index("semaphore") + 1], int(words[-1])
    _wait_for(lambda: not running(tracker), "the tracker ended with its process")
    assert not Path("/dev/shm", "sem." + semaphore).exists()
    assert ("leaked semaphore" in out.stderr) == (end == "kill"), out.stderr
    assert "Traceback" not in out.stderr, out.stderr
