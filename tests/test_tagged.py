"""Tagged PDF: the archive's structure tree read as a screen reader reads it, and
the reading order of the content itself (pdftotext -raw) in print and archive."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
import yaml
from weasyprint import draw as draw_module
from weasyprint import stacking

from bulletin_press.build.pipeline import archive, build, build_runs
from bulletin_press.pdf.pdfa_rules import check_pdfa
from bulletin_press.pdf.structure import (
    element_text,
    elements,
    marked_text,
    marks,
    untagged_content,
)
from bulletin_press.typeset.ext import paint_order

from .conftest import HEADER, ROOT, SAMPLE
from .test_cli import run

pytestmark = pytest.mark.slow


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


# The sample's titles, subtitles and paragraphs: 19 of the back issue's two articles,
# 14 of the two notices written for its four pages.
PARAGRAPHS = 33


def sample_paragraphs(folder: Path = SAMPLE) -> list[str]:
    """Every text block of the issue in reading order: each article's title,
    subtitle and body paragraphs (PARAGRAPHS in the sample)."""
    manifest = yaml.safe_load((folder / "issue.yaml").read_text(encoding="utf-8"))
    found: list[str] = []
    for article in manifest["articles"]:
        found += [article["title"], *([article["subtitle"]] if "subtitle" in article else [])]
        found += [p for p in re.split(r"\n\s*\n", _body(folder, article).strip())]
    return [_squeeze(p) for p in found]


def _body(folder: Path, article: dict[str, str]) -> str:
    if "body_file" in article:
        return (folder / article["body_file"]).read_text(encoding="utf-8")
    return article["body"]


def in_order(paragraphs: list[str], text: str) -> list[int]:
    """The indexes of the paragraphs found whole, each after the one before."""
    flat = _squeeze(text)
    position, found = 0, []
    for index, paragraph in enumerate(paragraphs):
        at = flat.find(paragraph, position)
        if at >= 0:
            found.append(index)
            position = at + len(paragraph)
    return found


def raw_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "x.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


@pytest.fixture(scope="module")
def a2a() -> bytes:
    return archive(SAMPLE, "pdf/a-2a").pdf


@pytest.fixture(scope="module")
def tree(a2a: bytes) -> Iterator[tuple[pikepdf.Pdf, list[tuple[str, str, pikepdf.Object]]]]:
    """The archive and its elements as (type, text, element), in the tree's order."""
    with pikepdf.open(io.BytesIO(a2a)) as pdf:
        texts = marked_text(pdf)
        yield pdf, [(e.type, _squeeze(element_text(e.obj, pdf, texts)), e.obj)
                    for e in elements(pdf)]


def test_sample_has_33_paragraphs() -> None:
    assert len(sample_paragraphs()) == PARAGRAPHS


def test_every_paragraph_is_one_element_in_reading_order(tree: tuple) -> None:
    _, items = tree
    blocks = [(kind, text) for kind, text, _ in items if kind in ("P", "H1", "H2")]
    texts = [text for _, text in blocks]
    paragraphs = sample_paragraphs()
    positions = [texts.index(p) for p in paragraphs]  # each whole in one element
    assert positions == sorted(positions)
    manifest = yaml.safe_load((SAMPLE / "issue.yaml").read_text(encoding="utf-8"))
    for article in manifest["articles"]:
        assert blocks[texts.index(_squeeze(article["title"]))][0] == "H1"
        assert blocks[texts.index(_squeeze(article["subtitle"]))][0] == "H2"
        for body in re.split(r"\n\s*\n", _body(SAMPLE, article).strip()):
            assert blocks[texts.index(_squeeze(body))][0] == "P"


def test_photos_are_figures_with_alt_and_captions(tree: tuple) -> None:
    _, items = tree
    figures = [obj for kind, _, obj in items if kind == "Figure"]
    assert [str(f.Alt) for f in figures] == ["新泾镇第十六届党员代表大会第二次会议",
                                             "新泾镇第二十届人民代表大会第二次会议"]
    for figure in figures:
        x1, y1, x2, y2 = (float(v) for v in figure.A.BBox)
        assert 0 < x1 < x2 < 600 and 0 < y1 < y2 < 860  # in PDF points, on the page
    captions = [text for kind, text, _ in items if kind == "Caption"]
    assert captions == ["新泾镇第十六届党员代表大会第二次会议（照片占位）",
                        "新泾镇第二十届人民代表大会第二次会议（照片占位）"]


