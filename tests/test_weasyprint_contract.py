"""Every WeasyPrint internal bulletin_press relies on, checked against the installed
WeasyPrint: the functions the extensions replace or call (with their signatures),
the private or internal attributes they read, the C functions of its cffi
declarations they call and the shapes of internal data they unpack. After an
upgrade this test says at once what changed; read each extension named here
against the new code (typeset/gate.py has the version to change)."""

from __future__ import annotations

import importlib
import inspect
import re
from typing import Any

import pytest

from bulletin_press.typeset import gate

gate.install()

# Functions replaced by an extension: where, the original's signature, by whom.
REPLACED = {
    "weasyprint.layout.inline.justify_line": ("(context, line, extra_width)", "cjk_justify"),
    "weasyprint.layout.inline.remove_last_whitespace": ("(context, line)", "cjk_justify"),
    "weasyprint.draw.text.draw_first_line": (
        "(stream, textbox, text_overflow, block_ellipsis, matrix)", "glyph_widths"),
    "weasyprint.text.line_break.Layout.set_text": ("(self, text, justify=False)",
                                                   "cjk_autospace"),
    "weasyprint.layout.inline.text_align": ("(context, line, available_width, last)",
                                            "cjk_autospace"),
    "weasyprint.layout.column.columns_layout": (
        "(context, box, bottom_space, skip_stack, containing_block, page_is_empty, "
        "absolute_boxes, fixed_boxes, adjoining_margins, first_letter_style, "
        "first_line_style)", "grid_columns"),
    "weasyprint.layout.block.columns_layout": (
        "(context, box, bottom_space, skip_stack, containing_block, page_is_empty, "
        "absolute_boxes, fixed_boxes, adjoining_margins, first_letter_style, "
        "first_line_style)", "grid_columns"),
    "weasyprint.draw.draw_inline_level": (
        "(stream, page, box, offset_x=0, text_overflow='clip', block_ellipsis='none')",
        "leaders"),
    "weasyprint.layout.page.set_page_type_computed_styles": ("(page_type, html, style_for)",
                                                             "page_styles"),
    "weasyprint.layout.page.min_content_width": ("(context, box, outer=True)", "page_styles"),
    "weasyprint.layout.page.max_content_width": ("(context, box, outer=True)", "page_styles"),
    "weasyprint.layout.make_all_pages": ("(context, root_box, html, pages)", "target_counters"),
    "weasyprint.pdf.fonts.Font.subset": ("(self, to_unicode, hinting)", "font_programs"),
    "weasyprint.pdf.fonts.get_hb_object_data": ("(hb_object, ot_color=None, glyph=None)",
                                                "font_programs"),
    "weasyprint.stacking._dispatch": (
        "(box, page, child_contexts, blocks, floats, blocks_and_cells)", "paint_order"),
    "weasyprint.draw.draw_block_level": ("(page, stream, blocks_and_cells)", "paint_order"),
    "weasyprint.pdf.stream.Stream.marked": ("(self, box, tag)", "artifacts"),
    "weasyprint.document.draw_page": ("(page, stream)", "artifacts"),
    "weasyprint.pdf.add_tags": ("(pdf, document, pdf_version, page_streams)",
                                "structure_tree"),
    "weasyprint.layout.inline.split_first_line": (
        "(text, style, context, max_width, justification_spacing, is_line_start=True, "
        "minimum=False)", "line_fit"),
    "weasyprint.layout.inline.iter_line_boxes": (
        "(context, box, position_y, bottom_space, skip_stack, containing_block, "
        "absolute_boxes, fixed_boxes, first_letter_style, first_line_style)", "line_fit"),
    "weasyprint.layout.block.iter_line_boxes": (
        "(context, box, position_y, bottom_space, skip_stack, containing_block, "
        "absolute_boxes, fixed_boxes, first_letter_style, first_line_style)", "line_fit"),
    "weasyprint.layout.inline.handle_leader": ("(context, line, containing_block)",
                                               "line_fit"),
    "weasyprint.layout.inline.get_next_linebox": (
        "(context, linebox, position_y, bottom_space, skip_stack, containing_block, "
        "absolute_boxes, fixed_boxes, first_letter_style, first_line_style)", "column_lines"),
    # grid_columns' hook, holding WeasyPrint's columns_layout until column_lines
    # puts its copy (typeset/ext/column_layout.py) there.
    "bulletin_press.typeset.ext.grid_columns._layout": (
        "(context, box, bottom_space, skip_stack, containing_block, page_is_empty, "
        "absolute_boxes, fixed_boxes, adjoining_margins, first_letter_style, "
        "first_line_style)", "column_lines"),
    # parsed_sheets: the CSS class as weasyprint.css's find_stylesheets and @import call it.
    "weasyprint.css.CSS": (
        "(guess=None, filename=None, url=None, file_obj=None, string=None, encoding=None, "
        "base_url=None, url_fetcher=None, _check_mime_type=False, media_type='print', "
        "font_config=None, counter_style=None, color_profiles=None, matcher=None, "
        "page_rules=None, layers=None, layer=None)", "parsed_sheets"),
    # drawn_text: a text box's glyphs written from a table (WeasyPrint's draw_text
    # writes what draw/text.py shows below; draw_first_line through glyph_widths).
    "weasyprint.draw.draw_text": ("(stream, textbox, offset_x, text_overflow, block_ellipsis)",
                                  "drawn_text"),
    # used_lengths: a box's used lengths and strut answered from tables; WeasyPrint's
    # layout modules imported both by name.
    "weasyprint.layout.percent.resolve_percentages": ("(box, containing_block)", "used_lengths"),
    "weasyprint.layout.absolute.resolve_percentages": ("(box, containing_block)", "used_lengths"),
    "weasyprint.layout.block.resolve_percentages": ("(box, containing_block)", "used_lengths"),
    "weasyprint.layout.column.resolve_percentages": ("(box, containing_block)", "used_lengths"),
    "weasyprint.layout.float.resolve_percentages": ("(box, containing_block)", "used_lengths"),
    "weasyprint.layout.grid.resolve_percentages": ("(box, containing_block)", "used_lengths"),
    "weasyprint.layout.inline.resolve_percentages": ("(box, containing_block)", "used_lengths"),
    "weasyprint.layout.page.resolve_percentages": ("(box, containing_block)", "used_lengths"),
    "weasyprint.layout.table.resolve_percentages": ("(box, containing_block)", "used_lengths"),
    "weasyprint.text.line_break.strut": ("(style)", "used_lengths"),
    "weasyprint.layout.inline.strut": ("(style)", "used_lengths"),
    "weasyprint.css.units.strut": ("(style)", "used_lengths"),
    "weasyprint.css.computed_values.strut": ("(style)", "used_lengths"),
    "weasyprint.layout.background.layout_box_backgrounds": (
        "(page, box, get_image_from_uri, layout_children=True, style=None)", "used_lengths"),
    # box_flow: the five tests of a box's flow read on two style values at once
    "weasyprint.formatting_structure.boxes.Box.is_in_normal_flow": ("(self)", "box_flow"),
    # png_streams: a PNG image's pixel data, encoded again for each document.
    "weasyprint.images.RasterImage._get_png_data": ("(pillow_image)", "png_streams"),
    # vertical_justify: the pages as laid out, before they become Pages.
    "weasyprint.document.layout_document": ("(html, root_box, context, max_loops=8)",
                                            "vertical_justify"),
    # column_layout's hook for a watch on each balancing trial (column_balance.py).
    "bulletin_press.typeset.ext.column_layout.watch": (
        "(context: 'Any', keep: 'bool' = False) -> 'Any'", "column_balance"),
}

