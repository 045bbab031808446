"""Preflight: what a print shop would reject, found before the file is sent.

Each check reads the built issue (context and typeset document) or the PDF
itself and returns findings that name the article, photo or page, in words an
editor understands, with a hint. `bulletin-press check` runs them all, with
the typography check.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

from bulletin_press.build.pipeline import Assembled, Built
from bulletin_press.checks import publication
from bulletin_press.diagnostics import (
    Diagnostic,
    Location,
    article_name,
    error,
    info,
    lines_name,
    page_name,
    photo_name,
    unique,
    warning,
)
from bulletin_press.i18n import _, ngettext
from bulletin_press.layout.booklet import blank_pages_needed
from bulletin_press.layout.photo_print import (  # noqa: F401  (edge_width, _edge_width: tests)
    BLURRED_PIXELS,
    DARK_LIGHTNESS,
    PPI_ERROR,
    PPI_WARNING,
    SHARP_PIXELS,
    _edge_width,
    edge_width,
    effective_ppi,
    figures,
    lightness,
    printed_size,
)
from bulletin_press.layout.photos import EMBED_PPI
from bulletin_press.layout.specs import PT_PER_MM, Geometry
from bulletin_press.manifest.load import LoadedIssue
from bulletin_press.typeset.page_facts import SAFE_MM, PageFacts

PX_TO_PT = 0.75  # WeasyPrint's anchors are in CSS pixels


def preflight(built: Built | Assembled) -> list[Diagnostic]:
    """Every preflight finding of a built issue: typeset as one document (`check`), or
    assembled from page runs (`build`: the same checks, photos placed by page only)."""
    issue = built.prepared.issue
    found = unique([*check_photos(built), *check_pages(built), *check_fonts_embedded(built),
                    *check_copyfit(built), *check_examples(issue),
                    *publication.check_manifest(issue),
                    *publication.check_printed(issue, _page_texts(built))])
    if any(d.code == "copyfit.plan" for d in built.diagnostics):
        # The page plan said it already (build/page_fit.py), with the lines to cut or
        # add per article: the page count against the plan is not said twice.
        found = [d for d in found if d.code not in PAGE_COUNT_CODES]
    planned = issue.manifest.pages
    if planned and planned % 4 == 0 and any(
            d.code in (*PAGE_COUNT_CODES, "copyfit.plan")
            for d in [*found, *built.diagnostics]):
        # Meeting the plan (a multiple of 4) is what the booklet needs too: said once.
        found = [d for d in found if d.code != "pages.saddle-stitch"]
    return found


def check_examples(issue: LoadedIssue) -> Iterator[Diagnostic]:
    """The texts of the example article `new` writes (在这里写标题, 通讯员 姓名, 在这里写图片说明,
    在这里写正文…) and its masthead placeholders, left in: they would print as they are."""
    from bulletin_press.i18n import translations
    from bulletin_press.manifest.next_issue import (
        EXAMPLE_BODY,
        EXAMPLE_BYLINE,
        EXAMPLE_CAPTION,
        EXAMPLE_NEWSLETTER,
        EXAMPLE_PUBLISHER,
        EXAMPLE_TITLE,
    )

    def said(message: str) -> set[str]:
        # 社区通讯 may well be a newsletter's real name; 主办单位 is no publisher's.
        return {message} if message == EXAMPLE_NEWSLETTER else \
            {message, translations("zh").gettext(message)}

    hint = _("write the issue's own text there (bulletin-press new wrote an example)")
    manifest = issue.manifest
    for field, value, example in (("newsletter", manifest.newsletter, EXAMPLE_NEWSLETTER),
                                  ("publisher", manifest.publisher, EXAMPLE_PUBLISHER)):
        if value in said(example):
            yield warning("manifest.example-text", _("the {field} is still the example's "
                                                     "“{text}”").format(field=field,
                                                                         text=value),
                          issue.source_map.location((field,)), hint)
    for index, article in enumerate(manifest.articles):
        name = article_name(index, article.title)
        left = [("title", article.title == EXAMPLE_TITLE, EXAMPLE_TITLE),
                ("byline", article.byline == EXAMPLE_BYLINE, EXAMPLE_BYLINE),
                ("body", EXAMPLE_BODY in (article.body or ""), EXAMPLE_BODY)]
        for field, found, text in left:
            if found:
                yield warning("manifest.example-text", _("{article}: the {field} is still the "
                                                         "example's “{text}”").format(
                                  article=name, field=field, text=text),
                              issue.article_location(index, field), hint)
        for number, photo in enumerate(article.photos):
            if photo.caption == EXAMPLE_CAPTION:
                yield warning("manifest.example-text", _("{article} › {photo}: the caption is "
                                                         "still the example's “{text}”").format(
                                  article=name, photo=photo_name(number, photo.file),
                                  text=EXAMPLE_CAPTION),
                              issue.article_location(index, "photos", number, "caption"), hint)


# The page count against `pages:`, as the check finds it when the page plan did not run
# (`build(plan=False)`); the plan's own finding is `copyfit.plan`.
PAGE_COUNT_CODES = ("copyfit.short", "copyfit.over")


def _page_texts(built: Built | Assembled) -> list[str]:
    """What each page shows."""
    return [page.text for page in page_facts(built)]


def page_facts(built: Built | Assembled) -> list[PageFacts]:
    """What the page checks look at: found from the typeset boxes (by the run workers
    for `build`, stored with each run); read from the PDF only when they are not known."""
    found = built.page_facts()
    if found is not None:
        return found
    return list(_read_facts(built.pdf, built.prepared.layout.geometry))


@functools.lru_cache(maxsize=1)
def _read_facts(pdf: bytes, g: Geometry) -> tuple[PageFacts, ...]:
    from bulletin_press.pdf.text import pdf_page_facts

    return tuple(pdf_page_facts(pdf, g))


@dataclass(frozen=True)
class Placed:
    page: int
    box: tuple[float, float, float, float] | None  # pt, top-left origin


def anchor_boxes(built: Built | Assembled) -> dict[str, Placed]:
    """Where each anchor is: its page and box (only its page when a build's runs did
    not say where)."""
    if isinstance(built, Assembled):
        return {anchor: Placed(page, built.boxes[anchor][1] if anchor in built.boxes else None)
                for anchor, page in built.anchor_pages().items()}
    found: dict[str, Placed] = {}
    for number, page in enumerate(built.typeset.document.pages, start=1):
        for name, (x0, y0, x1, y1) in page.anchors.items():
            found.setdefault(name, Placed(number, (x0 * PX_TO_PT, y0 * PX_TO_PT,
                                                   x1 * PX_TO_PT, y1 * PX_TO_PT)))
    return found


def check_photos(built: Built | Assembled) -> Iterator[Diagnostic]:
    issue = built.prepared.issue
    images = built.prepared.context.images
    placed = anchor_boxes(built)
    for figure in figures(built.prepared.context.context):
        image = images[figure["src"]]
        where = placed.get(figure["anchor"])
        # As printed: a photo in a notice is as wide as the notice's measure, and
        # prints at half the resolution.
        placement, width, height = printed_size(built.prepared.layout, figure,
                                                where.box if where is not None else None)
        ppi = effective_ppi((image.width, image.height), (width, height))
        manifest = issue.article_location(figure["article"], "photos", figure["photo"], "file")
        loc = Location(manifest.path, manifest.line, manifest.column,
                       where.page if where else None, where.box if where else None)
        article = issue.manifest.articles[figure["article"]]
        name = f"{article_name(figure['article'], article.title)} › " \
               f"{photo_name(figure['photo'], figure['src'])}"
        size = _("{width}×{height} pixels, printed {mm_wide:.0f}×{mm_high:.0f} mm").format(
            width=image.width, height=image.height, mm_wide=width / PT_PER_MM,
            mm_high=height / PT_PER_MM)
        # One finding for the resolution; a file's own ppi note is not a second problem.
        if ppi < PPI_ERROR:
            yield error("photo.resolution", _("{photo} prints at {ppi:.0f} ppi ({size}): it "
                                              "will look blurred or blocky").format(
                            photo=name, ppi=ppi, size=size), loc,
                        _smaller_hint(placement, _pixels_for(width, height)))
        elif ppi < PPI_WARNING:
            yield warning("photo.resolution", _("{photo} prints at {ppi:.0f} ppi ({size}); "
                                                "print shops ask for {target} ppi").format(
                              photo=name, ppi=ppi, size=size, target=PPI_WARNING), loc,
                          _("an original of {pixels} pixels would print sharp; if there is "
                            "none, this one will do").format(pixels=_pixels_for(width, height)))
        scale = figure.get("embed_scale")
        if scale is not None:
            # Far more pixels than the print shows: the PDF holds it smaller (fence).
            # Sized for the largest box the page plan may give it (EMBED_PPI there): at
            # the size it prints now, more (626 ppi where 450 was expected, unexplained).
            printed, larger = ppi * scale, round(100 * ppi * scale / EMBED_PPI)
            pixels = {"photo": name, "size": size, "ppi": ppi, "printed": printed,
                      "width": round(image.width * scale), "height": round(image.height * scale)}
            yield info("photo.downsampled", (_(
                "{photo} has far more pixels than the print shows ({size}, {ppi:.0f} ppi): "
                "the PDF holds it at {width}×{height} pixels, {printed:.0f} ppi as printed "
                "here, {target:.0f} ppi at the largest size the page plan may give it "
                "({larger} percent of this size)").format(**pixels, target=EMBED_PPI,
                                                          larger=larger)
                if larger > 100 else _(
                "{photo} has far more pixels than the print shows ({size}, {ppi:.0f} ppi): "
                "the PDF holds it at {width}×{height} pixels, {printed:.0f} ppi").format(
                    **pixels)), loc,
                _("nothing to do: print needs {target} ppi, and the PDF stays small enough "
                  "to send; the photo's file is not changed").format(target=PPI_WARNING))
        share = (image.width / image.height) / (width / height) if height > 0 else 1.0
        if image.height > image.width and share < CROP_SHOWN:
            # An upright photo in a box wider than it: the layout fills the box (object-fit:
            # cover), keeps its top (style.css img.upright: heads, a sign) and cuts its foot.
            cut = (width / (image.width / image.height) - height) / PT_PER_MM
            yield warning("photo.cropped", _("{photo} is upright, printed in a box "
                                             "{mm_wide:.0f}×{mm_high:.0f} mm: only {share} percent "
                                             "of its height shows; its top is kept and about "
                                             "{cut:.0f} mm of its foot cut off").format(
                              photo=name, mm_wide=width / PT_PER_MM,
                              mm_high=height / PT_PER_MM, share=round(100 * share), cut=cut),
                          loc,
                          _("crop it yourself to the part that matters (faces, a sign), about "
                            "{ratio:.1f} times as wide as high, so that the layout cuts "
                            "nothing of it; or use a photo taken across").format(
                              ratio=width / height))
        soft = edge_width(image.path, image.width, ppi) if ppi >= PPI_ERROR else None
        if soft is not None and soft[0] >= BLURRED_PIXELS:
            mm, sharp = (n / soft[1] * 25.4 for n in (soft[0], SHARP_PIXELS))
            yield warning("photo.blurred", _("{photo} looks out of focus or shaken: its "
                                             "sharpest edges are about {mm:.1f} mm wide as "
                                             "printed (a sharp photo's are about {sharp:.1f} "
                                             "mm or less)").format(photo=name, mm=mm,
                                                                   sharp=sharp), loc,
                          _("use the original from the camera or phone (a chat app sends a "
                            "smaller, softer copy: in WeChat, tick 原图), or another photo "
                            "taken in focus; if it is meant to be soft, leave it"))
        dark = lightness(image.path, image.mode)
        if dark is not None and dark < DARK_LIGHTNESS:
            yield warning("photo.dark", _("{photo} is very dark: nearly all of it (95 "
                                          "percent) is as dark as a {share} percent black "
                                          "tint or darker, and printing darkens shadows "
                                          "further: on paper it will look almost black")
                          .format(photo=name, share=round(100 * (1 - dark / 255))),
                          loc,
                          _("brighten it before it goes in (in the phone's photo editor: "
                            "亮度 or 曝光, 阴影 up), or use another photo; a night scene meant "
                            "to be dark can stay"))
        if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and image.format == "PNG"):
            yield warning("photo.transparency", _("{photo} has transparent parts, which some "
                                                  "printing processes flatten badly").format(
                              photo=name), loc,
                          _("save the photo as JPEG without transparency"))
        if image.mode in ("I", "I;16", "I;16B", "F"):
            yield warning("photo.depth", _("{photo} has 16 bits per channel").format(
                photo=name), loc, _("save it as an 8-bit JPEG"))
        if image.mode == "CMYK":
            yield info("photo.cmyk", _("{photo} is already CMYK: it is printed as it is")
                       .format(photo=name), loc,
                       _("make sure it was separated for this print shop's paper"))


CROP_SHOWN = 0.65  # an upright photo showing less of its height than this is said


def _smaller_hint(placement: str, pixels: str) -> str:
    """What to do about a blurred photo: a larger original, or one across the page put
    in a column. A photo in a column is printed the column's width, whatever its
    placement (top, bottom, inline): only a larger original helps there."""
    if placement == "top":
        return _("use an original of at least {pixels} pixels, from the camera or phone: a "
                 "chat app sends a smaller copy (in WeChat, tick 原图). A photo in a column "
                 "is printed the column's width whatever its placement").format(pixels=pixels)
    return _("use an original of at least {pixels} pixels (from the camera or phone, not a "
             "chat app), or print it smaller (placement: top instead of {placement})").format(
                 pixels=pixels, placement=placement)


def _pixels_for(width_pt: float, height_pt: float) -> str:
    return (f"{math.ceil(width_pt / 72 * PPI_WARNING)}×"
            f"{math.ceil(height_pt / 72 * PPI_WARNING)}")


def check_pages(built: Built | Assembled) -> Iterator[Diagnostic]:
    count = built.page_count
    blanks = blank_pages_needed(count)
    if blanks:
        # One page (a new issue's example, a flyer) is the one count whose noun is singular.
        yield warning("pages.saddle-stitch",
                      _("the issue has 1 page; a stapled booklet needs a multiple of 4, so 3 "
                        "blank pages would be added at the end") if count == 1 else
                      ngettext("the issue has {count} pages; a stapled booklet needs a multiple "
                               "of 4, so {n} blank page would be added at the end",
                               "the issue has {count} pages; a stapled booklet needs a multiple "
                               "of 4, so {n} blank pages would be added at the end", blanks)
                      .format(count=count, n=blanks),
                      Location(page=count),
                      ngettext("add content or a photo to fill {n} more page, or cut the "
                               "issue to {fewer} pages",
                               "add content or a photo to fill {n} more pages, or cut the "
                               "issue to {fewer} pages", blanks).format(
                                   n=blanks, fewer=count - (4 - blanks))
                      if count > 4 - blanks else
                      ngettext("add content or a photo to fill {n} more page",
                               "add content or a photo to fill {n} more pages", blanks)
                      .format(n=blanks))
    for number, page in enumerate(page_facts(built), start=1):
        c = page.outside
        if c is not None:
            yield error("pages.safe-area", _("text “{char}” is less than {mm:g} mm from the "
                                             "trimmed edge and may be cut off").format(
                            char=c.text, mm=SAFE_MM),
                        # In hundredths of a point, as measured (see typeset/page_facts.py).
                        Location(page=number, box=(round(c.x0, 2), round(c.top, 2),
                                                   round(c.x1, 2), round(c.bottom, 2))),
                        _("keep text inside the page margins"))


def check_fonts_embedded(built: Built | Assembled) -> Iterator[Diagnostic]:
    import io

    import pikepdf

    from bulletin_press.pdf.walk import fonts_not_embedded

    with pikepdf.open(io.BytesIO(built.pdf)) as pdf:
        missing = fonts_not_embedded(pdf)
    for detail in missing:
        yield error("fonts.not-embedded", _("{detail}: the print shop's machine would "
                                            "substitute another font").format(detail=detail),
                    Location(), _("use fonts that allow embedding"))


def _free_lines(page: PageFacts, g: Geometry, foot_lines: int = 0) -> list[int]:
    """Empty body lines at the foot of each column of a page; above the colophon
    standing in the last `foot_lines` lines (with its line above) when there is one."""
    text_bottom = g.margin_top + (g.lines - foot_lines) * g.line
    free = []
    for bottoms in page.bottoms:
        lowest = max((b for b in bottoms if b <= round(text_bottom + 1, 2)),
                     default=g.margin_top)
        free.append(max(0, int((text_bottom - lowest) // g.line)))
    return free


HOLE_SLACK = 2  # lines a column may end short of its foot (layout/page_plan.py's SLACK)


def hole_box(g: Geometry, column: int, top: float, bottom: float) -> tuple[float, float,
                                                                          float, float]:
    """The empty part of a column (1 = left) between `top` and `bottom`, in points from
    the trim's top left: what the HTML report and the preview mark on the page."""
    x0 = g.margin_side + (column - 1) * (g.column_width + g.gap)
    return (x0, top, x0 + g.column_width, bottom)


