"""Where things live: layouts, fonts and output, found from the issue folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# An editable install runs from the checkout: src/bulletin_press/manifest/ → repo root.
_CHECKOUT = Path(__file__).resolve().parents[3]


@dataclass(frozen=True)
class Project:
    root: Path
    # Where output/ goes when it is not under `root`: beside an issue kept outside any
    # project (its layouts and fonts are the package's), not in the package's checkout.
    output_root: Path | None = None

    @property
    def layouts_dir(self) -> Path:
        return self.root / "layouts"

    @property
    def fonts_dir(self) -> Path:
        return self.root / "fonts"

    @property
    def output_dir(self) -> Path:
        return (self.output_root or self.root) / "output"

    def available_layouts(self) -> list[str]:
        if not self.layouts_dir.is_dir():
            return []
        return sorted(p.name for p in self.layouts_dir.iterdir()
                      if (p / "layout.yaml").is_file())


def find_project(issue_dir: Path) -> Project:
    """The nearest folder with a `layouts/` folder: the issue folder itself (an issue
    unpacked from an archive carries its layout), or one above it. An issue outside
    any project is built with the package's layouts and fonts, and its output goes
    beside it, as a project's goes beside its issues: `2024-03/` → `output/2024-03.pdf`
    in the folder that holds it, wherever the command is run from."""
    resolved = issue_dir.resolve()
    for parent in (resolved, *resolved.parents):
        if (parent / "layouts").is_dir():
            return Project(parent)
    return Project(_CHECKOUT, output_root=resolved.parent)


def is_within(path: Path, root: Path) -> bool:
    """True if `path`, with symlinks resolved, lies inside `root`."""
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):
        return False
    return True
