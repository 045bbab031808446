"""An issue whose lead story ends about half way down page 2, before an article
with `start: new-page`: long headlines with a subtitle, addresses, phone
numbers, web addresses, English words, a table of service points. Every
paragraph is different, so that it can be found once, whole, in the PDF."""

from __future__ import annotations

_LEAD = [
    "镇房屋管理办公室介绍，今年纳入改造的哈密路{n}弄、北虹路{m}弄等小区建成于上世纪九十年代，"
    "屋面渗漏、外墙空鼓和雨污混接问题较为突出，改造内容包括屋面防水、外立面整治和管线入地。",
    "施工期间，项目部在每个小区门口设置公示牌，写明施工单位、监理单位和投诉电话021-6290{p:04d}，"
    "居民也可以通过“随申办”小程序的“家门口”栏目反映问题，工作人员承诺{d}个工作日内答复。",
    "据测算，第{n}号楼改造后每户平均增加储物面积约{d}平方米，楼道照明全部更换为声控LED灯，"
    "设计单位Tongji Architectural Design（同济设计院）还为底层住户加装了防潮层。",
    "居民区党总支书记说，前期已召开{d}次“三会”听取意见，楼组长挨家挨户上门解释方案，"
    "第{n}次议事会上有居民提出晾衣架位置的问题，设计图纸随即作了调整。",
    "镇城运中心提醒，改造期间仙霞西路{m}号至{n}号路段夜间施工时间为22:00前，"
    "如遇噪声扰民可拨打12345市民热线，或登录www.shcn.gov.cn/xinjing/gz{n}留言。",
    "项目预计分{d}个批次完成，每批次工期约四个月；完工后由第三方机构Bureau Veritas（必维）"
    "进行质量抽检，检测报告将在居委会公告栏和“新泾e家”公众号同步公布，编号XJ-{n}。",
]

_CARE = [
    "长期护理保险（Long-term Care Insurance，简称“长护险”）面向年满60周岁、参加本市职工医保"
    "或居民医保的老人，经评估失能等级为二至六级的，可以享受居家或机构护理服务，第{n}号政策解读见下。",
    "申请人或家属可以携带身份证、医保卡到社区事务受理服务中心（天山西路{m}号一楼）办理，"
    "也可以在“随申办”App搜索“长护险申请”在线提交，咨询电话021-6238{p:04d}。",
    "评估人员会在受理后{d}个工作日内上门，评估结果通过短信告知；对结果有异议的，"
    "可以在收到通知后三十日内申请复核，复核申请表可在www.ybj.sh.gov.cn下载（表{n}）。",
    "居家护理服务由定点护理站提供，每周上门{d}至七次，每次一小时，个人只需承担百分之十的费用，"
    "服务内容包括协助洗浴、压疮预防和用药提醒等四十二项，第{n}期服务清单已更新。",
    "家庭医生签约居民还可以预约上门随访，北虹路社区卫生服务站（北虹路{m}弄{d}号）周六上午"
    "开设老年慢病门诊，预约电话6290{p:04d}，请提前一天预约（编号C{n}）。",
]

TABLE = """\
      | 服务点 | 地址 | 电话 |
      | --- | --- | ---: |
      | 新泾镇社区事务受理服务中心 | 天山西路345号一楼 | 021-6238 2100 |
      | 北虹路社区卫生服务站（Health Station） | 北虹路1088弄12号 | 021-6290 7720 |
      | 哈密路为老服务中心 | 哈密路1号乙 | 021-6233 0110 |"""


def paragraph(sentences: list[str], article: int, index: int) -> str:
    """Two sentences, different for every (article, index)."""
    n = article * 100 + index + 7
    fields = {"n": n, "m": 200 + n * 3, "p": (n * 53) % 10000, "d": index % 8 + 2}
    first = sentences[index % len(sentences)]
    second = sentences[(index + 2) % len(sentences)]
    return first.format(**fields) + second.format(**fields)


LEAD_TITLE = "新泾镇老旧小区综合改造全面启动 首批涉及哈密路北虹路沿线十二个小区"
CARE_TITLE = "长护险怎么申请？Long-term Care Insurance 申请指南和社区服务点一览"
LAST_TITLE = "睦邻微课堂教老年人使用“随申办”和电子医保凭证"


def manifest(lead: int, care: int = 8, *, care_start: str = "new-page", care_layout: str = "",
             last: int = 4, last_layout: str = "", lead_layout: str = "",
             pages: int | None = None) -> str:
    """The lead story with `lead` paragraphs, then 《长护险…》 (`care` paragraphs and a
    table) starting with `care_start` (`care_layout`: more of its layout), then a
    story of `last` paragraphs that flows on (`*_layout`: an article's layout)."""
    lines = ["newsletter: 新泾通讯", "publisher: 长宁区新泾镇",
             "issue: {number: 9, volume: 253, date: 2024-09-10}"]
    if pages is not None:
        lines.append(f"pages: {pages}")
    lines += ["colophon:", "  office: 《新泾通讯》编辑部", "  address: 上海市长宁区新泾镇哈密路1号",
              "  phone: 021-62330000", "  note: 内部资料 免费赠阅", "articles:"]
    lines += ["  - id: renovation", "    section: 要闻", f"    title: {LEAD_TITLE}",
              "    subtitle: 屋面防水、外立面整治、管线入地一次完成 居民可通过12345热线反映问题"]
    if lead_layout:
        lines.append(f"    layout: {lead_layout}")
    lines.append("    body: |")
    lines += [f"      {paragraph(_LEAD, 1, i)}\n" for i in range(lead)]
    lines += ["  - id: care", "    section: 服务",
              f"    layout: {{start: {care_start}{care_layout}}}", f"    title: {CARE_TITLE}",
              "    byline: 通讯员 陈晓岚", "    body: |"]
    half = care // 2
    lines += [f"      {paragraph(_CARE, 2, i)}\n" for i in range(half)]
    lines += ["      ### 服务点地址和电话（Service Points）\n", TABLE, ""]
    lines += [f"      {paragraph(_CARE, 2, i)}\n" for i in range(half, care)]
    lines += ["  - id: classroom", "    section: 社区", f"    title: {LAST_TITLE}"]
    if last_layout:
        lines.append(f"    layout: {last_layout}")
    lines.append("    body: |")
    lines += [f"      {paragraph(_LEAD, 3, i)}\n" for i in range(last)]
    return "\n".join(lines) + "\n"
