package demo

import (
	"context"
	"fmt"
	"hash/fnv"
	"slices"
	"time"

	"zhagen"
)

// The policy catalogue of the demo zone (惠企政策直达): enterprise tags
// and attributes, about ten policies of the zone (talent, chip industry,
// R&D, financing) published and matched, and applications at each stage
// of redemption.

// demoTags are the administrators' enterprise tags.
var demoTags = []zhagen.Tag{
	{Name: "专精特新", Color: "purple"}, {Name: "高新技术企业", Color: "blue"}, {Name: "链主", Color: "red"},
	{Name: "瞪羚企业", Color: "orange"}, {Name: "规上企业", Color: "green"},
}

// chainOf maps the demo industries to their industry chains.
var chainOf = map[string]string{indDigital: "数字经济", indIC: "集成电路", indOpto: "光电显示", indBio: "生物医药",
	indMaterial: "新材料", indEquip: "高端装备", indService: "科技服务"}

// attrOverrides fix the figures the story and the tests rely on: the
// IC company of the story is large; two IC designers are small.
var attrOverrides = map[string]zhagen.EnterpriseAttrs{
	entFushun:       {Employees: 260, RevenueBand: "100m_400m", FoundedYear: 2019, HighTech: true, ChainPosition: "midstream"},
	"福州朗芯电子科技有限公司":  {Employees: 60, RevenueBand: "lt20m", FoundedYear: 2021, ChainPosition: "midstream"},
	"福州飞芯射频技术有限公司":  {Employees: 85, RevenueBand: "20m_100m", FoundedYear: 2018, HighTech: true, ChainPosition: "midstream"},
	"福建芯曜半导体有限公司":   {Employees: 820, RevenueBand: "400m_1b", FoundedYear: 2012, HighTech: true, ChainPosition: "midstream"},
	"福建晶源半导体材料有限公司": {Employees: 140, RevenueBand: "100m_400m", FoundedYear: 2015, HighTech: true, ChainPosition: "upstream"},
}

// DemoAttrs returns the attributes the demo gives an enterprise, and its
// tags: a few fixed, the rest drawn from its name so that every load
// gives the same.
func DemoAttrs(name, industry string, key bool) (zhagen.EnterpriseAttrs, []string) {
	h := fnv.New32a()
	h.Write([]byte(name))
	n := int(h.Sum32())
	x, fixed := attrOverrides[name]
	if !fixed {
		x = zhagen.EnterpriseAttrs{Employees: 20 + n%480, FoundedYear: 2005 + n%19, HighTech: key || n%3 == 0,
			ChainPosition: zhagen.ChainPositions[n%len(zhagen.ChainPositions)]}
		x.RevenueBand = zhagen.RevenueBands[min(x.Employees/100, len(zhagen.RevenueBands)-1)]
		if key {
			x.Employees += 300
			x.RevenueBand = "400m_1b"
		}
	}
	x.Chain = chainOf[industry]
	var tags []string
	if x.HighTech {
		tags = append(tags, "高新技术企业")
	}
	if n%5 == 0 || name == entFushun {
		tags = append(tags, "专精特新")
	}
	if key && (industry == indIC || industry == indOpto) && name != entFushun {
		tags = append(tags, "链主")
	}
	if n%7 == 0 {
		tags = append(tags, "瞪羚企业")
	}
	if slices.Index(zhagen.RevenueBands, x.RevenueBand) >= 2 {
		tags = append(tags, "规上企业")
	}
	return x, tags
}

func rule(attr zhagen.RuleAttr, op, value string) zhagen.PolicyRule {
	return zhagen.PolicyRule{Attr: attr, Op: op, Value: value}
}

