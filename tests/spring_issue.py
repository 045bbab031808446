"""An 8-page 春节/元宵 issue of community news (outside's, session 11, rebuilt): a
元宵 lead, a 春运 notice with a table of trains and 12306 hints, 社区食堂's 年夜饭 at
128元 a table, 灯谜, 志愿者, the fireworks ban, a 温馨提示 box, a 征兵 notice, the
clinic's hours, a 便民电话 box, the library and a 寻物启事; four photos made here
(placeholders, like scripts/make_placeholders.py), each heading its article's first
column. Several articles open a page (`start: new-page`); `pages: 8`."""

from __future__ import annotations

import io
import re

from PIL import Image, ImageDraw

MANIFEST = """\
newsletter: 新泾通讯
publisher: 长宁区新泾镇
issue: {number: 2, volume: 282, date: 2026-02-10}
layout: two-column
pages: 8

colophon:
  office: 《新泾通讯》编辑部
  address: 上海市长宁区新泾镇天山西路345号
  postcode: "200335"
  phone: 021-6238 5000
  note: 内部资料 免费赠阅

articles:
  - id: lanterns
    section: 要闻
    title: 灯火映新泾 元宵喜乐会
    subtitle: 第十二届新泾镇元宵灯会2月28日至3月5日在天山公园举行
    byline: 记者 陆文静
    photos:
      - {file: images/lantern.jpg, caption: 去年元宵灯会上，居民在天山公园湖畔赏灯（摄影 陆文静\
）, after_paragraph: 1}
    body: |
      记者从镇文化服务中心获悉，第十二届新泾镇元宵灯会将于2月28日（正月十二）至3月5日（正月十七\
）在天山公园举行，每天17:30至21:30开放，免费入园。今年灯会以“灯火映新泾 马年喜乐会”为主题，设置“\
骏马迎春”“江南水乡”“非遗长廊”“童趣乐园”四大展区，展出大小彩灯260余组，其中近三分之一由社区居民和\
辖区学校师生亲手制作。

      主灯“骏马迎春”高9.8米、长16米，由扎灯艺人沈国华带领团队历时两个多月完成。沈师傅今年68岁，\
从17岁起学扎灯，他告诉记者，这组灯用了1,200多米竹篾、400多平方米绸布，马鬃用的是传统的“剪纸拼贴”\
工艺，“晚上点亮以后，远远看过去就像马在跑”。

      “非遗长廊”邀请了上海市和长宁区的8位非遗传承人现场展示剪纸、面塑、海派绒绣和灯彩制作，游客\
可以在传承人指导下亲手做一盏兔子灯，材料包每份20元，每天限量300份，先到先得。组委会特别提醒，材\
料包只收现金和“随申码”支付，不接受预订。

      为保障游园安全，灯会期间天山公园实行限流，瞬时在园人数不超过6,000人；2月28日和3月3日（元宵\
节当天）为高峰日，建议市民错峰前往。天山西路、淞虹路沿线将临时增设非机动车停放点4处，地铁2号线淞\
虹路站4号口至公园北门沿途设引导志愿者。

      元宵节当晚19:00，天山公园湖心岛将举行“水上灯船巡游”，12艘灯船依次驶过九曲桥；20:30起，社区\
文艺团队在北门广场表演舞龙、荡湖船和沪剧选段。镇文化服务中心主任表示，灯会结束后，部分居民作品将\
送往各居民区活动室展出，“让灯会的热闹一直延续到春天”。

      咨询电话：021-6238 1234转8012（工作日8:30—17:00）；灯会实时客流可通过“新泾镇”微信公众号或 \
https://www.shcn.gov.cn/xinjing/dh2026 查询。

  - id: spring-rush
    kind: notice
    section: 公告
    title: 关于春节返程购票及虹桥枢纽出行的温馨提示
    body: |
      各位居民：

      春运返程高峰将于2月17日（正月初一）起陆续到来，预计2月21日至2月24日为上海虹桥站到达和出发\
的双高峰。为方便大家购票出行，现将有关事项提示如下：

      | 车次 | 区间 | 虹桥站开/到 | 备注 |
      | --- | --- | :---: | --- |
      | G7301 | 上海虹桥—南京南 | 06:58开 | 每日增开 |
      | G1234 | 上海虹桥—长沙南 | 08:12开 | 周末加挂 |
      | D3125 | 上海虹桥—合肥南 | 09:40开 | 二等座为主 |
      | G7588 | 杭州东—上海虹桥 | 21:36到 | 夜间增开 |
      | G8302 | 黄山北—上海虹桥 | 22:48到 | 2月20日起 |

      一、火车票请通过铁路12306网站（https://www.12306.cn）或“铁路12306”APP购买，起售时间为开车\
前15天；候补购票可同时选择多个日期和车次，兑现成功后会以短信通知。

      二、老年人、残疾人等重点旅客可拨打12306客服电话预约站内服务，虹桥站东、西进站口均设有“爱心\
服务台”；70岁以上老人乘坐地铁2号线、10号线、17号线凭敬老卡免费。

      三、社区事务受理服务中心一楼大厅设有“春运助老购票点”，2月9日至2月25日每天9:00至16:00由志愿\
者帮助老年居民在手机上完成购票、改签和退票，请带好身份证和手机。

      四、谨防诈骗：铁路12306不会以任何理由要求旅客向个人账户转账，也不会通过电话索要短信验证码\
，如遇可疑情况请拨打反诈专线96110。
    signature:
      issuer: 新泾镇人民政府办公室
      date: 2026-02-06

  - id: reunion-dinner
    section: 民生
    title: 社区食堂里的年夜饭 一桌好菜只要128元
    layout: {start: new-page}
    byline: 通讯员 周晓岚
    photos:
      - {file: images/canteen.jpg, caption: 新泾六村长者食堂的厨师在准备年夜饭套餐（摄影 周晓岚\
）, after_paragraph: 2}
    body: |
      “今年不用自己在家忙一整天了，在食堂订一桌，儿子一家回来直接开饭。”家住新泾六村的退休教师钱\
阿姨一边排队付款，一边笑着对记者说。今年，新泾镇8家社区食堂和长者食堂首次推出“年夜饭套餐”，4人份\
128元，6人份188元，8人份258元，包括八宝鸭、红烧蹄髈、糖醋小排、清蒸鲈鱼、腌笃鲜和八宝饭等家常年\
菜。

      年夜饭套餐1月20日开始预订，截至2月5日已预订1,436份，其中不少是子女在外地、老两口在家过年的\
家庭。为了照顾行动不便的老人，食堂还提供送餐上门服务，在3公里范围内每单加收5元配送费，80岁以上独\
居老人免收。

      天山西路799号长者食堂负责人告诉记者，年夜饭的菜单是去年12月在居民中征集意见后定下的，“老人\
说要少油少盐、菜要烧得酥一点，我们就把蹄髈多炖了半个小时，鱼也改成了刺少的鲈鱼”。食堂还特别准备\
了无糖八宝饭，给有糖尿病的老人选择。

      除了年夜饭，社区食堂春节期间照常营业。早餐每份5元起，午餐“两荤两素一汤”每份12元，60岁以上\
老人凭敬老卡每份再优惠2元；大年夜和年初一中午，食堂还为环卫工人、快递小哥和网格员免费提供一份热\
菜热饭。

      镇民生服务办介绍，全镇现有社区食堂、长者食堂和助餐点共23个，去年累计供餐约41万人次。今年镇\
里计划在北虹路和新泾八村再新建2个助餐点，让老人“出门走10分钟就能吃上一口热饭”。

      订餐电话：天山西路799号长者食堂021-6238 4471，新泾六村社区食堂021-6238 4472，新泾八村助餐\
点138 1623 5590（工作日9:00—17:00）。

  - id: lantern-riddles
    section: 文化
    title: 猜灯谜 写春联 学扎灯 社区里的年味儿浓
    byline: 记者 陆文静
    photos:
      - {file: images/riddles.jpg, caption: 北虹居民区的孩子们在活动室里猜灯谜（摄影 陆文静）, a\
fter_paragraph: 1}
    body: |
      “‘一口咬掉牛尾巴’，打一个字——是‘告’！”2月7日下午，北虹居民区活动室里挂满了红灯笼，灯笼下面\
吊着写满谜面的彩纸条，30多个孩子和家长围在一起抢答，猜中的人可以领一份小礼品：一袋糖、一个福字或\
一张“新泾地铁卡套”。

      这样的迎新春活动，正在全镇28个居民区轮番上演。北虹居民区书记介绍，今年的灯谜有一半是居民自\
己出的，“有老先生出字谜，也有小学生出脑筋急转弯，还有几条是用English出的，专门给在小区住的外籍朋\
友”。活动当天，一位来自德国的居民Thomas用中文猜中了三条谜语，引来一片掌声。

      在新泾五村，书法爱好者协会的6位老会员连续三个周末在小区门口摆摊，免费为居民写春联，共写出\
春联和“福”字800余幅。72岁的老会员张德明说，自己写了四十多年春联，“最开心的是看到年轻人也来排队，\
还让我写‘马到成功’”。

      新泾八村则请来了扎灯艺人，在活动室里教居民扎兔子灯和走马灯。一盏兔子灯从劈竹篾、扎骨架到糊\
纸、上色，大约要两个小时。“以前小时候过年，家家户户都自己扎灯，现在会的人越来越少了。”带着孙女来\
学扎灯的陈阿姨说，“今天学会了，明年正月十五我就自己给孙女扎一盏。”

      镇文化服务中心表示，各居民区的迎新春活动将持续到元宵节，具体时间和地点可在“新泾镇”微信公众\
号“社区活动”栏目查询，部分活动需提前报名。

  - id: volunteers
    section: 志愿
    title: 春节不打烊 “红马甲”守护平安年
    layout: {start: new-page}
    byline: 通讯员 王嘉诚
    photos:
      - {file: images/volunteer.jpg, caption: 志愿者在淞虹路地铁站4号口为旅客指路（摄影 王嘉诚）\
, after_paragraph: 2}
    body: |
      除夕夜，当大多数人围坐在一起吃年夜饭时，新泾镇有一群穿着红马甲的人还在路上：他们是平安志愿\
者、助老志愿者和交通引导志愿者。今年春节期间，全镇共有1,860名志愿者报名参加“平安过大年”志愿服务\
，累计服务时长预计超过2.4万小时。

      “我们两人一组，每天晚上沿着小区走两圈，重点看楼道里有没有堆放杂物、电动自行车有没有在楼道\
充电。”新泾七村平安志愿者队队长老刘今年65岁，已经连续8年在春节期间参加巡逻，“今年年三十轮到我值\
班，我老伴说，年夜饭就等我巡完再吃”。

      在淞虹路地铁站，交通引导志愿者每天7:00至21:00分三班值守，为拖着行李的旅客指路、帮老人搬运\
行李。志愿者小周是一名在读大学生，寒假回到新泾后报名参加了志愿服务，“有位阿婆要去虹桥火车站，我\
陪她坐了一站地铁到换乘口，她一直说谢谢，我觉得这个寒假很有意义”。

      助老志愿者则把关心送到了独居老人家中。春节前，全镇412名独居老人每人都有一名志愿者结对，志\
愿者每天至少打一个电话、每周上门一次，帮老人检查燃气、水电，陪老人说说话。新泾五村90岁的孙老伯说\
：“小姑娘每天都打电话来，问我吃了什么、身体怎么样，比我外孙还关心我。”

      镇志愿者服务中心提醒，春节期间如需志愿服务帮助，可拨打志愿服务热线021-6238 7766，或通过“随\
申办”APP“志愿服务”栏目提交需求；有意加入志愿者队伍的居民，可到所在居委会报名登记。

  - id: fireworks
    section: 平安
    title: 外环线以内禁放烟花爆竹 违者最高罚款500元
    byline: 通讯员 杨帆
    body: |
      根据《上海市烟花爆竹安全管理条例》，本市外环线以内区域全年禁止燃放烟花爆竹，新泾镇全域均位\
于禁放区域内。春节期间，镇平安办、天山西路派出所和城管中队将加强巡查，对违规燃放行为依法处理，个\
人违规燃放最高可处500元罚款。

      镇平安办提醒，邮寄、携带烟花爆竹乘坐公共交通工具同样属于违法行为；网购的“电子鞭炮”“冷烟花”\
中也有部分属于烟花爆竹，在禁放区域内同样不能燃放。居民如发现违规销售、燃放烟花爆竹，可拨打110或\
市民服务热线12345举报。

      今年除夕和元宵节，各居民区都将组织“文明过节”宣传，楼组长逐户发放提示单。镇平安办负责人表示\
，去年春节全镇没有发生一起烟花爆竹引发的火灾，“希望大家继续支持，过一个安全、文明、清静的新年”。

  - id: tips
    kind: box
    title: 温馨提示
    body: |
      - **燃气安全**：外出探亲前请关闭燃气总阀，发现燃气泄漏请立即开窗通风，到室外拨打962777。
      - **电动自行车**：严禁在楼道、门厅停放和充电，请到小区集中充电棚充电，每度电0.8元。
      - **防范诈骗**：凡是自称“公检法”要求转账的都是诈骗，如有疑问请拨打96110。

  - id: conscription
    kind: notice
    section: 公告
    title: 新泾镇2026年上半年征兵工作公告
    layout: {start: new-page}
    body: |
      各位适龄青年：

      根据《中华人民共和国兵役法》和上海市人民政府、上海警备区征兵命令，新泾镇2026年上半年征兵工\
作即日开始。现将有关事项公告如下：

      一、征集对象：年满18至22周岁的男性青年，普通高等学校毕业生放宽至24周岁，研究生放宽至26周岁\
；女性青年征集对象为普通高等学校应届毕业生和在校生。

      二、报名时间：2月10日至3月15日。应征青年登录“全国征兵网”（https://www.gfbzb.gov.cn）进行兵\
役登记和应征报名，并于3月20日前到镇人民武装部确认。

      三、体格检查：初检初考定于3月下旬在长宁区征兵体检站进行，具体时间另行通知；体检当天请空腹\
，带好身份证和学历证明。

      四、优待政策：义务兵服役期间，家庭按规定享受优待金；大学生士兵退役后复学、考研、考公享受相\
应优惠，入伍时可申请学费补偿和国家助学贷款代偿。

      五、咨询方式：镇人民武装部，地址天山西路345号三楼305室，电话021-6238 5096，工作日8:30至17:\
00；也可关注“长宁征兵”微信公众号了解详情。

      欢迎有志青年踊跃报名，携笔从戎，报效祖国！
    signature:
      issuer: [新泾镇人民政府, 新泾镇人民武装部]
      date: 2026-02-09

  - id: clinic
    section: 健康
    title: 春节期间社区卫生服务中心门诊安排
    byline: 通讯员 韩雪
    body: |
      春节期间（2月16日至2月22日），新泾镇社区卫生服务中心（淞虹路360号）每天8:00至12:00开设全科\
门诊，发热门诊和急诊24小时开放；各社区卫生服务站2月16日至2月19日暂停服务，2月20日起恢复正常。

      家庭医生签约居民如需开具慢性病长处方，可在节前到服务中心或服务站办理，一次最多可开具12周用\
量。节日期间如有身体不适，可拨打家庭医生热线021-6238 7720咨询，或通过“健康云”APP预约复诊。

      中心提醒，节日期间饮食要有节制，少吃油腻和过咸食物，高血压、糖尿病患者要按时服药、定期监测\
；老人走亲访友时要注意保暖，避免过度劳累。

  - id: hotlines
    kind: box
    title: 便民电话
    body: |
      | 服务 | 电话 |
      | --- | ---: |
      | 社区事务受理服务中心 | 021-6238 2100 |
      | 社区卫生服务中心 | 021-6238 7720 |
      | 城运中心（24小时） | 021-6238 0110 |
      | 志愿服务热线 | 021-6238 7766 |
      | 市民服务热线 | 12345 |

  - id: library
    section: 文化
    title: 社区图书馆推出“新春书单” 寒假每天开放到晚上8点
    layout: {start: new-page}
    byline: 通讯员 许诺
    body: |
      寒假和春节期间，新泾镇社区图书馆（天山西路345号二楼）延长开放时间，每天9:00至20:00开放，除\
夕下午和年初一全天闭馆。图书馆精选了120种图书组成“新春书单”，分为“读懂中国年”“上海老味道”“少儿绘\
本”“健康生活”四个主题，放在一楼入口的专架上，方便居民借阅。

      “孩子放寒假在家总看手机，我就带他来图书馆，一待就是一下午。”带着儿子来借书的刘女士说。图书\
馆还在每周六下午开设“亲子共读”活动，由志愿者老师带着孩子读绘本、做手工，每期限20组家庭，可通过“\
新泾镇”微信公众号报名。

      图书馆与上海图书馆实行“一卡通”，居民凭社保卡或身份证即可免费办理借阅证，每证可借10册，借期\
28天，还可在全市300多家公共图书馆通借通还。对于行动不便的老年读者，图书馆提供“送书上门”服务，电\
话预约后由志愿者每两周送书一次。

      馆长介绍，去年社区图书馆共接待读者9.6万人次，外借图书4.3万册；今年图书馆将新增电子阅览区和\
老年人“数字课堂”，教老人用手机看电子书、听有声书，“让爷爷奶奶也能跟上数字生活”。

      咨询电话：021-6238 5210；馆藏查询：https://www.library.sh.cn 或“上海图书馆”APP。

  - id: lost
    kind: notice
    title: 寻物启事
    body: |
      本人于2月7日（周六）下午3点左右，在淞虹路地铁站4号口至天山西路799号长者食堂之间遗失深蓝色\
双肩包一个，内有身份证、老年卡、降压药和一本红色封面的家谱（对我家意义重大）。有拾到者请联系139 \
1623 8875（王先生），必有重谢！
    signature:
      issuer: 王建华
      date: 2026年2月8日
"""

