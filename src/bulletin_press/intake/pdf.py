"""Back issues as PDFs: their text (pdfplumber) read in reading order, each line given
a role from its size and place, then the same rules as back-issue text
(backissue.py).

- the body size is the size most characters have; larger lines are titles, and a
  smaller heading right under a title its subtitle; a short small line right above
  a title is its section (kicker);
- a line indented from its column starts a paragraph; any other line continues one
  (so paragraphs are re-joined across columns and pages);
- a small line on or just under a picture is the picture's caption, and the
  picture (pypdfium2) becomes the photo;
- running heads and page numbers (small lines at the page's top and bottom edge),
  contents lines (leader dots) and other small lines are left out, each with a note.

Reading order: lines that cross the middle of the page (headlines, full-width
captions) divide it into bands; in each band the left column is read before the
right one.
"""

from __future__ import annotations

import io
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bulletin_press.diagnostics import Location
from bulletin_press.i18n import _, ngettext
from bulletin_press.intake.backissue import (
    BYLINE,
    NO_CAPTION,
    SIGNED_LINE,
    UNIT_LINE,
    Piece,
    articles_from_pieces,
    ends_sentence,
)
from bulletin_press.intake.draft import Draft
from bulletin_press.intake.markdown import Merged, pipe_table
from bulletin_press.intake.pictures import checked_picture
from bulletin_press.intake.sources import refuse

MAX_PAGES = 200
_PT_PER_MM = 72 / 25.4
RULE_WIDTH = 2.0  # pt: a table's rules are thinner
SMALL = 0.97  # type this much smaller than the body's is not body text
EDGE = 0.06  # running heads and page numbers sit in this share of the page height
_LEADERS = re.compile(r"(?:\.{4,}|…{2,}|·{4,}|．{4,})\s*\d+\s*$")


@dataclass
class _Line:
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    text: str
    column: int  # 0 left, 1 right, -1 across the middle
    cells: list[str] = field(default_factory=list)  # parts parted by gaps over 1.2 em
    font: str = ""  # the font most of its characters are set in, without a subset tag
    glyphs: list[tuple[float, float, str]] = field(default_factory=list)  # x0, x1, text
    table: list[list[str]] | None = None  # a ruled table's cells, read whole (one line)


@dataclass
class _Picture:
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    data: bytes
    used: bool = False  # its caption found
    told: bool = False  # without one: taken as a photo, or left out, with a note


@dataclass
class _Page:
    number: int
    width: float
    height: float
    lines: list[_Line] = field(default_factory=list)
    pictures: list[_Picture] = field(default_factory=list)


def read_pdf(path: Path) -> Draft:
    draft = Draft(path)
    pages = _pages(path)
    pieces = _pieces(pages, draft)
    articles_from_pieces(pieces, draft)
    return draft


def _pages(path: Path) -> list[_Page]:
    import pdfplumber
    import pypdfium2

    try:
        plumber = pdfplumber.open(path)
        pdfium = pypdfium2.PdfDocument(path)
    except Exception as exc:  # damaged or encrypted PDFs raise many kinds
        if "password" in _causes(exc).lower():
            raise refuse(path, "encrypted", _("the PDF is protected by a password"),
                         _("open it and save a copy without the password (or print it to "
                           "a new PDF), then import that")) from None
        raise refuse(path, "damaged", _("the PDF cannot be read ({reason})").format(
            reason=f"{type(exc).__name__}: {exc}"[:200]),
            _("if it has a password, save a copy without one")) from None
    try:
        if len(plumber.pages) > MAX_PAGES:
            raise refuse(path, "too-large", ngettext("the PDF has {n} page; the limit is {limit}",
                                                     "the PDF has {n} pages; the limit is {limit}",
                                                     len(plumber.pages))
                         .format(n=len(plumber.pages), limit=MAX_PAGES))
        pages = []
        for number, page in enumerate(plumber.pages, 1):
            pages.append(_page(number, page, pdfium[number - 1]))
        return pages
    finally:
        plumber.close()
        pdfium.close()


def _causes(exc: BaseException) -> str:
    """The exception and what it wraps, as text (pdfplumber wraps pdfminer's)."""
    parts: list[str] = []
    seen: BaseException | None = exc
    while seen is not None and len(parts) < 5:
        parts.append(f"{type(seen).__name__} {seen} {seen.args!r}")
        seen = seen.__cause__ or seen.__context__
    return " ".join(parts)


