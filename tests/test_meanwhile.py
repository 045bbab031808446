"""What the build does while a round of the page plan typesets its runs and a core
idles (issue 21: the serial end): the fonts of the runs, frame and contents read and
cut for assembling (runs/assemble.py FontsAhead), the photos' sharpness measured for
the preflight (layout/photo_print.py), so that after the last round only what came
out otherwise is read, cut or measured, and the PDF is the same."""

from __future__ import annotations

import io
import random
import threading
from concurrent.futures import Future, wait
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw

from bulletin_press.build import page_fit
from bulletin_press.build.pipeline import build_runs
from bulletin_press.checks.preflight import preflight
from bulletin_press.layout import render
from bulletin_press.layout.page_plan import PagePlan
from bulletin_press.layout.prepare import prepare
from bulletin_press.runs import assemble as assemble_module
from bulletin_press.runs import plan
from bulletin_press.runs.worker import TypesetRun

from .conftest import ROOT, MakeIssue

# A 街道 bulletin of three notices, each on a page of its own, the first with a
# photo: addresses, phone numbers with extensions, URLs, English names, times.
NOTICES = [
    ("延时门诊6月起开诊 工作日晚上也能看病",
     "仙霞新村街道社区卫生服务中心（茅台路1045号）6月起开设“延时门诊”，工作日17:00—20:00"
     "接诊，预约电话021-6238 1234转8012，也可在“健康云”App或www.xianxia-health.cn预约。"
     "家庭医生签约居民凭医保卡可享慢病长处方，一次最多配足12周用量。"),
    ("虹古路358弄“美丽家园”改造开工",
     "改造工程于2024年7月8日开工，涉及12幢楼、486户居民，施工单位为Shanghai Urban "
     "Renewal Co., Ltd.，工期约150天。施工期间每天7:30—18:00作业，噪声投诉请拨打街道"
     "城运中心热线6270 5500（24小时），或登录https://www.shcn.gov.cn/xianxia/notice留言。"),
    ("暑托班开始报名 名额120个",
     "街道团工委联合天山中学开展“暑托班”报名，面向6—12岁本街道居民子女，报名时间7月1日"
     "至7月5日，联系人：王老师，电话：139 1683 4472；英语角由志愿者Emily Chen和David "
     "Zhou带领，每周三下午两点开始，地点在威宁路301号2楼活动室。"),
]


def _photo() -> bytes:
    """A photo with edges to judge: a street of blocks under a sky, with grain."""
    rng = random.Random(7)
    image = Image.new("RGB", (1800, 1200), (150, 180, 210))
    draw = ImageDraw.Draw(image)
    for left in range(0, 1800, 150):
        top = rng.randint(300, 700)
        draw.rectangle((left, top, left + 130, 1200), fill=(rng.randint(60, 200),) * 3)
        for row in range(top + 30, 1150, 60):
            draw.rectangle((left + 20, row, left + 50, row + 30), fill=(240, 230, 160))
    for _ in range(4000):
        x, y = rng.randrange(1800), rng.randrange(1200)
        draw.point((x, y), fill=(rng.randrange(256),) * 3)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def _issue(make_issue: MakeIssue) -> Path:
    lines = ["newsletter: 仙霞通讯", "publisher: 长宁区仙霞新村街道",
             "issue: {number: 7, volume: 88, date: 2024-07-01}", "articles:"]
    for number, (title, body) in enumerate(NOTICES, start=1):
        lines += [f"  - id: notice-{number}", "    section: 街道", f"    title: {title}",
                  "    layout: {start: new-page-always}"]
        if number == 1:
            lines += ["    photos: [{file: images/street.jpg, caption: 茅台路沿街的居民楼}]"]
        lines += ["    body: |"]
        for paragraph in range(5):
            lines += [f"      {body}（{number}-{paragraph + 1}）", ""]
    return make_issue("\n".join(lines) + "\n", {"images/street.jpg": _photo()})


