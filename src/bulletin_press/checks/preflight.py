"""Preflight: what a print shop would reject, found before the file is sent.

Each check reads the built issue (context and typeset document) or the PDF
itself and returns findings that name the article, photo or page, in words an
editor understands, with a hint. `bulletin-press check` runs them all, with
the typography check.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pdfplumber

from bulletin_press.build.pipeline import Built
from bulletin_press.checks import publication
from bulletin_press.checks.typesetting import column_lefts
from bulletin_press.diagnostics import Diagnostic, Location, error, info, warning
from bulletin_press.layout.context import FigureContext, placed_width
from bulletin_press.layout.specs import PT_PER_MM, Geometry
from bulletin_press.pdf.text import in_trim

PX_TO_PT = 0.75  # WeasyPrint's anchors are in CSS pixels
PPI_ERROR, PPI_WARNING = 150, 300
SAFE_MM = 5.0


def preflight(built: Built) -> list[Diagnostic]:
    issue = built.prepared.issue
    return [*check_photos(built), *check_pages(built), *check_fonts_embedded(built),
            *check_copyfit(built), *publication.check_manifest(issue),
            *publication.check_printed(issue, built.typeset.page_texts())]


def _figures(built: Built) -> Iterator[FigureContext]:
    for article in built.prepared.context.context["articles"]:
        yield from article["full_width_figures"]
        yield from (item["figure"] for item in article["body"] if item["figure"])


@dataclass(frozen=True)
class Placed:
    page: int
    box: tuple[float, float, float, float]  # pt, top-left origin


def anchor_boxes(built: Built) -> dict[str, Placed]:
    found: dict[str, Placed] = {}
    for number, page in enumerate(built.typeset.document.pages, start=1):
        for name, (x0, y0, x1, y1) in page.anchors.items():
            found.setdefault(name, Placed(number, (x0 * PX_TO_PT, y0 * PX_TO_PT,
                                                   x1 * PX_TO_PT, y1 * PX_TO_PT)))
    return found


def effective_ppi(pixels: tuple[int, int], box_pt: tuple[float, float]) -> float:
    """Resolution of a photo scaled to cover `box_pt` (object-fit: cover)."""
    scale = max(box_pt[0] / pixels[0], box_pt[1] / pixels[1])  # pt per pixel
    return 72 / scale


def check_photos(built: Built) -> Iterator[Diagnostic]:
    issue = built.prepared.issue
    images = built.prepared.context.images
    placed = anchor_boxes(built)
    for figure in _figures(built):
        image = images[figure["src"]]
        width = placed_width(built.prepared.layout,
                             {"full": "full-width", "bleed": "full-bleed"}.get(
                                 figure["width"], "top"))
        height = float(figure["image_height"].removesuffix("pt"))
        ppi = effective_ppi((image.width, image.height), (width, height))
        where = placed.get(figure["anchor"])
        manifest = issue.article_location(figure["article"], "photos", figure["photo"], "file")
        loc = Location(manifest.path, manifest.line, manifest.column,
                       where.page if where else None, where.box if where else None)
        name = f"photo '{figure['src']}'"
        size = (f"{image.width}×{image.height} px placed {width / PT_PER_MM:.0f}×"
                f"{height / PT_PER_MM:.0f} mm")
        if ppi < PPI_ERROR:
            yield error("photo.resolution", f"{name} prints at {ppi:.0f} ppi ({size}): it "
                        "will look blurred or blocky", loc,
                        f"find a larger original (at least {_pixels_for(width, height)} px) "
                        "or print it smaller")
        elif ppi < PPI_WARNING:
            yield warning("photo.resolution", f"{name} prints at {ppi:.0f} ppi ({size}); "
                          f"{PPI_WARNING} ppi is what print shops ask for", loc,
                          f"a larger original ({_pixels_for(width, height)} px) would be sharp")
        if image.dpi and ppi < image.dpi * 0.99:
            yield info("photo.upscaled", f"{name} is enlarged to {image.dpi / ppi:.0%} of its "
                       f"size at its own {image.dpi:.0f} ppi", loc,
                       "fine if the resolution is still enough; otherwise use a larger "
                       "original")
        if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and image.format == "PNG"):
            yield warning("photo.transparency", f"{name} has transparent parts, which some "
                          "printing processes flatten badly", loc,
                          "save the photo as JPEG without transparency")
        if image.mode in ("I", "I;16", "I;16B", "F"):
            yield warning("photo.depth", f"{name} has 16 bits per channel", loc,
                          "save it as an 8-bit JPEG")
        if image.mode == "CMYK":
            yield info("photo.cmyk", f"{name} is already CMYK: it is printed as it is", loc,
                       "make sure it was separated for this print shop's paper")


def _pixels_for(width_pt: float, height_pt: float) -> str:
    return (f"{math.ceil(width_pt / 72 * PPI_WARNING)}×"
            f"{math.ceil(height_pt / 72 * PPI_WARNING)}")


def check_pages(built: Built) -> Iterator[Diagnostic]:
    count = built.typeset.page_count
    blanks = -count % 4
    if blanks:
        yield warning("pages.saddle-stitch", f"the issue has {count} pages; a stapled booklet "
                      f"needs a multiple of 4, so {blanks} blank page"
                      f"{'s' if blanks > 1 else ''} would be added at the end",
                      Location(page=count), "add content, or plan pages: in multiples of 4")
    g = built.prepared.layout.geometry
    safe = SAFE_MM * PT_PER_MM
    with pdfplumber.open(io.BytesIO(built.pdf)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            outside = [c for c in in_trim(page, page.chars)
                       if c["x0"] < safe or c["x1"] > g.page_width - safe
                       or c["top"] < safe or c["bottom"] > g.page_height - safe]
            if outside:
                c = outside[0]
                yield error("pages.safe-area", f"page {number}: text “{c['text']}” is less than "
                            f"{SAFE_MM:g} mm from the trimmed edge and may be cut off",
                            Location(page=number, box=(c["x0"], c["top"], c["x1"],
                                                       c["bottom"])),
                            "keep text inside the page margins")


def check_fonts_embedded(built: Built) -> Iterator[Diagnostic]:
    from bulletin_press.pdf.pdfa_rules import check_pdfa

    report = check_pdfa(built.pdf, 2, "B")
    for failure in report.failures:
        if failure.rule.id == "6.2.11.4.1-1":
            yield error("fonts.not-embedded", f"{failure.detail}: the print shop's "
                        "machine would substitute another font", Location(),
                        "use fonts that allow embedding")


def _free_lines(page: Any, g: Geometry) -> list[int]:
    """Empty body lines at the foot of each column of a page."""
    text_bottom = g.margin_top + g.lines * g.line
    lefts = column_lefts(g)
    free = []
    objects = in_trim(page, [*page.chars, *page.images, *page.rects])
    for left in lefts:
        bottoms = [o["bottom"] for o in objects if o["x0"] < left + g.column_width
                   and o["x1"] > left and o["bottom"] <= text_bottom + 1
                   and o["top"] >= g.margin_top - 1]
        lowest = max(bottoms, default=g.margin_top)
        free.append(max(0, int((text_bottom - lowest) // g.line)))
    return free


def check_copyfit(built: Built) -> Iterator[Diagnostic]:
    """How many lines each article is over or under the space it has."""
    issue = built.prepared.issue
    g = built.prepared.layout.geometry
    articles = issue.manifest.articles
    starts = built.typeset.anchor_pages()
    first_page = [starts.get(f"article-{a.id}", 1) for a in articles]
    count = built.typeset.page_count
    with pdfplumber.open(io.BytesIO(built.pdf)) as pdf:
        free = [_free_lines(page, g) for page in pdf.pages]
    capacity = g.columns * g.lines
    for index, article in enumerate(articles):
        nxt = articles[index + 1] if index + 1 < len(articles) else None
        if nxt is not None and nxt.layout.start != "new-page":
            continue  # the next article flows on: its space is shared
        last = (first_page[index + 1] - 1) if nxt is not None else count
        room = sum(free[last - 1])
        loc = issue.article_location(index, "title")
        where = Location(loc.path, loc.line, loc.column, last)
        used = capacity - room
        if last > first_page[index] and used <= 3 * g.columns:
            yield warning("copyfit.spill", f"article '{article.id}' runs {used} lines onto "
                          f"page {last}", where,
                          f"cut {used} lines (or a photo) and it ends on page {last - 1}")
        elif room >= 2:
            yield info("copyfit.under", f"article '{article.id}' ends on page {last} with room "
                       f"for {room} more lines ({', '.join(map(str, free[last - 1]))} per "
                       "column)", where, "add text or a photo, or leave the space")
    planned = issue.manifest.pages
    if planned and count > planned:
        over = sum(capacity - sum(f) for f in free[planned:])
        yield error("copyfit.over", f"the issue has {count} pages, {count - planned} more than "
                    f"the planned {planned}: about {over} lines too many",
                    issue.source_map.location(("pages",)),
                    "cut text or photos, or raise pages:")
    elif planned and count < planned:
        yield warning("copyfit.short", f"the issue has {count} pages, fewer than the planned "
                      f"{planned}", issue.source_map.location(("pages",)),
                      "add content or lower pages:")
