package web

// ratesCatalogue adds the messages of the three rates page (三率统计)
// and its workbench cards to m.
func ratesCatalogue(m map[string]message) {
	for k, v := range map[string]message{
		"nav.rates": {"三率统计", "Three rates"},

		"rt.response":     {"响应率", "Response rate"},
		"rt.resolution":   {"解决率", "Resolution rate"},
		"rt.satisfaction": {"满意率", "Satisfaction rate"},
		"rt.def.response": {"在响应时限内签收 / 应响应的诉求", "Accepted within the response limit / due for response"},
		"rt.def.resolution": {"企业确认已解决 / 已关闭的诉求",
			"Confirmed solved by the enterprise / closed"},
		"rt.def.satisfaction": {"（满意 + 基本满意）/ 已评价的诉求", "(Satisfied + basically satisfied) / rated"},

		"rt.card.response":     {"本年响应率", "Response rate this year"},
		"rt.card.resolution":   {"本年解决率", "Resolution rate this year"},
		"rt.card.satisfaction": {"本年满意率", "Satisfaction rate this year"},

		"rt.f.period":    {"提交日期", "Submitted"},
		"rt.f.from":      {"起始日期", "From"},
		"rt.f.to":        {"截止日期", "To"},
		"rt.f.dept":      {"主办部门", "Lead department"},
		"rt.f.category":  {"诉求类别", "Category"},
		"rt.apply":       {"统计", "Show"},
		"rt.this_year":   {"本年", "This year"},
		"rt.err.from":    {"起始日期格式应为 YYYY-MM-DD，已按本年统计", "The start date must be YYYY-MM-DD; this year is shown"},
		"rt.err.to":      {"截止日期格式应为 YYYY-MM-DD，已按本年统计", "The end date must be YYYY-MM-DD; this year is shown"},
		"rt.err.swapped": {"截止日期早于起始日期，已对调后统计", "The end date was before the start date; they have been swapped"},

		"rt.by_dept": {"各主办部门三率", "Rates by lead department"},
		"rt.table":   {"部门明细", "By department"},
		"rt.note": {"应响应：已签收，或已过响应时限仍未签收的诉求；按诉求提交日期统计",
			"Due for response: accepted, or past the response limit and not accepted; by submission date"},
		"rt.total":    {"合计", "Total"},
		"rt.unrouted": {"未分派", "Not routed"},
		"rt.empty":    {"所选期间没有诉求", "No demands in the period"},

		"rt.col.dept":         {"主办部门", "Lead department"},
		"rt.col.due":          {"应响应", "Due"},
		"rt.col.in_time":      {"按时签收", "In time"},
		"rt.col.response":     {"响应率", "Response"},
		"rt.col.closed":       {"已关闭", "Closed"},
		"rt.col.solved":       {"确认解决", "Solved"},
		"rt.col.resolution":   {"解决率", "Resolution"},
		"rt.col.rated":        {"已评价", "Rated"},
		"rt.col.satisfied":    {"满意", "Satisfied"},
		"rt.col.satisfaction": {"满意率", "Satisfaction"},
	} {
		m[k] = v
	}
}
