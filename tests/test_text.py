"""Stages 2-3: Markdown subset → blocks, and text normalisation."""

from __future__ import annotations

from bulletin_press.blocks import Run, parse_body
from bulletin_press.load import load_issue
from bulletin_press.normalise import normalise_blocks, normalise_text

from .conftest import SAMPLE
from .test_sample_pdf import seed_sentences


def test_paragraphs_subheads_lists_and_emphasis() -> None:
    blocks = parse_body("第一段**粗体*斜*体**。\n\n### 小标题\n\n- 项一\n- 项二\n\n1. 甲\n2. 乙\n")
    assert [b.kind for b in blocks] == ["paragraph", "subhead", "list", "list"]
    assert blocks[0].runs == [Run("第一段"), Run("粗体", strong=True),
                              Run("斜", strong=True, em=True), Run("体", strong=True), Run("。")]
    assert blocks[2].ordered is False and blocks[3].ordered is True
    assert [b.plain_text() for b in blocks[2:]] == ["项一项二", "甲乙"]


def test_html_links_and_images_stay_literal_text() -> None:
    [block] = parse_body('<img src="/etc/passwd"> [点我](javascript:alert(1)) ![图](x.png)')
    assert block.plain_text() == '<img src="/etc/passwd"> [点我](javascript:alert(1)) ![图](x.png)'


def test_line_break_inside_paragraph_joins_han_without_space() -> None:
    source = "新的一年要以深入学习贯彻党的二十大精神为重要契\n机和新的起点"
    [block] = normalise_blocks(parse_body(source))
    assert block.plain_text() == "新的一年要以深入学习贯彻党的二十大精神为重要契机和新的起点"


def test_line_break_between_latin_words_is_a_space() -> None:
    assert normalise_text("print\nshop") == "print shop"
    assert normalise_text("中文\nLatin") == "中文Latin"


def test_join_across_styled_runs_keeps_styles() -> None:
    [block] = normalise_blocks(parse_body("甲乙\n**丙丁**"))
    assert block.runs == [Run("甲乙"), Run("丙丁", strong=True)]


def test_control_and_bidi_characters_removed_spaces_collapsed() -> None:
    assert normalise_text("新\u200b泾\u202e镇\u0007  通讯\t报") == "新泾镇 通讯 报"


def test_sample_manifest_keeps_every_seed_sentence_once_in_order() -> None:
    issue = load_issue(SAMPLE)
    text = "".join(b.plain_text() for a in issue.manifest.articles
                   for b in normalise_blocks(parse_body(issue.bodies[a.id]))).replace(" ", "")
    assert text == "".join(seed_sentences())
