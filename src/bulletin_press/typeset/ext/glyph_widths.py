"""Glyphs drawn wider by what cjk_justify and cjk_autospace measured: the drawing
half both share, installed by either.

Each leaves on what it laid out the extra width its glyphs need (cjk_justify:
`bp_justify` on a text box; cjk_autospace: `bp_autospace` on the box's Pango
layout), as (amount, byte offsets of the characters before the gaps). Before
WeasyPrint draws a box's first line, the glyph that ends each of those
characters is made that much wider. A box without either is drawn as stock
WeasyPrint draws it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from weasyprint.draw import text as draw_text_module
from weasyprint.text.ffi import TO_UNITS, ffi, pango

from bulletin_press.typeset.gate import replace

_original = draw_text_module.draw_first_line


def widen(layout: Any, spacing: float, targets: frozenset[int]) -> None:
    """Add `spacing` after the last glyph of each cluster containing a target byte."""
    extra = round(spacing * TO_UNITS)
    for glyph, span, last in _glyphs(layout):
        if last and any(span[0] <= t < span[1] for t in targets):
            glyph.geometry.width += extra


def narrow(layout: Any, amount: float, closing: frozenset[int], opening: frozenset[int]
           ) -> None:
    """Take `amount` from the blank half of each mark at a target byte (cjk_justify
    `squeeze`, pushing in): a closing mark's advance is shortened (its ink is in its
    left half), an opening mark's too, its ink drawn that much further left (its ink
    is in its right half): the text after each moves up to it."""
    less = round(amount * TO_UNITS)
    for glyph, span, last in _glyphs(layout):
        if any(span[0] <= t < span[1] for t in opening):
            glyph.geometry.x_offset -= less
        elif not any(span[0] <= t < span[1] for t in closing):
            continue
        if last:
            glyph.geometry.width -= less


def _glyphs(layout: Any) -> Iterator[tuple[Any, tuple[int, int], bool]]:
    """Each glyph of the layout's first line, with the byte span of its cluster and
    whether it is the cluster's last glyph."""
    # draw_first_line sets this too; setting it first keeps Pango from laying the
    # line out again (and dropping our widths) when the original sets it.
    pango.pango_layout_set_single_paragraph_mode(layout.layout, True)
    first_line, _ = layout.get_first_line()
    run = first_line.runs
    while run != ffi.NULL:
        item = run.data
        glyphs = item.glyphs
        count = glyphs.num_glyphs
        start = item.item.offset
        length = item.item.length
        clusters = [glyphs.log_clusters[i] for i in range(count)]
        ends = [length] * count  # where each glyph's cluster ends: the next cluster
        for i in range(count - 2, -1, -1):
            ends[i] = clusters[i + 1] if clusters[i + 1] != clusters[i] else ends[i + 1]
        for i in range(count):
            last = i + 1 >= count or clusters[i + 1] != clusters[i]
            yield glyphs.glyphs[i], (start + clusters[i], start + ends[i]), last
        run = run.next


def draw_first_line(stream: Any, textbox: Any, *args: Any) -> Any:
    autospace = getattr(textbox.pango_layout, "bp_autospace", None)  # see cjk_autospace
    if autospace is not None:
        widen(textbox.pango_layout, *autospace)
    justify = getattr(textbox, "bp_justify", None)  # see cjk_justify
    if justify is not None:
        widen(textbox.pango_layout, *justify)
    push = getattr(textbox, "bp_push", None)  # see cjk_justify.squeeze
    if push is not None:
        narrow(textbox.pango_layout, *push)
    return _original(stream, textbox, *args)


def install() -> None:
    """Idempotent (installed by cjk_justify and cjk_autospace)."""
    replace("glyph_widths", draw_text_module, "draw_first_line", draw_first_line)
