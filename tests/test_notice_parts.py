"""A notice longer than a page is set in parts, one a page: "（续下页）" at the foot of
the frame's first part, "（续）" after its title repeated small at the top of the next,
each part in a closed frame (layout/notice_parts.py). Before, it broke at the page's
foot without a mark, its frame open at the cut."""

from __future__ import annotations

import io
import itertools
import re
from typing import Any, cast

import pdfplumber
import pytest

from bulletin_press.build.pipeline import Assembled, Built, build, build_runs
from bulletin_press.layout.context import ArticleContext
from bulletin_press.layout.notice_parts import parts, split_flows
from bulletin_press.layout.prepare import prepare
from bulletin_press.pdf.text import Line, lines_of

from .conftest import HEADER, MakeIssue
from .test_kept_together import BOX


def _body(paragraphs: list[str]) -> str:
    return "\n".join(f"      {p}\n" for p in paragraphs)


LEAD = """\
  - id: lead
    title: 新泾镇启动“美丽家园”小区综合改造
    body: |
""" + _body([
    "为做好辖区二次供水设施改造，新泾镇自来水服务所将于2027年3月分片施工。施工期间请居民"
    "提前储水，关好水龙头，防止来水后跑水。详情可登录www.xinjing.gov.cn/water查询。",
    "今年的改造涉及12个小区、共计8,460户居民，总投资约3,200万元，计划于2027年6月底前全部完工。"])

BATCHES = [
    ("新泾一村1—24号、新泾二村全部", "3月2日（周二）8:00—16:00", "张建国 021-62781234转8012"),
    ("天山西路1088弄1—36号", "3月3日（周三）8:30—15:30", "李梦洁 13816620987"),
    ("北翟路1500弄（Vanke Garden东区）", "3月4日（周四）8:00—12:00", "Emily Chen 400-820-1234"),
    ("哈密路1955号、1977弄", "3月5日（周五）22:00—次日5:30", "王晓峰 021-52190876"),
    ("剑河路585弄、泉口路200弄", "3月9日（周二）8:00—16:00", "赵丽华 13917765432"),
    ("新泾五村、新泾六村1—52号", "3月10日（周三）8:00—17:00", "周海涛 021-62789900"),
    ("福泉北路389号（长宁临空产业园）", "3月11日（周四）0:00—6:00", "孙志明 18621118899"),
    ("协和路1178弄、淞虹路555号", "3月12日（周五）8:30—14:30", "吴敏 021-62205566转302"),
    ("平塘路、紫云西路沿街商铺", "3月16日（周二）22:00—次日6:00", "郑晓东 13601887766"),
    ("虹井路、金钟路口（SOHO天山广场）", "3月17日（周三）8:00—16:00", "陈佳 021-62598877"),
    ("新泾七村、新泾八村全部", "3月18日（周四）8:00—17:30", "刘强 13788991122"),
    ("仙霞西路、双流路沿线", "3月19日（周五）9:00—15:00", "黄燕 021-62741188"),
]
TABLE = "\n".join(
    ["      | 批次 | 停电范围（小区、门牌） | 停电时间 | 现场联系人及电话 |",
     "      | --- | --- | --- | --- |"]
    + [f"      | {n} | {a} | {t} | {c} |" for n, (a, t, c) in enumerate(BATCHES, 1)]) + "\n"

