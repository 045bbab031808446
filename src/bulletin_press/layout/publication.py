"""What an internal publication (内部资料性出版物) prints: the cover line and the
colophon items that 《内部资料性出版物管理办法》 第十四条 requires. The checks that
they are there, and that nothing forbidden is, are in checks/publication.py."""

from __future__ import annotations

import datetime as dt

from bulletin_press.manifest.model import Manifest

FREE_EXCHANGE = "内部资料，免费交流"  # the words 第十四条 asks for, as written there
PERMIT_LABEL = "准印证号"

# The colophon's labels, in the order of 第十四条 (期号 last: serials only).
ISSUER, AUDIENCE, PRINTER, PRINT_DATE, COPIES, ISSUE_NUMBER = (
    "编印单位", "发送对象", "印刷单位", "印刷日期", "印数", "期号")


def is_internal(manifest: Manifest) -> bool:
    return manifest.publication is not None and manifest.publication.kind == "internal"


def print_date(manifest: Manifest) -> dt.date:
    publication = manifest.publication
    return (publication.print_date if publication and publication.print_date
            else manifest.issue.date)


def issue_number_label(manifest: Manifest) -> str:
    label = f"{manifest.issue.date.year}年第{manifest.issue.number}期"
    return label + (f"（总第{manifest.issue.volume}期）" if manifest.issue.volume else "")


def cover_line(manifest: Manifest) -> str | None:
    """The line under the masthead: the permit number in full and 内部资料，免费交流."""
    if not is_internal(manifest):
        return None
    permit = manifest.publication.permit if manifest.publication else None
    return f"{PERMIT_LABEL}：{permit}　{FREE_EXCHANGE}" if permit else FREE_EXCHANGE


def colophon_items(manifest: Manifest) -> list[tuple[str, str]]:
    """(label, value) of each item the colophon shows for an internal publication."""
    publication = manifest.publication
    if publication is None or not is_internal(manifest):
        return []
    date = print_date(manifest)
    items = [(ISSUER, publication.issuer), (AUDIENCE, publication.audience),
             (PRINTER, publication.printer),
             (PRINT_DATE, f"{date.year}年{date.month}月{date.day}日"),
             (COPIES, f"{publication.copies}份" if publication.copies else None),
             (ISSUE_NUMBER, issue_number_label(manifest))]
    return [(label, value) for label, value in items if value]
