"""A front page that holds the masthead and the contents only: the lead story's
headline, its two short first paragraphs and a tall portrait photo after them do not
fit under the contents, so the whole story starts on page 2. The hole on page 1 is
above article 1, not under it, and the hint says what brings it back (the photo)."""

from __future__ import annotations

import io

from PIL import Image

from bulletin_press.build.pipeline import build_runs
from bulletin_press.checks.preflight import check_copyfit

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


def test_a_hole_above_the_lead_story_names_it_and_its_photo(make_issue: MakeIssue) -> None:
    rest = "".join(
        f"  - id: a{n}\n    title: {title}\n    body: |\n"
        + "".join(f"      {title}第{p}段：办理地点天山西路345号，电话021-6238 50{n:02d}。\n\n"
                  for p in range(1, 4))
        for n, title in enumerate(TITLES, start=2))
    body = "".join(f"      {line}\n" if line else "\n" for line in LEAD.split("\n"))
    manifest = (
        "newsletter: 虹桥社区报\npublisher: 中共长宁区虹桥镇委员会\n"
        "issue: {number: 1, date: 2027-01-01}\nlayout: two-column\narticles:\n"
        "  - id: lead\n    title: 凝心聚力绘就幸福虹桥新画卷 砥砺奋进开创高质量发展新局面\n"
        "    subtitle: ——中共虹桥镇委员会书记、虹桥镇镇长致全镇居民的新年贺词\n"
        "    photos:\n      - file: images/tall.jpg\n        caption: 镇党委书记走访居民\n"
        "        placement: inline\n        after_paragraph: 2\n"
        f"    body: |\n{body}" + rest)
    issue = make_issue(manifest, {"images/tall.jpg": _portrait()}, name="front")
    built = build_runs(issue, store=False)
    starts = built.anchor_pages()
    assert starts["article-lead"] == 2, starts  # the shape this test is about
    found = [d for d in check_copyfit(built) if d.code == "copyfit.hole"
             and d.location is not None and d.location.page == 1]
    assert found
    for d in found:
        assert "above article 1 《凝心聚力" in d.message and "starts on page 2" in d.message, \
            d.message
        assert "under article 1" not in d.message
        hint = d.hint or ""
        assert "after_paragraph" in hint and "article 2" not in hint, hint
