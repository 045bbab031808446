"""Back issues as PDFs: the built sample imported back gives the same articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin_press.build.pipeline import build
from bulletin_press.intake.importer import import_sources
from bulletin_press.intake.pdf import read_pdf
from bulletin_press.manifest.load import load_issue

from .conftest import SAMPLE
from .test_cli import run

EMPTY = ("newsletter: 新泾通讯\npublisher: 长宁区新泾镇\n"
         "issue: {number: 2, volume: 246, date: 2023-02-10}\narticles: []\n")


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sample") / "2023-01.pdf"
    path.write_bytes(build(SAMPLE).pdf)
    return path


@pytest.mark.slow
def test_built_sample_imported_back_gives_the_same_articles(sample_pdf: Path,
                                                            tmp_path: Path) -> None:
    issue = tmp_path / "back"
    issue.mkdir()
    (issue / "issue.yaml").write_text(EMPTY, encoding="utf-8")
    result = import_sources([sample_pdf], issue)
    sample = load_issue(SAMPLE)
    imported = load_issue(issue)
    assert [imported.bodies[a.id] for a in imported.manifest.articles] == [
        sample.bodies[a.id] for a in sample.manifest.articles]

    def heads(articles: list) -> list:  # type: ignore[type-arg]
        return [(a.section, a.title, a.subtitle,
                 [(p.caption, p.credit) for p in a.photos]) for a in articles]

    assert heads(imported.manifest.articles) == heads(sample.manifest.articles)
    photos = [issue / p.file for a in imported.manifest.articles for p in a.photos]
    assert [p.read_bytes()[:2] for p in photos] == [b"\xff\xd8", b"\xff\xd8"]  # from the PDF
    # What was left out is said: masthead, contents, running heads, colophon.
    codes = [n.code for n in result.notes]
    assert codes.count("import.contents") == len(sample.manifest.articles)  # one an entry
    assert codes.count("import.furniture") >= 3
    assert "import.no-text" not in codes  # the masthead's 新泾通讯: import.masthead
    # The masthead's and colophon's small lines are said to be what they are, not
    # left for the editor to check one by one.
    told = {n.code: [m.message for m in result.notes if m.code == n.code]
            for n in result.notes}
    assert "import.small-text" not in told
    assert any("总第245期" in m for m in told["import.masthead"])
    assert any("准印证号" in m for m in told["import.masthead"])
    assert any("'新泾通讯' in large type" in m for m in told["import.masthead"])
    assert any("印数：3000份" in m for m in told["import.colophon"])
    assert all(n.severity.name == "INFO" for n in result.notes
               if n.code in ("import.masthead", "import.colophon"))


@pytest.mark.slow
def test_pdf_paragraphs_join_across_columns_and_pages(sample_pdf: Path) -> None:
    draft = read_pdf(sample_pdf)
    joins = [n for n in draft.notes if n.code == "import.joined"]
    assert [n.location.page for n in joins] == [2, 3, 4]  # continued on the next page
    assert all(n.location.line is None for n in draft.notes)  # PDFs are placed by page


def test_a_pdf_without_text_is_refused(tmp_path: Path) -> None:
    from PIL import Image

    scan = tmp_path / "扫描件.pdf"
    Image.new("RGB", (600, 800), "white").save(scan, "PDF")
    issue = tmp_path / "issue"
    issue.mkdir()
    (issue / "issue.yaml").write_text(EMPTY, encoding="utf-8")
    result = run("import", scan, "--into", issue)
    assert result.returncode == 1
    assert "扫描件.pdf" in result.stderr and "[import.no-text]" in result.stderr
    assert "OCR" in result.stderr


FOREIGN = [
    "仙霞社区第五届邻里节11月18日在虹桥河畔广场举行，三百余名居民带着自家拿手菜参加百家宴，"
    "社区书记李红梅说，邻里节已经成为社区最受欢迎的活动之一，今年新增了非遗手工和旧物交换"
    "两个项目，吸引了不少年轻家庭参与其中。",
    "活动现场，志愿者为老人提供免费理发、测血压等服务。家住虹桥路1号的张阿姨说：“每年都来，"
    "今年的菜比去年还多！”",
    "社区还借此机会征集居民对加装电梯、停车管理的意见建议，共收到书面建议86条，将在下月的"
    "居民议事会上逐条讨论并反馈。",
]


def test_a_pdf_made_elsewhere_one_column_block_paragraphs(tmp_path: Path) -> None:
    """Not our layout: one column, paragraphs set apart by space (no indent), a photo
    with its caption between them, a page number in the footer."""
    import base64
    import io

    from PIL import Image
    from weasyprint import HTML

    picture = io.BytesIO()
    Image.new("RGB", (1200, 800), (90, 140, 90)).save(picture, "JPEG")
    data = base64.b64encode(picture.getvalue()).decode()
    html = f"""<html><head><style>
    @page {{ size: A4; margin: 20mm; @bottom-center {{ content: "第 " counter(page) " 页";
             font-size: 8pt }} }}
    body {{ font-family: "Noto Serif CJK SC"; font-size: 11pt; line-height: 1.6 }}
    p {{ margin: 0 0 1em 0 }} h1 {{ font-size: 20pt; margin: 0 }}
    h2 {{ font-size: 14pt; font-weight: normal }} figure {{ margin: 0 0 1em 0 }}
    img {{ width: 100mm }} figcaption {{ font-size: 9pt }}
    </style></head><body><h1>仙霞社区举办第五届邻里节</h1><h2>三百余名居民参加 共话社区治理</h2>
    <p>{FOREIGN[0]}</p><figure><img src="data:image/jpeg;base64,{data}">
    <figcaption>图为居民在邻里节上表演沪剧（摄影 王小明）</figcaption></figure>
    <p>{FOREIGN[1]}</p><p>{FOREIGN[2]}</p></body></html>"""
    source = tmp_path / "邻里节.pdf"
    HTML(string=html).write_pdf(source)
    draft = read_pdf(source)
    [article] = draft.articles
    assert (article.title, article.subtitle) == ("仙霞社区举办第五届邻里节",
                                                 "三百余名居民参加 共话社区治理")
    assert article.blocks == FOREIGN
    [photo] = article.photos
    assert (photo.caption, photo.credit) == ("图为居民在邻里节上表演沪剧", "摄影 王小明")
    assert photo.data is not None and photo.data[:2] == b"\xff\xd8"
    assert "import.furniture" in [n.code for n in draft.notes]  # 第 1 页


NOTICE = [
    "为切实做好今冬明春火灾防控工作，镇政府决定于2026年12月1日至2027年1月31日在全镇范围内开展"
    "冬季消防安全集中检查。现将有关事项通知如下：",
    "全镇35个居民区、127栋高层住宅、沿街商铺及“三合一”场所，重点检查电动自行车充电、"
    "楼道堆物和消防通道占用情况。",
    "不能立即整改的，须在7个工作日内书面报告镇安全办（电话：021-62785432，"
    "邮箱：anquan_xinjing2026@163.com）。",
]


ITEMS = ["自查阶段：12月1日—12月15日，各居民区对照检查清单逐楼逐户排查电动自行车充电和"
         "楼道堆物情况，截止日期2026年12月15日",
         "集中检查阶段：12月16日—次年1月15日，镇安全办会同消防救援站对127栋高层住宅逐一检查"
         "（咨询电话021-62785432）"]


def test_a_pdf_s_bold_subheads_and_a_colophon_alone_on_its_page(tmp_path: Path) -> None:
    """Subheads in bold at the body's size (一、检查范围) were joined to the paragraph
    before them, a numbered item's second line (under its hanging indent) was a paragraph
    of its own, the signature's flush-right lines were joined to the item before; a
    colophon alone on the last page was left for the editor to check line by line."""
    from weasyprint import HTML

    html = f"""<html><head><style>
    @page {{ size: A4; margin: 20mm }}
    body {{ font-family: "Noto Serif CJK SC"; font-size: 11pt; line-height: 1.6 }}
    p {{ margin: 0; text-indent: 2em }} h1 {{ font-size: 20pt; margin: 0 0 1em }}
    h3 {{ font: bold 11pt "Noto Sans CJK SC"; margin: 0.8em 0 0 }}
    footer {{ page-break-before: always; font-size: 8pt }}
    </style></head><body><h1>关于开展2026年冬季消防安全集中检查的通知</h1>
    <p>{NOTICE[0]}</p><h3>一、检查范围</h3><p>{NOTICE[1]}</p><h3>二、工作要求</h3>
    <p>{NOTICE[2]}</p><ol><li>{ITEMS[0]}</li><li>{ITEMS[1]}</li></ol>
    <p style="text-align: right">新泾镇人民政府</p><p style="text-align: right">2026年11月25日</p>
    <footer><p>编辑：新泾通讯编辑部　地址：上海市长宁区新泾一村120号</p>
    <p>印刷：上海长宁印刷有限公司　印数：8000份</p><p>内部资料 免费赠阅</p></footer>
    </body></html>"""
    source = tmp_path / "消防检查.pdf"
    HTML(string=html).write_pdf(source)
    draft = read_pdf(source)
    [article] = draft.articles
    assert article.blocks == [NOTICE[0], "### 一、检查范围", NOTICE[1], "### 二、工作要求",
                              NOTICE[2].replace("_", "\\_"),  # Markdown: as typed
                              # each item one paragraph, its second line joined
                              *(f"{n}\\. {item}" for n, item in enumerate(ITEMS, 1))]
    # The 落款's lines (they were joined to the item) are the signature, as from Word.
    assert article.signature == {"issuer": "新泾镇人民政府", "date": "2026年11月25日"}
    assert article.kind == "notice"
    codes = [n.code for n in draft.notes]
    assert codes.count("import.subhead") == 2
    assert "import.small-text" not in codes
    assert codes.count("import.colophon") == 3


ACTIVITIES = [
    "新春佳节刚过，镇社区文化活动中心和各居民区活动室陆续恢复开放。本月起，文化活动中心推出"
    "“乐活新泾”系列公益课程，面向全镇居民免费开放，每期名额有限，请通过“新泾镇”微信公众号"
    "或现场报名，报名后请按时参加，活动当天请带好身份证。",
    "活动中心开放时间为每周二至周日9:00至20:30，每周一闭馆。为保障活动安全有序，参加活动的"
    "居民请提前十分钟到场，服从现场工作人员安排；六十五周岁以上的老人参加户外活动，建议由家属"
    "陪同。",
    "各居民区睦邻点今年将开设“四季课堂”，内容涵盖健康讲座、防诈宣传、书法绘画和亲子阅读等。"
    "现面向全镇征集志愿讲师和活动助理，有一技之长、热心社区公益的居民均可报名。志愿服务时长"
    "将计入“上海志愿者网”个人记录。",
]
SCHEDULE = [["日期", "时间", "活动", "地点", "报名方式"],
            ["2月11日", "9:30—11:00", "元宵灯谜会", "文化活动中心一楼大厅", "现场参加"],
            ["2月14日", "14:00—16:00", "智能手机使用课（第一期）", "新泾五村睦邻点",
             "公众号报名，限30人"],
            ["2月18日", "9:00—11:30", "沪剧票友会", "文化活动中心三楼剧场",
             "电话021-6238 5050"],
            # cells wrapped on two lines, one filling its column (no wide gap after it)
            ["2月25日至3月4日每周六", "8:30—11:30，13:30—16:30", "Python少儿编程体验课",
             "天山西路345号创客空间", "公众号报名，限20人"]]


def test_a_table_in_small_type_across_two_columns_is_read_in_its_place(
        tmp_path: Path) -> None:
    """The notices issue's page 4: two columns of text, a table in small type across the
    page, two columns again. The table's rows were split at the gutter into column
    lines, so nothing parted the bands: the right column above the table was read after
    the left column under it (「…面向」 / 「活动中心开放时间…」 / 「全镇居民免费开放…」), with
    no note, and the table's rows were left out one small-text warning each. A cell
    wrapped on two lines is one cell."""
    from weasyprint import HTML

    rows = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>"
                   for row in SCHEDULE)
    html = f"""<html><head><style>
    @page {{ size: A4; margin: 20mm }}
    body {{ font-family: "Noto Serif CJK SC"; font-size: 11pt; line-height: 1.6 }}
    p {{ margin: 0; text-indent: 2em }} h1 {{ font-size: 20pt; margin: 0 0 1em }}
    .cols {{ columns: 2; column-gap: 2em }}
    table {{ width: 100%; font: 9pt "Noto Sans CJK SC"; margin: 1em 0 }}
    td {{ padding: 2pt 4pt; vertical-align: top }} td:first-child {{ width: 5em }}
    td:nth-child(2) {{ width: 6em }}
    </style></head><body><h1>2月社区文化活动一览</h1>
    <div class="cols"><p>{ACTIVITIES[0]}</p></div><table>{rows}</table>
    <div class="cols"><p>{ACTIVITIES[1]}</p><p>{ACTIVITIES[2]}</p></div></body></html>"""
    source = tmp_path / "文化活动.pdf"
    HTML(string=html).write_pdf(source)
    draft = read_pdf(source)
    [article] = draft.articles
    table = "\n".join(["| 日期 | 时间 | 活动 | 地点 | 报名方式 |",
                       "| --- | --- | --- | --- | --- |",
                       *("| " + " | ".join(row) + " |" for row in SCHEDULE[1:])])
    assert article.blocks == [ACTIVITIES[0], table, ACTIVITIES[1], ACTIVITIES[2]]
    codes = [n.code for n in draft.notes]
    assert "import.small-text" not in codes
    assert "import.table" in codes


VISITS = [
    "在新泾五村，镇党委书记来到92岁老党员周阿婆家中，与她拉家常、问冷暖。周阿婆拉着大家的"
    "手说：",
    "我在新泾住了六十多年，从泥路走到地铁通到家门口，党和政府一直惦记着我们老百姓。今年过年，"
    "心里特别暖。",
    "走访中，镇领导详细了解老人的身体状况和生活需求，叮嘱社区工作人员常上门看看。",
    "问：您为什么选择住在新泾社区呢？",  # exactly a line long, then an indented answer
    "答：离公司近，地铁2号线很方便。更重要的是邻居们很热情。",
]
TIPS = "防范诈骗：凡是自称“公检法”要求转账的都是诈骗！如有疑问请拨打反诈专线96110，或下载" \
    "国家反诈中心（www.gov.cn/fzzx）APP。"


def test_a_quote_set_in_is_one_paragraph(tmp_path: Path) -> None:
    """The notices issue's page 2, built and imported back: every line of a quote (set
    in behind a rule, so each stands in from the column's edge) and of a list item in a
    box was a paragraph of its own (「…从泥路走到地铁通到」 / 「家门口，党和政府…」). A question
    exactly a line long and its indented answer stay two paragraphs (the interview in
    the outside tester's issue: 「问：…？答：…」 was one)."""
    from weasyprint import HTML

    html = f"""<html><head><style>
    @page {{ size: A4; margin: 20mm 318.59pt 20mm 20mm }}  /* a measure of 18 em */
    body {{ font-family: "Noto Serif CJK SC"; font-size: 11pt; line-height: 1.6 }}
    p {{ margin: 0; text-indent: 2em }} h1 {{ font-size: 20pt; margin: 0 0 1em }}
    blockquote {{ margin: 0 0 0 2em; padding-left: 1em; border-left: 2pt solid gray }}
    blockquote p {{ text-indent: 0 }}
    ul {{ margin: 0; padding-left: 3em }}
    </style></head><body><h1>暖心走访到家门</h1>
    <p>{VISITS[0]}</p><blockquote><p>{VISITS[1]}</p></blockquote><p>{VISITS[2]}</p>
    <p>{VISITS[3]}</p><p>{VISITS[4]}</p><ul><li>{TIPS}</li></ul></body></html>"""
    source = tmp_path / "走访.pdf"
    HTML(string=html).write_pdf(source)
    [article] = read_pdf(source).articles
    assert article.blocks == [*VISITS, f"- {TIPS}"]


def test_a_notice_s_two_issuers_stay_two_lines(tmp_path: Path) -> None:
    """The notices issue's 停水通知, built and imported back: its second issuer line,
    上海城投水务（集团）有限公司供水分公司, is longer than a third of the measure, so it was
    not taken for a flush-right line and was joined to the first: one issuer,
    新泾镇人民政府上海城投水务（集团）有限公司供水分公司."""
    from weasyprint import HTML

    issuers = ["新泾镇人民政府", "上海城投水务（集团）有限公司供水分公司"]
    html = f"""<html><head><style>
    @page {{ size: A4; margin: 20mm }}
    body {{ font-family: "Noto Serif CJK SC"; font-size: 10.5pt; line-height: 1.6 }}
    p {{ margin: 0; text-indent: 2em }} h1 {{ font-size: 20pt; margin: 0 0 1em }}
    p.right {{ text-align: right; text-indent: 0 }}
    </style></head><body><h1>关于天山西路沿线小区临时停水的通知</h1>
    <p>{NOTICE[0]}</p><p>{NOTICE[1]}</p>
    <p class="right">{issuers[0]}</p><p class="right">{issuers[1]}</p>
    <p class="right">2023年2月10日</p></body></html>"""
    source = tmp_path / "停水通知.pdf"
    HTML(string=html).write_pdf(source)
    [article] = read_pdf(source).articles
    assert article.blocks == NOTICE[:2]
    assert article.signature == {"issuer": issuers, "date": "2023年2月10日"}
    assert article.kind == "notice"


def test_captions_with_credits_under_cropped_photos(tmp_path: Path) -> None:
    """The photo story of the outside tester's issue, built and imported back: portrait
    phone photos cropped to landscape boxes, each with its caption and the credit on a
    line under it. A cropped picture's drawn box reaches past what its clip shows, so
    the credit under the first caption was taken for the second photo's caption, whose
    own caption was left out; the other credits were left out one warning each."""
    import base64
    import io

    from PIL import Image
    from weasyprint import HTML

    def portrait(colour: tuple[int, int, int]) -> str:
        data = io.BytesIO()
        Image.new("RGB", (900, 1200), colour).save(data, "JPEG")
        return base64.b64encode(data.getvalue()).decode()

    captions = ["10月 “新泾之声”合唱团排练国庆节目", "12月 绿道夜景，太阳能路灯亮起来了"]
    figures = "".join(
        f'<figure><img src="data:image/jpeg;base64,{portrait(colour)}">'
        f"<p class=cap>{caption}</p><p class=credit>（摄影 陈立 张晓雯）</p></figure>"
        for caption, colour in zip(captions, [(90, 120, 170), (150, 90, 150)], strict=True))
    html = f"""<html><head><style>
    @page {{ size: A4; margin: 20mm }}
    body {{ font-family: "Noto Serif CJK SC"; font-size: 10.5pt; line-height: 1.6 }}
    p {{ margin: 0; text-indent: 2em }} h1 {{ font-size: 20pt; margin: 0 0 1em }}
    figure {{ margin: 0 0 1em; width: 80mm }}
    img {{ width: 80mm; height: 50mm; object-fit: cover; display: block }}
    p.cap {{ font-size: 9pt; text-indent: 0; text-align: center }}
    p.credit {{ font-size: 8pt; text-indent: 0; text-align: center }}
    </style></head><body><h1>镜头里的新泾2026</h1>
    <p>{FOREIGN[0]}</p>{figures}</body></html>"""
    source = tmp_path / "镜头.pdf"
    HTML(string=html).write_pdf(source)
    draft = read_pdf(source)
    [article] = draft.articles
    assert [(p.caption, p.credit) for p in article.photos] == \
        [(caption, "摄影 陈立 张晓雯") for caption in captions]
    assert "import.small-text" not in [n.code for n in draft.notes]




MENU = [("红烧狮子头", "2只", "￥12.50"), ("糖醋小排", "150克", "￥15.00"),
        ("清炒鸡毛菜", "1份", "￥4.50"), ("八宝鸭（半只）", "约600克", "￥68.00"),
        ("荠菜肉馄饨", "10只", "9.5元")]
CANTEEN = "春节期间（2月5日至2月13日），新泾镇社区食堂（天山西路799号）照常营业，每天" \
    "11:00—13:00、17:00—19:00供应午餐和晚餐。除夕当天推出年夜饭套餐，欢迎居民预订，" \
    "预订电话021-62195566。"
COUPLET = "我写春联写了五十多年。小时候在乡下，过年前父亲总要裁好红纸，研好墨，一笔一划地写。"


def test_a_table_split_at_a_column_s_foot_is_one_table_again() -> None:
    """A 春节 issue imported back: the canteen's menu, split at the foot of a column and
    going on in the next one under its header repeated, came back as two tables, the
    second with the header again (and, between them, nothing but the column's break)."""
    from bulletin_press.diagnostics import Location
    from bulletin_press.intake.backissue import Piece
    from bulletin_press.intake.draft import Draft
    from bulletin_press.intake.markdown import pipe_table
    from bulletin_press.intake.pdf import _tables_rejoined

    head = ["菜品", "份量", "价格"]
    page2, page3 = Location(Path("2027-02.pdf"), page=2), Location(Path("2027-02.pdf"), page=3)
    pieces = [Piece(CANTEEN, page2),
              Piece(pipe_table([head, *map(list, MENU[:1])]), page2, "table"),
              Piece(pipe_table([head, *map(list, MENU[1:])]), page3, "table"),
              Piece(pipe_table([["线路", "起讫站"], ["57路", "新泾六村—虹桥枢纽"]]), page3,
                    "table")]
    draft = Draft(Path("2027-02.pdf"))
    joined = _tables_rejoined(pieces, draft)
    assert [p.text for p in joined] == [CANTEEN, pipe_table([head, *map(list, MENU)]),
                                        pieces[3].text]  # another table stays apart
    [note] = [n for n in draft.notes if n.code == "import.table-rejoined"]
    assert note.location.page == 3


def test_a_contributor_s_line_under_a_headline_is_the_byline(tmp_path: Path) -> None:
    """「新泾五村居民 陆志明（72岁）」 in small type under the headline (how our layout sets
    a byline) was left out, a warning "in small type, not a caption": only 文/…, 通讯员 …
    lines were bylines in a PDF, while a Word file's line of that kind was."""
    from weasyprint import HTML

    html = f"""<html><head><style>
    @page {{ size: A4; margin: 20mm }}
    body {{ font-family: "Noto Serif CJK SC"; font-size: 11pt; line-height: 1.6 }}
    p {{ margin: 0; text-indent: 2em }} h1 {{ font-size: 20pt; margin: 1em 0 0 }}
    .by {{ font-size: 8pt; text-indent: 0; text-align: center; margin: 0 0 1em }}
    </style></head><body><h1>社区食堂春节不打烊 年夜饭套餐开始预订</h1><p>{CANTEEN}</p>
    <h1>一副春联 一份乡情</h1><p class="by">新泾五村居民 陆志明（72岁）</p><p>{COUPLET}</p>
    </body></html>"""
    source = tmp_path / "2027-02.pdf"
    HTML(string=html).write_pdf(source)
    draft = read_pdf(source)
    canteen, couplet = draft.articles
    assert (canteen.byline, canteen.blocks) == (None, [CANTEEN])
    assert (couplet.byline, couplet.blocks) == ("新泾五村居民 陆志明（72岁）", [COUPLET])
    assert "import.small-text" not in [n.code for n in draft.notes]


def test_the_office_in_small_type_under_a_headline_is_the_byline(tmp_path: Path) -> None:
    """A back issue made by a print shop (newcomer s15): 「长风四村居委会」, the office that
    sent the story, in small type centred under its headline, was left out with a
    warning "in small type, not a caption", while 「通讯员　顾佳怡」 under the headline
    before it was the byline, and the same office's line under a title in a Word or
    text file is the byline too."""
    from weasyprint import HTML

    html = f"""<html><head><style>
    @page {{ size: A4; margin: 20mm }}
    body {{ font-family: "Noto Serif CJK SC"; font-size: 10.5pt; line-height: 1.7 }}
    p {{ margin: 0; text-indent: 2em }} h1 {{ font-size: 18pt; margin: 1em 0 0 }}
    .by {{ font-size: 9pt; text-indent: 0; text-align: center; margin: 0 0 1em }}
    </style></head><body><h1>“家门口”预约挂号 老人看病少跑腿</h1>
    <p class="by">通讯员　顾佳怡</p><p>{CANTEEN}</p>
    <h1>垃圾分类“小管家”上岗</h1><p class="by">长风四村居委会</p><p>{COUPLET}</p>
    </body></html>"""
    source = tmp_path / "2026-12.pdf"
    HTML(string=html).write_pdf(source)
    draft = read_pdf(source)
    clinic, sorting = draft.articles
    assert (clinic.byline, clinic.blocks) == ("通讯员 顾佳怡", [CANTEEN])
    assert (sorting.byline, sorting.blocks) == ("长风四村居委会", [COUPLET])
    assert "import.small-text" not in [n.code for n in draft.notes]


def test_a_print_shop_s_masthead_name_is_the_masthead(tmp_path: Path) -> None:
    """A back issue made by a print shop (newcomer s15): 「长风社区」 in large red type heads
    page 1, its small line (主办, 期号, 内部资料) under it. The small line was told as the
    masthead's, but the name was a warning to check, "has no text under it: left out
    (a masthead or a contents heading?)"."""
    from weasyprint import HTML

    html = f"""<html><head><style>
    @page {{ size: A4; margin: 20mm }}
    body {{ font-family: "Noto Serif CJK SC"; font-size: 10.5pt; line-height: 1.7 }}
    p {{ margin: 0; text-indent: 2em }} h1 {{ font-size: 18pt; margin: 1em 0 0 }}
    .mast {{ font-size: 40pt; text-align: center; color: #b00; margin: 0 }}
    .small {{ font-size: 8pt; text-align: center; text-indent: 0 }}
    </style></head><body><p class="mast">长风社区</p>
    <p class="small">普陀区长风新村街道主办　2026年12月28日　第12期（总第231期）　内部资料</p>
    <h1>“家门口”预约挂号 老人看病少跑腿</h1><p>{CANTEEN}</p>
    <h1>一副春联 一份乡情</h1><p>{COUPLET}</p>
    </body></html>"""
    source = tmp_path / "2026-12.pdf"
    HTML(string=html).write_pdf(source)
    draft = read_pdf(source)
    assert [a.title for a in draft.articles] == ["“家门口”预约挂号 老人看病少跑腿",
                                                 "一副春联 一份乡情"]
    told = {n.code: n for n in draft.notes if "长风社区" in n.message}
    assert list(told) == ["import.masthead"]
    assert told["import.masthead"].severity.name == "INFO"
    assert "import.no-text" not in [n.code for n in draft.notes]


def test_a_picture_without_a_caption_under_it_is_a_photo_to_caption(tmp_path: Path) -> None:
    """A back issue's photo whose caption the layout put elsewhere (the outside tester's
    June issue: the caption went to the top of the next column) or that had none was
    dropped without a word: "0 photos". It is a photo now, its caption 图片说明待补 to
    write (warning import.no-caption, naming the picture and its size), in its place in
    the text; an icon stays out, with a note."""
    import base64
    import io

    from PIL import Image
    from weasyprint import HTML

    def jpeg(size: tuple[int, int], colour: tuple[int, int, int]) -> str:
        data = io.BytesIO()
        Image.new("RGB", size, colour).save(data, "JPEG")
        return base64.b64encode(data.getvalue()).decode()

    first = ("6月15日，新泾镇“美丽家园”老旧小区综合改造工程在新泾五村正式开工。本次改造涉及"
             "新泾五村、新泾七村共46幢住宅、2,860户居民，总投资约1.2亿元。")
    second = ("镇房管办负责人介绍，施工期间每个小区设立“临时议事点”，居民如有意见建议，"
              "可拨打监督电话021-6238 3321，或发送邮件至mjjy@xinjing.gov.cn。")
    photo = jpeg((1600, 1200), (90, 120, 170))
    band = jpeg((1700, 160), (180, 30, 30))  # a running head's red band, in the margin
    html = f"""<html><head><style>
    @page {{ size: A4; margin: 20mm }}
    body {{ font-family: "Noto Serif CJK SC"; font-size: 10.5pt; line-height: 1.6 }}
    p {{ margin: 0 0 1em; text-indent: 2em }} h1 {{ font-size: 20pt; margin: 0 0 1em }}
    img.photo {{ width: 80mm; height: 60mm; display: block; margin: 0 0 1em }}
    img.icon {{ width: 6mm; height: 6mm }}
    img.band {{ position: absolute; top: -19mm; left: 0; width: 170mm; height: 12mm }}
    </style></head><body><img class=band src="data:image/jpeg;base64,{band}">
    <h1>老旧小区综合改造开工</h1>
    <p>{first}</p><img class=photo src="data:image/jpeg;base64,{photo}">
    <p><img class=icon src="data:image/jpeg;base64,{jpeg((60, 60), (200, 0, 0))}">{second}</p>
    </body></html>"""
    source = tmp_path / "2026-06.pdf"
    HTML(string=html).write_pdf(source)
    draft = read_pdf(source)
    [article] = draft.articles
    assert [p.caption for p in article.photos] == ["图片说明待补"]
    assert article.photos[0].data is not None
    assert len(article.blocks) == 2 and article.blocks[0].startswith("6月15日")
    [told] = [n for n in draft.notes if n.code == "import.no-caption"]
    assert "picture 1 on page 1 (80×60 mm)" in told.message
    assert "import.small-picture" in [n.code for n in draft.notes]
    assert any(n.code == "import.furniture" and "picture" in n.message for n in draft.notes)


SORTING = [("类别", "投放时间", "投放地点"),
           ("湿垃圾", "7:00—9:00、18:00—20:00", "各小区定时定点投放点"),
           ("干垃圾", "同上", "同上"),
           ("可回收物", "每周六9:00—11:00", "居委会门口“两网融合”回收点"),
           ("有害垃圾", "随时", "误时投放点红色桶")]


def _two_columns(height_mm: int) -> str:
    """A back issue's page of another HTML than ours: A4, two columns of `height_mm`."""
    return ("@page { size: A4; margin: 18mm 15mm } "
            'body { font: 10.5pt/1.7 "Noto Serif CJK SC" } '
            'h1 { font: bold 18pt "Noto Sans CJK SC"; text-align: center } '
            f".cols {{ columns: 2; column-gap: 8mm; height: {height_mm}mm; column-fill: auto }} "
            "p { text-indent: 2em; margin: 0 }")


@pytest.mark.parametrize("split", [False, True])
def test_a_ruled_table_in_a_narrow_column_keeps_its_rows_and_cells(tmp_path: Path,
                                                                   split: bool) -> None:
    """The outside tester's June back issue: a table ruled around every cell, in small
    type in one column, its cells wrapped (「7:00—9:00、18:00—」 / 「20:00」, 「可回收」 /
    「物」). Read line by line, its header was left out as small text and the rows ran
    into each other (| 可回收每周六9:00—11:00 | 居委会门口“两网融合”回 |, | 物有害垃 | 收点 |,
    有害垃圾 lost). Read by its rules, each cell is whole. Split at the column's foot
    after its header (`split`), the rows in the next column: one table."""
    from weasyprint import HTML

    rows = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in SORTING)
    before = ("为进一步提升生活垃圾分类实效，6月起，新泾镇在全镇32个居民区推行“定时定点+误时投放”"
              "模式，其余时间居民可将垃圾投放至各小区的误时投放点。")
    after = ("镇绿化市容所提醒，大件垃圾和装修垃圾须预约清运，预约电话021-6238 4455；居民也可"
             "通过“随申办”App“垃圾分类”专栏预约上门回收，或到居委会登记。")
    # Split: room for the header row alone at the column's foot (a picture's space).
    spacer = '<div style="height: 205mm"></div>' if split else ""
    html = f"""<html><head><style>{_two_columns(240)}
    table {{ width: 100%; border-collapse: collapse; font: 8.5pt "Noto Sans CJK SC" }}
    td {{ border: .5pt solid #555; padding: 1mm }}
    </style></head><body><h1>垃圾分类推行“定时定点+误时投放”</h1>
    <div class="cols"><p>{before}</p>{spacer}<table>{rows}</table>
    <p>{after}</p></div></body></html>"""
    source = tmp_path / "2026-06.pdf"
    HTML(string=html).write_pdf(source)
    draft = read_pdf(source)
    [article] = draft.articles
    [table] = [b for b in article.blocks if b.startswith("|")]
    assert table.split("\n") == [
        "| 类别 | 投放时间 | 投放地点 |", "| --- | --- | --- |",
        *("| " + " | ".join(row) + " |" for row in SORTING[1:])]
    codes = [n.code for n in draft.notes]
    assert "import.small-text" not in codes
    assert ("import.table-rejoined" in codes) == split


