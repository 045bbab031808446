"""Stage 3: text normalisation of parsed blocks.

Rules are named regular expressions (or functions of the text) applied to a
whole paragraph, so a rule sees across bold/emphasis boundaries; every
character keeps the style of the span it came from. Each rule can be switched
off per article. They never change the words, only the spacing and the form
of punctuation an editor would fix by hand.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable

from bulletin_press.text import breaks, words
from bulletin_press.text.blocks import LINK_ADDRESS, Block, Span, merge_spans

_HAN = r"\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff" \
       r"\uff00-\uffef\U00020000-\U0003134f"
_CJK = f"[{_HAN}]"


_IS_CJK = re.compile(_CJK)


def is_cjk(char: str) -> bool:
    return bool(char) and _IS_CJK.match(char) is not None


_CONTROLS = re.compile(
    "[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b\u200e\u200f\u202a-\u202e"
    "\u2066-\u2069\ufeff\ufff9-\ufffb]")


def _join_line(match: re.Match[str]) -> str:
    before, after = match.group(1), match.group(2)
    return before + ("" if is_cjk(before) or is_cjk(after) else " ") + after


Replacement = str | Callable[[re.Match[str]], str]

_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_QUOTED_TITLE = re.compile(r"《[^《》]*》")


def _full_width(match: re.Match[str]) -> str:
    return _FULL[match.group("p") or match.group("q")]


_ADDRESS_END = re.compile(r"(?:https?://|www\.)\S+$|[\w.+-]+@[\w-]+(?:\.[\w-]+)+$")


def _full_stop(match: re.Match[str]) -> str:
    """。 after Han; after an address only in a Chinese paragraph (Ltd. and No. stay)."""
    before = match.string[: match.start()]
    if is_cjk(before[-1:]):
        return "。"
    chinese = _IS_CJK.search(match.string) is not None
    return "。" if chinese and _ADDRESS_END.search(before) else "."


def _open_paren(match: re.Match[str]) -> str:
    code = match.group("code")
    return f"（{code}）" if code is not None else "（"


def _curly_quotes(text: str) -> str:
    """Straight quotes touching Han become “” / ‘’, alternating open and close. In
    English text they become English quotes by where they stand: “ and ‘ after a
    space or an opening bracket, ’ in a word (Foreigner’s), ” and ’ otherwise; after
    a digit they are primes (5'10") and stay."""
    if '"' not in text and "'" not in text:
        return text  # most paragraphs: nothing to look at character by character
    out: list[str] = []
    open_double = open_single = False
    for i, char in enumerate(text):
        before = text[i - 1] if i else ""
        near_han = is_cjk(before) or is_cjk(text[i + 1] if i + 1 < len(text) else "")
        if char == '"' and near_han:
            out.append("”" if open_double else "“")
            open_double = not open_double
        elif char == "'" and near_han:
            out.append("’" if open_single else "‘")
            open_single = not open_single
        elif char in "\"'" and not before.isdigit():
            opens = not before or before.isspace() or before in "([{“‘—"
            out.append(("“" if opens else "”") if char == '"' else ("‘" if opens else "’"))
        else:
            out.append(char)
    return "".join(out)


# Where a space between Han is meant: a quote's attribution at the end of a paragraph
# ("——新泾八村居民 张志华": who, then the name) and before a byline's next credit
# ("文/王敏 图/李强", "记者 王敏").
_ATTRIBUTION = re.compile(r"(?:^|(?<=[。！？”’」』）]))——[^。！？；…]*$")
_CREDIT = re.compile(r" +(?=(?:文|图|摄影?)[/／：:])"
                     r"| +(?=(?:记者|通讯员|编辑|校对|供稿)(?:[/／：: ]|$))"
                     r"|(?<=记者|编辑|校对) +|(?<=通讯员) +")


# GB/T 15834-2011 tells two dashes apart: the 破折号 (4.11, "——", two ems) brings in an
# explanation or a turn (他说——这是好事), the 连接号's 一字线 (4.13, "—", one em) joins the
# two ends of a range of times or places (12月16日—次年1月15日, 周一—周五, 北京—上海,
# 上海南站—虹桥枢纽). A single dash typed between Han is taken for the 一字线 when both
# its ends are things of one kind: a date or weekday before it, or a place on each side
# (a proper name in jieba's dictionary, or a word ending as places do: 站, 路, 枢纽…);
# any other single dash is a 破折号 typed short and becomes ——. "--" and a doubled dash
# are always ——.
_RANGE_START = re.compile(r"(?:\d[年月日号时点分]|(?:周|星期)[一二三四五六日天])$")
# What a place name ends with (站 and 枢纽 of a line's stops, 路 of a street, 镇 and 村 of
# a town's parts), for names jieba's dictionary does not hold (淞虹路, 虹桥枢纽).
_PLACE_END = re.compile(r"(?:[站路街弄巷道镇乡村市省区县州岛港桥湾江河湖山寺园馆场城"
                        r"苑庄浜泾塘口门楼]"
                        r"|枢纽|中心|广场|小区|新村|公园|机场|码头|大道|大厦)$")
_HAN_RUN = re.compile(f"[{_HAN}]{{1,8}}")
# What an explanation after a 破折号 starts with, never a place: a numeral, a pronoun, a
# verb or preposition (上海南站—一座百年老站, 他说—这是好事, 垃圾分类—从我做起).
_NOT_A_PLACE = frozenset("一这那此其该每各某是就即也都还又再让使从把被为在对给向我你他她它"
                         "咱们不没要会能可已正将请")


def _place_before(text: str) -> bool:
    """Does `text` end with a place (a name in jieba's dictionary, or a place word)?"""
    found = re.search(f"[{_HAN}]{{1,8}}$", text)
    if found is None:
        return False
    run = found.group(0)
    return _PLACE_END.search(run) is not None or any(
        run[-n:] in words.names() for n in range(2, min(6, len(run)) + 1))


def _place_after(text: str) -> bool:
    """Does `text` start with a place?"""
    found = _HAN_RUN.match(text)
    if found is None or found.group(0)[0] in _NOT_A_PLACE:
        return False
    run = found.group(0)
    return any(run[:n] in words.names() or _PLACE_END.search(run[:n]) is not None
               for n in range(2, min(6, len(run)) + 1))


# Two short names that a dash joins, standing alone: a table's cell, a route after its
# label or in brackets (线路：七宝—九亭；（中山公园—静安寺）; 新泾—北新泾). Places that
# neither jieba's dictionary holds nor end as places do (七宝, 九亭) are told by this:
# a 破折号 brings in a clause, a 一字线 between two names of 2 to 4 characters with
# nothing else around them joins a range. After a comma the dash is a 破折号 all the same
# (…，老娘舅—李阿姨: a sentence goes on before it).
_ALONE_BEFORE = re.compile(rf"(?:^|(?<=[\s：:（(、；;|]))[{_HAN}]{{2,4}}$")
_ALONE_AFTER = re.compile(rf"[{_HAN}]{{2,4}}(?=$|[\s）)、，,；;。|])")


def _two_names(before: str, after: str) -> bool:
    """Does a dash stand between two short names alone (see _ALONE_BEFORE)? A name is
    a place's (in jieba's dictionary, or ending as places do), or holds no other word
    of the dictionary (九亭, 北新泾, 古美; not 春天, 青春底色, 老娘舅, 来了)."""
    first = _ALONE_BEFORE.search(before)
    second = _ALONE_AFTER.match(after)
    return (first is not None and second is not None and after[:1] not in _NOT_A_PLACE
            and _a_name(first.group(0)) and _a_name(second.group(0)))


def _a_name(run: str) -> bool:
    if run in words.names() or _PLACE_END.search(run):
        return True
    if run[-1] in "了吗呢吧啊呀的着过":
        return False
    return not any(run[i:j] in words.common()
                   for i in range(len(run)) for j in range(i + 2, len(run) + 1))


# A menu's path, in quotes: 在“办事指南—加装电梯”栏目, 点击“我的—预约记录”. The dash
# between the steps of an app's or an account's menu joins them as 一字线 do (GB/T 15834
# 4.13 joins related items); a 破折号 there printed “办事指南——加装电梯”. Told by the
# quotes holding the steps alone (2 to 6 Han each, nothing else) and a menu word after
# them or a tap before them.
_MENU_BEFORE = re.compile(rf"(?:点击|点开|进入|选择|打开|找到|在)?[“\"「]"
                          rf"(?:[{_HAN}]{{2,6}}[—－-])*[{_HAN}]{{2,6}}$")
_MENU_AFTER = re.compile(rf"[{_HAN}]{{2,6}}(?:[—－-][{_HAN}]{{2,6}})*[”\"」]"
                         r"(?P<menu>栏目|菜单|模块|板块|专栏|专区|频道|页面|入口)?")
_MENU_TAP = ("点击", "点开", "进入", "选择", "打开", "找到")


def _menu_path(before: str, after: str) -> bool:
    """Does a dash join two steps of a menu's path in quotes (see _MENU_BEFORE)?"""
    first = _MENU_BEFORE.search(before)
    second = _MENU_AFTER.match(after)
    if first is None or second is None or after[:1] in _NOT_A_PLACE:
        return False
    return second.group("menu") is not None or first.group(0).startswith(_MENU_TAP)


# A route of three stops or more, joined by single dashes (万源路Food Street—古美社区食堂—
# 平南路菜市场): a single dash next to another, with one short name between them and no
# mark, is the same 连接号 when a stop at either end is a place. The second dash of that
# route printed as a 破折号 (古美社区食堂 is no name of the dictionary, nor ends as
# places do); a 破折号 never stands twice in one clause like that.
_SINGLE = "(?<![—－-])[—－-](?![—－-])"
_STOP = r"[^，。；：！？、,.;:!?（）()“”「」『』\s—－\-]"
_ROUTE_BEFORE = re.compile(f"{_SINGLE}({_STOP}{{2,12}})$")
_ROUTE_AFTER = re.compile(f"({_STOP}{{2,12}}){_SINGLE}{_STOP}")


def _route(before: str, after: str) -> bool:
    """Is the dash one of a route's (see _ROUTE_BEFORE)?"""
    if after[:1] in _NOT_A_PLACE:
        return False
    first = _ROUTE_BEFORE.search(before)
    second = _ROUTE_AFTER.match(after)
    if first is None and second is None:
        return False
    middle = first.group(1) if first else second.group(1) if second else ""
    if middle[:1] in _NOT_A_PLACE or any(char in "的了着过吗呢吧" for char in middle):
        return False  # a clause (一个温暖的大家庭), not a stop
    return _place_before(before) or _place_after(after) or _place_before(middle) or (
        _place_after(middle))


def _dash(match: re.Match[str]) -> str:
    """—— between Han (a 破折号 typed as --, — or －), but a single dash that joins two
    times or two places stays one: it is a range's connector (see above)."""
    if len(match.group(0)) == 1:
        before, after = match.string[: match.start()], match.string[match.end():]
        if _RANGE_START.search(before) or (_place_before(before) and _place_after(after)) \
                or _two_names(before, after) or _menu_path(before, after) \
                or _route(before, after):
            return "—"
    return "——"


def _space(match: re.Match[str]) -> str:
    """One space for a run of white space; a full-width space inside a line stays one."""
    run = match.group(0)
    inside = match.start() > 0 and match.end() < len(match.string)
    return "\u3000" if inside and run.strip("\u3000") == "" else " "


def _remove_han_spaces(text: str) -> str:
    """Spaces between two Han characters are stray, except inside 《title》, in a
    quote's attribution and between a byline's credits."""
    keep = [m.span() for m in _QUOTED_TITLE.finditer(text)]
    keep += [m.span() for m in _ATTRIBUTION.finditer(text)]
    keep += [(m.start() - 2, m.end()) for m in _CREDIT.finditer(text)]

    def repl(match: re.Match[str]) -> str:
        inside = any(a < match.start() < b for a, b in keep)
        return match.group(0) if inside else match.group(1)
    return re.sub(f"({_CJK}) +(?={_CJK})", repl, text)


# The yuan sign before an amount: the half-width ¥ (U+00A5), as $ and € are, whichever an
# editor typed. A Chinese input method types the full-width ￥ (U+FFE5), whose glyph stands
# in the middle of a whole em, half an em from the digits it belongs to (￥ 15); the same
# issue then printed ¥12 and ￥15元 side by side. A space typed after the sign goes.
_YUAN = re.compile(r"[¥￥][ \u00a0\u3000]*(?=[0-9０-９])")


# Each rule is a regular expression and its replacement (or a function of the
# whole text), applied in this order. Names are what `normalise:` switches off.
RULES: dict[str, tuple[re.Pattern[str], Replacement] | Callable[[str], str]] = {
    # Pasted text brings zero-width and bidi-control characters that print as
    # nothing or as tofu and break searching the PDF.
    "controls": (_CONTROLS, ""),
    # A line break inside a paragraph is a space between words, nothing next to Han.
    "line-breaks": (re.compile(r"(.)[ \t\u3000]*\n[ \t\u3000]*(.)"), _join_line),
    # A full-width space typed between two parts of a line is meant (a couplet's
    # halves 「…家家暖　　下联：…」, 「北新泾　李秀兰」): one is kept; any other run is one space.
    "spaces": (re.compile(r"[ \t\r\f\v\u00a0\u3000\n]+"), _space),
    # ASCII , ; : ? ! ( ) touching Han become full width (GB/T 15834), and the
    # spaces an English habit puts after them go; 1,000 and 3:2 stay.
    # Before Han too, after a number or an English word: 021-62785432,报名 and OK,我们.
    "punctuation": (re.compile(f"(?<={_CJK}|[”’）》」』]) ?(?P<p>[,;:?!)]) ?"
                               f"|(?<=[0-9A-Za-z%])(?P<q>[,;:?!]) ?(?={_CJK})"), _full_width),
    # After Han; after a web or mail address that ends a Chinese sentence (详见www.a.cn.).
    "full-stop": (re.compile(f"(?<={_CJK})\\.(?![.A-Za-z0-9])"
                             f"|(?<=[A-Za-z0-9/])\\.(?=$|{_CJK})"), _full_stop),
    # Before Han; a short number or code in brackets that Han follows, both brackets:
    # (1)报名 (an English phrase in brackets keeps its own: (Xinjing Culture Centre)举行).
    "open-paren": (re.compile(f" ?(?P<p>[(]) ?(?={_CJK})"
                              f"|\\((?P<code>[0-9A-Za-z]{{1,3}})\\)(?={_CJK})"), _open_paren),
    "ellipsis": (re.compile(r"\.{3,}|。{3,}|…+|⋯+"), "……"),
    # ￥15 and ¥ 15 are ¥15: one sign for the yuan in the whole issue (see _YUAN).
    "currency": (_YUAN, "¥"),
    "dashes": (re.compile(f"(?<={_CJK}|[”’）》])(?:-{{2,}}|—{{1,2}}|－{{1,2}})(?={_CJK}|[“‘（《])"),
               _dash),
    "quotes": _curly_quotes,
    "han-spaces": _remove_han_spaces,
}

# Not a rule of the text but of where its lines may break; `normalise: {breaks: false}`
# switches it off too.
BREAKS = "breaks"

# Rules that would change what a headline means: the space in
# "奋进新征程 共创新业绩" is intentional.
HEADLINE_SKIP = frozenset({"han-spaces"})


def _rewrite(text: str, styles: list[int], pattern: re.Pattern[str],
             repl: Replacement) -> tuple[str, list[int]]:
    """re.sub that carries a style index per character through the replacement."""
    out: list[str] = []
    out_styles: list[int] = []
    pos = 0
    for match in pattern.finditer(text):
        out.append(text[pos:match.start()])
        out_styles.extend(styles[pos:match.start()])
        new = repl(match) if callable(repl) else match.expand(repl)
        out.append(new)
        out_styles.extend(_carry_styles(match.group(0), styles[match.start():match.end()], new))
        pos = match.end()
    out.append(text[pos:])
    out_styles.extend(styles[pos:])
    return "".join(out), out_styles


def _carry_styles(old: str, old_styles: list[int], new: str) -> list[int]:
    """Kept characters keep their style; inserted ones take their left neighbour's."""
    result: list[int] = []
    j = 0
    current = old_styles[0] if old_styles else 0
    for char in new:
        k = old.find(char, j)
        if k >= 0:
            current, j = old_styles[k], k + 1
        result.append(current)
    return result


def normalise_text(text: str, disabled: Iterable[str] = ()) -> str:
    return _apply(text, [0] * len(text), frozenset(disabled))[0]


def _apply(text: str, styles: list[int], skip: frozenset[str]) -> tuple[str, list[int]]:
    text = unicodedata.normalize("NFC", text)
    if len(text) != len(styles):  # NFC composed characters across spans: keep one style
        styles = [styles[0] if styles else 0] * len(text)
    for name, rule in RULES.items():
        if name in skip:
            continue
        if callable(rule):
            new = rule(text)
            if new != text:
                styles = _carry_styles(text, styles, new)
                text = new
        else:
            text, styles = _rewrite(text, styles, *rule)
    return text, styles


def normalise_blocks(blocks: list[Block], disabled: Iterable[str] = ()) -> list[Block]:
    skip = frozenset(disabled)
    return [block.map_spans(lambda spans: list(_normalised(tuple(spans), skip)))
            for block in blocks]


@functools.lru_cache(maxsize=4096)  # the preview redoes unchanged paragraphs on every save
def _normalised(spans: tuple[Span, ...], skip: frozenset[str]) -> tuple[Span, ...]:
    return tuple(_normalise_spans(list(spans), skip))


def _normalise_spans(spans: list[Span], skip: frozenset[str]) -> list[Span]:
    # Rules see the whole paragraph, so a line break between two spans is judged
    # on both neighbours; each character keeps the style of the span it came from.
    text = "".join(r.text for r in spans)
    styles = [i for i, r in enumerate(spans) for _ in r.text]
    text, styles = _apply(text, styles, skip)
    start, end = 0, len(text)
    while start < end and text[start] == " ":
        start += 1
    while end > start and text[end - 1] == " ":
        end -= 1
    typed = merge_spans(_restyled(text[start:end], styles[start:end], spans))
    # Last: addresses, long words and what belongs together (text/breaks.py).
    return breaks.mark_spans(typed) if BREAKS not in skip else typed


def _restyled(text: str, styles: list[int], spans: list[Span]) -> list[Span]:
    """The text cut where its characters' spans change, each piece in the style of
    its span. A link's printed address is not prose: `?` in `/通知?id=3` stays half
    width, so the characters that came from an address span are given back as typed."""
    out: list[Span] = []
    begin = 0
    for index in range(1, len(text) + 1):
        if index < len(text) and styles[index] == styles[begin]:
            continue
        span = spans[styles[begin]]
        out.append(span if span.cls == LINK_ADDRESS else
                   Span(text[begin:index], span.strong, span.em, span.cls))
        begin = index
    return out
