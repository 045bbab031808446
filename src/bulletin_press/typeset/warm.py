"""Imported by the server the print build's workers are forked from (see
runs/worker.py `start_workers`): WeasyPrint and the extensions loaded and
installed once, for every worker, and what every worker's first document
would pay the same way paid once here (`warm_up`).

With a WeasyPrint the extensions were not written for nothing is installed
here: the server must not die of it (its workers would vanish and the build
see only "EOFError"); each worker then refuses to typeset with the gate's
clear error, which the build reports.
"""

from __future__ import annotations

import gc

# The C types WeasyPrint 70 and the extensions name as strings (given to `ffi.new`,
# `ffi.cast`): cffi parses each with pycparser the first time it is used (~17 ms
# for these in all); tests/test_worker_start.py checks that the list is whole.
C_TYPES = ("PangoFcFontMap *", "PangoRectangle *", "PangoLogAttr[]", "unsigned int *",
           "char[]", "char[4]", "hb_tag_t[100]", "FcChar8 **", "FcResult *",
           "uintptr_t")  # drawn_text: a Pango font's address


def warm_up() -> None:
    """What a worker's first document paid before its own work, the same for every
    document (~65 ms of CPU in each worker, ~30 ms here): cffi's parsing of the C
    types WeasyPrint names, Pillow's image plugins (opened with the first photo:
    PNG's loads `fractions` and `decimal`) and the `email` package (WeasyPrint's
    fetcher reads a response's headers with it). Nothing of a document is kept."""
    from PIL import Image
    from weasyprint.text.ffi import ffi
    from weasyprint.urls import URLFetcherResponse

    for name in C_TYPES:
        ffi.typeof(name)
    Image.preinit()
    URLFetcherResponse("file:///warm.css", b"", {"Content-Type": "text/css; charset=utf-8"})


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
    with contextlib.suppress(Exception):  # a typesetter that cannot: its builds say so
        warm_up()
finally:
    gc.enable()
    gc.freeze()

__all__ = ["engine"]  # imported for its imports: WeasyPrint and the typesetter
