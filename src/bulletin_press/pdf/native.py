"""pikepdf's native module, imported with Ctrl-C deferred.

pikepdf's C++ module aborts the whole process (exit -6, no message, no
KeyboardInterrupt, so no "interrupted" line and no exit 130) when SIGINT arrives
while it initialises. Commands that will need it import it once, first
(`load_pikepdf`); an interrupt during that import is raised right after it.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def interrupt_deferred() -> Iterator[None]:
    """Ctrl-C waits until the block is done, then is raised as usual."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signals reach only the main thread; there is nothing to defer
        return
    pending: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: pending.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if pending:
        raise KeyboardInterrupt


def load_pikepdf() -> None:
    """Import pikepdf (and its native module) where an interrupt cannot abort it."""
    with interrupt_deferred():
        import pikepdf  # noqa: F401  (imported for its side effect: loaded once)
