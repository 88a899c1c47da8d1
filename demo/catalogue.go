package demo

import (
	"context"
	"fmt"

	"zhagen"
)

// DefaultOpen311Key is the api_key of the demo's Open311 intake channel
// unless the environment variable Open311KeyEnv overrides it.
const (
	DefaultOpen311Key = "zhagen-demo-open311"
	Open311KeyEnv     = "ZHAGEN_DEMO_OPEN311_KEY"
	open311Channel    = "演示 Open311 接入渠道"
)

type catSpec struct {
	code, name, group, desc string
	lead                    string
	coop                    []string
	priority                zhagen.Priority
	keywords                []string
	questions               []zhagen.Question
}

func opts(pairs ...string) []zhagen.Option {
	var out []zhagen.Option
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, zhagen.Option{Key: pairs[i], Name: pairs[i+1]})
	}
	return out
}

// catalogue is the demo's demand catalogue: the story's cases and the
// zone's daily work.
var catalogue = []catSpec{
	{"power", "用电保障（双回路供电、增容）", "水电气保障", "生产用电、双回路供电、增容扩容、临时用电等诉求。", deptEconomy,
		[]string{"国网福州供电公司高新区供电服务中心"}, zhagen.PriorityHigh, []string{"用电", "双回路", "增容", "停电"},
		[]zhagen.Question{
			{Code: "load_kw", Label: "申请用电负荷（千瓦）", Type: zhagen.QNumber, Required: true},
			{Code: "supply_mode", Label: "供电方式", Type: zhagen.QSingle, Required: true, Options: opts("single", "单回路", "dual", "双回路", "temporary", "临时用电")},
			{Code: "needed_by", Label: "期望送电时间", Type: zhagen.QDatetime},
		}},
	{"water_gas", "供水供气", "水电气保障", "工业用水、燃气接入与压力保障。", deptEconomy, nil, zhagen.PriorityNormal, []string{"供水", "燃气"},
		[]zhagen.Question{{Code: "kind", Label: "类别", Type: zhagen.QMulti, Required: true, Options: opts("water", "供水", "gas", "燃气", "steam", "蒸汽")}}},
	{"plan_change", "规划调整与总评变更", "项目审批", "建设中调整层高、面积等需办理规划调整或总评变更。", "自然资源和规划局",
		[]string{"城乡建设局"}, zhagen.PriorityNormal, []string{"规划", "层高", "总评变更", "设计变更"},
		[]zhagen.Question{
			{Code: "project", Label: "项目名称", Type: zhagen.QString, Required: true},
			{Code: "change", Label: "变更内容", Type: zhagen.QText, Required: true},
		}},
	{"fire_acceptance", "消防验收（含分阶段验收）", "项目审批", "消防设计审查、消防验收及分阶段验收。", deptBuilding,
		[]string{"福州高新区消防救援大队"}, zhagen.PriorityNormal, []string{"消防", "验收", "分阶段验收"},
		[]zhagen.Question{
			{Code: "area_m2", Label: "验收建筑面积（平方米）", Type: zhagen.QNumber, Required: true},
			{Code: "staged", Label: "是否申请分阶段验收", Type: zhagen.QSingle, Options: opts("yes", "是", "no", "否")},
		}},
	{"land_space", "用地与厂房空间", "要素保障", "新增用地、标准厂房租赁、产业空间调整。", "自然资源和规划局", []string{deptEconomy}, zhagen.PriorityNormal,
		[]string{"用地", "厂房", "空间"}, []zhagen.Question{{Code: "area_m2", Label: "需求面积（平方米）", Type: zhagen.QNumber, Required: true}}},
	{"financing", "融资对接", "要素保障", "银行贷款、政策性担保、产业基金对接。", "财政金融局", nil, zhagen.PriorityNormal, []string{"融资", "贷款", "担保"},
		[]zhagen.Question{
			{Code: "amount", Label: "融资需求（万元）", Type: zhagen.QNumber, Required: true},
			{Code: "purpose", Label: "资金用途", Type: zhagen.QSingle, Options: opts("capex", "设备购置", "working", "流动资金", "rd", "研发投入")},
		}},
	{"talent", "人才招聘与引进", "人才服务", "岗位招聘、专业人才引进、实习对接、人才政策兑现。", deptTalent, nil, zhagen.PriorityNormal, []string{"招聘", "人才", "实习"},
		[]zhagen.Question{
			{Code: "majors", Label: "需求专业", Type: zhagen.QString, Required: true},
			{Code: "headcount", Label: "需求人数", Type: zhagen.QNumber, Required: true},
		}},
	{"policy", "政策咨询与兑现", "政策服务", "惠企政策咨询、申报辅导与资金兑现。", deptEconomy, []string{"科技创新局", "财政金融局"}, zhagen.PriorityLow,
		[]string{"政策", "补贴", "申报"}, nil},
	{"environment", "环保审批与咨询", "项目审批", "环评、排污许可、危废处置咨询。", "生态环境局", nil, zhagen.PriorityNormal, []string{"环评", "排污", "环保"}, nil},
	{"safety", "安全生产", "安全监管", "安全生产许可、危化品管理与隐患整改指导。", "应急管理局", nil, zhagen.PriorityHigh, []string{"安全", "危化品"}, nil},
	{"tech_innovation", "科技项目与知识产权", "政策服务", "科技项目申报、高企认定、知识产权服务。", "科技创新局", nil, zhagen.PriorityLow, []string{"高企", "专利", "科技项目"}, nil},
	{"other", "其他诉求", "综合", "不属于以上类别的诉求，由指挥中心分派。", "", nil, zhagen.PriorityNormal, nil, nil},
}

