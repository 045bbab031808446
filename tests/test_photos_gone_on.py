"""A story whose text ends near the foot of page 2 and whose portrait photo follows
its last paragraph: the photo does not fit under the text (nor at 75 % of its
height), goes on to the top of page 3 above the next story, and leaves page 2 short
and an empty column beside it (the photo guard moves a photo no further than the
article's end). The page plan sets it before the story's last paragraphs, in page
2's last column, and their text runs on to page 3; as typeset without the plan, the
build names it exactly, at the photo in issue.yaml, with what it needs and what the
page has."""

from __future__ import annotations

import io
import re

import pdfplumber

from bulletin_press.build.pipeline import build, build_runs
from bulletin_press.layout.page_plan import SLACK

from .conftest import MakeIssue
from .test_front_page_hole import (
    _portrait,
    block,
    clinic_notice,
    elevator_story,
    headline_page,
    short_columns,
)


def _manifest() -> str:
    story = elevator_story(25)
    notice = clinic_notice()
    return ("newsletter: 仙霞社区报\npublisher: 长宁区仙霞新村街道\n"
            "issue: {number: 3, date: 2027-03-01}\nlayout: two-column\narticles:\n"
            "  - id: dianti\n    title: 老旧小区加装电梯提速 今年计划完工40台\n"
            "    photos:\n      - file: images/tall.jpg\n        caption: 仙霞路320弄新装的电梯\n"
            "        placement: inline\n        after_paragraph: 25\n    body: |\n"
            + block(story)
            + "  - id: tail\n    title: 春节期间门诊时间调整公告\n    body: |\n" + block(notice))


def _photo_pages(pdf: bytes) -> list[int]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [n for n, p in enumerate(document.pages, start=1) for _ in p.images]


def test_the_plan_sets_the_photo_before_the_last_paragraphs_on_page_2(
        make_issue: MakeIssue) -> None:
    issue = make_issue(_manifest(), {"images/tall.jpg": _portrait()}, name="raised")
    for built in (build_runs(issue, jobs=2, store=False), build(issue)):
        assert _photo_pages(built.pdf) == [2]
        assert headline_page(built.pdf, "春节期间门诊时间调整公告") == 3
        short = short_columns(built.pdf, issue, 2)
        assert max(short) <= SLACK + 0.5, short
        # The story's text runs on to page 3 above the next story: nothing lost.
        with pdfplumber.open(io.BytesIO(built.pdf)) as document:
            text = "".join((document.pages[2].extract_text() or "").split())
        assert "工期约27个月。" in text
        assert not [d for d in built.diagnostics if d.code == "copyfit.photos-gone-on"]
        notes = [d for d in built.diagnostics if d.code == "layout.photo-moved"
                 and "after paragraph 25" in d.message and "runs on to page 3" in d.message]
        assert len(notes) == 1, [d.message for d in built.diagnostics]
        line = (issue / "issue.yaml").read_text(encoding="utf-8").splitlines().index(
            "        after_paragraph: 25") + 1
        assert notes[0].location is not None and notes[0].location.line == line


def test_a_photo_gone_on_past_its_text_to_the_next_page_top_is_named(
        make_issue: MakeIssue) -> None:
    issue = make_issue(_manifest(), {"images/tall.jpg": _portrait()}, name="gone")
    for built in (build(issue, plan=False),):
        # The shape, read from the PDF: the photo alone at the top of page 3, above
        # the next story's headline.
        with pdfplumber.open(io.BytesIO(built.pdf)) as document:
            where = [(n, i["top"]) for n, p in enumerate(document.pages, start=1)
                     for i in p.images]
        assert len(where) == 1 and where[0][0] == 3, where
        assert headline_page(built.pdf, "春节期间门诊时间调整公告") == 3
        found = [d for d in built.diagnostics if d.code == "copyfit.photos-gone-on"]
        assert len(found) == 1, [d.code for d in built.diagnostics]
        message = found[0].message
        assert "article 1 《老旧小区加装电梯提速" in message and "photo 1" in message
        assert "ends on page 2" in message and "top of page 3" in message
        assert "article 2 《春节期间门诊时间调整公告》" in message
        # Numbers as typeset: the room left in page 2's columns, the photo's lines.
        numbers = re.search(r"page 2 has (\d+) lines left in a column, the photo needs (\d+)",
                            message)
        assert numbers is not None, message
        assert int(numbers[1]) < int(numbers[2]), message
        line = (issue / "issue.yaml").read_text(encoding="utf-8").splitlines().index(
            "      - file: images/tall.jpg") + 1
        assert found[0].location is not None and found[0].location.line == line
        assert "after_paragraph" in (found[0].hint or "")
