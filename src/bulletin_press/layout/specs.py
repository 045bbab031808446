"""Layouts: a folder with layout.yaml, Jinja2 templates and static CSS.

`layout.yaml` gives the page geometry in typesetting terms (lines per page,
characters per column) and we derive exact lengths from it, so that the body
text sits on a line grid and every column is a whole number of characters
wide. Those derived values are the only generated CSS; the rest of the look
lives in the layout's static stylesheets, reading them as custom properties.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bulletin_press.diagnostics import BuildError, Location, error
from bulletin_press.i18n import _
from bulletin_press.layout.geometry import PT_PER_MM as PT_PER_MM  # re-exported
from bulletin_press.layout.geometry import Geometry as Geometry  # re-exported
from bulletin_press.manifest.yaml_source import load_yaml

PAGE_SIZES_MM = {"A4": (210.0, 297.0), "A5": (148.0, 210.0), "B5": (176.0, 250.0),
                 "16K": (185.0, 260.0)}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PageSpec(_Strict):
    size: str = "A4"
    bleed_mm: float = Field(default=3.0, ge=0, le=10)
    margin_top_mm: float = Field(default=18.0, gt=0)
    lines: int = Field(default=41, ge=10, description="body lines per column")
    columns: int = Field(default=2, ge=1, le=4)
    column_chars: int = Field(default=23, ge=8, description="body characters per column line")
    gap_chars: float = Field(default=2.0, ge=0.5)


class TypeSpec(_Strict):
    body_size_pt: float = 10.5
    line_pt: float = 18.0
    autospace_em: float = Field(default=0.125, ge=0, le=0.25, description=(
        "gap between Han characters and Latin letters or digits (clreq: 1/8-1/4 em; 0 = none)"))


class FontFile(_Strict):
    family: str
    file: str  # relative to the project's fonts/ folder
    weight: int = 400
    unicode_range: str | None = None


class FontSpec(_Strict):
    body: str = "Noto Serif CJK SC"
    heading: str = "Noto Sans CJK SC"
    files: list[FontFile] = Field(default_factory=list)


class PhotoSpec(_Strict):
    min_lines: int = 4
    max_lines: int = 16
    full_width_max_lines: int = 10
    caption_size_pt: float = 9.0
    caption_max_lines: int = 3


class TableSpec(_Strict):
    size_pt: float = Field(default=9.5, gt=0, description="table text size (sans)")


class PrintSpec(_Strict):
    """The print condition the shop prints to (for --pdf-x)."""

    profile: str = "/usr/share/color/icc/ghostscript/default_cmyk.icc"
    condition: str = "CGATS TR 001"
    info: str = "SWOP (Ghostscript's default CMYK profile); replace with the print shop's"


class LayoutSpec(_Strict):
    name: str
    description: str = ""
    extends: str | None = None
    page: PageSpec = Field(default_factory=PageSpec)
    type: TypeSpec = Field(default_factory=TypeSpec)
    fonts: FontSpec = Field(default_factory=FontSpec)
    photos: PhotoSpec = Field(default_factory=PhotoSpec)
    tables: TableSpec = Field(default_factory=TableSpec)
    options: dict[str, str | int | float] = Field(default_factory=dict)
    print: PrintSpec = Field(default_factory=PrintSpec)
    stylesheets: list[str] = Field(default_factory=lambda: ["style.css"])
    first_page_stylesheets: list[str] = Field(default_factory=list)
    template: str = "issue.html.j2"


@dataclass(frozen=True)
class Layout:
    spec: LayoutSpec
    folders: tuple[Path, ...]  # this layout first, then what it extends
    geometry: Geometry
    files: tuple[Path, ...]  # every layout file read

    @property
    def folder(self) -> Path:
        return self.folders[0]

    def stylesheet_paths(self, first_page: bool = False) -> list[Path]:
        """Each stylesheet from the first folder in the chain that has it, parents first
        (`first_page`: the ones only for the document holding the issue's first page)."""
        found: list[Path] = []
        names = self.spec.first_page_stylesheets if first_page else self.spec.stylesheets
        for folder in reversed(self.folders):
            for name in names:
                path = folder / name
                if path.is_file() and path not in found:
                    found.append(path)
        return found

    def font_families(self) -> list[str]:
        return [self.spec.fonts.body, self.spec.fonts.heading]


def _deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def load_layout(layouts_dir: Path, name: str) -> Layout:
    chain: list[Path] = []
    raw: dict[str, Any] = {}
    files: list[Path] = []
    current: str | None = name
    while current is not None:
        folder = layouts_dir / current
        path = folder / "layout.yaml"
        if folder in chain:
            raise BuildError([error("layout.cycle", _("layout '{name}' extends itself").format(
                name=current), Location(path))])
        if not path.is_file():
            raise BuildError([error("layout.missing", _("no layout '{name}'").format(
                name=current), Location(path), _("layouts live in {folder}").format(
                    folder=layouts_dir))])
        data, _smap = load_yaml(path)
        data = data or {}
        if not isinstance(data, dict):
            raise BuildError([error("layout.invalid", _("layout.yaml must be a list of fields "
                                                        "(name: value)"),
                                    Location(path, 1, 1))])
        chain.append(folder)
        files.append(path)
        raw = _deep_merge(data, raw)  # the child wins
        current = data.get("extends")
    raw["name"] = name
    try:
        spec = LayoutSpec.model_validate(raw)
    except ValidationError as exc:
        raise BuildError([error("layout.invalid", f"{'.'.join(map(str, e['loc']))}: {e['msg']}",
                                Location(chain[0] / "layout.yaml"))
                          for e in exc.errors()]) from None
    return Layout(spec, tuple(chain), geometry(spec), tuple(files))


def geometry(spec: LayoutSpec) -> Geometry:
    page = spec.page
    if page.size.upper() in PAGE_SIZES_MM:
        width_mm, height_mm = PAGE_SIZES_MM[page.size.upper()]
    elif match := re.fullmatch(r"\s*([\d.]+)\s*mm\s+([\d.]+)\s*mm\s*", page.size):
        width_mm, height_mm = float(match[1]), float(match[2])
    else:
        raise BuildError([error("layout.page-size", _("unknown page size '{size}'").format(
            size=page.size), hint=_("use one of {sizes} or '210mm 297mm'").format(
                sizes=", ".join(PAGE_SIZES_MM)))])
    width, height = width_mm * PT_PER_MM, height_mm * PT_PER_MM
    body = spec.type.body_size_pt
    column = page.column_chars * body
    gap = page.gap_chars * body
    measure = page.columns * column + (page.columns - 1) * gap
    side = (width - measure) / 2
    top = page.margin_top_mm * PT_PER_MM
    bottom = height - top - page.lines * spec.type.line_pt
    if side < 10 * PT_PER_MM or bottom < 10 * PT_PER_MM:
        raise BuildError([error(
            "layout.does-not-fit",
            _("{columns} columns of {chars} characters and {lines} lines leave margins of "
              "{side:.1f} mm (sides) and {bottom:.1f} mm (bottom); at least 10 mm are needed")
            .format(columns=page.columns, chars=page.column_chars, lines=page.lines,
                    side=side / PT_PER_MM, bottom=bottom / PT_PER_MM),
            hint=_("reduce column_chars or lines"))])
    return Geometry(width, height, page.bleed_mm * PT_PER_MM, top, bottom, side,
                    spec.type.line_pt, body, page.columns, column, gap, page.lines)


def _pt(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".") + "pt"


def _css_value(value: str | int | float) -> str:
    text = str(value)
    if not re.fullmatch(r"[#\w.%\- ,'\"]+", text):
        raise BuildError([error("layout.option", _("layout option value {value} is not a "
                                                   "plain CSS value").format(value=repr(text)))])
    return text


def page_css(layout: Layout, font_urls: dict[str, str]) -> str:
    """The generated part of the stylesheet: @page, @font-face and custom properties."""
    g = layout.geometry
    fonts = layout.spec.fonts
    lines = [
        "@page {",
        f"  size: {_pt(g.page_width)} {_pt(g.page_height)};",
        f"  margin: {_pt(g.margin_top)} {_pt(g.margin_side)} {_pt(g.margin_bottom)};",
        f"  bleed: {_pt(g.bleed)};",
        "}",
    ]
    for face in fonts.files:
        lines += ["@font-face {", f"  font-family: '{face.family}';",
                  f"  src: url('{font_urls[face.file]}');", f"  font-weight: {face.weight};"]
        if face.unicode_range:
            lines.append(f"  unicode-range: {face.unicode_range};")
        lines.append("}")
    props = {
        "--body-size": _pt(g.body_size), "--line": _pt(g.line),
        "--column-width": _pt(g.column_width), "--column-gap": _pt(g.gap),
        "--columns": str(g.columns), "--measure": _pt(g.measure),
        "--font-body": f"'{fonts.body}'", "--font-heading": f"'{fonts.heading}'",
        "--caption-size": _pt(layout.spec.photos.caption_size_pt),
        "--table-size": _pt(layout.spec.tables.size_pt),
        "--bp-autospace": _css_value(layout.spec.type.autospace_em),  # read by cjk_autospace
        # From the measure to the bleed edge, and back (for full-bleed photos).
        "--bleed-side": _pt(g.margin_side + g.bleed),
        "--bleed-side-out": _pt(-(g.margin_side + g.bleed)),
    }
    props.update({f"--{k.replace('_', '-')}": _css_value(v)
                  for k, v in layout.spec.options.items()})
    # The Han–Latin gap where inline markup splits the pair (see typography.py).
    lines.append(f".bp-as {{ margin-left: {_css_value(layout.spec.type.autospace_em)}em; }}")
    lines.append(":root {")
    lines += [f"  {k}: {v};" for k, v in props.items()]
    lines.append("}")
    return "\n".join(lines) + "\n"


def template_environment(layout: Layout) -> jinja2.Environment:
    """Child layout first; `!name/file` reaches a specific layout in the chain."""
    return _environment(tuple(layout.folders))


class _SourceKeyedCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates found by name and source instead of by file path: a
    template copied to another folder (a new project, every test's) is the same
    entry, so the cache, which Jinja never prunes, does not grow with copies."""

    def get_bucket(self, environment: jinja2.Environment, name: str,
                   filename: str | None, source: str) -> jinja2.bccache.Bucket:
        return super().get_bucket(environment, name, self.get_source_checksum(source), source)


@functools.lru_cache(maxsize=8)
def _environment(folders: tuple[Path, ...]) -> jinja2.Environment:
    # One per layout chain and process: compiled templates are reused (Jinja
    # recompiles a template whose file changed, so the preview stays current).
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(str(f)) for f in folders]
    prefixed = {"!" + f.name: jinja2.FileSystemLoader(str(f)) for f in folders}
    loaders.append(jinja2.PrefixLoader(prefixed, delimiter="/"))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        # Compiled templates kept between processes (~35 ms a command's start), in
        # Jinja's own per-user folder, under names of ours: Jinja checks each
        # against its template's source, and every environment here is alike.
        bytecode_cache=_SourceKeyedCache(pattern="__bulletin_press_%s.cache"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )

