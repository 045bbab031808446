"""Whether a box is in normal flow, in one step: WeasyPrint's `is_in_normal_flow`.

WeasyPrint 70 asks it of boxes tens of thousands of times a typeset (every
child of every block and line, in every layout of it); it calls five methods
in turn (floated, absolutely positioned, running, footnote, note), each
reading the style again. Here the same two style values are read once and
tested the same way, in the same order. No box class overrides those methods
(tests/test_box_flow.py checks it). A speed extension (`box_flow` in
typeset/gate.py): the same bytes as without it.
"""

from __future__ import annotations

from typing import Any

from weasyprint.formatting_structure import boxes

from bulletin_press.typeset.gate import replace

# Box.is_floated's values, and Box.is_footnote's.
FLOATS = ("left", "right", "inline-start", "inline-end", "footnote")
POSITIONED = ("absolute", "fixed")  # Box.is_absolutely_positioned
OUT_OF_FLOW = ("running()", "note()")  # Box.is_running, Box.is_note: position[0]


def is_in_normal_flow(self: Any) -> bool:
    """WeasyPrint's `Box.is_in_normal_flow`, its five tests on two values read once."""
    style = self.style
    if style["float"] in FLOATS:
        return False
    position = style["position"]
    return not (position in POSITIONED or position[0] in OUT_OF_FLOW)


def install() -> None:
    replace("box_flow", boxes.Box, "is_in_normal_flow", is_in_normal_flow)
