"""Preflight reports for scripts (JSON) and for people (an HTML page of page pictures)."""

from __future__ import annotations

import base64
import html
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from bulletin_press.build.pipeline import Assembled, Built
from bulletin_press.diagnostics import Diagnostic, Severity, page_name
from bulletin_press.i18n import _, language, ngettext


def counts(findings: list[Diagnostic]) -> dict[str, int]:
    return {s.value: sum(d.severity is s for d in findings) for s in Severity}


def ordered(findings: list[Diagnostic]) -> list[Diagnostic]:
    """Each finding once, the errors first, then warnings, then notes (stable)."""
    rank = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    return sorted(dict.fromkeys(findings), key=lambda d: rank[d.severity])


def tally_text(tally: dict[str, int]) -> str:
    """"1 error, 2 warnings, 0 notes": the same words in every format."""
    return _("{errors}, {warnings}, {notes}").format(
        errors=ngettext("{n} error", "{n} errors", tally["error"]).format(n=tally["error"]),
        warnings=ngettext("{n} warning", "{n} warnings", tally["warning"]).format(
            n=tally["warning"]),
        notes=ngettext("{n} note", "{n} notes", tally["info"]).format(n=tally["info"]))


def summary_line(label: str, pages: int, findings: list[Diagnostic]) -> str:
    """"issues/2023-01: 3 pages; 0 errors, 1 warning, 1 note"."""
    return _("{issue}: {pages}; {tally}").format(
        issue=label, pages=ngettext("{n} page", "{n} pages", pages).format(n=pages),
        tally=tally_text(counts(findings)))


def json_report(label: str, built: Built | Assembled, findings: list[Diagnostic]) -> str:
    """Stable keys: issue, pages, counts, findings[] (severity, code, message, hint, path,
    line, column, page, box)."""
    return json.dumps({"issue": label, "pages": built.page_count,
                       "counts": counts(findings),
                       "findings": [d.as_dict() for d in findings]},
                      ensure_ascii=False, indent=2)


def page_pictures(pdf: bytes, dpi: int = 50) -> list[bytes]:
    """PNG pictures of the pages (poppler's pdftoppm); empty if it is not installed."""
    if shutil.which("pdftoppm") is None:
        return []
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(dpi), "-cropbox", "-png", str(source),
                        str(Path(folder) / "p")], check=True, capture_output=True)
        return [p.read_bytes() for p in sorted(Path(folder).glob("p-*.png"),
                                                key=lambda p: int(p.stem.split("-")[1]))]


_STYLE = """
body { font: 14px/1.5 'Noto Sans CJK SC', sans-serif; margin: 2em; color: #222; }
h1 { font-size: 20px; } .counts span { margin-right: 1.5em; }
.page { display: inline-block; vertical-align: top; margin: 0 1.5em 2em 0; }
.sheet { position: relative; box-shadow: 0 1px 4px #999; }
.sheet img { display: block; }
.mark { position: absolute; border: 2px solid; border-radius: 2px; }
.mark span { position: absolute; top: -0.8em; left: -0.8em; background: inherit;
  color: #fff; font-size: 11px; padding: 0 4px; border-radius: 8px; }
.error { border-color: #c62828; background: #c62828; }
.warning { border-color: #ef6c00; background: #ef6c00; }
.info { border-color: #1565c0; background: #1565c0; }
.mark.error, .mark.warning, .mark.info { background: transparent; }
.mark.error span { background: #c62828; } .mark.warning span { background: #ef6c00; }
.mark.info span { background: #1565c0; }
li { margin: 0.3em 0; } li .sev { color: #fff; padding: 0 6px; border-radius: 3px; }
.hint { color: #555; } .where { color: #777; font-size: 12px; }
"""


def html_report(label: str, built: Built | Assembled, findings: list[Diagnostic]) -> str:
    g = built.prepared.layout.geometry
    pictures = page_pictures(built.pdf)
    numbered = list(enumerate(findings, start=1))
    tally = counts(findings)
    title = html.escape(_("Preflight: {issue}").format(issue=label))
    pages = ngettext("{n} page", "{n} pages", built.page_count).format(
        n=built.page_count)
    lang = "zh-CN" if language() == "zh" else "en"
    out = [f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'>"
           f"<title>{title}</title><style>{_STYLE}</style></head><body>",
           f"<h1>{title}</h1><p class='counts'><span>{html.escape(pages)}</span>"
           f"<span>{html.escape(tally_text(tally))}</span></p>"]
    for page, png in enumerate(pictures, start=1):
        # The pictures show the bleed too; finding boxes are measured from the trim.
        width = round((g.page_width + 2 * g.bleed) / 72 * 50)
        scale = width / (g.page_width + 2 * g.bleed)
        name = html.escape(page_name(page))
        out.append(f"<div class='page'><div class='sheet' style='width:{width}px'>"
                   f"<img alt='{name}' width='{width}' src='data:image/png;base64,"
                   f"{base64.b64encode(png).decode()}'>")
        for number, d in numbered:
            box = d.location.box
            if d.location.page == page and box:
                x0, top, x1, bottom = ((v + g.bleed) * scale for v in box)
                out.append(f"<div class='mark {d.severity.value}' style='left:{x0 - 2:.0f}px;"
                           f"top:{top - 2:.0f}px;width:{x1 - x0 + 4:.0f}px;"
                           f"height:{bottom - top + 4:.0f}px'><span>{number}</span></div>")
        out.append(f"</div><p>{name}</p></div>")
    out.append("<ol>")
    for number, d in numbered:
        where = str(d.location)
        out.append(f"<li value='{number}' id='f{number}'><span class='sev {d.severity.value}'>"
                   f"{html.escape(d.severity.label)}</span> {html.escape(d.message)} "
                   f"<code>{d.code}</code>"
                   + (f"<br><span class='where'>{html.escape(where)}</span>" if where else "")
                   + (f"<br><span class='hint'>{html.escape(d.hint)}</span>" if d.hint else "")
                   + "</li>")
    out.append("</ol></body></html>")
    return "\n".join(out)
