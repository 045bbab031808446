"""`check` names what stands where it points (session 12's outside issue, 2026-07b, page
3: the story 《垃圾分类…》 ends the left column with its two photos; the 高温 box the
plan moved and the 夏季便民电话 box stand in the right column):

- the left column's hole was said to be under 《夏季便民电话》, the page's last article,
  which stands in the right column;
- the 高温 box's last list line 「查询。」 was said to end short of the column edge (a
  list item's lines are set ragged), and under 《垃圾分类…》 (a box the plan moved has no
  text anchor, and lines were named by page and height alone)."""

from __future__ import annotations

import re
import shutil

import pytest

from bulletin_press.build.pipeline import Built, build
from bulletin_press.checks.preflight import check_copyfit, name_articles
from bulletin_press.checks.typesetting import check_typography

from . import guard_issue
from .conftest import FIXTURES
from .test_hole_names import _logo

pytestmark = pytest.mark.slow

# Its photos by file, at the camera's shapes as shown (the upright one turned by its
# EXIF), drawn smaller.
PHOTOS = {"20260712_141502.jpg": (1600, 1200), "IMG_20260705_093112.jpg": (1200, 1600),
          "flood-drill.jpg": (1600, 1200), "mmexport1720000000000.jpg": (1080, 810),
          "暑托班志愿者手记-1.jpg": (1200, 900), "暑托班志愿者手记-2.jpg": (1080, 810),
          "防汛防台部署会-城运中心-1.jpg": (1600, 1200)}


@pytest.fixture(scope="module")
def july(tmp_path_factory: pytest.TempPathFactory) -> Built:
    issue = tmp_path_factory.mktemp("july") / "2026-07b"
    shutil.copytree(FIXTURES / "xinjing-2026-07b", issue)
    (issue / "images").mkdir()
    for seed, (name, shape) in enumerate(PHOTOS.items(), start=1):
        (issue / "images" / name).write_bytes(guard_issue.photo(shape, seed))
    (issue / "images" / "暑托班标志.png").write_bytes(_logo())
    return build(issue)


def test_each_column_s_hole_is_under_what_stands_above_it(july: Built) -> None:
    built = july
    starts = built.typeset.anchor_pages()
    assert starts["photo-4-3"] == starts["article-便民电话"] == 3  # the page as seen
    holes = {re.search(r"(left|right) column", d.message).group(1):  # type: ignore[union-attr]
             re.search(r"under (article \d+)", d.message).group(1)  # type: ignore[union-attr]
             for d in check_copyfit(built) if d.code == "copyfit.hole"
             and d.location.page == 3 and "column" in d.message}
    assert holes.get("left") == "article 4", holes  # under 《垃圾分类…》's photos
    # The right column: the 便民电话 box (article 5) heads it and 《垃圾分类…》's last
    # paragraphs and its upright photo follow it to the column's foot (the page plan sets
    # a box that went on before the story's last paragraphs): its hole is the story's.
    assert starts["article-垃圾分类-after-box"] == 3
    assert holes.get("right", "article 4") == "article 4", holes


def test_a_box_s_list_line_is_not_ragged_nor_named_after_the_story(july: Built) -> None:
    built = july
    layout = built.prepared.layout
    found = name_articles(check_typography(built.pdf, layout.geometry,
                                           layout.font_families()), built)
    ragged = [d.message for d in found if d.code == "typography.ragged-line"]
    assert not any("查询。" in m for m in ragged), ragged
    box = built.typeset.anchor_pages()["article-高温提示"]
    on_box_page = [d for d in found if d.location.page == box and d.location.line is not None
                   and d.code.startswith("typography.")]
    for d in on_box_page:  # every line finding in the box's column is the box's
        if d.location.box is not None and d.location.box[0] > layout.geometry.measure / 2:
            assert "article 2" in d.message, d.message
