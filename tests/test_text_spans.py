"""The text stage's span handling, cut by runs instead of one span per character.

`merge_spans`, `normalise` and `punctuation.mark_spans` used to make a span for
every character and merge them again, growing each merged span a character at a
time: ~40 % of `prepare` on an issue whose paragraphs do not repeat
(issues/text-varied-16; the caches answer repeated ones). They now cut the text
where the style changes. The per-character versions are kept here as the
reference: the results must be the same span for span, on hard material and on
many random paragraphs.
"""

from __future__ import annotations

import random

import pytest

from bulletin_press.text import punctuation
from bulletin_press.text.blocks import LINK_ADDRESS, Span, merge_spans, parse_body, parse_markdown
from bulletin_press.text.breaks import ADDRESS, WORD, break_points, visible
from bulletin_press.text.normalise import (
    BREAKS,
    _curly_quotes,
    _normalise_spans,
    normalise_blocks,
)
from bulletin_press.text.punctuation import AUTOSPACE, WJ, half_width_positions, is_boundary


def _merged_by_characters(spans: list[Span]) -> list[Span]:
    """The reference: neighbours of one style joined, a character at a time."""
    merged: list[Span] = []
    for span in spans:
        if merged and (merged[-1].strong, merged[-1].em, merged[-1].cls) == (
                span.strong, span.em, span.cls):
            last = merged.pop()
            span = Span(last.text + span.text, span.strong, span.em, span.cls)
        if span.text:
            merged.append(span)
    return merged


def _marked_by_characters(spans: list[Span]) -> list[Span]:
    """The reference for punctuation.mark_spans: one span per character, then merged."""
    protected = [Span(punctuation.protect(r.text), r.strong, r.em, r.cls) for r in spans]
    text = "".join(r.text for r in protected)
    halves = half_width_positions(text)
    latin_quotes = punctuation.latin_quote_positions(text)
    out: list[Span] = []
    offset = 0
    for span in protected:
        for i, char in enumerate(span.text):
            cls = "cjk-h" if offset + i in halves else "cjk-dot" if char == "·" else \
                punctuation.PROPORTIONAL_QUOTE if offset + i in latin_quotes and not span.cls \
                else span.cls
            out.append(Span(char, span.strong, span.em, cls))
        offset += len(span.text)
    for i in range(1, len(out)):
        before, after = out[i - 1], out[i]
        styled = (before.strong, before.em, before.cls) != (after.strong, after.em, after.cls)
        if styled and is_boundary(before.text, after.text):
            if after.cls in punctuation.WHOLE:
                j = i
                while j < len(out) and out[j].cls == after.cls:
                    out[j] = Span(out[j].text, out[j].strong, out[j].em,
                                  f"{after.cls} {AUTOSPACE}")
                    j += 1
            else:
                out[i] = Span(after.text, after.strong, after.em, AUTOSPACE)
    return _merged_by_characters(out)


# Hard pieces: Han, full-width and ASCII punctuation, curly and straight quotes,
# interpuncts, dashes between digits, addresses, English, invisible characters.
PIECES = ["新泾镇", "天山西路345号", "，", "。", "“", "”", "‘", "’", "《通知》", "（", "）", "·",
          "—", "～", "-", "~", " ", "\t", "\n", "\u3000", '"', "'", ".", ",", ";", ":", "?",
          "!", "(", ")", "Lucas Martin", "Foreigner's", "5'10\"", "2023", "12%", "021-6238 5000",
          "https://www.shcn.gov.cn/xinjing/tzgg?id=3", "xinjing_bianjibu@example.com.cn",
          WJ, "\u200b", "……", "...", "《"]
CLASSES = ["", "", "", LINK_ADDRESS, ADDRESS, WORD, "cjk-h", "bp-note"]


def _random_spans(rng: random.Random) -> list[Span]:
    return [Span("".join(rng.choice(PIECES) for _ in range(rng.randint(0, 6))),
                 rng.random() < 0.3, rng.random() < 0.2, rng.choice(CLASSES))
            for _ in range(rng.randint(0, 6))]


