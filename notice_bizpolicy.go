package zhagen

// Notices of the policy catalogue and redemption. Kinds are
// "policy.matched" and "policy.app.<event>".

// NoticePolicyMatched tells an enterprise's users and its linked cadres
// (cadres) that the enterprise qualifies for p, and why.
func NoticePolicyMatched(p *Policy, m *PolicyMatch, cadres []int64) Notice {
	key := "notice.policy.matched"
	if p.Auto {
		key = "notice.policy.matched_auto"
	}
	return Notice{Kind: "policy.matched", Severity: SeverityInfo,
		To:    Recipients{Enterprises: []int64{m.EnterpriseID}, Users: cadres},
		Title: Msg(key, p.Title), Body: Msg("notice.policy.matched.body", m.EnterpriseName, m.Reason), Link: p.Link()}
}

// NoticeAppFiled tells the handling department's staff of a new application.
func NoticeAppFiled(a *PolicyApplication) Notice {
	return Notice{Kind: "policy.app.filed", Severity: SeverityInfo, To: Recipients{DeptStaff: []int64{a.DeptID}},
		Title: Msg("notice.policy.app.filed", a.EnterpriseName, a.PolicyTitle),
		Body:  Msg("notice.policy.app.filed.body", dueText(a.StageDue)), Link: a.Link()}
}

// NoticeAppStep tells the enterprise's users that their application moved on.
func NoticeAppStep(a *PolicyApplication) Notice {
	sev := SeverityInfo
	if a.Status == AppRejected {
		sev = SeverityWarning
	}
	return Notice{Kind: "policy.app." + string(a.Status), Severity: sev, To: Recipients{Enterprises: []int64{a.EnterpriseID}},
		Title: Msg("notice.policy.app.step", a.PolicyTitle, a.Status.Label()), Body: text(a.Decision), Link: a.Link()}
}
