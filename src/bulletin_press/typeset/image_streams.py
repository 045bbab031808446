"""Where typeset/ext/png_streams.py keeps a PNG photo's image stream between
documents: in this process (the last few), and in a folder shared by a build's
worker processes and the builds after it (the project's output/.cache/images),
each entry a file named by its key, written whole or not at all and checked
when read (its SHA-256 first: a file damaged on disk is made again, never put
in a PDF).

The key is the SHA-256 of the PNG's bytes, its mode and size, and the Pillow
and zlib versions that encode it: a photo changed on disk, or another Pillow,
is another key, so an entry is never stale. At most `KEPT_FILES` entries stay
in the folder, the least recently used dropped first.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections import OrderedDict
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path

SMALLEST = 1_000_000  # pixels: a smaller image is encoded again (~0.3 s a million pixels)
MEMORY_BYTES = 32 * 1024 * 1024  # kept in this process, the oldest dropped first
KEPT_FILES = 32  # kept in the folder
SUFFIX = ".idat"

_folder: ContextVar[Path | None] = ContextVar("image_streams_folder", default=None)
_memory: OrderedDict[str, bytes] = OrderedDict()


def folder_for(output_dir: Path) -> Path:
    return output_dir / ".cache" / "images"


@contextlib.contextmanager
def kept_in(folder: Path | None) -> Iterator[None]:
    """Within: entries are read from and written to `folder` (None: this process only)."""
    token = _folder.set(folder)
    try:
        yield
    finally:
        _folder.reset(token)


def key(data: bytes, mode: str, size: tuple[int, int]) -> str:
    import zlib

    import PIL

    digest = hashlib.sha256(data)
    digest.update(f";{mode};{size[0]}x{size[1]};pillow {PIL.__version__};"
                  f"zlib {zlib.ZLIB_RUNTIME_VERSION}".encode())
    return digest.hexdigest()


def get(name: str) -> bytes | None:
    found = _memory.get(name)
    if found is not None:
        _memory.move_to_end(name)
        return found
    folder = _folder.get()
    if folder is None:
        return None
    path = folder / (name + SUFFIX)
    try:
        stored = path.read_bytes()
        os.utime(path)  # recently used: kept longer
    except OSError:
        return None
    found = stored[32:]
    if hashlib.sha256(found).digest() != stored[:32]:
        with contextlib.suppress(OSError):
            path.unlink()
        return None
    _remember(name, found)
    return found


def put(name: str, data: bytes) -> None:
    _remember(name, data)
    folder = _folder.get()
    if folder is None:
        return
    # A cache: a folder that cannot be written leaves the build as it was.
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(hashlib.sha256(data).digest())
                out.write(data)
            os.replace(temporary, folder / (name + SUFFIX))
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        _prune(folder)


def _remember(name: str, data: bytes) -> None:
    if len(data) > MEMORY_BYTES:
        return
    _memory[name] = data
    _memory.move_to_end(name)
    while sum(len(kept) for kept in _memory.values()) > MEMORY_BYTES:
        _memory.popitem(last=False)


def _prune(folder: Path) -> None:
    entries = []
    for path in folder.glob("*" + SUFFIX):
        with contextlib.suppress(OSError):
            entries.append((path.stat().st_mtime, path))
    for _, path in sorted(entries, reverse=True)[KEPT_FILES:]:
        with contextlib.suppress(OSError):
            path.unlink()


def forget() -> None:
    """Drop what this process keeps (tests)."""
    _memory.clear()