def _set_across(built: Built | Assembled, article_id: str) -> bool:
    """Whether the article is a notice set across the page (in a frame of the full
    measure), not in a column (start: new-column)."""
    return any(a["id"] == article_id and a["kind"] == "notice" and a["start"] != "new-column"
               for a in built.prepared.context.context["articles"])


def _foot_hole_across(g: Geometry, empty: int) -> tuple[float, float, float, float]:
    """The `empty` lines at the foot of a page's text area, across all its columns."""
    first, last = _foot_hole(g, 1, empty), _foot_hole(g, g.columns, empty)
    return (first[0], first[1], last[2], last[3])


def _foot_hole(g: Geometry, column: int, empty: int) -> tuple[float, float, float, float]:
    """The `empty` lines at the foot of a column of a page's text area."""
    bottom = g.margin_top + g.lines * g.line
    return hole_box(g, column, bottom - empty * g.line, bottom)


def _hole_hint(built: Built | Assembled, number: int, free: list[int], first_page: list[int],
               placed: dict[str, Placed], order: list[int]) -> str:
    """What fills a hole on page `number` that the next page's articles do not start
    on by choice: when the next article's head went on to the next page, the lines
    to cut for it to start here (its head as typeset, a blank line above it, two
    lines of its text; a notice, set whole: all of it); a photo on the page made
    taller; else text."""
    issue = built.prepared.issue
    g = built.prepared.layout.geometry
    articles = issue.manifest.articles
    at = _last_started(first_page, order, number)
    above = order[at]
    add = sum(free)
    name = article_name(above, articles[above].title)
    # The article printed after it (the plan may have set a notice later: nxt is then
    # not the next in issue.yaml); len(articles) when none.
    nxt = order[at + 1] if at + 1 < len(order) else len(articles)
    whole = _whole_notice(built, nxt, number, placed) if nxt < len(articles) else None
    if whole is not None:
        # A notice is set whole: it starts here only when all of it fits, not its head.
        # The empty lines are counted from the ink of the column's last line, a little
        # above its line's foot: a notice as high as the hole needs a line more.
        next_name = article_name(nxt, articles[nxt].title)
        cut = (whole - min(free) + 1) * len(free)
        if 0 < cut <= min(add, NOTICE_CUT * len(free)):
            return _("{next} is a notice, set whole: it needs {need} across the page, "
                     "and {page} has {room} under {article}. Cut about {cut} from "
                     "{article} (or make a photo in it smaller) and it starts here; or add "
                     "about {add} to {article}").format(
                next=next_name, need=lines_name(whole), page=page_name(number),
                room=min(free), article=name, cut=lines_name(cut), add=lines_name(add))
        follower = order[at + 2] if at + 2 < len(order) else None
        if min(free) >= NOTICE_ROOM and follower is not None and \
                built.prepared.issue.manifest.articles[follower].layout.start == "continue":
            return _("{next} is a notice, set whole: it needs {need} across the page, "
                     "and {page} has {room} under {article}. Add about {add} to "
                     "{article}, or put the article that follows {next} before it in "
                     "issue.yaml: its text fills the space").format(
                next=next_name, need=lines_name(whole), page=page_name(number),
                room=min(free), article=name, add=lines_name(add))
        if min(free) >= NOTICE_ROOM:
            # What follows the notice starts a page of its own (or nothing does): put
            # before it, it would leave the space as it is.
            return _("{next} is a notice, set whole: it needs {need} across the page, "
                     "and {page} has {room} under {article}; what follows it starts a new "
                     "page. Add about {add} to {article}, or cut about {cut} "
                     "from {next} and it starts here").format(
                next=next_name, need=lines_name(whole), page=page_name(number),
                room=min(free), article=name, add=lines_name(add),
                cut=lines_name(whole - min(free) + 1))
    elif nxt < len(articles) and first_page[nxt] == number + 1:
        top = placed.get(f"article-{articles[nxt].id}")
        text = placed.get(f"text-{articles[nxt].id}")
        if top is not None and text is not None and top.box and text.box and \
                top.page == text.page == number + 1:
            need = math.ceil((text.box[1] - top.box[1]) / g.line - 0.01) + 1 + 2
            # A box is set whole (break-inside: avoid): it starts here only when all of
            # it fits, with the blank line above it, not its title and two lines.
            box = any(a["id"] == articles[nxt].id and a["kind"] == "box"
                      for a in built.prepared.context.context["articles"])
            if box:
                need = math.ceil((top.box[3] - top.box[1]) / g.line - 0.01) + 1
            # Less the lines the page plan spread between its blocks to fill the page:
            # those go again once the head fits.
            spread = next((sum(item["gap"] for item in a["body"]) + a["gap_foot"]
                           for a in built.prepared.context.context["articles"]
                           if a["id"] == articles[above].id and not a["continued"]), 0)
            cut = max(len(free), (need - min(free)) * len(free) - spread)
            # Only when its head is what did not fit: with room for it in the hole
            # (the outside tester's 防范电信诈骗 notice, 10 lines needed, 20 empty), it
            # went on for another reason, and cutting lines brings it back no more (the
            # editor cut 2 and was told again to cut 2).
            if 0 < cut <= add and need > min(free):
                hint = _("add about {add} to {article}, or cut about {cut} from it: then "
                         "{next}, a box set whole, starts on {page} (it needs {need} "
                         "there)") if box else \
                    _("add about {add} to {article}, or cut about {cut} from it: then "
                      "{next} starts on {page} (its headline and first lines need {need} "
                      "there)")
                return hint.format(add=lines_name(add), article=name, cut=lines_name(cut),
                                   next=article_name(nxt, articles[nxt].title),
                                   page=page_name(number), need=lines_name(need))
    if any(anchor.startswith("photo-") and where.page == number
           for anchor, where in placed.items()):
        return ngettext("make a photo on {page} taller (up to 125 %), or add about {add} line to "
                        "{article}",
                        "make a photo on {page} taller (up to 125 %), or add about {add} lines to "
                        "{article}", add).format(page=page_name(number), add=add, article=name)
    return ngettext("add about {add} line to {article} (text, or a photo)",
                    "add about {add} lines to {article} (text, or a photo)", add).format(
        add=add, article=name)


