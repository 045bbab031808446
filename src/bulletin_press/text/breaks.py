"""Where a line may break inside real-world text, and what must stay together.

The last step of normalisation. It adds only invisible characters that are
not in the PDF's text, and classes on runs:

- addresses (URLs, e-mail addresses, domain and file names, codes such as
  XJ-2023-0001-ABCD-EFGH; typed in full-width forms, they are set in Latin
  ones; and a link's printed address) get class `bp-addr` and a ZERO WIDTH SPACE at each
  point where the Chicago Manual and clreq allow a break: after `/`, `=` and `&`,
  before `. , - _ ? # % @ ~`; no hyphen is ever added. The layout sets
  them in the Latin face and lets them break anywhere only as a last resort;
- long Latin words get class `bp-en`, which the layout sets `lang="en"` and
  `hyphens: auto` (WeasyPrint hyphenates with pyphen's dictionaries); in capitals
  they are codes or abbreviations, class `bp-addr`, never hyphenated;
- things that belong together are joined where a line could otherwise break,
  in an order of how bad a break there would be (typeset/ext/line_fit.py
  relaxes them one level at a time, only for a line that would be loose):
  1. never: a number and its unit (45个, 200余名, 3.5 %, 1月, 20日, 9时), with
     a WORD JOINER;
  2. SOFT_GLUE (ZERO WIDTH NO-BREAK SPACE), given way by a line spread past
     FLUSH_GAP_EM: a phone number, a label and its value (电话：021-62345678),
     a date or time range after its dash or 至 (3月1日— / 3月15日);
  3. SOFT_GLUE after 年, 月 or 时 before a digit, inside one date or time
     (2027年1月20日, `LATE_GLUE`): given way last, only for a line that the glue of 2.
     leaves spread past FLUSH_GAP_EM or set short.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from bulletin_press.text.blocks import LINK_ADDRESS, Span, merge_spans

BREAK = "\u200b"  # ZERO WIDTH SPACE: a break opportunity that prints nothing
SOFT_GLUE = "\ufeff"  # ZERO WIDTH NO-BREAK SPACE: no break here, unless the line is loose
WJ = "\u2060"  # WORD JOINER: no break here
INVISIBLE = frozenset("\u200b\ufeff\u2060")
ADDRESS = "bp-addr"
WORD = "bp-en"

_TAIL = r"(?<![.,;:!?'\")\]}])"  # an address does not end with sentence punctuation
_URL = rf"(?:https?://|ftp://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%]+{_TAIL}"
_EMAIL = r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+"
_DOMAIN = r"(?:[A-Za-z0-9\-]+\.)+(?:com|cn|net|org|gov|edu|info|io)(?:/[A-Za-z0-9\-._~/?#=&%]*)?" \
          + _TAIL
_FILE = r"[A-Za-z0-9_\-.]+\.(?:pdf|docx?|xlsx?|pptx?|jpe?g|png|zip|rar|txt|csv|wps|ofd)"
# Codes: three or more parts of capitals and digits, with a capital somewhere.
_CODE = r"(?=[A-Z0-9\-_/]*[A-Z])[A-Z0-9]+(?:[-_/][A-Z0-9]+){2,}"
_ID = r"(?=[A-Za-z]*\d)(?=\d*[A-Za-z])[A-Za-z0-9]{16,}"  # long identifiers of letters and digits
_LATIN_EDGE = r"(?<![A-Za-z0-9@._\-/])"
_ADDRESS = re.compile(
    f"{_LATIN_EDGE}(?:{_URL}|{_EMAIL}|{_DOMAIN}|{_FILE}|{_CODE}|{_ID})(?![A-Za-z0-9@])",
    re.IGNORECASE)
_CODE_CASE = re.compile(_CODE)  # IGNORECASE must not make every hyphenated word a code
_HALF = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}  # ＡＢ１：／ → AB1:/
_WORD = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{7,}(?![A-Za-z0-9])")
BREAK_BEFORE = frozenset(".,-_?#%@~")  # an address may break before these
# and after these: a query's `=` and `&` end a line (…?lang= / zh-CN& / from=jiayuan
# reads as its parts; a line starting with `=jiayuan` did not). After the scheme's `//`
# as before: without that break (网页版地址为 / https://www…) a notice's paragraph took a
# line more and tests/test_notice_flows' notice a page more.
BREAK_AFTER = frozenset("/=&")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://")
# Marks that never start a line (避头, clreq 3.1.7); they go with what precedes them.
NO_LINE_START = frozenset("，。、；：？！）」』”’》〉】…·%℃—～")
# Spread wider than this between two characters, a justified line reads letter-spaced
# (联 系 人 手 机 ：): a line that may end short is set flush start instead
# (typeset/ext/cjk_justify.py), and the typography check accepts it short.
FLUSH_GAP_EM = 0.25
# An address, phone number or code: 8 or more Latin letters, digits and marks with no
# space, not all letters (a word is hyphenated or its spaces spread). A line it fills
# has few gaps to justify: spread past FLUSH_GAP_EM, it is set flush start as well.
_LONG_RUN = re.compile(r"[!-~]{8,}")


def holds_a_long_run(text: str) -> bool:
    """Does the (visible) text hold an address, a long number or a code?"""
    return any(not run.isalpha() for run in _LONG_RUN.findall(text))

_UNIT = (r"(?:小时|分钟|个月|周岁|平方米|平方公里|公里|公斤|千米|千克|万元|亿元|万人|人次|"
         r"[个名人位次元角万亿年月日号时分秒岁届期项户家所座台辆件份页条篇张本间套米吨斤株棵"
         r"栋幢层楼室路弄首场支批组队倍升度克亩处%％‰℃])")
# A number with its unit: never broken (200余名, 3.5 %, 1,260株).
_AMOUNT = rf"\d+(?:[.,]\d+)*\s?[余多]?{_UNIT}"
_DATE = r"(?:\d{4}年)?\d{1,2}月\d{1,2}[日号]"
_LABEL = (r"(?:电子邮箱|邮箱|电子邮件|电话|联系电话|手机|传真|热线|网址|网站|邮编|地址|联系人|摄影|"
          r"记者|通讯员|来源)[：:]")
LABEL = re.compile(_LABEL)
_KEEP = [
    # a date range: 2023年3月1日—3月15日, 3月1日至15日
    rf"{_DATE}\s*(?:[—–~～\-]{{1,2}}|至)\s*(?:\d{{4}}年)?(?:\d{{1,2}}月)?\d{{1,2}}[日号]",
    # a time range: 9:30—11:45
    r"\d{1,2}[:：]\d{2}\s*(?:[—–~～\-]{1,2}|至)\s*\d{1,2}[:：]\d{2}",
    # one date or time: 2027年1月20日, 2027年1月, 上午9时30分
    rf"{_DATE}(?:\d{{1,2}}[时点](?:\d{{1,2}}分)?)?|\d{{4}}年\d{{1,2}}月|\d{{1,2}}[时点]\d{{1,2}}分",
    # phone numbers: 138 1234 5678 (first: 157 3843 / 9613 was glued as 157 3843 and
    # broke at its second space), 021-62345678, (021) 6234 5678, 021 6234 5678
    r"(?:\+86[ \-]?)?1[3-9]\d[ \-]?\d{4}[ \-]?\d{4}",
    r"(?:\+86[ \-]?)?(?:\(0\d{2,3}\)\s?|0\d{2,3}[ \-])?\d{3,4}[ \-]?\d{4}(?:-\d{1,4})?",
    # a number and its unit: 45 个, 3.5 %, 2023年
    _AMOUNT,
    # a label, glued to its value by the glue after it: 电话：021…, 电子邮箱：linli@…
    _LABEL,
]
_GLUED = re.compile("|".join(f"(?:{p})" for p in _KEEP))
_AMOUNTS = re.compile(_AMOUNT)
# Glue inside one date or time (after 年, 月 or 时, before a digit): the last to give way.
LATE_GLUE = re.compile(f"(?<=[年月时点]){SOFT_GLUE}(?=\\d)")
_CJK = re.compile(r"[\u2e80-\u2fff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
                  r"\uff00-\uffef\U00020000-\U0003134f]")
_DASHES = frozenset("-–—~～/")


def visible(text: str) -> str:
    """The text without what this module added: as a reader copies it."""
    # One str.replace a mark (a scan in C): a generator over the characters cost
    # ~0.13 µs each, and the page-run build asks for every paragraph at each render.
    for mark in INVISIBLE:
        text = text.replace(mark, "")
    return text.replace("\u00a0", " ")


def break_points(address: str) -> str:
    """The address with a BREAK wherever a line may end inside it, and a WORD JOINER
    after each other mark, where UAX #14 would allow a break (after `-`, `?`, `/`…)."""
    out: list[str] = []
    marks = BREAK_BEFORE | BREAK_AFTER
    scheme = _SCHEME.match(address)
    for i, char in enumerate(address):
        if i and char in BREAK_BEFORE and address[i - 1] not in marks:
            out.append(BREAK)
        out.append(char)
        following = address[i + 1] if i + 1 < len(address) else ""
        if not following:
            continue
        if char in BREAK_AFTER and following not in marks:
            # Right after the scheme (https:// / www…) only as glue: a line that ends
            # there holds no address yet (line_fit `_fitted` takes it only for a line
            # it fills).
            out.append(SOFT_GLUE if scheme is not None and i + 1 == scheme.end() else BREAK)
        elif not char.isalnum() and not (following in BREAK_BEFORE and char not in marks):
            out.append(WJ)
    return "".join(out)


