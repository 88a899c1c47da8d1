package web

import (
	"net/http"
	"strconv"

	"zhagen"
)

// demandCards are the workbench figures about demands for the actor's
// roles: what waits for them first.
func (h *Handler) demandCards(r *http.Request, a *zhagen.Actor) ([]homeCard, error) {
	var cards []homeCard
	var err error
	add := func(key, href, tone string, f zhagen.DemandFilter) {
		if err != nil {
			return
		}
		var n int
		if n, err = h.cfg.Demands.CountDemands(ctx(r), f); err == nil {
			cards = append(cards, homeCard{Label: h.tr(r, key), Value: strconv.Itoa(n), Href: href, Tone: tone})
		}
	}
	open := new(true)
	switch {
	case zhagen.CanAny(a, zhagen.PermDemandAssign):
		add("home.card.dm_submitted", "/demands/board#board-submitted", "blue", zhagen.DemandFilter{Statuses: []zhagen.DemandStatus{zhagen.DemandSubmitted}})
		add("home.card.dm_returned", "/demands/board#board-returned", "red", zhagen.DemandFilter{Statuses: []zhagen.DemandStatus{zhagen.DemandReturned}})
		add("home.card.dm_overdue", "/demands?level=red&open=1&sort=due", "red", zhagen.DemandFilter{Level: zhagen.SLARed, Open: open})
		add("home.card.dm_extension", "/demands/board#board-extension", "purple", zhagen.DemandFilter{PendingExtension: true, Open: open})
	case zhagen.CanAny(a, zhagen.PermDemandUpdate): // a department's inbox
		add("home.card.dm_lead", "/demands/inbox", "blue", zhagen.DemandFilter{DeptID: a.DeptID, DeptRole: "lead", Open: open})
		add("home.card.dm_coop", "/demands/inbox?tab=coop", "grey", zhagen.DemandFilter{DeptID: a.DeptID, DeptRole: "coop", Open: open})
		add("home.card.dm_overdue", "/demands?dept="+strconv.FormatInt(a.DeptID, 10)+"&level=red&open=1&sort=due", "red",
			zhagen.DemandFilter{DeptID: a.DeptID, Level: zhagen.SLARed, Open: open})
	case a.Has(zhagen.RoleLeader):
		add("home.card.dm_open", "/demands?open=1", "blue", zhagen.DemandFilter{Open: open})
		add("home.card.dm_overdue", "/demands?level=red&open=1&sort=due", "red", zhagen.DemandFilter{Level: zhagen.SLARed, Open: open})
	case a.Has(zhagen.RoleCadre):
		add("home.card.dm_open", "/demands?open=1", "blue", zhagen.DemandFilter{Open: open})
	case zhagen.CanAny(a, zhagen.PermDemandRate): // the enterprise's own
		add("home.card.dm_open", "/demands?open=1", "blue", zhagen.DemandFilter{Open: open})
		add("home.card.dm_to_rate", "/demands?status=resolved", "green", zhagen.DemandFilter{Statuses: []zhagen.DemandStatus{zhagen.DemandResolved}})
	}
	return cards, err
}
