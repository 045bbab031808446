"""The structure tree of a tagged PDF, built per HTML element: a contained
WeasyPrint extension (replaces `weasyprint.pdf.add_tags`).

WeasyPrint 70 builds the tree from the boxes of each page: an element cut by
a column or a page becomes one structure element per piece (a paragraph that
goes on in the next column is two P; an article on two pages two Art), every
piece of text is wrapped in a Span of its own, `<figure>`, `<header>`,
`<nav>` and `<aside>` become NonStruct, and running heads become structure
elements outside the tree. Here:

- one structure element per HTML element, whatever pages and columns it is
  cut into; its content in the order of the pages, then of the boxes;
- text goes straight into its element (no Span per piece); inline elements
  (`strong`, `em`, `span`) are not elements of their own;
- the type comes from the tag (`p` → P, `h3` → H3, `article` → Art,
  `section` → Sect, `figure`, `header`, `footer`, `nav`, `aside` → Div,
  `img` → Figure, `figcaption` → Caption, lists L/LI/Lbl/LBody, tables
  Table/TR/TH/TD) unless the template says otherwise with `data-pdf-tag`
  (a headline written `<h2 data-pdf-tag="H1">`, the contents list
  `data-pdf-tag="TOC"`, whose items become TOCI);
- a Figure's Alt is the image's `alt` (or `aria-label`, or an SVG's
  `<title>`), else the text of its figure's caption;
  its BBox is in PDF coordinates;
- a link's annotation says what the link shows (Contents), not its target;
- artifacts (artifacts.py: page furniture, leader dots, `aria-hidden`) are
  left out, as their content is marked Artifact.
"""

from __future__ import annotations

from typing import Any

import pydyf
from weasyprint import pdf as pdf_module
from weasyprint.formatting_structure import boxes
from weasyprint.layout.absolute import AbsolutePlaceholder

from bulletin_press.typeset.ext.artifacts import artifact_boxes
from bulletin_press.typeset.gate import replace

_PX_TO_PT = 0.75

TAGS = {
    "div": "Div", "p": "P", "article": "Art", "section": "Sect", "main": "Part",
    "header": "Div", "footer": "Div", "nav": "Div", "aside": "Div", "figure": "Div",
    "blockquote": "BlockQuote", "h1": "H1", "h2": "H2", "h3": "H3", "h4": "H4",
    "h5": "H5", "h6": "H6", "ul": "L", "ol": "L", "dl": "L", "li": "LI", "dt": "LI",
    "dd": "LBody", "a": "Link", "img": "Figure", "figcaption": "Caption",
    "caption": "Caption", "table": "Table", "thead": "THead", "tbody": "TBody",
    "tfoot": "TFoot", "tr": "TR", "th": "TH", "td": "TD",
    "{http://www.w3.org/2000/svg}svg": "Figure",
}


class _Node:
    """A structure element being built."""

    def __init__(self, item: Any, role: str, parent: _Node | None, page: int | None) -> None:
        self.item = item  # the pydyf dictionary
        self.role = role
        self.parent = parent
        self.page = page  # its Pg: content on other pages is referenced with an MCR
        self.children: list[_Node] = []
        self.text: list[str] = []
        self.body: _Node | None = None  # where an LI's content goes: its LBody (Lbl for dt)
        self.last_item: _Node | None = None  # a list's last LI


