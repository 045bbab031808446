"""The run store: typeset page runs kept on disk (output/.cache/runs), found by
their HTML, so that a later build reuses every run whose HTML, files read and
code are unchanged."""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

from bulletin_press import __version__
from bulletin_press.diagnostics import Diagnostic, Location, Severity
from bulletin_press.runs.worker import TypesetRun
from bulletin_press.typeset.page_facts import PageFacts


def _code_version() -> str:
    """What the typeset output depends on besides its HTML and files: the package's
    code and the extensions switched on (BULLETIN_PRESS_EXTENSIONS_OFF may change
    within a process; the code does not)."""
    from bulletin_press.typeset.gate import stamp

    return hashlib.sha256(f"{__version__} {stamp()} {_code_digest()}".encode()).hexdigest()[:16]


@functools.cache  # the same for the life of a process (the CLI asks twice)
def _code_digest() -> str:
    # Every module of the package: the typesetter, its extensions and what they
    # import (a list of them went stale as code moved between modules); each by
    # its size and time of change, as Python itself tells whether a module's
    # bytecode is still its source's (~0.5 ms). Reading and hashing the ~1.7 MB
    # of source cost ~5 ms of CPU (more from a cold disk) before a build's first
    # page run.
    return folder_digest(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))


def folder_digest(package: str) -> str:
    """The modules under `package` by name, size and time of change (see _code_digest)."""
    digest = hashlib.sha256()
    for path in _module_paths(package):
        info = os.stat(path)
        name = os.path.relpath(path, package).replace(os.sep, "/")
        digest.update(f"{name}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def code_files() -> list[Path]:
    """Every module of the package, in every stage folder."""
    package = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    return [Path(path) for path in _module_paths(package)]


def _module_paths(package: str) -> list[str]:
    found: list[str] = []
    for folder, subfolders, files in os.walk(package):
        subfolders[:] = [name for name in subfolders if name != "__pycache__"]
        found += [os.path.join(folder, name) for name in files if name.endswith(".py")]
    return sorted(found)


def _file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "missing"


class RunStore:
    """Typeset runs on disk, found by their HTML: a later build (another process)
    reuses a run whose HTML and every file it read are unchanged."""

    LIMIT = 400  # entries kept; the oldest are removed first
    # Entries beyond LIMIT before they are: a put counts the entries (~0.3 ms for a
    # full store) and stats each only to remove some (~3 ms of CPU, more in waiting
    # for the disk). A build puts every run and frame it typesets, in the main
    # process between the page plan's rounds, while the workers wait for the next.
    SLACK = 40

    def __init__(self, folder: Path, *, read: bool = True) -> None:
        self.folder = folder
        self.read = read  # False: typeset everything again, still storing the results
        self.salt = _code_version()

    def _key(self, html: str) -> str:
        return hashlib.sha256((self.salt + html).encode()).hexdigest()[:32]

    def get(self, html: str) -> TypesetRun | None:
        if not self.read:
            return None
        key = self._key(html)
        try:
            meta = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
            pdf = (self.folder / f"{key}.pdf").read_bytes()
        except (OSError, ValueError):
            return None
        reads = [Path(p) for p in meta["reads"]]
        if any(_file_digest(p) != d for p, d in zip(reads, meta["digests"], strict=True)):
            return None
        diagnostics = [Diagnostic(Severity(d["severity"]), d["code"], d["message"],
                                  Location(), d["hint"]) for d in meta["diagnostics"]]
        return TypesetRun(html, pdf, meta["pages"], meta["anchors"], diagnostics, reads,
                          meta.get("holes", []), meta.get("fill", []),
                          [PageFacts.from_json(f) for f in meta.get("facts", [])],
                          meta.get("boxes", {}), foot=meta.get("foot", 0.0),
                          feet={a: (p, f) for a, (p, f) in meta.get("feet", {}).items()},
                          moved=meta.get("moved", []),
                          tops={int(p): (ids, text) for p, (ids, text)
                                in meta.get("tops", {}).items()},
                          cuts={int(p): (ids, text, line) for p, (ids, text, line)
                                in meta.get("cuts", {}).items()})

    def put(self, run: TypesetRun) -> None:
        key = self._key(run.html)
        meta = {"pages": run.pages, "anchors": run.anchors, "holes": run.holes, "fill": run.fill,
                "facts": [f.to_json() for f in run.facts], "boxes": run.boxes,
                "foot": run.foot, "feet": run.feet, "moved": run.moved, "tops": run.tops,
                "cuts": run.cuts,
                "reads": [str(p) for p in run.reads],
                "digests": [_file_digest(p) for p in run.reads],
                "diagnostics": [{"severity": str(d.severity), "code": d.code,
                                 "message": d.message, "hint": d.hint}
                                for d in run.diagnostics]}
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            _write_atomic(self.folder / f"{key}.pdf", run.pdf)
            _write_atomic(self.folder / f"{key}.json", json.dumps(meta).encode())
            self._prune()
        except OSError:
            pass  # a cache that cannot be written only makes the next build slower

    def _issue_file(self, issue_root: Path) -> Path:
        name = hashlib.sha256(str(issue_root.resolve()).encode()).hexdigest()[:16]
        return self.folder / f"issue-{name}.json"

    def remember(self, issue_root: Path, runs: list[TypesetRun]) -> None:
        """Each run's page count and anchors, to number the next build's first round,
        and where a run cut inside flowing text began and its text ended (the next
        build's guesses of the spacers, exact after an edit elsewhere)."""
        data = [{"pages": r.pages, "anchors": r.anchors, "foot": r.foot, "spacer": r.spacer}
                for r in runs]
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            _write_atomic(self._issue_file(issue_root), json.dumps(data).encode())
        except OSError:
            pass

    def guess(self, issue_root: Path, count: int) -> list[TypesetRun]:
        """Stand-ins with the last build's numbers (never matched as typeset runs)."""
        if not self.read:
            return []
        try:
            data = json.loads(self._issue_file(issue_root).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        return [TypesetRun("", b"", d["pages"], d["anchors"], foot=d.get("foot", 0.0),
                           spacer=d.get("spacer", 0.0)) for d in data[:count]]

    def _files_file(self, issue_root: Path) -> Path:
        return self._issue_file(issue_root).with_suffix(".files.json")

    def note_files(self, issue_root: Path, files: Iterable[Path]) -> None:
        """The files a build of the issue read (size and time of change), to tell the
        next build early whether its runs will all come from the store."""
        data = {"salt": self.salt, "files": {str(p): _file_stamp(p) for p in sorted(files)}}
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            _write_atomic(self._files_file(issue_root), json.dumps(data).encode())
        except OSError:
            pass

    def unchanged(self, issue_root: Path) -> bool:
        """Did no file the last build of the issue read change since (nor the code)?
        Then its runs are all in the store, most likely: a build need not start the
        processes that typeset (they import WeasyPrint, ~0.5 s of CPU); if one is
        typeset after all, they are started then."""
        if not self.read:
            return False
        try:
            data = json.loads(self._files_file(issue_root).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return bool(data.get("salt") == self.salt and data.get("files")) and all(
            _file_stamp(Path(p)) == stamp for p, stamp in data["files"].items())

    def assembled(self, key: str) -> bytes | None:
        """The print PDF assembled from exactly these runs before (see assembly_key)."""
        if not self.read:
            return None
        try:
            return (self.folder / f"assembled-{key}.pdf").read_bytes()
        except OSError:
            return None

    def keep_assembled(self, key: str, pdf: bytes) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            _write_atomic(self.folder / f"assembled-{key}.pdf", pdf)
            kept = sorted(self.folder.glob("assembled-*.pdf"), key=lambda p: p.stat().st_mtime)
            for old in kept[:max(0, len(kept) - self.ASSEMBLED)]:
                old.unlink(missing_ok=True)
        except OSError:
            pass

    ASSEMBLED = 8  # print PDFs kept (a few issues, or an issue and its last edits)

    def _prune(self) -> None:
        with os.scandir(self.folder) as found:
            names = [entry.name for entry in found if entry.name.endswith(".pdf")
                     and not entry.name.startswith(("assembled-", "."))]
        if len(names) <= self.LIMIT + self.SLACK:
            return
        entries = sorted((self.folder / name for name in names),
                         key=lambda p: p.stat().st_mtime)
        for old in entries[:max(0, len(entries) - self.LIMIT)]:
            old.unlink(missing_ok=True)
            old.with_suffix(".json").unlink(missing_ok=True)


def assembly_key(runs: Iterable[bytes], frame: bytes | None, fonts: Iterable[Path],
                 shared: Iterable[bool] = (), contents: bytes | None = None) -> str:
    """What an assembled PDF depends on: its runs', frame's and contents' bytes, the
    fonts it may embed from the project's fonts folder, the runs laid over the page
    before (a run inside flowing text) and the code (assemble.py)."""
    digest = hashlib.sha256(_code_version().encode())
    digest.update(bytes(1 if s else 0 for s in shared))
    for data in [*runs, frame or b"", contents or b""]:
        digest.update(hashlib.sha256(data).digest())
    for path in fonts:
        digest.update(f"{path}:{_file_stamp(path)}".encode())
    return digest.hexdigest()[:32]


def _file_stamp(path: Path) -> list[int]:
    try:
        info = path.stat()
    except OSError:
        return []
    return [info.st_size, info.st_mtime_ns]


def _write_atomic(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    temporary.replace(path)

