"""YAML mistakes an editor makes, each named at the line where it was made and in words an
editor reads (libyaml, the C parser the program uses, words them its own way), never only
"the indentation does not line up" lines further down."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin_press.diagnostics import BuildError, Diagnostic
from bulletin_press.manifest.load import load_issue

from .conftest import MakeIssue

ISSUE = """\
newsletter: 新泾通讯
publisher: 长宁区新泾镇
issue: {number: 12, date: 2026-12-25}
articles:
  - id: 长者食堂
    title: 长者食堂开到家门口
    byline: 文/李梦洁
    body: |
      “一荤两素一汤，只要15元。”张阿婆说: "比自己做饭还便宜
      （她说的是'敬老卡'的补贴）。
  - id: 绿道
    title: 新泾绿道全线贯通
    body: 全长3.5公里。
"""


def only_error(make_issue: MakeIssue, old: str, new: str) -> Diagnostic:
    assert old in ISSUE
    folder: Path = make_issue(ISSUE.replace(old, new))
    with pytest.raises(BuildError) as info:
        load_issue(folder)
    [found] = info.value.diagnostics
    assert found.code == "manifest.syntax"
    return found


def test_the_issue_itself_loads(make_issue: MakeIssue) -> None:
    assert len(load_issue(make_issue(ISSUE)).manifest.articles) == 2


@pytest.mark.parametrize(("old", "new", "line", "words"), [
    # Quoted, then closed again lines further on by the next quote: YAML fails at line 11
    # or 13 saying the indentation is wrong; the quote on line 7 is the mistake.
    ("byline: 文/李梦洁", 'byline: "文/李梦洁', 7, 'the quote " that starts this value is not '
                                                 "closed on its line"),
    ("title: 新泾绿道全线贯通", "title: '新泾绿道全线贯通", 12, "the quote ' that starts"),
    # Quotes inside a quoted title close it early.
    ("title: 长者食堂开到家门口", 'title: "长者食堂"开到"家门口"', 6,
     'the text in quotes ends at the " in column 17, and more text follows it'),
    ("byline: 文/李梦洁", "byline: 'It's 李梦洁'", 7, "the text in quotes ends at the '"),
    # libyaml's own words, put in an editor's.
    ("title: 长者食堂开到家门口", "title: 长者食堂: 开到家门口", 6, "a ': ' where YAML does not "
                                                        "expect one"),
    ("issue: {number: 12, date: 2026-12-25}", "issue: {number: 12, date: 2026-12-25", 3,
     "a mapping opened with a curly bracket is not closed"),
    ("body: 全长3.5公里。", "photos: [{file: images/a.jpg, caption: 绿道}\n    body: 全长3.5公里。",
     13, "a list opened with '[' is not closed with ']'"),
    ("byline: 文/李梦洁", "byline: @李梦洁", 7, "a value starts with a character YAML keeps"),
    ("body: 全长3.5公里。", 'body: "全长3.5公里，见C:\\稿件"', 13, "a backslash in a text in"),
])
def test_a_yaml_mistake_is_named_where_it_was_made(make_issue: MakeIssue, old: str, new: str,
                                                   line: int, words: str) -> None:
    found = only_error(make_issue, old, new)
    assert found.location.line == line, found.format()
    assert words in found.message, found.format()


def test_quotes_in_a_body_are_text_not_the_mistake(make_issue: MakeIssue) -> None:
    # The body's unclosed " and ' (line 9) are text; the mistake is the colon on line 12.
    found = only_error(make_issue, "title: 新泾绿道全线贯通", "title: 新泾绿道: 全线贯通")
    assert found.location.line == 12 and "a ': '" in found.message


def test_escaped_quotes_and_a_comment_after_the_quotes_are_fine(make_issue: MakeIssue) -> None:
    folder = make_issue(ISSUE.replace("title: 长者食堂开到家门口",
                                      'title: "长者食堂 \\"开到\\" 家门口"  # 12月号'))
    assert load_issue(folder).manifest.articles[0].title == '长者食堂 "开到" 家门口'
