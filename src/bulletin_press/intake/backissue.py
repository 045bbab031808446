"""The rules that turn a back issue's extracted text into articles, shared by the
text and the PDF readers.

Extraction leaves a paragraph broken wherever a page or a column broke, photo
captions standing alone in the middle of the text, and debris (a stray English
word, unreadable characters). The rules re-join what belongs together and take
captions out, and say so in a note for each decision; debris is only reported,
never changed.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Literal

from bulletin_press.diagnostics import Location
from bulletin_press.i18n import _, ngettext
from bulletin_press.intake.draft import Draft, DraftArticle, DraftPhoto
from bulletin_press.intake.markdown import escape
from bulletin_press.intake.signature import closing_lines, take_signature

PieceKind = Literal["title", "subtitle", "section", "subhead", "byline", "text", "caption",
                    "table"]

# A sentence ends with one of these, possibly followed by closing quotes/brackets.
_FINAL = "。！？!?…"
_CLOSERS = "”’」』）)》〉】\"'"
# Clause marks inside a line: a caption rarely has them, a broken paragraph does.
_CLAUSE = re.compile(r"[，、；：,;]")
MAX_CAPTION = 40  # characters: longer lines are text, not captions
MAX_SALUTATION = 16  # "尊敬的各位居民：" ends its own paragraph with a colon

# Han characters: the common ones, Extension A (䶮), the compatibility block and the
# planes of Extensions B–H (𠮷, 𬌗), which names (生僻字) use and GB18030 carries.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN = HAN
# Lowercase Latin words between Han characters: "目标 and 主要任务" (an English word
# the extraction put in place of 和); capitalised words and acronyms (APP, Wi-Fi)
# are ordinary in Chinese text and left alone.
_LATIN_IN_HAN = re.compile(rf"(?<=[{_HAN}])\s*([a-z]+(?:\s+[a-z]+)*)\s*(?=[{_HAN}])")
_DEBRIS = re.compile("[\ufffd\ue000-\uf8ff\x00-\x08\x0b-\x1f\x7f]")
_HAN_SPACED = re.compile(rf"[{_HAN}](?: [{_HAN}]){{3,}}")
_DOUBLED = re.compile(r"([。，、；：！？])\1")
# "通讯员 张三", "文/张三", "记者 王五", "（作者：李四）": who wrote it.
BYLINE = re.compile(r"^[（(]?\s*(?:本报)?(?:通讯员|记者|作者|撰稿|撰文|文|供稿|来源)"
                    r"\s*[/／:：\s]\s*\S.{0,30}$")
# A contributor's line under the title, "单位 职务 姓名" parted by spaces: its last part a
# name of 2-4 Han characters, perhaps with （78岁） after it; no clause marks.
SIGNED_LINE = re.compile(r"^[^，。、；：！？,;:!?\s\d][^，。、；：！？,;:!?]{0,20}\s"
                         rf"[{HAN}]{{2,4}}(?:[（(][^）)]{{1,8}}[）)])?$")
# The office that sent the text, alone on a line under the title (街道房管办, 枫林路街道
# 文化站, 社区党群服务中心): a name of Han characters ending as an office's does, no
# spaces, no marks, no word a sentence has (在, 的, 了: 签约仪式在居委会), nothing else.
UNIT_LINE = re.compile(rf"^(?:(?![在的了是将已把被让向对])[{HAN}]){{1,14}}"
                       r"(?:办公室|办|中心|站|所|局|科|处|部|队|院|馆|委|居委会|委员会|工会|"
                       r"协会|联合会|公司|集团|小组)$")
# A list item as extraction leaves it: a bullet or "1." / "（1）" at the line's start.
_BULLET = re.compile(r"^(?:[•·●▪◦■□‣⁃]|[-–*](?=\s))\s*")
_FOLIO = re.compile(r"^[—\-－–\s]*(?:第\s*)?\d{1,3}(?:\s*页)?[—\-－–\s]*$")


@dataclass
class Piece:
    """One line of extracted text with what the reader knows about it."""

    text: str
    where: Location
    kind: PieceKind = "text"
    # Blank lines around it (text files); for PDFs, True when the line is indented
    # or follows a short line, i.e. starts a paragraph.
    alone: bool = False
    starts_paragraph: bool | None = None  # None: decided by punctuation alone
    # A photo's bytes found beside a caption (PDFs), else a placeholder is made.
    photo: bytes | None = None
    end: Location | None = None  # the last line joined into this paragraph
    column: int = 0  # characters before `text` on its source line
    size: float = 0.0  # type size (PDFs): lines of one headline share it
    short: bool = False  # (PDFs) the line ends well before its column's right edge

NO_CAPTION = "图片说明待补"  # printed where a picture came without a caption: to be written


def ends_sentence(text: str) -> bool:
    stripped = text.rstrip().rstrip(_CLOSERS)
    if not stripped:
        return False
    if stripped[-1] in _FINAL:
        return True
    return stripped[-1] in "：:" and len(text.strip()) <= MAX_SALUTATION


def is_han(char: str) -> bool:
    return bool(re.match(f"[{_HAN}]", char))


def join_lines(head: str, tail: str) -> str:
    """Lines of one paragraph: nothing between Han characters, a space between words."""
    if head and tail and head[-1].isascii() and head[-1].isalnum() \
            and tail[0].isascii() and tail[0].isalnum():
        return head + " " + tail
    return head + tail


def looks_like_caption(piece: Piece, before: str | None) -> bool:
    """A short line alone between paragraphs, without a final mark, that interrupts a
    sentence (the text before it runs on) or has no clause marks of its own."""
    text = piece.text.strip()
    if not piece.alone or len(text) > MAX_CAPTION or ends_sentence(text):
        return False
    if text[-1] in "，、；,;：:":
        return False
    interrupts = before is not None and not ends_sentence(before)
    return interrupts or not _CLAUSE.search(text)


def articles_from_pieces(pieces: list[Piece], draft: Draft) -> None:
    """Group pieces into articles: a title starts one; its text re-joined."""
    _keep_closing_lines(pieces)
    assembler = _Assembler(draft)
    for piece in pieces:
        check_debris(piece, draft)
        assembler.add(piece)
    assembler.finish()
    for article in draft.articles:  # a notice's 落款, as the Word import takes it
        take_signature(article, draft, article.where)


def _keep_closing_lines(pieces: list[Piece]) -> None:
    """A text file's notice ends with its issuer and date, each a short line alone: they
    are its 落款 (paragraphs, made its signature below), not photo captions."""
    starts = [i for i, piece in enumerate(pieces) if piece.kind == "title"] + [len(pieces)]
    for start, end in itertools.pairwise(starts):
        texts = [p for p in pieces[start + 1:end] if p.kind == "text"]
        count = closing_lines([p.text for p in texts])
        if count and all(p.where.page is None for p in texts[-count:]):
            for piece in texts[-count:]:
                piece.alone = False  # not a caption
                piece.starts_paragraph = True


@dataclass
class _Assembler:
    draft: Draft
    article: DraftArticle | None = None
    paragraph: Piece | None = None  # the paragraph being re-joined
    section: str | None = None  # a kicker waiting for its title
    skipped: list[Piece] = field(default_factory=list)  # lines before the first title

    def add(self, piece: Piece) -> None:
        text = piece.text.strip()
        if piece.kind == "section":
            self.flush()
            self.section = text
        elif piece.kind == "title":
            self.flush()
            self.article = DraftArticle(text, piece.where, section=self.section)
            self.section = None
            self.draft.articles.append(self.article)
        elif self.article is None:
            self.skipped.append(piece)
        elif piece.kind in ("subtitle", "subhead", "table") or (
                piece.kind == "byline" and self.article.byline is None):
            self.heading_or_table(piece, text, self.article)
        elif piece.kind == "text" and piece.alone and piece.where.page is None \
                and self.article.byline is None and BYLINE.match(text):
            # A text file's "（通讯员 李明）" on its own line, often the article's last.
            self.flush()
            piece.kind = "byline"
            self.heading_or_table(piece, text.strip("（）()").strip(), self.article)
        elif piece.kind == "text" and piece.where.page is None and self._first_line(piece) \
                and (SIGNED_LINE.match(text) or UNIT_LINE.match(text)):
            # Right under the title, alone, who wrote it ("古美一村退休教师　沈佩芳") or the
            # office that sent it, as the Word import takes them: taken as a photo's
            # caption, it printed under a placeholder photo.
            self.article.byline = " ".join(text.split())
            self.draft.note("byline-guess", _("'{text}', a short line alone under the title, "
                                              "a name or an office: taken as the byline")
                            .format(text=text), piece.where,
                            _("if it is text, move it back into the body file"), check=True)
        elif _FOLIO.match(text):
            self.draft.note("page-number", _("'{text}' looks like a page number: left out")
                            .format(text=text), piece.where, check=True)
        else:
            self.text(piece, text, self.article)

    def _first_line(self, piece: Piece) -> bool:
        """`piece` stands alone right under the title: nothing of the text before it."""
        article = self.article
        return article is not None and piece.alone and article.byline is None \
            and not article.blocks and not article.photos and self.paragraph is None \
            and article.subtitle is None

    def heading_or_table(self, piece: Piece, text: str, article: DraftArticle) -> None:
        if piece.kind == "subtitle" and article.subtitle is None and not article.blocks \
                and self.paragraph is None:
            article.subtitle = text
        elif piece.kind == "byline":
            article.byline = text
            self.draft.note("byline", _("'{text}': the byline").format(text=text),
                            piece.where)
        elif piece.kind == "table":
            self.flush()
            article.blocks.append(piece.text)
            self.draft.note("table", _("a table: written as a pipe table, its first row the "
                                       "header"), piece.where, _("check its cells"),
                            check=True)
        else:
            self.flush()
            article.blocks.append("### " + escape(text))
            self.draft.note("subhead", _("'{text}' is a heading inside the article: kept as "
                                         "a subhead (###)").format(text=text), piece.where)

    def text(self, piece: Piece, text: str, article: DraftArticle) -> None:
        """A caption, a line going on with the paragraph, or a new paragraph."""
        paragraph = self.paragraph
        before = paragraph.text if paragraph is not None else None
        if piece.kind == "caption" or (piece.where.page is None
                                       and looks_like_caption(piece, before)):
            _add_caption(article, piece, paragraph is not None, self.draft)
        elif paragraph is not None and _continues(paragraph, piece):
            if piece.where.page is None or _new_page(paragraph, piece):  # PDFs: pages only
                _note_join(paragraph, piece, self.draft)
            paragraph.text = join_lines(paragraph.text.rstrip(), text)
            paragraph.end = piece.where
        else:
            self.flush()
            self.paragraph = Piece(text, piece.where, end=piece.where)

    def flush(self) -> None:
        """The paragraph is complete: a block of the article (list items join a list)."""
        paragraph, self.paragraph = self.paragraph, None
        if paragraph is None or self.article is None:
            return
        blocks = self.article.blocks
        bullet = _BULLET.match(paragraph.text)
        if bullet is None:
            blocks.append(escape(paragraph.text))
            return
        item = "- " + escape(paragraph.text[bullet.end():])
        if blocks and blocks[-1].startswith("- "):
            blocks[-1] += "\n" + item  # the list goes on
        else:
            blocks.append(item)

    def finish(self) -> None:
        self.flush()
        draft = self.draft
        if self.skipped:
            shown = " / ".join(p.text.strip() for p in self.skipped[:3])
            draft.note("before-title", ngettext(
                "{count} line before the first title left out: {text}",
                "{count} lines before the first title left out: {text}",
                len(self.skipped)).format(count=len(self.skipped), text=shown[:80]),
                       self.skipped[0].where,
                       _("a title ('# …' in a text file) starts an article"), check=True)
        masthead = any(n.code == "import.masthead" for n in draft.notes)
        for article in [a for a in draft.articles if not a.blocks and not a.photos]:
            if masthead and article is draft.articles[0] and article.where.page == 1:
                # A print shop's PDF: the newsletter's name in large type heads page 1,
                # its small lines (主办, 期号) under it already told as the masthead's.
                draft.articles.remove(article)
                draft.note("masthead", _("'{title}' in large type on page 1 above the first "
                                         "article, with no text under it: the masthead's "
                                         "name, left out").format(title=article.title),
                           article.where)
                continue
            draft.articles.remove(article)
            draft.note("no-text", _("'{title}' has no text under it: left out (a masthead "
                                    "or a contents heading?)").format(title=article.title),
                       article.where, check=True)


def _new_page(paragraph: Piece, piece: Piece) -> bool:
    end = paragraph.end or paragraph.where
    return end.page != piece.where.page


def _note_join(paragraph: Piece, piece: Piece, draft: Draft) -> None:
    end = paragraph.end or paragraph.where
    if piece.starts_paragraph is None:
        draft.note("joined", _("the line ends without a sentence-final mark ('{end}'): "
                               "joined with the text of {next}").format(
                                   end=paragraph.text.rstrip()[-1:], next=place(piece.where)),
                   end, _("if a paragraph ends here, add the full stop in the body file"))
    else:
        draft.note("joined", _("the paragraph goes on from {here} to {next} (the line there "
                               "is not indented)").format(here=place(end),
                                                          next=place(piece.where)),
                   piece.where, _("if a paragraph ends here, add the full stop in the body "
                                  "file"))


def place(where: Location) -> str:
    """'line 17' in a text file, 'page 2' in a PDF."""
    if where.line is not None:
        return _("line {line}").format(line=where.line)
    if where.page is not None:
        return _("page {page}").format(page=where.page)
    return _("the next line")


def _continues(paragraph: Piece, piece: Piece) -> bool:
    """Whether `piece` goes on with the paragraph: a list item starts its own block; in
    a PDF an indent says it, in text the paragraph's last mark."""
    if _BULLET.match(piece.text):
        return False
    if piece.starts_paragraph is not None:
        return not piece.starts_paragraph
    return not _BULLET.match(paragraph.text) and not ends_sentence(paragraph.text)


