"""The issue manifest (`issue.yaml`), contract v1.

These models are the single definition of the manifest: validation, the JSON
Schema printed by `bulletin-press schema`, and the field documentation in
docs/manifest.md all come from here.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from bulletin_press.i18n import N_, _

# Every text field has a limit (docs/manifest.md, "Limits"): far above what a page
# can hold, so only a mistake (a pasted document) reaches it; it is reported by
# `validate` instead of keeping the typesetter busy for minutes.
SHORT, NAME, LINE, PASSAGE, PATH, BODY = 20, 40, 100, 300, 255, 50_000
# A newsletter's name: 40 characters fit the masthead on three lines (layout/masthead.py).
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=NAME)]
Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                         max_length=SHORT)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=LINE)]
Passage = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                           max_length=PASSAGE)]
PathText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                            max_length=PATH)]
Body = Annotated[str, StringConstraints(max_length=BODY)]
# Letters (Chinese too) and digits, '-' and '_': no spaces, no '/' (ids name anchors).
Slug = Annotated[str, StringConstraints(pattern=r"^[\w-]+$", max_length=64)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class IssueInfo(_Model):
    number: int = Field(ge=1, description=N_("期号: the number of this issue within its year"))
    volume: int | None = Field(default=None, ge=1, description=N_("总期号: running issue count"))
    date: dt.date = Field(description=N_("publication date, YYYY-MM-DD"))


class QrCode(_Model):
    """A QR code printed as vector art, with its caption."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"url": "https://www.example.gov.cn/notice/2023-0215.html",
         "caption": "扫码查看停水最新进展"}]})

    url: Passage = Field(description=N_("the web address the code opens (https://…), at most "
                                        "300 characters: a longer one prints too dense to scan"))
    caption: Line | None = Field(default=None,
                                 description=N_("printed beside the code, e.g. 扫码关注公众号"))

    @field_validator("url")
    @classmethod
    def _web_address(cls, url: str) -> str:
        if not url.lower().startswith(("https://", "http://")) or any(c.isspace() for c in url):
            raise ValueError(_("a QR code's url is a web address starting with https://, "
                               "without spaces"))
        return url


