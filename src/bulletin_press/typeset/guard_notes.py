"""The notes the layout guards leave for the editor: what they moved and why."""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING

from bulletin_press.diagnostics import Diagnostic, Location, article_name, info, photo_name
from bulletin_press.i18n import _

if TYPE_CHECKING:
    from bulletin_press.manifest.load import LoadedIssue


def _photo(anchor: str, issue: LoadedIssue | None) -> tuple[str, Location]:
    """`photo-2-1` (context.py's anchor: article, photo, from 1) in an editor's words, with
    the article's title and the photo's file, and where the photo is in issue.yaml."""
    found = re.fullmatch(r"photo-(\d+)-(\d+)", anchor)
    if found is None:
        return anchor, Location()
    index, number = int(found[1]) - 1, int(found[2]) - 1
    articles = issue.manifest.articles if issue is not None else []
    if issue is None or not 0 <= index < len(articles) or \
            not 0 <= number < len(articles[index].photos):
        return f"{article_name(index)} › {photo_name(number)}", Location()
    article = articles[index]
    name = f"{article_name(index, article.title)} › " \
           f"{photo_name(number, article.photos[number].file)}"
    return name, issue.article_location(index, "photos", number, "after_paragraph")


def photo_moved(anchor: str, issue: LoadedIssue | None = None) -> Diagnostic:
    """The note for a photo the photo guard moved (see context.shift_figures), at the
    photo in issue.yaml (its after_paragraph: when it has one)."""
    name, location = _photo(anchor, issue)
    return info("layout.photo-moved", _("{photo} did not fit under the paragraph it follows "
                                        "and would have left empty lines above it; it now "
                                        "follows a later paragraph").format(photo=name),
                location, _("set after_paragraph to place it yourself"))


def headline_moved(anchor: str, issue: LoadedIssue | None = None,
                   page: int | None = None) -> Diagnostic:
    """The note for an article the keep guard started on a new page (see typeset.py),
    named as the editor counts it, at its title in issue.yaml and on the `page` it now
    starts (the workers that typeset runs have no issue: the build names it after,
    from TypesetRun.moved)."""
    ident = anchor.removeprefix("article-")
    articles = issue.manifest.articles if issue is not None else []
    index = next((i for i, a in enumerate(articles) if a.id == ident), None)
    if issue is None or index is None:
        name, location = f"'{ident}'", Location(page=page)
    else:
        name = article_name(index, articles[index].title)
        location = dataclasses.replace(issue.article_location(index, "title"), page=page)
    return info("layout.headline-moved", _("the headline of {article} would have stood alone "
                                           "at the foot of a page; the article starts on a "
                                           "new page instead").format(article=name),
                location, _("shorten the article before it, or let this one start a page"))
