"""Stage 1: read `issue.yaml`, validate it, and resolve the files it names.

All problems are collected and raised together, each pointing at the line
and column the editor has to change.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import types
import typing
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from bulletin_press.diagnostics import (
    BuildError,
    Diagnostic,
    Location,
    article_name,
    error,
    photo_name,
)
from bulletin_press.i18n import N_, _, ngettext
from bulletin_press.manifest.keyboard import CHINESE_KEYS, keyboard_mistakes
from bulletin_press.manifest.model import (
    BODY,
    Article,
    ArticleLayout,
    Colophon,
    IssueInfo,
    Manifest,
    Photo,
    QrCode,
    Signature,
)
from bulletin_press.manifest.photo_files import not_a_photo, unusable_photo
from bulletin_press.manifest.project import Project, find_project, is_within
from bulletin_press.manifest.yaml_source import DataPath, SourceMap, decode_source, load_yaml

MANIFEST_NAME = "issue.yaml"
MAX_BODY_BYTES = 2 * 1024 * 1024

_NOUNS: dict[type[BaseModel], str] = {  # translated when shown
    Manifest: N_("issue.yaml"), IssueInfo: N_("issue"), Colophon: N_("colophon"),
    Article: N_("the article"), Photo: N_("the photo"), ArticleLayout: N_("the article's layout"),
    QrCode: N_("the QR code"), Signature: N_("the signature"),
}
WORD_FILES = (".docx", ".doc", ".wps", ".rtf", ".odt", ".pdf")


@dataclass(frozen=True)
class LoadedIssue:
    manifest: Manifest
    root: Path  # the issue folder, resolved
    project: Project
    source_map: SourceMap
    bodies: dict[str, str]  # article id → Markdown source
    files_read: frozenset[Path] = field(default_factory=frozenset)

    @property
    def name(self) -> str:
        return self.root.name

    @property
    def manifest_path(self) -> Path:
        return self.source_map.path

    @property
    def layout_dir(self) -> Path:
        return self.project.layouts_dir / self.manifest.layout

    def article_location(self, index: int, *parts: str | int) -> Location:
        return self.source_map.location(("articles", index, *parts))


def load_issue(issue_dir: Path, project: Project | None = None) -> LoadedIssue:
    issue_dir = issue_dir.resolve()
    path = issue_dir / MANIFEST_NAME
    if not path.is_file():
        hint = (_("{path} is a file; give the issue folder").format(path=issue_dir)
                if issue_dir.is_file() else
                _("an issue is a folder with an issue.yaml in it, e.g. issues/2023-01; "
                  "'bulletin-press new' makes one"))
        raise BuildError([error("manifest.missing", _("no {name} in {folder}").format(
            name=MANIFEST_NAME, folder=issue_dir), Location(path), hint)])
    project = project or find_project(issue_dir)
    data, smap = load_yaml(path, scan=keyboard_mistakes)
    if smap.early and not isinstance(data, dict):
        raise BuildError(smap.early)
    if not isinstance(data, dict):
        raise BuildError([error("manifest.not-a-mapping",
                                _("issue.yaml must be a list of fields (newsletter:, "
                                  "articles:, …)"), Location(path, 1, 1))])

    problems = list(_cross_checks(data, smap, issue_dir, project))
    manifest: Manifest | None = None
    try:
        manifest = Manifest.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        # A misspelt required field is one mistake, not two: keep "unknown field
        # 'captoin' … did you mean 'caption'?" and drop "no 'caption' field".
        misspelt = {(tuple(e["loc"][:-1]), _suggest(tuple(e["loc"]))) for e in errors
                    if e["type"] == "extra_forbidden"}
        problems[:0] = [_from_pydantic(e, smap, data) for e in errors
                        if not (e["type"] == "missing"
                                and (tuple(e["loc"][:-1]), e["loc"][-1]) in misspelt)]
    bodies, files = _read_bodies(data, smap, issue_dir, problems)
    if smap.early:  # the keyboard's mistakes explain what else went wrong on their lines
        lines = {d.location.line for d in smap.early}
        problems = smap.early + [d for d in problems if d.location.line not in lines]
    if problems or manifest is None:
        raise BuildError(sorted(problems, key=_order))
    return LoadedIssue(manifest, issue_dir, project, smap, bodies,
                       frozenset({path, *files}))


def _order(d: Diagnostic) -> tuple[int, int]:
    return (d.location.line or 0, d.location.column or 0)


def _model_at(data_path: DataPath) -> type[BaseModel] | None:
    model: type[BaseModel] = Manifest
    for part in data_path:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(part)
        found = _find_model(info.annotation) if info else None
        if found is None:
            return None
        model = found
    return model


def _find_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is not None:
        for arg in typing.get_args(annotation):
            if found := _find_model(arg):
                return found
    return None


def _suggest(loc: DataPath) -> str | None:
    """The field a misspelt key (or a field name typed in Chinese) most likely meant."""
    model = _model_at(loc[:-1])
    allowed = sorted(model.model_fields) if model else []
    if CHINESE_KEYS.get(str(loc[-1])) in allowed:
        return CHINESE_KEYS[str(loc[-1])]
    close = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6)
    return close[0] if close else None


def place(data_path: DataPath, data: object) -> str:
    """Where a value is, in an editor's words: "article 2 《…》 › photo 1 › caption"."""
    parts: list[str] = []
    node = data
    index = 0
    while index < len(data_path):
        part = data_path[index]
        following = data_path[index + 1] if index + 1 < len(data_path) else None
        child = node.get(part) if isinstance(node, dict) else None
        if part in ("articles", "photos") and isinstance(following, int):
            item = child[following] if isinstance(child, list) and following < len(
                child) else None
            fields = item if isinstance(item, dict) else {}
            parts.append(article_name(following, fields.get("title")) if part == "articles"
                         else photo_name(following, fields.get("file")))
            node = item
            index += 2
            continue
        parts.append(str(part))
        node = child
        index += 1
    return " › ".join(parts)


