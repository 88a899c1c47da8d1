package sheet

import (
	"zhagen"
)

// pageSize is how many rows a paged export asks for at a time.
const pageSize = 200

// Pages iterates a paged list: fetch returns the page at offset (its
// filters and the caller's scope as the list has them) and the list's
// total; at most one page is held at a time.
func Pages[T any](fetch func(limit, offset int) ([]T, int, error)) Each[T] {
	return func(emit func(T) error) error {
		for off := 0; ; off += pageSize {
			items, total, err := fetch(pageSize, off)
			if err != nil {
				return err
			}
			for _, it := range items {
				if err := emit(it); err != nil {
					return err
				}
			}
			if len(items) < pageSize || off+len(items) >= total {
				return nil
			}
		}
	}
}

// Slice iterates a list that its service returns whole (an aggregate:
// coverage, rates).
func Slice[T any](items []T) Each[T] {
	return func(emit func(T) error) error {
		for _, it := range items {
			if err := emit(it); err != nil {
				return err
			}
		}
		return nil
	}
}

// Linkages is the linkage list (挂钩关系).
var Linkages = Table[*zhagen.Linkage]{
	Name: "挂钩关系",
	Columns: []Column{
		{Header: "干部", Width: 12}, {Header: "职级", Width: 12}, {Header: "部门", Width: 18}, {Header: "企业", Width: 30},
		{Header: "重点企业", Width: 9}, {Header: "挂钩角色", Width: 14}, {Header: "走访周期（天）", Width: 13, Kind: Number},
		{Header: "开始日期", Width: 12}, {Header: "结束日期", Width: 12}, {Header: "最近走访", Width: 12}, {Header: "下次应访", Width: 12},
		{Header: "逾期", Width: 7},
	},
	Row: func(l *zhagen.Linkage) []any {
		return []any{l.CadreName, l.CadreRank, l.DeptName, l.EnterpriseName, l.EnterpriseKey, l.Role.Label(), l.CadenceDays,
			l.StartDate, l.EndDate, l.LastVisit, l.NextDue, l.Overdue}
	},
}

// Visits is the visit list (走访记录); the internal part only as the
// service returned it for the caller.
var Visits = Table[*zhagen.Visit]{
	Name: "走访记录",
	Columns: []Column{
		{Header: "编号", Width: 8, Kind: Number}, {Header: "日期", Width: 12}, {Header: "企业", Width: 30}, {Header: "干部", Width: 12},
		{Header: "方式", Width: 8}, {Header: "状态", Width: 9}, {Header: "参加人员", Width: 20}, {Header: "走访事项", Width: 36},
		{Header: "公开记录", Width: 36}, {Header: "发现问题", Width: 36}, {Header: "转诉求编号", Width: 10, Kind: Number},
	},
	Row: func(v *zhagen.Visit) []any {
		var demand any
		if v.DemandID != 0 {
			demand = v.DemandID
		}
		return []any{v.ID, v.Date, v.EnterpriseName, v.CadreName, v.Kind.Label(), v.Status.Label(), v.Participants, v.Topics,
			v.PublicNotes, v.Findings, demand}
	},
}

// CoverageRow is one line of the coverage export: a department or a
// cadre, or the whole.
type CoverageRow struct {
	Level string // 合计, 部门, 干部
	*zhagen.Coverage
}

// CoverageRows flattens a coverage report into its export rows.
func CoverageRows(rep *zhagen.CoverageReport) []CoverageRow {
	out := []CoverageRow{{"合计", &rep.Total}}
	for _, c := range rep.Depts {
		out = append(out, CoverageRow{"部门", c})
	}
	for _, c := range rep.Cadres {
		out = append(out, CoverageRow{"干部", c})
	}
	return out
}

// Coverage is visit coverage (走访覆盖率).
var Coverage = Table[CoverageRow]{
	Name: "走访覆盖率",
	Columns: []Column{{Header: "层级", Width: 8}, {Header: "名称", Width: 24}, {Header: "挂钩企业数", Width: 11, Kind: Number},
		{Header: "已走访", Width: 9, Kind: Number}, {Header: "覆盖率（%）", Width: 11, Kind: Number}},
	Row: func(c CoverageRow) []any { return []any{c.Level, c.Name, c.Linked, c.Visited, c.Percent} },
}

// Supervisions is the supervision order list (督办单).
var Supervisions = Table[*zhagen.SupervisionOrder]{
	Name: "督办单",
	Columns: []Column{
		{Header: "督办单号", Width: 16}, {Header: "督办事项", Width: 10}, {Header: "事项", Width: 32}, {Header: "承办单位", Width: 18},
		{Header: "督办要求", Width: 36}, {Header: "发起人", Width: 10}, {Header: "自动升级", Width: 9}, {Header: "状态", Width: 9},
		{Header: "回复时限", Width: 17, Kind: DateTime}, {Header: "办理进展", Width: 36}, {Header: "承诺办结日期", Width: 13},
		{Header: "回复时间", Width: 17, Kind: DateTime}, {Header: "办结时间", Width: 17, Kind: DateTime},
	},
	Row: func(o *zhagen.SupervisionOrder) []any {
		return []any{o.Number(), o.SubjectKind.Label(), o.SubjectTitle, o.DeptName, o.Requirement, o.IssuerName, o.Auto, o.Status.Label(),
			o.ReplyDue, o.ReplyProgress, o.PromisedDate, o.RepliedAt, o.ClosedAt}
	},
}

