"""Plain text written as the Markdown of an article body: escaped so it prints as
typed, tables as pipe tables, lists as `-` / `1.` items."""

from __future__ import annotations

import re

# Inline marks the body parser would read as markup (emphasis, code, table cells,
# raw HTML); escaped with a backslash.
_INLINE = re.compile(r"([\\*_`|<~&])")
_LINK = re.compile(r"\[([^\]]*)\]\(")
# A `](` left after that (`[]](`: a bracket inside the brackets) the parser takes for
# a broken link: its bracket escaped too.
_LINK_END = re.compile(r"(?<!\\)\]\(")
# What starts a block if it stands at the head of a line: #, >, -, +, =, 1. / 1), and a
# rule (---, ***; the * and _ are escaped above already).
_BLOCK_START = re.compile(r"^(\s*)(#|>|=|[-+](?=\s|-|$))", re.MULTILINE)
_NUMBERED = re.compile(r"^(\s*\d+)([.)](?:\s|$))", re.MULTILINE)


def escape(text: str) -> str:
    """Text that the body parser reads back as exactly this text."""
    text = _INLINE.sub(r"\\\1", text)
    text = _LINK.sub(r"\\[\1\\](", text)
    text = _LINK_END.sub(r"\\](", text)
    text = _NUMBERED.sub(r"\1\\\2", text)
    return _BLOCK_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


class Merged(str):
    """A cell merged with the one above it (`Merged.UP`, written ^^) or to its left
    (`Merged.LEFT`, <<): written as the mark, not as text."""

    UP: Merged
    LEFT: Merged


Merged.UP, Merged.LEFT = Merged("^^"), Merged("<<")


def pipe_table(rows: list[list[str]]) -> str:
    """A pipe table, the first row as its header; short rows padded with empty cells."""
    width = max(len(row) for row in rows)
    cells = [[c if isinstance(c, Merged) else _cell(c) for c in row] + [""] * (width - len(row))
             for row in rows]
    lines = ["| " + " | ".join(cells[0]) + " |",
             "| " + " | ".join(["---"] * width) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in cells[1:]]
    return "\n".join(lines)


def _cell(text: str) -> str:
    text = escape(" ".join(text.split()))
    # A cell that reads ^^ is text, not the mark of a merged cell (<< is escaped above).
    return "\\" + text if text == "^^" else text


def list_block(items: list[tuple[int, bool, str]]) -> str:
    """(depth, ordered, Markdown text) items as one list; nested items are indented
    under their parent's text, numbered from 1 at each level."""
    lines: list[str] = []
    numbers: dict[int, int] = {}
    indents: dict[int, int] = {0: 0}
    for depth, ordered, text in items:
        numbers = {d: n for d, n in numbers.items() if d <= depth}
        numbers[depth] = numbers.get(depth, 0) + 1
        marker = f"{numbers[depth]}." if ordered else "-"
        indent = indents.get(depth, 0)
        indents = {d: i for d, i in indents.items() if d <= depth}
        indents[depth + 1] = indent + len(marker) + 1
        lines.append(f"{' ' * indent}{marker} {text}")
    return "\n".join(lines)


_NOT_PARAGRAPH = re.compile(r"^(?:#|\||[-+*]\s|\d+[.)]\s|>)")


def is_paragraph(block: str) -> bool:
    """A block the layout counts as a paragraph (for a photo's `after_paragraph`): not
    a subhead, list or table; a paragraph's own leading marks are escaped."""
    return not _NOT_PARAGRAPH.match(block)


def paragraph_count(blocks: list[str]) -> int:
    """Blocks the layout counts as paragraphs (for a photo's `after_paragraph`)."""
    return sum(1 for block in blocks if is_paragraph(block))
