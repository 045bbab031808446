"""Articles appended to `issue.yaml` by editing its text: every comment, blank line,
quote and flow mapping the editor wrote stays where it was. The result is read back
and must hold exactly the old data plus the new articles."""

from __future__ import annotations

from typing import Any

import yaml

from bulletin_press.diagnostics import BuildError, Location, error
from bulletin_press.i18n import _


class _BlockDumper(yaml.SafeDumper):
    """Nested lists indented under their key, as the sample manifests are written."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def item_text(item: dict[str, Any], indent: int) -> str:
    dumped = yaml.dump([item], Dumper=_BlockDumper, allow_unicode=True, sort_keys=False,
                       default_flow_style=False, width=10_000)
    return "".join(" " * indent + line if line.strip() else line
                   for line in dumped.splitlines(keepends=True))


def append_articles(text: str, items: list[dict[str, Any]], where: Location) -> str:
    """`text` (a manifest) with `items` added at the end of its `articles:` list."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(root, yaml.MappingNode):
        raise BuildError([error("import.manifest", _("issue.yaml is not a mapping of fields"),
                                where)])
    articles = next((value for key, value in root.value
                     if isinstance(key, yaml.ScalarNode) and key.value == "articles"), None)
    empty = (isinstance(articles, yaml.SequenceNode) and not articles.value) or (
        isinstance(articles, yaml.ScalarNode) and articles.tag.endswith(":null"))
    if isinstance(articles, yaml.SequenceNode) and articles.value and not articles.flow_style:
        first = articles.value[0].start_mark
        line_start = text.rfind("\n", 0, first.index) + 1
        indent = text.index("-", line_start) - line_start
        at = _line_end(text, _last_leaf(articles).end_mark.index)
        gap = "\n" if _blank_line_between(text, articles) else ""
        added = "".join(gap + item_text(item, indent) for item in items)
        if gap and text[:at].endswith("\n\n"):
            added = added[1:]
        if at == len(text) and not text.endswith("\n"):
            added = "\n" + added
        new = text[:at] + added + text[at:]
    elif articles is None or empty:
        added = "".join(item_text(item, 2) for item in items)
        if articles is None:
            new = text + ("" if text.endswith("\n") or not text else "\n") + "articles:\n" + added
        else:  # `articles: []` or an empty key
            start, end = articles.start_mark.index, articles.end_mark.index
            after = _line_end(text, end)
            rest_of_line = text[end:after] if text[end:after].strip() else "\n"
            new = text[:start].rstrip(" ") + rest_of_line + added + text[after:]
    else:
        raise BuildError([error(
            "import.manifest", _("'articles' in issue.yaml is not a list the import can add to"),
            where, _("write the articles as a list of '- id: …' entries"))])
    _verify(text, new, items, where)
    return new


def _blank_line_between(text: str, articles: yaml.SequenceNode) -> bool:
    """Whether the editor separates articles by a blank line."""
    if len(articles.value) < 2:
        return False
    second = articles.value[1].start_mark.index
    return text[:text.rfind("\n", 0, second) + 1].endswith("\n\n")


def _last_leaf(node: yaml.Node) -> yaml.Node:
    while isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.value:
        node = node.value[-1][1] if isinstance(node, yaml.MappingNode) else node.value[-1]
    return node


def _line_end(text: str, index: int) -> int:
    if index > 0 and text[index - 1] == "\n":
        return index
    newline = text.find("\n", index)
    return len(text) if newline < 0 else newline + 1


def _verify(old: str, new: str, items: list[dict[str, Any]], where: Location) -> None:
    before = yaml.safe_load(old) or {}
    after = yaml.safe_load(new)
    expected = {**before, "articles": [*(before.get("articles") or []), *items]}
    if after != expected:  # never write a manifest that says something else
        raise BuildError([error("import.manifest", _("could not add the articles to "
                                                     "issue.yaml without changing it"),
                                where, _("add them by hand; the notes list what was read"))])