def _page(number: int, page: Any, pdfium_page: Any) -> _Page:
    trim = getattr(page, "trimbox", None) or page.bbox  # the page itself if no TrimBox
    dx, dy = float(trim[0]), float(trim[1])
    out = _Page(number, float(trim[2] - trim[0]), float(trim[3] - trim[1]))
    tables = _ruled_tables(number, page, dx, dy, out.width / 2)
    chars = [c for c in page.chars if not any(_inside(c, t, dx, dy) for t in tables)] \
        if tables else page.chars
    out.lines = _lines(number, chars, dx, dy, out.width / 2) + tables
    if sum(1 for line in out.lines if line.column == 1 and line.table is None) < 3:
        for line in out.lines:  # one column: a short last line is not in a left column
            line.column = -1
    _table_lines_across(out.lines)
    out.pictures = _pictures(number, pdfium_page, float(page.height), dx, dy)
    return out


def _ruled_tables(number: int, page: Any, dx: float, dy: float, middle: float) -> list[_Line]:
    """Tables drawn with rules around every cell, read by their rules (pdfplumber's
    table finder): a cell's text wrapped on two lines in a narrow column ("7:00—9:00、
    18:00—" / "20:00", "可回收" / "物") stays one cell, and rows stay rows. Each is one
    line of the page, holding the cells, where the table stands. Tables without rules
    are read from the gaps between their cells, line by line (`_table_rows`)."""
    # Rules only: stroked lines and thin filled rectangles (WeasyPrint draws borders
    # so). Not the edges of shaded cells and rows, which part a striped table's rows
    # into tables of one row.
    rules = [r for r in [*page.lines, *page.rects]
             if min(float(r["width"]), float(r["height"])) <= RULE_WIDTH]
    upright = [r for r in rules if float(r["width"]) <= RULE_WIDTH]
    across = [r for r in rules if float(r["height"]) <= RULE_WIDTH]
    if len(upright) < 3 or len(across) < 2:
        return []
    try:
        found = page.find_tables({"vertical_strategy": "explicit",
                                  "horizontal_strategy": "explicit",
                                  "explicit_vertical_lines": upright,
                                  "explicit_horizontal_lines": across})
    except Exception:  # an odd drawing: read the lines as text
        return []
    out = []
    for table in found:
        marks = _merged_cells(table)
        if marks is None:
            # Not a grid of ruled cells (rows told apart by shading): read from the gaps
            # between its cells, as before.
            continue
        rows = [[marks.get((r, c)) or " ".join(_joined(cell).split())
                 for c, cell in enumerate(row)] for r, row in enumerate(table.extract())]
        rows = [row for row in rows if any(row)]
        if not rows or max(len(row) for row in rows) < 2:
            continue  # a frame around text (a notice, a box), not a table
        x0, top, x1, bottom = (float(v) for v in table.bbox)
        inside = [c for c in page.chars if x0 <= float(c["x0"]) and float(c["x1"]) <= x1
                  and top <= float(c["top"]) and float(c["bottom"]) <= bottom]
        if not inside:
            continue
        size = Counter(round(float(c["size"]), 1) for c in inside).most_common(1)[0][0]
        column = 0 if x1 - dx <= middle + 2 else 1 if x0 - dx >= middle - 2 else -1
        out.append(_Line(number, top - dy, bottom - dy, x0 - dx, x1 - dx, size,
                         " ".join(" ".join(c for c in row if not isinstance(c, Merged))
                                  for row in rows), column,
                         cells=rows[0], table=rows))
    return out


def _merged_cells(table: Any) -> dict[tuple[int, int], str] | None:
    """The ruled table's merged cells: where a cell merged from above stands, ^^, from
    the left, << (pdfplumber finds no cell there: the merged one's rules are around
    them all); None when a missing cell is in no ruled cell (not a grid of cells)."""
    found: dict[tuple[int, int], str] = {}
    edges = sorted({round(float(cell[0]), 1) for cell in table.cells})
    for r, row in enumerate(table.rows):
        if len(row.cells) != len(edges):
            return None
        edges_to = [*edges[1:], float(table.bbox[2])]
        top, bottom = float(row.bbox[1]), float(row.bbox[3])
        for c, cell in enumerate(row.cells):
            if cell is not None:
                continue
            x, y = (edges[c] + edges_to[c]) / 2, (top + bottom) / 2
            spanning = [b for b in table.cells if b[0] < x < b[2] and b[1] < y < b[3]]
            if not spanning:
                return None
            found[(r, c)] = Merged.UP if float(spanning[0][1]) < top - 0.5 else Merged.LEFT
    return found


