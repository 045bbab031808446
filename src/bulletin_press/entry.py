"""The program's entry point: Ctrl-C anywhere, even while starting up, ends with a
short message and exit code 130 (the output writer never leaves a partial file)."""

from __future__ import annotations

import sys


def run() -> None:
    try:
        from .cli import main

        main(prog_name="bulletin-press")
    except KeyboardInterrupt:
        sys.stderr.write("interrupted; the previous output is unchanged.\n")
        sys.exit(130)
