"""Safe YAML loading that remembers where every key and value stood.

PyYAML's safe loader gives plain data; validation errors then need a way back
to the line and column the editor typed. We compose the node tree once, walk it
to build a map from data paths to source marks, and construct the data from
the same tree. The walk also bounds the document's size, which is what stops
alias ("billion laughs") bombs before anything is expanded.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bulletin_press.diagnostics import BuildError, Diagnostic, Location, error
from bulletin_press.i18n import N_, _

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
    # Found in the text before parsing (a Chinese keyboard's full-width characters …)
    # when the parser still made sense of it.
    early: list[Diagnostic] = field(default_factory=list)

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
        seen: dict[str, Mark] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.tag)
            if key in seen and key != "<<":
                smap.early.append(_twice(key, seen[key], _mark(key_node), smap.path))
            seen.setdefault(key, _mark(key_node))
            smap.keys.setdefault((*here, key), _mark(key_node))
            _walk(value_node, (*here, key), smap, budget)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*here, index), smap, budget)


def _twice(key: str, first: Mark, second: Mark, path: Path) -> Diagnostic:
    """A field written twice in one place: YAML keeps the second and drops the first
    without a word (a second `photos:` under the body loses the photos above)."""
    return error("manifest.duplicate-key",
                 _("'{key}' is written twice here (lines {first} and {second}): only the "
                   "second would count").format(key=key, first=first.line,
                                                second=second.line),
                 Location(path, second.line, second.column),
                 _("keep one of them (for more photos or articles, add entries starting "
                   "with '- ' to the one list)"))


class _TooLarge(Exception):
    pass


def decode_source(raw: bytes, path: Path) -> str:
    """UTF-8 only, with the failing line named; GBK from Windows editors is common."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        hint = _("save the file as UTF-8 (in Notepad: 另存为 → 编码 UTF-8)")
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            # Notepad's "Unicode" (UTF-16): every other byte is 0, which GB18030 would
            # read too, so its mark is looked at first.
            line, column = 1, 1
            hint = _("the file is saved as UTF-16 (Notepad's 'Unicode'); {hint}").format(
                hint=hint)
        else:
            try:
                raw.decode("gb18030")
                hint = _("the file looks like GBK/GB18030 from a Windows editor; {hint}"
                         ).format(hint=hint)
            except UnicodeDecodeError:
                pass
        raise BuildError([error(
            "manifest.encoding", _("the file is not valid UTF-8 text"),
            Location(path, line, column), hint)]) from None
    return text.removeprefix("\ufeff")


# libyaml's parser when PyYAML was built with it (~10x faster, the same nodes and
# marks); the pure-Python one otherwise.
_BASE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BASE_LOADER):  # type: ignore[misc]
    """The safe loader, but a date that is not in the calendar (2026-13-25, 2027-02-30)
    stays the text typed and is reported at its line, where PyYAML raised ValueError."""

    def __init__(self, text: str, path: Path) -> None:
        super().__init__(text)
        self.source_path = path
        self.bad_dates: list[Diagnostic] = []