def test_contents_box_is_a_toc(tree: tuple) -> None:
    _, items = tree
    entries = [text for kind, text, _ in items if kind == "TOCI"]
    assert entries == ["要闻奋进新征程共创新业绩1", "要闻勠力同心谋发展踔厉奋发向未来2",
                       "便民春节期间便民服务安排出炉3", "平安冬季消防安全大检查走进老旧小区4"]


def test_running_heads_and_folios_are_artifacts(tree: tuple) -> None:
    pdf, items = tree
    tagged = "".join(text for kind, text, _ in items if kind == "Document")
    assert "—2—" not in tagged and "—3—" not in tagged
    texts = marked_text(pdf)
    for (page, _), text in texts.items():
        if page > 0:  # the running head repeats the masthead's words on later pages
            assert not _squeeze(text).startswith("新泾通讯2023年第1期"), text
    artifacts = [m for m in marks(pdf) if m.artifact and m.operator == "TJ"]
    assert {m.page for m in artifacts} == {0, 1, 2, 3}  # each page's folio at least


def test_language_title_and_marks(a2a: bytes) -> None:
    with pikepdf.open(io.BytesIO(a2a)) as pdf:
        assert str(pdf.Root.Lang) == "zh-CN"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert pdf.Root.MarkInfo.Marked is True
        assert str(pdf.docinfo.Title) == "新泾通讯 2023年第1期"
    report = check_pdfa(a2a)
    assert (report.part, report.level) == (2, "A") and report.ok, report.failures
    assert {"X-tagged-content", "X-figure-alt", "6.7.3.3-1"} <= {r.id for r in report.checked}


def test_empty_language_fails(a2a: bytes) -> None:
    with pikepdf.open(io.BytesIO(a2a)) as pdf:
        pdf.Root.Lang = pikepdf.String("")
        out = io.BytesIO()
        pdf.save(out)
    assert "X-language" in check_pdfa(out.getvalue()).failed_ids()


def test_links_say_what_they_show(a2a: bytes) -> None:
    with pikepdf.open(io.BytesIO(a2a)) as pdf:
        contents = {str(a.Contents) for a in pdf.pages[0].Annots}
    assert "要闻奋进新征程 共创新业绩 1" in contents


def test_archive_rebuilds_byte_identical(a2a: bytes) -> None:
    assert archive(SAMPLE, "pdf/a-2a").pdf == a2a


def test_tagged_archive_with_sources_unpacks(tmp_path: Path) -> None:
    built = archive(SAMPLE, "pdf/a-3a", embed_sources=True)
    assert check_pdfa(built.pdf).ok
    target = tmp_path / "a.pdf"
    target.write_bytes(built.pdf)
    assert run("unpack", target, tmp_path / "restored").returncode == 0
    assert (tmp_path / "restored" / "issue.yaml").read_bytes() == \
        (SAMPLE / "issue.yaml").read_bytes()
    assert archive(tmp_path / "restored", "pdf/a-3a", embed_sources=True).pdf == built.pdf


# Reading order of the content itself ---------------------------------------------

def test_print_pdf_reads_in_order(tmp_path: Path) -> None:
    data = build_runs(SAMPLE, store=False).pdf
    assert in_order(sample_paragraphs(), raw_text(data, tmp_path)) == list(range(PARAGRAPHS))


def test_archive_reads_in_order(a2a: bytes, tmp_path: Path) -> None:
    assert in_order(sample_paragraphs(), raw_text(a2a, tmp_path)) == list(range(PARAGRAPHS))


