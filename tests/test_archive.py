"""PDF/A archive: conformance rule by rule, metadata, reproducibility, sources."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String

from bulletin_press.build.pipeline import archive, build
from bulletin_press.diagnostics import BuildError
from bulletin_press.pdf.archive import VARIANTS, Source, postprocess, unpack
from bulletin_press.pdf.pdfa_rules import RULES, check_pdfa
from bulletin_press.pdf.structure import elements

from .conftest import HEADER, SAMPLE, MakeIssue
from .test_cli import run

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def a3u() -> bytes:
    return archive(SAMPLE, "pdf/a-3u", embed_sources=True).pdf


@pytest.fixture(scope="module")
def a2u() -> bytes:
    return archive(SAMPLE, "pdf/a-2u").pdf


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_variant_passes_every_rule(variant: str) -> None:
    pdf = archive(SAMPLE, variant).pdf
    report = check_pdfa(pdf)
    assert (report.part, report.level) == (int(variant[6]), variant[7].upper())
    assert [f"{f.rule.id}: {f.detail}" for f in report.failures] == []
    assert len(report.checked) >= 45


def test_what_weasyprint_gets_wrong_and_we_fix() -> None:
    raw = build(SAMPLE, variant="pdf/a-2u", identifier=False, slim=False).pdf  # as WeasyPrint
    assert check_pdfa(raw).failed_ids() == {"6.1.3-1", "6.2.8-3", "X-language"}
    ours = build(SAMPLE, variant="pdf/a-2u").pdf  # with the identifier we always ask for
    assert check_pdfa(ours).failed_ids() == {"6.2.8-3", "X-language"}


def test_metadata_outline_and_page_labels(a2u: bytes) -> None:
    with pikepdf.open(io.BytesIO(a2u)) as pdf:
        info = pdf.docinfo
        assert str(info.Title) == "新泾通讯 2023年第1期"
        assert str(info.Author) == "长宁区新泾镇"
        assert str(info.Subject) == "新泾通讯 2023年第1期 总第245期"
        assert "奋进新征程" in str(info.Keywords)
        assert str(info.CreationDate).startswith("D:20230110")
        assert str(pdf.Root.Lang) == "zh-CN"
        xmp = pdf.Root.Metadata.read_bytes().decode()
        for needle in ("<rdf:li>zh-CN</rdf:li>", "<dc:publisher>", "长宁区新泾镇",
                       'pdfaid:part="2"', 'pdfaid:conformance="U"', "2023-01-10"):
            assert needle in xmp
        with pdf.open_outline() as outline:
            assert [item.title for item in outline.root] == [
                "奋进新征程 共创新业绩", "勠力同心谋发展 踔厉奋发向未来",
                "春节期间便民服务安排出炉", "冬季消防安全大检查走进老旧小区"]
        assert pdf.Root.PageLabels.Nums[1].S == Name.D


def test_archive_is_reproducible(a3u: bytes) -> None:
    assert archive(SAMPLE, "pdf/a-3u", embed_sources=True).pdf == a3u


def test_sources_rebuild_the_same_issue(a3u: bytes, tmp_path: Path) -> None:
    archived = tmp_path / "a.pdfa.pdf"
    archived.write_bytes(a3u)
    folder = tmp_path / "unpacked"
    result = run("unpack", archived, folder)
    assert result.returncode == 0, result.stderr
    assert (folder / "issue.yaml").read_bytes() == (SAMPLE / "issue.yaml").read_bytes()
    assert (folder / "layouts" / "two-column" / "style.css").is_file()
    assert build(folder).pdf == build(SAMPLE).pdf  # byte for byte, from the archive alone


def test_embedding_needs_part_3() -> None:
    with pytest.raises(BuildError) as info:
        archive(SAMPLE, "pdf/a-2u", embed_sources=True)
    assert info.value.diagnostics[0].code == "archive.embed-needs-part-3"


def test_unpack_refuses_names_that_leave_the_folder(a2u: bytes, tmp_path: Path) -> None:
    evil = postprocess(a2u, language="zh-CN", publisher="x", date_iso="2023-01-10",
                       sources=[Source("../escape.txt", b"x")])
    with pytest.raises(BuildError):
        unpack(evil, tmp_path / "out")
    assert not (tmp_path / "escape.txt").exists()


def test_archive_command(tmp_path: Path) -> None:
    target = tmp_path / "x.pdfa.pdf"
    result = run("archive", SAMPLE, "-o", target)
    assert result.returncode == 0, result.stderr
    assert "PDF/A-2A" in result.stdout and "rules passed" in result.stdout  # tagged by default
    check = run("check-pdfa", target)
    assert check.returncode == 0 and "conforms" in check.stdout


# Each rule, broken on purpose ---------------------------------------------------

Mutation = Callable[[pikepdf.Pdf], None]


def _page(pdf: pikepdf.Pdf) -> Any:
    return pdf.pages[0].obj


def _font(pdf: pikepdf.Pdf) -> Any:
    return next(iter(_page(pdf).Resources.Font.values()))


def _image(pdf: pikepdf.Pdf) -> Any:
    return next(x for x in _page(pdf).Resources.XObject.values() if x.Subtype == Name.Image)


def _add_content(pdf: pikepdf.Pdf, content: bytes) -> None:
    pdf.pages[0].contents_add(pikepdf.Stream(pdf, content), prepend=False)


def _gstate(pdf: pikepdf.Pdf, **entries: Any) -> None:
    _page(pdf).Resources.ExtGState.Broken = Dictionary(Type=Name.ExtGState, **entries)


def _annot(pdf: pikepdf.Pdf, **entries: Any) -> None:
    annot = pdf.make_indirect(Dictionary(Type=Name.Annot, Rect=Array([0, 0, 10, 10]),
                                         **entries))
    _page(pdf).Annots.append(annot)


def _profile_header(pdf: pikepdf.Pdf, offset: int, value: bytes) -> None:
    profile = pdf.Root.OutputIntents[0].DestOutputProfile
    data = bytearray(profile.read_bytes())
    data[offset:offset + len(value)] = value
    profile.write(bytes(data))


def _xmp(pdf: pikepdf.Pdf, old: str, new: str) -> None:
    text = pdf.Root.Metadata.read_bytes().decode()
    assert old in text
    pdf.Root.Metadata.write(text.replace(old, new, 1).encode())


def _append_object(data: bytes, body: bytes) -> bytes:
    """An incremental update adding one object, reachable from the new trailer.

    qpdf rewrites streams it saves (it drops /F, re-encodes LZW), so these
    cases are written by hand, the way another tool might have written them.
    """
    with pikepdf.open(io.BytesIO(data)) as pdf:
        number = int(pdf.trailer.Size)
        root = pdf.Root.objgen[0]
        ids = "".join(f"<{bytes(i).hex()}>" for i in pdf.trailer.ID)
    previous = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    offset = len(data) + 1
    obj = b"\n%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(data) + len(obj)
    tail = (b"xref\n0 1\n0000000000 65535 f \n%d 1\n%010d 00000 n \ntrailer\n"
            b"<< /Size %d /Root %d 0 R /Prev %d /Junk %d 0 R /ID [%s] >>\n"
            b"startxref\n%d\n%%%%EOF\n") % (number, offset, number + 1, root, previous,
                                              number, ids.encode(), xref)
    return data + obj + tail


def _second_intent(pdf: pikepdf.Pdf) -> None:
    intent = pdf.Root.OutputIntents[0]
    copy = pikepdf.Stream(pdf, intent.DestOutputProfile.read_bytes(), N=3)
    pdf.Root.OutputIntents.append(Dictionary(Type=Name.OutputIntent, S=Name.GTS_PDFA1,
                                             OutputConditionIdentifier=String("x"),
                                             DestOutputProfile=pdf.make_indirect(copy)))


def _icc_n(pdf: pikepdf.Pdf) -> None:
    for cs in _page(pdf).Resources.ColorSpace.values():
        if isinstance(cs, pikepdf.Array) and cs[0] == Name.ICCBased:
            cs[1].N = 4
            return
    raise AssertionError("no ICCBased colour space")


def _no_intent_gray(pdf: pikepdf.Pdf) -> None:
    del pdf.Root.OutputIntents
    _add_content(pdf, b"0.5 g")


def _transparency_without_cs(pdf: pikepdf.Pdf) -> None:
    del pdf.Root.OutputIntents
    _page(pdf).Group = Dictionary(S=Name.Transparency)


def _widths_off(pdf: pikepdf.Pdf) -> None:
    cid_font = _font(pdf).DescendantFonts[0]
    cid_font.W = Array([Array([float(v) + 50 for v in item]) if isinstance(item, pikepdf.Array)
                        else item for item in cid_font.W])


def _to_unicode_zero(pdf: pikepdf.Pdf) -> None:
    font = _font(pdf)
    text = font.ToUnicode.read_bytes().decode("latin-1")
    codes = re.findall(r"<([0-9A-Fa-f]{4})>\s*<[0-9A-Fa-f]+>", text)
    body = "\n".join(f"<{c}> <0000>" for c in codes)
    font.ToUnicode.write(f"begincmap\n{len(codes)} beginbfchar\n{body}\nendbfchar\n"
                         "endcmap".encode())


def _show_notdef(pdf: pikepdf.Pdf) -> None:
    name = next(iter(_page(pdf).Resources.Font.keys()))
    _add_content(pdf, f"BT {name} 10 Tf <0000> Tj ET".encode())


def _attach_text(pdf: pikepdf.Pdf) -> None:
    stream = pikepdf.Stream(pdf, b"not a pdf", Type=Name.EmbeddedFile)
    spec = pdf.make_indirect(Dictionary(Type=Name.Filespec, F=String("a.txt"),
                                        UF=String("a.txt"), EF=Dictionary(F=stream)))
    pdf.Root.Names = Dictionary(EmbeddedFiles=Dictionary(Names=Array([String("a.txt"), spec])))


def _first_spec(pdf: pikepdf.Pdf) -> Any:
    return pdf.Root.Names.EmbeddedFiles.Names[1]


MUTATIONS: dict[str, Mutation] = {
    "6.1.3-2": lambda pdf: None,  # encrypted on save, see _save
    "6.1.10-1": lambda pdf: _add_content(
        pdf, b"q BI /W 1 /H 1 /BPC 8 /CS /G /F /LZW ID \x80\x0b EI Q"),
    "6.2.3-1": lambda pdf: pdf.Root.__delitem__("/OutputIntents"),
    "6.2.3-2": _second_intent,
    "6.2.3-3": lambda pdf: _profile_header(pdf, 36, b"xxxx"),
    "6.2.4.3-2": lambda pdf: _profile_header(pdf, 16, b"CMYK"),
    "6.2.4.3-3": lambda pdf: _add_content(pdf, b"0 0 0 1 k"),
    "6.2.4.3-4": _no_intent_gray,
    "6.2.4.2-1": _icc_n,
    "6.2.5-1": lambda pdf: _gstate(pdf, TR=Name.Identity),
    "6.2.5-3": lambda pdf: _gstate(pdf, HTP=Array([0])),
    "6.2.8-1": lambda pdf: setattr(_image(pdf), "Alternates", Array()),
    "6.2.8-2": lambda pdf: setattr(_image(pdf), "OPI", Dictionary()),
    "6.2.8-3": lambda pdf: setattr(_image(pdf), "Interpolate", True),
    "6.2.9-1": lambda pdf: setattr(_page(pdf).Resources.XObject, "PS",
                                   pikepdf.Stream(pdf, b"", Type=Name.XObject,
                                                  Subtype=Name.PS)),
    "6.2.9-2": lambda pdf: setattr(_page(pdf).Resources.XObject, "Ext", pikepdf.Stream(
        pdf, b"", Type=Name.XObject, Subtype=Name.Form, BBox=Array([0, 0, 1, 1]),
        Ref=Dictionary(F=String("other.pdf"), Page=0))),
    "6.2.10-1": lambda pdf: _gstate(pdf, BM=Name.Dissolve),
    "6.2.10-2": _transparency_without_cs,
    "6.2.11.4.1-1": lambda pdf: _font(pdf).DescendantFonts[0].FontDescriptor.__delitem__(
        "/FontFile3"),
    "6.2.11.2-7": lambda pdf: setattr(_font(pdf).DescendantFonts[0].FontDescriptor.FontFile3,
                                      "Subtype", Name.Type1),
    "6.2.11.3.2-1": lambda pdf: setattr(_font(pdf).DescendantFonts[0], "Subtype",
                                        Name.CIDFontType2),  # and no CIDToGIDMap
    "6.2.11.3.3-1": lambda pdf: setattr(_font(pdf), "Encoding", Name("/Custom-H")),
    "6.2.11.3.1-1": lambda pdf: setattr(_font(pdf), "Encoding", pikepdf.Stream(
        pdf, b"", Type=Name.CMap, CIDSystemInfo=Dictionary(
            Registry=String("Foo"), Ordering=String("Bar"), Supplement=0))),
    "6.2.11.4.2-2": lambda pdf: setattr(_font(pdf).DescendantFonts[0].FontDescriptor,
                                        "CIDSet", pikepdf.Stream(pdf, b"\x80")),
    "6.2.11.5-1": _widths_off,
    "6.2.11.7.2-1": lambda pdf: _font(pdf).__delitem__("/ToUnicode"),
    "6.2.11.7.2-2": _to_unicode_zero,
    "6.2.11.8-1": _show_notdef,
    "6.3.1-1": lambda pdf: _annot(pdf, Subtype=Name.Sound, F=4),
    "6.3.2-1": lambda pdf: setattr(_page(pdf).Annots[0], "F", 0),
    "6.3.3-1": lambda pdf: _annot(pdf, Subtype=Name.Square, F=4),
    "6.4.1-1": lambda pdf: setattr(pdf.Root, "AcroForm",
                                   Dictionary(Fields=Array(), NeedAppearances=True)),
    "6.5.1-1": lambda pdf: setattr(pdf.Root, "OpenAction", Dictionary(
        S=Name.Launch, F=String("calc.exe"))),
    "6.5.2-1": lambda pdf: setattr(pdf.Root, "AA", Dictionary()),
    "6.1.11-1": lambda pdf: setattr(pdf.Root.Names, "JavaScript",
                                    Dictionary(Names=Array())),
    "6.6.2.1-1": lambda pdf: pdf.Root.__delitem__("/Metadata"),
    "6.6.4-1": lambda pdf: _xmp(pdf, 'pdfaid:part="3"', 'pdfaid:part="1"'),
    "6.6.4-2": lambda pdf: _xmp(pdf, 'pdfaid:conformance="U"', 'pdfaid:conformance="B"'),
    "6.6.2.3.1-1": lambda pdf: _xmp(
        pdf, "<rdf:Description ", '<rdf:Description xmlns:foo="http://example.com/foo/" '
        'foo:bar="1" '),
    "X-info-xmp": lambda pdf: setattr(pdf.docinfo, "Title", String("another title")),
    "X-language": lambda pdf: pdf.Root.__delitem__("/Lang"),
    "6.8-2": lambda pdf: _first_spec(pdf).EF.F.__delitem__("/Subtype"),
    "6.8-3": lambda pdf: _first_spec(pdf).__delitem__("/UF"),
    "6.8-4": lambda pdf: _first_spec(pdf).__delitem__("/AFRelationship"),
}
BYTE_MUTATIONS: dict[str, Callable[[bytes], bytes]] = {
    "6.1.7.1-3": lambda data: _append_object(
        data, b"<< /Length 0 /F (external.dat) >>\nstream\n\nendstream"),
    "6.1.7.2-1": lambda data: _append_object(
        data, b"<< /Length 2 /Filter /LZWDecode >>\nstream\n\x80\x00\nendstream"),
    "6.1.2-1": lambda data: data.replace(b"%PDF-1.7", b"%PDF-2.0", 1),
    "6.1.2-2": lambda data: re.sub(rb"\n%[\x80-\xff]{4}", b"\n%abcd", data, count=1),
    "6.1.3-3": lambda data: data + b"trailing garbage\n",
}


def _save(pdf: pikepdf.Pdf, rule_id: str) -> bytes:
    out = io.BytesIO()
    if rule_id == "6.1.3-2":
        pdf.save(out, encryption=pikepdf.Encryption(owner="owner", user=""))
    else:  # keep streams as they are: qpdf would otherwise re-encode an LZW stream
        pdf.save(out, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    return out.getvalue()


def _first(pdf: pikepdf.Pdf, kind: str) -> Any:
    return next(e.obj for e in elements(pdf) if e.type == kind)


# The rules of level A (a tagged PDF), broken in the tagged archive.
TAGGED_MUTATIONS: dict[str, Mutation] = {
    "6.7.2.2-1": lambda pdf: pdf.Root.__delitem__("/MarkInfo"),
    "6.7.3.3-1": lambda pdf: pdf.Root.__delitem__("/StructTreeRoot"),
    "6.7.3.4-1": lambda pdf: setattr(_first(pdf, "P"), "S", Name("/Paragraph")),
    "6.7.4-1": lambda pdf: setattr(pdf.Root, "Lang", String("zh_CN")),
    "X-tagged-content": lambda pdf: _add_content(pdf, b"q 0 0 10 10 re f Q"),
    "X-figure-alt": lambda pdf: _first(pdf, "Figure").__delitem__("/Alt"),
    "X-display-title": lambda pdf: pdf.Root.__delitem__("/ViewerPreferences"),
}


def test_every_rule_has_a_breaking_case() -> None:
    ids = {rule.id for rule, _ in RULES if "A" in rule.standards}
    covered = set(MUTATIONS) | set(BYTE_MUTATIONS) | set(TAGGED_MUTATIONS) | {"6.1.3-1",
                                                                               "6.8-1"}
    assert ids == covered


@pytest.fixture(scope="module")
def a2a() -> bytes:
    return archive(SAMPLE, "pdf/a-2a").pdf


@pytest.mark.parametrize("rule_id", sorted(TAGGED_MUTATIONS))
def test_tagged_rule_fails_when_broken(rule_id: str, a2a: bytes) -> None:
    assert check_pdfa(a2a, 2, "A").ok
    with pikepdf.open(io.BytesIO(a2a)) as pdf:
        TAGGED_MUTATIONS[rule_id](pdf)
        broken = _save(pdf, rule_id)
    assert rule_id in check_pdfa(broken, 2, "A").failed_ids()
    assert rule_id not in check_pdfa(broken, 2, "U").failed_ids()  # level A only


def test_weasyprint_tags_fail_the_tagged_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    """What structure_tree.py and artifacts.py fix: WeasyPrint's own tags leave the
    running heads' content attached to elements outside the tree."""
    from weasyprint import document as document_module
    from weasyprint import pdf as pdf_module
    from weasyprint.pdf import tags
    from weasyprint.pdf.stream import Stream

    from bulletin_press.typeset.ext import artifacts

    monkeypatch.setattr(pdf_module, "add_tags", tags.add_tags)
    monkeypatch.setattr(Stream, "marked", artifacts._original_marked)
    monkeypatch.setattr(document_module, "draw_page", artifacts._original_draw_page)
    stock = build(SAMPLE, variant="pdf/a-2a").pdf
    assert "X-tagged-content" in check_pdfa(stock).failed_ids()
    with pikepdf.open(io.BytesIO(stock)) as pdf:
        kinds = [e.type for e in elements(pdf)]
    assert kinds.count("P") > 19 and "NonStruct" in kinds  # cut paragraphs, figures


