"""The program's entry point: Ctrl-C anywhere, even while starting up, ends with a
short message and exit code 130 (the output writer never leaves a partial file)."""

from __future__ import annotations

import os
import sys


def run() -> None:
    try:
        from bulletin_press.commands.cli import main

        main(prog_name="bulletin-press")
        code = 0
    except KeyboardInterrupt:
        sys.stderr.write("interrupted; the previous output is unchanged.\n")
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


def exit_code(exc: SystemExit) -> int:
    """The status Python itself would exit with (and print a message, as it does)."""
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code
    sys.stderr.write(f"{exc.code}\n")
    return 1