def _may_break(before: str, after: str) -> bool:
    """Would a line break be allowed here (UAX #14, roughly)? Glue goes only there,
    so that turning it into a break restores the ordinary opportunities."""
    if before in "-/" and after.isdigit():
        return False  # 021-62345678, 2023/03: UAX #14 keeps a number whole
    return bool(_CJK.match(before) or _CJK.match(after)) or before in _DASHES


def keep_together(text: str) -> str:
    """The whole text on one line where it fits (a photo credit)."""
    return _join(text)


_NEVER_FIRST = frozenset("—–~～")  # a range's dash never starts a line (避头)


def _join(text: str) -> str:
    text = text.replace(" ", "\u00a0")
    # Inside a number with its unit (2027年, 20日, 200余名) a line never breaks.
    hard = {i for m in _AMOUNTS.finditer(text) for i in range(m.start() + 1, m.end())}
    out = [text[:1]]
    for i, (before, after) in enumerate(itertools.pairwise(text), start=1):
        if after in _NEVER_FIRST or (i in hard and _may_break(before, after)):
            # When the glue gives way, the line ends after the dash. Also between digits
            # (9:30—11:00), where UAX #14 allows a break before a dash: it never may.
            out.append(WJ + after)
        else:
            out.append(SOFT_GLUE + after if _may_break(before, after) else after)
    return "".join(out)


