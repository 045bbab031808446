"""Stage 4: the loaded issue → the one typed context the templates receive.

Everything a template would otherwise compute happens here: labels and
dates in Chinese, figure heights rounded to whole lines of the grid,
caption line counts measured with the caption font's own advance widths,
and where each photo stands in its article's flow.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Literal, NotRequired, TypedDict

from bulletin_press.diagnostics import (
    BuildError,
    Diagnostic,
    article_name,
    error,
    info,
    lines_name,
    warning,
)
from bulletin_press.fonts.lookup import Metrics, family_metrics
from bulletin_press.i18n import _, ngettext
from bulletin_press.layout.fence import SCALE
from bulletin_press.layout.glyph_coverage import body_location
from bulletin_press.layout.masthead import GAP_PT, MastheadTitle, info_width, masthead_title
from bulletin_press.layout.photos import ImageInfo, ImageProblem, embed_scale, inspect_image
from bulletin_press.layout.publication import colophon_items, cover_line
from bulletin_press.layout.qr import QrContext, qr_context
from bulletin_press.layout.specs import Layout
from bulletin_press.layout.tables import TableContext, table_context
from bulletin_press.manifest.load import LoadedIssue
from bulletin_press.manifest.model import Article, Manifest, Photo, QrCode, Signature
from bulletin_press.manifest.photo_files import unusable_photo
from bulletin_press.text.blocks import (
    HARD_BREAK,
    LINE_BREAK,
    TYPED_NUMBER,
    Block,
    LinkStyle,
    Span,
    parse_body,
)
from bulletin_press.text.breaks import keep_together, mark_text, may_cut, visible
from bulletin_press.text.normalise import HEADLINE_SKIP, normalise_blocks, normalise_text
from bulletin_press.text.punctuation import boundaries, mark_blocks
from bulletin_press.text.words import forced_breaks, without_markers


class FigureContext(TypedDict):
    anchor: str  # element id, so the typeset document says where the photo landed
    article: int  # index of the article in the manifest
    photo: int  # index of the photo in its article
    src: str  # relative to the issue folder (the document's base URL)
    caption: str
    credit: str | None
    alt: str
    width: Literal["column", "full", "bleed"]
    image_height: str  # CSS length, a whole number of lines
    image_lines: int  # the same in lines (the page plan changes it)
    caption_lines: int
    caption_height: str  # CSS length, a whole number of lines
    lines: int  # image + caption, in grid lines
    placement: str
    # A photo in a notice is shown whole, no wider than it is high times its aspect
    # (`whole_figure`): the image's width as printed (CSS length), the photo's aspect
    # (width ÷ height) and the widest it may be (pt: the notice's frame), so that the
    # page plan's heights keep it whole. Absent: the image takes the figure's width.
    image_width: NotRequired[str]
    aspect: NotRequired[float]
    widest: NotRequired[float]
    # An upright photo (a phone held upright) printed across the page with its bleed:
    # cropped to its box, it keeps its top (style.css img.upright), where heads and signs
    # are. In a column or across the measure it is shown whole instead (`shown_whole`).
    upright: NotRequired[bool]
    # An upright photo shown whole in a column or across the measure: its caption's
    # length (pt, at `caption_size`, with its Han-Latin gaps) so that the caption can be
    # set beside it (`beside`) when the room beside the photo takes it; then the photo
    # is as high as image and caption together (`lines`), the caption at its foot.
    caption_pt: NotRequired[float]
    caption_size: NotRequired[float]
    # Its widest piece no line breaks (the credit, kept on one line; a run of Latin
    # letters and digits), pt: the caption goes beside the photo only where it fits.
    caption_least: NotRequired[float]
    beside: NotRequired[bool]
    # A photo with far more pixels than the print shows is embedded smaller
    # (layout/photos.py embed_scale): the share of its pixels kept (< 1), and the URL the
    # document asks for (`src` with `?scale=…`, read by layout/fence.py). Absent: as it is.
    embed_scale: NotRequired[float]
    print_src: NotRequired[str]
    # The editor wrote its `placement:` (True); absent: the toolchain placed it (the
    # first photo heads the article), and the page plan may set it lower in the story
    # for its article to start in a hole (layout/pull_up.py).
    placed: NotRequired[bool]


class BodyItem(TypedDict):
    kind: Literal["paragraph", "subhead", "list", "figure", "table", "quote", "rule"]
    spans: list[Span]
    entries: list[list[Span]]  # list items ("items" would be the dict method in Jinja)
    ordered: bool
    figure: FigureContext | None
    marker: str | None  # id of an empty element ending a paragraph a photo follows
    role: str  # a paragraph's part in a notice: "salutation", else ""
    nested: list[list[BodyItem]]  # each list entry's nested lists, parallel to entries
    children: list[BodyItem]  # a quote's paragraphs
    table: TableContext | None
    anchor: str | None  # the item's id, where the page plan measures where it landed
    gap: int  # lines the page plan adds above the block, spreading a short page's room
    # A table set across the page: the subhead and the short line introducing it
    # (…如下：) that stood right before it, set across the page above it with it.
    above: NotRequired[list[BodyItem]]
    # A table set across the page: whether the run of columns before it keeps with it:
    # "yes"; "first": if its article heads the columns (no other article's text is in
    # the run); "" no (_with_table_heads).
    keeps_text: NotRequired[Literal["yes", "first", ""]]
    # A notice's item: an id at its end (its last line, its last table row), so the
    # typeset document tells the page it ends on (layout/notice_parts.py).
    end: NotRequired[str]
    # A notice's table: an id on each body row (the last row's is `end`), so that a
    # notice set in parts is cut between two rows (layout/notice_parts.py).
    row_ids: NotRequired[list[str]]
    # A piece of a notice's table set in parts: the first of the table's rows it
    # holds (0: the table's start, which carries `anchor`); its header row repeated.
    rows_from: NotRequired[int]
    # A notice's paragraph: the ids of the empty spans (`STOP`) between its sentences,
    # so that a notice set in parts is cut between two sentences of a paragraph
    # (layout/notice_parts.py); a piece after such a cut starts with sentence
    # `stops_from` and is not indented (role "cont").
    stops: NotRequired[list[str]]
    stops_from: NotRequired[int]
    # Set when rendered (`justify_places`): where the typesetter may add lines above
    # the block to fill a short column ("b2": a block place, "p1": between paragraphs,
    # the lines it may take; "" none). Top-level blocks of an article only.
    place: NotRequired[str]
    # A paragraph the page plan sets pushed in (layout/page_plan.py `pushed_in`): a line
    # shorter when squeezing its punctuation saves one (typeset/ext/line_fit.py).
    push: NotRequired[bool]


class SignatureContext(TypedDict):
    lines: list[str]  # issuer lines, then the date: each set flush right


class JumpLine(TypedDict):
    """（下转第N版） at the cut of a continued article, （上接第M版） at its continuation."""

    anchor: str  # the line's own id
    href: str  # "#" + the other part's anchor: the renderer counts its page
    before: str  # the wording before the page number and after it
    after: str
    page: int | None  # given when pages are typeset in runs; else the renderer counts


class ArticleContext(TypedDict):
    id: str
    anchor: str
    text_anchor: str  # id of the element holding the article's text (the keep guard)
    number: int
    section: str | None
    title: str  # on one line: contents, outline
    title_set: str  # as set in the headline: the editor's forced breaks as line breaks
    subtitle: str | None
    byline: str | None
    start: str  # continue, new-column or new-page (new-page-always is new-page, kept)
    # start: new-page that the page plan may start under the article before it, in
    # the hole the page before would leave (layout/pull_up.py); not new-page-always.
    may_pull_up: bool
    kind: str  # story, notice or box
    space_after: bool  # another article follows in the same column: a blank line between
    headline_span: bool
    full_width_figures: list[FigureContext]
    body: list[BodyItem]
    qr: QrContext | None
    signature: SignatureContext | None
    continue_on: int | None  # the page a jump continues it on (layout.continue_on)
    continued: bool  # the continuation of a jump: a short headline and （上接第M版）
    jump_out: JumpLine | None
    jump_in: JumpLine | None
    # A notice longer than a page is set in parts, one a page (layout/notice_parts.py):
    # a part that goes on ends with （续下页）; the next starts with its title, small,
    # and （续） (`continued`).
    goes_on: NotRequired[bool]
    # A notice known to be longer than a page: it may break (not set whole), where it
    # falls, so that the next round cuts it there (layout/notice_parts.py).
    flows_on: NotRequired[bool]
    # Set by a page run that resumes the article at the top of a page (runs/plan.py
    # `resumed_flows`): its body from there on, without its head.
    resumed: NotRequired[bool]
    # Set by the page plan on a box it sets in a flow of its own under a notice across
    # the page (page_plan.box_across): across the page too, in one column.
    across: NotRequired[bool]
    plan_classes: str  # the page plan's spacing classes, e.g. "space-above-2"
    gap_above: int  # lines the page plan adds above an article that shares a flow
    gap_foot: int  # lines the page plan adds above the article's foot (QR code, 落款)
    # Set when rendered (`justify_places`): the places above the article (in a flow
    # it shares) and above its foot, as BodyItem.place.
    place_above: NotRequired[str]
    place_foot: NotRequired[str]
    # A flow's lead: the places above it and under its headline across the page
    # (`justify_places`), and the lines the page plan gives them (page_plan.apply).
    place_space: NotRequired[str]
    place_headline: NotRequired[str]
    space_lines: NotRequired[int]
    headline_lines: NotRequired[int]


class TocEntry(TypedDict):
    anchor: str
    section: str | None
    title: str
    marked: str  # the title as printed: glued (text/breaks.py), 3.5万元 never breaks
    page: int | None  # given when pages are typeset in runs; else the renderer counts


class IssueContext(TypedDict):
    lang: str
    document_title: str
    newsletter: str
    masthead: MastheadTitle  # the name's lines and size (layout/masthead.py)
    publisher: str
    issue_label: str
    volume_label: str | None
    date_label: str
    date_iso: str
    articles: list[ArticleContext]
    flows: list[list[ArticleContext]]  # articles sharing one run of columns
    toc: list[TocEntry]
    colophon: list[tuple[str, str]]
    cover_line: str | None  # an internal publication's permit line (layout/publication.py)
    colophon_qr: QrContext | None
    colophon_position: Literal["foot", "after-text"]
    colophon_lines: int  # its height with the line above it, in grid lines (page plan)
    page_css: str
    stylesheets: list[str]
    first_page_stylesheets: list[str]
    # The marks of a notice set in parts: at the foot of a part that goes on, and
    # after the title repeated at the top of the next (layout options notice_out and
    # notice_in).
    notice_marks: tuple[str, str]
    # A document may hold only a run of the issue's pages (the preview typesets runs
    # separately): whether it begins with the masthead, ends with the colophon, and
    # the number of its first page.
    show_masthead: bool
    show_colophon: bool
    page_start: int
    # A run that begins inside flowing text (runs/plan.py): the height of the
    # previous run's tail on its first page, as a CSS length ("" for none).
    run_spacer: str
    # The document's last page is closed (a run that ends before an article starting
    # a new page): its short columns are filled like those of the pages before it.
    # Never the issue's last page (the colophon's).
    closes_last_page: bool


@dataclass(frozen=True)
class ContextResult:
    context: IssueContext
    images: dict[str, ImageInfo]
    warnings: list[Diagnostic]


NOTICE_OUT, NOTICE_IN = "（续下页）", "（续）"  # IssueContext.notice_marks


def date_label(year: int, month: int, day: int) -> str:
    return f"{year}年{month}月{day}日"


def article_texts(issue: LoadedIssue, links: LinkStyle = "address") -> dict[str, list[Block]]:
    """Stages 2-3 for every article: parsed and normalised body blocks."""
    return {a.id: normalise_blocks(parse_body(issue.bodies.get(a.id, ""), links), _disabled(a))
            for a in issue.manifest.articles}


def _disabled(article: Article) -> set[str]:
    return {name for name, on in article.normalise.items() if not on}


def build_context(issue: LoadedIssue, layout: Layout, texts: dict[str, list[Block]],
                  page_css: str, stylesheets: list[str],
                  first_page_stylesheets: list[str] | None = None) -> ContextResult:
    m = issue.manifest
    problems: list[Diagnostic] = []
    notes: list[Diagnostic] = []
    images = _inspect_photos(issue, problems, notes)
    caption_metrics = family_metrics(layout.spec.fonts.heading)
    articles: list[ArticleContext] = []
    for index, article in enumerate(m.articles):
        blocks = texts.get(article.id, [])
        if not blocks:
            problems.append(error("manifest.empty-body",
                                  _("{article} has no text").format(
                                      article=article_name(index, article.title)),
                                  issue.article_location(index, "body"),
                                  _("write the article text under body: or in body_file:")))
        articles.append(_article(issue, index, article, blocks, layout, images,
                                 caption_metrics, notes))
    if problems:
        raise BuildError(problems)
    date = m.issue.date
    issue_label = f"{date.year}年第{m.issue.number}期"
    # Addresses in a value break only where they may (text/breaks.py); the layout keeps
    # a label with its value.
    colophon = [(label, mark_text(str(value))) for label, value in (
        ("编辑", m.colophon.office), ("地址", m.colophon.address), ("邮编", m.colophon.postcode),
        ("电话", m.colophon.phone), ("电子邮箱", m.colophon.email),
        ("印刷", m.colophon.printer), ("印数", m.colophon.copies and f"{m.colophon.copies}份"),
    ) if value]
    colophon_qr = _qr(m.colophon.qr, layout)
    volume_label = f"总第{m.issue.volume}期" if m.issue.volume else None
    details = [issue_label + (f"\u3000{volume_label}" if volume_label else ""),
               date_label(date.year, date.month, date.day), f"{m.publisher} 主办"]
    room = layout.geometry.measure - GAP_PT - (
        info_width(details, caption_metrics) if caption_metrics else 0.0)
    context: IssueContext = {
        "lang": "zh-CN",
        "document_title": f"{m.newsletter} {issue_label}",
        "newsletter": m.newsletter,
        "masthead": masthead_title(m.newsletter, room, caption_metrics),
        "publisher": m.publisher,
        "issue_label": issue_label,
        "volume_label": volume_label,
        "date_label": date_label(date.year, date.month, date.day),
        "date_iso": date.isoformat(),
        "articles": articles,
        "flows": column_flows(articles),
        # Boxes (温馨提示, 便民电话) are asides, not entries of 本期导读.
        "toc": [_toc_entry(a, layout, caption_metrics) for a in articles if a["kind"] != "box"],
        "colophon": _with_publication(m, colophon)
        + ([("", m.colophon.note)] if m.colophon.note else []),
        "cover_line": cover_line(m),
        "colophon_qr": colophon_qr,
        "colophon_position": m.colophon.position,
        "colophon_lines": colophon_lines(_with_publication(m, colophon),
                                         m.colophon.note is not None,
                                         layout.geometry.measure, caption_metrics,
                                         colophon_qr, layout.spec.photos.caption_size_pt,
                                         layout.geometry.line),
        "notice_marks": (str(layout.spec.options.get("notice_out", NOTICE_OUT)),
                         str(layout.spec.options.get("notice_in", NOTICE_IN))),
        "page_css": page_css,
        "stylesheets": stylesheets,
        "first_page_stylesheets": first_page_stylesheets or [],
        "show_masthead": True,
        "show_colophon": True,
        "page_start": 1,
        "run_spacer": "",
        "closes_last_page": False,
    }
    return ContextResult(context, images, notes)


# 本期导读 (style.css .toc): set at 10 pt in the heading face inside a 0.75 pt rule
# and 12 pt of padding; a section label has 1 em after it; the text keeps 3 em
# free for the page numbers, and 3 em more for Han–Latin gaps and a leader (WeasyPrint
# breaks the line as if the number took room of its own).
TOC_SIZE_PT, TOC_INSET_PT, TOC_END_EM = 10.0, 2 * (12 + 0.75), 6.0


def _toc_entry(article: ArticleContext, layout: Layout, font: Metrics | None) -> TocEntry:
    title = toc_title(article["title"], article["section"], layout, font)
    return {"anchor": article["anchor"], "section": article["section"], "title": title,
            "marked": mark_text(title), "page": None}


def toc_title(title: str, section: str | None, layout: Layout, font: Metrics | None) -> str:
    """A contents entry's title. It wraps (style.css) unless the layout's option
    `toc: one-line` asks for one line: then a title too long for it is cut and ends
    with an ellipsis (……)."""
    if layout.spec.options.get("toc") != "one-line" or font is None:
        return title
    room = layout.geometry.measure - TOC_INSET_PT - TOC_END_EM * TOC_SIZE_PT
    if section:
        room -= font.width(section, TOC_SIZE_PT) + TOC_SIZE_PT
    if font.width(title, TOC_SIZE_PT) <= room:
        return title
    ellipsis = "……"
    room -= font.width(ellipsis, TOC_SIZE_PT)
    kept = ""
    for char in title:
        if font.width(kept + char, TOC_SIZE_PT) > room:
            break
        kept += char
    while kept and not may_cut(title, len(kept)):  # not 总额3.…… nor 2027年1月2……
        kept = kept[:-1]
    return kept.rstrip("，、；：。 （《“") + ellipsis


def spacer_length(px: float) -> str:
    """`run_spacer`: a length in CSS px, written so that it reads back as the same
    number (the run's first page must lay out as the issue's page does)."""
    return f"{px!r}px" if px > 0 else ""


def _with_publication(m: Manifest, colophon: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """An internal publication's items first; the plain colophon's print shop and
    print run give way to the publication's own (印刷单位, 印数)."""
    items = colophon_items(m)
    given = {label for label, _ in items}
    replaced = {"印刷": "印刷单位", "印数": "印数"}
    return items + [(label, value) for label, value in colophon
                    if replaced.get(label) not in given]


