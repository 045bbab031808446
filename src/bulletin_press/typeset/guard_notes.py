"""The notes the layout guards leave for the editor: what they moved and why."""

from __future__ import annotations

from bulletin_press.diagnostics import Diagnostic, Location, info


def photo_moved(anchor: str) -> Diagnostic:
    """The note for a photo the photo guard moved (see context.shift_figures)."""
    return info("layout.photo-moved", f"the photo {anchor} did not fit under the paragraph "
                "it follows and would have left empty lines above it; it now follows a "
                "later paragraph", hint="set after_paragraph to place it yourself")


def headline_moved(anchor: str) -> Diagnostic:
    """The note for an article the keep guard started on a new page (see typeset.py)."""
    return info("layout.headline-moved", f"the headline of {anchor} would have stood alone "
                "at the foot of a page; the article starts on a new page instead", Location(),
                "shorten the article before it, or let this one start a page")
