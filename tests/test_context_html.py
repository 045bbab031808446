"""Stages 4-5: the template context and the HTML made from it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bulletin_press.diagnostics import BuildError
from bulletin_press.fonts.lookup import family_metrics
from bulletin_press.layout.context import caption_line_count
from bulletin_press.layout.prepare import prepare
from bulletin_press.layout.specs import load_layout
from bulletin_press.manifest.project import find_project
from bulletin_press.text.breaks import visible

from .conftest import HEADER, MINIMAL, SAMPLE, MakeIssue

PHOTO_ISSUE = """\
newsletter: 测试通讯
publisher: 测试镇
issue: {number: 3, volume: 12, date: 2024-05-01}
colophon: {office: 编辑部, address: 某路1号, copies: 500}
articles:
  - id: first
    section: 专题
    title: 第一篇 <文章>
    body: |
      一段。

      二段。

      三段。
    photos:
      - {file: p.jpg, caption: 顶部照片, placement: top}
      - {file: p.jpg, caption: 插图, placement: inline, after_paragraph: 2}
      - {file: p.jpg, caption: 底部, placement: bottom, credit: 摄影 王五}
      - {file: p.jpg, caption: 通栏, placement: full-width}
  - id: second
    title: 第二篇<script>alert(1)</script>
    layout: {start: new-page, headline: column}
    body: 正文。
"""


def test_context_labels_and_toc(make_issue: MakeIssue, sample_photo: Path) -> None:
    ctx = prepare(make_issue(PHOTO_ISSUE, {"p.jpg": sample_photo})).context.context
    assert ctx["lang"] == "zh-CN"
    assert ctx["issue_label"] == "2024年第3期" and ctx["volume_label"] == "总第12期"
    assert ctx["date_label"] == "2024年5月1日"
    assert [t["anchor"] for t in ctx["toc"]] == ["article-first", "article-second"]
    assert ("印数", "500份") in [(visible(a), visible(b)) for a, b in ctx["colophon"]]


def test_photo_placement_and_grid_heights(make_issue: MakeIssue, sample_photo: Path) -> None:
    prepared = prepare(make_issue(PHOTO_ISSUE, {"p.jpg": sample_photo}))
    line = prepared.layout.geometry.line
    first = prepared.context.context["articles"][0]
    kinds = [(i["kind"], i["figure"]["caption"] if i["figure"] else None) for i in first["body"]]
    assert kinds == [("figure", "顶部照片"), ("paragraph", None), ("paragraph", None),
                     ("figure", "插图"), ("paragraph", None), ("figure", "底部")]
    [full] = first["full_width_figures"]
    assert full["width"] == "full"
    figures = [i["figure"] for i in first["body"] if i["figure"]] + [full]
    for figure in figures:
        for value in (figure["image_height"], figure["caption_height"]):
            lines = float(value.removesuffix("pt")) / line
            assert lines == int(lines), value
    # 2400×1600 at 241.5 pt wide is 161 pt natural: 9 lines of 18 pt.
    assert figures[0]["image_height"] == "162pt"
    assert full["image_height"] == f"{10 * line:g}pt"  # capped by full_width_max_lines


PHOTO_STORY = HEADER + """\
  - id: phones
    title: 居民用手机记录社区生活
    body: |
      10月14日下午，新泾镇第十届“邻里节”在天山西路568号开幕。

      本报收到居民投稿照片四十余张，现选登如下，邮箱linli@xinjing.gov.cn。

      欢迎继续投稿。
    photos:
      - {file: p.jpg, caption: 开幕式现场}
      - {file: p.jpg, caption: 百家宴}
      - {file: p.jpg, caption: 合唱团演出}
      - {file: p.jpg, caption: 老照片}
      - {file: p.jpg, caption: 结尾照片, placement: bottom}
      - {file: p.jpg, caption: 插在第一段后, placement: inline, after_paragraph: 1}