// categories creates the catalogue entries whose code is free.
func (l *loader) categories(ctx context.Context) error {
	if l.s.Categories == nil {
		return nil
	}
	existing, err := l.s.Categories.FindCategories(ctx, zhagen.CategoryFilter{IncludeArchived: true})
	if err != nil {
		return err
	}
	l.catIDs = map[string]int64{}
	for _, c := range existing {
		l.catIDs[c.Code] = c.ID
	}
	for _, spec := range catalogue {
		if _, ok := l.catIDs[spec.code]; ok {
			l.cats.existing++
			continue
		}
		c := &zhagen.Category{Code: spec.code, Name: spec.name, Group: spec.group, Description: spec.desc, DefaultPriority: spec.priority,
			Keywords: spec.keywords, Questions: spec.questions, LeadDeptID: l.deptIDs[spec.lead], AutoCloseDays: 7}
		for _, name := range spec.coop {
			c.CoopDeptIDs = append(c.CoopDeptIDs, l.deptIDs[name])
		}
		if err := l.s.Categories.CreateCategory(ctx, c); err != nil {
			return fmt.Errorf("%s: %w", spec.code, err)
		}
		l.catIDs[spec.code] = c.ID
		l.cats.created++
	}
	return nil
}

// intake issues the demo's Open311 channel once, publicly readable (a
// FixMyStreet reads its requests back without an api_key).
func (l *loader) intake(ctx context.Context) error {
	if l.s.Intake == nil {
		return nil
	}
	chans, err := l.s.Intake.FindIntakeChannels(ctx)
	if err != nil {
		return err
	}
	for _, c := range chans {
		if c.Name == open311Channel {
			return nil
		}
	}
	ch, err := l.s.Intake.CreateIntakeChannel(ctx, open311Channel, l.s.Open311Key)
	if err != nil {
		return err
	}
	_, err = l.s.Intake.SetIntakeChannelPublic(ctx, ch.ID, true)
	return err
}

// demandSpec is a demo demand and the steps it has gone through.
type demandSpec struct {
	key, by, enterprise, category, title, desc string
	answers                                    zhagen.Answers
	steps                                      []step
}

type step struct {
	by string
	t  zhagen.Transition
}

func yes() *bool { b := true; return &b }

// byLinkedCadre as a demand's filer is the cadre linked to its
// enterprise (a cadre files only for its linked enterprises), or the
// dispatcher when nobody is linked to it (no linkage service loaded).
const byLinkedCadre = "*linked-cadre"

