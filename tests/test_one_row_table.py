"""A table of one row (Markdown wants a header row, so the editor's one line of cells
is the header; a Word table of one row, imported, is the same) prints its row as the
table's body, in the cells' regular face: it was a header alone, bold on its tint, over
an empty body. A header with one data row stays a header and its row."""

from __future__ import annotations

import io

import pdfplumber

from bulletin_press.build.pipeline import build
from bulletin_press.layout.prepare import prepare

from .conftest import HEADER, MakeIssue

ISSUE = HEADER + """\
  - id: clinic
    title: 家庭医生进社区义诊
    body: |
      家庭医生团队将于3月18日走进新泾六村，为居民免费测量血压、血糖。

      | 日期 | 时间 | 地点 |
      | --- | --- | --- |
      | 3月18日（周六） | 9:00—11:30 | 新泾六村居委会活动室 |

      预约方式：

      | 咨询电话 | 021-6238 1234转8012 | 联系人王晓燕 |
      | --- | --- | --- |

      请携带医保卡和近期的检查报告。
"""


def test_a_table_of_one_row_prints_it_as_its_body(make_issue: MakeIssue) -> None:
    folder = make_issue(ISSUE)
    html = prepare(folder).html.html
    assert html.count("<thead>") == 1  # the header and its row only
    built = build(folder)
    with pdfplumber.open(io.BytesIO(built.pdf)) as document:
        words = document.pages[0].extract_words(extra_attrs=["fontname"])
    faces = {w["text"]: w["fontname"].split("+")[-1] for w in words}
    assert faces["日期"].endswith("Bold")  # a header over its row
    assert not faces["3月18日"].endswith("Bold")  # its line (the weekday may wrap under it)
    for cell in ("咨询电话", "联系人王晓燕"):  # main: bold, a header over nothing
        assert not faces[cell].endswith("Bold"), faces