def _print_order(built: Built | Assembled) -> list[int]:
    """The articles' indices in issue.yaml in the order they are printed: the page
    plan sets a notice that did not fit under the text above it after the article
    that followed it (page_plan.reordered), and a jumped article's continuation
    comes later (its first part counts)."""
    index = {a.id: i for i, a in enumerate(built.prepared.issue.manifest.articles)}
    order: list[int] = []
    for article in built.prepared.context.context["articles"]:
        at = index.get(article["id"])
        if at is not None and at not in order:
            order.append(at)
    return order + [i for i in range(len(index)) if i not in order]


def _last_started(first_page: list[int], order: list[int], number: int) -> int:
    """The place in `order` of the last article printed that starts on or before
    page `number` (0 when none does)."""
    return max((at for at, i in enumerate(order) if first_page[i] <= number), default=0)


NOTICE_CUT = 6  # lines a column: more to cut for a notice to fit is not worth saying
NOTICE_ROOM = 8  # lines a column: a hole an article's head and text fill (page_plan's)


def _whole_notice(built: Built | Assembled, index: int, page: int,
                  placed: dict[str, Placed]) -> int | None:
    """The lines a column article `index` needs on a page when it is a notice set
    whole across the page that starts the page after `page` (its frame, the blank
    line above it; less what the vertical justification spread in it there)."""
    g = built.prepared.layout.geometry
    article = built.prepared.issue.manifest.articles[index]
    lead = next((a for flow in built.prepared.context.context["flows"] for a in flow[:1]
                 if a["id"] == article.id and not a["continued"]), None)
    where = placed.get(f"article-{article.id}")
    if lead is None or lead["kind"] != "notice" or lead.get("flows_on") or \
            where is None or where.box is None or where.page != page + 1:
        return None
    facts = page_facts(built)
    # Its one column of the full measure is counted as the page's first column.
    spread = max(facts[page].give, default=0) if page < len(facts) else 0
    high = round((where.box[3] - where.box[1]) / g.line) - spread
    return min(high + lead.get("space_lines", 1), g.lines)


