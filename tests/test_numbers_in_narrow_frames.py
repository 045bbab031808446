"""Dates, phone numbers, amounts, addresses and English words in the narrow places of a
page (photo captions, a QR code's caption, a box, a table in a box, the contents box)
and in body text: read from the PDF in drawing order, a line never ends between a
number and its unit (20 / 日, 12,331 / 人), inside a number (139 1234 / 5678,
1,280 / .50) or inside an English word without its hyphen (Programm / e); no line
runs past its column."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from bulletin_press.build.pipeline import build
from bulletin_press.checks.typesetting import check_overfull, read_body
from bulletin_press.pdf.text import read_pages

from .conftest import HEADER, MakeIssue

# What a town bulletin writes after a number (text/breaks.py's units, as printed).
UNITS = frozenset("个名人位次元角万亿年月日号时分秒岁届期项户家所座台辆件份页条篇张本间套米吨"
                  "斤株棵栋幢层楼室路弄首场支批组队倍升度克亩处余多%％")
ENGLISH = ("Community", "Programme", "Shanghai", "Building", "Council", "Sustainable",
           "Neighbourhood", "Volunteers")

DATE = "2027年1月20日（周三）上午9:30—11:30"
PHONES = "电话021-6259 8000、139 1234 5678、12345"
AMOUNTS = "每户￥1,280.50元，合计3.5万元，活动室120平方米"
WEB = "网址https://www.shcn.gov.cn/xianxia/notice/2027-0120.html，邮箱xianxia-service@example.cn"
CAPTIONS = [f"{'仙霞' * k}{DATE}，居民在1,260株新绿之间的120平方米活动室咨询，{PHONES}"
            for k in range(6)]


def _manifest() -> str:
    photos = "".join(f"""\
      - file: p.jpg
        caption: {caption}
        credit: 顾文静 摄
        placement: inline
        after_paragraph: {number + 1}
""" for number, caption in enumerate(CAPTIONS))
    paragraphs = "".join(
        f"      {'新泾' * k}{DATE}起，{AMOUNTS}；{PHONES}。{WEB}。The {ENGLISH[k]} Energy "
        f"Saving Programme由Shanghai Green Building Council提供支持，名额200余名。\n\n"
        for k in range(len(CAPTIONS))) + (
        "      The Community Energy Saving Programme 由Shanghai Green Building Council提供"
        "技术支持，英文资料可在社区图书馆借阅。\n")
    items = "".join(f"      - **{label}**：{'仙' * k}{text}\n" for k, (label, text) in
                    enumerate([("受理时间", DATE), ("咨询电话", PHONES), ("补贴标准", AMOUNTS),
                               ("网上办理", WEB), ("受理时间", "1月27日（周三）13:30—17:00")]))
    return f"""\
newsletter: 仙霞社区报
publisher: 长宁区仙霞新村街道
issue: {{number: 1, volume: 88, date: 2027-01-08}}
colophon:
  office: 《仙霞社区报》编辑部
  address: 上海市长宁区仙霞路1088弄12号3楼305室
  phone: 021-6259 8000
  qr:
    url: https://mp.weixin.qq.com/s/xianxia-2027-0120
    caption: 扫码关注“仙霞社区”微信公众号，2027年1月20日起可在线报名
articles:
  - id: lead
    section: 要闻
    title: 2027年1月20日（周三）起 仙霞路沿线12,331户居民可申领3.5万元以内的节能补贴
    photos:
{photos}    body: |
{paragraphs}
  - id: box
    kind: box
    title: 便民信息
    body: |
{items}
      以上时间如有调整，以居委会公告为准。

      | 日期 | 时间 | 金额 |
      | --- | --- | --- |
      | 2027年1月20日 | 9:30—11:30 | ￥1,280.50元 |
      | 1月21日（周四） | 13:30—17:00 | 3.5万元 |
      | 1月27日 | 9:00至11:00 | 120平方米 |
"""


def _cuts(pdf: bytes) -> tuple[list[str], str]:
    """Where a line ends inside a number, between a number and its unit, or inside one
    of ENGLISH's words, read from the PDF in drawing order; and all the text."""
    cuts: list[str] = []
    seen = ""
    for number, page in enumerate(read_pages(pdf), start=1):
        chars = page.chars
        seen += "".join(c["text"] for c in chars)
        for a, b, c in itertools.zip_longest(chars, chars[1:], chars[2:]):
            if b is None or abs(float(a["top"]) - float(b["top"])) < float(a["size"]) / 2:
                continue  # the same line
            first, then, after = a["text"], b["text"], c["text"] if c is not None else ""
            # (a mark between digits is a number's: 1,280 / .50; an address's …/2027-0120 /
            # .html may break before its dot)
            if (first.isdigit() and (then in UNITS or then.isdigit() or
                                     (then in ",." and after.isdigit()))) or \
                    (first in ",." and then.isdigit()):
                cuts.append(f"p{number} …{first} / {then}…")
        # An English word cut without its hyphen, read over the page's line ends.
        text = "".join(c["text"] + ("\n" if next_ is not None and abs(
            float(c["top"]) - float(next_["top"])) >= float(c["size"]) / 2 else "")
            for c, next_ in itertools.zip_longest(chars, chars[1:]))
        for before, after in itertools.pairwise(text.split("\n")):
            # (PDFium's characters leave the spaces out: TheCommunityEnergySavingProgramm)
            if any(before.endswith(word[:i]) and after.startswith(word[i:])
                   for word in ENGLISH for i in range(1, len(word))):
                cuts.append(f"p{number} …{before[-10:]} / {after[:6]}…")
    return cuts, seen