// ActionItems is the action item list (会商事项).
var ActionItems = Table[*zhagen.ActionItem]{
	Name: "会商事项",
	Columns: []Column{
		{Header: "编号", Width: 8, Kind: Number}, {Header: "事项", Width: 32}, {Header: "会商", Width: 28}, {Header: "责任部门", Width: 18},
		{Header: "责任人", Width: 10}, {Header: "状态", Width: 9}, {Header: "期限", Width: 17, Kind: DateTime},
		{Header: "完成时间", Width: 17, Kind: DateTime}, {Header: "完成情况", Width: 36},
	},
	Row: func(i *zhagen.ActionItem) []any {
		return []any{i.ID, i.Title, i.ConsultationTitle, i.OwnerDeptName, i.AssigneeName, i.Status.Label(), i.DueAt, i.DoneAt, i.Evidence}
	},
}

// Approvals is the approval list (审批事项).
var Approvals = Table[*zhagen.Approval]{
	Name: "审批事项",
	Columns: []Column{
		{Header: "编号", Width: 8, Kind: Number}, {Header: "项目", Width: 30}, {Header: "审批事项", Width: 16}, {Header: "部位", Width: 12},
		{Header: "审批部门", Width: 18}, {Header: "状态", Width: 9}, {Header: "提交时间", Width: 17, Kind: DateTime},
		{Header: "受理时间", Width: 17, Kind: DateTime}, {Header: "办结时间", Width: 17, Kind: DateTime},
		{Header: "等待（天）", Width: 10, Kind: Number}, {Header: "文号", Width: 16}, {Header: "意见", Width: 30},
	},
	Row: func(a *zhagen.Approval) []any {
		return []any{a.ID, a.ProjectName, a.Kind.Label(), a.Part, a.DeptName, a.Status.Label(), a.SubmittedAt, a.AcceptedAt, a.DecidedAt,
			a.WaitDays, a.DocNo, a.Opinion}
	},
}

// RatesRow is one line of the three rates' export: a department, or the
// whole (DeptID 0).
type RatesRow struct {
	DeptName string
	zhagen.DemandRates
}

// RatesRows lists the total, then each department.
func RatesRows(total zhagen.DemandRates, by []zhagen.DeptRates) []RatesRow {
	out := []RatesRow{{"合计", total}}
	for _, d := range by {
		name := d.DeptName
		if name == "" {
			name = "未分派"
		}
		out = append(out, RatesRow{name, d.DemandRates})
	}
	return out
}

// percent is a ratio as a percentage with one decimal, nil when there is
// no denominator.
func percent(v float64, ok bool) any {
	if !ok {
		return nil
	}
	return float64(int(v*1000+0.5)) / 10
}

// Rates is the three rates (三率) per department.
var Rates = Table[RatesRow]{
	Name: "三率统计",
	Columns: []Column{
		{Header: "部门", Width: 20}, {Header: "应响应", Width: 9, Kind: Number}, {Header: "按时签收", Width: 9, Kind: Number},
		{Header: "响应率（%）", Width: 11, Kind: Number}, {Header: "已关闭", Width: 9, Kind: Number}, {Header: "已解决", Width: 9, Kind: Number},
		{Header: "解决率（%）", Width: 11, Kind: Number}, {Header: "已评价", Width: 9, Kind: Number}, {Header: "满意", Width: 9, Kind: Number},
		{Header: "满意率（%）", Width: 11, Kind: Number}, {Header: "回访核实率（%）", Width: 14, Kind: Number},
	},
	Row: func(r RatesRow) []any {
		return []any{r.DeptName, r.DueForResponse, r.AcceptedInTime, percent(r.ResponseRate()), r.Closed, r.Solved,
			percent(r.ResolutionRate()), r.Rated, r.Satisfied, percent(r.SatisfactionRate()), percent(r.FollowUpRate())}
	},
}

// hours is a number of hours with one decimal, nil when none.
func hours(v float64, ok bool) any {
	if !ok {
		return nil
	}
	return float64(int(v*10+0.5)) / 10
}

// Ranking is the departments' ranking (部门排名) for a period.
var Ranking = Table[zhagen.DeptScore]{
	Name: "部门排名",
	Columns: []Column{
		{Header: "名次", Width: 6, Kind: Number}, {Header: "部门", Width: 20}, {Header: "综合得分", Width: 9, Kind: Number},
		{Header: "受理", Width: 8, Kind: Number}, {Header: "在办", Width: 8, Kind: Number}, {Header: "响应率（%）", Width: 11, Kind: Number},
		{Header: "解决率（%）", Width: 11, Kind: Number}, {Header: "满意率（%）", Width: 11, Kind: Number},
		{Header: "平均响应（工时）", Width: 15, Kind: Number}, {Header: "平均办结（工时）", Width: 15, Kind: Number},
	},
	Row: func(d zhagen.DeptScore) []any {
		var rank, score any
		if d.Rank > 0 {
			rank, score = d.Rank, float64(int(d.Score*100+0.5))/100
		}
		return []any{rank, d.DeptName, score, d.Submitted, d.Open, percent(d.ResponseRate()), percent(d.ResolutionRate()),
			percent(d.SatisfactionRate()), hours(d.AvgResponseHours()), hours(d.AvgResolutionHours())}
	},
}

// MatchResults is a matching run's results (匹配结果): the matched
// graduates with their place and the unmatched with the reason.
var MatchResults = Table[*zhagen.MatchResult]{
	Name: "匹配结果",
	Columns: []Column{
		{Header: "毕业生", Width: 12}, {Header: "专业", Width: 18}, {Header: "企业", Width: 30}, {Header: "岗位", Width: 22},
		{Header: "志愿", Width: 6, Kind: Number}, {Header: "未匹配原因", Width: 36},
	},
	Row: func(m *zhagen.MatchResult) []any {
		var choice any
		if m.Choice > 0 {
			choice = m.Choice
		}
		return []any{m.GraduateName, m.Major, m.EnterpriseName, m.PositionTitle, choice, m.Reason}
	},
}
