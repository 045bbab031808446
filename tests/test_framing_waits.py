"""A round's end gives its contents document to a core only when no framing document
still holds one (runs/plan.py `_frame_for`, `_Waiting`): flow-16's 9-page run of the
second round waited while the frame (a filler of the first round) and the first round's
contents, whose numbers the second round changed, held both cores. No typesetting here:
a pool that records what it is given, and futures ended by hand."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest

from bulletin_press.runs import plan
from bulletin_press.runs.plan import CONTENTS_CSS, FRAME_CSS, RunCache, _frame_for
from bulletin_press.runs.worker import Guards, Job, TypesetRun

# The contents box of a 仙霞通讯 issue as the contents document shows it (its numbers:
# the round's), and the frame's running heads.
CONTENTS_HTML = (
    '<ul class="toc"><li><a href="#article-water" data-page="1">茅台路1045号一带'
    '12月9日停水通知（咨询 021-6238 1234转8012）</a></li>'
    '<li><a href="#article-clinic" data-page="3">社区卫生服务中心延时门诊：'
    '每周二、四 17:00—20:00</a></li>'
    '<li><a href="#article-renewal" data-page="5">Shanghai Urban Renewal Co., Ltd. '
    '来社区答疑：加装电梯怎么申请（www.shcn.gov.cn/xianxia）</a></li></ul>')
FRAME_HTML = '<p class="running">仙霞通讯 2026年12月</p>'


class _Pool:
    """What `worker_pool` gives: records each job given, returns a future to end by hand."""

    def __init__(self) -> None:
        self.given: list[tuple[Job, Future[list[TypesetRun]]]] = []

    def submit(self, _fn: Any, job: Job, _mounts: Any) -> Future[list[TypesetRun]]:
        future: Future[list[TypesetRun]] = Future()
        future.set_running_or_notify_cancel()
        self.given.append((job, future))
        return future

    def __enter__(self) -> _Pool:
        return self

    def __exit__(self, *_: object) -> None:
        return None


@pytest.fixture
def pool(monkeypatch: pytest.MonkeyPatch) -> Iterator[_Pool]:
    fake = _Pool()
    monkeypatch.setattr(plan, "worker_pool", lambda _processes: fake)
    yield fake


def _cache_with_frame_running(pool: _Pool) -> tuple[RunCache, Future[list[TypesetRun]]]:
    cache = RunCache(jobs=2, framed=True)
    frame = Job(FRAME_HTML, FRAME_CSS, Guards())
    running = pool.submit(None, frame, {})
    cache.framing_later[FRAME_HTML] = ("frame", 20, running)
    return cache, running


def _typeset(job: Job) -> list[TypesetRun]:
    return [TypesetRun(job.html, b"%PDF", 1, {})]


def test_a_rounds_contents_waits_for_the_frame_still_typeset(pool: _Pool) -> None:
    cache, frame = _cache_with_frame_running(pool)
    contents = Job(CONTENTS_HTML, CONTENTS_CSS, Guards())
    _frame_for(cache, [contents], {"issue": Path("/nowhere")})
    # Both cores: the frame's and the one left for the next round's runs.
    assert [job.html for job, _ in pool.given] == [FRAME_HTML]
    assert cache.waiting is not None and cache.waiting.jobs == [contents]
    assert cache.frame_due is None  # not due: given out when the frame ends
    assert not cache.typesetting("contents")
    frame.set_result(_typeset(Job(FRAME_HTML, FRAME_CSS, Guards())))
    # The frame ended while this process plans the next round: the contents goes now,
    # and is taken in as a document given out at the round's end.
    assert [job.html for job, _ in pool.given] == [FRAME_HTML, CONTENTS_HTML]
    assert cache.typesetting("contents")
    pool.given[-1][1].set_result(_typeset(contents))
    assert cache.typeset_last("contents") is not None
    assert cache.contents is not None and cache.contents.html == CONTENTS_HTML
    assert [job.html for job, _ in pool.given] == [FRAME_HTML, CONTENTS_HTML]  # once


def test_once_the_next_round_gives_out_its_jobs_the_waiting_contents_is_not_given(
        pool: _Pool) -> None:
    cache, frame = _cache_with_frame_running(pool)
    contents = Job(CONTENTS_HTML, CONTENTS_CSS, Guards())
    _frame_for(cache, [contents], {"issue": Path("/nowhere")})
    plan._take_waiting(cache, close=True)  # what a round's pass does before its jobs
    frame.set_result(_typeset(Job(FRAME_HTML, FRAME_CSS, Guards())))
    assert [job.html for job, _ in pool.given] == [FRAME_HTML]
    assert cache.waiting is None
    assert cache.frame_due is None  # the round's own contents go with its runs


def test_asked_for_before_the_frame_ends_the_waiting_contents_is_given_then(
        pool: _Pool) -> None:
    cache, frame = _cache_with_frame_running(pool)
    contents = Job(CONTENTS_HTML, CONTENTS_CSS, Guards())
    _frame_for(cache, [contents], {"issue": Path("/nowhere")})
    cache.send_framing()  # the plan is done: the build gives out what is due
    assert [job.html for job, _ in pool.given] == [FRAME_HTML, CONTENTS_HTML]
    assert cache.typesetting("contents")
    frame.set_result(_typeset(Job(FRAME_HTML, FRAME_CSS, Guards())))
    assert [job.html for job, _ in pool.given] == [FRAME_HTML, CONTENTS_HTML]  # once


def test_with_no_framing_document_typeset_the_contents_goes_at_once(pool: _Pool) -> None:
    cache = RunCache(jobs=2, framed=True)
    contents = Job(CONTENTS_HTML, CONTENTS_CSS, Guards())
    _frame_for(cache, [contents], {"issue": Path("/nowhere")})
    assert [job.html for job, _ in pool.given] == [CONTENTS_HTML]
    assert cache.frame_due is None and cache.waiting is None


class _Ended:
    """A pool that has ended (its workers let go after a while unused)."""

    def submit(self, *_: Any) -> Future[list[TypesetRun]]:
        raise RuntimeError("cannot schedule new futures after shutdown")


def test_a_waiting_contents_the_ended_pool_refused_is_due(pool: _Pool) -> None:
    cache, frame = _cache_with_frame_running(pool)
    contents = Job(CONTENTS_HTML, CONTENTS_CSS, Guards())
    _frame_for(cache, [contents], {"issue": Path("/nowhere")})
    assert cache.waiting is not None
    cache.waiting.pool = _Ended()
    frame.set_result(_typeset(Job(FRAME_HTML, FRAME_CSS, Guards())))
    assert [job.html for job, _ in pool.given] == [FRAME_HTML]
    cache.send_framing()  # the build asks: given out now, not lost
    assert [job.html for job, _ in pool.given] == [FRAME_HTML, CONTENTS_HTML]
