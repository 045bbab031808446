"""Live preview: WeasyPrint's own pages in the browser, rebuilt when a source changes.

One long-lived process keeps WeasyPrint, fonts and imports warm. A watcher
thread polls the files the last build read (recorded by the fence and the
loader: manifest, article files, photos, layout, fonts) and rebuilds the page
runs that changed; a build whose files changed while it ran is not shown (a
save in two writes), the watcher builds again. The page (static assets in
assets/) gets each new state through server-sent events and fetches only the
pictures of pages whose content changed, rendered as soon as the build is out.
The findings follow from a worker process (findings.py), made from the same
runs. A broken manifest or template keeps the last good pages on screen under
an overlay with the error. Only loopback is bound; only the assets, the current
build and the mounted source folders (for the HTML view) are served.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import hashlib
import html
import io
import json
import os
import re
import string
import threading
import time
import traceback
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from bulletin_press.checks.report import ordered, tally_text
from bulletin_press.diagnostics import BuildError, Diagnostic, page_name
from bulletin_press.i18n import _, language, ngettext
from bulletin_press.layout.fence import VIRTUAL_ROOT, FenceRefused
from bulletin_press.preview.findings import Checker, CheckJob
from bulletin_press.runs.store import RunStore
from bulletin_press.runs.worker import TypesetRun

ASSETS = Path(__file__).parent / "assets"
_ASSET_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                ".css": "text/css; charset=utf-8"}
POLL_SECONDS = 0.02  # a stat of each watched file: cheap
# A failed build is shown only after its files stayed the same this long: a save is
# often two writes, and the first may leave a half-written file (a good build is
# shown at once unless its files changed while it ran, see Rebuilder.rebuild).
QUIET_SECONDS = 0.1
THUMB_SCALE = 0.25  # app.js's thumbnails
FIRST_PAGES = 3  # pictures rendered ahead of the browser's asking after the first build
Stamp = tuple[int, int]  # a file's modification time (ns) and size


@dataclass
class Snapshot:
    """One successful build, as the browser sees it."""

    run_pdfs: list[bytes]  # the page runs, typeset separately (see runs.py)
    index: list[tuple[int, int]]  # (run, page within the run) for each issue page
    pages: list[dict[str, Any]]  # number, hash, width/height (pt, with bleed), bleed
    findings: list[dict[str, Any]]
    html: str
    title: str
    seconds: float
    typeset_runs: int = 0
    check: CheckJob | None = None  # what the findings are made from
    plan: Any = None  # the page plan it was typeset with (layout.page_plan.PagePlan)
    # What the build said itself (the page plan's findings), before the checks'.
    said: list[dict[str, Any]] = field(default_factory=list)
    start: Any = None  # the plan the page plan's rounds started from (None: none)
    _merged: bytes | None = None

    @property
    def pdf(self) -> bytes:
        if self._merged is None:
            from bulletin_press.runs.plan import merged_pdf
            from bulletin_press.runs.worker import TypesetRun
            self._merged = merged_pdf([TypesetRun("", pdf, 0, {}) for pdf in self.run_pdfs])
        return self._merged


class Pictures:
    """Page pictures by (page hash, scale in %), each rendered once: a request for a
    picture being rendered (ahead of the browser, see Rebuilder.prerender) waits for it."""

    LIMIT = 200

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._done: dict[tuple[str, int], bytes] = {}
        self._pending: dict[tuple[str, int], threading.Event] = {}

    def __contains__(self, key: tuple[str, int]) -> bool:
        with self._lock:
            return key in self._done or key in self._pending

    def get(self, key: tuple[str, int], make: Callable[[], bytes]) -> bytes:
        with self._lock:
            png = self._done.get(key)
            if png is not None:
                return png
            event = self._pending.get(key)
            mine = event is None
            if event is None:
                event = self._pending[key] = threading.Event()
        if not mine:
            event.wait()
            with self._lock:
                png = self._done.get(key)
            return png if png is not None else make()  # its maker failed: try again
        try:
            png = make()
            with self._lock:
                if len(self._done) >= self.LIMIT:
                    self._done.clear()
                self._done[key] = png
            return png
        finally:
            with self._lock:
                del self._pending[key]
            event.set()


@dataclass
class PreviewState:
    issue_dir: Path
    version: int = 0
    snapshot: Snapshot | None = None
    error: list[str] | None = None  # formatted diagnostics of the last failed build
    watched: dict[Path, Stamp] = field(default_factory=dict)
    fence: Any = None
    changed: threading.Condition = field(default_factory=threading.Condition)
    pictures: Pictures = field(default_factory=Pictures)
    # The scales (in %) the browser asked pictures at lately, the page's first: the
    # next build's changed pages are rendered at them before they are asked for.
    scales: list[int] = field(default_factory=lambda: [100, round(THUMB_SCALE * 100)])
    runs: Any = None  # runs.RunCache, kept between builds
    # Set when a page picture of the newest build has been served: the findings,
    # CPU-heavy, wait for it so they do not slow the pictures down.
    served: threading.Event = field(default_factory=threading.Event)
    checking: bool = False  # the findings of the pages on screen are being made
    # When each step of the newest build ended (time.time(); see `Timeline`), for
    # bench/preview_latency.py.
    timeline: dict[str, float] = field(default_factory=dict)

    def public(self) -> dict[str, Any]:
        snap = self.snapshot
        findings = snap.findings if snap else []
        return {"version": self.version, "error": self.error,
                "title": snap.title if snap else None,
                "pages": snap.pages if snap else [],
                "findings": findings,
                "checking": self.checking,
                "status": _status(snap, self.error),
                "tally": tally_text({k: sum(f["severity"] == k for f in findings)
                                     for k in ("error", "warning", "info")}),
                "seconds": snap.seconds if snap else None}

    def mark(self, step: str) -> None:
        """The newest save's build reached `step` (the bench's breakdown; the first
        time counts: the pages shown first)."""
        self.timeline.setdefault(step, time.time())


def _status(snap: Snapshot | None, error: list[str] | None) -> str:
    if error:
        return _("the last change could not be built")
    if snap is None:
        return _("building…")
    return ngettext("{n} page, built in {seconds:.2f} s", "{n} pages, built in {seconds:.2f} s",
                    len(snap.pages)).format(n=len(snap.pages), seconds=snap.seconds)


def page_words() -> dict[str, str]:
    """The preview page's words in the current language (index.html's $names, and
    app.js's through the page)."""
    return {"lang": "zh-CN" if language() == "zh" else "en",
            "title": _("bulletin_press preview"), "building": _("building…"),
            "zoom_out": _("zoom out"), "zoom_in": _("zoom in"), "spreads": _("spreads"),
            "pages": _("pages"), "findings": _("Findings"), "checking": _("checking…"),
            "no_findings": _("nothing to report"),
            "failed": _("The last change could not be built"),
            "failed_note": _("The pages below are from the last good build. Fix the file and "
                             "save: the preview updates by itself."),
            "page": _("page {n}")}


