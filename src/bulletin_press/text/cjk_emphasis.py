"""Bold and italic next to Chinese punctuation, as a Chinese editor writes them.

CommonMark decides whether `**` opens or closes by the characters beside it. A
run after a punctuation mark and before a letter cannot close, so
`**注意：**本次停水` and `请于**12月20日（周五）**前报名` printed their stars. This
follows markdown-cjk-friendly (github.com/tats-u/markdown-cjk-friendly): next to
a CJK character or mark, the punctuation rule does not apply, only whitespace
does. (The PyPI plugin mdit-py-cjk-friendly pins markdown-it-py < 4 and patches
the parser class for every user; this is the same rule on our parser only.)
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from markdown_it.common.utils import isWhiteSpace
from markdown_it.rules_inline.state_inline import Scanned, StateInline

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

# Han, kana, CJK marks, full-width forms, Hangul: the scripts without spaces
# between words.
_CJK = re.compile("[\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
                  "\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
                  "\U00020000-\U0003134f]")


class _CjkState(StateInline):
    def scanDelims(self, start: int, canSplitWord: bool) -> Scanned:
        scanned = super().scanDelims(start, canSplitWord)
        end = start
        while end < self.posMax and self.src[end] == self.src[start]:
            end += 1
        before = self.src[start - 1] if start > 0 else " "
        after = self.src[end] if end < self.posMax else " "
        if not (_CJK.match(before) or _CJK.match(after)):
            return scanned  # CommonMark's own answer
        left = not isWhiteSpace(ord(after))
        right = not isWhiteSpace(ord(before))
        # `_` inside a word stays a letter, as CommonMark has it.
        return Scanned(left and (canSplitWord or not right), right and (canSplitWord or not left),
                       scanned.length)


def use(md: MarkdownIt) -> None:
    """Parse `md`'s inline text with the CJK-friendly delimiter rule."""
    inline = md.inline

    def parse(src: str, md: MarkdownIt, env: Any, tokens: list[Token]) -> list[Token]:
        # ParserInline.parse with our state (markdown-it-py 4.3.0, parser_inline.py).
        state = _CjkState(src, md, env, tokens)
        inline.tokenize(state)
        for rule in inline.ruler2.getRules(""):
            rule(state)
        return state.tokens

    inline.parse = parse  # type: ignore[method-assign]
