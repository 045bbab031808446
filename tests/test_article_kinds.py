"""Every kind of article a town newsletter prints: tables, quotes, links, rules,
nested lists; notices, boxes, QR codes; and Markdown the layout cannot show
reported at validate, never printed."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from bulletin_press.build.pipeline import build
from bulletin_press.checks.typesetting import check_typography
from bulletin_press.diagnostics import BuildError, Severity
from bulletin_press.layout.context import ArticleContext, column_flows
from bulletin_press.layout.prepare import prepare
from bulletin_press.layout.qr import PT_PER_MM, qr_context
from bulletin_press.layout.specs import load_layout
from bulletin_press.layout.tables import too_wide
from bulletin_press.manifest.load import load_issue
from bulletin_press.manifest.model import json_schema
from bulletin_press.pdf.text import Line, lines_of
from bulletin_press.text.blocks import Cell, Span, parse_body, parse_markdown

from .conftest import HEADER, ROOT, SAMPLE, MakeIssue
from .test_justify import HARD

NOTICES = ROOT / "issues" / "2023-02-notices"
GEOMETRY = load_layout(ROOT / "layouts", "two-column").geometry

# ---- Markdown as editors paste it -------------------------------------------------------

WATER_TABLE = """\
尊敬的住户：

| 日期 | 停水时间 | 影响范围 |
| :--- | :---: | ---: |
| 2月15日（周三） | 22:00至次日6:00 | 天山西路1088弄1—24号 |
| 2月16日 | 9:00至17:00 | 北翟路1500弄（Vanke Garden东区） |
"""


def test_pipe_table_rows_cells_header_and_alignment() -> None:
    [salutation, table] = parse_body(WATER_TABLE)
    assert salutation.kind == "paragraph" and table.kind == "table"
    assert [[c.header for c in row] for row in table.rows] == [[True] * 3, [False] * 3,
                                                               [False] * 3]
    assert [c.align for c in table.rows[1]] == ["left", "center", "right"]
    assert ["".join(s.text for s in c.spans) for c in table.rows[2]] == [
        "2月16日", "9:00至17:00", "北翟路1500弄（Vanke Garden东区）"]
    assert table.source_line == 3


def test_quote_rule_and_nested_list() -> None:
    blocks = parse_body("> 感谢您的理解与配合!\n> 第二行\n\n---\n\n1. 加装电梯\n"
                        "   - 新泾六村\n   - 北虹路\n2. 社区食堂\n")
    assert [b.kind for b in blocks] == ["quote", "rule", "list"]
    assert [b.kind for b in blocks[0].children] == ["paragraph"]
    listing = blocks[2]
    assert listing.ordered and [b.plain_text() for b in blocks[2:]] == [
        "加装电梯新泾六村北虹路社区食堂"]
    assert [[b.kind for b in sub] for sub in listing.nested] == [["list"], []]
    assert [[s.text for s in item] for item in listing.nested[0][0].items] == [
        ["新泾六村"], ["北虹路"]]


@pytest.mark.parametrize(("markdown", "printed"), [
    ("详见[街道网站](https://www.example.com/notice/)。",
     "详见街道网站（www.example.com/notice）。"),
    ("写信给[编辑部](mailto:bianji@example.cn)", "写信给编辑部（bianji@example.cn）"),
    ("见<https://x.example.cn>", "见https://x.example.cn"),
    ("见[www.example.cn](https://www.example.cn)", "见www.example.cn"),
    ("拨打[热线](tel:021-62385001)", "拨打热线（021-62385001）"),
])
def test_links_print_text_and_address_in_full_width_brackets(markdown: str,
                                                             printed: str) -> None:
    [block] = parse_body(markdown)
    assert block.plain_text() == printed


def test_a_printed_address_is_not_normalised_as_prose() -> None:
    from bulletin_press.text.breaks import visible
    from bulletin_press.text.normalise import normalise_blocks

    [block] = normalise_blocks(parse_body("详见[通知](https://www.example.cn/通知?id=3,4)。"))
    # As typed, with an address's break points (invisible) in it.
    assert visible(block.plain_text()) == "详见通知（www.example.cn/通知?id=3,4）。"


def test_links_text_alone_where_the_layout_says_so() -> None:
    [block] = parse_body("详见[街道网站](https://www.example.com)。", links="text")
    assert block.plain_text() == "详见街道网站。"


def test_map_spans_reaches_cells_quotes_and_nested_items() -> None:
    blocks = parse_body(WATER_TABLE + "\n> 引文\n\n- 一\n  - 二\n")
    upper = [b.map_spans(lambda spans: [Span(s.text + "!") for s in spans]) for b in blocks]
    table, quote, listing = upper[1:]
    assert table.rows[0][0].spans == [Span("日期!")]
    assert quote.children[0].spans == [Span("引文!")]
    assert listing.nested[0][0].items == [[Span("二!")]]


@pytest.mark.parametrize(("markdown", "code", "line", "column"), [
    ("第一段。\n\n见下图![停水范围](map.png)", "markup.image", 3, 4),
    ("第一段<b>加粗</b>。", "markup.html", 1, 4),
    ("<div align=center>\n通知\n</div>", "markup.html", 1, 1),
    ("据统计[^1]。\n\n[^1]: 来源：镇统计站", "markup.footnote", 1, 4),
    ("[网站](https://a.cn)和[点我](javascript:alert(1))", "markup.link", 1, 20),
    ("[说明](files/notice.docx)", "markup.link", 1, 1),
    ("| 项目 | 内容 |\n| 停水 | 2月15日 |", "markup.leftover", 1, 1),
    ("请**务必储水。", "markup.leftover", 1, 2),
    ("｜项目｜内容｜\n｜---｜---｜\n｜停水｜2月15日｜", "markup.leftover", 1, 1),
    ("见[网站](https://a.cn/通知 2023)", "markup.leftover", 1, 5),
    ("```\n代码\n```", "markup.code", 1, 1),
])
def test_unprintable_markdown_is_found_with_line_and_column(markdown: str, code: str,
                                                            line: int, column: int) -> None:
    parsed = parse_markdown(markdown)
    assert [(p.code, p.line, p.column) for p in parsed.problems][:1] == [(code, line, column)]
    assert all(p.hint for p in parsed.problems)


def test_well_formed_markdown_has_no_problems() -> None:
    text = (NOTICES / "issue.yaml").read_text(encoding="utf-8")
    assert "| --- |" in text  # the example has tables, quotes, links, rules
    for body in load_issue(NOTICES).bodies.values():
        assert parse_markdown(body).problems == []


UNPRINTABLE = HEADER + """\
  - id: water
    kind: notice
    title: 停水通知
    body: |
      尊敬的住户：

      停水范围见下图：![范围](map.png)

      请<font color=red>提前储水</font>。
  - id: second
    title: 第二篇
    body_file: second.md