@pytest.mark.parametrize("rule_id", sorted(MUTATIONS))
def test_rule_fails_when_broken(rule_id: str, a3u: bytes) -> None:
    with pikepdf.open(io.BytesIO(a3u)) as pdf:
        MUTATIONS[rule_id](pdf)
        broken = _save(pdf, rule_id)
    assert rule_id in check_pdfa(broken, 3, "U").failed_ids()


@pytest.mark.parametrize("rule_id", sorted(BYTE_MUTATIONS))
def test_rule_fails_when_bytes_broken(rule_id: str, a3u: bytes) -> None:
    assert rule_id in check_pdfa(BYTE_MUTATIONS[rule_id](a3u), 3, "U").failed_ids()


def test_missing_identifier_fails() -> None:
    raw = build(SAMPLE, variant="pdf/a-3u", identifier=False, slim=False).pdf
    assert "6.1.3-1" in check_pdfa(raw).failed_ids()


def test_part_2_refuses_non_pdf_attachments(a2u: bytes) -> None:
    with pikepdf.open(io.BytesIO(a2u)) as pdf:
        _attach_text(pdf)
        broken = _save(pdf, "6.8-1")
    assert "6.8-1" in check_pdfa(broken).failed_ids()


def test_character_without_font_fails_notdef_rule(make_issue: MakeIssue) -> None:
    # The pre-render coverage check stops this; here WeasyPrint is asked directly.
    from bulletin_press.typeset.engine import typeset, write_pdf

    html = '<html lang="zh-CN"><p style="font-family: Noto Serif CJK SC">正文𪚥</p></html>'
    from bulletin_press.layout.fence import Fence

    folder = make_issue()
    fence = Fence({"issue": folder})
    data = write_pdf(typeset(html, fence.url("issue"), fence), variant="pdf/a-2u",
                     identifier=b"x")
    assert "6.2.11.8-1" in check_pdfa(data).failed_ids()


