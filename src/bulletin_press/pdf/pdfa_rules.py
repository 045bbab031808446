"""A PDF/A-2 and PDF/A-3 conformance check (ISO 19005-2/-3), rule by rule.

veraPDF, the reference validator, cannot be installed here, so the rules its
validation profiles state for PDF/A-2B/2U/3B/3U are checked mechanically with
pikepdf (and fontTools for the embedded font programs). Each rule carries its
clause and the veraPDF rule number ("6.2.8-3"); rules of our own that go
beyond the standard start with "X-". What is not checked is listed in
docs/pdfa.md.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pikepdf
from fontTools.ttLib import TTFont
from pikepdf import Name

from bulletin_press.diagnostics import Diagnostic, error
from bulletin_press.i18n import N_, _
from bulletin_press.pdf.structure import elements, standard_type, untagged_content
from bulletin_press.pdf.walk import cid_widths, reachable

# pikepdf objects are dynamically typed (a Dictionary may be a Stream, a value
# an Object or None); the checks below test their shape at run time.
PdfObject = Any


@dataclass(frozen=True)
class Rule:
    id: str  # veraPDF numbering, or X-… for our own
    clause: str
    text: str
    parts: frozenset[int] = frozenset({2, 3})
    levels: frozenset[str] = frozenset({"B", "U", "A"})
    standards: frozenset[str] = frozenset({"A"})  # A = PDF/A-2/3, X4 = PDF/X-4


@dataclass
class Failure:
    rule: Rule
    detail: str


@dataclass
class Report:
    part: int
    level: str
    checked: list[Rule] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    def failed_ids(self) -> set[str]:
        return {f.rule.id for f in self.failures}

    def diagnostics(self) -> list[Diagnostic]:
        name = "PDF/X-4" if self.level == "X" else f"PDF/A-{self.part}{self.level.lower()}"
        return [error(f"pdfa.{f.rule.id}", f"{name} §{f.rule.clause} ({f.rule.id}): "
                      + _(f.rule.text) + f" — {f.detail}",
                      hint=_("this is a bulletin_press bug or a layout using features "
                             "PDF/A forbids; please report it"))
                for f in self.failures]


class Doc:
    """The parsed PDF and what several rules share, computed once."""

    def __init__(self, data: bytes, pdf: pikepdf.Pdf, part: int, level: str) -> None:
        self.data, self.pdf, self.part, self.level = data, pdf, part, level
        self.intents = list(pdf.Root.get("/OutputIntents", pikepdf.Array()))
        self.xmp_text = ""
        if "/Metadata" in pdf.Root:
            self.xmp_text = pdf.Root.Metadata.read_bytes().decode("utf-8", "replace")
        self.fonts: list[PdfObject] = []
        self.used_codes: dict[tuple[int, int], set[int]] = {}  # font objgen → codes
        self.device_spaces: set[str] = set()
        self.inline_images: list[PdfObject] = []
        self._scan_pages()

    def _scan_pages(self) -> None:
        seen_fonts: set[tuple[int, int]] = set()
        seen_forms: set[tuple[int, int]] = set()
        for page in self.pdf.pages:
            self._scan(page.obj, page.obj.get("/Resources", pikepdf.Dictionary()),
                       seen_fonts, seen_forms)

    def _scan(self, holder: PdfObject, resources: PdfObject,
              seen_fonts: set[tuple[int, int]], seen_forms: set[tuple[int, int]]) -> None:
        fonts = resources.get("/Font", pikepdf.Dictionary())
        for font in fonts.values():
            if font.objgen not in seen_fonts:
                seen_fonts.add(font.objgen)
                self.fonts.append(font)
        for cs in resources.get("/ColorSpace", pikepdf.Dictionary()).values():
            self._colour_space(cs)
        for xobject in resources.get("/XObject", pikepdf.Dictionary()).values():
            if xobject.get("/Subtype") == Name.Image:
                self._colour_space(xobject.get("/ColorSpace"))
            elif xobject.get("/Subtype") == Name.Form and xobject.objgen not in seen_forms:
                seen_forms.add(xobject.objgen)
                self._scan(xobject, xobject.get("/Resources", resources), seen_fonts,
                           seen_forms)
        font = None
        try:
            operations: list[Any] = list(pikepdf.parse_content_stream(holder))
        except pikepdf.PdfError:
            return
        for operands, operator in operations:
            op = str(operator)
            if op == "INLINE IMAGE":
                self.inline_images.append(operands[0])
            elif op == "Tf" and operands:
                font = fonts.get(str(operands[0]))
            elif op in ("Tj", "'", '"', "TJ") and font is not None:
                strings = operands[0] if op == "TJ" else operands[-1:]
                codes = self.used_codes.setdefault(font.objgen, set())
                for item in strings:
                    if isinstance(item, pikepdf.String):
                        codes.update(_codes(bytes(item), font))
            elif op in ("rg", "RG"):
                self.device_spaces.add("DeviceRGB")
            elif op in ("k", "K"):
                self.device_spaces.add("DeviceCMYK")
            elif op in ("g", "G"):
                self.device_spaces.add("DeviceGray")
            elif op in ("cs", "CS") and operands and str(operands[0]).startswith("/Device"):
                self.device_spaces.add(str(operands[0])[1:])

    def _colour_space(self, cs: PdfObject | None) -> None:
        if cs is None:
            return
        if isinstance(cs, pikepdf.Name) and str(cs).startswith("/Device"):
            self.device_spaces.add(str(cs)[1:])
        elif isinstance(cs, pikepdf.Array) and len(cs) > 1 and cs[0] in (
                Name.Indexed, Name.Separation, Name.DeviceN):
            self._colour_space(cs[1] if cs[0] == Name.Indexed else cs[2])

    def objects(self) -> Iterator[PdfObject]:
        return reachable(self.pdf.trailer)

    def streams(self) -> Iterator[PdfObject]:
        return (o for o in self.objects() if isinstance(o, pikepdf.Stream))

    def dictionaries(self) -> Iterator[PdfObject]:
        return (o for o in self.objects() if isinstance(o, pikepdf.Dictionary | pikepdf.Stream))

    def annotations(self) -> Iterator[PdfObject]:
        for page in self.pdf.pages:
            yield from page.obj.get("/Annots", pikepdf.Array())

    def descendant(self, font: PdfObject) -> PdfObject:
        if font.get("/Subtype") == Name.Type0:
            return font.DescendantFonts[0]
        return font


def _codes(raw: bytes, font: PdfObject) -> Iterator[int]:
    if font.get("/Subtype") == Name.Type0:
        for i in range(0, len(raw) - 1, 2):
            yield raw[i] << 8 | raw[i + 1]
    else:
        yield from raw


Check = Callable[[Doc], Iterator[str]]
BOTH = ("A", "X4")  # rules PDF/X-4 shares with PDF/A
RULES: list[tuple[Rule, Check]] = []


def rule(id_: str, clause: str, text: str, *, parts: tuple[int, ...] = (2, 3),
         levels: str = "BUA", standards: tuple[str, ...] = ("A",)
         ) -> Callable[[Check], Check]:
    def register(check: Check) -> Check:
        RULES.append((Rule(id_, clause, text, frozenset(parts), frozenset(levels),
                           frozenset(standards)), check))
        return check
    return register


# 6.1 File structure ---------------------------------------------------------

@rule("6.1.2-1", "6.1.2", N_("the file starts with %PDF-1.n, n from 0 to 7"))
def _header(doc: Doc) -> Iterator[str]:
    if not re.match(rb"%PDF-1\.[0-7]\r?\n", doc.data):
        yield f"header is {doc.data[:9]!r}"


@rule("6.1.2-2", "6.1.2", N_("the header is followed by a comment of four bytes above 127"))
def _binary_comment(doc: Doc) -> Iterator[str]:
    second = doc.data.split(b"\n", 2)[1] if doc.data.count(b"\n") > 1 else b""
    if not (second.startswith(b"%") and len(second) >= 5
            and all(b > 127 for b in second[1:5])):
        yield "no binary comment on the second line"


@rule("6.1.3-1", "6.1.3", N_("the trailer has a file identifier (ID)"), standards=BOTH)
def _trailer_id(doc: Doc) -> Iterator[str]:
    ident = doc.pdf.trailer.get("/ID")
    if not isinstance(ident, pikepdf.Array) or len(ident) != 2:
        yield "no ID array of two strings in the trailer"


@rule("6.1.3-2", "6.1.3", N_("the file is not encrypted"), standards=BOTH)
def _no_encrypt(doc: Doc) -> Iterator[str]:
    if "/Encrypt" in doc.pdf.trailer or doc.pdf.is_encrypted:
        yield "the trailer has an Encrypt entry"


@rule("6.1.3-3", "6.1.3", N_("nothing follows the last %%EOF but one end-of-line"))
def _post_eof(doc: Doc) -> Iterator[str]:
    tail = doc.data[doc.data.rfind(b"%%EOF") + 5:]
    if tail not in (b"", b"\n", b"\r\n", b"\r"):
        yield f"{len(tail)} bytes after %%EOF"


@rule("6.1.7.1-3", "6.1.7.1", N_("streams have no F, FFilter or FDecodeParms (external data)"),
      standards=BOTH)
def _external_streams(doc: Doc) -> Iterator[str]:
    for stream in doc.streams():
        for key in ("/F", "/FFilter", "/FDecodeParms"):
            if key in stream.stream_dict:
                yield f"stream {stream.objgen} has {key}"


def _filters(value: PdfObject | None) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, pikepdf.Array) else [value]
    return [str(v) for v in items]


@rule("6.1.7.2-1", "6.1.7.2", N_("no stream uses LZWDecode"), standards=BOTH)
def _lzw(doc: Doc) -> Iterator[str]:
    for stream in doc.streams():
        if "/LZWDecode" in _filters(stream.stream_dict.get("/Filter")):
            yield f"stream {stream.objgen} is LZW-compressed"


@rule("6.1.10-1", "6.1.10", N_("inline images use no LZW or Crypt filter"))
def _inline_filters(doc: Doc) -> Iterator[str]:
    for image in doc.inline_images:
        names = _filters(image.obj.get("/F", image.obj.get("/Filter")))
        if any(n in ("/LZW", "/LZWDecode", "/Crypt") for n in names):
            yield "an inline image is LZW-compressed"


# 6.2 Graphics ---------------------------------------------------------------

def _pdfa_intents(doc: Doc) -> list[PdfObject]:
    return [i for i in doc.intents if i.get("/S") == Name.GTS_PDFA1]


def icc_header(profile: PdfObject) -> tuple[str, str] | None:
    data = profile.read_bytes()
    if len(data) < 128 or data[36:40] != b"acsp":
        return None
    return data[12:16].decode("latin-1"), data[16:20].decode("latin-1")


@rule("6.2.3-1", "6.2.3", N_("an output intent GTS_PDFA1 with an embedded ICC profile"))
def _output_intent(doc: Doc) -> Iterator[str]:
    intents = _pdfa_intents(doc)
    if not intents:
        yield "no OutputIntents entry with S /GTS_PDFA1"
    for intent in intents:
        profile = intent.get("/DestOutputProfile")
        if not isinstance(profile, pikepdf.Stream):
            yield "the output intent has no DestOutputProfile"


@rule("6.2.3-2", "6.2.3", N_("all output intents share one DestOutputProfile"))
def _one_profile(doc: Doc) -> Iterator[str]:
    profiles = {i.DestOutputProfile.objgen for i in doc.intents if "/DestOutputProfile" in i}
    if len(profiles) > 1:
        yield f"{len(profiles)} different output profiles"


@rule("6.2.3-3", "6.2.3", N_("the output profile is a valid ICC profile of class mntr or prtr "
      "for RGB, CMYK or Gray"))
def _valid_profile(doc: Doc) -> Iterator[str]:
    for intent in _pdfa_intents(doc):
        profile = intent.get("/DestOutputProfile")
        if not isinstance(profile, pikepdf.Stream):
            continue
        header = icc_header(profile)
        if header is None:
            yield "the output profile is not an ICC profile"
        elif header[0] not in ("mntr", "prtr") or header[1] not in ("RGB ", "CMYK", "GRAY"):
            yield f"profile class {header[0]!r}, colour space {header[1]!r}"


def _intent_space(doc: Doc) -> str | None:
    for intent in _pdfa_intents(doc):
        profile = intent.get("/DestOutputProfile")
        if isinstance(profile, pikepdf.Stream) and (header := icc_header(profile)):
            return header[1].strip()
    return None


@rule("6.2.4.3-2", "6.2.4.3", N_("DeviceRGB is used only with an RGB output intent"))
def _device_rgb(doc: Doc) -> Iterator[str]:
    if "DeviceRGB" in doc.device_spaces and _intent_space(doc) != "RGB":
        yield "DeviceRGB colour without an RGB output intent"


@rule("6.2.4.3-3", "6.2.4.3", N_("DeviceCMYK is used only with a CMYK output intent"))
def _device_cmyk(doc: Doc) -> Iterator[str]:
    if "DeviceCMYK" in doc.device_spaces and _intent_space(doc) != "CMYK":
        yield "DeviceCMYK colour without a CMYK output intent"


@rule("6.2.4.3-4", "6.2.4.3", N_("DeviceGray is used only with an output intent"))
def _device_gray(doc: Doc) -> Iterator[str]:
    if "DeviceGray" in doc.device_spaces and _intent_space(doc) is None:
        yield "DeviceGray colour without an output intent"


@rule("6.2.4.2-1", "6.2.4.2", N_("ICCBased colour spaces state N equal to their profile's"))
def _icc_n(doc: Doc) -> Iterator[str]:
    components = {"RGB ": 3, "CMYK": 4, "GRAY": 1}
    for obj in doc.objects():
        if isinstance(obj, pikepdf.Array) and len(obj) == 2 and obj[0] == Name.ICCBased:
            profile = obj[1]
            header = icc_header(profile)
            if header and components.get(header[1]) != int(profile.get("/N", 0)):
                yield f"ICC profile {profile.objgen}: N={profile.get('/N')} for {header[1]}"


@rule("6.2.5-1", "6.2.5", N_("extended graphics states have no TR and TR2 is Default"),
      standards=BOTH)
def _transfer(doc: Doc) -> Iterator[str]:
    for d in doc.dictionaries():
        if d.get("/Type") == Name.ExtGState or "/CA" in d or "/ca" in d or "/BM" in d:
            if "/TR" in d:
                yield f"graphics state {d.objgen} has TR"
            if "/TR2" in d and Name.Default != d.TR2:
                yield f"graphics state {d.objgen} has TR2 other than Default"


@rule("6.2.5-3", "6.2.5", N_("extended graphics states have no HTP key"))
def _htp(doc: Doc) -> Iterator[str]:
    for d in doc.dictionaries():
        if d.get("/Type") == Name.ExtGState and "/HTP" in d:
            yield f"graphics state {d.objgen} has HTP"


@rule("6.2.8-1", "6.2.8", N_("images have no Alternates"), standards=BOTH)
def _alternates(doc: Doc) -> Iterator[str]:
    for stream in doc.streams():
        if stream.get("/Subtype") == Name.Image and "/Alternates" in stream:
            yield f"image {stream.objgen} has Alternates"


@rule("6.2.8-2", "6.2.8", N_("images and forms have no OPI"))
def _opi(doc: Doc) -> Iterator[str]:
    for stream in doc.streams():
        if stream.get("/Subtype") in (Name.Image, Name.Form) and "/OPI" in stream:
            yield f"XObject {stream.objgen} has OPI"


@rule("6.2.8-3", "6.2.8", N_("Interpolate is false for every image"))
def _interpolate(doc: Doc) -> Iterator[str]:
    for stream in doc.streams():
        if stream.get("/Subtype") == Name.Image and stream.get("/Interpolate") is True:
            yield f"image {stream.objgen} has Interpolate true"
    for image in doc.inline_images:
        if image.obj.get("/I", image.obj.get("/Interpolate")) is True:
            yield "an inline image has Interpolate true"


@rule("6.2.9-1", "6.2.9", N_("no PostScript XObjects and no Subtype2 PS forms"), standards=BOTH)
def _postscript(doc: Doc) -> Iterator[str]:
    for stream in doc.streams():
        if stream.get("/Subtype") == Name.PS or stream.get("/Subtype2") == Name.PS:
            yield f"PostScript XObject {stream.objgen}"


@rule("6.2.9-2", "6.2.9", N_("no reference XObjects (forms with Ref point to other files)"),
      standards=BOTH)
def _reference_xobjects(doc: Doc) -> Iterator[str]:
    for stream in doc.streams():
        if stream.get("/Subtype") == Name.Form and "/Ref" in stream:
            yield f"form XObject {stream.objgen} refers to an external file"


_BLEND_MODES = {"/Normal", "/Compatible", "/Multiply", "/Screen", "/Overlay", "/Darken",
                "/Lighten", "/ColorDodge", "/ColorBurn", "/HardLight", "/SoftLight",
                "/Difference", "/Exclusion", "/Hue", "/Saturation", "/Color", "/Luminosity"}


@rule("6.2.10-1", "6.2.10", N_("only blend modes defined in ISO 32000-1"), standards=BOTH)
def _blend_modes(doc: Doc) -> Iterator[str]:
    for d in doc.dictionaries():
        if "/BM" in d:
            for mode in _filters(d.BM):
                if mode not in _BLEND_MODES:
                    yield f"graphics state {d.objgen} uses blend mode {mode}"


@rule("6.2.10-2", "6.2.10", N_("a page with a transparency group has a group colour space "
      "when there is no output intent"))
def _group_cs(doc: Doc) -> Iterator[str]:
    if _pdfa_intents(doc):
        return
    for number, page in enumerate(doc.pdf.pages, start=1):
        group = page.obj.get("/Group")
        if group is not None and group.get("/S") == Name.Transparency and "/CS" not in group:
            yield f"page {number}"


# 6.2.11 Fonts ---------------------------------------------------------------

def _descriptor(doc: Doc, font: PdfObject) -> PdfObject | None:
    return doc.descendant(font).get("/FontDescriptor")


@rule("6.2.11.4.1-1", "6.2.11.4.1", N_("every font program is embedded"), standards=BOTH)
def _embedded(doc: Doc) -> Iterator[str]:
    for font in doc.fonts:
        if font.get("/Subtype") == Name.Type3:
            continue
        descriptor = _descriptor(doc, font)
        if descriptor is None or not any(k in descriptor for k in (
                "/FontFile", "/FontFile2", "/FontFile3")):
            yield f"font {font.get('/BaseFont')} is not embedded"


@rule("6.2.11.2-7", "6.2.11.2", N_("FontFile3 programs are Type1C, CIDFontType0C or OpenType"),
      standards=BOTH)
def _fontfile3(doc: Doc) -> Iterator[str]:
    for font in doc.fonts:
        descriptor = _descriptor(doc, font)
        if descriptor is not None and "/FontFile3" in descriptor:
            subtype = descriptor.FontFile3.get("/Subtype")
            if subtype not in (Name.Type1C, Name.CIDFontType0C, Name.OpenType):
                yield f"font {font.get('/BaseFont')} has FontFile3 of subtype {subtype}"


@rule("6.2.11.3.2-1", "6.2.11.3.2", N_("every CIDFontType2 font has a CIDToGIDMap"),
      standards=BOTH)
def _cid_to_gid(doc: Doc) -> Iterator[str]:
    for font in doc.fonts:
        cid_font = doc.descendant(font)
        if cid_font.get("/Subtype") == Name.CIDFontType2 and "/CIDToGIDMap" not in cid_font:
            yield f"font {font.get('/BaseFont')} has no CIDToGIDMap"


_STANDARD_CMAPS = re.compile(r"/(Identity|UniGB|GBK|GB|GBpc|GBT|UniCNS|B5|ETen|HKscs|CNS|UniJIS|"
                             r"90|83pv|Add|EUC|Ext|H$|V$|RKSJ|UniKS|KSC)")


@rule("6.2.11.3.3-1", "6.2.11.3.3", N_("a CMap that is not predefined is embedded"),
      standards=BOTH)
def _cmaps(doc: Doc) -> Iterator[str]:
    for font in doc.fonts:
        if font.get("/Subtype") != Name.Type0:
            continue
        encoding = font.get("/Encoding")
        if isinstance(encoding, pikepdf.Name) and not _STANDARD_CMAPS.match(str(encoding)):
            yield f"font {font.get('/BaseFont')} names CMap {encoding}, which is not embedded"


@rule("6.2.11.3.1-1", "6.2.11.3.1", N_("an embedded CMap's CIDSystemInfo matches its CIDFont's"))
def _cid_system_info(doc: Doc) -> Iterator[str]:
    for font in doc.fonts:
        encoding = font.get("/Encoding")
        if font.get("/Subtype") != Name.Type0 or not isinstance(encoding, pikepdf.Stream):
            continue
        ours = encoding.get("/CIDSystemInfo")
        theirs = doc.descendant(font).get("/CIDSystemInfo")
        if ours is not None and theirs is not None and (
                str(ours.get("/Registry")) != str(theirs.get("/Registry"))
                or str(ours.get("/Ordering")) != str(theirs.get("/Ordering"))):
            yield f"font {font.get('/BaseFont')}: CMap and CIDFont CIDSystemInfo differ"


def _program(doc: Doc, font: PdfObject) -> TTFont | None:
    descriptor = _descriptor(doc, font)
    if descriptor is None:
        return None
    stream = descriptor.get("/FontFile2")
    if stream is None and "/FontFile3" in descriptor and \
            descriptor.FontFile3.get("/Subtype") == Name.OpenType:
        stream = descriptor.FontFile3
    if stream is None:
        return None
    try:
        return TTFont(io.BytesIO(stream.read_bytes()), lazy=True)
    except Exception:  # a broken program is reported by its own rule
        return None


@rule("6.2.11.4.2-2", "6.2.11.4.2", N_("a CIDSet, if present, lists every CID in the program"))
def _cidset(doc: Doc) -> Iterator[str]:
    for font in doc.fonts:
        descriptor = _descriptor(doc, font)
        if descriptor is None or "/CIDSet" not in descriptor:
            continue
        advances = _program_advances(doc, font)
        if advances is None:
            continue
        bits = descriptor.CIDSet.read_bytes()
        missing = [c for c in advances if not (
            c // 8 < len(bits) and bits[c // 8] & (0x80 >> (c % 8)))]
        if missing:
            yield (f"font {font.get('/BaseFont')}: CIDSet lacks {len(missing)} of "
                   f"{len(advances)} CIDs")


def _program_advances(doc: Doc, font: PdfObject) -> dict[int, float] | None:
    """Advance widths (1/1000 em) by CID from the embedded program, if it can be read."""
    program = _program(doc, font)
    if program is not None and "hmtx" in program:
        scale = 1000 / program["head"].unitsPerEm
        metrics = program["hmtx"].metrics
        return {cid: metrics[name][0] * scale
                for cid, name in enumerate(program.getGlyphOrder())}
    descriptor = _descriptor(doc, font)
    stream = descriptor.get("/FontFile3") if descriptor is not None else None
    if stream is None or stream.get("/Subtype") != Name.CIDFontType0C:
        return None
    return _cff_advances(stream.read_bytes())


def _cff_advances(data: bytes) -> dict[int, float] | None:
    from fontTools.cffLib import CFFFontSet
    from fontTools.pens.basePen import NullPen

    try:
        cff = CFFFontSet()
        cff.decompile(io.BytesIO(data), None)
        top = cff[cff.fontNames[0]]
        scale = float(top.FontMatrix[0]) * 1000
        advances: dict[int, float] = {}
        for name in top.charset:
            charstring = top.CharStrings[name]
            charstring.draw(NullPen())
            cid = 0 if name == ".notdef" else int(name[3:])
            advances[cid] = charstring.width * scale
        return advances
    except Exception:  # a broken program is reported by its own rule
        return None


@rule("6.2.11.5-1", "6.2.11.5", N_("glyph widths in the PDF match the embedded font program"),
      standards=BOTH)
def _width_consistency(doc: Doc) -> Iterator[str]:
    for font in doc.fonts:
        if font.get("/Subtype") != Name.Type0:
            continue
        advances = _program_advances(doc, font)
        if advances is None:
            continue
        used = doc.used_codes.get(font.objgen, set())
        for cid, width in cid_widths(doc.descendant(font)).items():
            if cid not in used or cid not in advances:
                continue
            advance = advances[cid]
            if abs(advance - width) > 1:
                yield (f"font {font.get('/BaseFont')}: CID {cid} is {width:g} wide in the PDF, "
                       f"{advance:g} in the font")
                break


def _to_unicode(font: PdfObject) -> dict[int, str] | None:
    stream = font.get("/ToUnicode")
    if not isinstance(stream, pikepdf.Stream):
        return None
    text = stream.read_bytes().decode("latin-1")
    mapping: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            mapping[int(src, 16)] = _utf16(dst)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, dst in re.findall(
                r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            base = _utf16(dst)
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                mapping[code] = base[:-1] + chr(ord(base[-1]) + offset) if base else ""
    return mapping


def _utf16(hexdigits: str) -> str:
    try:
        return bytes.fromhex(hexdigits).decode("utf-16-be")
    except ValueError:
        return ""


@rule("6.2.11.7.2-1", "6.2.11.7.2", N_("every used character code has a ToUnicode mapping"),
      levels="UA")
def _to_unicode_complete(doc: Doc) -> Iterator[str]:
    for font in doc.fonts:
        used = doc.used_codes.get(font.objgen, set())
        if not used:
            continue
        mapping = _to_unicode(font)
        if mapping is None:
            yield f"font {font.get('/BaseFont')} has no ToUnicode"
            continue
        missing = sorted(used - set(mapping))
        if missing:
            yield (f"font {font.get('/BaseFont')}: {len(missing)} codes without Unicode "
                   f"(first {missing[0]:#06x})")


@rule("6.2.11.7.2-2", "6.2.11.7.2", N_("no code maps to U+0000, U+FEFF or U+FFFE"), levels="UA")
def _to_unicode_values(doc: Doc) -> Iterator[str]:
    for font in doc.fonts:
        mapping = _to_unicode(font) or {}
        used = doc.used_codes.get(font.objgen, set())
        bad = [c for c in used if mapping.get(c) in ("\x00", "\ufeff", "\ufffe")]
        if bad:
            yield f"font {font.get('/BaseFont')}: code {bad[0]:#06x} maps to a forbidden value"


@rule("6.2.11.8-1", "6.2.11.8", N_("no text shows the .notdef glyph"))
def _notdef(doc: Doc) -> Iterator[str]:
    for font in doc.fonts:
        encoding = font.get("/Encoding")
        identity = encoding in (Name("/Identity-H"), Name("/Identity-V"))
        if font.get("/Subtype") == Name.Type0 and not identity:
            yield f"font {font.get('/BaseFont')} uses a custom CMap (WeasyPrint writes one " \
                  "for characters no font has: they print as .notdef)"
        elif identity and 0 in doc.used_codes.get(font.objgen, set()):
            yield f"font {font.get('/BaseFont')} shows CID 0 (.notdef)"


# 6.3 Annotations, 6.4 forms, 6.5 actions --------------------------------------

_FORBIDDEN_ANNOTS = {"/3D", "/Sound", "/Screen", "/Movie"}


@rule("6.3.1-1", "6.3.1", N_("no 3D, Sound, Screen or Movie annotations"))
def _annot_types(doc: Doc) -> Iterator[str]:
    for annot in doc.annotations():
        if str(annot.get("/Subtype")) in _FORBIDDEN_ANNOTS:
            yield f"annotation of type {annot.Subtype}"


@rule("6.3.2-1", "6.3.2", N_("annotations are printable and not hidden (F flags)"))
def _annot_flags(doc: Doc) -> Iterator[str]:
    for annot in doc.annotations():
        if annot.get("/Subtype") == Name.Popup:
            continue
        flags = int(annot.get("/F", 0))
        if not flags & 4 or flags & (1 | 2 | 32):
            yield f"{annot.get('/Subtype')} annotation with F={flags}"


@rule("6.3.3-1", "6.3.3", N_("annotations other than Link and Popup have a normal appearance"))
def _appearances(doc: Doc) -> Iterator[str]:
    for annot in doc.annotations():
        if annot.get("/Subtype") in (Name.Link, Name.Popup):
            continue
        ap = annot.get("/AP")
        if ap is None or "/N" not in ap:
            yield f"{annot.get('/Subtype')} annotation without an appearance stream"


@rule("6.4.1-1", "6.4.1", N_("the form does not ask viewers to make appearances "
      "(NeedAppearances)"))
def _need_appearances(doc: Doc) -> Iterator[str]:
    form: PdfObject = doc.pdf.Root.get("/AcroForm")
    if form is not None and form.get("/NeedAppearances") is True:
        yield "AcroForm NeedAppearances is true"


_FORBIDDEN_ACTIONS = {"/Launch", "/Sound", "/Movie", "/ResetForm", "/ImportData", "/Hide",
                      "/JavaScript", "/SetOCGState", "/Rendition", "/Trans", "/GoTo3DView"}


@rule("6.5.1-1", "6.5.1", N_("no Launch, JavaScript or other forbidden actions"), standards=BOTH)
def _actions(doc: Doc) -> Iterator[str]:
    for d in doc.dictionaries():
        # An action is known by its /S name; no other dictionary uses these names.
        if str(d.get("/S")) in _FORBIDDEN_ACTIONS:
            yield f"a {d.S} action"
        if d.get("/S") == Name.Named and str(d.get("/N")) not in (
                "/NextPage", "/PrevPage", "/FirstPage", "/LastPage"):
            yield f"named action {d.get('/N')}"


@rule("6.5.2-1", "6.5.2", N_("the catalog and pages have no additional actions (AA)"),
      standards=BOTH)
def _additional_actions(doc: Doc) -> Iterator[str]:
    if "/AA" in doc.pdf.Root:
        yield "the catalog has AA"
    for number, page in enumerate(doc.pdf.pages, start=1):
        if "/AA" in page.obj:
            yield f"page {number} has AA"


@rule("6.1.11-1", "6.1.11", N_("the document has no JavaScript name tree"), standards=BOTH)
def _javascript_names(doc: Doc) -> Iterator[str]:
    names = doc.pdf.Root.get("/Names")
    if names is not None and "/JavaScript" in names:
        yield "the Names dictionary has JavaScript"


# 6.6 Metadata ----------------------------------------------------------------

_NS = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
       "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
       "dc": "http://purl.org/dc/elements/1.1/",
       "pdf": "http://ns.adobe.com/pdf/1.3/",
       "xmp": "http://ns.adobe.com/xap/1.0/"}
_PREDEFINED = {
    "http://purl.org/dc/elements/1.1/", "http://ns.adobe.com/xap/1.0/",
    "http://ns.adobe.com/xap/1.0/rights/", "http://ns.adobe.com/xap/1.0/mm/",
    "http://ns.adobe.com/xap/1.0/bj/", "http://ns.adobe.com/xap/1.0/t/pg/",
    "http://ns.adobe.com/xap/1.0/g/img/", "http://ns.adobe.com/xmp/1.0/DynamicMedia/",
    "http://ns.adobe.com/pdf/1.3/", "http://ns.adobe.com/photoshop/1.0/",
    "http://ns.adobe.com/exif/1.0/", "http://ns.adobe.com/tiff/1.0/",
    "http://ns.adobe.com/camera-raw-settings/1.0/", "http://ns.adobe.com/exif/1.0/aux/",
    "http://www.aiim.org/pdfa/ns/id/", "http://www.aiim.org/pdfa/ns/extension/",
    "http://www.aiim.org/pdfa/ns/schema#", "http://www.aiim.org/pdfa/ns/property#",
    "http://www.aiim.org/pdfa/ns/type#", "http://www.aiim.org/pdfa/ns/field#",
    "http://ns.adobe.com/xmp/sType/ResourceRef#", "http://ns.adobe.com/xap/1.0/sType/ResourceRef#",
    "http://ns.adobe.com/xap/1.0/sType/ResourceEvent#", "http://ns.adobe.com/xap/1.0/sType/Version#",
    "http://ns.adobe.com/xap/1.0/sType/Job#", "http://ns.adobe.com/xap/1.0/sType/Dimensions#",
    "http://ns.adobe.com/xap/1.0/sType/Font#", "http://ns.adobe.com/xap/1.0/g/",
    "http://ns.adobe.com/xmp/Identifier/qual/1.0/", _NS["rdf"], "adobe:ns:meta/",
    "http://www.w3.org/XML/1998/namespace",
}


def xmp_root(doc: Doc) -> ET.Element | None:
    text = doc.xmp_text
    start = text.find("<x:xmpmeta")
    end = text.find("</x:xmpmeta>")
    if start < 0 or end < 0:
        return None
    try:
        return ET.fromstring(text[start:end + len("</x:xmpmeta>")])
    except ET.ParseError:
        return None


@rule("6.6.2.1-1", "6.6.2.1", N_("the catalog has an XMP metadata stream that parses"))
def _has_xmp(doc: Doc) -> Iterator[str]:
    if "/Metadata" not in doc.pdf.Root:
        yield "no Metadata in the catalog"
    elif xmp_root(doc) is None:
        yield "the metadata stream is not well-formed XMP"


def xmp_value(root: ET.Element, ns: str, name: str) -> str | None:
    tag = f"{{{_NS[ns]}}}{name}"
    for description in root.iter(f"{{{_NS['rdf']}}}Description"):
        if tag in description.attrib:
            return description.attrib[tag]
        element = description.find(tag)
        if element is not None:
            items = element.findall(f".//{{{_NS['rdf']}}}li")
            return items[0].text or "" if items else (element.text or "")
    return None


@rule("6.6.4-1", "6.6.4", N_("XMP pdfaid:part states the part the file claims"))
def _pdfaid_part(doc: Doc) -> Iterator[str]:
    root = xmp_root(doc)
    part = xmp_value(root, "pdfaid", "part") if root is not None else None
    if part != str(doc.part):
        yield f"pdfaid:part is {part!r}, expected '{doc.part}'"


@rule("6.6.4-2", "6.6.4", N_("XMP pdfaid:conformance states the level (A, B or U)"))
def _pdfaid_conformance(doc: Doc) -> Iterator[str]:
    root = xmp_root(doc)
    level = xmp_value(root, "pdfaid", "conformance") if root is not None else None
    if level != doc.level:
        yield f"pdfaid:conformance is {level!r}, expected '{doc.level}'"


@rule("6.6.2.3.1-1", "6.6.2.3.1", N_("XMP uses only predefined schemas (or declared extensions)"))
def _schemas(doc: Doc) -> Iterator[str]:
    declared = set(re.findall(r"<pdfaSchema:namespaceURI>([^<]+)<", doc.xmp_text))
    for uri in sorted(set(re.findall(r'xmlns:\w+="([^"]+)"', doc.xmp_text))):
        if uri not in _PREDEFINED and uri not in declared:
            yield f"schema {uri} is neither predefined nor declared"


_INFO_XMP = {"/Title": ("dc", "title"), "/Author": ("dc", "creator"),
             "/Subject": ("dc", "description"), "/Keywords": ("pdf", "Keywords"),
             "/Creator": ("xmp", "CreatorTool"), "/Producer": ("pdf", "Producer")}


@rule("X-info-xmp", "6.6 (our rule)", N_("the Info dictionary and XMP say the same"))
def _info_xmp(doc: Doc) -> Iterator[str]:
    root = xmp_root(doc)
    if root is None:
        return
    info = doc.pdf.trailer.get("/Info", pikepdf.Dictionary())
    for key, (ns, name) in _INFO_XMP.items():
        if key in info and xmp_value(root, ns, name) != str(info[key]):
            yield f"Info {key} = {str(info[key])!r}, XMP {ns}:{name} = " \
                  f"{xmp_value(root, ns, name)!r}"


@rule("X-language", "6.6 (our rule)", N_("the document language is declared (catalog Lang "
      "and XMP dc:language)"))
def _language(doc: Doc) -> Iterator[str]:
    root = xmp_root(doc)
    if "/Lang" not in doc.pdf.Root:
        yield "no Lang in the catalog"
    elif not str(doc.pdf.Root.Lang).strip():  # "unknown" (what WeasyPrint writes without one)
        yield "the catalog's Lang is empty"
    elif root is not None and xmp_value(root, "dc", "language") != str(doc.pdf.Root.Lang):
        yield "XMP dc:language differs from the catalog's Lang"


# 6.7 Logical structure (level A: a tagged PDF) ----------------------------------

@rule("6.7.2.2-1", "6.7.2.2", N_("the catalog's MarkInfo says Marked true"), levels="A")
def _marked(doc: Doc) -> Iterator[str]:
    mark_info = doc.pdf.Root.get("/MarkInfo")
    marked: Any = mark_info.get("/Marked") if isinstance(mark_info, pikepdf.Dictionary) else None
    if marked is not True:
        yield "no MarkInfo with Marked true in the catalog"


@rule("6.7.3.3-1", "6.7.3.3", N_("a structure tree rooted in the catalog's StructTreeRoot"),
      levels="A")
def _structure_tree(doc: Doc) -> Iterator[str]:
    root = doc.pdf.Root.get("/StructTreeRoot")
    if not isinstance(root, pikepdf.Dictionary):
        yield "no StructTreeRoot in the catalog"
    elif next(elements(doc.pdf), None) is None:
        yield "the structure tree has no elements"


@rule("6.7.3.4-1", "6.7.3.4", N_("every structure type is standard (ISO 32000-1 §14.8.4) or "
      "role-mapped to one, without circles"), levels="A")
def _standard_types(doc: Doc) -> Iterator[str]:
    root = doc.pdf.Root.get("/StructTreeRoot")
    role_map = root.get("/RoleMap") if isinstance(root, pikepdf.Dictionary) else None
    unmapped = sorted({str(e.obj.S) for e in elements(doc.pdf)
                       if standard_type(e.obj, role_map) is None})
    if unmapped:
        yield f"not standard and not mapped: {', '.join(unmapped)}"


_LANGUAGE_TAG = re.compile(r"^$|^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$")


@rule("6.7.4-1", "6.7.4", N_("every Lang (catalog, structure elements) is a language tag "
      "(RFC 3066)"), levels="A")
def _language_tags(doc: Doc) -> Iterator[str]:
    holders = [("the catalog", doc.pdf.Root)]
    holders += [(f"a {e.type} element", e.obj) for e in elements(doc.pdf)]
    for where, holder in holders:
        if "/Lang" in holder and not _LANGUAGE_TAG.match(str(holder.Lang)):
            yield f"{where} has Lang {str(holder.Lang)!r}"


@rule("X-tagged-content", "6.7.2 (our rule; ISO 32000-1 §14.8.2.2)", N_("every piece of "
      "page content is in the structure tree or marked as an artifact"), levels="A")
def _tagged_content(doc: Doc) -> Iterator[str]:
    if "/StructTreeRoot" in doc.pdf.Root:  # else 6.7.3.3-1 says it
        yield from untagged_content(doc.pdf)


@rule("X-figure-alt", "6.7 (our rule; ISO 32000-1 §14.9.3)", N_("every Figure has alternate "
      "text (Alt or ActualText)"), levels="A")
def _figure_alt(doc: Doc) -> Iterator[str]:
    for element in elements(doc.pdf):
        if element.type == "Figure" and not (str(element.obj.get("/Alt", "")).strip()
                                             or str(element.obj.get("/ActualText", "")).strip()):
            yield f"a Figure without Alt (element {element.obj.objgen})"


@rule("X-display-title", "6.7 (our rule; ISO 14289-1 §7.1)", N_("the viewer shows the "
      "document's title (DisplayDocTitle true, a dc:title in XMP)"), levels="A")
def _display_title(doc: Doc) -> Iterator[str]:
    preferences = doc.pdf.Root.get("/ViewerPreferences", pikepdf.Dictionary())
    shown: Any = preferences.get("/DisplayDocTitle")
    if shown is not True:
        yield "ViewerPreferences has no DisplayDocTitle true"
    root = xmp_root(doc)
    if root is not None and not xmp_value(root, "dc", "title"):
        yield "XMP has no dc:title"


# 6.8 Embedded files ------------------------------------------------------------

def _file_specs(doc: Doc) -> Iterator[PdfObject]:
    names = doc.pdf.Root.get("/Names", pikepdf.Dictionary()).get("/EmbeddedFiles")
    if names is None:
        return
    stack = [names]
    while stack:
        node = stack.pop()
        items = list(node.get("/Names", pikepdf.Array()))
        yield from items[1::2]
        stack += list(node.get("/Kids", pikepdf.Array()))


@rule("6.8-1", "6.8", N_("embedded files are PDF/A files"), parts=(2,))
def _part2_attachments(doc: Doc) -> Iterator[str]:
    for spec in _file_specs(doc):
        data = spec.get("/EF", pikepdf.Dictionary()).get("/F")
        if data is None or not data.read_bytes().startswith(b"%PDF-"):
            yield f"embedded file {spec.get('/F')} is not a PDF"


@rule("6.8-2", "6.8", N_("embedded file streams state their MIME type (Subtype)"), parts=(3,))
def _mime(doc: Doc) -> Iterator[str]:
    for spec in _file_specs(doc):
        stream = spec.get("/EF", pikepdf.Dictionary()).get("/F")
        if stream is None or "/Subtype" not in stream:
            yield f"embedded file {spec.get('/F')} has no Subtype"


@rule("6.8-3", "6.8", N_("file specifications have F and UF"), parts=(3,))
def _f_uf(doc: Doc) -> Iterator[str]:
    for spec in _file_specs(doc):
        if "/F" not in spec or "/UF" not in spec:
            yield f"file specification {spec.objgen} lacks F or UF"


@rule("6.8-4", "6.8", N_("file specifications state their AFRelationship and are in the "
      "catalog's AF"), parts=(3,))
def _af(doc: Doc) -> Iterator[str]:
    listed = {spec.objgen for spec in doc.pdf.Root.get("/AF", pikepdf.Array())}
    for spec in _file_specs(doc):
        if "/AFRelationship" not in spec:
            yield f"embedded file {spec.get('/F')} has no AFRelationship"
        elif spec.objgen not in listed:
            yield f"embedded file {spec.get('/F')} is not in the catalog's AF array"


def check_pdfa(data: bytes, part: int | None = None, level: str | None = None,
               only: frozenset[str] | None = None) -> Report:
    """Check `data` against PDF/A-`part` `level`; by default what its XMP claims;
    `only` these rule ids if given."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        if part is None or level is None:
            claimed = _claimed(pdf)
            part = part or claimed[0]
            level = level or claimed[1]
        report = Report(part, level)
        doc = Doc(data, pdf, part, level)
        for entry, check in RULES:
            if "A" not in entry.standards or part not in entry.parts \
                    or level not in entry.levels or (only is not None and entry.id not in only):
                continue
            report.checked.append(entry)
            report.failures += [Failure(entry, detail) for detail in check(doc)]
    return report


def claims_pdfa(data: bytes) -> bool:
    """Does the file's XMP say it is PDF/A (pdfaid:part)? A print PDF does not."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        if "/Metadata" not in pdf.Root:
            return False
        text = pdf.Root.Metadata.read_bytes().decode("utf-8", "replace")
    return re.search(r'pdfaid:part(?:="|>)(\d)', text) is not None


def _claimed(pdf: pikepdf.Pdf) -> tuple[int, str]:
    text = ""
    if "/Metadata" in pdf.Root:
        text = pdf.Root.Metadata.read_bytes().decode("utf-8", "replace")
    part = re.search(r'pdfaid:part(?:="|>)(\d)', text)
    level = re.search(r'pdfaid:conformance(?:="|>)([ABUabu])', text)
    return (int(part[1]) if part else 2, level[1].upper() if level else "B")
