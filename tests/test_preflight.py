"""Preflight: each check made to fire on a small issue built for it."""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import pytest
from PIL import Image

from bulletin_press.build.pipeline import build
from bulletin_press.checks.preflight import (
    check_copyfit,
    check_pages,
    check_photos,
    effective_ppi,
    preflight,
)

from .conftest import HEADER, SAMPLE, MakeIssue
from .test_cli import run

pytestmark = pytest.mark.slow
PARA = "新泾镇第二十届人民代表大会第二次会议顺利召开，来自各行各业的人大代表汇聚一堂，依法履职。"


def jpeg(width: int, height: int, mode: str = "RGB", dpi: int | None = None) -> bytes:
    out = io.BytesIO()
    extra = {"dpi": (dpi, dpi)} if dpi else {}
    Image.new(mode, (width, height), "gray").save(
        out, "PNG" if mode == "RGBA" else "JPEG", **extra)
    return out.getvalue()


def test_effective_ppi() -> None:
    # Cover scales 2400×1600 until 1600 px fill 162 pt (2.25 in): 711 ppi; the sides
    # are cropped.
    assert effective_ppi((2400, 1600), (241.5, 162)) == pytest.approx(711.1, abs=0.1)
    assert effective_ppi((300, 200), (241.5, 162)) == pytest.approx(88.9, abs=0.1)


def test_low_resolution_photo_is_an_error_with_page_and_line(make_issue: MakeIssue) -> None:
    folder = make_issue(HEADER + """\
          - id: a
            title: 标题
            body: 正文。
            photos:
              - {file: small.jpg, caption: 小图}
              - {file: medium.jpg, caption: 中图}
              - {file: alpha.png, caption: 透明}
        """, {"small.jpg": jpeg(240, 160), "medium.jpg": jpeg(800, 533, dpi=300),
              "alpha.png": jpeg(1600, 1067, "RGBA")})
    found = {(d.code, d.severity.value, d.location.line): d for d in check_photos(build(folder))}
    small = found[("photo.resolution", "error", 9)]
    assert "prints at 71 ppi" in small.message and small.location.page == 1
    assert small.location.box is not None
    assert small.hint and "at least 1007×" in small.hint and "pixels" in small.hint
    assert "article 1 《标题》 › photo 1 (small.jpg)" in small.message
    assert ("photo.resolution", "warning", 10) in found  # 238 ppi
    # the file says 300 ppi, printed at 238: the resolution warning says it, once
    assert [d.code for d in found.values() if d.location.line == 10] == ["photo.resolution"]
    assert ("photo.transparency", "warning", 11) in found
    assert all(d.location.line != 11 or d.code != "photo.resolution" for d in found.values())


def test_six_pages_need_two_blanks(make_issue: MakeIssue) -> None:
    body = "\n".join(f"  - {{id: a{i}, title: 第{i}篇, body: 正文。, "
                     f"layout: {{start: {'new-page' if i > 1 else 'continue'}}}}}"
                     for i in range(1, 7))
    [finding] = check_pages(build(make_issue(HEADER + body + "\n")))
    assert finding.code == "pages.saddle-stitch" and "2 blank pages" in finding.message


def test_article_too_long_for_planned_pages(make_issue: MakeIssue) -> None:
    body = "\n\n".join([PARA] * 60)
    manifest = HEADER.replace("articles:", "pages: 1\narticles:") + (
        "  - id: long\n    title: 长文\n    body: |\n"
        + "".join(f"      {line}\n" for line in body.splitlines()))
    # Far more than the page plan makes up: the build still writes the PDF and says
    # how many lines to cut, in all and per article (build/page_fit.py).
    built = build(make_issue(manifest))
    found = {d.code: d for d in built.diagnostics}
    over = found["copyfit.plan"]
    assert over.severity.value == "warning" and over.location.line == 4  # pages: 1
    assert re.search(r"the issue needs [23] pages, 1 are planned: about \d+ lines too many",
                     over.message)
    assert re.search(r"《长文》: cut \d+ lines", found["copyfit.article"].message)
    # Said once: the check's own page count against the plan is left to the plan's
    # finding (which names the lines), though the check alone still finds it.
    assert {"copyfit.over", "copyfit.short"}.isdisjoint(d.code for d in preflight(built))
    assert "copyfit.over" in {d.code for d in check_copyfit(built)}


