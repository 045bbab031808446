"""A page run's typesetting, as a worker process does it (see runs.py).

Kept apart from runs.py so that a worker needs only the typesetter: the print
build's workers are forked from a server started with the CLI, which imports
this module and WeasyPrint while the CLI imports the rest and prepares the
issue (see `start_workers`).
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bulletin_press.diagnostics import Diagnostic
from bulletin_press.layout.geometry import Geometry
from bulletin_press.typeset.page_facts import PageFacts

if TYPE_CHECKING:
    from bulletin_press.typeset.engine import Typeset

LINK_PREFIX = "bp-dest:"  # a link to an anchor in another run, resolved by assemble.py
# The suffix of a resumed article's anchors (plan.py `resumed_flows`): the whole
# article's are the run's before it.
RESUMED = "-resumed"


@dataclass
class TypesetRun:
    html: str
    pdf: bytes
    pages: int
    anchors: dict[str, int]  # anchor → page within the run (1-based)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    reads: list[Path] = field(default_factory=list)  # files fetched through the fence
    holes: list[str] = field(default_factory=list)  # photos that left empty lines above
    fill: list[list[int]] = field(default_factory=list)  # per page: lines used per column
    # Per page: what the preflight checks (typeset/page_facts.py); empty: not known.
    facts: list[PageFacts] = field(default_factory=list)
    # anchor → its box on the page `anchors` gives (pt, from the trimmed page's top-left).
    boxes: dict[str, list[float]] = field(default_factory=dict)
    # Runs cut inside flowing text (plan.py): the foot of the last page's text, in
    # CSS px from the top of the page's text area (where the next run goes on),
    # and, set by the plan, the height of the previous run's tail left free at the
    # top of this run's first page (> 0: that page is the previous run's last).
    foot: float = 0.0
    spacer: float = 0.0
    # Of each article the body holds directly: the page (within the run) where the
    # text before it ends and that text's foot there, as `foot` would be for a run
    # ending before it (the spacer of a run cut there; see plan.py `_recut`).
    feet: dict[str, tuple[int, float]] = field(default_factory=dict)
    # Articles the keep guard started on a new page (their anchors): noted by the build,
    # which has the issue to name them (typeset/guard_notes.py `headline_moved`).
    moved: list[str] = field(default_factory=list)
    # Pages (within the run, from the second) whose text opens with a paragraph's
    # first line, nothing above it: page → (the ids of the elements holding it,
    # its text). A later round of the page plan may keep the pages before and
    # typeset the run from there (plan.py `resumed_flows`).
    tops: dict[int, tuple[list[str], str]] = field(default_factory=dict)
    # Pages (within the run, from the second) whose text opens with a line of a
    # paragraph begun on an earlier page: page → (the ids of the elements holding
    # it, the paragraph's text, that line's text). The run may resume there too,
    # the paragraph cut before that line (plan.py `resumed_flows`).
    cuts: dict[int, tuple[list[str], str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Guards:
    """What the typesetter checks a run against: headlines kept with their text,
    photos that must not leave a hole (see typeset.py); lengths in pt."""

    keeps: list[tuple[str, str]] = field(default_factory=list)
    markers: list[tuple[str, str]] = field(default_factory=list)
    column_width: float = 0.0
    line: float = 0.0
    columns: int = 0  # with `gap`: to measure the columns' fill for the page plan
    gap: float = 0.0
    geometry: Geometry | None = None  # to find the preflight's page facts


@dataclass(frozen=True)
class Part:
    """A run typeset within a chunk: consecutive runs as one document, for the
    fixed costs of a document (stylesheets, styles, fonts, writing, collecting)
    paid once. Every run starts on a new page and its margin boxes are the
    frame's, so its pages are the ones it would get alone; the chunk's pages are
    cut into runs (each stored as typeset from its own HTML) at the page holding
    the run's first article."""

    html: str  # the run's own HTML, as if typeset alone
    anchors: frozenset[str]  # its articles
    first: str  # the anchor of its first article
    guards: Guards


@dataclass(frozen=True)
class Job:
    html: str
    user_css: str | None
    guards: Guards
    parts: tuple[Part, ...] = ()  # a chunk: the runs it holds; else one run


def typeset_run(html: str, mounts: dict[str, Path], user_css: str | None = None,
                guards: Guards | None = None) -> TypesetRun:
    """Typeset one run; links to anchors in other runs are kept for assemble.py."""
    from bulletin_press.layout.fence import Fence
    from bulletin_press.typeset.engine import typeset

    fence = Fence(mounts)
    guards = guards or Guards()
    result = typeset(html, fence.url("issue"), fence, user_css, guards.keeps)
    return _written(result, html, result.document.pages, guards, result.moved,
                    framed=user_css is not None)


