"""A front page that holds the masthead and the contents only: the lead story's
headline, its two short first paragraphs and a tall portrait photo after them do not
fit under the contents (the photo would open the right column, too short for it, and
WeasyPrint then sets none of the story's columns there), so the whole story starts on
page 2. The page plan moves the photo after a later paragraph and the story starts on
page 1, which is full; without the plan, the check names the hole as above article 1,
and the hint says what brings it back (the photo)."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
from PIL import Image

from bulletin_press.build.pipeline import build, build_runs
from bulletin_press.checks.preflight import check_copyfit
from bulletin_press.layout.page_plan import SLACK
from bulletin_press.layout.prepare import prepare

from .conftest import MakeIssue

LEAD = (
    "各位居民朋友、同志们：\n\n"
    "辞旧迎新之际，我们代表中共虹桥镇委员会、虹桥镇人民政府，向全镇6.4万名居民、"
    "驻镇单位和所有关心虹桥发展的朋友们致以新春祝福！\n\n"
    + "\n\n".join(
        f"第{n}件实事：完成仙霞西路{n}88弄旧住房成套改造，新增养老床位{n}5张；"
        f"咨询电话021-6290 {n}123，详情见https://www.shcn.gov.cn/hq/ss-{n}.html，"
        "Community Hub每周二开放。" for n in range(1, 9)))

TITLES = ["关于2027年度城乡居民医保缴费的通知（长宁区新泾镇社区事务受理服务中心）",
          "数说2026：虹桥这一年", "天山西路DN500供水管道改造临时停水公告",
          "“我在虹桥过第五个中国年”——访Anna Kowalski", "长者食堂大厨教你做八宝饭",
          "寻物启事：5月3日在淞虹路地铁站遗失蓝色文件袋", "社区卫生服务中心招聘护士3名",
          "老旧小区加装电梯提速 今年计划完工40台", "春节期间门诊时间调整公告",
          "2月社区文化活动一览", "垃圾分类投放点新增破袋装置", "绿道二期工程开工",
          "暑托班报名：7月1日起在社区学校", "镜头里的虹桥2026"]


def _portrait() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1200, 1600), (120, 140, 160)).save(out, "JPEG", dpi=(300, 300))
    return out.getvalue()


def _manifest(after: int = 2) -> str:
    rest = "".join(
        f"  - id: a{n}\n    title: {title}\n    body: |\n"
        + "".join(f"      {title}第{p}段：办理地点天山西路345号，电话021-6238 50{n:02d}。\n\n"
                  for p in range(1, 4))
        for n, title in enumerate(TITLES, start=2))
    body = "".join(f"      {line}\n" if line else "\n" for line in LEAD.split("\n"))
    return (
        "newsletter: 虹桥社区报\npublisher: 中共长宁区虹桥镇委员会\n"
        "issue: {number: 1, date: 2027-01-01}\nlayout: two-column\narticles:\n"
        "  - id: lead\n    title: 凝心聚力绘就幸福虹桥新画卷 砥砺奋进开创高质量发展新局面\n"
        "    subtitle: ——中共虹桥镇委员会书记、虹桥镇镇长致全镇居民的新年贺词\n"
        "    photos:\n      - file: images/tall.jpg\n        caption: 镇党委书记走访居民\n"
        f"        placement: inline\n        after_paragraph: {after}\n"
        f"    body: |\n{body}" + rest)


def _issue(make_issue: MakeIssue) -> Path:
    return make_issue(_manifest(), {"images/tall.jpg": _portrait()}, name="front")


def short_columns(pdf: bytes, issue: Path, page: int) -> list[float]:
    """Lines each column of `page` ends short of the text area's foot, read from
    the PDF (the lowest text in each half of the page)."""
    g = prepare(issue).layout.geometry
    foot = g.page_height - g.margin_bottom
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        sheet = document.pages[page - 1]
        words = [w for w in sheet.extract_words() if w["bottom"] < foot + 2]
        middle = float(sheet.width) / 2
        halves = [[w for w in words if w["x1"] <= middle],
                  [w for w in words if w["x0"] >= middle]]
        return [(foot - max((w["bottom"] for w in half), default=0.0)) / g.line
                for half in halves]


def headline_page(pdf: bytes, text: str) -> int:
    """The page on which `text` is set as a headline (large type: not the contents)."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for number, sheet in enumerate(document.pages, start=1):
            large = "".join(c["text"] for c in sheet.chars if c["size"] >= 15)
            if text in large:
                return number
    return 0


def test_the_plan_moves_the_photo_and_the_lead_story_starts_on_page_1(
        make_issue: MakeIssue) -> None:
    issue = _issue(make_issue)
    built = build_runs(issue, store=False)
    assert built.anchor_pages()["article-lead"] == 1
    assert headline_page(built.pdf, "凝心聚力绘就幸福虹桥新画卷") == 1
    # Page 1 is full: no column more than SLACK lines short of its foot.
    short = short_columns(built.pdf, issue, 1)
    assert max(short) <= SLACK + 0.5, short
    assert not [d for d in check_copyfit(built) if d.code == "copyfit.hole"
                and d.location is not None and d.location.page == 1]
    # The photo is whole and as tall as the layout made it, or at least 75 % of that.
    one = build(issue, plan=False)
    with pdfplumber.open(io.BytesIO(one.pdf)) as document:
        natural = max(i["height"] for p in document.pages for i in p.images)
    with pdfplumber.open(io.BytesIO(built.pdf)) as document:
        heights = [i["height"] for p in document.pages for i in p.images]
    assert len(heights) == 1 and 0.75 * natural - 1 <= heights[0] <= natural + 1
    # The build says so, at the photo in issue.yaml.
    notes = [d for d in built.diagnostics if d.code == "layout.photo-moved"
             and "article 1" in d.message and "starts on page 1" in d.message]
    assert len(notes) == 1, [d.message for d in built.diagnostics]
    line = (issue / "issue.yaml").read_text(encoding="utf-8").splitlines().index(
        "        after_paragraph: 2") + 1
    assert notes[0].location is not None and notes[0].location.line == line
    assert "after paragraph 2" in notes[0].message and "page 2" in notes[0].message
    # The one-document build (check, archive) makes the same pages.
    checked = build(issue)
    assert checked.page_count == built.page_count
    assert checked.typeset.anchor_pages()["article-lead"] == 1


