package web

import (
	"net/http"
	"strconv"

	"zhagen"
)

// consultView is a consultation with its action items as rows.
type consultView struct {
	C     *zhagen.Consultation
	Items []itemRow
}

// demandConsults loads the consultations a demand is linked to.
func (h *Handler) demandConsults(r *http.Request, d *zhagen.Demand) ([]consultView, error) {
	a := actor(r)
	if h.cfg.Consultations == nil || d.ConsultationID == 0 {
		return nil, nil
	}
	list, _, err := h.cfg.Consultations.FindConsultations(ctx(r), zhagen.ConsultationFilter{DemandID: d.ID, Limit: 20})
	if code := zhagen.ErrorCode(err); code == zhagen.EFORBIDDEN {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	var out []consultView
	for _, c := range list {
		full, err := h.cfg.Consultations.FindConsultationByID(ctx(r), c.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, consultView{C: full, Items: h.itemRows(a, full.Items, full)})
	}
	return out, nil
}

// homeItems puts the caller's pending action items and their counts on
// the workbench: a department's for staff, their own for assignees.
func (h *Handler) homeItems(r *http.Request, a *zhagen.Actor, d *homeData) error {
	if h.cfg.Consultations == nil || !zhagen.CanAny(a, zhagen.PermConsultationView) {
		return nil
	}
	if grantsEvery(a, zhagen.PermItemList) {
		_, overdue, err := h.cfg.Consultations.FindActionItems(ctx(r), zhagen.ActionItemFilter{Status: zhagen.ItemOverdue, Limit: 1})
		if err != nil {
			return err
		}
		_, meets, err := h.cfg.Consultations.FindConsultations(ctx(r), zhagen.ConsultationFilter{Upcoming: true, Limit: 1})
		if err != nil {
			return err
		}
		d.Cards = append(d.Cards,
			homeCard{Label: h.tr(r, "home.card.cs_overdue"), Value: strconv.Itoa(overdue), Href: "/action-items?status=overdue", Tone: "red"},
			homeCard{Label: h.tr(r, "home.card.cs_meet"), Value: strconv.Itoa(meets), Href: "/consultations?upcoming=1", Tone: "purple"})
		return nil
	}
	items, total, err := h.cfg.Consultations.FindActionItems(ctx(r), zhagen.ActionItemFilter{Pending: true, Limit: 10})
	if err != nil {
		return err
	}
	d.Cards = append(d.Cards, homeCard{Label: h.tr(r, "home.card.cs_items"), Value: strconv.Itoa(total), Href: "/action-items?status=pending", Tone: "orange"})
	d.Items = h.itemRows(a, items, nil)
	return nil
}