def _add_caption(article: DraftArticle, piece: Piece, inside: bool, draft: Draft) -> None:
    text = piece.text.strip()
    caption, credit = split_credit(text)
    suffix = ".png" if piece.photo is not None and piece.photo.startswith(b"\x89PNG") else ".jpg"
    photo = DraftPhoto(caption, credit, data=piece.photo, suffix=suffix, where=piece.where)
    article.photos.append(photo)
    if piece.photo is not None and text == NO_CAPTION:
        return  # a picture without a caption: told where it was found
    if piece.photo is not None:
        draft.note("caption", _("'{text}' under a picture: the photo and its caption")
                   .format(text=text), piece.where)
        return
    reason = (_(" inside a broken paragraph") if inside else "")
    draft.note("caption", _("'{text}' stands alone{reason}: taken as a photo caption, "
                            "with a placeholder photo").format(text=text, reason=reason),
               piece.where, _("if it is text, move it back into the body file; put the "
                              "real photo in images/ under the name in issue.yaml"),
               check=True)


_CREDIT = re.compile(r"^(?P<caption>.*?)\s*[（(]\s*(?P<credit>(?:摄影|摄|图|图片|照片)[^（）()]*|"
                     r"[^（）()]*(?:摄|供图))\s*[）)]$")


def split_credit(text: str) -> tuple[str, str | None]:
    """'图为…（摄影 李四）' → ('图为…', '摄影 李四')."""
    match = _CREDIT.match(text)
    if match and match.group("caption").strip():
        return match.group("caption").strip(), match.group("credit").strip()
    return text, None


