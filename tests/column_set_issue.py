"""A 4-page autumn issue of 虹桥社区报 modelled on the outside tester's summer issue
(2026-07b): a page-wide 燃气 notice with a table of buildings, dates and numbers that
goes on to page 2 and ends there mid-page with its 落款; a one-column 防诈骗 box
(`start: continue`) after it; then a story with two photos and subheads, and a
second story. Variants: the box left out (a notice, then a story with photos), and
the notice made longer so that it ends near a page's foot."""

from __future__ import annotations

import io
import re

from PIL import Image, ImageDraw

HEAD = """\
newsletter: 虹桥社区报
publisher: 长宁区虹桥街道
issue: {number: 10, volume: 131, date: 2026-10-15}
layout: two-column
pages: 4

colophon:
  office: 《虹桥社区报》编辑部
  address: 上海市长宁区古北路1051号（虹桥街道社区事务受理服务中心2楼）
  postcode: "200336"
  phone: 021-6275 2200转6012
  note: 内部资料 免费赠阅

articles:
"""

NOTICE = """\
  - id: 燃气改造
    kind: notice
    section: 公告
    title: 关于虹桥街道老旧小区燃气立管改造期间安全用气的通知
    body: |
      各居民区、各物业服务企业、沿街商户及全体居民：

      根据《上海市燃气管理条例》和市住建委关于老旧住宅燃气立管改造的部署，上海燃气市北销售有限公\
司将于10月20日至11月28日对古北路、虹桥路沿线1990年前建成的住宅楼进行燃气立管更换。施工期间将分楼\
栋临时停气，现将有关事项通知如下：

      一、**停气时间**：每栋楼停气一次，时长约6小时（9:00—15:00），施工前3天在楼道口张贴告示；如遇\
大风、暴雨天气顺延。

      二、施工人员一律佩戴“上海燃气”工作证，穿统一工作服，**不收取任何费用**，不上门推销燃气\
报警器、\
灶具和软管。如有疑问，请先拨打962777核实身份。

      三、停气前请关闭灶具和热水器阀门；恢复供气后，请勿自行点火，由施工人员检漏、排气并试火后方可\
使用。家中无人的，请提前与居委会约定入户时间。

      四、各片区施工日期及联系人如下：

      | 片区 | 施工日期 | 联系人 | 电话 |
      | --- | --- | --- | --- |
      | 古北一村1—12号 | 10月20日至24日 | 顾振华 | 021-6275 1234 转8012 |
      | 古北二村、三村 | 10月27日至31日 | 钱美凤 | 139 1702 6688 |
      | 虹桥路1165弄 | 11月3日至7日 | 许国平（物业经理） | 021-6270 5511 |
      | 荣华东道沿线商铺 | 11月10日至12日 | 潘立新 | 186 2163 0098 |
      | 黄金城道600弄 | 11月13日至18日 | 戴晓红 | 021-6290 3300 转206 |
      | 伊犁路、水城路沿线 | 11月19日至24日 | 严志明（街道城建办） | 021-6238 0110 转3 |
      | 在建工地、临时摊位 | 11月25日至28日 | 邬海峰（安监所） | 138 1688 4521 |

      五、闻到燃气异味，请立即关闭总阀、开窗通风，不要开关电器、不要使用明火，到室外拨打962777或\
110。施工进度可在“上海燃气”微信公众号或 https://www.shgas.example.cn/hongqiao/2026-lg 查询。\
给大家带来\
的不便，敬请谅解。
    signature:
      issuer: [虹桥街道城市运行管理中心, 上海燃气市北销售有限公司]
      date: 2026-10-12

"""

BOX = """\
  - id: 防诈提示
    kind: box
    title: 防范电信诈骗提示
    body: |
      - **不轻信**：自称“公检法”“燃气公司”“医保局”的来电，要求转账、交“保证金”的，一律是诈骗。
      - **不透露**：银行卡号、密码和短信验证码不告诉任何人，包括自称客服的人。
      - **不点击**：短信、微信里陌生的链接和二维码不要点，不下载来历不明的App。
      - **不转账**：“安全账户”“刷单返利”“高息理财”都是骗局；转账前先问子女或拨打110。
      - **装国反**：手机安装“国家反诈中心”App，接到可疑电话会自动提醒；被骗后立即拨打110或96110。

"""

