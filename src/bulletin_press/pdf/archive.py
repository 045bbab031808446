"""PDF/A for the archive: written by WeasyPrint, then made conformant and complete.

WeasyPrint's PDF/A variants get most of the way; this post-processing stage
(pikepdf) fixes what it leaves wrong and adds what an archive wants:

- `/Interpolate true` on images is removed (ISO 19005-2 §6.2.8: it must be
  false). Removing the hint keeps the photos exactly as printed, unlike the
  `image-rendering: crisp-edges` workaround, which changes how they are drawn.
- XMP gains dc:language (zh-CN) and dc:publisher; Info and XMP stay equal.
- Page labels match the printed page numbers; the outline lists the articles.
- With sources embedded (PDF/A-3 only), the manifest, article files, photos
  and layout travel in the file as associated files with AFRelationship
  /Source, so the issue can be rebuilt from the archive alone (`unpack`).
- The file identifier is derived from the content, and no timestamp but the
  issue date is written: the same issue gives the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import mimetypes
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from bulletin_press.diagnostics import BuildError, error
from bulletin_press.i18n import _

VARIANTS = ("pdf/a-2a", "pdf/a-2b", "pdf/a-2u", "pdf/a-3a", "pdf/a-3b", "pdf/a-3u")
# Level A: the B and U rules, a structure tree (headlines, paragraphs, photos with
# their text, the contents), artifacts and the language; see docs/pdfa.md.
DEFAULT_VARIANT = "pdf/a-2a"
DEFAULT_WITH_SOURCES = "pdf/a-3a"  # associated source files need part 3


@dataclass(frozen=True)
class Source:
    name: str  # relative POSIX path inside the unpacked folder
    data: bytes


def variant_part(variant: str) -> tuple[int, str]:
    match = re.fullmatch(r"pdf/a-([23])([abu])", variant)
    if not match:
        raise BuildError([error("archive.variant", _("unknown PDF/A variant '{variant}'").format(
            variant=variant), hint=_("use one of {choices}").format(choices=", ".join(VARIANTS)))])
    return int(match[1]), match[2].upper()


def postprocess(pdf_bytes: bytes, *, language: str, publisher: str, date_iso: str,
                sources: Iterable[Source] = ()) -> bytes:
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        _no_interpolation(pdf)
        _cmyk_photos_as_rgb(pdf)
        _page_labels(pdf)
        _xmp_additions(pdf, language, publisher)
        files = list(sources)
        if files:
            _attach(pdf, files, date_iso)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.preserve)
    return out.getvalue()


def _cmyk_photos_as_rgb(pdf: pikepdf.Pdf) -> None:
    """A CMYK photo (a print shop's scan) is DeviceCMYK, which PDF/A forbids beside the
    sRGB output intent: the archive, made for screens, carries it as RGB."""
    from PIL import Image

    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Stream) or obj.get("/Subtype") != Name.Image \
                or obj.get("/ColorSpace") != Name.DeviceCMYK:
            continue
        image: Image.Image
        if obj.get("/Filter") == Name.DCTDecode:  # Pillow reads Adobe's inverted CMYK too
            image = Image.open(io.BytesIO(obj.read_raw_bytes()))
        else:
            image = pikepdf.PdfImage(obj).as_pil_image()
        out = io.BytesIO()
        image.convert("RGB").save(out, "JPEG", quality=92)
        obj.write(out.getvalue(), filter=Name.DCTDecode)
        obj.ColorSpace = Name.DeviceRGB
        for key in ("/Decode", "/DecodeParms"):
            if key in obj:
                del obj[key]


def _no_interpolation(pdf: pikepdf.Pdf) -> None:
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream | pikepdf.Dictionary) and "/Interpolate" in obj:
            del obj["/Interpolate"]


def _page_labels(pdf: pikepdf.Pdf) -> None:
    pdf.Root.PageLabels = Dictionary(Nums=Array([0, Dictionary(S=Name.D)]))


def _xmp_additions(pdf: pikepdf.Pdf, language: str, publisher: str) -> None:
    """Add dc:language and dc:publisher by text, so nothing else (no timestamp) changes."""
    stream = pdf.Root.Metadata
    xmp = stream.read_bytes().decode("utf-8")
    if "<dc:language>" not in xmp:
        extra = (f'<rdf:Description rdf:about=""><dc:language><rdf:Bag><rdf:li>{_xml(language)}'
                 f"</rdf:li></rdf:Bag></dc:language></rdf:Description>"
                 f'<rdf:Description rdf:about=""><dc:publisher><rdf:Bag><rdf:li>'
                 f"{_xml(publisher)}</rdf:li></rdf:Bag></dc:publisher></rdf:Description>")
        xmp = xmp.replace("</rdf:RDF>", extra + "</rdf:RDF>", 1)
    stream.write(xmp.encode("utf-8"))  # uncompressed, as PDF/A readers may expect
    stream.Type = Name.Metadata
    stream.Subtype = Name.XML


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attach(pdf: pikepdf.Pdf, sources: list[Source], date_iso: str) -> None:
    date = "D:" + date_iso.replace("-", "")
    specs = Array()
    names = Array()
    for source in sorted(sources, key=lambda s: s.name):
        mime = mimetypes.guess_type(source.name)[0] or "application/octet-stream"
        if source.name.endswith((".yaml", ".yml")):
            mime = "application/yaml"
        stream = pikepdf.Stream(pdf, source.data)
        stream.Type = Name.EmbeddedFile
        stream.Subtype = Name("/" + mime.replace("/", "#2F"))
        stream.Params = Dictionary(Size=len(source.data), ModDate=String(date),
                                   CheckSum=String(hashlib.md5(source.data).digest()))
        spec = pdf.make_indirect(Dictionary(
            Type=Name.Filespec, F=String(source.name), UF=String(source.name),
            Desc=String("bulletin_press source"), AFRelationship=Name.Source,
            EF=Dictionary(F=stream, UF=stream)))
        specs.append(spec)
        names.extend([String(source.name), spec])
    if "/Names" not in pdf.Root:
        pdf.Root.Names = Dictionary()
    pdf.Root.Names.EmbeddedFiles = Dictionary(Names=names)
    pdf.Root.AF = specs


def embedded_sources(pdf_bytes: bytes) -> list[Source]:
    """The associated source files of an archive PDF."""
    found: list[Source] = []
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        for spec in pdf.Root.get("/AF", Array()):
            if spec.get("/AFRelationship") != Name.Source:
                continue
            name = str(spec.get("/UF", spec.get("/F", "")))
            found.append(Source(name, spec.EF.F.read_bytes()))
    return found


def safe_relative(name: str) -> PurePosixPath | None:
    """A path that stays inside the folder it is unpacked to, or None."""
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts or "\\" in name:
        return None
    return path


def unpack(pdf_bytes: bytes, folder: Path) -> list[Path]:
    sources = embedded_sources(pdf_bytes)
    if not sources:
        raise BuildError([error("archive.no-sources", _("the PDF carries no bulletin_press "
                                                        "sources"),
                                hint=_("archive with --embed-sources (PDF/A-3)"))])
    written: list[Path] = []
    for source in sources:
        relative = safe_relative(source.name)
        if relative is None:
            raise BuildError([error("archive.unsafe-name", _(
                "refusing to unpack '{name}': it points outside the folder").format(
                    name=source.name))])
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.data)
        written.append(target)
    return written
