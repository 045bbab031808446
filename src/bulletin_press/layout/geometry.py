"""A layout's page geometry in points: kept apart from specs.py (pydantic, Jinja2,
YAML) so that the typesetting processes, which receive it with every page run,
need not import those (~0.1 s of every worker server's start)."""

from __future__ import annotations

from dataclasses import dataclass

PT_PER_MM = 72 / 25.4


@dataclass(frozen=True)
class Geometry:
    """Exact page and grid lengths in points."""

    page_width: float
    page_height: float
    bleed: float
    margin_top: float
    margin_bottom: float
    margin_side: float
    line: float
    body_size: float
    columns: int
    column_width: float
    gap: float
    lines: int

    @property
    def measure(self) -> float:
        return self.columns * self.column_width + (self.columns - 1) * self.gap
