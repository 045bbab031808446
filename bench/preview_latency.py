"""Preview benchmark: save → updated page visible in the browser. Run by hand.

    .venv/bin/python bench/preview_latency.py [ISSUE_DIR ...] [--edits 10]

For each issue (default: the sample and issues/bench-16) a preview server runs
on a copy; headless Chromium (Debian's) shows it; each edit changes one
character of the first article on disk (edits 3 s apart, like an editor
glancing at the page) and the clock stops when the new picture of page 1 has
loaded. Prints median, min and max.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SENTENCE = "全镇116名党员代表参加大会。"
PAUSE = 3.0  # seconds between edits: the preflight of the last build finishes meanwhile
sys.path.insert(0, str(ROOT))

from tests.test_preview import CHROMIUM, CHROMIUM_ARGS, start_preview  # noqa: E402


def bench(issue: Path, edits: int) -> None:
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp()) / issue.name
    shutil.copytree(issue, folder)
    # The file holding the first article's sentence edited: the manifest, or an
    # article file (the sample keeps its texts in articles/*.md).
    manifest = next(path for path in [folder / "issue.yaml", *sorted(folder.rglob("*.md"))]
                    if SENTENCE in path.read_text(encoding="utf-8"))
    original = manifest.read_text(encoding="utf-8")
    process, url = start_preview(folder)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(url)
            page.wait_for_selector("#pages img[data-page='1']", timeout=60000)
            pages = page.locator("#pages img[data-page]").count()
            seconds = []
            for i in range(edits):
                page.wait_for_timeout(PAUSE * 1000)  # an editor reads before the next save
                before = page.get_attribute("#pages img[data-page='1']", "data-hash")
                text = original.replace(SENTENCE,
                                        f"全镇{116 + i + 1}名党员代表参加大会。", 1)
                started = time.perf_counter()
                manifest.write_text(text, encoding="utf-8")
                page.wait_for_function(
                    """before => { const img = document.querySelector(
                        "#pages img[data-page='1']");
                      return img && img.dataset.hash !== before && img.complete
                        && img.naturalWidth > 0; }""", arg=before, timeout=60000, polling=20)
                seconds.append(time.perf_counter() - started)
            browser.close()
    finally:
        process.send_signal(2)
        process.wait(timeout=10)
    print(f"{issue.name}: {pages} pages, save → page visible: median "
          f"{statistics.median(seconds):.3f} s (min {min(seconds):.3f}, "
          f"max {max(seconds):.3f}, n={len(seconds)})")


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
