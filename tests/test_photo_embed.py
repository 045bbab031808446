"""A photo with far more pixels than the print shows is embedded smaller (outside s13:
a 50 MP phone photo printed at 2433 ppi was 6.1 MB of a 9.1 MB PDF): at 450 ppi at the
largest box the page plan may give it, its colour profile and the orientation the phone
stored kept; the build says so in a note. A photo at print resolution is embedded as
it is, byte for byte."""

from __future__ import annotations

import io
import re

import pypdf
import pytest
from PIL import Image, ImageCms

from bulletin_press.build.pipeline import build
from bulletin_press.checks.preflight import check_photos

from .conftest import MakeIssue
from .test_upright_photos import MANIFEST, bands, phone_photo

pytestmark = pytest.mark.slow

EMBED_PPI = 450  # layout/photos.py: what the PDF holds at the largest box


PROFILE = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _camera_photo(width: int, height: int) -> bytes:
    """A landscape photo as a camera saves it, with its colour profile."""
    image = Image.effect_mandelbrot((width, height), (-2.0, -1.2, 1.0, 1.2), 60).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92, icc_profile=PROFILE)
    return out.getvalue()


def _images(pdf: bytes) -> list[tuple[int, int, bytes | None, int]]:
    """(width, height, the colour profile its JPEG holds, bytes) of each image XObject
    of the PDF (WeasyPrint 70 embeds a JPEG's stream as it is, its profile inside)."""
    found = []
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        resources = page["/Resources"]
        for obj in resources.get("/XObject", {}).values():
            xobject = obj.get_object()
            if xobject["/Subtype"] == "/Image":
                data = xobject.get_data()
                profile = Image.open(io.BytesIO(data)).info.get("icc_profile")
                found.append((int(xobject["/Width"]), int(xobject["/Height"]), profile,
                              len(data)))
    return found


def test_a_photo_with_far_too_many_pixels_is_embedded_smaller(make_issue: MakeIssue) -> None:
    """A 12 MP upright phone photo (3000×4000 as shown, stored landscape with EXIF
    orientation 6, an sRGB profile) in a column: ~900 ppi. The PDF holds it at
    450 ppi at the column's width and the most lines the plan gives a photo."""
    photo = phone_photo(3000, 4000)
    folder = make_issue(MANIFEST.format(more=""), {"images/IMG_20260728_163045.jpg": photo})
    built = build(folder)
    [(width, height, _, size)] = _images(built.pdf)
    assert (width, height) != (4000, 3000)  # embedded smaller…
    g = built.prepared.layout.geometry
    most = built.prepared.layout.spec.photos.max_lines  # lines: the most the plan gives
    ppi_wide = 72 * width / g.column_width  # WeasyPrint embeds it turned upright
    ppi_high = 72 * height / (most * g.line)
    assert min(ppi_wide, ppi_high) == pytest.approx(EMBED_PPI, rel=0.01)  # …to 450 ppi there
    assert size < len(photo) / 2
    top, foot, _, _ = bands(built, "photo-1-1")
    assert top > 0 and foot > 0  # still upright (EXIF 6 kept), whole: both bands print
    [note] = [d for d in check_photos(built) if d.code == "photo.downsampled"]
    assert f"{width}×{height} pixels" in note.message and "(3000×4000 pixels" in note.message
    # It prints smaller than the largest size the plan may give it: the message says
    # why it holds more than 450 ppi here (626 ppi read as a mistake).
    found = re.search(r"(\d+) ppi as printed here, 450 ppi at the largest size the page plan "
                      r"may give it \((\d+) percent of this size\)", note.message)
    assert found is not None, note.message
    assert int(found[2]) == pytest.approx(100 * int(found[1]) / EMBED_PPI, abs=1)


def test_a_photo_embedded_smaller_keeps_its_colour_profile(make_issue: MakeIssue) -> None:
    photo = _camera_photo(4000, 3000)
    folder = make_issue(MANIFEST.format(more=""), {"images/IMG_20260728_163045.jpg": photo})
    [(width, _, profile, size)] = _images(build(folder).pdf)
    assert width < 4000 and size < len(photo) / 2
    assert profile == PROFILE


def test_a_photo_at_print_resolution_is_embedded_as_it_is(make_issue: MakeIssue) -> None:
    photo = phone_photo(1200, 1600)  # ~360 ppi in a column
    folder = make_issue(MANIFEST.format(more=""), {"images/IMG_20260728_163045.jpg": photo})
    built = build(folder)
    [(width, height, _, _)] = _images(built.pdf)
    assert (width, height) == (1200, 1600)  # all its pixels (WeasyPrint turns it upright)
    assert [d for d in check_photos(built) if d.code == "photo.downsampled"] == []
