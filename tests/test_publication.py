"""Internal publications (内部资料性出版物): what the layout prints, and one test
issue per rule of 《内部资料性出版物管理办法》 that `check` holds them to."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from bulletin_press.build.pipeline import build
from bulletin_press.checks.preflight import preflight
from bulletin_press.checks.publication import RULES, check_manifest
from bulletin_press.diagnostics import Diagnostic
from bulletin_press.layout.publication import colophon_items, cover_line
from bulletin_press.manifest.load import load_issue
from bulletin_press.pdf.text import page_texts

from .conftest import ROOT, SAMPLE, MakeIssue
from .test_cli import run

# A complete internal publication; each case below breaks one rule of it.
GOOD = """\
newsletter: 仙霞社区通讯
publisher: 长宁区仙霞新村街道
issue: {number: 7, volume: 88, date: 2024-07-15}
publication:
  kind: internal
  permit: 沪内资准字（长宁）第2024-017号
  issuer: 仙霞新村街道党群服务中心
  audience: 街道机关、各居民区党组织、驻区单位
  printer: 上海华联印刷有限公司（青浦区华新镇 88 号）
  copies: 2500
articles:
  - id: canteen
    section: 民生
    title: 虹古路社区食堂试运营 老人用餐可享九折
    subtitle: 每天 10:30—13:00 供应午餐，咨询电话 6259-8800
    byline: 通讯员 李倩
    body: |
      位于虹古路 355 号的社区长者食堂 7 月 1 日起试运营，首周已接待居民 1,200 余人次。

      街道表示，将根据 Wi-Fi 扫码点评（https://xianxia.example.cn/survey）调整菜单。
