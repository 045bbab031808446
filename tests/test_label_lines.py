"""A line before a label with its value (电话：021-6238 1234): the composer lets the label
end the line (…王晓燕，电话： / 021-6238 1234转8012…) rather than set the line half a
column short before it, and the check names such a short line (it let it pass: the
label with its value could not follow, but the label alone could)."""

from __future__ import annotations

from bulletin_press.build.pipeline import build
from bulletin_press.checks.typesetting import (
    _paragraph_ends,
    check_justification,
    read_body,
)

from .conftest import HEADER, MakeIssue
from .test_line_breaks import _set
from .test_typocheck import G

LEAD = "新泾镇社区党群服务中心二楼的邻里汇于三月起试运营设有老年助餐点和共享书房"
SENTENCE = "如需上门服务，请联系社区工作人员王晓燕，电话：021-6238 1234转8012，或发送邮件说明情况。"


def test_check_names_a_line_set_short_before_a_label_that_would_have_fitted() -> None:
    edge = G.margin_side + G.column_width

    def judged(first: str, second: str) -> list[str]:
        rows = [_set(first), _set(second, edge, G.margin_top + G.line),
                _set("下一段", None, G.margin_top + 2 * G.line)]
        return [d.code for d in check_justification(rows, G)]

    # 服务，请联系社区工作人员王晓燕， is 16 em of 23: 电话： (3 em) would have fitted.
    assert judged("服务，请联系社区工作人员王晓燕，", "电话：021-6238 1234转8012，或发送邮件说明") \
        == ["typography.ragged-line"]
    # The label at the line's end, its value on the next line: a pause, set short.
    assert judged("务，请联系社区工作人员王晓燕，电话：", "021-6238 1234转8012，或发送邮件") == []
    # Where the label did not fit either (31 pt left for 传真：), the line stays accepted:
    # test_line_breaks.test_check_accepts_a_flush_line_only_before_what_cannot_break.


def test_no_line_is_set_short_before_a_phone_number(make_issue: MakeIssue) -> None:
    """The sentence shifted by one character a paragraph, so that 电话：021-6238 1234
    meets the column's end everywhere."""
    paragraphs = [f"{LEAD[:k]}{SENTENCE}" for k in range(24)]
    body = "".join(f"      {p}\n\n" for p in paragraphs)
    built = build(make_issue(HEADER + f"  - id: a\n    title: 测试\n    body: |\n{body}"))
    g = built.prepared.layout.geometry
    lines, _ = read_body(built.pdf, g)
    short = [line.line.text for line, last in zip(lines, _paragraph_ends(lines), strict=True)
             if not last and line.edge(g) - line.line.x1 > 2 * line.line.size]
    assert short == []  # main: 5 lines ending 王晓燕， 4 to 7 em short before 电话：
    assert list(check_justification(lines, g)) == []
