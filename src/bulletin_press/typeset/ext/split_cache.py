"""Text measurement kept: WeasyPrint's `split_first_line` answered once per input.

Every line WeasyPrint breaks goes through `split_first_line` (a Pango layout
made, shaped and measured, and again for the line's own text). The same call
comes back within a document: a balanced headline laid out again in every
column-balancing trial (line_fit.py; column_lines.py keeps no balanced lines),
the running heads and page numbers of every page, a line laid out again by
line_fit with the same conditions. `split` answers such a call from a table.

The key holds everything the answer depends on: the text, the width, the
justification spacing, the two flags, every style property that WeasyPrint's
line_break.py and fonts.py and cjk_autospace.py read while splitting (`READ`;
tests/test_split_cache.py records the properties a split really reads and
fails when one is missing here), and the font configuration itself (its fonts).
The table lives on that font configuration, like WeasyPrint's own strut cache,
and holds at most `LIMIT` answers. WeasyPrint makes a font configuration per
document; where one is shared between documents (a build's or the preview's
worker), the answers serve every document, and are dropped when a document
adds @font-face fonts the configuration did not have (`_table`).

Each answer's Pango layout object is handed out as a copy: drawing later
reactivates and can change it (ellipsis, autospace), never the kept one.
"""

from __future__ import annotations

import copy
import operator
import os
import weakref
from typing import Any

from bulletin_press.typeset.ext import cjk_autospace

# The style properties a split reads (WeasyPrint 70 text/line_break.py and
# text/fonts.py, and cjk_autospace.set_text).
READ = (
    "direction", "font_family", "font_feature_settings", "font_kerning",
    "font_language_override", "font_size", "font_stretch", "font_style",
    "font_variant_alternates", "font_variant_caps", "font_variant_east_asian",
    "font_variant_ligatures", "font_variant_numeric", "font_variant_position",
    "font_variation_settings", "font_weight", "hyphenate_character",
    "hyphenate_limit_chars", "hyphenate_limit_zone", "hyphens", "lang", "letter_spacing",
    "line_height", "overflow_wrap", "tab_size", "text_decoration_line", "white_space",
    "word_break", "word_spacing",
)
CUSTOM = (cjk_autospace.PROPERTY,)  # custom properties (lists of tokens)
LIMIT = 8192  # answers kept per font configuration (~1-2 MB of text and numbers)


class Counts:
    """Splits measured and answered from the table, for tests and the bench."""

    measured = 0
    kept = 0


class Switch:
    """`on` False: every split is measured (the equality tests compare both)."""

    on = True


def _custom(style: Any, name: str) -> Any:
    try:
        value = style[name]
    except (KeyError, TypeError):
        return None
    if not value:
        return None
    return tuple((type(token).__name__, getattr(token, "value", None),
                  getattr(token, "unit", None)) for token in value)


def style_key(style: Any) -> tuple[Any, ...]:
    """The values of every property a split reads, hashable."""
    values: tuple[Any, ...] = operator.itemgetter(*READ)(style)
    try:
        hash(values)
    except TypeError:  # a list or set among them (text-decoration-line is a set)
        values = tuple(_hashable(value) for value in values)
    return values + tuple(_custom(style, name) for name in CUSTOM)


def _hashable(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_hashable(item) for item in value)
    if isinstance(value, (set, frozenset)):
        return frozenset(value)
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    return value


def _faces(config: Any) -> tuple[str, ...]:
    """The @font-face fonts added to a font configuration: WeasyPrint writes each to
    its folder under a digest of the rule (`FontConfiguration.add_font_face`)."""
    folder = getattr(config, "_folder", None)
    return tuple(sorted(os.listdir(folder))) if folder and os.path.isdir(folder) else ()


def _table(config: Any, context: Any) -> dict[Any, Any]:
    """The answers kept on `config`; emptied when a document using it brought fonts
    the answers were measured without (a configuration shared between documents
    gains the @font-face fonts of each: a family may now be another font). Fonts
    are added while the stylesheets are read, before any line is laid out, so the
    fonts are looked at once per document (per layout context)."""
    table: dict[Any, Any] | None = getattr(config, "bp_splits", None)
    seen = getattr(config, "bp_splits_seen", None)
    if table is None or seen is None or seen() is not context:
        faces = _faces(config)
        if table is None or faces != getattr(config, "bp_splits_faces", None):
            table = config.bp_splits = {}
            config.bp_splits_faces = faces
        config.bp_splits_seen = weakref.ref(context) if context is not None else _nothing
    return table


def _nothing() -> None:
    return None


def split(original: Any, text: str, style: Any, context: Any, max_width: float | None,
          justification_spacing: float, is_line_start: bool = True,
          minimum: bool = False) -> Any:
    """`original(text, style, ...)` (WeasyPrint's split_first_line), kept per input."""
    config = getattr(style, "font_config", None)
    if not Switch.on or config is None:
        return original(text, style, context, max_width, justification_spacing,
                        is_line_start, minimum)
    table = _table(config, context)
    key = (text, max_width, justification_spacing, is_line_start, minimum, style_key(style))
    try:
        kept = table.get(key)
    except TypeError:  # a value that cannot be a key: measured, not kept
        return original(text, style, context, max_width, justification_spacing,
                        is_line_start, minimum)
    if kept is None:
        Counts.measured += 1
        answer = original(text, style, context, max_width, justification_spacing,
                          is_line_start, minimum)
        if len(table) >= LIMIT:
            del table[next(iter(table))]  # the oldest
        table[key] = (copy.copy(answer[0]), *answer[1:])
        return answer
    Counts.kept += 1
    return (copy.copy(kept[0]), *kept[1:])