def _finding(d: Diagnostic) -> dict[str, Any]:
    """A finding as the preview page shows it: the report's keys, and its words."""
    return d.as_dict() | {"text": d.format(), "label": d.severity.label,
                          "page_name": page_name(d.location.page) if d.location.page else None}


@functools.lru_cache(maxsize=128)  # an unchanged run keeps its PDF bytes between builds
def _page_hashes(pdf: bytes) -> tuple[str, ...]:
    import pikepdf

    hashes = []
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            digest = hashlib.sha1()
            contents: Any = page.obj.get("/Contents")
            streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
            for stream in streams:
                digest.update(stream.read_bytes())
            for name, xobject in sorted(page.obj.Resources.get("/XObject", {}).items()):
                digest.update(name.encode() + xobject.read_raw_bytes()[:4096])
            hashes.append(digest.hexdigest()[:16])
    return tuple(hashes)


class MemoryRuns(RunStore):
    """The preview's run store: typeset runs kept in memory by their HTML (as the
    print build keeps them on disk), while the files each read are unchanged. The
    page plan's rounds typeset an issue in several versions (without the plan's
    adjustments first, as `build` does); after an edit each version of an unchanged
    run is found here, only the edited run is typeset."""

    LIMIT = 96 * 2**20  # bytes of PDF kept (the preview's runs are not compressed)

    def __init__(self) -> None:  # nothing on disk: RunStore's folder is not used
        self._runs: OrderedDict[str, TypesetRun] = OrderedDict()
        # The files each run read, stamped when it was typeset (kept longer than runs).
        self._reads: dict[str, dict[Path, Stamp]] = {}

    def run_unchanged(self, run: TypesetRun) -> bool:
        """Whether the files `run` read (photos, fonts, stylesheets) are as they were
        when it was typeset: a photo replaced under the same name changes no HTML."""
        stamps = self._reads.get(run.html)
        return stamps is not None and _stamps(stamps) == stamps

    def get(self, html: str) -> TypesetRun | None:
        run = self._runs.get(html)
        if run is None:
            return None
        if not self.run_unchanged(run):
            del self._runs[html]
            return None
        self._runs.move_to_end(html)
        return run

    def put(self, run: TypesetRun) -> None:
        self._runs[run.html] = run
        self._runs.move_to_end(run.html)
        if len(self._reads) > 1000:
            self._reads = {html: self._reads[html] for html in self._runs if html in self._reads}
        self._reads[run.html] = _stamps(set(run.reads))
        while sum(len(r.pdf) for r in self._runs.values()) > self.LIMIT and \
                len(self._runs) > 1:
            self._runs.popitem(last=False)

    def remember(self, issue_root: Path, runs: list[TypesetRun]) -> None:
        pass

    def guess(self, issue_root: Path, count: int) -> list[TypesetRun]:
        return []

    # The rest of RunStore is about files on disk and the assembled PDF: none here.
    def note_files(self, issue_root: Path, files: Iterable[Path]) -> None:
        pass

    def unchanged(self, issue_root: Path) -> bool:
        return False

    def assembled(self, key: str) -> bytes | None:
        return None

    def keep_assembled(self, key: str, pdf: bytes) -> None:
        pass