@pytest.mark.slow
def test_the_notices_example_imported_back_keeps_its_tables_headers(tmp_path: Path) -> None:
    """issues/2023-02-notices built and imported back (the outside tester, session 12):
    the 停水 table's header 日期 停水时间 影响范围 ends before the page's middle, over
    rows that reach past it, so it was read as a left-column line after them and left
    out as small text, the first row taken for the header; the 活动 table's header parts
    日期 and 时间 where its rows (2月11日9:30—11:00) do not, so it was no row of the
    table and was left out too. Both headers are the tables' first rows now."""
    source = tmp_path / "2023-02-notices.pdf"
    source.write_bytes(build(SAMPLE.parent / "2023-02-notices").pdf)
    draft = read_pdf(source)
    tables = [block for article in draft.articles for block in article.blocks
              if block.startswith("|")]
    heads = [table.split("\n")[0] for table in tables]
    assert "| 日期 | 停水时间 | 影响范围 |" in heads
    assert "| 日期时间 | 活动 | 地点 | 报名方式 |" in heads
    assert "| 服务 | 电话 |" in heads
    assert not [n for n in draft.notes if n.code == "import.small-text"
                and ("日期" in n.message or "服务" in n.message)]


def test_a_caption_carried_to_the_next_column_s_top_is_the_photo_s(tmp_path: Path) -> None:
    """The outside tester's June back issue: the photo ends the left column and its
    caption 「新泾五村改造工程开工现场（摄影 陆文杰）」 stands at the top of the right one,
    where the layout carried it. It was left out as small text (and, before, the photo
    with it); it is the photo's caption and credit now."""
    import base64
    import io

    from PIL import Image
    from weasyprint import HTML

    data = io.BytesIO()
    Image.new("RGB", (1600, 1200), (90, 120, 170)).save(data, "JPEG")
    photo = base64.b64encode(data.getvalue()).decode()
    first = ("6月15日，新泾镇“美丽家园”老旧小区综合改造工程在新泾五村正式开工。本次改造涉及"
             "新泾五村、新泾七村共46幢住宅、2,860户居民，总投资约1.2亿元。")
    second = ("“我家住顶楼，一到梅雨天屋顶就漏水，脸盆、水桶都用上了。”新泾五村32号的居民"
              "赵国庆说，“这次终于轮到我们了，希望施工队把防水做扎实。”镇房管办负责人介绍，"
              "施工期间每个小区设立“临时议事点”，每周碰头一次。")
    html = f"""<html><head><style>{_two_columns(200)}
    img {{ width: 100%; height: 150mm; display: block; margin-top: 5mm }}
    .cap {{ font: 8pt "Noto Sans CJK SC"; text-align: center; text-indent: 0;
            break-before: column }}
    </style></head><body><h1>老旧小区综合改造开工 2860户居民受益</h1>
    <div class="cols"><p>{first}</p><img src="data:image/jpeg;base64,{photo}">
    <p class="cap">新泾五村改造工程开工现场（摄影 陆文杰）</p><p>{second}</p></div>
    </body></html>"""
    source = tmp_path / "2026-06.pdf"
    HTML(string=html).write_pdf(source)
    draft = read_pdf(source)
    [article] = draft.articles
    assert [(p.caption, p.credit) for p in article.photos] == [
        ("新泾五村改造工程开工现场", "摄影 陆文杰")]
    assert article.photos[0].data is not None
    codes = [n.code for n in draft.notes]
    assert "import.small-text" not in codes and "import.no-caption" not in codes
