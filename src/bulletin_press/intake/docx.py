"""Word documents (.docx) through mammoth, which keeps headings, bold, italics, lists,
tables, pictures and their alt text and never fetches anything external (linked
pictures are left out). Its HTML is walked into an article:

- the Title paragraph, else the first heading, is the title; a heading (or Subtitle
  paragraph) right under it the subtitle; with no Title, each further first-level
  heading starts another article, other headings are subheads (###);
- "通讯员 张三", "文/张三", "记者 王五" lines are the byline; "摄影：李四" the photos' credit;
- a picture followed by a Caption-styled paragraph or a short "图为……" / "（摄影 …）"
  line is a photo with that caption;
- tables become pipe tables, lists `-` / `1.` lists, footnotes numbered notes at the
  end (①, ② in the text); everything else paragraphs;
- a text box (a 温馨提示 beside the text) is an article of its own with kind: box,
  after the article it stands in.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from bulletin_press.diagnostics import Diagnostic, Location
from bulletin_press.i18n import _, ngettext
from bulletin_press.intake.backissue import (
    BYLINE,
    NO_CAPTION,
    SIGNED_LINE,
    UNIT_LINE,
    ends_sentence,
    split_credit,
)
from bulletin_press.intake.doc_header import MAX_LEADING, DocumentHead, head_line, title_like
from bulletin_press.intake.draft import Draft, DraftArticle, DraftPhoto
from bulletin_press.intake.markdown import (
    Merged,
    escape,
    is_paragraph,
    list_block,
    pipe_table,
)
from bulletin_press.intake.pictures import checked_picture, drawing_kind
from bulletin_press.intake.signature import take_signature
from bulletin_press.intake.sources import refuse, save_as_docx
from bulletin_press.intake.word_numbers import numbered_paragraphs
from bulletin_press.intake.word_shapes import shaped, shapes
from bulletin_press.layout.photos import HEIF_TYPES
from bulletin_press.manifest.photo_files import is_heif
from bulletin_press.text.blocks import printable_address

# Word's built-in styles by their stored (English) names and the names a Chinese
# Word gives new documents.
STYLE_MAP = "\n".join([
    "p[style-name='Title'] => h1.doc-title:fresh",
    "p[style-name='标题'] => h1.doc-title:fresh",
    "p[style-name='Subtitle'] => h2.doc-subtitle:fresh",
    "p[style-name='副标题'] => h2.doc-subtitle:fresh",
    "p[style-name='Caption'] => p.caption:fresh",
    "p[style-name='caption'] => p.caption:fresh",
    "p[style-name='题注'] => p.caption:fresh",
    # Headings as WPS and documents from Chinese templates name them (mammoth knows
    # "heading 1" and the style id Heading1 only).
    *(f"p[style-name='标题{space}{level}'] => h{level}:fresh"
      for level in range(1, 7) for space in (" ", "")),
])

# "摄影：李四", "图/李四", and in brackets as the last line of a story: "（图/林雨桐）".
_CREDIT_LINE = re.compile(r"^(?:(?:摄影|摄|图|图片|照片)\s*[/／:：\s]\s*\S.{0,20}"
                          r"|[（(]\s*(?:摄影|摄|图|图片|照片)\s*[/／:：\s]\s*[^（）()\s][^（）()]{0,20}[）)])$")
_CAPTION_MARK = re.compile(r"^\s*[▲△↑▼▽↓]\s*")  # "▲志愿者为老人理发": points at the photo
# The number Word's 插入题注 puts before a caption ("图1 ", "图 2：", "Figure 3."), and a
# reference to a picture by its number in the text ("如图1所示", "见图2").
_CAPTION_NUMBER = re.compile(r"^\s*(?:图片|照片|图|Figure|Fig\.)\s*[0-9０-９]+(?:[-－.][0-9]+)?"
                             r"\s*[:：.．、]?\s*(?=\S)")
_PICTURE_REFERENCE = re.compile(r"(?:图片|照片|图)\s*[0-9０-９]+")
_CAPTION_LINE = re.compile(r"^(?:\s*[▲△↑▼▽↓]|图为|图：|图:|上图|下图|左图|右图|（摄影|\(摄影)")
MAX_CAPTION = 80
MAX_GUESSED_CAPTION = 40  # a line without 图为 or a Caption style: shorter
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# mammoth's messages about how its HTML would look in a browser (styles it has no
# mapping for, pictures a browser cannot show, field codes): nothing for the editor;
# what is left (an element or symbol left out, a picture missing) is.
_QUIET = re.compile(r"style|unlikely to display in web browsers|complex field",
                    re.IGNORECASE)
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


@dataclass
class _Picture:
    data: bytes
    content_type: str
    alt: str | None


@dataclass
class _State:
    """The walk through one document."""

    draft: Draft
    pictures: list[_Picture] = field(default_factory=list)
    footnotes: dict[str, str] = field(default_factory=dict)  # id → marker
    paragraph: int = 0  # Word paragraphs seen, for the notes
    uncaptioned: list[DraftPhoto] = field(default_factory=list)  # no caption found yet
    has_doc_title: bool = False  # a Title paragraph: it alone starts the article
    article: DraftArticle | None = None  # the article being written
    last_photo: DraftPhoto | None = None  # a picture that a caption may follow
    credits: list[str] = field(default_factory=list)  # "摄影：李四" lines
    waiting: list[str] = field(default_factory=list)  # text before the title
    block: ET.Element | None = None  # the block being read: where the notes point
    heading: str | None = None  # the title or subhead the block is under
    head: DocumentHead | None = None  # an official document's head (红头, 文号)
    # Numbers Word puts before headings itself (text, "一、"), in the document's order.
    numbers: list[tuple[str, str]] = field(default_factory=list)
    # Other paragraphs Word numbers: text → its number ("（一）"), for lists Markdown's
    # 1. 2. would renumber.
    item_numbers: dict[str, str] = field(default_factory=dict)
    # Byline lines under text ("（作者：王福根）"): the byline if nothing follows them.
    late_bylines: list[tuple[DraftArticle, int, str, Location]] = field(default_factory=list)
    # The last note of items numbered by hand after Word's list: its article, first
    # item, first number and the note, which the next such item replaces.
    typed_on: tuple[DraftArticle, str, str, Diagnostic] | None = None
    # Captions that began with Word's number (题注: "图1 …"): the photo, the number and
    # where; left out at the end unless the text refers to a picture by number.
    numbered: list[tuple[DraftArticle, DraftPhoto, str, Location]] = field(
        default_factory=list)
    box_count: int = 0  # text boxes marked for mammoth
    # Each text box's paragraphs by its number, and the article it stands in.
    boxes: dict[int, tuple[DraftArticle | None, Location, list[ET.Element]]] = field(
        default_factory=dict)

    def where(self, picture: int | None = None) -> Location:
        """The document, and the place in it as the editor finds it in Word: the
        paragraph's number and first words (or the picture's number), and the heading
        it is under."""
        return Location(self.draft.source, place=self._place(picture))

    def _place(self, picture: int | None) -> str | None:
        block = self.block
        if block is None:
            return None
        text = _plain(block).strip()
        if picture is not None:
            what = _("picture {n}").format(n=picture + 1)
        elif block.tag == "table":
            first = next((_plain(c).strip() for c in block.iter() if c.tag in ("td", "th")
                          and _plain(c).strip()), "")
            what = _("the table starting '{start}'").format(start=_opening(first))
        elif text:
            what = _("paragraph {n} '{start}'").format(n=self.paragraph, start=_opening(text))
        else:
            what = _("paragraph {n}").format(n=self.paragraph)
        if self.heading and self.heading != text and block.tag not in _HEADINGS:
            return _("{place}, under '{heading}'").format(place=what,
                                                          heading=_opening(self.heading))
        return what


OPENING = 14  # characters of a paragraph that name it: enough to find it with Ctrl+F


def _opening(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= OPENING else text[:OPENING] + "…"


def read_docx(path: Path) -> Draft:
    import mammoth

    draft = Draft(path)
    numbered = numbered_paragraphs(path)
    state = _State(draft, numbers=[(text, label) for text, label, heading in numbered
                                   if heading],
                   item_numbers={" ".join(text.split()): label
                                 for text, label, heading in numbered if not heading})
    changed = shapes(path)

    def keep(image: Any) -> dict[str, str]:
        try:
            with image.open() as stream:
                data = stream.read()
        except ValueError:  # a picture linked to a file or address: never fetched
            draft.note("linked-picture", _("a picture linked from outside the document is "
                                           "left out"), Location(path),
                       _("in Word, insert the picture itself (插入 → 图片), not a link"),
                       check=True)
            return {"src": "linked"}
        shape = changed.get(hashlib.sha1(data).hexdigest())
        if shape is not None and image.content_type in ("image/jpeg", "image/png"):
            number = len(state.pictures) + 1
            place = _("picture {n}").format(n=number)
            try:
                data = shaped(data, shape)
            except (OSError, ValueError, Image.DecompressionBombError):
                pass  # the photo guard names what is wrong with it
            else:
                if shape.crop is not None:
                    draft.note("cropped", _("picture {n} was cropped in Word ({percent}% of it "
                                            "shown): cropped so in the issue too").format(
                                                n=number, percent=round(100 * shape.kept)),
                               Location(path, place=place))
                if shape.quarter:
                    draft.note("turned", _("picture {n} was turned {degrees}° in Word: "
                                           "turned so in the issue too").format(
                                               n=number, degrees=90 * shape.quarter),
                               Location(path, place=place))
        state.pictures.append(_Picture(data, image.content_type or "", image.alt_text))
        return {"src": f"picture:{len(state.pictures) - 1}"}

    try:
        with path.open("rb") as handle:
            source, state.box_count = _marked_boxes(handle.read())
            result = mammoth.convert_to_html(
                io.BytesIO(source), style_map=STYLE_MAP + _box_style_map(state.box_count),
                external_file_access=False, convert_image=mammoth.images.img_element(keep))
    except Exception as exc:  # mammoth raises many kinds on a damaged document
        raise refuse(path, "damaged", _("the Word document cannot be read ({reason})").format(
            reason=f"{type(exc).__name__}: {exc}"[:200]), save_as_docx()) from None
    for message in result.messages:
        if not _QUIET.search(message.message):
            draft.note("word", _("Word: {message}").format(message=message.message),
                       Location(path), _("compare the article with the document at this "
                                         "place"), check=True)
    root = ET.fromstring(f"<root>{result.value}</root>")
    _walk(root, state)
    _review_notes(path, draft, state.box_count)
    return draft


_BOX_STYLE = "BulletinPressTextBox"  # the style id that marks a text box's paragraphs
_BOX_CLASS = "text-box-"
_CHOICE = re.compile(rb"<mc:Choice\b.*?</mc:Choice>", re.DOTALL)
_BOX_CONTENT = re.compile(rb"(<w:txbxContent\b[^>]*>)(.*?)(</w:txbxContent>)", re.DOTALL)
_PARAGRAPH_OPEN = re.compile(rb"<w:p(?:\s[^>]*[^/>])?>")  # not an empty <w:p .../>
_PARAGRAPH_STYLE = re.compile(rb"<w:pStyle\b[^>]*/>")


def _marked_boxes(data: bytes) -> tuple[bytes, int]:
    """The document with the paragraphs of each text box (插入 → 文本框) given a style
    of their own, the box's number in it, so that they can be told from the story's
    in mammoth's HTML (which sets them after the paragraph holding the box); and how
    many boxes. mammoth reads a box Word 2010 writes twice (a shape and its VML copy
    for older readers) in its VML copy: that copy is the one marked."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            document = archive.read("word/document.xml")
            if b"txbxContent" not in document:
                return data, 0
            parts = [(info, archive.read(info.filename)) for info in archive.infolist()]
    except (KeyError, OSError, zipfile.BadZipFile):
        return data, 0  # mammoth says what is wrong with it
    count = 0

    def mark(found: re.Match[bytes]) -> bytes:
        nonlocal count
        count += 1
        style = b'<w:pStyle w:val="%s%d"/>' % (_BOX_STYLE.encode(), count)

        def styled(opening: re.Match[bytes]) -> bytes:
            return opening.group(0) + b"<w:pPr>" + style + b"</w:pPr>"

        inner = _PARAGRAPH_OPEN.sub(styled, found[2])
        # a paragraph's own properties follow ours: merged, without its own style
        inner = re.sub(rb"</w:pPr><w:pPr>", b"", inner)
        inner = re.sub(rb"(" + re.escape(style) + rb")((?:(?!</w:pPr>).)*?)"
                       + _PARAGRAPH_STYLE.pattern, rb"\1\2", inner, flags=re.DOTALL)
        return found[1] + inner + found[3]

    pieces: list[bytes] = []
    last = 0
    for choice in _CHOICE.finditer(document):  # Word 2010's shape: mammoth reads the VML
        pieces.append(_BOX_CONTENT.sub(mark, document[last:choice.start()]))
        pieces.append(choice.group(0))
        last = choice.end()
    pieces.append(_BOX_CONTENT.sub(mark, document[last:]))
    if not count:
        return data, 0
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:  # read once, at once
        for info, content in parts:
            archive.writestr(info.filename, b"".join(pieces)
                             if info.filename == "word/document.xml" else content)
    return out.getvalue(), count


