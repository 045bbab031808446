"""The typography check: each check finds what it should, and the sample is clean."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bulletin_press.build.pipeline import build
from bulletin_press.checks.typesetting import (
    BodyLine,
    check_fonts,
    check_grid,
    check_justification,
    check_line_breaks,
    check_orphans_widows,
    check_typography,
    read_body,
)
from bulletin_press.diagnostics import Severity
from bulletin_press.layout.specs import Geometry, load_layout
from bulletin_press.manifest.project import find_project
from bulletin_press.pdf.text import Line
from bulletin_press.typeset import gate

from .conftest import ROOT, SAMPLE, MakeIssue
from .test_justify import HARD

G: Geometry = load_layout(find_project(SAMPLE).layouts_dir, "two-column").geometry
LEFT = G.margin_side
TOP = G.margin_top + 13.0


def body(*rows: tuple[str, bool, bool], page: int = 1, column: int = 1,
         first: int = 0) -> list[BodyLine]:
    """Lines of one column: (text, indented, full width)."""
    out = []
    for i, (text, indented, full) in enumerate(rows):
        x0 = LEFT + (21 if indented else 0)
        x1 = LEFT + G.column_width if full else x0 + 10.5 * len(text)
        line = Line(TOP + (first + i) * G.line, x0, x1, text, 10.5, "X+Noto-Serif-CJK-SC")
        out.append(BodyLine(page, column, first + i + 1, line, LEFT, LEFT + G.column_width))
    return out


def codes(found: object) -> list[str]:
    return [d.code for d in found]  # type: ignore[attr-defined]


def test_ragged_line_found_but_not_paragraph_ends() -> None:
    lines = body(("甲乙丙", True, False), ("丁戊", False, False), ("己", True, False))
    assert codes(check_justification(lines, G)) == ["typography.ragged-line"]
    assert codes(check_justification(body(("甲", True, True), ("乙", False, False)), G)) == []


def test_list_items_and_labels_are_not_judged_as_justified_text() -> None:
    # 开放时间： then a bullet list, an item running onto a second line, then a
    # numbered list: none of these lines is meant to reach the column's edge.
    lines = body(("开放时间：", True, False), ("•4月至10月：每天6:00—21:00", False, False),
                 ("•儿童游戏区：每天8:00—18:00，12岁以下", False, True),
                 ("须由家长陪同", True, False), ("温馨提示：", True, False),
                 ("1.请勿采摘花草、攀爬树木；", False, False), ("2.遛狗请牵绳；", False, False),
                 ("报名电话：", False, False), ("021-6475 3120（工作日）", False, False),
                 ("下一段开头", True, True), ("真正没排满的一行", False, False),
                 ("接着的一行", False, False))
    found = list(check_justification(lines, G))
    assert [d.location.box[1] for d in found if d.location.box] == [lines[10].line.top]
    assert codes(check_orphans_widows(lines)) == []


def test_forbidden_line_starts_and_ends() -> None:
    lines = body(("甲乙“", True, True), ("。丙丁", False, True), ("——戊", False, True),
                 ("己·", False, True), ("完", False, False))
    assert codes(check_line_breaks(lines)) == [
        "typography.line-end", "typography.line-start", "typography.line-end"]


def test_split_dash_and_number() -> None:
    lines = body(("甲乙—", True, True), ("—丙20", False, True), ("22年", False, False))
    assert codes(check_line_breaks(lines)) == ["typography.split-mark",
                                               "typography.line-start",  # a lone —
                                               "typography.split-number"]


def test_off_grid_line() -> None:
    lines = body(("甲", True, True), ("乙", False, True), ("丙", False, False))
    col2 = body(("丁", True, False), column=2)
    shifted = BodyLine(1, 2, 1, Line(TOP + 4.0, LEFT, LEFT + 10, "丁", 10.5, "X"), LEFT,
                       LEFT + G.column_width)
    assert codes(check_grid(lines + col2, G)) == []
    assert codes(check_grid([*lines, shifted], G)) == ["typography.off-grid"]
    below = BodyLine(1, 2, 2, Line(TOP + 4.0 + G.line, LEFT, LEFT + 10, "戊", 10.5, "X"), LEFT)
    # a block off the grid moves every line under it: said once, for the first
    assert codes(check_grid([*lines, shifted, below], G)) == ["typography.off-grid"]


def test_orphan_and_widow() -> None:
    orphan = body(("前文", False, False), ("新段", True, True), first=39) + body(
        ("续", False, True), ("完", False, False), column=2)
    assert codes(check_orphans_widows(orphan)) == ["typography.orphan"]
    widow = body(("一段", True, True), ("续", False, True), first=39) + body(
        ("末行", False, False), ("下段", True, False), column=2)
    assert codes(check_orphans_widows(widow)) == ["typography.widow"]


def test_unexpected_font() -> None:
    line = Line(TOP, LEFT, LEFT + 10, "😀", 10.5, "X+DejaVuSans",
                [{"text": "😀", "fontname": "ABCDEF+DejaVuSans", "x0": LEFT, "x1": LEFT + 10,
                  "top": TOP, "bottom": TOP + 10}])
    [found] = check_fonts([(1, line)], ["Noto Serif CJK SC", "Noto Sans CJK SC"])
    assert found.severity is Severity.ERROR and "DejaVuSans" in found.message


@pytest.mark.slow
@pytest.mark.parametrize("source", ["sample", "hard"])
def test_sample_and_hard_text_pass(source: str, make_issue: MakeIssue) -> None:
    built = build(SAMPLE if source == "sample" else make_issue(HARD))
    layout = built.prepared.layout
    found = check_typography(built.pdf, layout.geometry, layout.font_families())
    assert [d.format() for d in found if d.severity is not Severity.INFO] == []


@pytest.mark.slow
def test_check_finds_ragged_lines_with_stock_justification(
        monkeypatch: pytest.MonkeyPatch) -> None:
    with gate.stock("cjk_justify"):
        built = build(SAMPLE)
    layout = built.prepared.layout
    found = check_typography(built.pdf, layout.geometry, layout.font_families())
    assert codes(found).count("typography.ragged-line") > 10
    assert all(d.location.page for d in found)


@pytest.mark.slow
def test_check_command_json_and_exit_code() -> None:
    result = subprocess.run([sys.executable, "-m", "bulletin_press", "check", str(SAMPLE),
                             "--format", "json"], capture_output=True, text=True, cwd=ROOT,
                            check=False)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["counts"]["error"] == 0
    # 4 pages, as planned, full to the colophon: nothing to warn of.
    assert [f["code"] for f in data["findings"] if f["severity"] == "warning"] == []
    assert all({"severity", "code", "message", "page"} <= set(f) for f in data["findings"])


@pytest.mark.slow
def test_a_finding_on_a_body_line_names_its_article(make_issue: MakeIssue) -> None:
    from bulletin_press.checks.preflight import anchor_boxes, name_articles
    from bulletin_press.diagnostics import Location, warning

    from .conftest import HEADER

    folder = make_issue(HEADER + """\
          - id: garden
            title: 口袋公园正式开放
            body: 公园占地约1200平方米，种上了桂花、红枫和30多种宿根花卉。
          - id: class
            title: 银龄智能课堂开课啦
            body: |
              凡辖区内60周岁以上老年人均可报名，每期限额30人，报满即止。
              报名电话：021-6475 3120（工作日9:00—17:00）。
        """)
    built = build(folder)
    text = anchor_boxes(built)["text-class"]
    assert text.box is not None
    x0, top, x1, _bottom = text.box
    on_line = warning("typography.ragged-line", "column 1, line 9 ends 3.0 pt short",
                      Location(page=text.page, box=(x0, top + 20, x1, top + 30)))
    above = warning("typography.ragged-line", "column 1, line 2 ends 3.0 pt short",
                    Location(page=text.page, box=(x0, top - 40, x1, top - 30)))
    heading = warning("typography.stranded-heading", "the heading", on_line.location)
    named, before, kept = name_articles([on_line, above, heading], built)
    assert named.message == "article 2 《银龄智能课堂开课啦》: column 1, line 9 ends 3.0 pt short"
    assert named.location.line == 9 and named.location.page == text.page  # its title
    assert before.message.startswith("article 1 《口袋公园正式开放》: ")
    assert kept == heading  # a heading at a page's foot belongs to the next article


@pytest.mark.slow
def test_a_lone_character_names_its_article(make_issue: MakeIssue) -> None:
    """A list item's last line holding only 「行。」 (an August issue's 加梯 steps, as
    imported from Word): the finding says which article, at its title's line, as the
    other findings on a body line do; it said only "page 1: column 2, line 2". Set
    without line_fit: with it, the line above gives 「行。」 a character (list items too,
    since session 14)."""
    from bulletin_press.checks.preflight import name_articles
    from bulletin_press.typeset import gate

    from .conftest import HEADER

    folder = make_issue(HEADER + """\
          - id: steps
            title: 申请加装电梯的步骤
            body: |
              加装电梯按下列步骤办理：

              1. 楼组内征询意见，同意户数达到本幢房屋专有部分总户数的三分之二以上；
              2. 施工、验收，办理特种设备使用登记后投入运行。
        """)
    gate.install()  # (stock puts back what the gate replaced: it must have)
    with gate.stock("line_fit"):
        built = build(folder)
    layout = built.prepared.layout
    found = [d for d in name_articles(check_typography(
        built.pdf, layout.geometry, layout.font_families(),
        autospace_em=layout.spec.type.autospace_em), built)
        if d.code == "typography.lone-character"]
    assert found, "the list item no longer ends with a lone character: find another"
    assert found[0].message.startswith("article 1 《申请加装电梯的步骤》: ")
    assert found[0].location.path is not None and found[0].location.line == 6  # its title


@pytest.mark.slow
def test_a_notice_s_short_last_line_near_the_gap_is_not_overfull(make_issue: MakeIssue) -> None:
    """A notice is set across the page: a paragraph's last line there that ends just
    short of the columns' gap (「展“我家的枫林故事”征文活动，欢迎大家踊跃投稿。」, the August
    issue's 征文启事) was read as a left-column line and said to run 5.2 pt past the
    column's edge, with the hint to break a long word or web address it does not have."""
    from .conftest import HEADER

    folder = make_issue(HEADER + """\
          - id: essay
            kind: notice
            title: “我家的枫林故事”社区征文启事
            body: |
              各位居民朋友：

              为庆祝枫林路街道建立七十周年，记录社区变迁，传承邻里温情，街道文化站即日起\
面向辖区居民开展“我家的枫林故事”征文活动，欢迎居民们踊跃投稿。

              征文截止日期为2026年9月30日。
            signature: {issuer: 枫林路街道文化站, date: 2026-08-03}
        """)
    built = build(folder)
    layout = built.prepared.layout
    g = layout.geometry
    body, _every = read_body(built.pdf, g)
    last = [b for b in body if b.line.text.endswith("欢迎居民们踊跃投稿。")]
    assert last, [b.line.text for b in body]
    # The shape tested: it ends past the column's edge, in the gap.
    assert last[0].line.x1 > last[0].left + g.column_width
    found = check_typography(built.pdf, g, layout.font_families(),
                             autospace_em=layout.spec.type.autospace_em)
    assert "typography.overfull-line" not in codes(found)