def _holes_above(built: Built | Assembled, pages: list[PageFacts],
                 placed: dict[str, Placed]) -> Iterator[Diagnostic]:
    """Holes in the middle of a page (not its last): a column that ends more than
    HOLE_SLACK lines above a notice's frame set across the page under it. The columns
    above it ended unevenly: a photo or a box they could not part stood in one of them
    (outside's proj3 page 6: 10 lines above the 寻物启事 frame, which `check` did not
    name). Not above a headline across the page: balanced text ends a few lines apart
    there by its keep rules (a subhead kept with its lines), which the frame's rule
    does not underline."""
    g = built.prepared.layout.geometry
    articles = built.prepared.issue.manifest.articles
    index = {a.id: i for i, a in enumerate(articles)}
    flows = built.prepared.context.context["flows"]
    for number, flow in enumerate(flows[1:], start=1):
        lead = flow[0]
        where = placed.get(lead["anchor"])
        if lead["kind"] != "notice" or where is None or where.box is None or \
                where.page >= len(pages) or lead["id"] not in index:
            continue
        top = where.box[1]
        blank = lead.get("space_lines", 1)  # the blank lines above it (the page plan's)
        before = flows[number - 1][-1]  # the article whose columns end above it
        if before["id"] not in index:
            continue
        above = index[before["id"]]
        name = article_name(above, articles[above].title)
        nxt = article_name(index[lead["id"]], articles[index[lead["id"]]].title)
        photo = any(anchor.startswith(f"photo-{above + 1}-") and p.page == where.page
                    for anchor, p in placed.items())
        for column, bottoms in enumerate(pages[where.page - 1].bottoms, start=1):
            end = max((b for b in bottoms if b <= top + 0.5), default=g.margin_top)
            empty = round((top - end) / g.line) - blank
            if empty <= HOLE_SLACK or end <= g.margin_top:
                continue
            hint = (_("the columns of {article} end {lines} apart above {next}, which is set "
                      "across the page: make its photo on {page} smaller (or put it after "
                      "another paragraph), or add about {lines} to its text")
                    if photo else
                    _("the columns of {article} end {lines} apart above {next}, which is set "
                      "across the page: add about {lines} to its text, or take out what "
                      "keeps one column long (a box, a table)")).format(
                article=name, lines=lines_name(empty), next=nxt, page=page_name(where.page))
            yield warning("copyfit.hole", ngettext("{page}, {column} column: {lines} line empty "
                                                   "above {next}, under {article}",
                                                   "{page}, {column} column: {lines} lines empty "
                                                   "above {next}, under {article}",
                                                   empty).format(
                page=page_name(where.page), column=column_name(column, g.columns),
                lines=empty, next=nxt, article=name),
                Location(page=where.page, box=hole_box(g, column, end, end + empty * g.line)),
                hint)