def _box_style_map(count: int) -> str:
    return "".join(f"\np.{_BOX_STYLE}{n} => p.{_BOX_CLASS}{n}:fresh" for n in range(1, count + 1))


_WORD_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _review_notes(path: Path, draft: Draft, imported_boxes: int = 0) -> None:
    """Comments and tracked changes are for the people who wrote the text, never
    printed; the editor must know they are there ("时间待确认，先别登")."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            document = archive.read("word/document.xml")
            comments = archive.read("word/comments.xml") if "word/comments.xml" in names \
                else b""
    except (KeyError, OSError, zipfile.BadZipFile):
        return
    if comments:
        try:
            found = list(ET.fromstring(comments).iter(f"{_WORD_NS}comment"))
        except ET.ParseError:
            found = []
        for comment in found:
            text = "".join(t.text or "" for t in comment.iter(f"{_WORD_NS}t")).strip()
            author = comment.get(f"{_WORD_NS}author") or "?"
            words = _commented(document, comment.get(f"{_WORD_NS}id") or "")
            place = _("on the words '{text}'").format(text=_opening(words)) if words else None
            draft.note("comment", _("a comment by {author} is not printed: '{text}'").format(
                author=author, text=text[:80]), Location(path, place=place),
                _("read it, change the body file if it asks for a change, then ignore "
                  "this note"), check=True)
    for marker, what in ((rb"<c:chart[ >]", _("a chart (图表)")),
                         (rb"<dgm:relIds[ >]", _("a SmartArt graphic")),
                         (rb"<m:oMath[ >]", _("an equation (公式)"))):
        found_count = len(re.findall(marker, document))
        if found_count:
            draft.note("left-out", _("{what} cannot be imported and is left out ({count} in "
                                     "the document)").format(what=what, count=found_count),
                       Location(path), _("in Word, copy it and paste it as a picture "
                                         "(选择性粘贴 → 图片 PNG), then import again"),
                       check=True)
    for words in _text_boxes(document)[imported_boxes:]:  # a shape without its VML copy
        draft.note("text-box-lost", _("a text box ('{text}') cannot be imported and is "
                                      "left out").format(text=_opening(words)),
                   Location(path), _("copy its text into an article of its own with "
                                     "kind: box"), check=True)
    breaks = len(_PAGE_BREAK.findall(document))
    if breaks:
        # Word's page break (Ctrl+Enter, 分页符) ends a page of the document, not of the
        # issue: the page plan breaks the pages. Dropped, it was said nowhere.
        draft.note("page-break", ngettext(
            "{count} page break in the document is not kept: the issue's pages break "
            "where the page plan puts them",
            "{count} page breaks in the document are not kept: the issue's pages break "
            "where the page plan puts them", breaks).format(count=breaks),
            Location(path), _("an article that must open a page gets 'start: new-page' "
                              "under its 'layout:' in issue.yaml"))
    inserted = document.count(b"<w:ins ")
    deleted = document.count(b"<w:del ")
    if inserted or deleted:
        draft.note("tracked-changes", _("the document has tracked changes (inserted: "
                                        "{inserted}, deleted: {deleted}): taken as if all "
                                        "were accepted").format(inserted=inserted,
                                                                deleted=deleted),
                   Location(path), _("if some were not to be accepted, open it in Word, "
                                     "审阅 → 接受/拒绝, save and import again"), check=True)


_FALLBACK = re.compile(rb"<mc:Fallback\b.*?</mc:Fallback>", re.DOTALL)
_PAGE_BREAK = re.compile(rb"<w:br\b[^>]*\bw:type=\"page\"")
_TEXT_BOX = re.compile(rb"<w:txbxContent\b[^>]*>(.*?)</w:txbxContent>", re.DOTALL)


def _text_boxes(document: bytes) -> list[str]:
    """The words of each text box (插入 → 文本框), once: Word 2010 and later write a box
    twice, as a shape and as its VML fallback for older readers."""
    boxes = []
    for content in _TEXT_BOX.findall(_FALLBACK.sub(b"", document)):
        texts = re.findall(rb"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", content)
        words = html.unescape(b" ".join(texts).decode("utf-8", "replace")).strip()
        if words:
            boxes.append(words)
    return boxes


def _commented(document: bytes, comment_id: str) -> str:
    """The words a comment is attached to (Word marks them when the comment is
    made), as the editor sees them highlighted in Word."""
    found = re.search(rb'<w:commentRangeStart w:id="' + re.escape(comment_id.encode())
                      + rb'"\s*/>(.*?)<w:commentRangeEnd w:id="' + re.escape(comment_id.encode())
                      + rb'"', document, re.DOTALL)
    if found is None:
        return ""
    texts = re.findall(rb"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", found[1])
    return html.unescape(b"".join(texts).decode("utf-8", "replace")).strip()


def _walk(root: ET.Element, state: _State) -> None:
    blocks, anchors = _without_boxes(list(root))
    notes_list = [b for b in blocks if b.tag == "ol" and _is_notes(b)]
    for note_list in notes_list:
        for number, item in enumerate(note_list, 1):
            state.footnotes[item.get("id", "")] = (
                _CIRCLED[number - 1] if number <= len(_CIRCLED) else f"[{number}]")
    blocks = _joined_lists(blocks, notes_list, state)
    blocks = _without_head(blocks, notes_list, state)
    state.has_doc_title = any(b.get("class") == "doc-title" for b in blocks)
    if not any(b.tag in _HEADINGS for b in blocks):
        title, blocks = _fallback_title(blocks, notes_list, state)
        state.article = DraftArticle(title, state.where())
        state.draft.articles.append(state.article)
    for block in blocks:
        if block not in notes_list:
            state.paragraph += 1
            state.block = block
            _one_block(block, state)
            for number in anchors.pop(id(block), []):
                state.boxes[number] = (state.article, state.where(), [])
    state.block = None  # what follows is about the whole document
    for number in (n for numbers in anchors.values() for n in numbers):
        state.boxes[number] = (None, state.where(), [])  # before the text: a head's line
    for box in root:
        found = _box_number(box)
        if found is not None:
            state.boxes[found][2].append(box)
    _finish(state, notes_list)
    for number in sorted(state.boxes):
        _text_box(*state.boxes[number], state)


def _without_boxes(blocks: list[ET.Element]) -> tuple[list[ET.Element], dict[int, list[int]]]:
    """The blocks without the text boxes' paragraphs, and the boxes' numbers by the
    id() of the block each follows (mammoth sets a box after the paragraph it stands
    in); the id 0 for a box before all text."""
    rest: list[ET.Element] = []
    anchors: dict[int, list[int]] = {}
    for block in blocks:
        number = _box_number(block)
        if number is None:
            rest.append(block)
        else:
            numbers = anchors.setdefault(id(rest[-1]) if rest else 0, [])
            if number not in numbers:
                numbers.append(number)
    return rest, anchors


def _box_number(block: ET.Element) -> int | None:
    cls = block.get("class", "")
    return int(cls[len(_BOX_CLASS):]) if cls.startswith(_BOX_CLASS) else None


# The first line of a sidebar that names it: 温馨提示, 小贴士, 便民电话, 相关链接.
_BOX_TITLE = re.compile(r"^(?:温馨|友情|特别|重要)?(?:提示|提醒|贴士|小贴士|须知|注意事项|"
                        r"小知识|知识链接|相关链接|链接|便民电话|联系方式|咨询电话|服务热线|"
                        r"编者按|背景资料|名词解释)[:：]?$")
MAX_BOX_TITLE = 20


def _text_box(host: DraftArticle | None, where: Location, blocks: list[ET.Element],
              state: _State) -> None:
    """A text box (a 温馨提示 beside the text): an article of its own with kind: box,
    right after the article it stands in; its first line the title when it is bold or
    names a sidebar, else the box is titled 温馨提示 for the editor to change."""
    lines = [(b, _plain(b).strip()) for b in blocks]
    lines = [(b, text) for b, text in lines if text]
    if not lines:
        return
    first, text = lines[0]
    named = len(text) <= MAX_BOX_TITLE and text[-1] not in "。！？；，、;,.!?" and (
        _all_bold(first) or _BOX_TITLE.match(text) is not None)
    title = text.rstrip("：:") if named else "温馨提示"
    box = DraftArticle(title, where, kind="box")
    for block, _text in lines[1:] if named else lines:
        box.blocks.append(_inline(block, state).strip())
    if not box.blocks:
        box.blocks.append(escape(title))
    articles = state.draft.articles
    host = host if host in articles else articles[0]  # a box before the title: after it
    at = articles.index(host) + 1
    while at < len(articles) and articles[at].kind == "box":  # boxes in their order
        at += 1
    articles.insert(at, box)
    after = _("after '{title}'").format(title=_opening(host.title))
    if named:
        state.draft.note("text-box", _("a text box ('{text}'): an article of its own with "
                                       "kind: box, titled '{title}', {after}").format(
                                           text=_opening(" ".join(t for _b, t in lines)),
                                           title=title, after=after), where,
                         _("check where it prints; if it belongs in the story's text, move "
                           "its lines into the story's body file"), check=True)
    else:
        state.draft.note("text-box", _("a text box ('{text}'): an article of its own with "
                                       "kind: box, {after}; its first line is not a title, "
                                       "so it is titled '{title}'").format(
                                           text=_opening(" ".join(t for _b, t in lines)),
                                           title=title, after=after), where,
                         _("give the box its own title in issue.yaml"), check=True)


def _without_head(blocks: list[ET.Element], notes_list: list[ET.Element],
                  state: _State) -> list[ET.Element]:
    """The blocks without an official document's head ("新泾镇人民政府文件", "长新府〔2023〕
    12号", a rule), which comes before its title, whatever their styles: the block
    after the head is the title (made the Title), the head's lines go into a note and
    the document number becomes the subtitle."""
    head = DocumentHead()
    used: list[ET.Element] = []
    for block in blocks:
        if block in notes_list:
            continue
        if len(used) >= MAX_LEADING or block.tag not in ("p", *_HEADINGS) \
                or block.find(".//img") is not None or not head_line(_plain(block), head):
            break
        used.append(block)
    rest = [b for b in blocks if all(b is not u for u in used)]
    title = next((b for b in rest if b not in notes_list and _plain(b).strip()), None)
    if not (head.headers or head.number) or title is None or title.tag not in ("p", *_HEADINGS) \
            or title.find(".//img") is not None or not title_like(_plain(title)):
        return blocks
    title.tag, title.attrib["class"] = "h1", "doc-title"
    state.head = head
    state.paragraph = len(used)  # the places in notes count the head's paragraphs too
    state.draft.note("document-head", _("'{head}' is the head of an official document "
                                        "(红头, 文号), not its title: left out of the text; "
                                        "the title is '{title}'").format(
                                            head=" / ".join(head.lines),
                                            title=_plain(title).strip()),
                     Location(state.draft.source, place=_("the document's first lines")),
                     _("a bulletin prints the title without the issuer's header; if the "
                       "header should be printed, add it to the body file"), check=True)
    return rest


def _joined_lists(blocks: list[ET.Element], notes_list: list[ET.Element],
                  state: _State) -> list[ET.Element]:
    """Numbered items with bulleted ones between them, each styled on its own (列表编号,
    列表项目符号 2), come from mammoth as separate lists: "1. 开幕式 / • 合唱 / 1. 集市".
    Word numbers them on (1, 2, 3) under the bullets; so do we, the bullets nested
    under the item above them."""
    out: list[ET.Element] = []
    run: list[ET.Element] = []

    def flush() -> None:
        if sum(b.tag == "ol" for b in run) >= 2 and run[0].tag == "ol":
            joined = ET.Element("ol")
            for block in run:
                if block.tag == "ol":
                    joined.extend(list(block))
                else:
                    joined[-1].append(block)
            out.append(joined)
            state.draft.note("list-joined", _("{count} numbered lists with bulleted items "
                                              "between them: one list, numbered on, the "
                                              "bullets under the item above them")
                             .format(count=sum(b.tag == "ol" for b in run)),
                             state.where(), check=True)
        else:
            out.extend(run)
        run.clear()

    for block in blocks:
        if block.tag in ("ol", "ul") and block not in notes_list and len(block):
            run.append(block)
        else:
            flush()
            out.append(block)
    flush()
    return out


def _one_block(block: ET.Element, state: _State) -> None:
    """One top-level block of the document: what it is decides where it goes."""
    text = _plain(block).strip()
    pictures = [int(img.get("src", "")[len("picture:"):]) for img in block.iter("img")
                if img.get("src", "").startswith("picture:")]
    heading = block.tag in _HEADINGS and bool(text)
    if heading and _starts_article(block, state):
        _start_article(block, text, state)
        return
    article = state.article
    if article is None:
        if text or pictures:
            state.waiting.append(text or _("a picture"))
        return
    if heading:
        _heading(block, text, article, state)
    elif pictures and block.tag == "table":
        _picture_table(block, article, state)
    elif pictures:
        _pictures(block, text, pictures, article, state)
    elif text:
        _text(block, text, article, state)


def _starts_article(block: ET.Element, state: _State) -> bool:
    """The Title paragraph starts an article; without one, the first heading and each
    further first-level heading after a first-level title."""
    if state.has_doc_title:
        return block.get("class") == "doc-title"
    return state.article is None or (block.tag == "h1" and state.article.heading_level == 1
                                     and not _NUMBERED_HEADING.match(_plain(block).strip()))


# "一、活动安排", "（二）报名方式", "3. 联系方式", "第一部分": a section of the article, even
# where the contributor styled it Heading 1 like the title.
_NUMERAL = "[一二三四五六七八九十\\d]{1,3}"
_NUMBERED_HEADING = re.compile(rf"^(?:[一二三四五六七八九十]{{1,3}}[、.．]|[（(]{_NUMERAL}[)）]"
                               rf"|\d{{1,2}}[、.．](?!\d)|第{_NUMERAL}[部章节条])")


def _start_article(block: ET.Element, text: str, state: _State) -> None:
    if state.article is not None:
        state.draft.note("next-article", _("another first-level heading '{text}': a new "
                                           "article").format(text=text), state.where(),
                         _("if it is a heading inside the article, make it Heading 2 in "
                           "Word and import again"), check=True)
    state.article = DraftArticle(text, state.where(), heading_level=int(block.tag[1]))
    state.draft.articles.append(state.article)
    if state.head is not None and state.head.number and len(state.draft.articles) == 1:
        state.article.subtitle = state.head.number
        state.draft.note("document-number", _("the document number '{number}' is the "
                                              "subtitle").format(number=state.head.number),
                         state.where())
    state.last_photo = None
    state.heading = text


def _heading(block: ET.Element, text: str, article: DraftArticle, state: _State) -> None:
    """Right under the title, the subtitle; further down, a subhead."""
    if article.subtitle is None and not article.blocks and not article.photos \
            and article.byline is None and block.get("class") != "doc-title":
        article.subtitle = text
        state.draft.note("subtitle", _("'{text}' right under the title: the subtitle")
                         .format(text=text), state.where())
    else:
        label = _word_number(text, state)
        if label:
            gap = " " if label[-1] in ".)" else ""  # "1. 检查范围", "一、检查范围"
            article.blocks.append("### " + label + gap + _inline(block, state))
            state.draft.note("heading-number", _("heading '{text}' is numbered '{label}' by "
                                                 "Word: the number is written before it")
                             .format(text=text, label=label), state.where())
            text = label + gap + text
        else:
            article.blocks.append("### " + _inline(block, state))
        state.draft.note("subhead", _("heading '{text}' kept as a subhead (###)")
                         .format(text=text), state.where())
        state.heading = text
    state.last_photo = None


def _word_number(text: str, state: _State) -> str | None:
    """The number Word shows before this heading, if it numbers it; the numbered
    headings are met in order (a heading mammoth skipped is passed over)."""
    wanted = " ".join(text.split())
    for index, (heading, label) in enumerate(state.numbers[:4]):
        if " ".join(heading.split()) == wanted:
            del state.numbers[: index + 1]
            return label
    return None


def _pictures(block: ET.Element, text: str, pictures: list[int], article: DraftArticle,
              state: _State) -> None:
    for index in pictures:
        state.last_photo = _photo(article, state.pictures[index], state, index)
    if text:
        article.blocks.append(_inline(block, state))
        state.draft.note("picture-text", _("a picture and text share paragraph {n}: the "
                                           "text kept as a paragraph").format(
                                               n=state.paragraph), state.where(), check=True)


def _picture_table(block: ET.Element, article: DraftArticle, state: _State) -> None:
    """Photos laid out in a table, as contributors place them side by side: each
    picture a photo, its caption the text of its own cell, else of the cell under it;
    text no picture claims stays, a paragraph per cell."""
    rows = [[cell for cell in row if cell.tag in ("td", "th")] for row in block.iter("tr")]
    claimed: set[int] = set()  # id() of the cells used as captions
    count = 0
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            for img in cell.iter("img"):
                source = img.get("src", "")
                if not source.startswith("picture:"):
                    continue
                index = int(source[len("picture:"):])
                photo = _photo(article, state.pictures[index], state, index)
                count += 1
                below = rows[r + 1][c] if r + 1 < len(rows) and c < len(rows[r + 1]) else None
                for candidate in (cell, below):
                    if candidate is None or id(candidate) in claimed \
                            or (candidate is below and candidate.find(".//img") is not None):
                        continue
                    caption_text = _plain(candidate).strip()
                    if caption_text and len(caption_text) <= MAX_CAPTION:
                        photo.caption, credit = split_credit(caption_text)
                        photo.credit = credit or photo.credit
                        state.uncaptioned.remove(photo)
                        claimed.add(id(candidate))
                        break
    left = [cell for row in rows for cell in row
            if id(cell) not in claimed and _plain(cell).strip()]
    for cell in left:
        article.blocks.append(" ".join(_inline(p, state).strip() for p in cell
                                       if p.tag == "p") or escape(_plain(cell).strip()))
    state.draft.note("picture-table", ngettext("a table holding {count} picture: each a photo, the "
                                               "text in or under its cell its caption",
                                               "a table holding {count} pictures: each a photo, "
                                               "the text in or under its cell its caption",
                                               count).format(
                                            count=count), state.where(), check=True)
    state.last_photo = None


def _text(block: ET.Element, text: str, article: DraftArticle, state: _State) -> None:
    """A caption under a picture, a credit or byline line, or the article's text."""
    photo, state.last_photo = state.last_photo, None
    cls = block.get("class", "")
    said = cls == "caption" or (len(text) <= MAX_CAPTION and (
        _CAPTION_LINE.match(text) is not None or split_credit(text)[1] is not None))
    if photo is not None and (said or _caption_like(block, text)):
        caption, credit = split_credit(_CAPTION_MARK.sub("", text))
        photo.caption, photo.credit = caption, credit or photo.credit
        number = _CAPTION_NUMBER.match(caption)
        if number is not None:
            state.numbered.append((article, photo, number.group(0).strip(), state.where()))
        state.uncaptioned.remove(photo)
        if said:
            state.draft.note("caption", _("'{text}' under {picture}: its caption").format(
                text=text, picture=photo.label), state.where())
        else:
            state.draft.note("caption-guess", _("'{text}', a short line right under "
                                                "{picture}: taken as its caption").format(
                                                    text=text, picture=photo.label),
                             state.where(), _("if it is text, move it back into the body "
                                              "file and write the caption in issue.yaml"),
                             check=True)
    elif block.tag == "p" and (_dash_subtitle(text) or _bold_subtitle(block, text)) \
            and article.subtitle is None and not article.blocks and not article.photos \
            and article.byline is None:
        # "——镇领导春节前走访慰问困难家庭和一线工作者" right under the title: a subtitle
        # (副题) typed in a Normal paragraph; as text it would be set as the first paragraph.
        article.subtitle = text
        if _dash_subtitle(text):
            state.draft.note("subtitle", _("'{text}' right under the title: the subtitle")
                             .format(text=text), state.where())
        else:  # a bold line there may also be a label (编者按): to check
            state.draft.note("subtitle", _("'{text}' right under the title: the subtitle")
                             .format(text=text), state.where(),
                             _("if it is text, move it back into the body file"), check=True)
    elif block.tag == "p" and _CREDIT_LINE.match(text):
        state.credits.append(text)
        state.draft.note("credit", _("'{text}': the photo credit").format(text=text),
                         state.where())
    elif block.tag == "p" and BYLINE.match(text) and article.byline is None:
        if article.blocks:
            # Under text: the article's last line ("（通讯员 李明）") or the author of
            # the part above it (a prize-winning couplet's "（作者：新泾六村 王福根）").
            article.blocks += _line_broken(block, state)
            state.late_bylines.append((article, len(article.blocks) - 1, text,
                                       state.where()))
            return
        article.byline = text.strip("（）()")
        state.draft.note("byline", _("'{text}': the byline").format(text=text), state.where())
    elif block.tag == "p" and SIGNED_LINE.match(text.strip()) and article.byline is None \
            and not article.blocks and not article.photos:
        # Right under the title: who wrote it. As a paragraph its spaces would go
        # (han-spaces) and 长者食堂 厨师长 钱国平 print as 长者食堂厨师长钱国平.
        article.byline = " ".join(text.split())
        state.draft.note("byline-guess", _("'{text}', a short line under the title ending "
                                           "with a name: taken as the byline").format(
                                               text=text), state.where(),
                         _("if it is text, move it back into the body file"), check=True)
    elif block.tag == "p" and UNIT_LINE.match(text.strip()) and article.byline is None \
            and not article.blocks and not article.photos and not _bold_line(block, text):
        # Right under the title, the office that sent it (街道房管办): as a paragraph it
        # printed as the article's first line, indented, 「　　街道房管办」.
        article.byline = text.strip()
        state.draft.note("byline-guess", _("'{text}', the name of an office alone under the "
                                           "title: taken as the byline").format(text=text),
                         state.where(), _("if it is text, move it back into the body file"),
                         check=True)
    else:
        if _bold_line(block, text) and (article.blocks or _NUMBERED_HEADING.match(text)):
            article.blocks.append("### " + escape(text))
            state.heading = text
            state.draft.note("bold-subhead", _("'{text}' is a short line all in bold: a "
                                               "subhead (###)").format(text=text),
                             state.where())
            return
        if _typed_on(block, article, state):
            return
        if cls == "caption":
            state.draft.note("caption-alone", _("caption '{text}' has no picture above it: "
                                                "kept as a paragraph").format(text=text),
                             state.where(), check=True)
        article.blocks += _line_broken(block, state)


