"""One print PDF from page runs typeset separately (see runs.py).

Each run is a complete PDF of its own: its pages, its fonts (subsets of the
same CJK fonts), its named destinations and outline. Joining them is more
than appending pages:

- fonts: the runs' subsets of one font become one font whose program holds
  the union of the glyphs, cut from the installed font file (bare CID-keyed
  CFF, as fontslim.py does), with the union of the widths (/W) and of the
  ToUnicode maps; so the issue embeds each font once, as a one-document build;
- links: a link to an article in another run was written by runs.py as a
  `bp-dest:` URI (WeasyPrint drops links to anchors it cannot see); here it
  becomes a link to the named destination, and the destinations of all runs
  are one name tree;
- outline and document information: the runs' outlines in order, and the
  first run's title, author, dates and language.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf
from pikepdf import Name

from bulletin_press.fonts.cff import PLACEHOLDER
from bulletin_press.pdf.font_subsets import (
    bare_cff_from,
    font_file,
    program_name,
    set_cff,
    slim_pdf,
)
from bulletin_press.pdf.walk import cid_widths, content_holders
from bulletin_press.runs.worker import LINK_PREFIX, RESUMED

FRAME = "/BPFrame"  # the page frame's name in each page's resources
CONTENTS = "/BPContents"  # the contents box's numbers', on the pages they are on


_BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")


def _to_unicode_map(stream: Any) -> dict[int, str]:
    """CID → text of a ToUnicode CMap made of bfchar entries (WeasyPrint writes only those)."""
    found: dict[int, str] = {}
    data = stream.read_bytes()
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for code, text in _BFCHAR.findall(block):
            try:
                found.setdefault(int(code, 16), bytes.fromhex(text.decode()).decode("utf-16-be"))
            except (ValueError, UnicodeDecodeError):
                continue
    return found


def _to_unicode_stream(pdf: pikepdf.Pdf, mapping: dict[int, str]) -> pikepdf.Stream:
    lines = [b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap",
             b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
             b"/CMapName /Adobe-Identity-UCS def", b"/CMapType 2 def",
             b"1 begincodespacerange", b"<0000> <ffff>", b"endcodespacerange"]
    items = sorted(mapping.items())
    for start in range(0, len(items), 100):
        batch = items[start:start + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        lines += [f"<{cid:04x}> <{text.encode('utf-16-be').hex()}>".encode()
                  for cid, text in batch]
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return pikepdf.Stream(pdf, b"\n".join(lines))


def _w_array(widths: dict[int, float]) -> pikepdf.Array:
    out: list[Any] = []
    run: list[Any] = []
    start = previous = None
    for cid in sorted(widths):
        if previous is not None and cid == previous + 1:
            run.append(widths[cid])
        else:
            if start is not None:
                out += [start, pikepdf.Array(run)]
            start, run = cid, [widths[cid]]
        previous = cid
    if start is not None:
        out += [start, pikepdf.Array(run)]
    return pikepdf.Array(out)


class FontNotFound(Exception):
    """A run's font was left out to be embedded once, but its file was not found."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        super().__init__(", ".join(names))


def _is_placeholder(font: Any) -> bool:
    program = font.DescendantFonts[0].FontDescriptor.FontFile3
    return bool(program.read_bytes().startswith(PLACEHOLDER))


def _page_fonts(pdf: pikepdf.Pdf, pages: int | None = None
                ) -> Iterator[tuple[Any, Name, Any]]:
    """(font resource dictionary, name, font) for every page (the first `pages`) and
    form XObject."""
    for holder in content_holders(pdf, pages):
        fonts = holder.get("/Resources", pikepdf.Dictionary()).get("/Font")
        if fonts is None:
            continue
        for name in list(fonts.keys()):
            yield fonts, Name(name), fonts[name]


# What merging needs of one font of a run (its CFF name, widths, ToUnicode map), by
# the font's object in the PDF being assembled: read once (see Begun).
_Parsed = tuple[str, dict[int, float], dict[int, str]]
# The glyphs of one merged font, cut from its installed file (file, face, CIDs).
_Cut = tuple[str, int, frozenset[int]]