def test_spill_and_room_per_article(make_issue: MakeIssue) -> None:
    # Long enough to run a few lines onto page 2, then an article on a new page.
    def manifest(paragraphs: int, start: str = "new-page") -> str:
        body = "".join(f"      {PARA}\n\n" for _ in range(paragraphs))
        return HEADER + ("  - id: lead\n    title: 头条\n    body: |\n" + body
                         + "  - id: next\n    title: 次条\n    body: 正文。\n"
                         f"    layout: {{start: {start}}}\n")
    findings = []
    for paragraphs in range(30, 46):
        built = build(make_issue(manifest(paragraphs), name=f"p{paragraphs}"))
        findings = {d.code: d for d in check_copyfit(built)}
        if "copyfit.spill" in findings:
            break
    spill = findings["copyfit.spill"]
    assert re.search(r"article 1 《头条》 runs \d+ lines onto page 2", spill.message)
    assert spill.hint and "ends on page 1" in spill.hint
    # Kept on its page (with start: new-page the short article would start in the
    # room under the lead: layout/pull_up.py).
    short = build(make_issue(manifest(8, "new-page-always"), name="short"))
    room = [d.message for d in check_copyfit(short) if d.code == "copyfit.under"]
    assert any(re.search(r"article 1 《头条》 ends on page 1 with room for \d+ more lines", m)
               for m in room)


def test_check_formats(tmp_path: Path, make_issue: MakeIssue) -> None:
    as_json = run("check", SAMPLE, "--format", "json")
    data = json.loads(as_json.stdout)
    assert set(data) == {"issue", "pages", "counts", "findings"} and data["pages"] == 4
    target = tmp_path / "report.html"
    assert run("check", SAMPLE, "--format", "html", "-o", target).returncode == 0
    page = target.read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") == 4
    assert all(f["code"] in page for f in data["findings"])  # 4 pages: no saddle-stitch
    # the counts in the words of the text report and the JSON's numbers
    assert data["counts"]["error"] == 0 and data["counts"]["warning"] == 0
    # A finding with a place on the page is marked there (the sample has none left).
    folder = make_issue(HEADER + """\
          - id: a
            title: 标题
            body: 正文。
            photos: [{file: small.jpg, caption: 小图}]
        """, {"small.jpg": jpeg(240, 160)})
    assert run("check", folder, "--format", "html", "-o", target).returncode == 1
    assert "class='mark error'" in target.read_text(encoding="utf-8")


def test_check_exit_codes(make_issue: MakeIssue) -> None:
    folder = make_issue(HEADER + """\
          - id: a
            title: 标题
            body: 正文。
            photos: [{file: small.jpg, caption: 小图}]
        """, {"small.jpg": jpeg(240, 160)})
    assert run("check", folder).returncode == 1  # an error
    assert run("check", SAMPLE).returncode == 0  # nothing to warn of
    three = make_issue(HEADER + "".join(  # 3 pages: a stapled booklet needs 4 (a warning)
        f"  - {{id: a{i}, title: 第{i}篇, body: 正文。, layout: {{start: new-page}}}}\n"
        for i in range(3)), name="three")
    assert run("check", three).returncode == 0
    assert run("check", three, "--strict").returncode == 1


def test_check_reports_character_outside_the_fonts(make_issue: MakeIssue) -> None:
    folder = make_issue(HEADER + "  - {id: a, title: 标题, body: 罕见字𪚥。}\n")
    result = run("check", folder)
    assert result.returncode == 1
    assert "U+2A6A5" in result.stderr and "article 1 《标题》, paragraph 1" in result.stderr


HONGMEI = Path(__file__).parent / "fixtures" / "hongmei-2026-11"


