"""An October issue of 田林家园 (own material, session 15): a lead story with a photo
that runs on to page 2; a 施工 notice across the page, longer than a page (salutation,
numbered items, a 7-row table of 路段, dates, detours and numbers such as 021-6470 1234
转8012, a URL, a photo at its foot, a two-line 落款), which starts under the lead's end
and goes on in parts; its last part holds a few lines, the photo and the 落款. Then a
story whose head is tall: a 40-character headline with English words, a subtitle, a
panorama across the page and an upright photo heading its first column (the first
photo without a placement), more photos in its text; then a story and a box.

Set as it stands, the story's headline and panorama fit under the notice's last part,
but not with the upright photo as well: the headline guard took the story on to the
next page and left the page of the notice's last part half empty."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

MANIFEST = """\
newsletter: 田林家园
publisher: 徐汇区田林街道
issue: {number: 10, volume: 203, date: 2026-10-15}
layout: two-column
pages: 5
colophon:
  office: 《田林家园》编辑部
  address: 上海市徐汇区田林路200号（田林街道社区事务受理服务中心2楼）
  postcode: "200233"
  phone: 021-6470 2200转6015
  note: 内部资料 免费赠阅

articles:
  - id: 美丽家园
    section: 要闻
    title: 田林十二村“美丽家园”改造完工 62幢楼换上新外衣
    subtitle: 屋面防水、雨污分流、非机动车棚一次做完，居民“点菜”定方案
    byline: 记者 沈嘉怡
    photos:
      - {file: images/estate.jpg, caption: 改造后的田林十二村中心花园, credit: 摄影 沈嘉怡}
    body: |
      9月28日，田林十二村“美丽家园”改造工程通过竣工验收。这个建于1984年的老小区，62幢多层住宅\
的屋面、外墙、雨污水管道和楼道照明全部换新，新建非机动车棚11座、充电桩286个，中心花园也重新做了\
铺装和无障碍坡道。

      “以前一下大雨，楼道口的积水能没过脚背。”住在田林十二村38号的退休工人钱志强说，雨污分流以后，\
今年夏天几场暴雨，楼下再没积过水。

      ### 方案由居民“点菜”

      改造开工前，居委会用了两个月做意见征询，发出问卷1,873份，回收1,642份。居民最关心的前三项是\
屋面漏水、非机动车停放和楼道照明，施工方案就按这个顺序排。街道房管办副主任顾晓峰介绍，方案公示期\
间共收到意见214条，采纳了176条，“比如车棚的位置，前后改了四次，最后放在了离门洞最近、又不挡窗户的\
地方”。

      工程总投资约3,960万元，由市、区两级财政承担。施工单位在每个门洞贴出了“施工告示牌”，写明工期、\
负责人和投诉电话，居民有意见可以拨打021-6470 1234转8012，或在“田林家园”微信小程序上留言。

      ### 施工期间的“临时邻居”

      改造期间，施工单位在小区里设了两处“工人驿站”，居民也常把自家的茶水、西瓜送过去。项目经理\
Kevin Lu说，工人们最怕的是打扰老人午休，所以每天12:00—13:30停止一切有噪声的作业。

      “他们干活的时候，我们老人就在花园里看着，像看自己家装修一样。”87岁的居民葛秀珍笑着说。她家\
住在5楼，改造后楼道里装了扶手和感应灯，晚上下楼扔垃圾不用再摸黑了。

      ### 管好用好才是长久之计

      改造完成后，小区成立了由居民代表、物业和居委会组成的“家园管理小组”，每月检查一次车棚、充电\
桩和公共设施。物业公司也把报修电话021-6470 5566贴在了每个楼道口，承诺一般报修24小时内上门。

      街道表示，今年还将完成田林十四村、十五村的“美丽家园”改造，明年起逐步推进电梯加装和适老化改\
造。居民可登录https://www.xuhui.gov.cn/tianlin/meilijiayuan查看各小区的改造进度。

  - id: 管道施工
    kind: notice
    section: 公告
    title: 关于田林路、钦州路部分路段雨污水管道改造施工期间交通组织调整的通告
    photos:
      - {file: images/sign.jpg, caption: 田林路宜山路口的施工告示牌, placement: bottom}
    body: |
      各居民区、各物业服务企业、沿街各单位及广大市民：

      为提升田林地区排水能力，根据《上海市排水与污水处理条例》和区建设管理委员会工作安排，上海城\