def column_flows(articles: list[ArticleContext]) -> list[list[ArticleContext]]:
    """An article that starts a new column continues its predecessor's columns, and
    so does a box (a sidebar) unless it starts a new page; a notice set across the
    page has no columns to continue."""
    flows: list[list[ArticleContext]] = []
    for article in articles:
        joins = article["start"] == "new-column" or (
            article["kind"] == "box" and article["start"] == "continue")
        if flows and joins and flows[-1][0]["kind"] != "notice":
            flows[-1].append(article)
        else:
            flows.append([article])
    return sidebars_joined([_spaced(flow) for flow in flows])


def _spaced(flow: list[ArticleContext]) -> list[ArticleContext]:
    """The flow's articles, each with the blank line after it that the next in its
    columns needs (none before one that opens the next column)."""
    return [{**article, "space_after": index + 1 < len(flow)
             and flow[index + 1]["start"] != "new-column"}
            for index, article in enumerate(flow)]


def sidebars_joined(flows: list[list[ArticleContext]], apart: AbstractSet[str] = frozenset()
                    ) -> list[list[ArticleContext]]:
    """The flows with each flow of boxes only (after a notice set across the page,
    whose columns a box cannot join, or at the head of the issue) sharing its
    columns with the story after it: the boxes head the first column, the story's
    headline and text follow them in the columns, balanced, as a designer sets what
    goes on under a notice that ends mid-page. Alone, the boxes filled one column
    and left the other empty beside them, the story's headline across the page
    under them. Not a story that opens a new page or a new column, a jump's
    continuation, one with photos across the page, or one in `apart` (ids: the
    page plan's pull-ups, started under the article before them)."""
    out: list[list[ArticleContext]] = []
    for flow in flows:
        story = flow[0]
        if out and all(a["kind"] == "box" for a in out[-1]) and story["kind"] == "story" \
                and story["start"] == "continue" and not story["continued"] and \
                not story["full_width_figures"] and story["id"] not in apart:
            joined = [*out[-1], _under_sidebars(story), *flow[1:]]
            # (Only a set joined gets its blank lines anew: elsewhere they stay as
            # they were, a notice's parts' too.)
            out[-1] = _spaced(joined)
        else:
            out.append(flow)
    return out


