"""Stage 2: article bodies (Markdown as editors paste it) → plain block data.

Understood: paragraphs, # subheads, bullet/numbered lists (nested), **bold** /
*emphasis*, pipe tables (markdown-it's table rule), > quotes, links (printed
as their text and the address in full-width brackets, never as Markdown) and
--- rules. What a printed page cannot show — an image in the text, raw HTML, a
footnote, a code block, a link to anything but a web or mail address — is
parsed too, so that it can be reported with its line and column instead of
printing as characters (`Parsed.problems`); it never reaches a block.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from bulletin_press.i18n import _

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

LinkStyle = Literal["address", "text"]
Align = Literal["left", "center", "right"]


@functools.cache
def _parser() -> MarkdownIt:
    # Made when first needed: the typesetter's workers import this module for
    # its types and never parse.
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    from bulletin_press.text import cjk_emphasis

    md = MarkdownIt("zero", {"html": True}).enable(
        ["heading", "list", "emphasis", "escape", "newline", "table", "blockquote", "link",
         "autolink", "hr", "image", "html_block", "html_inline", "fence"]).use(
        # Only the [^1] footnotes editors paste from Word or web pages; "^[" in text
        # (a pasted formula) stays text.
        footnote_plugin, inline=False)
    # Every address is let through so that an unprintable one (javascript:, a
    # relative file) is reported, rather than left as literal "[text](…)".
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    cjk_emphasis.use(md)
    return md


@dataclass(frozen=True)
class Span:
    """A stretch of text with one set of styles; `cls` marks typographic spans."""

    text: str
    strong: bool = False
    em: bool = False
    cls: str = ""


# The class of the printed address after a link's text: it may break anywhere.
LINK_ADDRESS = "link-address"
# A table cell typed as one of these alone is merged with the cell above it (`^^`, as
# markdown-it-multimd-table writes a row span) or with the cell to its left (`<<`; an
# empty cell, multimd's column span, is a cell left empty in our tables).
MERGE_MARKS = ("^^", "<<")
# A hard line break the editor typed (two spaces or a backslash at a line's end): the
# line ends there in print (a poem's lines, an address block). LINE SEPARATOR, which
# no normalisation rule joins, in a span of its own that the layout writes as <br>.
LINE_BREAK, HARD_BREAK = "bp-br", "\u2028"


@dataclass
class Cell:
    """One table cell: its text, whether it is a header cell, and its alignment."""

    spans: list[Span]
    header: bool = False
    align: Align | None = None
    # A merged cell (`^^` merged with the cell above, `<<` with the cell to its left,
    # in the body file): the first cell spans `rows` × `columns`; the others are
    # `covered` (kept in the grid, so that each row has all its columns, not printed).
    rows: int = 1
    columns: int = 1
    covered: bool = False


@dataclass
class Block:
    kind: Literal["paragraph", "subhead", "list", "table", "quote", "rule"]
    spans: list[Span] = field(default_factory=list)
    items: list[list[Span]] = field(default_factory=list)  # for lists: each item's text
    ordered: bool = False
    source_line: int | None = None  # 1-based line within the body text
    # A list item's further blocks (a nested list), parallel to `items`.
    nested: list[list[Block]] = field(default_factory=list)
    children: list[Block] = field(default_factory=list)  # a quote's blocks
    rows: list[list[Cell]] = field(default_factory=list)  # a table's rows, header first

    def map_spans(self, change: Callable[[list[Span]], list[Span]]) -> Block:
        """The same block with `change` applied to every piece of text it holds."""
        return Block(
            self.kind, change(self.spans), [change(item) for item in self.items],
            self.ordered, self.source_line,
            [[b.map_spans(change) for b in sub] for sub in self.nested],
            [b.map_spans(change) for b in self.children],
            [[Cell(change(c.spans), c.header, c.align, c.rows, c.columns, c.covered)
              for c in row] for row in self.rows])

    def texts(self) -> Iterator[list[Span]]:
        """Every piece of text in reading order."""
        yield self.spans
        for index, item in enumerate(self.items):
            yield item
            if index < len(self.nested):
                for block in self.nested[index]:
                    yield from block.texts()
        for block in self.children:
            yield from block.texts()
        for row in self.rows:
            for cell in row:
                yield cell.spans

    def plain_text(self) -> str:
        return "".join(span.text for spans in self.texts() for span in spans)


@dataclass(frozen=True)
class Unsupported:
    """Markdown the layout cannot show, where it stands in the body (1-based)."""

    line: int
    column: int
    code: str
    message: str
    hint: str


@dataclass
class Parsed:
    blocks: list[Block]
    problems: list[Unsupported]


def parse_body(markdown: str, links: LinkStyle = "address") -> list[Block]:
    return parse_markdown(markdown, links).blocks


# The line ends markdown-it counts (str.splitlines also counts U+2028, U+0085, …).
_LINE_ENDS = re.compile(r"\r\n?|\n")


def parse_markdown(markdown: str, links: LinkStyle = "address") -> Parsed:
    tokens = _parser().parse(markdown)
    reader = _Reader(tokens, _LINE_ENDS.split(markdown), links)
    blocks = reader.blocks(None)
    return Parsed(blocks, [*reader.problems, *_leftovers(_flat(blocks), reader.lines)])


def _flat(blocks: list[Block]) -> Iterator[Block]:
    """Blocks with text of their own, nested ones included (each text once)."""
    for block in blocks:
        yield Block(block.kind, block.spans, block.items, source_line=block.source_line,
                    rows=block.rows)
        for sub in [*block.children, *(b for item in block.nested for b in item)]:
            yield from _flat([sub])


def _kept(block: Block) -> bool:
    return block.kind in ("rule", "table", "quote") or bool(block.plain_text().strip())


class _Reader:
    """Walks markdown-it's token stream once, nesting blocks as the tokens do."""

    def __init__(self, tokens: Sequence[Token], lines: list[str], links: LinkStyle) -> None:
        self.tokens = tokens
        self.lines = lines
        self.links = links
        self.at = 0
        self.problems: list[Unsupported] = []
        self.row_lines: list[int] = []  # the table being read: each row's line

    def blocks(self, until: str | None) -> list[Block]:
        found: list[Block] = []
        while self.at < len(self.tokens):
            token = self.tokens[self.at]
            self.at += 1
            if token.type == until:
                break
            block = self._block(token)
            if block is not None and _kept(block):
                found += typed_items(block)
        return found

    def _line(self, token: Token) -> int | None:
        return token.map[0] + 1 if token.map else None

    def _block(self, token: Token) -> Block | None:
        kind, line = token.type, self._line(token)
        if kind == "paragraph_open":
            return Block("paragraph", self._inline_until("paragraph_close"), source_line=line)
        if kind == "heading_open":
            return Block("subhead", self._inline_until("heading_close"), source_line=line)
        if kind in ("bullet_list_open", "ordered_list_open"):
            return self._list(kind == "ordered_list_open", kind.replace("open", "close"), line)
        if kind == "blockquote_open":
            return Block("quote", children=self.blocks("blockquote_close"), source_line=line)
        if kind == "table_open":
            rows, marks = self._rows()
            self._merge(rows, marks)
            return Block("table", rows=rows, source_line=line)
        if kind == "hr":
            return Block("rule", source_line=line)
        if kind == "html_block":
            self._report(token, "markup.html", _("raw HTML cannot be printed"),
                         _("write the text without HTML tags; use **bold** for emphasis"))
        elif kind in ("fence", "code_block"):
            self._report(token, "markup.code", _("a code block (```) cannot be printed"),
                         _("remove the ``` lines around the text"))
        elif kind == "footnote_block_open":
            self.blocks("footnote_block_close")  # reported at each reference
        return None

    def _report(self, token: Token, code: str, message: str, hint: str) -> None:
        line = self._line(token) or 1
        text = self.lines[line - 1] if line <= len(self.lines) else ""
        column = len(text) - len(text.lstrip()) + 1
        self.problems.append(Unsupported(line, column, code, message, hint))

    def _list(self, ordered: bool, close: str, line: int | None) -> Block:
        block = Block("list", ordered=ordered, source_line=line)
        while self.at < len(self.tokens):
            token = self.tokens[self.at]
            self.at += 1
            if token.type == close:
                break
            if token.type != "list_item_open":
                continue
            inside = self.blocks("list_item_close")
            first = inside[0] if inside and inside[0].kind == "paragraph" else None
            block.items.append(first.spans if first else [])
            block.nested.append(inside[1:] if first else inside)
        return block

    def _rows(self) -> tuple[list[list[Cell]], list[list[str]]]:
        """The rows, and each cell's merge mark as typed (`^^`, `<<` or "")."""
        rows: list[list[Cell]] = []
        marks: list[list[str]] = []
        self.row_lines = []
        while self.at < len(self.tokens):
            token = self.tokens[self.at]
            self.at += 1
            if token.type == "table_close":
                break
            if token.type == "tr_open":
                rows.append([])
                marks.append([])
                self.row_lines.append(self._line(token) or 1)
            elif token.type in ("th_open", "td_open"):
                style = str(token.attrs.get("style", ""))
                align = style.removeprefix("text-align:") or None
                close = token.type.replace("open", "close")
                inline = self.tokens[self.at] if self.at < len(self.tokens) else None
                typed = inline.content.strip() if inline and inline.type == "inline" else ""
                marks[-1].append(typed if typed in MERGE_MARKS else "")
                rows[-1].append(Cell(self._inline_until(close), token.type == "th_open",
                                     align if align in ("left", "center", "right")
                                     else None))  # type: ignore[arg-type]
        return rows, marks

    def _merge(self, rows: list[list[Cell]], marks: list[list[str]]) -> None:
        """Cells typed `^^` join the cell above them, `<<` the cell to their left (as
        Word's merged cells): the first cell of each merge spans them, the others are
        covered. A mark that leaves no rectangle (`^^` in the header row or under a
        header cell, `<<` in the first column, a merge of merges of different widths)
        is reported and printed as typed."""
        owner: dict[tuple[int, int], tuple[int, int]] = {}  # cell → the merge's first
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                mark = marks[r][c]
                if (r, c) in owner:  # covered by a `^^` merge of the row's cells to its left
                    continue
                first = self._merged_into(rows, marks, owner, r, c, mark)
                if first is None:
                    owner[(r, c)] = (r, c)
                    continue
                head = rows[first[0]][first[1]]
                if mark == "^^":
                    head.rows += 1
                    for k in range(c, c + head.columns):
                        owner[(r, k)] = first
                        rows[r][k].covered, rows[r][k].spans = True, []
                else:
                    head.columns += 1
                    owner[(r, c)] = first
                    cell.covered, cell.spans = True, []

    def _cell_column(self, line: int, index: int) -> int:
        """The 1-based column where the table row's cell `index` is typed."""
        text = self.lines[line - 1] if line <= len(self.lines) else ""
        bars = [m.start() for m in re.finditer(r"(?<!\\)\|", text)]
        if not bars or text[:bars[0]].strip():
            bars = [-1, *bars]  # a row typed without its leading bar
        start = bars[index] + 1 if index < len(bars) else 0
        return start + len(text[start:]) - len(text[start:].lstrip()) + 1

    def _merged_into(self, rows: list[list[Cell]], marks: list[list[str]],
                     owner: dict[tuple[int, int], tuple[int, int]], r: int, c: int,
                     mark: str) -> tuple[int, int] | None:
        """The first cell of the merge that the cell at (r, c) joins; None when it is
        not marked or its mark makes no rectangle (reported)."""
        if not mark:
            return None
        first: tuple[int, int] | None = None
        if mark == "^^" and r > 0 and c < len(rows[r - 1]) and not rows[r][c].header:
            first = owner.get((r - 1, c))
            if first is not None:
                head = rows[first[0]][first[1]]
                bottom = first[0] + head.rows == r and first[1] == c and not head.header
                under = range(c, c + head.columns)
                if not bottom or any(k >= len(rows[r]) or not marks[r][k] or (r, k) in owner
                                     for k in under):
                    first = None
        elif mark == "<<" and c > 0:
            first = owner.get((r, c - 1))
            if first is not None:
                head = rows[first[0]][first[1]]
                if first[0] != r or first[1] + head.columns != c:
                    first = None
        if first is None:
            line = self.row_lines[r] if r < len(self.row_lines) else 1
            self.problems.append(Unsupported(
                line, self._cell_column(line, c), "markup.table-merge",
                (_("a table cell is marked {mark} but has no cell above it to merge with")
                 if mark == "^^" else
                 _("a table cell is marked {mark} but has no cell to its left to merge "
                   "with")).format(mark=mark),
                _("{up} joins the cell above it in the same column (not in the header row), "
                  "{left} the cell to its left in the same row; a merged block must be a "
                  "rectangle").format(up="^^", left="<<")))
        return first

    def _inline_until(self, close: str) -> list[Span]:
        spans: list[Span] = []
        while self.at < len(self.tokens):
            token = self.tokens[self.at]
            self.at += 1
            if token.type == close:
                break
            if token.type == "inline":
                spans += self._spans(token)
        return merge_spans(spans)

    def _spans(self, inline: Token) -> list[Span]:
        spans: list[Span] = []
        strong = em = False
        link: str | None = None
        link_text: list[Span] = []
        finder = _Finder(self.lines, self._line(inline) or 1)
        for child in inline.children or []:
            kind = child.type
            target = link_text if link is not None else spans
            if kind == "strong_open":
                strong = True
            elif kind == "strong_close":
                strong = False
            elif kind == "em_open":
                em = True
            elif kind == "em_close":
                em = False
            elif kind == "hardbreak":
                target.append(Span(HARD_BREAK, strong, em, LINE_BREAK))
            elif kind == "softbreak":
                target.append(Span("\n", strong, em))
            elif kind == "link_open":
                link, link_text = str(child.attrs.get("href", "")), []
                line, column = finder.find("<" if child.markup == "autolink" else "[")
                if not printable_address(link):
                    self.problems.append(Unsupported(
                        line, column, "markup.link",
                        _("the link address '{address}' cannot be printed").format(
                            address=link[:60]),
                        _("link to a web address (https://…) or an e-mail address, or "
                          "write the text alone")))
            elif kind == "link_close" and link is not None:
                spans += link_text + self._address(link, link_text, strong, em)
                link = None
            elif kind == "image":
                line, column = finder.find("![")
                self.problems.append(Unsupported(
                    line, column, "markup.image", _("a picture inside the text cannot be "
                                                    "printed here"),
                    _("add the picture to the article's photos: with a caption, "
                      "placement: inline and after_paragraph:")))
            elif kind == "html_inline" and not child.content.startswith("</"):
                line, column = finder.find(child.content)
                self.problems.append(Unsupported(
                    line, column, "markup.html",
                    _("raw HTML '{tag}' cannot be printed").format(tag=child.content[:30]),
                    _("write the text without HTML tags; use **bold** for emphasis")))
            elif kind == "footnote_ref":
                line, column = finder.find("[^")
                self.problems.append(Unsupported(
                    line, column, "markup.footnote", _("footnotes are not printed"),
                    _("put the note in brackets after the sentence, e.g. （注：……）")))
            elif child.content:
                # A LINE SEPARATOR typed in the text (Word's Shift+Enter, pasted) is a
                # line break, as the editor sees it; alone it has no glyph to print.
                for index, part in enumerate(child.content.split(HARD_BREAK)):
                    if index:
                        target.append(Span(HARD_BREAK, strong, em, LINE_BREAK))
                    if part:
                        target.append(Span(part, strong, em))
        return spans

    def _address(self, href: str, text: list[Span], strong: bool, em: bool) -> list[Span]:
        shown = "".join(s.text for s in text).strip()
        if not printable_address(href):
            return []  # reported; the text alone stands
        address = printed_address(href)
        if self.links == "text" or not address or shown in (href, address) or not shown:
            return [] if shown else [Span(address or href, strong, em, LINK_ADDRESS)]
        return [Span("（", strong, em), Span(address, strong, em, LINK_ADDRESS),
                Span("）", strong, em)]