def _joined(cell: str | None) -> str:
    """A cell's lines as one: wrapped Chinese joined without a space."""
    from bulletin_press.intake.backissue import join_lines

    text = ""
    for part in (cell or "").split("\n"):
        text = join_lines(text, part.strip())
    return text


def _inside(char: dict[str, Any], table: _Line, dx: float, dy: float) -> bool:
    return table.x0 <= float(char["x0"]) - dx and float(char["x1"]) - dx <= table.x1 \
        and table.top <= float(char["top"]) - dy and float(char["bottom"]) - dy <= table.bottom


def _table_lines_across(lines: list[_Line]) -> None:
    """A table's row across the page whose cells wrap: the wrapped lines stand in one
    column or the other, but belong to the row above, across the page (its band)."""
    rows = [ln for ln in lines if ln.column == -1 and len(ln.cells) >= 2]
    for line in sorted(lines, key=lambda ln: ln.top):
        if line.column == -1:
            continue
        if any(0 < line.top - row.top <= 2.5 * row.size
               and abs(line.size - row.size) <= 0.05 * row.size for row in rows):
            line.column = -1
            rows.append(line)
    # Its header, whose cells end before the middle (日期 停水时间 影响范围 over rows
    # reaching into the right column): across the page with them, not a left-column
    # line read after the rows' band.
    for line in sorted(lines, key=lambda ln: -ln.top):
        if line.column != -1 and len(line.cells) >= 2 and any(
                0 < row.top - line.top <= 2.5 * row.size and len(row.cells) == len(line.cells)
                and abs(line.size - row.size) <= 0.05 * row.size for row in rows):
            line.column = -1
            rows.append(line)


def _lines(number: int, chars: list[dict[str, Any]], dx: float, dy: float,
           mid: float) -> list[_Line]:
    """Characters grouped by baseline, each row cut at the column gutter (a gap wider
    than 1.5 em at the middle of the page); spaces kept where the PDF has them."""
    rows: list[list[dict[str, Any]]] = []
    for char in sorted((c for c in chars if c.get("upright") is not False),
                       key=lambda c: float(c["bottom"])):
        # One baseline: a smaller credit after a caption sits a hair higher.
        if rows and char["bottom"] - rows[-1][0]["bottom"] <= 0.3 * float(char["size"]):
            rows[-1].append(char)
        else:
            rows.append([char])
    lines: list[_Line] = []
    for row in rows:
        row.sort(key=lambda c: c["x0"])
        segment: list[dict[str, Any]] = []
        parts: list[_Line] = []
        for char in row:
            visible = [c for c in segment if c["text"].strip()]
            gutter = visible and char["text"].strip() and \
                visible[-1]["x1"] - dx <= mid + float(char["size"]) and \
                char["x0"] - dx >= mid - float(char["size"]) and \
                char["x0"] - visible[-1]["x1"] > 1.5 * float(char["size"])
            if gutter:
                parts += _line(number, segment, dx, dy, mid)
                segment = []
            segment.append(char)
        parts += _line(number, segment, dx, dy, mid)
        if len(parts) == 2 and parts[0].size == parts[1].size \
                and max(len(parts[0].cells), len(parts[1].cells)) >= 2:
            # A table's row across the page, whose gap between two cells fell on the
            # gutter: one line across the middle, so that it parts the columns' bands
            # (the text above the table is read before the text under it).
            parts = _line(number, row, dx, dy, mid)
        lines += parts
    return lines