"""


def _place(diagnostic: Diagnostic) -> tuple[str | None, int | None, int | None]:
    loc = diagnostic.location
    return (loc.path.name if loc.path else None, loc.line, loc.column)


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


# Each case: rule, the manifest text replaced, its replacement, the text whose place
# the finding names (None: the `publication:` key).
MANIFEST_CASES = [
    ("publication.permit", "  permit: 沪内资准字（长宁）第2024-017号\n", "", None),
    ("publication.issuer", "  issuer: 仙霞新村街道党群服务中心\n", "", None),
    ("publication.audience", "  audience: 街道机关、各居民区党组织、驻区单位\n", "", None),
    ("publication.printer", "  printer: 上海华联印刷有限公司（青浦区华新镇 88 号）\n", "", None),
    ("publication.copies", "  copies: 2500\n", "", None),
    ("publication.name", "newsletter: 仙霞社区通讯", "newsletter: 仙霞社区报", "仙霞社区报"),
    ("publication.name", "newsletter: 仙霞社区通讯", "newsletter: 《仙霞周刊》", "《仙霞周刊》"),
    ("publication.name", "newsletter: 仙霞社区通讯", "newsletter: 仙霞杂志", "仙霞杂志"),
    ("publication.forbidden-word", "通讯员 李倩", "本报通讯员 李倩", "本报"),
    ("publication.forbidden-word", "title: 虹古路", "title: 本刊专访：虹古路", "本刊"),
    ("publication.forbidden-word", "首周已接待", "据记者了解，首周已接待", "记者"),
    ("publication.forbidden-word", "调整菜单。", "调整菜单。刊号另行通知。", "刊号"),
    ("publication.forbidden-word", "issuer: 仙霞新村街道党群服务中心",
     "issuer: 仙霞新村街道《社区》杂志社", "杂志社"),
    ("publication.price", "调整菜单。", "调整菜单。本资料定价：3.00元。", "定价"),
    ("publication.price", "调整菜单。", "调整菜单。每册 2 元，欢迎订阅。", "每册"),
    ("publication.price", "调整菜单。", "调整菜单。零售 ￥5。", "￥5"),
    ("publication.advertisement", "section: 民生", "section: 广告", "广告"),
]


@pytest.mark.parametrize(("code", "old", "new", "needle"), MANIFEST_CASES)
def test_each_rule_fails_with_its_name_and_place(make_issue: MakeIssue, code: str, old: str,
                                                  new: str, needle: str | None) -> None:
    assert old in GOOD
    text = GOOD.replace(old, new, 1)
    found = check_manifest(load_issue(make_issue(text)))
    assert [d.code for d in found] == [code], [d.format() for d in found]
    finding = found[0]
    assert "《内部资料性出版物管理办法》 第十" in finding.message and finding.hint
    line = _line_of(text, needle or "publication:")
    column = text.splitlines()[line - 1].index(needle or "publication:") + 1
    assert _place(finding) == ("issue.yaml", line, column)


def test_every_rule_has_a_case() -> None:
    covered = {case[0] for case in MANIFEST_CASES} | {"publication.cover-line",
                                                       "publication.colophon"}
    assert covered == {rule.code for rule in RULES}


def test_a_word_in_an_article_file_is_found_there(make_issue: MakeIssue) -> None:
    text = GOOD.replace("    body: |\n", "    body_file: canteen.md\n    body_unused: |\n")
    text = re.sub(r"    body_unused: \|\n(      .*\n|\n)*", "", text)
    folder = make_issue(text, files={"canteen.md": "第一段。\n\n第二段，本报讯。\n"})
    found = check_manifest(load_issue(folder))
    assert [(d.code, _place(d)) for d in found] == [
        ("publication.forbidden-word", ("canteen.md", 3, 5))]


def test_good_issue_passes_and_prints_everything(make_issue: MakeIssue) -> None:
    built = build(make_issue(GOOD))
    assert [d for d in preflight(built) if d.code.startswith("publication.")] == []
    folder = make_issue(GOOD, name="again")
    pages = page_texts(_write(built.pdf, folder / "x.pdf"))
    first = re.sub(r"\s+", "", pages[0])
    assert "准印证号：沪内资准字（长宁）第2024-017号" in first
    assert "内部资料，免费交流" in first
    last = re.sub(r"\s+", "", pages[-1])
    for item in ("编印单位：仙霞新村街道党群服务中心",
                 "发送对象：街道机关、各居民区党组织、驻区单位",
                 "印刷单位：上海华联印刷有限公司（青浦区华新镇88号）",
                 "印刷日期：2024年7月15日", "印数：2500份", "期号：2024年第7期（总第88期）"):
        assert item in last, item


def _write(data: bytes, path: Path) -> Path:
    path.write_bytes(data)
    return path


def test_print_date_defaults_to_the_issue_date(make_issue: MakeIssue) -> None:
    issue = load_issue(make_issue(GOOD))
    assert ("印刷日期", "2024年7月15日") in colophon_items(issue.manifest)
    later = load_issue(make_issue(GOOD.replace("  copies: 2500\n",
                                               "  copies: 2500\n  print_date: 2024-07-12\n"),
                                  name="dated"))
    assert ("印刷日期", "2024年7月12日") in colophon_items(later.manifest)


@pytest.mark.parametrize("publication", ["publication:\n  kind: public\n", ""])
def test_other_publications_are_not_held_to_the_rules(make_issue: MakeIssue,
                                                      publication: str) -> None:
    text = re.sub(r"publication:\n(  .*\n)+", publication, GOOD)
    text = text.replace("通讯员 李倩", "本报记者 李倩").replace("newsletter: 仙霞社区通讯",
                                                         "newsletter: 仙霞社区报")
    issue = load_issue(make_issue(text))
    assert check_manifest(issue) == []
    assert cover_line(issue.manifest) is None and colophon_items(issue.manifest) == []


def _layout_without(make_issue: MakeIssue, css: str) -> Path:
    """The good issue in a layout that hides what the rules want printed."""
    folder = make_issue(GOOD)
    project = folder.parent
    shutil.copytree(ROOT / "layouts" / "two-column", project / "layouts" / "two-column")
    bare = project / "layouts" / "bare"
    bare.mkdir()
    (bare / "layout.yaml").write_text(
        "extends: two-column\nname: bare\nstylesheets: [style.css, bare.css]\n")
    (bare / "bare.css").write_text(css + "\n")
    manifest = folder / "issue.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "layout: bare\n",
                        encoding="utf-8")
    return folder


def test_cover_line_not_printed_fails(make_issue: MakeIssue) -> None:
    folder = _layout_without(make_issue, ".cover-line { display: none; }")
    found = [d for d in preflight(build(folder)) if d.code.startswith("publication.")]
    assert [(d.code, d.location.page) for d in found] == [("publication.cover-line", 1)]
    assert "沪内资准字（长宁）第2024-017号" in found[0].message


def test_colophon_not_printed_fails(make_issue: MakeIssue) -> None:
    folder = _layout_without(make_issue, ".colophon dl { display: none; }")
    found = [d for d in preflight(build(folder)) if d.code.startswith("publication.")]
    assert {d.code for d in found} == {"publication.colophon"} and len(found) == 6
    assert all(d.location.page == 1 for d in found)


def test_check_command_reports_rule_and_place(make_issue: MakeIssue) -> None:
    text = GOOD.replace("通讯员 李倩", "本报记者 李倩").replace("  copies: 2500\n", "")
    folder = make_issue(text)
    result = run("check", folder)
    assert result.returncode == 1
    printed = result.stdout + result.stderr  # findings go to stderr, the tally to stdout
    byline = _line_of(text, "本报记者")
    assert f"issue.yaml:{byline}:13: error: internal publication: '本报' in article 1 " \
           f"《虹古路社区食堂试运营 老人用餐可…》" in printed
    assert "[publication.forbidden-word]" in printed
    assert f"issue.yaml:{_line_of(text, 'publication:')}:1: error: internal publication: " \
           "no print run (印数)" in printed and "[publication.copies]" in printed


def test_sample_declares_itself_internal_and_passes() -> None:
    issue = load_issue(SAMPLE)
    assert issue.manifest.publication is not None
    assert issue.manifest.publication.kind == "internal"
    assert "placeholder" in (SAMPLE / "issue.yaml").read_text(encoding="utf-8")
    assert check_manifest(issue) == []
    built = build(SAMPLE)
    assert [d for d in preflight(built) if d.code.startswith("publication.")] == []
