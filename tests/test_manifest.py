"""Stage 1: manifest loading and validation, with every error pointing at its line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bulletin_press.diagnostics import BuildError, Diagnostic
from bulletin_press.manifest.load import load_issue
from bulletin_press.manifest.model import json_schema

from .conftest import HEADER, SAMPLE, MakeIssue


def errors_of(folder: Path) -> list[Diagnostic]:
    with pytest.raises(BuildError) as info:
        load_issue(folder)
    return info.value.diagnostics


def test_sample_loads() -> None:
    issue = load_issue(SAMPLE)
    m = issue.manifest
    assert m.newsletter == "新泾通讯"
    assert [a.id for a in m.articles] == ["party-congress", "people-congress"]
    assert m.issue.volume == 245 and m.issue.date.isoformat() == "2023-01-10"
    assert issue.bodies["party-congress"].startswith("中共长宁区新泾镇")


def test_unknown_field_points_at_key_with_suggestion(make_issue: MakeIssue,
                                                     sample_photo: Path) -> None:
    folder = make_issue(HEADER + """\
          - id: a
            title: 标题
            body: 正文。
            photos:
              - file: p.jpg
                captoin: 说明
        """, {"p.jpg": sample_photo})
    [d] = errors_of(folder)
    assert d.code == "manifest.unknown-field"
    assert "'captoin'" in d.message and "photo" in d.message
    assert (d.location.line, d.location.column) == (10, 7)
    assert d.hint == "did you mean 'caption'?"
    assert d.format().startswith(f"{d.location.path}:10:7: error: unknown field 'captoin'")


def test_all_errors_reported_at_once(make_issue: MakeIssue) -> None:
    folder = make_issue("""\
        newsletter: 测试
        issue: {number: one, date: 2024-01-01}
        layout: three-column
        articles:
          - id: a
            title: 2023
            body: 正文。
          - id: a
            title: 标题
            body: 正文。
            photos:
              - {file: missing.jpg, caption: 说明}
              - {file: ../../etc/hostname, caption: 说明}
          - id: Bad_Id
            title: 标题
            body: 正文。
            body_file: x.md
            layout: {start: next-page}
        """)
    found = {(d.code, d.location.line) for d in errors_of(folder)}
    assert found == {
        ("manifest.missing-field", 1),      # publisher (reported on the manifest)
        ("manifest.wrong-type", 2),         # number: one
        ("manifest.unknown-layout", 3),
        ("manifest.wrong-type", 6),         # title: 2023 is a number
        ("manifest.duplicate-id", 8),
        ("manifest.photo-not-found", 12),
        ("manifest.photo-outside", 13),
        ("manifest.bad-id", 14),
        ("manifest.body", 14),              # body and body_file both given
        ("manifest.body-not-found", 17),
        ("manifest.bad-value", 18),         # start: next-page
    }


def test_unknown_layout_lists_existing(make_issue: MakeIssue) -> None:
    folder = make_issue("""\
        newsletter: 测试
        publisher: 测试镇
        issue: {number: 1, date: 2024-01-01}
        layout: two-colum
        articles: [{id: a, title: 标题, body: 正文。}]
        """)
    [d] = errors_of(folder)
    assert d.code == "manifest.unknown-layout" and d.location.line == 4
    assert d.hint is not None and "did you mean 'two-column'?" in d.hint
    assert "layouts that exist: two-column" in d.hint


def test_missing_required_field_names_it(make_issue: MakeIssue) -> None:
    folder = make_issue("""\
        newsletter: 测试
        publisher: 测试镇
        issue: {number: 1}
        articles: [{id: a, title: 标题, body: 正文。}]
        """)
    [d] = errors_of(folder)
    assert d.code == "manifest.missing-field"
    assert "'date'" in d.message and d.location.line == 3


def test_yaml_syntax_error_has_position(make_issue: MakeIssue) -> None:
    folder = make_issue("newsletter: 测试\npublisher: [未闭合\narticles: []\n")
    [d] = errors_of(folder)
    assert d.code == "manifest.syntax" and d.location.line is not None


def test_gbk_file_is_reported_with_line_and_hint(make_issue: MakeIssue) -> None:
    folder = make_issue()
    (folder / "issue.yaml").write_bytes("newsletter: 测试\npublisher: 新泾镇\n".encode("gbk"))
    [d] = errors_of(folder)
    assert d.code == "manifest.encoding" and d.location.line == 1
    assert d.hint is not None and "GBK" in d.hint


def test_alias_bomb_is_refused(make_issue: MakeIssue) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1},"
              f" *a{i-1}, *a{i-1}, *a{i-1}]" for i in range(1, 9)]
    folder = make_issue("\n".join(lines) + "\n")
    [d] = errors_of(folder)
    assert d.code == "manifest.too-complex"


def test_raw_html_in_manifest_is_just_text(make_issue: MakeIssue) -> None:
    folder = make_issue("""\
        newsletter: <b>测试</b>
        publisher: 测试镇
        issue: {number: 1, date: 2024-01-01}
        articles: [{id: a, title: '<img src=x>', body: '<script>x</script>'}]
        """)
    issue = load_issue(folder)
    assert issue.manifest.newsletter == "<b>测试</b>"


def test_schema_is_valid_json_schema_with_fields() -> None:
    schema = json_schema()
    text = json.dumps(schema, ensure_ascii=False)
    assert schema["type"] == "object"
    assert set(schema["required"]) == {"newsletter", "publisher", "issue", "articles"}  # type: ignore[arg-type]
    for name in ("Photo", "Article", "IssueInfo"):
        assert name in schema["$defs"]  # type: ignore[operator]
    assert "full-width" in text and "additionalProperties" in text
