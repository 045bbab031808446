"""What a reader expects to find together on the page: a subhead with the table it
introduces (set across the page above it), and a notice set whole, never its
title and two lines at the foot of a page with the rest overleaf (outside's
defects F and G, session 9)."""

from __future__ import annotations

import io

import pdfplumber
import pytest

from bulletin_press.build.pipeline import Assembled, Built, build, build_runs
from bulletin_press.layout.prepare import prepare
from bulletin_press.pdf.text import Line, lines_of

from .conftest import HEADER, MakeIssue

LEAD = ("为做好辖区二次供水设施改造，新泾镇自来水服务所将于2027年1月分片停水施工。"
        "施工期间请居民提前储水，关好水龙头，防止来水后跑水。详情可登录"
        "www.xinjing.gov.cn/water 或关注“新泾镇”微信公众号（ID: xinjing_sh）查询。")
WATER = f"""\
  - id: water
    title: 二次供水改造：一月分片停水时间表
    byline: 通讯员 沈佳怡
    body: |
      {LEAD}

      ### 一、停水区域、时间和联系电话

      各小区停水安排如下：

      | 小区 | 停水时间 | 联系人 | 报修电话 |
      | --- | --- | --- | --- |
      | 新泾一村（1—24号） | 1月8日 22:00—次日6:00 | 张建国 | 021-62781234转8012 |
      | 天山西路1088弄 | 1月9日 9:00—17:00 | 李梦洁 | 13816620987 |
      | 北翟路1500弄（Vanke Garden东区） | 1月10日 8:30—16:30 | Emily Chen | 400-820-1234 |
      | 哈密路1955号 | 1月11日 22:00—次日5:30 | 王晓峰 | 021-52190876 |

      ### 二、注意事项

      停水前请储备生活用水；来水初期水质可能浑浊，请放水3—5分钟后再使用。
      高层住户如遇水压不足，请拨打24小时热线021-62785500。
"""


def _pages(pdf: bytes) -> list[list[Line]]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [lines_of(page) for page in doc.pages]


def _find(pages: list[list[Line]], text: str) -> tuple[int, Line]:
    found = [(number, line) for number, lines in enumerate(pages, start=1)
             for line in lines if text in line.text.replace(" ", "")]
    assert found, text
    return found[0]


@pytest.mark.slow
@pytest.mark.parametrize("runs", [False, True])
def test_a_subhead_goes_across_the_page_with_its_wide_table(
        make_issue: MakeIssue, runs: bool) -> None:
    """The 4-column table of addresses and phone numbers is too wide for a column and
    is set across the page; its subhead and the line introducing it (…如下：) stand
    right above it at the left margin, in the order typed. Before, the subhead stood
    alone at the top of the right column, over the lead's text-less column."""
    folder = make_issue(HEADER + WATER)
    context = prepare(folder).context.context
    [item] = [i for i in context["articles"][0]["body"] if i["table"] is not None]
    assert item["table"] is not None and item["table"]["span"]
    assert [i["kind"] for i in item.get("above", [])] == ["subhead", "paragraph"]
    built: Built | Assembled = build_runs(folder, store=False) if runs else build(folder)
    pages = _pages(built.pdf)
    g = built.prepared.layout.geometry
    head_page, head = _find(pages, "一、停水区域")
    intro_page, intro = _find(pages, "各小区停水安排如下")
    table_page, table = _find(pages, "报修电话")
    assert head_page == intro_page == table_page
    left = min(line.x0 for lines in pages for line in lines)
    assert head.x0 < left + 1  # at the left margin, not in the right column
    assert head.top < intro.top < table.top
    # Right above the table: the subhead, the intro line, and the table's rule line.
    assert table.top - head.top <= 4 * g.line + 1
    # Every line of the text once, in order.
    text = "".join(line.text for lines in pages for line in lines).replace(" ", "")
    order = ["一、停水区域", "各小区停水安排如下", "报修电话", "张建国", "哈密路1955号",
             "二、注意事项", "021-62785500"]
    assert [text.find(t) for t in order] == sorted(text.find(t) for t in order)
    assert all(text.count(t) == 1 for t in order)


NOTICE_ITEMS = "\n".join(
    f"      {n}. {t}\n" for n, t in enumerate([
        "报名对象：年满18周岁、户籍或居住在本镇的适龄男性青年，大学生（含2027届毕业生）优先；",
        "报名方式：登录“全国征兵网”（www.gfbzb.gov.cn）网上报名，或到镇武装部现场报名；",
        "体检时间：2027年3月15日—3月17日，地点为长宁区人民武装部体检站（天山路1800号）；",
        "咨询电话：021-62783355转8012（工作日8:30—17:00），或发邮件至zhengbing@xinjing.example.cn。",
    ], 1))
