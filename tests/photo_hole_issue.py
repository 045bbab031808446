"""bench-16's shapes, small: stories that each open a page, led by a photo at the
head of their first column; the first runs from page 1 on to page 2 and ends
there a few lines short, before the next story's new page. Every paragraph is
different: addresses, phone numbers, web addresses, English names, dates."""

from __future__ import annotations

from .conftest import SAMPLE

PHOTOS = {"images/renovation.jpg": SAMPLE / "images" / "party-congress.jpg",
          "images/window.jpg": SAMPLE / "images" / "people-congress.jpg"}

_SENTENCES = [
    "仙霞路{n}弄“美丽家园”改造工程本周进入屋面防水阶段，施工方上海城建物业（Shanghai Urban "
    "Property）承诺每天18:30前收工，居民如遇噪声扰民可拨打监督电话021-6259 {p:04d}反映。",
    "街道房管办介绍，本轮改造涉及{d}栋多层住宅共{n}户，外立面整治、雨污分流和弱电管线入地"
    "同步实施，改造方案已在www.hongqiao.gov.cn/meili公示十五个工作日。",
    "社区事务受理服务中心（虹桥路{n}号二楼）推出夜间窗口，每周二、周四延长至20:00，"
    "居民可通过“随申办”App提前预约，现场取号的平均等候时间缩短到{d}分钟以内。",
    "第{n}居民区党总支书记吴丽华说，议事会收集到的{d}条意见中，最集中的是电动自行车充电难，"
    "居委会已联系Tesla和国家电网的工程师现场勘察，拟在小区东门增设充电桩。",
    "垃圾分类“定时定点”投放实施满一年，湿垃圾日均分出量从{n}公斤提高到{p}公斤，"
    "志愿者每天7:00—9:00在第{d}号投放点值守，咨询热线6268 {p:04d}。",
    "老年助餐点（古北路{n}号）每天供应午餐两荤两素，80周岁以上老人凭社保卡享受每餐{d}元补贴，"
    "订餐电话021-5298 {p:04d}，节假日照常营业。",
    "区图书馆虹桥分馆的“悦读周末”第{n}期邀请复旦大学的Peter Zhang老师讲解绘本阅读，"
    "报名请发邮件至reading{d}@hqlib.example.cn，名额{d}十个。",
]

TITLES = [
    ("要闻", "仙霞路沿线“美丽家园”改造全面启动 首批十二个小区年底前完工",
     "施工期间每天18:30前收工 监督电话021-6259 0188", "renovation.jpg",
     "施工人员在仙霞路350弄更换雨水管（摄影：王建国）"),
    ("服务", "“一网通办”延伸到家门口 社区事务受理中心推出夜间窗口",
     "每周二、周四延长至20:00 可用“随申办”提前预约", "window.jpg",
     "居民在夜间窗口办理社保卡补换（摄影：陈晓岚）"),
    ("环境", "垃圾分类“定时定点”满一年 湿垃圾分出量提高三成",
     "第3号投放点新增破袋装置 志愿者早晚值守", "renovation.jpg",
     "志愿者在投放点指导居民分类（摄影：李文）"),
]


def paragraph(article: int, index: int) -> str:
    """Two sentences, different for every (article, index)."""
    n = 300 + article * 40 + index
    first = _SENTENCES[(article * 3 + index) % len(_SENTENCES)]
    second = _SENTENCES[(article * 3 + index + 4) % len(_SENTENCES)]
    fields = {"n": n, "p": (n * 53) % 10000, "d": index % 9 + 1}
    return first.format(**fields) + second.format(**fields)


def manifest(counts: list[int], *, starts: str = "new-page") -> str:
    """Stories of counts[i] paragraphs, each led by a photo at the head of its first
    column; every story after the first starts with `starts`."""
    lines = ["newsletter: 虹桥社区报", "publisher: 长宁区虹桥街道",
             "issue: {number: 11, volume: 96, date: 2024-11-15}",
             "colophon:", "  office: 《虹桥社区报》编辑部", "  address: 上海市长宁区虹桥路1111号",
             "  phone: 021-62590188", "  note: 内部资料 免费赠阅", "articles:"]
    for number, count in enumerate(counts):
        section, title, subtitle, photo, caption = TITLES[number % len(TITLES)]
        lines += [f"  - id: story-{number + 1}", f"    section: {section}",
                  f"    title: {title}", f"    subtitle: {subtitle}",
                  "    photos:", f"      - file: images/{photo}", f"        caption: {caption}",
                  "        placement: top"]
        if number:
            lines.append(f"    layout: {{start: {starts}}}")
        lines.append("    body: |")
        for index in range(count):
            lines += [f"      {paragraph(number, index)}", ""]
    return "\n".join(lines) + "\n"


def files() -> dict[str, bytes | str | object]:
    return dict(PHOTOS)