_SCHEMES = ("https://", "http://", "mailto:", "tel:")


def printable_address(href: str) -> bool:
    """A web, mail or phone address a reader can type; nothing else is printed."""
    lowered = href.lower()
    return lowered.startswith(_SCHEMES) or lowered.startswith("www.")


def printed_address(href: str) -> str:
    """The address as printed: no scheme, no trailing slash, %-escapes undone."""
    from urllib.parse import unquote

    text = unquote(href)
    lowered = text.lower()
    for scheme in _SCHEMES:
        if lowered.startswith(scheme):
            text = text[len(scheme):]
            break
    return text.rstrip("/")


class _Finder:
    """Finds successive markup in the source from a starting line (inline tokens carry
    no columns)."""

    def __init__(self, lines: list[str], line: int) -> None:
        self.lines, self.line, self.column = lines, line, 0

    def find(self, *needles: str) -> tuple[int, int]:
        for number in range(self.line, len(self.lines) + 1):
            text = self.lines[number - 1]
            start = self.column if number == self.line else 0
            hits = [i for i in (text.find(n, start) for n in needles if n) if i >= 0]
            if hits:
                self.line, self.column = number, min(hits) + 1
                return number, min(hits) + 1
        return self.line, self.column + 1

    def unescaped(self, needle: str) -> tuple[int, int] | None:
        """Where `needle` is first typed without a backslash before it, if anywhere."""
        for number in range(self.line, len(self.lines) + 1):
            text = self.lines[number - 1]
            at = text.find(needle)
            while at >= 0:
                if not text[:at].endswith("\\"):
                    return number, at + 1
                at = text.find(needle, at + 1)
        return None