@pytest.mark.slow
def test_a_cmyk_photo_is_archived_as_rgb(make_issue: MakeIssue) -> None:
    """A print shop's CMYK scan builds (printed as it is) and archives: PDF/A forbids
    DeviceCMYK beside the sRGB output intent, so the archive carries it as RGB."""
    from PIL import Image

    green = (30, 140, 80)
    scan = io.BytesIO()
    Image.new("RGB", (600, 400), green).convert("CMYK").save(scan, "JPEG", quality=95)
    folder = make_issue(HEADER + """\
  - id: scan
    title: 老照片里的新泾
    body: 这张照片由印刷厂扫描，保存为CMYK。
    photos: [{file: images/扫描.jpg, caption: 1985年的新泾镇}]
""", {"images/扫描.jpg": scan.getvalue()})
    data = archive(folder, "pdf/a-2a").pdf
    assert check_pdfa(data).ok
    with pikepdf.open(io.BytesIO(data)) as pdf:
        [photo] = [o for o in pdf.objects if isinstance(o, pikepdf.Stream)
                   and o.get("/Subtype") == Name.Image and o.get("/Width") == 600]
        assert photo.ColorSpace == Name.DeviceRGB
        pixel = pikepdf.PdfImage(photo).as_pil_image().convert("RGB").getpixel((300, 200))
    assert all(abs(a - b) <= 12 for a, b in zip(pixel, green, strict=True)), pixel