def test_a_typical_new_issue_gets_what_matters_and_nothing_else() -> None:
    """Bullet and numbered lists, labels ending in ：, phone numbers, a web address, a
    photo too small for 300 ppi, one page short of the plan: 24 findings before
    (20 warnings about lists and labels), now the two real problems and two notes (the
    line stretched before the web address is gone since line breaking learnt addresses)."""
    data = json.loads(run("check", HONGMEI, "--format", "json").stdout)
    # With the page plan (pages: 4, text for 1½): the colophon no longer stands alone on
    # a third page; the plan says what each article should gain, the check names the
    # page left short before the new-page article: once, naming the article and each
    # column's empty lines (copyfit.under, a warning since it leaves a hole), not again
    # per column (copyfit.hole). The page count against the plan is said once, by the
    # plan (copyfit.plan), not again by the check (copyfit.short). Page 1, left short
    # before the new-page article, is filled by the plan (its photo grows) and the
    # rest by the typesetting's vertical justification: nothing is left of it (it was
    # a note of 1 line a column).
    assert data["counts"] == {"error": 0, "warning": 2, "info": 4}
    assert [f["code"] for f in data["findings"] if f["severity"] == "warning"] == [
        "copyfit.plan", "photo.resolution"]
    assert "0 errors, 2 warnings, 4 notes" in run("check", HONGMEI).stdout
    assert not any("ends on page 1" in f["message"] for f in data["findings"])
    notes = [f["message"] for f in data["findings"] if f["severity"] == "info"]
    notice = "《关于开展2026年度冬季消防安全检查的通知》: add "
    assert any(m.startswith(notice) for m in notes), notes
    # The last page's room is counted above the colophon standing at its foot.
    assert any(re.search(r"《关于开展2026年度冬季消防安全…》 ends on page 2 with room for", m)
               for m in notes), notes


def test_check_parses_no_page_with_pdfplumber(monkeypatch: pytest.MonkeyPatch) -> None:
    """Preflight takes its page facts from the typeset boxes and typography reads the
    characters through PDFium: pdfplumber (which parses every page again at each
    opening) is not opened, and the findings are the same."""
    import pdfplumber

    from bulletin_press.checks import preflight as preflight_module
    from bulletin_press.checks.typesetting import check_typography

    built = build(HONGMEI, slim=False)
    layout = built.prepared.layout

    def findings() -> list[str]:
        preflight_module._read_facts.cache_clear()
        found = [*preflight_module.preflight(built), *check_typography(
            built.pdf, layout.geometry, layout.font_families(),
            autospace_em=layout.spec.type.autospace_em)]
        return [d.format() for d in found]

    separately = findings()
    opened: list[object] = []
    real_open = pdfplumber.open

    def counting_open(*args: object, **kwargs: object) -> object:
        opened.append(args[0])
        return real_open(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pdfplumber, "open", counting_open)
    preflight_module.preflight(built)
    assert opened == []  # its page facts come from the typeset boxes
    together = findings()
    assert opened == []
    assert together == separately and any("typography" in f or "copyfit" in f
                                          for f in together)


@pytest.mark.parametrize("pages", [None, 1])
def test_a_lone_colophon_without_planned_pages_names_no_plan(
        make_issue: MakeIssue, pages: int | None) -> None:
    """With no `pages:` the plan only tries to take a colophon left alone on the last
    page back onto the page before; when it cannot, the warning says that, not "the
    issue needs 2 pages, 1 are planned" (the editor planned nothing)."""
    from bulletin_press.build.page_fit import Fitted, _findings
    from bulletin_press.layout.page_plan import Measure, PagePlan
    from bulletin_press.layout.prepare import prepare

    head = HEADER if pages is None else HEADER.replace("articles:", f"pages: {pages}\narticles:")
    prepared = prepare(make_issue(head + f"  - {{id: a, title: 长文, body: {PARA}}}\n"
                                  "colophon: {office: 编辑部}\n"))
    lines = prepared.layout.geometry.lines
    # Page 1 full to its foot in both columns, page 2 holding only the colophon.
    measure = Measure(fills=[[lines, lines], [0, 0]], pages={})
    fitted = Fitted(None, prepared, measure, PagePlan(), 3)
    found = {d.code: d for d in _findings(prepared, fitted, 1, 6, [])}
    plan, article = found["copyfit.plan"], found["copyfit.article"]
    if pages is None:
        assert plan.message.startswith("the colophon stands alone on page 2: the text is "
                                       "about 12 lines too long to end on page 1")
        assert "planned" not in plan.message + article.hint
        assert plan.location.line == 6  # colophon:
        assert article.hint == "so that the issue ends on page 1, its colophon included"
    else:
        assert "the issue needs 2 pages, 1 are planned" in plan.message
        assert article.hint == "so that the issue fills its 1 planned pages"