def build_snapshot(state: PreviewState, start: Any = None, *, marks: bool = True
                   ) -> tuple[Snapshot, Any, set[Path]]:
    """Typeset the runs that changed; the findings come later (see findings.py), so
    that the pages reach the screen as soon as they exist. The page plan's rounds
    start from `start` (a PagePlan): from none they end where `build`'s do; from
    the last build's plan, which a small edit often leaves met, one round may do
    (see Rebuilder.rebuild). `marks`: its steps go in the state's timeline."""
    mark = state.mark if marks else lambda step: None
    from bulletin_press.build.pipeline import fit_runs, moved_notes
    from bulletin_press.layout.prepare import prepare
    from bulletin_press.runs.plan import RunCache, page_index
    from bulletin_press.typeset.guard_notes import photo_moved

    started = time.perf_counter()
    prepared = prepare(state.issue_dir)
    mark("prepared")
    if state.runs is None:
        state.runs = RunCache(store=MemoryRuns())
    store = state.runs.store
    assert isinstance(store, MemoryRuns)
    # A run whose photo (or font, or stylesheet) was replaced is typeset again: a
    # stand-in keeps its page numbers for the first round (as the store's guess).
    state.runs.runs = [run if store.run_unchanged(run) else TypesetRun("", b"", run.pages,
                                                                    run.anchors)
                       for run in state.runs.runs]
    if start is None:
        # Fitted from none as `build` does, with the photo guard from none as its: the
        # guard only moves photos on, and after an edit the last build's moves could
        # leave a photo further on than `build`'s (the colophon then alone on its page).
        # From a start plan (fast, replaced if not `build`'s) its moves stay.
        state.runs.shifts = {}
    fitted = fit_runs(prepared, state.runs, start)
    mark("typeset")
    prepared, runs = fitted.prepared, fitted.result
    g = prepared.layout.geometry
    run_hashes = [_page_hashes(run.pdf) for run in runs]
    hashes = [h for run in run_hashes for h in run]
    mark("hashed")
    pages = [{"number": i + 1, "hash": h, "width": g.page_width + 2 * g.bleed,
              "height": g.page_height + 2 * g.bleed, "bleed": g.bleed}
             for i, h in enumerate(hashes)]
    findings = [_finding(d) for d in ordered(prepared.diagnostics + fitted.findings)]
    # What the print build reports besides its preflight (pipeline.build_runs).
    diagnostics = prepared.diagnostics + list(dict.fromkeys(
        d for run in runs for d in run.diagnostics))
    diagnostics += [photo_moved(a, prepared.issue) for a in sorted(state.runs.shifts)]
    diagnostics += moved_notes(list(runs), prepared.issue)
    diagnostics += fitted.findings
    check = CheckJob(prepared, list(runs), ["-".join(h) for h in run_hashes], diagnostics)
    snapshot = Snapshot([run.pdf for run in runs], page_index(runs), pages, findings,
                        prepared.html.html, prepared.context.context["document_title"],
                        time.perf_counter() - started, state.runs.typeset_count, check,
                        plan=fitted.plan, start=start, said=list(findings))
    issue = prepared.issue
    files = prepared.source_files() | {
        (issue.root / photo.file).resolve()
        for article in issue.manifest.articles for photo in article.photos}
    return snapshot, prepared.fence(), files


