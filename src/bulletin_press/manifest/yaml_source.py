"""Safe YAML loading that remembers where every key and value stood.

PyYAML's safe loader gives plain data; validation errors then need a way back
to the line and column the editor typed. We compose the node tree once, walk it
to build a map from data paths to source marks, and construct the data from
the same tree. The walk also bounds the document's size, which is what stops
alias ("billion laughs") bombs before anything is expanded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bulletin_press.diagnostics import BuildError, Location, error
from bulletin_press.i18n import _

MAX_BYTES = 1024 * 1024
MAX_NODES = 50_000

DataPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Mark:
    line: int  # 1-based
    column: int  # 1-based


@dataclass
class SourceMap:
    """Where each data path's key and value start in the file."""

    path: Path
    keys: dict[DataPath, Mark] = field(default_factory=dict)
    values: dict[DataPath, Mark] = field(default_factory=dict)
    block_scalars: set[DataPath] = field(default_factory=set)  # `|` and `>` values

    def location(self, data_path: DataPath, *, key: bool = False) -> Location:
        """The nearest recorded place for `data_path`, walking up to its parents."""
        table = self.keys if key else self.values
        probe = tuple(data_path)
        while True:
            mark = table.get(probe) or self.values.get(probe)
            if mark is not None:
                return Location(self.path, mark.line, mark.column)
            if not probe:
                return Location(self.path)
            probe = probe[:-1]


def _mark(node: yaml.Node) -> Mark:
    return Mark(node.start_mark.line + 1, node.start_mark.column + 1)


def _walk(node: yaml.Node, here: DataPath, smap: SourceMap, budget: list[int]) -> None:
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooLarge
    smap.values.setdefault(here, _mark(node))
    if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
        smap.block_scalars.add(here)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.tag)
            smap.keys.setdefault((*here, key), _mark(key_node))
            _walk(value_node, (*here, key), smap, budget)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*here, index), smap, budget)


class _TooLarge(Exception):
    pass


def decode_source(raw: bytes, path: Path) -> str:
    """UTF-8 only, with the failing line named; GBK from Windows editors is common."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        hint = "save the file as UTF-8 (in Notepad: 另存为 → 编码 UTF-8)"
        try:
            raw.decode("gb18030")
            hint = ("the file looks like GBK/GB18030 from a Windows editor; " + hint)
        except UnicodeDecodeError:
            pass
        raise BuildError([error(
            "manifest.encoding", "the file is not valid UTF-8 text",
            Location(path, line, column), hint)]) from None
    return text.removeprefix("\ufeff")


# libyaml's parser when PyYAML was built with it (~10x faster, the same nodes and
# marks); the pure-Python one otherwise.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path) -> tuple[Any, SourceMap]:
    """Load one YAML document safely; errors come back as diagnostics."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise BuildError([error(
                "manifest.too-large",
                f"the file is {size // 1024} KiB; the limit is {MAX_BYTES // 1024} KiB",
                Location(path), "move long article texts into body_file: files")])
        raw = path.read_bytes()
    except OSError as exc:
        raise BuildError([error("manifest.unreadable", f"cannot read the file: {exc.strerror}",
                                Location(path))]) from None
    text = decode_source(raw, path)
    smap = SourceMap(path)
    try:
        loader = _LOADER(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None, smap
            _walk(node, (), smap, [MAX_NODES])
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except _TooLarge:
        raise BuildError([error(
            "manifest.too-complex",
            f"the document expands to more than {MAX_NODES} values",
            Location(path),
            "anchors and aliases (&name / *name) are expanded; avoid nesting them")]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
        problem = exc.problem or exc.context or "invalid YAML"
        raise BuildError([error(
            "manifest.syntax", f"YAML syntax error: {problem}", loc,
            "check indentation and that text containing ': ' or '#' is quoted")]) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        position = min(max(int(exc.position), 0), len(text))
        line = text.count("\n", 0, position) + 1
        column = position - (text.rfind("\n", 0, position) + 1) + 1
        char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[0])
        raise BuildError([error(
            "manifest.syntax",
            _("the file contains the control character U+{code:04X}, which YAML does not "
              "allow").format(code=char), Location(path, line, column),
            _("delete it (it was probably pasted in with the text)"))]) from None
    except yaml.YAMLError as exc:
        raise BuildError([error("manifest.syntax", f"YAML error: {exc}",
                                Location(path))]) from None
    return data, smap