# "6．半部春秋", "8、十五的月亮", "9. 正月初一" (escaped "9\\. "): a number typed by hand.
_TYPED_NUMBER = re.compile(r"^(\d{1,2})(?:\\?\.|．|、)\s*(?=\S)")
_ITEM_NUMBER = re.compile(r"^(\d+)\. ", re.MULTILINE)  # a top-level item of a Markdown list


def _typed_on(block: ET.Element, article: DraftArticle, state: _State) -> bool:
    """A paragraph numbered by hand right after a list Word numbers, with the next
    number ("6．半部春秋" under Word's 1–5): the contributor went on typing the list. It
    is the list's next item; as a paragraph it was set apart from the items above it,
    indented as text."""
    if not article.blocks or block.find(".//br") is not None:
        return False
    numbers = [int(n) for n in _ITEM_NUMBER.findall(article.blocks[-1])]
    if not numbers or not _ITEM_NUMBER.match(article.blocks[-1]):
        return False
    markdown = _inline(block, state)
    typed = _TYPED_NUMBER.match(markdown)
    if typed is None or int(typed[1]) != numbers[-1] + 1:
        return False
    article.blocks[-1] += f"\n{typed[1]}. {markdown[typed.end():]}"
    text = _opening(_plain(block))
    previous = state.typed_on
    if previous is not None and previous[0] is article and state.draft.notes \
            and state.draft.notes[-1] is previous[3]:
        # the items typed on after it: one note for them all
        state.draft.notes.pop()
        first, number, where = previous[1], previous[2], previous[3].location
        message = _("'{first}' to '{last}', numbered by hand after a list Word numbers: "
                    "the list's items {n}–{m}").format(first=first, last=text, n=number,
                                                       m=typed[1])
    else:
        first, number, where = text, typed[1], state.where()
        message = _("'{text}', numbered by hand after a list Word numbers: the list's item "
                    "{n}").format(text=text, n=typed[1])
    state.draft.note("list-typed-on", message, where)
    state.typed_on = (article, first, number, state.draft.notes[-1])
    return True