_TYPE_WORDS = {  # translated when shown
    "string_type": N_("text"), "int_type": N_("a whole number"),
    "int_parsing": N_("a whole number"), "int_from_float": N_("a whole number"),
    "bool_type": N_("true or false"), "date_type": N_("a date (YYYY-MM-DD)"),
    "date_parsing": N_("a date (YYYY-MM-DD)"),
    "date_from_datetime_parsing": N_("a date (YYYY-MM-DD)"),
    "list_type": N_("a list (lines starting with '- ')"),
    "model_type": N_("a list of fields (name: value)"),
    "dict_type": N_("a list of fields (name: value)"),
    "model_attributes_type": N_("a list of fields (name: value)"),
}


def _noun(data_path: DataPath) -> str:
    model = _model_at(data_path)
    return _(_NOUNS[model]) if model in _NOUNS else _("this part")


def _from_pydantic(err: ErrorDetails, smap: SourceMap, data: object) -> Diagnostic:
    loc: DataPath = tuple(err["loc"])
    kind = err["type"]
    where = place(loc, data) or _("issue.yaml")
    if kind == "extra_forbidden":
        model = _model_at(loc[:-1])
        allowed = sorted(model.model_fields) if model else []
        close = _suggest(loc)
        hint = (_("did you mean '{field}'?").format(field=close) if close
                else _("allowed fields: {fields}").format(fields=", ".join(allowed))
                if allowed else None)
        owner = place(loc[:-1], data) or _noun(loc[:-1])
        return error("manifest.unknown-field", _("unknown field '{field}' in {owner}").format(
            field=loc[-1], owner=owner), smap.location(loc, key=True), hint)
    if kind == "missing":
        owner = place(loc[:-1], data) or _noun(loc[:-1])
        return error("manifest.missing-field",
                     _("{owner} has no '{field}' field (it is required)").format(
                         owner=owner, field=loc[-1]),
                     smap.location(loc[:-1], key=True),
                     _("add a line '{field}: …' to {owner}").format(field=loc[-1], owner=owner))
    value = err.get("input")
    shown = repr(value) if not isinstance(value, dict | list) else type(value).__name__
    if isinstance(value, dict):
        shown = _("a list of fields")
    elif isinstance(value, list):
        shown = _("a list")
    if len(shown) > 40:
        shown = shown[:37] + "…"
    if kind in _TYPE_WORDS:
        return error("manifest.wrong-type", _("{where} must be {kind}, not {value}").format(
            where=where, kind=_(_TYPE_WORDS[kind]), value=shown),
                     smap.location(loc), _type_hint(kind, value))
    if kind == "literal_error":
        expected = str(err.get("ctx", {}).get("expected", "")).replace("' or '", "', '")
        return error("manifest.bad-value", _("{where} is {value}, which is not one of the "
                                             "choices").format(where=where, value=shown),
                     smap.location(loc), _("use one of: {choices}").format(choices=expected))
    if kind == "string_too_long":
        return _too_long(where, len(value) if isinstance(value, str) else 0,
                         int(err.get("ctx", {}).get("max_length", 0)), smap.location(loc))
    if kind == "string_too_short":
        return error("manifest.empty", _("{where} is empty").format(where=where),
                     smap.location(loc), _("write the text or remove the line"))
    if kind == "string_pattern_mismatch" and loc[-1] == "id":
        return error("manifest.bad-id", _("{where} {value} is not a valid id").format(
            where=where, value=shown), smap.location(loc),
            _("an id is letters and digits (Chinese too) and '-', with no spaces or '/', "
              "e.g. party-congress or 党代会"))
    if kind in ("greater_than_equal", "greater_than"):
        return error("manifest.invalid", _("{where} must be at least 1, not {value}").format(
            where=where, value=shown), smap.location(loc))
    if kind == "value_error":
        message = str(err["msg"]).removeprefix("Value error, ")
        return error("manifest.invalid", f"{where}: {message}", smap.location(loc))
    return error("manifest.invalid", f"{where}: {err['msg']}", smap.location(loc))


