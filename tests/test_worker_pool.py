"""One pool of typesetting processes per build: forked ahead, as soon as the
worker server is ready, and kept through the page plan's rounds (each round
forked two fresh workers before, ~15 ms and a cold WeasyPrint each); ended when
the build is done, with nothing left for Python's resource tracker to warn of."""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bulletin_press.build import pipeline
from bulletin_press.build.pipeline import build_runs
from bulletin_press.runs import plan, worker

from .conftest import ROOT, SAMPLE
from .processes import running


def _wait_for(condition: object, what: str) -> None:
    deadline = time.monotonic() + 60  # a bound for a busy machine; it takes < 1 s
    while not condition() and time.monotonic() < deadline:  # type: ignore[operator]
        time.sleep(0.01)
    assert condition(), what  # type: ignore[operator]


def test_the_workers_are_forked_ahead_and_kept_between_rounds(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Kept however slow the machine is between rounds: the idle end has its own test.
    monkeypatch.setattr(worker, "IDLE_SECONDS", 3600.0)
    worker.start_workers(2)
    pool = worker._kept.pool
    assert pool is not None
    # Forked without a task of ours: they wait for the first round.
    _wait_for(lambda: len(pool._processes) == 2, "two workers forked ahead")
    forked = set(pool._processes)
    for _round in range(3):
        with worker.worker_pool(2) as same:
            assert same is pool
            pids = {same.submit(os.getpid).result() for _ in range(4)}
            assert same.submit(gc.get_threshold).result() == worker.WORKER_GC_THRESHOLD
        assert pids <= forked
    assert set(pool._processes) == forked
    worker.end_workers()
    assert worker._kept.pool is None
    assert not pool._processes  # joined


def test_unused_workers_end_by_themselves(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(worker, "IDLE_SECONDS", 0.01)
    with worker.worker_pool(2) as pool:
        pool.submit(os.getpid).result()
    _wait_for(lambda: worker._kept.pool is None, "the idle pool retired")
    with worker.worker_pool(2) as again:
        assert again is not pool
        again.submit(os.getpid).result()
    worker.end_workers()


def test_a_failing_round_ends_the_workers() -> None:
    with pytest.raises(ZeroDivisionError), worker.worker_pool(2) as pool:
        pool.submit(divmod, 1, 0).result()
    assert worker._kept.pool is None


@pytest.mark.slow
def test_a_build_uses_one_pool_and_ends_it(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "project"
    shutil.copytree(SAMPLE, project / "issues" / "2023-01")
    (project / "layouts").symlink_to(ROOT / "layouts")
    (project / "fonts").mkdir()
    pools: list[object] = []
    real = plan.worker_pool

    def counted(processes: int) -> object:
        pools.append(real(processes))
        return pools[-1]

    monkeypatch.setattr(plan, "worker_pool", counted)
    built = build_runs(project / "issues" / "2023-01", jobs=2, store=False)
    assert built.rounds >= 2 and len(pools) >= 2  # the sample's page plan takes rounds
    assert len({id(p) for p in pools}) == 1
    assert worker._kept.pool is None



def test_released_workers_end_without_being_waited_for() -> None:
    with worker.worker_pool(2) as pool:
        pids = {pool.submit(os.getpid).result() for _ in range(4)}
        worker.release_workers()  # in use: kept
        assert worker._kept.pool is pool
    worker.release_workers()
    assert worker._kept.pool is None  # a new round would get new workers
    _wait_for(lambda: not any(running(pid) for pid in pids), "the released workers ended")
    worker.end_workers()
    assert not worker._kept.holders


@pytest.mark.slow
def test_a_builds_workers_end_while_its_runs_are_assembled(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "project"
    shutil.copytree(SAMPLE, project / "issues" / "2023-01")
    (project / "layouts").symlink_to(ROOT / "layouts")
    (project / "fonts").mkdir()
    kept: list[object] = []
    real = pipeline._assembled

    def assembled(*args: object) -> bytes:
        kept.append(worker._kept.pool)  # the workers are ending by now
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "_assembled", assembled)
    build_runs(project / "issues" / "2023-01", jobs=2, store=False)
    assert kept == [None]
    assert worker._kept.pool is None and not worker._kept.holders


@pytest.mark.slow
def test_the_cli_leaves_nothing_to_warn_of(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(SAMPLE, project / "issues" / "2023-01")
    (project / "layouts").symlink_to(ROOT / "layouts")
    (project / "fonts").mkdir()
    out = subprocess.run([sys.executable, "-m", "bulletin_press", "build",
                          str(project / "issues" / "2023-01"), "-j", "2", "--no-cache",
                          "-o", str(tmp_path / "out.pdf")],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert "resource_tracker" not in out.stderr and "leaked" not in out.stderr, out.stderr


def _semaphore_files(pool: object) -> list[Path]:
    """The named semaphores of a pool's queues (what the resource tracker counts)."""
    queues = [pool._call_queue, pool._result_queue]  # type: ignore[attr-defined]
    locks = [getattr(q, name, None) for q in queues for name in ("_rlock", "_wlock", "_sem")]
    names = [lock._semlock.name for lock in locks if lock is not None]
    return [Path("/dev/shm") / ("sem." + name.lstrip("/")) for name in names if name]


@pytest.mark.skipif(not Path("/dev/shm").is_dir(), reason="named semaphores not in /dev/shm")
def test_a_build_that_fails_while_workers_fork_leaves_no_semaphores(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A build may fail (and its process exit) while the fork-ahead thread still
    holds the pool: end_workers returns only once nothing holds it, its
    semaphores unlinked. The thread is held here until end_workers waits for it."""
    import threading
    import weakref

    release = threading.Event()
    real_exit = worker._KeptPool.__exit__

    def held_exit(self: worker._KeptPool, *args: object) -> None:
        release.wait()  # the fork-ahead thread: its `with pool` block not yet left
        real_exit(self, *args)

    monkeypatch.setattr(worker._KeptPool, "__exit__", held_exit)
    try:
        worker.start_workers(2)
        pool = worker._kept.pool
        assert pool is not None
        files = _semaphore_files(pool)
        assert files and all(f.exists() for f in files)
        gone = weakref.ref(pool)
        del pool
        forkers = [t for t in worker._kept.holders if t.name == "fork-workers"]
        assert len(forkers) == 1 and forkers[0].is_alive()
        real_join = forkers[0].join

        def join(timeout: float | None = None) -> None:
            release.set()  # end_workers waits for it: let it leave the block
            real_join(timeout)

        forkers[0].join = join  # type: ignore[method-assign]
        worker.end_workers()  # as the failed build's `finally` does, before os._exit
        assert not forkers[0].is_alive()
        assert gone() is None  # nothing holds the pool, nothing to warn of:
        assert not [f for f in files if f.exists()]  # its semaphores are unlinked
    finally:
        release.set()
        worker.end_workers()