MAX_SUBTITLE = 60  # characters of a "——…" line taken as the subtitle


def _bold_subtitle(block: ET.Element, text: str) -> bool:
    """A second line all in bold right under a headline made by hand ("凝心聚力谱新篇" /
    "新泾镇召开2027年春节团拜会", each bold 16 pt): the headline's next line, printed
    under it as its subtitle; as a paragraph it printed in bold above the byline."""
    return len(text) <= MAX_SUBTITLE and not ends_sentence(text) and _all_bold(block) \
        and not _NUMBERED_HEADING.match(text)  # "一、报名对象" opening the text: a subhead


def _dash_subtitle(text: str) -> bool:
    """A line that starts with a dash, as a 副题 is typed under its headline."""
    return text.startswith(("——", "—", "－－", "--")) and len(text) <= MAX_SUBTITLE \
        and not ends_sentence(text)


MAX_BOLD_SUBHEAD = 24  # characters: "一、检查时间", "三、联系方式"


def _bold_line(block: ET.Element, text: str) -> bool:
    """A short paragraph all in bold without a sentence's end: how many contributors
    mark a heading ("一、检查时间") instead of using a heading style."""
    if block.tag != "p" or not text or len(text) > MAX_BOLD_SUBHEAD \
            or text[-1] in "。！？；，、：:;,.!?":
        return False
    return _all_bold(block)


