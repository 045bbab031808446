"""Text that does not repeat, for `bench/make_bench_issue.py --varied`.

The other bench issues re-deal the sample's paragraphs, so most of their lines
come back many times and every cache keyed on text (typeset/ext/split_cache.py)
answers them. A real issue repeats almost nothing. This module writes articles
of a town bulletin's kind: notices and reports with names, addresses, phone
numbers, dates with their weekdays, times, URLs, English names and brands,
numbers with units, subheads, lists and a table. Each sentence is one of ~150
templates filled from word lists with a seeded `random.Random`, and no
sentence is used twice, so the output is the same on every run and every
machine, and no two paragraphs are alike. The facts are made up.
"""

from __future__ import annotations

import datetime
import random
import string
from collections.abc import Callable
from dataclasses import dataclass

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
            "蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏付方邹孟熊秦邱江尹薛"
            "段雷侯龙史陶黎贺顾毛郝龚邵钱严武戴莫孔汤")
GIVEN = ("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华玉兰萍红鹏建文辉力斌宇浩凯晨欣"
         "怡佳琪雪梅海燕志国丹峰俊慧雯婷颖亮振嘉诚睿瑶蕾琳晓春秋琴亚林毅")
ROLES = ("居委会党总支书记", "居委会主任", "物业项目经理", "社区民警", "楼组长", "志愿者",
         "退休教师", "社工", "家庭医生", "业委会主任", "网格员", "城管中队队员",
         "社区规划师", "团支部书记", "图书馆馆员", "社区卫生服务中心护士长", "垃圾分类指导员",
         "老年协会会长", "居民代表", "法律顾问", "消防安全员", "食堂负责人")
AREAS = ("新泾一村", "新泾二村", "新泾三村", "新泾五村", "新泾六村", "新泾七村", "新泾八村",
         "新泾九村", "天山星城", "北虹居民区", "刘家宅", "淞虹苑", "泰安大楼", "西郊百合苑",
         "金平苑", "新泾家苑", "绿园一村", "绿园三村", "绿园五村", "绿园七村", "虹园",
         "哈密路居民区", "福泉北路居民区", "协和路居民区", "平塘路居民区", "剑河家苑")
ROADS = ("天山西路", "哈密路", "淞虹路", "福泉北路", "北翟路", "剑河路", "新泾路", "协和路",
         "仙霞西路", "北虹路", "泉口路", "平塘路", "金钟路", "广顺路", "威宁路", "程家桥路")
VENUES = ("镇社区文化活动中心", "社区事务受理服务中心", "社区卫生服务中心", "镇党群服务中心",
          "为老服务中心", "长者食堂", "市民健身中心", "睦邻中心", "社区图书馆", "市民驿站",
          "外籍人士服务站", "青少年活动中心", "社区学校", "镇城运中心", "新时代文明实践站",
          "人大代表之家", "退役军人服务站", "就业服务站")
ENGLISH = ("Michael Brown", "Sophie Laurent", "Kenji Tanaka", "Maria Garcia", "Thomas Müller",
           "Emily Clark", "Raj Patel", "Olivia Wilson", "Lucas Martin", "Anna Kowalski",
           "David Kim", "Isabella Rossi", "Peter Jensen", "Chloe Dubois", "Hiroshi Sato")
COUNTRIES = ("德国", "法国", "日本", "韩国", "美国", "英国", "意大利", "西班牙", "丹麦",
             "新加坡", "加拿大", "澳大利亚", "印度", "波兰")
BRANDS = ("IKEA", "Starbucks", "Decathlon", "Apple", "Tesla", "Costco", "Uniqlo", "Lawson",
          "FamilyMart", "Nike", "Adidas", "LEGO")
TERMS = ("App", "Wi-Fi", "AED", "5G", "PM2.5", "GPS", "LED", "USB-C", "Excel", "PDF", "OCR",
         "AI", "VR", "CT", "ICU", "ETC", "PPT", "H5")
WEEKDAYS = "一二三四五六日"
CHINESE_ORDINALS = "一二三四五六七八九十"
REUSE = 3  # times a sentence template is filled in one issue


@dataclass(frozen=True)
class Topic:
    """One article's matter: its headlines, its subheads and its sentences."""

    section: str
    titles: tuple[str, ...]
    subtitles: tuple[str, ...]
    subheads: tuple[str, ...]
    sentences: tuple[str, ...]
    items: tuple[str, ...] = ()  # list items, when the article carries a list
    quotes: tuple[str, ...] = ()


