"""Size and time against Typst for the same content. Run by hand; Typst is not a
dependency of the project:

    python3 -m venv /tmp/typst-venv && /tmp/typst-venv/bin/pip install typst==0.15.0
    .venv/bin/python bench/typst_compare.py --typst /tmp/typst-venv/bin/python \\
        issues/2023-01 issues/bench-16 issues/bench-64

For each issue the script writes a Typst document of the same text and photos
(A4, the layout's margins and two columns, Noto Serif/Sans CJK SC at the same
sizes, headlines, photos at the heights we place them, captions, running head
and page numbers), compiles it with Typst in its own process, and builds the
issue with `bulletin-press build`; it prints both PDFs' bytes, how much of them
is photos and fonts, and the median time of each whole process.
"""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pikepdf

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from bulletin_press.layout.prepare import prepare  # noqa: E402

_SPECIAL = set("\\*_#[]$<>@`~/=+-'\"")


def escape(text: str) -> str:
    return "".join("\\" + c if c in _SPECIAL else c for c in text)


def runs_text(runs: list) -> str:  # type: ignore[type-arg]
    out = []
    for run in runs:
        text = escape(run.text).replace("\n", " ")
        if run.strong:
            text = f"#strong[{text}]"
        if run.em:
            text = f"#emph[{text}]"
        out.append(text)
    return "".join(out)


def figure(fig: dict, width: str) -> str:  # type: ignore[type-arg]
    return (f'#block(breakable: false)[#image("{fig["src"]}", width: {width}, '
            f'height: {fig["image_height"]}, fit: "cover")\n'
            f'#text(font: "Noto Sans CJK SC", size: 9pt)[{escape(fig["caption"])}]]\n')


def typst_source(issue: Path) -> str:
    prepared = prepare(issue)
    context = prepared.context.context
    g = prepared.layout.geometry
    lines = [
        f"#set page(paper: \"a4\", margin: (top: {g.margin_top}pt, bottom: "
        f"{g.margin_bottom}pt, x: {g.margin_side}pt), columns: {g.columns}, "
        f"header: align(right, text(size: 9pt, font: \"Noto Sans CJK SC\")"
        f"[{escape(context['newsletter'])} {escape(context['date_label'])}]), "
        "numbering: \"— 1 —\")",
        f"#set columns(gutter: {g.gap}pt)",
        f"#set text(font: \"Noto Serif CJK SC\", size: {g.body_size}pt, lang: \"zh\", "
        "region: \"cn\")",
        f"#set par(justify: true, first-line-indent: 2em, leading: {g.line - g.body_size}pt)",
        f"#place(top, scope: \"parent\", float: true)[#text(size: 40pt, font: "
        f"\"Noto Sans CJK SC\", weight: \"bold\")[{escape(context['newsletter'])}]]",
    ]
    for flow in context["flows"]:
        for article in flow:
            if article["start"] == "new-page":
                lines.append("#pagebreak(weak: true)")
            head = [f"#text(size: 20pt, font: \"Noto Sans CJK SC\", weight: \"bold\")"
                    f"[{escape(article['title'])}]"]
            if article["subtitle"]:
                head.append(f"#text(size: 12pt, font: \"Noto Sans CJK SC\")"
                            f"[{escape(article['subtitle'])}]")
            lines.append("#place(top, scope: \"parent\", float: true)[#align(center)["
                         + " \\ ".join(head) + "]]")
            for fig in article["full_width_figures"]:
                lines.append("#place(top, scope: \"parent\", float: true)["
                             + figure(fig, "100%") + "]")
            for item in article["body"]:
                if item["figure"] is not None:
                    lines.append(figure(item["figure"], "100%"))
                elif item["kind"] == "subhead":
                    lines.append(f"#text(font: \"Noto Sans CJK SC\", weight: \"bold\")"
                                 f"[{runs_text(item['runs'])}]\n")
                elif item["kind"] == "list":
                    lines += [f"- {runs_text(entry)}" for entry in item["entries"]]
                else:
                    lines.append(runs_text(item["runs"]) + "\n")
    return "\n".join(lines) + "\n"


def parts(data: bytes) -> tuple[int, int]:
    """Bytes of photo streams and of font programs in a PDF."""
    photos = fonts = 0
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                size = len(obj.read_raw_bytes())
                if obj.get("/Subtype") == "/Image":
                    photos += size
                elif any(k in obj for k in ("/Length1", "/Length2", "/Length3")) or \
                        obj.get("/Subtype") in ("/CIDFontType0C", "/OpenType", "/Type1C"):
                    fonts += size
    return photos, fonts


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("issues", nargs="*", type=Path,
                        default=[ROOT / "issues" / n for n in ("2023-01", "bench-16")])
    parser.add_argument("--typst", required=True, help="a Python with the typst package")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    for issue in args.issues:
        work = Path(tempfile.mkdtemp()) / issue.name
        shutil.copytree(issue, work)
        (work / "issue.typ").write_text(typst_source(work), encoding="utf-8")
        typst_pdf = work / "typst.pdf"
        compile_typst = [args.typst, "-c", "import sys, typst; typst.compile(sys.argv[1], "
                         "output=sys.argv[2], root=sys.argv[3])", str(work / "issue.typ"),
                         str(typst_pdf), str(work)]
        ours_pdf = work / "ours.pdf"
        ours = [str(ROOT / ".venv/bin/bulletin-press"), "build", str(work), "-o", str(ours_pdf),
                "--no-cache"]
        typst_times, our_times = [], []
        for _ in range(args.runs):
            typst_times.append(timed(compile_typst))
            our_times.append(timed(ours))
        for name, path, times in (("Typst", typst_pdf, typst_times),
                                  ("bulletin_press", ours_pdf, our_times)):
            data = path.read_bytes()
            photos, fonts = parts(data)
            with pikepdf.open(io.BytesIO(data)) as pdf:
                pages = len(pdf.pages)
            print(f"{issue.name} {name:15} {pages:3} pages {len(data) / 1024:6.0f} KiB "
                  f"(photos {photos / 1024:4.0f}, fonts {fonts / 1024:4.0f}, other "
                  f"{(len(data) - photos - fonts) / 1024:4.0f}); "
                  f"median {statistics.median(times):.2f} s")


if __name__ == "__main__":
    main()