PHOTOS = {  # name → (size, colour)
    "images/lantern.jpg": ((2400, 1600), (200, 80, 60)),
    "images/canteen.jpg": ((1800, 1350), (210, 170, 120)),
    "images/volunteer.jpg": ((1200, 1600), (120, 150, 190)),
    "images/riddles.jpg": ((2000, 1400), (190, 60, 70)),
}


def _photo(size: tuple[int, int], colour: tuple[int, int, int]) -> bytes:
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.rectangle([0, 0, w - 1, h - 1], outline=(90, 60, 60), width=12)
    draw.line([0, 0, w, h], fill=(150, 120, 110), width=8)
    draw.line([0, h, w, 0], fill=(150, 120, 110), width=8)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, dpi=(300, 300))
    return out.getvalue()


def files() -> dict[str, bytes]:
    return {name: _photo(size, colour) for name, (size, colour) in PHOTOS.items()}


def _blocks() -> tuple[str, dict[str, str]]:
    head, articles = MANIFEST.split("articles:\n")
    blocks = [b for b in re.split(r"(?m)^(?=  - id: )", articles) if b.strip()]
    return head, {re.match(r"  - id: (\S+)", b).group(1): b for b in blocks}  # type: ignore[union-attr]


def variant(order: list[str], new_page: set[str], cut: tuple[str, str] | None = None) -> str:
    """The issue with its articles in `order`, those in `new_page` (and only they)
    opening a page, and the text from `cut`'s first string up to its second left out."""
    head, blocks = _blocks()
    text = head + "articles:\n"
    for name in order:
        block = blocks[name].replace("    layout: {start: new-page}\n", "")
        if name in new_page:
            block = block.replace("\n    title:", "\n    layout: {start: new-page}\n    title:", 1)
        text += block
    if cut is not None:
        text = text[:text.index(cut[0])] + text[text.index(cut[1]):]
    return text


