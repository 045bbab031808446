"""WeasyPrint, imported without its slow search for libraries.

WeasyPrint 70 loads each library it needs (GObject, Pango, HarfBuzz, …) by
trying several names in turn; cffi answers every name that does not load by
asking `ctypes.util.find_library`, which runs `ldconfig` and the C compiler:
23 such calls, 0.15 s of every process that typesets. The names that work on
Debian (and macOS, Windows) are the explicit ones WeasyPrint tries later in
the same list, so during the import the search answers "not found" at once.
If WeasyPrint cannot load that way, it is imported again the usual way.
This module is imported before any other that imports WeasyPrint.
"""

from __future__ import annotations

import ctypes.util
import sys


def _load() -> None:
    search = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        import weasyprint
    except (OSError, ImportError):
        for name in [m for m in sys.modules if m.split(".")[0] == "weasyprint"]:
            del sys.modules[name]
        ctypes.util.find_library = search
        import weasyprint
    finally:
        ctypes.util.find_library = search
    del weasyprint


_load()