def test_a_hole_above_the_lead_story_names_it_and_its_photo(make_issue: MakeIssue) -> None:
    """As typeset without the plan (what the check says when nothing moves it)."""
    issue = _issue(make_issue)
    built = build(issue, plan=False)
    starts = built.typeset.anchor_pages()
    assert starts["article-lead"] == 2, starts  # the shape this test is about
    assert headline_page(built.pdf, "凝心聚力绘就幸福虹桥新画卷") == 2
    found = [d for d in check_copyfit(built) if d.code == "copyfit.hole"
             and d.location is not None and d.location.page == 1]
    assert found
    for d in found:
        assert "above article 1 《凝心聚力" in d.message and "starts on page 2" in d.message, \
            d.message
        assert "under article 1" not in d.message
        hint = d.hint or ""
        assert "after_paragraph" in hint and "article 2" not in hint, hint


def block(text: str) -> str:
    """`text` as a manifest's `body: |` block (six spaces in, blank lines kept)."""
    return "".join(f"      {line}\n" if line else "\n" for line in text.split("\n"))


def elevator_story(count: int) -> str:
    """`count` paragraphs of a lift-building story: street numbers, a company's
    English name, spaced phone numbers and a URL in each."""
    return "\n\n".join(
        f"第{n}条：仙霞路{n}20弄加装电梯工程已进入第{n}阶段，施工单位为上海建工二建集团"
        f"（Shanghai Construction No.2），居民可拨打021-6259 {n:04d}咨询，或登录"
        f"https://www.shcn.gov.cn/dt/{n}.html查看进度；工期约{n + 2}个月。"
        for n in range(1, count + 1))


def clinic_notice() -> str:
    """The 8 short paragraphs of a clinic's holiday-hours notice."""
    return "\n\n".join(f"第{n}段：仙霞街道社区卫生服务中心春节期间门诊时间调整，电话021-6290 "
                         f"11{n:02d}。" for n in range(1, 9))


def _later_manifest() -> str:
    """A long first story ending on page 2 (its last columns about 28 lines long),
    then a story whose two short first paragraphs and a portrait photo after them do
    not fit under it: any page, not only the front page."""
    first = elevator_story(22)
    second = ("各位居民：\n\n今年社区食堂将延长营业时间，早餐6:30开始供应，晚餐供应至19:30。\n\n"
              + "\n\n".join(f"第{n}项：淞虹路{n}8号“邻里汇”新增助餐点，每份套餐15元，80周岁以上"
                            f"老人补贴5元，预约电话021-5218 {n:04d}，网址"
                            f"https://www.shcn.gov.cn/zc/{n}.html。" for n in range(1, 7)))
    third = clinic_notice()
    return ("newsletter: 仙霞社区报\npublisher: 长宁区仙霞新村街道\n"
            "issue: {number: 3, date: 2027-03-01}\nlayout: two-column\narticles:\n"
            "  - id: dianti\n    title: 老旧小区加装电梯提速 今年计划完工40台\n    body: |\n"
            + block(first)
            + "  - id: shitang\n    title: 社区食堂延长营业时间 晚餐供应至19:30\n"
            "    subtitle: ——仙霞新村街道为老服务中心答居民问\n"
            "    photos:\n      - file: images/tall.jpg\n        caption: 厨师在为老人准备午餐\n"
            "        placement: inline\n        after_paragraph: 2\n    body: |\n"
            + block(second)
            + "  - id: tail\n    title: 春节期间门诊时间调整公告\n    body: |\n" + block(third))


def test_a_later_story_pushed_on_by_its_photo_starts_where_the_page_before_ends(
        make_issue: MakeIssue) -> None:
    issue = make_issue(_later_manifest(), {"images/tall.jpg": _portrait()}, name="later")
    plain = build(issue, plan=False)
    assert plain.typeset.anchor_pages()["article-shitang"] == 3  # the shape: page 2 short
    assert headline_page(plain.pdf, "社区食堂延长营业时间") == 3
    assert max(short_columns(plain.pdf, issue, 2)) > 8
    for built in (build_runs(issue, jobs=2, store=False), build(issue)):
        assert headline_page(built.pdf, "社区食堂延长营业时间") == 2
        short = short_columns(built.pdf, issue, 2)
        assert max(short) <= SLACK + 0.5, short
        with pdfplumber.open(io.BytesIO(plain.pdf)) as document:
            natural = max(i["height"] for p in document.pages for i in p.images)
        with pdfplumber.open(io.BytesIO(built.pdf)) as document:
            heights = [i["height"] for p in document.pages for i in p.images]
        assert len(heights) == 1 and 0.75 * natural - 1 <= heights[0] <= natural + 1
        assert [d for d in built.diagnostics if d.code == "layout.photo-moved"
                and "article 2" in d.message and "starts on page 2" in d.message]
