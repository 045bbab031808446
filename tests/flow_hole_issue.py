"""An issue of articles that flow one after another (no new pages), each under a
tall head across the columns (栏目, a headline of two lines, a subtitle), with
subheads, a table of addresses and phone numbers in a column, web addresses and English
words: a page where the article that ends on it began on the page before is
left short when the next head does not fit under it (flow-16's page 8)."""

from __future__ import annotations

from .plan_issues import paragraph

TABLE = """\
      | 站点 | 地址 | 电话 |
      | --- | --- | ---: |
      | 睦邻中心 | 哈密路1号乙 | 021-6233 0110 |
      | 长者食堂 | 北虹路1088弄 | 021-6238 7720 |"""

HEADS = [
    ("要闻", "奋进新征程 共创新业绩",
     "新泾镇第十六届党员代表大会第二次会议在镇会议中心隆重举行"),
    ("民生", "十五分钟社区生活圈|服务点地图上线",
     "扫码或访问www.xinjing.gov.cn/15min查询身边的37个服务点"),
    ("城建", "北虹路小区加装电梯|进入收尾阶段",
     "Shanghai Elevator Co.承诺月底前通过特种设备检验"),
    ("自治", "议事会听取居民建议|停车难晾晒难有了新办法",
     "新泾家园第三居民区“15分钟社区生活圈”议事会侧记"),
    ("文化", "“睦邻微课堂”开讲|志愿者教老人用电子医保凭证",
     "天山路街道与新泾镇联合举办，第12期报名电话021-6268 0912"),
]
SUBHEADS = ["一、聚焦民生实事", "二、服务点地址和电话（Service Points）", "三、下一步工作安排"]


def more(article: int, count: int) -> str:
    """`count` sentences of about a column line and a half each, to make an article's last
    paragraph longer by about that many lines."""
    return "".join(f"详情请咨询第{article + count - k}居民区居委会"
                   f"（电话021-6238 {1200 + k}转{8010 + k}）。" for k in range(count))


def manifest(counts: list[int], longer: dict[int, int] | None = None) -> str:
    """Articles of counts[i] paragraphs, a subhead before each third of them; the
    second article has the table; article i's last paragraph `longer[i]` lines longer."""
    lines = ["newsletter: 新泾通讯", "publisher: 长宁区新泾镇",
             "issue: {number: 8, volume: 252, date: 2024-08-10}",
             "colophon:", "  office: 《新泾通讯》编辑部", "  address: 上海市长宁区新泾镇哈密路1号",
             "  phone: 021-62330000", "  note: 内部资料 免费赠阅", "articles:"]
    for number, count in enumerate(counts):
        section, title, subtitle = HEADS[number % len(HEADS)]
        lines += [f"  - id: flow-{number + 1}", f"    section: {section}",
                  f"    title: {title}", f"    subtitle: {subtitle}", "    body: |"]
        third = max(1, count // 3)
        for index in range(count):
            if index and index % third == 0 and index // third <= len(SUBHEADS):
                lines += [f"      ### {SUBHEADS[index // third - 1]}", ""]
                if number == 1 and index // third == 2:
                    lines += [TABLE, ""]
            tail = more(number + 1, (longer or {}).get(number, 0)) if index == count - 1 else ""
            lines += [f"      {paragraph(number + 10, index)}{tail}", ""]
    return "\n".join(lines) + "\n"
