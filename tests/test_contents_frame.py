"""The contents box's page numbers drawn by the page frame (runs/plan.py): in a
print build typeset as page runs, the first run lays out the contents box with
placeholder numbers and does not draw its leaders and numbers; the frame, laid
over every page, draws them with the articles' issue pages. So an article that
moves to another page retypesets the frame, not the first run. Tested on an issue
of our own whose articles flow one after another, with contents titles long
enough to wrap and numbers of one and two digits."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path
from typing import Any

import pdfplumber
import pikepdf
import pytest

from bulletin_press.build import page_fit
from bulletin_press.build.pipeline import build, build_runs
from bulletin_press.layout.prepare import prepare
from bulletin_press.pdf.text import lines_of
from bulletin_press.runs import plan

from .conftest import ROOT

pytestmark = pytest.mark.slow

HEADS = [
    ("要闻", "新泾镇第十六届党员代表大会第二次会议在镇会议中心隆重举行 审议通过三项决议"
             "并选举产生出席长宁区第十三次党代会代表（Delegates）"),
    ("民生", "十五分钟社区生活圈服务点地图上线 扫码查询身边的37个服务点"),
    ("城建", "北虹路1088弄加装电梯进入收尾阶段"),
    ("自治", "议事会听取居民建议 停车难晾晒难有了新办法（Parking & Drying）"),
    ("文化", "“睦邻微课堂”第12期开讲 志愿者教老人用电子医保凭证"),
    ("服务", "社区事务受理服务中心延长服务时间"),
    ("平安", "反诈宣传进楼组 民警提醒：陌生来电说“安全账户”的都是骗子"),
]

SENTENCES = [
    "新泾镇社区事务受理服务中心（天山西路{n}号，电话021-6233 {p:04d}）自本月起延长服务时间，"
    "工作日晚上八点前可办理居住证、社保卡和老年综合津贴等{d}项业务。",
    "居民可登录www.xinjing.gov.cn/service/{n}查询办理进度，也可拨打13916{p:04d}36预约上门服务，"
    "网上预约的平均等候时间已缩短到{d}分钟。",
    "北虹路{n}弄小区的施工单位Shanghai Elevator Co.表示，新电梯将于月底前通过特种设备检验，"
    "惠及{d}个楼道的312户居民，其中八十岁以上老人47位。",
    "“睦邻微课堂”第{n}期由社区志愿者Lucas Martin和退休教师王秀英主讲，用手机演示电子医保凭证、"
    "随申码和“一网通办”的用法，现场答疑持续了{d}十分钟。",
    "民警提醒：凡是要求转账到“安全账户”、索要短信验证码的来电都是诈骗，"
    "遇到可疑情况请拨打110或反诈专线96110，第{n}号楼组已有{d}户居民签署了承诺书。",
]


def _paragraph(article: int, index: int) -> str:
    n = article * 100 + index
    fields = {"n": n, "p": (n * 37) % 10000, "d": index % 9 + 1}
    return "".join(SENTENCES[(article + index + k) % len(SENTENCES)].format(**fields)
                   for k in (0, 2))


def _manifest(counts: list[int]) -> str:
    """Articles that flow one after another, counts[i] paragraphs each."""
    lines = ["newsletter: 新泾通讯", "publisher: 长宁区新泾镇",
             "issue: {number: 9, volume: 253, date: 2024-09-10}",
             "colophon:", "  office: 《新泾通讯》编辑部", "  address: 上海市长宁区新泾镇哈密路1号",
             "  phone: 021-62330000", "articles:"]
    for number, count in enumerate(counts):
        section, title = HEADS[number % len(HEADS)]
        lines += [f"  - id: news-{number + 1}", f"    section: {section}", f"    title: {title}",
                  "    body: |"]
        for index in range(count):
            if index == count // 2:
                lines += ["      ### 二、服务点地址和电话（Service Points）", ""]
            lines += [f"      {_paragraph(number, index)}", ""]
    return "\n".join(lines) + "\n"


COUNTS = [14, 12, 16, 11, 15, 13, 12]


def _project(tmp_path: Path, counts: list[int]) -> Path:
    shutil.copytree(ROOT / "layouts", tmp_path / "layouts")  # its own project: own store
    issue = tmp_path / "issues" / "contents"
    issue.mkdir(parents=True)
    (issue / "issue.yaml").write_text(_manifest(counts), encoding="utf-8")
    return issue


def _destinations(pdf: bytes) -> dict[str, int]:
    """Anchor → issue page (1-based) of the named destinations."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        pages = {page.objgen: i for i, page in enumerate(document.pages, start=1)}
        tree = pikepdf.NameTree(document.Root.Names.Dests)
        return {str(name): pages[tree[name][0].objgen] for name in tree}