def _line(number: int, chars: list[dict[str, Any]], dx: float, dy: float,
          mid: float) -> list[_Line]:
    visible = [c for c in chars if c["text"].strip()]
    if not visible:
        return []
    size = Counter(round(float(c["size"]), 1) for c in visible).most_common(1)[0][0]
    font = Counter(str(c.get("fontname", "")).rpartition("+")[2]
                   for c in visible).most_common(1)[0][0]
    x0, x1 = visible[0]["x0"] - dx, visible[-1]["x1"] - dx
    column = 0 if x1 <= mid + size else 1 if x0 >= mid - size else -1
    text = " ".join("".join(c["text"] for c in chars).split())
    cells: list[str] = [""]
    before: dict[str, Any] | None = None
    for char in chars:
        if not char["text"].strip():  # a space the PDF has inside a cell (021-6238 5050)
            cells[-1] += " " if before is not None else ""
            continue
        if before is not None and char["x0"] - before["x1"] > 1.2 * size:
            cells.append("")
        cells[-1] += char["text"]
        before = char
    cells = [" ".join(cell.split()) for cell in cells]
    glyphs = [(float(c["x0"]) - dx, float(c["x1"]) - dx, str(c["text"])) for c in chars]
    return [_Line(number, min(c["top"] for c in visible) - dy,
                  max(c["bottom"] for c in visible) - dy, x0, x1, size, text, column, cells,
                  font, glyphs)]


def _pictures(number: int, page: Any, height: float, dx: float, dy: float) -> list[_Picture]:
    import pypdfium2.raw as pdfium_c

    found = []
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=4):
        left, bottom, right, top = obj.get_bounds()
        buffer = io.BytesIO()
        try:
            obj.extract(buffer)
        except Exception:  # an image pdfium cannot write out: the photo stays a placeholder
            continue
        found.append(_Picture(number, height - top - dy, height - bottom - dy, left - dx,
                              right - dx, buffer.getvalue()))
    return found


def _reading_order(page: _Page) -> list[_Line]:
    """Bands between lines across the middle; in each, the left column, then the right."""
    spanning = sorted((ln for ln in page.lines if ln.column == -1), key=lambda ln: ln.top)
    columns = [ln for ln in page.lines if ln.column != -1]
    out: list[_Line] = []
    upper = -1.0
    for cut in [*spanning, None]:
        lower = cut.top if cut is not None else float("inf")
        band = [ln for ln in columns if upper <= ln.top < lower]
        out += sorted(band, key=lambda ln: (ln.column, ln.top))
        if cut is not None:
            out.append(cut)
            upper = cut.top
    return out


