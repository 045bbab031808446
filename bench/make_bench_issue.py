"""Write issues/bench-16/issue.yaml: a 16-page issue of real-looking content for benchmarks.

The text is the sample issue's (a real back issue), its paragraphs re-dealt into
eight articles, each starting on a new page, with the sample's photos. It is
benchmark material, not an issue to print.
    .venv/bin/python bench/make_bench_issue.py [PAGES]
    .venv/bin/python bench/make_bench_issue.py --text [PAGES]   # issues/text-PAGES

`--text`: the same text as a text-heavy issue of a different shape, so that
speed work is not tuned to one: no photos, subheads, and articles that mostly
continue one after another across pages (one in four starts a new page);
`--text --flowing` (issues/flow-PAGES): every article continues the one before
it, so the issue is a single page run.
`--varied` (issues/text-varied-PAGES): text-heavy too, but its text does not
repeat: the back issue's two articles once, and articles written by
bench/varied_text.py (notices and reports with addresses, phone numbers, dates,
URLs, English names, numbers with units, lists, sometimes a table), some starting new
pages at irregular places, the rest continuing. No photos.
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


def text_issue(pages: int = 16, flowing: bool = False) -> None:
    sample = yaml.safe_load((ROOT / "issues/2023-01/issue.yaml").read_text(encoding="utf-8"))
    bodies = [(ROOT / "issues/2023-01" / a["body_file"]).read_text(encoding="utf-8")
              if "body_file" in a else a["body"] for a in sample["articles"]]
    paragraphs = [p for body in bodies for p in body.split("\n\n")
                  if p.strip() and not p.startswith("#")]
    target = ROOT / f"issues/{'flow' if flowing else 'text'}-{pages}"
    target.mkdir(parents=True, exist_ok=True)
    articles = []
    for i in range(pages * 13 // 16):  # ~1.2 pages of text an article, of 5 to 13 paragraphs
        source = sample["articles"][i % 2]
        body = []
        for k in range(5 + (i * 5) % 9):
            if k and k % 4 == 0:
                body.append(f"### {'一二三四五'[k // 4 - 1]}、{source['title'].split()[k % 2]}")
            body.append(paragraphs[(i * 5 + k) % len(paragraphs)])
        articles.append({
            "id": f"text-{i + 1}", "section": "要闻", "title": source["title"],
            "subtitle": source["subtitle"],
            "layout": {"start": "new-page" if i and i % 4 == 0 and not flowing else "continue"},
            "body": "\n\n".join(body) + "\n"})
    manifest = {k: sample[k] for k in ("newsletter", "publisher", "issue", "layout", "colophon")}
    manifest["articles"] = articles
    text = (f"# Benchmark issue: ~{pages} pages of the sample's text (bench/make_bench_issue.py"
            " --text).\n" + yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False,
                                           width=1000))
    (target / "issue.yaml").write_text(text, encoding="utf-8")
    print(f"wrote {target / 'issue.yaml'}")


def varied_issue(pages: int = 16, seed: int = 3) -> None:
    import random

    from varied_text import TOPICS, Writer

    sample = yaml.safe_load((ROOT / "issues/2023-01/issue.yaml").read_text(encoding="utf-8"))
    writer = Writer(seed=seed)
    rng = random.Random(seed)
    topics = list(TOPICS)
    rng.shuffle(topics)
    count = pages * 14 // 16  # articles of ~1.1 pages each
    real = {1: sample["articles"][0], count // 2 + 1: sample["articles"][1]}
    starts = set(rng.sample(range(2, count), count // 4))  # irregular new-page starts
    bodies = {i: (ROOT / "issues/2023-01" / source["body_file"]).read_text(encoding="utf-8")
              for i, source in real.items()}
    # ~990 characters of body text fill a page (with the heads), so the issue
    # comes to about `pages` pages; each written article a half to 1.5 times its
    # share. Seed 3 was chosen by building seeds 1-14: 15 pages, holes of 3-5
    # lines only (others left a page empty before a new-page article, or the
    # colophon alone on a page, which no editor would print).
    share = (pages * 990 - sum(map(len, bodies.values()))) // (count - len(real))
    articles: list[dict[str, object]] = []
    for i in range(count):
        if i in real:
            source = real[i]
            entry: dict[str, object] = {k: source[k] for k in ("section", "title", "subtitle")}
            entry["body"] = bodies[i]
        else:
            entry = writer.article(topics.pop(), length=int(share * rng.uniform(0.5, 1.5)))
        start = "new-page" if i in starts else "continue"
        articles.append({"id": f"varied-{i + 1}", **entry, "layout": {"start": start}})
    manifest = {k: sample[k] for k in ("newsletter", "publisher", "issue", "layout", "colophon")}
    manifest["articles"] = articles
    target = ROOT / f"issues/text-varied-{pages}"
    target.mkdir(parents=True, exist_ok=True)
    text = (f"# Benchmark issue: ~{pages} pages of text that does not repeat"
            " (bench/make_bench_issue.py --varied).\n"
            "# The facts, names, addresses and numbers are made up.\n"
            + yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False, width=1000))
    (target / "issue.yaml").write_text(text, encoding="utf-8")
    print(f"wrote {target / 'issue.yaml'}")


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if not a.startswith("--")]
    size = int(arguments[0]) if arguments else 16
    if "--varied" in sys.argv[1:]:
        seeds = [int(a[len("--seed="):]) for a in sys.argv[1:] if a.startswith("--seed=")]
        varied_issue(size, *seeds)
    elif "--text" in sys.argv[1:]:
        text_issue(size, flowing="--flowing" in sys.argv[1:])
    else:
        main(size)