def _hole_above_first(built: Built | Assembled, number: int, free: list[int],
                      starts: int) -> Iterator[Diagnostic]:
    """The hole on page `number` above the first article, which starts on page
    `starts`: its headline with its first paragraphs and a photo after them did not
    fit under the masthead (and contents); with a photo, moving it after a later
    paragraph or making it smaller lets the article start here."""
    g = built.prepared.layout.geometry
    article = built.prepared.issue.manifest.articles[0]
    name = article_name(0, article.title)
    if article.photos:
        hint = _("{article} starts on {page}: its headline, first paragraphs and the photo "
                 "after them do not fit here. Put the photo after a later paragraph "
                 "(after_paragraph:) or make it smaller, and the article starts on {here}").format(
            article=name, page=page_name(starts), here=page_name(number))
    else:
        hint = _("{article} starts on {page}: its headline and first lines do not fit "
                 "here. Shorten its headline or subtitle, or the contents").format(
            article=name, page=page_name(starts))
    for column, empty in enumerate(free, start=1):
        if empty > HOLE_SLACK:
            yield warning("copyfit.hole", ngettext("{page}, {column} column: {lines} line empty, "
                                                   "above {article}, which starts on {next}",
                                                   "{page}, {column} column: {lines} lines empty, "
                                                   "above {article}, which starts on {next}",
                                                   empty).format(
                page=page_name(number), column=column_name(column, g.columns), lines=empty,
                article=name, next=page_name(starts)),
                Location(page=number, box=_foot_hole(g, column, empty)), hint)


