"""Imported by the server the print build's workers are forked from (see
runs/worker.py `start_workers`): WeasyPrint and the extensions loaded and
installed once, for every worker.

With a WeasyPrint the extensions were not written for nothing is installed
here: the server must not die of it (its workers would vanish and the build
see only "EOFError"); each worker then refuses to typeset with the gate's
clear error, which the build reports.
"""

from __future__ import annotations

import gc

# The import makes few cycles to collect: the collector's ~130 rounds over the
# growing heap cost ~40 ms of the server's ~0.3 s. What stays is frozen: the
# workers' collections never look at it.
gc.disable()
try:
    import contextlib

    from bulletin_press.diagnostics import BuildError
    from bulletin_press.typeset import engine, gate

    with contextlib.suppress(BuildError):
        gate.install()
finally:
    gc.enable()
    gc.freeze()

__all__ = ["engine"]  # imported for its imports: WeasyPrint and the typesetter
