"""The one gate to WeasyPrint's internals: its version checked, then the extensions.

The extensions in `typeset/ext/` change WeasyPrint 70 by replacing some of its
functions for the whole process. Each is written against that version's
internals and looks them up when it is imported, so `install()` checks the
version of the WeasyPrint it finds before any of them is imported (importing
`typeset/ext/` checks it too), and refuses another version with a
`BuildError` that says what to install: a message and exit code 1, in the
command's process, a build's worker processes and the preview alike.

Every function an extension replaces goes through `replace`, which records
the original: `stock()` puts originals back (tests compare with stock
WeasyPrint), `replacements()` lists them (tests/test_weasyprint_contract.py
checks their signatures).

Each extension can be switched off on its own, before a process typesets,
with the environment variable `BULLETIN_PRESS_EXTENSIONS_OFF`: names
separated by commas (`leaders,page_styles`), or `all` for stock WeasyPrint.
The switches are part of the page-run store's key (see runs/store.py).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from bulletin_press.diagnostics import BuildError, error
from bulletin_press.i18n import _

SUPPORTED_VERSION = "70.0"
OFF_VARIABLE = "BULLETIN_PRESS_EXTENSIONS_OFF"
# In the order they are installed; cjk_justify and cjk_autospace both draw through
# ext/glyph_widths.py, installed with either (not a switch of its own).
EXTENSIONS = ("cjk_justify", "cjk_autospace", "grid_columns", "line_fit", "column_lines",
              "column_balance", "leaders", "page_styles", "target_counters", "font_programs",
              "paint_order", "artifacts", "structure_tree", "parsed_sheets", "vertical_justify",
              "png_streams", "drawn_text", "used_lengths", "box_flow")
# Speed only: the same bytes as stock WeasyPrint (tests/test_gate.py).
SPEED = ("column_lines", "column_balance", "leaders", "page_styles", "target_counters",
         "font_programs", "parsed_sheets", "png_streams", "drawn_text", "used_lengths",
         "box_flow")


@dataclass(frozen=True)
class Replacement:
    extension: str
    owner: Any  # a WeasyPrint module or class
    name: str
    original: Any
    replacement: Any

    @property
    def dotted(self) -> str:
        """Where the replaced function lives, e.g. weasyprint.layout.inline.justify_line."""
        owner = self.owner
        prefix = owner.__name__ if isinstance(owner, ModuleType) else \
            f"{owner.__module__}.{owner.__qualname__}"
        return f"{prefix}.{self.name}"


class UnsupportedWeasyPrint(BuildError):
    """Another WeasyPrint than the one the extensions were written for."""

    def __init__(self, found: str) -> None:
        self.found = found
        super().__init__([error(
            "typeset.weasyprint-version",
            _("bulletin_press needs WeasyPrint {supported}, found {found}: its typesetting "
              "extensions are written against that version's internals").format(
                supported=SUPPORTED_VERSION, found=found),
            hint=_("install it into the project's environment: "
                   "pip install weasyprint=={supported} (or run scripts/setup.sh)").format(
                supported=SUPPORTED_VERSION))])

    def __reduce__(self) -> tuple[Any, ...]:  # comes back from a worker process as itself
        return (type(self), (self.found,))


_replaced: list[Replacement] = []
_installed: tuple[str, ...] | None = None


def check_version() -> None:
    """Refuse a WeasyPrint other than SUPPORTED_VERSION. Imports only the package
    itself, whose import touches none of the internals the extensions replace."""
    # isort: off
    from bulletin_press.typeset import _weasyload  # noqa: F401  # first: WeasyPrint, fast
    # isort: on
    import weasyprint

    if weasyprint.__version__ != SUPPORTED_VERSION:
        raise UnsupportedWeasyPrint(str(weasyprint.__version__))


def switched_off(environ: Mapping[str, str] = os.environ) -> frozenset[str]:
    """The extensions the environment switches off."""
    words = {w.strip() for w in environ.get(OFF_VARIABLE, "").split(",") if w.strip()}
    if "all" in words:
        return frozenset(EXTENSIONS)
    unknown = sorted(words - set(EXTENSIONS))
    if unknown:
        raise BuildError([error(
            "typeset.unknown-extension",
            _("{variable} names an unknown extension: {names}").format(
                variable=OFF_VARIABLE, names=", ".join(unknown)),
            hint=_("known: {names}, or all").format(names=", ".join(EXTENSIONS)))])
    return frozenset(words)


def stamp() -> str:
    """The installed WeasyPrint's version and the switches, without importing
    WeasyPrint (0.4 s): what typeset output depends on besides our code."""
    from importlib.metadata import version

    return f"weasyprint {version('weasyprint')}; off: {','.join(sorted(switched_off()))}"


def install() -> tuple[str, ...]:
    """Check the version, then install every extension not switched off, once per
    process; returns the names installed."""
    global _installed
    if _installed is not None:
        return _installed
    check_version()
    off = switched_off()
    from bulletin_press.typeset.ext import (  # after the check: they look up internals
        artifacts,
        box_flow,
        cjk_autospace,
        cjk_justify,
        column_balance,
        column_lines,
        drawn_text,
        font_programs,
        grid_columns,
        leaders,
        line_fit,
        page_styles,
        paint_order,
        parsed_sheets,
        png_streams,
        structure_tree,
        target_counters,
        used_lengths,
        vertical_justify,
    )

    modules = {"cjk_justify": cjk_justify, "cjk_autospace": cjk_autospace,
               "grid_columns": grid_columns, "line_fit": line_fit, "column_lines": column_lines,
               "column_balance": column_balance, "leaders": leaders,
               "page_styles": page_styles,
               "target_counters": target_counters, "font_programs": font_programs,
               "paint_order": paint_order, "artifacts": artifacts,
               "structure_tree": structure_tree, "parsed_sheets": parsed_sheets,
               "vertical_justify": vertical_justify, "png_streams": png_streams,
               "drawn_text": drawn_text, "used_lengths": used_lengths, "box_flow": box_flow}
    names = tuple(name for name in EXTENSIONS if name not in off)
    for name in names:
        modules[name].install()
    _installed = names
    return names


def installed() -> tuple[str, ...]:
    """The extensions installed in this process (none before `install`)."""
    return _installed or ()


def replace(extension: str, owner: Any, name: str, replacement: Any) -> Any:
    """Put `replacement` in place of `owner.name` (for good, in this process); returns
    the original. Called by the extensions' `install()` only."""
    for done in _replaced:
        if done.owner is owner and done.name == name:
            if done.replacement is not replacement:
                raise RuntimeError(f"{done.dotted} is replaced by {done.extension} already")
            return done.original
    # A static method as the class holds it: put back by `stock` as one.
    held = vars(owner).get(name) if isinstance(owner, type) else None
    original = held if isinstance(held, staticmethod) else getattr(owner, name)
    _replaced.append(Replacement(extension, owner, name, original, replacement))
    setattr(owner, name, replacement)
    return original


def replacements() -> list[Replacement]:
    """Every WeasyPrint function replaced in this process, with its original."""
    return list(_replaced)


@contextmanager
def stock(*extensions: str) -> Iterator[None]:
    """Within: WeasyPrint's own functions in place of these extensions' (all when
    none are named); for tests that compare with stock WeasyPrint."""
    unknown = set(extensions) - {*EXTENSIONS, "glyph_widths"}
    if unknown:
        raise ValueError(f"no such extension: {', '.join(sorted(unknown))}")
    chosen = [r for r in _replaced if not extensions or r.extension in extensions]
    for r in chosen:
        setattr(r.owner, r.name, r.original)
    try:
        yield
    finally:
        for r in chosen:
            setattr(r.owner, r.name, r.replacement)
