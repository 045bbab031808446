"""Line breaking for real-world text (issue 15): addresses, long words, glue,
headlines, lone last characters and loose lines, judged from the PDF."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from bulletin_press.build.pipeline import Built, build
from bulletin_press.checks.preflight import preflight
from bulletin_press.checks.typesetting import (
    BodyLine,
    _paragraph_ends,
    check_headlines,
    check_justification,
    check_lone_characters,
    check_loose_lines,
    check_typography,
    headlines,
    ink_right,
    read_body,
)
from bulletin_press.layout.specs import Geometry
from bulletin_press.pdf.text import Line, page_texts
from bulletin_press.text.blocks import Span
from bulletin_press.text.breaks import (
    ADDRESS,
    BREAK,
    SOFT_GLUE,
    WORD,
    addresses,
    break_points,
    glue,
    keep_together,
    leading_run,
    mark_spans,
    visible,
)
from bulletin_press.text.punctuation import after_boundary, boundaries, is_han
from bulletin_press.text.words import WJ, forced_breaks, join_words, without_markers
from bulletin_press.typeset import gate
from bulletin_press.typeset.ext import cjk_justify

from .conftest import FIXTURES, HEADER, SAMPLE, MakeIssue
from .test_typocheck import G, body

HARD = (FIXTURES / "hard-breaks.yaml").read_text(encoding="utf-8")
ADDRESSES = [
    "https://www.xinjing.gov.cn/zhengwu/tongzhi/2023/0301-shequ-shitang-shidian-fangan.html"
    "?from=bulletin&id=20230301#fujian",
    "xinjing_shequ_fuwu2023@shanghai-changning.example.com.cn",
    "XJ-2023-0001-ABCD-EFGH_shenqingbiao_v2.docx",
    "XJ-2023-0001-ABCD-EFGH",
    "QWERTYUIOPASDFGH1234567890ZXCVBNMLKJ",
    "www.shcn.gov.cn/col/col6245/index.html",
    "linli@example.com",
    "https://dangjian.xinjing.gov.cn/huiyi/2022/di-shiliu-jie-dierci-huiyi/ziliao.pdf",
    "xinjing_bianjibu2023@shanghai-changning.example.com.cn",
]
TOGETHER = ["021-62345678", "13812345678", "9:30—11:45", "2023年3月1日—3月15日",
            "（摄影示意图）", "电子邮箱：linli@example.com", "电话：021-62345678"]
WORD_45 = "pneumonoultramicroscopicsilicovolcanoconiosis"
PUNCTUATION = set("，。、；：？！）」』”’》〉】…—～·（「『“‘《〈【%‐-")


# Text stage: where addresses may break, what stays together


def test_address_breaks_only_at_allowed_points() -> None:
    marked = break_points("https://www.a-b.cn/x/y.html?id=3&t=a#top")
    pieces = marked.replace(WJ, "").split(BREAK)
    assert pieces == [f"https://{SOFT_GLUE}www", ".a", "-b", ".cn/", "x/", "y", ".html",
                      "?id=", "3&", "t=", "a", "#top"]
    # Elsewhere no break: a WORD JOINER after each mark where UAX #14 would break; after
    # the scheme glue, which only a line the break fills takes (line_fit `_gains`).
    assert "-\u2060b" in marked and "?\u2060id" in marked and ":\u2060/\u2060/" in marked


def test_recogniser_finds_addresses_not_words_or_dates() -> None:
    text = ("详见https://a.cn/b?c=1。邮件li.ming@example.com.cn，文件report_2023-03.pdf，"
            "网站xinjing.gov.cn，代码XJ-2023-0001-ABCD，编号ABCDEFGHIJ0123456789；"
            "state-of-the-art，2023-03-01，3.5%。")
    found = [text[a:b] for a, b in addresses(text)]
    assert found == ["https://a.cn/b?c=1", "li.ming@example.com.cn", "report_2023-03.pdf",
                     "xinjing.gov.cn", "XJ-2023-0001-ABCD", "ABCDEFGHIJ0123456789"]


def test_address_typed_full_width_is_set_in_latin() -> None:
    typed = "网址：ｗｗｗ．ｘｉｎｊｉｎｇ．ｇｏｖ．ｃｎ／ｔｚ，邮箱ｌｉ＠ｅｘａｍｐｌｅ．ｃｏｍ。"
    spans = mark_spans([Span(typed)])
    assert [(visible(s.text), s.cls) for s in spans] == [
        ("网址：", ""), ("www.xinjing.gov.cn/tz", ADDRESS), ("，邮箱", ""),
        ("li@example.com", ADDRESS), ("。", "")]


def test_addresses_and_long_words_become_spans_of_their_own() -> None:
    spans = mark_spans([Span(f"发送邮件至linli@example.com，单词{WORD_45}。", strong=True)])
    assert [(visible(s.text), s.cls, s.strong) for s in spans] == [
        ("发送邮件至", "", True), ("linli@example.com", ADDRESS, True), ("，单词", "", True),
        (WORD_45, WORD, True), ("。", "", True)]


@pytest.mark.parametrize("text", ["45 个", "3.5 %", "2023年3月1日—3月15日", "9:30—11:45",
                                  "电话：", "（摄影 示意图）"])
def test_things_that_belong_together_are_glued(text: str) -> None:
    glued = glue(text) if "摄影" not in text else keep_together(text)
    # Between every two neighbours where a line could break: glue (or a no-break space).
    for before, after in itertools.pairwise(glued):
        if is_han(before) or is_han(after):
            assert {SOFT_GLUE, "\u00a0", WJ} & {before, after}, glued
    assert visible(glued) == text


@pytest.mark.parametrize("text", ["2023年3月1日—3月15日", "3月1日～15日", "9:30—11:00",
                                  "每周六9:30～11:00上课"])
def test_a_range_may_break_after_its_dash_never_before(text: str) -> None:
    # When a loose line makes the glue give way, the dash stays at the line's end:
    # a dash never starts a line (避头).
    glued = glue(text)
    dash = next(i for i, c in enumerate(glued) if c in "—～")
    assert glued[dash - 1] == WJ and glued[dash + 1] == SOFT_GLUE


def test_phone_number_is_not_glued_where_it_cannot_break() -> None:
    # "021-62345678" has no break opportunity (UAX #14): glue there would become one
    # when a loose line relaxes its glue.
    assert glue("电话：021-62345678") == "电\ufeff话\ufeff：\ufeff021-62345678"


def test_autospace_boundary_passes_over_glue() -> None:
    assert boundaries("共45\ufeff个") == [0, 2]  # after 共, and after 5 past the glue
    assert after_boundary("共45\ufeff个", 2) == 4
    assert SOFT_GLUE in cjk_justify.TRANSPARENT  # justified like 5|个 without the glue


def test_headline_words_are_joined_and_forced_breaks_kept() -> None:
    joined = join_words("中共长宁区新泾镇第十六届党员代表大会第二次会议隆重举行")
    assert "代\u2060表\u2060大\u2060会第" in joined  # 代表大会 | 第二次
    assert visible(joined) == "中共长宁区新泾镇第十六届党员代表大会第二次会议隆重举行"
    assert forced_breaks("奋进新征程 | 共创新业绩") == "奋进新征程\n共创新业绩"
    assert without_markers("奋进新征程｜共创新业绩") == "奋进新征程共创新业绩"


# The check: each finding from lines as the PDF gives them


def _spread(text: str, gap_em: float, left: float = G.margin_side) -> Line:
    chars, x = [], left
    for char in text:
        chars.append({"text": char, "x0": x, "x1": x + 10.5, "size": 10.5})
        x += 10.5 * (1 + gap_em)
    return Line(G.margin_top, left, x - 10.5 * gap_em, text, 10.5, "X+Noto-Serif-CJK-SC",
                chars)


def test_check_finds_loose_lines_at_the_limits() -> None:
    rows: list[BodyLine] = []
    for number, gap in enumerate((0.45, 0.55, 0.8), start=1):  # the last ends the paragraph
        rows.append(BodyLine(1, 1, number, _spread("送邮件至", gap), G.margin_side))
    rows.append(BodyLine(1, 1, 4, Line(G.margin_top, G.margin_side + 21, 0, "下一段", 10.5,
                                       "X", []), G.margin_side))
    found = list(check_loose_lines(rows))
    assert [d.code for d in found] == ["typography.loose-line"]
    assert "line 2" in found[0].message and found[0].location.page == 1


def test_check_reads_a_joined_dash_as_one_glyph() -> None:
    """“——” is one 2-em glyph, which PDFium reads as two characters at the same place:
    the second “—” seemed 1.05 em from “新” in “接种——新泾镇” justified 0.05 em."""
    def dash_line(after: float) -> Line:
        xs = [0.0, 11.0, 11.0, 11.0 + 21.0 + after]  # 种 — — 新, the dash 21 pt
        chars = [{"text": t, "x0": G.margin_side + x, "x1": G.margin_side + x + 10.5,
                  "size": 10.5} for t, x in zip("种——新", xs, strict=True)]
        return Line(G.margin_top, G.margin_side, chars[-1]["x1"], "种——新", 10.5, "X", chars)

    def found(after: float) -> list[str]:
        rows = [BodyLine(1, 1, 1, dash_line(after), G.margin_side),
                BodyLine(1, 1, 2, _spread("接着", 0.0), G.margin_side)]
        return [d.code for d in check_loose_lines(rows)]

    assert found(0.5) == []
    assert found(11.0) == ["typography.loose-line"]  # a real gap of more than 1 em


def test_check_finds_lone_characters() -> None:
    lines = body(("这是一个段落的第一行文字内容这是一个段落", True, True),
                 ("步。", False, False), ("下一段的开头", True, False), ("两个字。", False, False))
    found = list(check_lone_characters(lines))
    assert [d.code for d in found] == ["typography.lone-character"]
    assert "'步。'" in found[0].message and "line 2" in found[0].message


def test_a_lone_character_with_its_closing_quote_is_quoted_once(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # 网上预约：“随申办”APP搜索“长宁社区事 / 务”: the message said “务””, quotes in quotes
    lines = body(("网上预约：“随申办”APP搜索“长宁社区事", True, True), ("务”", False, False))
    [found] = check_lone_characters(lines)
    assert "ends with '务”' alone" in found.message
    monkeypatch.setenv("BULLETIN_PRESS_LANG", "zh")
    [found] = check_lone_characters(lines)
    assert "段落最后一行只有「务”」（孤字）" in found.message


def test_check_accepts_short_lines_that_end_inside_an_address() -> None:
    lines = body(("详情请访问https://www.xinjing.gov.cn/", True, False),
                 ("zhengwu/tongzhi/2023/0301", False, False), ("-notice.html查看。", False, False),
                 ("下一段", True, False))
    assert list(check_justification(lines, G)) == []
    lines[1] = body(("详情请访问我们镇的网站查看", False, False), first=1)[0]
    assert [d.code for d in check_justification(lines, G)] == ["typography.ragged-line"]


def test_leading_run_is_what_cannot_break_at_a_line_start() -> None:
    assert leading_run("传真：021-62345679转8021，工作") == "传真：021-62345679"
    assert leading_run("13812345678，传真") == "13812345678，"  # the whole number
    assert leading_run("9:30—11:45，下午") == "9:30—11:45，"
    assert leading_run("45个居民区") == "45个"
    assert leading_run("www.shcn.gov.cn/col/index.html了解") == "www"  # to its break point
    assert leading_run("-changning.example.com.cn咨询") == "-changning"
    assert leading_run(f"1{SOFT_GLUE}3{BREAK}8") == "138"  # as a reader sees it
    assert leading_run("更多信息") == leading_run("pneumonoultra指") == ""  # breaks, hyphenates


def _set(text: str, x1: float | None = None, top: float = G.margin_top) -> BodyLine:
    """A line of `text` set solid from the column edge (Latin ½ em, Han 1 em), or
    justified to `x1`."""
    chars, x = [], G.margin_side
    for char in text:
        width = 5.5 if char.isascii() else 10.5
        chars.append({"text": char, "x0": x, "x1": x + width, "size": 10.5})
        x += width
    line = Line(top, G.margin_side, x1 if x1 is not None else x, text, 10.5,
                "X+Noto-Serif-CJK-SC", chars)
    return BodyLine(1, 1, 1 + round((top - G.margin_top) / G.line), line, G.margin_side)


def test_check_accepts_a_flush_line_only_before_what_cannot_break() -> None:
    """Justified, 联 系 人 手 机 ： would stand 0.33 em apart: the line is set flush, and
    the check accepts it because “传真：021-62345679” (97 pt) could not follow in the
    31 pt left. Not when the next line starts with Han text, when its first piece would
    have fitted, or when justifying would have spread the line by little."""
    edge = G.margin_side + G.column_width

    def judged(first: str, second: str) -> list[str]:
        rows = [_set(first), _set(second, edge, G.margin_top + G.line),
                _set("下一段", None, G.margin_top + 2 * G.line)]
        return [d.code for d in check_justification(rows, G)]

    assert judged("021-62345678，联系人手机：13812345678，", "传真：021-62345679转8021，工作") == []
    ragged = ["typography.ragged-line"]
    # Numbers written with spaces: no long run on the line (see the next test).
    assert judged("电话021 6234 5678，手机：138 1234 5678，", "工作时间内均可拨打热线") == ragged
    assert judged("电话021 6234 5678，手机：138 1234 5678，", "AB，工作时间内均可拨打") == ragged
    assert judged("021-62345678，联系人手机：13812345678，或", "传真：021-62345679转8021") \
        == ragged  # 20.5 pt over 10 gaps: 0.19 em, justified it reads well


def test_check_accepts_a_flush_line_that_a_long_number_or_address_fills() -> None:
    """A line holding an address or an unspaced number whose few Han gaps would open
    wider than FLUSH_GAP_EM is set flush start whatever follows (cjk_justify.holds_a_run):
    the check accepts it short; not a line that would have been spread by little,
    nor one whose only long run is an English word."""
    edge = G.margin_side + G.column_width

    def judged(first: str) -> list[str]:
        rows = [_set(first), _set("工作时间内均可拨打热线咨询", edge, G.margin_top + G.line),
                _set("下一段", None, G.margin_top + 2 * G.line)]
        return [d.code for d in check_justification(rows, G)]

    assert judged("021-62345678，联系人手机：13812345678，") == []
    assert judged("网站www.shcn.gov.cn/col/col6245/index.html") == []
    ragged = ["typography.ragged-line"]
    assert judged("021-62345678，联系人手机：13812345678，或") == ragged  # 0.19 em
    assert judged("英文通知International居民请于本周内") == ragged  # a word, not a run


def test_check_finds_headline_split_inside_a_word_and_short_lines() -> None:
    def headline(*texts: str) -> list[tuple[int, Line]]:
        return [(1, Line(G.margin_top + 40 + 36 * i, 100, 100 + 20 * len(t), t, 20.0, "X+Sans"))
                for i, t in enumerate(texts)]
    assert len(headlines(headline("奋进新征程", "共创新业绩"), G)) == 1
    assert list(check_headlines(headline("奋进新征程", "共创新业绩"), G)) == []
    split = list(check_headlines(headline("社区食堂被合", "理地纳入实事项目"), G))
    assert [d.code for d in split] == ["typography.headline-split-word"]
    short = list(check_headlines(headline("开展社区生活圈建设试点工作", "通知"), G))
    assert [d.code for d in short] == ["typography.headline-short-line"]
    # Broken at the space of “Notice to International Residents” (no space in the PDF)
    assert list(check_headlines(headline("致辖区外籍居民的双语通知Notice",
                                         "toInternationalResidents"), G)) == []


# The PDF, line by line


@pytest.fixture(scope="module")
def hard(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return _build(tmp_path_factory.mktemp("hard"), HARD)


def _build(folder: Path, manifest: str) -> Built:
    (folder / "issue.yaml").write_text(manifest, encoding="utf-8")
    (folder / "images").mkdir(exist_ok=True)
    (folder / "images" / "canteen.jpg").write_bytes(
        (SAMPLE / "images" / "party-congress.jpg").read_bytes())
    return build(folder)


def _judged(built: Built) -> dict[str, list[str]]:
    """Every defect the issue names, found line by line in the PDF."""
    g: Geometry = built.prepared.layout.geometry
    lines, every = read_body(built.pdf, g)
    found: dict[str, list[str]] = {"loose": [], "past edge": [], "lone": [], "headline": []}
    for line, last in zip(lines, _paragraph_ends(lines), strict=True):
        where = f"p{line.page} {line.where()} “{line.line.text}”"
        if ink_right(line.line) > line.left + g.column_width + 0.5:
            found["past edge"].append(where)
        if last and len([c for c in line.line.text if c not in PUNCTUATION]) == 1:
            found["lone"].append(where)
        for a, b in itertools.pairwise(line.line.chars):
            gap = (b["x0"] - a["x1"]) / line.line.size
            han = is_han(a["text"]) and is_han(b["text"])
            if not last and gap > (0.5 if han else 1.0) + 0.005:
                found["loose"].append(f"{where}: {a['text']}{b['text']} {gap:.2f} em")
    for page, heads in headlines(every, g):
        for head in heads if len(heads) > 1 else []:  # a headline of several lines
            if len([c for c in head.text if c not in PUNCTUATION and not c.isspace()]) <= 2:
                found["headline"].append(f"p{page} “{head.text}”")
    found["headline"] += [d.message for d in check_headlines(every, g)]
    return found


@pytest.mark.slow
def test_hard_text_has_no_defect_line_by_line(hard: Built) -> None:
    assert _judged(hard) == {"loose": [], "past edge": [], "lone": [], "headline": []}
    g = hard.prepared.layout.geometry
    multi = [h for _, h in headlines(read_body(hard.pdf, g)[1], g) if len(h) > 1]
    assert len(multi) >= 3  # the spanning headline, its subtitle, the column headline


@pytest.mark.slow
def test_hard_text_addresses_words_and_numbers_whole(hard: Built, tmp_path: Path) -> None:
    pdf = tmp_path / "hard.pdf"
    pdf.write_bytes(hard.pdf)
    text = re.sub(r"\s", "", "".join(page_texts(pdf)))
    for whole in [*ADDRESSES, *TOGETHER]:
        assert whole in text, whole
    assert WORD_45 in text.replace("\u2010", "")  # hyphenated, not cut
    assert not any(c in text for c in (BREAK, SOFT_GLUE, WJ))


@pytest.mark.slow
def test_hard_text_check_is_clean_of_line_breaking_findings(hard: Built) -> None:
    layout = hard.prepared.layout
    found = check_typography(hard.pdf, layout.geometry, layout.font_families())
    codes = {d.code for d in found if d.code.startswith("typography.")}
    assert codes == set(), [d.format() for d in found]


@pytest.mark.slow
def test_hard_text_without_the_breaks_rule_is_judged_bad(tmp_path: Path) -> None:
    manifest = HARD.replace("    photos:\n", "    normalise: {breaks: false}\n    photos:\n", 1)
    built = _build(tmp_path, manifest)
    layout = built.prepared.layout
    ragged = [d.message for d in check_typography(built.pdf, layout.geometry,
                                                  layout.font_families())
              if d.code == "typography.ragged-line"]
    # "送 邮 件 至" spread, or set flush 16 em short, before an address that cannot break
    assert _judged(built)["loose"] or ragged


@pytest.mark.slow
def test_sample_has_no_lone_last_character(make_issue: MakeIssue) -> None:
    judged = _judged(build(SAMPLE))
    assert judged == {"loose": [], "past edge": [], "lone": [], "headline": []}


@pytest.mark.slow
def test_sample_without_line_fit_has_lone_characters() -> None:
    with gate.stock("line_fit"):
        assert len(_judged(build(SAMPLE))["lone"]) == 3  # 步。作。根。


@pytest.mark.slow
def test_a_list_item_does_not_end_with_one_character(make_issue: MakeIssue) -> None:
    """Outside s13: 「2. 施工、验收，办理特种设备使用登记后投入运」 / 「行。」. The lone rule
    was the justified paragraphs' only; a list item (set ragged) gives its last line a
    character from the line above too. Items of every length around the measure."""
    items = "".join(f"      {n}. {'楼组' * (n // 2)}{'征' * (n % 2)}施工、验收，办理特种设备"
                    "使用登记后投入运行。\n" for n in range(1, 13))
    built = build(make_issue(HEADER + "  - id: a\n    title: 申请加装电梯的步骤\n"
                             "    body: |\n      加装电梯按下列步骤办理：\n\n"
                             "      1. 楼组内征询意见，同意户数达到本幢房屋专有部分总户数的"
                             "三分之二以上；\n      2. 施工、验收，办理特种设备使用登记后投入运行。"
                             "\n\n      另一份清单：\n\n" + items))
    assert _judged(built)["lone"] == []


@pytest.mark.slow
def test_numbers_and_times_at_every_line_position(make_issue: MakeIssue) -> None:
    """The same sentence shifted by one character per paragraph, so that "…2小时",
    "3月15日", "9:30—11:45" and a phone number meet the column edge somewhere: nothing
    runs past it (a digit between two Han characters at a line end once did, by one
    Han–Latin gap), nothing is loose, no paragraph ends with a lone character."""
    sentence = ("活动时间为上午9:30—11:45，下午2小时，联系电话021-62345678，地点在社区文化活动"
                "中心二楼，报名截止到3月15日，共45个名额。")
    paragraphs = "\n\n".join("社" * k + sentence * 2 for k in range(24))
    body = "".join(f"      {line}\n" for line in paragraphs.splitlines())
    built = build(make_issue(HEADER + f"  - id: a\n    title: 测试\n    body: |\n{body}"))
    assert _judged(built) == {"loose": [], "past edge": [], "lone": [], "headline": []}


def _pauses(built: Built) -> tuple[list[str], list[str]]:
    """Lines that end inside a web address or after a label's colon (where a line may
    end short): those spread wider than the flush limit, and those set short."""
    g: Geometry = built.prepared.layout.geometry
    lines, _ = read_body(built.pdf, g)
    spread, short = [], []
    for line, following, last in zip(lines, [*lines[1:], None], _paragraph_ends(lines),
                                     strict=True):
        text = line.line.text
        inside = (following is not None and text[-1:].isascii() and text[-1:].isprintable()
                  and following.line.text[:1].isascii() and not following.indented)
        if not (text.endswith("：") or inside) or (last and not text.endswith("：")):
            continue
        widest = max((b["x0"] - a["x1"]) / line.line.size
                     for a, b in itertools.pairwise(line.line.chars)
                     if is_han(a["text"]) and is_han(b["text"])) if any(
            is_han(c) for c in text) else 0.0
        where = f"p{line.page} “{text}” {widest:.2f} em"
        if widest > cjk_justify.FLUSH_GAP_EM + 0.01:
            spread.append(where)
        elif line.edge(g) - line.line.x1 > 2:
            short.append(where)
    return spread, short


@pytest.mark.slow
def test_a_line_that_may_end_short_is_never_letter_spaced(make_issue: MakeIssue) -> None:
    """Before an e-mail address, a URL or a phone number after its label, the line
    ends short rather than spread to “电 子 邮 件 至” (clreq: an address breaks at its
    break points, no hyphen added; the line before it is not letter-spaced)."""
    sentence = ("如有疑问请发送电子邮件至xinjing_shequ_fuwu2023@shanghai-changning.example.com.cn"
                "或访问https://www.xinjing.gov.cn/zhengwu/tongzhi/2023/0301-fangan.html查看，"
                "联系人手机：13912345678，")
    paragraphs = "\n\n".join("社" * k + sentence for k in range(0, 23, 2))
    body = "".join(f"      {line}\n" for line in paragraphs.splitlines())
    built = build(make_issue(HEADER + f"  - id: a\n    title: 测试\n    body: |\n{body}"))
    spread, short = _pauses(built)
    assert spread == []
    assert short  # some of them end short: the rule is met, not avoided
    judged = _judged(built)
    assert judged["loose"] == [] and judged["past edge"] == []


@pytest.mark.slow
def test_hard_text_lines_that_may_end_short_are_not_spread(hard: Built) -> None:
    spread, short = _pauses(hard)
    assert spread == [] and short  # “送邮件至xinjing_shequ_fuwu2023@shanghai” ends short


@pytest.mark.slow
def test_a_line_before_what_cannot_break_is_not_letter_spaced(make_issue: MakeIssue) -> None:
    """“联 系 人 手 机 ：13812345678，” spread 0.30 em because “传真：021-62345679” could
    not follow on it: such a line is set flush start, and the check accepts it short."""
    sentence = ("报名热线电话：021-62345678，联系人手机：13812345678，传真：021-62345679转8021，"
                "邮编200336，活动时间9:30—11:45，请于2023年3月1日—3月15日期间报名，")
    paragraphs = "\n\n".join("社" * k + sentence for k in range(0, 23, 2))
    body = "".join(f"      {line}\n" for line in paragraphs.splitlines())
    built = build(make_issue(HEADER + f"  - id: a\n    title: 测试\n    body: |\n{body}"))
    g: Geometry = built.prepared.layout.geometry
    lines, _ = read_body(built.pdf, g)
    spread, short = [], []
    for line, following, last in zip(lines, lines[1:], _paragraph_ends(lines), strict=False):
        if last or not leading_run(following.line.text):
            continue
        gaps = [(b["x0"] - a["x1"]) / line.line.size
                for a, b in itertools.pairwise(line.line.chars)
                if is_han(a["text"]) and is_han(b["text"])]
        where = f"“{line.line.text}” / “{following.line.text[:12]}”"
        if max(gaps, default=0.0) > cjk_justify.FLUSH_GAP_EM + 0.01:
            spread.append(f"{where} {max(gaps):.2f} em")
        elif line.edge(g) - line.line.x1 > 2:
            short.append(where)
    assert spread == [] and short  # the rule is met, not avoided
    layout = built.prepared.layout
    found = check_typography(built.pdf, g, layout.font_families())
    assert [d.format() for d in found if d.code in (
        "typography.ragged-line", "typography.loose-line")] == []


@pytest.mark.slow
def test_a_relaxed_line_breaks_an_address_at_its_break_points(make_issue: MakeIssue) -> None:
    """“序，居民也可访问” would be spread past the limit before an address WeasyPrint
    moved whole to the next line; laid out again, the address broke anywhere:
    “…example.go|v.cn”. It breaks at one of its own break points first."""
    sentence = ("议事会的完整记录已上传至“新泾议事厅”小程序，居民也可访问"
                "https://yst.xinjing.example.gov.cn/meeting?id=20230608&tab=minutes#record查看。")
    paragraphs = "\n\n".join("社" * k + sentence for k in range(12))
    body = "".join(f"      {line}\n" for line in paragraphs.splitlines())
    built = build(make_issue(HEADER + f"  - id: a\n    title: 测试\n    body: |\n{body}"))
    lines, _ = read_body(built.pdf, built.prepared.layout.geometry)
    cut = [f"{a.line.text[-12:]}|{b.line.text[:12]}" for a, b in itertools.pairwise(lines)
           if a.line.text[-1:].isascii() and b.line.text[:1].isascii() and not b.indented
           and not (a.line.text.endswith(("/", "=", "&")) or b.line.text[0] in ".,-_?#%@~")]
    assert cut == []
    assert _judged(built)["loose"] == []


def _widest_han_gaps(built: Built) -> list[tuple[str, float]]:
    g: Geometry = built.prepared.layout.geometry
    lines, _ = read_body(built.pdf, g)
    out = []
    for line, last in zip(lines, _paragraph_ends(lines), strict=True):
        gaps = [(b["x0"] - a["x1"]) / line.line.size
                for a, b in itertools.pairwise(line.line.chars)
                if is_han(a["text"]) and is_han(b["text"])]
        if not last and gaps:
            out.append((line.line.text, max(gaps)))
    return out


@pytest.mark.slow
def test_glue_gives_way_rather_than_a_letter_spaced_line(make_issue: MakeIssue) -> None:
    """“活 动 中 心 开 放 时 间 为 每 周 二 至 周 日” (0.43 em: under the 0.5 em limit,
    yet it reads letter-spaced) before the glued "9:00至20:30": the range gives way
    after its 至 instead, and the line is set at 0.17 em."""
    body = ("活动中心开放时间为每周二至周日9:00至20:30，每周一闭馆。为保障活动安全有序，参加活动"
            "的居民请提前十分钟到场，服从现场工作人员安排；六十五周岁以上的老人参加户外活动，建议"
            "由家属陪同。")
    built = build(make_issue(HEADER + f"  - id: a\n    title: 测试\n    body: {body}\n"))
    widest = _widest_han_gaps(built)
    assert widest[0][0].endswith("9:00至")
    assert all(gap <= cjk_justify.FLUSH_GAP_EM + 0.01 for _, gap in widest), widest


@pytest.mark.slow
def test_a_line_before_a_phone_number_without_its_colon_is_not_spread(
        make_issue: MakeIssue) -> None:
    """Outside s13: 「可 通 过 “枫 林 e 家” 小 程 序 或 拨 打 订 餐 电 话」 (0.23 em) before
    「021-6418 3356预约…」, 「…工 作 日」 (0.16 em) before 「9:00—17:00，电话…」: under
    the 0.25 em of a flush line, so nothing moved. The line above gives it characters
    and both are set about evenly (0.11 em); the phone number was not even seen as a run
    that cannot break (021⁠-6418 read as three runs), so no line looked ahead for it."""
    body = ("      食堂午餐时段为10:30—13:00，晚餐时段为16:30—18:30，套餐价格为12元至18元。60岁以上"
            "本街道户籍老人凭“随申码·敬老卡”可享受每餐3元补贴，80岁以上老人补贴5元。行动不便的老人"
            "可通过“枫林e家”小程序或拨打订餐电话021-6418 3356预约送餐上门，送餐费每次2元，"
            "独居、高龄困难老人免收。\n\n"
            "      咨询地址：枫林路街道社区事务受理服务中心2楼加梯服务窗口（医学院路138号），"
            "工作日9:00—17:00，电话021-6238 1234转8012。\n")
    built = build(make_issue(HEADER + "  - id: a\n    title: 东安路长者食堂“升级”\n"
                             f"    body: |\n{body}"))
    g: Geometry = built.prepared.layout.geometry
    lines, _ = read_body(built.pdf, g)
    before_runs = {line.line.text: max(
        (float(b["x0"]) - float(a["x1"])) / line.line.size
        for a, b in itertools.pairwise(line.line.chars) if is_han(a["text"]) and is_han(b["text"]))
        for line, following, last in zip(lines, lines[1:], _paragraph_ends(lines), strict=False)
        if not last and following.line.text[:1].isdigit()}
    assert any(text.endswith("订餐电话") for text in before_runs), before_runs
    assert any(text.endswith("工作日") for text in before_runs), before_runs
    assert max(before_runs.values()) <= 0.15, before_runs


def test_a_phone_number_is_one_run_that_cannot_break() -> None:
    """As the layout has it: glued (a no-break space) and protected (a WORD JOINER
    before the dash, text/punctuation.py)."""
    from bulletin_press.text.punctuation import protect
    from bulletin_press.typeset.ext.line_fit import _suspect
    assert _suspect(protect(glue("可通过“枫林e家”小程序或拨打订餐电话021-6418 3356预约送餐上门，")))
    assert not _suspect(protect(glue("可通过“枫林e家”小程序或拨打订餐电话预约送餐上门，送餐费")))


CODE_60 = "XJZZCYMABCDEFGHJKLMNPQRSTUVWXYZABCDEFGHJKLMNPQRSTUVWXYZABCDEF"  # 60 capitals


def test_a_code_in_capitals_is_not_hyphenated_like_a_word() -> None:
    spans = mark_spans([Span(f"查验码{CODE_60}，英文单词{WORD_45}。")])
    assert [(s.text, s.cls) for s in spans if s.cls] == [(CODE_60, ADDRESS), (WORD_45, WORD)]
    assert leading_run(CODE_60 + "启用") == CODE_60


@pytest.mark.slow
def test_a_long_code_breaks_at_the_measure_in_headlines_and_body(make_issue: MakeIssue,
                                                                 tmp_path: Path) -> None:
    """A 60-letter code in a spanning headline, a column headline, a subtitle and the
    text ran off the page (pages.safe-area): it breaks at the measure as a last resort,
    no hyphen added, and reads whole."""
    built = build(make_issue(HEADER + f"""\
  - id: a
    title: 电子证照查验码{CODE_60}正式启用
    body: 请将查验码{CODE_60}填入申请表，并妥善保存。
  - id: b
    title: 查验码{CODE_60}
    subtitle: 长宁区新泾镇社区事务受理服务中心查验码{CODE_60}
    layout: {{headline: column, start: new-column}}
    body: 正文。
