"""Messages in the editor's language: the catalog is complete and sound, the locale
chooses the language, and every command speaks it."""

from __future__ import annotations

import os
import re
import string
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po

from bulletin_press import i18n
from bulletin_press.i18n import _, catalog_paths, compile_catalog, language, untranslated

from .conftest import MINIMAL, ROOT, SAMPLE, MakeIssue

HAN = re.compile(r"[\u4e00-\u9fff]")


def test_every_message_of_the_code_has_a_chinese_translation() -> None:
    # Fails when a _() message was added without a translation: run
    # `bash scripts/messages.sh` and translate the new entries (CONTRIBUTING.md).
    assert untranslated() == []


def _fields(text: str) -> set[str]:
    names = {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}
    return names | set(re.findall(r"%\((\w+)\)s", text))


def test_translations_keep_every_placeholder() -> None:
    po, _mo = catalog_paths()
    with po.open("rb") as handle:
        catalog = read_po(handle)
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            if _fields(text) != _fields(ids[-1]):
                wrong.append((ids[0], text))
    assert wrong == []


def test_the_compiled_catalog_translates_what_the_po_says() -> None:
    import gettext
    import io

    po, _mo = catalog_paths()
    compiled = gettext.GNUTranslations(io.BytesIO(compile_catalog(po)))
    assert compiled.gettext("page {n}") == "第{n}版"
    assert compiled.ngettext("{n} warning", "{n} warnings", 2) == "{n} 个警告"