def test_a_notices_photo_is_checked_at_the_width_it_prints(make_issue: MakeIssue) -> None:
    """A `top` photo in a notice may print across the notice's full measure, twice a
    column's width: a 1400-pixel banner prints at ~200 ppi there, not the ~430 ppi a
    column would give (outside s12: a 1200 px PNG printed at 171 ppi, found by
    pdfimages, passed the check silently). Since a notice's photo is shown whole a
    third of the measure high, only a wide banner takes the whole measure."""
    folder = make_issue(HEADER + """\
          - id: summer
            kind: notice
            title: 2026年暑期爱心托管班招生公告
            photos:
              - {file: banner.jpg, caption: 暑托班横幅, placement: top}
            body: |
              各位家长：

              暑托班每期收费600元/期，报名请访问https://www.example.gov.cn/stb/2026 。
        """, {"banner.jpg": jpeg(1400, 350)})
    found = [d for d in check_photos(build(folder)) if d.code == "photo.resolution"]
    assert len(found) == 1 and found[0].severity.value == "warning"
    ppi = int(re.search(r"prints at (\d+) ppi", found[0].message).group(1))  # type: ignore[union-attr]
    assert 190 <= ppi <= 230, found[0].message
    mm = int(re.search(r"printed (\d+)×", found[0].message).group(1))  # type: ignore[union-attr]
    assert mm > 150, found[0].message  # the measure (~170 mm), not a column (~82 mm)


def _scene(blur: float = 0) -> bytes:
    """A phone photo's worth of edges (people and stalls in front of a wall), sharp or
    out of focus (Gaussian blur of `blur` pixels), as a 1080-pixel WeChat copy."""
    import random

    from PIL import ImageDraw, ImageFilter

    rng = random.Random(12)
    image = Image.new("RGB", (1080, 810), (120, 170, 220))
    draw = ImageDraw.Draw(image)
    for _ in range(60):
        x, y, r = rng.randrange(1080), rng.randrange(200, 810), rng.randrange(10, 90)
        draw.rectangle([x, y - 2 * r, x + r, y],
                       fill=tuple(rng.randrange(30, 240) for _ in range(3)))
    if blur:
        image = image.filter(ImageFilter.GaussianBlur(blur))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=75)
    return out.getvalue()


def test_a_blurred_photo_is_told_though_it_has_pixels_enough(make_issue: MakeIssue) -> None:
    """The outside tester's 垃圾分类 photo from a residents' WeChat group, shaken: 1080
    pixels printed a column wide is 322 ppi, so nothing was said. Its sharpest edges
    are ~0.6 mm wide on paper; a sharp photo's ~0.2 mm; a flat one has none to judge."""
    folder = make_issue(HEADER + """\
          - id: waste
            title: 垃圾分类“回头看”
            body: 今年4月至6月，新泾镇湿垃圾日均分出量分别为66.9吨、68.3吨和70.1吨。
            photos:
              - {file: shaken.jpg, caption: 志愿者在投放点指导居民分类}
              - {file: sharp.jpg, caption: 新设的智能回收箱}
              - {file: flat.jpg, caption: 占位图片}
        """, {"shaken.jpg": _scene(blur=4), "sharp.jpg": _scene(),
              "flat.jpg": jpeg(1800, 1200)})
    blurred = [d for d in check_photos(build(folder)) if d.code == "photo.blurred"]
    assert [d.location.line for d in blurred] == [9], [d.message for d in blurred]
    assert "shaken.jpg" in blurred[0].message and blurred[0].severity.value == "warning"
    assert blurred[0].hint and "原图" in blurred[0].hint


def test_a_photo_placed_many_times_is_judged_for_blur_once(tmp_path: Path) -> None:
    """bench-16 places two files 8 times: each is decoded once a build, not each time;
    a file changed since (the preview's next build) is judged again."""
    from PIL import Image, ImageDraw

    from bulletin_press.checks import preflight

    path = tmp_path / "p.jpg"
    image = Image.new("RGB", (1200, 800), (200, 200, 200))
    ImageDraw.Draw(image).rectangle([300, 200, 900, 600], fill=(20, 20, 20))
    image.save(path, quality=90)
    preflight._edge_width.cache_clear()
    first = [preflight.edge_width(path, 1200, 400) for _ in range(8)]
    assert first[0] is not None and first.count(first[0]) == 8
    assert preflight._edge_width.cache_info().misses == 1
    image.resize((600, 400)).save(path, quality=90)
    os.utime(path, ns=(1, 1))
    assert preflight.edge_width(path, 600, 200) is not None
    assert preflight._edge_width.cache_info().misses == 2