def _under_sidebars(story: ArticleContext) -> ArticleContext:
    """A story in the columns boxes lead: its headline in the column; the photo that
    heads it follows its first paragraph, so that the headline and the text it
    keeps with fit under the boxes (with the photo they went on to the next column,
    the one under the boxes left empty)."""
    story = {**story, "headline_span": False}
    body = story["body"]
    if body and body[0]["figure"] is not None and \
            any(item["kind"] == "paragraph" for item in body):
        story = shift_figures([[story]], {body[0]["figure"]["anchor"]: 1})[0][0]
    return story


def _inspect_photos(issue: LoadedIssue, problems: list[Diagnostic],
                    notes: list[Diagnostic]) -> dict[str, ImageInfo]:
    images: dict[str, ImageInfo] = {}
    seen: set[str] = set()  # each file is inspected and reported once
    for index, article in enumerate(issue.manifest.articles):
        for pindex, photo in enumerate(article.photos):
            if photo.file in seen:
                continue
            seen.add(photo.file)
            where = issue.article_location(index, "photos", pindex, "file")
            try:
                images[photo.file] = inspect_image(issue.root / photo.file)
            except ImageProblem as exc:
                problems.append(unusable_photo(photo.file, str(exc), where))
                continue
            if images[photo.file].heic:
                notes.append(info("photo.heic", _(
                    "photo '{file}' is a phone's HEIC photo: it is printed from a JPEG "
                    "made of it").format(file=photo.file), where,
                    _("to print it without converting each build, send it as JPEG (on an "
                      "iPhone: 设置 → 相机 → 格式 → 兼容性最佳)")))
    return images


