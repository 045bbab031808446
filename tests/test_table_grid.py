"""A table with a header row that goes on in the next column or page stays on the line
grid (outside tester, session 12: 2026-07c page 7, the Word table going on at the page's
top, `typography.off-grid` +1.0 pt). WeasyPrint repeats the header there with the table's
top border and without its margin; the layout draws that rule on the header row instead."""

from __future__ import annotations

from bulletin_press.build.pipeline import build
from bulletin_press.checks.typesetting import check_typography, read_body

from .conftest import HEADER, MakeIssue

INTRO = "本报讯 为做好汛期值班工作，各居民区落实专人值守，联系电话021-6238 1234转8012。"
ROWS = [("新泾一村", "王建国", "021-6238 1234转8012"), ("新泾二村", "李秀英", "139 1234 5678"),
        ("天山星城", "周建国", "186 2166 0912"), ("虹桥新城", "吴晓梅", "021-6290 4411"),
        ("淞虹苑", "陈美华", "021-6259 0771"), ("北新泾三村", "张立新", "https://www.xinjing.gov.cn")]


def test_a_header_table_going_on_in_the_next_column_stays_on_the_grid(
        make_issue: MakeIssue) -> None:
    table = "\n".join(["      | 居民区 | 责任人 | 联系电话 |", "      |---|---|---|",
                       *(f"      | {a} | {b} | {c} |" for a, b, c in ROWS)])
    split = 0
    for before in range(1, 4):  # the table cut after each of several rows
        intro = INTRO * before
        built = build(make_issue(HEADER + f"""\
  - id: duty
    title: 防汛防台值班安排
    body: |
      {intro}

{table}

      会议最后，王建平强调，各单位主要负责人要靠前指挥、亲自部署，遇有重大险情第一时间上报。
""", name=f"issue{before}"))
        g = built.prepared.layout.geometry
        _, every = read_body(built.pdf, g)
        heads = [line for _, line in every if line.text.replace(" ", "").startswith("居民区")]
        families = built.prepared.layout.font_families()
        found = [d.message for d in check_typography(built.pdf, g, families)
                 if d.code == "typography.off-grid"]
        assert (before, found) == (before, [])
        if len(heads) == 2:  # the header repeated where the table goes on
            assert heads[0].x0 != heads[1].x0
            split += 1
    assert split
