package demo

import (
	"context"
	"fmt"

	"zhagen"
)

// supervision raises the demo's supervision orders (督办单), once: an
// order to the economic development bureau on the IC company's dual
// power supply that it replied to and the dispatcher closed, a second one
// on the same demand still open, an order by the leader on the temporary
// construction power that the bureau replied to, and an open order to
// the planning bureau on an approval of the laboratory project. The
// orders are dated when the loader runs, so their reply times are real.
func (l *loader) supervision(ctx context.Context) error {
	s := l.s.Supervision
	if s == nil || l.s.Demands == nil {
		return nil
	}
	if have, err := s.FindSupervisions(ctx, zhagen.SupervisionFilter{Limit: 1}); err != nil {
		return err
	} else if len(have) > 0 {
		l.supervisionT.existing += len(have)
		return nil
	}
	demand := func(title string) (int64, error) {
		ds, _, err := l.s.Demands.FindDemands(ctx, zhagen.DemandFilter{Query: title, Limit: 1})
		if err != nil {
			return 0, err
		}
		if len(ds) == 0 {
			return 0, fmt.Errorf("demo demand %q not found", title)
		}
		return ds[0].ID, nil
	}
	as := func(login string) (context.Context, error) {
		c, _, err := l.actorFor(ctx, login)
		return c, err
	}
	dispatcher, err := as(loginDispatcher)
	if err != nil {
		return err
	}
	leader, err := as(loginLeader)
	if err != nil {
		return err
	}
	staff, err := as(loginStaff)
	if err != nil {
		return err
	}
	power, err := demand("集成电路生产需要双回路电力保障")
	if err != nil {
		return err
	}
	temp, err := demand("二期厂房临时施工用电")
	if err != nil {
		return err
	}
	raise := func(by context.Context, kind zhagen.SubjectKind, id int64, req string, hours int) (*zhagen.SupervisionOrder, error) {
		o := &zhagen.SupervisionOrder{SubjectKind: kind, SubjectID: id, Requirement: req, ReplyHours: hours}
		if err := s.RaiseSupervision(by, o); err != nil {
			return nil, fmt.Errorf("supervision on %s %d: %w", kind, id, err)
		}
		l.supervisionT.created++
		return o, nil
	}
	today := l.clock.Now().In(zhagen.Shanghai)
	promised := today.AddDate(0, 0, 10).Format("2006-01-02")

	// Replied and closed.
	o, err := raise(dispatcher, zhagen.SubjectDemand, power, "请于一个工作日内会同供电公司明确第二回路接入方案，书面回复现场踏勘结论。", 8)
	if err != nil {
		return err
	}
	if o, err = s.ReplySupervision(staff, o.ID, zhagen.SupervisionReply{Progress: "已会同供电公司完成现场踏勘，第二回路拟由旗山变电站引出，接入方案已报供电公司审定。",
		PromisedDate: promised}); err != nil {
		return err
	}
	if _, err := s.CloseSupervision(dispatcher, o.ID, zhagen.SupervisionClose{Note: "接入方案已明确，转入跟踪办理。"}); err != nil {
		return err
	}
	// Open: the bureau is to reply.
	if _, err := raise(dispatcher, zhagen.SubjectDemand, power, "企业明年投产在即，请明确第二回路送电时间节点，并于两个工作日内书面回复办理进展和承诺办结日期。", 16); err != nil {
		return err
	}
	// Replied, for the leader to close.
	o, err = raise(leader, zhagen.SubjectDemand, temp, "二期厂房设备安装不能等，请主动对接企业补齐材料，尽快明确临时用电方案。", 16)
	if err != nil {
		return err
	}
	if _, err := s.ReplySupervision(staff, o.ID, zhagen.SupervisionReply{Progress: "已联系企业，设备清单和施工总平面图预计本周内补齐，补齐后三个工作日内出具临时用电方案。",
		PromisedDate: promised}); err != nil {
		return err
	}
	// Open, on an approval of the laboratory project.
	if l.s.Projects != nil {
		xs, _, err := l.s.Projects.FindApprovals(ctx, zhagen.ApprovalFilter{Waiting: true, Limit: 1})
		if err != nil {
			return err
		}
		if len(xs) > 0 {
			if _, err := raise(dispatcher, zhagen.SubjectApproval, xs[0].ID, "项目计划下月进场装修，请加快审查进度，说明尚缺材料和预计办结时间。", 16); err != nil {
				return err
			}
		}
	}
	return nil
}
