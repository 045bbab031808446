"""A phone's HEIC photo named in issue.yaml (an iPhone's, as colleagues send them
through WeChat's 原图 or a mail): printed from a JPEG made of it, with a note; the
build said only "send it again as JPEG"."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from bulletin_press.build.pipeline import build, build_runs

from .conftest import HEADER, MakeIssue
from .test_intake_word_details import heic_photo

ISSUE = HEADER + """\
  - id: linli
    title: 邻里节在天山西路568号开幕 三千居民共享欢乐时光
    photos:
      - {file: images/IMG_4021.HEIC, caption: 社区合唱团在开幕式上演唱《我和我的祖国》}
    body: |
      10月14日下午，新泾镇第十届“邻里节”在天山西路568号社区文化活动中心开幕。

      活动详情见新泾镇官网www.xinjing.gov.cn/linlijie，咨询电话021-62785432。
"""


@pytest.mark.slow
@pytest.mark.parametrize("runs", [False, True])
def test_a_heic_photo_is_printed_from_a_jpeg_made_of_it(make_issue: MakeIssue,
                                                       runs: bool) -> None:
    folder = make_issue(ISSUE, {"images/IMG_4021.HEIC": heic_photo()})
    built = build_runs(folder, store=False) if runs else build(folder)
    notes = [d for d in built.diagnostics if d.code == "photo.heic"]
    assert len(notes) == 1 and "images/IMG_4021.HEIC" in notes[0].message
    with pikepdf.open(io.BytesIO(built.pdf)) as pdf:
        images = [pikepdf.PdfImage(image) for page in pdf.pages
                  for _name, image in page.get_images().items()]
        assert [(i.width, i.height, i.filters) for i in images] == [
            (2016, 1512, [pikepdf.Name.DCTDecode])]
        picture = images[0].as_pil_image().convert("RGB")
    red, _g, blue = picture.getpixel((1000, 630))  # the red roof band
    assert red > 150 and blue < 90
    assert (folder / "images/IMG_4021.HEIC").read_bytes()[4:12] == b"ftypheic"  # untouched


def test_a_damaged_heic_photo_is_still_an_error(make_issue: MakeIssue) -> None:
    folder = make_issue(ISSUE, {"images/IMG_4021.HEIC": heic_photo()[:300]})
    from bulletin_press.diagnostics import BuildError

    with pytest.raises(BuildError) as raised:
        build(folder)
    [problem] = raised.value.diagnostics
    assert problem.code == "photo.unreadable" and "HEIC" in problem.message


def test_the_jpeg_keeps_the_photo_upright_and_its_size() -> None:
    from bulletin_press.layout.photos import heic_as_jpeg

    with Image.open(io.BytesIO(heic_as_jpeg(heic_photo((1512, 2016))))) as image:
        assert (image.format, image.size) == ("JPEG", (1512, 2016))
        assert "dpi" not in image.info  # a phone states no resolution that means anything


def test_the_heic_file_is_not_read_twice(tmp_path: Path) -> None:
    from bulletin_press.layout.photos import printable

    photo = tmp_path / "IMG_4022.HEIC"
    photo.write_bytes(heic_photo())
    assert printable(photo) is printable(photo)  # converted once per version of the file
    assert printable(tmp_path.parent / "nothing.jpg") is None
