"""The print build's worker server forked from the command's own process as it
starts (see runs/worker.py `start_workers`), instead of the new interpreter
Python's forkserver starts.

Python starts its fork server as a new interpreter (~30 ms before it imports
anything, ~60 ms on a busy machine) and only when asked, after the command has
imported click and the rest of the CLI. A cold build's first page run waits
for that server's import of WeasyPrint (~0.25 s of CPU), so each of those
milliseconds is the build's. Here the command, before it imports its own
modules, forks: the child runs Python's own server loop
(`multiprocessing.forkserver.main`, with the same preload), and this process
records it as Python's `ForkServer` would when it starts one (its address, the
"alive" pipe its workers hold, its pid); every later use of the forkserver
context (the pool, `ensure_running`) finds it running.

Those three are private names of CPython's multiprocessing (3.11 to 3.13 have
them, tests/test_fork_server.py checks them); when they are not as expected,
nothing is forked and Python starts its server itself, as before.

Python's resource tracker (which unlinks the pool's named semaphores if the
build dies) is forked the same way, just before the server (`fork_tracker`):
Python starts it as a new interpreter too, beside the command's process and the
server while the first page run waits for both.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys
import threading
from multiprocessing import connection, forkserver, resource_tracker, util
from typing import Any, NoReturn

# What ForkServer.ensure_running sets when it has started a server; a version with
# more to set (3.14's authentication key) is left to start its own.
_RECORDED = ("_forkserver_address", "_forkserver_alive_fd", "_forkserver_pid")
_UNKNOWN = ("_forkserver_authkey",)

# What ResourceTracker.ensure_running sets when it has started a tracker (3.11 to
# 3.12); a version with more (3.13's exit code) is left to start its own.
_TRACKER_RECORDED = ("_fd", "_pid")
_TRACKER_UNKNOWN = ("_exitcode",)


def usable() -> bool:
    """Can a server be forked here: Linux, CPython's layout as expected, none running
    yet, and no other thread (a fork copies only the calling one: a lock another
    held would stay locked in the server)."""
    server: Any = forkserver._forkserver
    return _forkable(server, _RECORDED, _UNKNOWN) and server._forkserver_pid is None


def _forkable(helper: Any, recorded: tuple[str, ...], unknown: tuple[str, ...]) -> bool:
    """Linux, CPython's private names of `helper` as recorded, and only this thread."""
    return (sys.platform.startswith("linux")
            and all(hasattr(helper, name) for name in (*recorded, "_lock"))
            and not any(hasattr(helper, name) for name in unknown)
            and threading.current_thread() is threading.main_thread()
            and threading.active_count() == 1)


def fork_server(preload: list[str]) -> int | None:
    """Fork the worker server now; its pid, or None when not `usable` (the caller
    lets Python start one). The server imports `preload` while this process goes
    on, ignores Ctrl-C (the build ends it: see worker.py) and ends when this
    process and every worker forked from it have ended."""
    if not usable():
        return None
    server: Any = forkserver._forkserver
    names: Any = connection  # a name typeshed does not list
    with server._lock:
        address = names.arbitrary_address("AF_UNIX")
        with socket.socket(socket.AF_UNIX) as listener:
            listener.bind(address)
            if not util.is_abstract_socket_namespace(address):
                os.chmod(address, 0o600)
            listener.listen()
            # Every client holds the write end of "alive": when all have ended,
            # the server reads end of file and exits.
            alive_r, alive_w = os.pipe()
            for stream in (sys.stdout, sys.stderr):  # nothing written twice
                stream.flush()
            # The server ignores Ctrl-C from its first instruction on (see _serve).
            previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
            try:
                pid = os.fork()
                if pid == 0:
                    _serve(listener.fileno(), alive_r, alive_w, preload)
            finally:
                signal.signal(signal.SIGINT, previous)
            os.close(alive_r)
        server._forkserver_address = address
        server._forkserver_alive_fd = alive_w
        server._forkserver_pid = pid
        server._preload_modules = list(preload)
    return pid


def _serve(listener_fd: int, alive_r: int, alive_w: int, preload: list[str]) -> NoReturn:
    """The forked child: Python's server loop, then out, never back into the
    command's code (nor its interpreter teardown)."""
    code = 0
    try:
        os.close(alive_w)
        forkserver.main(listener_fd, alive_r, preload)
    except SystemExit:  # its way to end: no client left
        pass
    except BaseException:  # a server that cannot serve: the build sees its workers fail
        code = 1
        sys.excepthook(*sys.exc_info())
    finally:
        try:
            sys.stderr.flush()
        finally:
            os._exit(code)


def tracker_usable() -> bool:
    """Can Python's resource tracker be forked here: as `usable`, and none started."""
    tracker: Any = resource_tracker._resource_tracker
    return _forkable(tracker, _TRACKER_RECORDED, _TRACKER_UNKNOWN) and tracker._fd is None


def fork_tracker() -> int | None:
    """Fork Python's resource tracker now; its pid, or None when not `tracker_usable`
    (Python starts one when the first semaphore is made, as before).

    The tracker unlinks the pool's named semaphores if the build dies without
    doing so. Python starts it as a new interpreter (~15 ms of CPU, in the
    window where this process and the worker server already keep both cores
    busy until the first page run); forked, it costs a fork. It runs Python's
    own loop (`resource_tracker.main`) with only stderr and its pipe open, as
    the new interpreter would, and ends when every process holding the pipe's
    write end (this one, the server and workers forked after) has ended."""
    if not tracker_usable():
        return None
    try:  # what the tracker writes its warnings to, as Python passes it
        err = sys.stderr.fileno()
    except (AttributeError, ValueError, OSError):  # none, or not a file (a test's)
        return None
    tracker: Any = resource_tracker._resource_tracker
    with tracker._lock:
        read, write = os.pipe()
        for stream in (sys.stdout, sys.stderr):  # nothing written twice
            stream.flush()
        # Ctrl-C and SIGTERM blocked until the tracker ignores them (as Python
        # does around starting it: bpo-33613).
        blocked = {signal.SIGINT, signal.SIGTERM}
        signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
        try:
            pid = os.fork()
            if pid == 0:
                _track(read, write, err)
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, blocked)
        os.close(read)
        tracker._fd = write
        tracker._pid = pid
    return pid


def _track(read: int, write: int, err: int) -> NoReturn:
    """The forked child: Python's tracker loop (it ignores Ctrl-C and SIGTERM and
    unblocks them), then out, never back into the command's code."""
    code = 0
    try:
        os.close(write)
        keep = {0, 1, 2, err, read}
        for name in os.listdir("/proc/self/fd"):  # no other pipe held open by it
            if int(name) not in keep:
                with contextlib.suppress(OSError):  # (the listing's own, closed by now)
                    os.close(int(name))
        resource_tracker.main(read)
    except BaseException:
        code = 1
    finally:
        os._exit(code)
