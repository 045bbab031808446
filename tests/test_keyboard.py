"""Mistakes a Chinese keyboard makes in issue.yaml: each found before the YAML parser,
on its own line and column, naming the character, with the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin_press.diagnostics import BuildError, Diagnostic
from bulletin_press.manifest.keyboard import keyboard_mistakes
from bulletin_press.manifest.load import load_issue

from .conftest import HEADER, SAMPLE, MakeIssue


@pytest.fixture
def make_issue(make_issue: MakeIssue) -> MakeIssue:
    """The manifest written exactly as given (the shared fixture dedents it)."""
    def make(manifest: str, name: str = "issue") -> Path:
        folder = make_issue(manifest, name=name)
        (folder / "issue.yaml").write_text(manifest, encoding="utf-8")
        return folder
    return make


def errors_of(folder: Path) -> list[Diagnostic]:
    with pytest.raises(BuildError) as caught:
        load_issue(folder)
    return caught.value.diagnostics


def only(folder: Path) -> Diagnostic:
    [found] = errors_of(folder)
    return found


ARTICLE = """\
  - id: first
    title: 第一篇
    body: |
      正文。
"""


def test_fullwidth_colon_after_a_key(make_issue: MakeIssue) -> None:
    d = only(make_issue(HEADER + "  - id: first\n    title：社区新闻\n    body: 正文。\n"))
    assert d.code == "manifest.fullwidth-colon"
    assert (d.location.line, d.location.column) == (6, 10)  # the “：” itself
    assert "“：”" in d.message and "“title”" in d.message
    assert d.hint and "title: " in d.hint


def test_fullwidth_space_in_the_indentation(make_issue: MakeIssue) -> None:
    d = only(make_issue(HEADER + "  - id: first\n\u3000\u3000title: 社区新闻\n    body: 正文。\n"))
    assert d.code == "manifest.fullwidth-space"
    assert (d.location.line, d.location.column) == (6, 1)
    assert "U+3000" in d.message and "ordinary spaces" in d.message


def test_tab_in_the_indentation(make_issue: MakeIssue) -> None:
    d = only(make_issue(HEADER + "  - id: first\n  \ttitle: 社区新闻\n    body: 正文。\n"))
    assert d.code == "manifest.tab"
    assert (d.location.line, d.location.column) == (6, 3)
    assert "tab" in d.message


@pytest.mark.parametrize(("marker", "name"), [("－", "hyphen"), ("＊", "asterisk")])
def test_fullwidth_list_marker(make_issue: MakeIssue, marker: str, name: str) -> None:
    d = only(make_issue(HEADER + ARTICLE + f"  {marker} id: second\n    title: 第二篇\n"
                        "    body: 正文。\n"))
    assert d.code == "manifest.fullwidth-marker"
    assert (d.location.line, d.location.column) == (9, 3)
    assert f"“{marker}”" in d.message and name in d.message
    assert d.hint and "“- ”" in d.hint


def test_chinese_quotes_around_a_value(make_issue: MakeIssue, tmp_path: Path) -> None:
    folder = make_issue(HEADER + "  - id: first\n    title: 第一篇\n    body: 正文。\n"
                        "    photos:\n      - file: “images/a.jpg”\n        caption: 说明\n")
    d = only(folder)
    assert d.code == "manifest.chinese-quotes"
    assert (d.location.line, d.location.column) == (9, 15)  # the opening “
    assert "“”" in d.message and "“file”" in d.message


def test_chinese_quotes_in_a_title_are_text(make_issue: MakeIssue) -> None:
    # “四力四城”建设 is a quotation in the headline, not a YAML quote typed in Chinese.
    text = HEADER + "  - id: first\n    title: “四力四城”建设\n    body: 正文。\n"
    assert keyboard_mistakes(text, Path("issue.yaml")) == []
    assert load_issue(make_issue(text)).manifest.articles[0].title == "“四力四城”建设"


def test_body_without_bar_would_merge_paragraphs(make_issue: MakeIssue) -> None:
    d = only(make_issue(HEADER + "  - id: first\n    title: 第一篇\n    body: 第一段，\n"
                        "      接着写。\n\n      第二段。\n"))
    assert d.code == "manifest.body-without-bar"
    assert (d.location.line, d.location.column) == (7, 10)  # after “body:”
    assert "“|”" in d.message and "merged" in d.message
    assert d.hint and "body: |" in d.hint


def test_body_without_bar_with_a_colon_inside_is_not_a_yaml_error(
        make_issue: MakeIssue) -> None:
    # YAML alone says "mapping values are not allowed here" on the line of 时间:
    d = only(make_issue(HEADER + "  - id: first\n    title: 第一篇\n    body:\n"
                        "      活动安排如下\n      时间: 上午九点\n"))
    assert d.code == "manifest.body-without-bar" and d.location.line == 7


def test_fullwidth_bar_after_body(make_issue: MakeIssue) -> None:
    found = errors_of(make_issue(HEADER + "  - id: first\n    title: 第一篇\n    body: ｜\n"
                                 "      第一段。\n\n      第二段。\n"))
    assert [(d.code, d.location.line, d.location.column) for d in found] == [
        ("manifest.fullwidth-bar", 7, 11)]
    assert "“｜”" in found[0].message


def test_key_typed_in_chinese(make_issue: MakeIssue) -> None:
    d = only(make_issue(HEADER + "  - id: first\n    标题: 社区新闻\n    body: 正文。\n"))
    assert d.code == "manifest.chinese-key"
    assert (d.location.line, d.location.column) == (6, 5)
    assert "“标题”" in d.message
    assert d.hint and "“title:”" in d.hint


def test_several_mistakes_reported_at_once(make_issue: MakeIssue) -> None:
    found = errors_of(make_issue(HEADER + "  - id: first\n    标题：社区新闻\n"
                                 "\u3000\u3000body: 正文。\n"))
    assert [(d.code, d.location.line, d.location.column) for d in found] == [
        ("manifest.chinese-key", 6, 5), ("manifest.fullwidth-colon", 6, 7),
        ("manifest.fullwidth-space", 7, 1)]


def test_block_text_is_never_judged(make_issue: MakeIssue) -> None:
    # Inside `body: |` full-width colons, spaces and dashes are the article's text.
    text = HEADER + ("  - id: first\n    title: 第一篇\n    body: |\n"
                     "      报告指出：\n      \u3000\u3000缩进的段落\n      － 破折号开头\n"
                     "      title：正文里的字\n")
    assert keyboard_mistakes(text, Path("issue.yaml")) == []
    assert load_issue(make_issue(text)).bodies["first"].startswith("报告指出：")


def test_the_sample_has_no_keyboard_mistakes() -> None:
    text = (SAMPLE / "issue.yaml").read_text(encoding="utf-8")
    assert keyboard_mistakes(text, SAMPLE / "issue.yaml") == []


def test_chinese_article_ids(make_issue: MakeIssue) -> None:
    issue = load_issue(make_issue(HEADER + "  - id: 党代会\n    title: 党代会\n    body: 正文。\n"
                                  "  - id: 第2篇-2023\n    title: 二\n    body: 正文。\n"))
    assert [a.id for a in issue.manifest.articles] == ["党代会", "第2篇-2023"]
    for bad in ("两个 字", "a/b"):
        d = only(make_issue(HEADER + f"  - id: {bad}\n    title: 标题\n    body: 正文。\n",
                            name=bad.replace("/", "_")))
        assert d.code == "manifest.bad-id" and d.location.line == 5


@pytest.mark.slow
def test_chinese_ids_build_with_working_links(make_issue: MakeIssue, tmp_path: Path) -> None:
    from pypdf import PdfReader

    from bulletin_press.build.pipeline import build

    folder = make_issue(HEADER + "  - id: 党代会\n    title: 党代会隆重召开\n    body: 正文。\n"
                        "  - id: 人代会\n    title: 人代会顺利召开\n    body: 正文。\n"
                        "    layout: {start: new-page}\n")
    (tmp_path / "out.pdf").write_bytes(build(folder).pdf)
    reader = PdfReader(tmp_path / "out.pdf")
    assert {"article-党代会", "article-人代会"} <= set(reader.named_destinations)
    assert reader.get_destination_page_number(reader.named_destinations["article-人代会"]) == 1


@pytest.mark.parametrize("dash", ["—", "–"])
def test_a_dash_as_list_marker(make_issue: MakeIssue, dash: str) -> None:
    """A list marker pasted from Word or WeChat, which turn "- " into a dash (outside
    s12): the parser said "a ': ' where YAML does not expect one" on the next line."""
    d = only(make_issue(HEADER + ARTICLE + f"  {dash} id: second\n    title: 第二篇\n"
                        "    body: 正文。\n"))
    assert d.code == "manifest.fullwidth-marker"
    assert (d.location.line, d.location.column) == (9, 3)
    assert f"“{dash}”" in d.message and d.hint and "“- ”" in d.hint


def test_a_fullwidth_comma_between_fields_in_braces(make_issue: MakeIssue) -> None:
    """`issue: {number: 7，date: 2026-07-10}` typed with the input method in Chinese
    (outside s12): "a mapping opened with a curly bracket is not closed with one". A
    full-width comma inside a caption's text stays text."""
    d = only(make_issue(HEADER.replace("{number: 1, date", "{number: 1，date") + """\
  - id: first
    title: 第一篇
    body: 正文。
    photos:
      - {file: a.jpg, caption: 志愿者在投放点，指导居民分类}
"""))
    assert d.code == "manifest.fullwidth-comma"
    assert (d.location.line, d.location.column) == (3, 18)
    assert "“，”" in d.message and "“date”" in d.message