STORY = """\
  - id: 老年大学
    section: 社区
    title: 社区老年大学秋季班开学：智能手机课报名人数翻了一番
    subtitle: 今年新开设短视频剪辑、沪语童谣和八段锦三门课程，学员平均年龄67岁
    byline: 记者 卞晓岚
    photos:
      - {file: images/class.jpg, caption: 学员们在智能手机课上练习用“随申办”App挂号, credit:\
 摄影 卞晓岚}
      - {file: images/garden.jpg, caption: 八段锦班在古北市民中心广场晨练, credit: 居民供图}
    body: |
      10月8日上午，虹桥街道社区老年大学秋季班开学。记者从街道社区学校了解到，本学期共开设课程36门，\
报名学员1,420人次，其中智能手机应用课报名312人，比去年同期翻了一番，不得不从原计划的4个班扩\
大到8个班。

      “以前看病要子女帮忙挂号，现在我自己在手机上就能弄好。”今年72岁的古北二村居民马阿姨说。她去年\
秋天报名学习智能手机，如今已经能用“随申办”App预约挂号、用医保电子凭证付费，还学会了在网上买菜。

      ### 短视频剪辑课最受欢迎

      本学期新开设的三门课程中，短视频剪辑课最受欢迎，40个名额在开放报名后2小时内就报满了。授课老师\
是复旦大学新闻学院的研究生志愿者Zhang Yuhan，她告诉记者，学员们学得很认真，“有位阿叔每节课都带着\
笔记本，把每一步操作都画下来”。

      沪语童谣课则由区非遗传承人金雅琴老师执教，每周四下午在社区文化活动中心上课。“摇啊摇，摇到外婆\
桥”“落雨了，打烊了”，这些老上海人耳熟能详的童谣，如今被编成了教材，学员们学会后还要回家教给孙辈。

      ### 学费低廉，开课地点就在家门口

      社区老年大学的学费为每门课每学期100元，低保、低收入家庭和80周岁以上老人免收学费。为方便老人就\
近学习，街道在古北、荣华、虹储等6个居民区设立了教学点，老人步行10分钟就能到达。

      街道社区学校校长汪丽萍表示，下学期还将开设防范电信诈骗、家庭急救和AI语音助手使用等课程。报名\
咨询：021-6275 3366（工作日9:00—16:30），或登录 https://www.hongqiao.example.cn/lndx/2027-sp\
ring 查看课程表。

      ### 学员的心声

      “退休以后总觉得和社会脱节了，来这里学东西，认识了很多新朋友。”在八段锦班学习的邹先生说，他每\
天早上6点半到市民中心广场晨练，一年下来，血压比以前稳定多了。

      不少学员还把学到的本领用到了社区服务中。智能手机班的10多位“毕业生”组成了“银发助手”志愿\
服务队，\
每周六上午在社区事务受理服务中心门口，手把手教其他老人使用自助机和手机App，至今已服务800多人次。

"""

