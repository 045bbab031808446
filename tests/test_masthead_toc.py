"""The first page's masthead and contents box (本期导读) with names and headlines
longer than the layout was drawn for, read back from the built PDF."""

from __future__ import annotations

import shutil
from pathlib import Path

import pdfplumber
import pytest

from bulletin_press.build.pipeline import Built, build
from bulletin_press.checks.preflight import preflight
from bulletin_press.layout.prepare import prepare
from bulletin_press.pdf.text import Line, lines_of

from .conftest import FIXTURES, HEADER, ROOT, SAMPLE

pytestmark = pytest.mark.slow

LONG_TITLE = ("新泾镇关于开展2023年“15分钟社区生活圈”建设试点和社区食堂被合理地纳入民生实事项目"
              "的通知（试行）")


def _issue(folder: Path, manifest: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "issue.yaml").write_text(manifest, encoding="utf-8")
    (folder / "images").mkdir(exist_ok=True)
    shutil.copy(SAMPLE / "images" / "party-congress.jpg", folder / "images" / "canteen.jpg")
    return folder


def _first_page(built: Built, tmp_path: Path) -> list[Line]:
    path = tmp_path / "out.pdf"
    path.write_bytes(built.pdf)
    with pdfplumber.open(path) as pdf:
        return sorted(lines_of(pdf.pages[0]), key=lambda line: (line.top, line.x0))


def _contents(lines: list[Line]) -> list[Line]:
    """The lines of 本期导读, under its title and above the first headline's kicker."""
    start = next(i for i, line in enumerate(lines) if line.text == "本期导读")
    end = next(i for i, line in enumerate(lines) if i > start and line.text == "通知公告")
    return lines[start + 1:end]


def test_a_long_headline_wraps_in_the_contents_box(tmp_path: Path) -> None:
    built = build(_issue(tmp_path / "hard", (FIXTURES / "hard-breaks.yaml").read_text(
        encoding="utf-8")))
    g = built.prepared.layout.geometry
    inner_right = g.margin_side + g.measure - 12.75  # the box's rule and padding
    entries = _contents(_first_page(built, tmp_path))
    assert len(entries) == 3, [e.text for e in entries]  # the long entry on two lines
    first, runover, second = entries
    assert all(line.x1 <= inner_right + 0.5 for line in entries), [
        (line.text, line.x1, inner_right) for line in entries]
    title = (first.text + runover.text).replace(" ", "")
    assert title.startswith("通知公告" + LONG_TITLE[:20]) and LONG_TITLE[-8:] in title
    # The runover hangs (2 em in), the text stays clear of the page numbers' column,
    # and the leader and page number end the entry's last line, flush right.
    assert runover.x0 == pytest.approx(first.x0 + 20, abs=1)
    assert first.x1 <= inner_right - 15 + 0.5
    assert runover.text.endswith("1") and "…" not in runover.text and "." in runover.text
    assert second.text.endswith("2")
    assert runover.x1 == pytest.approx(second.x1, abs=0.5) == pytest.approx(inner_right, abs=1)
    assert "pages.safe-area" not in {d.code for d in preflight(built)}


def test_a_layout_may_ask_for_one_line_entries_cut_with_an_ellipsis(tmp_path: Path) -> None:
    layouts = tmp_path / "layouts"
    shutil.copytree(ROOT / "layouts" / "two-column", layouts / "two-column")
    (layouts / "one-line").mkdir()
    (layouts / "one-line" / "layout.yaml").write_text(
        "extends: two-column\noptions: {toc: one-line}\n", encoding="utf-8")
    manifest = (FIXTURES / "hard-breaks.yaml").read_text(encoding="utf-8").replace(
        "articles:", "layout: one-line\narticles:", 1)
    folder = _issue(tmp_path / "issues" / "hard", manifest)
    toc = prepare(folder).context.context["toc"]
    assert toc[0]["title"].endswith("……") and LONG_TITLE.startswith(toc[0]["title"][:-2])
    assert toc[1]["title"] == "中共长宁区新泾镇第十六届党员代表大会第二次会议隆重举行"
    entries = _contents(_first_page(build(folder), tmp_path))
    assert len(entries) == 2 and entries[0].text.endswith("1"), [e.text for e in entries]
    assert "……" in entries[0].text


def test_short_entries_stay_one_line_each(tmp_path: Path) -> None:
    manifest = HEADER + "".join(
        f"  - {{id: a{i}, section: 要闻, title: 第{i}条消息, body: 正文。}}\n" for i in range(3))
    lines = _first_page(build(_issue(tmp_path / "short", manifest)), tmp_path)
    start = next(i for i, line in enumerate(lines) if line.text == "本期导读")
    entries = lines[start + 1:start + 4]
    assert [e.text[:7] for e in entries] == ["要闻第0条消息", "要闻第1条消息", "要闻第2条消息"]
    assert all(e.text.endswith("1") for e in entries)
    assert len({round(e.x1) for e in entries}) == 1
    assert lines[start + 4].top - entries[-1].top >= 18  # the box ends: one line each


