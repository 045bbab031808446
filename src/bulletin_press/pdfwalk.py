"""Walking a PDF's object graph with pikepdf: what every post-processor and checker needs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pikepdf
from pikepdf import Name

CONTAINERS = (pikepdf.Array, pikepdf.Dictionary, pikepdf.Stream)


def reachable(start: Any) -> Iterator[Any]:
    """Every array, dictionary and stream reachable from `start`, direct or indirect
    (pdf.objects lists only indirect ones); each indirect one once, /Parent not followed."""
    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [start]
    while stack:
        obj = stack.pop()
        if obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        yield obj
        if isinstance(obj, pikepdf.Array):
            stack += [item for item in obj if isinstance(item, CONTAINERS)]
        else:
            stack += [value for key, value in obj.items()
                      if key != "/Parent" and isinstance(value, CONTAINERS)]


def content_holders(pdf: pikepdf.Pdf) -> Iterator[Any]:
    """Pages, and the form XObjects and tiling patterns they use (each once): every
    object with a content stream and resources of its own."""
    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [page.obj for page in pdf.pages]
    while stack:
        holder = stack.pop()
        if holder.is_indirect:
            if holder.objgen in seen:
                continue
            seen.add(holder.objgen)
        yield holder
        resources = holder.get("/Resources", pikepdf.Dictionary())
        for xobject in resources.get("/XObject", pikepdf.Dictionary()).values():
            if xobject.get("/Subtype") == Name.Form:
                stack.append(xobject)
        for pattern in resources.get("/Pattern", pikepdf.Dictionary()).values():
            if isinstance(pattern, pikepdf.Stream):
                stack.append(pattern)