投水务工程项目管理有限公司将于10月20日至12月31日对田林路（宜山路—桂林路）、钦州路（田林路—漕宝\
路）段的雨污水管道进行改造。施工期间部分路段将封闭或缩减车道，现将有关事项通告如下：

      一、**施工时间**：每个路段分两期施工，每期约20天；夜间22:00至次日6:00不进行破路、打桩等高噪声\
作业。如遇雨天顺延，顺延安排另行张贴于各路口告示牌。

      二、**交通组织**：施工路段实行单向通行或全封闭，公交43路、218路、957路临时改道，具体安排以公\
交公司公告为准。请驾车出行的市民提前规划路线，服从现场交通协管员指挥。

      三、**行人通行**：施工围挡内侧设1.5米宽的临时人行通道，夜间有照明；轮椅、婴儿车可从宜山路口、\
桂林路口的无障碍坡道通行。

      四、各路段施工日期、绕行线路及联系人如下：

      | 路段 | 施工日期 | 绕行线路 | 联系人及电话 |
      | --- | --- | --- | --- |
      | 田林路（宜山路—柳州路） | 10月20日—11月8日 | 经宜山路、漕宝路绕行 | 严建国 \
021-6470 1234 转8012 |
      | 田林路（柳州路—桂林路） | 11月10日—11月29日 | 经柳州路、虹漕路绕行 | 陶海燕 139 1762 3301 |
      | 钦州路（田林路—钦江路） | 10月22日—11月10日 | 经钦江路、桂林路绕行 | 方志明 \
021-6485 0110 转5 |
      | 钦州路（钦江路—漕宝路） | 11月12日—12月1日 | 经桂林路、漕宝路绕行 | \
郁文华（物业经理） 186 2170 8809 |
      | 田林十二村东门（Gate 2） | 11月3日—11月7日 | 改走田林十二村北门 | 姚丽萍 021-6470 3388 |
      | 田林路菜场门口 | 12月2日—12月12日 | 改走柳州路侧门 | 冯卫东（市场管理所） 138 1620 4477 |
      | 恢复路面、划线 | 12月15日—12月31日 | 夜间分段进行 | 施工项目部 021-6470 9900 |

      五、施工期间如发现管道漏水、路面塌陷、围挡倒伏等情况，请拨打排水热线962777或街道城运中心24小时\
值班电话021-6485 0110。施工进度可在“徐汇建管”微信公众号或 \
https://www.xuhui.gov.cn/tianlin/shigong-2026 查询。
    signature:
      issuer: 田林街道城市运行管理中心
      date: 2026-10-12

  - id: 重阳
    section: 节日
    title: 田林“敬老月”启动：Silver Age合唱团、“百岁老人”影展等你来
    subtitle: ——10月20日至11月20日，街道31项活动全部免费，部分需在“田林家园”小程序预约
    byline: 通讯员 邵雯婷 实习生 Lucy Wang
    photos:
      - {file: images/panorama.jpg, caption: 10月12日，田林路沿线“敬老月”灯饰试亮，\
从宜山路口到桂林路口约1.1公里, placement: full-width, credit: 摄影 曹立新}
      - {file: images/choir.jpg, caption: 10月9日，Silver Age合唱团在社区文化中心排练, \
credit: 摄影 曹立新}
      - {file: images/canteen.jpg, caption: 长者食堂推出重阳“九九套餐”, credit: 摄影 邵雯婷}
    body: |
      重阳节到来之际，田林街道“敬老月”活动于10月20日启动。一个月里，街道将在社区文化中心（田林路\
200号）、长者食堂和各居民区活动室举办31项活动，全部免费。其中合唱音乐会和“百岁老人”影展需提前预约，\
预约通道10月16日10:00开放。

      **Silver Age合唱团重阳音乐会**（10月29日14:00—16:00，社区文化中心2楼剧场）：由平均年龄71岁的\
42位居民组成的合唱团将演唱《我和我的祖国》《茉莉花》和英文歌曲Edelweiss。团长、退休音乐教师宋佩玲说：\
“我们唱了八年，从12个人唱到42个人。”

      **“百岁老人”影展**（10月20日至11月20日，社区文化中心1楼展厅）：展出街道17位百岁老人的肖像和\
老照片共96幅，年纪最大的一位103岁。每天9:00—17:00开放，周一闭馆。

      **长者食堂重阳新菜单**：田林路140号、钦州路820号两处长者食堂推出“九九套餐”，两荤两素一汤18元，\