def _too_long(where: str, length: int, limit: int, location: Location) -> Diagnostic:
    return error("manifest.too-long",
                 ngettext("{where} is {length} character long; at most {limit}",
                          "{where} is {length} characters long; at most {limit}",
                          length).format(
                     where=where, length=length, limit=limit), location,
                 _("shorten it (see \"Limits\" in docs/manifest.md); longer text belongs "
                   "in an article's body"))


_DATE_PARTS = re.compile(r"(\d{4})\D+(\d{1,2})\D+(\d{1,2})")


def _type_hint(kind: str, value: object) -> str | None:
    if kind == "string_type":
        return _("put the text in quotes if YAML reads it as a number or date")
    if kind.startswith("date"):
        parts = _DATE_PARTS.search(str(value))
        # The editor's own date, written right (2026/11/20 → 2026-11-20), else today's.
        example = (f"{int(parts[1]):04d}-{int(parts[2]):02d}-{int(parts[3]):02d}" if parts
                   else dt.date.today().isoformat())
        return _("write the date as year-month-day with '-', e.g. {date}").format(date=example)
    if kind.startswith("int"):
        # "第6段", "6段", "６": the editor's own number, in ASCII digits, alone.
        digits = re.search(r"\d+", str(value))
        number = int(digits[0]) if digits else 3
        return _("write the number alone, in digits, e.g. {number}").format(number=number)
    return None


def _articles(data: dict[str, Any]) -> Iterator[tuple[int, dict[str, Any]]]:
    articles = data.get("articles")
    if isinstance(articles, list):
        for index, article in enumerate(articles):
            if isinstance(article, dict):
                yield index, article


def _cross_checks(data: dict[str, Any], smap: SourceMap, issue_dir: Path,
                  project: Project) -> Iterator[Diagnostic]:
    sniffed: set[str] = set()  # photos whose first bytes were read
    layout = data.get("layout", "two-column")
    if isinstance(layout, str) and layout.strip():
        available = project.available_layouts()
        if layout.strip() not in available:
            close = difflib.get_close_matches(layout, available, n=1)
            hint = (_("did you mean '{layout}'? ").format(layout=close[0]) if close else "") + (
                _("layouts that exist: {names}").format(names=", ".join(available) or "-"))
            yield error("manifest.unknown-layout", _("there is no layout '{layout}'").format(
                layout=layout), smap.location(("layout",)), hint)

    seen: Counter[str] = Counter()
    for index, article in _articles(data):
        art_id = article.get("id")
        if isinstance(art_id, str):
            seen[art_id] += 1
            if seen[art_id] == 2:
                yield error("manifest.duplicate-id",
                            _("{article}: the id '{id}' is used twice").format(
                                article=article_name(index, article.get("title")), id=art_id),
                            smap.location(("articles", index, "id")),
                            _("every article needs its own id"))
        if ("body" in article) == ("body_file" in article):
            yield error("manifest.body", _("{article}: give the text in exactly one of 'body' "
                                           "or 'body_file'").format(
                            article=article_name(index, article.get("title"))),
                        smap.location(("articles", index), key=True),
                        _("body: holds the text; body_file: names a text file in the issue "
                          "folder"))
        photos = article.get("photos")
        if not isinstance(photos, list):
            continue
        for pindex, photo in enumerate(photos):
            if isinstance(photo, dict) and isinstance(photo.get("file"), str):
                where = ("articles", index, "photos", pindex, "file")
                missing = list(_check_file(photo["file"], issue_dir, smap, where, "photo"))
                yield from missing
                if missing or photo["file"] in sniffed:
                    continue
                sniffed.add(photo["file"])  # each file reported once, as layout does
                reason = not_a_photo(issue_dir / photo["file"].strip())
                if reason is not None:
                    yield unusable_photo(photo["file"], reason, smap.location(where))


