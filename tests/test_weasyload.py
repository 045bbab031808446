"""WeasyPrint imported without what a print build's workers never use: the
library search, fontTools' subsetter (lazy) and variable-font instancer (a
stand-in that imports the real one when called)."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys
import bulletin_press.typeset.engine
from weasyprint.pdf import fonts
loaded = [m for m in ("fontTools.varLib", "fontTools.ttLib.tables.otTables",
                      "fontTools.varLib.instancer") if m in sys.modules]
print("loaded before use:", loaded)
from fontTools.subset import Subsetter  # the lazy module loads on first use
from fontTools.varLib.instancer import instantiateVariableFont
print("stand-in is used:", fonts.instantiateVariableFont is not instantiateVariableFont)
print("real instancer:", instantiateVariableFont.__module__)
from bulletin_press.typeset._weasyload import instantiate_variable_font
from fontTools.ttLib import TTFont
try:
    instantiate_variable_font(TTFont(), {})
except Exception as exc:  # the real one ran: it refuses a font that is not variable
    print("called through:", type(exc).__name__)
print("subsetter:", Subsetter.__module__)
"""


def test_workers_import_weasyprint_without_fonttools_extras() -> None:
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                         check=True).stdout
    assert "loaded before use: []" in out
    assert "stand-in is used: True" in out
    assert "real instancer: fontTools.varLib.instancer" in out
    assert "called through: ValueError" in out
    assert "subsetter: fontTools.subset" in out
