"""Chinese word boundaries for headlines: a line may break between words only.

Chinese has no spaces, so any two characters may be split across lines; in a
headline "…代表大会第 / 二次会议" reads wrong. jieba (a dictionary-based word
segmenter) finds the words; a WORD JOINER between the characters of each word
keeps it on one line. WORD JOINER prints nothing and is not in the PDF text.

jieba reads its dictionary (~0.5 s) the first time it is asked, so only text
that really breaks is segmented (typeset/ext/line_fit.py asks for headlines
that need more than one line).

An editor forces a break in a headline with `|` (or the full-width `｜`):
`奋进新征程|共创新业绩`; `forced_breaks` turns it into a line break.

A space between two phrases of a headline (`我镇召开2026年防汛防台工作部署会 全力筑牢
汛期安全防线`) is where a reader pauses: when each phrase fits a line, the headline
breaks there and nowhere else (`join_phrases`, tried first by line_fit.py), not at
the word boundary that balances the lines best (…工作 / 部署会 全力筑牢…).
"""

from __future__ import annotations

import functools
import itertools
import logging
import re
from typing import Any

WJ = "\u2060"
FORCED_BREAK = re.compile(r"\s*[|｜]\s*")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def forced_breaks(text: str) -> str:
    """The editor's `|` markers as line breaks (the layout keeps them: pre-line)."""
    return FORCED_BREAK.sub("\n", text)


def without_markers(text: str) -> str:
    """The text as one line, for contents, outline and metadata."""
    return FORCED_BREAK.sub("", text)


@functools.cache
def _tokenizer() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)  # it announces its dictionary on stderr
    tokenizer = jieba.Tokenizer()
    for word in WORDS:
        tokenizer.add_word(word)
    return tokenizer


# Words of a town bulletin that jieba's dictionary lacks (it cut 微信公众/号, 小/程序).
WORDS = ("公众号", "小程序", "视频号", "服务号", "订阅号", "抖音号", "微信群", "随申办",
         "一网通办", "一网统管")


@functools.cache
def names() -> frozenset[str]:
    """The proper names in jieba's dictionary (tagged ns: a place, nr/nrt: a person's or
    place's, nz: another), 2 to 6 characters: 北京, 虹桥, 徐家汇, 仙霞路. Read from its
    word list (~0.2 s): segmenting with parts of speech loads far more (~1.2 s)."""
    from importlib import resources

    text = (resources.files("jieba") / "dict.txt").read_text(encoding="utf-8")
    return frozenset(re.findall(r"^(\S{2,6}) \d+ (?:ns|nr|nrt|nz)$", text, re.MULTILINE))


# A space with a Han character or Chinese punctuation on one side at least: it parts two
# phrases (奋进新征程 共创新业绩, “家门口的舞台” 合唱比赛, 2026年 防汛); a space between two
# Latin words or numbers (Apple Store, 021-6238 1234) does not.
_CJK_SIDE = "[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff65“”‘’—…·]"
_PHRASE_SPACE = re.compile(f"(?<={_CJK_SIDE})[ \u3000]+|[ \u3000]+(?={_CJK_SIDE})")


def phrases(text: str) -> list[str]:
    """The phrases of a headline that spaces part (one, when there is no such space)."""
    return [p for p in _PHRASE_SPACE.split(text.replace(WJ, "")) if p]


def join_phrases(text: str) -> str:
    """The text with a WORD JOINER between all characters of each phrase, so that it
    breaks only at the spaces between phrases; the text as it is without such a space."""
    if len(phrases(text)) < 2:
        return text
    out: list[str] = []
    position = 0
    plain = text.replace(WJ, "")
    for space in _PHRASE_SPACE.finditer(plain):
        out += [WJ.join(plain[position:space.start()]), space.group(0)]
        position = space.end()
    out.append(WJ.join(plain[position:]))
    return "".join(out)


# The marks that end a clause of a headline (东安路长者食堂“升级”：| 扫码点餐、送餐上门，|
# 老人吃饭更方便了): a reader pauses there, as at a space between phrases. Not 、 (it
# parts the items of a list, read as one) nor a dash.
_CLAUSE_END = re.compile(r"(?<=[：，；！？])(?=.)")


def clauses(text: str) -> list[str]:
    """The clauses of a headline that its marks end (one, when it has no such mark)."""
    return [c for c in _CLAUSE_END.split(text.replace(WJ, "")) if c]


