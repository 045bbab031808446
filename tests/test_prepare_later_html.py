"""The print build never reads the whole issue's HTML (each page run is rendered
from its own): `prepare(..., later_html=True)` leaves it to be rendered when read,
~3 ms of the main process before the first run is sent, while the workers wait
for it. Tested on an issue of our own."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bulletin_press.build.pipeline import build_runs
from bulletin_press.diagnostics import BuildError
from bulletin_press.layout import prepare as prepare_module
from bulletin_press.layout.prepare import prepare

from .conftest import ROOT

MANIFEST = """newsletter: 仙霞通讯
publisher: 长宁区仙霞新村街道
issue: {number: 12, volume: 188, date: 2026-12-04}
colophon:
  office: 《仙霞通讯》编辑部
  address: 上海市长宁区茅台路1045号
  phone: 021-6238 1234转8012
articles:
  - id: water
    section: 通知
    title: 仙霞路1045号小区二次供水设施改造 12月9日暂停供水
    body: |
      各位居民：仙霞路1045号小区二次供水设施改造工程定于12月9日（星期二）8:00—17:00施工。

      届时3号、5号、7号楼暂停供水，请提前储水。

      施工单位Shanghai Water Works Co., Ltd.现场负责人陈师傅，手机139 1683 4472。

      详情见www.xianxia-water.cn/notice/2026-12。
  - id: clinic
    section: 服务
    title: 社区卫生服务中心延时门诊 工作日开到晚上八点
    body: |
      自12月起，仙霞社区卫生服务中心（威宁路58号）工作日延时门诊开放到20:00。

      可配药、测血压、预约家庭医生Emily Chen的随访。

      预约电话6270 5500，网上预约https://www.shcn.gov.cn/xianxia/clinic，平均等候时间已缩短到15分钟。
"""


@pytest.fixture
def issue(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    folder = project / "issues" / "2026-12"
    folder.mkdir(parents=True)
    (folder / "issue.yaml").write_text(MANIFEST, encoding="utf-8")
    shutil.copytree(ROOT / "layouts", project / "layouts")
    (project / "fonts").mkdir()
    return folder


def _counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """prepare's own renders of the whole issue's HTML, counted."""
    calls: list[int] = []
    real = prepare_module.render_html

    def render(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(prepare_module, "render_html", render)
    return calls


def test_prepare_leaves_the_whole_issue_html_for_later(
        issue: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _counted(monkeypatch)
    later = prepare(issue, later_html=True)
    assert calls == []
    eager = prepare(issue)
    assert calls == [1]
    assert later.html.html == eager.html.html  # rendered now, the same
    assert "仙霞路1045号小区" in later.html.html


@pytest.mark.slow
def test_the_print_build_renders_no_whole_issue_html(
        issue: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _counted(monkeypatch)
    built = build_runs(issue, jobs=1, store=False)
    assert calls == [] and built.page_count >= 1
    # A template error is still the build's error, from the first run's render.
    template = issue.parents[1] / "layouts" / "two-column" / "masthead.html.j2"
    template.write_text(template.read_text(encoding="utf-8") + "{% if %}\n", encoding="utf-8")
    with pytest.raises(BuildError) as raised:
        build_runs(issue, jobs=1, store=False)
    assert [d.code for d in raised.value.diagnostics] == ["layout.template-syntax"]
