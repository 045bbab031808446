"""Atomic output: a build that fails or is killed never replaces the last good file."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path

from bulletin_press.runs.worker import process_alive

_TEMP = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[A-Za-z0-9_]+\.tmp$")


def clean_stale_temps(folder: Path) -> list[Path]:
    """Remove temp files left by builds that were killed (their process is gone)."""
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for entry in folder.iterdir():
        match = _TEMP.match(entry.name)
        if match and not process_alive(int(match["pid"])):
            with contextlib.suppress(OSError):
                entry.unlink()
                removed.append(entry)
    return removed


def write_atomic(target: Path, data: bytes) -> None:
    """Write to a temp file beside `target`, flush it to disk, then rename over it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    clean_stale_temps(target.parent)
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.",
                                     suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, 0o644)
        os.replace(temp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