class Signature(_Model):
    """A notice's closing lines (落款), set flush right under its text."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"issuer": ["新泾镇人民政府", "新泾镇自来水管理所"], "date": "2023-02-10"}]})

    issuer: Line | list[Line] = Field(
        description=N_("who issues the notice; a list gives one line each"))
    date: dt.date | Line | None = Field(
        default=None, description=N_("the date under the issuer: YYYY-MM-DD (printed "
                                     "2023年2月10日) or text as it should print"))


class Colophon(_Model):
    office: Line | None = Field(default=None, description=N_("编辑部: the editorial office"))
    address: Passage | None = Field(default=None, description=N_("address (地址)"))
    postcode: Short | None = Field(default=None, description=N_("postcode (邮编)"))
    phone: Line | None = Field(default=None, description=N_("phone (电话)"))
    email: Line | None = Field(default=None, description=N_("email (电子邮箱)"))
    printer: Line | None = Field(default=None, description=N_("印刷: the print shop"))
    copies: int | None = Field(default=None, ge=1, description=N_("copies printed (印数)"))
    note: Passage | None = Field(default=None,
                                 description=N_("a closing line, e.g. 内部资料 免费赠阅"))
    qr: QrCode | None = Field(default=None,
                              description=N_("a QR code in the colophon, e.g. the WeChat account"))
    position: Literal["foot", "after-text"] = Field(
        default="foot", description=N_("foot: at the foot of the last page, under its text; "
                                       "after-text: right after the last article"))


# The text normalisation rules (normalise.py), each can be switched off per article.
RuleName = Literal["controls", "line-breaks", "spaces", "punctuation", "full-stop",
                   "open-paren", "ellipsis", "currency", "dashes", "quotes", "han-spaces",
                   "breaks"]

# story: set in the columns; notice (通知/公告): ruled, title centred, signed;
# box: a tinted sidebar in one column (温馨提示, 便民电话).
ArticleKind = Literal["story", "notice", "box"]

Placement = Literal["top", "bottom", "inline", "full-width", "full-bleed"]


class Photo(_Model):
    file: PathText = Field(description=N_("image path relative to the issue folder (JPEG or PNG)"))
    caption: Passage = Field(description=N_("图片说明, printed under the photo"))
    credit: Line | None = Field(default=None, description=N_("摄影 / source, after the caption"))
    alt: Passage | None = Field(
        default=None, description=N_("description for screen readers; defaults to the caption"))
    placement: Placement = Field(
        default="top",
        description=N_("top: head of the first column; bottom: end of the article; "
                    "inline: after paragraph `after_paragraph`; full-width: across both "
                    "columns under the headline; full-bleed: under the headline across the "
                    "whole page into the bleed, edge to edge"))
    after_paragraph: int | None = Field(
        default=None, ge=1, description=N_("with placement inline: the paragraph it follows "
                                        "(1 = first); default: the middle of the article"))


class ArticleLayout(_Model):
    start: Literal["continue", "new-column", "new-page", "new-page-always"] = Field(
        default="continue",
        description=N_("continue: right after the previous article; new-column: at the top of "
                    "the next column; new-page: on a new page, or right after the previous "
                    "article when the page before would otherwise end half empty (the build "
                    "says so); new-page-always: on a new page even then (the space stays "
                    "empty and is warned about)"))
    headline: Literal["span", "column"] = Field(
        default="span", description=N_("span: headline across both columns; column: in the column"))
    continue_on: int | None = Field(
        default=None, ge=2,
        description=N_("jump: the page the article continues on. What fits on the page it "
                       "starts on ends with （下转第N版）; the rest follows the articles before "
                       "page N, under its headline repeated with （上接第M版）"))


class Article(_Model):
    id: Slug = Field(description=N_("unique id: letters (Chinese too), digits and '-'; no "
                                    "spaces or '/'"))
    kind: ArticleKind = Field(
        default="story",
        description=N_("story: a feature in the columns; notice: 通知/公告 in a ruled frame "
                       "across the page (or in one column with start: new-column), title "
                       "centred, salutation flush left, signature flush right; box: a tinted "
                       "sidebar in one column of the article before it (温馨提示, 便民电话)"))
    section: Short | None = Field(default=None, description=N_("栏目 kicker above the headline"))
    title: Line = Field(description=N_("headline"))
    subtitle: Line | None = Field(default=None, description=N_("subheadline (副题)"))
    byline: Line | None = Field(default=None, description=N_("e.g. 通讯员 张三"))
    body: Body | None = Field(
        default=None,
        description=N_("Markdown: paragraphs, **bold**, *emphasis*, ### subheads, lists (nested), "
                       "| tables |, > quotes, [links](https://…), --- rules"))
    body_file: PathText | None = Field(default=None,
                                   description=N_("a Markdown file in the issue folder, "
                                               "instead of body"))
    photos: list[Photo] = Field(default_factory=list)
    layout: ArticleLayout = Field(default_factory=ArticleLayout)
    normalise: dict[RuleName, bool] = Field(
        default_factory=dict,
        description=N_("switch text normalisation rules off for this article, e.g. "
                    "{quotes: false}; see docs/manifest.md"))
    signature: Signature | None = Field(
        default=None, description=N_("落款: issuer and date, right-aligned at the end (notices)"))
    qr: QrCode | None = Field(default=None, description=N_("a QR code at the end of the article"))
    # Exactly one of body/body_file is checked in load.py, beside the other errors.


class Publication(_Model):
    """What kind of publication the issue is. An internal one (内部资料性出版物) is
    held to the rules of 《内部资料性出版物管理办法》 (see docs/publication.md)."""

    kind: Literal["internal", "public"] = Field(
        default="public",
        description=N_("internal: 内部资料, printed under a permit (内部资料准印证) and checked "
                       "against its rules; public: a registered newspaper or periodical, not "
                       "held to them"))
    permit: Line | None = Field(
        default=None, description=N_("准印证号: the permit number, printed in full on the cover"))
    issuer: Line | None = Field(default=None, description=N_("编印单位: the editing body"))
    audience: Passage | None = Field(default=None, description=N_("发送对象: who it is sent to"))
    printer: Line | None = Field(default=None, description=N_("印刷单位: the print shop"))
    copies: int | None = Field(default=None, ge=1, description=N_("印数: copies printed"))
    print_date: dt.date | None = Field(
        default=None, description=N_("印刷日期, YYYY-MM-DD; default: the issue date"))


class Manifest(_Model):
    newsletter: Name = Field(description=N_("masthead title (报头)"))
    publisher: Line = Field(description=N_("主办 line"))
    issue: IssueInfo
    layout: PathText = Field(default="two-column", description=N_("a folder under layouts/"))
    pages: int | None = Field(default=None, ge=1,
                              description=N_("planned page count: the build fills exactly "
                                             "these pages when the text is within a third of "
                                             "a page of them, else it says what to cut or add "
                                             "per article"))
    colophon: Colophon = Field(default_factory=Colophon)
    publication: Publication | None = Field(
        default=None, description=N_("internal publications (内部资料): permit and the items "
                                     "the rules require; see docs/publication.md"))
    articles: list[Article] = Field(min_length=1)


def json_schema() -> dict[str, object]:
    """The JSON Schema of issue.yaml, its descriptions in the current language."""
    schema: dict[str, object] = _translated(Manifest.model_json_schema())
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = _("bulletin_press issue manifest (v1)")
    return schema


def _translated(node: Any) -> Any:
    if isinstance(node, dict):
        return {key: _(value) if key == "description" and isinstance(value, str)
                else _translated(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_translated(item) for item in node]
    return node


def field_names() -> frozenset[str]:
    """Every field name of the manifest, at any depth."""
    models: list[type[BaseModel]] = [Manifest, IssueInfo, Colophon, Photo, ArticleLayout,
                                     Article]
    return frozenset(name for model in models for name in model.model_fields)