def check_debris(piece: Piece, draft: Draft) -> None:
    """Report what extraction may have garbled in one line; the text stays as it is."""
    text = piece.text

    def at(match: re.Match[str]) -> Location:
        where = piece.where
        if where.line is None:
            return where
        return Location(where.path, where.line, match.start() + 1 + piece.column, where.page)

    for match in _LATIN_IN_HAN.finditer(text):
        word = match.group(1)
        if len(word) == 1 and match.group() == word:
            # One letter written into a name, no space either side: 长风e家, 市民e站,
            # i上海 (an app, a brand), not a word the extraction put in.
            continue
        draft.note("latin-in-han", _("the English word '{word}' stands between Chinese "
                                     "characters: '…{context}…' (extraction debris?)")
                   .format(word=word, context=text[max(0, match.start() - 4):
                                                   match.end() + 4]),
                   at(match), _("if it stands for a Chinese word (and → 和), correct it in "
                            "the body file; it was left as it is"), check=True)
    for match in _DEBRIS.finditer(text):
        draft.note("unreadable", _("an unreadable character (U+{code:04X}) near "
                                   "'…{context}…'").format(
                                       code=ord(match.group()),
                                       context=text[max(0, match.start() - 6):match.start()]),
                   at(match), _("compare with the printed page and type the character"),
                   check=True)
    for match in _HAN_SPACED.finditer(text):
        draft.note("spaced-han", _("Chinese characters separated by spaces: '{text}'")
                   .format(text=match.group()), at(match),
                   _("letter-spaced text in the original; the spaces are removed when "
                     "printed unless the han-spaces rule is switched off"), check=True)
    for match in _DOUBLED.finditer(text):
        draft.note("doubled-mark", _("a punctuation mark typed twice: '{text}'")
                   .format(text=text[max(0, match.start() - 6):match.end()]), at(match),
                   check=True)
