"""The notes the layout guards leave for the editor: what they moved and why."""

from __future__ import annotations

import re

from bulletin_press.diagnostics import Diagnostic, Location, article_name, info, photo_name
from bulletin_press.i18n import _


def _photo(anchor: str) -> str:
    """`photo-2-1` (context.py's anchor: article, photo, from 1) in an editor's words."""
    found = re.fullmatch(r"photo-(\d+)-(\d+)", anchor)
    if found is None:
        return anchor
    return f"{article_name(int(found[1]) - 1)} › {photo_name(int(found[2]) - 1)}"


def photo_moved(anchor: str) -> Diagnostic:
    """The note for a photo the photo guard moved (see context.shift_figures)."""
    return info("layout.photo-moved", _("{photo} did not fit under the paragraph it follows "
                                        "and would have left empty lines above it; it now "
                                        "follows a later paragraph").format(
                    photo=_photo(anchor)),
                hint=_("set after_paragraph to place it yourself"))


def headline_moved(anchor: str) -> Diagnostic:
    """The note for an article the keep guard started on a new page (see typeset.py)."""
    return info("layout.headline-moved", _("the headline of the article '{id}' would have "
                                           "stood alone at the foot of a page; the article "
                                           "starts on a new page instead").format(
                    id=anchor.removeprefix("article-")), Location(),
                _("shorten the article before it, or let this one start a page"))