def _article(issue: LoadedIssue, index: int, article: Article, blocks: list[Block],
             layout: Layout, images: dict[str, ImageInfo], caption_metrics: Metrics | None,
             notes: list[Diagnostic]) -> ArticleContext:
    photos = spread_photos(article.photos, sum(b.kind == "paragraph" for b in blocks))
    # A notice's frame: across the page (the measure), or one column.
    frame = (layout.geometry.measure if article.layout.start != "new-column"
             else layout.geometry.column_width) if article.kind == "notice" else None
    figures = [(p, _figure(p, layout, images[p.file], caption_metrics, index, number, frame))
               for number, p in enumerate(photos) if p.file in images]
    limit = layout.spec.photos.caption_max_lines
    for pindex, (_photo, figure) in enumerate(figures):
        if figure["caption_lines"] > limit:
            notes.append(warning(
                "photo.long-caption", _("{article}: the caption of photo '{file}' takes {n}; "
                                        "the layout allows {limit}").format(
                    article=article_name(index, article.title), file=figure["src"],
                    n=lines_name(figure["caption_lines"]), limit=limit),
                issue.article_location(index, "photos", pindex, "caption"),
                _("shorten the caption; details belong in the article text")))
    table_font = caption_metrics  # tables are set in the heading face, as captions are
    # A story's table set across the page, and a notice that starts its own flow (in a
    # frame across the page), have the full measure; others one column.
    across = article.kind == "story" or (article.kind == "notice"
                                         and article.layout.start != "new-column")
    marked = mark_blocks(blocks)
    body = [_body_item(b, layout, table_font, article.kind == "story",
                       layout.geometry.measure if across else None) for b in marked]
    for block, item in zip(marked, body, strict=True):
        table = item["table"]
        if table is not None and table_font is not None and not table["widths"] and block.rows:
            notes.append(warning(
                "layout.table-too-wide", ngettext(
                    "{article}: the table's {columns} column does not fit the width it has; "
                    "what its cells hold cannot break (numbers, times, words), so it runs "
                    "past the edge",
                    "{article}: the table's {columns} columns do not fit the width it has; "
                    "what its cells hold cannot break (numbers, times, words), so it runs "
                    "past the edge",
                    max(len(row) for row in block.rows)).format(
                    article=article_name(index, article.title),
                    columns=max(len(row) for row in block.rows)),
                body_location(issue, index, block),
                _("split it into two tables, or put less in each row")))
    if article.kind == "notice" or article.signature is not None:  # a notice, a letter
        body = _with_salutation(body)
    paragraphs = [i for i, item in enumerate(body) if item["kind"] == "paragraph"]
    tops = [f for p, f in figures if p.placement == "top"]
    bottoms = [f for p, f in figures if p.placement == "bottom"]
    inline = [(p, f) for p, f in figures if p.placement == "inline"]
    # Insert inline figures from the last so earlier positions stay valid (of two after
    # the same paragraph, the later first: each goes in before those inserted).
    for photo, figure in reversed(sorted(inline, key=lambda pf: _after(pf[0], paragraphs))):
        after = _after(photo, paragraphs)
        if photo.after_paragraph and photo.after_paragraph > len(paragraphs):
            notes.append(warning(
                "photo.after-paragraph", _("{article} has {n} paragraphs; the photo is "
                                           "placed after the last one").format(
                    article=article_name(index, article.title), n=len(paragraphs)),
                issue.article_location(index, "photos",
                                       article.photos.index(photo), "after_paragraph")))
        position = paragraphs[after - 1] + 1 if paragraphs else len(body)
        body.insert(position, _figure_item(figure))
    body = [_figure_item(f) for f in tops] + body + [_figure_item(f) for f in bottoms]
    body = _with_markers(_with_table_heads(
        body, layout.spec.page.column_chars * layout.geometry.columns
        if article.kind == "story" else None))
    if article.kind == "notice":
        body = item_anchors(f"article-{article.id}", body)
    title = _clean(article.title, article) or article.title
    subtitle = _clean(article.subtitle, article)
    return {
        "id": article.id,
        "anchor": f"article-{article.id}",
        "text_anchor": f"text-{article.id}",
        "number": index + 1,
        "section": _clean(article.section, article),
        "title": without_markers(title),
        "title_set": forced_breaks(title),
        "subtitle": forced_breaks(subtitle) if subtitle else None,
        "byline": _clean(article.byline, article),
        "start": "new-page" if article.layout.start == "new-page-always" else article.layout.start,
        "may_pull_up": article.layout.start == "new-page",
        "kind": article.kind,
        "space_after": False,  # set by column_flows
        "continue_on": article.layout.continue_on,
        "continued": False,
        "jump_out": None,
        "jump_in": None,
        "plan_classes": "",
        "gap_above": 0,
        "gap_foot": 0,
        "headline_span": article.layout.headline == "span" and article.kind != "box",
        "full_width_figures": [f for p, f in figures
                               if p.placement in ("full-width", "full-bleed")],
        "body": body,
        "qr": _qr(article.qr, layout),
        "signature": _signature(article.signature),
    }


