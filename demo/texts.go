package demo

import "strings"

// The texts of the history's demands. Each is drawn from a category's
// own ways of saying its problem (several wordings of each: 跳闸, 断电,
// 停电…) joined with parts every category shares (when it began, what it
// costs the enterprise, what it asks), and now and then a clause that
// borrows another category's words (a subsidy for talent, a loan for a
// new plant), so that no single template word gives the category away
// and a model must learn from the wording: `zhagen dispatch eval`.

// textParts are one category's problems (the title's core), the objects
// they concern and details a description adds.
type textParts struct {
	problems []string
	objects  []string
	details  []string
}

var categoryTexts = map[string]textParts{
	"power": {
		problems: []string{"夜间频繁跳闸", "用电负荷不够", "需要增容用电", "申请双回路供电", "电压不稳影响设备", "计划停电时间过长", "变压器报装进度慢", "临时用电申请", "突然断电", "限电影响排产"},
		objects:  []string{"新增生产线", "洁净车间", "空压站", "注塑车间", "二期厂房", "配电房", "数据机房"},
		details:  []string{"现有容量约%d千伏安", "一周内停了三次电", "设备重启后良品率下降", "供电公司答复需排队", "希望电力部门上门踏勘", "配电柜老化"},
	},
	"water_gas": {
		problems: []string{"工业用水水压不足", "天然气管道接入", "蒸汽供应不稳定", "供水管网需要改造", "停水影响生产", "燃气开户手续", "供气压力偏低", "用水指标不够"},
		objects:  []string{"锅炉房", "清洗线", "食堂", "冷却塔", "纯水制备系统", "新厂区"},
		details:  []string{"高峰时段水压明显下降", "燃气公司说管线未铺到", "蒸汽温度达不到工艺要求", "自来水管网老旧漏水", "每月用水约%d吨"},
	},
	"plan_change": {
		problems: []string{"厂房层高调整需办理规划变更", "总平面布置调整", "宿舍楼设计变更报批", "容积率调整咨询", "建筑立面修改审批", "规划许可证变更"},
		objects:  []string{"二期工程", "研发楼", "配套宿舍", "综合楼", "连廊", "地下室"},
		details:  []string{"使用方提出新的工艺要求", "原方案已不能满足设备安装", "设计院已出修改图纸", "总评变更材料已准备好", "施工进度受影响"},
	},
	"fire_acceptance": {
		problems: []string{"新建厂房消防验收预约", "分阶段消防验收", "装修工程消防审查", "消防设计审查咨询", "喷淋系统改造后验收", "消防备案抽查"},
		objects:  []string{"一号车间", "仓储楼", "办公楼装修", "洁净厂房", "实验室改造", "地下车库"},
		details:  []string{"建筑面积约%d平方米", "消防设施已安装调试完毕", "排烟系统已整改", "急于投产需先行验收部分楼层", "检测报告已出具"},
	},
	"land_space": {
		problems: []string{"扩产需要新增标准厂房", "租赁园区标准厂房", "用地指标咨询", "厂房租约到期续租", "仓库面积不够", "申请工业用地", "闲置厂房盘活"},
		objects:  []string{"生产车间", "仓储空间", "研发中心", "中试基地", "标准厂房", "配套用房"},
		details:  []string{"需要面积约%d平方米", "现有场地已满负荷", "希望就近在园区内解决", "租金价格希望按政策优惠", "新订单下月开始交付"},
	},
	"financing": {
		problems: []string{"设备购置需要中长期贷款", "政策性担保贷款", "产业基金股权融资", "流动资金周转困难", "银行授信额度不足", "应收账款融资", "贷款贴息咨询", "续贷审批慢"},
		objects:  []string{"新设备", "原材料采购", "扩产项目", "研发投入", "订单备货"},
		details:  []string{"资金缺口约%d万元", "合作银行要求追加抵押", "希望对接更多金融机构", "年底回款周期长", "已有意向投资机构"},
	},
	"talent": {
		problems: []string{"招聘集成电路工艺工程师", "对接高校实习生", "申请人才公寓", "高层次人才引进", "技术工人招工难", "研发人员流失", "人才补贴申领", "员工子女入学"},
		objects:  []string{"研发团队", "一线岗位", "质量部门", "技术骨干", "应届毕业生"},
		details:  []string{"缺口约%d人", "招聘会效果不理想", "希望组织校企对接", "人才认定材料已提交", "外地员工住宿困难"},
	},
	"policy": {
		problems: []string{"研发费用补助申报", "技改补助资金兑现", "稳岗补贴申领", "惠企政策申报辅导", "专精特新申报条件", "首台套奖励申报", "政策兑现进度", "上规奖励咨询"},
		objects:  []string{"去年技改项目", "年度研发投入", "新认定资质", "扩产项目", "申报系统"},
		details:  []string{"申报材料已提交两个月", "不清楚是否符合条件", "兑现金额约%d万元", "希望政策解读更具体", "系统一直显示审核中"},
	},
	"environment": {
		problems: []string{"环评审批进度", "排污许可证变更", "危废处置单位对接", "扩建项目环保手续", "废气治理设施验收", "污水排放标准咨询", "环保检查整改"},
		objects:  []string{"扩建项目", "喷涂线", "电镀工序", "污水站", "危废仓库"},
		details:  []string{"危废库存已接近上限", "环评报告已编制完成", "在线监测数据偶有超标", "处置单位报价过高", "每月产生危废约%d吨"},
	},
	"safety": {
		problems: []string{"危化品仓库安全评估", "安全生产许可证延续", "隐患整改验收", "安全生产标准化评审", "特种设备检验", "应急预案备案"},
		objects:  []string{"危化品仓库", "压力容器", "叉车", "储罐区", "生产车间"},
		details:  []string{"上次检查发现%d处隐患", "整改已全部完成", "许可证下月到期", "请安全专家上门指导", "员工安全培训需要支持"},
	},
	"tech_innovation": {
		problems: []string{"高新技术企业认定辅导", "发明专利快速预审", "省级科技项目申报", "研发平台认定", "科技成果转化对接", "知识产权质押", "企业技术中心申报"},
		objects:  []string{"核心技术", "新产品", "研发平台", "实验室", "专利组合"},
		details:  []string{"已有发明专利%d件", "申报材料需要专家把关", "希望对接高校科研团队", "研发投入占比已达标", "截止时间临近"},
	},
	"other": {
		problems: []string{"园区道路照明不足", "厂区周边交通拥堵", "员工通勤公交线路调整", "园区网络信号差", "周边餐饮配套不足", "园区道路坑洼", "门口道路破损", "共享单车乱停放", "货车进出不便"},
		objects:  []string{"厂区门口", "园区主干道", "员工宿舍周边", "东门路段", "停车场"},
		details:  []string{"晚上下班员工出行不安全", "物流车辆进不来", "早晚高峰堵车严重", "员工反映多次", "约%d名员工受影响"},
	},
}