class _Counted:
    """The fonts `_read_font` reads and `_cut` cuts, from now on."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.reads: list[Any] = []
        self.cuts: list[Any] = []
        read, cut = assemble_module._read_font, assemble_module._cut

        def counted_read(font: Any) -> Any:
            self.reads.append(font)
            return read(font)

        def counted_cut(what: Any) -> Any:
            self.cuts.append(what)
            return cut(what)

        monkeypatch.setattr(assemble_module, "_read_font", counted_read)
        monkeypatch.setattr(assemble_module, "_cut", counted_cut)


@pytest.mark.slow
def test_fonts_read_ahead_make_the_same_bytes_and_nothing_is_read_again(
        make_issue: MakeIssue, monkeypatch: pytest.MonkeyPatch) -> None:
    issue = _issue(make_issue)
    got: dict[str, Any] = {}
    original = assemble_module.assemble

    def keep(runs: list[bytes], **kwargs: Any) -> bytes:
        got.update(kwargs, runs=runs)
        return original(runs, **kwargs)

    monkeypatch.setattr(assemble_module, "assemble", keep)
    built = build_runs(issue, jobs=1, store=False)
    runs = got.pop("runs")
    kwargs = {k: got[k] for k in ("frame", "contents", "font_folders", "shared")}
    assert len(runs) == 3 and kwargs["frame"] is not None and kwargs["contents"] is not None
    counted = _Counted(monkeypatch)
    whole = original(runs, **kwargs)
    fonts_of_issue, reads_of_issue = len(counted.cuts), len(counted.reads)
    assert whole == built.pdf and fonts_of_issue >= 2  # the serif body, the sans heads

    # Read from the runs' own PDFs, the frame's (its pages as many as the issue's)
    # and the contents box's numbers', cut for their glyphs together: the assembly
    # reads and cuts none again.
    ahead = assemble_module.FontsAhead(kwargs["font_folders"])
    pdfs: list[tuple[bytes, int | None]] = [(run, None) for run in runs]
    pdfs += [(kwargs["frame"], built.page_count), (kwargs["contents"], None)]
    try:
        ahead.read(pdfs)
        for future in ahead.cut.values():
            future.result()
        counted.reads.clear()
        counted.cuts.clear()
        assert original(runs, fonts=ahead, **kwargs) == whole
        assert counted.reads == [] and counted.cuts == []
        # Only the first run read ahead: the others' fonts are read at the end, and
        # every font is cut again (its glyphs in the issue are more); the same bytes.
        other = assemble_module.FontsAhead(kwargs["font_folders"])
        other.read([(runs[0], None)])
        for future in other.cut.values():
            future.result()
        counted.reads.clear()
        counted.cuts.clear()
        assert original(runs, fonts=other, **kwargs) == whole
        assert 0 < len(counted.reads) < reads_of_issue
        assert len(counted.cuts) == fonts_of_issue
        other.close()
    finally:
        ahead.close()


def test_a_font_is_looked_up_by_its_content_not_its_object() -> None:
    """Two PDFs with the same font (other object numbers) give one key; a font whose
    widths differ by one glyph gives another."""
    import pikepdf

    def pdf_with(widths: list[int], padding: int) -> Any:
        pdf = pikepdf.new()
        for _ in range(padding):  # other object numbers for the same font
            pdf.make_indirect(pikepdf.Dictionary(Pad=1))
        program = pikepdf.Stream(pdf, b"OTTO placeholder")
        program.Subtype = pikepdf.Name.OpenType
        cid_font = pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.CIDFontType0,
            W=pikepdf.Array([3, pikepdf.Array(widths)]),
            FontDescriptor=pdf.make_indirect(pikepdf.Dictionary(FontFile3=program)))
        pdfs.append(pdf)  # kept open while its font is looked at
        return pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0,
            DescendantFonts=pikepdf.Array([pdf.make_indirect(cid_font)]),
            ToUnicode=pdf.make_indirect(pikepdf.Stream(pdf, b"1 beginbfchar <0003> <4ef6> "
                                                            b"endbfchar"))))

    pdfs: list[Any] = []
    first, again, other = pdf_with([500, 1000], 0), pdf_with([500, 1000], 5), \
        pdf_with([500, 999], 0)
    assert first.objgen != again.objgen
    key = assemble_module._font_key(first)
    assert key is not None and key == assemble_module._font_key(again)
    assert assemble_module._font_key(other) not in (None, key)


class _Job(Future[list[TypesetRun]]):
    pass


def test_meanwhile_waits_for_an_idle_core_and_not_for_the_round() -> None:
    own, other = _Job(), _Job()
    called = threading.Event()
    # Two processes, both busy (the round's run and the contents document): called
    # only once the contents document is done, while the run is still typeset.
    ended = threading.Timer(0.05, lambda: other.set_result([]))
    ended.start()
    plan._when_idle({own}, {other}, 2, called.set)
    assert called.is_set() and other.done() and not own.done()
    # A core idle from the start: called at once.
    called.clear()
    plan._when_idle({own}, set(), 2, called.set)
    assert called.is_set()
    # The round's runs done before a core idled: nothing to do meanwhile.
    called.clear()
    busy = _Job()
    own.set_result([])
    plan._when_idle({own}, {busy}, 1, called.set)
    assert not called.is_set()


@pytest.mark.slow
def test_a_later_round_reads_the_fonts_and_measures_the_photos_meanwhile(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """bench-16: its second round typesets the first article's run alone (its photo
    shrunk to fill page 2). While it does, the build reads the other runs', the
    frame's and the contents' fonts and the first run's as the first round left it,
    and measures the photos: the assembly after it reads and cuts no font, the
    preflight decodes no photo, and the PDF is the one-process build's."""
    import shutil

    from bulletin_press.layout import photo_print

    issue = tmp_path / "issues" / "bench-16"
    shutil.copytree(ROOT / "issues" / "bench-16", issue)
    for name in ("layouts", "fonts"):
        (tmp_path / name).symlink_to(ROOT / name)
    calls: list[list[int]] = []
    # Called in each round once the workers' other documents (the frame, the
    # contents) are done, whether the round's runs are or not (in a build, the
    # workers' timing decides: see test_meanwhile_waits_for_an_idle_core…).
    monkeypatch.setattr(plan, "_when_idle", lambda own, others, processes, meanwhile:
                        (wait(others), meanwhile()))
    original = plan._typeset_all

    def recorded(*args: Any, meanwhile: Any = None, **kwargs: Any) -> Any:
        if meanwhile is not None:
            calls.append(list(meanwhile.args[2]))  # the runs being typeset
        return original(*args, meanwhile=meanwhile, **kwargs)

    monkeypatch.setattr(plan, "_typeset_all", recorded)
    assembling: list[_Counted] = []
    original_assemble = assemble_module.assemble

    def counted_assemble(runs: list[bytes], **kwargs: Any) -> bytes:
        assembling.append(_Counted(monkeypatch))
        return original_assemble(runs, **kwargs)

    monkeypatch.setattr(assemble_module, "assemble", counted_assemble)
    photo_print._edge_width.cache_clear()
    built = build_runs(issue, jobs=2, store=False)
    assert calls[-1] == [0], calls  # the last round: the first article's run alone
    assert len(assembling) == 1
    assert assembling[0].reads == [] and assembling[0].cuts == []
    measured = photo_print._edge_width.cache_info()
    preflight(built)
    assert photo_print._edge_width.cache_info().misses == measured.misses
    assert measured.misses >= 2  # the two photos, measured meanwhile
    monkeypatch.undo()
    assert build_runs(issue, jobs=1, store=False).pdf == built.pdf


