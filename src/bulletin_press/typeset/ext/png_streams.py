"""A PNG photo's image stream made once, not in every document: a contained
WeasyPrint extension.

WeasyPrint 70 writes a PNG image (one without an alpha channel) by decoding it
and encoding it again with Pillow, to take the compressed pixel data (IDAT)
out: `RasterImage._get_png_data`, in every document the image is written in.
For a photo that is seconds of CPU (a 4000×3000 PNG: ~3.7 s), paid by every
typesetting of its page run, in every round of the page plan and every build
(an editor who copies a phone's PNG into images/; Word's pasted PNG photos are
stored as JPEG by `import`).

Here the result is kept by the exact bytes of the PNG it was made from (their
SHA-256), the image's mode and size, and the Pillow and zlib versions that made
it, so it is the same bytes WeasyPrint would make (tests/test_gate.py): in
typeset/image_streams.py's folder (the project's output/.cache/images, shared
by a build's worker processes and by later builds). Anything else (an image
with an alpha channel, whose channels WeasyPrint splits first, or a small one)
is made as before.
"""

from __future__ import annotations

import io
from typing import Any

from weasyprint.images import RasterImage

from bulletin_press.typeset import image_streams
from bulletin_press.typeset.gate import replace

_original: Any = None


def _png_data(pillow_image: Any) -> bytes:
    source = getattr(pillow_image, "fp", None)
    # get_x_object's own image: opened from the PNG's bytes, not yet decoded.
    if not isinstance(source, io.BytesIO) or \
            pillow_image.width * pillow_image.height < image_streams.SMALLEST:
        return bytes(_original(pillow_image))
    key = image_streams.key(source.getvalue(), pillow_image.mode, pillow_image.size)
    found = image_streams.get(key)
    if found is not None:
        return found
    made = bytes(_original(pillow_image))
    image_streams.put(key, made)
    return made


def install() -> None:
    global _original
    _original = replace("png_streams", RasterImage, "_get_png_data", staticmethod(_png_data))
