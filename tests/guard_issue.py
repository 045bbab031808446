"""An issue whose articles flow one after another (no new pages), with photos
after their first paragraphs, portrait and landscape, that often do not fit
under their paragraph (the photo guard moves them on), a notice in its frame,
and a colophon with a QR code at the foot of the last page: the page plan's
rounds, the photo guard and the page runs cut inside flowing text all at work.
Every paragraph is different: addresses, phone numbers, web addresses, English
names, dates, amounts."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

_SENTENCES = [
    "北新泾街道第{n}居民区的“睦邻驿站”本月起延长开放时间，工作日8:30—20:00、周末9:00—17:00，"
    "地址在天山西路{n}弄{d}号底楼，咨询电话021-6278 {p:04d}。",
    "驿站负责人沈佳怡介绍，今年共接待居民{p}人次，开展健康讲座{d}场，"
    "其中与同仁医院（Tongren Hospital）合作的慢病筛查最受欢迎。",
    "居民可在“随申办”App或https://www.shcn.gov.cn/xinjing/{n}预约场地，"
    "每次最长2小时，同一户每月不超过{d}次。",
    "志愿者团队由{d}0名退休教师和{d}名大学生组成，每周三下午为社区老人讲解智能手机使用，"
    "报名邮箱volunteer{n}@xinjing.example.cn。",
    "改造工程总投资约{p}万元，其中市级补贴占60%，由上海长宁建设（Changning Construction）"
    "负责施工，预计2027年{d}月完工。",
    "据统计，绿道沿线新种乔木{p}株、灌木{n}平方米，设置休息座椅{d}0处，"
    "夜间照明采用太阳能路灯，每晚18:00—22:00开启。",
    "英国来的志愿者Emily Watson说：“It feels like home.”她在驿站教孩子们英语绘本已经{d}年了，"
    "每周六上午10:00开课，名额{d}0个。",
]

TITLES = [
    ("家门口的睦邻驿站：15分钟生活圈里的{n}个服务点", "开放时间和电话都在这里"),
    ("新泾绿道全线贯通 3.5公里滨水步道串起五个社区", ""),
    ("长者食堂开到家门口 日均供餐600余份", "天山西路第二家社区长者食堂试运营一个月"),
    ("社区合唱团唱响新年音乐会", ""),
    ("“一网通办”延伸到家门口 夜间窗口每周开放两晚", "可用“随申办”提前预约"),
]

# (width, height) of each photo drawn: landscape, portrait, square, wide.
SHAPES = [(1600, 1200), (900, 1200), (1000, 1000), (1800, 900)]


def photo(shape: tuple[int, int], seed: int) -> bytes:
    """A JPEG of `shape` with coloured discs (not flat: a real photo's weight)."""
    image = Image.new("RGB", shape, (40 + seed * 30 % 200, 90, 140))
    draw = ImageDraw.Draw(image)
    for i in range(24):
        x, y = (i * 97 + seed * 31) % shape[0], (i * 61 + seed * 17) % shape[1]
        r = 40 + (i * 13) % 120
        draw.ellipse((x - r, y - r, x + r, y + r),
                     fill=((i * 40) % 255, (i * 90 + seed) % 255, (i * 20 + 100) % 255))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def paragraph(article: int, index: int) -> str:
    """One or two sentences, different for every (article, index)."""
    n = 100 + article * 37 + index
    fields = {"n": n, "p": (n * 53) % 10000, "d": index % 8 + 1}
    first = _SENTENCES[(article * 3 + index) % len(_SENTENCES)].format(**fields)
    if index % 3 == 1:
        return first
    return first + _SENTENCES[(article * 3 + index + 4) % len(_SENTENCES)].format(**fields)


def manifest(counts: list[int], photos: list[list[int]], *, notice_after: int = 1,
             pages: int | None = None) -> str:
    """Articles of counts[i] paragraphs, flowing one after another; article i has a
    photo after each paragraph number in photos[i]; a notice after article
    `notice_after`."""
    lines = ["newsletter: 新泾通讯", "publisher: 长宁区新泾镇",
             "issue: {number: 12, volume: 292, date: 2026-12-25}",
             *([f"pages: {pages}"] if pages else []),
             "colophon:", "  office: 新泾通讯编辑部", "  address: 上海市长宁区新泾一村120号",
             "  phone: 021-62780000", "  email: xjtx@xinjing.example.gov.cn",
             "  printer: 上海长宁印刷有限公司", "  note: 内部资料 免费赠阅",
             '  qr: {url: "https://mp.weixin.qq.com/s/Xj2026-Dec_newsletter", '
             "caption: 扫码关注“新泾镇”微信公众号}",
             "articles:"]
    seed = 0
    for number, count in enumerate(counts):
        title, subtitle = TITLES[number % len(TITLES)]
        lines += [f"  - id: story-{number + 1}", f"    title: {title.format(n=number + 11)}"]
        if subtitle:
            lines.append(f"    subtitle: {subtitle}")
        lines.append(f"    byline: 记者 王晓峰{number + 1}")
        if photos[number]:
            lines.append("    photos:")
        for after in photos[number]:
            seed += 1
            lines += [f"      - file: images/p{seed}.jpg",
                      f"        caption: 图为第{seed}处驿站的活动现场（摄影 陈立）",
                      "        placement: inline", f"        after_paragraph: {after}"]
        lines.append("    body: |")
        for index in range(count):
            lines += [f"      {paragraph(number, index)}", ""]
        if number + 1 == notice_after:
            lines += ["  - id: notice", "    kind: notice",
                      "    title: 关于招募2027年春节“邻里守望”志愿者的启事",
                      "    signature: {issuer: 新泾镇志愿者服务中心, date: 2026年12月10日}",
                      "    body: |",
                      "      各位居民：", "",
                      "      为做好2027年春节期间独居老人关爱工作，现面向社会招募志愿者50名，"
                      "服务时间2027年2月5日至2月20日，每人每周不少于4小时。", "",
                      "      报名方式：拨打021-62780011或发邮件至xjzyz@xinjing.example.cn，"
                      "截止日期2027年1月20日。", ""]
    return "\n".join(lines) + "\n"


def files(photos: list[list[int]]) -> dict[str, bytes]:
    count = sum(len(p) for p in photos)
    return {f"images/p{i}.jpg": photo(SHAPES[i % len(SHAPES)], i) for i in range(1, count + 1)}
