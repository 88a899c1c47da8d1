package demo

import (
	"context"
	"fmt"

	"zhagen"
)

// The demo's follow-ups (回访): the rated policy question of
// demoDemands waits for its follow-up (one due); the demands below add a
// follow-up done and a withdrawal under check (撤单核查).
var followUpDemands = []demandSpec{
	{"demo-followup-done", "enterprise", entFushun, "policy", "咨询集成电路企业流片补贴申报材料",
		"我司今年完成两次工程流片，想确认区级流片补贴需要提交哪些材料。", nil,
		[]step{{"staff", zhagen.Transition{Action: zhagen.ActAccept}},
			{"staff", zhagen.Transition{Action: zhagen.ActResolve, Resolution: "已书面告知流片补贴申报材料清单：流片合同、付款凭证、流片结果报告，经济发展局将协助审核。"}},
			{"enterprise", zhagen.Transition{Action: zhagen.ActRate, Rating: zhagen.RatingSatisfied, Solved: yes(), Note: "清单清楚"}}}},
	{"demo-followup-withdrawn", "enterprise2", entXianzhilou, "talent", "申请人才公寓入住名额",
		"新引进的两名研发骨干需要人才公寓，希望协调入住名额。", zhagen.Answers{"majors": {"药物分析"}, "headcount": {"2"}},
		[]step{{"enterprise2", zhagen.Transition{Action: zhagen.ActWithdraw}}}},
}

// demoReplies are the demo's reply templates (常用回复): one shared by the
// zone, two of the economic development bureau.
var demoReplies = []struct {
	title, dept, category, body string
}{
	{"办结答复（通用）", "", "", "{企业名称}：您于{日期}前反映的诉求{诉求编号}“{诉求标题}”已由{主办部门}办结，具体办理情况如下："},
	{"政策咨询答复", deptEconomy, "policy", "{企业名称}：关于您咨询的政策（诉求{诉求编号}），申报条件、所需材料和时间安排如下，经济发展局可一对一辅导申报："},
	{"用电协调进展", deptEconomy, "power", "已会同供电公司就{企业名称}的用电需求进行现场踏勘，下一步将确定供电方案并告知企业。"},
}

// followups files the follow-up demands once, records the follow-up of
// the first (confirmed solved by phone) and adds the reply templates
// when none exist.
func (l *loader) followups(ctx context.Context) error {
	if l.s.FollowUps == nil || l.s.ReplyTemplates == nil || l.s.Demands == nil || l.s.Categories == nil {
		return nil
	}
	done, withdrawn := 0, 0
	for i, spec := range followUpDemands {
		d, created, err := l.fileWithSteps(ctx, spec)
		if err != nil {
			return err
		}
		if !created {
			continue
		}
		if i == 0 {
			disp, _, err := l.actorFor(ctx, "dispatcher")
			if err != nil {
				return err
			}
			fs, _, err := l.s.FollowUps.FindFollowUps(disp, zhagen.FollowUpFilter{DemandID: d.ID, Status: "open"})
			if err != nil {
				return err
			}
			for _, f := range fs {
				if _, err := l.s.FollowUps.RecordFollowUp(disp, f.ID, zhagen.FollowUpRecord{Result: zhagen.FollowUpSolved, Method: zhagen.FollowUpPhone,
					Satisfaction: zhagen.RatingSatisfied, Note: "企业确认已按清单准备材料，对答复满意。"}); err != nil {
					return fmt.Errorf("follow-up of %s: %w", spec.key, err)
				}
				done++
			}
		} else {
			withdrawn++
		}
	}
	ts, err := l.s.ReplyTemplates.FindReplyTemplates(ctx, zhagen.ReplyTemplateFilter{})
	if err != nil {
		return err
	}
	added := 0
	if len(ts) == 0 {
		for _, r := range demoReplies {
			t := &zhagen.ReplyTemplate{Title: r.title, Body: r.body, DeptID: l.deptIDs[r.dept], CategoryID: l.catIDs[r.category]}
			if err := l.s.ReplyTemplates.CreateReplyTemplate(ctx, t); err != nil {
				return fmt.Errorf("reply template %s: %w", r.title, err)
			}
			added++
		}
	}
	_, open, err := l.s.FollowUps.FindFollowUps(ctx, zhagen.FollowUpFilter{Status: "open", Limit: 1})
	if err != nil {
		return err
	}
	l.followT = fmt.Sprintf("待回访 %d 件（本次完成回访 %d 件、新增撤单核查 %d 件），常用回复新建 %d 条", open, done, withdrawn, added)
	return nil
}

// fileWithSteps files spec once (a demand of its title and enterprise
// already filed is left as it is) and walks it through its steps.
func (l *loader) fileWithSteps(ctx context.Context, spec demandSpec) (*zhagen.Demand, bool, error) {
	if _, n, err := l.s.Demands.FindDemands(ctx, zhagen.DemandFilter{Query: spec.title, EnterpriseID: l.entIDs[spec.enterprise], Limit: 1}); err != nil {
		return nil, false, err
	} else if n > 0 {
		l.demandsT.existing++
		return nil, false, nil
	}
	by, _, err := l.actorFor(ctx, spec.by)
	if err != nil {
		return nil, false, err
	}
	d := &zhagen.Demand{EnterpriseID: l.entIDs[spec.enterprise], CategoryID: l.catIDs[spec.category], Title: spec.title, Description: spec.desc, Answers: spec.answers}
	if err := l.s.Demands.CreateDemand(by, d, spec.key); err != nil {
		return nil, false, fmt.Errorf("%s: %w", spec.key, err)
	}
	l.demandsT.created++
	for _, st := range spec.steps {
		c, _, err := l.actorFor(ctx, st.by)
		if err != nil {
			return nil, false, err
		}
		if _, err := l.s.Demands.Transition(c, d.ID, st.t); err != nil {
			return nil, false, fmt.Errorf("%s %s: %w", spec.key, st.t.Action, err)
		}
	}
	return d, true, nil
}
