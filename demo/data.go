package demo

import "zhagen"

// This file holds the fixed tables of the demo zone: the organisation tree,
// the cadre establishment per department, the enterprises and the parks.
// Everything that is not written here is derived by the generators in
// gen.go from a fixed seed.

// Names of departments that the loader refers to directly.
const (
	deptRoot      = "福州高新区党工委、管委会"
	deptOffice    = "党政办公室"
	deptCommand   = "指挥中心"
	deptEconomy   = "经济发展局"
	deptBuilding  = "建筑业科（行政审批科）"
	deptTalent    = "人事人才公共服务中心"
	deptHolding   = "福州高新区投资控股有限公司"
	entFushun     = "福建福顺高芯微电子有限公司"
	entXianzhilou = "福建仙芝楼生物科技有限公司"
)

// deptSpec is one unit of the organisation tree; Parent is empty for a root.
type deptSpec struct {
	Name   string
	Parent string
	Kind   zhagen.DeptKind
}

// deptTable lists the units parents first.
var deptTable = []deptSpec{
	{deptRoot, "", zhagen.DeptGov},
	{deptOffice, deptRoot, zhagen.DeptGov},
	{deptCommand, deptRoot, zhagen.DeptGov},
	{deptEconomy, deptRoot, zhagen.DeptGov},
	{"科技创新局", deptRoot, zhagen.DeptGov},
	{"农林水局", deptRoot, zhagen.DeptGov},
	{"城乡建设局", deptRoot, zhagen.DeptGov},
	{deptBuilding, "城乡建设局", zhagen.DeptGov},
	{"自然资源和规划局", deptRoot, zhagen.DeptGov},
	{"党群工作部", deptRoot, zhagen.DeptGov},
	{deptTalent, "党群工作部", zhagen.DeptGov},
	{"财政金融局", deptRoot, zhagen.DeptGov},
	{"生态环境局", deptRoot, zhagen.DeptGov},
	{"应急管理局", deptRoot, zhagen.DeptGov},
	{deptHolding, deptRoot, zhagen.DeptSOE},
	{"国网福州供电公司高新区供电服务中心", "", zhagen.DeptExternal},
	{"福州高新区消防救援大队", "", zhagen.DeptExternal},
	{"福州大学", "", zhagen.DeptUniversity},
	{"福建师范大学", "", zhagen.DeptUniversity},
	{"福建医科大学", "", zhagen.DeptUniversity},
	{"福建中医药大学", "", zhagen.DeptUniversity},
	{"闽江学院", "", zhagen.DeptUniversity},
	{"福建理工大学", "", zhagen.DeptUniversity},
	{"福建江夏学院", "", zhagen.DeptUniversity},
}

// Industries of the zone. The first six are the leading industries and
// also serve as expertise tags of cadres.
const (
	indDigital  = "数字经济"
	indIC       = "集成电路"
	indOpto     = "光电"
	indBio      = "生物医药"
	indMaterial = "新材料"
	indEquip    = "高端装备制造"
	indService  = "科技服务"
)

// industryTable is the industry list the demo needs, in display order.
var industryTable = []string{indDigital, indIC, indOpto, indBio, indMaterial, indEquip, indService}

// leadingIndustries are the industries used as cadre expertise.
var leadingIndustries = []string{indDigital, indIC, indOpto, indBio, indMaterial, indEquip}

// cadreQuota is the establishment of linked cadres (挂钩联系干部) in one
// department: how many of each rank, the functional expertise that fits
// the department, and the industries its cadres know (nil means all the
// leading industries).
type cadreQuota struct {
	Dept            string
	Zhengchu, Fuchu int // 正处级, 副处级
	Zhengke, Fuke   int // 正科级, 副科级
	Skills          []string
	Industries      []string
}