@pytest.mark.parametrize(("env", "expected"), [
    ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LANG": "zh_TW.UTF-8"}, "zh"),
    ({"LANG": "C.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "zh_CN.UTF-8", "LC_ALL": "C"}, "en"),  # LC_ALL wins, as in POSIX
    ({"LANG": "zh_CN.UTF-8", "BULLETIN_PRESS_LANG": "en"}, "en"),  # --lang wins
    ({}, "en"),
])
def test_the_locale_chooses_the_language(monkeypatch: pytest.MonkeyPatch,
                                         env: dict[str, str], expected: str) -> None:
    for name in ("LANG", "LC_ALL", "LC_MESSAGES", "BULLETIN_PRESS_LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert language() == expected
    assert _("page {n}").format(n=2) == ("第2版" if expected == "zh" else "page 2")


def test_a_po_newer_than_its_mo_is_compiled_at_first_use(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    po, _mo = catalog_paths()
    folder = tmp_path / "zh_CN" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "bulletin_press.po").write_bytes(po.read_bytes())  # a fresh clone: no .mo
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.translations.cache_clear()
    monkeypatch.setenv("BULLETIN_PRESS_LANG", "zh")
    try:
        assert _("warning") == "警告"
        assert (folder / "bulletin_press.mo").is_file()
    finally:
        i18n.translations.cache_clear()


def bp(lang: str, *args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """The program as an editor runs it, in a locale; no other language setting."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("BULLETIN_PRESS_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env |= {"LANG": lang, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "bulletin_press", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


ZH, EN = "zh_CN.UTF-8", "C.UTF-8"


def test_usage_line_has_no_space_after_the_full_width_colon() -> None:
    # GB/T 15834: 用法：bulletin-press …, not 用法： bulletin-press (click adds a space)
    zh = bp(ZH, "impose")
    assert zh.returncode == 2 and zh.stderr.startswith("用法：bulletin-press impose ")
    assert bp(ZH, "--help").stdout.startswith("用法：bulletin-press [")
    assert bp(EN, "impose").stderr.startswith("Usage: bulletin-press impose ")


def test_click_s_errors_are_chinese_to_their_last_mark() -> None:
    """click words a wrong choice and extra arguments with ngettext, which finds no
    plural entry in the catalog (they were two singular ones): `check --format xml`
    said 'xml' is not one of 'text', 'json', 'html'. in Chinese too. A missing argument
    ended with click's own '.' (错误：缺少参数 'ISSUE_DIRS...'.)."""
    wrong = bp(ZH, "check", "issues/2023-01", "--format", "xml")
    assert wrong.returncode == 2
    assert wrong.stderr.rstrip().endswith(
        "错误：'--format' 的值不对：'xml' 不在可选值 'text', 'json', 'html' 之中。"), wrong.stderr
    extra = bp(ZH, "new", "2027-02", "2027-03", "2027-04")  # nothing made: a usage error
    assert extra.stderr.rstrip().endswith("错误：多出了参数（2027-03 2027-04）"), extra.stderr
    missing = bp(ZH, "build")
    assert missing.stderr.rstrip().endswith("错误：缺少参数 'ISSUE_DIRS...'。"), missing.stderr
    # English as click words it
    assert bp(EN, "check", "issues/2023-01", "--format", "xml").stderr.rstrip().endswith(
        "Error: Invalid value for '--format': 'xml' is not one of 'text', 'json', 'html'.")
    assert bp(EN, "build").stderr.rstrip().endswith("Error: Missing argument 'ISSUE_DIRS...'.")
    assert bp(EN, "new", "2027-02", "2027-03", "2027-04").stderr.rstrip().endswith(
        "Error: Got unexpected extra arguments (2027-03 2027-04)")


def test_help_in_both_languages() -> None:
    zh, en = bp(ZH, "--help"), bp(EN, "--help")
    assert "用法" in zh.stdout and "显示本帮助并退出" in zh.stdout and "命令" in zh.stdout
    assert "检查 issue.yaml 和其中提到的文件" in zh.stdout  # validate's help
    assert "Usage:" in en.stdout and "Show this message and exit." in en.stdout
    assert not HAN.search(en.stdout.replace("中文", ""))
    sub = bp(ZH, "check", "--help")
    assert "把警告也当作错误" in sub.stdout and "--strict" in sub.stdout
    assert "count warnings as errors" in bp(EN, "check", "--help").stdout
    # --lang beats the locale, before or after the command's name
    assert "count warnings as errors" in bp(ZH, "check", "--help", "--lang", "en").stdout
    assert "把警告也当作错误" in bp(EN, "--lang", "zh", "check", "--help").stdout


def test_click_errors_in_both_languages() -> None:
    assert "缺少参数" in bp(ZH, "build").stderr
    assert "Missing argument" in bp(EN, "build").stderr


def test_validate_errors_in_both_languages(make_issue: MakeIssue) -> None:
    folder = make_issue(MINIMAL.replace("title: 第一篇文章",
                                        "title: 第一篇文章\n    captoin: 说明"))
    zh, en = bp(ZH, "validate", folder), bp(EN, "validate", folder)
    assert zh.returncode == en.returncode == 1
    assert "错误：第1篇文章《第一篇文章》 中有不认识的字段“captoin”" in zh.stderr, zh.stderr
    assert "1 个错误；没有写出任何文件。" in zh.stderr
    assert "[manifest.unknown-field]" in zh.stderr  # codes stay as they are
    assert "error: unknown field 'captoin' in article 1 《第一篇文章》" in en.stderr
    assert "1 error; nothing was written." in en.stderr
    ok = bp(ZH, "validate", make_issue(MINIMAL, name="ok"))
    assert "没有问题（1 篇文章）" in ok.stdout
    assert "ok (1 article)" in bp(EN, "validate", make_issue(MINIMAL, name="ok2")).stdout


def test_schema_descriptions_in_both_languages() -> None:
    import json

    zh = json.loads(bp(ZH, "schema").stdout)
    en = json.loads(bp(EN, "schema").stdout)
    assert zh["$defs"]["Photo"]["properties"]["caption"]["description"] == "图片说明，印在照片下方"
    assert en["$defs"]["Photo"]["properties"]["caption"]["description"] == \
        "图片说明, printed under the photo"
    assert zh["properties"].keys() == en["properties"].keys()  # keys stay English


def test_every_field_description_of_the_schema_is_translated() -> None:
    """Each field's description (the qr code's, the signature's, …) reads in Chinese:
    one left out of N_() is printed in English in the Chinese schema."""
    import json

    zh = json.loads(bp(ZH, "schema").stdout)
    en = json.loads(bp(EN, "schema").stdout)

    def fields(schema: dict[str, Any]) -> dict[str, str]:
        found = {f"/{name}": str(field["description"])
                 for name, field in schema.get("properties", {}).items()
                 if "description" in field}
        for model, definition in schema.get("$defs", {}).items():
            found |= {f"{model}/{name}": str(field["description"])
                      for name, field in definition.get("properties", {}).items()
                      if "description" in field}
        return found

    english, chinese = fields(en), fields(zh)
    assert english.keys() == chinese.keys() and len(english) > 40
    pot = ROOT / "src" / "bulletin_press" / "locale" / "bulletin_press.pot"
    with pot.open("rb") as handle:  # what the extraction saw marked in the code
        extracted = {message.id for message in read_po(handle) if message.id}
    assert sorted(key for key, text in english.items() if text not in extracted) == []
    untranslated = sorted(key for key in english if english[key] == chinese[key])
    assert untranslated == []
    assert chinese["QrCode/url"].startswith("扫码打开的网址")


@pytest.mark.slow
def test_build_check_new_and_preview_errors_in_both_languages(tmp_path: Path) -> None:
    import shutil

    project = tmp_path / "project"
    shutil.copytree(ROOT / "layouts", project / "layouts")
    shutil.copytree(SAMPLE, project / "issues" / "2023-01")
    # The back issue's two articles alone (the sample plans 4 pages with two more): 3
    # pages, a stapled booklet needs 4: a warning and a note to show in both languages.
    manifest = project / "issues" / "2023-01" / "issue.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text[:text.index("\n  # The two articles below")]
                        .replace("\npages: 4 ", "\n# pages: 4 "), encoding="utf-8")
    made = bp(ZH, "new", project / "issues" / "2023-02")
    assert made.returncode == 0, made.stderr
    assert "已新建" in made.stdout and "第2期" in made.stdout and "接下来" in made.stdout
    assert "made" in bp(EN, "new", project / "issues" / "2023-03").stdout

    issue = project / "issues" / "2023-01"
    zh = bp(ZH, "build", issue, "-o", tmp_path / "zh.pdf", "-j", "1")
    en = bp(EN, "build", issue, "-o", tmp_path / "en.pdf", "-j", "1")
    assert zh.returncode == en.returncode == 0, zh.stderr
    assert "已写出" in zh.stdout and "印前检查：0 个错误，1 个警告，1 条提示" in zh.stderr
    assert "wrote" in en.stdout and "preflight: 0 errors, 1 warning, 1 note" in en.stderr

    check = bp(ZH, "check", issue)
    assert "第3版：警告：本期有 3 版" in check.stderr, check.stderr
    assert "[pages.saddle-stitch]" in check.stderr
    assert check.stdout.strip().endswith("3 版；0 个错误，1 个警告，1 条提示")
    assert bp(EN, "check", issue).stdout.strip().endswith("3 pages; 0 errors, 1 warning, 1 note")

    report = tmp_path / "report.html"
    assert bp(ZH, "check", issue, "--format", "html", "-o", report).returncode == 0
    page = report.read_text(encoding="utf-8")
    assert "<html lang='zh-CN'>" in page and "<h1>印前检查：" in page
    assert "<p>第3版</p>" in page and "0 个错误，1 个警告，1 条提示" in page
    assert "[pages.saddle-stitch]" not in page and "<code>pages.saddle-stitch</code>" in page

    pdfa = bp(ZH, "check-pdfa", tmp_path / "zh.pdf", "--variant", "pdf/a-2b")
    assert "检查了" in pdfa.stdout and "rules checked" in bp(
        EN, "check-pdfa", tmp_path / "zh.pdf", "--variant", "pdf/a-2b").stdout
    # The print PDF checked as what it claims (nothing): one sentence, not 36 rules.
    assert "它不是存档本" in bp(ZH, "check-pdfa", tmp_path / "zh.pdf").stderr
    assert "not an archive copy" in bp(EN, "check-pdfa", tmp_path / "zh.pdf").stderr
    imposed = bp(ZH, "impose", tmp_path / "zh.pdf", "-o", tmp_path / "imposed.pdf")
    assert "已写出" in imposed.stdout and "个空白版" in imposed.stdout
    unpack = bp(ZH, "unpack", tmp_path / "zh.pdf", tmp_path / "out")
    assert "这个 PDF 中没有 bulletin_press 源文件" in unpack.stderr
    assert "carries no bulletin_press sources" in bp(EN, "unpack", tmp_path / "zh.pdf",
                                                       tmp_path / "out").stderr
    assert "中没有 issue.yaml" in bp(ZH, "preview", tmp_path, "--no-open").stderr
    assert "no issue.yaml in" in bp(EN, "preview", tmp_path, "--no-open").stderr


def test_no_message_is_translated_inside_an_f_string() -> None:
    """Babel cannot see `_()` inside an f-string (Python 3.11 reads it as one token):
    such a message would never reach the catalog and stay English."""
    import ast

    package = ROOT / "src" / "bulletin_press"
    hidden = []
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                hidden += [f"{path.relative_to(package)}:{call.lineno}"
                           for call in ast.walk(node) if isinstance(call, ast.Call)
                           and isinstance(call.func, ast.Name)
                           and call.func.id in ("_", "ngettext", "N_")]
    assert hidden == []


def test_preview_page_words(monkeypatch: pytest.MonkeyPatch) -> None:
    from bulletin_press.preview.server import ASSETS, page_words

    monkeypatch.setenv("BULLETIN_PRESS_LANG", "zh")
    words = page_words()
    assert words["checking"] == "检查中…" and words["lang"] == "zh-CN"
    page = string.Template((ASSETS / "index.html").read_text(encoding="utf-8"))
    text = page.substitute(words, words_json="{}")  # every $name of the page has its words
    assert "<html lang=\"zh-CN\">" in text and "检查结果" in text


def test_a_page_run_is_never_called_a_paragraph_in_chinese() -> None:
    """段落 is what the editor calls a paragraph: "1 个段落" after a build of 16 pages
    reads as nonsense. Every message about page runs says 版组 (a group of pages)."""
    po, _mo = catalog_paths()
    with po.open("rb") as handle:
        catalog = read_po(handle)
    about_runs = [m for m in catalog if m.id and "page run" in str(m.id)]
    assert len(about_runs) >= 5
    for message in about_runs:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all("版组" in text for text in strings), message.id
    assert i18n.translations("zh").ngettext("{n} page run", "{n} page runs", 3) == "{n} 个版组"
