"""A PDF/X-4 check (ISO 15930-7) for the print shop's file, rule by rule.

Rules PDF/X-4 shares with PDF/A (fonts embedded, no encryption, no
JavaScript or external content, transfer functions, blend modes …) come from
pdfa_check with their PDF/A numbering; the rules below are PDF/X's own. No
PDF/X validator can be installed here and the text of ISO 15930-7 is not at
hand, so these are named by the requirement (X4-…) rather than by clause
number; docs/print.md lists them.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pikepdf
from pikepdf import Name

from bulletin_press.i18n import N_
from bulletin_press.pdf.pdfa_rules import (
    RULES,
    Doc,
    Failure,
    Report,
    icc_header,
    rule,
    xmp_root,
    xmp_value,
)

X4 = ("X4",)
_NS_PDFX = "http://www.npes.org/pdfx/ns/id/"
_NS_MM = "http://ns.adobe.com/xap/1.0/mm/"


def _xmp_text(doc: Doc, ns: str, name: str) -> str | None:
    root = xmp_root(doc)
    if root is None:
        return None
    tag = f"{{{ns}}}{name}"
    for element in root.iter(tag):
        return (element.text or "").strip()
    for element in root.iter():
        if tag in element.attrib:
            return element.attrib[tag]
    return None


@rule("X4-version", "PDF/X-4: file format", N_("the file is PDF 1.3 to 1.6"), standards=X4)
def _version(doc: Doc) -> Iterator[str]:
    if not re.match(rb"%PDF-1\.[3-6]", doc.data):
        yield f"header is {doc.data[:8]!r}"


def _pdfx_intents(doc: Doc) -> list[object]:
    return [i for i in doc.intents if i.get("/S") == Name.GTS_PDFX]


@rule("X4-output-intent", "PDF/X-4: output intent", N_("one GTS_PDFX output intent with an "
      "embedded output-device (prtr) ICC profile and a condition identifier"), standards=X4)
def _output_intent(doc: Doc) -> Iterator[str]:
    intents = _pdfx_intents(doc)
    if len(intents) != 1:
        yield f"{len(intents)} GTS_PDFX output intents"
        return
    intent = intents[0]
    if "/OutputConditionIdentifier" not in intent:  # type: ignore[operator]
        yield "no OutputConditionIdentifier"
    profile = intent.get("/DestOutputProfile")  # type: ignore[attr-defined]
    header = icc_header(profile) if isinstance(profile, pikepdf.Stream) else None
    if header is None:
        yield "no embedded ICC output profile"
    elif header[0] != "prtr":
        yield f"the output profile is of class {header[0]!r}, not an output device"


def _intent_space(doc: Doc) -> str | None:
    for intent in _pdfx_intents(doc):
        profile = intent.get("/DestOutputProfile")  # type: ignore[attr-defined]
        if isinstance(profile, pikepdf.Stream) and (header := icc_header(profile)):
            return header[1].strip()
    return None


@rule("X4-device-rgb", "PDF/X-4: colour", N_("no DeviceRGB colour unless the output intent is RGB"),
      standards=X4)
def _device_rgb(doc: Doc) -> Iterator[str]:
    if "DeviceRGB" in doc.device_spaces and _intent_space(doc) != "RGB":
        yield "DeviceRGB colour with a non-RGB print condition (use ICC-based colour)"


@rule("X4-device-cmyk", "PDF/X-4: colour", N_("no DeviceCMYK colour unless the output intent "
      "is CMYK"), standards=X4)
def _device_cmyk(doc: Doc) -> Iterator[str]:
    if "DeviceCMYK" in doc.device_spaces and _intent_space(doc) != "CMYK":
        yield "DeviceCMYK colour with a non-CMYK print condition"


@rule("X4-page-boxes", "PDF/X-4: page boxes", N_("every page has a TrimBox inside its BleedBox "
      "inside its MediaBox"), standards=X4)
def _boxes(doc: Doc) -> Iterator[str]:
    for number, page in enumerate(doc.pdf.pages, start=1):
        obj = page.obj
        if "/TrimBox" not in obj and "/ArtBox" not in obj:
            yield f"page {number} has no TrimBox"
            continue
        media = [float(v) for v in obj.MediaBox]
        trim_box: Any = obj.get("/TrimBox", obj.get("/ArtBox"))
        trim = [float(v) for v in trim_box]
        bleed_box: Any = obj.get("/BleedBox", obj.get("/CropBox", obj.MediaBox))
        bleed = [float(v) for v in bleed_box]
        if not _inside(trim, bleed) or not _inside(bleed, media):
            yield f"page {number}: TrimBox {trim} / BleedBox {bleed} / MediaBox {media}"


def _inside(inner: list[float], outer: list[float]) -> bool:
    tolerance = 0.01
    return (inner[0] >= outer[0] - tolerance and inner[1] >= outer[1] - tolerance
            and inner[2] <= outer[2] + tolerance and inner[3] <= outer[3] + tolerance)


@rule("X4-xmp-version", "PDF/X-4: identification", N_("XMP says pdfxid:GTS_PDFXVersion PDF/X-4"),
      standards=X4)
def _xmp_version(doc: Doc) -> Iterator[str]:
    value = _xmp_text(doc, _NS_PDFX, "GTS_PDFXVersion")
    if value is None or not value.startswith("PDF/X-4"):
        yield f"GTS_PDFXVersion is {value!r}"


@rule("X4-xmp-document", "PDF/X-4: identification", N_("XMP has xmpMM:DocumentID, VersionID "
      "and RenditionClass"), standards=X4)
def _xmp_document(doc: Doc) -> Iterator[str]:
    for name in ("DocumentID", "VersionID", "RenditionClass"):
        if not _xmp_text(doc, _NS_MM, name):
            yield f"no xmpMM:{name}"


@rule("X4-xmp-dates", "PDF/X-4: identification", N_("XMP has CreateDate, ModifyDate and "
      "MetadataDate"), standards=X4)
def _xmp_dates(doc: Doc) -> Iterator[str]:
    root = xmp_root(doc)
    for name in ("CreateDate", "ModifyDate", "MetadataDate"):
        if root is None or not xmp_value(root, "xmp", name):
            yield f"no xmp:{name}"


@rule("X4-title", "PDF/X-4: identification", N_("XMP has a dc:title"), standards=X4)
def _title(doc: Doc) -> Iterator[str]:
    root = xmp_root(doc)
    if root is None or not xmp_value(root, "dc", "title"):
        yield "no dc:title"


@rule("X4-trapped", "PDF/X-4: trapping", N_("Trapped is True or False, the same in Info and XMP"),
      standards=X4)
def _trapped(doc: Doc) -> Iterator[str]:
    root = xmp_root(doc)
    xmp = xmp_value(root, "pdf", "Trapped") if root is not None else None
    info = doc.pdf.trailer.get("/Info", pikepdf.Dictionary()).get("/Trapped")
    if xmp not in ("True", "False"):
        yield f"XMP pdf:Trapped is {xmp!r}"
    elif info is not None and str(info) != f"/{xmp}":
        yield f"Info Trapped is {info}, XMP says {xmp}"


@rule("X4-annotations", "PDF/X-4: annotations", N_("no printable annotation other than "
      "PrinterMark or TrapNet inside the BleedBox"), standards=X4)
def _annotations(doc: Doc) -> Iterator[str]:
    for number, page in enumerate(doc.pdf.pages, start=1):
        bleed = [float(v) for v in page.obj.get("/BleedBox", page.obj.MediaBox)]
        for annot in page.obj.get("/Annots", pikepdf.Array()):
            if annot.get("/Subtype") in (Name.PrinterMark, Name.TrapNet):
                continue
            rect = [float(v) for v in annot.get("/Rect", [0, 0, 0, 0])]
            inside = rect[2] > bleed[0] and rect[0] < bleed[2] and rect[3] > bleed[1] \
                and rect[1] < bleed[3]
            if inside and int(annot.get("/F", 0)) & 4:
                yield f"page {number}: a {annot.get('/Subtype')} annotation prints on the page"


def check_pdfx4(data: bytes) -> Report:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        report = Report(4, "X")
        doc = Doc(data, pdf, 4, "X")
        for entry, check in RULES:
            if "X4" not in entry.standards:
                continue
            report.checked.append(entry)
            report.failures += [Failure(entry, detail) for detail in check(doc)]
    return report

