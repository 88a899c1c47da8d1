package demo

import (
	"context"
	"fmt"

	"zhagen"
)

// demoEntries are the demo's knowledge base (知识库): standing answers to
// what the zone's enterprises ask most, kept by the departments that own
// them and reviewed by the command centre (the last one still waits for
// review).
var demoEntries = []struct {
	dept, category, question, answer, links string
	reviewed                                bool
}{
	{deptEconomy, "policy", "研发费用补助怎么申报？需要哪些材料？",
		"研发费用补助每年3月至4月在“惠企政策兑现平台”集中申报。需提交：上年度研发费用专项审计报告、研发项目立项文件、企业所得税年度纳税申报表（研发费用加计扣除部分）。经济发展局可提供一对一申报辅导，电话 0591-83000000。",
		"福州高新区促进企业研发投入若干措施（榕高新综〔2025〕12号）", true},
	{deptEconomy, "policy", "稳岗补贴什么时候发放，需要企业申请吗？",
		"稳岗补贴实行“免申即享”：人社部门根据上年度参保和裁员率数据筛选符合条件的企业，直接拨付至企业对公账户，无需另行申请。如企业对公账户变更，请及时到人事人才公共服务中心更新。", "", true},
	{"国网福州供电公司高新区供电服务中心", "power", "新增生产线需要增容用电，报装流程是怎样的？",
		"增容报装可通过“网上国网”App 或供电服务中心窗口办理：提交用电申请和负荷清单 → 现场勘查（3个工作日内）→ 答复供电方案 → 受电工程设计施工 → 竣工检验与装表接电。高压增容一般 30 个工作日内完成，重点企业可申请“绿色通道”。", "", true},
	{"国网福州供电公司高新区供电服务中心", "power", "厂区夜间经常跳闸停电怎么办？",
		"请先由企业电工检查厂内配电设备和保护定值；如判断为外部线路原因，请拨打 95598 报修并同时在本平台提交诉求，注明跳闸时间和次数。供电服务中心将在 24 小时内安排线路巡检，必要时加装监测装置。", "", true},
	{deptTalent, "talent", "人才公寓怎么申请？入住条件是什么？",
		"区内企业引进的本科及以上学历人才、紧缺技能人才可申请人才公寓，由企业统一在人才服务平台提交名单和劳动合同，人事人才公共服务中心审核后按房源情况安排入住，租金按市场价的 50% 收取，最长 3 年。", "", true},
	{deptTalent, "talent", "企业招不到技术工人，园区能提供哪些招聘支持？",
		"人事人才公共服务中心每月举办园区专场招聘会，并可对接福州大学、闽江学院等高校开展校企合作和订单式培养；企业可在本平台发布岗位，参加暑期实习生匹配计划。", "", true},
	{"财政金融局", "financing", "企业流动资金周转困难，有哪些融资渠道？",
		"可申请区政策性融资担保贷款（单户最高 1000 万元，担保费率不高于 1%），也可通过“金服云”平台向合作银行发起融资需求；科技型企业可申请知识产权质押融资并享受贴息。财政金融局每季度组织银企对接会。", "", true},
	{"生态环境局", "environment", "危废处置找不到有资质的单位怎么办？",
		"生态环境局公布了本市有资质的危险废物经营单位名录，企业可自行联系签订处置合同；园区已建设小微企业危废集中收集点，年产生量 10 吨以下的企业可委托集中收运。", "", true},
	{"城乡建设局", "other", "园区道路坑洼破损、货车进出困难，向谁反映？",
		"园区道路由城乡建设局负责养护。请在本平台提交诉求并附现场照片和具体位置，养护单位将在 5 个工作日内完成修补；涉及管线开挖的，由城乡建设局协调相关单位限期恢复路面。", "", false},
}

// knowledge writes the knowledge base once (when it is empty).
func (l *loader) knowledge(ctx context.Context) error {
	if l.s.Knowledge == nil || l.s.Categories == nil {
		return nil
	}
	have, err := l.s.Knowledge.FindEntries(ctx, zhagen.KnowledgeFilter{})
	if err != nil {
		return err
	}
	if len(have) > 0 {
		l.knowledgeT.existing = len(have)
		return nil
	}
	for _, s := range demoEntries {
		e := &zhagen.KnowledgeEntry{Question: s.question, Answer: s.answer, Links: s.links, DeptID: l.deptIDs[s.dept], CategoryID: l.catIDs[s.category], ValidFrom: "2026-01-01"}
		if err := l.s.Knowledge.SaveEntry(ctx, e); err != nil {
			return fmt.Errorf("knowledge entry %q: %w", s.question, err)
		}
		if s.reviewed {
			if _, err := l.s.Knowledge.ReviewEntry(ctx, e.ID, e.Version); err != nil {
				return err
			}
		}
		l.knowledgeT.created++
	}
	return nil
}