# Glue that never gives way: before a mark that never starts a line (a label's
# 地址 / ：长宁区… was printed, the glue between 址 and ： turned into a break) or after
# one that never ends a line. Unrelaxed, UAX #14 would not break there either.
_NO_LINE_END = "（「『“‘《〈【"
_INVISIBLES = "".join(sorted(INVISIBLE))
_HELD = re.compile(f"{SOFT_GLUE}(?=[{_INVISIBLES}]*[{''.join(sorted(NO_LINE_START))}])"
                   f"|(?<=[{_NO_LINE_END}]){SOFT_GLUE}")


def relax(text: str, level: int) -> str:
    """The text with its glue turned into break opportunities: at level 1 all but
    the glue inside one date or time (LATE_GLUE), at level 2 all of it; never the glue
    beside a mark that may not start or end a line (`_HELD`). Each glue is replaced by
    BREAK, which has as many UTF-8 bytes: offsets into the text stay valid."""
    if level <= 0 or SOFT_GLUE not in text:
        return text
    kept = {m.start() for m in _HELD.finditer(text)}
    if level == 1:
        kept.update(m.start() for m in LATE_GLUE.finditer(text))
    if not kept:
        return text.replace(SOFT_GLUE, BREAK)
    return "".join(BREAK if c == SOFT_GLUE and i not in kept else c
                   for i, c in enumerate(text))


def glue(text: str) -> str:
    """SOFT_GLUE where a line could break inside what belongs together; its spaces
    become no-break spaces. A label at the end is glued to what follows."""
    def join(match: re.Match[str]) -> str:
        found = _join(match.group(0))
        return found + SOFT_GLUE if found[-1] in "：:" else found
    return _GLUED.sub(join, text)


def latin(text: str) -> str:
    """Full-width letters, digits and marks (ｗｗｗ．ｅｘａｍｐｌｅ．ｃｎ, as Chinese input
    methods type them) as their Latin forms; one character for one."""
    return text.translate(_HALF)