@pytest.mark.slow
def test_numbers_dates_and_words_hold_in_narrow_frames(make_issue: MakeIssue,
                                                       sample_photo: Path) -> None:
    built = build(make_issue(_manifest(), {"p.jpg": sample_photo}))
    g = built.prepared.layout.geometry
    body, _ = read_body(built.pdf, g)
    assert list(check_overfull(body, g)) == []
    cuts, seen = _cuts(built.pdf)
    # Everything was set (the captions, the box, its table, the QR caption)
    assert "扫码关注" in seen and "¥1,280.50元" in seen and "Programme" in seen.replace("‐", "")
    assert cuts == []


@pytest.mark.slow
def test_contents_titles_keep_numbers_whole(make_issue: MakeIssue) -> None:
    """本期导读 wraps a long title: the same title after 0–7 more characters never
    leaves a number's unit, a date's 日 or part of a phone number on the next line
    (…发放总额3.5 / 万元… was printed)."""
    title = ("街道自2027年1月20日（周三）起为沿线12,331户居民发放总额3.5万元节能补贴及"
             "139 1234 5678热线开通的通知")
    articles = "".join(f"""\
  - id: a{k}
    section: 要闻
    title: 关于{'仙霞' * k}{title}
    body: |
      街道办事处日前发布通知，自2027年1月20日起受理节能补贴申请。
""" for k in range(8))
    built = build(make_issue(HEADER + articles))
    cuts, seen = _cuts(built.pdf)
    assert seen.count("13912345678") >= 8  # in the contents box and in the headlines
    assert [cut for cut in cuts if cut.startswith("p1 ")] == []


CAPTION = ("2027年1月20日上午9:30，居民在仙霞路1088弄120平方米的新活动室里咨询补贴，"
           "电话139 1234 5678")


@pytest.mark.slow
def test_a_caption_of_numbers_is_as_tall_as_it_prints(make_issue: MakeIssue,
                                                      sample_photo: Path) -> None:
    """A caption's height is counted before typesetting (its box hides what does not
    fit): with its 11 Han–digit gaps left out, this one measured 2 lines and printed 3,
    the third (补贴，电话139 1234 5678（顾文静 摄）) cut off."""
    built = build(make_issue(f"""\
newsletter: 仙霞社区报
publisher: 长宁区仙霞新村街道
issue: {{number: 1, date: 2027-01-08}}
articles:
  - id: a
    title: 节能补贴开始受理
    photos:
      - {{file: p.jpg, caption: {CAPTION}, credit: 顾文静 摄, placement: inline,
         after_paragraph: 1}}
    body: |
      街道办事处日前发布通知，自2027年1月20日起受理节能补贴申请。

      咨询电话021-6259 8000（工作日），或拨打手机139 1234 5678联系社区规划师。
""", {"p.jpg": sample_photo}))
    figure = built.prepared.context.context["articles"][0]["body"][1]["figure"]
    chars = read_pages(built.pdf)[0].chars
    text = "".join(c["text"] for c in chars)
    printed = (CAPTION + "（顾文静摄）").replace(" ", "")  # PDFium leaves spaces out
    start = text.index(printed[:16])
    assert text[start:start + len(printed)] == printed
    tops = {round(float(c["top"])) for c in chars[start:start + len(printed)]}
    assert figure["caption_lines"] == len(tops) == 3


def test_a_contents_title_cut_to_one_line_ends_before_a_number(tmp_path: Path) -> None:
    """`toc: one-line` cuts a long title before its ……: never inside a number, between
    a number and its unit or inside a date (…发放总额3.…… was printed)."""
    import shutil

    from bulletin_press.fonts.lookup import family_metrics
    from bulletin_press.layout.context import toc_title
    from bulletin_press.layout.specs import load_layout

    from .conftest import ROOT

    layouts = tmp_path / "layouts"
    shutil.copytree(ROOT / "layouts" / "two-column", layouts / "two-column")
    (layouts / "one-line").mkdir()
    (layouts / "one-line" / "layout.yaml").write_text(
        "extends: two-column\noptions: {toc: one-line}\n", encoding="utf-8")
    layout = load_layout(layouts, "one-line")
    font = family_metrics(layout.spec.fonts.heading)
    assert font is not None
    tail = ("街道自2027年1月20日起为沿线12,331户居民发放总额3.5万元节能补贴及"
            "139 1234 5678热线开通")
    titles = [toc_title("关于" + "仙" * k + tail, "要闻", layout, font) for k in range(40)]
    assert all(title.endswith("……") for title in titles)
    cuts = {title[:-2] for title in titles}
    assert len(cuts) > 20  # cut at many places of the tail
    assert [cut for cut in cuts if cut[-1].isdigit() or cut[-1] in ".,"
            or cut.endswith(("3.5万", "2027年", "1月", "139", "1234"))] == []