class _Tree:
    def __init__(self, pdf: Any, document: _Node) -> None:
        self.pdf = pdf
        self.document = document
        self.nodes: dict[tuple[Any, str], _Node] = {}
        self.annotations: list[tuple[Any, Any]] = []
        self._seen_annotations: set[int] = set()

    def _new(self, role: str, parent: _Node, page: int, first: bool = False) -> _Node:
        item = pydyf.Dictionary({"Type": "/StructElem", "S": f"/{role}", "K": pydyf.Array(),
                                 "P": parent.item.reference,
                                 "Pg": self.pdf.page_references[page]})
        self.pdf.add_object(item)
        node = _Node(item, role, parent, page)
        if first:
            parent.item["K"].insert(0, item.reference)
            parent.children.insert(0, node)
        else:
            parent.item["K"].append(item.reference)
            parent.children.append(node)
        return node

    def _role(self, box: Any, parent: _Node) -> str | None:
        tag = box.element_tag
        if "::" in tag:  # generated content belongs to its element, a list marker is a label
            return "Lbl" if tag.endswith("::marker") and parent.role == "LI" else None
        role = box.element.get("data-pdf-tag") or TAGS.get(tag)
        if role == "LI" and parent.role == "TOC":
            return "TOCI"
        return str(role) if role else None

    def node(self, box: Any, parent: _Node, page: int) -> _Node:
        """The element `box` belongs to (created on its first piece), or `parent`."""
        if box.element is None or box.element_tag in ("html", "body") \
                or isinstance(box, boxes.PageBox):
            return parent
        key = (box.element, box.element_tag)
        if key in self.nodes:
            return self.nodes[key]
        role = self._role(box, parent)
        if role is None:
            return parent
        container = parent.body if parent.body is not None and role != "Lbl" else parent
        if role == "Lbl":
            node = self._new(role, parent, page, first=True)
        elif role == "LBody":  # a dd: the body of the dt before it, or an item of its own
            item = container.last_item
            if item is None or item.body is None or item.body.role == "LBody":
                item = self._new("LI", container, page)
            node = self._new(role, item, page)
            item.body = node
        else:
            node = self._new(role, container, page)
            if role == "LI":
                node.body = self._new("Lbl" if box.element_tag == "dt" else "LBody", node, page)
                container.last_item = node
        self.nodes[key] = node
        if role == "Figure" and _alt(box.element):
            node.item["Alt"] = pydyf.String(_alt(box.element))
        elif role == "TH":
            scope = "/Row" if box.element.get("scope") == "row" else "/Column"
            node.item["A"] = pydyf.Dictionary({"O": "/Table", "Scope": scope})
            for name in ("colspan", "rowspan"):
                if getattr(box, name, 1) != 1:
                    node.item["A"]["ColSpan" if name == "colspan" else "RowSpan"] = \
                        getattr(box, name)
        elif role == "TD" and (getattr(box, "colspan", 1) != 1
                               or getattr(box, "rowspan", 1) != 1):
            node.item["A"] = pydyf.Dictionary({"O": "/Table", "ColSpan": box.colspan,
                                               "RowSpan": box.rowspan})
        return node

    def content(self, node: _Node, mcid: int, page: int, mcids: dict[int, Any]) -> None:
        target = node.body if node.body is not None else node
        if target.page == page:
            target.item["K"].append(mcid)
        else:
            target.item["K"].append(pydyf.Dictionary({
                "Type": "/MCR", "Pg": self.pdf.page_references[page], "MCID": mcid}))
        mcids[mcid] = target.item.reference

    def link(self, box: Any, node: _Node, page: int, artifacts: dict[Any, str]) -> None:
        annotation = box.link_annotation
        if annotation is None or id(annotation) in self._seen_annotations:
            return
        self._seen_annotations.add(id(annotation))
        link = node
        while link.role != "Link" and link.parent is not None:
            link = link.parent
        link = link if link.role == "Link" else node
        reference = pydyf.Dictionary({"Type": "/OBJR", "Obj": annotation.reference,
                                      "Pg": self.pdf.page_references[page]})
        self.pdf.add_object(reference)
        link.item["K"].append(reference.reference)
        shown = " ".join(_text(box, artifacts).split())
        if shown:  # what the reader sees, not the anchor's name
            annotation["Contents"] = pydyf.String(shown)
        self.annotations.append((link.item.reference, annotation))

    def walk(self, box: Any, parent: _Node, page: int, tags: dict[Any, Any],
             mcids: dict[int, Any], artifacts: dict[Any, str], height: float) -> None:
        if isinstance(box, AbsolutePlaceholder):
            box = box._box
        node = parent if box in artifacts else self.node(box, parent, page)
        self.link(box, node, page, artifacts)
        if box in artifacts:
            return
        if box in tags and isinstance(box, boxes.TextBox | boxes.ReplacedBox):
            self.content(node, tags.pop(box)["mcid"], page, mcids)
            if isinstance(box, boxes.TextBox):
                node.text.append(box.text)
            elif node.role == "Figure":
                x1, y1 = box.content_box_x(), box.content_box_y()
                x2, y2 = x1 + box.width, y1 + box.height
                node.item["A"] = pydyf.Dictionary({"O": "/Layout", "BBox": pydyf.Array([
                    x1 * _PX_TO_PT, (height - y2) * _PX_TO_PT,
                    x2 * _PX_TO_PT, (height - y1) * _PX_TO_PT])})
        for child in getattr(box, "children", ()):
            self.walk(child, node, page, tags, mcids, artifacts, height)

    def captions_as_alt(self, node: _Node) -> None:
        """A Figure without alt gets the text of the caption beside it."""
        captions = [c for c in node.children if c.role == "Caption"]
        for child in node.children:
            if child.role == "Figure" and "Alt" not in child.item and captions:
                child.item["Alt"] = pydyf.String("".join(_all_text(captions[0])).strip())
            self.captions_as_alt(child)


