"""Columns laid out with each line broken once (column_lines.py, column_layout.py):
the same PDF, byte for byte, as WeasyPrint's own column layout, with a fraction
of the line breaking."""

from __future__ import annotations

from pathlib import Path

import pytest
import weasyprint
import yaml
from weasyprint.layout import inline as inline_module

from bulletin_press.build.pipeline import build
from bulletin_press.typeset import gate
from bulletin_press.typeset.ext import column_lines

from .conftest import FIXTURES, MakeIssue

gate.install()

# Real-looking, hard material: long lines of mixed Han, Latin, digits, URLs,
# phone numbers and addresses; subheads, lists, bold; paragraphs of one line
# (orphans and widows), photos at the top, inline, at the bottom and across.
PARAGRAPHS = [
    "长宁区新泾镇社区事务受理服务中心（地址：上海市长宁区哈密路1955号，邮编200335）自2024年"
    "3月1日起试行“一网通办”延时服务，工作日晚上8点前可办理医保、社保卡补换等63项业务，"
    "咨询电话021-62205960转8012，详情见https://www.shcn.gov.cn/xinjing/zwfw。",
    "“Smart Community”试点项目由镇城运中心牵头，接入WiFi 6、NB-IoT烟感和AI视频分析，"
    "覆盖天山五村、虹桥机场新村等12个小区共4,386户；项目经理Li Wei表示，二期将于Q3上线。",
    "是日。",
    "居民可通过“随申办”App或微信小程序“新泾家园”预约，也可拨打24小时热线12345。"
    "老年人、残疾人等特殊群体可申请上门服务，由“老伙伴”志愿者（共217名）一对一对接，"
    "服务内容包括代缴水电煤费用、陪同就医、读报聊天等，全程免费。",
    "**特别提示**：即日起至12月31日，凡在镇文化活动中心（北渔路58号3楼）报名参加"
    "“银龄学堂”智能手机培训班的60周岁以上居民，可免费领取《防范电信诈骗手册》一本。",
    "据统计，2023年全镇共新增就业岗位2,150个，城镇登记失业率控制在3.5%以内；"
    "完成旧住房成套改造1.2万平方米，加装电梯47台，惠及居民1,900余户。",
]


def _body(start: int, count: int) -> str:
    parts = []
    for k in range(count):
        if k and k % 5 == 0:
            parts.append(f"### 第{k // 5}部分：Q{k % 4 + 1}工作回顾与2025年展望")
        if k == 7:
            parts.append("- 社区食堂：北翟路1111弄12号\n- 助浴点：剑河路600号\n"
                         "- 睦邻中心：天山西路568号（电话021-52180000）")
        parts.append(PARAGRAPHS[(start + k) % len(PARAGRAPHS)])
    return "\n\n".join(parts) + "\n"


def _manifest() -> str:
    photo = "images/photo.jpg"
    shapes = [  # (paragraphs, photos, start, headline)
        (9, [{"file": photo, "caption": "居民在社区事务受理服务中心办理业务", "placement": "top"}],
         "continue", "span"),
        (4, [], "continue", "span"),  # short: balanced on the page it ends
        (3, [], "new-column", "column"),
        (26, [{"file": photo, "caption": "志愿者上门服务（摄影 王小明）",
               "placement": "inline", "after_paragraph": 3},
              {"file": photo, "caption": "“银龄学堂”第一课", "placement": "bottom"}],
         "new-page", "span"),
        (7, [{"file": photo, "caption": "加装电梯竣工仪式", "placement": "full-width"}],
         "continue", "span"),
        (2, [], "continue", "column"),
        (14, [], "continue", "span"),
    ]
    articles = []
    for index, (count, photos, start, headline) in enumerate(shapes):
        articles.append({
            "id": f"a{index}", "section": "社区",
            "title": "新泾镇“一网通办”延时服务试行首月：群众办事更便捷"[:12 + index * 3],
            "subtitle": "记者 张伟 通讯员 Li Wei", "photos": photos,
            "layout": {"start": start, "headline": headline},
            "body": _body(index * 2, count)})
    head = {"newsletter": "新泾通讯", "publisher": "长宁区新泾镇",
            "issue": {"number": 7, "date": "2024-07-10"}}
    return yaml.safe_dump({**head, "articles": articles}, allow_unicode=True, sort_keys=False)


def _made(run: object) -> tuple[object, int]:
    """`run()`'s result and how many lines WeasyPrint broke (Pango) meanwhile."""
    calls = []
    original = column_lines._original

    def counted(*args: object) -> object:
        calls.append(1)
        return original(*args)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(column_lines, "_original", counted)  # what column_lines calls
        if inline_module.get_next_linebox is original:  # column_lines switched off
            patch.setattr(inline_module, "get_next_linebox", counted)
        result = run()  # type: ignore[operator]
    return result, len(calls)


@pytest.mark.slow
def test_issue_is_byte_identical_to_weasyprints_columns(make_issue: MakeIssue,
                                                        sample_photo: Path) -> None:
    folder = make_issue(_manifest(), {"images/photo.jpg": sample_photo})
    ours, ours_lines = _made(lambda: build(folder))
    with gate.stock("column_lines"):  # WeasyPrint's own columns, on the grid
        stock, stock_lines = _made(lambda: build(folder))
    assert ours.page_count >= 5  # type: ignore[attr-defined]
    assert ours.pdf == stock.pdf  # type: ignore[attr-defined]
    # Each line broken about once, not once per trial: stock breaks ~3 per line.
    assert ours_lines * 2 < stock_lines