80岁以上老人凭敬老卡再减3元。订餐电话021-6470 5567，送餐上门请提前一天预约。

      预约方式：微信搜索“田林家园”小程序，或拨打021-6470 2200转6015、6016（9:00—17:00）。70岁以上\
老人可由居委会代为预约，每人限约2场。活动期间社区文化中心停车位紧张，驾车前来的居民请将车停在田林路\
188号公共停车场（敬老月期间免费停放2小时）。

      敬老月期间，街道还将组织“银龄互助·邻里守望”志愿服务，为辖区内1,286名独居、高龄老人上门送去\
重阳糕和问候，为412户困难家庭送去慰问金。居民如发现身边有需要帮助的老人，可拨打街道24小时服务热线\
021-6470 8890或12345市民服务热线，也可登录https://www.xuhui.gov.cn/tianlin/jinglaoyue?from=jiayuan&lang=zh-CN留言。

      街道老龄办主任史海云表示，今年的活动比去年多了9项，增加了智能手机培训、防诈骗讲座和“时间银行”\
积分兑换，“希望老人们不只是来看、来吃，还能学到东西、交到朋友”。

  - id: 健身步道
    section: 民生
    title: 田林路绿地健身步道贯通 全长2.3公里
    byline: 记者 吕晨阳
    photos:
      - {file: images/path.jpg, caption: 清晨在健身步道上锻炼的居民, credit: 摄影 吕晨阳, \
placement: inline, after_paragraph: 2}
    body: |
      10月10日，田林路绿地健身步道全线贯通。步道西起宜山路，东至桂林路，全长2.3公里，沿途设有健身\
驿站3座、休息座椅48组、公共卫生间2座，夜间照明到22:00。

      步道采用透水塑胶铺装，每隔100米有里程标识，扫描标识上的二维码可以记录步数、查看心率建议。负责\
设计的同济大学景观学系讲师Anna Becker介绍，步道的坡度都控制在2%以内，轮椅和婴儿车可以全程通行。

      “以前晨练只能绕着小区走，现在一圈下来正好五千步。”住在田林十四村的居民俞红英说。她和几个老\
姐妹每天早上6:30准时出门，走完一圈再去菜场。

      街道绿化市容所表示，步道周边的三块绿地将在明年春天补种樱花和海棠，秋冬季节会安排志愿者清扫\
落叶。市民对步道设施有意见建议，可拨打021-6470 6677或在“田林家园”小程序上反映。

      据了解，徐汇区今年共建成健身步道12条，田林路绿地步道是其中最长的一条。区体育局还将在步道沿线\
举办“百千万”健步走活动，报名请登录https://www.xuhui.gov.cn/tiyu/jianbuzou查询。

  - id: 电话
    kind: box
    title: 田林街道便民服务电话
    body: |
      | 事项 | 电话 |
      | --- | --- |
      | 街道24小时服务热线 | 021-6470 8890 |
      | 社区事务受理服务中心 | 021-6470 2200转8001 |
      | 田林社区卫生服务中心 | 021-6485 2120 |
      | 田林路派出所 | 021-6470 5110转2036 |
      | 排水热线 | 962777 |
"""

PHOTOS = {
    "images/estate.jpg": ((1600, 1200), (120, 140, 160)),
    "images/sign.jpg": ((1600, 1000), (180, 150, 90)),
    "images/panorama.jpg": ((4200, 900), (70, 60, 110)),
    "images/choir.jpg": ((1200, 1600), (150, 110, 120)),
    "images/canteen.jpg": ((1600, 1200), (170, 140, 100)),
    "images/path.jpg": ((1600, 1100), (90, 150, 100)),
}


def _photo(size: tuple[int, int], colour: tuple[int, int, int]) -> bytes:
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.rectangle([0, 0, w - 1, h - 1], outline=(60, 60, 60), width=12)
    draw.line([0, 0, w, h], fill=(220, 220, 210), width=8)
    draw.line([0, h, w, 0], fill=(220, 220, 210), width=8)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, dpi=(300, 300))
    return out.getvalue()


def files() -> dict[str, bytes | str]:
    return {name: _photo(size, colour) for name, (size, colour) in PHOTOS.items()}


def write(folder: str) -> None:
    """The issue as a folder (to look at it by hand: `bulletin-press build FOLDER`)."""
    from pathlib import Path

    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    (root / "issue.yaml").write_text(MANIFEST, encoding="utf-8")
    for name, data in files().items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