def join_clauses(text: str) -> str:
    """The text with a WORD JOINER between all characters of each clause, so that it
    breaks only after a clause's mark; the text as it is with one clause."""
    parts = clauses(text)
    if len(parts) < 2:
        return text
    return "".join(WJ.join(part) for part in parts)


# A time that opens what a headline is about (关于开展2026年第三季度 | 居民住宅燃气安全入户检查
# 的通知, 2026年上半年 | …): the phrase after it reads as one, as after a clause's mark;
# not when the time is joined to what follows (2026年的, 3月至5月, 8月起, 年底前).
_TIME = (r"(?:\d{4}年(?:第?[一二三四1-4]季度|[上下]半年|度|\d{1,2}月(?:份|\d{1,2}[日号])?)?"
         r"|第[一二三四]季度)")
_TIME_END = re.compile(_TIME + "(?=[\u4e00-\u9fff])(?![的至到起前后以内间底初末中])")


def time_parts(text: str) -> list[str]:
    """The parts of a headline that a time it names ends (see _TIME_END)."""
    plain = text.replace(WJ, "")
    cuts = [m.end() for m in _TIME_END.finditer(plain)]
    bounds = [0, *cuts, len(plain)]
    return [plain[a:b] for a, b in itertools.pairwise(bounds) if a < b]


def join_time_parts(text: str) -> str:
    """The text with a WORD JOINER between all characters of each of its `time_parts`."""
    parts = time_parts(text)
    if len(parts) < 2:
        return text
    return "".join(WJ.join(part) for part in parts)


@functools.cache
def common() -> frozenset[str]:
    """The other words of jieba's dictionary, 2 to 4 characters (春天, 使命, 底色, 老娘):
    a short name that holds one is not taken for a place's name."""
    from importlib import resources

    text = (resources.files("jieba") / "dict.txt").read_text(encoding="utf-8")
    return frozenset(re.findall(r"^(\S{2,4}) \d+ (?!ns|nr|nrt|nz)\S+$", text, re.MULTILINE))


def words(text: str) -> list[str]:
    """The text cut into words (spaces and punctuation are words of their own)."""
    return list(_tokenizer().cut(text, HMM=True))


# A short quoted name or title (“家门口的舞台”, 《我和我的祖国》) reads as one word: a
# headline is not broken inside it.
_QUOTED = re.compile(r"[“《「『‘][^“”《》「」『』‘’\n]{1,10}[”》」』’]")


# Where one quoted name ends and the next begins (冒充“Apple客服”“京东金融”“顺丰快递”): a
# line may break there (clreq: ” may end a line, “ start one), but UAX #14 keeps quotation
# marks with what stands beside them, so the three names were one piece wider than the
# headline, broken inside 顺丰 / 快递. A ZERO WIDTH SPACE (not in the PDF's text) between.
BREAK = "\u200b"
QUOTES_MEET = re.compile("(?<=[”’》」』])(?=[“‘《「『])")


@functools.lru_cache(maxsize=1024)
def join_words(text: str) -> str:
    """The text with a WORD JOINER between the characters of each Han word, and of
    each short quoted name."""
    if len(_HAN.findall(text)) < 2:
        return text
    # Segmented without joiners; those the text had are put back after: the text
    # stage's between a number and its unit (2027年1⁠月, 200⁠余⁠名) are not words of
    # jieba's, and a caption broke 2027年1 / 月20日 without them.
    held = set()
    plain: list[str] = []
    for char in text:
        if char == WJ:
            held.add(len(plain))
        else:
            plain.append(char)
    text = "".join(plain)
    out: list[str] = []
    position = 0
    for quoted in _QUOTED.finditer(text):
        out += _joined(text[position:quoted.start()])
        out.append(WJ.join(quoted.group(0)))
        position = quoted.end()
    out += _joined(text[position:])
    if not held:
        return QUOTES_MEET.sub(BREAK, "".join(out))
    result: list[str] = []
    index = 0  # of the next character of the plain text
    for char in "".join(out) + "\0":
        if char != WJ and index in held and (not result or result[-1] != WJ):
            result.append(WJ)
        if char != WJ:
            index += 1
        result.append(char)
    return QUOTES_MEET.sub(BREAK, "".join(result[:-1]))


def _joined(text: str) -> list[str]:
    return [WJ.join(word) if len(word) > 1 and _HAN.search(word) else word
            for word in (words(text) if text else [])]
