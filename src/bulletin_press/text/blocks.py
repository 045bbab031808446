"""Stage 2: article bodies (a Markdown subset) → plain block data.

Only paragraphs, ### subheads, bullet/numbered lists and **bold** / *emphasis*
are understood. Raw HTML, links and images are not rules of the parser, so
they stay literal text and are escaped by the template like any other text.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from markdown_it import MarkdownIt


@functools.cache
def _parser() -> MarkdownIt:
    # Made when first needed: the typesetter's workers import this module for
    # its types and never parse.
    from markdown_it import MarkdownIt

    return MarkdownIt("zero", {"html": False}).enable(
        ["heading", "list", "emphasis", "escape", "newline"])


@dataclass(frozen=True)
class Span:
    """A stretch of text with one set of styles; `cls` marks typographic spans."""

    text: str
    strong: bool = False
    em: bool = False
    cls: str = ""


@dataclass
class Block:
    kind: Literal["paragraph", "subhead", "list"]
    spans: list[Span] = field(default_factory=list)
    items: list[list[Span]] = field(default_factory=list)  # for lists
    ordered: bool = False
    source_line: int | None = None  # 1-based line within the body text

    def map_spans(self, change: Callable[[list[Span]], list[Span]]) -> Block:
        """The same block with `change` applied to its spans and to each list item's."""
        return Block(self.kind, change(self.spans), [change(item) for item in self.items],
                     self.ordered, self.source_line)

    def plain_text(self) -> str:
        parts = [self.spans] if self.kind != "list" else self.items
        return "".join(span.text for spans in parts for span in spans)


def parse_body(markdown: str) -> list[Block]:
    tokens = _parser().parse(markdown)
    blocks: list[Block] = []
    current_list: Block | None = None
    pending: Block | None = None
    for token in tokens:
        line = token.map[0] + 1 if token.map else None
        if token.type in ("bullet_list_open", "ordered_list_open"):
            current_list = Block("list", ordered=token.type == "ordered_list_open",
                                 source_line=line)
        elif token.type in ("bullet_list_close", "ordered_list_close") and current_list:
            blocks.append(current_list)
            current_list = None
        elif token.type == "paragraph_open" and current_list is None:
            pending = Block("paragraph", source_line=line)
        elif token.type == "heading_open":
            pending = Block("subhead", source_line=line)
        elif token.type == "inline":
            spans = _spans(token.children or [])
            if current_list is not None and pending is None:
                current_list.items.append(spans)
            elif pending is not None:
                pending.spans = spans
                blocks.append(pending)
                pending = None
    return [b for b in blocks if b.plain_text().strip()]


def _spans(children: list) -> list[Span]:  # type: ignore[type-arg]
    spans: list[Span] = []
    strong = em = False
    for child in children:
        kind = child.type
        if kind == "strong_open":
            strong = True
        elif kind == "strong_close":
            strong = False
        elif kind == "em_open":
            em = True
        elif kind == "em_close":
            em = False
        elif kind in ("softbreak", "hardbreak"):
            spans.append(Span("\n", strong, em))
        elif child.content:
            spans.append(Span(child.content, strong, em))
    return merge_spans(spans)


def merge_spans(spans: list[Span]) -> list[Span]:
    """Join neighbours with the same style so later stages see whole words."""
    merged: list[Span] = []
    for span in spans:
        if merged and (merged[-1].strong, merged[-1].em, merged[-1].cls) == (
                span.strong, span.em, span.cls):
            last = merged.pop()
            span = Span(last.text + span.text, span.strong, span.em, span.cls)
        if span.text:
            merged.append(span)
    return merged
