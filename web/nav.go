package web

import "zhagen"

// navGroup is a titled section of the left navigation.
type navGroup struct {
	Label string
	Items []navItem
}

type navItem struct {
	Key    string
	Label  string
	Href   string
	Icon   string
	Active bool
}

// menu builds the navigation for the actor: an item appears only when the
// actor's role can reach the page (the services check again on each call).
func (h *Handler) menu(lang string, a *zhagen.Actor, active string) []navGroup {
	tr := func(key string) string { return h.cat.Sprintf(lang, key) }
	item := h.navItem(lang, active)
	var groups []navGroup
	groups = append(groups, navGroup{Items: []navItem{item("home", "/", "home")}})

	var svc []navItem
	switch a.EnterpriseScope() {
	case zhagen.ScopeAll:
		svc = append(svc, item("enterprises", "/enterprises", "building"))
	case zhagen.ScopeSelf:
		it := item("enterprises", "/enterprises", "building")
		it.Label = tr("nav.my_enterprise")
		svc = append(svc, it)
	}
	if len(svc) > 0 {
		groups = append(groups, navGroup{Label: tr("nav.group.service"), Items: svc})
	}

	if dm := h.demandMenu(a, item); len(dm) > 0 {
		groups = append(groups, navGroup{Label: tr("nav.group.demand"), Items: dm})
	}

	if lm := h.linkageMenu(a, item); len(lm) > 0 {
		groups = append(groups, navGroup{Label: tr("nav.group.linkage"), Items: lm})
	}
	if tm := h.talentMenu(a, item); len(tm) > 0 {
		groups = append(groups, navGroup{Label: tr("nav.group.talent"), Items: tm})
	}
	if pm := h.projectMenu(a, item); len(pm) > 0 {
		groups = append(groups, navGroup{Label: tr("nav.group.projects"), Items: pm})
	}

	var org []navItem
	if canSeeDepartments(a) {
		org = append(org, item("departments", "/departments", "tree"))
	}
	if canSeeUsers(a) {
		org = append(org, item("users", "/users", "users"))
	}
	if a.CanAdmin() {
		org = append(org, item("industries", "/industries", "list"))
	}
	if canSeeCalendar(a) {
		org = append(org, item("calendar", "/calendar", "calendar"))
	}
	if len(org) > 0 {
		groups = append(groups, navGroup{Label: tr("nav.group.org"), Items: org})
	}

	if a.CanAdmin() {
		groups = append(groups, navGroup{Label: tr("nav.group.audit"), Items: []navItem{
			item("log_ops", "/logs/ops", "doc"),
			item("log_logins", "/logs/logins", "key"),
		}})
	}
	return groups
}

// navItem returns the constructor of menu items in lang: the label is the
// nav.<key> message and the item whose key is active is marked so.
func (h *Handler) navItem(lang, active string) func(key, href, icon string) navItem {
	return func(key, href, icon string) navItem {
		return navItem{Key: key, Label: h.cat.Sprintf(lang, "nav."+key), Href: href, Icon: icon, Active: key == active}
	}
}

// canSeeDepartments: government roles read the organisation tree.
func canSeeDepartments(a *zhagen.Actor) bool {
	return a.IsGovernment()
}

// canSeeUsers: the user list is for those who see more than themselves.
func canSeeUsers(a *zhagen.Actor) bool { return a.UserScope() > zhagen.ScopeSelf }

// demandMenu is the 诉求 group. Items that lead to the same page share a
// key (the first one wins) and are named for the role that sees them.
func (h *Handler) demandMenu(a *zhagen.Actor, item func(key, href, icon string) navItem) []navItem {
	var out []navItem
	add := func(key, label, href, icon string) {
		for _, it := range out {
			if it.Key == key {
				return
			}
		}
		it := item(key, href, icon)
		it.Label = label
		out = append(out, it)
	}
	lbl := func(key string) string { return item(key, "", "").Label }
	if a.Has(zhagen.RoleEnterprise) && a.EnterpriseID != 0 {
		add("demand_new", lbl("dm_new"), "/demands/new", "plus")
		add("demands", lbl("dm_mine"), "/demands", "inbox")
	}
	if a.Has(zhagen.RoleDispatcher) || a.CanAdmin() {
		add("dm_board", lbl("dm_board"), "/demands/board", "board")
	}
	if a.Has(zhagen.RoleStaff) && a.DeptID != 0 {
		add("dm_inbox", lbl("dm_inbox"), "/demands/inbox", "inbox")
	}
	if a.Has(zhagen.RoleStaff, zhagen.RoleDispatcher, zhagen.RoleLeader, zhagen.RoleAdmin) {
		add("demands", lbl("dm_search"), "/demands", "search")
	}
	if a.Has(zhagen.RoleDispatcher) || a.CanAdmin() {
		add("demand_new", lbl("dm_proxy"), "/demands/new", "plus")
	}
	if h.cfg.Rates != nil && canSeeRates(a) {
		add("rates", lbl("rates"), "/rates", "board")
	}
	if a.Has(zhagen.RoleCadre) {
		add("demand_new", lbl("dm_cadre_new"), "/demands/new", "plus")
		add("demands", lbl("dm_cadre_mine"), "/demands", "doc")
	}
	if a.CanAdmin() {
		add("categories", lbl("categories"), "/categories", "list")
	}
	return out
}