def _written(result: Typeset, html: str, pages: list[Any], guards: Guards, moved: list[str],
             *, framed: bool) -> TypesetRun:
    """`pages` of a typeset document as a run's PDF."""
    from bulletin_press.typeset.column_fill import (
        article_feet,
        document_fill,
        page_cuts,
        page_foot,
        page_tops,
        truncated_pages,
    )
    from bulletin_press.typeset.engine import Typeset, write_pdf
    from bulletin_press.typeset.page_facts import document_facts

    part = result if pages is result.document.pages else Typeset(
        result.document.copy(pages), result.fence, result.log, moved=moved)
    holes = result.holes(guards.markers, guards.column_width, guards.line)
    anchors = {a for page in pages for a in page.anchors}
    for page in pages:
        page.links[:] = [
            ("external", LINK_PREFIX + target, rect, box)
            if kind == "internal" and target not in anchors else (kind, target, rect, box)
            for kind, target, rect, box in page.links]
    # A framed run's fonts are embedded once for the issue by assemble.py; the
    # preview's runs share one subset of each font (see typeset/ext/font_programs.py)
    # and are not compressed (they never leave the process; assemble compresses).
    pdf = write_pdf(part, fonts="placeholder" if framed else "shared", compress=framed)
    # Every file the document read, a chunk's too: a run is reused from the store
    # only while they are unchanged (for a chunk's runs, more than they need).
    fill = document_fill(pages, guards.columns, guards.column_width, guards.gap,
                         guards.line) if guards.columns else []
    # After writing: drawing is what they measure (each text box shaped as drawn).
    facts = document_facts(pages, guards.geometry) if guards.geometry else []
    truncated = truncated_pages(pages)
    boxes: dict[str, list[float]] = {}
    for page in pages:
        for anchor, box in page.anchors.items():
            boxes.setdefault(anchor, [value * 0.75 for value in box])  # CSS px → pt
    return TypesetRun(html, pdf, part.page_count, part.anchor_pages(), part.diagnostics(),
                      sorted(set(result.fence.reads)), holes, fill, facts, boxes,
                      foot=page_foot(pages[-1]) if pages else 0.0, feet=article_feet(pages),
                      moved=list(part.moved), tops=page_tops(pages, truncated),
                      cuts=page_cuts(pages, truncated))


def typeset_chunk(job: Job, mounts: dict[str, Path]) -> list[TypesetRun]:
    """The runs of a chunk, cut from one document; typeset one by one instead if
    the chunk cannot be cut by its articles or WeasyPrint had anything to say
    (what it said could not be told apart by run)."""
    from bulletin_press.layout.fence import Fence
    from bulletin_press.typeset.engine import typeset

    fence = Fence(mounts)
    result = typeset(job.html, fence.url("issue"), fence, job.user_css, job.guards.keeps)
    found = result.anchor_pages()
    starts = [1] + [found.get(part.first, 0) for part in job.parts[1:]]
    if result.log or fence.refusals or starts != sorted(set(starts)):
        del result
        gc.collect()
        return [typeset_run(part.html, mounts, job.user_css, part.guards) for part in job.parts]
    ends = [*starts[1:], result.page_count + 1]
    return [_written(result, part.html, result.document.pages[start - 1:end - 1], part.guards,
                     [a for a in result.moved if a in part.anchors], framed=True)
            for part, start, end in zip(job.parts, starts, ends, strict=True)]


def typeset_job(job: Job, mounts: dict[str, Path]) -> list[TypesetRun]:
    if job.parts:
        return typeset_chunk(job, mounts)
    return [typeset_run(job.html, mounts, job.user_css, job.guards)]


def typeset_collected(job: Job, mounts: dict[str, Path]) -> list[TypesetRun]:
    runs = typeset_job(job, mounts)
    # A typeset document is a big web of reference cycles (boxes and their
    # parents) that Python's collector reaches late: ~60 MB a run would pile up.
    # Collected once the runs are on their way, not before: the build waits for
    # them (bench-16: ~9 ms after round 1's longest chunk, ~4 ms after round 2's
    # lone run), the worker does not.
    _collect_soon()
    return runs


COLLECT_AFTER = 0.005  # s: a result's pickling and writing to the pipe take < 1 ms


