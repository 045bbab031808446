"""Break priorities (outside's I): a number never leaves its unit, a phone number is one
piece, a date stays whole unless that leaves the line before it visibly spread, and then
breaks only after 年 or 月. Judged from the text stage and from a PDF."""

from __future__ import annotations

import itertools
import re

import pytest

from bulletin_press.build.pipeline import build
from bulletin_press.checks.typesetting import _paragraph_ends, check_overfull, read_body
from bulletin_press.layout.specs import Geometry
from bulletin_press.text.breaks import BREAK, SOFT_GLUE, WJ, glue, visible
from bulletin_press.text.normalise import is_cjk
from bulletin_press.typeset.ext import cjk_justify

from .conftest import HEADER, MakeIssue

# Numbers with their units as a town bulletin writes them.
AMOUNTS = ["200余名居民", "老人12,331人", "整改476处", "补植1,260株", "约需28小时", "增长3.5 %",
           "6号楼", "3.5公里", "4,600万元", "第3届"]


@pytest.mark.parametrize("text", AMOUNTS)
def test_a_number_never_leaves_its_unit(text: str) -> None:
    """Between a number and its unit (余名, 人, 处, 小时…) only a WORD JOINER or a
    no-break space: no glue that a loose line may turn into a break (12,331 / 人 and
    16 / 处 were printed), and not nothing (Pango breaks between a digit and Han)."""
    glued = glue(text)
    digits = [i for i, c in enumerate(glued) if c.isdigit()]
    unit_at = next(i for i in range(digits[-1] + 1, len(glued))
                   if is_cjk(glued[i]) or glued[i] == "%")
    between = glued[digits[-1] + 1:unit_at]
    assert between and set(between) <= {WJ, "\u00a0"}, repr(glued)
    assert visible(glued) == text


def test_a_date_breaks_only_after_year_or_month_and_last() -> None:
    from bulletin_press.text.breaks import relax

    glued = glue("截止日期2027年1月20日（周三），逾期不候")
    assert visible(glued) == "截止日期2027年1月20日（周三），逾期不候"
    date = glued[glued.index("2"):glued.index("（")]
    # Loose lines give way to glue first elsewhere (labels, phone numbers, ranges)…
    assert BREAK not in relax(date, 1)
    # …a date's own glue last, and only after 年 and 月, never before 日.
    pieces = [visible(p) for p in relax(date, 2).split(BREAK)]
    assert pieces == ["2027年", "1月", "20日"]
    # A range breaks after its connector before it breaks inside either date.
    range_ = relax(glue("2026年12月1日至2027年1月31日"), 1)
    assert [visible(p) for p in range_.split(BREAK)] == ["2026年12月1日", "至", "2027年1月31日"]


@pytest.mark.parametrize("text", ["专班电话157 3843 9613（工作日", "热线021 6238 4417，",
                                  "手机138-1234-5678。"])
def test_a_phone_number_with_spaces_is_one_piece(text: str) -> None:
    """157 3843 / 9613 broke at its second space: the landline pattern glued only
    157 3843."""
    glued = glue(text)
    number = re.search(r"[\d \-\u00a0]{11,}", glued)
    assert number is not None and " " not in number.group(0), repr(glued)


SENTENCE = ("志愿者报名截止日期为2027年1月20日（周三），活动共吸引200余名居民参加，"
            "累计服务老人12,331人次；绿道沿线补植乔木1,260株，新建驿站6处，"
            "详情拨打热线157 3843 9613咨询。")