def _caption_like(block: ET.Element, text: str) -> bool:
    """A short line right under a picture that is not a sentence ("社区合唱团在开幕式上演唱",
    "▲志愿者为老人理发"): what contributors write as a caption without a Caption style."""
    return block.tag == "p" and len(text) <= MAX_GUESSED_CAPTION and not ends_sentence(text) \
        and text[-1] not in "：:，,；;、" and not _CREDIT_LINE.match(text) \
        and not BYLINE.match(text) and not _bold_line(block, text)


def _line_broken(block: ET.Element, state: _State) -> list[str]:
    """The block as Markdown; a paragraph whose lines were broken with Shift+Enter
    ("活动地点：…" / "活动时间：…", a poem's lines) keeps them as hard line breaks (a
    backslash at a line's end): a plain line break in a body reads as a space."""
    markdown = _block(block, state)
    if block.tag != "p" or block.find(".//br") is None:
        return [markdown]
    lines = [line.strip() for line in markdown.split("\n") if line.strip()]
    if len(lines) > 1:
        state.draft.note("line-break", ngettext("paragraph {n} has {count} line ended with "
                                                "Shift+Enter: kept as lines",
                                                "paragraph {n} has {count} lines ended with "
                                                "Shift+Enter: kept as lines",
                                                len(lines)).format(
                                             n=state.paragraph, count=len(lines)),
                         state.where())
    return ["\\\n".join(lines)] if lines else []