def column_name(column: int, columns: int) -> str:
    """左栏/右栏 for two columns, else the column's number."""
    if columns == 2:
        return _("left") if column == 1 else _("right")
    return str(column)


def check_copyfit(built: Built | Assembled) -> Iterator[Diagnostic]:
    """Where the pages are not full, by page and column, and how many lines each
    article is over or under the space it has (what the page plan could not meet
    it says itself, article by article: build/page_fit.py)."""
    issue = built.prepared.issue
    g = built.prepared.layout.geometry
    articles = issue.manifest.articles
    starts = built.typeset.anchor_pages() if isinstance(built, Built) else built.anchor_pages()
    first_page = [starts.get(f"article-{a.id}", 1) for a in articles]
    count = built.page_count
    pages = page_facts(built)
    context = built.prepared.context.context
    # The colophon at the foot of the last page: the room there is the room above it.
    foot = context["colophon_lines"] if context["colophon_position"] == "foot" and (
        context["colophon"] or context["colophon_qr"]) else 0
    free = [_free_lines(page, g, foot if number == len(pages) else 0)
            for number, page in enumerate(pages, start=1)]
    # The last article ends on the last page with body text, not on a page that holds
    # the colophon alone.
    text_pages = [number for number, page in enumerate(pages, start=1) if page.body_text]
    capacity = g.columns * g.lines
    # The last page that holds anything may end short.
    last_text = max((n for n, f in enumerate(free, start=1) if sum(f) < capacity),
                    default=count)
    holes = {number for number, columns in enumerate(free[:last_text - 1], start=1)
             if max(columns) > HOLE_SLACK}
    # A page an article ends on before one that starts a new page: its finding below
    # names the article and each column's empty lines; the hole is not said again.
    # As typeset: the page plan may have started a new-page article under the one
    # before it (layout/pull_up.py).
    opens_page = {a["id"]: a["start"] == "new-page" for a in context["articles"]
                  if not a["continued"]}
    order = _print_order(built)
    ends = {first_page[index] - 1 for index in order[1:]
            if opens_page.get(articles[index].id, False)}
    placed = anchor_boxes(built) if holes - ends else {}
    for number in sorted(holes - ends):
        if first_page and first_page[0] > number:
            # No article starts on or before the page (the front page holds the masthead
            # and contents only): the first article's head went on, so the hole is above
            # it, and cutting it does not bring the next one here.
            yield from _hole_above_first(built, number, free[number - 1], first_page[0])
            continue
        above = order[_last_started(first_page, order, number)]
        if _set_across(built, articles[above].id):
            # A notice's frame across the page ends the page: its columns are one empty
            # space under it, each line of which a line of the notice fills (not two).
            lines = max(free[number - 1])
            yield warning("copyfit.hole", ngettext("{page}: {lines} line empty across the "
                                                   "page, under {article}",
                                                   "{page}: {lines} lines empty across the "
                                                   "page, under {article}", lines).format(
                page=page_name(number), lines=lines,
                article=article_name(above, articles[above].title)),
                Location(page=number, box=_foot_hole_across(g, lines)),
                _hole_hint(built, number, [lines], first_page, placed, order))
            continue
        hint = _hole_hint(built, number, free[number - 1], first_page, placed, order)
        for column, empty in enumerate(free[number - 1], start=1):
            if empty > HOLE_SLACK:
                # The article at the column's foot (its text, or its photos there): not
                # the page's last, which may stand in the other column (2026-07b page 3:
                # the left column's hole under 《垃圾分类…》's photos was said to be under
                # the right column's 《夏季便民电话》).
                at_foot = _article_at(built, placed, (number, column, g.margin_top + (
                    g.lines - empty) * g.line), marks=True)
                under = above if at_foot is None else at_foot
                yield warning("copyfit.hole", ngettext("{page}, {column} column: {lines} line "
                                                       "empty, under {article}",
                                                       "{page}, {column} column: {lines} lines "
                                                       "empty, under {article}", empty).format(
                    page=page_name(number), column=column_name(column, g.columns),
                    lines=empty, article=article_name(under, articles[under].title)),
                    Location(page=number, box=_foot_hole(g, column, empty)), hint)
    yield from _holes_above(built, pages, anchor_boxes(built))
    for at, index in enumerate(order):
        article = articles[index]
        # The article printed after it (not always the next in issue.yaml: a notice the
        # plan set later ends the page the article before it in issue.yaml ended).
        nxt = articles[order[at + 1]] if at + 1 < len(order) else None
        if nxt is not None and not opens_page.get(nxt.id, False):
            continue  # the next article flows on: its space is shared
        last = (first_page[order[at + 1]] - 1) if nxt is not None else max(
            first_page[index], max(text_pages, default=count))
        # Under a notice across the page, a line of it fills a line of every column.
        room = max(free[last - 1]) if _set_across(built, article.id) else sum(free[last - 1])
        loc = issue.article_location(index, "title")
        where = Location(loc.path, loc.line, loc.column, last)
        used = capacity - room
        name = article_name(index, article.title)
        if last > first_page[index] and used <= 3 * g.columns:
            yield warning("copyfit.spill", ngettext("{article} runs {n} line onto {page}",
                                                    "{article} runs {n} lines onto {page}",
                                                    used).format(
                article=name, n=used, page=page_name(last)), where,
                ngettext("cut {n} line (or a photo) and it ends on {page}",
                         "cut {n} lines (or a photo) and it ends on {page}", used).format(
                    n=used, page=page_name(last - 1)))
        elif room >= 2:
            # A warning where it leaves a hole (a page but the last), else a note.
            said = warning if last in holes else info
            hint = ngettext("add about {n} line to {article} (text, or a photo), or leave the "
                     "space", "add about {n} lines to {article} (text, or a photo), or leave the "
                     "space", room).format(n=room, article=name)
            if nxt is not None and nxt.layout.start == "new-page-always" and last in holes:
                hint = _("add text or a photo: the next article keeps its new page "
                         "(start: new-page-always); with start: new-page it would start "
                         "in this space when its headline and first lines fit")
            if index == 0 and last in holes and first_page[0] == 1 and \
                    context["articles"][0]["kind"] == "story" and \
                    not article.layout.continue_on and room > capacity // 3:
                # The front page's lead runs on to a page it leaves short. With pages:
                # planned the plan jumps it itself; without, the page count is the
                # editor's: the jump is named, not made (it would drop that page). Not
                # for a few lines: text fills those; a jump would send a page of the
                # lead to the last page for them (bench-16's page 2, 3/5 lines).
                hint = _("add text or a photo, or close page 1 with a jump: layout: "
                         "{{continue_on: {last}}} continues it on the last page").format(
                    last=count)
            yield said("copyfit.under", ngettext(
                "{article} ends on {page} with room for {n} more line ({columns} per column)",
                "{article} ends on {page} with room for {n} more lines ({columns} per column)",
                room).format(
                           article=name, page=page_name(last), n=room,
                           columns="/".join(map(str, free[last - 1]))), where, hint)
    planned = issue.manifest.pages
    if planned and count > planned:
        over = sum(capacity - sum(f) for f in free[planned:])
        yield error("copyfit.over", _("the issue has {count} pages, {more} more than the "
                                      "planned {planned}: about {lines} too many").format(
                        count=count, more=count - planned, planned=planned,
                        lines=lines_name(over)),
                    issue.source_map.location(("pages",)),
                    _("cut text or photos, or raise pages:"))
    elif planned and count < planned:
        yield warning("copyfit.short", ngettext("the issue has {count} page, fewer than the "
                                                "planned {planned}",
                                                "the issue has {count} pages, fewer than the "
                                                "planned {planned}", count).format(
                          count=count, planned=planned),
                      issue.source_map.location(("pages",)),
                      _("add an article or photos, or lower pages: to {count}").format(
                          count=count))