# Functions and methods called (not replaced), with the signature the calls assume.
CALLED = {
    "weasyprint.draw.text.draw_text": "(stream, textbox, offset_x, text_overflow, block_ellipsis)",
    "weasyprint.text.line_break.Layout.get_first_line": "(self)",
    "weasyprint.document.Document.copy": "(self, pages='all')",
    "weasyprint.css.StyleFor.get_computed_styles": "(self)",
    "weasyprint.draw.draw_stacking_context": "(stream, stacking_context)",  # paint_order
    "weasyprint.stacking.StackingContext.from_box": "(box, page, child_contexts=None)",
    "weasyprint.formatting_structure.boxes.Box.translate":
        "(self, dx=0, dy=0, ignore_floats=False)",
    "weasyprint.formatting_structure.boxes.Box.content_box_y": "(self)",
    "weasyprint.formatting_structure.boxes.Box.deepcopy": "(self)",  # column_lines
    # column_tops: a column's top chain, measured on the trial's boxes
    "weasyprint.formatting_structure.boxes.Box.descendants": "(self, placeholders=False)",
    "weasyprint.formatting_structure.boxes.Box.border_box_y": "(self)",
    "weasyprint.formatting_structure.boxes.Box.border_height": "(self)",
    "weasyprint.formatting_structure.boxes.ParentBox.bottom_margin_collapses": "(self)",
    "weasyprint.formatting_structure.boxes.Box.content_box_x": "(self)",
    # vertical_justify (and column_tops, below): a table in its wrapper
    "weasyprint.formatting_structure.boxes.ParentBox.get_wrapped_table": "(self)",
    # typeset/page_facts.py: what is drawn, measured as draw/ and pdf/ draw it
    "weasyprint.layout.replaced.replacedbox_layout": "(box)",
    "weasyprint.pdf.stream.get_pango_font_key": "(pango_font)",
    "weasyprint.text.line_break.Layout.reactivate": "(self, style)",
    "weasyprint.text.line_break.Layout.deactivate": "(self)",
    "weasyprint.svg.Node.get_viewbox": "(self)",
    "weasyprint.formatting_structure.boxes.Box.rounded_padding_box": "(self)",
    "weasyprint.formatting_structure.boxes.Box.rounded_border_box": "(self)",
    # column_layout.py: WeasyPrint's columns_layout, copied; what it calls.
    "weasyprint.layout.block.block_box_layout": (
        "(context, box, bottom_space, skip_stack, containing_block, page_is_empty, "
        "absolute_boxes, fixed_boxes, adjoining_margins, first_letter_style, "
        "first_line_style, discard, max_lines)"),
    "weasyprint.layout.block.block_level_layout": (
        "(context, box, bottom_space, skip_stack, containing_block, page_is_empty=True, "
        "absolute_boxes=None, fixed_boxes=None, adjoining_margins=None, "
        "first_letter_style=None, first_line_style=None, discard=False, max_lines=None)"),
    "weasyprint.layout.block.remove_placeholders":
        "(context, box_list, absolute_boxes, fixed_boxes)",
    "weasyprint.layout.column._create_column_box":
        "(box, containing_block, children, width, position_y)",
    "weasyprint.layout.column._report_footnotes": "(context, footnotes_height)",
    # column_balance: WeasyPrint's overflow test, a static method, watched per trial
    # (a context's own attribute in its place while a trial is laid out).
    "weasyprint.layout.LayoutContext.overflows": "(bottom, position_y)",
    # column_balance: the page's test, which computes its bottom from a bottom space
    # (watched on one-column containers' first trials, column_layout._settles).
    "weasyprint.layout.LayoutContext.overflows_page": "(self, bottom_space, position_y)",
    # column_model: WeasyPrint's break rules, called on the first trial's boxes; and
    # the functions whose rules it repeats (orphans/widows, an avoided break's earlier
    # place, a child's overflow tests, the look-ahead): read them after an upgrade
    "weasyprint.layout.block.block_level_page_break": "(sibling_before, sibling_after)",
    "weasyprint.layout.block.avoid_page_break": "(page_break, context)",
    "weasyprint.layout.block._break_line": (
        "(context, box, line, new_children, needed, page_is_empty, index, skip_stack, "
        "resume_at, absolute_boxes, fixed_boxes)"),
    "weasyprint.layout.block.find_earlier_page_break": (
        "(context, children, absolute_boxes, fixed_boxes)"),
    "weasyprint.layout.block._in_flow_layout": (
        "(context, box, index, child, new_children, page_is_empty, absolute_boxes, "
        "fixed_boxes, adjoining_margins, bottom_space, position_y, skip_stack, "
        "first_letter_style, first_line_style, discard, next_page, max_lines)"),
    "weasyprint.formatting_structure.boxes.Box.is_floated": "(self)",
    "weasyprint.formatting_structure.boxes.Box.is_absolutely_positioned": "(self)",
    "weasyprint.formatting_structure.boxes.Box.is_running": "(self)",
    "weasyprint.formatting_structure.boxes.Box.margin_height": "(self)",
    "weasyprint.urls.URLFetcher.__init__": "(self, timeout=10, ssl_context=None, "
                                           "http_headers=None, allowed_protocols=None, "
                                           "allow_redirects=True, fail_on_errors=False, "
                                           "**kwargs)",
    "weasyprint.urls.URLFetcherResponse.__init__": "(self, url, body=None, headers=None, "
                                                   "status=200, **kwargs)",
    "weasyprint.urls.fetch": "(url_fetcher, url)",  # parsed_sheets: a <link>'s text
    # line_fit: a line laid out again (get_next_linebox, replaced by column_lines, and
    # resolve_percentages, replaced by used_lengths, so listed above), a first line
    # split with char wrapping
    "weasyprint.layout.leader.handle_leader": "(context, line, containing_block)",
    "weasyprint.layout.percent.resolve_one_percentage": "(box, property_name, refer_to)",
    "weasyprint.text.line_break.create_layout": (
        "(text, style, context, max_width, justification_spacing)"),
    "weasyprint.text.line_break.line_size": "(line, style)",
    "weasyprint.text.line_break.first_line_metrics": (
        "(first_line, text, layout, resume_at, space_collapse, style, hyphenated=False, "
        "hyphenation_character=None)"),
}