// cadreTable adds up to 73 cadres, 28 of them at 副处级 or above.
var cadreTable = []cadreQuota{
	{deptEconomy, 1, 3, 5, 3, []string{"招商", "用电", "财税", "企业服务"}, nil},
	{"科技创新局", 1, 2, 3, 2, []string{"科技项目", "知识产权", "人才", "高企认定"}, nil},
	{"农林水局", 1, 1, 2, 2, []string{"供水", "防汛", "农业产业化"}, []string{indBio, indMaterial}},
	{"城乡建设局", 1, 2, 2, 1, []string{"工程建设", "规划审批", "消防", "用电"}, nil},
	{deptBuilding, 0, 0, 1, 2, []string{"工程建设", "规划审批", "消防"}, nil},
	{"自然资源和规划局", 1, 2, 2, 2, []string{"土地", "规划审批", "不动产登记"}, nil},
	{"党群工作部", 1, 2, 2, 1, []string{"党建", "人才", "统战"}, nil},
	{deptTalent, 0, 1, 2, 2, []string{"人才", "社保", "党建"}, nil},
	{"财政金融局", 1, 2, 2, 1, []string{"财税", "融资", "上市辅导"}, nil},
	{"生态环境局", 1, 1, 1, 1, []string{"环保", "环评", "排污许可"}, []string{indBio, indMaterial, indIC, indOpto}},
	{"应急管理局", 1, 1, 2, 1, []string{"安全生产", "消防", "危化品"}, nil},
	{deptOffice, 1, 1, 1, 1, []string{"督查督办", "政务服务"}, nil},
	{deptCommand, 0, 0, 0, 1, []string{"诉求协调", "政务服务"}, nil},
}

// storyCadre is a cadre named in the news story; the loader gives the
// first cadre of that rank in that department this name and expertise.
type storyCadre struct {
	Dept, Rank, Name string
	Expertise        []string
}

var storyCadres = []storyCadre{
	{deptBuilding, "正科级", "郑朝贤", []string{"工程建设", "规划审批", "消防"}},
	{deptTalent, "副处级", "姜昌国", []string{"人才", "党建", indBio}},
}

// storyNames are people of the story who must not be reused as invented names.
var storyNames = []string{"魏邦仲", "郑朝贤", "陈振兴", "姜昌国", "张笑雪", "洪见文", "王桂凤", "汪炜娜", "赵睿"}

// entSpec is one enterprise. Park and LegalRep are generated when empty.
type entSpec struct {
	Name     string
	Industry string
	Key      bool
	Status   zhagen.EnterpriseStatus
	Park     string
	LegalRep string
}

// Parks of the zone with the address prefix used for their enterprises;
// %d is filled with a building or door number.
var parkAddress = map[string]string{
	"海西高新技术产业园":  "福州高新区乌龙江中大道7号海西高新技术产业园创新园%d号楼",
	"福州高新区创新园":   "福州高新区高新大道创新园二期%d号楼",
	"福州软件园高新区分园": "福州高新区学府南路软件园分园%d号楼",
	"南屿片区":       "福州高新区南屿镇旗山大道%d号",
	"南屿生物医药产业园":  "福州高新区南屿镇生物医药产业园%d号厂房",
	"上街大学城片区":    "福州高新区上街镇溪源江路%d号",
	"南通智能制造产业园":  "福州高新区南通镇智造路%d号",
}

// industryParks says where the enterprises of an industry settle.
var industryParks = map[string][]string{
	indDigital:  {"福州软件园高新区分园", "福州高新区创新园", "海西高新技术产业园"},
	indIC:       {"海西高新技术产业园", "南屿片区"},
	indOpto:     {"海西高新技术产业园", "福州高新区创新园", "上街大学城片区"},
	indBio:      {"南屿生物医药产业园", "南屿片区"},
	indMaterial: {"南屿片区", "海西高新技术产业园"},
	indEquip:    {"南通智能制造产业园", "南屿片区"},
	indService:  {"上街大学城片区", "福州高新区创新园"},
}

const (
	op   = zhagen.EntOperating
	prep = zhagen.EntPreparing
)

