"""Stage 1: manifest loading and validation, with every error pointing at its line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bulletin_press.diagnostics import BuildError, Diagnostic
from bulletin_press.manifest.load import load_issue
from bulletin_press.manifest.model import BODY, LINE, NAME, PASSAGE, SHORT, json_schema

from .conftest import HEADER, MINIMAL, SAMPLE, MakeIssue


def errors_of(folder: Path) -> list[Diagnostic]:
    with pytest.raises(BuildError) as info:
        load_issue(folder)
    return info.value.diagnostics


def test_sample_loads() -> None:
    issue = load_issue(SAMPLE)
    m = issue.manifest
    assert m.newsletter == "新泾通讯"
    assert [a.id for a in m.articles] == ["party-congress", "people-congress",
                                          "spring-festival-services", "fire-safety-check"]
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
          - id: bad/id
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


def test_a_manifest_saved_as_unicode_by_notepad_is_named_utf16(make_issue: MakeIssue) -> None:
    """Notepad's 另存为 → 编码 "Unicode" writes UTF-16 with its byte-order mark: the error
    said only "not valid UTF-8", which an editor cannot match to what Notepad offered."""
    folder = make_issue()
    text = "newsletter: 新泾社区报\r\npublisher: 长宁区新泾镇\r\npages: 8\r\n"
    for raw in (b"\xff\xfe" + text.encode("utf-16-le"), b"\xfe\xff" + text.encode("utf-16-be")):
        (folder / "issue.yaml").write_bytes(raw)
        [d] = errors_of(folder)
        assert d.code == "manifest.encoding" and d.location.line == 1
        assert d.hint and "UTF-16" in d.hint and "'Unicode'" in d.hint and "GBK" not in d.hint


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


LIMITED = HEADER.replace("publisher: 测试镇", "publisher: @publisher").replace(
    "newsletter: 测试", "newsletter: @newsletter") + """\
  - id: a
    section: @section
    title: @title
    subtitle: 副题
    byline: 通讯员 张三
    body: 正文。
    photos:
      - {file: p.jpg, caption: @caption, credit: @credit}
colophon: {address: @address, phone: @phone}
"""
FIELDS = {"newsletter": (NAME, 1), "publisher": (LINE, 2), "section": (SHORT, 6),
          "title": (LINE, 7),
          "caption": (PASSAGE, 12), "credit": (LINE, 12), "address": (PASSAGE, 13),
          "phone": (LINE, 13)}


def _limited(**long: str) -> str:
    values = {"newsletter": "测试", "publisher": "测试镇", "section": "要闻", "title": "标题",
              "caption": "说明",
              "credit": "摄影 王五", "address": "上海市长宁区", "phone": "021-6260 0000"}
    text = LIMITED
    for field, value in {**values, **long}.items():
        text = text.replace(f"@{field}", value)
    return text


@pytest.mark.parametrize("field", sorted(FIELDS))
def test_every_text_field_has_a_limit(field: str, make_issue: MakeIssue,
                                      sample_photo: Path) -> None:
    limit, line = FIELDS[field]
    at_limit = make_issue(_limited(**{field: "长" * limit}), {"p.jpg": sample_photo})
    load_issue(at_limit)
    over = make_issue(_limited(**{field: "长" * (limit + 1)}), {"p.jpg": sample_photo},
                      name="over")
    [d] = errors_of(over)
    assert d.code == "manifest.too-long" and d.location.line == line
    assert f"{limit + 1} characters long; at most {limit}" in d.message


def test_a_caption_of_200000_characters_is_refused_at_validate(
        make_issue: MakeIssue, sample_photo: Path) -> None:
    """Such a caption kept `build` busy for minutes; now `validate` says where it is."""
    import subprocess
    import sys

    caption = ("新泾镇第十六届党员代表大会第二次会议，" * 11_000)[:200_000]
    folder = make_issue(_limited(caption=caption), {"p.jpg": sample_photo})
    result = subprocess.run([sys.executable, "-m", "bulletin_press", "validate", str(folder)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "issue.yaml:12:" in result.stderr and "[manifest.too-long]" in result.stderr
    assert "caption is 200000 characters long; at most 300" in result.stderr


def test_a_body_file_over_the_limit_is_refused(make_issue: MakeIssue) -> None:
    body = ("据统计，2022年全镇共有116名代表参加了专题学习，参与率达98.5%。\n\n" * 2000)
    assert len(body) > BODY
    folder = make_issue(HEADER + "  - {id: a, title: 标题, body_file: a.md}\n", {"a.md": body})
    [d] = errors_of(folder)
    assert d.code == "manifest.too-long" and d.location.line == 5
    assert f"body file 'a.md' is {len(body)} characters long; at most {BODY}" in d.message
    inline = make_issue(HEADER + "  - id: a\n    title: 标题\n    body: |\n"
                        + "".join(f"      {line}\n" for line in body.splitlines()), name="b")
    [d] = errors_of(inline)
    assert d.code == "manifest.too-long" and "article 1 《标题》 › body" in d.message


def test_date_hint_shows_the_issues_own_date(make_issue: MakeIssue) -> None:
    folder = make_issue(MINIMAL.replace("date: 2024-05-01", "date: 2026年11月20日"))
    [d] = errors_of(folder)
    assert d.code == "manifest.wrong-type" and d.hint
    assert "2026-11-20" in d.hint and "2023-01-10" not in d.hint


def test_number_hint_shows_the_editor_s_own_number(make_issue: MakeIssue,
                                                  sample_photo: Path) -> None:
    folder = make_issue(MINIMAL + "    photos: [{file: images/garden.jpg, caption: 说明, "
                        "placement: inline, after_paragraph: 第6段}]\n",
                        {"images/garden.jpg": sample_photo})
    [d] = errors_of(folder)
    assert d.code == "manifest.wrong-type" and "after_paragraph" in d.message
    assert d.hint == "write the number alone, in digits, e.g. 6"


def test_file_hint_keeps_the_folder(make_issue: MakeIssue, sample_photo: Path) -> None:
    folder = make_issue(MINIMAL + "    photos: [{file: images/gardn.jpg, caption: 说明}]\n",
                        {"images/garden.jpg": sample_photo})
    [d] = errors_of(folder)
    assert d.code == "manifest.photo-not-found"
    assert d.hint == "did you mean 'images/garden.jpg'?"


def test_word_file_as_body_gets_the_import_command(make_issue: MakeIssue) -> None:
    folder = make_issue(MINIMAL.replace("    body: |\n      这是第一段。\n\n      这是第二段。\n",
                                        "    body_file: 稿件/社区新闻.docx\n"),
                        {"稿件/社区新闻.docx": b"PK\x03\x04 not text"})
    [d] = errors_of(folder)
    assert d.code == "manifest.body-word-file" and "DOCX" in d.message
    assert d.hint and "bulletin-press import 稿件/社区新闻.docx" in d.hint