def _issue_files(folder: Path, limit: int = 500) -> set[Path]:
    """The issue folder's files and folders (a folder's time changes when a file is
    added to it)."""
    found: set[Path] = {folder.resolve()}
    for path in folder.rglob("*"):
        if len(found) >= limit:
            break
        found.add(path.resolve())
    return found


def _stamps(paths: set[Path] | dict[Path, Stamp]) -> dict[Path, Stamp]:
    """Each file's time and size: a half-written file differs from the whole one in
    size even when both writes fell in the same tick of the file system's clock."""
    found: dict[Path, Stamp] = {}
    for path in paths:
        try:
            stat = path.stat()
            found[path] = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            found[path] = (-1, -1)
    return found


class CheckWorker:
    """One process that makes the findings (findings.Checker), kept warm between
    builds. A pipe, not a process pool: a pool's queues hold semaphores, which the
    preview, leaving without Python's teardown, never released ("resource_tracker:
    … leaked semaphore objects")."""

    def __init__(self) -> None:
        import multiprocessing

        # "spawn": forking a process that runs server threads can copy a held lock.
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_serve_checks, args=(child, os.getpid()),
                                        daemon=True)
        self._process.start()
        child.close()
        self._lock = threading.Lock()
        self._kept: set[str] = set()  # the runs the worker has the PDFs of

    def findings(self, job: CheckJob) -> list[dict[str, Any]]:
        # A run the worker has is sent without its PDF (~1 MB a page, uncompressed).
        runs = [dataclasses.replace(run, pdf=b"") if key in self._kept else run
                for run, key in zip(job.runs, job.keys, strict=True)]
        with self._lock:
            self._kept = set()  # until the worker says it has them
            self._conn.send(dataclasses.replace(job, runs=runs))
            ok, value = self._conn.recv()
            if ok:
                self._kept = set(job.keys)  # the worker keeps the runs of its last job
        if not ok:
            raise RuntimeError(value)
        return [_finding(d) for d in value]

    def stop(self) -> None:
        self._process.terminate()
        self._process.join(timeout=5)


def _serve_checks(conn: Any, parent: int) -> None:
    """The worker's loop: a CheckJob in, its findings out."""
    import signal

    from bulletin_press.runs.worker import end_with

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the preview, which stops us
    end_with(parent)
    checker = Checker()
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            os._exit(0)
        try:
            conn.send((True, checker.findings(job)))
        except Exception:
            conn.send((False, traceback.format_exc(limit=4)))


