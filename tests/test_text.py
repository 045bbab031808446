"""Stages 2-3: Markdown subset → blocks, and text normalisation."""

from __future__ import annotations

import typing

import pytest

from bulletin_press.layout.context import article_texts
from bulletin_press.layout.prepare import prepare
from bulletin_press.manifest.load import load_issue
from bulletin_press.manifest.model import RuleName
from bulletin_press.text.blocks import Span, parse_body
from bulletin_press.text.breaks import visible
from bulletin_press.text.normalise import BREAKS, RULES, normalise_blocks, normalise_text

from .conftest import HEADER, SAMPLE, MakeIssue
from .test_sample_pdf import seed_sentences


def test_paragraphs_subheads_lists_and_emphasis() -> None:
    blocks = parse_body("第一段**粗体*斜*体**。\n\n### 小标题\n\n- 项一\n- 项二\n\n1. 甲\n2. 乙\n")
    assert [b.kind for b in blocks] == ["paragraph", "subhead", "list", "list"]
    assert blocks[0].spans == [Span("第一段"), Span("粗体", strong=True),
                              Span("斜", strong=True, em=True), Span("体", strong=True), Span("。")]
    assert blocks[2].ordered is False and blocks[3].ordered is True
    assert [b.plain_text() for b in blocks[2:]] == ["项一项二", "甲乙"]


def test_html_links_and_images_never_reach_the_text() -> None:
    # Reported at validate (tests/test_article_kinds.py); none of it is printed.
    [block] = parse_body('<img src="/etc/passwd"> [点我](javascript:alert(1)) ![图](x.png)')
    assert block.plain_text().strip() == "点我"


def test_line_break_inside_paragraph_joins_han_without_space() -> None:
    source = "新的一年要以深入学习贯彻党的二十大精神为重要契\n机和新的起点"
    [block] = normalise_blocks(parse_body(source))
    assert block.plain_text() == "新的一年要以深入学习贯彻党的二十大精神为重要契机和新的起点"


def test_line_break_between_latin_words_is_a_space() -> None:
    assert normalise_text("print\nshop") == "print shop"
    assert normalise_text("中文\nLatin") == "中文Latin"


def test_join_across_styled_spans_keeps_styles() -> None:
    [block] = normalise_blocks(parse_body("甲乙\n**丙丁**"))
    assert block.spans == [Span("甲乙"), Span("丙丁", strong=True)]


def test_control_and_bidi_characters_removed_spaces_collapsed() -> None:
    text = "新\u200b泾\u202e镇\u0007  通讯\t报"
    assert normalise_text(text, {"han-spaces"}) == "新泾镇 通讯 报"
    assert normalise_text(text) == "新泾镇通讯报"


def test_sample_manifest_keeps_every_seed_sentence_once_in_order() -> None:
    issue = load_issue(SAMPLE)
    back_issue = issue.manifest.articles[:2]  # the other two are written for the sample
    text = "".join(visible(b.plain_text()) for a in back_issue
                   for b in normalise_blocks(parse_body(issue.bodies[a.id]))).replace(" ", "")
    assert text == "".join(seed_sentences())