"""


def test_validate_reports_every_unprintable_construct_at_file_line_column(
        make_issue: MakeIssue) -> None:
    folder = make_issue(UNPRINTABLE, {"second.md": "正文。\n\n脚注在此[^a]。\n\n[^a]: 注\n"})
    result = subprocess.run([sys.executable, "-m", "bulletin_press", "validate", str(folder)],
                            capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout + result.stderr
    lines = (folder / "issue.yaml").read_text(encoding="utf-8").splitlines()
    image = next(i for i, t in enumerate(lines, 1) if "![" in t)
    html = next(i for i, t in enumerate(lines, 1) if "<font" in t)
    assert f"issue.yaml:{image}:{lines[image - 1].index('![') + 1}: error:" in out
    assert "[markup.image]" in out and "photos:" in out  # the hint says where pictures go
    assert f"issue.yaml:{html}:{lines[html - 1].index('<font') + 1}: error:" in out
    assert "second.md:3:5: error: footnotes are not printed [markup.footnote]" in out
    assert out.count("hint:") >= 3
    assert not (folder / "output").exists()


@pytest.mark.parametrize("line", ['    body: 正文<b>加粗</b>。', '    body: "正文<b>加粗</b>。"',
                                  "    body: '正文<b>加粗</b>。'"])
def test_column_of_a_body_on_the_manifest_line(make_issue: MakeIssue, line: str) -> None:
    folder = make_issue(HEADER + "  - id: a\n    title: 标题\n" + line + "\n")
    with pytest.raises(BuildError) as caught:
        prepare(folder)
    [found] = caught.value.diagnostics
    written = (folder / "issue.yaml").read_text(encoding="utf-8").splitlines()[6]
    assert (found.location.line, found.location.column) == (7, written.index("<b>") + 1)


# ---- The manifest: kind, signature, qr ---------------------------------------------------

def test_schema_describes_kind_signature_and_qr_with_examples() -> None:
    result = subprocess.run([sys.executable, "-m", "bulletin_press", "schema"],
                            capture_output=True, text=True, cwd=ROOT, check=True)
    schema = json.loads(result.stdout)
    article = schema["$defs"]["Article"]["properties"]
    assert article["kind"]["enum"] == ["story", "notice", "box"]
    assert "signature" in article and "qr" in article
    assert "qr" in schema["$defs"]["Colophon"]["properties"]
    assert schema["$defs"]["QrCode"]["examples"][0]["url"].startswith("https://")
    assert schema["$defs"]["Signature"]["examples"][0]["issuer"]
    assert json_schema() == schema


def test_bad_qr_url_and_kind_are_manifest_errors(make_issue: MakeIssue) -> None:
    folder = make_issue(HEADER + """\
  - id: a
    kind: poster
    title: 标题
    body: 正文。
    qr: {url: "javascript:alert(1)", caption: 扫码}
