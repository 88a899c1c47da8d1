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
// policy lets the actor reach the page (the services check again on each
// call).
func (h *Handler) menu(lang string, a *zhagen.Actor, active string) []navGroup {
	tr := func(key string) string { return h.cat.Sprintf(lang, key) }
	item := h.navItem(lang, active)
	var groups []navGroup
	groups = append(groups, navGroup{Items: []navItem{item("home", "/", "home")}})

	var svc []navItem
	switch all, via := zhagen.ScopeOf(a, zhagen.PermEnterpriseView); {
	case all:
		svc = append(svc, item("enterprises", "/enterprises", "building"))
	case via&zhagen.RelOwnEnterprise != 0:
		it := item("enterprises", "/enterprises", "building")
		it.Label = tr("nav.my_enterprise")
		svc = append(svc, it)
	}
	if h.cfg.Policies != nil && zhagen.CanAny(a, zhagen.PermPolicyView) {
		svc = append(svc, item("policies", "/policies", "doc"))
	}
	if h.cfg.Policies != nil && zhagen.CanAny(a, zhagen.PermAppView) {
		svc = append(svc, item("policy_apps", "/policy-applications", "list"))
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
	if zhagen.CanAny(a, zhagen.PermDepartmentTree) {
		org = append(org, item("departments", "/departments", "tree"))
	}
	if zhagen.SeesOthers(a, zhagen.PermUserView) {
		org = append(org, item("users", "/users", "users"))
	}
	if zhagen.CanAny(a, zhagen.PermIndustryEdit) {
		org = append(org, item("industries", "/industries", "list"))
	}
	if h.cfg.Policies != nil && zhagen.CanAny(a, zhagen.PermTagEdit) {
		org = append(org, item("tags", "/tags", "key"))
	}
	if zhagen.CanAny(a, zhagen.PermCalendarPage) {
		org = append(org, item("calendar", "/calendar", "calendar"))
	}
	if h.cfg.Intake != nil && zhagen.CanAny(a, zhagen.PermIntakeView) {
		org = append(org, item("intake", "/intake-channels", "key"))
	}
	if h.cfg.Supervision != nil && zhagen.CanAny(a, zhagen.PermLadderEdit) {
		org = append(org, item("ladder", "/ladder", "list"))
	}
	if h.cfg.Channels != nil && zhagen.CanAny(a, zhagen.PermChannelView) {
		org = append(org, item("channels", "/channels", "bell"))
	}
	if h.cfg.Channels != nil && zhagen.CanAny(a, zhagen.PermDeliveryView) {
		org = append(org, item("deliveries", "/deliveries", "list"))
	}
	if h.cfg.Imports != nil && len(importKinds(a)) > 0 {
		org = append(org, item("imports", "/imports", "archive"))
	}
	if len(org) > 0 {
		groups = append(groups, navGroup{Label: tr("nav.group.org"), Items: org})
	}

	var audit []navItem
	if zhagen.CanAny(a, zhagen.PermOpLogView) {
		audit = append(audit, item("log_ops", "/logs/ops", "doc"))
	}
	if zhagen.CanAny(a, zhagen.PermLoginLogView) {
		audit = append(audit, item("log_logins", "/logs/logins", "key"))
	}
	if len(audit) > 0 {
		groups = append(groups, navGroup{Label: tr("nav.group.audit"), Items: audit})
	}
	return trimMenu(a, groups)
}

// notForCadres are pages a cadre may open (the policy lets them read) but
// does not work in: the menu of an actor who is only a cadre leaves them
// out, so a phone's menu leads with the cadre's own work. The pages stay
// reachable by their links.
var notForCadres = map[string]bool{
	"departments": true, "calendar": true, "universities": true, "graduates": true, "surveys": true,
	"teams": true, "lk_coverage": true, "approvals": true, "project_overview": true,
}

// trimMenu drops from the menu what the actor's roles do not use.
func trimMenu(a *zhagen.Actor, groups []navGroup) []navGroup {
	if len(a.Roles) != 1 || !a.Has(zhagen.RoleCadre) {
		return groups
	}
	out := groups[:0]
	for _, g := range groups {
		items := g.Items[:0]
		for _, it := range g.Items {
			if !notForCadres[it.Key] {
				items = append(items, it)
			}
		}
		if g.Items = items; len(items) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// navItem returns the constructor of menu items in lang: the label is the
// nav.<key> message and the item whose key is active is marked so.
func (h *Handler) navItem(lang, active string) func(key, href, icon string) navItem {
	return func(key, href, icon string) navItem {
		return navItem{Key: key, Label: h.cat.Sprintf(lang, "nav."+key), Href: href, Icon: icon, Active: key == active}
	}
}

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
	// The labels follow the role (an enterprise's "my demands", a
	// cadre's "demands I filed"); whether an item shows is the policy's.
	canView, canFile := zhagen.CanAny(a, zhagen.PermDemandView), zhagen.CanAny(a, zhagen.PermDemandCreate)
	if zhagen.CanAny(a, zhagen.PermDemandRate) { // an enterprise's own demands
		if canFile {
			add("demand_new", lbl("dm_new"), "/demands/new", "plus")
		}
		if canView {
			add("demands", lbl("dm_mine"), "/demands", "inbox")
		}
	}
	if zhagen.CanAny(a, zhagen.PermDemandAssign) {
		add("dm_board", lbl("dm_board"), "/demands/board", "board")
	}
	if zhagen.CanAny(a, zhagen.PermDemandUpdate) {
		add("dm_inbox", lbl("dm_inbox"), "/demands/inbox", "inbox")
	}
	if canView && a.Has(zhagen.RoleStaff, zhagen.RoleDispatcher, zhagen.RoleLeader, zhagen.RoleAdmin) {
		add("demands", lbl("dm_search"), "/demands", "search")
	}
	if canFile && zhagen.CanAny(a, zhagen.PermDemandAssign) {
		add("demand_new", lbl("dm_proxy"), "/demands/new", "plus")
	}
	if h.cfg.Rates != nil && zhagen.CanAny(a, zhagen.PermRatesView) {
		add("rates", lbl("rates"), "/rates", "board")
	}
	if h.cfg.Oversight != nil && zhagen.CanAny(a, zhagen.PermBulletinView) {
		add("bulletins", lbl("bulletins"), "/bulletins", "doc")
	}
	if h.cfg.Oversight != nil && zhagen.CanAny(a, zhagen.PermScreenView) {
		add("screen", lbl("screen"), "/screen", "operating")
	}
	if h.cfg.Supervision != nil && zhagen.CanAny(a, zhagen.PermSupervisionView) {
		add("supervision", lbl("supervision"), "/supervision", "alert")
	}
	if h.cfg.FollowUps != nil && zhagen.CanAny(a, zhagen.PermFollowUpView) {
		add("followups", lbl("followups"), "/follow-ups", "check")
	}
	if h.cfg.ReplyTemplates != nil && zhagen.CanAny(a, zhagen.PermReplyTemplateEdit) {
		add("replies", lbl("replies"), "/reply-templates", "doc")
	}
	if h.cfg.Knowledge != nil && zhagen.CanAny(a, zhagen.PermKnowledgeView) {
		add("knowledge", lbl("knowledge"), "/knowledge", "archive")
	}
	if h.cfg.Knowledge != nil && zhagen.CanAny(a, zhagen.PermCommonProblemView) {
		add("common_problems", lbl("common_problems"), "/common-problems", "list")
	}
	if h.cfg.Knowledge != nil && zhagen.CanAny(a, zhagen.PermTopicView) {
		add("topics", lbl("topics"), "/topics", "check")
	}
	if h.cfg.Knowledge != nil && zhagen.CanAny(a, zhagen.PermDispatchEval) {
		add("dispatch_eval", lbl("dispatch_eval"), "/dispatch/eval", "board")
	}
	if a.Has(zhagen.RoleCadre) {
		if canFile {
			add("demand_new", lbl("dm_cadre_new"), "/demands/new", "plus")
		}
		if canView {
			add("demands", lbl("dm_cadre_mine"), "/demands", "doc")
		}
	}
	if zhagen.CanAny(a, zhagen.PermCategoryEdit) {
		add("categories", lbl("categories"), "/categories", "list")
	}
	return out
}
