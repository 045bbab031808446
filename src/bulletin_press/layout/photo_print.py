"""How a photo prints: its size on the page, its resolution there, and how sharp
it looks at that scale (the preflight's photo checks, checks/preflight.py).

The sharpness is measured once per file and scale in a process (~10 ms a photo:
it is decoded): the page-run build measures its photos while a later round of its
page plan leaves a core idle (build/pipeline.py), so that the preflight after the
PDF is assembled finds them measured instead of decoding them then.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from bulletin_press.layout.context import FigureContext, placed_width
from bulletin_press.layout.photos import ImageInfo
from bulletin_press.layout.specs import Layout

PPI_ERROR, PPI_WARNING = 150, 300
BLUR_PPI = 150  # the scale a photo's sharpness is judged at: what a reader's eye resolves
BLUR_WIDTH = 500  # pixels at most: edges as dense in a photo across the page as in a column
BLURRED_PIXELS = 3.0  # edges this wide at that scale look blurred (0.5 mm in a column)
SHARP_PIXELS = 1.7  # a sharp photo's, measured so (0.3 mm in a column)
BLUR_CONTRAST = 24  # grey levels: a photo without edges this strong is not judged

Box = tuple[float, float, float, float]  # pt, top-left origin


def figures(context: Mapping[str, Any]) -> Iterator[FigureContext]:
    """Every photo of the issue's template context, in print order."""
    for article in context["articles"]:
        yield from article["full_width_figures"]
        yield from (item["figure"] for item in article["body"] if item["figure"])


def printed_size(layout: Layout, figure: FigureContext, box: Box | None
                 ) -> tuple[str, float, float]:
    """(placement, width, height in pt) the photo of `figure` prints at: as placed,
    or as wide as its `box` on the page where known. A photo in a notice is as wide
    as the notice's measure, not a column (its placement says top)."""
    placement = {"full": "full-width", "bleed": "full-bleed"}.get(figure["width"], "top")
    width = placed_width(layout, placement)
    height = float(figure["image_height"].removesuffix("pt"))
    shown = figure.get("image_width")
    if shown is not None:
        # Shown whole (a notice's photo): as wide as its image, centred in the frame.
        width = float(shown.removesuffix("pt"))
    elif box is not None:
        printed = box[2] - box[0]
        if printed > 1.05 * width and placement == "top":
            placement = "full-width"  # the hint: across the page, not in a column
        width = printed if printed > 0 else width
    return placement, width, height


def effective_ppi(pixels: tuple[int, int], box_pt: tuple[float, float]) -> float:
    """Resolution of a photo scaled to cover `box_pt` (object-fit: cover)."""
    scale = max(box_pt[0] / pixels[0], box_pt[1] / pixels[1])  # pt per pixel
    return 72 / scale


def measure_photos(layout: Layout, context: Mapping[str, Any],
                   images: Mapping[str, ImageInfo], boxes: Mapping[str, Box | None]) -> None:
    """Each photo's sharpness measured at the scale it prints at (`boxes`: where
    each photo's anchor is), as the preflight asks for it: ready when it does."""
    for figure in figures(context):
        image = images[figure["src"]]
        _, width, height = printed_size(layout, figure, boxes.get(figure["anchor"]))
        ppi = effective_ppi((image.width, image.height), (width, height))
        if ppi >= PPI_ERROR:
            edge_width(image.path, image.width, ppi)
        lightness(image.path, image.mode)


def edge_width(path: Path, width: int, ppi: float) -> tuple[float, float] | None:
    """How wide the photo's sharpest edges are, in pixels at the scale it is judged at,
    and that scale in pixels per printed inch: BLUR_PPI, or less for a photo printed
    wider than BLUR_WIDTH pixels there (the strongest edges are then as large a share
    of it as in a column). A step from dark to light over w pixels changes by 1/w of
    it between neighbours and by min(4, w)/w between pixels 4 apart; the strongest
    changes (the 99.5th percentile) of each give w: 1.3–1.9 in a sharp photo, 3 and
    more in one out of focus, shaken, or sent small and enlarged. None: the photo has
    no edges to judge (a flat placeholder, a sky) or cannot be read."""
    wide = max(8, min(BLUR_WIDTH, round(width * BLUR_PPI / ppi)))
    try:
        stat = path.stat()
    except OSError:
        return None
    measured = _edge_width(str(path), stat.st_mtime_ns, stat.st_size, wide)
    return None if measured is None else (measured, wide / (width / ppi))