def test_without_paint_order_captions_and_contents_cut_the_text(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The defect paint_order.py fixes: WeasyPrint paints clipping boxes (photos,
    captions, contents entries) after the page's text."""
    monkeypatch.setattr(stacking, "_dispatch", paint_order._original_dispatch)
    monkeypatch.setattr(draw_module, "draw_block_level", paint_order._original_draw_block_level)
    # The back issue's two articles alone (3 pages): where captions and contents
    # entries cut the text.
    back = tmp_path / "back-issue"
    shutil.copytree(SAMPLE, back)
    manifest = (back / "issue.yaml").read_text(encoding="utf-8")
    (back / "issue.yaml").write_text(manifest[:manifest.index("\n  # The two articles below")]
                                     .replace("\npages: 4 ", "\n# pages: 4 "), encoding="utf-8")
    text = raw_text(build(back).pdf, tmp_path)
    paragraphs = sample_paragraphs(back)
    assert len(paragraphs) == 19 and len(in_order(paragraphs, text)) < 19
    column = text.index("考察长宁工作重要指示要求")
    assert text.index("新泾镇第十六届党员代表大会第二次会议（照片占位）") > column


def test_page_furniture_has_empty_actual_text(tmp_path: Path) -> None:
    """The folio is drawn (pdfplumber sees it) but text extraction skips it."""
    data = build_runs(SAMPLE, store=False).pdf
    with pikepdf.open(io.BytesIO(data)) as pdf:
        artifacts = [m for m in marks(pdf) if m.artifact and m.operator == "TJ"]
    assert {m.page for m in artifacts} == {0, 1, 2, 3}
    assert "— 2 —" not in raw_text(data, tmp_path)


# A harder issue: lists, subheads, an inline photo, a long headline ------------------

HARD = HEADER + """\
  - id: notice
    section: 便民
    title: 关于2024年度城乡居民医疗保险（City & Rural Medical Insurance）参保缴费的通知
    subtitle: 缴费期限：2023年9月1日至12月31日 · 咨询电话 021-6259 8800
    photos:
      - file: images/a.png
        caption: 社区事务受理服务中心一楼大厅（仙霞西路 700 号）
        placement: inline
        after_paragraph: 2
    body: |
      各位居民：根据《上海市城乡居民基本医疗保险办法》，2024年度参保登记和缴费工作即将开始，现将有关事项通知如下。

      ### 一、缴费标准
      1. 超过60周岁的人员：每人每年缴费 595 元；
      2. 19周岁至59周岁的人员：每人每年缴费 865 元；
      3. 中小学生和婴幼儿：每人每年缴费 200 元。

      ### 二、办理地点
      - 新泾镇社区事务受理服务中心（仙霞西路 700 号，工作日 8:30—17:00）
      - 网上办理：登录 https://zwdt.sh.gov.cn 或“随申办”App

      参保人员在缴费期内未缴费的，待遇享受期将相应顺延，请相互转告。
      如有疑问，可拨打 12345 市民服务热线或居委会电话咨询。
"""


@pytest.fixture(scope="module")
def hard_issue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from PIL import Image

    folder = tmp_path_factory.mktemp("hard")
    (folder / "images").mkdir()
    Image.new("RGB", (800, 500), (120, 150, 180)).save(folder / "images" / "a.png")
    (folder / "issue.yaml").write_text(HARD, encoding="utf-8")
    return folder


def test_lists_subheads_and_inline_photo_are_tagged(hard_issue: Path) -> None:
    built = archive(hard_issue, "pdf/a-2a")
    assert check_pdfa(built.pdf).ok, check_pdfa(built.pdf).failures
    with pikepdf.open(io.BytesIO(built.pdf)) as pdf:
        texts = marked_text(pdf)
        items = [(e.type, _squeeze(element_text(e.obj, pdf, texts))) for e in elements(pdf)]
    kinds = [kind for kind, _ in items]
    assert kinds.count("H3") == 2 and kinds.count("L") == 2 and kinds.count("LI") == 5
    assert kinds.count("Lbl") == 5 and kinds.count("LBody") == 5
    bodies = [text for kind, text in items if kind == "LBody"]
    assert bodies[0] == "超过60周岁的人员：每人每年缴费595元；"
    assert bodies[-1] == "网上办理：登录https://zwdt.sh.gov.cn或“随申办”App"
    figure = next(i for i, (kind, _) in enumerate(items) if kind == "Figure")
    assert items[figure + 1] == ("Caption", "社区事务受理服务中心一楼大厅（仙霞西路700号）")
    h1 = next(text for kind, text in items if kind == "H1" and "医疗保险" in text)
    assert h1 == _squeeze("关于2024年度城乡居民医疗保险（City & Rural Medical Insurance）"
                          "参保缴费的通知")


def test_build_tagged_command(hard_issue: Path, tmp_path: Path) -> None:
    target = tmp_path / "t.pdf"
    result = run("build", hard_issue, "--tagged", "--marks", "-o", target)
    assert result.returncode == 0, result.stderr
    with pikepdf.open(target) as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert next(elements(pdf)).type == "Document"
        assert list(untagged_content(pdf)) == []  # crop marks are artifacts too
    untagged = run("build", hard_issue, "-o", tmp_path / "u.pdf")
    assert untagged.returncode == 0
    with pikepdf.open(tmp_path / "u.pdf") as pdf:
        assert "/StructTreeRoot" not in pdf.Root


def test_weasyprint_internals_the_extensions_rely_on() -> None:
    """Beyond tests/test_weasyprint_contract.py (signatures of what is replaced):
    WeasyPrint calls the replaced functions by their module-level names."""
    import inspect

    from weasyprint import document as document_module
    from weasyprint import stacking
    from weasyprint.pdf import generate_pdf

    assert "draw_page(self._page_box, stream)" in inspect.getsource(document_module.Page.paint)
    assert "add_tags(pdf, document" in inspect.getsource(generate_pdf)
    assert "_dispatch(" in inspect.getsource(stacking._dispatch_children)
    assert "draw_block_level(" in inspect.getsource(draw_module.draw_stacking_context)



TABLE = """<html lang="zh-CN"><body style="font-family: Noto Sans CJK SC">
<table><caption>2024年度城乡居民医保缴费标准</caption>
<thead><tr><th>人员类别</th><th scope="col">个人缴费（元/年）</th></tr></thead>
<tbody><tr><th scope="row">60周岁以上</th><td>595</td></tr>
<tr><th scope="row">中小学生</th><td>200</td></tr>
<tr><td colspan="2">以上标准自2024年1月1日起执行</td></tr></tbody></table>
<aside aria-hidden="true">装饰文字</aside>
<figure><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4" width="40" height="40"
 role="img" aria-label="https://xianxia.example.cn/qr"><path d="M0 0h2v2H0z"/></svg></figure>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4" width="40" height="40">
<title>街道地图</title>
<path d="M0 0h2v2H0z"/></svg>
<dl><dt>编印单位</dt><dd>仙霞新村街道</dd><dd>（党群服务中心）</dd></dl>
</body></html>"""


def test_tables_and_definition_lists_are_tagged(tmp_path: Path) -> None:
    """A layout's own markup: tables (TH with Scope, spans), aria-hidden, SVG, dl."""
    from bulletin_press.layout.fence import Fence
    from bulletin_press.typeset.engine import typeset, write_pdf

    fence = Fence({"issue": tmp_path})
    data = write_pdf(typeset(TABLE, fence.url("issue"), fence), tagged=True)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        texts = marked_text(pdf)
        items = [(e.type, element_text(e.obj, pdf, texts), e.obj) for e in elements(pdf)]
        assert list(untagged_content(pdf)) == []
        kinds = [kind for kind, _, _ in items]
        assert kinds[:4] == ["Document", "Table", "Caption", "THead"]
        assert kinds.count("TR") == 4 and kinds.count("TH") == 4 and kinds.count("TD") == 3
        headers = [(text, str(obj.A.Scope)) for kind, text, obj in items if kind == "TH"]
        assert headers == [("人员类别", "/Column"), ("个人缴费（元/年）", "/Column"),
                           ("60周岁以上", "/Row"), ("中小学生", "/Row")]
        spanned = next(obj for kind, text, obj in items
                       if kind == "TD" and text.startswith("以上标准"))
        assert spanned.A.ColSpan == 2
        assert "装饰文字" not in "".join(text for _, text, _ in items)
        assert [str(obj.Alt) for kind, _, obj in items if kind == "Figure"] == [
            "https://xianxia.example.cn/qr", "街道地图"]  # aria-label, SVG title
        terms = [(kind, text) for kind, text, _ in items if kind in ("LI", "Lbl", "LBody")]
        assert terms == [("LI", "编印单位仙霞新村街道"), ("Lbl", "编印单位"),
                         ("LBody", "仙霞新村街道"), ("LI", "（党群服务中心）"),
                         ("LBody", "（党群服务中心）")]


def test_archive_without_structure_tree_is_refused(tmp_path: Path) -> None:
    """Switched off (a process's choice), WeasyPrint's own tags stand, and the archive
    fails X-tagged-content rather than being written or crashing."""
    env = {**os.environ, "BULLETIN_PRESS_EXTENSIONS_OFF": "structure_tree"}
    result = subprocess.run([sys.executable, "-m", "bulletin_press", "archive", str(SAMPLE),
                             "-o", str(tmp_path / "x.pdf")], capture_output=True, text=True,
                            cwd=ROOT, env=env, timeout=300)
    assert result.returncode == 1, result.stderr
    assert "[pdfa.X-tagged-content]" in result.stderr + result.stdout
    assert not (tmp_path / "x.pdf").exists()
