"""The resource fence: which files the renderer may read, and a record of each read.

WeasyPrint fetches whatever a document points to, local files and network
URLs alike. Every fetch goes through `Fence.open`, which serves only regular
files under a few mounted folders (the issue, its layouts, the fonts folder),
symlinks resolved. Documents name them by virtual URLs
(`file:///bulletin-press/issue/images/a.jpg`), never by real paths: nothing
else is reachable, and the PDF does not depend on where the project lies on
disk (WeasyPrint names images after their URL). The list of files read is
what the preview watches.
"""

from __future__ import annotations

import contextlib
import mimetypes
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import parse_qs, quote, unquote, urlsplit

from bulletin_press.i18n import _
from bulletin_press.manifest.photo_files import is_heif
from bulletin_press.manifest.project import is_within

VIRTUAL_ROOT = "/bulletin-press/"
MAX_RESOURCE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Refusal:
    url: str
    reason: str


def _outside() -> str:  # one message, three places
    return _("the file is outside the issue, layout and fonts folders")


class FenceRefused(Exception):
    def __init__(self, refusal: Refusal) -> None:
        self.refusal = refusal
        super().__init__(f"{refusal.url}: {refusal.reason}")


@dataclass
class Fence:
    mounts: dict[str, Path]  # mount name (e.g. "issue", "layouts/two-column") → folder
    reads: list[Path] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.mounts = {name: root.resolve() for name, root in self.mounts.items()}

    def url(self, mount: str, relative: str = "") -> str:
        """The virtual URL of `relative` (a POSIX path) under `mount`."""
        return "file://" + quote(f"{VIRTUAL_ROOT}{mount}/{relative}")

    def _refuse(self, url: str, reason: str) -> FenceRefused:
        refusal = Refusal(url if len(url) < 200 else url[:200] + "…", reason)
        self.refusals.append(refusal)
        return FenceRefused(refusal)

    def resolve(self, url: str) -> Path:
        """The real file behind a virtual URL, or FenceRefused."""
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise self._refuse(url, _("only files inside the issue, layout and fonts folders "
                                      "can be used; network addresses are never fetched"))
        path = unquote(parts.path)
        if not path.startswith(VIRTUAL_ROOT):
            raise self._refuse(url, _outside())
        inside = PurePosixPath(path[len(VIRTUAL_ROOT):])
        for name in sorted(self.mounts, key=len, reverse=True):
            prefix = PurePosixPath(name)
            if inside.parts[:len(prefix.parts)] == prefix.parts:
                root = self.mounts[name]
                candidate = root.joinpath(*inside.parts[len(prefix.parts):])
                break
        else:
            raise self._refuse(url, _outside())
        try:
            resolved = candidate.resolve(strict=True)
        except (OSError, RuntimeError):
            raise self._refuse(url, _("the file does not exist")) from None
        if not is_within(resolved, root):
            raise self._refuse(url, _outside())
        if not resolved.is_file():
            raise self._refuse(url, _("not a regular file"))
        return resolved

    def open(self, url: str) -> tuple[bytes, str]:
        """The bytes and media type behind `url`, or FenceRefused."""
        if url.startswith("data:"):
            raise self._refuse(url, _("data: URIs are not allowed"))
        resolved = self.resolve(url)
        if resolved.stat().st_size > MAX_RESOURCE_BYTES:
            raise self._refuse(url, _("the file is larger than 64 MiB"))
        data = resolved.read_bytes()
        self.reads.append(resolved)
        media_type = mimetypes.guess_type(resolved.name)[0] or "application/octet-stream"
        if is_heif(data[:12]):  # a phone's HEIC photo: the printer gets a JPEG of it
            from bulletin_press.layout.photos import ImageProblem, printable

            try:
                data, media_type = printable(resolved) or data, "image/jpeg"
            except ImageProblem as exc:
                raise self._refuse(url, str(exc)) from None
        scale = embed_scale(url)
        if scale < 1 and media_type == "image/jpeg":
            # A photo with far more pixels than the print shows (layout/photos.py
            # embed_scale, given in its URL by the layout): embedded smaller.
            from bulletin_press.layout.photos import embedded_file

            stat = resolved.stat()
            with contextlib.suppress(OSError, ValueError, SyntaxError):
                data = embedded_file(resolved, stat.st_mtime_ns, stat.st_size, scale)
        return data, media_type


SCALE = "scale"  # the URL query's name for the share of its pixels a photo is embedded with


def embed_scale(url: str) -> float:
    """The scale a photo's URL asks for (`images/a.jpg?scale=0.1844`), 1 if none."""
    found = parse_qs(urlsplit(url).query).get(SCALE)
    try:
        value = float(found[0]) if found else 1.0
    except ValueError:
        return 1.0
    return value if 0 < value < 1 else 1.0
