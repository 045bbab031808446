"""The photo guard's step, the same in every build.

A photo that does not fit under the paragraph it follows goes on to the next
column or page and leaves empty lines above it; the guard then puts it after
the next paragraph, and the issue is typeset again (build/pipeline.py
`_typeset_guarded` for one document, runs/plan.py `update` for page runs).
Moving a photo moves every line after it, so a hole further on may close or
open by it: each step moves only the photos whose hole is on the first page
that has one, and looks at the pages after it again once typeset. That way a
page-run build, which sees the issue's pages run by run, moves the same photos
as the one-document build (check, archive) and makes the same pages. Both keep
the moves from round to round of the page plan (starting each round afresh
costs every round the guard's steps again, serially, and the plan's rounds
swing with them).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bulletin_press.layout.context import ArticleContext, figure_markers, shift_figures

# Typesettings of one document at most for the guard's steps (the page-run
# build counts its passes per run the same way, with a pass more for each run
# inside flowing text whose spacer is being settled).
PASSES = 5


def first_holes(holes: Sequence[str], pages: Mapping[str, int],
                flows: list[list[ArticleContext]], shifts: Mapping[str, int]) -> list[str]:
    """Of the photos that left a hole (`holes`) in `flows` typeset with `shifts`
    (paragraphs each photo was moved), those whose hole is on the first page with
    one, by the page of the paragraph each follows (`pages`: anchor → issue
    page). A photo already after its article's last paragraph cannot move on: its
    hole stays (the page plan and the check see it) and holds up none after it."""
    now = shift_figures(flows, dict(shifts))
    marker_of = {photo: marker for marker, photo in figure_markers(now)}
    at = {photo: pages.get(marker_of.get(photo, ""), 0) for photo in dict.fromkeys(holes)
          if shift_figures(flows, {**shifts, photo: shifts.get(photo, 0) + 1}) != now}
    if not at:
        return []
    first = min(at.values())
    return [photo for photo, page in at.items() if page == first]