SECOND = """\
  - id: 河道整治
    section: 环境
    title: 新渔浦河完成生态整治 沿岸新增健身步道1.8公里
    byline: 通讯员 盛立军
    body: |
      经过8个月施工，新渔浦河虹桥段生态整治工程近日完工。整治后的河道两岸种植了鸢尾、再力花等水生植\
物12,000多平方米，新增健身步道1.8公里、休憩平台6处，夜间照明全部改为节能LED灯。

      街道河长办负责人介绍，工程采用“清淤+生态护岸+水下森林”的做法，共清除淤泥3.6万立方米，河水透明\
度从原来的不足40厘米提高到1.2米以上，水质稳定达到地表水Ⅲ类标准。

      “以前一到夏天河边就有味道，现在傍晚出来散步的人越来越多了。”住在荣华东道的居民屠先生说，他几\
乎每天都带着孙子来河边看鱼，“上个星期还看到了白鹭”。

      为巩固整治成果，街道组建了由32名居民组成的“河小青”巡河志愿队，每周巡河两次，发现垃圾漂浮、\
偷排污水等问题，可以通过“一网统管”平台或拨打021-6238 0110转5上报，一般问题24小时内处置完毕。

      据悉，明年街道还将启动剑河、北新泾港支流的整治工程，计划在2027年底前实现辖区河道“河畅、水清、\
岸绿、景美”的目标。有关工程进展，居民可关注“虹桥街道”微信公众号或访问 https://www.hongqiao.e\
xample.cn/hezhang 了解。

      近年来，街道还在沿河10个小区推行雨污分流改造，累计改造管道14.2公里，从源头上减少了污水入河。\
今年汛期，新渔浦河沿线没有出现一处积水点，改造效果得到了居民的认可。

      街道河长办同时提醒，河道两岸严禁垂钓、游泳和倾倒垃圾，违者将依照《上海市河道管理条例》处以\
50元至5,000元不等的罚款。夜间沿河散步，请走步道，看护好身边的孩子。

"""

# What a longer notice adds before its 五、 (`manifest(longer=...)`).
MORE = [
    "六、本次改造同步更换老化的燃气表前阀和连接软管，费用由燃气公司承担，居民无需支付任何"
    "费用；如需加装燃气报警器，可向居委会申请，独居老人、残疾人家庭免费安装。",
    "七、施工期间，楼道内将临时堆放管材和工具，请居民注意避让，看护好老人和孩子；电动自行车"
    "请暂停在楼道内停放和充电，施工单位每天17:00前清理现场。",
    "八、对施工质量、服务态度有意见的，可拨打上海燃气服务热线962777或街道城运中心"
    "021-6238 0110转3反映，也可通过“随申办”App“一网通办”栏目留言，街道将在3个工作日内答复。",
    "九、各居民区要组织楼组长、志愿者逐户告知，对独居老人、外籍人士（如需英文告知书，可向居委"
    "会领取English notice）和租户做到不漏一户；物业企业要配合施工单位做好电梯、消防通道"
    "的保障工作。",
]

PHOTOS = {
    "images/class.jpg": ((1800, 1200), (150, 120, 80)),
    "images/garden.jpg": ((1600, 1200), (80, 140, 110)),
}


def _photo(size: tuple[int, int], colour: tuple[int, int, int]) -> bytes:
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.rectangle([0, 0, w - 1, h - 1], outline=(60, 60, 60), width=12)
    draw.line([0, 0, w, h], fill=(200, 200, 190), width=8)
    draw.line([0, h, w, 0], fill=(200, 200, 190), width=8)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, dpi=(300, 300))
    return out.getvalue()


def files() -> dict[str, bytes | str]:
    return {name: _photo(size, colour) for name, (size, colour) in PHOTOS.items()}


def manifest(*, box: bool = True, pages: int | None = 4, longer: int = 0) -> str:
    """The issue; without the box (`box=False`): the story follows the notice; with
    `longer`: that many paragraphs of MORE in the notice before its 五、 (it ends lower)."""
    head = HEAD if pages is not None else HEAD.replace("pages: 4\n", "")
    if pages is not None:
        head = head.replace("pages: 4", f"pages: {pages}")
    notice = NOTICE
    if longer:
        more = "".join(f"      {paragraph}\n\n" for paragraph in MORE[:longer])
        notice = notice.replace("      五、", f"{more}      五、", 1)
    return head + notice + (BOX if box else "") + STORY + SECOND


def printed_paragraphs(text: str) -> dict[str, list[str]]:
    """Each article's paragraphs (a box's entries), as printed (markup out), by id,
    in the manifest's order."""
    found: dict[str, list[str]] = {}
    body = text[text.index("articles:\n"):]
    for line in body.splitlines():
        item = line.strip()
        if line.startswith("  - id: "):
            found[item.removeprefix("- id: ")] = []
        elif line.startswith("      ") and item and not item.startswith(
                ("|", "#", "- {", "issuer:", "date:")):
            found[list(found)[-1]].append(re.sub(r"\*\*|^- ", "", item))
    return found