def _leftover_hint(mark: str) -> str:
    if mark == "|":
        return _("a table needs a line like | --- | --- | under its header row, each row "
                 "on a line of its own")
    if mark == "｜":
        return _("a table is typed with the half-width | (a Chinese keyboard types ｜), "
                 "with a line like | --- | --- | under its header row")
    if mark == "**":
        return _("bold needs ** on both sides of the words, e.g. **停水时间**")
    return _("write a link as [text](https://address), with no spaces in the address")


def _leftovers(blocks: Iterator[Block], lines: list[str]) -> Iterator[Unsupported]:
    """Markdown-looking characters still in the text after parsing: markup that was
    typed but not understood, which would otherwise print as it is. Each kind is
    reported once a block, where it is first typed."""
    for block in blocks:
        found: list[str] = []
        for spans in block.texts():
            text = "".join(s.text for s in spans if s.cls != LINK_ADDRESS)
            for line in text.split("\n"):
                stripped = line.strip()
                found += ["**"] if "**" in stripped else []
                found += ["]("] if "[" in stripped[:max(stripped.find("]("), 0)] else []
                found += [pipe for pipe in ("|", "｜") if len(stripped) > 1
                          and stripped[0] == stripped[-1] == pipe]
        for mark in dict.fromkeys(found):
            typed = _Finder(lines, block.source_line or 1).unescaped(mark)
            if typed is None:
                continue  # typed as \| or \*\*: the editor (or `import`) wants the characters
            number, column = typed
            yield Unsupported(number, column, "markup.leftover",
                              _("'{mark}' would print as it is: the Markdown around it is "
                                "not complete").format(mark=mark), _leftover_hint(mark))


