"""A spill taken back (issue 18, item 1): with `pages: 4` planned, the lead story
ran two lines onto page 2, and the notice after it starts a new page, so page 2
held those two lines only and the issue took 5 pages (copyfit.spill said "cut 2
lines"). The plan now takes them back with the lead's own means on page 1 (its
photo made smaller, within 75 %): page 2 goes and the issue fills its 4 pages
(build/page_fit.py, page_plan.spill_back). Made from planfit's stress issues
(a generated 4-page issue about ¼ page too short for its pages: a lead story with
a photo and subheads, a 停水 notice with a 5-row table, a 温馨提示 box, a long
长者食堂 story with two photos)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from bulletin_press.build.pipeline import build, build_runs

from .conftest import MakeIssue
from .test_page_plan import (
    _columns_used,
    _write,
    assert_colophon_at_foot,
    assert_no_holes,
    assert_paragraphs_once_in_order,
)

pytestmark = pytest.mark.slow

LIFT = [
    "记者从镇城建办获悉，今年以来新泾镇既有多层住宅加装电梯工作持续提速，截至10月底已完工47台、在建23台，"
    "惠及居民1,180余户，其中新泾六村、北虹小区两个“成片加装”项目进展最快。",
    "“以前下楼买菜要歇两回，现在按一下按钮就到家门口了。”家住新泾六村8号的陈老伯今年81岁，他所在的门栋"
    "是小区第一批完成加装的，从意见征询到投入使用只用了七个多月。",
    "过去加装电梯往往是一个门栋单独征询、单独设计、单独施工，周期长、成本高。今年起镇里推行“统一设计、统一"
    "招标、统一施工”，单台造价平均下降约8%，工期缩短近一个月。",
    "为打消低层住户的顾虑，各居民区搭建了“加梯议事会”，由居民代表、物业、设计单位和律师共同参与，逐户沟通"
    "采光、噪声和补偿等问题，前后开了18次协调会。",
    "### 从“一栋一议”到“成片推进”",
    "新泾八村31号门栋一楼住户李阿姨说：“设计单位专门做了日照分析，还把电梯井往外挪了半米，我们心里踏实了。”"
    "如今她也常坐电梯到楼上邻居家串门。",
    "据介绍，加装电梯的市、区两级财政补贴为每台最高28万元，符合条件的门栋还可申请提取住房公积金。详情可咨询"
    "镇加装电梯工作专班，电话021-6238 5080转8028。",
    "施工期间，项目部在楼道口张贴了施工公告和负责人电话，每天8:00至12:00、13:00至18:00作业，渣土当天清运，"
    "居民反映的噪声、扬尘问题均在24小时内答复。",
    "下一步，镇里将把北翟路沿线的6个老旧小区纳入明年“成片加装”计划，同步推进管线迁移和绿化调整，力争2027年"
    "底前实现“能加尽加、应加快加”。",
    "### 补贴怎么申请",
    "有加装意向的居民可先向所在居委会咨询，也可登录“一网通办”"
    "https://zwdt.sh.gov.cn/govPortals/xinjing 查询办事指南，或关注“新泾镇”微信公众号留言。",
]

WATER = "\n\n".join([
    "尊敬的住户：",
    "因天山西路DN500供水管道改造工程需要，上海城投水务（集团）有限公司将对下列小区实施临时停水。"
    "请各位住户提前做好储水准备，停水期间关闭家中水龙头，避免恢复供水时跑水。",
    "\n".join([
        "| 日期 | 停水时间 | 影响范围 |",
        "| --- | --- | --- |",
        "| 12月10日（周三） | 22:00至次日6:00 | 天山西路1088弄1—24号、新泾六村 |",
        "| 12月11日（周四） | 9:00至17:00 | 淞虹路800弄、北翟路1500弄（Vanke Garden东区） |",
        "| 12月12日（周五） | 22:00至次日4:30 | 新泾八村31—58号楼及沿街商铺 |",
        "| 12月13日（周六） | 8:00至14:00 | 哈密路1999弄、天山五村1—40号 |",
        "| 12月14日（周日） | 23:00至次日5:00 | 北虹路1120弄、新泾家园 |"]),
    "恢复供水时间如有调整，以小区公告栏和居委会微信群通知为准。咨询电话：021-6238 5001"
    "（工作日8:30—17:00）；24小时供水服务热线：962777。给您带来的不便，敬请谅解！"])

TIPS = [
    "- **燃气安全**：外出前请关闭燃气总阀，发现燃气泄漏请立即开窗通风，到室外拨打962777。",
    "- **防范诈骗**：凡是自称“公检法”要求转账的都是诈骗！如有疑问请拨打反诈专线96110。",
    "- **冬季用电**：取暖器远离窗帘、被褥，人走断电；电热毯不要折叠使用。",
    "- **出行提示**：地铁15号线天山西路站3号口12月起临时封闭，请从1号口进出。",
]

CANTEEN = [
    "社区长者食堂开业第{n}天，日均接待老人320人次，最忙时队伍排到了门外。食堂经理周海涛说，菜品每周更新，"
    "午餐一荤两素12元，80岁以上老人再打九折。",
    "家住天山五村{n}号的王阿姨今年78岁，老伴住院后她一个人做饭总是凑合。“现在走5分钟就到，热菜热汤，还能和"
    "老姐妹聊聊天，比一个人在家吃饭香多了。”",
    "食堂的后厨是开放式的，隔着玻璃就能看到厨师切配、烹饪的全过程。第{n}周的菜单和食材来源都写在门口的小黑板上，"
    "老人们说这叫“吃得明白、吃得放心”。",
    "针对行动不便的老人，食堂还推出了送餐上门服务，由社区志愿者骑电动车配送，每份只加收2元配送费。订餐电话"
    "021-6238 1234转8{n:03d}，每天上午10点前预订。",
    "“能不能多做点软烂的菜？”“周末能不能开门？”开业以来，食堂收到了{n}条意见建议。根据老人们的反馈，食堂增加"
    "了菜泥、粥品等适合老人的菜品，并从本月起周六中午照常供餐。",
    "镇民政科介绍，今年全镇计划再建两家长者食堂，分别位于北翟路和哈密路，建成后全镇15分钟社区生活圈内的老人都"
    "能就近吃上热饭，第{n}期菜单可在“新泾镇”微信公众号查询。",
    "除了吃饭，食堂也成了老人们的社交场所。午饭后，不少老人留下来下象棋、看报纸，社区卫生服务中心的家庭医生"
    "每周二还会来这里量血压，已办了{n}期健康讲座。",
    "食堂运营方负责人Lisa Chen说，食堂采用“政府补贴一点、企业让利一点、个人承担一点”的模式，"
    "每天的就餐人数、成本和补贴都有台账，已公示{n}期，接受居民监督。",
]
CANTEEN_HEADS = ["一碗热饭里的民生", "送餐上门", "还要再建两家"]


def _canteen(count: int) -> list[str]:
    """`count` paragraphs (each with its own number), a subhead after every fourth."""
    out: list[str] = []
    for i in range(count):
        out.append(CANTEEN[i % len(CANTEEN)].format(n=10 + i * 5))
        if i % 4 == 3 and i < count - 1:
            out.append("### " + CANTEEN_HEADS[(i // 4) % len(CANTEEN_HEADS)])
    return out


def _body(blocks: list[str]) -> str:
    return "".join("      " + line + "\n" if line else "\n"
                   for block in blocks for line in [*block.split("\n"), ""])


def _photo(seed: int) -> bytes:
    """A photo-like picture (blocks of colour), 1600×1100."""
    image = Image.new("RGB", (1600, 1100), (90 + seed * 40, 140, 170))
    draw = ImageDraw.Draw(image)
    for i in range(40):
        x, y = (i * 397 + seed * 131) % 1500, (i * 251 + seed * 71) % 1000
        draw.rectangle([x, y, x + 120 + i * 7 % 300, y + 90 + i * 11 % 250],
                       fill=((i * 53) % 256, (i * 97 + seed) % 256, (i * 31) % 256))
    path = Path(f"/tmp/_spill_{seed}.jpg")
    image.save(path, quality=88)
    data = path.read_bytes()
    path.unlink()
    return data


def _issue(make_issue: MakeIssue, canteen: int, pages: int | None = 4) -> Path:
    planned = f"pages: {pages}\n" if pages else ""
    manifest = f"""\
