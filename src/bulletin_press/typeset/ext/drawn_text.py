"""A text box's glyphs written once per text and style: WeasyPrint's `draw_text` kept.

To write a text box, WeasyPrint 70 makes its Pango layout again (`reactivate`:
a new layout, its attributes, the text), shapes it again, and walks every glyph
to write the PDF's `TJ` strings (~1/6 of a typeset and write). What it writes
for a box depends on the box's text and style and the fonts, not on where the
box is (its place is the text matrix, written apart). The same text in the same
style comes back: a paragraph typeset again in a later round of the page plan,
or in the preview after an edit (a build's worker and the preview keep one
font configuration for all their documents); and repeated lines within one
document (running heads, leaders, repeated notices).

`draw_text` writes such a box from a table instead: the text matrix at the
box's place, then, per run of one font, the font (through the document's own
`Stream.add_font`, as WeasyPrint adds it), its size and the `TJ` strings, and
the glyphs' widths and Unicode text given to the document's font objects in
the order WeasyPrint gives them (first one wins, as in WeasyPrint). The first
time, WeasyPrint draws the box and what it writes is recorded.

The key holds all the drawing depends on: the layout's text and justification
spacing, every style property the layout reads (split_cache.READ and the
autospace property), the widths cjk_justify and cjk_autospace add to glyphs
(glyph_widths.py), and the font configuration (the table lives on it, as
split_cache's does; the Pango fonts it names are held with a reference, so
none is freed and its address reused while kept). Boxes drawn otherwise than
plainly are left to WeasyPrint: hidden, decorated (underline...), with an
ellipsis, a glyph missing from the fonts (.notdef, logged), bitmap, colour or
emoji fonts, or a raised glyph. A speed extension (`drawn_text` in
typeset/gate.py): the same bytes as without it (tests/test_drawn_text.py).
"""

from __future__ import annotations

import logging
import weakref
from typing import Any

from weasyprint import draw as draw_module
from weasyprint.matrix import Matrix
from weasyprint.text import ffi as ffi_module

from bulletin_press.typeset.ext import split_cache
from bulletin_press.typeset.gate import replace

_original = draw_module.draw_text
LIMIT = 4096  # boxes kept per font configuration (~5 KB each with its key: ~20 MB at most)
_LOGGER = logging.getLogger("weasyprint")
# GObject's reference count, which WeasyPrint's own declarations leave out.
_ffi = type(ffi_module.ffi)()  # a cffi.FFI of our own
_ffi.cdef("""
    uintptr_t g_object_ref(uintptr_t object);
    void g_object_unref(uintptr_t object);
""")  # a pointer by its address
# The library's file names first: a name that is not a file makes cffi ask
# ctypes.util.find_library, which runs ldconfig and the C compiler (WeasyPrint's
# order cost the worker server ~25 ms and three processes, the first page run
# waiting; see typeset/_weasyload.py). The library is loaded already (WeasyPrint's).
_gobject = ffi_module._dlopen(_ffi, "libgobject-2.0.so.0", "libgobject-2.0.0.dylib",
                              "libgobject-2.0-0.dll", "libgobject-2.0-0", "gobject-2.0-0",
                              "gobject-2.0")

# One box: what it writes, in order: (0, Pango font) a font added, (1, size) its
# size set, (2, string) a TJ string shown, (3, None) the text matrix set; and per
# font added, the (glyph, text, width) it gives the font, in WeasyPrint's order.
Op = tuple[int, Any]
Kept = tuple[tuple[Op, ...], tuple[tuple[tuple[int, str, int], ...], ...]]


class Counts:
    """Boxes drawn by WeasyPrint and written from the table, for tests and the bench."""

    drawn = 0
    kept = 0


class Switch:
    """`on` False: every box is drawn by WeasyPrint (the equality tests compare both)."""

    on = True


class _Every(dict):  # type: ignore[type-arg]
    """A font's `to_unicode` while a box is recorded: WeasyPrint asks it whether it
    knows a glyph, and gives the glyph's text when not; answering "no" each time
    records the text of every glyph the box draws. The font's own table gets each
    glyph's first text, as it would."""

    def __init__(self, own: dict[int, str]) -> None:
        super().__init__()
        self.own = own
        self.given: list[tuple[int, str]] = []

    def __contains__(self, glyph: object) -> bool:
        return False

    def __setitem__(self, glyph: int, text: str) -> None:
        self.given.append((glyph, text))
        if glyph not in self.own:
            self.own[glyph] = text