TOPICS = (
    Topic("民生", ("老旧小区加装电梯提速", "加梯“最后一公里”打通了"),
          ("{area}成片加装项目进入施工阶段", "今年计划新开工{n_small}台、完工{n_small}台"),
          ("从“一栋一议”到“成片推进”", "低层住户的顾虑怎么解", "补贴怎么申请"),
          ("记者从镇城建办获悉，{area}{n_small}个门栋的加装电梯项目已于{date}全部开工，预计{month}底前完成验收。",
           "{area}{n_small}号门栋的{role}{name}说，门栋里{n_small}户人家有{n_small}户是七十岁以上的老人，“上下楼难”是大家最大的心病。",
           "设计单位针对一楼住户关心的采光问题做了日照分析，把电梯井向外移了{n_len}米，{n_small}户低层居民在方案公示期内签字同意。",
           "单台电梯造价平均约为{n_money}万元，市、区两级财政补贴最高{n_small}万元，其余由门栋业主按楼层分摊，一楼住户不出资。",
           "施工期间，{road}{n_house}弄南侧通道临时封闭，非机动车请从{road}{n_house}号侧门进出，给您带来的不便敬请谅解。",
           "截至{date}，全镇已累计完成加装电梯{n_mid}台，惠及居民{n_big}户，其中{area}一个小区就有{n_small}台投入使用。",
           "有加装意向的居民可咨询所在居委会，或拨打镇加装电梯工作专班电话{phone}（工作日{time_range}）。",
           "为减少扰民，施工单位把打桩、切割等噪声较大的工序安排在{time_range}之间，周末和中高考期间停止高噪声作业。",
           "镇里还请来律师和{role}组成“加梯议事会”，逐户沟通补偿、噪声和管线迁移等问题，累计召开协调会{n_small}场。",
           "电梯投入使用后由{brand_free}维保单位负责日常维护，每{n_small}天一次例行保养，故障报修电话张贴在每台电梯的轿厢内。"),
          items=("门栋居民提出意向，居委会协助开展意见征询（需经本门栋三分之二以上业主同意）",
                 "委托有资质的设计单位出具方案，在小区内公示不少于{n_small}个工作日",
                 "向镇加装电梯工作专班提交材料，办理规划、施工等审批手续",
                 "施工、验收后投入使用，申请市、区两级财政补贴")),
    Topic("便民", ("社区食堂开到家门口", "“家门口的饭桌”又添一处"),
          ("{area}长者食堂{date_short}起试营业", "助餐点覆盖全镇{n_small}个居民区"),
          ("菜单是怎么定的", "送餐上门怎么预约", "价格与补贴"),
          ("位于{address}的{area}长者食堂于{date}起试营业，餐厅面积约{n_area}平方米，设座位{n_mid}个。",
           "食堂每天供应早餐{time_range}、午餐{time_range2}，荤素搭配的套餐价格在{n_price}元至{n_price}元之间。",
           "本镇户籍的{n_age}岁以上老人凭“随申码”就餐可享受每餐{n_small}元的助餐补贴，{n_age}岁以上再加{n_small}元。",
           "菜单由营养师和居民代表一起商定，每周更新一次，少油少盐，米饭可以选软饭，还专门准备了适合咀嚼不便老人的“软食”。",
           "试营业第一周，食堂日均接待就餐{n_mid}人次，{role}{name}说，中午{clock}前后是高峰，排队一般不超过{n_small}分钟。",
           "行动不便的老人可以提前一天{clock}前通过电话{phone}或“{app}”小程序预约送餐，由志愿者送到家门口，每单加收配送费{n_small}元。",
           "家住{area}的{name}阿姨今年{n_age}岁，她说以前一个人在家懒得烧饭，现在每天中午走{n_small}分钟就能吃上热饭热菜。",
           "食堂后厨安装了“明厨亮灶”摄像头，居民用手机扫描门口的二维码就能看到后厨实时画面，网址是{url}。",
           "镇市场监管所对食堂进行了开业前检查，抽检餐具{n_small}批次、食材{n_small}批次，结果全部合格。",
           "下一步，镇里计划在{area}和{area}再开设{n_small}个助餐点，力争{year}年底前实现居民步行{n_small}分钟可达。"),
          quotes=("以前一个人在家懒得烧饭，常常是泡饭就咸菜。现在走几分钟就能吃上热乎的，还能和老姐妹们聊聊天。",
                  "我们不求赚钱，只求老人们吃得放心、吃得舒心，有意见随时提，菜单每周都会改。")),
    Topic("平安", ("冬季消防安全大检查走进老旧小区", "电瓶车“飞线”充电整治见成效"),
          ("楼道堆物整改率达到{n_pct}%", "全镇新增电动自行车充电桩{n_mid}个"),
          ("查出了哪些隐患", "充电桩建在哪里", "家庭防火小常识"),
          ("{date}晚上，镇消防安全联合检查组来到{area}，对{n_small}个门栋的楼道、屋顶平台和地下车库进行逐一排查。",
           "检查中共发现楼道堆物{n_mid}处、电瓶车“飞线”充电{n_small}处、消防通道占用{n_small}处，当场整改{n_mid}处。",
           "{road}{n_house}弄新建的集中充电棚共设充电口{n_mid}个，充满一次约需{n_small}小时，费用为每度电{n_price_small}元。",
           "充电桩支持扫码支付，充满后自动断电，并配有烟感报警和喷淋装置，异常时会通过{app}推送提醒。",
           "社区民警{name}提醒，电动自行车进楼入户、私拉电线充电极易引发火灾，违者将依照《上海市消防条例》处以{n_price}元以上罚款。",
           "镇应急管理办统计，今年以来全镇共发生电动自行车火灾{n_small}起，同比下降{n_pct}%，无人员伤亡。",
           "检查组还为{n_small}户独居老人免费安装了独立式烟感报警器，报警器电池可使用{n_small}年左右，响起时会同步通知{role}。",
           "{area}在每个楼层配置了灭火器和{n_small}米长的消防软管卷盘，{role}{name}每月{day}号带队检查压力表。",
           "冬季使用取暖器时，应与窗帘、被褥等可燃物保持{n_len}米以上距离，外出和睡觉前要切断电源。",
           "发现火情请立即拨打119，说清楚所在{road}的门牌号和着火部位，并在安全的地方等候消防车。"),
          items=("楼道、疏散通道内不堆放杂物",
                 "电动自行车不进楼入户，不私拉电线充电",
                 "不在室内存放汽油、酒精等易燃物品",
                 "家中常备灭火毯和手电筒，熟悉疏散路线")),
    Topic("文化", ("“书香新泾”全民阅读季开幕", "社区图书馆有了24小时自助借阅"),
          ("{n_small}场读书活动贯穿全年", "{venue}新书上架{n_mid}册"),
          ("读什么", "在哪里借", "给孩子的书单"),
          ("{date}，“书香新泾”全民阅读季在{venue}开幕，{n_mid}余名居民和学生参加了开幕式。",
           "本届阅读季以“阅读点亮城市”为主题，将在全年举办读书会、作家讲座和亲子共读等活动{n_small}场。",
           "位于{address}的社区图书馆新上架图书{n_big}册，其中少儿读物{n_mid}册、大字版图书{n_mid}册。",
           "图书馆门口新装的24小时自助借还机支持身份证和“{app}”扫码借书，每人每次最多借{n_small}册，借期{n_small}天。",
           "馆员{name}介绍，开馆以来借阅量最高的是《{book}》，其次是《{book}》和《{book}》。",
           "在{country}工作了{n_small}年后定居新泾的{english}也成了图书馆的常客，她在这里找到了一套英文版《{book}》。",
           "读书会每月第{n_ord}个周{weekday}下午{clock}在{venue}举行，报名请拨打{phone}，或登录{url}。",
           "{role}{name}在开幕式上分享了自己的阅读故事，她说每天睡前读{n_small}页书的习惯已经坚持了{n_small}年。",
           "今年的阅读季还首次引入了有声书，居民用手机扫描书脊上的二维码，就能听到志愿者录制的{n_small}分钟导读。",
           "活动期间，借阅满{n_small}册的居民可以到服务台领取纪念书签一枚，数量有限，送完为止。")),
    Topic("环境", ("垃圾分类“定时定点”再升级", "湿垃圾就地处理设备投用"),
          ("{area}日均分出湿垃圾{n_ton}吨", "可回收物回收点扩大到{n_small}处"),
          ("投放时间怎么定", "湿垃圾去了哪里", "大件垃圾怎么扔"),
          ("{area}的定时定点投放点从{date}起调整为每天{time_range}和{time_range2}两个时段开放。",
           "投放点配有洗手池、照明灯和{n_small}个分类桶，垃圾分类指导员{name}每天在现场值守，纠正混投行为。",
           "新投用的湿垃圾就地处理设备每天可处理湿垃圾{n_ton}吨，经过粉碎、脱水和发酵，{n_small}天后变成有机肥。",
           "这些有机肥将用于小区绿化和{area}的“一米菜园”，居民也可以凭积分到{venue}免费领取。",
           "今年{month}，全镇湿垃圾日均分出量达到{n_ton}吨，较去年同期增长{n_pct}%，干垃圾则下降了{n_pct}%。",
           "大件垃圾请提前预约，拨打{phone}或在“{app}”上填写地址，清运车每周{weekday}上门收运，不收费。",
           "可回收物回收点设在{address}，废纸每千克{n_price_small}元、塑料瓶每千克{n_price_small}元，价格随市场调整。",
           "{english}是来自{country}的住户，她说刚来时分不清干湿垃圾，后来{role}给她送了一份中英文对照的分类指南。",
           "镇绿容所还在{n_small}个小区试点“撤桶并点”，楼下不再设垃圾桶，楼道环境明显改善，蚊蝇少了。",
           "对多次混投、乱扔的单位，城管执法中队将依照《上海市生活垃圾管理条例》处以{n_price}元以上{n_money}万元以下罚款。")),
    Topic("健康", ("家庭医生签约服务进社区", "“健康小屋”开进居民区"),
          ("{n_age}岁以上老人免费体检{date_short}开始", "签约居民慢病长处方最长{n_small}周"),
          ("体检查些什么", "怎么预约", "冬季保健提醒"),
          ("新泾社区卫生服务中心（{address}）从{date}起为辖区{n_age}岁以上常住老人开展免费健康体检。",
           "体检项目包括血压、血糖、血脂、心电图和腹部B超等{n_small}项，检查结果约{n_small}个工作日后通过“{app}”推送。",
           "体检需空腹，请在{clock}至{clock2}之间到中心{n_ord}楼体检科报到，并携带身份证和医保卡。",
           "家庭医生{name}团队目前签约居民{n_big}人，其中高血压患者{n_mid}人、糖尿病患者{n_mid}人。",
           "签约居民可以享受优先预约专家门诊、慢病长处方和延伸处方等服务，{role}可以帮助行动不便的老人网上预约。",
           "{area}的“健康小屋”配有自助血压计、体脂秤和{term}设备，居民在{time_range}之间可以随时自测，数据自动上传家庭医生。",
           "冬季是心脑血管疾病高发期，医生提醒老年人清晨外出要注意保暖，室内温度保持在{n_temp}℃左右为宜。",
           "如出现胸闷、胸痛、言语不清或一侧肢体无力等症状，应立即拨打120，不要自行驾车前往医院。",
           "中心还开设了英语门诊，每周{weekday}上午由{english_doctor}医生坐诊，方便外籍居民就医，预约电话{phone}。",
           "去年全年，中心共完成老年人体检{n_big}人次，发现并转诊疑似重大疾病{n_small}例。"),
          items=("体检前一天晚上{clock_evening}后不再进食",
                 "携带身份证、医保卡和以往的病历资料",
                 "正在服用的药物请如实告知医生",
                 "体检当天穿宽松衣物，方便检查")),
    Topic("就业", ("家门口的招聘会送来{n_mid}个岗位", "社区就业服务站帮居民找工作"),
          ("{n_small}家企业现场招聘", "{date_short}春季专场招聘会举行"),
          ("有哪些岗位", "技能培训免费学", "求职者说"),
          ("{date}上午，新泾镇春季专场招聘会在{venue}举行，{n_small}家企业带来岗位{n_big}个，吸引求职者{n_mid}余人。",
           "岗位涵盖物流、零售、餐饮、物业和软件测试等行业，月薪在{n_salary}元至{n_salary}元之间。",
           "{brand}长宁店的招聘负责人{name}说，他们这次招收店员和仓储人员{n_small}名，要求会基本的{term}操作。",
           "今年{n_age}岁的{name}在{area}住了{n_small}年，当天与一家物业公司达成了初步意向，应聘岗位是设备维修工。",
           "来自{country}的{english}在现场找到了一份英语助教的兼职工作，每周上课{n_small}小时。",
           "镇就业服务站同时推出免费技能培训，包括中式烹调、育婴师和电工等{n_small}个项目，每期{n_small}课时。",
           "培训合格并取得证书的学员可申请培训补贴，最高{n_salary}元，报名地址为{address}，电话{phone}。",
           "错过本次招聘会的居民，可以登录{url}查看最新岗位信息，或关注“{app}”公众号。",
           "去年，镇就业服务站共帮助{n_mid}名长期失业人员实现再就业，{n_small}名高校毕业生在家门口找到了工作。",
           "服务站工作时间为周一至周五{time_range}，现场提供简历修改和面试辅导服务。")),
    Topic("社区", ("小区“微更新”让居民有了好去处", "口袋公园变身居民会客厅"),
          ("{area}{n_area}平方米闲置地完成改造", "居民自己设计的花园开园了"),
          ("从“金点子”到“施工图”", "谁来管", "更多项目在路上"),
          ("{date}，{area}中心绿地改造工程完工，原来堆放杂物的{n_area}平方米闲置地变成了有座椅、廊架和儿童游乐区的口袋公园。",
           "改造方案是社区规划师{name}和居民一起“画”出来的，先后征集意见{n_mid}条，召开听证会{n_small}次。",
           "公园里铺设了{n_len}米长的健身步道，种植乔木{n_small}棵、灌木{n_mid}平方米，还安装了{n_small}盏{term}太阳能路灯。",
           "{role}{name}说，以前这里晚上黑灯瞎火，大家绕着走，现在吃过晚饭就有人来散步、下棋、跳广场舞。",
           "为了不扰民，广场舞音乐在{clock_evening}以后一律关闭，音量不超过{n_small}分贝，居民公约就贴在廊架的柱子上。",
           "公园的日常养护由物业负责，{n_small}名居民志愿者组成“护绿队”，每周{weekday}早上浇水、捡拾垃圾。",
           "家住{road}{n_house}弄的{english}带着孩子来玩滑梯，他说这里比以前去的大公园近多了，走路只要{n_small}分钟。",
           "改造总投资约{n_money}万元，其中{n_pct}%来自区级美丽家园专项资金，其余由镇财政承担。",
           "下一步，{area}和{area}的{n_small}处闲置地也将纳入微更新项目，方案将在{url}上公示，欢迎居民提出意见。",
           "镇规划建设办表示，今年计划完成社区微更新项目{n_small}个，总面积超过{n_area}平方米。")),
    Topic("为老", ("智慧养老“一键通”装进独居老人家", "为老服务中心开设数字课堂"),
          ("{n_mid}户独居老人用上了智能手环", "教老人用手机挂号、打车、付款"),
          ("一键呼叫怎么用", "数字课堂教什么", "子女可以做什么"),
          ("从{date}起，镇为老服务中心为辖区{n_mid}户独居、高龄老人免费安装“一键通”呼叫设备和智能手环。",
           "遇到紧急情况，老人按下按钮，呼叫会直接接到{venue}的值班电话，值班员会在{n_small}分钟内联系{role}上门查看。",
           "智能手环可以监测心率、血氧和睡眠，连续{n_small}小时没有活动数据时会自动报警，子女也可以在手机{term}上查看。",
           "{n_age}岁的{name}老伯独自住在{area}，上个月在家中摔倒，正是靠“一键通”及时得到救助。",
           "为老服务中心的数字课堂每周{weekday}下午{clock}开课，教老人用手机挂号、打车、扫码付款和视频通话。",
           "授课的是{n_small}名大学生志愿者，他们编写了一本大字版的《手机使用小手册》，已发放{n_mid}册。",
           "课堂上，{n_age}岁的{name}阿姨第一次用手机叫到了出租车，她说以后去医院看病不用再在路边等车了。",
           "中心提醒，不要轻信陌生来电和短信，凡是要求转账、提供验证码的都是诈骗，可拨打反诈专线96110咨询。",
           "有需要的家庭可以拨打{phone}申请，或到{address}的为老服务中心现场登记。",
           "截至{month}底，全镇共有{n_age}岁以上老人{n_big}人，其中纯老家庭{n_mid}户，为老服务需求持续增长。")),
    Topic("交通", ("地铁站出入口周边非机动车停放整治", "公交线路优化 方便居民出行"),
          ("{road}站新增停车位{n_mid}个", "{n_small}条公交线路{date_short}起调整"),
          ("车停在哪里", "哪些线路有变化", "出行提示"),
          ("针对地铁{n_line}号线{road}站出入口共享单车乱停放问题，镇城管中队与{n_small}家单车企业联合开展整治。",
           "整治后，{road}站周边划设非机动车停放区{n_small}处，新增停车位{n_mid}个，并安装了电子围栏。",
           "在电子围栏外还车的用户，手机{app}会提示“不在停车区”，需要支付{n_small}元调度费。",
           "从{date}起，公交{n_bus}路延伸至{road}{road2}，增设站点{n_small}个，首班车{clock}发车，末班车{clock_evening}发车。",
           "公交{n_bus}路因道路施工临时绕行{road}，{road}{n_house}号站点暂停使用，请乘客到{road2}站候车。",
           "{role}{name}说，{area}的居民以前去地铁站要步行{n_small}分钟，线路调整后坐公交只要{n_small}分钟。",
           "施工期间，{road}（{road2}至{road3}）实行单向通行，大型货车{clock_evening}至次日{clock}禁止通行。",
           "出行前可通过“{app}”或拨打交通服务热线{phone}查询实时路况和公交到站时间。",
           "镇交通协管员每天早晚高峰在{road}与{road2}路口值守，引导行人和非机动车有序通行。",
           "据统计，整治以来{road}站周边非机动车乱停放投诉量从每月{n_mid}件下降到{n_small}件。")),
    Topic("法治", ("反诈宣传进楼组", "法律顾问每周到居委会坐诊"),
          ("今年以来劝阻潜在受害人{n_mid}名", "“家门口”的法律服务点开放"),
          ("骗子常用的套路", "法律服务怎么约", "典型案例"),
          ("{date}，{area}派出所民警{name}来到{area}的楼组议事会上，给{n_small}位居民讲解最新的诈骗手法。",
           "民警介绍，今年以来辖区发生的电信网络诈骗中，冒充客服退款、刷单返利和虚假投资理财三类占了{n_pct}%。",
           "一位{n_age}岁的居民接到自称“{brand}客服”的电话，被要求下载屏幕共享{term}，幸好银行工作人员及时拦截，挽回损失{n_money}万元。",
           "民警提醒，凡是要求下载陌生软件、共享屏幕、提供验证码的都是诈骗，请立即挂断并拨打96110。",
           "从{date_short}起，镇公共法律服务站的律师每周{weekday}下午{clock}到{area}居委会坐诊，提供免费法律咨询。",
           "咨询内容涉及房屋租赁、遗产继承、物业纠纷和劳动争议等，律师{name}说，一个下午一般要接待{n_small}位居民。",
           "需要预约的居民可以拨打{phone}，或者通过{url}在线留言，律师会在{n_small}个工作日内回复。",
           "去年，镇人民调解委员会共调解各类纠纷{n_mid}件，调解成功率达到{n_pct}%。",
           "来自{country}的{english}在签租房合同前专门来咨询，律师帮她逐条解读了合同中的押金和维修条款。",
           "镇司法所还编印了《居民常用法律问答》，共{n_small}个问题，可在各居委会免费领取。")),
    Topic("体育", ("社区运动会点燃冬日热情", "市民健身步道串起{n_small}个小区"),
          ("{n_mid}名居民参加{n_small}个项目比赛", "“15分钟社区健身圈”基本建成"),
          ("比了哪些项目", "健身设施在哪里", "科学健身提醒"),
          ("{date}，新泾镇第{n_ord}届社区运动会在{venue}开幕，来自{n_small}个居民区的{n_mid}名选手参赛。",
           "比赛设跳绳、踢毽子、拔河、趣味接力和{term}体感游戏等{n_small}个项目，年龄最大的选手{n_age}岁。",
           "在男子{n_len}米健步走比赛中，{area}的{name}以{n_small}分{n_small}秒的成绩夺得第一。",
           "来自{country}的{english}和邻居们组队参加了趣味接力，他说这是他第一次参加中国的社区运动会。",
           "全长{n_len}米的健身步道沿{road}和{road2}铺设，串起{n_small}个小区，沿途设置了{n_small}个休息点和饮水点。",
           "{address}的市民健身中心每天{time_range}开放，乒乓球、羽毛球场地可通过“{app}”预约，每小时{n_price}元。",
           "镇体育指导员{name}提醒，冬季锻炼前要充分热身，运动时心率一般不超过“170减年龄”。",
           "今年全镇新建和更新健身苑点{n_small}个，更换老化器材{n_mid}件，器材损坏可拨打{phone}报修。",
           "运动会闭幕后，{area}居民区的拔河队还将代表新泾镇参加区级比赛。",
           "据统计，全镇经常参加体育锻炼的人数比例已达到{n_pct}%，比三年前提高了{n_small}个百分点。")),
)