class Rebuilder(threading.Thread):
    """Watches what the last build read and rebuilds when any of it changes."""

    def __init__(self, state: PreviewState, log: Callable[[str], None]) -> None:
        super().__init__(daemon=True)
        self.state = state
        self.log = log
        self.stop = threading.Event()
        self.workers = CheckWorker()
        self._checks = threading.Condition()
        self._to_check: Snapshot | None = None
        threading.Thread(target=self._check_loop, daemon=True).start()

    def rebuild(self, seen: dict[Path, Stamp]) -> bool:
        """Build from the files as `seen` (their stamps before the build); False if
        they changed meanwhile (the build may have read a half-written file: the
        caller builds again, nothing is shown)."""
        state = self.state
        manifest = state.issue_dir / "issue.yaml"
        last = state.snapshot
        try:
            snapshot, fence, files = build_snapshot(state, last.plan if last else None)
        except BuildError as exc:
            if _stamps(seen) != seen or self.stop.wait(QUIET_SECONDS) or \
                    _stamps(seen) != seen:
                return False  # perhaps a file half written: not an error to show
            error = [d.format() for d in exc.diagnostics]
            # The build stopped before it knew all its files: watch the issue folder,
            # so that creating a missing photo or article file is noticed too.
            files = set(state.watched) | {manifest.resolve()} | _issue_files(state.issue_dir)
            self.log(_("build failed:") + "\n" + "\n".join(error))
            with state.changed:
                state.error = error
                state.watched = {**_stamps(files), **seen}
                state.version += 1
                state.changed.notify_all()
            return True
        except Exception:  # a bug must not take the preview down
            error = [_("internal error while building:"), traceback.format_exc(limit=4)]
            self.log("\n".join(error))
            with state.changed:
                state.error = error
                state.watched = {**_stamps(set(state.watched) | {manifest.resolve()}), **seen}
                state.version += 1
                state.changed.notify_all()
            return True
        if _stamps(seen) != seen:
            return False
        self._publish(snapshot, fence, files, seen)
        if snapshot.start is not None:
            self._as_built(snapshot, seen)
        return True

    def _check(self, snapshot: Snapshot) -> None:
        """Preflight and typography run beside the watcher, after the pages show, so
        neither the pictures nor the next rebuild wait for them."""
        with self._checks:
            self._to_check = snapshot
            self._checks.notify()

    def _publish(self, snapshot: Snapshot, fence: Any, files: set[Path],
                 seen: dict[Path, Stamp]) -> None:
        state = self.state
        self.log(ngettext("built {pages} page in {seconds:.2f} s ({runs} page runs typeset)",
                          "built {pages} pages in {seconds:.2f} s ({runs} page runs typeset)",
                          len(snapshot.pages)).format(
            pages=len(snapshot.pages), seconds=snapshot.seconds, runs=snapshot.typeset_runs))
        before = state.snapshot
        state.served.clear()
        with state.changed:
            state.checking = True
            state.snapshot = snapshot
            state.fence = fence
            state.error = None
            # Files this build read first are stamped now; the others as they were read.
            state.watched = {**_stamps(files | {(state.issue_dir / "issue.yaml").resolve()}),
                             **seen}
            state.version += 1
            state.mark("published")
            state.changed.notify_all()
        self.prerender(snapshot, before)
        self._check(snapshot)

    def _as_built(self, shown: Snapshot, seen: dict[Path, Stamp]) -> None:
        """The pages `build` makes, shown if they are not the ones `shown` (with their
        own findings): its page plan starts from none, and from the last build's
        plan (what `shown` was made from, fast) the rounds can end elsewhere, e.g.
        keep an article's space above taken in for text since cut. The runs both
        share are not typeset again; the findings of `shown` are made meanwhile."""
        try:
            built, fence, files = build_snapshot(self.state, marks=False)
        except Exception:  # shown once its files change again; the pages shown stay
            return
        if _stamps(seen) != seen or self.state.snapshot is not shown:
            return  # a newer save: its build follows
        shown.plan = built.plan  # where the next build starts from
        if [p["hash"] for p in built.pages] == [p["hash"] for p in shown.pages] and \
                built.said == shown.said:
            return
        built.seconds += shown.seconds
        self._publish(built, fence, files, seen)

    def prerender(self, snapshot: Snapshot, before: Snapshot | None) -> None:
        """The pictures of the pages that changed since `before` (without one, the
        first pages the window shows), at the scales the browser asks for, rendered
        while it hears of the build and asks: the pages first, then the thumbnails.
        A new save stops it: its build comes first."""
        state = self.state
        known = {page["hash"] for page in before.pages} if before else set()
        changed = [number for number, page in enumerate(snapshot.pages, start=1)
                   if page["hash"] not in known][:None if before else FIRST_PAGES]
        for scale in list(state.scales):
            for number in changed:
                key = (snapshot.pages[number - 1]["hash"], scale)
                if state.snapshot is not snapshot or self.stop.is_set() or \
                        _stamps(state.watched) != state.watched:
                    return
                run, local = snapshot.index[number - 1]
                state.pictures.get(key, functools.partial(
                    render_page, snapshot.run_pdfs[run], local, scale / 100))
                if number == 1 and scale == state.scales[0]:
                    state.mark("rendered")

    def _check_loop(self) -> None:
        """Findings of the newest build, one build at a time; a build that a newer
        one replaced before its turn is not checked."""
        while True:
            with self._checks:
                while self._to_check is None:
                    self._checks.wait()
                snapshot, self._to_check = self._to_check, None
            self._add_findings(snapshot)

    def _add_findings(self, snapshot: Snapshot) -> None:
        state = self.state
        state.served.wait(timeout=2.0)  # the page's picture first
        if state.snapshot is not snapshot or snapshot.check is None:
            return  # a newer build is on screen; its own check says when it is done
        state.mark("checking")
        try:
            findings = self.workers.findings(snapshot.check)
        except Exception:
            if not self.stop.is_set():  # at shutdown the worker is stopped: no news
                self.log(_("preflight failed:") + "\n" + traceback.format_exc(limit=4))
            findings = None
        gc.collect()  # the typeset documents' reference cycles, off the pages' path
        with state.changed:
            if state.snapshot is snapshot:
                if findings is not None:
                    snapshot.findings = findings
                state.checking = False
                state.version += 1
                state.mark("checked")
                state.changed.notify_all()

    def run(self) -> None:
        state = self.state
        manifest = (state.issue_dir / "issue.yaml").resolve()
        while not self.rebuild(_stamps({manifest})) and not self.stop.is_set():
            pass
        while not self.stop.wait(POLL_SECONDS):
            seen = _stamps(state.watched)
            if seen != state.watched:
                state.timeline = {"written": _written(seen, state.watched)}
                state.mark("noticed")
                # Again while the files change under the build (a save in several writes).
                while not self.rebuild(seen) and not self.stop.is_set():
                    seen = _stamps(state.watched)