def _pieces(pages: list[_Page], draft: Draft) -> list[Piece]:
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            sizes[line.size] += len(line.text)
    if not sizes:
        raise refuse(draft.source, "no-text", _("the PDF has no text layer (a scan?)"),
                     _("run it through OCR first, or type the articles"))
    body = sizes.most_common(1)[0][0]
    fonts: Counter[str] = Counter()
    for page in pages:
        for line in page.lines:
            if abs(line.size - body) < 0.1 * body:
                fonts[line.font] += len(line.text)
    body_font = fonts.most_common(1)[0][0]
    orders = [_reading_order(page) for page in pages]
    indents = _uses_indents(orders, body)
    pieces: list[Piece] = []
    for page, ordered in zip(pages, orders, strict=True):
        margins = _column_lefts(ordered, body)
        pitch = _pitch(ordered, body)
        heading_at = -2  # index in `ordered` of the last headline line on this page
        last_body: _Line | None = None
        # Small lines on the last page after its last line of text: the colophon.
        # A last page of small lines only is the colophon alone (its text ended a page
        # before).
        colophon_from = 1 + max((i for i, line in enumerate(ordered)
                                 if line.size > SMALL * body), default=-1) \
            if page is pages[-1] else len(ordered)
        index = 0
        caption_line: _Line | None = None  # the line that made the last caption
        while index < len(ordered):
            line = ordered[index]
            where = Location(draft.source, page=page.number)
            pieces += _uncaptioned(page, line, pieces, draft)
            index += 1
            if line.table is not None:
                pieces.append(Piece(pipe_table(line.table), where, "table"))
                continue
            # Small lines on the first page before any text: the masthead's.
            zone = "masthead" if page is pages[0] and not any(
                p.kind == "text" for p in pieces) else \
                "colophon" if index - 1 >= colophon_from else None
            if zone is None and line.size <= SMALL * body and not _at_edge(line, page):
                table, used = _small_table(ordered, index - 1)
                if table:  # a table set in small type, as tables often are
                    index += used - 1
                    pieces.append(Piece(pipe_table(table), where, "table"))
                    continue
            if caption_line is not None and pieces and pieces[-1].kind == "caption" \
                    and ordered[index - 2] is caption_line and _under(line, caption_line):
                # A caption's second line, or the credit set under it (（摄影 陈立）):
                # it goes with the caption (a picture's drawn box, larger than what
                # its clip shows, would otherwise take it for the next one's caption).
                pieces[-1].text += line.text
                caption_line = line
                continue
            piece = _piece(line, ordered, index - 1, page, body, where, draft, zone)
            caption_line = line if piece is not None and piece.kind == "caption" else None
            if piece is not None and piece.kind == "text" and _subhead(line, body_font):
                piece.kind = "subhead"
            if piece is None:
                continue
            previous = pieces[-1] if pieces else None
            next_to_heading = heading_at == index - 2 and previous is not None \
                and previous.kind in ("title", "subtitle")
            if piece.kind == "title":
                if next_to_heading and previous is not None and previous.size == piece.size:
                    previous.text += piece.text  # a headline on two lines
                    heading_at = index - 1
                    continue
                if next_to_heading and previous is not None and previous.kind == "title" \
                        and previous.size > piece.size:
                    piece.kind = "subtitle"
                heading_at = index - 1
            elif piece.kind == "byline" and not next_to_heading:
                draft.note("small-text", _("'{text}' in small type, not under a headline: "
                                           "left out").format(text=piece.text), where,
                           _("if it belongs to the article, add it to the body file"),
                           check=True)
                continue
            if piece.kind == "text":
                rows = _table_rows(ordered, index - 1, body)
                if rows:
                    index += len(rows) - 1
                    pieces.append(Piece(pipe_table([r.cells for r in rows]), where, "table"))
                    continue
                # The text line before (a caption or heading may stand between).
                before = next((p for p in reversed(pieces) if p.kind == "text"), None)
                ended = before is not None and ends_sentence(before.text)
                if indents:  # a paragraph starts with an indent
                    left = margins.get((line.column, round(line.top)), line.x0)
                    starts = line.x0 - left > 0.8 * line.size
                    if starts and last_body is not None and last_body.column == line.column \
                            and line.x0 - last_body.x0 < 0.8 * line.size \
                            and before is not None and not before.short and not ended:
                        # Set in as far as the line above, which is full and ends no
                        # sentence: a block set in (a quote), not a paragraph's first line.
                        starts = False
                else:  # block paragraphs: space above, after a finished sentence
                    starts = ended and last_body is not None and last_body.column == line.column \
                        and line.top - last_body.top > 1.4 * pitch
                if before is not None and _LIST_ITEM.match(before.text) \
                        and not _LIST_ITEM.match(line.text) and not ended \
                        and not before.text.endswith(("；", ";")) \
                        and (not before.short or _left_open(before.text)):
                    starts = False  # a list item's next line, under its hanging indent
                if _LIST_ITEM.match(line.text) or _flush_right(line, ordered):
                    starts = True  # the next item; a notice's issuer and date (落款)
                piece.starts_paragraph = starts or (ended and before is not None
                                                    and before.short)
                piece.short = line.x1 < _column_right(ordered, line) - 2 * line.size
                last_body = line
            pieces.append(piece)
        pieces += _uncaptioned(page, None, pieces, draft)
    return _tables_rejoined(pieces, draft)


MIN_PICTURE_MM = 15.0  # smaller pictures are icons and rules, not photos


def _uncaptioned(page: _Page, line: _Line | None, pieces: list[Piece],
                 draft: Draft) -> list[Piece]:
    """Pictures of the page without a caption, above `line` in its column (past where
    a caption under them would stand), or all left at the page's end (`line` None):
    photos with a caption to write, where they stood in the text. Before the first
    headline they are the masthead's; small ones icons: left out, with a note."""
    out: list[Piece] = []
    for number, picture in enumerate(page.pictures, start=1):
        if picture.used or picture.told:
            continue
        if line is not None and not (line.x0 < picture.x1 and line.x1 > picture.x0
                                     and line.top > picture.bottom + 2 * line.size):
            continue
        picture.told = True
        where = Location(draft.source, page=page.number)
        name = _("picture {n} on page {page}").format(n=number, page=page.number)
        wide, high = ((picture.x1 - picture.x0) / _PT_PER_MM,
                      (picture.bottom - picture.top) / _PT_PER_MM)
        if picture.bottom < page.height * EDGE or picture.top > page.height * (1 - EDGE):
            draft.note("furniture", _("{picture} in the page's top or bottom margin: a "
                                      "running head's or foot's picture, left out").format(
                                          picture=name), where)
            continue
        if min(wide, high) < MIN_PICTURE_MM:
            draft.note("small-picture", _("{picture} ({wide:.0f}×{high:.0f} mm) is too small "
                                          "for a photo (an icon or a rule?): left out").format(
                                              picture=name, wide=wide, high=high), where)
            continue
        if not any(p.kind == "title" for p in pieces):
            draft.note("masthead", _("{picture} stands before the first headline: part of "
                                     "the masthead, left out").format(picture=name), where)
            continue
        data, _suffix = checked_picture(picture.data, _content_type(picture.data),
                                        draft.source, _("the picture on page {n}").format(
                                            n=page.number))
        out.append(Piece(NO_CAPTION, where, "caption", photo=data))
        draft.note("no-caption", _("{picture} ({wide:.0f}×{high:.0f} mm) has no caption "
                                   "under it: the caption says {text}").format(
                                       picture=name, wide=wide, high=high, text=NO_CAPTION),
                   where, _("write its caption in issue.yaml, or delete the photo if it is "
                            "not one (a logo, a QR code)"), check=True)
    return out


