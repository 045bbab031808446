"""Dates the calendar does not have (2026-13-25, 2027-02-29) are input mistakes: each is
reported at its line with the issue's other problems, never an internal error."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bulletin_press.diagnostics import BuildError
from bulletin_press.manifest.load import load_issue

from .conftest import MakeIssue

# A December issue typed in a hurry: month 13, a 29 February in a common year, a
# notice signed on 31 November, and a misspelt field beside them.
ISSUE = """\
    newsletter: 新泾通讯
    publisher: 长宁区新泾镇
    issue: {number: 12, volume: 292, date: 2026-13-25}
    publication:
      kind: internal
      permit: 沪内资准字（长宁）第0292号
      issuer: 长宁区新泾镇《新泾通讯》编辑部
      audience: 新泾镇机关、各居民区、驻镇单位
      printer: 上海长宁印刷有限公司
      copies: 8000
      print_date: 2027-02-29
    articles:
      - id: 消防检查
        kind: notice
        title: 关于开展2026年冬季消防安全集中检查的通知
        subtitle: 长新府〔2026〕47号
        body: |
          各居民区、各物业服务企业：

          12月1日—12月15日为自查阶段，电话：021-62785432。
        signature: {issuer: 新泾镇人民政府, date: 2026-11-31}
        captoin: 多余的字段
    """


def test_impossible_dates_are_reported_with_the_other_mistakes(make_issue: MakeIssue) -> None:
    folder = make_issue(ISSUE)
    with pytest.raises(BuildError) as info:
        load_issue(folder)
    found = [(d.code, d.location.line, d.location.column) for d in info.value.diagnostics]
    assert found == [("manifest.date", 3, 40), ("manifest.date", 11, 15),
                     ("manifest.date", 21, 40), ("manifest.unknown-field", 22, 5)]
    first = info.value.diagnostics[0]
    assert first.message == "2026-13-25 is not a date in the calendar"
    assert first.hint and "YYYY-MM-DD" in first.hint


def test_validate_exits_1_with_the_line_in_chinese(make_issue: MakeIssue) -> None:
    folder = make_issue(ISSUE)
    env = {**os.environ, "NO_COLOR": "1", "BULLETIN_PRESS_LANG": "zh"}
    result = subprocess.run([sys.executable, "-m", "bulletin_press", "validate", str(folder)],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 1, result.stderr
    assert "internal error" not in result.stderr and "内部错误" not in result.stderr
    assert f"{Path(folder) / 'issue.yaml'}:21:40：错误：2026-11-31 不是日历上的日期" \
        in result.stderr