# Typography findings on a body line, which belongs to the article whose text came last
# before it (a heading at a page's foot belongs to the next one: not named this way).
_BODY_LINE_CODES = frozenset({
    "typography.ragged-line", "typography.overfull-line", "typography.autospace",
    "typography.autospace-edge", "typography.line-start", "typography.line-end",
    "typography.split-mark", "typography.split-number", "typography.off-grid",
    "typography.orphan", "typography.widow", "typography.loose-line",
    "typography.lone-character"})


def _column_at(g: Geometry, x: float) -> int:
    """The column (1 = left) that the point `x` (pt from the trim's left) lies in."""
    return max(1, min(g.columns, int((x - g.margin_side) // (g.column_width + g.gap)) + 1))


def _box_column(g: Geometry, box: tuple[float, float, float, float]) -> int:
    """The column a box stands in, by its middle: a box's frame reaches into the gap
    (《夏季便民电话》's from x = 302, the right column from 308); one across the page
    is the left column's (its middle is in the gap)."""
    return _column_at(g, (box[0] + box[2]) / 2)


Spot = tuple[int, int, float]  # (page, column, pt from the top): the order text is read in


def _article_at(built: Built | Assembled, placed: dict[str, Placed], spot: Spot,
                marks: bool = False) -> int | None:
    """The article whose text is at `spot`: the last whose text starts before it, in
    reading order (pages, then columns left to right, then down), or a box (set whole,
    no text anchor: its frame's anchor) when the spot lies in it. Read by page and
    y alone, a line at the top of the right column was named after the story that
    starts lower in the left one, and a box's line (the plan moved it: no text
    anchor) after the story before it. With `marks` (a column's hole under it), a box
    or a photo (anchors photo-N-M) in the spot's column above it counts as its
    article's start too: the last of them stands at the foot."""
    g = built.prepared.layout.geometry
    articles = built.prepared.issue.manifest.articles
    best: tuple[Spot, int] | None = None
    for index, article in enumerate(articles):
        at = placed.get(f"text-{article.id}")
        if at is None or at.box is None:
            frame = placed.get(f"article-{article.id}")
            if frame is None or frame.box is None or \
                    (frame.page, _box_column(g, frame.box)) != spot[:2]:
                continue
            if frame.box[1] <= spot[2] <= frame.box[3] + 0.5:
                return index  # in a box set whole
            if not marks:
                continue
            at = frame  # a box above the foot: what stands at the foot if nothing below
        box = at.box
        assert box is not None
        start = (at.page, _box_column(g, box), box[1])
        if start <= spot and (best is None or start > best[0]):
            best = start, index
    if marks:
        for name, at in placed.items():
            found = _PHOTO_ANCHOR.fullmatch(name)
            if found is None or at.box is None:
                continue
            # A photo across the page (full-width) stands above the holes of every
            # column it spans: the right column's hole under a story's full-width photo,
            # its text gone on to the next page, was said to be under the article
            # before it, which ended a page earlier (newcomer s15, 《…优秀志愿者》).
            spans = range(_column_at(g, at.box[0] + 1), _column_at(g, at.box[2] - 1) + 1)
            column = spot[1] if spot[1] in spans else _box_column(g, at.box)
            start = (at.page, column, at.box[1])
            if start[:2] == spot[:2] and start <= spot and (best is None or start > best[0]):
                best = start, int(found.group(1)) - 1
    return best[1] if best is not None else None


_PHOTO_ANCHOR = re.compile(r"photo-(\d+)-\d+")


def name_articles(findings: list[Diagnostic], built: Built | Assembled) -> list[Diagnostic]:
    """Findings placed on a page only (typography) also name their article, and point
    at its title in issue.yaml: where the editor changes the text."""
    issue = built.prepared.issue
    g = built.prepared.layout.geometry
    placed = anchor_boxes(built)
    named: list[Diagnostic] = []
    for d in findings:
        loc = d.location
        index = None
        if d.code in _BODY_LINE_CODES and loc.path is None and loc.page is not None and \
                loc.box is not None:
            index = _article_at(built, placed, (loc.page, _column_at(g, loc.box[0]),
                                                loc.box[1] + 0.5))
        if index is None:
            named.append(d)
            continue
        title = issue.article_location(index, "title")
        named.append(dataclasses.replace(
            d, message=_("{article}: {finding}").format(
                article=article_name(index, issue.manifest.articles[index].title),
                finding=d.message),
            location=dataclasses.replace(loc, path=title.path, line=title.line,
                                         column=title.column)))
    return named
