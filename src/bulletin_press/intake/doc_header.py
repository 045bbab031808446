"""The head of an official document (公文的版头) as offices send it for the bulletin:
the issuer's red header line ("新泾镇人民政府文件", "中共新泾镇委员会文件",
"新泾镇社区事务受理服务中心通知"), the document number ("长新府〔2023〕12号", often with
"签发人：张建华" beside it) and a rule under them. None of these is the title: the
title ("关于做好2023年冬季安全生产工作的通知") follows them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# The issuer and what the document is; a title says 关于… (or is a sentence) instead.
_HEADER = re.compile(r"^(?:中共|中国共产党)?[\u4e00-\u9fff（）()]{2,30}"
                     r"(?:文件|通知|通报|简报|快报|专报|纪要)$")
_ISSUER = re.compile(r"政府|委员会|党委|党工委|办公室|办事处|居委|中心|街道|局|委|镇|公司|协会|所$")
# 长新府〔2023〕12号, 新委发[2023]5号, 长新府办（2023）第3号; then perhaps 签发人：张建华.
_NUMBER = re.compile(r"^(?P<number>[\u4e00-\u9fff]{1,10}\s*[〔\[［(（【]\s*(?:19|20)\d\d\s*"
                     r"[〕\]］)）】]\s*第?\s*\d{1,4}\s*号)(?:\s*(?P<signer>签发人\s*[:：]\s*\S.{0,10}))?$")
_RULE = re.compile(r"^[\s—━─－\-_=＝*★☆·•]+$")  # the red rule typed as characters
MAX_LEADING = 5  # blocks at the top of a document that may be its head


@dataclass
class DocumentHead:
    """What the document's head said: its header lines, number and signer."""

    headers: list[str] = field(default_factory=list)
    number: str | None = None
    signer: str | None = None
    lines: list[str] = field(default_factory=list)  # as they were, for the note


def head_line(text: str, head: DocumentHead) -> bool:
    """Add the line to `head` if it belongs to a document's head."""
    compact = "".join(text.split())
    if not compact:
        return False
    number = _NUMBER.match(compact)
    if number is not None:
        head.number = number["number"]
        head.signer = number["signer"]
    elif _RULE.match(compact) and len(compact) >= 3:
        pass
    elif _HEADER.match(compact) and not compact.startswith("关于") and (
            compact.endswith("文件") or _ISSUER.search(compact[:-2])):
        head.headers.append(compact)
    else:
        return False
    head.lines.append(text.strip())
    return True


def title_like(text: str) -> bool:
    """A line that may be the title under the head: short, not a sentence, not a
    salutation ("各居民区、各有关单位：")."""
    text = text.strip()
    return 0 < len(text) <= 60 and text[-1] not in "。！？；，、：:;,.!?"