@functools.lru_cache(maxsize=256)
def _edge_width(path: str, _mtime: int, _size: int, wide: int) -> float | None:
    """`edge_width`'s measure of the file as it is now (its time and size in the key),
    at `wide` pixels: once a build for a photo placed many times at one width
    (bench-16's two files in 8 places: ~80 ms of the main process's serial end)."""
    from PIL import Image, ImageChops, ImageOps

    try:
        with Image.open(path) as opened:
            opened.draft("L", (wide, wide))  # a JPEG decoded at 1/2–1/8 scale: fast
            grey = ImageOps.exif_transpose(opened).convert("L")
    except (OSError, ValueError):
        return None
    high = max(8, round(grey.height * wide / grey.width))
    grey = grey.resize((wide, high), Image.Resampling.LANCZOS)

    def changes(step: int) -> list[list[int]]:
        across = ImageChops.difference(grey.crop((0, 0, wide - step, high)),
                                       grey.crop((step, 0, wide, high)))
        down = ImageChops.difference(grey.crop((0, 0, wide, high - step)),
                                     grey.crop((0, step, wide, high)))
        return [across.histogram(), down.histogram()]

    near, far = changes(1), changes(4)
    # The strongest 0.5 %, or fewer where the edges are fewer: a flat drawing's frame
    # (a placeholder, a poster, a logo) is under 0.5 % of its pixels, and the 99.5th
    # percentile of the near changes fell beside its edges, on flat colour, while the far
    # ones (4 pixels per edge point) still met them: 4.0, "blurred". A sharp edge point
    # gives 4 far changes as strong as its contrast, a blurred one w + 3 (w ≥ 4) of
    # 4/w of it: an eighth of the strong far changes are within the edges in both.
    share = min(0.005, min(sum(h[BLUR_CONTRAST:]) / max(sum(h), 1) for h in far) / 8)
    strongest_near = max(_percentile(h, 1 - share) for h in near)
    strongest_far = max(_percentile(h, 1 - share) for h in far)
    if strongest_far < BLUR_CONTRAST:
        return None
    return min(4.0, strongest_far / max(strongest_near, 1))


def _percentile(counts: list[int], share: float) -> int:
    total, seen = sum(counts), 0
    for value, count in enumerate(counts):
        seen += count
        if seen >= share * total:
            return value
    return 255


# A photo whose 95th percentile of lightness (0–255) is under this is said to be dark:
# nearly all of it in the darkest quarter, which prints as black on paper (the phone's
# night shot with its lamps and faces lit stays over it; one taken without light not).
DARK_LIGHTNESS = 64


def lightness(path: Path, mode: str) -> int | None:
    """The lightness (0–255) that 95 % of the photo is darker than; None when it
    cannot be read, or is 16-bit (its own finding). Measured once per file in a process
    (a JPEG decoded at 1/8 scale: a few ms; a PNG whole: ~0.9 s for 50 MP), with its
    sharpness while the page plan leaves a core idle (`measure_photos`)."""
    if mode in ("I", "I;16", "I;16B", "F"):
        return None
    try:
        stat = path.stat()
    except OSError:
        return None
    return _lightness_of(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=256)
def _lightness_of(path: str, _mtime: int, _size: int) -> int | None:
    from PIL import Image

    try:
        with Image.open(path) as opened:
            opened.draft("L", (256, 256))  # a JPEG decoded at 1/8 scale: a few ms
            grey = opened.convert("L")
            grey.thumbnail((256, 256))
    except (OSError, ValueError):
        return None
    return _percentile(grey.histogram(), 0.95)