""")
    with pytest.raises(BuildError) as caught:
        load_issue(folder)
    found = {(d.code, d.location.line) for d in caught.value.diagnostics}
    assert ("manifest.bad-value", 6) in found  # kind: poster
    assert ("manifest.invalid", 9) in found  # the QR url
    assert any("https://" in d.message for d in caught.value.diagnostics)


def _article(kind: str, start: str = "continue") -> ArticleContext:
    return {"id": kind, "kind": kind, "start": start}  # type: ignore[typeddict-item]


def test_boxes_stand_in_the_columns_before_them_notices_never_take_followers() -> None:
    flows = column_flows([_article("story"), _article("box"), _article("notice", "new-column"),
                          _article("notice"), _article("box"), _article("box", "new-page")])
    assert [[a["kind"] for a in flow] for flow in flows] == [
        ["story", "box", "notice"], ["notice"], ["box"], ["box"]]


def test_notice_salutation_signature_and_qr_in_the_context() -> None:
    context = prepare(NOTICES).context.context
    water = next(a for a in context["articles"] if a["id"] == "water-outage")
    assert water["kind"] == "notice" and water["body"][0]["role"] == "salutation"
    assert water["signature"] == {"lines": [
        "新泾镇人民政府", "上海城投水务（集团）有限公司供水分公司", "2023年2月10日"]}
    assert water["qr"] is not None and water["qr"]["url"].endswith("2023-0215.html")
    assert context["colophon_qr"] is not None
    assert [t["anchor"] for t in context["toc"]] == [  # boxes are asides, not in 本期导读
        "article-water-outage", "article-new-year-visits", "article-elevators",
        "article-clinic-hours", "article-culture-calendar"]


def test_a_table_spans_the_columns_only_when_a_column_cannot_hold_it() -> None:
    def rows(*texts: list[str]) -> list[list[Cell]]:
        return [[Cell([Span(t)]) for t in row] for row in texts]
    narrow = rows(["服务", "电话"], ["社区事务受理服务中心", "021-6238 2100"])
    assert not too_wide(narrow, 241.5, 9.5, None)
    wide = rows(["日期", "时间", "活动", "地点", "报名方式"],
                ["2月14日", "14:00—16:00", "智能手机使用课（第一期）", "新泾五村睦邻点",
                 "公众号报名"])
    assert too_wide(wide, 241.5, 9.5, None)
    long_word = rows(["网址"], ["https://www.shcn.gov.cn/xinjing/tzgg/2023-0215-notice.html"])
    assert too_wide(long_word, 241.5, 9.5, None)


@pytest.mark.parametrize("url", ["https://a.cn", "https://www.shcn.gov.cn/xinjing/tzgg/"
                                 "2023-0215.html?from=newsletter&issue=246"])
def test_qr_code_is_at_least_20_mm_whole_lines_with_quiet_zone(url: str) -> None:
    qr = qr_context(url, None, 18.0)
    side = qr["lines"] * 18.0
    assert qr["size"] == f"{side:g}pt"
    symbol = side * (qr["modules"] - 8) / qr["modules"]  # without the 4-module quiet zone
    assert symbol >= 20 * PT_PER_MM
    assert "M0 " not in qr["path"] and " 0h" not in qr["path"]  # the quiet zone is white


# ---- The printed example -----------------------------------------------------------------

@pytest.fixture(scope="module")
def notices_pdf() -> bytes:
    return build(NOTICES).pdf


def _pages(pdf: bytes) -> list[list[Line]]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [lines_of(page) for page in doc.pages]


def _chars(line: Line, text: str) -> list[dict[str, object]]:
    """The characters of `text` where it stands in `line` (spaces removed)."""
    chars = [c for c in line.chars if not str(c["text"]).isspace()]
    joined = "".join(str(c["text"]) for c in chars)
    start = joined.index(text)
    return chars[start:start + len(text)]


def _row(pages: list[list[Line]], text: str) -> Line:
    """The whole printed row holding `text` (text extraction cuts a row spanning both
    columns at the gap): every line at that height on the page, left to right."""
    page, found = _line_with(pages, text)
    parts = sorted((ln for ln in pages[page - 1] if abs(ln.top - found.top) < 0.5),
                   key=lambda ln: ln.x0)
    return Line(found.top, parts[0].x0, parts[-1].x1, "".join(p.text for p in parts),
                found.size, found.fontname, [c for p in parts for c in p.chars])


def _line_with(pages: list[list[Line]], text: str) -> tuple[int, Line]:
    for number, lines in enumerate(pages, start=1):
        for line in lines:
            if text in line.text.replace(" ", ""):
                return number, line
    raise AssertionError(f"{text!r} is not printed")


@pytest.mark.slow
@pytest.mark.parametrize(("cells", "header"), [
    (["日期", "停水时间", "影响范围"], True),
    (["2月15日（周三）", "22:00至次日6:00", "天山西路1088弄1—24号"], False),
    (["日期", "时间", "活动", "地点", "报名方式"], True),
    (["2月25日", "13:30—15:30", "Python少儿编程体验课", "天山西路345号创客空间"], False),
    (["城运中心（24小时）", "021-62380110"], False),
])
def test_table_row_cells_share_a_baseline_left_to_right(notices_pdf: bytes, cells: list[str],
                                                        header: bool) -> None:
    line = _row(_pages(notices_pdf), cells[-1])  # the last cell is unique in the issue
    found = [_chars(line, cell) for cell in cells]
    baselines = {round(float(c["bottom"]), 2) for chars in found for c in chars}  # type: ignore[arg-type]
    assert len(baselines) == 1, baselines
    lefts = [float(chars[0]["x0"]) for chars in found]  # type: ignore[arg-type]
    assert lefts == sorted(lefts) and len(set(lefts)) == len(lefts)
    fonts = {str(c["fontname"]) for chars in found for c in chars}
    assert all(("Bold" in f) == header for f in fonts), fonts
    assert all(abs(float(c["size"]) - 9.5) < 0.01 for chars in found for c in chars)  # type: ignore[arg-type]


@pytest.mark.slow
def test_wide_table_spans_the_columns_narrow_one_stays_in_its_box(notices_pdf: bytes) -> None:
    g = GEOMETRY
    pages = _pages(notices_pdf)
    wide = _row(pages, "报名方式")
    assert _chars(wide, "报名方式")[-1]["x1"] > g.margin_side + g.column_width + g.gap  # type: ignore[operator]
    _, narrow = _line_with(pages, "社区事务受理服务中心")
    right = g.margin_side + g.measure  # in the box in column 2, flush right in its cell
    assert narrow.x0 > g.margin_side + g.column_width
    assert right - 6 < float(_chars(narrow, "021-62382100")[-1]["x1"]) <= right  # type: ignore[arg-type]


@pytest.mark.slow
@pytest.mark.parametrize(("issuer", "date", "edge"), [
    ("上海城投水务（集团）有限公司供水分公司", "2023年2月10日", "measure"),  # across the page
    ("新泾镇社区卫生服务中心", "2023年1月16日", "column"),  # in one column
])
def test_notice_signature_ends_at_the_right_edge_on_lines_of_its_own(
        notices_pdf: bytes, issuer: str, date: str, edge: str) -> None:
    g = GEOMETRY
    pages = _pages(notices_pdf)

    def alone(text: str) -> tuple[int, Line]:  # a body line holding `text` and nothing else
        return next((n, ln) for n, lines in enumerate(pages, 1) for ln in lines
                    if ln.text.replace(" ", "") == text
                    and ln.size == pytest.approx(g.body_size))

    page, issuer_line = alone(issuer)
    same_page, date_line = alone(date)
    assert same_page == page and date_line.top == pytest.approx(issuer_line.top + g.line)
    lefts = [g.margin_side + i * (g.column_width + g.gap) for i in range(g.columns)]
    column_left = (g.margin_side if edge == "measure"
                   else max(x for x in lefts if x <= issuer_line.x0 + 0.5))
    right = g.margin_side + g.measure if edge == "measure" else column_left + g.column_width
    for line in (issuer_line, date_line):
        assert line.x1 == pytest.approx(right, abs=0.5)
        assert line.size == pytest.approx(g.body_size)
    _, salutation = _line_with(pages, "各位居民：" if edge == "column" else "尊敬的住户：")
    assert salutation.x0 == pytest.approx(column_left, abs=0.5)  # flush left


@pytest.mark.slow
def test_links_print_as_text_and_address(notices_pdf: bytes) -> None:
    text = "".join(ln.text for lines in _pages(notices_pdf) for ln in lines).replace(" ", "")
    assert "新泾镇人民政府网站（www.shcn.gov.cn/xinjing/tzgg/2023-0215.html）" in text
    assert "（xjwhzx@example.cn）" not in text  # text and address are the same: once
    assert "xjwhzx@example.cn" in text


MARKUP = HEADER + """\
  - id: every-kind
    title: 标题
    body: |
      **加粗**与*强调*，见[网站](https://www.example.cn/a)。

      | 列一 | 列二 |
      | --- | --- |
      | 甲 | 乙 |

      > 引文一行
      > 引文二行

      ---

      - 项一
        - 子项
"""


def leftover_markup(pdf: bytes) -> list[str]:
    """Markdown characters in the text layer: pipes, quote marks at line starts, rules,
    link brackets, bold stars."""
    found = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            for line in (page.extract_text() or "").splitlines():
                text = line.strip()
                if re.search(r"\||---|\]\(|\*\*", text) or text.startswith(">"):
                    found.append(text)
    return found


@pytest.mark.slow
@pytest.mark.parametrize("which", ["sample", "notices", "markup", "hard"])
def test_no_leftover_markup_in_the_text_layer(which: str, notices_pdf: bytes,
                                              make_issue: MakeIssue) -> None:
    pdf = {"sample": lambda: build(SAMPLE).pdf, "notices": lambda: notices_pdf,
           "markup": lambda: build(make_issue(MARKUP)).pdf,
           "hard": lambda: build(make_issue(HARD)).pdf}[which]()
    assert leftover_markup(pdf) == []
    if which == "markup":  # and what the markup stood for is printed
        text = "".join(ln for ln in _texts(pdf)).replace(" ", "")
        for part in ("加粗与强调，见网站（www.example.cn/a）。", "列一列二", "甲乙", "引文一行",
                     "引文二行", "项一", "子项"):
            assert part in text


@pytest.mark.slow
@pytest.mark.markup_as_typed
def test_the_scan_finds_markup_printed_as_typed(make_issue: MakeIssue) -> None:
    # The scan can fail: a headline is plain text, printed as typed, stars and all
    # (validate warns; a | in a headline is a line-break marker).
    pdf = build(make_issue(HEADER + """\
  - id: a
    title: "**紧急**停水通知"
    body: 正文。
""")).pdf
    assert "**紧急**停水通知" in leftover_markup(pdf)


def _texts(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [page.extract_text() or "" for page in doc.pages]


@pytest.mark.slow
def test_qr_codes_decode_from_the_printed_page(notices_pdf: bytes) -> None:
    import pypdfium2
    import zxingcpp

    document = pypdfium2.PdfDocument(notices_pdf)
    found: dict[str, float] = {}
    dpi = 200
    for page in document:
        image = page.render(scale=dpi / 72).to_pil()
        for code in zxingcpp.read_barcodes(image):
            corners = code.position
            side = abs(corners.top_right.x - corners.top_left.x) / dpi * 25.4
            found[code.text] = side
            assert code.format == zxingcpp.BarcodeFormat.QRCode
            assert code.ec_level in ("M", "Q", "H")
    manifest = load_issue(NOTICES).manifest
    wanted = {a.qr.url for a in manifest.articles if a.qr}
    assert manifest.colophon.qr is not None
    wanted.add(manifest.colophon.qr.url)
    assert set(found) == wanted
    assert min(found.values()) >= 20 - 0.5  # mm, finder pattern to finder pattern edge


@pytest.mark.slow
def test_typography_check_is_clean_on_the_example(notices_pdf: bytes) -> None:
    layout = prepare(NOTICES).layout
    found = check_typography(notices_pdf, layout.geometry, layout.font_families(),
                             autospace_em=layout.spec.type.autospace_em)
    assert [d.format() for d in found if d.severity is not Severity.INFO] == []


@pytest.mark.slow
def test_no_photo_no_image_xobject_the_qr_code_is_vector(notices_pdf: bytes) -> None:
    import pikepdf

    with pikepdf.open(io.BytesIO(notices_pdf)) as pdf:
        images = [name for page in pdf.pages for name in page.get_images()]
    assert images == []



def test_a_signature_character_no_font_has_is_an_error(make_issue: MakeIssue) -> None:
    folder = make_issue(HEADER + """\
  - id: a
    kind: notice
    title: 通知
    body: 正文。
    signature: {issuer: "新泾镇\ue000居委会", date: 2023-02-10}
""")
    with pytest.raises(BuildError) as caught:
        prepare(folder)
    assert [d.code for d in caught.value.diagnostics] == ["font.missing-glyph"]


def test_a_layout_can_print_links_as_their_text_alone(tmp_path: Path) -> None:
    layouts = tmp_path / "layouts"
    shutil.copytree(ROOT / "layouts" / "two-column", layouts / "two-column")
    (layouts / "plain").mkdir()
    (layouts / "plain" / "layout.yaml").write_text("extends: two-column\noptions: {links: text}\n")
    issue = tmp_path / "issue"
    issue.mkdir()
    (issue / "issue.yaml").write_text(HEADER.replace("articles:", "layout: plain\narticles:") + """\
  - id: a
    title: 标题
    body: 详见[街道网站](https://www.example.com/a)。
""", encoding="utf-8")
    html = prepare(issue).html.html
    assert "详见街道网站。" in html and "example.com" not in html


@settings(max_examples=300, deadline=None)
@example("[]](")  # a bracket inside the brackets: found by hypothesis, failed before
@given(st.text(alphabet="新泾镇abc12 .-+*_`|<>#=!&;[]()\\~:：，。“”^", min_size=1, max_size=30))
def test_text_escaped_by_import_is_never_refused(text: str) -> None:
    """What `import` escapes prints as typed and passes validate: no markup problem."""
    from bulletin_press.intake.markdown import escape

    text = " ".join(text.split())
    assume(text)
    assert parse_markdown(escape(text)).problems == []


def test_markdown_typed_in_a_headline_or_caption_is_a_warning(make_issue: MakeIssue) -> None:
    folder = make_issue(HEADER + """\
  - id: a
    title: "**紧急**停水通知"
    subtitle: 详见[网站](https://a.cn)
    byline: 通讯员 张三
    body: 正文。
""")
    found = prepare(folder).diagnostics
    assert [(d.code, d.location.line) for d in found] == [("markup.in-plain-text", 6),
                                                          ("markup.in-plain-text", 7)]
    assert all(d.severity is Severity.WARNING and d.hint for d in found)


@pytest.mark.slow
def test_the_example_archives_as_tagged_pdf_a() -> None:
    # Tables, quotes, notices, boxes and the vector QR codes tagged and alt-texted.
    from bulletin_press.build.pipeline import archive
    from bulletin_press.pdf.pdfa_rules import check_pdfa

    report = check_pdfa(archive(NOTICES, "pdf/a-2a").pdf)
    assert not report.failed_ids()
    assert {"X-tagged-content", "X-figure-alt"} <= {r.id for r in report.checked}