# 灯谜 ends page 3 about 17 lines a column short; the 春运 notice (shorter, without its
# last two hints) does not fit there and opens page 4; 志愿者 opens page 5.
TESTER = variant(
    ["lanterns", "reunion-dinner", "lantern-riddles", "spring-rush", "volunteers", "fireworks",
     "tips", "conscription", "clinic", "hotlines", "library", "lost"],
    {"volunteers", "conscription", "library"},
    ("      三、社区事务受理服务中心", "    signature:\n      issuer: 新泾镇人民政府办公室"))
# The same with 志愿者 flowing on and the fireworks story opening a page: the plan sets the
# notice after 志愿者, whose text fills page 3; the notice then ends page 4.
MOVED = variant(
    ["lanterns", "reunion-dinner", "lantern-riddles", "spring-rush", "volunteers", "fireworks",
     "tips", "conscription", "clinic", "hotlines", "library", "lost"],
    {"fireworks", "conscription", "library"},
    ("      三、社区事务受理服务中心", "    signature:\n      issuer: 新泾镇人民政府办公室"))
# The clinic's hours before the 征兵 notice, which opens a page: about 7 pages of text.
# The plan sets the 春运 notice after 志愿者 and the issue ends on page 7; with `pages: 8`
# it took a later round that made 8 again by sending the notice on from page 4, which
# was left with 8 lines a column (outside's `full`: a page count met by a hole).
SEVEN = variant(
    ["lanterns", "reunion-dinner", "lantern-riddles", "spring-rush", "volunteers", "fireworks",
     "tips", "clinic", "conscription", "hotlines", "library", "lost"],
    {"conscription", "library"})