def _contents_numbers(pdf: bytes) -> list[int]:
    """The page number closing each contents entry on page 1, in order."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        lines = sorted(lines_of(document.pages[0]), key=lambda line: (line.top, line.x0))
    return [int(m.group(1)) for line in lines
            if (m := re.search(r"[.·…]+\s*(\d+)$", line.text.replace(" ", "")))]


def test_the_first_run_does_not_show_other_runs_page_numbers() -> None:
    """The first run's HTML is the same whatever page the other runs' articles are
    on (one digit or two); the frame's shows their pages."""
    prepared = prepare(ROOT / "issues" / "text-varied-16")
    runs = plan.cut_flowing(prepared, plan.split_runs(prepared.context.context["flows"]), 8)
    assert len(runs) > 2
    later = [article["anchor"] for run in runs[1:] for flow in run for article in flow]
    early = {anchor: 3 + i for i, anchor in enumerate(later)}  # pages 3 to 12
    moved = {anchor: page + 1 for anchor, page in early.items()}
    first = [plan.run_html(prepared, runs, 0, 1, pages, framed=True) for pages in (early, moved)]
    assert first[0] == first[1]
    assert f'data-page="{moved[later[-1]]}"' not in first[1]
    contents = [plan._contents_html(prepared, runs, pages) for pages in (early, moved)]
    assert contents[0] != contents[1]
    assert f'data-page="{moved[later[-1]]}"' in contents[1]  # drawn over it
    # The frame (running heads, page numbers) shows no article's page: the same.
    assert plan._frame_html(prepared, runs, 16) == plan._frame_html(prepared, runs, 16)
    assert 'data-page="' not in plan._frame_html(prepared, runs, 16)