def _timestamp(loader: _Loader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        mark = _mark(node)
        loader.bad_dates.append(error(
            "manifest.date", _("{value} is not a date in the calendar").format(value=node.value),
            Location(loader.source_path, mark.line, mark.column),
            _("write the date as YYYY-MM-DD with a month from 01 to 12 and a day the month "
              "has, e.g. 2026-12-25")))
        return node.value


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


Scan = Callable[[str, Path], list[Diagnostic]]

# PyYAML's words for the common mistakes, in an editor's (translated when shown); libyaml
# (the C parser, used when PyYAML has it) words some of them its own way.
_COLON = N_("a ': ' where YAML does not expect one (in a text that is not in quotes?)")
_PROBLEMS = {
    "mapping values are not allowed here": _COLON,
    "mapping values are not allowed in this context": _COLON,
    "found character that cannot start any token": N_(
        "a value starts with a character YAML keeps for itself (@, `, %, a tab): put the "
        "text in quotes"),
    "did not find expected ',' or ']'": N_("a list opened with '[' is not closed with ']'"),
    "did not find expected ',' or '}'": N_(
        "a mapping opened with a curly bracket is not closed with one (or a text in it "
        "holds ', ' or ': ' and is not in quotes)"),
    "found unknown escape character": N_(
        "a backslash in a text in \"…\" (a Windows path such as C:\\稿件?): write / or "
        "put the text in '…'"),
    "could not find expected ':'": N_("a line without 'name: value' where one was expected"),
    "did not find expected key": N_("the indentation does not line up with the lines above"),
    "did not find expected '-' indicator": N_(
        "the indentation does not line up with the list above"),
    "found unexpected end of stream": N_("the file ends inside quotes or brackets"),
    "found undefined alias": N_("'*' starts a name YAML does not know (put the text in quotes)"),
}


# A value in quotes that the editor means as one line of text, but whose quotes YAML reads
# otherwise: a quote opened and not closed on its line (YAML reads on to the next such
# quote, lines later, and fails there with words about indentation), or a quote inside
# the text that closes it early (title: "社区"微更新"项目启动", byline: 'It's …').
_BLOCK = re.compile(r":\s*[|>][-+0-9]*\s*(?:#.*)?$")
_OPENED = re.compile(r"""^(\s*(?:-\s+)?[^\s:#'"][^:#]*:\s+|\s*-\s+)(["'])""")


def _closing(line: str, start: int, quote: str) -> int | None:
    """Where the quoted text opened at `start` ends: the index of its closing quote."""
    i = start + 1
    while i < len(line):
        if quote == '"' and line[i] == "\\":
            i += 2
            continue
        if line[i] == quote:
            if quote == "'" and line[i + 1: i + 2] == "'":  # '' is a quote inside '…'
                i += 2
                continue
            return i
        i += 1
    return None


def _quote_problem(text: str, before: int, path: Path) -> Diagnostic | None:
    """The first line up to line `before` (0-based) whose quoted value YAML cannot read
    as the one line it is meant to be."""
    block: int | None = None  # the indentation of a `key: |` whose text lines follow
    for number, line in enumerate(text.splitlines()[: before + 1]):
        indent = len(line) - len(line.lstrip(" "))
        if block is not None and (indent > block or not line.strip()):
            continue  # a body's text: its quotes are text
        block = indent if _BLOCK.search(line) else None
        found = _OPENED.match(line)
        if found is None:
            continue
        quote, start = found.group(2), found.end(2) - 1
        end = _closing(line, start, quote)
        if end is None:
            return error("manifest.syntax", _("the quote {quote} that starts this value is "
                                               "not closed on its line").format(quote=quote),
                         Location(path, number + 1, start + 1),
                         _("end the text with {quote} too, or remove the quote (a text "
                           "needs quotes only when it holds ': ' or ' #')").format(quote=quote))
        after = line[end + 1:].strip()
        if after and not after.startswith("#"):
            other = "'" if quote == '"' else '"'
            return error("manifest.syntax", _("the text in quotes ends at the {quote} in "
                                               "column {column}, and more text follows it")
                         .format(quote=quote, column=end + 1),
                         Location(path, number + 1, end + 1),
                         _("put the whole text in {other}…{other} instead, or write the quotes "
                           "inside it as Chinese quotes “ ”").format(other=other))
    return None


def load_yaml(path: Path, scan: Scan | None = None) -> tuple[Any, SourceMap]:
    """Load one YAML document safely; errors come back as diagnostics. `scan` looks
    at the text first: its findings replace the parser's error, which they explain."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise BuildError([error(
                "manifest.too-large",
                _("the file is {size} KiB; the limit is {limit} KiB").format(
                    size=size // 1024, limit=MAX_BYTES // 1024),
                Location(path), _("move long article texts into body_file: files"))])
        raw = path.read_bytes()
    except OSError as exc:
        raise BuildError([error("manifest.unreadable", _("cannot read the file: {reason}")
                                .format(reason=exc.strerror), Location(path))]) from None
    text = decode_source(raw, path)
    smap = SourceMap(path, early=scan(text, path) if scan else [])
    try:
        loader = _Loader(text, path)
        try:
            node = loader.get_single_node()
            if node is None:
                return None, smap
            _walk(node, (), smap, [MAX_NODES])
            data = loader.construct_document(node)
            # Reported with the other findings; each replaces the model's own words
            # about its line (a text where a date should be).
            smap.early.extend(loader.bad_dates)
        finally:
            loader.dispose()
    except _TooLarge:
        raise BuildError([error(
            "manifest.too-complex",
            _("the document expands to more than {n} values").format(n=MAX_NODES),
            Location(path),
            _("anchors and aliases (&name / *name) are expanded; avoid nesting them"))]) from None
    except yaml.MarkedYAMLError as exc:
        if smap.early:
            raise BuildError(smap.early) from None
        mark = exc.problem_mark or exc.context_mark
        quoted = _quote_problem(text, mark.line, path) if mark is not None else None
        if quoted is not None:
            raise BuildError([quoted]) from None
        if exc.context in ("while parsing a flow sequence", "while parsing a flow mapping") \
                and exc.context_mark is not None:
            mark = exc.context_mark  # the bracket left open, not where the parser gave up
        loc = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
        problem = exc.problem or exc.context or "invalid YAML"
        words = _PROBLEMS.get(problem)
        raise BuildError([error(
            "manifest.syntax", _("YAML syntax error: {problem}").format(
                problem=_(words) if words else problem), loc,
            _("check the indentation, and put text containing ': ' or ' #' in quotes "
              "(\"…\"); long texts go in body: |"))]) from None
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
        if smap.early:
            raise BuildError(smap.early) from None
        raise BuildError([error("manifest.syntax", _("YAML error: {error}").format(error=exc),
                                Location(path))]) from None
    return data, smap
