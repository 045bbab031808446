"""Reading a tagged PDF: its structure tree, what each page's content is marked
as, and the text of each structure element. For the tagged rules of
pdfa_rules.py and for tests that read an archive as a screen reader would."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pikepdf
from pikepdf import Name

# ISO 32000-1 §14.8.4: the standard structure types of PDF 1.7.
STANDARD_TYPES = frozenset((
    "Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "TOC", "TOCI", "Index",
    "NonStruct", "Private", "P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "L", "LI", "Lbl",
    "LBody", "Table", "TR", "TH", "TD", "THead", "TBody", "TFoot", "Span", "Quote", "Note",
    "Reference", "BibEntry", "Code", "Link", "Annot", "Ruby", "RB", "RT", "RP", "Warichu", "WT",
    "WP", "Figure", "Formula", "Form"))

# Operators that put marks on the page (text, paths, shadings, images, forms).
_PAINTING = frozenset(("Tj", "TJ", "'", '"', "f", "F", "f*", "B", "B*", "b", "b*", "S", "s",
                       "sh", "Do", "INLINE IMAGE"))


@dataclass(frozen=True)
class Element:
    """A structure element: its type (after the role map), the element, its depth."""

    type: str
    obj: Any
    depth: int


def _kids(obj: Any) -> list[Any]:
    kids = obj.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _is_element(obj: Any) -> bool:
    return isinstance(obj, pikepdf.Dictionary) and "/S" in obj \
        and obj.get("/Type") not in (Name.MCR, Name.OBJR)


def standard_type(obj: Any, role_map: Any) -> str | None:
    """The element's standard type through the role map, or None (unmapped, circular)."""
    name = str(obj.get("/S", ""))[1:]
    seen: set[str] = set()
    while name not in STANDARD_TYPES:
        if name in seen or role_map is None or f"/{name}" not in role_map:
            return None
        seen.add(name)
        name = str(role_map[f"/{name}"])[1:]
    return name


