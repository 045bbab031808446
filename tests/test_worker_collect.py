"""A worker collects a typeset document's garbage (its boxes' reference cycles)
after handing back the job's runs, not before: the build waits for the runs,
not for the collection (runs/worker.py `typeset_collected`)."""

from __future__ import annotations

import gc
import threading
from pathlib import Path
from typing import Any

from bulletin_press.runs import worker

HTML = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>
@page { size: A5; margin: 15mm; } body { font: 10.5pt/18pt sans-serif; }</style></head><body>
<h1>关于仙霞路1045号小区二次供水设施改造的通知</h1>
<p>各位居民：仙霞路1045号小区二次供水设施改造工程定于12月9日（星期二）8:00—17:00施工，
届时3号、5号、7号楼暂停供水，请提前储水。施工单位Shanghai Water Works Co., Ltd.
现场负责人陈师傅，电话021-6238 1234转8012，手机139 1683 4472。</p>
<p>详情见www.xianxia-water.cn/notice/2026-12，或关注“仙霞社区”微信公众号。
给您带来的不便，敬请谅解。</p>
<p style="text-align: right">仙霞街道社区事务受理服务中心<br>2026年12月4日</p>
</body></html>"""


def test_a_worker_collects_after_returning_the_runs_not_before(tmp_path: Path) -> None:
    job = worker.Job(HTML, None, worker.Guards())
    collections: list[str] = []  # where each full collection ran

    def seen(phase: str, info: dict[str, Any]) -> None:
        if phase == "stop" and info["generation"] == 2:
            thread = threading.current_thread()
            collections.append("caller" if thread is threading.main_thread() else
                               "timer" if isinstance(thread, threading.Timer) else "other")

    enabled = gc.isenabled()
    gc.disable()  # only the collections asked for (by anyone: other tests' threads too)
    gc.callbacks.append(seen)
    try:
        before = set(threading.enumerate())
        runs = worker.typeset_collected(job, {"issue": tmp_path})
        during = list(collections)
        timers = [thread for thread in threading.enumerate()
                  if isinstance(thread, threading.Timer) and thread not in before]
        for thread in timers:
            thread.join(10)
    finally:
        gc.callbacks.remove(seen)
        if enabled:
            gc.enable()
    assert runs[0].pages == 1 and b"%PDF" in runs[0].pdf[:8]
    assert "caller" not in during  # none before the runs were handed back
    assert len(timers) == 1 and "timer" in collections  # one after, in a thread of its own