# Paragraphs of the notice, in order: each is looked for once, whole, in the PDF.
OPENING = [
    "为提高新泾地区电网供电可靠性，满足迎峰度夏用电需求，国网上海市电力公司长宁供电公司"
    "（以下简称“供电公司”）定于2027年3月对新泾地区10千伏配电线路及开关站进行集中检修改造。"
    "检修期间，部分小区、商铺及单位将计划停电。现将有关事项通知如下：",
    "本次检修共分十二个批次进行，每批次停电时间原则上不超过8小时。如遇雨雪、大风等恶劣天气，"
    "检修将顺延，顺延日期另行通知。各批次停电范围、时间和现场联系人如下：",
]
CARE = [
    "停电期间，请用户将电器开关置于关闭位置，切勿私自接用临时电源或使用小型发电机，防止来电时"
    "损坏电器或发生反送电伤人事故。家中有冰箱、冷柜的用户，请提前做好食品储存安排。",
    "使用家用呼吸机、制氧机等医疗设备的居民，请于检修前三天与所在居民区联系登记，供电公司将"
    "安排应急发电车或提供移动电源保障。独居老人、行动不便的居民，居委会将逐户上门告知并提供帮助。",
    "住宅电梯在停电期间停止运行。请各物业公司提前在电梯厅张贴告示，并安排专人值守，防止人员"
    "被困。如发生困梯，请立即拨打电梯内应急电话或110、119报警。",
    "沿街商铺、餐饮企业请合理安排经营，停电期间不得使用明火照明；使用燃气的餐饮单位应在停电前"
    "关闭燃气总阀，来电后检查确认无异常再恢复使用。",
    "二次供水泵房停电期间，高层住户可能出现水压不足或短时停水，请提前储水。来水初期水质可能"
    "浑浊，请放水3—5分钟后再使用。",
]
HELP = [
    "用户如有疑问，可拨打国家电网24小时供电服务热线95598，或登录“网上国网”App、国网上海电力"
    "官网（www.sh.sgcc.com.cn/outage/2027-03）查询停电信息。停电信息也将通过“新泾镇”微信"
    "公众号（ID: xinjing_sh）和各居民区微信群同步发布。",
    "检修工作如提前完成，将立即恢复送电，恢复送电时不再另行通知。请用户在停电期间始终视线路和"
    "设备为带电状态，不得攀爬电杆、触碰导线和开关设备，确保人身安全。",
    "因检修给广大用户生活、工作带来不便，敬请谅解。感谢各位居民、各有关单位对供电工作的理解和支持！",
    "请各居民区、物业公司做好宣传告知工作，于2027年2月28日前将本通知张贴至每个楼道口，并在居民"
    "微信群转发。对有特殊用电需求的居民（如居家透析、使用医疗设备者），请于3月1日前汇总报送"
    "镇城运中心（电话021-62783300，邮箱chengyun@xinjing.example.cn）。",
]
TITLE = "关于2027年3月新泾地区电网检修计划停电的通知"
POWER = f"""\
  - id: power
    kind: notice
    title: {TITLE}
    subtitle: 国网上海长宁供电公司〔2027〕第7号
    body: |
      各居民区、各有关单位及广大用户：

{_body(OPENING[:1])}
      ### 一、停电范围和时间

{_body(OPENING[1:])}
{TABLE}
      ### 二、停电期间注意事项

{_body(CARE)}
      ### 三、咨询和报修

{_body(HELP)}
    signature:
      issuer: [国网上海市电力公司长宁供电公司, 新泾镇城市运行管理中心]
      date: 2027年2月25日
"""

ACCENT = (176, 31, 36)  # layout.yaml's rule colour: the notice's frame


def _pages(pdf: bytes) -> list[list[Line]]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [lines_of(page) for page in doc.pages]


def _on(pages: list[list[Line]], text: str) -> list[tuple[int, Line]]:
    return [(number, line) for number, lines in enumerate(pages, start=1)
            for line in lines if text in line.text.replace(" ", "")]