def _written(now: dict[Path, Stamp], before: dict[Path, Stamp]) -> float:
    """When the newest change was written (a file's modification time)."""
    times = [stamp[0] for path, stamp in now.items() if before.get(path) != stamp]
    return max(times, default=0) / 1e9


# PDFium is not thread-safe, not even across documents: one call at a time, or
# the process can crash or hang (seen: a page request that never answered while
# the browser fetched a page and its thumbnail at once).
_PDFIUM = threading.Lock()


def render_page(pdf: bytes, number: int, scale: float) -> bytes:
    import pypdfium2 as pdfium

    with _PDFIUM:
        document = pdfium.PdfDocument(pdf)
        try:
            page = document[number - 1]
            image = page.render(scale=scale, may_draw_forms=False).to_pil()
        finally:
            document.close()
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False, compress_level=1)  # outside the lock
    return out.getvalue()


_VIRTUAL = re.compile(r"file://" + re.escape(VIRTUAL_ROOT))


LOCAL_NAMES = ("127.0.0.1", "localhost", "[::1]")


def local_host(host: str | None, port: int) -> bool:
    """Whether a request's Host header names this preview on this machine. A web
    page that reaches the preview through DNS rebinding (its own name made to
    point at 127.0.0.1) sends its own name: refused, as Jupyter and Vite do."""
    if host is None:
        return False
    host = host.strip().lower()
    return host in {f"{name}:{port}" for name in LOCAL_NAMES} or \
        (port == 80 and host in LOCAL_NAMES)


