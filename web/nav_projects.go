package web

import "zhagen"

// projectMenu is the 重点项目 group: projects, the overview, consultations,
// action items and approvals, for the roles that reach them.
func (h *Handler) projectMenu(a *zhagen.Actor, item func(key, href, icon string) navItem) []navItem {
	if h.cfg.Consultations == nil || h.cfg.Projects == nil {
		return nil
	}
	var out []navItem
	if zhagen.CanAny(a, zhagen.PermProjectOverview) {
		out = append(out, item("project_overview", "/projects/overview", "board"))
	}
	if zhagen.CanAny(a, zhagen.PermProjectView) {
		out = append(out, item("projects", "/projects", "building"))
	}
	if zhagen.CanAny(a, zhagen.PermConsultationView) {
		out = append(out, item("consultations", "/consultations", "users"))
		it := item("action_items", "/action-items?status=pending", "check")
		if !grantsEvery(a, zhagen.PermItemList) {
			it.Label = item("my_action_items", "", "").Label
		}
		out = append(out, it)
	}
	if zhagen.CanAny(a, zhagen.PermApprovalView) {
		out = append(out, item("approvals", "/approvals?waiting=1", "doc"))
	}
	return out
}