def _rule_rows(pdf: bytes, page: int, top: float, bottom: float) -> list[float]:
    """Rows (in pt from the page's top, between `top` and `bottom`) where the frame's
    colour runs across most of the measure: its closing rules."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    scale = 2.0
    image: Any = document[page - 1].render(scale=scale).to_pil().convert("RGB")
    width = image.width
    rows: list[float] = []
    for y in range(int(top * scale), min(int(bottom * scale), image.height)):
        red = sum(1 for x in range(0, width, 2)
                  if all(abs(a - b) < 40 for a, b in zip(image.getpixel((x, y)), ACCENT,
                                                          strict=True)))
        if red * 2 > 0.6 * width:
            rows.append(y / scale)
    return rows


@pytest.mark.slow
@pytest.mark.parametrize("runs", [True, False])
def test_a_notice_longer_than_a_page_goes_on_with_marks(make_issue: MakeIssue,
                                                         runs: bool) -> None:
    folder = make_issue(HEADER + LEAD + POWER + BOX)
    built: Built | Assembled = build_runs(folder, store=False) if runs else build(folder)
    pages = _pages(built.pdf)
    # The headline (the title's other line is its contents entry, on page 1).
    first = [n for n, line in _on(pages, TITLE) if "续" not in line.text][-1]
    outs = _on(pages, "（续下页）")
    ins = _on(pages, TITLE + "（续）")
    assert outs and len(outs) == len(ins)
    assert [n for n, _ in outs] == list(range(first, first + len(outs)))
    assert [n for n, _ in ins] == [n + 1 for n, _ in outs]
    for (page, out), (_, again) in zip(outs, ins, strict=True):
        # The marks end a part and open the next: nothing of the notice below
        # （续下页） on its page (the folio aside), nothing above the repeated title
        # but the running head.
        assert out.top >= max(line.top for line in pages[page - 1] if "—" not in line.text) - 1
        below_head = [line.top for line in pages[page] if line.top > again.top - 30]
        assert again.top <= min(below_head) + 1
        # Each part in a closed frame: a rule across the measure under （续下页）, and
        # one above the repeated title on the next page.
        assert _rule_rows(built.pdf, page, out.top + 8, out.top + 40)
        assert _rule_rows(built.pdf, page + 1, again.top - 40, again.top)
    # Every paragraph of the notice whole, once, in order, the marks between two of them.
    text = "".join(line.text for lines in pages for line in lines).replace(" ", "")
    order = ["各居民区、各有关单位及广大用户：", OPENING[0], "一、停电范围和时间", OPENING[1],
             "张建国", "黄燕", "二、停电期间注意事项", *CARE, "三、咨询和报修", *HELP,
             "新泾镇城市运行管理中心", "2027年2月25日"]
    found = [text.find(p.replace(" ", "")) for p in order]
    assert -1 not in found, [p for p, at in zip(order, found, strict=True) if at < 0]
    assert found == sorted(found)
    assert all(text.count(p.replace(" ", "")) == 1 for p in order)
    for mark in (m.start() for m in re.finditer("（续下页）", text)):
        assert any(a < mark < b for a, b in itertools.pairwise(found))


def _notice(body_items: int) -> ArticleContext:
    item = {"kind": "paragraph", "figure": None}
    body = [{**item, "anchor": f"article-n-item-{i + 1}", "end": f"article-n-item-{i + 1}-end"}
            for i in range(body_items)]
    notice: Any = {"id": "n", "anchor": "article-n", "text_anchor": "text-n", "kind": "notice",
                   "continued": False, "start": "new-page", "body": body, "qr": None,
                   "signature": {"lines": ["镇政府"]}}
    return cast(ArticleContext, notice)


def test_the_cut_goes_before_the_first_item_that_did_not_end_on_the_first_page() -> None:
    notice = _notice(6)
    # Items 1-3 on page 2; item 4 starts on page 2 and ends on page 3.
    pages = {"article-n": 2, **{f"article-n-item-{i}": 2 for i in range(1, 5)},
             **{f"article-n-item-{i}-end": 2 for i in range(1, 4)},
             "article-n-item-4-end": 3, "article-n-item-5": 3, "article-n-item-5-end": 3,
             "article-n-item-6": 3, "article-n-item-6-end": 3}
    cut = parts([[notice]], pages, {}, [], 41)
    assert cut == {"n": ((3, 0),)}
    split = split_flows([[notice]], cut)
    assert [len(flow[0]["body"]) for flow in split] == [3, 3]
    assert split[0][0].get("goes_on") and split[0][0]["signature"] is None
    assert split[1][0]["continued"] and split[1][0]["start"] == "new-page"
    assert split[1][0]["signature"] == {"lines": ["镇政府"]}
    # Measured again in parts: both parts ended on their pages, the cut stays.
    pages2 = {**pages, "article-n-part-2": 3, "article-n-item-4": 3}
    assert parts(split, pages2, cut, [], 41) == cut
    # A notice that fits its page is not cut.
    fits = {"article-n": 1, "article-n-item-1": 1, "article-n-item-2": 1,
            "article-n-item-2-end": 1}
    assert parts([[_notice(2)]], fits, {}, [], 41) == {}
    # One that moved on whole from a page it left 20 lines short, where it did not fit
    # under the text, and broke overleaf: it flows from there first, not yet cut.
    short = [[21, 20], [41, 41]]
    assert parts([[notice]], pages, {}, short, 41) == cut  # it started a new page
    assert parts([[{**notice, "start": "continue"}]], pages, {}, short, 41) == {"n": ()}
    flowing = split_flows([[notice]], {"n": ()})
    assert len(flowing) == 1 and flowing[0][0].get("flows_on")


def test_a_notice_s_items_carry_their_ids(make_issue: MakeIssue) -> None:
    context = prepare(make_issue(HEADER + POWER)).context.context
    [notice] = context["articles"]
    items = [i for i in notice["body"] if i["kind"] != "figure"]
    assert all(i["anchor"] and i.get("end") for i in items)
    assert context["notice_marks"] == ("（续下页）", "（续）")


def test_a_notice_whose_signature_went_on_alone_takes_its_last_item_along() -> None:
    """All its items ended on page 2, its 落款 on page 3: the last item goes with it to
    the next part, which the 落款 (and （续）) then do not open alone."""
    notice = _notice(4)
    pages = {"article-n": 2, "article-n-foot": 3,
             **{f"article-n-item-{i}": 2 for i in range(1, 5)},
             **{f"article-n-item-{i}-end": 2 for i in range(1, 5)}}
    assert parts([[notice]], pages, {}, [], 41) == {"n": ((3, 0),)}


def test_a_subhead_after_a_notice_s_table_stays_on_the_grid(make_issue: MakeIssue) -> None:
    """The table's margin below and the subhead's blank line above collapsed into one
    18pt: with the table's 1pt rule, every line under it sat 1pt off the grid both
    columns share (`typography.off-grid`, the outside tester's 征兵 notice)."""
    rows = "\n".join(f"      | {n} | {a} | {t} | {c} |"
                     for n, (a, t, c) in enumerate(BATCHES[:3], 1))
    notice = f"""\
  - id: power
    kind: notice
    title: {TITLE}
    body: |
      各居民区、各有关单位及广大用户：

{_body(OPENING[1:])}
      | 批次 | 停电范围（小区、门牌） | 停电时间 | 现场联系人及电话 |
      | --- | --- | --- | --- |
{rows}

      ### 二、停电期间注意事项

{_body(CARE[:2])}
"""
    built = build(make_issue(HEADER + notice))
    with pdfplumber.open(io.BytesIO(built.pdf)) as doc:
        chars = [c for c in doc.pages[0].chars if abs(c["size"] - 10.5) < 0.1]
    tops = sorted({round(c["top"], 2) for c in chars})
    line = built.prepared.layout.geometry.line
    assert any(t > tops[0] + 10 * line for t in tops)  # lines under the table
    assert all(abs((t - tops[0]) / line - round((t - tops[0]) / line)) < 0.02 for t in tops), \
        [round((t - tops[0]) % line, 2) for t in tops]
