"""Assembling begun while the contents document is still typeset (issue 21): the
build's serial end. The contents box's numbers are known only when the last round's
runs are, so their document is typically the last one typeset; meanwhile the build
lays the runs and frame together and cuts their fonts (runs/assemble.py `begin`),
and finishes with the contents: the same bytes as assembling in one go."""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest

from bulletin_press.build import pipeline
from bulletin_press.build.pipeline import build_runs
from bulletin_press.runs import assemble as assemble_module
from bulletin_press.runs.plan import RunCache
from bulletin_press.runs.worker import TypesetRun

from .conftest import MakeIssue

# A notice board of a 街道 with a contents box: addresses, phone numbers with
# extensions, URLs, English names, dates and times, numbers with units.
BODIES = [
    "仙霞新村街道社区卫生服务中心（茅台路1045号）6月起开设“延时门诊”，工作日17:00—20:00"
    "接诊，预约电话021-6238 1234转8012，也可在“健康云”App或www.xianxia-health.cn预约。"
    "家庭医生签约居民凭医保卡可享慢病长处方，一次最多配足12周用量。",
    "虹古路358弄“美丽家园”改造工程于2024年7月8日开工，涉及12幢楼、486户居民，"
    "施工单位为Shanghai Urban Renewal Co., Ltd.，工期约150天。施工期间每天7:30—18:00"
    "作业，噪声投诉请拨打街道城运中心热线6270 5500（24小时）。",
    "为方便老年居民，社区事务受理服务中心（威宁路301号2楼）推出“一网通办”帮办服务，"
    "窗口工作人员可协助办理养老金资格认证、长护险申请等23项业务；周六上午9:00—11:30"
    "照常开放。详情见https://www.shcn.gov.cn/xianxia/notice/2024-06。",
    "街道团工委联合天山中学开展“暑托班”报名，名额120个，面向6—12岁本街道居民子女，"
    "报名时间7月1日至7月5日，联系人：王老师，电话：139 1683 4472；"
    "英语角由志愿者Emily Chen和David Zhou带领，每周三下午两点开始。",
]


def _issue_text() -> str:
    lines = ["newsletter: 仙霞通讯", "publisher: 长宁区仙霞新村街道",
             "issue: {number: 7, volume: 88, date: 2024-07-01}", "articles:"]
    titles = ["社区卫生服务中心开设延时门诊 预约可打电话或上网",
              "虹古路358弄“美丽家园”改造开工",
              "受理中心推出“一网通办”帮办服务",
              "暑托班开始报名 名额120个"]
    for number, (title, body) in enumerate(zip(titles, BODIES, strict=True), start=1):
        lines += [f"  - id: notice-{number}", "    section: 街道", f"    title: {title}",
                  *(["    layout: {start: new-page-always}"] if number == 3 else []),
                  "    body: |"]
        for paragraph in range(6):
            lines += [f"      {body}（{number}-{paragraph + 1}）", ""]
    return "\n".join(lines) + "\n"


class _Pending(Future[list[TypesetRun]]):
    """A worker's job not done yet: asking for its result would wait (here: fails)."""

    def result(self, timeout: float | None = None) -> list[TypesetRun]:
        assert self.done(), "waited for a document still being typeset"
        return super().result(timeout)


def _run(html: str, pdf: bytes = b"%PDF") -> TypesetRun:
    return TypesetRun(html=html, pdf=pdf, pages=1, anchors={})


def test_the_frame_is_taken_without_waiting_for_the_contents() -> None:
    cache = RunCache(jobs=2, framed=True)
    frame, earlier, contents = _run("frame"), _run("contents 1"), _run("contents 2")
    done: Future[list[TypesetRun]] = Future()
    done.set_result([frame])
    pending = _Pending()
    cache.framing_later = {"frame": ("frame", 4, done), "contents 2": ("contents", 0, pending)}
    cache.contents_before = earlier
    assert cache.typesetting("contents") and not cache.typesetting("frame")
    assert cache.framing_now("frame") is frame
    assert cache.earlier_contents() is earlier  # the one being typeset is not done
    pending.set_result([contents])
    assert not cache.typesetting("contents")
    assert cache.contents is contents and cache.frame is frame
    assert cache.contents_before is contents