class Handler(BaseHTTPRequestHandler):
    state: PreviewState
    server_version = "bulletin-press-preview"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the terminal shows builds, not requests

    def _send(self, status: int, body: bytes, content_type: str,
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _not_found(self) -> None:
        self._send(HTTPStatus.NOT_FOUND, b"not found", "text/plain; charset=utf-8")

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        address = self.server.server_address
        if not local_host(self.headers.get("Host"), int(address[1]) if isinstance(
                address, tuple) else 0):
            self._send(HTTPStatus.FORBIDDEN, _("this preview answers only to "
                                              "http://127.0.0.1, localhost or [::1]").encode(),
                       "text/plain; charset=utf-8")
            return
        try:
            self._route()
        except (BrokenPipeError, ConnectionResetError):
            pass
        except Exception:
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, b"internal error",
                       "text/plain; charset=utf-8")

    def _route(self) -> None:
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        query = parse_qs(parts.query)
        if path in ("/", "/index.html"):
            self._index()
        elif path.startswith("/assets/"):
            self._asset(path.removeprefix("/assets/"))
        elif path == "/api/state":
            with self.state.changed:
                body = json.dumps(self.state.public(), ensure_ascii=False).encode()
            self._send(HTTPStatus.OK, body, "application/json; charset=utf-8",
                       {"Cache-Control": "no-store"})
        elif path == "/api/timeline":  # bench/preview_latency.py's breakdown
            with self.state.changed:
                body = json.dumps(self.state.timeline).encode()
            self._send(HTTPStatus.OK, body, "application/json",
                       {"Cache-Control": "no-store"})
        elif path == "/api/events":
            self._events()
        elif match := re.fullmatch(r"/page/(\d{1,4})\.png", path):
            self._page(int(match[1]), query)
        elif path == "/issue.pdf":
            snap = self.state.snapshot
            if snap is None:
                return self._not_found()
            name = self.state.issue_dir.name
            self._send(HTTPStatus.OK, snap.pdf, "application/pdf",
                       {"Content-Disposition": f'inline; filename="{name}.pdf"'})
        elif path == "/issue.html":
            snap = self.state.snapshot
            if snap is None:
                return self._not_found()
            page_html = _VIRTUAL.sub("/files/", snap.html)
            self._send(HTTPStatus.OK, page_html.encode(), "text/html; charset=utf-8")
        elif path.startswith("/files/"):
            self._source(path.removeprefix("/files/"))
        else:
            self._not_found()

    def _index(self) -> None:
        words = page_words()
        page = string.Template((ASSETS / "index.html").read_text(encoding="utf-8"))
        text = page.substitute({k: html.escape(v) for k, v in words.items()},
                               words_json=json.dumps(words, ensure_ascii=False).replace(
                                   "</", "<\\/"))
        self._send(HTTPStatus.OK, text.encode(), _ASSET_TYPES[".html"],
                   {"Cache-Control": "no-store"})

    def _asset(self, name: str) -> None:
        allowed = {p.name: p for p in ASSETS.iterdir()
                   if p.suffix in _ASSET_TYPES and p.name != "index.html"}  # see _index
        asset = allowed.get(name)
        if asset is None:
            return self._not_found()
        self._send(HTTPStatus.OK, asset.read_bytes(), _ASSET_TYPES[asset.suffix])

    def _page(self, number: int, query: dict[str, list[str]]) -> None:
        snap = self.state.snapshot
        if snap is None or not 1 <= number <= len(snap.pages):
            return self._not_found()
        try:
            scale = min(max(float(query.get("scale", ["1"])[0]), 0.1), 4.0)
        except ValueError:
            scale = 1.0
        percent = round(scale * 100)
        scales = self.state.scales
        if percent not in scales:  # zoomed: the next builds render at the new scale
            scales[:] = [percent, *scales][:3] if percent != round(THUMB_SCALE * 100) \
                else [*scales, percent][:3]
        key = (snap.pages[number - 1]["hash"], percent)
        run, local = snap.index[number - 1]
        png = self.state.pictures.get(key, functools.partial(
            render_page, snap.run_pdfs[run], local, percent / 100))
        self._send(HTTPStatus.OK, png, "image/png",
                   {"Cache-Control": "private, max-age=31536000, immutable"})
        if number == 1:
            self.state.mark("served")
        self.state.served.set()

    def _source(self, relative: str) -> None:
        fence = self.state.fence
        if fence is None:
            return self._not_found()
        try:
            data, media = fence.open(f"file://{VIRTUAL_ROOT}{relative}")
        except FenceRefused:
            return self._not_found()
        self._send(HTTPStatus.OK, data, media)

    def _events(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = -1
        while True:
            with self.state.changed:
                if self.state.version == seen:
                    self.state.changed.wait(timeout=15)
                version = self.state.version
                # The state itself, not news of it: the page shows it without asking.
                message = "data: " + json.dumps(self.state.public(), ensure_ascii=False) \
                    + "\n\n" if version != seen else ": keep-alive\n\n"
            seen = version
            self.wfile.write(message.encode())
            self.wfile.flush()


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True


def serve(issue_dir: Path, port: int, log: Callable[[str], None],
          ready: Callable[[str], None]) -> None:
    """Run until interrupted (KeyboardInterrupt propagates to the caller)."""
    state = PreviewState(issue_dir.resolve())
    handler = type("BoundHandler", (Handler,), {"state": state})
    server = PreviewServer(("127.0.0.1", port), handler)
    rebuilder = Rebuilder(state, log)
    rebuilder.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    ready(url)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        rebuilder.stop.set()
        rebuilder.workers.stop()
        server.server_close()
