"""Sources read, then added to an issue in one step: body files under `articles/`,
pictures under `images/`, entries appended to `issue.yaml`. Every source is read and
every picture checked before the first file is written, so a bad source changes
nothing in the issue."""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bulletin_press.diagnostics import BuildError, Diagnostic, Location, error, warning
from bulletin_press.i18n import _
from bulletin_press.intake.draft import Draft, DraftArticle
from bulletin_press.intake.manifest_text import append_articles
from bulletin_press.intake.pictures import placeholder
from bulletin_press.intake.sources import kind_of
from bulletin_press.manifest.load import MANIFEST_NAME
from bulletin_press.manifest.yaml_source import decode_source, load_yaml

ARTICLES_DIR = "articles"
IMAGES_DIR = "images"
PLACEHOLDER_CREDIT = "照片占位"


@dataclass(frozen=True)
class Imported:
    """One article added to the issue."""

    id: str
    title: str
    source: Path
    body_file: str
    paragraphs: int
    photos: int


@dataclass
class ImportResult:
    articles: list[Imported] = field(default_factory=list)
    notes: list[Diagnostic] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)


def read_source(path: Path) -> Draft:
    """One source as draft articles, whatever its kind (found from its bytes)."""
    kind = kind_of(path)
    if kind == "docx":
        from bulletin_press.intake.docx import read_docx
        return read_docx(path)
    if kind == "pdf":
        from bulletin_press.intake.pdf import read_pdf
        return read_pdf(path)
    from bulletin_press.intake.text import read_text
    text, encoding = _decode_text(path)
    draft = read_text(text, path)
    if encoding != "utf-8":
        draft.note("encoding", _("the text file is in {encoding} (from a Windows editor): "
                                 "read as such").format(encoding=encoding.upper()),
                   Location(path), _("check a few lines of Chinese in the body file"))
    return draft


def import_sources(sources: list[Path], issue_dir: Path) -> ImportResult:
    manifest_path = issue_dir / MANIFEST_NAME
    if not manifest_path.is_file():
        raise BuildError([error("import.no-manifest", _("no {name} in {folder}").format(
            name=MANIFEST_NAME, folder=issue_dir), Location(manifest_path),
            _("start from an issue.yaml with newsletter:, publisher: and issue: (copy "
              "issues/2023-01/issue.yaml and delete its articles)"))])
    data, _smap = load_yaml(manifest_path)
    if not isinstance(data, dict):
        data = {}
    text = decode_source(manifest_path.read_bytes(), manifest_path)

    drafts: list[Draft] = []
    problems: list[Diagnostic] = []
    for source in sources:
        try:
            draft = read_source(source)
        except BuildError as exc:
            problems += exc.diagnostics
            continue
        if not draft.articles:
            problems.append(error("import.nothing", _("no article found in the file"),
                                  Location(source), _("a text file needs a title line "
                                                      "'# …' before the text")))
        drafts.append(draft)
    if problems:
        raise BuildError(problems)

    result = ImportResult()
    files: dict[Path, bytes] = {}
    items: list[dict[str, Any]] = []
    used = {str(a.get("id")) for a in data.get("articles") or [] if isinstance(a, dict)}
    # Title → id of the articles already in: the same file imported twice is the
    # commonest slip, and the copy would print twice.
    titles = {str(a.get("title")): str(a.get("id")) for a in data.get("articles") or []
              if isinstance(a, dict) and a.get("title")}
    for draft in drafts:
        result.notes += draft.notes
        base = _slug(draft.source.stem)
        for number, article in enumerate(draft.articles, 1):
            art_id = _free_id(base, number, len(draft.articles), used, issue_dir)
            used.add(art_id)
            # boxes share their titles (温馨提示 after several stories): a repeated one
            # tells no slip; a file imported twice is told by its story's title
            if article.title in titles and article.kind != "box":
                result.notes.append(warning(
                    "import.same-title", _("an article titled 《{title}》 is in the issue "
                                           "already ({id}): this one is added as {new}")
                    .format(title=article.title, id=titles[article.title], new=art_id),
                    article.where, _("if the file was imported twice, delete {new} from "
                                     "issue.yaml and its files").format(new=art_id)))
            titles.setdefault(article.title, art_id)
            item = _entry(art_id, article, files, issue_dir)
            items.append(item)
            result.articles.append(Imported(art_id, article.title, draft.source,
                                            item["body_file"], article.paragraph_count,
                                            len(article.photos)))
    new_text = append_articles(text, items, Location(manifest_path))
    _write_all(files, manifest_path, new_text, result)
    return result


def _entry(art_id: str, article: DraftArticle, files: dict[Path, bytes],
           issue_dir: Path) -> dict[str, Any]:
    body_file = f"{ARTICLES_DIR}/{art_id}.md"
    files[issue_dir / body_file] = article.body.encode("utf-8")
    item: dict[str, Any] = {"id": art_id}
    if article.kind:
        item["kind"] = article.kind
    if article.section:
        item["section"] = article.section
    item["title"] = article.title
    if article.subtitle:
        item["subtitle"] = article.subtitle
    if article.byline:
        item["byline"] = article.byline
    item["body_file"] = body_file
    photos: list[dict[str, Any]] = []
    for number, photo in enumerate(article.photos, 1):
        suffix = photo.suffix if photo.data is not None else ".jpg"
        name = f"{IMAGES_DIR}/{art_id}-{number}{suffix}"
        files[issue_dir / name] = (photo.data if photo.data is not None
                                   else placeholder(photo.caption))
        entry: dict[str, Any] = {"file": name, "caption": photo.caption}
        credit = photo.credit or (PLACEHOLDER_CREDIT if photo.data is None else None)
        if credit:
            entry["credit"] = credit
        if photo.alt and photo.alt != photo.caption:
            entry["alt"] = photo.alt
        if photo.after_paragraph is not None:
            # Where it stood in the document: after that paragraph, or at the end.
            if photo.after_paragraph < article.paragraph_count:
                entry["placement"] = "inline"
                entry["after_paragraph"] = photo.after_paragraph
            else:
                entry["placement"] = "bottom"
        photos.append(entry)
    if photos:
        item["photos"] = photos
    if article.signature:
        item["signature"] = article.signature
    return item


def _slug(stem: str) -> str:
    """The file's name as an article id: letters (Chinese too) and digits, parted by
    '-' (ids may be Chinese: 手机课堂-新泾七村.docx → 手机课堂-新泾七村, not "article")."""
    slug = re.sub(r"[\W_]+", "-", stem.lower()).strip("-")[:40].strip("-")
    return slug or "article"


def _free_id(base: str, number: int, count: int, used: set[str], issue_dir: Path) -> str:
    """The first id not in the manifest whose body file and pictures do not exist yet:
    an editor's files are never overwritten."""
    candidates = ([base] if count == 1 else []) + [f"{base}-{n}" for n in range(number, 10_000)]
    for candidate in candidates:
        taken = (candidate in used
                 or (issue_dir / ARTICLES_DIR / f"{candidate}.md").exists()
                 or any((issue_dir / IMAGES_DIR).glob(f"{candidate}-*")))
        if not taken:
            return candidate
    raise BuildError([error("import.ids", _("no free article id for '{base}'")
                            .format(base=base), Location(issue_dir))])


def _write_all(files: dict[Path, bytes], manifest_path: Path, manifest_text: str,
               result: ImportResult) -> None:
    """The new files first, the manifest last; if anything fails, the new files go."""
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            _write_atomic(path, data)
            result.written.append(path)
        _write_atomic(manifest_path, manifest_text.encode("utf-8"))
    except BaseException:
        for path in result.written:
            path.unlink(missing_ok=True)
        raise


def _write_atomic(path: Path, data: bytes) -> None:
    # mkstemp makes its file readable by its owner only: the issue.yaml rewritten keeps
    # its own mode, a new file gets what the umask gives any file (colleagues on the
    # office's shared folder must read the issue too).
    try:
        mode = path.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        mode = 0o666 & ~mask
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(name, mode)
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def _decode_text(path: Path) -> tuple[str, str]:
    raw = path.read_bytes()
    try:
        return decode_source(raw, path), "utf-8"
    except BuildError:
        try:  # text saved by a Windows editor in GBK
            return raw.decode("gb18030"), "gb18030"
        except UnicodeDecodeError:
            raise BuildError([error(
                "import.encoding", _("the file is neither text (UTF-8, GBK) nor a Word "
                                     "document or PDF"), Location(path),
                _("import .docx Word documents, PDFs or text files"))]) from None