"""))
    g: Geometry = built.prepared.layout.geometry
    _, every = read_body(built.pdf, g)
    right = g.margin_side + g.measure + 0.5
    assert [ln.text for _, ln in every if ln.x1 > right or ln.x0 < g.margin_side - 0.5] == []
    assert sum(CODE_60[:10] in ln.text for _, ln in every if ln.size > g.body_size) == 3
    assert "pages.safe-area" not in {d.code for d in preflight(built)}
    pdf = tmp_path / "code.pdf"
    pdf.write_bytes(built.pdf)
    text = re.sub(r"\s", "", "".join(page_texts(pdf)))
    assert text.count(CODE_60) == 6  # 2 contents entries, 2 headlines, a subtitle, the text
    assert "\u2010" not in text and "\x02" not in text  # no hyphen added


def test_a_headline_is_not_broken_inside_a_short_quoted_name() -> None:
    headline = "新泾镇第五届“家门口的舞台”社区合唱比赛暨迎新年文艺汇演圆满落幕"
    joined = join_words(headline)
    assert WJ.join("“家门口的舞台”") in joined
    assert WJ.join("《我和我的祖国》") in join_words("合唱团演唱《我和我的祖国》获金奖")
    long_quote = "“" + "新泾镇社区党建服务中心暨新时代文明实践分中心" + "”"
    assert WJ.join(long_quote) not in join_words(f"关于{long_quote}的通知")  # a sentence
    assert joined.replace(WJ, "") == headline


@pytest.mark.slow
def test_a_line_an_address_fills_is_not_letter_spaced(make_issue: MakeIssue) -> None:
    """“网 站 www.shcn.gov.cn/col/col6245/index.html” (0.45 em), “index.html 了 解 ， 或
    拨 打 热 线 021-62785432”, “发 至 anquan_xinjing_shequ@163.com 联 系 我”: an
    address or number has no gap to take a share of the slack, so its few Han
    neighbours took it all. Such a line is set flush start instead, and the check
    accepts it short."""
    sentences = [
        "详情可登录新泾镇政府网站www.shcn.gov.cn/col/col6245/index.html了解，或拨打热线"
        "021-62785432咨询。",
        "邮件请发至anquan_xinjing_shequ@163.com联系我们，工作人员会在三个工作日内回复。"]
    paragraphs = [("社" * k) + s for s in sentences for k in range(9, 20)]
    body = "".join(f"      {p}\n\n" for p in paragraphs)
    built = build(make_issue(HEADER + f"  - id: a\n    title: 测试\n    body: |\n{body}"))
    g: Geometry = built.prepared.layout.geometry
    lines, _ = read_body(built.pdf, g)
    spread, short = [], []
    for line, last in zip(lines, _paragraph_ends(lines), strict=True):
        if last or not re.search(r"[!-~]{8,}", line.line.text):
            continue
        gaps = [(b["x0"] - a["x1"]) / line.line.size
                for a, b in itertools.pairwise(line.line.chars)
                if is_han(a["text"]) and is_han(b["text"])]
        if max(gaps, default=0.0) > cjk_justify.FLUSH_GAP_EM + 0.01:
            spread.append(f"“{line.line.text}” {max(gaps):.2f} em")
        elif line.edge(g) - line.line.x1 > 2:
            short.append(line.line.text)
    assert spread == [] and short  # the rule is met, not avoided
    found = check_typography(built.pdf, g, built.prepared.layout.font_families())
    assert [d.format() for d in found if d.code in (
        "typography.ragged-line", "typography.loose-line")] == []


def test_an_address_breaks_after_its_query_marks() -> None:
    # outside s14 #7: 「…&from / =jiayuan」.
    address = "https://www.shmh.gov.cn/gumei/shequ/15min/citywalk-map.html?lang=zh-CN&from=jiayuan"
    pieces = break_points(address).replace(WJ, "").replace(SOFT_GLUE, "").split(BREAK)
    assert "".join(pieces) == address
    assert not any(piece.startswith(("=", "&")) for piece in pieces)
    assert "?lang=" in pieces and "from=" in pieces


_AFTER_A_SCHEME = [
    "线路图和语音讲解的网页版地址为https://www.shmh.gov.cn/gumei/shequ/15min/citywalk-map.html"
    "?lang=zh-CN&from=jiayuan，也可在各居委会领取纸质地图。",
    "有关工程进展，居民可关注“虹桥街道”微信公众号或访问https://www.hongqiao.example.cn/hezhang了解。",
    "报名请登录https://zwdt.sh.gov.cn/govPortals/bsfw/item/2027-0315，"
    "咨询电话021-6238 1234转8012。",
]


def _scheme_paragraphs(make_issue: MakeIssue, name: str) -> list[list[str]]:
    """The lines of each paragraph of `_AFTER_A_SCHEME` after 0–24 characters."""
    paragraphs = [("社" * k) + s for s in _AFTER_A_SCHEME for k in range(25)]
    body = "".join(f"      {p}\n\n" for p in paragraphs)
    built = build(make_issue(HEADER + f"  - id: a\n    title: 测试\n    body: |\n{body}",
                             name=name))
    lines, _ = read_body(built.pdf, built.prepared.layout.geometry)
    out: list[list[str]] = [[]]
    for line, last in zip(lines, _paragraph_ends(lines), strict=True):
        out[-1].append(line.line.text.replace(" ", ""))
        if last:
            out.append([])
    return [p for p in out if p]


def test_a_line_ends_after_an_addresss_scheme_only_where_that_saves_a_line(
        make_issue: MakeIssue, monkeypatch: pytest.MonkeyPatch) -> None:
    """outside s14 #7: 「线 路 图 和 … 网 页 版 地 址 为 https:// / www.shmh.gov.cn/gumei/…」,
    letter-spaced and holding no address yet. The line ends before the address
    (set flush) unless ending it after https:// makes the paragraph a line shorter
    (…或访问https:// / www.hongqiao.example.cn/hezhang了解。 rather than …或访问 /
    https://www.hongqiao.example.cn/hezhang / 了解。)."""
    import bulletin_press.text.breaks as breaks_module
    from bulletin_press.text import normalise

    ours = _scheme_paragraphs(make_issue, "ours")
    original = breaks_module.break_points
    monkeypatch.setattr(breaks_module, "break_points",
                        lambda address: original(address).replace(SOFT_GLUE, WJ))
    normalise._normalised.cache_clear()  # it keeps each paragraph's marked text
    try:
        never = _scheme_paragraphs(make_issue, "never")
    finally:
        normalise._normalised.cache_clear()
    assert len(ours) == len(never) == 3 * 25
    taken = [p for p in ours if any(line.endswith("://") for line in p)]
    worse = [(p, q) for p, q in zip(ours, never, strict=True) if len(p) > len(q)]
    useless = [(p, q) for p, q in zip(ours, never, strict=True)
               if any(line.endswith("://") for line in p) and len(p) >= len(q)]
    assert worse == [] and useless == []
    assert taken  # where it saves a line, the break is there
