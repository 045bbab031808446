"""Stage 1: read `issue.yaml`, validate it, and resolve the files it names.

All problems are collected and raised together, each pointing at the line
and column the editor has to change.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from bulletin_press.diagnostics import BuildError, Diagnostic, Location, error
from bulletin_press.i18n import _
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
from bulletin_press.manifest.project import Project, find_project, is_within
from bulletin_press.manifest.yaml_source import DataPath, SourceMap, decode_source, load_yaml

MANIFEST_NAME = "issue.yaml"
MAX_BODY_BYTES = 2 * 1024 * 1024

_NOUNS: dict[type[BaseModel], str] = {
    Manifest: "the manifest", IssueInfo: "issue", Colophon: "colophon",
    Article: "article", Photo: "photo", ArticleLayout: "article layout",
    QrCode: "QR code", Signature: "signature",
}


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
        hint = (f"{issue_dir} is a file; give the issue folder" if issue_dir.is_file()
                else "an issue is a folder with an issue.yaml in it, e.g. issues/2023-01")
        raise BuildError([error("manifest.missing", f"no {MANIFEST_NAME} in {issue_dir}",
                                Location(path), hint)])
    project = project or find_project(issue_dir)
    data, smap = load_yaml(path)
    if not isinstance(data, dict):
        raise BuildError([error("manifest.not-a-mapping",
                                "the manifest must be a mapping of fields (newsletter:, "
                                "articles:, …)", Location(path, 1, 1))])

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
        problems[:0] = [_from_pydantic(e, smap) for e in errors
                        if not (e["type"] == "missing"
                                and (tuple(e["loc"][:-1]), e["loc"][-1]) in misspelt)]
    bodies, files = _read_bodies(data, smap, issue_dir, problems)
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
    """The field a misspelt key most likely meant."""
    model = _model_at(loc[:-1])
    allowed = sorted(model.model_fields) if model else []
    close = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6)
    return close[0] if close else None


def _dotted(data_path: DataPath) -> str:
    text = ""
    for part in data_path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


_TYPE_WORDS = {
    "string_type": "text", "int_type": "a whole number", "int_parsing": "a whole number",
    "int_from_float": "a whole number", "bool_type": "true or false",
    "date_type": "a date (YYYY-MM-DD)", "date_parsing": "a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "a date (YYYY-MM-DD)",
    "list_type": "a list (lines starting with '- ')",
    "model_type": "a mapping of fields", "dict_type": "a mapping of fields",
    "model_attributes_type": "a mapping of fields",
}


def _from_pydantic(err: ErrorDetails, smap: SourceMap) -> Diagnostic:
    loc: DataPath = tuple(err["loc"])
    kind = err["type"]
    where = _dotted(loc) or "the manifest"
    if kind == "extra_forbidden":
        model = _model_at(loc[:-1])
        noun = _NOUNS.get(model, "this mapping") if model else "this mapping"
        allowed = sorted(model.model_fields) if model else []
        close = _suggest(loc)
        hint = (f"did you mean '{close}'?" if close
                else f"allowed fields: {', '.join(allowed)}" if allowed else None)
        return error("manifest.unknown-field", f"unknown field '{loc[-1]}' in {noun}",
                     smap.location(loc, key=True), hint)
    if kind == "missing":
        model = _model_at(loc[:-1])
        noun = _NOUNS.get(model, "this mapping") if model else "this mapping"
        return error("manifest.missing-field", f"{noun} has no '{loc[-1]}' field (required)",
                     smap.location(loc[:-1], key=True),
                     f"add a line '{loc[-1]}: …' to {_dotted(loc[:-1]) or 'the manifest'}")
    value = err.get("input")
    shown = repr(value) if not isinstance(value, dict | list) else type(value).__name__
    if len(shown) > 40:
        shown = shown[:37] + "…"
    if kind in _TYPE_WORDS:
        return error("manifest.wrong-type", f"{where} must be {_TYPE_WORDS[kind]}, not {shown}",
                     smap.location(loc), _type_hint(kind))
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return error("manifest.bad-value", f"{where} is {shown}, which is not one of the "
                     f"choices", smap.location(loc), f"use one of: {expected}")
    if kind == "string_too_long":
        return _too_long(where, len(value) if isinstance(value, str) else 0,
                         int(err.get("ctx", {}).get("max_length", 0)), smap.location(loc))
    if kind == "string_too_short":
        return error("manifest.empty", f"{where} is empty", smap.location(loc),
                     "write the text or remove the line")
    if kind == "string_pattern_mismatch" and loc[-1] == "id":
        return error("manifest.bad-id", f"{where} {shown} is not a valid id", smap.location(loc),
                     "use lowercase latin letters, digits and '-', e.g. party-congress")
    if kind == "value_error":
        message = str(err["msg"]).removeprefix("Value error, ")
        return error("manifest.invalid", f"{where}: {message}", smap.location(loc))
    return error("manifest.invalid", f"{where}: {err['msg']}", smap.location(loc))


def _too_long(where: str, length: int, limit: int, location: Location) -> Diagnostic:
    return error("manifest.too-long",
                 _("{where} is {length} characters long; at most {limit}").format(
                     where=where, length=length, limit=limit), location,
                 _("shorten it (see \"Limits\" in docs/manifest.md); longer text belongs "
                   "in an article's body"))


def _type_hint(kind: str) -> str | None:
    if kind == "string_type":
        return "put the text in quotes if YAML reads it as a number or date"
    if kind.startswith("date"):
        return "write the date as 2023-01-10"
    return None


def _articles(data: dict[str, Any]) -> Iterator[tuple[int, dict[str, Any]]]:
    articles = data.get("articles")
    if isinstance(articles, list):
        for index, article in enumerate(articles):
            if isinstance(article, dict):
                yield index, article


def _cross_checks(data: dict[str, Any], smap: SourceMap, issue_dir: Path,
                  project: Project) -> Iterator[Diagnostic]:
    layout = data.get("layout", "two-column")
    if isinstance(layout, str) and layout.strip():
        available = project.available_layouts()
        if layout.strip() not in available:
            close = difflib.get_close_matches(layout, available, n=1)
            hint = (f"did you mean '{close[0]}'? " if close else "") + (
                f"layouts that exist: {', '.join(available) or 'none'}")
            yield error("manifest.unknown-layout", f"there is no layout '{layout}'",
                        smap.location(("layout",)), hint)

    seen: Counter[str] = Counter()
    for index, article in _articles(data):
        art_id = article.get("id")
        if isinstance(art_id, str):
            seen[art_id] += 1
            if seen[art_id] == 2:
                yield error("manifest.duplicate-id", f"article id '{art_id}' is used twice",
                            smap.location(("articles", index, "id")),
                            "every article needs its own id")
        if ("body" in article) == ("body_file" in article):
            yield error("manifest.body", "give the article text in exactly one of 'body' or "
                        "'body_file'", smap.location(("articles", index), key=True),
                        "body: holds the text; body_file: names a Markdown file beside "
                        "issue.yaml")
        photos = article.get("photos")
        if not isinstance(photos, list):
            continue
        for pindex, photo in enumerate(photos):
            if isinstance(photo, dict) and isinstance(photo.get("file"), str):
                where = ("articles", index, "photos", pindex, "file")
                yield from _check_file(photo["file"], issue_dir, smap, where, "photo")


def _check_file(name: str, issue_dir: Path, smap: SourceMap, where: DataPath,
                what: str) -> Iterator[Diagnostic]:
    candidate = issue_dir / name.strip()
    loc = smap.location(where)
    if Path(name.strip()).is_absolute() or not is_within(candidate, issue_dir):
        yield error(f"manifest.{what}-outside", f"{what} file '{name}' is outside the issue "
                    "folder", loc, f"copy the file into {issue_dir.name}/ and name it "
                    "relative to it, e.g. images/photo.jpg")
    elif not candidate.is_file():
        folder = candidate.parent
        siblings = ([p.name for p in folder.iterdir() if p.is_file()]
                    if folder.is_dir() else [])
        close = difflib.get_close_matches(candidate.name, siblings, n=1)
        hint = (f"did you mean '{close[0]}'?" if close
                else f"the path is relative to {issue_dir.name}/")
        yield error(f"manifest.{what}-not-found", f"{what} file '{name}' not found", loc, hint)


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
        if path.stat().st_size > MAX_BODY_BYTES:
            problems.append(error("manifest.body-too-large",
                                  f"body file '{body_file}' is larger than 2 MiB",
                                  smap.location(where)))
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
