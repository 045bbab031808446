"""Glyph coverage before rendering: missing characters are errors, fallbacks warnings."""

from __future__ import annotations

import pytest

from bulletin_press.diagnostics import BuildError
from bulletin_press.layout.prepare import prepare

from .conftest import MakeIssue

RARE = """\
newsletter: 测试
publisher: 测试镇
issue: {number: 1, date: 2024-01-01}
articles:
  - id: names
    title: 人名用字
    body: |
      第一段没有问题。

      第二段有个罕见字𪚥在这里。
"""


def test_character_in_no_font_is_an_error_with_place_and_code_point(
        make_issue: MakeIssue) -> None:
    with pytest.raises(BuildError) as info:
        prepare(make_issue(RARE))
    [d] = info.value.diagnostics
    assert d.code == "font.missing-glyph"
    assert "article 1 《人名用字》, paragraph 2" in d.message
    assert "'𪚥' (U+2A6A5" in d.message
    assert d.location.line == 10  # the line of the paragraph under `body: |`


def test_silent_fallback_to_other_family_is_a_warning(make_issue: MakeIssue) -> None:
    # U+9FEF (Unicode 11) is in Noto Sans CJK SC but not in Noto Serif CJK SC.
    prepared = prepare(make_issue(RARE.replace("𪚥", "\u9fef")))
    [d] = [d for d in prepared.diagnostics if d.code == "font.fallback"]
    assert "U+9FEF" in d.message and "paragraph 2" in d.message


def test_emoji_in_caption_is_reported(make_issue: MakeIssue) -> None:
    folder = make_issue(RARE.replace("𪚥", "") + "    section: 活动🎉\n")
    with pytest.raises(BuildError) as info:
        prepare(folder)
    assert any("U+1F389" in d.message for d in info.value.diagnostics)


def test_an_emoji_gets_an_emoji_s_hint_not_a_rare_name_s(make_issue: MakeIssue) -> None:
    # 🧧🏮 pasted from WeChat: the hint that fits a rare name character (a standard
    # form, or a font) does not fit a picture; a rare Han character keeps it.
    with pytest.raises(BuildError) as info:
        prepare(make_issue(RARE.replace("𪚥", "发🧧啦，挂🏮")))
    hints = [d.hint for d in info.value.diagnostics]
    assert len(hints) == 2 and all(h and "emoji" in h and "rare name" not in h for h in hints)
    assert "'🧧'" in hints[0] and "'🏮'" in hints[1]
    with pytest.raises(BuildError) as info:
        prepare(make_issue(RARE))
    [rare] = info.value.diagnostics
    assert rare.hint and "rare name" in rare.hint and "emoji" not in rare.hint


def test_a_lowered_digit_or_a_symbol_gets_its_own_hint_and_column(
        make_issue: MakeIssue) -> None:
    # 臭氧（O₃）from a weather site: the fonts have 3 but no ₃; the hint said to use a
    # standard form of a rare name character, and the place had no column.
    body = RARE.replace("第二段有个罕见字𪚥在这里。",
                        "- **看指数**：PM2.5、臭氧（O₃）超标时减少户外运动，"
                        "电话021-6238 1234转8012。\n"
                        "      乐谱𝄞由社区合唱团提供。")
    folder = make_issue(body)
    with pytest.raises(BuildError) as info:
        prepare(folder)
    ozone, clef = info.value.diagnostics
    lines = (folder / "issue.yaml").read_text(encoding="utf-8").splitlines()

    def place(char: str) -> tuple[int, int]:
        [(line, column)] = [(n, text.find(char) + 1) for n, text in enumerate(lines, start=1)
                            if char in text]
        return line, column
    assert "'₃' (U+2083" in ozone.message and ozone.hint
    assert "'3'" in ozone.hint and "rare name" not in ozone.hint
    assert (ozone.location.line, ozone.location.column) == place("₃") == (10, 25)
    assert "U+1D11E" in clef.message and clef.hint and "rare name" not in clef.hint
    assert "symbol" in clef.hint and (clef.location.line, clef.location.column) == place("𝄞")
