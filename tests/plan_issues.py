"""Issues for the page plan's tests: a town bulletin of several articles with
photos, whose length is set by the number of paragraphs of each article. Every
paragraph is different (a running number, an address, a phone number), so
that it can be found once, whole, in the PDF's text."""

from __future__ import annotations

from pathlib import Path

from .conftest import SAMPLE

PHOTOS = {"images/a.jpg": SAMPLE / "images" / "party-congress.jpg",
          "images/b.jpg": SAMPLE / "images" / "people-congress.jpg"}

_SENTENCES = [
    "新泾镇社区事务受理服务中心（地址：长宁区哈密路{n}号，电话021-6233{p:04d}）自本月起延长服务时间，"
    "工作日晚上八点前可办理居住证、社保卡和老年综合津贴等{n}项业务。",
    "据镇城运中心统计，今年以来全镇累计受理“12345”市民热线工单{n}件，按时办结率达到98.{d}%，"
    "居民可登录www.xinjing.gov.cn/service查询办理进度。",
    "北虹路{n}弄小区加装电梯工程进入收尾阶段，施工单位Shanghai Elevator Co. 表示，"
    "新电梯将于月底前通过特种设备检验并交付使用，惠及{d}个楼道的居民。",
    "天山路街道与新泾镇联合举办的“睦邻微课堂”第{n}期开讲，社区志愿者用Python和Excel为"
    "老年学员演示如何查看电子医保凭证，现场答疑持续了{d}十分钟。",
    "镇生态环境办提醒，垃圾分类定时定点投放时间为每天7:00—9:00和18:00—20:00，"
    "第{n}号投放点新增湿垃圾破袋装置，咨询电话：6268{p:04d}。",
    "新泾家园第{n}居民区“15分钟社区生活圈”议事会上，{d}位居民代表围绕停车难、晾晒难等问题"
    "提出了具体建议，居委会承诺在下次例会前给出书面答复。",
]


def paragraph(article: int, index: int) -> str:
    """A paragraph of two sentences, different for every (article, index)."""
    n = article * 100 + index
    first = _SENTENCES[(article + index) % len(_SENTENCES)]
    second = _SENTENCES[(article + index + 3) % len(_SENTENCES)]
    fields = {"n": n, "p": (n * 37) % 10000, "d": index % 9 + 1}
    return first.format(**fields) + second.format(**fields)


TITLES = [
    ("要闻", "社区事务受理服务中心延长服务时间 晚间也能办理居住证和社保卡", "full"),
    ("民生", "北虹路小区加装电梯进入收尾阶段", "top"),
    ("环境", "垃圾分类新增破袋装置 投放时间不变", "none"),
    ("服务", "“睦邻微课堂”教老年人使用电子医保凭证", "top"),
    ("自治", "“15分钟社区生活圈”议事会听取居民建议", "none"),
]


def manifest(counts: list[int], *, pages: int | None = 4, extra: dict[int, str] | None = None,
             colophon: str = "") -> str:
    """An issue of len(counts) articles, counts[i] paragraphs each; `extra`:
    lines added to an article's entry (e.g. its layout)."""
    lines = ["newsletter: 新泾通讯", "publisher: 长宁区新泾镇",
             "issue: {number: 6, volume: 250, date: 2024-06-10}"]
    if pages is not None:
        lines.append(f"pages: {pages}")
    lines += ["colophon:", "  office: 《新泾通讯》编辑部", "  address: 上海市长宁区新泾镇哈密路1号",
              "  phone: 021-62330000", "  note: 内部资料 免费赠阅"]
    if colophon:
        lines.append(f"  {colophon}")
    lines.append("articles:")
    for number, count in enumerate(counts):
        section, title, photo = TITLES[number % len(TITLES)]
        lines += [f"  - id: article-{number + 1}", f"    section: {section}",
                  f"    title: {title}"]
        if photo == "full":
            lines += ["    photos:", "      - file: images/a.jpg",
                      "        caption: 社区事务受理服务中心的晚间窗口",
                      "        placement: full-width"]
        elif photo in ("top", "inline"):
            lines += ["    photos:", "      - file: images/b.jpg",
                      f"        caption: 第{number + 1}篇的现场照片", f"        placement: {photo}"]
        if extra and number in extra:
            lines.append(f"    {extra[number]}")
        lines.append("    body: |")
        for index in range(count):
            lines += [f"      {paragraph(number, index)}", ""]
    return "\n".join(lines) + "\n"


def files() -> dict[str, bytes | str | Path]:
    return dict(PHOTOS)
