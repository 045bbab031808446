"""`new` after an internal publication (内部资料) planned at 8 pages: the next issue keeps
what every issue of it must print and plans the same pages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from PIL import Image

from bulletin_press.manifest.load import load_issue
from bulletin_press.manifest.next_issue import next_issue

PREVIOUS = """\
newsletter: 新泾社区报
publisher: 中共长宁区新泾镇委员会 长宁区新泾镇人民政府
issue: {number: 2, volume: 186, date: 2027-02-01}
pages: 8
publication:
  kind: internal
  permit: 沪内资准字（长宁）第0086号
  issuer: 长宁区新泾镇《新泾社区报》编辑部
  audience: 新泾镇机关、各居民区、驻镇单位
  printer: 上海长宁印刷厂
  copies: 12000
  print_date: 2027-01-28
colophon: {office: 新泾社区报编辑部, phone: 021-62385000}
articles:
  - id: 新春走访
    section: 要闻
    title: 新春走访暖人心 邻里守望过大年
    body: 春节前夕，镇党政领导班子成员分成8个小组，走访慰问了全镇困难家庭共计1,236户。
"""


def test_the_next_issue_keeps_the_permit_and_the_planned_pages(tmp_path: Path) -> None:
    """The permit, issuer, audience, printer and copies were dropped: the next issue's
    cover had no 准印证号 and check no longer held it to the rules; the planned page
    count was offered as 4."""
    before = tmp_path / "2027-02"
    before.mkdir()
    (before / "issue.yaml").write_text(PREVIOUS, encoding="utf-8")
    made = next_issue(load_issue(before).manifest, "2027-02", dt.date(2026, 12, 4))
    data = yaml.safe_load(made.manifest)
    assert data["issue"] == {"number": 3, "volume": 187, "date": dt.date(2027, 3, 1)}
    assert data["publication"] == {
        "kind": "internal", "permit": "沪内资准字（长宁）第0086号",
        "issuer": "长宁区新泾镇《新泾社区报》编辑部", "audience": "新泾镇机关、各居民区、驻镇单位",
        "printer": "上海长宁印刷厂", "copies": 12000}  # its own print date: the issue's
    assert "# pages: 8   (the planned page count" in made.manifest
    after = tmp_path / "2027-03"
    after.mkdir()
    (after / "issue.yaml").write_text(made.manifest, encoding="utf-8")
    (after / "images").mkdir()
    Image.new("RGB", (1800, 1200), "grey").save(after / "images" / "photo-1.jpg")  # `new`'s
    assert load_issue(after).manifest.publication is not None


def test_a_first_issue_in_a_folder_named_for_its_month_is_dated_in_it(tmp_path: Path) -> None:
    """The outside tester's first issue, `new 通讯/2026-07` on 4 December with no issue
    beside it, was dated 2026-12-04: the masthead of the July issue said December. A
    folder named for its month (2026-07, 2026年7月, 2026-07-10) dates the issue in it;
    after a previous issue, a folder naming a later month than the next (a month
    skipped) takes that month, on the previous issue's day."""
    from .test_cli import run

    made = run("new", tmp_path / "通讯" / "2026-07")
    assert made.returncode == 0, made.stderr
    assert "issue 1, 2026-07-01" in made.stdout and "folder's name" in made.stdout
    assert load_issue(tmp_path / "通讯" / "2026-07").manifest.issue.date == dt.date(2026, 7, 1)
    previous = tmp_path / "proj" / "2027-02"
    previous.mkdir(parents=True)
    (previous / "issue.yaml").write_text(PREVIOUS, encoding="utf-8")
    skipped = next_issue(load_issue(previous).manifest, "2027-02", dt.date(2026, 12, 4),
                         (dt.date(2027, 4, 1), False))
    assert (skipped.date, skipped.number) == (dt.date(2027, 4, 1), 3)
    earlier = next_issue(load_issue(previous).manifest, "2027-02", dt.date(2026, 12, 4),
                         (dt.date(2026, 7, 1), False))  # a folder named for another year
    assert earlier.date == dt.date(2027, 3, 1)
    named_day = next_issue(None, None, dt.date(2026, 12, 4), (dt.date(2026, 7, 10), True))
    assert named_day.date == dt.date(2026, 7, 10)


def test_a_double_issue_s_folder_names_its_first_month_not_a_day(tmp_path: Path) -> None:
    """The outside tester (s14) named the September/October double issue (合刊) as
    editors do, `new 通讯/2026年9-10月`: it was dated 2026-09-10, the 10 of 10月 read as
    the day, and nothing said the date was a guess. A number followed by 月 is a month:
    the issue is dated in its first month, with the note to write its day."""
    from bulletin_press.manifest.next_issue import folder_date

    from .test_cli import run

    made = run("new", tmp_path / "通讯" / "2026年9-10月")
    assert made.returncode == 0, made.stderr
    assert "issue 1, 2026-09-01" in made.stdout and "folder's name" in made.stdout
    assert folder_date("2026年11-12月合刊") == (dt.date(2026, 11, 1), False)
    assert folder_date("2026-09-10") == (dt.date(2026, 9, 10), True)  # a day stays a day
    assert folder_date("2026年9月10日") == (dt.date(2026, 9, 10), True)


def test_the_example_article_left_in_is_told_by_check(tmp_path: Path) -> None:
    """`new` writes an example article (在这里写标题, 通讯员 姓名, 在这里写图片说明, 在这里写
    正文…) that validates and builds as it is (outside s12): `check` said nothing of
    it, so a page with 「在这里写图片说明」 under a photo could go to the printer. Each
    text left in is a warning at its line; replaced, nothing is said."""
    from bulletin_press.build.pipeline import build
    from bulletin_press.checks.preflight import check_examples

    from .test_cli import run

    folder = tmp_path / "通讯" / "2026-08"
    assert run("new", folder).returncode == 0
    issue = build(folder).prepared.issue
    found = [(d.code, d.location.line, d.severity.value) for d in check_examples(issue)]
    text = (folder / "issue.yaml").read_text(encoding="utf-8").splitlines()
    lines = {n for n, line in enumerate(text, start=1)
             if any(word in line for word in ("newsletter:", "publisher:", "在这里写标题",
                                              "通讯员 姓名", "在这里写图片说明"))}
    assert {line for _code, line, _sev in found} >= lines
    assert {code for code, _line, _sev in found} == {"manifest.example-text"}
    assert len(found) == 6 and {sev for *_x, sev in found} == {"warning"}
    filled = "\n".join(text).replace("Community News", "新泾通讯").replace(
        "Publisher", "长宁区新泾镇").replace("在这里写标题", "高温天气健康小贴士").replace(
        "通讯员 姓名", "通讯员 林雨桐").replace("在这里写图片说明", "志愿者为居民送清凉").replace(
        "在这里写正文", "7月以来")
    (folder / "issue.yaml").write_text(filled, encoding="utf-8")
    assert list(check_examples(build(folder).prepared.issue)) == []