NOTICE = f"""\
  - id: recruit
    kind: notice
    title: 关于做好2027年上半年征兵工作的通知
    subtitle: 长新武〔2027〕3号
    body: |
      各居民区、各有关单位：

      根据《中华人民共和国兵役法》和上级关于2027年上半年征兵工作的部署，现将本镇征兵工作有关事项通知如下：

{NOTICE_ITEMS}
      请各居民区做好宣传动员，张贴征兵海报，确保适龄青年应征尽征、应检尽检。
    signature:
      issuer: 新泾镇人民武装部
      date: 2027年2月20日
"""
BOX = """\
  - id: tips
    kind: box
    title: 垃圾分类小贴士
    body: |
      湿垃圾请破袋投放，塑料袋投入干垃圾桶；大件垃圾请预约上门回收，电话021-62785432。
"""


def _story(paragraphs: int) -> str:
    return """\
  - id: lead
    title: 新泾镇启动“美丽家园”小区综合改造
    body: |
""" + "\n".join(f"      {LEAD}\n" for _ in range(paragraphs))


@pytest.mark.slow
@pytest.mark.parametrize("paragraphs", [7, 8])
def test_a_notice_that_does_not_fit_under_a_story_moves_on_whole(
        make_issue: MakeIssue, paragraphs: int) -> None:
    """A story fills most of page 1; the 征兵 notice (文号, numbered items with URLs and
    phone numbers, 落款) does not fit under it. It is set whole on page 2: its title,
    its last item and its 落款 on one page. Before, its title and first lines stood at
    the foot of page 1 and the rest went overleaf."""
    folder = make_issue(HEADER + _story(paragraphs) + NOTICE + BOX)
    built = build_runs(folder, store=False)
    pages = _pages(built.pdf)
    title_page, _title = _find(pages, "长新武〔2027〕3号")
    salutation_page, _ = _find(pages, "各居民区、各有关单位")
    last_item_page, _ = _find(pages, "zhengbing@")
    issuer_page, _ = _find(pages, "新泾镇人民武装部")
    assert title_page == salutation_page == last_item_page == issuer_page
    # The box is whole too (its frame keeps its text together).
    box_page, _ = _find(pages, "垃圾分类小贴士")
    assert _find(pages, "021-62785432")[0] == box_page


@pytest.mark.slow
def test_a_notice_is_set_whole_in_the_one_document_build_too(make_issue: MakeIssue) -> None:
    folder = make_issue(HEADER + _story(8) + NOTICE)
    pages = _pages(build(folder).pdf)
    assert _find(pages, "长新武〔2027〕3号")[0] == \
        _find(pages, "新泾镇人民武装部")[0]



SHORT_STORY = """\
  - id: waste
    title: 垃圾分类新规一月起实施
    body: |
      2027年1月起，全镇推行湿垃圾、干垃圾定时定点投放，投放时间为每天7:00—9:00和18:00—20:00。

      大件垃圾请预约上门回收（电话021-62785432），详情见 www.xinjing.gov.cn/lajifenlei。
"""


@pytest.mark.slow
@pytest.mark.parametrize("after", ["box", "story"])
def test_the_article_after_a_notice_moved_on_fills_the_space_it_left(
        make_issue: MakeIssue, after: str) -> None:
    """The 征兵 notice does not fit in the 11 lines a column left under the story on
    page 1 and goes on whole to page 2; the box (or short story) that followed it is
    set in that space instead, the notice after it, and the contents box lists them
    in that order. Before, the notice's title and salutation stood at page 1's foot."""
    follower = BOX if after == "box" else SHORT_STORY
    folder = make_issue(HEADER + _story(6) + NOTICE + follower)
    built = build_runs(folder, store=False)
    pages = _pages(built.pdf)
    name = "垃圾分类小贴士" if after == "box" else "垃圾分类新规一月起实施"
    last = "021-62785432"
    assert _find(pages, "长新武〔2027〕3号")[0] == _find(pages, "新泾镇人民武装部")[0] == 2
    follower_lines = [(n, line) for n, lines in enumerate(pages, start=1) for line in lines
                      if name in line.text.replace(" ", "")]
    assert follower_lines[-1][0] == 1  # its headline (not only a contents entry) on page 1
    assert _find(pages, last)[0] == 1
    text = "".join(line.text for lines in pages for line in lines).replace(" ", "")
    body = text[text.index("为做好辖区"):]  # after the contents box
    assert body.index(last) < body.index("长新武〔2027〕3号")
    if after == "story":  # the contents box: the story on page 1, then the notice on 2
        toc = text[:text.index("为做好辖区")]
        assert toc.index("垃圾分类新规一月起实施") < toc.index("关于做好2027年上半年征兵工作的通知")