def _collect_soon() -> None:
    """A full collection in a thread of this worker, `COLLECT_AFTER` from now: the
    job's result is sent meanwhile (the pool's worker loop writes it once the job
    returns), and the worker then waits for its next job. One that comes sooner
    waits for the collection, as it waited before for the one a job ended with."""
    timer = threading.Timer(COLLECT_AFTER, gc.collect)
    timer.daemon = True  # (a worker told to end does not wait for it)
    timer.start()


def start_workers(processes: int | None = None, *, fork: bool = False) -> None:
    """Start the server the print build's workers are forked from, now: it
    imports the typesetter while the caller goes on (the first build's workers
    would otherwise wait ~0.3 s for it, or inherit it from a parent that had to
    import WeasyPrint first), and fork the workers (`processes`, default one per
    CPU core) as soon as it is ready, in the background: the first round's
    runs find them waiting. The server and its workers ignore Ctrl-C: the
    build's main process stops them, instead of each printing a traceback.

    `fork`: the server is forked from this process (runs/fork_server.py) when it
    can be, instead of started as a new interpreter: for a command's process at
    its very start (commands/entry.py), which has imported next to nothing and
    runs no other thread. Called again (the command found it started), nothing
    more is done."""
    import os

    processes = processes or os.cpu_count() or 1
    with _kept.lock:
        pool = _kept.pool
        if pool is not None and pool.size >= processes and pool.forked_ahead:
            return
    _start_server(fork=fork)
    if processes > 1:
        pool = worker_pool(processes)  # here: end_workers finds it, whenever it is called
        forker = threading.Thread(target=_fork_ahead, args=(pool,), name="fork-workers",
                                  daemon=True)
        _hold(forker)
        pool.forked_ahead = True
        forker.start()


# The server's preload: WeasyPrint first (warm.py imports it with the collector off).
PRELOAD = ["bulletin_press.typeset.warm", __name__]


def _start_server(*, fork: bool = False) -> None:
    import signal
    import threading
    from multiprocessing import forkserver

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    if fork:
        from bulletin_press.runs.fork_server import fork_server

        if fork_server(PRELOAD) is not None:
            return
    if threading.current_thread() is not threading.main_thread():
        forkserver.ensure_running()
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # inherited through exec
    try:
        forkserver.ensure_running()
    finally:
        signal.signal(signal.SIGINT, previous)


def worker_context() -> Any:
    """Where the print build's workers come from (see start_workers)."""
    return multiprocessing.get_context("forkserver")