@pytest.mark.parametrize("seed", range(4))
def test_spans_cut_by_runs_are_the_per_character_spans(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(300):
        spans = _random_spans(rng)
        assert merge_spans(list(spans)) == _merged_by_characters(list(spans))
        assert punctuation.mark_spans(list(spans)) == _marked_by_characters(list(spans))


def test_empty_spans_join_nothing_and_keep_no_place() -> None:
    spans = [Span("中", strong=True), Span(""), Span("文", strong=True), Span("", em=True),
             Span("abc"), Span("")]
    assert merge_spans(spans) == [Span("中文", strong=True), Span("abc")]
    assert merge_spans([Span(""), Span("")]) == []


def test_a_bold_address_after_han_is_one_span_with_the_gap() -> None:
    spans = punctuation.mark_spans([Span("地址："), Span("天山西路"),
                                    Span("345", strong=True, cls=ADDRESS), Span("号")])
    assert [(s.text, s.strong, s.cls) for s in spans] == [
        ("地址：天山西路", False, ""), ("345", True, f"{ADDRESS} {AUTOSPACE}"),
        ("号", False, AUTOSPACE)]
    spans = punctuation.mark_spans([Span("来自"), Span("Lucas", cls=WORD), Span(" Martin"),
                                    Span("和邻居", em=True)])
    assert [(s.text, s.cls) for s in spans] == [
        ("来自", ""), ("Lucas", f"{WORD} {AUTOSPACE}"), (" Martin", ""), ("和", AUTOSPACE),
        ("邻居", "")]  # a whole word takes the gap's class; other text its first character


def test_a_links_printed_address_is_given_back_as_typed() -> None:
    # The `?` of the address stays half width; the `?` of the prose becomes full width.
    [block] = normalise_blocks(parse_body(
        "详见[镇政府网站](https://www.shcn.gov.cn/xinjing/tzgg?id=3)?请留意。"))
    # It is an address like one typed: it breaks at an address's break points only.
    address = [s for s in block.spans if s.cls == ADDRESS]
    assert [visible(s.text) for s in address] == ["www.shcn.gov.cn/xinjing/tzgg?id=3"]
    assert address[0].text == break_points("www.shcn.gov.cn/xinjing/tzgg?id=3")
    assert visible(block.plain_text()).endswith("tzgg?id=3）？请留意。")


def test_normalised_spans_keep_each_characters_style() -> None:
    spans = [Span(" 新泾镇 ", strong=True), Span("2023年 , 共"), Span("116名", em=True),
             Span(" ")]
    out = _normalise_spans(list(spans), frozenset({BREAKS}))
    # The paragraph's outer spaces go; the comma touching Han becomes full width.
    assert out == [Span("新泾镇 ", strong=True), Span("2023年，共"), Span("116名", em=True)]


def test_quotes_are_turned_only_where_there_are_straight_quotes() -> None:
    plain = "新泾镇“家门口”的服务（021-6238 5000）"
    assert _curly_quotes(plain) is plain  # nothing to look at character by character
    assert _curly_quotes('他说"好"。Foreigner\'s Work') == "他说“好”。Foreigner’s Work"


def test_a_typed_line_separator_is_a_line_break_and_lines_stay_counted() -> None:
    """Word's Shift+Enter pasted into an article arrives as U+2028. It ends the line
    in print (it has no glyph: WeasyPrint drew .notdef and the build failed with no
    place), and it does not count as a line end when problems are located."""
    from bulletin_press.text.blocks import HARD_BREAK, LINE_BREAK, parse_markdown

    body = ("地址：长宁区新泾镇哈密路1955号\u2028电话：021-62781234转8012\u2028"
            "网址：www.xinjing.gov.cn\n\n"
            "报名请<font>扫码</font>。\n")
    parsed = parse_markdown(body)
    spans = parsed.blocks[0].spans
    assert [s.text for s in spans if s.cls == LINE_BREAK] == [HARD_BREAK, HARD_BREAK]
    assert "".join(s.text for s in spans).split(HARD_BREAK) == [
        "地址：长宁区新泾镇哈密路1955号", "电话：021-62781234转8012", "网址：www.xinjing.gov.cn"]
    (problem,) = parsed.problems
    assert problem.line == 3  # the raw HTML's line, as the editor's file counts it


@pytest.mark.parametrize(("body", "bold"), [
    ("**注意：**本次停水时间为8:30—17:00，请提前储水。", "注意："),
    ("请于**12月20日（周五）**前到虹梅路2000号报名。", "12月20日（周五）"),
    ("详见**《新泾镇2027年征兵公告》**，电话021-62781234。", "《新泾镇2027年征兵公告》"),
    ("主办：**Water Works（上海）**有限公司", "Water Works（上海）"),
])
def test_bold_next_to_chinese_punctuation_is_bold(body: str, bold: str) -> None:
    """CommonMark lets `**` after a mark and before a letter neither open nor close,
    so a Chinese editor's bold printed its stars and validate refused it (the
    markdown-cjk-friendly rule: next to CJK, only whitespace counts)."""
    parsed = parse_markdown(body + "\n")
    assert not parsed.problems
    spans = parsed.blocks[0].spans
    assert [s.text for s in spans if s.strong] == [bold]
    assert "".join(s.text for s in spans) == body.replace("**", "")


def test_stars_between_latin_letters_keep_commonmark_s_reading() -> None:
    parsed = parse_markdown("snake_case_name，价格5*3元，a**b\n")
    assert not any(s.strong or s.em for s in parsed.blocks[0].spans)