LONG_NAME = "上海市长宁区新泾镇社区党建服务中心暨新时代文明实践分中心通讯"


def _masthead(name: str, tmp_path: Path) -> tuple[list[Line], Line, Line]:
    """The name's lines, the first line of the issue details, and 本期导读."""
    manifest = HEADER.replace("newsletter: 测试", f"newsletter: {name}") + (
        "  - {id: a, section: 要闻, title: 志愿服务进社区, body: 正文。}\n")
    lines = _first_page(build(_issue(tmp_path / f"n{len(name)}", manifest)), tmp_path)
    details = next(line for line in lines if "2024年第1期" in line.text)
    contents = next(line for line in lines if line.text == "本期导读")
    names = [line for line in lines if line.top < contents.top and line.size > 11]
    return names, details, contents


def test_a_long_name_is_set_on_two_balanced_lines_within_the_masthead(tmp_path: Path
                                                                       ) -> None:
    names, details, contents = _masthead(LONG_NAME, tmp_path)
    assert [line.text for line in names] == ["上海市长宁区新泾镇社区党建服务中心",
                                             "暨新时代文明实践分中心通讯"]
    assert all(line.x1 < details.x0 - 12 for line in names)  # clear of the details
    assert len({round(line.size) for line in names}) == 1 and names[0].size < 40
    assert names[1].top - names[0].top == pytest.approx(27, abs=0.5)
    # The masthead keeps its height: the contents box is where a short name leaves it.
    short_names, _, short_contents = _masthead("新泾通讯", tmp_path)
    assert [line.text for line in short_names] == ["新泾通讯"]
    assert short_names[0].size == pytest.approx(40, abs=0.1)
    assert contents.top == pytest.approx(short_contents.top, abs=0.1)


def test_a_name_a_little_too_long_for_40_pt_is_set_smaller_on_one_line(tmp_path: Path
                                                                         ) -> None:
    names, details, _ = _masthead("新泾镇社区党建服务通讯", tmp_path)
    assert [line.text for line in names] == ["新泾镇社区党建服务通讯"]
    assert 28 <= names[0].size < 40 and names[0].x1 < details.x0 - 12


def test_a_name_that_fits_needs_no_word_list(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cutting a name into words loads jieba's dictionary (~1 s, ~75 MiB in every
    build's main process): only a name too wide for one line pays for it."""
    import bulletin_press.layout.masthead as masthead

    def refuse(text: str) -> list[str]:
        raise AssertionError(f"words() asked for {text!r}")

    monkeypatch.setattr(masthead, "words", refuse)
    assert prepare(SAMPLE).context.context["masthead"]["lines"] == ["新泾通讯"]


def test_the_leader_reaches_one_and_two_digit_page_numbers_alike(tmp_path: Path) -> None:
    """WeasyPrint lays the dots from the text's edge; the number stands in the 1.5 em
    kept free beyond it, flush right: the dots stopped ~0.7 em before a one-digit
    number. They reach it as they reach a two-digit one (line_fit.handle_leader)."""
    import weasyprint

    from bulletin_press.typeset import gate

    gate.install()
    entries = "".join(f'<li><a href="#a" data-page="{page}"><span class="toc-entry-title">'
                      f'{title}</span></a></li>'
                      for page, title in [(1, "奋进新征程 共创新业绩"), (9, "勠力同心谋发展"),
                                          (12, "奋进新征程 共创新业绩"), (1, LONG_TITLE * 2)])
    html = (f'<nav class="toc"><ol class="toc-list">{entries}</ol></nav><p id="a">正文</p>')
    css = weasyprint.CSS(filename=str(ROOT / "layouts" / "two-column" / "style.css"))
    path = tmp_path / "toc.pdf"
    path.write_bytes(weasyprint.HTML(string=html).write_pdf(stylesheets=[css]))
    with pdfplumber.open(path) as pdf:
        lines = [line for line in lines_of(pdf.pages[0]) if line.text.rstrip("0123456789")
                 .endswith(".")]
    assert len(lines) == 4
    gaps = []
    for line in lines:
        digits = len(line.text) - len(line.text.rstrip("0123456789"))
        dot, number = line.chars[-digits - 1], line.chars[-digits]
        gaps.append((number["x0"] - dot["x1"]) / line.size)
    assert max(gaps) < 0.6, gaps  # a space and at most one dot's pitch
    assert len({round(line.x1) for line in lines}) == 1  # the numbers flush right
