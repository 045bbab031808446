"""An upright photo shown whole (layout/context.py `shown_whole`) keeps the lines the
page plan reckons with at every height the plan may give it: image and caption below
it, or the photo as high as both with the caption beside it. The plan's measures and
rounds are those of a photo cropped to the column's width; only what prints in the
figure's box changes."""

from __future__ import annotations

import math

import pytest

from bulletin_press.layout.context import BESIDE_CHARS, FigureContext, shown_whole

LINE = 18.0
COLUMN = 241.5  # the two-column layout's column (23 × 10.5 pt)
MEASURE = 507.0
SIZE = 9.0  # caption type


def _figure(aspect: float, caption_lines: int, caption_pt: float, widest: float
            ) -> FigureContext:
    return {"anchor": "photo-1-1", "article": 0, "photo": 0, "src": "images/p.jpg",
            "caption": "", "credit": None, "alt": "", "width": "column",
            "image_height": "0pt", "image_lines": 0, "caption_lines": caption_lines,
            "caption_height": f"{caption_lines * LINE:g}pt", "lines": 0, "placement": "top",
            "aspect": aspect, "widest": widest, "caption_pt": caption_pt,
            "caption_size": SIZE}


def _pt(length: str) -> float:
    return float(length.removesuffix("pt"))


@pytest.mark.parametrize("aspect", [0.75, 9 / 16, 1 / 3, 0.95])
@pytest.mark.parametrize("caption", [(1, 120.0), (2, 400.0), (3, 650.0)])
@pytest.mark.parametrize("widest", [COLUMN, MEASURE])
def test_the_figure_keeps_its_lines_at_every_height(aspect: float, caption: tuple[int, float],
                                                    widest: float) -> None:
    caption_lines, caption_pt = caption
    figure = _figure(aspect, caption_lines, caption_pt, widest)
    for lines in range(4, 22):
        if lines * LINE * aspect > widest:
            continue  # wider than its column: the plan never gives it these lines
        shown = shown_whole(figure, lines, LINE)
        assert shown["image_lines"] == lines and shown["lines"] == lines + caption_lines
        high, wide = _pt(shown["image_height"]), _pt(shown["image_width"])
        assert wide == pytest.approx(high * aspect)  # its own shape: nothing cut
        assert wide <= widest + 1e-6
        if shown.get("beside"):
            assert high == (lines + caption_lines) * LINE  # the caption's lines beside it
            room = widest - wide - SIZE
            assert room >= BESIDE_CHARS * SIZE
            beside = _pt(shown["caption_height"]) / LINE
            assert beside == math.ceil(caption_pt / (room - SIZE)) <= lines + caption_lines - 1
        else:
            assert high == lines * LINE  # the caption under it, as before
            assert shown["caption_height"] == f"{caption_lines * LINE:g}pt"


def test_a_narrow_photo_takes_its_caption_beside_it_and_a_wide_one_under_it() -> None:
    """9:16 at 14 lines and a caption line: 152 pt wide, the caption's 9 characters a
    line beside it; 3:4: 202 pt wide, 3 characters' room: under it."""
    assert shown_whole(_figure(9 / 16, 1, 150.0, COLUMN), 14, LINE).get("beside") is True
    assert shown_whole(_figure(0.75, 1, 150.0, COLUMN), 14, LINE).get("beside") is False
    # Made lower by the page plan (11 lines), the 3:4 one leaves room for it.
    assert shown_whole(_figure(0.75, 1, 150.0, COLUMN), 11, LINE).get("beside") is True


def test_a_notice_s_photo_is_shown_whole_as_before() -> None:
    """A photo in a notice (no caption length): its width follows its height, its
    caption under it; never beside."""
    figure = _figure(1.0, 1, 0.0, 300.0)
    del figure["caption_pt"], figure["caption_size"]
    shown = shown_whole(figure, 8, LINE)
    assert "beside" not in shown
    assert (shown["image_height"], shown["image_width"]) == ("144pt", "144pt")


def test_a_credit_wider_than_the_room_beside_keeps_the_caption_under_the_photo() -> None:
    """A credit is kept on one line (（摄影 上海市闵行区古美路街道）, 14 characters): set
    beside a photo in a room narrower than it, it would run past the column's edge."""
    figure = _figure(0.75, 1, 150.0, COLUMN)
    assert shown_whole(figure, 11, LINE).get("beside") is True  # 57 pt beside it
    figure["caption_least"] = 14 * 0.9 * SIZE
    assert shown_whole(figure, 11, LINE).get("beside") is False