// entTable lists the 96 enterprises: those of the story first, then
// invented ones by industry. 20 are key enterprises.
var entTable = []entSpec{
	// Named in the story.
	{entFushun, indIC, true, prep, "南屿片区", ""},
	{"北卡科技有限公司", indDigital, true, op, "福州高新区创新园", ""},
	{"福建浩蓝光电有限公司", indOpto, true, op, "海西高新技术产业园", ""},
	{entXianzhilou, indBio, true, op, "南屿生物医药产业园", ""},
	{deptHolding, indService, true, op, "上街大学城片区", "陈振兴"},

	// 数字经济
	{"福建云链数据科技有限公司", indDigital, true, op, "", ""},
	{"福州闽江智算信息技术有限公司", indDigital, false, op, "", ""},
	{"福建榕数科技有限公司", indDigital, false, op, "", ""},
	{"福州海丝云图信息科技有限公司", indDigital, false, op, "", ""},
	{"福建知行人工智能科技有限公司", indDigital, false, op, "", ""},
	{"福州数智港网络科技有限公司", indDigital, false, op, "", ""},
	{"福建启明星软件有限公司", indDigital, false, op, "", ""},
	{"福州闽都数字孪生科技有限公司", indDigital, false, op, "", ""},
	{"福建汇联物联网科技有限公司", indDigital, false, op, "", ""},
	{"福州星图遥感信息技术有限公司", indDigital, false, op, "", ""},
	{"福建慧政通信息技术有限公司", indDigital, false, op, "", ""},
	{"福州卓源区块链科技有限公司", indDigital, false, op, "", ""},
	{"福建智医云健康科技有限公司", indDigital, false, op, "", ""},
	{"福州极光视觉智能科技有限公司", indDigital, false, op, "", ""},
	{"福建青榕教育科技有限公司", indDigital, false, op, "", ""},
	{"福州海峡算力科技有限公司", indDigital, true, prep, "", ""},
	{"福建乌龙江信息技术有限公司", indDigital, false, op, "", ""},
	{"福州云帆电子商务有限公司", indDigital, false, op, "", ""},
	{"福建睿思大数据有限公司", indDigital, false, op, "", ""},
	{"福州微澜游戏科技有限公司", indDigital, false, op, "", ""},
	{"福建安盾网络安全技术有限公司", indDigital, false, op, "", ""},
	{"福州天枢软件有限公司", indDigital, false, op, "", ""},
	{"福建闽信工业互联网科技有限公司", indDigital, true, op, "", ""},
	{"福州灵犀语音智能科技有限公司", indDigital, false, op, "", ""},

	// 集成电路
	{"福建芯曜半导体有限公司", indIC, true, op, "", ""},
	{"福州晶微集成电路设计有限公司", indIC, false, op, "", ""},
	{"福建鸿芯封装测试有限公司", indIC, true, op, "", ""},
	{"福州睿芯科技有限公司", indIC, false, op, "", ""},
	{"福建海芯微电子有限公司", indIC, false, op, "", ""},
	{"福州朗芯电子科技有限公司", indIC, false, op, "", ""},
	{"福建晶源半导体材料有限公司", indIC, false, op, "", ""},
	{"福州飞芯射频技术有限公司", indIC, false, op, "", ""},
	{"福建锐能功率半导体有限公司", indIC, false, prep, "", ""},
	{"福州芯测检测技术有限公司", indIC, false, op, "", ""},
	{"福建芯途电子科技有限公司", indIC, false, op, "", ""},
	{"福州华晶存储科技有限公司", indIC, true, op, "", ""},
	{"福建宏微传感器科技有限公司", indIC, false, op, "", ""},

	// 光电
	{"福建光曜显示技术有限公司", indOpto, true, op, "", ""},
	{"福州晶彩光电科技有限公司", indOpto, false, op, "", ""},
	{"福建明辉激光科技有限公司", indOpto, true, op, "", ""},
	{"福州蓝海光学仪器有限公司", indOpto, false, op, "", ""},
	{"福建曦光新型显示有限公司", indOpto, true, op, "", ""},
	{"福州光谷微纳光电有限公司", indOpto, false, op, "", ""},
	{"福建华彩半导体照明有限公司", indOpto, false, op, "", ""},
	{"福州精准光纤通信技术有限公司", indOpto, false, op, "", ""},
	{"福建中闽光电有限公司", indOpto, false, op, "", ""},
	{"福州天眼光学科技有限公司", indOpto, false, op, "", ""},
	{"福建凯晟晶体有限公司", indOpto, false, op, "", ""},
	{"福州明镜红外技术有限公司", indOpto, false, op, "", ""},
	{"福建曜影激光显示科技有限公司", indOpto, false, op, "", ""},
	{"福州瑞光光电子有限公司", indOpto, false, op, "", ""},
	{"福建海峡光电检测技术有限公司", indOpto, false, op, "", ""},

	// 生物医药
	{"福建康泽生物制药有限公司", indBio, true, op, "", ""},
	{"福州闽源医药科技有限公司", indBio, false, op, "", ""},
	{"福建蓝湾海洋生物科技有限公司", indBio, false, op, "", ""},
	{"福州博安基因技术有限公司", indBio, false, op, "", ""},
	{"福建岐黄中药科技有限公司", indBio, true, op, "", ""},
	{"福州康宁医疗器械有限公司", indBio, false, op, "", ""},
	{"福建华清细胞治疗技术有限公司", indBio, true, prep, "", ""},
	{"福州精诚体外诊断试剂有限公司", indBio, false, op, "", ""},
	{"福建百草园药业有限公司", indBio, false, op, "", ""},
	{"福州海润生物材料有限公司", indBio, false, op, "", ""},
	{"福建安瑞医药研发有限公司", indBio, false, op, "", ""},
	{"福州佳禾宠物药业有限公司", indBio, false, op, "", ""},
	{"福建健之源营养科技有限公司", indBio, false, op, "", ""},
	{"福州生元医学检验实验室有限公司", indBio, false, op, "", ""},
	{"福建榕康制药有限公司", indBio, false, op, "", ""},

	// 新材料
	{"福建烯望石墨烯科技有限公司", indMaterial, true, op, "", ""},
	{"福州纳微新材料科技有限公司", indMaterial, false, op, "", ""},
	{"福建锦彩珠光材料有限公司", indMaterial, false, op, "", ""},
	{"福州稀材科技有限公司", indMaterial, false, op, "", ""},
	{"福建恒固高分子材料有限公司", indMaterial, false, op, "", ""},
	{"福州碳源复合材料有限公司", indMaterial, false, op, "", ""},
	{"福建晶瓷先进陶瓷有限公司", indMaterial, false, op, "", ""},
	{"福州绿能电池材料有限公司", indMaterial, true, op, "", ""},
	{"福建金峰合金材料有限公司", indMaterial, false, op, "", ""},
	{"福州凝创膜科技有限公司", indMaterial, false, op, "", ""},
	{"福建海纤新材料有限公司", indMaterial, false, op, "", ""},
	{"福州长林环保涂料有限公司", indMaterial, false, op, "", ""},
	{"福建东成稀土功能材料有限公司", indMaterial, false, op, "", ""},

	// 高端装备
	{"福建巨擘机器人有限公司", indEquip, true, op, "", ""},
	{"福州精工数控装备有限公司", indEquip, false, op, "", ""},
	{"福建海翼无人机科技有限公司", indEquip, false, op, "", ""},
	{"福州力行智能装备有限公司", indEquip, false, op, "", ""},
	{"福建鸿运精密机械有限公司", indEquip, false, op, "", ""},
	{"福州新衡测控技术有限公司", indEquip, false, op, "", ""},
	{"福建闽电智能电网设备有限公司", indEquip, false, op, "", ""},

	// 科技服务
	{"福州海西创业孵化器管理有限公司", indService, false, op, "", ""},
	{"福建知创知识产权代理有限公司", indService, false, op, "", ""},
	{"福州科融技术转移服务有限公司", indService, false, op, "", ""},
	{"福建检通检验检测认证有限公司", indService, false, op, "", ""},
}

