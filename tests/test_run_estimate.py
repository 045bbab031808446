"""The first round's guesses (runs/plan.py `estimate`): each page run's page count and
the page each article starts on, so that the contents box of the first run is right
the first time and every run is typeset once."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin_press.layout.prepare import prepare
from bulletin_press.runs.plan import RunCache, estimate, split_runs, update

from .conftest import HEADER, MakeIssue

PARAGRAPH = ("长宁区新泾镇社区事务受理服务中心（哈密路1955号）自2024年3月1日起试行“一网通办”"
             "延时服务，工作日晚上8点前可办理医保、社保卡补换等63项业务，咨询电话021-62205960。"
             "居民也可通过“随申办”App预约，详情见https://www.shcn.gov.cn/xinjing。")


def _article(name: str, paragraphs: int, start: str) -> str:
    body = "\n\n      ".join([PARAGRAPH] * paragraphs)
    return (f"  - id: {name}\n    section: 社区\n    title: {name}“一网通办”延时服务试行首月\n"
            f"    layout: {{start: {start}}}\n    body: |\n      {body}\n")


def _issue(make_issue: MakeIssue) -> Path:
    # Run 1: one short article. Run 2: articles that continue one after another
    # over several pages, each listed in the contents box of run 1.
    articles = [_article("lead", 3, "continue"), _article("second", 14, "new-page")]
    articles += [_article(f"more{i}", 10 + i, "continue") for i in range(4)]
    return make_issue(HEADER + "".join(articles))


def test_articles_later_in_a_run_are_guessed_on_later_pages(make_issue: MakeIssue) -> None:
    prepared = prepare(_issue(make_issue))
    runs = split_runs(prepared.context.context["flows"])
    assert len(runs) == 2
    pages, anchors = estimate(prepared, runs[1], False)
    assert pages >= 3
    assert anchors["article-second"] == 1
    assert list(anchors.values()) == sorted(anchors.values())
    assert anchors["article-more3"] >= 3


@pytest.mark.slow
def test_each_run_is_typeset_once(make_issue: MakeIssue) -> None:
    prepared = prepare(_issue(make_issue))
    cache = RunCache(framed=True)
    done = update(prepared, cache)
    runs = split_runs(prepared.context.context["flows"])
    guessed = [estimate(prepared, run, index == 0) for index, run in enumerate(runs)]
    assert [run.pages for run in done] == [pages for pages, _ in guessed]
    assert {a: p for a, p in done[1].anchors.items() if a.startswith("article-")} == \
        guessed[1][1]
    assert cache.typeset_count == 2  # a wrong guess for run 2 typesets run 1 again