# Sentences that fit any article, used when a topic's own are used up.
GENERAL = (
    "{venue}的工作人员{name}介绍，相关情况已在各居委会公告栏和“{app}”公众号同步发布，居民也可以拨打{phone}咨询。",
    "{date}下午，镇分管领导带队到{area}实地察看，听取{role}和居民代表的意见，现场协调解决了{n_small}个具体问题。",
    "居民{name}在留言中写道：“事情不大，但办到了我们心坎上。”这条留言在小区微信群里收到了{n_small}个点赞。",
    "据了解，这项工作是今年镇政府为民办实事项目之一，总投资约{n_money}万元，预计惠及居民{n_big}人。",
    "为了听到更多声音，{area}在楼道口放置了意见箱，还开通了线上问卷，{n_small}天内收到有效问卷{n_mid}份。",
    "{role}{name}每天早上{clock}就到岗，她笑着说自己的手机号{phone}已经成了“热线电话”，一天要接{n_small}个电话。",
    "镇里将按照“一月一调度、一季一通报”的要求推进，进展情况可在{url}查询。",
    "活动得到了{brand}等驻区企业的支持，企业员工志愿者{n_small}人参与了现场服务。",
    "也有居民提出不同意见，认为时间安排在工作日不方便上班族，{venue}表示将增加周末场次。",
    "据统计，今年{month}以来，这项服务累计受理居民诉求{n_mid}件，办结率{n_pct}%，回访满意率{n_pct}%。",
    "住在{address}的{name}一家是较早参与的居民，她说刚开始也有顾虑，后来看到邻居们的变化就主动报了名。",
    "{area}的{role}{name}说，关键是把居民的事当成自家的事，“多跑一趟腿，居民就少操一份心”。",
    "考虑到外籍居民的需要，相关告示和办事指南都准备了中英文两个版本，{english}说这让她少走了不少弯路。",
    "工作人员提醒，办理时请携带本人身份证或居住证原件，委托他人代办的还需提供委托书。",
    "下一步，镇里还将在总结经验的基础上，把做法推广到{area}、{area}等{n_small}个居民区。",
    "现场还设置了咨询台，{n_small}名志愿者为居民答疑，发放宣传资料{n_mid}份，登记需求{n_small}条。",
    "“以前要跑好几个地方，现在一个窗口就办好了。”刚办完事的{name}拿着回执对记者说。",
    "{date}起，{venue}延长服务时间，工作日晚上开放到{clock_evening}，周六上午{time_range}照常开放。",
    "为了方便老人，服务点的桌椅都换成了带扶手的款式，地面铺设了防滑垫，门口还增设了一处无障碍坡道。",
    "{role}{name}算了一笔账：{n_mid}户人家，每户每月节省约{n_price}元，一年下来就是一笔不小的数字。",
    "这一做法引起了{country}驻沪机构的关注，{english}专程到{area}参观，称赞社区治理“细致、有温度”。",
    "居民们还自发建立了“{area}邻里互助群”，群成员已有{n_mid}人，谁家有困难，群里一呼百应。",
    "对此，{venue}负责人表示，将把居民提出的{n_small}条意见逐条梳理，能改的马上改，一时改不了的说明原因。",
    "为确保安全，现场安排了{n_small}名保安和医护人员值守，并配备了{term}设备和急救药箱。",
    "在{road}与{road2}交叉口，新设置的指示牌用中英文标注了{venue}的方向和距离，步行约{n_small}分钟。",
    "今年{n_age}岁的{name}是{area}的老住户，他说这些年小区的变化“看得见、摸得着”。",
    "{venue}每月第{n_ord}个周{weekday}举行“居民开放日”，欢迎居民走进来看一看、提建议。",
    "有关单位将于{date}前完成前期准备，届时将通过{app}推送通知，请居民留意。",
    "家住{address}的{english}用中文说了一句“谢谢”，引得在场的居民都笑了起来。",
    "镇纪委还将对项目资金使用情况进行监督检查，确保每一分钱都用在居民身上。",
)