# Attributes read or set that are not WeasyPrint's documented API: (class, name),
# found as a class attribute or assigned (`….<name> =`) in the class's module (or
# in the module named third, where WeasyPrint sets it).
ATTRIBUTES: list[tuple[str, ...]] = [
    ("weasyprint.document.Page", "_page_box"),  # engine: stranded headlines, holes
    ("weasyprint.document.Page", "anchors"),
    ("weasyprint.document.Page", "links"),  # runs/worker.py: links to other runs
    ("weasyprint.pdf.stream.Stream", "_tags"),  # leaders: tagged PDFs drawn as before
    ("weasyprint.css.StyleFor", "_sheets"),  # page_styles: :nth() page rules
    ("weasyprint.text.fonts.FontConfiguration", "_folder"),  # engine: fonts @font-face added
    ("weasyprint.CSS", "matcher"),  # parsed_sheets: what a parsed sheet is kept of
    ("weasyprint.CSS", "page_rules"),
    ("weasyprint.CSS", "base_url"),
    ("weasyprint.layout.LayoutContext", "page_maker"),  # target_counters
    ("weasyprint.layout.LayoutContext", "target_collector"),
    ("weasyprint.layout.LayoutContext", "page_bottom"),  # grid_columns
    ("weasyprint.css.targets.TargetCollector", "counter_lookup_items"),
    ("weasyprint.css.targets.TargetCollector", "target_lookup_items"),
    ("weasyprint.css.targets.CounterLookupItem", "missing_counters"),
    ("weasyprint.css.targets.CounterLookupItem", "missing_target_counters"),
    ("weasyprint.css.targets.CounterLookupItem", "cached_page_counter_values"),
    ("weasyprint.css.targets.CounterLookupItem", "page_maker_index"),
    ("weasyprint.css.targets.CounterLookupItem", "parse_again"),  # called with the values
    ("weasyprint.css.targets.TargetLookupItem", "cached_page_counter_values"),
    ("weasyprint.text.line_break.Layout", "layout"),  # the Pango layout (cjk_*)
    ("weasyprint.text.line_break.Layout", "text"),
    ("weasyprint.text.line_break.Layout", "style"),
    ("weasyprint.formatting_structure.boxes.TextBox", "pango_layout",
     "weasyprint.layout.inline"),
    ("weasyprint.formatting_structure.boxes.InlineBox", "is_leader"),  # leaders, artifacts
    ("weasyprint.formatting_structure.boxes.Box", "link_annotation"),  # structure_tree
    ("weasyprint.formatting_structure.boxes.Box", "element_tag"),
    ("weasyprint.formatting_structure.boxes.Box", "element"),
    ("weasyprint.pdf.fonts.Font", "file_content"),  # font_programs
    ("weasyprint.pdf.fonts.Font", "hb_face"),
    ("weasyprint.pdf.fonts.Font", "index"),
    ("weasyprint.pdf.fonts.Font", "family"),
    ("weasyprint.pdf.fonts.Font", "weight"),
    ("weasyprint.pdf.fonts.Font", "style"),
    ("weasyprint.pdf.fonts.Font", "name"),
    ("weasyprint.formatting_structure.boxes.TextBox", "text"),  # line_fit, cjk_justify
    ("weasyprint.formatting_structure.boxes.LineBox", "text_indent", "weasyprint.layout.inline"),
    ("weasyprint.layout.LayoutContext", "excluded_shapes"),  # line_fit, column_lines: floats
    ("weasyprint.layout.LayoutContext", "footnotes"),  # column_layout
    ("weasyprint.layout.LayoutContext", "current_page_footnotes"),
    ("weasyprint.layout.LayoutContext", "reported_footnotes"),
    ("weasyprint.layout.LayoutContext", "in_column"),
    ("weasyprint.layout.LayoutContext", "running_elements"),  # column_layout: a clean trial
    ("weasyprint.layout.LayoutContext", "broken_out_of_flow"),
    ("weasyprint.layout.LayoutContext", "current_page"),  # column_tops: margins truncated
    ("weasyprint.layout.LayoutContext", "forced_break"),  # column_model: likewise
    ("weasyprint.formatting_structure.boxes.Box", "footnote"),  # column_model
    ("weasyprint.formatting_structure.boxes.Box", "index", "weasyprint.layout.block"),
    ("weasyprint.formatting_structure.boxes.Box", "is_table_wrapper"),
    ("weasyprint.layout.absolute.AbsolutePlaceholder", "index", "weasyprint.layout.block"),
    ("weasyprint.text.fonts.FontConfiguration", "_folder"),  # split_cache: fonts added
    ("weasyprint.images.SVGImage", "_svg"),  # page_facts: a QR code's rectangles
    # vertical_justify: a multi-column box's columns, a table's wrapper, the HTML's tree
    ("weasyprint.formatting_structure.boxes.Box", "is_column"),
    ("weasyprint.formatting_structure.boxes.Box", "is_table_wrapper"),
    ("weasyprint.HTML", "etree_element"),
    ("weasyprint.css.AnonymousStyle", "__init__"),
    ("weasyprint.svg.SVG", "tree"),
    # drawn_text: what a drawn box gives the document's fonts, what it is keyed by
    ("weasyprint.pdf.fonts.Font", "to_unicode"),
    ("weasyprint.pdf.fonts.Font", "widths"),
    ("weasyprint.pdf.fonts.Font", "hash"),
    ("weasyprint.pdf.fonts.Font", "bitmap"),
    ("weasyprint.pdf.fonts.Font", "svg"),
    ("weasyprint.pdf.fonts.Font", "png"),
    ("weasyprint.pdf.fonts.Font", "colr"),
    ("weasyprint.text.line_break.Layout", "justification_spacing"),
    ("weasyprint.text.line_break.Layout", "text"),
    ("weasyprint.text.fonts.FontConfiguration", "strut_layouts"),  # used_lengths
]


