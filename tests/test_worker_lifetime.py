"""Worker processes end with the process that started them, however it ended:
after `kill -9` of a build, its worker server, workers and Python's resource
tracker are gone within seconds (they used to wait for minutes, ~200 MB each)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from .conftest import ROOT
from .processes import running

# A build's pool, as runs/plan.py makes it, with workers that have worked.
DRIVER = """
import os, sys, time
from bulletin_press.runs.worker import worker_pool

if __name__ == "__main__":
    pool = worker_pool(2)
    pids = {pool.submit(os.getpid).result() for _ in range(6)}
    print("ready", len(pids), flush=True)
    time.sleep(600)
"""


def _children() -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rpartition(")")[2].split()[1])
            found.setdefault(parent, []).append(int(entry.name))
    return found


def _descendants(pid: int) -> set[int]:
    children = _children()
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found



def test_worker_processes_end_when_the_build_is_killed(tmp_path: Path) -> None:
    script = tmp_path / "driver.py"
    script.write_text(DRIVER)
    driver = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE,
                              text=True, cwd=ROOT)
    started: set[int] = set()
    try:
        assert driver.stdout is not None
        assert driver.stdout.readline().startswith("ready")
        started = _descendants(driver.pid)
        # The resource tracker, the worker server and its workers.
        assert len(started) >= 3, started
        os.kill(driver.pid, signal.SIGKILL)
        driver.wait()
        deadline = time.monotonic() + 60  # a bound for a busy machine; it takes < 1 s
        while any(running(pid) for pid in started) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in started if running(pid)]
    finally:  # what this test started, should it fail
        for pid in [driver.pid, *started, *_descendants(driver.pid)]:
            if running(pid):
                os.kill(pid, signal.SIGKILL)
        driver.wait()