def _tables_rejoined(pieces: list[Piece], draft: Draft) -> list[Piece]:
    """A table the layout split at a column's or page's foot goes on in the next one
    under its header repeated: one table, its header once."""
    out: list[Piece] = []
    for piece in pieces:
        before = out[-1] if out else None
        if piece.kind == "table" and before is not None and before.kind == "table":
            head, _rule, *rows = piece.text.split("\n")
            if len(before.text.split("\n")) == 2 and head.count(" | ") == \
                    before.text.split("\n")[0].count(" | "):
                # Only the header was left at the column's foot: its rows follow.
                before.text += "\n" + "\n".join([head, *rows])
                draft.note("table-rejoined", _("a table's header stands alone at a "
                                               "column's foot, its rows in the next: one "
                                               "table"), piece.where)
                continue
            if before.text.split("\n")[0] == head and rows:
                before.text += "\n" + "\n".join(rows)
                draft.note("table-rejoined", _("a table goes on under its header repeated: "
                                               "one table"), piece.where)
                continue
        out.append(piece)
    return out


def _carried_over(line: _Line, picture: _Picture, page: _Page) -> bool:
    """A caption the layout carried to the top of the next column: the picture ends its
    column (nothing under it there), the line is the right column's first, short and
    no sentence (the outside tester's June issue: 「新泾五村改造工程开工现场（摄影 陆文杰）」
    at the top of the right column, its photo at the foot of the left one)."""
    if line.column != 1 or picture.x1 > page.width / 2 + 2 or len(line.text) > 40 \
            or ends_sentence(line.text):
        return False
    left = [ln for ln in page.lines if ln.column == 0 and ln.x0 < picture.x1
            and ln.x1 > picture.x0]
    right = [ln for ln in page.lines if ln.column == 1 and ln is not line]
    return not any(ln.top > picture.bottom for ln in left) \
        and not any(ln.top < line.top for ln in right)


def _piece(line: _Line, ordered: list[_Line], index: int, page: _Page, body: float,
           where: Location, draft: Draft, zone: str | None = None) -> Piece | None:
    """The line's role from its size and place; None: left out (with a note)."""
    text = line.text
    small = line.size <= SMALL * body
    if small and _at_edge(line, page):
        draft.note("furniture", _("'{text}' at the edge of the page: a running head or page "
                                  "number, left out").format(text=text), where)
        return None
    if _LEADERS.search(text):
        draft.note("contents", _("'{text}': a contents line, left out").format(text=text),
                   where)
        return None
    if line.size >= body * 1.1:
        return Piece(text, where, "title", size=line.size)
    if not small:
        return Piece(text, where)
    nxt = ordered[index + 1] if index + 1 < len(ordered) else None
    if nxt is not None and nxt.size >= body * 1.1 and len(text) <= 12:
        return Piece(text, where, "section")
    if BYLINE.match(text):
        return Piece(text, where, "byline")
    for picture in page.pictures:
        overlaps = line.x0 < picture.x1 and line.x1 > picture.x0
        if ((overlaps and picture.top <= line.top <= picture.bottom + 2 * line.size)
                or _carried_over(line, picture, page)) and not picture.used \
                and not picture.told:
            picture.used = True
            data, _suffix = checked_picture(picture.data, _content_type(picture.data),
                                            draft.source, _("the picture on page {n}").format(
                                                n=page.number))
            return Piece(text, where, "caption", photo=data)
    if zone == "masthead":
        draft.note("masthead", _("'{text}' in small type above the first article: part of "
                                 "the masthead, left out").format(text=text), where)
    elif zone == "colophon":
        draft.note("colophon", _("'{text}' in small type after the last article: part of "
                                 "the colophon, left out").format(text=text), where)
    elif SIGNED_LINE.match(text.strip()) or UNIT_LINE.match(text.strip()):
        # "新泾五村居民 陆志明（72岁）", "长风四村居委会": a contributor's line or the office
        # that sent the text (as a Word file's or a text file's line under the title), the
        # byline if it stands right under the headline (else left out, told, as any
        # byline elsewhere).
        return Piece(text, where, "byline")
    else:
        draft.note("small-text", _("'{text}' in small type, not a caption: left out").format(
            text=text), where, _("if it belongs to the article, add it to the body file"),
            check=True)
    return None