def end_with(pid: int) -> None:
    """In a worker process: end at once when process `pid` (the build or preview
    that started it) has ended, however it ended. Python's pools stop their
    workers only when the process that started them shuts them down; after a
    `kill -9` nobody does, and a worker waits on its task queue (which it holds
    open itself) forever, ~200 MB, keeping the worker server and Python's
    resource tracker alive with it."""
    import os
    import select
    import threading
    import time

    def watch() -> None:
        try:
            handle = os.pidfd_open(pid)  # readable once the process has ended (Linux)
        except ProcessLookupError:
            os._exit(0)
        except (AttributeError, OSError):  # no pidfd here: ask twice a second
            while process_alive(pid):
                time.sleep(0.5)
            os._exit(0)
        select.select([handle], [], [])
        os._exit(0)

    threading.Thread(target=watch, name="end-with-starter", daemon=True).start()


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs (one of another user's counts)."""
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _start_worker(starter: int) -> None:
    from bulletin_press.typeset.engine import keep_font_configuration

    end_with(starter)
    keep_font_configuration()  # a worker's documents are one build's
    # A worker's modules live as long as it does: frozen, its collections skip them.
    gc.freeze()
    # Its garbage is a finished document's boxes, collected after each job
    # (typeset_collected): the collector's own rounds while a document is laid out
    # (~130 for text-16's biggest run, ~3 % of its CPU) find little to free.
    gc.set_threshold(*WORKER_GC_THRESHOLD)


WORKER_GC_THRESHOLD = (50_000, 20, 100)  # Python's default: (700, 10, 10)


def worker_pool(processes: int) -> Any:
    """A pool of print-build workers (a ProcessPoolExecutor), forked from the
    worker server (see start_workers); they end with the calling process.

    One pool serves every round of a build (the page plan's rounds, the runs
    typeset again): leaving its `with` block keeps the workers, WeasyPrint warm
    in each, for the next round; they end once unused for `IDLE_SECONDS`. An
    exception in the block (Ctrl-C, a worker that died) ends them at once."""
    with _kept.lock:
        pool = _kept.pool
        if pool is not None and pool.size < processes:
            pool.shutdown()  # idle (its users are done): another takes its place
            pool = None
        if pool is None:
            _start_server()  # unless the CLI did already
            pool = _kept.pool = _KeptPool(processes)
        pool.cancel_retirement()
        pool.users += 1
        return pool


IDLE_SECONDS = 2.0  # a kept pool's workers end after this long unused


class _KeptPool(ProcessPoolExecutor):
    """See worker_pool."""

    def __init__(self, processes: int) -> None:
        import os

        super().__init__(max_workers=processes, mp_context=worker_context(),
                         initializer=_start_worker, initargs=(os.getpid(),))
        self.size = processes
        self.users = 0  # `with` blocks (or callers of worker_pool) using it now
        self.forked_ahead = False  # its workers forked by start_workers
        self._timer: threading.Timer | None = None

    def __enter__(self) -> _KeptPool:
        return self

    def __exit__(self, kind: object, *_: object) -> None:
        with _kept.lock:
            self.users -= 1
            if kind is None and self.users <= 0 and _kept.pool is self:
                self._timer = threading.Timer(IDLE_SECONDS, self._idle)
                self._timer.daemon = True
                self._timer.start()
        if kind is not None:
            self.shutdown(cancel_futures=True)

    def cancel_retirement(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            _hold(self._timer)  # it holds the pool until it wakes and sees that
            self._timer = None

    def _idle(self) -> None:
        with _kept.lock:  # no longer kept from here on: a new user gets another pool
            if self._timer is None or self.users > 0:
                return
            self._timer = None
            if _kept.pool is self:
                _kept.pool = None
        self.shutdown(cancel_futures=True)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """End the workers and keep the pool no more (`wait`: until they have
        ended; a process that exits next must wait, see end_workers)."""
        with _kept.lock:
            self.cancel_retirement()
            if _kept.pool is self:
                _kept.pool = None
        super().shutdown(wait=wait, cancel_futures=cancel_futures)


def release_workers() -> None:
    """Begin ending the kept pool's workers, without waiting: a build calls this
    when its last page run is typeset, so that their exits (~15 ms, a typeset
    worker's memory given back) overlap its assembling; `end_workers` waits for
    them. Not while the pool is in use."""
    with _kept.lock:
        pool = _kept.pool
        if pool is None or pool.users > 0:
            return
        manager: Any = pool._executor_manager_thread  # ends once its workers have
        if manager is not None:
            _hold(manager)
    pool.shutdown(wait=False)


def end_workers() -> None:
    """End the kept pool's workers and wait for them: a build calls this when
    its typesetting is done, before the process exits without Python's teardown
    (whose resource tracker would otherwise warn of the pool's semaphores)."""
    with _kept.lock:
        pool = _kept.pool
    if pool is not None:
        # Seen once under load (CI, 2 cores): EBADF from the executor's wakeup pipe
        # when a build failed while the workers were still being forked. The workers
        # end with their server when this process exits; a traceback here would
        # only hide the build's own message.
        with contextlib.suppress(OSError):
            pool.shutdown()
    del pool
    with _kept.lock:  # after the shutdown, which cancels the pool's retirement timer
        holders, _kept.holders = _kept.holders, []
    # A thread holds its pool (and so the pool's semaphores) until it returns: a
    # build that failed while the workers were still being forked exited before
    # the fork-ahead thread did, and the resource tracker warned of "leaked
    # semaphore objects". Both kinds end with the pool (the fork-ahead thread's
    # tasks have run, or submitting fails; a retirement timer was cancelled).
    for thread in holders:
        if thread is not threading.current_thread():
            thread.join()


@dataclass
class _Kept:
    pool: _KeptPool | None = None
    lock: threading.RLock = field(default_factory=threading.RLock)
    # Threads holding a pool: fork-ahead threads, cancelled retirement timers (see
    # end_workers).
    holders: list[threading.Thread] = field(default_factory=list)


_kept = _Kept()


def _hold(thread: threading.Thread) -> None:
    """Note a thread that holds a pool, for end_workers (those ended: forgotten; a
    preview's process cancels a timer each build)."""
    with _kept.lock:
        _kept.holders = [t for t in _kept.holders if t.is_alive()] + [thread]


def _fork_ahead(pool: _KeptPool) -> None:
    """Fork the kept pool's workers now (each as soon as the server is ready): a
    task each, submitted together, finds no idle worker and forks one. Whatever
    goes wrong here, the build meets again and reports."""
    import contextlib
    import os

    with contextlib.suppress(Exception), pool:
        for future in [pool.submit(os.getpid) for _ in range(pool.size)]:
            future.result()
