"""The package's folders are the pipeline's stages, and imports run down it."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "bulletin_press"

# In pipeline order; a module may import from its own stage or an earlier one.
STAGES = ["i18n", "diagnostics", "manifest", "text", "fonts", "layout", "typeset", "pdf", "runs",
          "build", "checks", "intake", "preview", "commands", "__main__"]


def _stage(module: str) -> str:
    """'bulletin_press.text.blocks' → 'text'."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every bulletin_press module `path` imports (at any depth: lazy imports count)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.level:
                raise AssertionError(f"{path}:{node.lineno}: relative import; use absolute")
            if node.module == "bulletin_press":
                found += [(node.lineno, f"bulletin_press.{a.name}") for a in node.names]
            elif node.module.startswith("bulletin_press."):
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names
                      if a.name.startswith("bulletin_press.")]
    return found


def _modules() -> list[tuple[Path, str]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).with_suffix("")
        out.append((path, relative.parts[0]))
    return out


def test_every_module_is_in_a_known_stage() -> None:
    unknown = {stage for _, stage in _modules() if stage not in STAGES and stage != "__init__"}
    assert not unknown, f"add these to STAGES in pipeline order: {unknown}"


def test_imports_run_down_the_pipeline() -> None:
    backwards = []
    for path, stage in _modules():
        if stage == "__init__":
            continue
        for line, module in _imports(path):
            target = _stage(module)
            if target == "__version__":
                continue
            if STAGES.index(target) > STAGES.index(stage):
                backwards.append(f"{path.relative_to(PACKAGE)}:{line} ({stage}) imports "
                                 f"{module} ({target})")
    assert not backwards, "\n".join(backwards)


def test_only_the_typeset_stage_imports_weasyprint() -> None:
    outside = []
    for path, stage in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = ([node.module or ""] if isinstance(node, ast.ImportFrom)
                     else [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            if stage != "typeset" and any(n.split(".")[0] in {"weasyprint", "pydyf"}
                                          for n in names):
                outside.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert not outside, outside


def test_the_checker_sees_a_backward_import(tmp_path: Path) -> None:
    """The graph test itself can fail: a text module importing from layout is caught."""
    module = tmp_path / "bad.py"
    module.write_text("def f():\n    from bulletin_press.layout.context import x\n")
    (line, imported), = _imports(module)
    assert line == 2
    assert STAGES.index(_stage(imported)) > STAGES.index("text")
