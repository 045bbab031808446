"""Holes that framed notices leave, named by `check` with the article they follow and
what to do (issue 18 item 4): a hole in the middle of a page, above a notice set
across the page, where the columns above it ended unevenly (outside's proj3 page 6:
about 10 empty lines above the 寻物启事 frame, unnamed); and a hole before a notice
set whole, whose hint counted a headline and two lines where the notice needs all
its height (proj3 page 6, full page 3: "cut 2 lines … its headline and first lines
need 7 lines")."""

from __future__ import annotations

import io
import re

from PIL import Image

from bulletin_press.build.pipeline import build, build_runs
from bulletin_press.checks.preflight import check_copyfit

from .conftest import HEADER, MakeIssue
from .test_kept_together import NOTICE, _story


def _portrait() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1200, 1600), (110, 150, 90)).save(out, "JPEG", dpi=(300, 300))
    return out.getvalue()


GARDEN = """\
  - id: garden
    title: 新泾五村“口袋花园”开园
    byline: 通讯员 陈立
    photos:
      - file: images/garden.jpg
        caption: 居民在新建成的口袋花园里种下第一批月季（摄影 陈立）
        after_paragraph: 1
    body: |
      4月1日上午，新泾五村“口袋花园”正式开园。花园占地约600平方米，由原来的废弃\
自行车棚改建而成，设有休憩长廊、儿童沙池和雨水花园。

      “以前这里堆满了僵尸车，晚上走过都害怕。”家住12号楼的王阿姨说，“现在每天早上\
都来这里打太极。”
"""
LOST = """\
  - id: lost
    kind: notice
    title: 寻物启事
    body: |
      本人于2027年3月28日（周日）下午4点左右，在淞虹路地铁站3号口至天山西路799号长者\
食堂之间遗失黑色双肩包一个，内有身份证、老年卡、降压药和一本红色封面的家谱（对我家\
意义重大）。有拾到者请联系139 1623 8875（王先生），必有重谢！
    signature:
      issuer: 王建华
      date: 2027年3月29日
"""
DRILL = """\
  - id: drill
    title: 天山路街道开展春季消防演练
    layout: {start: new-page}
    body: |
      3月30日，天山路街道联合长宁消防救援支队在新泾六村开展春季消防演练，居民在消防员\
指导下有序疏散，学习了灭火器的使用方法。消防员提醒，楼道内严禁停放电动自行车，发现\
火情请拨打119。
"""


def test_a_hole_above_a_notice_frame_is_named(make_issue: MakeIssue) -> None:
    """A story's portrait photo stands in its left column, its two paragraphs in the
    right one, and the 寻物启事 frame across the page under both: the right column ends
    some 8 lines above the frame. `check` names that column, the notice under the hole,
    the story it follows and what to do (the photo). Before, nothing was said: the
    only finding on page 1 was about the lines under the notice."""
    folder = make_issue(HEADER + GARDEN + LOST + DRILL, {"images/garden.jpg": _portrait()})
    built = build_runs(folder, store=False)
    pages = built.anchor_pages()
    assert pages["article-garden"] == pages["article-lost"] == 1  # the shape tested
    found = [d for d in check_copyfit(built) if d.code == "copyfit.hole"
             and "above article 2 《寻物启事》" in d.message]
    assert len(found) == 1, [d.message for d in check_copyfit(built)]
    [hole] = found
    assert hole.location is not None and hole.location.page == 1
    assert "right column" in hole.message and "under article 1 《新泾五村" in hole.message
    lines = int(re.search(r"(\d+) lines empty", hole.message).group(1))  # type: ignore[union-attr]
    assert 5 <= lines <= 12
    assert "photo" in (hole.hint or "")


def test_the_hole_before_a_notice_set_whole_counts_all_of_it(make_issue: MakeIssue) -> None:
    """The 征兵 notice (文号, four numbered items with a URL, an e-mail address and 021-
    numbers, a 落款) does not fit under the story on page 1 and starts page 2 whole. The
    hole it leaves is named with what the notice needs: all its lines across the page,
    never "its headline and first lines need 7 lines", which would not bring it back."""
    folder = make_issue(HEADER + _story(7) + NOTICE)
    built = build(folder)
    assert built.typeset.anchor_pages()["article-recruit"] == 2  # the shape tested
    found = [d for d in check_copyfit(built) if d.code == "copyfit.hole"
             and d.location is not None and d.location.page == 1]
    assert found
    g = built.prepared.layout.geometry
    for d in found:
        hint = d.hint or ""
        assert "headline and first lines" not in hint, hint
        match = re.search(r"is a notice, set whole: it needs (\d+) lines", hint)
        if "cut about" in hint:
            assert match is not None, hint
        if match is not None:
            # The notice is some 20 lines high, plus the blank line above it.
            assert 12 <= int(match.group(1)) <= g.lines


REPAIR = "今年的改造涉及12个小区、共计8,460户居民，总投资约3,200万元，计划于2027年6月底前" \
    "全部完工。改造内容包括屋面防水、外墙保温、雨污分流和加装电梯等。"
WASTE = """\
  - id: waste
    title: 垃圾分类新规一月起实施
    body: |
      2027年1月起，全镇推行湿垃圾、干垃圾定时定点投放，投放时间为每天7:00—9:00和\
18:00—20:00。

      大件垃圾请预约上门回收（电话021-62785432），详情见 www.xinjing.gov.cn/lajifenlei。

      各居民区将设立“垃圾分类指导员”，在投放时段值守，帮助居民正确分类。对拒不分类的\
单位，城管部门将依法处罚。
"""


def test_the_story_after_a_notice_a_page_long_fills_the_hole_it_left(
        make_issue: MakeIssue) -> None:
    """The 停电 notice (its 12-batch table, a 落款) is nearly a page: set whole, it does
    not fit under the story on page 1 and fills page 2, so the story after it opened
    page 3 and page 1 was left some 14 lines a column short. The plan sets that story
    before the notice (page_plan.moved_notice, which took only a story on the notice's
    own page): it fills page 1, the notice stays whole on page 2, and the issue is two
    pages."""
    from .test_notice_parts import CARE, LEAD, POWER

    lead = LEAD + "".join(f"      {REPAIR}\n\n" for _ in range(5))
    # Two of the notice's five paragraphs of care out: a page long, not more.
    power = POWER.replace(f"      {CARE[2]}\n", "").replace(f"      {CARE[3]}\n", "")
    power = power[:power.index("      ### 三、咨询和报修")] + power[power.index("    signature:"):]
    built = build_runs(make_issue(HEADER + lead + power + WASTE), store=False)
    pages = built.anchor_pages()
    assert built.page_count == 2
    assert pages["article-waste"] == 1
    assert pages["article-power"] == pages["article-power-foot"] == 2
    assert not [d for d in check_copyfit(built) if d.code == "copyfit.hole"
                and d.location is not None and d.location.page == 1
                and "under article 1" in d.message]