_FILE_NOUNS = {"photo": N_("photo file '{name}'"), "body": N_("text file '{name}'")}


def _check_file(name: str, issue_dir: Path, smap: SourceMap, where: DataPath,
                what: str) -> Iterator[Diagnostic]:
    candidate = issue_dir / name.strip()
    loc = smap.location(where)
    noun = _(_FILE_NOUNS[what]).format(name=name)
    if Path(name.strip()).is_absolute() or not is_within(candidate, issue_dir):
        yield error(f"manifest.{what}-outside", _("{file} is outside the issue folder").format(
            file=noun), loc, _("copy the file into {folder}/ and name it relative to it, e.g. "
                               "images/photo.jpg").format(folder=issue_dir.name))
    elif not candidate.is_file():
        folder = candidate.parent
        siblings = ([p.name for p in folder.iterdir() if p.is_file()]
                    if folder.is_dir() else [])
        close = difflib.get_close_matches(candidate.name, siblings, n=1)
        if close:  # the whole path, as it is to be typed: images/photo.jpg
            relative = (folder / close[0]).relative_to(issue_dir).as_posix() if is_within(
                folder, issue_dir) else close[0]
            hint = _("did you mean '{path}'?").format(path=relative)
        else:
            hint = _("the path is relative to the issue folder {folder}/").format(
                folder=issue_dir.name)
        yield error(f"manifest.{what}-not-found", _("{file} not found").format(file=noun),
                    loc, hint)


def _read_bodies(data: dict[str, Any], smap: SourceMap, issue_dir: Path,
                 problems: list[Diagnostic]) -> tuple[dict[str, str], list[Path]]:
    bodies: dict[str, str] = {}
    files: list[Path] = []
    for index, article in _articles(data):
        art_id = str(article.get("id"))
        body = article.get("body")
        if isinstance(body, str):
            bodies[art_id] = body
        body_file = article.get("body_file")
        if not isinstance(body_file, str):
            continue
        where = ("articles", index, "body_file")
        found = list(_check_file(body_file, issue_dir, smap, where, "body"))
        if found:
            problems.extend(found)
            continue
        path = (issue_dir / body_file.strip()).resolve()
        if path.suffix.lower() in WORD_FILES:
            problems.append(error(
                "manifest.body-word-file",
                _("text file '{name}' is a {kind} document, not plain text").format(
                    name=body_file, kind=path.suffix.lower().lstrip(".").upper()),
                smap.location(where),
                _("import it first: bulletin-press import {name} (or save it from Word as "
                  "plain text .txt, UTF-8, and name that file here)").format(
                    name=Path(body_file.strip()).as_posix())))
            continue
        if path.stat().st_size > MAX_BODY_BYTES:
            problems.append(error("manifest.body-too-large",
                                  _("text file '{name}' is larger than 2 MiB").format(
                                      name=body_file), smap.location(where)))
            continue
        try:
            text = decode_source(path.read_bytes(), path)
        except BuildError as exc:
            problems.extend(exc.diagnostics)
            continue
        files.append(path)
        if len(text) > BODY:
            problems.append(_too_long(_("body file '{name}'").format(name=body_file),
                                      len(text), BODY, smap.location(where)))
            continue
        bodies[art_id] = text
    return bodies, files