def test_a_rounds_whole_issue_html_is_rendered_only_when_read(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The page plan's rounds: the page-run build renders each run's HTML and never
    reads the whole issue's of a round; it is rendered when read, the same."""
    prepared = prepare(ROOT / "issues" / "2023-01")
    renders: list[int] = []
    original = render.render_html

    def counted(*args: Any) -> Any:
        renders.append(1)
        return original(*args)

    monkeypatch.setattr(render, "render_html", counted)
    monkeypatch.setattr(page_fit, "render_html", counted)
    lead = prepared.context.context["articles"][0]["anchor"]
    plan_ = PagePlan(headline_space={lead: 2})
    later = page_fit.planned(prepared, plan_)
    assert renders == []
    html = later.html.html
    assert renders == [1]
    assert html == original(prepared.layout, later.context.context).html
    assert later.html.html is html and renders == [1]  # once


@pytest.mark.slow
def test_a_pass_that_ends_with_the_numbers_measured_renders_no_run_again(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """bench-16's first round guesses each run's pages; the check that ends its pass
    asks for each run's HTML with the pages measured. A framed run shows no page
    number of its own (the frame does; its contents box placeholders of two digits),
    so it is the HTML rendered already: each run is rendered once a round (on main:
    16 renders in the first round for 8 runs)."""
    import shutil

    issue = tmp_path / "issues" / "bench-16"
    shutil.copytree(ROOT / "issues" / "bench-16", issue)
    for name in ("layouts", "fonts"):
        (tmp_path / name).symlink_to(ROOT / name)
    rounds: list[list[int]] = []
    original_update, original_html = plan.update, plan.run_html

    def update(*args: Any, **kwargs: Any) -> Any:
        rounds.append([])
        return original_update(*args, **kwargs)

    def run_html(prepared: Any, runs: Any, index: int, *args: Any, **kwargs: Any) -> str:
        # A run's own (not a chunk's document of several, nor the frame's or the
        # contents box's numbers', made of the first run's).
        if kwargs.get("framed") and kwargs.get("last") is None:
            rounds[-1].append(index)
        return original_html(prepared, runs, index, *args, **kwargs)

    monkeypatch.setattr(plan, "update", update)
    monkeypatch.setattr(plan, "run_html", run_html)
    build_runs(issue, jobs=1, store=False)
    assert len(rounds) >= 2 and len(rounds[0]) == 8
    for indices in rounds:
        assert len(indices) == len(set(indices)), rounds