def item_anchor(article_anchor: str, index: int) -> str:
    """The id of an article's body item (the page plan's `paragraph_anchor` too)."""
    return f"{article_anchor}-item-{index + 1}"


def item_anchors(article_anchor: str, body: list[BodyItem]) -> list[BodyItem]:
    """A notice's items with an id at their start and their end: a notice longer than a
    page is set in parts where the page broke it (layout/notice_parts.py)."""
    out: list[BodyItem] = []
    for index, item in enumerate(body):
        if item["kind"] == "figure":
            out.append(item)
            continue
        anchor = item_anchor(article_anchor, index)
        marked: BodyItem = {**item, "anchor": anchor, "end": anchor + "-end"}
        if item["kind"] == "table" and item["table"] is not None:
            rows = len(item["table"]["rows"])
            marked["row_ids"] = [f"{anchor}-row-{n}" for n in range(1, rows)] + [anchor + "-end"]
        out.append(marked)
    return out


STOP = "bp-stop"  # an empty span's class; the id follows it (macros.html.j2 `spans`)
_SENTENCE_END = frozenset("。！？；")
_CLOSING = frozenset("。！？；，、：”’）》」』】〕…—")  # stays with the sentence before


def sentence_stops(anchor: str, spans: list[Span]) -> tuple[list[Span], list[str]]:
    """The paragraph's spans with an empty span carrying an id after each sentence
    but the last (after 。！？； and the closing marks that follow them), and the ids."""
    chars = [(i, o, c) for i, span in enumerate(spans) for o, c in enumerate(span.text)]
    cuts: set[tuple[int, int]] = set()  # (span, offset): a stop after that character
    for k, (i, _o, c) in enumerate(chars):
        if c not in _SENTENCE_END or spans[i].cls:
            continue
        end = k
        while end + 1 < len(chars) and chars[end + 1][2] in _CLOSING:
            end += 1
        last, offset, _ = chars[end]
        if end + 1 < len(chars) and (not spans[last].cls
                                     or offset == len(spans[last].text) - 1):
            cuts.add((last, offset))
    out: list[Span] = []
    ids: list[str] = []
    for i, span in enumerate(spans):
        at = sorted(o for j, o in cuts if j == i)
        start = 0
        for o in at:
            out.append(Span(span.text[start:o + 1], span.strong, span.em, span.cls))
            ids.append(f"{anchor}-s{len(ids) + 1}")
            out.append(Span("", cls=f"{STOP} {ids[-1]}"))
            start = o + 1
        if start < len(span.text) or not at:
            out.append(Span(span.text[start:], span.strong, span.em, span.cls))
    return out, ids


def _qr(qr: QrCode | None, layout: Layout) -> QrContext | None:
    if qr is None:
        return None
    return qr_context(qr.url, _clean(qr.caption), layout.geometry.line)


def _signature(signature: Signature | None) -> SignatureContext | None:
    if signature is None:
        return None
    issuers = signature.issuer if isinstance(signature.issuer, list) else [signature.issuer]
    lines = [_clean(i) or i for i in issuers]
    date = signature.date
    if isinstance(date, dt.date):
        lines.append(date_label(date.year, date.month, date.day))
    elif date:
        lines.append(_clean(date) or date)
    return {"lines": lines}


def _with_salutation(body: list[BodyItem]) -> list[BodyItem]:
    """The first paragraph of a notice or a letter (an article with a 落款) that ends
    with a colon (尊敬的住户：) is its salutation, set flush left (称呼顶格)."""
    first = body[0] if body else None
    if first is None or first["kind"] != "paragraph":
        return body
    text = "".join(s.text for s in first["spans"]).strip()
    if text.endswith(("：", ":")) and len(text) <= 40:
        return [{**first, "role": "salutation"}, *body[1:]]
    return body


INTRO_CHARS = 40  # a line introducing a table (各服务点的地址、电话如下：) is at most this long


SHORT_RUN_LINES = 3  # lines a column: text this short before a table across the page keeps with it


def _with_table_heads(body: list[BodyItem], run_chars: int | None = None
                      ) -> list[BodyItem]:
    """The body with the subhead and the short line introducing a table set across
    the page (the paragraph ending with a colon right before it) taken into the
    table's item (`above`): in the columns above, the subhead stood alone at the
    top of a column while its table was set below both columns.

    Each such table says whether the run of columns before it keeps with it
    (`keeps_text`: the page breaks before that run rather than between it and the
    table): only a short run (SHORT_RUN_LINES a column at most, `run_chars`: the body
    characters a line across all columns holds; None: always, a notice's). A long run
    was carried off its page with the table that did not fit under it: a story's
    headline and photo stood alone over 19 empty lines a column, its text overleaf.
    The first such table's run starts at the top of the columns, where another
    article of the flow may stand before this one ("first": kept only if none does)."""
    out: list[BodyItem] = []
    run = 0  # where the run of columns before the next table across the page starts
    for item in body:
        if item["table"] is not None and item["table"]["span"]:
            above: list[BodyItem] = []
            if out and _introduces(out[-1]):
                above.insert(0, out.pop())
            if out and out[-1]["kind"] == "subhead":
                above.insert(0, out.pop())
            keeps: Literal["yes", "first", ""] = "yes" if run_chars is None else \
                "" if _run_lines(out[run:], run_chars) > SHORT_RUN_LINES else \
                "yes" if run else "first"
            item = {**item, "keeps_text": keeps}
            if above:
                item = {**item, "above": above}
            out.append(item)
            run = len(out)
            continue
        out.append(item)
    return out


def _run_lines(items: list[BodyItem], line_chars: int) -> float:
    """About how many lines a column the items take, set in columns whose lines
    together hold `line_chars` characters (a rough measure: enough to tell a line or
    two from a column's worth)."""
    lines = 0.0
    for item in items:
        if item["kind"] in ("paragraph", "subhead"):
            text = visible("".join(s.text for s in item["spans"]))
            lines += math.ceil(len(text) / line_chars * 2) / 2 + (item["kind"] == "subhead")
        elif item["kind"] == "list":
            lines += sum(math.ceil(len(visible("".join(s.text for s in entry)))
                                   / line_chars * 2) / 2 for entry in item["entries"])
        elif item["kind"] == "quote":
            lines += _run_lines(item["children"], line_chars)
        elif item["kind"] == "figure" and item["figure"] is not None:
            lines += item["figure"]["lines"] / 2
        elif item["table"] is not None:
            lines += (len(item["table"]["head"]) + len(item["table"]["rows"]) + 1) / 2
        else:
            lines += 0.5
    return lines


