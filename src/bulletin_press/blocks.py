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
class Run:
    """A stretch of text with one set of styles; `cls` marks typographic spans."""

    text: str
    strong: bool = False
    em: bool = False
    cls: str = ""


@dataclass
class Block:
    kind: Literal["paragraph", "subhead", "list"]
    runs: list[Run] = field(default_factory=list)
    items: list[list[Run]] = field(default_factory=list)  # for lists
    ordered: bool = False
    source_line: int | None = None  # 1-based line within the body text

    def map_runs(self, change: Callable[[list[Run]], list[Run]]) -> Block:
        """The same block with `change` applied to its runs and to each list item's."""
        return Block(self.kind, change(self.runs), [change(item) for item in self.items],
                     self.ordered, self.source_line)

    def plain_text(self) -> str:
        parts = [self.runs] if self.kind != "list" else self.items
        return "".join(run.text for runs in parts for run in runs)


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
            runs = _runs(token.children or [])
            if current_list is not None and pending is None:
                current_list.items.append(runs)
            elif pending is not None:
                pending.runs = runs
                blocks.append(pending)
                pending = None
    return [b for b in blocks if b.plain_text().strip()]


def _runs(children: list) -> list[Run]:  # type: ignore[type-arg]
    runs: list[Run] = []
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
            runs.append(Run("\n", strong, em))
        elif child.content:
            runs.append(Run(child.content, strong, em))
    return merge_runs(runs)


def merge_runs(runs: list[Run]) -> list[Run]:
    """Join neighbours with the same style so later stages see whole words."""
    merged: list[Run] = []
    for run in runs:
        if merged and (merged[-1].strong, merged[-1].em, merged[-1].cls) == (
                run.strong, run.em, run.cls):
            last = merged.pop()
            run = Run(last.text + run.text, run.strong, run.em, run.cls)
        if run.text:
            merged.append(run)
    return merged
