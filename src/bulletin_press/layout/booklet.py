"""A stapled booklet: one sheet folded is 4 pages, so its page count is a multiple
of 4 and the blank pages that make it up are added at its end. The page plan
(pull_up), the preflight and the imposition all count them here."""

from __future__ import annotations

SHEET_PAGES = 4  # pages of one folded sheet


def blank_pages_needed(pages: int) -> int:
    """Blank pages a stapled booklet of `pages` needs at its end."""
    return -pages % SHEET_PAGES