BOOKS = ("长安的荔枝", "额尔古纳河右岸", "平凡的世界", "人世间", "繁花", "我与地坛", "城南旧事",
         "呼兰河传", "朝花夕拾", "边城", "围城", "活着", "三体", "上海的风花雪月", "北上",
         "Little Women", "The Little Prince", "Charlotte's Web")
APPS = ("随申办", "随申码", "一网通办", "新泾镇", "长宁生活", "上海发布", "健康云", "大众点评",
        "高德地图", "支付宝", "微信", "Metro大都会")
DOMAINS = ("www.shcn.gov.cn/xinjing", "xjzt.example.cn", "zwdt.sh.gov.cn",
           "www.xinjing-lib.example.cn", "service.xinjing.example.cn", "mp.weixin.qq.com/s")


class Slots:
    """A template's slots: each `{name}` drawn afresh from the word lists."""

    def __init__(self, rng: random.Random, year: int) -> None:
        self.rng = rng
        self.year = year
        self.draw: dict[str, Callable[[], str]] = {
            "name": self.name, "role": lambda: rng.choice(ROLES), "area": lambda: rng.choice(AREAS),
            "road": lambda: rng.choice(ROADS), "road2": lambda: rng.choice(ROADS),
            "road3": lambda: rng.choice(ROADS), "venue": lambda: rng.choice(VENUES),
            "address": self.address, "date": self.date, "date_short": self.date_short,
            "month": lambda: f"{rng.randint(1, 12)}月", "year": lambda: str(year),
            "day": lambda: str(rng.randint(1, 28)), "weekday": lambda: rng.choice(WEEKDAYS[:6]),
            "clock": self.clock, "clock2": self.clock, "clock_evening": self.clock_evening,
            "time_range": self.time_range, "time_range2": self.time_range,
            "phone": self.phone, "url": self.url, "app": lambda: rng.choice(APPS),
            "english": lambda: rng.choice(ENGLISH),
            "english_doctor": lambda: rng.choice(ENGLISH).split()[1],
            "country": lambda: rng.choice(COUNTRIES), "brand": lambda: rng.choice(BRANDS),
            "brand_free": lambda: rng.choice(("专业", "有资质的", "厂家指定的")),
            "term": lambda: rng.choice(TERMS), "book": lambda: rng.choice(BOOKS),
            "n_small": lambda: str(rng.randint(2, 30)),
            "n_mid": lambda: str(rng.randint(31, 900)),
            "n_big": lambda: f"{rng.randint(1000, 28000):,}",
            "n_age": lambda: str(rng.randint(60, 95)),
            "n_area": lambda: str(rng.randint(8, 90) * 10),
            "n_len": lambda: rng.choice((f"{rng.randint(1, 9)}.{rng.randint(1, 9)}",
                                         str(rng.randint(100, 3000)))),
            "n_money": lambda: f"{rng.randint(3, 250)}.{rng.randint(0, 9)}",
            "n_price": lambda: str(rng.randint(5, 60)),
            "n_price_small": lambda: f"{rng.randint(0, 3)}.{rng.randint(10, 99)}",
            "n_pct": lambda: f"{rng.randint(12, 98)}.{rng.randint(0, 9)}",
            "n_ton": lambda: f"{rng.randint(1, 40)}.{rng.randint(1, 9)}",
            "n_temp": lambda: str(rng.randint(18, 24)),
            "n_salary": lambda: f"{rng.randint(4, 18) * 500:,}",
            "n_line": lambda: str(rng.choice((2, 10, 13, 15))),
            "n_bus": lambda: str(rng.choice((48, 57, 71, 88, 91, 138, 148, 175, 739, 748, 809, 911,
                                             925, 941))),
            "n_house": lambda: str(rng.randint(1, 1800)),
            "n_ord": lambda: CHINESE_ORDINALS[rng.randint(0, 3)],
        }

    def __getitem__(self, key: str) -> str:
        return self.draw[key]()

    def name(self) -> str:
        given = "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2, 2))))
        return self.rng.choice(SURNAMES) + given

    def _day(self) -> datetime.date:
        return datetime.date(self.year, 1, 1) + datetime.timedelta(days=self.rng.randint(0, 364))

    def date(self) -> str:
        day = self._day()
        return f"{day.month}月{day.day}日（周{WEEKDAYS[day.weekday()]}）"

    def date_short(self) -> str:
        day = self._day()
        return f"{day.month}月{day.day}日"

    def clock(self) -> str:
        return f"{self.rng.randint(7, 16)}:{self.rng.choice(('00', '15', '30', '45'))}"

    def clock_evening(self) -> str:
        return f"{self.rng.randint(19, 22)}:{self.rng.choice(('00', '30'))}"

    def time_range(self) -> str:
        start = self.rng.randint(7, 15)
        end = start + self.rng.randint(1, 5)
        minutes = self.rng.choice(("00", "30"))
        return f"{start}:{minutes}—{end}:{self.rng.choice(('00', '30'))}"

    def phone(self) -> str:
        rng = self.rng
        if rng.random() < 0.75:
            return f"021-{rng.choice(('6238', '6259', '5218', '6295'))} {rng.randint(0, 9999):04d}"
        return (f"1{rng.choice('3589')}{rng.randint(0, 9)} {rng.randint(0, 9999):04d} "
                f"{rng.randint(0, 9999):04d}")

    def url(self) -> str:
        rng = self.rng
        path = "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 8)))
        return (f"https://{rng.choice(DOMAINS)}/{path}/{self.year}-{rng.randint(1, 12):02d}"
                f"{rng.randint(1, 28):02d}.html")

    def address(self) -> str:
        road = self.rng.choice(ROADS)
        if self.rng.random() < 0.5:
            return f"{road}{self.rng.randint(1, 1800)}号"
        return f"{road}{self.rng.randint(1, 1800)}弄{self.rng.randint(1, 60)}号"