def _under(line: _Line, above: _Line) -> bool:
    """A small line right under `above`, no larger, beside it (its next line)."""
    return line.size <= above.size and 0 < line.top - above.top <= 2.5 * above.size \
        and line.x0 < above.x1 and line.x1 > above.x0


def _at_edge(line: _Line, page: _Page) -> bool:
    """In the page's top or bottom margin, where running heads and page numbers stand."""
    return line.top < page.height * EDGE or line.bottom > page.height * (1 - EDGE)


# A list item's first line: a bullet, 1. 1) 1、 or （1）.
_LIST_ITEM = re.compile(r"^(?:[•·●▪◦■□‣⁃]|[-–*](?=\s)|\d{1,2}[.)、．](?!\d)|[（(]\d{1,2}[）)])")
def _left_open(text: str) -> bool:
    """A bracket or quote opened and not closed: the text goes on (（工作日 / 8:30—17:00）)."""
    return text.count("（") + text.count("(") > text.count("）") + text.count(")") \
        or text.count("“") > text.count("”") or text.count("《") > text.count("》")


def _flush_right(line: _Line, ordered: list[_Line]) -> bool:
    """A line set flush right at its column's right edge and standing well in from its
    left edge: a signature's line (上海城投水务（集团）有限公司供水分公司 too, under
    新泾镇人民政府, which a limit of a third of the width joined to it)."""
    if max(ln.x1 for ln in ordered) - line.x1 < line.size and line.x1 - line.x0 < 0.3 * (
            max(ln.x1 for ln in ordered) - min(ln.x0 for ln in ordered)):
        return True  # short, at the text's right edge
    column = [ln for ln in ordered if ln.column == line.column
              and abs(ln.size - line.size) < 0.1 * line.size]
    edge, count = Counter(round(ln.x0) for ln in column).most_common(1)[0]
    if count < 2:
        # No two lines start at one left edge: not a column of text but lines set
        # right beside one across the page (the signature under a notice across it).
        column = ordered
        edge = round(min(ln.x0 for ln in ordered))
    right = max(ln.x1 for ln in column)
    return right - line.x1 < line.size and line.x0 - edge > 0.25 * (right - edge)


MAX_SUBHEAD = 24  # characters, as for a Word document's short bold line


def _subhead(line: _Line, body_font: str) -> bool:
    """A short line at the body's size set in a bold face the body is not (一、检查范围,
    送餐上门) that ends no sentence: a heading inside the article."""
    face = line.font.lower()
    return line.font != body_font and any(w in face for w in ("bold", "heavy", "black")) \
        and len(line.text) <= MAX_SUBHEAD and not ends_sentence(line.text) \
        and not line.text.endswith(("，", "、", "；", "：", ":"))


def _uses_indents(orders: list[list[_Line]], body: float) -> bool:
    """Whether paragraphs start with an indent: some body lines stand in from their
    column's left edge (else they are set apart by space)."""
    indented = 0
    for ordered in orders:
        margins = _column_lefts(ordered, body)
        indented += sum(1 for line in ordered if abs(line.size - body) < 0.1 * body and
                        line.x0 - margins.get((line.column, round(line.top)), line.x0)
                        > 0.8 * line.size)
    return indented >= 2


def _pitch(ordered: list[_Line], body: float) -> float:
    """The usual distance between the tops of two body lines of a column."""
    steps: Counter[float] = Counter()
    for above, below in itertools.pairwise(ordered):
        if above.column == below.column and abs(above.size - body) < 0.1 * body \
                and abs(below.size - body) < 0.1 * body and below.top > above.top:
            steps[round(below.top - above.top, 1)] += 1
    return steps.most_common(1)[0][0] if steps else 1.5 * body


