"""Articles appended to issue.yaml by editing its text: the editor's comments, blank
lines, quotes and flow mappings stay exactly as they were."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from bulletin_press.diagnostics import BuildError, Location
from bulletin_press.intake.manifest_text import append_articles

from .conftest import SAMPLE

ITEM: dict[str, Any] = {
    "id": "canteen", "title": "长者食堂开张: 老人吃饭不用愁", "subtitle": "2023-12-01",
    "body_file": "articles/canteen.md",
    "photos": [{"file": "images/canteen-1.jpg", "caption": "图为居民用餐", "credit": "摄影 李四",
                "placement": "inline", "after_paragraph": 2}],
}


def test_sample_manifest_keeps_every_line_and_gains_the_article() -> None:
    old = (SAMPLE / "issue.yaml").read_text(encoding="utf-8")
    new = append_articles(old, [ITEM], Location())
    assert new.startswith(old)  # nothing before the end of the list changed
    added = new[len(old):]
    assert added.startswith("\n  - id: canteen\n")  # a blank line between articles, as there
    assert "      - file: images/canteen-1.jpg\n" in added  # nested lists as the editor's
    data = yaml.safe_load(new)
    assert data["articles"][-1] == ITEM
    assert data["articles"][-1]["subtitle"] == "2023-12-01"  # quoted: stays text, not a date


def test_comments_after_the_list_and_later_keys_stay_in_place() -> None:
    old = ("newsletter: 测试  # masthead\n"
           "articles:\n"
           "- {id: a, title: 甲, body: 一。}   # flow style kept\n"
           "- id: b\n"
           "  title: '乙'\n"
           "  body: 二。\n"
           "\n"
           "# back matter\n"
           "colophon: {office: 编辑部}\n")
    new = append_articles(old, [ITEM], Location())
    at = old.index("  body: 二。\n") + len("  body: 二。\n")
    inserted = new[at:at + len(new) - len(old)]
    assert new == old[:at] + inserted + old[at:]  # one insertion right after the last item
    assert inserted.startswith("- id: canteen\n  title:")  # at the list's own indent
    assert new.index("- id: canteen") < new.index("# back matter")
    assert "  title: '乙'" in new and "# flow style kept" in new


@pytest.mark.parametrize("articles", ["articles: []  # none yet\n", "articles:\n", ""])
def test_an_empty_or_missing_list_is_started(articles: str) -> None:
    old = "newsletter: 测试\n" + articles + "pages: 4\n" * bool(articles)
    new = append_articles(old, [ITEM, {**ITEM, "id": "second"}], Location())
    data = yaml.safe_load(new)
    assert [a["id"] for a in data["articles"]] == ["canteen", "second"]
    if "# none yet" in articles:
        assert "articles:  # none yet\n  - id: canteen" in new


def test_articles_that_are_not_a_list_are_refused() -> None:
    with pytest.raises(BuildError) as info:
        append_articles("articles: {a: 1}\n", [ITEM], Location())
    assert info.value.diagnostics[0].code == "import.manifest"