HTML = """<style>@page {{ size: 120mm 100mm; margin: 10mm; }}
  body {{ font: 12px/16px sans-serif; }}
  .c {{ columns: 2; column-gap: 12px; column-fill: balance; }}
  p {{ margin: 0; orphans: {orphans}; widows: {widows}; text-align: justify; }}
  h3 {{ font-size: 13px; line-height: 16px; margin: 16px 0 0; break-after: avoid; }}
  .keep {{ break-inside: avoid; }}
  .fn {{ float: footnote; }}
  .bal {{ --bp-balance: 1; text-align: left; }}
</style>
{body}"""

WORDS = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod "
         "tempor incididunt ut labore et dolore magna aliqua. ")


HEADLINES = ("新泾镇第二十届人民代表大会第二次会议顺利召开审议通过政府工作报告",
             "社区事务受理服务中心试行“一网通办”延时服务工作日晚上8点前可办理",
             "长宁区旧住房成套改造与加装电梯工作推进会在北渔路58号召开")


def _block(kind: str, n: int) -> str:
    text = WORDS * n
    if kind == "keep":
        return f'<p class="keep">{text}</p>'
    if kind == "head":
        return f"<h3>Heading {n}</h3><p>{text}</p>"
    if kind == "inline-block":
        return f'<p>{text}<span style="display: inline-block; width: 30px; height: 20px">' \
               f"</span>{text}</p>"
    if kind == "abs":
        return f'<p>{text}<span style="position: absolute; top: 0">x</span>{text}</p>'
    if kind == "float":
        return f'<p>{text}<span style="float: left; width: 40px; height: 50px"></span>{text}</p>'
    if kind == "balanced":  # line_fit balances it, and joins its words between layouts
        return (f'<h3 class="bal">{HEADLINES[n % len(HEADLINES)]}</h3>'
                f"<p>{text}</p>")
    if kind == "footnote":
        return f'<p>{text}<span class="fn">A note.</span>{text}</p>'
    return f"<p>{text}</p>"


def _pdf(html: str) -> bytes:
    pdf: bytes = weasyprint.HTML(string=html).write_pdf(uncompressed_pdf=True)
    return pdf


@pytest.mark.parametrize(("orphans", "widows", "kinds"), [
    (2, 2, ["p", "head", "p", "keep", "p", "head", "p"]),
    (1, 1, ["p", "p", "p"]),
    (3, 4, ["head", "p", "keep", "head", "p", "p"]),
    (2, 2, ["p", "inline-block", "p"]),  # not plain: broken by WeasyPrint as usual
    (2, 2, ["p", "abs", "p"]),
    (2, 2, ["p", "float", "p", "p"]),  # lines beside a float: broken where they are
    (2, 2, ["p", "footnote", "p"]),  # footnotes: WeasyPrint's own column layout
    (2, 2, ["balanced", "p", "balanced", "p"]),  # line_fit's balanced headlines
], ids=["subheads-keeps", "orphans-widows-1", "orphans-3-widows-4", "inline-block",
        "absolute", "float", "footnote", "balanced"])
def test_columns_are_the_bytes_weasyprint_writes(orphans: int, widows: int,
                                                 kinds: list[str]) -> None:
    # Containers that fill pages, and ones that end on a page (balanced there).
    containers = ["".join(_block(kind, 2 + (i * 3 + j) % 5) for j, kind in enumerate(kinds))
                  for i in range(3)]
    body = "".join(f'<div class="c">{blocks}</div><p>{WORDS}</p>' for blocks in containers)
    html = HTML.format(orphans=orphans, widows=widows, body=body)
    made = column_lines.Counts.made
    ours = _pdf(html)
    assert column_lines.Counts.made > made  # the extension did lay out these lines
    with gate.stock("column_lines"):
        stock = _pdf(html)
    assert ours.count(b"/Type /Page/") >= 2  # the containers fill and break pages
    assert ours == stock


def test_frozen_skip_stacks_tell_places_apart() -> None:
    assert column_lines.frozen(None) is None
    assert column_lines.frozen({2: {0: {14: None}}}) == ((2, ((0, ((14, None),)),)),)
    assert column_lines.frozen({2: {0: {14: None}}}) != column_lines.frozen({2: {0: {15: None}}})


@pytest.mark.slow
def test_line_fit_text_is_byte_identical(tmp_path: Path, sample_photo: Path) -> None:
    """The line breaking test issue (lone last characters, loose lines relaxed,
    balanced headlines, addresses): line_fit lays lines out again narrower or
    relaxed, through the cache; the same bytes as without it."""
    folder = tmp_path / "hard"
    (folder / "images").mkdir(parents=True)
    (folder / "issue.yaml").write_text(
        (FIXTURES / "hard-breaks.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "images" / "canteen.jpg").write_bytes(sample_photo.read_bytes())
    reused = column_lines.Counts.reused
    ours = build(folder).pdf
    assert column_lines.Counts.reused > reused
    with gate.stock("column_lines"):
        assert build(folder).pdf == ours
