"""What the print build's worker server costs before the first page run: it
imports the typesetter and nothing the workers never use (pydantic, Jinja2 and
YAML are the main process's: ~0.1 s of CPU in every cold build's server), with
the garbage collector off (~40 ms) and what it imported frozen; a page run's
job, geometry included, reaches a worker without them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .conftest import ROOT

# Runs in a fresh interpreter: what the worker server's preload imports, then a
# job unpickled as a worker receives it.
SERVER = """
import gc, pickle, sys
import bulletin_press.typeset.warm
from bulletin_press.runs import worker
# WeasyPrint imported with the collector off, then frozen for the workers.
assert gc.isenabled() and gc.get_freeze_count() > 50_000, gc.get_freeze_count()
job = pickle.loads(bytes.fromhex(sys.argv[1]))
assert job.guards.geometry.columns == 2, job
print(sorted(m for m in ("pydantic", "jinja2", "yaml", "markdown_it", "pikepdf")
             if m in sys.modules))
"""


def test_the_worker_server_imports_only_the_typesetter() -> None:
    from bulletin_press.layout.prepare import prepare
    from bulletin_press.runs.worker import Guards, Job

    prepared = prepare(ROOT / "issues" / "2023-01")
    job = Job("<p>页</p>", None, Guards(geometry=prepared.layout.geometry))
    import pickle

    out = subprocess.run([sys.executable, "-c", SERVER, pickle.dumps(job).hex()],
                         capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr



# The main process of a cold build as far as its first page runs: a build notes what
# is loaded when pikepdf is first looked for.
MAIN = """
import sys
class Watch:
    def find_spec(self, name, path=None, target=None):
        if name == "pikepdf":
            sys.meta_path.remove(self)
            print("pikepdf after prepare:", "bulletin_press.layout.prepare" in sys.modules,
                  file=sys.stderr)
        return None
sys.meta_path.insert(0, Watch())
sys.argv = ["bulletin-press", *sys.argv[1:]]
from bulletin_press.commands.entry import run
run()
"""


def test_a_cold_build_loads_pikepdf_and_pillow_after_the_first_runs_are_sent(
        tmp_path: Path) -> None:
    # Before the first page run is sent, the main process is what the workers wait
    # for: pikepdf (~30 ms) is not needed until the runs are joined, Pillow not for
    # an issue without photos.
    out = subprocess.run([sys.executable, "-c", MAIN, "build", str(ROOT / "issues" / "text-16"),
                          "-j", "2", "--no-cache", "-o", str(tmp_path / "out.pdf")],
                         capture_output=True, text=True, cwd=ROOT, check=True)
    assert "pikepdf after prepare: True" in out.stderr, out.stderr
    probe = ("import sys; from pathlib import Path; import bulletin_press.build.pipeline; "
             "from bulletin_press.layout.prepare import prepare; "
             f"prepare(Path({str(ROOT / 'issues' / 'text-16')!r})); print('PIL' in sys.modules)")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            cwd=ROOT, check=True)
    assert loaded.stdout.strip() == "False", loaded.stdout + loaded.stderr


# What a worker's first document would pay the same way for every document is
# paid once in the server (typeset/warm.py `warm_up`): after the server's preload,
# typesetting and writing the sample (photos, a table, links) parses no C type
# and imports none of these modules.
FIRST = """
import pickle, sys
import bulletin_press.typeset.warm
from bulletin_press.runs import worker
from weasyprint.text.ffi import ffi
html, mounts, css = pickle.loads(open(sys.argv[1], "rb").read())
parsed, modules = set(ffi._parsed_types), set(sys.modules)
run = worker.typeset_run(html, mounts, css)  # as a page run of the print build
assert run.pages == 4, run.pages
print("types", sorted(set(ffi._parsed_types) - parsed))
print("modules", sorted(m for m in set(sys.modules) - modules
                        if m.startswith(("email", "PIL.", "decimal", "fractions"))))
"""


def test_a_workers_first_document_pays_nothing_the_server_could_have(tmp_path: Path) -> None:
    import pickle

    from bulletin_press.layout.prepare import prepare
    from bulletin_press.runs.plan import BODY_CSS

    prepared = prepare(ROOT / "issues" / "2023-01")
    job = tmp_path / "job.pickle"
    job.write_bytes(pickle.dumps((prepared.html.html, prepared.fence().mounts, BODY_CSS)))
    out = subprocess.run([sys.executable, "-c", FIRST, str(job)], capture_output=True,
                         text=True, cwd=ROOT, check=True)
    assert out.stdout.splitlines() == ["types []", "modules []"], out.stdout + out.stderr


def test_the_warm_up_knows_every_c_type_weasyprint_names() -> None:
    import re

    import weasyprint

    from bulletin_press.typeset.warm import C_TYPES

    named = set()
    for folder in (Path(weasyprint.__file__).parent, ROOT / "src" / "bulletin_press"):
        for path in folder.rglob("*.py"):
            named |= set(re.findall(r"""ffi\.(?:new|cast|typeof)\(\s*['"]([^'"]+)['"]""",
                                    path.read_text(encoding="utf-8")))
    assert named and named <= set(C_TYPES), named - set(C_TYPES)


# The worker server's import, with every library search and every process started noted.
SEARCHES = """
import ctypes.util, subprocess
searched, started = [], []
search, popen = ctypes.util.find_library, subprocess.Popen.__init__
ctypes.util.find_library = lambda name: searched.append(name) or search(name)
subprocess.Popen.__init__ = lambda self, args, *a, **k: started.append(args) or popen(
    self, args, *a, **k)
import bulletin_press.typeset.warm
from bulletin_press.runs import worker
print(searched, started)
"""


def test_the_worker_server_starts_no_process_to_find_a_library() -> None:
    # cffi asks ctypes.util.find_library about a library name that is not a file,
    # which runs ldconfig and the C compiler: ~25 ms (and CPU in three processes)
    # of the server the first page run waits for (typeset/_weasyload.py).
    out = subprocess.run([sys.executable, "-c", SEARCHES], capture_output=True, text=True,
                         cwd=ROOT, check=True)
    assert out.stdout.strip() == "[] []", out.stdout + out.stderr
