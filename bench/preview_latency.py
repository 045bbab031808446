"""Preview benchmark: save → updated page visible in the browser. Run by hand.

    .venv/bin/python bench/preview_latency.py [ISSUE_DIR ...] [--edits 10]

For each issue (default: the sample and issues/bench-16) a preview server runs
on a copy; headless Chromium (Debian's) shows it; each edit changes one
character of the first article on disk (edits 3 s apart, like an editor
glancing at the page) and the clock stops when the new picture of page 1 has
loaded, then again when the findings of that build are shown. Prints median,
min and max of both, the load average, and where the time went (medians, ms):
from the server's timeline of each build (/api/timeline, clock times), the
page's (when it showed the new state) and the browser's resource timing of the
picture; then, in this process, the edited build's typesetting split into
WeasyPrint's layout and the writing of the run's PDF.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SENTENCE = "全镇116名党员代表参加大会。"
PAUSE = 3.0  # seconds between edits: the preflight of the last build finishes meanwhile
sys.path.insert(0, str(ROOT))

from tests.test_preview import CHROMIUM, CHROMIUM_ARGS, start_preview  # noqa: E402

# The steps of a save, in order: (name, from, to) on one clock (seconds since the epoch).
STEPS = [
    ("noticed (stat polling)", "saved", "noticed"),
    ("prepare", "noticed", "prepared"),
    ("typeset changed runs + their PDFs", "prepared", "typeset"),
    ("page hashes, publish", "typeset", "published"),
    ("event → page shows state", "published", "shown"),
    ("  picture rendered (server, meanwhile)", "published", "rendered"),
    ("picture asked → sent", "shown", "served"),
    ("picture sent → visible (bench sees it)", "served", "visible"),
    ("findings: start after picture", "visible", "checking"),
    ("findings: worker", "checking", "checked"),
    ("findings: shown", "checked", "findings"),
]


def edited_file(folder: Path) -> Path:
    """The file holding the first article's sentence: the manifest, or an article
    file (the sample keeps its texts in articles/*.md)."""
    return next(path for path in [folder / "issue.yaml", *sorted(folder.rglob("*.md"))]
                if SENTENCE in path.read_text(encoding="utf-8"))


def edit(text: str, i: int) -> str:
    return text.replace(SENTENCE, f"全镇{116 + i + 1}名党员代表参加大会。", 1)


def bench(issue: Path, edits: int) -> None:
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp()) / issue.name
    shutil.copytree(issue, folder)
    manifest = edited_file(folder)
    original = manifest.read_text(encoding="utf-8")
    process, url = start_preview(folder)
    load = os.getloadavg()
    seconds: list[float] = []
    after: list[float] = []  # findings shown after the page
    steps: dict[str, list[float]] = {name: [] for name, _, _ in STEPS}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(url)
            page.wait_for_selector("#pages img[data-page='1']", timeout=60000)
            pages = page.locator("#pages img[data-page]").count()
            for i in range(edits):
                page.wait_for_timeout(PAUSE * 1000)  # an editor reads before the next save
                before = page.get_attribute("#pages img[data-page='1']", "data-hash")
                text = edit(original, i)
                saved = time.time()
                started = time.perf_counter()
                manifest.write_text(text, encoding="utf-8")
                page.wait_for_function(
                    """before => { const img = document.querySelector(
                        "#pages img[data-page='1']");
                      return img && img.dataset.hash !== before && img.complete
                        && img.naturalWidth > 0; }""", arg=before, timeout=60000, polling=20)
                seconds.append(time.perf_counter() - started)
                visible = time.time()
                page.wait_for_function(
                    """() => !document.getElementById("findings").classList.contains(
                        "checking")""", timeout=60000, polling=20)
                after.append(time.time() - visible)
                try:
                    times = json.loads(urllib.request.urlopen(url + "api/timeline").read())
                except urllib.error.HTTPError:  # a preview without the timeline
                    times = {}
                version = page.evaluate("Number(document.body.dataset.version)")
                browser_times = page.evaluate(
                    """([before, version]) => {
                      const hash = document.querySelector("#pages img[data-page='1']")
                        .dataset.hash;
                      const shown = Object.entries(window.bpShown || {}).filter(
                        ([v, t]) => Number(v) < version).map(([v, t]) => t);
                      return {shown: Math.max(...shown) / 1000,
                              findings: (window.bpShown || {})[version] / 1000};
                    }""", [before, version])
                times.update(saved=saved, visible=visible, **browser_times)
                for name, start, end in STEPS:
                    if start in times and end in times:
                        steps[name].append(times[end] - times[start])
            browser.close()
    finally:
        process.send_signal(2)
        process.wait(timeout=10)
    print(f"{issue.name}: {pages} pages, load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"  save → page visible: median {statistics.median(seconds):.3f} s "
          f"(min {min(seconds):.3f}, max {max(seconds):.3f}, n={len(seconds)})")
    print(f"  page → findings visible: median {statistics.median(after):.3f} s "
          f"(min {min(after):.3f}, max {max(after):.3f})")
    for name, values in steps.items():
        if values:
            print(f"    {name:42s} {1000 * statistics.median(values):7.1f} ms "
                  f"({1000 * min(values):.0f}–{1000 * max(values):.0f})")
    in_process(issue, max(3, edits // 2))


def in_process(issue: Path, edits: int) -> None:
    """The edited builds of the preview again in this process (as first shown:
    the page plan from the last build's): WeasyPrint's layout and the writing of
    the runs' PDFs, apart."""
    from bulletin_press.preview.server import PreviewState, build_snapshot, render_page
    from bulletin_press.typeset import engine

    spent = {"layout": 0.0, "write PDF": 0.0}

    def timed(name: str, function: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - started
        return wrapper

    engine.typeset = timed("layout", engine.typeset)  # type: ignore[assignment]
    engine.write_pdf = timed("write PDF", engine.write_pdf)  # type: ignore[assignment]
    folder = Path(tempfile.mkdtemp()) / issue.name
    shutil.copytree(issue, folder)
    manifest = edited_file(folder)
    original = manifest.read_text(encoding="utf-8")
    state = PreviewState(folder)
    snapshot, _, _ = build_snapshot(state)
    totals: dict[str, list[float]] = {"build": [], "layout": [], "write PDF": [],
                                      "render page 1": []}
    for i in range(edits):
        manifest.write_text(edit(original, i), encoding="utf-8")
        spent.update({k: 0.0 for k in spent})
        started = time.perf_counter()
        # As the preview shows an edit first: the page plan from the last build's.
        snapshot, _, _ = build_snapshot(state, snapshot.plan)
        totals["build"].append(time.perf_counter() - started)
        for name, value in spent.items():
            totals[name].append(value)
        started = time.perf_counter()
        render_page(snapshot.run_pdfs[0], 1, 1.0)
        totals["render page 1"].append(time.perf_counter() - started)
    print("  in this process, an edited build (medians): " + ", ".join(
        f"{name} {1000 * statistics.median(values):.0f} ms" for name, values in totals.items())
        + f"; runs typeset: {snapshot.typeset_runs}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("issues", nargs="*", type=Path,
                        default=[ROOT / "issues/2023-01", ROOT / "issues/bench-16"])
    parser.add_argument("--edits", type=int, default=10)
    args = parser.parse_args()
    for issue in args.issues:
        bench(issue, args.edits)


if __name__ == "__main__":
    main()