def elements(pdf: pikepdf.Pdf) -> Iterator[Element]:
    """Every structure element, in the tree's order (depth first, as read)."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return
    role_map = root.get("/RoleMap")
    seen: set[tuple[int, int]] = set()
    stack = [(kid, 0) for kid in reversed(_kids(root))]
    while stack:
        obj, depth = stack.pop()
        if not _is_element(obj) or (obj.is_indirect and obj.objgen in seen):
            continue
        if obj.is_indirect:
            seen.add(obj.objgen)
        yield Element(standard_type(obj, role_map) or str(obj.S)[1:], obj, depth)
        stack += [(kid, depth + 1) for kid in reversed(_kids(obj))]


def _parent_tree(pdf: pikepdf.Pdf) -> dict[int, Any]:
    root = pdf.Root.get("/StructTreeRoot")
    if root is None or "/ParentTree" not in root:
        return {}
    return {int(key): value for key, value in pikepdf.NumberTree(root.ParentTree).items()}


@dataclass
class Mark:
    """A painting operator and the marked content it is in."""

    page: int  # 0-based
    operator: str
    artifact: bool
    mcid: int | None  # the innermost MCID around it


def marks(pdf: pikepdf.Pdf) -> Iterator[Mark]:
    """Every painting operator of every page (and of the forms it draws), with its marks."""
    for number, page in enumerate(pdf.pages):
        yield from _marks(page.obj, page.obj.get("/Resources", pikepdf.Dictionary()), number,
                          [], set())


def _marks(holder: Any, resources: Any, page: int, stack: list[tuple[str, int | None]],
           forms: set[tuple[int, int]]) -> Iterator[Mark]:
    try:
        operations: list[Any] = list(pikepdf.parse_content_stream(holder))
    except pikepdf.PdfError:
        return
    for operands, operator in operations:
        op = str(operator)
        if op in ("BMC", "BDC"):
            mcid = None
            if op == "BDC" and isinstance(operands[1], pikepdf.Dictionary) \
                    and "/MCID" in operands[1]:
                mcid = int(operands[1].MCID)
            stack.append((str(operands[0]), mcid))
        elif op == "EMC" and stack:
            stack.pop()
        elif op in _PAINTING:
            artifact = any(tag == "/Artifact" for tag, _ in stack)
            ids = [mcid for _, mcid in stack if mcid is not None]
            xobject = resources.get("/XObject", pikepdf.Dictionary()).get(str(operands[0])) \
                if op == "Do" else None
            if xobject is not None and xobject.get("/Subtype") == Name.Form \
                    and not artifact and not ids and xobject.objgen not in forms:
                # An unmarked form: its own content says what it is.
                yield from _marks(xobject, xobject.get("/Resources", resources), page,
                                  list(stack), forms | {xobject.objgen})
                continue
            yield Mark(page, op, artifact, ids[-1] if ids else None)


def untagged_content(pdf: pikepdf.Pdf) -> Iterator[str]:
    """What is painted but neither an artifact nor content of an element in the tree."""
    in_tree = {element.obj.objgen for element in elements(pdf)}
    parents = _parent_tree(pdf)
    problems: dict[tuple[int, str], int] = {}
    for mark in marks(pdf):
        if mark.artifact:
            continue
        if mark.mcid is None:
            reason = "outside any marked content"
        else:
            holder = pdf.pages[mark.page].obj
            owners = parents.get(int(holder.get("/StructParents", -1)))
            owner = owners[mark.mcid] if isinstance(owners, pikepdf.Array) \
                and mark.mcid < len(owners) else None
            if isinstance(owner, pikepdf.Dictionary) and owner.objgen in in_tree:
                continue
            reason = f"MCID {mark.mcid} belongs to no element of the structure tree"
        key = (mark.page, reason)
        problems[key] = problems.get(key, 0) + 1
    for (page, reason), count in sorted(problems.items()):
        yield f"page {page + 1}: {count} painting operators {reason}"


_BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")
_BFRANGE = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")


def _unicode_map(font: Any) -> dict[int, str]:
    found: dict[int, str] = {}
    stream = font.get("/ToUnicode")
    if not isinstance(stream, pikepdf.Stream):
        return found
    data = stream.read_bytes()
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for first, last, start in _BFRANGE.findall(block):
            for offset in range(int(last, 16) - int(first, 16) + 1):
                found[int(first, 16) + offset] = chr(int(start, 16) + offset)
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for code, text in _BFCHAR.findall(block):
            try:
                found[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
            except (ValueError, UnicodeDecodeError):
                continue
    return found


def marked_text(pdf: pikepdf.Pdf) -> dict[tuple[int, int], str]:
    """(page, MCID) → the text shown inside that marked content (2-byte CID fonts)."""
    found: dict[tuple[int, int], str] = {}
    for number, page in enumerate(pdf.pages):
        fonts = page.obj.get("/Resources", pikepdf.Dictionary()).get("/Font",
                                                                      pikepdf.Dictionary())
        maps = {str(name): _unicode_map(font) for name, font in fonts.items()}
        current: dict[int, str] = {}
        stack: list[int | None] = []
        operations: list[Any] = list(pikepdf.parse_content_stream(page.obj))
        for operands, operator in operations:
            op = str(operator)
            if op in ("BMC", "BDC"):
                props = operands[1] if op == "BDC" else None
                stack.append(int(props.MCID) if isinstance(props, pikepdf.Dictionary)
                             and "/MCID" in props else None)
            elif op == "EMC" and stack:
                stack.pop()
            elif op == "Tf":
                current = maps.get(str(operands[0]), {})
            elif op in ("Tj", "TJ") and stack and stack[-1] is not None:
                items = operands[0] if op == "TJ" else operands
                raw = b"".join(bytes(item) for item in items if isinstance(item, pikepdf.String))
                text = "".join(current.get(raw[i] << 8 | raw[i + 1], "")
                               for i in range(0, len(raw) - 1, 2))
                key = (number, stack[-1])
                found[key] = found.get(key, "") + text
    return found


def element_text(element: Any, pdf: pikepdf.Pdf, texts: dict[tuple[int, int], str]) -> str:
    """The text of an element and its descendants, in the order of its kids."""
    pages = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
    return _element_text(element, pages, texts)


def _element_text(obj: Any, pages: dict[tuple[int, int], int],
                  texts: dict[tuple[int, int], str]) -> str:
    page = pages.get(obj.Pg.objgen) if "/Pg" in obj else None
    parts = []
    for kid in _kids(obj):
        if isinstance(kid, int):
            parts.append(texts.get((page, kid), "") if page is not None else "")
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == Name.MCR:
            parts.append(texts.get((pages.get(kid.Pg.objgen, -1), int(kid.MCID)), ""))
        elif _is_element(kid):
            parts.append(_element_text(kid, pages, texts))
    return "".join(parts)