@pytest.mark.slow
def test_dates_and_numbers_in_every_line_position(make_issue: MakeIssue) -> None:
    """The same sentence after 0–22 characters: a number is never cut from its unit; a
    date is broken (after 年 or 月 only) only where moving it whole would have spread
    the line before past FLUSH_GAP_EM."""
    paragraphs = "\n\n".join("新泾镇" * (k // 3) + "镇" * (k % 3) + SENTENCE for k in range(23))
    body = "".join(f"      {line}\n" for line in paragraphs.splitlines())
    built = build(make_issue(HEADER + f"  - id: a\n    title: 测试\n    body: |\n{body}"))
    g: Geometry = built.prepared.layout.geometry
    lines, _ = read_body(built.pdf, g)
    assert list(check_overfull(lines, g)) == []
    units = re.compile(r"^[余名人处株小个次]")
    cut: list[str] = []
    early: list[str] = []
    for (line, last), following in zip(zip(lines, _paragraph_ends(lines), strict=True),
                                       lines[1:], strict=False):
        text, after = line.line.text, following.line.text
        if last:
            continue
        if text[-1].isdigit() and units.match(after):
            cut.append(f"{text[-6:]} / {after[:4]}")
        date_end = re.search(r"(?:\d{4}年)?(?:\d{1,2}月)?$", text)
        if date_end and date_end.group(0) and after[:1].isdigit():
            chars = line.line.chars
            start = len(text) - len(date_end.group(0))
            # The room the line would have had with the whole date on the next one
            natural = sum(float(c["x1"]) - float(c["x0"]) for c in chars[:start])
            room = line.edge(g) - float(chars[0]["x0"]) - natural
            gaps = sum(1 for a, b in itertools.pairwise(text[:start]) if is_cjk(a) or is_cjk(b))
            if room / max(gaps, 1) <= cjk_justify.FLUSH_GAP_EM * line.line.size:
                early.append(f"{text[-8:]} / {after[:6]}")
    assert cut == [] and early == []


GLUED = ["上海市徐汇区虹梅路2068号3楼", "报名截止2027年1月20日（周三）", "电话：021-6475 3120",
         "老人12,331人次", "4月至10月：每天6:00—21:00", "占地约1200平方米，投资3.5万元"]


@pytest.mark.parametrize("text", GLUED)
def test_glue_measures_nothing(text: str) -> None:
    """Captions and the colophon are measured before typesetting: the text stage's
    joiners and glue print nothing, so they measure nothing (the face has no glyph for
    them; each was counted at the default advance, 1 em)."""
    from bulletin_press.fonts.lookup import family_metrics

    font = family_metrics("Noto Sans CJK SC")
    assert font is not None, "the layout's caption font is not installed (scripts/setup.sh)"
    glued = glue(text)
    assert glued != text
    assert font.width(glued, 9) == pytest.approx(font.width(text.replace(" ", "\u00a0"), 9))


def test_the_colophon_is_as_tall_as_its_visible_text() -> None:
    """hongmei's colophon (编辑, 地址 … 2068号3楼, 邮编, 电话) prints its entries on one
    line; with a number's joiners measured at 1 em each the estimate took two, the
    colophon's foot room grew a line and the check's copyfit note on page 2 was lost."""
    from bulletin_press.fonts.lookup import family_metrics
    from bulletin_press.layout.context import colophon_lines
    from bulletin_press.layout.specs import load_layout
    from bulletin_press.manifest.project import find_project

    from .conftest import SAMPLE

    layout = load_layout(find_project(SAMPLE).layouts_dir, "two-column")
    font = family_metrics(layout.spec.fonts.heading)
    assert font is not None
    entries = [("编辑", "《虹梅社区报》编辑部"), ("地址", "上海市徐汇区虹梅路2068号3楼"),
               ("邮编", "200233"), ("电话", "021-6475 3120")]
    glued = [(label, glue(value)) for label, value in entries]
    plain = colophon_lines(entries, True, layout.geometry.measure, font)
    assert colophon_lines(glued, True, layout.geometry.measure, font) == plain == 5


@pytest.mark.parametrize("text", ["扫码关注“仙霞社区”微信公众号，2027年1月20日起可在线报名",
                                  "活动共吸引200余名居民参加，补植乔木1,260株"])
def test_caption_words_keep_a_number_with_its_unit(text: str) -> None:
    """Captions break between words (jieba's, text/words.py): the words are joined
    afresh, but a number's joiner before its unit stays (a QR caption printed
    微信公众号，2027年1 / 月20日起 when it was taken out)."""
    from bulletin_press.text.words import join_words

    glued = glue(text)
    joined = join_words(glued)
    assert joined.replace(WJ, "") == glued.replace(WJ, "")
    held = [i for i, c in enumerate(glued.replace(SOFT_GLUE, "")) if c == WJ]
    plain = [c for c in glued.replace(SOFT_GLUE, "")]
    for index in held:  # each joiner of the text: still between the same two characters
        before, after = plain[index - 1], plain[index + 1]
        assert f"{before}{WJ}{after}" in joined.replace(SOFT_GLUE, "") or \
            f"{before}{WJ}{SOFT_GLUE}{after}" in joined, (before, after, repr(joined))
    assert join_words(joined) == joined


def test_a_label_keeps_its_colon_when_its_glue_gives_way() -> None:
    """A loose line turns glue into break opportunities (line_fit, `relax`), but never
    the glue before a mark that may not start a line: （网址 / ：https://… was printed
    (the glue between 址 and ： became a break)."""
    from bulletin_press.text.breaks import relax

    for level in (1, 2):
        relaxed = relax(glue("镇政府网站（网址：https://www.xinjing.gov.cn，电话：021-6233 0456）"),
                        level)
        pieces = [visible(p) for p in relaxed.split(BREAK)]
        assert not [p for p in pieces[1:] if p[:1] in "：，）"], pieces


LABELLED = ["新泾镇社区事务受理服务中心（地址：长宁区哈密路114号，电话021-6238 1234转8012）"
            "自本月起延长服务时间。",
            "请携带身份证前往（地址：虹桥路2550弄12号3楼，联系人：王老师，"
            "手机：138 1234 5678）办理。",
            "详情见镇政府网站（网址：https://www.xinjing.gov.cn/notice?id=2026&lang=zh），"
            "或拨打热线（电话：021-6233 0456）。"]


def test_no_line_starts_with_a_labels_colon(make_issue: MakeIssue) -> None:
    """Labels in brackets after 0–22 characters: no line of the PDF starts with a mark
    that never starts a line (main printed 镇政府网站（网址 / ：https://www…)."""
    from bulletin_press.checks.typesetting import NO_LINE_START

    paragraphs = ["新泾镇" * (k // 3) + "镇" * (k % 3) + s for s in LABELLED for k in range(23)]
    body = "".join(f"      {p}\n\n" for p in paragraphs)
    built = build(make_issue(HEADER + f"  - id: a\n    title: 测试\n    body: |\n{body}"))
    lines, _ = read_body(built.pdf, built.prepared.layout.geometry)
    assert len(lines) > 3 * len(paragraphs)
    starts = [f"{a.line.text[-6:]} / {b.line.text[:8]}" for a, b in itertools.pairwise(lines)
              if b.line.text[:1] in NO_LINE_START]
    assert starts == []


def test_a_line_may_break_before_an_opening_quote_in_running_text() -> None:
    """UAX #14 keeps a quotation mark with its neighbours; clreq lets “ start a line and
    ” end one. Between Han characters a paragraph may break there (as captions did)."""
    from bulletin_press.text.blocks import Span
    from bulletin_press.text.breaks import mark_spans

    text = "“随申办”APP首页搜索“医保”，选择“医保卡补换”；"
    marked = "".join(span.text for span in mark_spans([Span(text)]))
    assert [visible(p) for p in marked.split(BREAK)] == [
        "“随申办”APP首页搜索", "“医保”，选择", "“医保卡补换”；"]


def test_a_list_item_breaks_before_a_quoted_name_not_inside_a_word(
        make_issue: MakeIssue) -> None:
    """A nested list item (the lists helper's sweep, s14) printed
    「◦“随申办”APP首页搜索“医保”，选 / 择“医保卡补换”；」: no break between 择 and “, so
    the line ended inside 选择, three characters short."""
    item = "“随申办”APP首页搜索“医保”，选择“医保卡补换”；"
    lists = [f"1. 线上办理{'镇' * k}：\n   - {item}\n   - 填写邮寄地址，新卡7个工作日内寄到。\n"
             "2. 线下办理：到中心3号窗口，当场制卡。" for k in range(6)]
    body = "".join("".join(f"      {line}\n" for line in p.splitlines()) + "\n" for p in lists)
    built = build(make_issue(HEADER + f"  - id: a\n    title: 测试\n    body: |\n{body}"))
    lines, _ = read_body(built.pdf, built.prepared.layout.geometry)
    texts = [line.line.text for line in lines]
    assert sum(1 for t in texts if "首页搜索" in t) == 6
    cut = [f"{a[-4:]} / {b[:4]}" for a, b in itertools.pairwise(texts)
           if a.endswith("选") and b.startswith("择")]
    assert cut == []