@pytest.fixture
def parts(make_issue: MakeIssue, monkeypatch: pytest.MonkeyPatch
          ) -> tuple[list[bytes], dict[str, Any]]:
    """The runs, frame and contents of a built issue, as given to `assemble`."""
    issue = make_issue(_issue_text())
    got: dict[str, Any] = {}
    original = assemble_module.assemble

    def keep(runs: list[bytes], **kwargs: Any) -> bytes:
        got.update(kwargs, runs=runs)
        return original(runs, **kwargs)

    monkeypatch.setattr(assemble_module, "assemble", keep)
    build_runs(issue, jobs=1, store=False)
    assert got["contents"] is not None and len(got["runs"]) >= 2
    return got.pop("runs"), {k: got[k] for k in ("frame", "contents", "font_folders", "shared")}


def _cut_counter(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    cuts: list[str] = []
    original = assemble_module._cut

    def counted(cut: Any) -> bytes | None:
        cuts.append(Path(cut[0]).name)
        return original(cut)

    monkeypatch.setattr(assemble_module, "_cut", counted)
    return cuts


@pytest.mark.slow
def test_an_assembly_begun_ahead_makes_the_same_bytes(
        parts: tuple[list[bytes], dict[str, Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    runs, kwargs = parts
    whole = assemble_module.assemble(runs, **kwargs)
    contents = kwargs.pop("contents")
    cuts = _cut_counter(monkeypatch)
    # The fonts cut ahead for the glyphs of the runs, the frame and a contents
    # document like the one to come (here: the same): none is cut again.
    begun = assemble_module.begin(runs, ahead=True, likely=contents, **kwargs)
    for future in begun.cut.values():
        future.result()
    ahead = len(cuts)
    assert ahead >= 2  # the serif body and the sans headings, at least
    assert assemble_module.assemble(runs, contents=contents, begun=begun, **kwargs) == whole
    assert len(cuts) == ahead
    # Without it: the contents' leaders (a glyph the runs hide) make their font cut
    # again at the end, and only that one; still the same bytes.
    cuts.clear()
    begun = assemble_module.begin(runs, ahead=True, **kwargs)
    for future in begun.cut.values():
        future.result()
    assert assemble_module.assemble(runs, contents=contents, begun=begun, **kwargs) == whole
    assert len(cuts) == ahead + 1


@pytest.mark.slow
def test_a_build_begun_while_its_contents_are_typeset_is_the_same(
        make_issue: MakeIssue, monkeypatch: pytest.MonkeyPatch) -> None:
    issue = make_issue(_issue_text())
    serial = build_runs(issue, jobs=1, store=False).pdf
    # As if the contents document were always still being typeset at the end.
    begun: list[object] = []
    original = pipeline._begin_assembly

    def beginning(*args: Any) -> Any:
        found = original(*args)
        begun.append(found)
        return found

    monkeypatch.setattr(RunCache, "typesetting", lambda self, kind: kind == "contents")
    monkeypatch.setattr(pipeline, "_begin_assembly", beginning)
    assert build_runs(issue, jobs=2, store=False).pdf == serial
    assert len(begun) == 1


def test_an_earlier_rounds_contents_done_late_is_not_taken_for_the_wanted_one() -> None:
    """The page plan went back to round 1's numbers, whose contents document is
    typeset; round 2's (other numbers), left typesetting on an idle core, comes in
    later: the contents box keeps round 1's numbers, not round 2's."""
    from bulletin_press.runs import plan
    from bulletin_press.runs.worker import Guards, Job

    cache = RunCache(jobs=1, framed=True)
    wanted, other = _run("contents 1"), _run("contents 2")
    cache.frames["contents 1"] = wanted
    late: Future[list[TypesetRun]] = Future()
    cache.framing_later = {"contents 2": ("contents", 0, late)}
    plan._frame_for(cache, [Job("contents 1", plan.CONTENTS_CSS, Guards())], {})
    late.set_result([other])
    assert cache.contents is wanted
    assert cache.frames["contents 2"] is other  # kept: a later round may want it