def _parsed_font(font: Any, parsed: dict[tuple[int, int], _Parsed | None],
                 reads: dict[bytes, _Parsed | None] | None = None) -> _Parsed | None:
    """(CFF name, CID widths, ToUnicode map) of a run's Type0 font with an OpenType
    program; None for any other font. Kept in `parsed` by the font's object, and
    looked up in `reads` by its content (fonts read before they were copied into
    this PDF: `FontsAhead`)."""
    if font.objgen in parsed:
        return parsed[font.objgen]
    key = _font_key(font) if reads is not None else None
    if reads is not None and key is not None and key in reads:
        parsed[font.objgen] = reads[key]
        return reads[key]
    found = _read_font(font)
    parsed[font.objgen] = found
    if reads is not None and key is not None:
        reads[key] = found
    return found


def _font_key(font: Any) -> bytes | None:
    """What `_read_font` reads of `font`, as bytes to look it up by (~0.1 ms: its
    widths written out, its streams as stored); None for a font it does not read,
    or whose widths refer to other objects (their numbers differ from PDF to PDF)."""
    if font.get("/Subtype") != Name.Type0 or "/ToUnicode" not in font:
        return None
    cid_font = font.DescendantFonts[0]
    program = cid_font.get("/FontDescriptor", {}).get("/FontFile3")
    if program is None or program.get("/Subtype") != Name.OpenType:
        return None
    widths = cid_font.W.unparse(resolved=True) if "/W" in cid_font else b"[]"
    if b"R" in widths:
        return None
    digest = hashlib.sha256(widths)
    for stream in (program, font.ToUnicode):
        digest.update(b"|" + repr(stream.get("/Filter")).encode() + b"|"
                      + repr(stream.get("/DecodeParms")).encode() + b"|")
        digest.update(stream.read_raw_bytes())
    return digest.digest()


def _read_font(font: Any) -> _Parsed | None:
    found: _Parsed | None = None
    if font.get("/Subtype") == Name.Type0:
        cid_font = font.DescendantFonts[0]
        program = cid_font.get("/FontDescriptor", {}).get("/FontFile3")
        if program is not None and program.get("/Subtype") == Name.OpenType:
            name = program_name(program.read_bytes())
            if name is not None:
                found = (name, cid_widths(cid_font),  # its glyphs (see used_cids)
                         _to_unicode_map(font.ToUnicode))
    return found


def _font_groups(pdf: pikepdf.Pdf, parsed: dict[tuple[int, int], _Parsed | None],
                 reads: dict[bytes, _Parsed | None] | None = None) -> dict[str, list[Any]]:
    """CFF name → the runs' fonts with that program, in the order the pages use them."""
    groups: dict[str, list[Any]] = {}
    for _, _, font in _page_fonts(pdf):
        found = _parsed_font(font, parsed, reads)
        if found is None:
            continue
        group = groups.setdefault(found[0], [])
        if all(f.objgen != font.objgen for f in group):
            group.append(font)
    return groups


