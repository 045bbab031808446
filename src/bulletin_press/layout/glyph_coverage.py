"""Glyph coverage, checked before rendering with the fonts' own cmaps.

A character no configured font has would print as tofu and, in the 65,535-glyph
Noto CJK fonts, corrupt the PDF's text layer; a character the body font lacks
falls back silently to another family (a sans glyph in serif text). Both are
found here, each named by article, paragraph, character and code point.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from bulletin_press.diagnostics import Diagnostic, Location, article_name, error, warning
from bulletin_press.fonts.lookup import Metrics, family_metrics
from bulletin_press.i18n import _
from bulletin_press.layout.specs import Layout
from bulletin_press.manifest.load import LoadedIssue
from bulletin_press.manifest.model import Article
from bulletin_press.text.blocks import HARD_BREAK, Block

# Invisible characters that need no glyph (spaces are drawn as advances).
_NO_GLYPH = {" ", "\u00a0", "\u2060", "\u200d", "\n", "\t", HARD_BREAK}  # HARD_BREAK: <br>


def body_location(issue: LoadedIssue, index: int, block: Block) -> Location:
    """Where a block's text starts: in the body file, or under `body: |` in the manifest."""
    article = issue.manifest.articles[index]
    line = block.source_line or 1
    if article.body_file:
        return Location(issue.root / article.body_file, line)
    start = issue.article_location(index, "body")
    if start.line is None:
        return start
    # A block scalar's text starts on the line after its `|` indicator.
    block_scalar = ("articles", index, "body") in issue.source_map.block_scalars
    return Location(start.path, start.line + line - (0 if block_scalar else 1))


def check_coverage(issue: LoadedIssue, layout: Layout,
                   texts: dict[str, list[Block]]) -> list[Diagnostic]:
    body = family_metrics(layout.spec.fonts.body)
    if body is None:
        return []  # reported by the environment check
    heading = family_metrics(layout.spec.fonts.heading)
    fonts = [m for m in (body, heading) if m is not None]
    found: list[Diagnostic] = []
    for index, article in enumerate(issue.manifest.articles):
        for number, block in enumerate(texts.get(article.id, []), start=1):
            where = _("{article}, paragraph {n}").format(
                article=article_name(index, article.title), n=number)
            found += _check(block.plain_text(), body, fonts, where,
                            body_location(issue, index, block))
        heads = [article.title, article.subtitle, article.section, article.byline]
        heads += [p.caption for p in article.photos]
        heads += [article.qr.caption if article.qr else None, *_signature_lines(article)]
        loc = issue.article_location(index, "title")
        main = heading or body
        for text in heads:
            if text:
                found += _check(text, main, fonts, _("{article}, heading or caption").format(
                    article=article_name(index, article.title)), loc)
    return _dedupe(found)


def _signature_lines(article: Article) -> list[str]:
    if article.signature is None:
        return []
    issuer = article.signature.issuer
    date = article.signature.date
    return [*(issuer if isinstance(issuer, list) else [issuer]),
            *([date] if isinstance(date, str) else [])]


def _check(text: str, primary: Metrics, fonts: list[Metrics], where: str,
           location: Location) -> Iterable[Diagnostic]:
    for char in dict.fromkeys(text):  # each distinct character once
        if char in _NO_GLYPH or unicodedata.category(char) in ("Cc", "Cf", "Zs"):
            continue
        if primary.covers(char):
            continue
        name = unicodedata.name(char, "unnamed character")
        code = f"U+{ord(char):04X}"
        if any(f.covers(char) for f in fonts):
            yield warning("font.fallback", _("{where}: '{char}' ({code} {name}) is not in the "
                                             "main font and will print in another typeface")
                          .format(where=where, char=char, code=code, name=name), location,
                          _("replace it with a common form of the character, or accept the "
                            "mixed typeface"))
        else:
            yield error("font.missing-glyph", _("{where}: '{char}' ({code} {name}) is in no "
                                                "installed font and would print as an empty "
                                                "box").format(where=where, char=char, code=code,
                                                              name=name),
                        _at(location, char), _missing_hint(char, fonts))


def _missing_hint(char: str, fonts: list[Metrics]) -> str:
    """What to write instead: an emoji in words, a raised or lowered digit (臭氧（O₃）, m²)
    as a plain one, another symbol in words; a Han character in a standard form."""
    if _is_emoji(char):
        return _("an emoji (from WeChat or a phone) does not print in a newsletter: delete "
                 "'{char}', or say in words what it shows (e.g. 红包 for 🧧)").format(char=char)
    if unicodedata.name(char, "").startswith("CJK"):
        return _("replace the character (e.g. a standard form of a rare name character), or "
                 "add a font that has it in fonts/")
    plain = unicodedata.normalize("NFKC", char)
    if plain != char and all(any(f.covers(c) for f in fonts) for c in plain):
        # ₃ ² ⁺ ½ ㎡: the fonts lack the small form, not the character
        return _("the fonts have no '{char}': write '{plain}' (O3 for O₃, m2 for m²), or say "
                 "it in words (臭氧, 平方米)").format(char=char, plain=plain)
    return _("a symbol the fonts do not have: say it in words or with common characters, or "
             "add a font that has it in fonts/")


def _at(location: Location, char: str) -> Location:
    """The location moved to the character itself (line and column), found in the source
    from the location's line on; as it is when not found there."""
    if location.path is None or location.line is None:
        return location
    lines = _source_lines(location.path)
    for number in range(location.line - 1, min(len(lines), location.line + 199)):
        column = lines[number].find(char)
        if column >= 0:
            return dataclasses.replace(location, line=number + 1, column=column + 1)
    return location


def _source_lines(path: Path) -> list[str]:
    """Read again each time (a missing glyph is rare; the preview edits the files)."""
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []


# Where emoji live (Unicode's emoji blocks and the older dingbats and symbols that
# phones draw as emoji): a character there is a picture, not a rare Han form.
_EMOJI_BLOCKS = ((0x1F000, 0x1FAFF), (0x2600, 0x27BF), (0x2B00, 0x2BFF))


def _is_emoji(char: str) -> bool:
    return any(low <= ord(char) <= high for low, high in _EMOJI_BLOCKS)


def _dedupe(found: list[Diagnostic]) -> list[Diagnostic]:
    seen: set[tuple[str, str]] = set()
    out: list[Diagnostic] = []
    for d in found:
        key = (d.code, d.message)
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out