def _table_rows(ordered: list[_Line], start: int, body: float) -> list[_Line]:
    """Two or more lines in a row of one column with the same number (≥ 2) of cells
    parted by wide gaps: a table."""
    first = ordered[start]
    rows = [first]
    for line in ordered[start + 1:]:
        if line.column != first.column or len(line.cells) != len(first.cells) \
                or abs(line.size - body) > 0.1 * body or line.table is not None:
            break
        rows.append(line)
    return rows if len(first.cells) >= 2 and len(rows) >= 2 else []


def _small_table(ordered: list[_Line], start: int) -> tuple[list[list[str]], int]:
    """A table in small type from `start`: the lines of its size under one another. A
    line with as many cells (parted by wide gaps) as the most has is a row; another is
    cut into columns where those lines have them (a cell that fills its column leaves
    no wide gap before the next), and if it has text in fewer than half the columns it
    goes on with the row above (a cell wrapped: 「周一至周五 8:30—11:30，」 / 「13:30—16:30」).
    The rows and how many lines they used; no rows: not a table."""
    first = ordered[start]
    lines = [first]
    for line in ordered[start + 1:]:
        if line.column != first.column or abs(line.size - first.size) > 0.05 * first.size \
                or line.top - lines[-1].top > 2.5 * first.size or line.table is not None:
            break
        lines.append(line)
    width = max(len(ln.cells) for ln in lines)
    full = [_cell_starts(ln) for ln in lines if len(ln.cells) == width]
    if len(full) < 2:
        # One line parted more than the rest (a header whose 日期 and 时间 stand apart
        # over rows whose 2月11日9:30—11:00 do not): the rows' count of cells, the
        # header cut where their columns start.
        counts = Counter(len(ln.cells) for ln in lines if len(ln.cells) >= 2)
        width = max(counts, key=lambda n: (counts[n], n), default=0)
        full = [_cell_starts(ln) for ln in lines if len(ln.cells) == width]
    if width < 2 or len(full) < 2:
        return [], 0
    # Each column starts where most full lines start it (a right-aligned column's
    # numbers start at different places; a letter-spaced title is one line).
    starts = [sorted(line_starts[k] for line_starts in full)[len(full) // 2]
              for k in range(width)]
    rows: list[list[str]] = []
    for line in lines:
        if len(line.cells) == width:
            cells = list(line.cells)  # its own gaps part its cells
        else:
            cells = [""] * width
            for x, _x1, text in line.glyphs:
                column = max((i for i, left in enumerate(starts)
                              if left <= x + 0.3 * line.size), default=0)
                cells[column] += text
            cells = [" ".join(cell.split()) for cell in cells]
        if sum(1 for cell in cells if cell) * 2 >= width and sum(1 for c in cells if c) >= 2:
            rows.append(cells)
        elif rows:
            rows[-1] = [above + below for above, below in zip(rows[-1], cells, strict=True)]
        else:
            return [], 0
    return (rows, len(lines)) if len(rows) >= 2 else ([], 0)


def _cell_starts(line: _Line) -> list[float]:
    """Where each cell of the line starts: after each gap wider than 1.2 em."""
    starts: list[float] = []
    end: float | None = None  # where the text before ends
    for x0, x1, text in line.glyphs:
        if not text.strip():
            continue
        if end is None or x0 - end > 1.2 * line.size:
            starts.append(x0)
        end = x1
    return starts


def _content_type(data: bytes) -> str:
    if data.startswith(b"\xff\xd8"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG"):
        return "image/png"
    return "image/tiff" if data[:2] in (b"II", b"MM") else "application/octet-stream"


def _column_lefts(lines: list[_Line], body: float) -> dict[tuple[int, int], float]:
    """The left edge of each body line's column: the smallest x0 of body lines in the
    same column of the same band (a band's lines share a column left edge)."""
    lefts: dict[int, float] = {}
    for line in lines:
        if abs(line.size - body) < 0.1 * body:
            lefts[line.column] = min(lefts.get(line.column, line.x0), line.x0)
    return {(line.column, round(line.top)): lefts.get(line.column, line.x0) for line in lines}


def _column_right(lines: list[_Line], line: _Line) -> float:
    return max((ln.x1 for ln in lines if ln.column == line.column), default=line.x1)
