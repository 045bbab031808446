"""Font lookup (fontconfig, as WeasyPrint sees it) and metrics (fontTools).

Used before rendering: to measure captions so figure heights stay on the
line grid, and to find characters no configured font can draw.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bulletin_press.diagnostics import Diagnostic, error
from bulletin_press.i18n import _


@dataclass(frozen=True)
class FontFace:
    family: str
    path: Path
    index: int


# (family, weight) → the face fontconfig picks, or None: asked once per process.
_FACES: dict[tuple[str, str], FontFace | None] = {}


def find_face(family: str, weight: str = "regular") -> FontFace | None:
    """The face fontconfig picks for `family`, or None if it would substitute another."""
    return find_faces([family], weight)[0]


def find_faces(families: list[str], weight: str = "regular") -> list[FontFace | None]:
    """`find_face` for each family, the fc-match processes run side by side: each
    takes ~20-30 ms to start and read fontconfig's configuration, and a build waits
    for them before its first page is typeset."""
    wanted = [family for family in dict.fromkeys(families) if (family, weight) not in _FACES]
    if wanted and shutil.which("fc-match") is None:
        _FACES.update({(family, weight): None for family in wanted})
    elif wanted:
        asked = {family: subprocess.Popen(
            ["fc-match", "-f", "%{file}|%{index}|%{family}", f"{family}:weight={weight}"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for family in wanted}
        for family, process in asked.items():
            _FACES[(family, weight)] = _picked(family, process.communicate()[0])
    return [_FACES[(family, weight)] for family in families]


def _picked(family: str, out: str) -> FontFace | None:
    """fc-match's answer: the face, if it is of the family asked for."""
    parts = out.split("|")
    if len(parts) != 3:
        return None
    families = {name.strip().casefold() for name in parts[2].split(",")}
    if family.casefold() not in families:
        return None
    return FontFace(family, Path(parts[0]), int(parts[1] or 0))


# Format characters the shaper draws as nothing (HarfBuzz hides Unicode's default
# ignorables): the text stage's glue (U+FEFF), word joiner (U+2060) and break
# (U+200B), joiners, direction marks, variation selectors. A face has no glyph for
# most of them; measured at the default advance, each added 1 em to a caption's or
# the colophon's estimated width (2068⁠号3⁠楼 made the colophon a line taller).
_INVISIBLE = frozenset([*range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2060, 0x2070),
                        *range(0xFE00, 0xFE10), 0xFEFF, 0x00AD])


class Metrics:
    """Advance widths in em units and the code points the face covers."""

    def __init__(self, units_per_em: int, advances: dict[int, int], default_advance: int,
                 face: Any = None) -> None:
        self.units_per_em = units_per_em
        self.advances = advances  # code point → advance in font units, filled as asked
        self.default_advance = default_advance
        self._face = face  # hb.FaceMetrics, or None when every advance is given

    def _advance(self, codepoint: int) -> int | None:
        if codepoint in self.advances or self._face is None:
            return self.advances.get(codepoint)
        glyph = self._face.glyph(codepoint)
        if glyph is None:
            return None
        advance: int = self._face.advance(glyph)
        self.advances[codepoint] = advance
        return advance

    def covers(self, char: str) -> bool:
        return self._advance(ord(char)) is not None

    def width(self, text: str, size: float) -> float:
        units = 0
        for char in text:
            if ord(char) in _INVISIBLE:
                continue
            advance = self._advance(ord(char))
            units += self.default_advance if advance is None else advance
        return units * size / self.units_per_em


@functools.cache
def metrics(face: FontFace) -> Metrics:
    from bulletin_press.fonts.harfbuzz import FaceMetrics

    try:
        hb_face = FaceMetrics(str(face.path), face.index)
        return Metrics(hb_face.units_per_em, {}, hb_face.units_per_em, hb_face)
    except OSError:
        pass  # no HarfBuzz here: read the tables with fontTools
    from fontTools.ttLib import TTCollection, TTFont  # ~10 ms: only on this path

    font: TTFont
    if face.path.suffix.lower() in (".ttc", ".otc"):
        font = TTCollection(str(face.path), lazy=True).fonts[face.index]
    else:
        font = TTFont(str(face.path), lazy=True, fontNumber=face.index)
    cmap = font.getBestCmap() or {}
    hmtx = font["hmtx"].metrics
    upem = int(font["head"].unitsPerEm)
    advances = {cp: hmtx[name][0] for cp, name in cmap.items() if name in hmtx}
    return Metrics(upem, advances, upem)


def family_metrics(family: str) -> Metrics | None:
    """Metrics of the face fontconfig uses for `family`, or None if it is not installed."""
    face = find_face(family)
    return metrics(face) if face else None


def _has_library(soname: str, name: str) -> bool:
    """Loadable by its usual name, or found by the (slow: it runs ldconfig) search."""
    try:
        ctypes.CDLL(soname)
        return True
    except OSError:
        return ctypes.util.find_library(name) is not None


def environment_problems(families: list[str]) -> list[Diagnostic]:
    """What is missing on this machine for a correct, fast build."""
    problems: list[Diagnostic] = []
    if not _has_library("libharfbuzz-subset.so.0", "harfbuzz-subset"):
        problems.append(error(
            "environment.harfbuzz-subset",
            _("libharfbuzz-subset is not installed: font subsetting would fall back to a "
              "pure-Python subsetter ~20-80x slower"),
            hint=_("as root: {command}").format(command="apt-get install -y libharfbuzz-subset0")))
    if shutil.which("fc-match") is None:
        problems.append(error("environment.fontconfig",
                              _("fontconfig (fc-match) is not installed"),
                              hint=_("as root: {command}").format(
                                  command="apt-get install -y fontconfig")))
        return problems
    for family, face in zip(families, find_faces(families), strict=True):
        if face is None:
            problems.append(error(
                "environment.font-missing", _("the font family '{family}' is not installed")
                .format(family=family),
                hint=_("Noto CJK comes from Debian: apt-get install -y fonts-noto-cjk; "
                       "other fonts: put the file in fonts/ and name it in layout.yaml")))
    return problems