@pytest.mark.parametrize(("rule", "before", "after"), [
    ("punctuation", "举行,全镇116名代表参加;会议:通过?是!", "举行，全镇116名代表参加；"
                                                       "会议：通过？是！"),
    ("punctuation", "共1,000人；print, shop；3:2", "共1,000人；print, shop；3:2"),
    # Before Han, after a number, an English word or an address: a Chinese sentence's
    # marks too (they stayed ASCII: 021-62785432,报名时间).
    ("punctuation", "报名电话:021-62785432,报名时间:9:30-11:30;欢迎参加!OK,我们出发",
     "报名电话：021-62785432，报名时间：9:30-11:30；欢迎参加！OK，我们出发"),
    ("punctuation", "网址:https://a.b.cn/x?id=1,欢迎访问;增长3.5%,同比",
     "网址：https://a.b.cn/x?id=1，欢迎访问；增长3.5%，同比"),
    ("open-paren", "(1)报名对象；(2)服务时间；(APP)下载；(021)62785432",
     "（1）报名对象；（2）服务时间；（APP）下载；(021)62785432"),
    ("open-paren", "于镇文化中心(Xinjing Culture Centre)举行",
     "于镇文化中心(Xinjing Culture Centre)举行"),
    ("full-stop", "代表参加.会议开始.", "代表参加。会议开始。"),
    ("full-stop", "增长3.5%，见www.example.com", "增长3.5%，见www.example.com"),
    # An address ends the Chinese sentence: its period is 。 (it stayed "."); Ltd. and an
    # English paragraph keep theirs.
    ("full-stop", "详见www.xinjing.gov.cn.欢迎来信linli@xinjing.gov.cn.",
     "详见www.xinjing.gov.cn。欢迎来信linli@xinjing.gov.cn。"),
    ("full-stop", "由Xinjing Co., Ltd.承办", "由Xinjing Co., Ltd.承办"),
    ("full-stop", "Visit www.example.com.", "Visit www.example.com."),
    ("open-paren", "说明 (注) 内容", "说明（注）内容"),
    ("ellipsis", "等等...然后…再。。。", "等等……然后……再……"),
    # "--" is a 破折号 typed on an English keyboard; a single dash between two places is
    # GB/T 15834's 连接号 (4.13: 北京—上海), and 上海南站—虹桥枢纽 printed as a 破折号 ——.
    ("dashes", "北京--上海—广州", "北京——上海—广州"),
    ("dashes", "乘车路线：上海南站—虹桥枢纽，71路（中山公园—申昆路枢纽站）、天山路－仙霞路",
     "乘车路线：上海南站—虹桥枢纽，71路（中山公园—申昆路枢纽站）、天山路—仙霞路"),
    # A single dash that brings in an explanation is a 破折号 typed short, even after a place.
    ("dashes", "垃圾分类—从我做起。我们来到了上海南站—一座百年老站，老娘舅—李阿姨",
     "垃圾分类——从我做起。我们来到了上海南站——一座百年老站，老娘舅——李阿姨"),
    ("dashes", "2022-2023年；A-B", "2022-2023年；A-B"),
    # Two short names alone on each side of a single dash join a range although jieba's
    # dictionary lacks them (九亭, 北新泾, 古美): 七宝—九亭 printed 七宝——九亭.
    ("dashes", "9号线：七宝—九亭；公交：虹桥—莘庄、新泾—北新泾（中山公园—静安寺）；古美—田林",
     "9号线：七宝—九亭；公交：虹桥—莘庄、新泾—北新泾（中山公园—静安寺）；古美—田林"),
    ("dashes", "春天—来了；奋进—新时代；青春—底色；我们从七宝—九亭出发",
     "春天——来了；奋进——新时代；青春——底色；我们从七宝——九亭出发"),
    # The steps of a menu's path in quotes are joined by a single dash (outside s13:
    # 在“办事指南—加装电梯”栏目 printed 办事指南——加装电梯); a 破折号 in a quote stays.
    ("dashes", "在“办事指南—加装电梯”栏目查询，点击“我的—预约—记录”，进入「服务—长者食堂」",
     "在“办事指南—加装电梯”栏目查询，点击“我的—预约—记录”，进入「服务—长者食堂」"),
    # A route of three stops typed with single dashes (outside s14 #6: 古美社区食堂——平南路
    # printed a 破折号); two 破折号 in a clause stay.
    ("dashes", "“美食烟火”线（万源路Food Street—古美社区食堂—平南路菜市场），古美社区食堂—敬老院—"
               "平南路；他说—这是好事—真的；古美路街道—一个温暖的大家庭—欢迎你",
     "“美食烟火”线（万源路Food Street—古美社区食堂—平南路菜市场），古美社区食堂—敬老院—"
     "平南路；他说——这是好事——真的；古美路街道——一个温暖的大家庭——欢迎你"),
    ("dashes", "他说“垃圾分类—从我做起”，“青春—底色”",
     "他说“垃圾分类——从我做起”，“青春——底色”"),
    # A single dash after a date or weekday joins a range (GB/T 15834 一字线): it stays
    # one; 12月16日——次年 printed a 破折号 inside a notice's schedule.
    ("dashes", "12月16日—次年1月15日为集中检查阶段，1月16日—月底复查",
     "12月16日—次年1月15日为集中检查阶段，1月16日—月底复查"),
    ("dashes", "服务时间：周一—周五，星期六－星期日另行安排",
     "服务时间：周一—周五，星期六—星期日另行安排"),
    ("dashes", "他说—这是好事，截至12月16日——次年再议", "他说——这是好事，截至12月16日——次年再议"),
    # One yuan sign in an issue: ¥12 and ￥15元 were printed side by side.
    ("currency", "一荤两素套餐¥12，两荤两素套餐￥15元，配送费 ￥ 3.5元，人民币符号￥",
     "一荤两素套餐¥12，两荤两素套餐¥15元，配送费 ¥3.5元，人民币符号￥"),
    ("quotes", '他说"你好"，又说\'再见\'。', "他说“你好”，又说‘再见’。"),
    # English text gets English quotes by position (it printed straight ones: "Foreigner's
    # Work Permit"); after a digit they are primes and stay.
    ("quotes", "don't \"panic\"", "don’t “panic”"),
    ("quotes", "bring your \"Residence Permit\" ('R')", "bring your “Residence Permit” (‘R’)"),
    ("quotes", "5'10\" tall", "5'10\" tall"),
    ("han-spaces", "新泾 镇 的《深学笃行 众志成城》", "新泾镇的《深学笃行 众志成城》"),
    ("han-spaces", "图 文 并 茂，他说——这 是 好事", "图文并茂，他说——这是好事"),
    # Meant: who and the name in a quote's attribution, between a byline's credits.
    ("han-spaces", "生活更方便了。——新泾八村居民 张志华", "生活更方便了。——新泾八村居民 张志华"),
    ("han-spaces", "——新泾八 村居民 张志华", "——新泾八 村居民 张志华"),
    ("han-spaces", "本报记者 王敏 通讯员 李明 文/王敏 图/李强",
     "本报记者 王敏 通讯员 李明 文/王敏 图/李强"),
])
def test_rule(rule: str, before: str, after: str) -> None:
    assert normalise_text(before) == after
    if before != after:
        assert normalise_text(before, {rule}) != after  # the rule does it; it can be off