// demoPolicies are the zone's policies; issuer and handler are department names.
var demoPolicies = []struct {
	p               zhagen.Policy
	issuer, handler string
}{
	{zhagen.Policy{Title: "福州高新区加快集成电路产业发展若干措施", DocNo: "榕高管〔2026〕8号", Category: zhagen.PolicyIndustry,
		Summary:   "对区内集成电路设计、制造、封测企业给予流片、首轮投片和EDA工具购置补助，支持企业做大做强。",
		Body:      "第一条 对集成电路设计企业开展多项目晶圆（MPW）流片的，按流片费用的50%给予补助，单个企业每年最高200万元。\n第二条 对首轮工程批流片的，按费用的30%给予补助，最高300万元。\n第三条 购买EDA设计工具的，按实际支出的30%给予补助，最高100万元。",
		ValidFrom: "2026-01-01", ValidTo: "2028-12-31", BenefitType: zhagen.BenefitSubsidy, BenefitAmount: 5000000, BenefitText: "流片及EDA补助合计最高500万元",
		Rules: []zhagen.PolicyRule{rule(zhagen.AttrIndustry, zhagen.OpIn, indIC), rule(zhagen.AttrEmployees, zhagen.OpGE, "50")}}, deptEconomy, deptEconomy},
	{zhagen.Policy{Title: "高新技术企业认定奖励", DocNo: "榕高科〔2026〕3号", Category: zhagen.PolicyRnD, Auto: true,
		Summary:   "对首次通过或重新通过高新技术企业认定的企业给予一次性奖励，免申即享，直接兑现。",
		ValidFrom: "2026-01-01", ValidTo: "2026-12-31", BenefitType: zhagen.BenefitReward, BenefitAmount: 200000, BenefitText: "一次性奖励20万元",
		Rules: []zhagen.PolicyRule{rule(zhagen.AttrHighTech, zhagen.OpIs, "true"), rule(zhagen.AttrAge, zhagen.OpLE, "8")}}, "科技创新局", "科技创新局"},
	{zhagen.Policy{Title: "企业研发经费投入分段补助", DocNo: "榕高科〔2026〕5号", Category: zhagen.PolicyRnD,
		Summary:   "对上年度研发费用较上上年度增长的企业，按增量部分的10%给予补助。",
		ValidFrom: "2026-03-01", BenefitType: zhagen.BenefitSubsidy, BenefitAmount: 2000000, BenefitText: "按研发投入增量的10%补助，最高200万元",
		Rules: []zhagen.PolicyRule{rule(zhagen.AttrRevenue, zhagen.OpGE, "20m_100m"), rule(zhagen.AttrChain, zhagen.OpIn, "集成电路,光电显示,生物医药,新材料,高端装备,数字经济")}}, "科技创新局", "科技创新局"},
	{zhagen.Policy{Title: "专精特新中小企业梯度培育奖励", DocNo: "榕高管〔2026〕11号", Category: zhagen.PolicyIndustry, Auto: true,
		Summary:   "对新认定的国家级、省级专精特新中小企业分别给予50万元、20万元奖励。",
		ValidFrom: "2026-01-01", ValidTo: "2027-12-31", BenefitType: zhagen.BenefitReward, BenefitAmount: 500000, BenefitText: "国家级50万元、省级20万元",
		Rules: []zhagen.PolicyRule{rule(zhagen.AttrTag, zhagen.OpIn, "专精特新")}}, deptEconomy, deptEconomy},
	{zhagen.Policy{Title: "高层次人才安居保障实施办法", DocNo: "榕高人〔2026〕2号", Category: zhagen.PolicyTalent,
		Summary:   "对企业引进的A至E类高层次人才，给予30万元至300万元购房补贴或租房补助。",
		ValidFrom: "2026-01-01", BenefitType: zhagen.BenefitSubsidy, BenefitAmount: 3000000, BenefitText: "按人才层次给予30万元至300万元安居补贴",
		Rules: []zhagen.PolicyRule{rule(zhagen.AttrEmployees, zhagen.OpGE, "20")}}, deptTalent, deptTalent},
	{zhagen.Policy{Title: "高校毕业生就业见习补贴", DocNo: "榕高人〔2026〕4号", Category: zhagen.PolicyTalent,
		Summary:   "企业吸纳离校两年内高校毕业生参加就业见习的，按每人每月2000元给予见习补贴，最长12个月。",
		ValidFrom: "2026-01-01", BenefitType: zhagen.BenefitSubsidy, BenefitAmount: 240000, BenefitText: "每人每月2000元，最长12个月"}, deptTalent, deptTalent},
	{zhagen.Policy{Title: "科技型中小企业“科技贷”贴息", DocNo: "榕高财〔2026〕6号", Category: zhagen.PolicyFinance,
		Summary:   "对科技型中小企业通过合作银行获得的“科技贷”，按贷款市场报价利率的50%给予贴息。",
		ValidFrom: "2026-01-01", BenefitType: zhagen.BenefitInterest, BenefitAmount: 500000, BenefitText: "按LPR的50%贴息，每家每年最高50万元",
		Rules: []zhagen.PolicyRule{rule(zhagen.AttrEmployees, zhagen.OpLE, "500"), rule(zhagen.AttrAge, zhagen.OpLE, "10")}}, "财政金融局", "财政金融局"},
	{zhagen.Policy{Title: "企业上市挂牌分阶段奖励", DocNo: "榕高财〔2026〕9号", Category: zhagen.PolicyFinance,
		Summary:   "对完成股份制改造、辅导备案、申报受理和成功上市的企业分阶段给予奖励。",
		ValidFrom: "2026-01-01", BenefitType: zhagen.BenefitReward, BenefitAmount: 3000000, BenefitText: "分阶段累计最高300万元",
		Rules: []zhagen.PolicyRule{rule(zhagen.AttrRevenue, zhagen.OpGE, "100m_400m"), rule(zhagen.AttrHighTech, zhagen.OpIs, "true")}}, "财政金融局", "财政金融局"},
	{zhagen.Policy{Title: "链主企业带动产业链配套奖励", DocNo: "榕高管〔2026〕15号", Category: zhagen.PolicyIndustry,
		Summary:   "链主企业新引进上下游配套企业落户高新区的，按配套企业首年实际投资额的2%给予奖励。",
		ValidFrom: "2026-04-01", BenefitType: zhagen.BenefitReward, BenefitAmount: 1000000, BenefitText: "最高100万元",
		Rules: []zhagen.PolicyRule{rule(zhagen.AttrTag, zhagen.OpIn, "链主"), rule(zhagen.AttrIsKey, zhagen.OpIs, "true")}}, deptEconomy, deptEconomy},
	{zhagen.Policy{Title: "光电显示产业链协同发展补助", DocNo: "榕高管〔2026〕17号", Category: zhagen.PolicyIndustry,
		Summary:   "支持光电显示产业链上游材料装备和中游面板制造企业开展本地配套协作，按本地采购额的3%给予补助。",
		ValidFrom: "2026-05-01", BenefitType: zhagen.BenefitSubsidy, BenefitAmount: 800000, BenefitText: "按本地采购额3%补助，最高80万元",
		Rules: []zhagen.PolicyRule{rule(zhagen.AttrChain, zhagen.OpIn, "光电显示"), rule(zhagen.AttrChainPosition, zhagen.OpIn, "upstream,midstream")}}, deptEconomy, deptEconomy},
}

// policies loads the tags, attributes, policies and applications once.
func (l *loader) policies(ctx context.Context) error {
	s := l.s.Policies
	if s == nil {
		return nil
	}
	if have, err := s.FindPolicies(ctx, zhagen.PolicyFilter{Limit: 1}); err != nil {
		return err
	} else if len(have) > 0 {
		l.policyT = "  惠企政策  已存在\n"
		return nil
	}
	if err := l.icVisits(ctx); err != nil {
		return err
	}
	for _, t := range demoTags {
		t := t
		if err := s.CreateTag(ctx, &t); err != nil && zhagen.ErrorCode(err) != zhagen.ECONFLICT {
			return err
		}
	}
	for _, e := range l.p.Enterprises {
		id := l.entIDs[e.Name]
		if id == 0 {
			continue
		}
		x, tags := DemoAttrs(e.Name, e.Industry, e.IsKey)
		x.EnterpriseID = id
		if err := s.SetEnterpriseAttrs(ctx, &x); err != nil {
			return fmt.Errorf("%s: %w", e.Name, err)
		}
		if err := s.SetEnterpriseTags(ctx, id, tags); err != nil {
			return fmt.Errorf("%s: %w", e.Name, err)
		}
	}
	ids := make([]int64, len(demoPolicies))
	for i, dp := range demoPolicies {
		p := dp.p
		p.IssuerDeptID, p.HandlerDeptID = l.deptIDs[dp.issuer], l.deptIDs[dp.handler]
		if err := s.CreatePolicy(ctx, &p); err != nil {
			return fmt.Errorf("%s: %w", p.Title, err)
		}
		if _, err := s.PublishPolicy(ctx, p.ID, p.Version); err != nil {
			return fmt.Errorf("%s: %w", p.Title, err)
		}
		ids[i] = p.ID
	}
	if err := l.applications(ctx, ids); err != nil {
		return err
	}
	ms, err := s.FindMatches(ctx, 0, 0)
	if err != nil {
		return err
	}
	apps, err := s.FindApplications(ctx, zhagen.AppFilter{Limit: 1000})
	if err != nil {
		return err
	}
	l.policyT = fmt.Sprintf("  惠企政策  %d 项（已发布并推送），匹配企业 %d 家次，兑现申请 %d 件（各环节均有）；标签 %d 个\n", len(ids), len(ms), len(apps), len(demoTags))
	return nil
}

