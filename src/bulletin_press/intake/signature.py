"""A notice's closing lines (落款) as Word documents end it: who issues it, on one or
two lines, and the date ("新泾镇人民政府 / 2023年11月20日"), made the article's
`signature:` (set flush right), and a title that says 通知/公告 makes it a notice."""

from __future__ import annotations

import re

from bulletin_press.diagnostics import Location
from bulletin_press.i18n import _
from bulletin_press.intake.draft import Draft, DraftArticle

_DATE = re.compile(r"^(?:\d{4}|[〇零一二三四五六七八九○]{4})年[\d一二三四五六七八九十]{1,3}月"
                   r"[\d一二三四五六七八九十]{1,3}日$")
_NOTICE = re.compile(r"(?:通知|公告|通告|启事|告知书|倡议书|公示)$")
MAX_ISSUER = 30  # characters: 上海城投水务（集团）有限公司供水分公司
_MARKUP = re.compile(r"[*#|\\\[\]>]|^\s*(?:[-+]|\d+\.)\s")


def take_signature(article: DraftArticle, draft: Draft, where: Location) -> None:
    """The last paragraphs, if they are one or two issuer lines and a date, become the
    signature; an article titled …通知 with one is a notice."""
    blocks = [b.strip() for b in article.blocks]
    if len(blocks) < 3 or not _DATE.match(blocks[-1]):
        return
    issuers: list[str] = []
    for block in reversed(blocks[:-1]):
        if len(issuers) == 2 or not _issuer_line(block):
            break
        issuers.insert(0, block)
    if not issuers or len(issuers) == len(blocks) - 1:
        return
    del article.blocks[-1 - len(issuers):]
    article.signature = {"issuer": issuers[0] if len(issuers) == 1 else issuers,
                         "date": blocks[-1]}
    draft.note("signature", _("the last lines '{text}': the signature (落款), set flush "
                              "right").format(text=" / ".join([*issuers, blocks[-1]])), where)
    if _NOTICE.search(article.title) and article.kind is None:
        article.kind = "notice"
        draft.note("notice", _("'{title}' with a signature: a notice (kind: notice)")
                   .format(title=article.title), where)


def closing_lines(texts: list[str]) -> int:
    """How many of the last lines are a 落款 (one or two issuer lines and a date); 0: none.
    For a text file, whose lone short lines would otherwise be read as captions."""
    if len(texts) < 3 or not _DATE.match(texts[-1].strip()):
        return 0
    issuers = 0
    for text in reversed(texts[:-1]):
        if issuers == 2 or not _issuer_line(text.strip()):
            break
        issuers += 1
    return issuers + 1 if issuers and issuers < len(texts) - 1 else 0


def _issuer_line(text: str) -> bool:
    return 0 < len(text) <= MAX_ISSUER and text[-1] not in "。！？；，、：:;,.!?）)" \
        and "\n" not in text and not _MARKUP.search(text)