def _font_extra(font_folders: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(str(p) for folder in font_folders for p in sorted(Path(folder).glob("*"))
                 if p.suffix.lower() in (".otf", ".ttc", ".otc"))


def _cut(cut: _Cut) -> bytes | None:
    # Without hints (~17 % smaller): a print RIP renders at 1200+ dpi, where hints
    # do nothing; the one-document build (check, archive) keeps them.
    return bare_cff_from(cut[0], cut[1], set(cut[2]), hinting=False)


def merge_fonts(pdf: pikepdf.Pdf, font_folders: tuple[str, ...] = (), *,
                parsed: dict[tuple[int, int], _Parsed | None] | None = None,
                cut: dict[_Cut, Future[bytes | None]] | None = None,
                reads: dict[bytes, _Parsed | None] | None = None) -> int:
    """Make the runs' subsets of each font one font; returns how many fonts remain merged.
    `parsed`: the fonts already read (see Begun), `cut`: fonts already being cut from
    their files, used when the glyphs are the same; `reads`: fonts read by their
    content (see FontsAhead)."""
    parsed = {} if parsed is None else parsed
    groups = _font_groups(pdf, parsed, reads)
    extra = _font_extra(font_folders)
    replacement: dict[tuple[int, int], Any] = {}
    merges: list[tuple[list[Any], _Cut, dict[int, float], dict[int, str]]] = []
    for cff_name, fonts in sorted(groups.items()):  # the same bytes from every build
        located = font_file(cff_name, extra)
        if located is None:
            continue  # left as the runs wrote them; slim_fonts cuts each down
        cids: set[int] = set()
        widths: dict[int, float] = {}
        to_unicode: dict[int, str] = {}
        for font in fonts:
            _, own, texts = _parsed_font(font, parsed) or ("", {}, {})  # (a group's: read)
            cids |= {0} | set(own)
            widths = own | widths  # the first font's width wins
            for cid, text in texts.items():
                to_unicode.setdefault(cid, text)
        merges.append((fonts, (located[0], located[1], frozenset(cids)), widths, to_unicode))
    # The fonts are cut at once: HarfBuzz runs outside Python's lock (~20 -> ~10 ms).
    ready = cut or {}
    todo = [m[1] for m in merges if m[1] not in ready]
    with ThreadPoolExecutor(max_workers=max(1, len(todo))) as pool:
        done = dict(zip(todo, pool.map(_cut, todo), strict=True))
    cffs = [done[m[1]] if m[1] in done else ready[m[1]].result() for m in merges]
    for (fonts, _, widths, to_unicode), cff in zip(merges, cffs, strict=True):
        if cff is None:
            continue
        first = fonts[0]
        merged = pdf.make_indirect(_copy(first))
        cid_font = _copy(first.DescendantFonts[0])
        descriptor = _copy(cid_font.FontDescriptor)
        set_cff(pdf, cid_font, descriptor, cff)
        cid_font.FontDescriptor = pdf.make_indirect(descriptor)
        cid_font.W = _w_array(widths)
        merged.DescendantFonts = pikepdf.Array([pdf.make_indirect(cid_font)])
        merged.ToUnicode = pdf.make_indirect(_to_unicode_stream(pdf, to_unicode))
        for font in fonts:
            replacement[font.objgen] = merged
    for resources, key, font in list(_page_fonts(pdf)):
        if font.objgen in replacement:
            resources[key] = replacement[font.objgen]
    left = {name: [f for f in group if f.objgen not in replacement]
            for name, group in groups.items()}
    if any(_is_placeholder(f) for group in left.values() for f in group):
        raise FontNotFound(sorted(name for name, group in left.items() if group))
    return len({id(v) for v in replacement.values()})


def _copy(dictionary: Any) -> pikepdf.Dictionary:
    """A shallow copy, to be made a new object."""
    return pikepdf.Dictionary({str(k): dictionary[k] for k in dictionary.keys()})  # noqa: SIM118


def _image_key(image: Any) -> str:
    digest = hashlib.sha256(image.read_raw_bytes())
    for key in ("/Width", "/Height", "/BitsPerComponent", "/ColorSpace", "/Filter",
                "/DecodeParms", "/Decode", "/Interpolate", "/ImageMask"):
        digest.update(f"{key}={image.get(key)!r};".encode())
    mask = image.get("/SMask")
    if mask is not None:
        digest.update(_image_key(mask).encode())
    return digest.hexdigest()


def dedupe_images(pdf: pikepdf.Pdf) -> int:
    """One object per identical image: a photo placed in several runs is embedded once
    (a one-document build shares it the same way). Returns how many were dropped."""
    first: dict[str, Any] = {}
    dropped = 0
    for holder in content_holders(pdf):
        xobjects = holder.get("/Resources", pikepdf.Dictionary()).get("/XObject")
        if xobjects is None:
            continue
        for name in list(xobjects.keys()):
            image = xobjects[name]
            if image.get("/Subtype") != Name.Image:
                continue
            kept = first.setdefault(_image_key(image), image)
            if kept.objgen != image.objgen:
                xobjects[name] = kept
                dropped += 1
    return dropped


def _dest_names(part: pikepdf.Pdf) -> Iterator[tuple[str, Any]]:
    names = part.Root.get("/Names", pikepdf.Dictionary()).get("/Dests")
    if names is None:
        return
    tree = pikepdf.NameTree(names)
    for key in tree:
        yield str(key), tree[key]


def _outline_items(part: pikepdf.Pdf) -> list[tuple[str, int, float, float]]:
    pages: dict[Any, int] = {page.objgen: i for i, page in enumerate(part.pages)}
    found = []
    with part.open_outline() as outline:
        for item in outline.root:
            dest = item.destination
            if isinstance(dest, pikepdf.Array) and len(dest) >= 4 and dest[0].objgen in pages:
                found.append((item.title, pages[dest[0].objgen], float(dest[2]), float(dest[3])))
    return found


def assemble(run_pdfs: list[bytes], *, frame: bytes | None = None,
             contents: bytes | None = None, font_folders: tuple[str, ...] = (),
             shared: list[bool] | None = None, begun: Begun | None = None,
             fonts: FontsAhead | None = None) -> bytes:
    """The issue's PDF from its runs' PDFs, in order; `frame`: pages with the
    running heads and page numbers, laid over the runs' pages one by one;
    `contents`: the first pages with the contents box's leaders and numbers,
    laid over those; `shared`: the runs whose first page is laid over the last
    page of the run before (a run that begins inside flowing text, see plan.py).
    `begun`: this assembly as `begin` began it with the same runs, frame, fonts
    and `shared`, finished here. `fonts`: the fonts of the runs, frame and contents
    as read and cut while they were typeset (FontsAhead), used where the same."""
    if begun is None:
        begun = begin(run_pdfs, frame=frame, font_folders=font_folders, shared=shared,
                      fonts=fonts)
    return begun.finish(contents)


@dataclass
class Begun:
    """An assembly begun without the contents box's numbers (`begin`): the runs'
    pages and the frame laid, their fonts read and already being cut from their
    files, while the contents document may still be typeset in a worker (it is
    typeset last, ~0.08 s, with this process and a core idle: see
    pipeline._build_runs). `finish` makes the same bytes as `assemble` did in one
    go; a contents font with glyphs of its own only has that font cut again."""

    merged: pikepdf.Pdf
    dests: dict[str, Any]
    outline: list[tuple[str, int, float, float]]
    font_folders: tuple[str, ...]
    parsed: dict[tuple[int, int], _Parsed | None] = field(default_factory=dict)
    cut: dict[_Cut, Future[bytes | None]] = field(default_factory=dict)
    cutter: ThreadPoolExecutor | None = None
    fonts: FontsAhead | None = None  # read and cut before the runs were all typeset

    def finish(self, contents: bytes | None = None) -> bytes:
        """The issue's PDF, with `contents` laid over its first pages."""
        merged = self.merged
        try:
            if contents is not None:  # drawn first: as a document's own contents box is
                _lay_frame(merged, contents, CONTENTS, every=False)
            _link_across_runs(merged, set(self.dests))
            if self.dests:
                tree = pikepdf.NameTree.new(merged)
                for name in sorted(self.dests):
                    tree[name] = self.dests[name]
                merged.Root.Names = pikepdf.Dictionary(Dests=tree.obj)
            with merged.open_outline() as root:
                for title, page, x, y in self.outline:
                    root.root.append(pikepdf.OutlineItem(title, page, "XYZ", left=x, top=y))
            ahead = self.fonts or FontsAhead(self.font_folders)
            merge_fonts(merged, self.font_folders, parsed=self.parsed,
                        cut={**ahead.cut, **self.cut}, reads=ahead.reads)
            slim_pdf(merged)  # fonts that could not be merged are cut down one by one
            dedupe_images(merged)
            out = io.BytesIO()
            merged.save(out, deterministic_id=True, compress_streams=True,
                        object_stream_mode=pikepdf.ObjectStreamMode.generate)
            return out.getvalue()
        finally:
            self.close()

    def close(self) -> None:
        """Let the PDF and the fonts being cut go (`finish` does; unfinished, call it;
        again, nothing more happens)."""
        if self.cutter is not None:
            self.cutter.shutdown(wait=True, cancel_futures=True)
            self.cutter = None
        self.merged.close()


def begin(run_pdfs: list[bytes], *, frame: bytes | None = None,
          font_folders: tuple[str, ...] = (), shared: list[bool] | None = None,
          ahead: bool = False, likely: bytes | None = None,
          fonts: FontsAhead | None = None) -> Begun:
    """An assembly of the runs' PDFs with the frame (see `assemble`), to `finish`
    with the contents box's numbers. `ahead`: the fonts are also read and cut now,
    in threads, for the glyphs the runs and frame use and those of `likely` (a
    PDF like the contents document to come: an earlier round's, whose leaders and
    numbers use mostly the same glyphs); `finish` cuts again only a font whose
    glyphs came out otherwise. `fonts`: see `assemble`."""
    shared = shared or [False] * len(run_pdfs)
    merged = pikepdf.new()
    try:
        dests: dict[str, Any] = {}
        outline: list[tuple[str, int, float, float]] = []
        parts = [pikepdf.open(io.BytesIO(data)) for data in run_pdfs]
        try:
            for index, part in enumerate(parts):
                offset = len(merged.pages)
                source_pages = {page.objgen: i for i, page in enumerate(part.pages)}
                over = shared[index] and offset > 0
                if over:
                    offset -= 1  # its first page is the last one's
                    _lay_over(merged, merged.pages[offset], part, part.pages[0])
                with warnings.catch_warnings():  # destinations are carried over below
                    warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
                    merged.pages.extend(part.pages[1:] if over else part.pages)
                for name, dest in _dest_names(part):
                    page = source_pages.get(dest[0].objgen) if len(dest) else None
                    # (not a resumed article's own anchors: the whole article's are
                    # the run's before, plan.py `resumed_flows`)
                    if page is not None and name not in dests and not name.endswith(RESUMED):
                        dests[name] = pikepdf.Array([merged.pages[offset + page].obj,
                                                     *list(dest)[1:]])
                outline += [(t, offset + p, x, y) for t, p, x, y in _outline_items(part)]
                if index == 0:
                    _copy_document_info(part, merged)
        finally:
            for part in parts:
                part.close()
        if frame is not None:
            _lay_frame(merged, frame)
        begun = Begun(merged, dests, outline, font_folders, fonts=fonts)
        if ahead:
            _cut_ahead(begun, likely)
        return begun
    except BaseException:
        merged.close()
        raise


def _cut_ahead(begun: Begun, likely: bytes | None = None) -> None:
    """Read the fonts the pages use now and start cutting each merged font from its
    file (in threads: HarfBuzz runs outside Python's lock), for the glyphs used so
    far and those `likely` uses of the same fonts."""
    more: dict[str, set[int]] = {}
    if likely is not None:
        with pikepdf.open(io.BytesIO(likely)) as pdf:
            for _, _, font in _page_fonts(pdf):
                found = _parsed_font(font, {})
                if found is not None:
                    more.setdefault(found[0], set()).update(found[1])
    extra = _font_extra(begun.font_folders)
    cuts: list[_Cut] = []
    reads = begun.fonts.reads if begun.fonts is not None else None
    under_way = begun.fonts.cut if begun.fonts is not None else {}
    for cff_name, fonts in sorted(_font_groups(begun.merged, begun.parsed, reads).items()):
        located = font_file(cff_name, extra)
        if located is None:
            continue
        cids: set[int] = {0} | more.get(cff_name, set())
        for font in fonts:
            cids |= set((_parsed_font(font, begun.parsed, reads) or ("", {}, {}))[1])
        if (located[0], located[1], frozenset(cids)) not in under_way:
            cuts.append((located[0], located[1], frozenset(cids)))
    if cuts:
        begun.cutter = ThreadPoolExecutor(max_workers=len(cuts))
        begun.cut = {cut: begun.cutter.submit(_cut, cut) for cut in cuts}


@dataclass
class FontsAhead:
    """The fonts of PDFs to be assembled, read and cut from their files before the
    assembly (while this process waits for a worker and a core idles: a round of
    the page plan that typesets one run; see pipeline._build_runs): each font read
    by its content (`reads`, used by `merge_fonts` for the same font in the PDF
    assembled), each merged font cut for the glyphs all of them use (`cut`, used
    when the assembly's come out the same). Nothing here is assumed: the assembly
    reads and cuts what it finds otherwise, and makes the same bytes either way."""

    font_folders: tuple[str, ...]
    reads: dict[bytes, _Parsed | None] = field(default_factory=dict)
    cut: dict[_Cut, Future[bytes | None]] = field(default_factory=dict)
    cutter: ThreadPoolExecutor | None = None

    def read(self, pdfs: list[tuple[bytes, int | None]]) -> None:
        """Read the fonts of each PDF (of its first pages only, if a number is
        given: a frame with pages to spare) and start cutting each font for the
        glyphs they use together, in a thread, unless it is being cut already."""
        glyphs: dict[str, set[int]] = {}
        for data, pages in pdfs:
            with pikepdf.open(io.BytesIO(data)) as pdf:
                for _, _, font in _page_fonts(pdf, pages):
                    found = _parsed_font(font, {}, self.reads)
                    if found is not None:
                        glyphs.setdefault(found[0], {0}).update(found[1])
        extra = _font_extra(self.font_folders)
        for cff_name, cids in sorted(glyphs.items()):
            located = font_file(cff_name, extra)
            if located is None:
                continue
            cut = (located[0], located[1], frozenset(cids))
            if cut not in self.cut:
                if self.cutter is None:  # one thread: the core left idle, not both
                    self.cutter = ThreadPoolExecutor(max_workers=1)
                self.cut[cut] = self.cutter.submit(_cut, cut)

    def close(self) -> None:
        """Let the cutting go (what is under way ends; nothing more is started)."""
        if self.cutter is not None:
            self.cutter.shutdown(wait=True, cancel_futures=True)
            self.cutter = None


OVER = "/BPRun"  # a shared page: the next runs' first pages (/BPRun1, …), in its resources


def _lay_over(merged: pikepdf.Pdf, page: Any, part: pikepdf.Pdf, over: Any) -> None:
    """Draw page `over` (of `part`) on `page` of `merged`, 1:1, and take its
    links: the page where one run's text ends and the next one's begins."""
    form = over.as_form_xobject()
    form.BBox = over.mediabox
    form.Matrix = pikepdf.Array([1, 0, 0, 1, 0, 0])
    resources = _copy(page.obj.get("/Resources", pikepdf.Dictionary()))
    xobjects = _copy(resources.get("/XObject", pikepdf.Dictionary()))
    # A run shorter than a page: the page holds the first pages of several runs.
    name = OVER + str(1 + sum(1 for key in xobjects.keys() if str(key).startswith(OVER)))  # noqa: SIM118
    xobjects[name] = merged.copy_foreign(form)
    resources.XObject = xobjects
    page.obj.Resources = resources
    page.contents_add(pikepdf.Stream(merged, b"q\n"), prepend=True)
    page.contents_add(pikepdf.Stream(merged, b"\nQ q " + name.encode() + b" Do Q\n"))
    annots = over.obj.get("/Annots")
    if annots is not None:
        own = list(page.obj.get("/Annots", pikepdf.Array()))
        for annot in annots:
            # Without its page (/P, the other PDF's): copying it would copy the page.
            bare = pikepdf.Dictionary({str(k): annot[k] for k in annot.keys()  # noqa: SIM118
                                       if k != "/P"})
            copied = merged.copy_foreign(part.make_indirect(bare))
            copied.P = page.obj
            own.append(copied)
        page.obj.Annots = pikepdf.Array(own)


def _lay_frame(merged: pikepdf.Pdf, frame: bytes, name: str = FRAME, every: bool = True
               ) -> None:
    """Lay `frame`'s pages under the content of `merged`'s, one by one (`every`:
    it has a page for each; else as many as it has), as form XObject `name`."""
    with pikepdf.open(io.BytesIO(frame)) as frames:
        if every and len(frames.pages) < len(merged.pages):
            raise ValueError(f"{len(frames.pages)} frame pages for {len(merged.pages)} pages")
        for page, over in zip(merged.pages, frames.pages, strict=False):
            form = over.as_form_xobject()
            form.BBox = over.mediabox  # same page geometry: laid on 1:1, never scaled
            form.Matrix = pikepdf.Array([1, 0, 0, 1, 0, 0])
            # Pages of a run may share one resource dictionary: each gets its own.
            resources = _copy(page.obj.get("/Resources", pikepdf.Dictionary()))
            xobjects = _copy(resources.get("/XObject", pikepdf.Dictionary()))
            xobjects[name] = merged.copy_foreign(form)
            resources.XObject = xobjects
            page.obj.Resources = resources
            # Drawn before the run's content, isolated from it: the frame's text
            # (running heads, the contents box's leaders and page numbers) is read
            # before the page's own, never between a paragraph's lines on one page
            # and the next (pdftotext -raw, copying text). Nothing of the frame lies
            # under the run's content.
            draw = b"q " + name.encode() + b" Do Q\n"
            page.contents_add(pikepdf.Stream(merged, draw), prepend=True)


def _copy_document_info(part: pikepdf.Pdf, merged: pikepdf.Pdf) -> None:
    for key, value in part.docinfo.items():
        merged.docinfo[key] = value
    if "/Lang" in part.Root:
        merged.Root.Lang = part.Root.Lang


def _link_across_runs(pdf: pikepdf.Pdf, names: set[str]) -> None:
    """`bp-dest:` URI links (written by runs.py) become links to the named destination."""
    for page in pdf.pages:
        annots = page.obj.get("/Annots")
        if annots is None:
            continue
        kept = []
        for annot in annots:
            action = annot.get("/A")
            uri = str(action.get("/URI", "")) if action is not None else ""
            if uri.startswith(LINK_PREFIX):
                name = uri[len(LINK_PREFIX):]
                if name not in names:
                    continue  # its target is in no run: no link, as WeasyPrint does
                del annot["/A"]
                annot.Dest = pikepdf.String(name)
            kept.append(annot)
        page.obj.Annots = pikepdf.Array(kept)
