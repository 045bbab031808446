"""A box's used margins, paddings, sizes and border widths, kept per style and
containing block: WeasyPrint's `resolve_percentages` answered from a table.

WeasyPrint 70 calls `resolve_percentages` for every box it lays out, each time
it lays it out (a line box per line, a paragraph per column and balancing
trial): 15 lengths resolved one by one against the containing block, then the
border widths and box-sizing (~7 % of a typeset). The result depends only on
the 20 style values it reads and the containing block's width and height
(`percentage` of a plain length, `adjust_box_sizing` on the values just set),
and the same values come back: the line boxes of a paragraph share one style,
and paragraphs of one kind have equal values.

`resolve_percentages` reads those values (one C-level lookup), and when they are
plain (lengths, keywords, numbers: not `calc()`, whose result depends on the
style's font size) and the borders are not collapsed (a table's cell borders
were resolved before, on the box) sets the box's used values from the table,
or computes them with WeasyPrint's own function and keeps them. A page box
resolves its vertical margins against the page's height: left to WeasyPrint.

A box's strut (its line height and baseline, `strut`, asked for every line and
inline box) is kept by WeasyPrint itself on the font configuration, under a key
it makes by writing 16 style values out as a string each time (~2 % of a
typeset). Here it is looked up first by the same values as a tuple, with their
types (2 and 2.0 are one key in a dict, not in WeasyPrint's string, and a
number line height is a factor only as a float), and asked of WeasyPrint's
function the first time.

Backgrounds are laid out for every box of a page once it is laid out
(`layout_box_backgrounds`: its corners' radii resolved, its border image, mask,
background images and colour and shadow looked at), though most boxes have
none of them. A box whose style has square corners, no border image, no mask,
no shadow and no background (no image, a transparent colour) gets what
WeasyPrint gives it, (0, 0) corners and no background, directly; the others,
and the page, are laid out by WeasyPrint's function.

A speed extension (`used_lengths` in typeset/gate.py): the same bytes as
without it (tests/test_used_lengths.py).
"""

from __future__ import annotations

import operator
from typing import Any

from weasyprint.css import computed_values, units
from weasyprint.css.properties import Dimension
from weasyprint.draw.color import get_color
from weasyprint.formatting_structure import boxes
from weasyprint.layout import (
    absolute,
    background,
    block,
    column,
    grid,
    inline,
    page,
    percent,
    table,
)
from weasyprint.layout import (
    float as float_module,
)
from weasyprint.text import line_break

from bulletin_press.typeset.gate import replace

_original = percent.resolve_percentages
# What resolve_percentages reads from the style, and the used values it sets.
READ = ("margin_left", "margin_right", "margin_top", "margin_bottom", "padding_left",
        "padding_right", "padding_top", "padding_bottom", "width", "min_width", "max_width",
        "height", "min_height", "max_height", "border_top_width", "border_right_width",
        "border_bottom_width", "border_left_width", "box_sizing", "border_collapse")
SET = READ[:-2]
LIMIT = 4096  # kept answers (a few hundred distinct in an issue)
_read = operator.itemgetter(*READ)
_PLAIN = frozenset({Dimension, str, int, float, type(None)})
# The modules that imported resolve_percentages by name, where it is replaced.
MODULES = (percent, absolute, block, column, float_module, grid, inline, page, table)


_original_strut = line_break.strut
# What WeasyPrint's strut key holds (line_break._font_style_cache_key with the size).
STRUT_READ = ("font_family", "font_style", "font_stretch", "font_weight",
              "font_variant_ligatures", "font_variant_position", "font_variant_caps",
              "font_variant_numeric", "font_variant_alternates", "font_variant_east_asian",
              "font_feature_settings", "font_variation_settings", "font_language_override",
              "lang", "font_size", "line_height")
_strut_read = operator.itemgetter(*STRUT_READ)
STRUT_MODULES = (line_break, inline, units, computed_values)