"""


def test_photos_without_placement_follow_the_text(make_issue: MakeIssue,
                                                  sample_photo: Path) -> None:
    """Of the photos given no placement, the first heads the article and the others
    are spread through the text in their order, so the text starts under its headline
    (five phone photos at the top filled page 1 and put the story's text on page 2).
    Photos the editor placed stay where they were put; two after the same paragraph
    keep their order."""
    prepared = prepare(make_issue(PHOTO_STORY, {"p.jpg": sample_photo}))
    [article] = prepared.context.context["articles"]
    kinds = [i["figure"]["caption"] if i["figure"] else i["kind"] for i in article["body"]]
    assert kinds == ["开幕式现场", "paragraph", "百家宴", "插在第一段后", "paragraph",
                     "合唱团演出", "paragraph", "老照片", "结尾照片"]
    places = {i["figure"]["caption"]: i["figure"]["placement"]
              for i in article["body"] if i["figure"]}
    assert places["开幕式现场"] == "top" and places["百家宴"] == "inline"


def test_caption_lines_without_metrics_count_every_character_as_one_em() -> None:
    layout = load_layout(find_project(SAMPLE).layouts_dir, "two-column")
    width = layout.geometry.column_width
    assert caption_line_count("短说明", width, 9, None) == 1
    assert caption_line_count("长" * 27, width, 9, None) == 2
    assert caption_line_count("长" * 60, width, 9, None) == 3


def test_caption_lines_measured_with_the_caption_font() -> None:
    """With the font's advances (what the build uses), Latin and digits take their
    own width: fewer lines than one em each; Han is one em either way."""
    layout = load_layout(find_project(SAMPLE).layouts_dir, "two-column")
    width = layout.geometry.column_width
    font = family_metrics(layout.spec.fonts.heading)
    assert font is not None, "the layout's caption font is not installed (scripts/setup.sh)"
    assert caption_line_count("长" * 27, width, 9, font) == 2
    assert caption_line_count("长" * 60, width, 9, font) == 3
    mixed = "摄影：王五 Photo by WeChat user xinjing_2023, www.xinjing.gov.cn/news/2023/0110.html"
    assert caption_line_count(mixed, width, 9, None) == 4
    assert caption_line_count(mixed, width, 9, font) == 2
    place = ("新泾镇第十六届党员代表大会第二次会议于2022年12月27日在镇文化中心"
             "(Xinjing Culture Centre)举行")
    assert caption_line_count(place, width, 9, font) == 2


def test_html_escapes_text_and_sets_language(make_issue: MakeIssue, sample_photo: Path) -> None:
    html = visible(prepare(make_issue(PHOTO_ISSUE, {"p.jpg": sample_photo})).html.html)
    assert '<html lang="zh-CN">' in html
    assert "第一篇 &lt;文章&gt;" in html
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'class="article start-new-page kind-story"' in html
    # headline: column puts the headline inside the columns
    assert re.search(r'<div class="columns" id="text-\w+">\n'
                     r'<section class="article-body kind-story">\n<header class="headline">', html)
    assert re.search(r'<img src="p.jpg" alt="顶部照片" style="height: 162pt">', html)
    assert "<span class=\"credit\">（摄影 王五）</span>" in html
    assert '<a href="#article-second">' in html


def test_new_column_article_joins_previous_flow(make_issue: MakeIssue) -> None:
    folder = make_issue(HEADER + """\
          - {id: a, title: 甲, body: 一。}
          - {id: b, title: 乙, body: 二。, layout: {start: new-column}}
          - {id: c, title: 丙, body: 三。}
        """)
    prepared = prepare(folder)
    flows = prepared.context.context["flows"]
    assert [[a["id"] for a in flow] for flow in flows] == [["a", "b"], ["c"]]
    html = prepared.html.html
    assert '<section class="article-body kind-story start-new-column" id="article-b">' in html
    assert html.count('<div class="columns"') == 2


def test_html_has_no_whitespace_between_runs() -> None:
    html = visible(prepare(SAMPLE).html.html)
    assert "<p>中共长宁区新泾镇第十六届党员代表大会第二次会议于2022年12月27日举行。" in html
    assert not re.search(r"[\u4e00-\u9fff]\s+</?(strong|em|span)", html)


def test_page_css_has_exact_grid(make_issue: MakeIssue) -> None:
    css = prepare(make_issue()).context.context["page_css"]
    assert "--column-width: 241.5pt;" in css and "--line: 18pt;" in css
    assert "bleed: 8.5039pt;" in css
    assert "size: 595.2756pt 841.8898pt;" in css


def test_unreadable_photo_is_an_error_naming_it(make_issue: MakeIssue) -> None:
    folder = make_issue(PHOTO_ISSUE.replace("p.jpg", "bad.jpg"), {"bad.jpg": b"not a jpeg"})
    with pytest.raises(BuildError) as info:
        prepare(folder)
    [d] = info.value.diagnostics  # one file, reported once
    assert d.code == "photo.unreadable" and "bad.jpg" in d.message
    assert d.location.line == 16


def test_missing_font_family_is_reported_with_package_hint() -> None:
    from bulletin_press.fonts.lookup import environment_problems

    assert environment_problems(["Noto Serif CJK SC", "Noto Sans CJK SC"]) == []
    [problem] = environment_problems(["No Such Family XYZ"])
    assert problem.code == "environment.font-missing"
    assert problem.hint is not None and "fonts-noto-cjk" in problem.hint


def test_layout_extends_parent(tmp_path: Path) -> None:
    import shutil

    from bulletin_press.layout.render import render_html
    from bulletin_press.layout.specs import load_layout

    layouts = tmp_path / "layouts"
    shutil.copytree(SAMPLE.parents[1] / "layouts" / "two-column", layouts / "two-column")
    (layouts / "compact").mkdir()
    (layouts / "compact" / "layout.yaml").write_text(
        "extends: two-column\npage: {lines: 40}\noptions: {accent: '#003366'}\n")
    (layouts / "compact" / "colophon.html.j2").write_text(
        '<footer class="compact">{% include "!two-column/colophon.html.j2" %}</footer>\n')
    layout = load_layout(layouts, "compact")
    assert layout.spec.page.column_chars == 23 and layout.spec.page.lines == 40
    assert layout.spec.options["accent"] == "#003366" and layout.spec.options["muted"]
    assert layout.stylesheet_paths() == [layouts / "two-column" / "style.css"]
    context = prepare(SAMPLE).context.context
    html = render_html(layout, context).html
    assert '<footer class="compact">' in html and '<footer class="colophon colophon-foot">' in html


def test_lists_are_rendered(make_issue: MakeIssue) -> None:
    # Found by fuzzing: "items" named the dict method in the template, not the list.
    html = prepare(make_issue(HEADER + '  - {id: a, title: 标题, body: "- 0\\n- 一"}\n')).html.html
    assert "<ul><li>0</li>\n<li>一</li>\n</ul>" in html


def _figures(node: object) -> list[dict[str, object]]:
    """Every figure in a template context."""
    if isinstance(node, dict):
        own = [node] if "caption_lines" in node else []
        return own + [f for value in node.values() for f in _figures(value)]
    if isinstance(node, list | tuple):
        return [f for value in node for f in _figures(value)]
    return []


@pytest.mark.slow
def test_caption_lines_reserved_are_the_lines_typeset(make_issue: MakeIssue,
                                                      sample_photo: Path) -> None:
    """The caption's height is reserved before layout from the font's advances: the
    typeset caption fills exactly those lines (one em a character would reserve 4)."""
    import io

    import pdfplumber

    from bulletin_press.build.pipeline import build

    caption = "摄影：王五 Photo by WeChat user xinjing_2023, www.xinjing.gov.cn/news/2023/0110.html"
    folder = make_issue(HEADER + f"""\
          - id: a
            title: 标题
            body: 新泾镇第二十届人民代表大会第二次会议于2022年12月29日顺利召开。
            photos:
              - {{file: p.jpg, caption: "{caption}"}}
        """, {"p.jpg": sample_photo})
    built = build(folder)
    [figure] = {str(f["anchor"]): f for f in _figures(built.prepared.context.context)}.values()
    with pdfplumber.open(io.BytesIO(built.pdf)) as pdf:
        lines: dict[float, str] = {}
        for char in pdf.pages[0].chars:
            if abs(char["size"] - 9) < 0.1:
                lines[round(char["top"], 1)] = lines.get(round(char["top"], 1), "") + char["text"]
    typeset = [text for text in lines.values() if text in caption.replace(" ", "")
               or text.replace(" ", "") in caption.replace(" ", "")]
    assert "".join(typeset).replace(" ", "") == caption.replace(" ", "")
    assert figure["caption_lines"] == len(typeset) == 2


def test_masthead_name_lines_are_balanced_between_words() -> None:
    from bulletin_press.fonts.lookup import family_metrics
    from bulletin_press.layout.masthead import masthead_title

    font = family_metrics("Noto Sans CJK SC")
    assert masthead_title("新泾通讯", 380, font) == {
        "lines": ["新泾通讯"], "size_pt": 40.0, "line_pt": 54.0}
    name = "上海市长宁区新泾镇剑河路第一居民区党总支与业主委员会物业公司三方联动简报"
    three = masthead_title(name, 300, font)
    assert len(three["lines"]) == 3 and three["line_pt"] == 18.0
    assert "".join(three["lines"]) == name
    assert max(map(len, three["lines"])) - min(map(len, three["lines"])) <= 4
    assert not any(line.startswith(("，", "）")) for line in three["lines"])


def test_an_article_is_named_by_its_title_as_it_reads(make_issue: MakeIssue,
                                                      sample_photo: Path) -> None:
    """A photo note names the article without the editor's forced break (|)."""
    from bulletin_press.diagnostics import article_name

    assert article_name(1, "奋进新征程|共创新业绩") == "article 2 《奋进新征程共创新业绩》"
    assert article_name(0, "让老年人跨越“数字鸿沟” ｜ 新泾镇“银发课堂”走进28个居民区") == \
        "article 1 《让老年人跨越“数字鸿沟”新泾镇“…》"
    caption = "图为" + "居民在长者食堂用餐，" * 12
    folder = make_issue(MINIMAL.replace("title: 第一篇文章", "title: 第一篇|文章\n    photos:\n"
                                        f"      - {{file: p.jpg, caption: {caption}}}"),
                        {"p.jpg": sample_photo})
    [note] = [d for d in prepare(folder).diagnostics if d.code == "photo.long-caption"]
    assert "《第一篇文章》" in note.message and "|" not in note.message


POEM_AND_LETTER = HEADER + """\
  - id: poem
    title: 春到新泾
    body: |
      春风拂过天山西路，⏎
      玉兰开在老墙头；\\
      加装的电梯轻轻一响，⏎
      九十岁的阿婆下了楼。

      地址：天山西路345号一楼东侧办事窗口⏎
      电话：021-6238 5099
  - id: letter
    title: 感谢信
    body: |
      尊敬的新泾镇社区事务受理服务中心：

      去年12月，是你们帮我办理了长护险评估申请。
    signature: {issuer: 新泾五村居民 李秀英, date: 2023-03-28}
""".replace("⏎", "  ")  # two spaces at a line's end: a hard break


def test_lines_broken_by_hand_stay_and_short_ones_are_verse(make_issue: MakeIssue) -> None:
    """A hard break (two spaces or a backslash at a line's end) was joined away like
    a soft one: a poem printed as one run-on sentence. Its lines now stay (<br>);
    a paragraph of short lines is verse, set centred; an address block keeps its
    lines as they are. A letter's salutation is flush left as a notice's is."""
    html = prepare(make_issue(POEM_AND_LETTER)).html.html
    assert ('<p class="verse">春风拂过天山西路，<br>玉兰开在老墙头；<br>加装的电梯轻轻一响，<br>'
            "九十岁的阿婆下了楼。</p>") in html
    # 19 characters: not verse (a place mark for the vertical justification may be on it)
    assert re.search(r"<p( data-vj=\"\w+\")?>地址：.*办事窗口<br>电话：", visible(html))
    assert '<p class="salutation">尊敬的新泾镇社区事务受理服务中心：</p>' in html


@pytest.mark.slow
def test_verse_prints_line_for_line_centred_in_one_column(make_issue: MakeIssue) -> None:
    """The poem's four lines are four lines of the PDF, each centred in its column,
    all in one column; the check finds nothing ragged in them, nor in the address
    block broken by hand (地址：… / 电话：…)."""
    from bulletin_press.build.pipeline import build
    from bulletin_press.checks.typesetting import check_typography, read_body

    built = build(make_issue(POEM_AND_LETTER))
    g = built.prepared.layout.geometry
    lines, _ = read_body(built.pdf, g)
    verse = ["春风拂过天山西路，", "玉兰开在老墙头；", "加装的电梯轻轻一响，",
             "九十岁的阿婆下了楼。"]
    found = [b for b in lines if b.line.text in verse]
    assert [b.line.text for b in found] == verse
    assert len({(b.page, b.column) for b in found}) == 1
    for b in found:
        centre = b.left + g.column_width / 2
        assert abs((b.line.x0 + b.line.x1) / 2 - centre) < 1.0, (b.line.text, b.line.x0)
    codes = {d.code for d in check_typography(built.pdf, g, built.prepared.layout
                                              .font_families())}
    assert "typography.ragged-line" not in codes


def test_a_table_that_cannot_fit_is_named_before_it_is_typeset(make_issue: MakeIssue) -> None:
    """Nine columns of phone numbers cannot fit the page (each piece is unbreakable):
    the table ran past the page's edge and only the preflight's pages.safe-area said
    so, pointing at a character. The context names the table and what to do."""
    phones = " | ".join(f"021-648512{n:02d}" for n in range(1, 9))
    manifest = HEADER + f"""\
  - id: market
    title: 菜场投诉电话
    body: |
      各摊位投诉电话如下：

      | 摊位 | 蔬菜 | 水产 | 肉类 | 禽蛋 | 豆制品 | 熟食 | 水果 | 粮油 |
      | --- | --- | --- | --- | --- | --- | --- | --- | --- |
      | 投诉电话 | {phones} |

      | 日期 | 时间 |
      | --- | --- |
      | 6月12日 | 7:30—16:30 |
"""
    found = [d for d in prepare(make_issue(manifest)).diagnostics
             if d.code == "layout.table-too-wide"]
    assert len(found) == 1 and "9 columns" in found[0].message
    assert found[0].location.line == 10  # the table's first line in issue.yaml
