"""The photo guard's step, the same in every build.

A photo that does not fit under the paragraph it follows goes on to the next
column or page and leaves empty lines above it; the guard then puts it after
the next paragraph, and the issue is typeset again (build/pipeline.py
`_typeset_guarded` for one document, runs/plan.py `update` for page runs).
Moving a photo moves every line after it, so a hole further on may close or
open by it: each step moves only the photos whose hole is on the first page
that has one, and looks at the pages after it again once typeset. That way a
page-run build, which sees the issue's pages run by run, moves the same photos
as the one-document build (check, archive) and makes the same pages.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

# Typesettings of one document at most for the guard's steps (the page-run
# build counts its passes per run the same way, with a pass more for each run
# inside flowing text whose spacer is being settled).
PASSES = 6


def first_holes(holes: Sequence[str], pages: Mapping[str, int],
                markers: Sequence[tuple[str, str]]) -> list[str]:
    """Of the photos that left a hole (`holes`), those whose hole is on the
    first page with one: the page of the paragraph each follows (its marker,
    `markers`: (marker, photo) as layout.context.figure_markers gives them),
    by `pages` (anchor → issue page)."""
    marker_of = {photo: marker for marker, photo in markers}
    at = {photo: pages.get(marker_of.get(photo, ""), 0) for photo in holes}
    if not at:
        return []
    first = min(at.values())
    return [photo for photo in dict.fromkeys(holes) if at[photo] == first]