def _alt(element: Any) -> str:
    """An image's own alternate text: `alt`, `aria-label`, or an SVG's `<title>`."""
    title = element.find("{http://www.w3.org/2000/svg}title")
    text = element.get("alt") or element.get("aria-label") or (
        title.text if title is not None else None)
    return str(text or "").strip()


def _text(box: Any, artifacts: dict[Any, str]) -> str:
    if box in artifacts:
        return ""
    if isinstance(box, boxes.TextBox):
        return str(box.text)
    return "".join(_text(child, artifacts) for child in getattr(box, "children", ()))


def _all_text(node: _Node) -> list[str]:
    return node.text + [t for child in node.children for t in _all_text(child)]


def add_tags(pdf: Any, document: Any, pdf_version: Any, page_streams: Any) -> None:
    """What `weasyprint.pdf.tags.add_tags` does, with the tree described above."""
    parent_tree = pydyf.Dictionary({})
    pdf.add_object(parent_tree)
    root = pydyf.Dictionary({"Type": "/StructTreeRoot", "ParentTree": parent_tree.reference})
    pdf.add_object(root)
    top = pydyf.Dictionary({"Type": "/StructElem", "S": "/Document", "K": pydyf.Array(),
                            "P": root.reference})
    pdf.add_object(top)
    root["K"] = pydyf.Array([top.reference])
    pdf.catalog["StructTreeRoot"] = root.reference
    if str(pdf_version) >= "2.0":
        namespace = pydyf.Dictionary({"Type": "/Namespace",
                                      "NS": pydyf.String("http://iso.org/pdf2/ssn")})
        pdf.add_object(namespace)
        root["Namespaces"] = pydyf.Array([namespace.reference])
        top["NS"] = namespace.reference
    document_node = _Node(top, "Document", None, None)
    tree = _Tree(pdf, document_node)
    numbers = pydyf.Array()
    for number, (page, stream) in enumerate(zip(document.pages, page_streams, strict=True)):
        tags = stream._tags
        mcids: dict[int, Any] = {}
        tree.walk(page._page_box, document_node, number, tags, mcids,
                  artifact_boxes(page._page_box), page.height)
        for box in list(tags):  # drawn but met nowhere in the boxes: kept in the document
            tree.content(document_node, tags.pop(box)["mcid"], number, mcids)
        # Indexed by MCID (0, 1, 2 … as Stream.marked numbers them; null for none).
        numbers.extend([number, pydyf.Array([mcids.get(mcid, "null")
                                             for mcid in range(max(mcids, default=-1) + 1)])])
    tree.captions_as_alt(document_node)
    for index, (reference, annotation) in enumerate(tree.annotations,
                                                    start=len(document.pages)):
        numbers.extend([index, reference])
        annotation["StructParent"] = index
    parent_tree["Nums"] = numbers
    root["ParentTreeNextKey"] = len(document.pages) + len(tree.annotations)
    pdf.catalog["ViewerPreferences"] = pydyf.Dictionary({"DisplayDocTitle": "true"})
    pdf.catalog["MarkInfo"] = pydyf.Dictionary({"Marked": "true"})
    if "Lang" not in pdf.catalog:
        pdf.catalog["Lang"] = pydyf.String()


def install() -> None:
    replace("structure_tree", pdf_module, "add_tags", add_tags)  # generate_pdf: by name
