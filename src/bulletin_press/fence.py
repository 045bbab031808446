"""The resource fence: which files the renderer may read, and a record of each read.

WeasyPrint fetches whatever a document points to, local files and network
URLs alike. Every fetch goes through `Fence.open`, which allows only regular
files under the issue, layout and fonts folders (symlinks resolved) and the
`data:` URIs the toolchain registered itself. The list of files read is what
the preview watches.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from .project import is_within

MAX_RESOURCE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Refusal:
    url: str
    reason: str


class FenceRefused(Exception):
    def __init__(self, refusal: Refusal) -> None:
        self.refusal = refusal
        super().__init__(f"{refusal.url}: {refusal.reason}")


@dataclass
class Fence:
    roots: tuple[Path, ...]
    data_uris: set[str] = field(default_factory=set)
    reads: list[Path] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.roots = tuple(r.resolve() for r in self.roots)

    def _refuse(self, url: str, reason: str) -> FenceRefused:
        refusal = Refusal(url if len(url) < 200 else url[:200] + "…", reason)
        self.refusals.append(refusal)
        return FenceRefused(refusal)

    def open(self, url: str) -> tuple[bytes, str]:
        """The bytes and media type behind `url`, or FenceRefused."""
        if url.startswith("data:"):
            if url in self.data_uris:
                return b"", ""  # the caller decodes registered data: URIs itself
            raise self._refuse(url, "data: URIs in content are not allowed")
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise self._refuse(url, "only files inside the issue, layout and fonts folders "
                                    "can be used; network addresses are never fetched")
        path = Path(url2pathname(unquote(parts.path)))
        try:
            resolved = path.resolve(strict=True)
        except (OSError, RuntimeError):
            raise self._refuse(url, "the file does not exist") from None
        if not any(is_within(resolved, root) for root in self.roots):
            raise self._refuse(url, "the file is outside the issue, layout and fonts folders")
        if not resolved.is_file():
            raise self._refuse(url, "not a regular file")
        if resolved.stat().st_size > MAX_RESOURCE_BYTES:
            raise self._refuse(url, "the file is larger than 64 MiB")
        data = resolved.read_bytes()
        self.reads.append(resolved)
        media_type = mimetypes.guess_type(resolved.name)[0] or "application/octet-stream"
        return data, media_type
