"""A document's stylesheets parsed once per process: a contained WeasyPrint extension.

WeasyPrint 70 parses every stylesheet of a document again for each document:
tokenising, validating each declaration, compiling each selector. A print
build typesets an issue as many documents (page runs, chunks, the page frame,
again in later rounds of the page plan), each with the layout's style.css and
its generated `<style>`: ~15 ms a document, the largest fixed cost of a run
after WeasyPrint's import (text-16 cold: 8 documents).

Here `find_stylesheets`' `CSS(...)` (the document's `<style>` elements and
`<link rel=stylesheet>`) keeps what parsing made, found again by the exact
text of the sheet, its URL or base URL, its media type and its content type:
a changed stylesheet is another key, so it is parsed anew (a `<link>` is read
through the document's URL fetcher every time, so the fence still records
the read). What is kept is the selector matcher and the sheet's `@page`
rules; a document gets a sheet that matches with the kept matcher, and the
kept `@page` rules appended to its own list of them in the order WeasyPrint
would have appended them, so the cascade is the same.

Only sheets whose parsing touched nothing else of the document are kept: no
`@font-face` (fonts are registered per document), `@import`, `@layer`,
`@counter-style` or `@color-profile`, and nothing logged (each document
reports its own warnings). Anything else is parsed as before. The pages come
out the same, byte for byte (tests/test_gate.py).
"""

from __future__ import annotations

import logging
import re
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from weasyprint import css as css_module
from weasyprint.urls import URLFetchingError, fetch

from bulletin_press.typeset.gate import replace

_original = css_module.CSS
# At-rules whose parsing leaves something in the document besides the sheet's
# matcher and @page rules (a backslash near an at-keyword could spell one).
_DOCUMENT_RULES = re.compile(rb"@(font-face|import|layer|counter-style|color-profile)|@[^;{]*\\",
                             re.IGNORECASE)
KEPT = 32  # sheets kept per process, the oldest dropped first


@dataclass
class _Parsed:
    matcher: Any
    page_rules: list[Any]
    base_url: str | None


@dataclass(eq=False)  # found by identity (the cascade keys its caches by sheet)
class Sheet:
    """What a document's cascade reads of a stylesheet (weasyprint.css.StyleFor):
    its matcher, and the document's @page rules and layers, shared by its sheets
    as WeasyPrint shares them."""

    matcher: Any
    page_rules: list[Any]
    layers: list[Any]
    base_url: str | None


_kept: OrderedDict[tuple[Any, ...], _Parsed] = OrderedDict()


class _Logged(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class _NoFonts:
    """A stand-in for the font configuration while a sheet is parsed to be kept."""

    used = False

    def add_font_face(self, *_: Any) -> None:
        self.used = True


def stylesheet(guess: Any = None, filename: Any = None, url: Any = None, file_obj: Any = None,
               string: Any = None, encoding: Any = None, base_url: Any = None,
               url_fetcher: Any = None, _check_mime_type: bool = False,
               media_type: str = "print", font_config: Any = None, counter_style: Any = None,
               color_profiles: Any = None, matcher: Any = None, page_rules: Any = None,
               layers: Any = None, layer: Any = None) -> Any:
    """`weasyprint.CSS` as find_stylesheets calls it, kept (see the module)."""
    arguments = dict(guess=guess, filename=filename, url=url, file_obj=file_obj,
                     string=string, encoding=encoding, base_url=base_url,
                     url_fetcher=url_fetcher, _check_mime_type=_check_mime_type,
                     media_type=media_type, font_config=font_config,
                     counter_style=counter_style, color_profiles=color_profiles,
                     matcher=matcher, page_rules=page_rules, layers=layers, layer=layer)
    ours = guess is None and filename is None and file_obj is None and encoding is None \
        and matcher is None and layer is None and page_rules is not None \
        and layers is not None and (string is None) != (url is None)
    if not ours:
        return _original(**arguments)
    if string is not None:
        key: tuple[Any, ...] = ("string", string, base_url, media_type)
        text = string.encode("utf-8", "surrogatepass")
    else:
        try:
            with fetch(url_fetcher, url) as response:
                text = response.read()
                key = ("url", url, response.url, response.content_type, response.charset,
                       text, media_type, _check_mime_type)
        except URLFetchingError:
            return _original(**arguments)  # it fails again, and says so
    parsed = _kept.get(key)
    if parsed is None:
        if layers or _DOCUMENT_RULES.search(text):
            return _original(**arguments)
        parsed, keep = _parse(arguments)
        if parsed is None:
            return _original(**arguments)
        if keep:
            _kept[key] = parsed
            while len(_kept) > KEPT:
                _kept.popitem(last=False)
    page_rules.extend(parsed.page_rules)
    return Sheet(parsed.matcher, page_rules, layers, parsed.base_url)


def _parse(arguments: dict[str, Any]) -> tuple[_Parsed | None, bool]:
    """The sheet parsed into containers of its own, and whether it may be kept:
    None if parsing put anything anywhere but the matcher and the @page rules
    (parsed again as WeasyPrint does); not kept if it logged anything (it went
    to the document's log already; the next document must log it too)."""
    fonts = _NoFonts()
    counters: dict[str, Any] = {}
    profiles: dict[str, Any] = {}
    layers: list[Any] = []
    logged = _Logged()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(logged)
    try:
        sheet = _original(**{**arguments, "font_config": fonts, "counter_style": counters,
                             "color_profiles": profiles, "page_rules": [], "layers": layers})
    finally:
        logger.removeHandler(logged)
    if fonts.used or counters or profiles or layers:
        return None, False
    return _Parsed(sheet.matcher, list(sheet.page_rules), sheet.base_url), not logged.count


def install() -> None:
    replace("parsed_sheets", css_module, "CSS", stylesheet)