class _Recorder:
    """The stream as draw_first_line sees it, recording what it is asked to write."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.ops: list[Op] = []
        self.fonts: list[tuple[Any, list[tuple[int, str]]]] = []  # per font added
        self.plain = True

    def __getattr__(self, name: str) -> Any:  # ink_rect, logical_rect
        return getattr(self._stream, name)

    def set_text_matrix(self, *values: float) -> None:
        self.ops.append((3, None))
        self._stream.set_text_matrix(*values)

    def add_font(self, pango_font: Any) -> tuple[Any, float]:
        font, size = self._stream.add_font(pango_font)
        every = font.to_unicode
        if not isinstance(every, _Every):  # a font's runs may come back within a line
            every = font.to_unicode = _Every(font.to_unicode)
        every.given = []  # this run's glyphs
        self.fonts.append((font, every.given))
        self.ops.append((0, pango_font))
        return font, size

    def restore(self) -> None:
        for font, _given in self.fonts:
            if isinstance(font.to_unicode, _Every):
                font.to_unicode = font.to_unicode.own

    def set_font_size(self, name: str, size: float) -> None:
        self.ops.append((1, size))
        self._stream.set_font_size(name, size)

    def show_text(self, text: str) -> None:
        self.ops.append((2, text))
        self._stream.show_text(text)

    def set_text_rise(self, rise: float) -> None:
        self.plain = False
        self._stream.set_text_rise(rise)


class _Logged(logging.Filter):
    """Anything WeasyPrint logs while a box is drawn (a .notdef glyph): not kept."""

    seen = False

    def filter(self, record: logging.LogRecord) -> bool:
        self.seen = True
        return True


def _table(style: Any) -> dict[Any, Kept] | None:
    config = getattr(style, "font_config", None)
    if config is None:
        return None
    table: dict[Any, Kept] | None = getattr(config, "bp_drawn", None)
    faces = split_cache._faces(config)
    if table is None or faces != getattr(config, "bp_drawn_faces", None):
        table = config.bp_drawn = {}
        config.bp_drawn_faces = faces
        old = getattr(config, "bp_drawn_release", None)
        if old is not None:
            old()  # the fonts the table dropped here named
        held: dict[int, Any] = {}
        config.bp_drawn_fonts = held
        # The fonts held go with their table: when the configuration is freed (a
        # document typeset in a long process, the tests), so is each Pango font
        # and what it holds (its face, its font map's data), not leaked.
        config.bp_drawn_release = weakref.finalize(config, _release, held)
    return table


def _release(held: dict[int, Any]) -> None:
    """Give back the references taken on the fonts a table named."""
    for address in held:
        _gobject.g_object_unref(address)
    held.clear()


def _key(textbox: Any, style: Any) -> Any:
    layout = textbox.pango_layout
    return (layout.text, layout.justification_spacing, split_cache.style_key(style),
            getattr(layout, "bp_autospace", None), getattr(textbox, "bp_justify", None))


def draw_text(stream: Any, textbox: Any, offset_x: float, text_overflow: str,
              block_ellipsis: str) -> None:
    """WeasyPrint's `draw_text`, a plain box written from the table when kept."""
    style = textbox.style
    if not Switch.on or text_overflow != "clip" or block_ellipsis != "none" or \
            style["visibility"] != "visible" or style["text_decoration_line"] not in (
                "none", frozenset(), set()) or not style["font_size"]:
        _original(stream, textbox, offset_x, text_overflow, block_ellipsis)
        return
    table = _table(style)
    try:
        key = _key(textbox, style) if table is not None else None
        kept = table.get(key) if table is not None else None
    except TypeError:  # a value that cannot be a key
        table = kept = None
    if kept is None:
        _record(stream, textbox, offset_x, table, key)
        return
    Counts.kept += 1
    x, y = textbox.position_x, textbox.position_y + textbox.baseline
    stream.set_color(style["color"])
    stream.begin_text()
    ops, given = kept
    fonts = iter(given)
    font = None
    for kind, value in ops:
        if kind == 2:
            stream.show_text(value)
        elif kind == 0:
            font, _size = stream.add_font(value)
            to_unicode, widths = font.to_unicode, font.widths
            for glyph, text, width in next(fonts):
                if glyph not in to_unicode:
                    to_unicode[glyph] = text
                if glyph not in widths:
                    widths[glyph] = width
        elif kind == 1:
            stream.set_font_size(font.hash, value)  # type: ignore[union-attr]
        else:
            stream.set_text_matrix(*Matrix(d=-1, e=x, f=y).values)
    stream.end_text()


def _record(stream: Any, textbox: Any, offset_x: float, table: dict[Any, Kept] | None,
            key: Any) -> None:
    """WeasyPrint draws the box, through a recorder; kept when it was drawn plainly."""
    Counts.drawn += 1
    if table is None:
        _original(stream, textbox, offset_x, "clip", "none")
        return
    recorder = _Recorder(stream)
    logged = _Logged()
    _LOGGER.addFilter(logged)
    try:
        _original(recorder, textbox, offset_x, "clip", "none")
    finally:
        _LOGGER.removeFilter(logged)
        recorder.restore()
    fonts = [font for font, _ in recorder.fonts]
    if not recorder.plain or logged.seen or any(
            font.bitmap or font.svg or font.png or font.colr for font in fonts):
        return
    given = tuple(tuple((glyph, text, font.widths[glyph]) for glyph, text in glyphs)
                  for font, glyphs in recorder.fonts)
    held: dict[int, Any] = textbox.style.font_config.bp_drawn_fonts
    for kind, value in recorder.ops:
        address = int(ffi_module.ffi.cast("uintptr_t", value)) if kind == 0 else 0
        if address and address not in held:
            _gobject.g_object_ref(address)  # never freed while named
            held[address] = value
    if len(table) >= LIMIT:
        del table[next(iter(table))]  # the oldest
    table[key] = (tuple(recorder.ops), given)


def install() -> None:
    """Replace `draw_text` where WeasyPrint's inline drawing calls it (typeset/gate.py)."""
    replace("drawn_text", draw_module, "draw_text", draw_text)