def _introduces(item: BodyItem) -> bool:
    text = visible("".join(s.text for s in item["spans"])).strip()
    return item["kind"] == "paragraph" and text.endswith(("：", ":")) and \
        len(text) <= INTRO_CHARS


def _clean(text: str | None, article: Article | None = None) -> str | None:
    """Headlines, captions and the like: normalised, but their spaces are meant."""
    disabled = HEADLINE_SKIP | (_disabled(article) if article else set())
    return normalise_text(text, disabled) if text else None


def spread_photos(photos: list[Photo], paragraphs: int) -> list[Photo]:
    """The photos as placed: of those the editor gave no placement, the first heads the
    article (`top`) and the others follow paragraphs spread evenly through the text, so
    the text starts under its headline. Five phone photos of a two-paragraph story all
    went to the top: they filled page 1, its text went to page 2."""
    unplaced = [i for i, p in enumerate(photos) if "placement" not in p.model_fields_set]
    if paragraphs == 0 or len(unplaced) < 2:
        return photos
    placed = list(photos)
    for k, i in enumerate(unplaced[1:], start=1):
        after = max(1, math.ceil(k * paragraphs / len(unplaced)))
        placed[i] = photos[i].model_copy(update={"placement": "inline",
                                                 "after_paragraph": after})
    return placed


def _after(photo: Photo, paragraphs: list[int]) -> int:
    if photo.after_paragraph:
        return min(photo.after_paragraph, max(len(paragraphs), 1))
    return max(1, math.ceil(len(paragraphs) / 2))


def _body_item(block: Block, layout: Layout, font: Metrics | None,
               can_span: bool = False, measure: float | None = None) -> BodyItem:
    """A block for the template; only a story's own tables may span the columns."""
    g = layout.geometry
    table = (table_context(block, g.column_width, layout.spec.tables.size_pt, font, can_span,
                           measure)
             if block.kind == "table" else None)
    return {"kind": block.kind, "spans": block.spans, "entries": block.items,
            "ordered": block.ordered, "figure": None, "marker": None,
            "role": verse_role(block.spans) if block.kind == "paragraph" else "", "anchor": None,
            "gap": 0,
            "nested": [[_body_item(b, layout, font, measure=measure) for b in sub]
                       for sub in block.nested],
            "children": [_body_item(b, layout, font, measure=measure) for b in block.children],
            "table": table}


VERSE_CHARS = 16  # a line of verse (诗行) is at most this long; the column holds 23


def verse_role(spans: list[Span]) -> str:
    """A paragraph whose lines the editor broke by hand (a hard break, text/blocks.py),
    each short, is verse: set centred, line for line (style.css p.verse). Other
    paragraphs with hard breaks (an address block) keep their lines as they are."""
    if not any(span.cls == LINE_BREAK for span in spans):
        return ""
    text = "".join(HARD_BREAK if span.cls == LINE_BREAK else span.text for span in spans)
    lines = [visible(line).strip() for line in text.split(HARD_BREAK)]
    return "verse" if all(len(line) <= VERSE_CHARS for line in lines) else ""


def _figure_item(figure: FigureContext) -> BodyItem:
    return {"kind": "figure", "spans": [], "entries": [], "ordered": False, "figure": figure,
            "marker": None, "role": "", "nested": [], "children": [], "table": None, "anchor": None,
            "gap": 0}


def _with_markers(body: list[BodyItem]) -> list[BodyItem]:
    """Each paragraph a photo follows ends with a marker, so the typeset document
    tells where the text stopped before the photo (the photo guard)."""
    marked: list[BodyItem] = []
    for index, item in enumerate(body):
        following = body[index + 1] if index + 1 < len(body) else None
        figure = following["figure"] if following is not None else None
        marker = f"{figure['anchor']}-after-text" if (
            item["kind"] == "paragraph" and figure is not None) else None
        marked.append({**item, "marker": marker})
    return marked


def headline_keeps(flows: list[list[ArticleContext]]) -> list[tuple[str, str]]:
    """(headline anchor, text anchor) of each flow, for the typesetter's keep guard."""
    return [(flow[0]["anchor"], flow[0]["text_anchor"]) for flow in flows]


def figure_markers(flows: list[list[ArticleContext]]) -> list[tuple[str, str]]:
    """(marker, photo anchor) for each photo that follows a paragraph."""
    return [(item["marker"], body[index + 1]["figure"]["anchor"])  # type: ignore[index]
            for flow in flows for article in flow
            for body in [article["body"]] for index, item in enumerate(body)
            if item["marker"] is not None]


def shift_figures(flows: list[list[ArticleContext]], shifts: dict[str, int]
                  ) -> list[list[ArticleContext]]:
    """The flows with each photo in `shifts` moved that many paragraphs later (at
    most to the article's end): the photo guard's way to fill a hole above it. The
    photos of an article keep their order (a photo story's are told in order): a photo
    moved takes the later photos it would pass along, right after it."""
    if not shifts:
        return flows
    moved: list[list[ArticleContext]] = []
    for flow in flows:
        new_flow: list[ArticleContext] = []
        for article in flow:
            body = list(article["body"])
            # In the article's order: a photo carried along is then moved from where
            # it was carried to, never back before the one that carried it.
            order = [item["figure"]["anchor"] for item in body if item["figure"] is not None]
            for anchor in sorted((a for a in shifts if a in order), key=order.index):
                index = next(i for i, item in enumerate(body) if item["figure"] is not None
                             and item["figure"]["anchor"] == anchor)
                target = index + 1
                for _step in range(shifts[anchor]):
                    later = [i for i in range(target, len(body))
                             if body[i]["kind"] == "paragraph"]
                    target = later[0] + 1 if later else len(body)
                passed = body[index:target]
                group = [item for item in passed if item["figure"] is not None]
                body[index:target] = [item for item in passed if item["figure"] is None] + group
            new_flow.append({**article, "body": _with_markers(body)})
        moved.append(new_flow)
    return moved


_WIDTHS: dict[str, Literal["column", "full", "bleed"]] = {
    "full-width": "full", "full-bleed": "bleed"}


def placed_width(layout: Layout, placement: str) -> float:
    """How wide a photo is printed: a column, the measure, or the page with its bleed."""
    g = layout.geometry
    if placement == "full-bleed":
        return g.page_width + 2 * g.bleed
    return g.measure if placement in ("full-width", "full") else g.column_width


