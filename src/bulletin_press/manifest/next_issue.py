"""The next issue's `issue.yaml`, made from the previous one: the next number and
running number, the same day of the next month, the same colophon, layout and
publication (内部资料: the permit every issue prints), the previous planned pages (in a
comment), one example article with a photo placeholder. It validates and builds as it is;
its comments tell the editor what to fill in.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from bulletin_press.i18n import N_, _
from bulletin_press.manifest.model import Manifest

PHOTO = "images/photo-1.jpg"
# The example article's texts, which `check` warns about if they are left in.
EXAMPLE_TITLE, EXAMPLE_BYLINE = "在这里写标题", "通讯员 姓名"
EXAMPLE_CAPTION, EXAMPLE_BODY = "在这里写图片说明", "在这里写正文"
EXAMPLE_NEWSLETTER, EXAMPLE_PUBLISHER = N_("Community News"), N_("Publisher")


@dataclass(frozen=True)
class NextIssue:
    number: int
    volume: int | None
    date: dt.date
    manifest: str  # the text of issue.yaml


def next_month(day: dt.date) -> dt.date:
    """The same day of the next month, or its last day (31 January → 28/29 February)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# A folder named for its month, as issues/2023-01 is: 2026-07, 2026_07, 202607,
# 2026年7月, 2026-07-10, 2026-07-summer; a double issue's months (2026年9-10月, 合刊)
# name its first month, not a day (a number followed by 月 is a month).
_NAMED = re.compile(r"^(?P<year>(?:19|20)\d\d)(?:[-_.]?|年)(?P<month>0[1-9]|1[0-2]|[1-9](?!\d))"
                    r"(?:月?(?:[-_.]?(?P<day>[0-3]?\d)(?!\d|月)日?)?)?(?![0-9])")


def folder_date(name: str) -> tuple[dt.date, bool] | None:
    """The date a folder's name gives, and whether it names the day ('2026-07' → 1 July,
    False); None when the name is not a date."""
    match = _NAMED.match(name)
    if match is None:
        return None
    year, month = int(match["year"]), int(match["month"])
    day = int(match["day"]) if match["day"] else None
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        day = None
    return dt.date(year, month, day or 1), day is not None


def newest_issue(folder: Path) -> Path | None:
    """The issue folder under `folder` with the latest date (by its issue.yaml), if any."""
    found: list[tuple[dt.date, str, Path]] = []
    for candidate in sorted(folder.iterdir()) if folder.is_dir() else []:
        manifest = candidate / "issue.yaml"
        if not manifest.is_file():
            continue
        try:
            data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
            date = data["issue"]["date"]
        except (OSError, UnicodeDecodeError, yaml.YAMLError, KeyError, TypeError):
            continue
        if isinstance(date, dt.date):
            found.append((date, candidate.name, candidate))
    return max(found)[2] if found else None


def next_issue(previous: Manifest | None, source: str | None, today: dt.date,
               named: tuple[dt.date, bool] | None = None) -> NextIssue:
    """The manifest of the issue after `previous` (named `source` in a comment), or a
    first issue dated `today` when there is none; in the month its folder's name says
    (`named`, from `folder_date`) when it says one: its day, else the previous issue's
    day of that month, else the 1st."""
    if previous is not None:
        date = next_month(previous.issue.date)
        if named is not None and named[0].replace(day=1) > previous.issue.date.replace(day=1) \
                and (named[1] or named[0].replace(day=1) != date.replace(day=1)):
            # A month after the previous issue's (one skipped; not a folder named for an
            # earlier month, which says nothing about this issue's date).
            month = named[0]
            date = month if named[1] else month.replace(day=min(
                previous.issue.date.day, calendar.monthrange(month.year, month.month)[1]))
        number = previous.issue.number + 1 if date.year == previous.issue.date.year else 1
        volume = previous.issue.volume + 1 if previous.issue.volume else None
        head = {"newsletter": previous.newsletter, "publisher": previous.publisher}
        layout = previous.layout
        colophon = previous.colophon.model_dump(exclude_none=True)
        # An internal publication prints its permit on every issue; its print date is
        # this issue's own (by default the issue date).
        publication = previous.publication.model_dump(exclude_none=True,
                                                      exclude={"print_date"}) \
            if previous.publication is not None else {}
        section = previous.articles[0].section
        pages = previous.pages or 4
    else:
        date, number, volume = named[0] if named is not None else today, 1, None
        head = {"newsletter": _(EXAMPLE_NEWSLETTER), "publisher": _(EXAMPLE_PUBLISHER)}
        layout, colophon, publication, section, pages = "two-column", {}, {}, None, 4
    lines = [
        "# " + _("{newsletter}, issue {number} of {year}: made by 'bulletin-press new'{source}.")
        .format(newsletter=head["newsletter"], number=number, year=date.year,
                source=_(" from {issue}").format(issue=source) if source else ""),
        "# " + _("Fill in the articles (title, body; one article per '- id:'), put the photos "
                 "in images/,"),
        "# " + _("then look at the pages: bulletin-press preview <this folder>."),
        _dump(head),
        "issue: {" + ", ".join(
            [f"number: {number}"] + ([f"volume: {volume}"] if volume else [])
            + [f"date: {date.isoformat()}"]) + "}",
        f"layout: {layout}",
        "# " + _("pages: {pages}   (the planned page count: check says when the text does not "
                 "fit)").format(pages=pages),
    ]
    if colophon:
        lines += ["", "colophon:", _indent(_dump(colophon), 2)]
    if publication:
        lines += ["", "publication:", _indent(_dump(publication), 2)]
    article = {"id": "article-1", **({"section": section} if section else {}),
               "title": EXAMPLE_TITLE, "byline": EXAMPLE_BYLINE}
    lines += [
        "", "articles:",
        "  # " + _("An example article: replace its title and text, or copy it for more "
                   "articles (each with its own id)."),
        _indent(_dump(article), 4).replace("    id:", "  - id:", 1),
        "    photos:",
        "      # " + _("A placeholder photo: put your own in images/ and name it here."),
        f"      - file: {PHOTO}",
        f"        caption: {EXAMPLE_CAPTION}",
        "        placement: top",
        "    body: |",
        f"      {EXAMPLE_BODY}。每段之间空一行。",
        "",
        "      第二段。列表这样写：",
        "",
        "      - 第一项",
        "      - 第二项",
        "",
    ]
    return NextIssue(number, volume, date, "\n".join(lines))


def _dump(data: Mapping[str, object]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000).rstrip("\n")


def _indent(text: str, spaces: int) -> str:
    return "\n".join(" " * spaces + line for line in text.splitlines())
