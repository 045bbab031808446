"""The package's bytecode written before a benchmark runs it.

Where PYTHONDONTWRITEBYTECODE is set (containers, CI, this project's helpers'
shells), Python never writes `__pycache__`: a checkout without it (a detached
worktree made for `--base`/`--src`, or a module just edited here) compiles
every module from source in every process it starts, ~90 ms of CPU in a cold
build's processes that the other side of a before/after comparison does not
pay. `python -m compileall` writes the bytecode whatever that variable says.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def compile_sources(*folders: Path) -> None:
    """Write (or bring up to date) the bytecode of every module under `folders`."""
    for folder in folders:
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(folder)], check=True,
                       capture_output=True)