class Counts:
    """Resolutions computed and taken from the table, for tests and the bench."""

    computed = 0
    kept = 0


class Switch:
    """`on` False: every resolution is computed (the equality tests compare both)."""

    on = True


_table: dict[Any, dict[str, Any]] = {}


def resolve_percentages(box: Any, containing_block: Any) -> None:
    """WeasyPrint's `resolve_percentages`, answered from the table when it can be."""
    if isinstance(containing_block, boxes.Box):
        key_block = (containing_block.width, containing_block.height)
    else:
        key_block = tuple(containing_block)
    values = _read(box.style)
    if not Switch.on or values[-1] == "collapse" or isinstance(box, boxes.PageBox) or \
            not _PLAIN.issuperset(map(type, values)):
        _original(box, containing_block)
        return
    key = (values, key_block)
    try:
        used = _table.get(key)
    except TypeError:  # a value that cannot be a key
        _original(box, containing_block)
        return
    if used is None:
        Counts.computed += 1
        _original(box, containing_block)
        if len(_table) >= LIMIT:
            del _table[next(iter(_table))]  # the oldest
        _table[key] = {name: getattr(box, name) for name in SET}
        return
    Counts.kept += 1
    box.__dict__.update(used)


def strut(style: Any) -> tuple[float, float]:
    """WeasyPrint's `strut`, looked up by the style's values first."""
    values = _strut_read(style)
    config = style.font_config
    struts: dict[Any, tuple[float, float]] | None = getattr(config, "bp_struts", None)
    if struts is None or not Switch.on:
        if not Switch.on:
            found: tuple[float, float] = _original_strut(style)
            return found
        struts = config.bp_struts = {}
    key = (values, tuple(map(type, values)))
    try:
        kept = struts.get(key)
    except TypeError:  # a list among the values
        found = _original_strut(style)
        return found
    if kept is None:
        kept = struts[key] = _original_strut(style)
    return kept


_original_backgrounds = background.layout_box_backgrounds
CORNERS = ("border_top_left_radius", "border_top_right_radius", "border_bottom_right_radius",
           "border_bottom_left_radius")
_SQUARE = (0, "px")


def _bare(style: Any) -> bool:
    """Would WeasyPrint lay out no background for a box of this style (and set its
    corners' radii to (0, 0))?"""
    for corner in CORNERS:
        if _SQUARE not in style[corner]:
            return False
    if style["border_image_source"][0] != "none" or \
            style["mask_border_source"][0] != "none" or style["box_shadow"]:
        return False
    if style["visibility"] == "hidden":
        return True
    return not any(kind == "url" or value for kind, value in style["background_image"]) and \
        get_color(style, "background_color").alpha == 0


def layout_box_backgrounds(page: Any, box: Any, get_image_from_uri: Any,
                           layout_children: bool = True, style: Any = None) -> None:
    """WeasyPrint's `layout_box_backgrounds`; a bare box's done here."""
    if style is not None or box is page or not Switch.on or not _bare(box.style):
        _original_backgrounds(page, box, get_image_from_uri, layout_children, style)
        return
    box.border_top_left_radius = box.border_top_right_radius = (0, 0)
    box.border_bottom_right_radius = box.border_bottom_left_radius = (0, 0)
    if layout_children:
        for child in box.all_children():
            layout_box_backgrounds(page, child, get_image_from_uri)
    box.background = None


def install() -> None:
    """Replace `resolve_percentages` and `strut` in every module that calls them
    (typeset/gate.py)."""
    for module in MODULES:
        replace("used_lengths", module, "resolve_percentages", resolve_percentages)
    for module in STRUT_MODULES:
        replace("used_lengths", module, "strut", strut)
    # Called by name by itself (for each child) and by layout_backgrounds.
    replace("used_lengths", background, "layout_box_backgrounds", layout_box_backgrounds)