def _finish(state: _State, notes_list: list[ET.Element]) -> None:
    """What only the whole document tells: text before the title, pictures left without
    a caption, footnotes, credits."""
    if state.waiting:
        state.draft.note("before-title", _("{count} paragraph(s) before the title left out: "
                                           "{text}").format(count=len(state.waiting),
                                                            text=" / ".join(state.waiting)[:80]),
                         state.where(), _("if they belong to the article, add them to the "
                                          "body file"), check=True)
    if state.article is None:
        raise refuse(state.draft.source, "empty", _("the document has no text"),
                     _("is it the right file? Word documents with only pictures of text "
                       "cannot be imported"))
    for article in state.draft.articles:
        _nearest_paragraphs(article, state)
    _caption_numbers(state)
    for photo in state.uncaptioned:
        found = _("its alt text '{alt}' is the caption").format(alt=photo.alt) if photo.alt \
            else _("the caption says {text}").format(text=NO_CAPTION)
        state.draft.note("no-caption", _("{picture} has no caption under it: {found}")
                         .format(picture=photo.label, found=found), photo.where,
                         _("write its caption in issue.yaml"), check=True)
    for article, index, text, where in state.late_bylines:
        if article.byline is None and index == len(article.blocks) - 1:
            article.blocks.pop()
            article.byline = text.strip("（）()")
            state.draft.note("byline", _("'{text}': the byline").format(text=text), where)
        else:
            state.draft.note("byline-in-text", _("'{text}' names a writer, but text follows "
                                                 "it: kept as text where it stands").format(
                                                     text=text), where,
                             _("if it is the byline of the whole article, move it to "
                               "byline: in issue.yaml"), check=True)
    for note_list in notes_list:
        _append_footnotes(note_list, state)
    for article in state.draft.articles:
        _apply_credits(article, state.credits)
        take_signature(article, state.draft, state.where())


def _caption_numbers(state: _State) -> None:
    """Word's caption numbers (图1, 图2) left out: the layout prints no numbers and
    places the photos itself (the photo guard moves one on: 图2 printed above 图1);
    kept where the article's text refers to a picture by its number (如图1所示)."""
    for article, photo, number, where in state.numbered:
        if any(_PICTURE_REFERENCE.search(block) for block in article.blocks):
            continue
        photo.caption = photo.caption[_CAPTION_NUMBER.match(photo.caption).end():]  # type: ignore[union-attr]
        state.draft.note("caption-number", _("'{number}' before the caption of {picture} "
                                             "left out: Word's caption number (题注); the "
                                             "issue prints none, and the layout may set the "
                                             "photos in another order").format(number=number,
                                                            picture=photo.label), where)


def _nearest_paragraphs(article: DraftArticle, state: _State) -> None:
    """A photo is placed after a paragraph (`after_paragraph`): one that stood after a
    subhead, a list or a table goes after the paragraph nearest to where it stood,
    counting the blocks between, not above them all (a picture under a table of phone
    numbers, after_paragraph of the last paragraph before it, printed above the
    section's subhead, its list and the table). Of two as near, the one before (its
    section). Before footnotes and a signature change the article's end."""
    blocks = article.blocks
    for photo in article.photos:
        at = photo.blocks_before
        if at is None or at == 0 or is_paragraph(blocks[at - 1]):
            continue
        back = next((i for i in range(at - 1, -1, -1) if is_paragraph(blocks[i])), None)
        ahead = next((i for i in range(at, len(blocks)) if is_paragraph(blocks[i])), None)
        # The blocks it would be set across: those after the paragraph before it, or
        # those before the paragraph after it.
        if back is None or ahead is None or ahead - at >= at - 1 - back:
            continue
        photo.after_paragraph = sum(1 for block in blocks[: ahead + 1] if is_paragraph(block))
        before = blocks[at - 1]
        stood = _("{picture} stood after a table") if before.startswith("|") else \
            _("{picture} stood after a subhead") if before.startswith("#") else \
            _("{picture} stood after a list")
        state.draft.note("photo-after-paragraph", _(
            "{stood}: a photo is placed after a paragraph, so it goes after paragraph {n} "
            "('{text}'), the nearest to where it stood, not above the blocks before it")
            .format(stood=stood.format(picture=photo.label), n=photo.after_paragraph,
                    text=blocks[ahead][:16]),
            photo.where, _("to place it elsewhere, change after_paragraph in issue.yaml"),
            check=True)


