"""An issue whose page 2 ends short before an article that starts a new page: a
story with a subhead, a table of addresses and phone numbers, a list, a quote
and its 落款 — the blocks the page plan spreads the page's room between."""

from __future__ import annotations

from .plan_issues import paragraph

TABLE = """\
      | 服务点 | 地址 | 电话 |
      | --- | --- | ---: |
      | 新泾镇社区事务受理服务中心 | 天山西路345号一楼 | 021-6238 2100 |
      | 北虹路便民服务站（Service Point） | 北虹路1088弄12号 | 021-6238 7720 |
      | 哈密路为老服务中心 | 哈密路1号乙 | 021-6233 0110 |"""


def manifest(second: int, third: int = 4) -> str:
    """Article 2 (page 2) has `second` paragraphs around its other blocks."""
    lines = ["newsletter: 新泾通讯", "publisher: 长宁区新泾镇",
             "issue: {number: 7, volume: 251, date: 2024-07-10}",
             "colophon:", "  office: 《新泾通讯》编辑部", "  address: 上海市长宁区新泾镇哈密路1号",
             "  phone: 021-62330000", "  note: 内部资料 免费赠阅", "articles:"]
    lines += ["  - id: lead", "    section: 要闻",
              "    title: 社区事务受理服务中心延长服务时间 晚间也能办理居住证和社保卡",
              "    body: |"]
    lines += [f"      {paragraph(0, i)}\n" for i in range(7)]
    lines += ["  - id: services", "    section: 服务", "    layout: {start: new-page}",
              "    title: 十五分钟社区生活圈服务点一览 www.xinjing.gov.cn/15min 可查",
              "    signature: {issuer: 新泾镇社区事务受理服务中心, date: 2024-07-08}",
              "    body: |"]
    body = [paragraph(1, i) for i in range(second)]
    half = max(1, second // 2)
    lines += [f"      {p}\n" for p in body[:half]]
    lines += ["      ### 服务点地址和电话（Service Points）\n", TABLE, ""]
    lines += ["      办理时需要携带的材料：\n",
              "      1. 本人身份证或社保卡（Social Security Card）",
              "      2. 户口簿或居住证，委托办理的另带委托书",
              "      3. 相关证明材料的原件和复印件\n",
              "      > 晚上下班后也能办社保卡，再也不用请假跑窗口了。——北虹路1088弄居民 王女士\n"]
    lines += [f"      {p}\n" for p in body[half:]]
    lines += ["  - id: elections", "    section: 自治", "    layout: {start: new-page}",
              "    title: “15分钟社区生活圈”议事会听取居民建议", "    body: |"]
    lines += [f"      {paragraph(2, i)}\n" for i in range(third)]
    return "\n".join(lines) + "\n"
