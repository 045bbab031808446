"""WeasyPrint, imported without its slow search for libraries.

WeasyPrint 70 loads each library it needs (GObject, Pango, HarfBuzz, …) by
trying several names in turn; cffi answers every name that does not load by
asking `ctypes.util.find_library`, which runs `ldconfig` and the C compiler:
23 such calls, 0.15 s of every process that typesets. The names that work on
Debian (and macOS, Windows) are the explicit ones WeasyPrint tries later in
the same list, so during the import the search answers "not found" at once.
If WeasyPrint cannot load that way, it is imported again the usual way.

WeasyPrint also imports fontTools' subsetter and variable-font instancer
(~65 ms with the table modules they pull in) for fonts it subsets itself and
for variable fonts; a print build's workers use neither (the runs' fonts are
cut by assemble.py through HarfBuzz). The subsetter is imported lazily (it
loads when first used) and the instancer's one function WeasyPrint takes is
a stand-in that imports the real one when called.

This module is imported before any other that imports WeasyPrint.
"""

from __future__ import annotations

import ctypes.util
import importlib.util
import sys
import types
from typing import Any

_INSTANCER = "fontTools.varLib.instancer"


def instantiate_variable_font(*args: Any, **kwargs: Any) -> Any:
    """fontTools' instantiateVariableFont, imported when WeasyPrint first needs it."""
    from fontTools.varLib.instancer import instantiateVariableFont

    return instantiateVariableFont(*args, **kwargs)


def _lazy_font_tools() -> bool:
    """The subsetter lazy, the instancer stood in for; False if either is loaded already."""
    if "fontTools.subset" in sys.modules or _INSTANCER in sys.modules:
        return False
    import fontTools

    spec = importlib.util.find_spec("fontTools.subset")
    if spec is None or spec.loader is None:
        return False
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules["fontTools.subset"] = module
    spec.loader.exec_module(module)
    fontTools.subset = module
    stand_in = types.ModuleType(_INSTANCER)
    stand_in.instantiateVariableFont = instantiate_variable_font  # type: ignore[attr-defined]
    sys.modules[_INSTANCER] = stand_in  # found without importing fontTools.varLib
    return True


def _load() -> None:
    search = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    stood_in = _lazy_font_tools()
    try:
        import weasyprint
    except (OSError, ImportError):
        for name in [m for m in sys.modules if m.split(".")[0] == "weasyprint"]:
            del sys.modules[name]
        ctypes.util.find_library = search
        import weasyprint
    finally:
        ctypes.util.find_library = search
        if stood_in:
            del sys.modules[_INSTANCER]  # whoever imports it later gets the real one
    del weasyprint


_load()
