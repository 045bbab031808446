"""Page furniture and decoration written as artifacts: a contained WeasyPrint extension.

WeasyPrint 70 tags the text of running heads and page numbers (margin boxes)
as content, then leaves their structure elements out of the tree ("it could
be included as Artifact, but that's only allowed in PDF 2.0"): the content is
neither in the structure nor an artifact. Marked content *is* allowed to be an
artifact in PDF 1.7 (ISO 32000-1 §14.8.2.2); only the Artifact structure
element is new in 2.0. So here:

- margin boxes (running heads, folios) are drawn as
  `/Artifact <</Type /Pagination>> BDC`, in every PDF, tagged or not, with an
  empty `ActualText` inside (`/Span <</ActualText ()>> BDC`): text extraction
  that honours ActualText (poppler's `pdftotext`, Acrobat's copy) then skips
  them as a screen reader skips artifacts, and a paragraph that runs over a
  page break is extracted whole instead of with the folio in its middle. The
  folio is drawn and printed as before;
- in a tagged PDF, leader dots (contents entries) and elements the template
  marks `aria-hidden="true"` or `data-pdf-tag="Artifact"` are
  `/Artifact <</Type /Layout>> BDC`, out of the structure tree
  (structure_tree.py skips the same boxes).

Backgrounds, borders and rules are artifacts in WeasyPrint already.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pydyf
from weasyprint import document as document_module
from weasyprint.formatting_structure import boxes
from weasyprint.layout.absolute import AbsolutePlaceholder
from weasyprint.pdf.stream import Stream

from bulletin_press.typeset.gate import installed, replace

PAGINATION = "Pagination"
LAYOUT = "Layout"

_original_marked = Stream.marked
_original_draw_page = document_module.draw_page

# The artifact boxes of the page this thread is drawing (a thread draws one page at
# a time; the preview may write documents in several threads).
_drawing = threading.local()


def _own_kind(box: Any) -> str | None:
    if isinstance(box, boxes.MarginBox):
        return PAGINATION
    if box.is_leader:
        return LAYOUT
    element = box.element
    if element is not None and box.element_tag == element.tag and (
            element.get("aria-hidden") == "true"
            or element.get("data-pdf-tag") == "Artifact"):
        return LAYOUT
    return None


def _collect(box: Any, kind: str | None, into: dict[Any, str]) -> None:
    if isinstance(box, AbsolutePlaceholder):
        box = box._box
    kind = kind or _own_kind(box)
    if kind:
        into[box] = kind
    for child in getattr(box, "children", ()):
        _collect(child, kind, into)


def artifact_boxes(page_box: Any, *, tagged: bool = True) -> dict[Any, str]:
    """Box → artifact type, for the boxes of a page that are artifacts; untagged,
    only the margin boxes' (the page's other children are the document's)."""
    found: dict[Any, str] = {}
    if tagged:
        _collect(page_box, None, found)
    else:
        for child in page_box.children:
            if isinstance(child, boxes.MarginBox):
                _collect(child, PAGINATION, found)
    return found


def draw_page(page_box: Any, stream: Any) -> None:
    # WeasyPrint's own tree builder expects every text box tagged: with
    # structure_tree switched off, a tagged PDF keeps its content as it marks it.
    if stream._tags is not None and "structure_tree" not in installed():
        _original_draw_page(page_box, stream)
        return
    _drawing.boxes = artifact_boxes(page_box, tagged=stream._tags is not None)
    try:
        _original_draw_page(page_box, stream)
    finally:
        _drawing.boxes = {}


@contextmanager
def _artifact(stream: Any, kind: str) -> Iterator[None]:
    pydyf.Stream.begin_marked_content(stream, "Artifact", pydyf.Dictionary({"Type": f"/{kind}"}))
    if kind == PAGINATION:
        pydyf.Stream.begin_marked_content(
            stream, "Span", pydyf.Dictionary({"ActualText": pydyf.String("")}))
    try:
        yield
    finally:
        if kind == PAGINATION:
            pydyf.Stream.end_marked_content(stream)
        pydyf.Stream.end_marked_content(stream)


def marked(self: Any, box: Any, tag: str) -> Any:
    kind = getattr(_drawing, "boxes", {}).get(box)
    if kind is not None:
        return _artifact(self, kind)  # not recorded in the tags: no structure element
    return _original_marked(self, box, tag)


def install() -> None:
    replace("artifacts", Stream, "marked", marked)
    replace("artifacts", document_module, "draw_page", draw_page)  # Page.paint: by name