def test_articles_that_move_a_page_retypeset_the_frame_not_the_first_run(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A later article made longer moves every article after it a page on: the
    build typesets the runs from that article on and the frame, never the first
    run (which holds the masthead and the contents box); the contents box shows
    the new pages, which are where the articles' links go, and the pages are those
    of a one-document build."""
    issue = _project(tmp_path, COUNTS)
    first = build_runs(issue, jobs=1, flowing=4)
    assert first.run_count >= 3
    typeset: list[str] = []
    real = plan._typeset_all

    def spy(jobs: list[Any], *args: Any, **kwargs: Any) -> Any:
        typeset.extend("frame" if job.user_css == plan.FRAME_CSS
                       else "contents" if job.user_css == plan.CONTENTS_CSS
                       else "first" if 'class="masthead' in job.html else "other"
                       for job in jobs)
        return real(jobs, *args, **kwargs)

    monkeypatch.setattr(plan, "_typeset_all", spy)
    longer = list(COUNTS)
    longer[4] += 12  # more than a page more in 《“睦邻微课堂”…》
    (issue / "issue.yaml").write_text(_manifest(longer), encoding="utf-8")
    edited = build_runs(issue, jobs=1, flowing=4)
    for later in ("article-news-6", "article-news-7"):  # the articles after it moved on
        assert _destinations(edited.pdf)[later] > _destinations(first.pdf)[later]
    assert "first" not in typeset, typeset
    assert "contents" in typeset and "other" in typeset, typeset
    assert edited.typeset_runs == typeset.count("other")
    pages = _destinations(edited.pdf)
    anchors = [f"article-news-{n + 1}" for n in range(len(longer))]
    assert _contents_numbers(edited.pdf) == [pages[a] for a in anchors]
    assert _contents_numbers(first.pdf) != _contents_numbers(edited.pdf)
    # A one-document build (WeasyPrint's own contents numbers) draws the same pages.
    one = build(issue)
    assert _contents_numbers(one.pdf) == _contents_numbers(edited.pdf)
    assert _pictures(one.pdf) == _pictures(edited.pdf)


def _pictures(pdf: bytes) -> list[bytes]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    return [page.render(scale=100 / 72).to_pil().convert("RGB").tobytes() for page in document]


def test_the_frame_is_typeset_with_runs_or_at_the_end_never_alone_between(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """text-varied-16 (4 page-plan rounds whose page counts change): only assembling
    needs the frame, so it is typeset beside a round's runs or once after the last
    round, never alone while the page plan goes on; its contents numbers are the
    issue's last pages."""
    batches: list[list[str]] = []
    real = plan._typeset_all

    def spy(jobs: list[Any], *args: Any, **kwargs: Any) -> Any:
        batches.append(["frame" if job.user_css in (plan.FRAME_CSS, plan.CONTENTS_CSS)
                        else "run" for job in jobs])
        return real(jobs, *args, **kwargs)

    monkeypatch.setattr(plan, "_typeset_all", spy)
    built = build_runs(ROOT / "issues" / "text-varied-16", jobs=2, store=False)
    assert built.rounds > 2
    assert all("run" in batch for batch in batches[:-1]), batches
    pages = _destinations(built.pdf)
    flows = prepare(ROOT / "issues" / "text-varied-16").context.context["flows"]
    anchors = [article["anchor"] for flow in flows for article in flow]
    assert _contents_numbers(built.pdf) == [pages[a] for a in anchors]


def test_the_plan_s_best_earlier_round_is_not_typeset_again(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """text-varied-16's page plan swings between 15 and 16 pages and keeps its
    third round's plan (15 pages): asked for that content again, the runs are that
    round's as typeset, not cut where the fourth round cut and typeset again; the
    pages are those of a build without the rounds' memory. (Without the colophon's
    last resort, build/page_fit.py: since it, the issue ends with a round of its own
    after the plan's best instead of going back to it.)"""
    asked: list[tuple[int, int]] = []
    real = plan.update
    monkeypatch.setattr(page_fit, "_last_lines_on", lambda fitted: None)

    def spy(prepared: Any, cache: plan.RunCache) -> Any:
        done = real(prepared, cache)
        asked.append((id(prepared), cache.typeset_count))
        return done

    monkeypatch.setattr(plan, "update", spy)
    issue = ROOT / "issues" / "text-varied-16"
    built = build_runs(issue, jobs=2, store=False)
    ids = [key for key, _ in asked]
    assert len(asked) == built.rounds + 1 and ids[-1] in ids[:-1], asked  # went back
    assert asked[-1][1] == 0
    assert built.typeset_runs == sum(count for _, count in asked)

    def forget(past: Any, cache: plan.RunCache) -> Any:
        cache.rounds.clear()  # typeset again, as before the rounds' memory
        return real(past.prepared, cache)

    monkeypatch.setattr(plan, "_again", forget)
    monkeypatch.setattr(plan, "update", real)
    assert _pictures(build_runs(issue, jobs=2, store=False).pdf) == _pictures(built.pdf)


def test_a_round_that_keeps_the_page_count_typesets_the_contents_not_the_frame(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """text-16's second round (its pull-up moves articles to earlier pages, the issue
    keeps its 16 pages): the contents box's numbers are typeset again, one page; the
    frame (running heads and page numbers, 20 pages) is not. The numbers drawn are
    the articles' pages."""
    batches: list[list[str]] = []
    real = plan._typeset_all

    def spy(jobs: list[Any], *args: Any, **kwargs: Any) -> Any:
        batches.append(["frame" if job.user_css == plan.FRAME_CSS else "contents"
                        if job.user_css == plan.CONTENTS_CSS else "run" for job in jobs])
        return real(jobs, *args, **kwargs)

    monkeypatch.setattr(plan, "_typeset_all", spy)
    built = build_runs(ROOT / "issues" / "text-16", jobs=2, store=False)
    assert built.rounds == 2 and built.page_count == 16
    assert [b.count("frame") for b in batches] == [1, 0], batches
    assert [b.count("contents") for b in batches] == [1, 1], batches
    pages = _destinations(built.pdf)
    flows = prepare(ROOT / "issues" / "text-16").context.context["flows"]
    anchors = [article["anchor"] for flow in flows for article in flow]
    assert _contents_numbers(built.pdf) == [pages[a] for a in anchors]


def test_the_first_run_lays_its_contents_page_out_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In a framed run the contents numbers are hidden (the contents document draws
    them): its own articles' entries show a placeholder too, not a
    target-counter(), which had WeasyPrint lay the page holding the contents out
    twice (~17 ms of CPU of the first run, in round 1 and again in every later round that
    changes it). What the page draws is the same as with the counter."""
    from weasyprint.layout import page as page_module

    from bulletin_press.runs.worker import typeset_run

    issue = _project(tmp_path, [9, 8, 10, 7])
    manifest = (issue / "issue.yaml").read_text(encoding="utf-8")
    # The second article starts a new page: the first run holds news-1 alone.
    manifest = manifest.replace("  - id: news-2\n",
                                "  - id: news-2\n    layout: {start: new-page}\n")
    (issue / "issue.yaml").write_text(manifest, encoding="utf-8")
    prepared = prepare(issue)
    runs = plan.split_runs(prepared.context.context["flows"])
    assert len(runs) == 2 and [f[0]["id"] for f in runs[0]] == ["news-1"]
    later = [a["anchor"] for flow in runs[1] for a in flow]
    pages = {anchor: 3 + i for i, anchor in enumerate(later)}
    html = plan.run_html(prepared, runs, 0, 1, pages, framed=True)
    entries = re.findall(r'<li><a href="#([^"]+)"([^>]*)>', html)
    assert len(entries) == 4 and all("data-page=" in rest for _, rest in entries), entries
    # As before: the run's own entry without a number, left to target-counter().
    counted = re.sub(r'(<li><a href="#article-news-1") data-page="\d+"', r"\1", html)
    assert counted != html

    layouts: list[int] = []
    original = page_module.remake_page

    def remade(index: int, *args: Any, **kwargs: Any) -> Any:
        layouts.append(index)
        return original(index, *args, **kwargs)

    mounts = prepared.fence().mounts
    monkeypatch.setattr(page_module, "remake_page", remade)
    ours = typeset_run(html, mounts, plan.BODY_CSS)
    ours_layouts, layouts[:] = list(layouts), []
    before = typeset_run(counted, mounts, plan.BODY_CSS)
    assert ours.pages == before.pages >= 2
    assert ours_layouts.count(0) == 1 and layouts.count(0) == 2  # page 1: once, not twice
    assert len(ours_layouts) == ours.pages

    def drawn(pdf: bytes) -> list[bytes]:
        with pikepdf.open(io.BytesIO(pdf)) as document:
            return [page.Contents.read_bytes() for page in document.pages]

    assert drawn(ours.pdf) == drawn(before.pdf)  # the same pages drawn
    assert ours.fill == before.fill and ours.anchors == before.anchors
