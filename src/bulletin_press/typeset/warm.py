"""Imported by the server the print build's workers are forked from (see
runs/worker.py `start_workers`): WeasyPrint and the extensions loaded and
installed once, for every worker.

With a WeasyPrint the extensions were not written for nothing is installed
here: the server must not die of it (its workers would vanish and the build
see only "EOFError"); each worker then refuses to typeset with the gate's
clear error, which the build reports.
"""

from __future__ import annotations

import contextlib

from bulletin_press.diagnostics import BuildError
from bulletin_press.typeset import engine, gate

with contextlib.suppress(BuildError):
    gate.install()

__all__ = ["engine"]  # imported for its imports: WeasyPrint and the typesetter