def _fallback_title(blocks: list[ET.Element], notes_list: list[ET.Element],
                    state: _State) -> tuple[str, list[ET.Element]]:
    """A document without headings: its first line if short and unpunctuated, else the
    title in its properties, else its file name; and the blocks left for the text."""
    first = next((b for b in blocks if b not in notes_list and _plain(b).strip()), None)
    if first is None:
        raise refuse(state.draft.source, "empty", _("the document has no text"),
                     _("is it the right file? Word documents with only pictures of text "
                       "cannot be imported"))
    text = _plain(first).strip()
    if first.tag == "p" and _title_width(text) <= (MAX_BOLD_TITLE if _all_bold(first) else 40) \
            and not first.findall(".//img") and text[-1] not in "。！？；，":
        state.draft.note("title", _("no heading in the document: its first line '{text}' "
                                    "taken as the title").format(text=text), state.where(),
                         _("check the title in issue.yaml"), check=True)
        return text, [b for b in blocks if b is not first]
    title = _core_title(state.draft.source) or state.draft.source.stem
    state.draft.note("title", _("no heading in the document: '{text}' (its properties or "
                                "file name) is the title").format(text=title), state.where(),
                     _("write the title in issue.yaml"), check=True)
    return title, blocks


MAX_BOLD_TITLE = 60  # ems: a first line all in bold is the contributor's headline


def _title_width(text: str) -> float:
    """A line's width in ems as it is set: Latin letters and digits take about half
    ("英国志愿者Alexander Montgomery-Fitzwilliam：我在新泾学包汤圆" is 30, not 53)."""
    return sum(0.5 if ord(c) < 0x2E80 else 1 for c in text)


def _all_bold(block: ET.Element) -> bool:
    """All the paragraph's text in bold: a headline made with direct formatting (bold,
    16 pt, centred in a Normal paragraph), as most contributors make one."""
    children = list(block)
    return bool(children) and not (block.text or "").strip() \
        and all(c.tag in ("strong", "b") and not (c.tail or "").strip() for c in children)


def _core_title(path: Path) -> str | None:
    """The title in the document's properties (文件 → 信息 → 属性 → 标题)."""
    try:
        with zipfile.ZipFile(path) as archive:
            core = archive.read("docProps/core.xml").decode("utf-8", "replace")
    except (KeyError, OSError, zipfile.BadZipFile):
        return None
    match = re.search(r"<dc:title>([^<]{1,80})</dc:title>", core)
    return html.unescape(match.group(1)).strip() or None if match else None


def _photo(article: DraftArticle, picture: _Picture, state: _State, index: int) -> DraftPhoto:
    label = _("picture {n}").format(n=index + 1)
    where = state.where(index)
    alt = _written_alt(picture.alt)
    drawing = drawing_kind(picture.content_type)
    if drawing is not None:
        # The text matters more than one drawing: a placeholder keeps its place.
        photo = DraftPhoto(alt or NO_CAPTION, alt=alt, where=where, label=label)
        state.draft.note("drawing", _("{picture} is a drawing ({kind}), which cannot be "
                                      "printed: a placeholder photo stands in its place")
                         .format(picture=label, kind=drawing), where,
                         _("in Word, right-click the picture → 另存为图片, save it as PNG and "
                           "put that file in place of the placeholder"), check=True)
    else:
        data, suffix = checked_picture(picture.data, picture.content_type,
                                       state.draft.source, label)
        if data[:12] != picture.data[:12] and (picture.content_type in HEIF_TYPES
                                               or is_heif(picture.data[:12])):
            state.draft.note("heic", _("{picture} is a phone's HEIC photo: stored as JPEG "
                                       "for print").format(picture=label), where)
        elif suffix == ".jpg" and not picture.data.startswith(b"\xff\xd8"):
            kind = picture.content_type.rpartition("/")[2].removeprefix("x-").upper()
            state.draft.note("photo-png", _("{picture} is a photo kept as {kind} in the "
                                            "document ({size} MB): stored as JPEG, which "
                                            "prints the same and keeps the PDF small and "
                                            "quick to build").format(
                                                picture=label, kind=kind,
                                                size=f"{len(picture.data) / 2**20:.1f}"), where)
        photo = DraftPhoto(alt or NO_CAPTION, alt=alt, data=data, suffix=suffix,
                           where=where, label=label)
    if article.paragraph_count:
        photo.after_paragraph = article.paragraph_count
        photo.blocks_before = len(article.blocks)
    article.photos.append(photo)
    state.uncaptioned.append(photo)
    return photo


# Alt text no person wrote: Office's generated descriptions ("图片包含 人, 户外\n\n描述已自动
# 生成"), the file name Word puts there on inserting ("微信图片_20231014133502.jpg"), and
# default names ("图片 1", "Picture 3").
_MACHINE_ALT = re.compile(
    r"自动生成|automatically generated|^图片包含|^A picture containing|^(?:图片|Picture|"
    r"Image|图像)\s*\d+$|\.(?:jpe?g|png|gif|bmp|heic|tiff?|webp)$|^(?:IMG|DSC|微信图片|"
    r"mmexport|wx_camera|截图|Screenshot)[_\-\s]?\d", re.IGNORECASE)


def _written_alt(alt: str | None) -> str | None:
    """The picture's alt text if a person wrote it, else None."""
    text = " ".join((alt or "").split())
    return text if text and not _MACHINE_ALT.search(text) else None


def _apply_credits(article: DraftArticle, credits: list[str]) -> None:
    if not credits:
        return
    credit = " ".join(c.strip("（）() ").replace("：", " ").replace(":", " ")
                     for c in credits)
    credit = " ".join(credit.split())
    for photo in article.photos:
        photo.credit = photo.credit or credit


def _is_notes(block: ET.Element) -> bool:
    return bool(len(block)) and all(
        (item.get("id") or "").startswith(("footnote-", "endnote-")) for item in block)


def _append_footnotes(note_list: ET.Element, state: _State) -> None:
    article = state.draft.articles[-1]
    for item in note_list:
        marker = state.footnotes.get(item.get("id", ""), "")
        for back in item.iter("a"):  # mammoth's ↑ link back to the text
            if (back.get("href") or "").startswith(("#footnote-ref", "#endnote-ref")):
                back.text = ""
        text = " ".join(_inline(child, state) for child in item if child.tag == "p").strip()
        article.blocks.append(f"注{marker}：{text}")
        state.draft.note("footnote", _("footnote {marker} printed at the end of the article "
                                       "as 注{marker}").format(marker=marker), state.where())


def _plain(element: ET.Element) -> str:
    return "".join(element.itertext())


def _block(block: ET.Element, state: _State) -> str:
    if block.tag in ("ul", "ol"):
        labelled = _labelled_items(block, state)
        if labelled is not None:
            return labelled
        items: list[tuple[int, bool, str]] = []
        _list_items(block, 0, items, state)
        return list_block(items)
    if block.tag == "table":
        return _table(block, state)
    return _inline(block, state)


_DECIMAL_LABEL = re.compile(r"^\d+\.$")  # what a Markdown list numbers by itself