// Titles of enterprise contacts: the first contact, then a second one.
var (
	firstContactTitles  = []string{"总经理", "副总经理", "行政总监", "办公室主任", "董事会秘书"}
	secondContactTitles = []string{"人事经理", "行政主管", "项目经理", "财务经理", "综合部主管"}
)

// Name material for invented people. Common Fujian surnames appear more
// than once so that they are drawn more often.
var (
	surnames = []rune("陈陈陈陈林林林林黄黄黄张张吴吴李李王王郑郑刘杨许蔡谢何游叶洪邱郭曾江苏高翁魏卢方周罗余施朱潘詹范钟庄姚傅柯")
	maleName = []rune("建国志明伟文强海斌华鹏辉杰俊宏峰涛军勇平东晨阳凯宇彬锋荣福榕森振德瑞祥煌铭鑫坤立新航毅")
	femaName = []rune("丽芳敏静婷雪燕琳霞玲娟慧颖晶萍莹欣怡佳思雯琪蓉倩洁璐艳红梅兰晓诗")
)

// mobilePrefixes are the first three digits of invented mobile numbers.
var mobilePrefixes = []string{"133", "135", "136", "137", "138", "139", "150", "151", "152", "158", "159", "177", "180", "181", "186", "187", "188", "189", "199"}