# A photo in a notice (a logo, a portrait, a map) is at most this share of the measure
# high: a square logo a third of the measure wide, as a designer sets one above a notice.
NOTICE_PHOTO_SHARE = 1 / 3


def lines_within(aspect: float, widest: float, line: float) -> int:
    """The most whole lines high a photo shown whole may be and stay within `widest`."""
    return math.floor(widest / aspect / line)


def whole_lines(aspect: float, widest: float, line: float, measure: float) -> int:
    """Lines high a photo in a notice is shown, whole: a third of the measure high
    (`NOTICE_PHOTO_SHARE`) in whole lines, lower where that would be wider than its
    frame (`widest`); at least one line."""
    return max(1, min(round(measure * NOTICE_PHOTO_SHARE / line),
                      lines_within(aspect, widest, line)))


# A caption is set beside an upright photo shown whole when the room beside it takes at
# least this many caption characters a line (a newspaper's narrowest side caption).
BESIDE_CHARS = 6


def shown_whole(figure: FigureContext, lines: int, line: float) -> FigureContext:
    """`figure` (a photo shown whole: it has an `aspect` and the `widest` it may be) with
    `lines` image lines, as the page plan gives them: its width follows its height. An
    upright photo's caption (`caption_pt`) goes beside it when the room beside the
    photo, made as high as image and caption together, takes BESIDE_CHARS characters a
    line and the caption's lines there: the figure keeps its lines (`lines`), whichever
    way it is set, so the page plan's measures hold."""
    aspect, widest = figure["aspect"], figure["widest"]
    caption = figure["caption_lines"]
    changed: FigureContext = {
        **figure, "image_lines": lines, "lines": lines + caption,
        "image_height": f"{lines * line:g}pt", "image_width": f"{lines * line * aspect:g}pt",
        "caption_height": f"{caption * line:g}pt", "beside": False}
    extent, size = figure.get("caption_pt"), figure.get("caption_size")
    if extent is None or size is None:
        del changed["beside"]
        return changed
    high = lines + caption
    room = widest - high * line * aspect - size  # a caption character's gap between them
    if room >= max(BESIDE_CHARS * size, figure.get("caption_least", 0.0)):
        needed = max(1, math.ceil(extent / max(room - size, size)))  # as caption_line_count
        if needed + 1 <= high:  # a line more: the credit, kept whole, may start its own
            changed.update({"image_height": f"{high * line:g}pt",
                            "image_width": f"{high * line * aspect:g}pt",
                            "caption_height": f"{needed * line:g}pt", "beside": True})
    return changed


def _figure(photo: Photo, layout: Layout, info: ImageInfo, caption_metrics: Metrics | None,
            article: int, number: int, frame: float | None = None) -> FigureContext:
    """A photo's figure. In a notice's frame (`frame`: its width) a photo in the text is
    shown whole, centred, at a designer's size (`whole_lines`), not cropped to the
    frame's width: a square logo set as wide as the frame was a 10 cm band."""
    g = layout.geometry
    spec = layout.spec.photos
    full = photo.placement in ("full-width", "full-bleed")
    width = placed_width(layout, photo.placement)
    natural_lines = width / info.aspect / g.line
    most = spec.full_width_max_lines if full else spec.max_lines
    image_lines = max(spec.min_lines, min(most, round(natural_lines)))
    if frame is not None and not full:
        image_lines = whole_lines(info.aspect, frame, g.line, g.measure)
    caption = _clean(photo.caption) or photo.caption
    credit = _clean(photo.credit)
    caption_text = caption + (f"（{credit}）" if credit else "")
    caption_lines = caption_line_count(caption_text, g.measure if full else width,
                                       spec.caption_size_pt, caption_metrics,
                                       layout.spec.type.autospace_em)
    # An upright photo in a column or across the measure is shown whole, as high as a
    # photo across would be there (its box's lines, which the page plan reckons with),
    # narrower than the column: cropped to the column's width it lost up to half its
    # height (a 3:4 one at 11 lines showed 61 %: feet, a notice's lower half).
    upright = info.aspect < 1 and photo.placement != "full-bleed" and frame is None
    figure: FigureContext = {
        "anchor": f"photo-{article + 1}-{number + 1}",
        "article": article,
        "photo": number,
        "src": photo.file,
        "caption": mark_text(caption),
        "credit": keep_together(credit) if credit else None,  # （摄影 …） is not split
        "alt": _clean(photo.alt) or caption,
        "width": _WIDTHS.get(photo.placement, "column"),
        "image_height": f"{image_lines * g.line:g}pt",
        "image_lines": image_lines,
        "caption_lines": caption_lines,
        "caption_height": f"{caption_lines * g.line:g}pt",
        "lines": image_lines + caption_lines,
        "placement": photo.placement,
    }
    if "placement" in photo.model_fields_set:
        figure["placed"] = True
    if frame is not None and not full:
        figure["image_width"] = f"{image_lines * g.line * info.aspect:g}pt"
        figure["aspect"] = info.aspect
        figure["widest"] = frame
        # The page plan keeps it whole and within its frame: at most the frame wide.
        scale = embed_scale(info, frame, frame / info.aspect)
    elif upright:
        figure["aspect"] = info.aspect
        figure["widest"] = g.measure if full else width
        figure["caption_pt"] = caption_extent(caption_text, spec.caption_size_pt,
                                              caption_metrics, layout.spec.type.autospace_em)
        figure["caption_size"] = spec.caption_size_pt
        pieces = [caption_extent(run, spec.caption_size_pt, caption_metrics)
                  for run in re.findall(r"[!-~]+", caption)]
        if credit:  # style.css .credit: 0.9 em
            pieces.append(caption_extent(f"（{credit}）", 0.9 * spec.caption_size_pt,
                                         caption_metrics, layout.spec.type.autospace_em))
        figure["caption_least"] = max(pieces, default=0.0)
        figure = shown_whole(figure, image_lines, g.line)
        # Whole, it is never wider than its column (the measure): that many pixels.
        scale = embed_scale(info, figure["widest"], figure["widest"] / info.aspect)
    else:
        if info.aspect < 1:
            figure["upright"] = True
        # The page plan may give it up to `most` lines: the largest box it may cover.
        scale = embed_scale(info, width, most * g.line)
    if scale < 1:
        figure["embed_scale"] = scale
        figure["print_src"] = f"{photo.file}?{SCALE}={scale:g}"
    return figure


