"""The main process's start before its first page run (issue 21): what the build's
imports make is frozen, so the collections `prepare` triggers do not walk it (they
did: ~30 % of prepare's CPU on issues/text-varied-16)."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT

# A fresh interpreter: the imports of a cold build's main process, as `build` makes them.
IMPORTS = """
import gc
from bulletin_press.commands.entry import importing
with importing():
    from bulletin_press.commands.cli import main
with importing():
    import bulletin_press.runs.worker
    import bulletin_press.build.pipeline
assert gc.isenabled()
print(gc.get_freeze_count(), len(gc.get_objects()))
"""


def test_a_builds_imports_are_frozen_and_the_collector_is_on_after() -> None:
    out = subprocess.run([sys.executable, "-c", IMPORTS], capture_output=True, text=True,
                         cwd=ROOT, check=True)
    frozen, tracked = map(int, out.stdout.split())
    assert frozen > 30_000, out.stdout  # pydantic's schemas, click, Jinja2, the stages
    assert tracked < frozen // 10, out.stdout  # what the collector still walks
