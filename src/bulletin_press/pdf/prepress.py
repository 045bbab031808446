"""Print production: crop marks outside the bleed, and PDF/X-4 for the print shop.

WeasyPrint draws `marks: crop` inside the 3 mm bleed, in DeviceRGB, inside a
transparency group; and its `pdf/x-4` variant only labels the file (no
conversion, random document IDs). Here the print PDF is post-processed:

- marks: the page grows by a slug around the bleed and gets crop marks at
  the trim corners, outside the bleed, in registration colour (Separation
  /All), so they print on every plate;
- PDF/X-4: DeviceRGB colour (text, rules, images, shadings, blending groups)
  becomes ICC-based sRGB, which PDF/X-4 allows and the RIP converts to the
  print condition; the CMYK output intent named by the layout is embedded;
  XMP and Info carry the PDF/X-4 identification with dates from the issue
  and IDs derived from the content; links (no use on paper) are removed.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from bulletin_press.diagnostics import BuildError, error
from bulletin_press.i18n import _
from bulletin_press.layout.specs import PT_PER_MM
from bulletin_press.pdf.walk import content_holders, reachable
from bulletin_press.typeset.icc import srgb_profile

MARK_LENGTH = 5 * PT_PER_MM
MARK_OFFSET = 2 * PT_PER_MM  # gap between the bleed edge and the start of a mark
SLUG = MARK_OFFSET + MARK_LENGTH + 1 * PT_PER_MM
_SRGB = "BPsRGB"
_REGISTRATION = "BPAll"


def _save(pdf: pikepdf.Pdf, version: str = "") -> bytes:
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True, force_version=version)
    return out.getvalue()


def _box(page: Any, name: str) -> list[float]:
    return [float(v) for v in page.obj.get(name, page.obj.MediaBox)]


def add_crop_marks(pdf_bytes: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        registration = _registration_space(pdf)
        for page in pdf.pages:
            tx0, ty0, tx1, ty1 = _box(page, "/TrimBox")
            bx0, by0, bx1, by1 = _box(page, "/BleedBox")
            media = Array([bx0 - SLUG, by0 - SLUG, bx1 + SLUG, by1 + SLUG])
            page.obj.MediaBox = media
            page.obj.CropBox = media
            _resource(page.obj, "/ColorSpace")[f"/{_REGISTRATION}"] = registration
            lines = []
            for x, y, sx, sy in ((tx0, ty0, -1, -1), (tx1, ty0, 1, -1),
                                 (tx0, ty1, -1, 1), (tx1, ty1, 1, 1)):
                # A horizontal mark on the trim line y, beyond the bleed in x; and the
                # vertical one on the trim line x, beyond the bleed in y.
                hx = (bx1 if sx > 0 else bx0) + sx * MARK_OFFSET
                vy = (by1 if sy > 0 else by0) + sy * MARK_OFFSET
                lines.append(f"{hx:.3f} {y:.3f} m {hx + sx * MARK_LENGTH:.3f} {y:.3f} l S")
                lines.append(f"{x:.3f} {vy:.3f} m {x:.3f} {vy + sy * MARK_LENGTH:.3f} l S")
            # An artifact of the page (ISO 32000-1 §14.8.2.2: "cut marks"), so a
            # tagged PDF keeps every piece of content tagged or an artifact.
            marks = (f"Q q /Artifact <</Type /Page>> BDC /{_REGISTRATION} CS 1 SCN 0.25 w 0 J "
                     "[] 0 d\n" + "\n".join(lines) + "\nEMC Q\n").encode()
            page.contents_add(pikepdf.Stream(pdf, b"q\n"), prepend=True)
            page.contents_add(pikepdf.Stream(pdf, marks), prepend=False)
        return _save(pdf)


def _resource(holder: Any, kind: str) -> Any:
    """The `kind` sub-dictionary of a page's or form's resources, created if missing."""
    if "/Resources" not in holder:
        holder.Resources = Dictionary()
    if kind not in holder.Resources:
        holder.Resources[kind] = Dictionary()
    return holder.Resources[kind]


def _registration_space(pdf: pikepdf.Pdf) -> Any:
    tint = Dictionary(FunctionType=2, Domain=Array([0, 1]), N=1,
                      C0=Array([0, 0, 0, 0]), C1=Array([1, 1, 1, 1]))
    return pdf.make_indirect(Array([Name.Separation, Name.All, Name.DeviceCMYK, tint]))


def to_pdfx4(pdf_bytes: bytes, *, profile: Path, condition: str, info: str,
             title: str, author: str, date_iso: str) -> bytes:
    try:
        icc = profile.read_bytes()
    except OSError as exc:
        raise BuildError([error("print.profile", _("cannot read the output profile {profile}: "
                                                   "{reason}").format(
                                                       profile=profile, reason=exc.strerror),
                                hint=_("the two-column layout uses Ghostscript's CMYK profile: "
                                       "apt-get install -y libgs-common; or name the print "
                                       "shop's profile in layout.yaml (print.profile)"))]
                         ) from None
    if len(icc) < 128 or icc[36:40] != b"acsp" or icc[16:20] != b"CMYK":
        raise BuildError([error("print.profile", _("{profile} is not a CMYK ICC profile").format(
            profile=profile), hint=_("ask the print shop for its ICC profile"))])
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        srgb = pdf.make_indirect(pikepdf.Stream(pdf, srgb_profile(), N=3))
        srgb_space = pdf.make_indirect(Array([Name.ICCBased, srgb]))
        for holder in content_holders(pdf):
            _convert_content(pdf, holder, srgb_space)
        for obj in reachable(pdf.Root):
            if not isinstance(obj, pikepdf.Array):
                _convert_dictionary(obj, srgb_space)
        for page in pdf.pages:
            annots = [a for a in page.obj.get("/Annots", Array())
                      if a.get("/Subtype") in (Name.PrinterMark, Name.TrapNet)]
            if "/Annots" in page.obj:
                page.obj.Annots = Array(annots)
        output = pdf.make_indirect(pikepdf.Stream(pdf, icc, N=4))
        pdf.Root.OutputIntents = Array([Dictionary(
            Type=Name.OutputIntent, S=Name.GTS_PDFX, OutputConditionIdentifier=String(condition),
            Info=String(info), DestOutputProfile=output)])
        digest = hashlib.sha256(pdf_bytes).hexdigest()
        document_id = f"uuid:{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-" \
                      f"{digest[20:32]}"
        producer = str(pdf.docinfo.get("/Producer", "bulletin_press"))
        pdf.Root.Metadata = pdf.make_indirect(pikepdf.Stream(
            pdf, _xmp(title, author, date_iso, document_id, producer).encode(),
            Type=Name.Metadata, Subtype=Name.XML))
        pdf.docinfo["/Trapped"] = Name("/False")
        pdf.docinfo["/GTS_PDFXVersion"] = String("PDF/X-4")
        pdf.docinfo["/Title"] = String(title)
        return _save(pdf, version="1.6")


_RGB_OPERATORS = {"rg": ("cs", "sc"), "RG": ("CS", "SC")}


def _convert_content(pdf: pikepdf.Pdf, holder: Any, srgb_space: Any) -> None:
    """`r g b rg` → `/BPsRGB cs r g b sc` (and the stroking twins)."""
    is_page = holder.get("/Type") == Name.Page
    instructions: list[Any] = list(
        pikepdf.parse_content_stream(pikepdf.Page(holder) if is_page else holder))
    changed = False
    out: list[Any] = []
    for operands, operator in instructions:
        op = str(operator)
        if op in _RGB_OPERATORS:
            space, colour = _RGB_OPERATORS[op]
            out.append(([Name(f"/{_SRGB}")], pikepdf.Operator(space)))
            out.append((operands, pikepdf.Operator(colour)))
            changed = True
        elif op in ("cs", "CS") and operands and operands[0] == Name.DeviceRGB:
            out.append(([Name(f"/{_SRGB}")], operator))
            changed = True
        else:
            out.append((operands, operator))
    if not changed:
        return
    data = pikepdf.unparse_content_stream(out)
    if is_page:
        holder.Contents = pdf.make_indirect(pikepdf.Stream(pdf, data))
    else:
        holder.write(data)
    _resource(holder, "/ColorSpace")[f"/{_SRGB}"] = srgb_space


def _convert_dictionary(obj: Any, srgb_space: Any) -> None:
    """Images, shadings and blending groups in DeviceRGB → ICC-based sRGB."""
    for key in ("/ColorSpace", "/CS"):
        value = obj.get(key)
        if value == Name.DeviceRGB:
            obj[key] = srgb_space
        elif isinstance(value, pikepdf.Array) and len(value) > 1 \
                and value[0] == Name.Indexed and value[1] == Name.DeviceRGB:
            value[1] = srgb_space


def _xmp(title: str, author: str, date_iso: str, document_id: str, producer: str) -> str:
    def esc(text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about=""
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:xmp="http://ns.adobe.com/xap/1.0/"
  xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
  xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
  xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{esc(title)}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{esc(author)}</rdf:li></rdf:Seq></dc:creator>
<dc:format>application/pdf</dc:format>
<xmp:CreateDate>{date_iso}</xmp:CreateDate>
<xmp:ModifyDate>{date_iso}</xmp:ModifyDate>
<xmp:MetadataDate>{date_iso}</xmp:MetadataDate>
<xmp:CreatorTool>bulletin_press</xmp:CreatorTool>
<xmpMM:DocumentID>{document_id}</xmpMM:DocumentID>
<xmpMM:InstanceID>{document_id}</xmpMM:InstanceID>
<xmpMM:VersionID>1</xmpMM:VersionID>
<xmpMM:RenditionClass>default</xmpMM:RenditionClass>
<pdf:Producer>{esc(producer)}</pdf:Producer>
<pdf:Trapped>False</pdf:Trapped>
<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