def _labelled_items(block: ET.Element, state: _State) -> str | None:
    """A list whose items Word numbers （一） （二）, 一、 二、, ① ②…: each item a paragraph
    that starts with its number as Word shows it (a Markdown list would print 1. 2.).
    None for any other list (one item without such a number, or a list inside)."""
    items = [item for item in block if item.tag == "li"]
    while len(items) == 1 and not (items[0].text or "").strip() and \
            all(child.tag in ("ul", "ol") for child in items[0]):
        # an empty item holding the list: Word numbered the second level only
        items = [item for child in items[0] for item in child if item.tag == "li"]
    if not items or any(child.tag in ("ul", "ol") for item in items for child in item):
        return None
    labels = [state.item_numbers.get(" ".join(_plain(item).split())) for item in items]
    if any(label is None or _DECIMAL_LABEL.match(label) for label in labels):
        return None
    paragraphs = [label + _inline(item, state) for label, item in zip(labels, items,
                                                                      strict=True) if label]
    state.draft.note("list-numbers", _("a list numbered {first} … by Word: each item a "
                                       "paragraph starting with its number").format(
                                           first=labels[0]), state.where())
    return "\n\n".join(paragraphs)


def _list_items(block: ET.Element, depth: int, out: list[tuple[int, bool, str]],
                state: _State) -> None:
    for item in block:
        if item.tag != "li":
            continue
        nested = [child for child in item if child.tag in ("ul", "ol")]
        shell = ET.Element("li")
        shell.text = item.text
        for child in item:
            if child.tag not in ("ul", "ol"):
                shell.append(child)
        out.append((depth, block.tag == "ol", _inline(shell, state)))
        for child in nested:
            _list_items(child, depth + 1, out, state)


def _table(block: ET.Element, state: _State) -> str:
    rows: list[list[str]] = []
    merged = False
    joined: list[str] = []  # cells of more than one line, their lines
    covered: dict[int, int] = {}  # column → rows still covered by a cell merged from above
    for row in block.iter("tr"):
        cells: list[str] = []
        for cell in row:
            if cell.tag not in ("td", "th"):
                continue
            _skip_covered(cells, covered)
            span = _span(cell, "colspan")
            down = _span(cell, "rowspan")
            merged = merged or span > 1 or down > 1
            for column in range(len(cells), len(cells) + span):
                if down > 1:
                    covered[column] = down - 1
            lines = _cell_lines(cell)
            cells.append(" ".join(lines))
            if len(lines) > 1:
                joined.append(" / ".join(lines))
            cells += [Merged.LEFT] * (span - 1)
        _skip_covered(cells, covered)
        if cells:
            rows.append(cells)
    if any(True for _ in block.iter("img")):
        state.draft.note("table-picture", _("a picture inside a table is left out"),
                         state.where(), _("put the picture under the table in Word, with "
                                          "its caption, and import again"), check=True)
    for text in joined:
        state.draft.note("table-cell-lines", _("a table cell of several lines ('{text}'): "
                                               "its lines are joined, a cell has no line "
                                               "breaks in print").format(text=text),
                         state.where(), _("between Chinese characters the lines run "
                                          "together: put a mark between them in the body "
                                          "file (上联…，下联…), or set them as text under "
                                          "the table"), check=True)
    if merged:
        state.draft.note("table-merged", _("a table has merged cells: printed merged, as in "
                                           "Word; in the body file a cell merged with the one "
                                           "above it reads ^^, with the one to its left <<"),
                         state.where())
    state.draft.note("table", ngettext("a table of {rows} row: a pipe table, its first row the "
                                "header", "a table of {rows} rows: a pipe table, its first row the "
                                "header", len(rows)).format(rows=len(rows)), state.where())
    return pipe_table(rows) if rows else ""


def _cell_lines(cell: ET.Element) -> list[str]:
    """A cell's lines: its paragraphs, each cut where Shift+Enter broke it (a couplet's
    上联 and 下联 in one cell, 周一至周五 over 8:30—11:30)."""
    lines: list[str] = []
    for part in [p for p in cell if p.tag == "p"] or [cell]:
        lines += "".join(_text_with_breaks(part)).split("\n")
    return [" ".join(line.split()) for line in lines if line.strip()]


def _text_with_breaks(element: ET.Element) -> Iterator[str]:
    """The element's text in order, a line break as "\\n"."""
    yield "\n" if element.tag == "br" else element.text or ""
    for child in element:
        yield from _text_with_breaks(child)
        yield child.tail or ""


def _span(cell: ET.Element, name: str) -> int:
    try:
        return max(1, int(cell.get(name, "1")))
    except ValueError:
        return 1


def _skip_covered(cells: list[str], covered: dict[int, int]) -> None:
    """A ^^ where a cell merged from a row above stands (mammoth leaves those cells
    out of the row), so that the cells after them stay in their own columns."""
    while len(cells) in covered:
        column = len(cells)
        covered[column] -= 1
        if not covered[column]:
            del covered[column]
        cells.append(Merged.UP)


def _inline(element: ET.Element, state: _State) -> str:
    """The element's text as Markdown: bold, italics, footnote markers, line breaks."""
    out: list[str] = [escape(element.text or "")]
    for child in element:
        out.append(_inline_child(child, state))
        out.append(escape(child.tail or ""))
    return "".join(out)


def _inline_child(child: ET.Element, state: _State) -> str:
    if child.tag == "br":
        return "\n"
    if child.tag == "img":
        return ""
    if child.tag == "sup":
        anchor = child.find("a")
        if anchor is not None and (anchor.get("href") or "").startswith(
                ("#footnote-", "#endnote-")):
            return state.footnotes.get(anchor.get("href", "#")[1:], "")
    inner = _inline(child, state)
    if child.tag == "a":
        return _link(inner, _plain(child), child.get("href") or "", state)
    if child.tag in ("strong", "b"):
        return _wrap(inner, "**")
    if child.tag in ("em", "i"):
        return _wrap(inner, "*")
    return inner


def _link(inner: str, text: str, href: str, state: _State) -> str:
    """A link to a web or mail address as a Markdown link, printed as its text and the
    address (the address is what a reader of paper can use); other links (to a
    place in the document, to a file) as their text. `inner` is the link's text as
    Markdown, `text` as the editor reads it (the note shows that: no backslashes).
    A HYPERLINK field's address comes from mammoth with the field's switches after it
    when it has any (`https://…" \\t "_blank`, `\\o "screen tip"`): the address is what
    stands before the first quote."""
    href = href.split('"', 1)[0].strip()
    if not inner.strip() or not printable_address(href) or any(c in href for c in "<> \n"):
        return inner
    state.draft.note("link", _("the link '{text}' → {address}: printed with its address")
                     .format(text=text.strip(), address=href), state.where())
    return f"[{inner}](<{href}>)"


def _wrap(inner: str, mark: str) -> str:
    """Emphasis marks hug the text: spaces stay outside, or the parser ignores them.
    So do the marks at its ends (问：, “社区好邻居”): Markdown closes `**` after a mark
    only before a space or a mark, and Chinese has no space (`**问：**您` prints its
    stars); the marks print the same outside."""
    stripped = inner.strip()
    if not stripped:
        return inner
    head = inner[: len(inner) - len(inner.lstrip())]
    tail = inner[len(inner.rstrip()):]
    start, end = 0, len(stripped)
    while start < end and _edge_mark(stripped, start):
        start += 1
    while end > start and _edge_mark(stripped, end - 1):
        end -= 1
    if start == end:  # marks only: bold or italic marks look the same
        return inner
    return (f"{head}{stripped[:start]}{mark}{stripped[start:end]}{mark}"
            f"{stripped[end:]}{tail}")


def _edge_mark(text: str, index: int) -> bool:
    """A punctuation mark that no Markdown escape or link ends in: not ASCII, or one of
    `, . : ; ! ?` not escaped (问: typed with the ASCII colon)."""
    char = text[index]
    if ord(char) <= 0x7F:
        return char in ",.:;!?" and not text[:index].endswith("\\")
    return unicodedata.category(char).startswith("P")
