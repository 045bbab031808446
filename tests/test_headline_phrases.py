"""A headline of two phrases parted by a space breaks at that space (outside tester,
session 12: 「我镇召开2026年防汛防台工作部署会 全力筑牢汛期安全防线」 broke
「…工作 / 部署会 全力筑牢…», the word boundary that balanced its lines best)."""

from __future__ import annotations

from bulletin_press.build.pipeline import build
from bulletin_press.checks.typesetting import headlines, read_body
from bulletin_press.text.words import WJ, join_phrases, phrases

from .conftest import HEADER, MakeIssue

BODY = ("本报讯 6月28日下午，新泾镇召开会议，联系电话021-6238 1234转8012，"
        "详见https://www.xinjing.gov.cn/stb/fxft/2026-0710.html。")


def test_phrases_are_parted_by_a_space_beside_chinese_only() -> None:
    assert phrases("我镇召开2026年防汛防台工作部署会 全力筑牢汛期安全防线") == [
        "我镇召开2026年防汛防台工作部署会", "全力筑牢汛期安全防线"]
    assert phrases("Apple Store虹桥天地店开业 周边交通管制") == [
        "Apple Store虹桥天地店开业", "周边交通管制"]  # an English name's space is its own
    assert phrases("奋进新征程") == ["奋进新征程"]
    joined = join_phrases("“十五五”规划编制 听听居民怎么说")
    assert joined == WJ.join("“十五五”规划编制") + " " + WJ.join("听听居民怎么说")
    one = "中共长宁区新泾镇第十六届党员代表大会"
    assert join_phrases(one) == one


def _headline_lines(make_issue: MakeIssue, titles: list[str]) -> dict[str, list[str]]:
    articles = "".join(f"  - id: a{n}\n    title: {title}\n    body: |\n      {BODY}\n"
                       for n, title in enumerate(titles))
    built = build(make_issue(HEADER + articles))
    g = built.prepared.layout.geometry
    found: dict[str, list[str]] = {}
    for _, lines in headlines(read_body(built.pdf, g)[1], g):
        texts = [line.text.replace(" ", "") for line in lines]
        for title in titles:
            if "".join(texts) == title.replace(" ", ""):
                found[title] = texts
    return found


def test_a_headline_breaks_at_the_space_between_its_phrases(make_issue: MakeIssue) -> None:
    titles = ["我镇召开2026年防汛防台工作部署会 全力筑牢汛期安全防线",
              "学习贯彻党的二十届三中全会精神 推进基层治理现代化 建设人民城市",
              "关于调整天山路街道社区卫生服务中心门诊时间的通知 7月1日起实行",
              # one phrase, longer than a line: it breaks between words, as before
              "新泾镇举办2026年“七一”表彰大会暨庆祝中国共产党成立105周年主题党日活动"]
    found = _headline_lines(make_issue, titles)
    assert found[titles[0]] == ["我镇召开2026年防汛防台工作部署会", "全力筑牢汛期安全防线"]
    assert found[titles[1]] in (
        ["学习贯彻党的二十届三中全会精神", "推进基层治理现代化建设人民城市"],
        ["学习贯彻党的二十届三中全会精神推进基层治理现代化", "建设人民城市"])
    assert found[titles[2]] == ["关于调整天山路街道社区卫生服务中心门诊时间的通知",
                                "7月1日起实行"]
    long = found[titles[3]]
    assert len(long) == 2 and long[0].endswith("大会暨")  # 表彰大会 whole, not 表彰大 / 会


def test_clauses_and_a_time_part_a_headline_without_spaces() -> None:
    from bulletin_press.text.words import clauses, time_parts

    assert clauses("东安路长者食堂“升级”：扫码点餐、送餐上门，老人吃饭更方便了") == [
        "东安路长者食堂“升级”：", "扫码点餐、送餐上门，", "老人吃饭更方便了"]  # not at 、
    assert clauses("奋进新征程！") == ["奋进新征程！"]
    assert time_parts("关于开展2026年第三季度居民住宅燃气安全入户检查的通知") == [
        "关于开展2026年第三季度", "居民住宅燃气安全入户检查的通知"]
    # a time joined to what follows it is not a part's end
    for joined in ("2026年的春天", "3月至5月停水", "2026年3月15日起实施", "2026年底前完成"):
        assert time_parts(joined) == [joined]


def test_a_headline_breaks_after_its_clause_or_its_time(make_issue: MakeIssue) -> None:
    """The outside tester's August headlines (session 13): balance broke them inside
    their phrases, 「东安路长者食堂“升级”：扫码 / 点餐、送餐上门…」 and 「关于开展2026年
    第三季度居民 / 住宅燃气安全入户检查的通知」 (居民住宅 split). They break after the
    colon and after the time, which set the lines about evenly; a first clause too
    short for that (「通知：」) does not."""
    titles = ["东安路长者食堂“升级”：扫码点餐、送餐上门，老人吃饭更方便了",
              "关于开展2026年第三季度居民住宅燃气安全入户检查的通知",
              "注意：本周六上午9时至下午5时新泾六村、新泾七村、新泾八村全部停水"]
    found = _headline_lines(make_issue, titles)
    assert found[titles[0]] == ["东安路长者食堂“升级”：", "扫码点餐、送餐上门，老人吃饭更方便了"]
    assert found[titles[1]] == ["关于开展2026年第三季度", "居民住宅燃气安全入户检查的通知"]
    assert found[titles[2]][0] != "注意：" and len(found[titles[2]]) == 2


def test_a_headline_of_quoted_names_breaks_between_them(make_issue: MakeIssue) -> None:
    # outside s14 #4: 「关于防范 / 冒充“Apple客服”“京东金融”“顺丰 / 快递”等…」: the names,
    # quote against quote, were one piece (UAX #14), wider than the headline.
    titles = ["关于防范冒充“Apple客服”“京东金融”“顺丰快递”等新型电信网络诈骗的紧急提醒",
              "古美路街道开展“垃圾分类进楼道”“文明养犬我先行”“消防安全到我家”系列主题宣传活动"]
    found = _headline_lines(make_issue, titles)
    assert found[titles[0]] == ["关于防范冒充“Apple客服”“京东金融”",
                                "“顺丰快递”等新型电信网络诈骗的紧急提醒"]
    lines = found[titles[1]]
    assert len(lines) == 2
    assert lines[0].count("“") == lines[0].count("”")  # no line ends inside a name
