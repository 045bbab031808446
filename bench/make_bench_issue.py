"""Write issues/bench-16/issue.yaml: a 16-page issue of real-looking content for benchmarks.

The text is the sample issue's (a real back issue), its paragraphs re-dealt into
eight articles, each starting on a new page, with the sample's photos. It is
benchmark material, not an issue to print.
    .venv/bin/python bench/make_bench_issue.py [PAGES]
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def main(pages: int = 16) -> None:
    sample = yaml.safe_load((ROOT / "issues/2023-01/issue.yaml").read_text(encoding="utf-8"))
    # The two articles of the back issue (the sample's notices are not used: the
    # benchmark's text stays what it was).
    bodies = [(ROOT / "issues/2023-01" / a["body_file"]).read_text(encoding="utf-8")
              if "body_file" in a else a["body"] for a in sample["articles"][:2]]
    paragraphs = [p for body in bodies for p in body.split("\n\n") if p.strip()]
    count = pages // 2
    target = ROOT / f"issues/bench-{pages}"
    (target / "images").mkdir(parents=True, exist_ok=True)
    for photo in (ROOT / "issues/2023-01/images").iterdir():
        shutil.copy(photo, target / "images" / photo.name)
    articles = []
    for i in range(count):
        source = sample["articles"][i % 2]
        body = [paragraphs[(i * 7 + k) % len(paragraphs)] for k in range(11)]
        articles.append({
            "id": f"article-{i + 1}", "section": "要闻", "title": source["title"],
            "subtitle": source["subtitle"],
            "photos": [{"file": source["photos"][0]["file"],
                        "caption": source["photos"][0]["caption"], "placement": "top"}],
            "layout": {"start": "new-page" if i else "continue"},
            "body": "\n\n".join(body) + "\n"})
    manifest = {k: sample[k] for k in ("newsletter", "publisher", "issue", "layout", "colophon")}
    manifest["articles"] = articles
    text = (f"# Benchmark issue: {pages} pages from the sample's text (bench/make_bench_issue.py)."
            "\n" + yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False, width=1000))
    (target / "issue.yaml").write_text(text, encoding="utf-8")
    print(f"wrote {target / 'issue.yaml'}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 16)