# A number typed by hand before an item of a list: 1．, 2、, 3. (not 3.5), (1), （2）, ①.
TYPED_NUMBER = re.compile(r"[ \t\u3000]*(?:\d{1,2}[．.、](?!\d)|[（(]\d{1,2}[）)]|[①-⑳])")


def typed_items(block: Block) -> list[Block]:
    """A paragraph whose lines start with a number typed by hand (1、报名时间… /
    2、报名地点…, no blank line between them; after a line that introduces them,
    排练安排： / (1)… / (2)…) cut before each such line: they are the items of a list,
    which ran together into one paragraph (…3月15日。2、报名地点…). Two such lines at
    least, or the first line one: a line wrapped by hand before 3、4两页 stays."""
    if block.kind != "paragraph":
        return [block]
    chars = [(char, span) for span in block.spans for char in span.text]
    text = "".join(char for char, _span in chars)
    if "\n" not in text:
        return [block]
    starts = [0] + [i + 1 for i, char in enumerate(text)
                    if char == "\n" and TYPED_NUMBER.match(text, i + 1)]
    if len(starts) == 1 or (len(starts) == 2 and not TYPED_NUMBER.match(text)):
        return [block]
    parts: list[Block] = []
    for start, end in zip(starts, [*starts[1:], len(text) + 1], strict=True):
        line = (block.source_line or 1) + text.count("\n", 0, start)
        spans = merge_spans([Span(char, span.strong, span.em, span.cls)
                             for char, span in chars[start:end - 1]])
        parts.append(Block("paragraph", spans, source_line=line if block.source_line else None))
    return parts


def merge_spans(spans: list[Span]) -> list[Span]:
    """Join neighbours with the same style so later stages see whole words (an empty
    span joins nothing). The stages hand in one span per character: each run is
    joined once, not grown a character at a time."""
    merged: list[Span] = []
    run: list[str] = []
    first = Span("")  # the run's first span: its style
    for span in spans:
        if not span.text:
            continue
        if run and (span.strong, span.em, span.cls) != (first.strong, first.em, first.cls):
            merged.append(Span("".join(run), first.strong, first.em, first.cls))
            run = []
        if not run:
            first = span
        run.append(span.text)
    if run:
        merged.append(Span("".join(run), first.strong, first.em, first.cls))
    return merged



