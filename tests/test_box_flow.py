"""Whether a box is in normal flow, in one step (typeset/ext/box_flow.py): the same
answer as WeasyPrint's five tests for every box of a document with floats,
positioned boxes, a running head, footnotes and notes' kinds of position, and the
same bytes; no box class answers those tests its own way."""

from __future__ import annotations

import inspect

import weasyprint
from weasyprint.formatting_structure import boxes

from bulletin_press.typeset import gate
from bulletin_press.typeset.ext import box_flow

gate.install()

HTML = """<style>
  @page { size: 120mm 100mm; margin: 14mm 10mm;
    @top-center { content: element(head); } }
  body { font: 12px/16px "Noto Serif CJK SC"; }
  .head { position: running(head); font-size: 9px; }
  .qr { float: right; width: 20mm; height: 20mm; background: #ccc; }
  .left { float: left; width: 12mm; height: 12mm; background: #eee; }
  .stamp { position: absolute; top: 2mm; right: 2mm; }
  .fixed { position: fixed; bottom: 2mm; left: 2mm; font-size: 8px; }
  .rel { position: relative; top: 2px; }
  .note { float: footnote; }
</style>
<div class="head">新泾通讯 2027年第1期</div>
<p class="fixed">长宁区新泾镇人民政府主办</p>
<div class="qr"></div><div class="left"></div>
<p>征兵报名即日起至2027年6月30日，地点：新泾镇武装部（天山西路555号）<span
class="note">咨询电话021-62209715。</span>，详见<span class="rel">www.xinjing.gov.cn</span>。</p>
<p class="stamp">长新武〔2027〕3号</p>
<p>适龄青年可登录“全国征兵网”https://www.gfbzb.gov.cn 进行网上报名。</p>"""


def _original(box: object) -> bool:
    return not (boxes.Box.is_floated(box) or boxes.Box.is_absolutely_positioned(box)
                or boxes.Box.is_running(box) or boxes.Box.is_footnote(box)
                or boxes.Box.is_note(box))


def test_every_box_is_answered_as_weasyprint_answers() -> None:
    document = weasyprint.HTML(string=HTML).render()
    answers = set()
    for page in document.pages:
        for box in page._page_box.descendants(placeholders=True):
            if isinstance(box, boxes.Box):
                assert box_flow.is_in_normal_flow(box) == _original(box), box
                answers.add(box_flow.is_in_normal_flow(box))
    assert answers == {True, False}
    ours = document.write_pdf()
    with gate.stock("box_flow"):
        assert ours == weasyprint.HTML(string=HTML).render().write_pdf()


def test_no_box_class_tests_its_own_way() -> None:
    names = ("is_floated", "is_absolutely_positioned", "is_running", "is_footnote",
             "is_note", "is_in_normal_flow")
    for cls in vars(boxes).values():
        if inspect.isclass(cls) and issubclass(cls, boxes.Box) and cls is not boxes.Box:
            assert not set(names) & set(vars(cls)), cls
