"""The program's entry point: Ctrl-C anywhere, even while starting up, ends with a
short message and exit code 130 (the output writer never leaves a partial file)."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager


def run() -> None:
    try:
        choose_language(sys.argv[1:])
        with importing():
            from bulletin_press.commands.cli import main

        main(prog_name="bulletin-press")
        code = 0
    except KeyboardInterrupt:
        from bulletin_press.i18n import _

        sys.stderr.write(_("interrupted; the previous output is unchanged.") + "\n")
        code = 130
    except SystemExit as exc:
        code = exit_code(exc)
    # Everything is written (outputs are renamed into place before a command
    # returns), so the interpreter's teardown is skipped: freeing a typeset
    # issue's objects one by one took ~0.1 s after the work was done.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            code = code or 1  # like Python's own exit when the output was closed
    os._exit(code)


@contextmanager
def importing() -> Iterator[None]:
    """No garbage collections while modules load: what an import makes lives as long as
    the process, so the collections its allocations trigger free nothing (~5 % of the
    start of a build, where the first page run waits for this process). Then it is
    frozen: later collections skip it (~65,000 objects after a build's imports; each
    full collection walked them, ~30 ms, and `prepare` triggers one: ~30 % of its CPU).
    What is frozen is never freed: the import's own garbage, ~700 objects."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def choose_language(args: list[str]) -> None:
    """`--lang` is read before anything is imported: help texts and the messages of
    the first stages are made in the chosen language (click reads it again)."""
    from bulletin_press.i18n import LANGUAGES, set_language, use_for_gettext_globals

    for index, arg in enumerate(args):
        value = arg.removeprefix("--lang=") if arg.startswith("--lang=") else (
            args[index + 1] if arg == "--lang" and index + 1 < len(args) else None)
        if value in LANGUAGES:
            set_language(value)
    use_for_gettext_globals()


def exit_code(exc: SystemExit) -> int:
    """The status Python itself would exit with (and print a message, as it does)."""
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code
    sys.stderr.write(f"{exc.code}\n")
    return 1
