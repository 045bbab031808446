"""Back issues from their extracted text: the seed, and the rules one by one."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from bulletin_press.diagnostics import Severity
from bulletin_press.intake.backissue import join_lines, split_credit
from bulletin_press.intake.draft import Draft
from bulletin_press.intake.importer import import_sources, read_source
from bulletin_press.intake.text import read_text
from bulletin_press.manifest.load import load_issue

from .conftest import FIXTURES, SAMPLE

SEED = FIXTURES / "seed-2023-01.txt"
# The one fix the seed's notes point to (docs/import.md).
FIX = ("目标 and 主要任务", "目标和主要任务")


def read(text: str, name: str = "back.txt") -> Draft:
    return read_text(text, Path(name))


def codes(draft: Draft) -> list[str]:
    return [n.code for n in draft.notes]


def test_seed_gives_two_articles_of_whole_paragraphs() -> None:
    draft = read_text(SEED.read_text(encoding="utf-8"), SEED)
    sample = load_issue(SAMPLE)
    back_issue = sample.manifest.articles[:2]  # the other two are written for the sample
    assert [a.title for a in draft.articles] == [a.title for a in back_issue]
    assert [a.subtitle for a in draft.articles] == [a.subtitle for a in back_issue]
    paragraphs = [a.blocks for a in draft.articles]
    # 15 paragraphs (6 + 9) under 2 titles and 2 subtitles: 19 blocks of text.
    assert [len(p) for p in paragraphs] == [6, 9]
    expected = [sample.bodies[a.id].strip().split("\n\n") for a in back_issue]
    fixed = [[p.replace(*FIX) for p in ps] for ps in paragraphs]
    assert fixed == expected  # each paragraph whole: joined across the page breaks
    # A paragraph that starts with a short line ("会议指出，2023年要努力在") is text.
    assert any(p.startswith("会议指出，2023年要努力在发挥镇人大组织优势") for p in paragraphs[1])


def test_seed_captions_become_photo_captions_with_placeholders() -> None:
    draft = read_text(SEED.read_text(encoding="utf-8"), SEED)
    photos = [[(p.caption, p.data) for p in a.photos] for a in draft.articles]
    assert photos == [[("新泾镇第十六届党员代表大会第二次会议", None)],
                      [("新泾镇第二十届人民代表大会第二次会议", None)]]
    captions = [n for n in draft.notes if n.code == "import.caption"]
    assert [n.location.line for n in captions] == [15, 43]


def test_seed_has_one_note_for_the_english_word_and_never_changes_it() -> None:
    draft = read_text(SEED.read_text(encoding="utf-8"), SEED)
    latin = [n for n in draft.notes if n.code == "import.latin-in-han"]
    assert len(latin) == 1
    note = latin[0]
    assert "'and'" in note.message and note.severity is Severity.WARNING
    line = SEED.read_text(encoding="utf-8").splitlines()[note.location.line - 1]
    assert line[note.location.column - 1:].startswith(" and 主要任务")  # where it stands
    assert "目标 and 主要任务" in draft.articles[0].blocks[1]  # left as it was


def test_seed_notes_every_join_with_its_line() -> None:
    draft = read_text(SEED.read_text(encoding="utf-8"), SEED)
    joins = [n for n in draft.notes if n.code == "import.joined"]
    assert [n.location.line for n in joins] == [11, 17, 19, 23, 39, 47, 51, 55]
    assert "line 17" in joins[0].message  # joined across the caption on line 15


def test_the_sample_is_the_import_of_the_seed_plus_its_fixes(tmp_path: Path) -> None:
    """issues/2023-01 = `import` of the seed + the fix its note points to (the ids,
    sections and photo placements are the editor's own)."""
    issue = tmp_path / "2023-01"
    issue.mkdir()
    (issue / "issue.yaml").write_text(
        "newsletter: 新泾通讯\npublisher: 长宁区新泾镇\n"
        "issue: {number: 1, volume: 245, date: 2023-01-10}\narticles: []\n", encoding="utf-8")
    result = import_sources([SEED], issue)
    fixes = 0
    made: list[str] = []
    for article in result.articles:
        body = (issue / article.body_file).read_text(encoding="utf-8")
        fixes += body.count(FIX[0])
        made.append(body.replace(*FIX))
    assert fixes == 1
    sample = load_issue(SAMPLE)
    back_issue = sample.manifest.articles[:2]  # the other two are written for the sample
    assert made == [sample.bodies[a.id] for a in back_issue]
    imported = load_issue(issue).manifest.articles
    assert [(a.title, a.subtitle, [p.caption for p in a.photos]) for a in imported] == [
        (a.title, a.subtitle, [p.caption for p in a.photos]) for a in back_issue]


def test_short_line_after_a_finished_paragraph_with_a_comma_is_text() -> None:
    draft = read("# 标题\n\n第一段结束了。\n\n会议指出，新的一年要\n\n继续努力。\n")
    assert draft.articles[0].blocks == ["第一段结束了。", "会议指出，新的一年要继续努力。"]
    assert draft.articles[0].photos == []


def test_caption_between_finished_paragraphs_without_clause_marks() -> None:
    draft = read("# 标题\n\n第一段。\n\n仙霞路社区志愿者为老人理发（摄影 李四）\n\n第二段。\n")
    article = draft.articles[0]
    assert article.blocks == ["第一段。", "第二段。"]
    assert [(p.caption, p.credit) for p in article.photos] == [
        ("仙霞路社区志愿者为老人理发", "摄影 李四")]


def test_page_numbers_are_left_out_with_a_note() -> None:
    draft = read("# 标题\n\n居民们说，这一段没有\n\n— 3 —\n\n结束。\n")
    assert draft.articles[0].blocks == ["居民们说，这一段没有结束。"]
    assert "import.page-number" in codes(draft)


def test_debris_is_noted_with_line_and_column_and_kept() -> None:
    text = "# 标题\n\n居民反映\ufffd的问题。。已解决。\n"
    draft = read(text)
    assert draft.articles[0].blocks == ["居民反映\ufffd的问题。。已解决。"]
    unreadable = next(n for n in draft.notes if n.code == "import.unreadable")
    assert (unreadable.location.line, unreadable.location.column) == (3, 5)
    assert "import.doubled-mark" in codes(draft)


def test_capitalised_words_and_acronyms_between_han_are_not_debris() -> None:
    draft = read("# 标题\n\n用 APP 预约，免费Wi-Fi覆盖，支持 iPhone 手机。\n")
    assert "import.latin-in-han" not in codes(draft)
    draft = read("# 标题\n\n部署目标 and 主要任务，落实 of 措施。\n")
    assert codes(draft).count("import.latin-in-han") == 2


def test_markdown_characters_in_text_are_escaped() -> None:
    draft = read("# 标题\n\n1. 这一行不是列表，*星号*不是强调。\n")
    assert draft.articles[0].blocks == ["1\\. 这一行不是列表，\\*星号\\*不是强调。"]


@pytest.mark.parametrize(("head", "tail", "joined"), [
    ("新泾镇", "人民", "新泾镇人民"), ("visit the", "website", "visit the website"),
    ("电话021-", "62591234", "电话021-62591234"),
])
def test_join_lines(head: str, tail: str, joined: str) -> None:
    assert join_lines(head, tail) == joined


def test_split_credit() -> None:
    assert split_credit("图为会场（摄影 李四）") == ("图为会场", "摄影 李四")
    assert split_credit("第十六届党员代表大会（照片占位）") == ("第十六届党员代表大会", "照片占位")
    assert split_credit("长宁区（新泾镇）") == ("长宁区（新泾镇）", None)


def test_text_without_a_title_is_an_error_naming_the_file(tmp_path: Path) -> None:
    from bulletin_press.diagnostics import BuildError

    source = tmp_path / "无标题.txt"
    source.write_text("只有一段文字，没有标题。\n", encoding="utf-8")
    issue = tmp_path / "issue"
    issue.mkdir()
    (issue / "issue.yaml").write_text("newsletter: a\npublisher: b\n"
                                      "issue: {number: 1, date: 2024-01-01}\n", encoding="utf-8")
    with pytest.raises(BuildError) as info:
        import_sources([source], issue)
    assert [d.code for d in info.value.diagnostics] == ["import.nothing"]
    assert info.value.diagnostics[0].location.path == source
    assert sorted(p.name for p in issue.iterdir()) == ["issue.yaml"]


def test_gbk_text_from_windows_is_read(tmp_path: Path) -> None:
    source = tmp_path / "旧稿.txt"
    source.write_bytes("# 社区通知\n\n本周六上午九点在居委会召开居民大会。\n".encode("gb18030"))
    issue = tmp_path / "issue"
    issue.mkdir()
    (issue / "issue.yaml").write_text("newsletter: a\npublisher: b\n"
                                      "issue: {number: 1, date: 2024-01-01}\n", encoding="utf-8")
    result = import_sources([source], issue)
    assert [a.title for a in result.articles] == ["社区通知"]
    assert [n.code for n in result.notes] == ["import.encoding"]
    assert (issue / result.articles[0].body_file).read_text(encoding="utf-8") == (
        "本周六上午九点在居委会召开居民大会。\n")


def test_import_command_prints_what_it_did_and_every_note(tmp_path: Path) -> None:
    from .test_cli import run

    issue = tmp_path / "2023-01"
    issue.mkdir()
    head = ("# 新泾通讯 2023年第1期\nnewsletter: 新泾通讯\npublisher: 长宁区新泾镇\n"
            "issue: {number: 1, volume: 245, date: 2023-01-10}\n\narticles: []  # 待导入\n")
    (issue / "issue.yaml").write_text(head, encoding="utf-8")
    result = run("import", SEED, "--into", issue)
    assert result.returncode == 0, result.stderr
    assert "added seed-2023-01-1: 奋进新征程 共创新业绩 (6 paragraphs, 1 photo)" in result.stdout
    assert "added seed-2023-01-2: 勠力同心谋发展 踔厉奋发向未来 (9 paragraphs, 1 photo)" \
        in result.stdout
    assert "11 notes, 3 to check" in result.stdout
    assert "issue.yaml: ok (2 articles)" in result.stdout
    lines = result.stderr.splitlines()
    assert any(line.endswith("seed-2023-01.txt:9:111: warning: the English word 'and' stands "
                             "between Chinese characters: '…奋斗目标 and 主要任务…' "
                             "(extraction debris?) [import.latin-in-han]") for line in lines)
    assert sum("[import.joined]" in line for line in lines) == 8
    text = (issue / "issue.yaml").read_text(encoding="utf-8")
    assert text.startswith(head.replace("articles: []  # 待导入\n", "articles:  # 待导入\n"))
    assert sorted(p.name for p in (issue / "images").iterdir()) == [
        "seed-2023-01-1-1.jpg", "seed-2023-01-2-1.jpg"]


def test_paragraphs_indented_with_ideographic_spaces() -> None:
    text = ("# 居委会通知\n"
            "　　各位居民：\n"
            "　　本小区将于3月12日（周二）9:00至15:00停水，请提前储水\n"
            "　　因施工需要，地下车库同日关闭。\n"
            "给您带来不便，敬请谅解。\n")
    draft = read(text)
    assert draft.articles[0].blocks == [
        "各位居民：", "本小区将于3月12日（周二）9:00至15:00停水，请提前储水",
        "因施工需要，地下车库同日关闭。给您带来不便，敬请谅解。"]
    [join] = [n for n in draft.notes if n.code == "import.joined"]
    assert join.location.line == 5 and "from line 4 to line 5" in join.message


@settings(max_examples=300, deadline=None)
@example("[]](")
@example("[x]](y)")
@given(st.text(alphabet="新泾镇abc12 .-+*_`|<>#=!&;[]()\\~:：，。“”", min_size=1, max_size=30))
def test_escaped_text_reads_back_as_typed(text: str) -> None:
    """Whatever a line of extracted text holds, the body parser gives it back as it was:
    nothing turns into a heading, list, rule, emphasis or link."""
    from bulletin_press.intake.markdown import escape
    from bulletin_press.text.blocks import parse_body

    text = " ".join(text.split())
    assume(text)
    blocks = parse_body(escape(text))
    assert [(b.kind, b.plain_text()) for b in blocks] == [("paragraph", text)]


def test_a_contributor_s_notepad_text_imports(tmp_path: Path) -> None:
    """Typed in Notepad and saved in GBK: no '# ' line, the title on the first line,
    paragraphs indented with 　　, a line broken in the middle of a sentence, and the
    byline in brackets at the end."""
    from bulletin_press.intake.importer import read_source

    source = tmp_path / "垃圾分类.txt"
    source.write_bytes((
        "天山路街道开展垃圾分类宣传周活动\r\n\r\n"
        "　　本报讯 11月6日至12日，天山路街道开展垃圾分类宣传周活动，志愿者走进23个居民区，\r\n"
        "向居民讲解四分类知识。\r\n"
        "　　活动期间共发放宣传册3000余份，咨询电话021-62598765。\r\n\r\n"
        "（通讯员 李明）\r\n").encode("gbk"))
    draft = read_source(source)
    [article] = draft.articles
    assert article.title == "天山路街道开展垃圾分类宣传周活动"
    assert article.byline == "通讯员 李明"
    assert article.photos == []
    assert article.blocks == [
        "本报讯 11月6日至12日，天山路街道开展垃圾分类宣传周活动，志愿者走进23个居民区，"
        "向居民讲解四分类知识。", "活动期间共发放宣传册3000余份，咨询电话021-62598765。"]
    [title] = [n for n in draft.notes if n.code == "import.title"]
    assert title.location.line == 1 and title.severity.name == "WARNING"


def test_a_notice_typed_in_notepad_keeps_its_signature() -> None:
    """Its issuer and date, each a short line alone after the text, are the notice's 落款,
    as from a Word document; they were two placeholder photos captioned 新泾镇人民政府 and
    2026年11月25日 "inside a broken paragraph"."""
    draft = read("关于开展2026年冬季消防安全集中检查的通知\n\n"
                 "各居民区、各物业服务企业：\n\n"
                 "　　镇政府决定于2026年12月1日至2027年1月31日开展冬季消防安全集中检查，"
                 "发现隐患请拨打021-62785432。\n\n"
                 "　　居委会、物业将逐户上门，请予以配合\n\n"  # a sentence left open: text
                 "长宁区新泾镇人民政府\n新泾镇安全生产委员会办公室\n\n2026年11月25日\n",
                 "消防检查.txt")
    [article] = draft.articles
    assert article.signature == {"issuer": ["长宁区新泾镇人民政府", "新泾镇安全生产委员会办公室"],
                                 "date": "2026年11月25日"}
    assert article.kind == "notice" and article.photos == []
    assert article.blocks[-1] == "居委会、物业将逐户上门，请予以配合"
    assert {"import.signature", "import.notice"} <= set(codes(draft))
    assert "import.caption" not in codes(draft)


@pytest.mark.parametrize("newline", ["\r\n", "\n"])
def test_a_notepad_title_flush_left_over_indented_paragraphs(tmp_path: Path,
                                                             newline: str) -> None:
    """Notepad, UTF-8 with a BOM: the title flush left on the first line, the unit in
    brackets right under it, no blank lines, the paragraphs indented with 　　. The import
    refused the file: "no article found in the file" (the title did not stand alone)."""
    from bulletin_press.intake.importer import read_source

    lines = ["春节期间社区卫生服务中心门诊安排", "（新泾镇社区卫生服务中心）",
             "　　春节期间（2月5日至2月13日），全科门诊每天8:00—16:30开诊，急诊24小时开放；"
             "各服务站2月5日至2月8日休息。",
             "　　家庭医生签约居民可通过“健康云”APP预约配药，咨询电话：021-62781120。"]
    source = tmp_path / "春节门诊.txt"
    source.write_bytes("\ufeff".encode() + newline.join(lines).encode() + newline.encode())
    draft = read_source(source)
    [article] = draft.articles
    assert article.title == "春节期间社区卫生服务中心门诊安排"
    assert article.blocks == ["（新泾镇社区卫生服务中心）", lines[2].lstrip("　"),
                              lines[3].lstrip("　")]
    [title] = [n for n in draft.notes if n.code == "import.title"]
    assert title.location.line == 1 and title.severity.name == "WARNING"


def test_a_table_pasted_from_excel_into_notepad_is_a_table(tmp_path: Path) -> None:
    """A notice typed in Notepad with the list of 负责人 pasted from Excel (cells parted
    by tabs; outside s12): its rows were joined into the paragraph above them,
    「…保持24小时畅通。区域	负责人	电话新泾一村、二村	张卫东…」, tabs and all."""
    text = ("关于公布2026年汛期各片区防汛责任人的通知\r\n\r\n各居民区：\r\n"
            "　　现将各片区防汛防台责任人及联系电话公布如下，请汛期保持24小时畅通。\r\n"
            "区域\t负责人\t电话\r\n新泾一村、二村\t张卫东\t021-6238 1234 转8012\r\n"
            "新泾五村、六村\t李秀英\t139 1702 5566\r\n"
            "　　如遇险情，请立即拨打镇城运中心24小时值班电话021-6238 0110。\r\n\r\n"
            "新泾镇防汛防台指挥部\r\n2026年7月1日\r\n")
    draft = read_text(text, tmp_path / "责任人通知.txt")
    [article] = draft.articles
    assert article.blocks == [
        "各居民区：", "现将各片区防汛防台责任人及联系电话公布如下，请汛期保持24小时畅通。",
        "| 区域 | 负责人 | 电话 |\n| --- | --- | --- |\n"
        "| 新泾一村、二村 | 张卫东 | 021-6238 1234 转8012 |\n"
        "| 新泾五村、六村 | 李秀英 | 139 1702 5566 |",
        "如遇险情，请立即拨打镇城运中心24小时值班电话021-6238 0110。"]
    assert "import.table" in [n.code for n in draft.notes]


def test_import_notes_come_in_the_order_the_files_were_given(tmp_path: Path) -> None:
    """Three files given as 爱心…, 加装…, 征文…: the "added" lines came in that order and
    the notes sorted by file name (加装…, 征文…, 爱心…), so the first file's notes stood
    last, under the third file's. They follow the order given now."""
    from .test_cli import run

    issue = tmp_path / "2026-08"
    issue.mkdir()
    (issue / "issue.yaml").write_text(
        "newsletter: 枫林通讯\npublisher: 枫林路街道\nissue: {number: 8, date: 2026-08-10}\n"
        "articles: []\n", encoding="utf-8")
    names = ["爱心暑托班结业.txt", "加装电梯进展.txt", "征文启事.txt"]
    for name in names:
        # A first line taken as the title (import.title), and English between Han.
        (tmp_path / name).write_text(f"{name[:4]}\n\n　　本周六上午九点在居委会召开居民大会 and "
                                     "议事会。\n", encoding="utf-8")
    result = run("import", *(tmp_path / name for name in names), "--into", issue)
    assert result.returncode == 0, result.stderr
    said = [name for line in result.stderr.splitlines() for name in names
            if line.startswith(str(tmp_path / name))]
    assert said and said == sorted(said, key=names.index), said
    assert said[0] == names[0]


@pytest.mark.parametrize("line", ["古美一村退休教师　沈佩芳", "古美一村居民 沈佩芳（78岁）",
                                  "古美路街道文化站"])
def test_who_wrote_it_alone_under_a_notepad_title_is_the_byline(line: str) -> None:
    """A resident's essay typed in Notepad (outside s14): the title, then her line alone,
    indented as the paragraphs are. It became a photo caption with a placeholder photo
    ('stands alone: taken as a photo caption'); the Word import takes the same line
    under a title as the byline. A short line alone further down stays a caption."""
    draft = read("中秋寄怀——写给古美的老邻居们\n\n"
                 f"　　{line}\n\n"
                 "　　我是1987年搬进古美一村的，那时候小区门口还是一片菜地。\n\n"
                 "　　今年中秋，街道在古美公园办了游园会，我带着孙女去猜灯谜。\n\n"
                 "古美公园游园会现场\n\n"
                 "　　月是故乡明，人是邻里亲。\n", "中秋寄怀.txt")
    [article] = draft.articles
    assert article.byline == " ".join(line.split())
    assert [p.caption for p in article.photos] == ["古美公园游园会现场"]
    assert article.blocks[0].startswith("我是1987年")
    [guess] = [n for n in draft.notes if n.code == "import.byline-guess"]
    assert guess.location.line == 3


@pytest.mark.parametrize("line", ["长风新村派出所　消防站站长　刘䶮", "长风一村居民 王𠮷（81岁）",
                                  "长风新村街道消防站"])
def test_a_name_with_a_rare_character_under_a_notepad_title_is_the_byline(
        tmp_path: Path, line: str) -> None:
    """A fire-safety note typed in Notepad and saved as GB18030 (newcomer s15): the
    writer's line alone under the title ends with a name in a rare character (䶮 in
    Extension A, 𠮷 in Extension B), which GB18030 carries and GBK cannot. The name
    was matched against the common block only, so the line became a photo caption
    with a placeholder photo instead of the byline."""
    text = ("冬季防火安全提示：“小火苗”酿成大灾难\r\n\r\n"
            f"　　{line}\r\n\r\n"
            "　　进入冬季，天干物燥，用火、用电、用气明显增多，火灾风险随之上升。\r\n\r\n"
            "　　发现火情请立即拨打119，说清楚小区名称、楼号和着火物品。\r\n")
    source = tmp_path / "冬季防火提示.txt"
    source.write_bytes(text.encode("gb18030"))
    draft = read_source(source)
    [article] = draft.articles
    assert article.byline == " ".join(line.split())
    assert article.photos == []
    assert article.blocks[0].startswith("进入冬季")


def test_a_table_lined_up_with_spaces_in_notepad_is_a_table() -> None:
    """newcomer s15: a fire-safety note typed in Notepad ends with the two 微型消防站, their
    addresses and phones lined up with full-width spaces. Each line became a paragraph;
    printed, its gaps were set as loose lines (typography.loose-line) and read as
    one run of text. Two half-lines of verse parted the same way stay text."""
    draft = read("冬季防火安全提示\n\n"
                 "　　发现火情请立即拨打119，说清楚小区名称、楼号和着火物品。\n\n"
                 "　　附：社区微型消防站地址\n"
                 "　　长风一村微型消防站　　大渡河路1718弄6号旁　　021-5218 6677转309\n"
                 "　　长风四村微型消防站　　云岭西路600弄23号    139 1762 8871\n\n"
                 "　　爆竹声中一岁除　　春风送暖入屠苏\n"
                 "　　千门万户曈曈日　　总把新桃换旧符\n", "冬季防火提示.txt")
    [article] = draft.articles
    assert article.blocks[1] == "附：社区微型消防站地址"
    table = article.blocks[2]
    assert table.splitlines()[0] == ("| 长风一村微型消防站 | 大渡河路1718弄6号旁 "
                                     "| 021-5218 6677转309 |")
    assert table.splitlines()[2] == "| 长风四村微型消防站 | 云岭西路600弄23号 | 139 1762 8871 |"
    assert not any("春风送暖" in block and "|" in block for block in article.blocks)
    assert "import.table" in codes(draft)


def test_a_letter_written_into_a_name_is_not_debris() -> None:
    """newcomer s15: 「在“随申办”APP搜索“长风e家”」 in a Notepad note was a warning,
    "the English word 'e' stands between Chinese characters (extraction debris?)":
    one letter written into a name (长风e家, 市民e站, i上海) is how apps and service
    points are named. An English word the extraction put in stays a warning."""
    draft = read("冬季防火安全提示\n\n"
                 "　　独居老人可在“随申办”APP搜索长风e家申请，或到市民e站、i上海服务点办理。\n\n"
                 "　　明确了奋斗目标 and 主要任务。\n", "冬季防火提示.txt")
    said = [n.message for n in draft.notes if n.code == "import.latin-in-han"]
    assert len(said) == 1 and "'and'" in said[0], said