def test_rule_names_in_manifest_match_rules() -> None:
    assert set(typing.get_args(RuleName)) == set(RULES) | {BREAKS}


def test_rules_switched_off_per_article(make_issue: MakeIssue) -> None:
    folder = make_issue(HEADER + """\
          - id: a
            title: 标题 两段
            normalise: {quotes: false}
            body: 他说"你好",再见...
        """)
    texts = article_texts(load_issue(folder))
    assert texts["a"][0].plain_text() == '他说"你好",再见……'  # after '"', not Han
    ctx = prepare(folder).context.context
    assert ctx["articles"][0]["title"] == "标题 两段"  # headline spaces are kept


def test_quotes_in_english_text_are_set_proportional() -> None:
    """The CJK face draws “ ’ ” 1 em wide: “Foreigner’ s Work Permit” gaped. Inside
    English text they get class bp-pq (its proportional forms); beside Han they stay."""
    from bulletin_press.text.blocks import Span
    from bulletin_press.text.punctuation import PROPORTIONAL_QUOTE, mark_spans

    text = "bring your “Foreigner’s Work Permit” or “Residence Permit”，办理“居住证”。"
    marked = mark_spans([Span(text)])
    assert [s.text for s in marked if s.cls == PROPORTIONAL_QUOTE] == ["“", "’", "”", "“"]
    assert "".join(s.text for s in marked) == text


@pytest.mark.parametrize(("typed", "kept"), [
    # A couplet typed on one line: its halves stay apart (one full-width space).
    ("上联：春风入户家家暖\u3000\u3000下联：瑞雪临门处处新", "家家暖\u3000下联"),
    # A name after its place, in a table cell or a credit.
    ("北新泾\u3000李秀兰", "北新泾\u3000李秀兰"),
    ("（作者：新泾六村\u3000王福根）", "新泾六村\u3000王福根"),
])
def test_a_full_width_space_typed_inside_a_line_is_kept(typed: str, kept: str) -> None:
    assert kept in normalise_text(typed)


@pytest.mark.parametrize(("typed", "printed"), [
    # Indentation typed as full-width spaces, and spaces around a line break, are not.
    ("第一段的第一行\n\u3000\u3000第一段的第二行", "第一段的第一行第一段的第二行"),
    ("报名 电话021-62785432", "报名电话021-62785432"),
    ("活动\u3000 地点", "活动地点"),
])
def test_other_spaces_between_han_still_go(typed: str, printed: str) -> None:
    assert normalise_text(typed) == printed