// icVisits logs five visits of the IC company of the story over the
// last ten months by its linked cadre, with the situation checklist's
// orders, headcount and financing: the profile's trend.
func (l *loader) icVisits(ctx context.Context) error {
	if l.s.Linkages == nil || l.entIDs[entFushun] == 0 {
		return nil
	}
	yes := true
	ls, _, err := l.s.Linkages.FindLinkages(ctx, zhagen.LinkageFilter{EnterpriseID: l.entIDs[entFushun], Active: &yes, Limit: 1})
	if err != nil || len(ls) == 0 {
		return err
	}
	cctx, _, err := l.actorNamed(ctx, ls[0].CadreName)
	if err != nil {
		return err
	}
	today := l.clock.Now().In(zhagen.Shanghai)
	orders := []float64{-12, -5, 3, 8, 15}
	emps := []int{210, 225, 238, 250, 260}
	fin := []string{"", "拟申请科技贷3000万元", "", "B轮融资洽谈中", "B轮融资已完成交割"}
	topics := []string{"一期产线爬坡与订单情况", "流片补贴与科技贷申报", "二期厂房用电报装", "人才公寓与招聘需求", "B轮融资与扩产计划"}
	for i := range 5 {
		day := time.Date(today.Year(), today.Month(), 15, 10, 0, 0, 0, zhagen.Shanghai).AddDate(0, -2*(5-i), 0)
		o, e := orders[i], emps[i]
		v := &zhagen.Visit{EnterpriseID: l.entIDs[entFushun], CadreID: ls[0].CadreID, Status: zhagen.VisitLogged, Date: day.Format("2006-01-02"),
			Kind: zhagen.VisitOnSite, Topics: topics[i], PublicNotes: "了解企业生产经营情况，宣讲惠企政策",
			Situation: &zhagen.Situation{OrdersChangePct: &o, Employees: &e, Financing: fin[i], PlansExpand: i >= 3}}
		if err := l.s.Linkages.CreateVisit(cctx, v); err != nil {
			return fmt.Errorf("visit %s: %w", v.Date, err)
		}
	}
	return nil
}

// applications files applications on the chip policy, the R&D policy and
// the talent policy, and moves them to each stage of redemption.
func (l *loader) applications(ctx context.Context, ids []int64) error {
	s := l.s.Policies
	type plan struct {
		policy int
		ent    string
		amount int64
		steps  []zhagen.AppStep
	}
	accept := zhagen.AppStep{Action: zhagen.AppAccept, Note: "材料齐全，予以受理"}
	review := func(n int64) zhagen.AppStep {
		return zhagen.AppStep{Action: zhagen.AppReview, Amount: n, Note: "经专家评审和财务核查，核定补助金额"}
	}
	public := zhagen.AppStep{Action: zhagen.AppPublicize, Note: "在高新区门户网站公示5个工作日"}
	pay := func(n int64) zhagen.AppStep {
		return zhagen.AppStep{Action: zhagen.AppPay, Amount: n, Note: "公示无异议，资金已拨付至企业基本户"}
	}
	plans := []plan{
		{0, entFushun, 1800000, []zhagen.AppStep{accept}},
		{0, "福建芯曜半导体有限公司", 2000000, []zhagen.AppStep{accept, review(1600000), public, pay(1600000)}},
		{0, "福建鸿芯封装测试有限公司", 900000, []zhagen.AppStep{accept, review(750000), public}},
		{0, "福州华晶存储科技有限公司", 1200000, []zhagen.AppStep{accept, review(1000000)}},
		{0, "福建晶源半导体材料有限公司", 500000, nil},
		{2, "福建光曜显示技术有限公司", 1500000, []zhagen.AppStep{accept, review(1200000), public, pay(1200000)}},
		{2, "福建康泽生物制药有限公司", 800000, []zhagen.AppStep{{Action: zhagen.AppReject, Note: "研发费用加计扣除数据与申报数不符，不予支持"}}},
		{4, entFushun, 600000, []zhagen.AppStep{accept, review(600000), public, pay(600000)}},
		{4, "福建巨擘机器人有限公司", 300000, []zhagen.AppStep{accept}},
	}
	for _, pl := range plans {
		id := l.entIDs[pl.ent]
		if id == 0 {
			continue
		}
		app, err := s.Apply(ctx, zhagen.AppInput{PolicyID: ids[pl.policy], EnterpriseID: id, Requested: pl.amount, Note: "按政策条款申报，附审计报告及相关票据"})
		if err != nil {
			if zhagen.ErrorCode(err) == zhagen.EINVALID {
				continue // not eligible in this zone's figures
			}
			return fmt.Errorf("%s: %w", pl.ent, err)
		}
		for _, st := range pl.steps {
			st.Version = app.Version
			if app, err = s.StepApplication(ctx, app.ID, st); err != nil {
				return fmt.Errorf("%s %s: %w", pl.ent, st.Action, err)
			}
		}
	}
	// The 免申即享 award of one enterprise goes all the way to payment.
	auto, err := s.FindApplications(ctx, zhagen.AppFilter{PolicyID: ids[1], Limit: 1})
	if err != nil || len(auto) == 0 {
		return err
	}
	app := auto[0]
	for _, st := range []zhagen.AppStep{review(200000), public, pay(200000)} {
		st.Version = app.Version
		if app, err = s.StepApplication(ctx, app.ID, st); err != nil {
			return err
		}
	}
	return nil
}
