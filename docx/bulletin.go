package docx

import (
	"fmt"
	"strconv"

	"zhagen"
)

// pct formats a rate as "93.3%", "—" without a denominator.
func pct(r float64, ok bool) string {
	if !ok {
		return "—"
	}
	return strconv.FormatFloat(r*100, 'f', 1, 64) + "%"
}

// change is the month-on-month change of a rate in percentage points.
func change(cur, prev float64, okCur, okPrev bool) string {
	if !okCur || !okPrev {
		return "—"
	}
	return fmt.Sprintf("%+.1f个百分点", (cur-prev)*100)
}

// Bulletin lays out a monthly bulletin (月度工作通报): heading and number,
// the three rates and their change, the monthly trend, the top and
// bottom departments, overdue and supervised cases, visit coverage,
// notable cases and the leader's commentary.
func Bulletin(b *zhagen.Bulletin) ([]byte, error) {
	title := b.Title()
	paras := []Para{{Style: "Title", Text: title}}
	head := "扎根平台 · 指挥中心编"
	if b.Issue() != "" {
		head = b.Issue() + "　" + head
		if b.IssuedAt != nil {
			head += "　" + b.IssuedAt.In(zhagen.Shanghai).Format("2006年1月2日") + "签发"
		}
	} else {
		head += "（草稿）"
	}
	paras = append(paras, Para{Text: head})
	c := b.Content
	if c == nil {
		return Write(title, paras)
	}
	if b.Commentary != "" {
		paras = append(paras, Para{Style: "Heading1", Text: "领导批示"}, Para{Text: b.Commentary})
	}
	this, prev := c.This, c.Prev
	r1, ok1 := this.ResponseRate()
	p1, q1 := prev.ResponseRate()
	r2, ok2 := this.ResolutionRate()
	p2, q2 := prev.ResolutionRate()
	r3, ok3 := this.SatisfactionRate()
	p3, q3 := prev.SatisfactionRate()
	paras = append(paras, Para{Style: "Heading1", Text: "一、三率情况"},
		Para{Text: fmt.Sprintf("本月受理企业诉求%d件，办结%d件，在办%d件，超期%d件，退回%d次，延期%d次。", this.Submitted, this.Resolved, this.Open, this.Overdue, this.Returns, this.Extensions)},
		Para{Table: [][]string{{"指标", "本月", "上月", "环比"},
			{"响应率", pct(r1, ok1), pct(p1, q1), change(r1, p1, ok1, q1)},
			{"解决率", pct(r2, ok2), pct(p2, q2), change(r2, p2, ok2, q2)},
			{"满意率", pct(r3, ok3), pct(p3, q3), change(r3, p3, ok3, q3)}}})
	trend := [][]string{{"月份", "受理", "响应率", "解决率", "满意率"}}
	for _, m := range c.Trend {
		a, x := m.ResponseRate()
		bb, y := m.ResolutionRate()
		s, z := m.SatisfactionRate()
		trend = append(trend, []string{m.Month, strconv.Itoa(m.Submitted), pct(a, x), pct(bb, y), pct(s, z)})
	}
	paras = append(paras, Para{Text: "近十二个月走势："}, Para{Table: trend})
	paras = append(paras, Para{Style: "Heading1", Text: "二、部门排名"},
		Para{Text: fmt.Sprintf("综合评分 = 响应率×%d%% + 解决率×%d%% + 满意率×%d%% + 及时率×%d%%。", c.Weights.Response, c.Weights.Resolution, c.Weights.Satisfaction, c.Weights.Timeliness)})
	for _, part := range []struct {
		name string
		ds   []zhagen.DeptScore
	}{{"排名靠前：", c.Top}, {"排名靠后：", c.Bottom}} {
		rows := [][]string{{"名次", "部门", "综合得分", "受理", "超期"}}
		for _, d := range part.ds {
			rows = append(rows, []string{strconv.Itoa(d.Rank), d.DeptName, strconv.FormatFloat(d.Score, 'f', 1, 64), strconv.Itoa(d.Submitted), strconv.Itoa(d.Overdue)})
		}
		paras = append(paras, Para{Text: part.name, Bold: true}, Para{Table: rows})
	}
	paras = append(paras, Para{Style: "Heading1", Text: "三、超期与督办"},
		Para{Text: fmt.Sprintf("目前超期未办结（亮红灯）诉求%d件；本月发出督办单%d件。", c.OverdueCount, c.SupervisedCount)})
	paras = append(paras, caseTable(c.Overdue)...)
	paras = append(paras, caseTable(c.Supervised)...)
	cov := [][]string{{"部门", "应走访", "已走访", "完成率"}}
	for _, d := range c.CoverageDepts {
		cov = append(cov, []string{d.Name, strconv.Itoa(d.Linked), strconv.Itoa(d.Visited), strconv.FormatFloat(d.Percent, 'f', 1, 64) + "%"})
	}
	paras = append(paras, Para{Style: "Heading1", Text: "四、挂钩走访"},
		Para{Text: fmt.Sprintf("本月按走访周期应走访%d次，已走访%d次，完成率%.1f%%。", c.Coverage.Linked, c.Coverage.Visited, c.Coverage.Percent)},
		Para{Table: cov})
	paras = append(paras, Para{Style: "Heading1", Text: "五、典型案例"})
	if len(c.Notable) == 0 {
		paras = append(paras, Para{Text: "—"})
	}
	for i, k := range c.Notable {
		paras = append(paras, Para{Text: fmt.Sprintf("%d. %s（%s，承办：%s，%s）", i+1, k.Title, orDash(k.Enterprise), orDash(k.Dept), k.Status)})
	}
	return Write(title, paras)
}

// caseTable lists cases, nothing when there is none.
func caseTable(cs []zhagen.BulletinCase) []Para {
	if len(cs) == 0 {
		return nil
	}
	rows := [][]string{{"编号", "事项", "企业", "承办部门", "状态"}}
	for _, k := range cs {
		id := "—"
		if k.DemandID != 0 {
			id = "#" + strconv.FormatInt(k.DemandID, 10)
		}
		rows = append(rows, []string{id, k.Title, orDash(k.Enterprise), orDash(k.Dept), k.Status})
	}
	return []Para{{Table: rows}}
}