class Writer:
    """Sentences, paragraphs and articles; a sentence is never used twice."""

    def __init__(self, seed: int, year: int = 2023) -> None:
        self.rng = random.Random(seed)
        self.slots = Slots(self.rng, year)
        self.used: set[str] = set()
        self.uses: dict[str, int] = {}  # template → times used: at most `REUSE`

    def fill(self, template: str) -> str:
        """The template filled so that the text is new; "" if it cannot be (a
        template without slots serves once)."""
        for _ in range(50):
            text = template.format_map(self.slots)
            if text not in self.used:
                self.used.add(text)
                return text
        return ""

    def paragraph(self, topic: Topic) -> str:
        """Two to five sentences, the topic's own first, general ones when they
        are used up; a template serves at most `REUSE` times in the issue."""
        count = self.rng.choice((2, 2, 3, 3, 3, 4, 5))
        sentences: list[str] = []
        for pool in (topic.sentences, GENERAL):
            for template in self.rng.sample(pool, len(pool)):
                if len(sentences) == count:
                    break
                if self.uses.get(template, 0) < REUSE and (text := self.fill(template)):
                    self.uses[template] = self.uses.get(template, 0) + 1
                    sentences.append(text)
        if not sentences:
            raise ValueError("the sentences are used up: add templates or cut the issue")
        return "".join(sentences)

    def table(self) -> str:
        rows = ["| 服务点 | 地址 | 开放时间 | 电话 |", "| --- | --- | :---: | ---: |"]
        for venue in self.rng.sample(VENUES, self.rng.randint(3, 5)):
            rows.append(f"| {venue} | {self.slots.address()} | {self.slots.time_range()} "
                        f"| {self.slots.phone()} |")
        return "\n".join(rows)

    def article(self, topic: Topic, length: int) -> dict[str, object]:
        """One article's manifest entry, paragraphs until its body has `length`
        characters, with a subhead every three to five paragraphs, and the
        topic's quote, its list, and a table in some."""
        body: list[str] = []
        subheads = list(topic.subheads)
        next_head = self.rng.randint(3, 5)
        table = self.rng.random() < 0.3
        k = 0
        while sum(map(len, body)) < length:
            if k == next_head and subheads:
                body.append(f"### {subheads.pop(0)}")
                next_head += self.rng.randint(3, 5)
            body.append(self.paragraph(topic))
            if k == 1 and topic.quotes and self.rng.random() < 0.7:
                body.append("> " + self.rng.choice(topic.quotes))
            if k == 3 and topic.items:
                marker = self.rng.choice(("1.", "-"))
                body.append("\n".join(f"{marker} {self.fill(item)}" for item in topic.items))
            if k == 2 and table:
                body.append(self.table())
            k += 1
        entry: dict[str, object] = {
            "section": topic.section,
            "title": self.fill(self.rng.choice(topic.titles)),
            "subtitle": self.fill(self.rng.choice(topic.subtitles)),
        }
        if self.rng.random() < 0.6:
            credit = self.rng.choice(("通讯员", "记者", "见习记者"))
            entry["byline"] = f"{credit} {self.slots.name()}"
        entry["body"] = "\n\n".join(body) + "\n"
        return entry