def test_an_upright_photo_cut_to_a_landscape_box_is_told(make_issue: MakeIssue) -> None:
    """A phone photo taken upright (1080×1920, with the EXIF rotation of the August
    issue's 电梯井 photo applied: stored 1920×1080, orientation 6) across the page with
    its bleed: the layout fills a box 10 lines high (object-fit: cover) and shows a
    sixth of the photo's height, its foot cut off, and `check` said nothing. The same
    photo in a column is printed whole (layout/context.py shown_whole): not said; nor
    is a photo taken across, in the same place."""
    upright = Image.new("RGB", (1920, 1080), (120, 150, 90))
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    upright.save(out, "JPEG", exif=exif.tobytes())
    folder = make_issue(HEADER + """\
          - id: lift
            title: 宛南六村21号楼：等了八年的电梯终于来了
            photos:
              - {file: shaft.jpg, caption: 正在施工的电梯井道}
              - {file: signing.jpg, caption: 签约仪式现场}
              - {file: shaft-across.jpg, caption: 电梯井道, placement: full-bleed}
            body: |
              7月26日上午，宛南六村21号楼前的空地上摆起了一张长桌，18户居民代表签下名字。

              今年3月，居委会引入“听证会、协调会、评议会”三会制度，同意率从61%提高到100%。
        """, {"shaft.jpg": out.getvalue(), "signing.jpg": jpeg(1920, 1440),
              "shaft-across.jpg": out.getvalue()})
    found = [d for d in check_photos(build(folder)) if d.code == "photo.cropped"]
    assert len(found) == 1, [d.message for d in found]
    [cut] = found
    assert "shaft-across.jpg" in cut.message and cut.severity.value == "warning"
    share = int(re.search(r"only (\d+) percent of its height", cut.message).group(1))  # type: ignore[union-attr]
    assert 10 <= share < 65, cut.message
    assert "its top is kept" in cut.message
    assert cut.location is not None and cut.location.line == 10  # its file: line


def test_a_photo_taken_in_the_dark_is_told(make_issue: MakeIssue) -> None:
    """The Mid-Autumn issue's 赏月 photo, taken at night without light: its lightness
    under 25 of 255 nearly everywhere. It printed almost black and `check` said nothing
    (too flat to be judged blurred either). A night scene with its lamps lit, most of
    it dark but a tenth of it bright, is not said; nor a daylight photo."""
    from PIL import ImageDraw

    dark = Image.effect_noise((1600, 1200), 12).point(lambda v: v // 8).convert("RGB")
    lamps = Image.new("RGB", (1600, 1200), (15, 15, 30))
    draw = ImageDraw.Draw(lamps)
    for x in range(100, 1600, 200):  # a street at night: its lamps and windows lit
        draw.rectangle([x, 400, x + 60, 1100], fill=(240, 220, 150))

    def save(picture: Image.Image) -> bytes:
        out = io.BytesIO()
        picture.save(out, "JPEG", quality=90)
        return out.getvalue()

    folder = make_issue(HEADER + """\
          - id: moon
            title: 中秋夜，居民在古美公园湖边赏月
            photos:
              - {file: moon.jpg, caption: 中秋夜，居民在湖边赏月}
              - {file: street.jpg, caption: 古美路国庆灯光秀}
              - {file: day.jpg, caption: 游园会现场}
            body: |
              9月25日晚，古美公园湖边聚集了数百名赏月的居民。

              公园东门外的古美路亮起了国庆灯光秀，从平南路口一直延伸到顾戴路口。

              游园会设置了猜灯谜、做月饼等12个互动摊位。
        """, {"moon.jpg": save(dark), "street.jpg": save(lamps), "day.jpg": jpeg(1920, 1440)})
    found = [d for d in check_photos(build(folder)) if d.code == "photo.dark"]
    assert [d.location.line for d in found if d.location] == [8], [d.message for d in found]
    assert "moon.jpg" in found[0].message and found[0].severity.value == "warning"