var demoDemands = []demandSpec{
	{"demo-power-fushun", byLinkedCadre, entFushun, "power", "集成电路生产需要双回路电力保障",
		"企业明年投产并批量生产，集成电路生产线需要双回路供电，避免单回路检修或故障造成停产损失。",
		zhagen.Answers{"load_kw": {"12000"}, "supply_mode": {"dual"}},
		[]step{{"staff", zhagen.Transition{Action: zhagen.ActAccept}},
			{"staff", zhagen.Transition{Action: zhagen.ActUpdate, Note: "已会同供电公司赴现场踏勘，初步确定第二回路由旗山变电站引出。"}}}},
	{"demo-policy-xianzhilou", "enterprise2", entXianzhilou, "policy", "咨询生物医药企业研发费用补助政策",
		"我司今年研发投入较上年增长40%，想了解区级研发费用补助的申报条件和时间。", nil,
		[]step{{"staff", zhagen.Transition{Action: zhagen.ActAccept}},
			{"staff", zhagen.Transition{Action: zhagen.ActResolve, Resolution: "已电话说明申报条件，申报通知将于下月发布，届时经济发展局将一对一辅导申报。"}},
			{"enterprise2", zhagen.Transition{Action: zhagen.ActRate, Rating: zhagen.RatingSatisfied, Solved: yes(), Note: "答复及时"}}}},
	{"demo-talent-xianzhilou", "enterprise2", entXianzhilou, "talent", "招不到生物医药专业对口人才",
		"收到不少简历，但生物制药、药物分析专业的毕业生很少，希望对接大学城高校。",
		zhagen.Answers{"majors": {"生物制药、药物分析"}, "headcount": {"6"}}, nil},
	{"demo-power-fushun-2", "enterprise", entFushun, "power", "二期厂房临时施工用电",
		"二期厂房进入设备安装阶段，需临时施工用电约 800 千瓦。", zhagen.Answers{"load_kw": {"800"}, "supply_mode": {"temporary"}},
		[]step{{"staff", zhagen.Transition{Action: zhagen.ActAccept}},
			{"staff", zhagen.Transition{Action: zhagen.ActPause, Note: "请补充临时用电设备清单及施工总平面图。"}}}},
	{"demo-other-dispatcher", "dispatcher", entFushun, "other", "企业门口道路夜间照明不足", "员工夜班下班途经的园区道路路灯损坏多盏，存在安全隐患。", nil, nil},
}

// demands files the demo demands once (by idempotency key) and walks
// them through their steps.
func (l *loader) demands(ctx context.Context) error {
	if l.s.Demands == nil || l.s.Categories == nil {
		return nil
	}
	actors := map[string]context.Context{}
	actor := func(login string) (context.Context, error) {
		if c, ok := actors[login]; ok {
			return c, nil
		}
		c, _, err := l.actorFor(ctx, login)
		if err == nil {
			actors[login] = c
		}
		return c, err
	}
	for _, spec := range demoDemands {
		filer := spec.by
		if filer == byLinkedCadre {
			filer = "dispatcher"
			if login, err := l.linkedCadre(ctx, l.entIDs[spec.enterprise]); err != nil {
				return err
			} else if login != "" {
				filer = login
			}
		}
		by, err := actor(filer)
		if err != nil {
			return err
		}
		if _, n, err := l.s.Demands.FindDemands(ctx, zhagen.DemandFilter{Query: spec.title, EnterpriseID: l.entIDs[spec.enterprise], Limit: 1}); err != nil {
			return err
		} else if n > 0 {
			l.demandsT.existing++
			continue // filed by an earlier run
		}
		d := &zhagen.Demand{EnterpriseID: l.entIDs[spec.enterprise], CategoryID: l.catIDs[spec.category], Title: spec.title, Description: spec.desc, Answers: spec.answers}
		if err := l.s.Demands.CreateDemand(by, d, spec.key); err != nil {
			return fmt.Errorf("%s: %w", spec.key, err)
		}
		l.demandsT.created++
		for _, st := range spec.steps {
			c, err := actor(st.by)
			if err != nil {
				return err
			}
			if _, err := l.s.Demands.Transition(c, d.ID, st.t); err != nil {
				return fmt.Errorf("%s %s: %w", spec.key, st.t.Action, err)
			}
		}
	}
	return nil
}

// linkedCadre returns the login of a cadre linked to the enterprise, ""
// when there is none.
func (l *loader) linkedCadre(ctx context.Context, enterprise int64) (string, error) {
	if l.s.Linkages == nil || enterprise == 0 {
		return "", nil
	}
	yes := true
	links, _, err := l.s.Linkages.FindLinkages(ctx, zhagen.LinkageFilter{EnterpriseID: enterprise, Active: &yes, Limit: 1})
	if err != nil || len(links) == 0 {
		return "", err
	}
	u, err := l.s.Users.FindUserByID(ctx, links[0].CadreID)
	if err != nil {
		return "", err
	}
	return u.Login, nil
}