var (
	textStarts  = []string{"", "近期", "今年以来，", "随着订单增加，", "项目投产后，", "最近一段时间，", "据企业负责人介绍，"}
	textImpacts = []string{"已影响正常生产", "交期压力较大", "企业十分着急", "影响项目进度", "给企业造成一定损失", "员工意见较大", ""}
	textAsks    = []string{"请相关部门协调解决", "希望尽快给予答复", "请帮助对接", "盼予支持", "请指导办理", "希望加快办理"}
	textTitles  = []string{"%s", "关于%s的问题", "%s，请协调", "%s咨询", "%s（%o）"}
)

// textAbout are titles that name only the object, the problem being in
// the description.
var textAbout = []string{"相关问题", "遇到困难", "有关事项咨询", "需要协调", "的诉求"}

// borrowed are clauses of one category that now and then appear in
// another's description, as in life.
var borrowed = []string{"涉及少量资金补助", "新招员工需要培训", "厂房需要扩建", "设备用电量会增加", "需要办理相关手续", "涉及环保要求"}

// neighbours are the categories whose problems an enterprise may raise
// under another: a demand filed under "policy" that reads as a loan, a
// fire acceptance that reads as a plan change. About one demand in ten
// is worded as its neighbour's (the category stays where the rule put
// it), so no model can be right on all of them.
var neighbours = map[string][]string{
	"power": {"water_gas", "other"}, "water_gas": {"power"}, "plan_change": {"fire_acceptance", "land_space"},
	"fire_acceptance": {"plan_change", "safety"}, "land_space": {"plan_change", "financing"}, "financing": {"policy"},
	"talent": {"policy"}, "policy": {"financing", "talent", "tech_innovation"}, "environment": {"safety"},
	"safety": {"environment", "fire_acceptance"}, "tech_innovation": {"policy"}, "other": {"power", "land_space"},
}

// historyText draws the title and description of a history demand of
// category code, from r.
func historyText(r *rng, code string) (title, desc string) {
	if ns := neighbours[code]; len(ns) > 0 && r.intn(100) < 10 {
		code = ns[r.intn(len(ns))]
	}
	p, ok := categoryTexts[code]
	if !ok {
		p = categoryTexts["other"]
	}
	problem := p.problems[r.intn(len(p.problems))]
	object := p.objects[r.intn(len(p.objects))]
	tpl := textTitles[r.intn(len(textTitles))]
	title = strings.Replace(strings.Replace(tpl, "%s", problem, 1), "%o", object, 1)
	if r.intn(100) < 30 { // the title said otherwise: what it is about, in other words
		title = object + textAbout[r.intn(len(textAbout))]
	}
	detail := strings.Replace(p.details[r.intn(len(p.details))], "%d", itoa(20+r.intn(980)), 1)
	var b strings.Builder
	b.WriteString("企业反映：")
	b.WriteString(textStarts[r.intn(len(textStarts))])
	b.WriteString(object + problem + "，" + detail + "，")
	if r.intn(100) < 25 {
		b.WriteString(borrowed[r.intn(len(borrowed))] + "，")
	}
	if s := textImpacts[r.intn(len(textImpacts))]; s != "" {
		b.WriteString(s + "，")
	}
	b.WriteString(textAsks[r.intn(len(textAsks))] + "。")
	return title, b.String()
}

// DemandText is a demand's title and description of category code as the
// history draws them, from seed: for load tests and benchmarks.
func DemandText(code string, seed uint64) (title, desc string) {
	return historyText(&rng{s: seed}, code)
}

// TextCategories are the category codes DemandText knows.
func TextCategories() []string {
	return []string{"policy", "talent", "power", "financing", "tech_innovation", "water_gas", "land_space", "environment", "safety", "plan_change", "fire_acceptance", "other"}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var d []byte
	for ; n > 0; n /= 10 {
		d = append([]byte{byte('0' + n%10)}, d...)
	}
	return string(d)
}