def _resolve(dotted: str) -> Any:
    """A module attribute or class member by its dotted name."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            found = getattr(found, name)
        return found
    raise LookupError(dotted)


def _original(dotted: str) -> Any:
    for replaced in gate.replacements():
        if replaced.dotted == dotted:
            return replaced.original
    raise LookupError(f"{dotted} is not replaced")


def test_every_replaced_function_is_listed() -> None:
    found = {r.dotted: r.extension for r in gate.replacements()}
    assert found == {name: who for name, (_, who) in REPLACED.items()}


@pytest.mark.parametrize("dotted", sorted(REPLACED))
def test_replaced_function_signature(dotted: str) -> None:
    assert str(inspect.signature(_original(dotted))) == REPLACED[dotted][0]


@pytest.mark.parametrize("dotted", sorted(CALLED))
def test_called_function_signature(dotted: str) -> None:
    assert str(inspect.signature(_resolve(dotted))) == CALLED[dotted]


@pytest.mark.parametrize("attribute", ATTRIBUTES, ids=".".join)
def test_internal_attribute_exists(attribute: tuple[str, ...]) -> None:
    owner, name, *setters = attribute
    cls = _resolve(owner)
    modules = {c.__module__ for c in cls.__mro__ if c.__module__.startswith("weasyprint")}
    source = "".join(inspect.getsource(_resolve(m)) for m in sorted(modules | set(setters)))
    assigned = re.search(rf"\.{name}(: [^=\n]+)? = ", source)
    assert hasattr(cls, name) or assigned, f"{owner}.{name}"


def test_page_type_fields() -> None:
    """page_styles makes a page type of each kind with `_replace(index=, groups=)`."""
    from weasyprint.layout.page import PageType  # type: ignore[attr-defined]

    assert PageType._fields == ("side", "blank", "name", "index", "groups")


# C functions of WeasyPrint's cffi declarations the extensions call: a name
# WeasyPrint stops declaring is gone for us too.
FFI = {
    "harfbuzz": ["hb_face_reference_table", "hb_blob_get_data", "hb_blob_destroy",
                 "hb_face_get_glyph_count"],  # font_programs
    "pango": ["pango_layout_set_single_paragraph_mode", "pango_layout_get_attributes",
              "pango_attr_list_new", "pango_attr_list_unref", "pango_attr_letter_spacing_new",
              "pango_attr_list_change", "pango_layout_set_attributes",  # cjk_*, glyph_widths
              "pango_layout_set_wrap",  # line_fit
              "pango_font_get_metrics", "pango_font_metrics_get_descent",  # page_facts
              "pango_font_metrics_unref", "pango_font_get_glyph_extents"],
}

# Shapes of internal data read by position or key, found in WeasyPrint's source.
SOURCE = [
    # runs/worker.py rewrites page.links as (kind, target, rect, box)
    ("weasyprint.anchors", "links.append((link_type, target, rectangle, box))"),
    # target_counters marks a page to be laid out again
    ("weasyprint.layout.page", "remake_state['content_changed'] = True"),
    # png_streams: the image it encodes is opened from the image's bytes (its .fp)
    ("weasyprint.images", "Image.open(io.BytesIO(self.image_data.data)))"),
    # parsed_sheets: the only attributes of a sheet the cascade reads; find_stylesheets
    # shares the document's @page rules and layers with every sheet
    ("weasyprint.css", "for selector in sheet.matcher.match(element):"),
    ("weasyprint.css", "sheet.layers.index(layer)"),
    ("weasyprint.css", "for _rule, selector_list, declarations in sheet.page_rules:"),
    ("weasyprint.css", "color_profiles=color_profiles, page_rules=page_rules,"),
    ("weasyprint.css", "page_rules=page_rules, color_profiles=color_profiles, layers=layers)"),
    # cjk_autospace reads --bp-autospace as style["__bp_autospace"]
    ("weasyprint.css.computed_values", "name = name.replace('-', '_')"),
    # line_fit wraps a first line at any character, as WeasyPrint does for overflow-wrap
    ("weasyprint.text.constants", "'WRAP_CHAR': pango.PANGO_WRAP_CHAR"),
    # page_facts measures glyphs where draw/text.py puts them, characters as pdfminer
    # reads them: the font's width, the kerning written truncated, the font's descent
    ("weasyprint.draw.text", "kerning = logical_width + offset - width * 1000 * FROM_UNITS"),
    ("weasyprint.draw.text", "string += f'>{int(kerning)}<'"),
    ("weasyprint.draw.text", "string += f'>{-width / font_size}<'"),
    ("weasyprint.draw.text", "x, y = textbox.position_x, textbox.position_y + textbox.baseline"),
    ("weasyprint.pdf.fonts", "pango.pango_font_metrics_get_descent(pango_metrics) * FROM_UNITS /"),
    ("weasyprint.draw", "stream.rectangle(*painting_area)"),
    ("weasyprint.draw", "draw_width, draw_height, draw_x, draw_y = replaced.replacedbox_layout"),
    # drawn_text writes what draw_text writes for a plain box, in its order: colour,
    # BT, the text matrix, per run the font added, its size, the TJ strings, ET; and
    # gives each glyph's text and width to the font only when it has none
    ("weasyprint.draw.text", "stream.set_color(textbox.style['color'])\n"
     "    textbox.pango_layout.reactivate(textbox.style)\n    stream.begin_text()"),
    ("weasyprint.draw.text", "Matrix(d=-1, e=x, f=y))\n    stream.end_text()"),
    ("weasyprint.draw.text", "stream.set_text_matrix(*matrix.values)"),
    ("weasyprint.draw.text", "font, font_size = stream.add_font(pango_font)"),
    ("weasyprint.draw.text", "stream.set_font_size(font.hash, 1 if font.bitmap else font_size)"),
    ("weasyprint.draw.text", "if glyph_id not in font.to_unicode:"),
    ("weasyprint.draw.text", "font.to_unicode[glyph_id] = utf8_text[offset+t1:offset+t2]"),
    ("weasyprint.draw.text", "if glyph_id in font.widths:"),
    ("weasyprint.draw.text", "stream.set_text_rise(-rise)"),
    ("weasyprint.pdf.stream", "        if key not in self._fonts:\n"
     "            self._fonts[key] = Font(pango_font, description, font_size)"),
    # used_lengths: what resolve_percentages reads besides the style (a page's
    # vertical margins; borders collapsed before), and strut's own key
    ("weasyprint.layout.percent",
     "if isinstance(box, boxes.PageBox):\n        maybe_height = cb_height"),
    ("weasyprint.layout.percent", "if not (collapse and hasattr(box, prop)):"),
    ("weasyprint.layout.percent", "check_math(height)"),
    # box_flow: WeasyPrint's five tests, as box_flow.py repeats them
    ("weasyprint.formatting_structure.boxes", "return self.style['float'] in ('left', 'right', "
     "'inline-start', 'inline-end')"),
    ("weasyprint.formatting_structure.boxes", "return self.style['float'] == 'footnote'"),
    ("weasyprint.formatting_structure.boxes", "return self.style['position'][0] == 'note()'"),
    ("weasyprint.formatting_structure.boxes",
     "return self.style['position'] in ('absolute', 'fixed')"),
    ("weasyprint.formatting_structure.boxes",
     "return self.style['position'][0] == 'running()'"),
    ("weasyprint.formatting_structure.boxes", "            self.is_floated() or "
     "self.is_absolutely_positioned() or\n            self.is_running() or "
     "self.is_footnote() or self.is_note())"),
    # used_lengths: what layout_box_backgrounds does for a box without a background
    ("weasyprint.layout.percent", "        # Short track for common case\n"
     "        if (0, 'px') in (rx, ry):\n            setattr(box, property_name, (0, 0))"),
    ("weasyprint.layout.background", "    resolve_radii_percentages(box)\n\n"
     "    if layout_children:\n        for child in box.all_children():\n"
     "            layout_box_backgrounds(page, child, get_image_from_uri)"),
    ("weasyprint.layout.background", "    if style['border_image_source'][0] != 'none':"),
    ("weasyprint.layout.background", "    if style['mask_border_source'][0] != 'none':"),
    ("weasyprint.layout.background",
     "    if style['visibility'] == 'hidden':\n        images = []"),
    ("weasyprint.layout.background", "if type_ == 'url' else value\n"
     "            for type_, value in style['background_image']]\n"
     "        color = get_color(style, 'background_color')"),
    ("weasyprint.layout.background",
     "    if color.alpha == 0 and not any(images) and not style['box_shadow']:\n"
     "        if box != page:  # Pages need a background for bleed box\n"
     "            box.background = None\n            return"),
    ("weasyprint.text.line_break", "key = _font_style_cache_key(style, include_size=True)"),
    ("weasyprint.text.line_break", "key += str(style['font_size']) + str(style['line_height'])"),
    ("weasyprint.text.line_break", "    def reactivate(self, style):\n        self.setup(style)\n"
     "        self.set_text(self.text, justify=True)"),
]


@pytest.mark.parametrize(("library", "name"),
                         [(lib, name) for lib, names in FFI.items() for name in names])
def test_ffi_function_declared(library: str, name: str) -> None:
    from weasyprint.text import ffi

    assert hasattr(getattr(ffi, library), name)
    assert hasattr(ffi, "TO_UNITS") and hasattr(ffi, "ffi")


@pytest.mark.parametrize(("module", "snippet"), SOURCE)
def test_internal_data_shape(module: str, snippet: str) -> None:
    assert snippet in inspect.getsource(_resolve(module))


def test_internal_values_read_from_a_typeset_page(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the extensions read, read from a real document: the custom property
    (cjk_autospace), a line height's unit (grid_columns), anchors' positions
    (typeset/engine.py), the page rules' selectors (page_styles)."""
    import weasyprint
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import page as page_module

    from bulletin_press.typeset.ext import cjk_autospace, grid_columns, page_styles

    sheets: list[Any] = []
    installed = page_module.set_page_type_computed_styles

    def capture(page_type: Any, html: Any, style_for: Any) -> None:
        sheets.append(style_for)
        installed(page_type, html, style_for)

    monkeypatch.setattr(page_module, "set_page_type_computed_styles", capture)
    html = ('<style>@page :nth(2) { margin: 1cm } p { font-size: 10px; line-height: 18px;'
            ' --bp-autospace: 0.25 }</style><p id="a">中文 Latin</p>')
    document = weasyprint.HTML(string=html).render()
    page = document.pages[0]
    x, y = page.anchors["a"][:2]
    assert isinstance(x, int | float) and isinstance(y, int | float)
    found = []
    todo = [page._page_box]
    while todo:
        box = todo.pop()
        found += [box] if isinstance(box, boxes.TextBox) else []
        todo += getattr(box, "children", [])
    style = found[0].style
    assert cjk_autospace.amount(style) == 2.5  # 0.25 em of 10 px
    assert grid_columns.line_pitch(style) == 18
    assert sheets and page_styles._has_nth(sheets[0])
    weasyprint.HTML(string=html.replace(":nth(2)", ":left")).render()
    assert not page_styles._has_nth(sheets[-1])