def addresses(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each address in `text`, also one typed in full-width forms."""
    for match in _ADDRESS.finditer(latin(text)):
        found = match.group(0)
        if re.fullmatch(_CODE, found, re.IGNORECASE) and not _CODE_CASE.fullmatch(found):
            continue  # a hyphenated word in lower case, not a code
        yield match.span()


_ASCII_RUN = re.compile(r"[!-~]+")


def leading_run(text: str) -> str:
    """The start of `text` (as a reader sees it) that no line break may split: a label
    with its value (电话：021-62345678), a glued number, time or date range (45个,
    9:30—11:45), a Latin word, number or code, or an address up to its first break
    point; with the marks after it that never start a line. Empty when the text may
    break after its first character, or starts with a long word that hyphenates."""
    text = visible(text)
    glued = _GLUED.match(text)
    token = _ASCII_RUN.match(text)
    run = glued.group(0) if glued else ""
    if run.endswith(("：", ":")):  # the label's glue holds on to its value
        run += leading_run(text[len(run):].lstrip())
    elif token is not None and len(token.group(0)) > len(run):  # 13812345678, not 13812345
        run = token.group(0)
        found = next(addresses(run), None)
        if found is not None and found[0] == 0:
            run = visible(break_points(run[:found[1]]).split(BREAK)[0])
        elif _WORD.fullmatch(run) and not run.isupper():
            return ""  # hyphenated at the line end (class bp-en)
    if not run:
        return ""
    rest = text[len(run):]
    closing = len(rest) - len(rest.lstrip("".join(NO_LINE_START)))
    return run + rest[:closing]


def mark_text(text: str) -> str:
    """For text that has no runs (captions, colophon values): glue and break points,
    and a break beside a quote between Han characters (`QUOTE_EDGE`)."""
    out: list[str] = []
    pos = 0
    for start, end in addresses(text):
        out += [QUOTE_EDGE.sub(BREAK, glue(text[pos:start])),
                break_points(latin(text[start:end]))]
        pos = end
    out.append(QUOTE_EDGE.sub(BREAK, glue(text[pos:])))
    return "".join(out)


# UAX #14 (LB19) never breaks beside a quotation mark, so a caption's 关注“新泾镇”微信 was
# one piece, and balancing it broke inside the name. In Chinese “ may start a line and
# ” end one (clreq forbids only the other way round): a break is allowed there, between
# a Han character and the quote (beside another mark the pair's spacing and 避头尾 stay).
_HAN_CLASS = "[\u3400-\u4dbf\u4e00-\u9fff]"
QUOTE_EDGE = re.compile(f"(?<={_HAN_CLASS})(?=[“‘]{_HAN_CLASS})"
                        f"|(?<={_HAN_CLASS}[”’])(?={_HAN_CLASS})")


def _split(run: Span) -> Iterator[Span]:
    pos = 0
    for start, end in addresses(run.text):
        yield from _words(Span(run.text[pos:start], run.strong, run.em, run.cls))
        yield Span(break_points(latin(run.text[start:end])), run.strong, run.em, ADDRESS)
        pos = end
    yield from _words(Span(run.text[pos:], run.strong, run.em, run.cls))


def _words(run: Span) -> Iterator[Span]:
    pos = 0
    for match in _WORD.finditer(run.text):
        yield Span(_quote_edges(run.text[pos:match.start()]), run.strong, run.em, run.cls)
        # In capitals it is a code or an abbreviation (XJZZCYM…): never hyphenated, as
        # typesetters leave capitals; broken anywhere only when it cannot fit a line.
        found = match.group(0)
        yield Span(found, run.strong, run.em, ADDRESS if found.isupper() else WORD)
        pos = match.end()
    yield Span(_quote_edges(run.text[pos:]), run.strong, run.em, run.cls)


def _quote_edges(text: str) -> str:
    """Glue, and a break beside a quote between Han characters (`QUOTE_EDGE`): in a
    paragraph too, not only in captions. A list item printed 「…“医保”，选 / 择“医保卡补换”；」,
    three characters short: 择 and “ could not part, so the line ended inside 选择."""
    return QUOTE_EDGE.sub(BREAK, glue(text))


def mark_spans(spans: list[Span]) -> list[Span]:
    """Addresses and long words as spans of their own class; glue elsewhere. A link's
    printed address (详见[原文](https://mp.weixin.qq.com/s/…) → （mp.weixin.qq.com/s/…）) is
    an address like one typed in the text: it broke after any character (mp.wei / xin)."""
    return merge_spans([part for span in spans for part in
                        (_split(span) if not span.cls else
                         [_printed_address(span)] if span.cls == LINK_ADDRESS else [span])
                        if part.text])


def _printed_address(span: Span) -> Span:
    return Span(break_points(latin(span.text)), span.strong, span.em, ADDRESS)



_WHOLE = re.compile(r"[0-9A-Za-z.,:%@/\-]{2}")  # inside a Latin word, number or address


def may_cut(text: str, index: int) -> bool:
    """May the (plain) text be cut before text[index], as a line may break there: not
    between a number and its unit, inside a date, a phone number or a Latin word
    (a contents title cut to one line ends 发放总额……, not 发放总额3.……)."""
    if index <= 0 or index >= len(text):
        return True
    if _WHOLE.fullmatch(text[index - 1:index + 1]):
        return False
    joins: list[str] = [""]  # before each visible character: what glue put there
    for char in glue(text):
        if char in INVISIBLE:
            joins[-1] += char
        else:
            joins[-1] += "\u00a0" if char == "\u00a0" else ""
            joins.append("\u00a0" if char == "\u00a0" else "")
    held = set(joins[index]) & {SOFT_GLUE, WJ, "\u00a0"}
    return not held