def caption_line_count(text: str, width: float, size: float, font: Metrics | None,
                       autospace_em: float = 0.0) -> int:
    """Lines a caption needs at `width`; conservative (every char 1 em) without metrics.
    With metrics, the Han–Latin gaps (`autospace_em` each) count: a caption of dates,
    amounts and a phone number measured 2 lines without its 11 gaps and printed 3, the
    third cut off by the caption's height."""
    measured = caption_extent(text, size, font, autospace_em)
    # Line breaking loses up to one character per line to kinsoku push-outs.
    lines = math.ceil(measured / max(width - size, size))
    return max(1, lines)


def caption_extent(text: str, size: float, font: Metrics | None, autospace_em: float = 0.0
                   ) -> float:
    """A caption's length set on one line (pt), its Han-Latin gaps counted; every
    character 1 em without metrics."""
    return font.width(text, size) + len(boundaries(text)) * autospace_em * size \
        if font else len(text) * size


COLOPHON_SIZE_PT = 9.0  # the layout's colophon type (style.css: .colophon)


QR_CAPTION_EMS = 12  # style.css: figure.qr figcaption { max-width: 12em }


def colophon_lines(entries: list[tuple[str, str]], note: bool, width: float,
                   font: Metrics | None, qr: QrContext | None = None,
                   caption_size: float = COLOPHON_SIZE_PT, line: float = 0.0) -> int:
    """Grid lines the colophon takes: the line above it, its rule (padding to a
    line), its title, its entries run together, its closing note; beside a QR
    code (floated right, its caption beside it) the text is narrower, and the
    colophon at least as tall as the code."""
    code_lines = 0
    if qr is not None:
        caption = qr["caption"] or ""
        caption_width = min(QR_CAPTION_EMS * caption_size,
                            font.width(caption, caption_size) if font
                            else len(caption) * caption_size)
        # the drawing, 1 em after it, the caption, 1 em of float margin
        width -= qr["lines"] * line + 2 * COLOPHON_SIZE_PT + caption_width
        code_lines = qr["lines"]
    text = "".join(f"{label}：{value}\u3000\u3000" for label, value in entries)
    entry_lines = caption_line_count(text, width, COLOPHON_SIZE_PT, font) if entries else 0
    return 2 + max(1 + entry_lines + (1 if note else 0), code_lines)


# Places between blocks where a short page's room may go, and the lines each may
# take: the page plan's spreads (layout/page_plan.py) and the typesetter's
# vertical justification of a short column (typeset/ext/vertical_justify.py)
# share them. Between paragraphs least: in Chinese setting a paragraph is marked
# by its indent, and a blank line between two reads as a section break (clreq).
GAP_ARTICLES, GAP_BLOCKS, GAP_PARAGRAPHS = 3, 2, 1
# Lines above an article that starts in its predecessor's page (the layout's is 1)
# and under a headline across the page (the layout's is 1): the page plan's means.
SPACE_LEAST, SPACE_MOST = 0, 2
HEADLINE_LEAST, HEADLINE_MOST = 1, 2


@dataclass(frozen=True)
class GapPlaces:
    """Lines at most above an article in a flow it shares, above each of its body
    items and above its foot (0: not a place)."""

    above: int
    items: tuple[int, ...]
    foot: int


def gap_places(article: ArticleContext, index: int) -> GapPlaces:
    """The places of an article at place `index` of its flow. Never right after a
    headline or a subhead: a gap there could end a column, the heading stranded at
    its foot and its text at the top of the next (the gap goes above the subhead);
    except under a notice's headline: a notice is set whole, across the page or
    kept in its column. Nothing inside a box (its tinted frame keeps its text
    together), nor next to a table across the page (it closes the columns)."""
    above = GAP_ARTICLES if index > 0 and article["start"] != "new-column" else 0
    body = article["body"]
    if article["kind"] == "box":
        return GapPlaces(above, (0,) * len(body), 0)
    kept = article["kind"] == "notice"
    items: list[int] = []
    for i, item in enumerate(body):
        before = body[i - 1] if i > 0 else None
        if (before is None and not kept) or (before and before["kind"] == "subhead") or \
                _spans(item) or (before and _spans(before)):
            items.append(0)
        elif before is not None and item["kind"] == "paragraph" and \
                before["kind"] == "paragraph":
            # Not between the items of a list numbered by hand (1．… 2．…, (1)… (2)…,
            # each a paragraph), nor between the line that introduces it (…如下：) and
            # its first item: a blank line there parts what reads as one list.
            items.append(0 if _typed_item(item) and (_typed_item(before) or _introduces(
                before)) else GAP_PARAGRAPHS)
        else:
            items.append(GAP_BLOCKS)
    foot = GAP_BLOCKS if article["qr"] or article["signature"] else 0
    return GapPlaces(above, tuple(items), foot)


def _typed_item(item: BodyItem) -> bool:
    """A paragraph that starts with a number typed by hand (text/blocks.py TYPED_NUMBER)."""
    return item["kind"] == "paragraph" and TYPED_NUMBER.match(
        visible("".join(s.text for s in item.get("spans", [])))) is not None


def _spans(item: BodyItem) -> bool:
    return item["table"] is not None and item["table"]["span"]


def _place(most: int, gap: int) -> str:
    """A place's marker: its group ("p" between paragraphs, filled last) and the
    lines left to it after the page plan's own gap there."""
    left = most - gap
    if left <= 0:
        return ""
    return f"{'p' if most == GAP_PARAGRAPHS else 'b'}{left}"


def justify_places(flows: list[list[ArticleContext]]) -> list[list[ArticleContext]]:
    """The flows with their places marked for the typesetter (`place`, `place_above`,
    `place_foot`), less what the page plan's gaps already put there."""
    marked: list[list[ArticleContext]] = []
    for number, flow in enumerate(flows):
        new_flow: list[ArticleContext] = []
        for index, article in enumerate(flow):
            places = gap_places(article, index)
            body = [{**item, "place": _place(most, item["gap"])}
                    for item, most in zip(article["body"], places.items, strict=True)]
            new_flow.append({**article, "body": body,  # type: ignore[typeddict-item]
                             "place_above": _place(places.above, article["gap_above"]),
                             "place_foot": _place(places.foot, article["gap_foot"])})
        if new_flow:
            # The page plan's spaces of a flow (page_plan.knobs): what it left of them.
            lead = new_flow[0]
            plain = not lead["continued"]
            space = plain and number > 0 and lead["start"] == "continue"
            lead["place_space"] = _place(SPACE_MOST, lead.get("space_lines", 1)) \
                if space else ""
            lead["place_headline"] = _place(HEADLINE_MOST, lead.get("headline_lines", 1)) \
                if plain and lead["headline_span"] else ""
        marked.append(new_flow)
    return marked