newsletter: 新泾社区报
publisher: 长宁区新泾镇人民政府
issue: {{number: 1, volume: 31, date: 2026-12-01}}
layout: two-column
{planned}colophon:
  office: 《新泾社区报》编辑部
  address: 上海市长宁区天山西路345号（新泾镇社区事务受理服务中心3楼）
  postcode: "200335"
  phone: 021-6238 5000转8012
  email: sqb@xinjing.example.cn
  note: 内部资料 免费赠阅
  qr:
    url: https://weixin.qq.com/r/xinjing-sqb-2026
    caption: 扫码关注“新泾社区报”
articles:
  - id: lift
    section: 城建
    title: 既有多层住宅加装电梯提速 今年已完工47台
    byline: 记者 周明轩
    photos:
      - {{file: images/lift.jpg, caption: 新泾六村完成加装的电梯}}
    body: |
{_body(LIFT)}  - id: water
    kind: notice
    section: 公告
    title: 关于天山西路沿线小区临时停水的通知
    layout: {{start: new-page}}
    body: |
{_body([WATER])}    signature:
      issuer: 新泾镇人民政府
      date: 2026-11-28
  - id: tips
    kind: box
    title: 温馨提示
    body: |
{_body(TIPS)}  - id: canteen
    section: 民生
    title: 家门口的长者食堂开张了
    photos:
      - {{file: images/canteen-1.jpg, caption: 老人们在长者食堂用午餐,
         placement: inline, after_paragraph: 2}}
      - {{file: images/canteen-2.jpg, caption: 志愿者为行动不便的老人送餐上门,
         placement: inline, after_paragraph: 5}}
    body: |
{_body(_canteen(canteen))}"""
    files: dict[str, bytes | str | Path] = {
        "images/lift.jpg": _photo(1), "images/canteen-1.jpg": _photo(2),
        "images/canteen-2.jpg": _photo(3)}
    return make_issue(manifest, files, name=f"spill-{canteen}-{pages}")


CANTEEN_PARAGRAPHS = 24  # 4 pages and about a quarter of a page before the plan


def test_the_issue_as_typed_spills_onto_page_2(make_issue: MakeIssue, tmp_path: Path) -> None:
    """The case itself, without a plan: page 2 holds the lead's last lines only."""
    natural = build(_issue(make_issue, CANTEEN_PARAGRAPHS, pages=None), plan=False)
    assert natural.page_count == 5
    assert 0 < sum(_columns_used(_write(natural, tmp_path / "natural.pdf"))[1]) <= 6


@pytest.mark.parametrize("runs", [True, False], ids=["runs", "one-document"])
def test_a_spill_before_a_new_page_is_taken_back(make_issue: MakeIssue, tmp_path: Path,
                                                 runs: bool) -> None:
    issue = _issue(make_issue, CANTEEN_PARAGRAPHS)
    built = build_runs(issue, store=False) if runs else build(issue)
    pdf = _write(built, tmp_path / "spill.pdf")
    codes = [d.code for d in built.diagnostics]
    assert built.page_count == 4, codes
    assert "copyfit.spill" not in codes and "copyfit.plan" not in codes
    assert_paragraphs_once_in_order(issue, pdf)
    assert_no_holes(pdf)
    assert_colophon_at_foot(pdf, 4)
    # Page 1 holds the whole lead, page 2 opens with the notice: no page of a few lines.
    assert min(sum(fill) for fill in _columns_used(pdf)[:-1]) > 70
