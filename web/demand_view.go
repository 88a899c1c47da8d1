package web

import (
	"fmt"
	"net/http"
	"time"

	"zhagen"
)

// slaBadge is the clock of a demand as shown in tables and the header.
type slaBadge struct {
	Tone   string // ok, yellow, red, paused; "" shows nothing
	Label  string // 正常 / 预警 / 超期 / 已暂停
	Kind   string // which limit: 签收时限 or 办结时限
	Due    string // the due time, "" when none is set
	Remain string // 剩余 2天3小时 / 超期 5小时, in calendar time
	Light  string // 亮灯: green, yellow, red; "" when the demand runs no clock
	Reason string // why the light is lit: the limit, the share used, the due time
}

// demandRow is a demand with its computed badge, for tables.
type demandRow struct {
	*zhagen.Demand
	SLA slaBadge
}

func (h *Handler) rows(r *http.Request, ds []*zhagen.Demand) []demandRow {
	out := make([]demandRow, len(ds))
	for i, d := range ds {
		out[i] = demandRow{Demand: d, SLA: h.sla(r, d)}
	}
	return out
}

// sla computes the badge of d. The level is the service's; the remaining
// time is plain calendar time to the due time, which is always shown, so
// nobody mistakes it for working time.
func (h *Handler) sla(r *http.Request, d *zhagen.Demand) slaBadge {
	var b slaBadge
	due, kind := d.ResolutionDue, "dm.sla.resolution"
	if d.AcceptedAt == nil && d.ResponseDue != nil {
		due, kind = d.ResponseDue, "dm.sla.response"
	}
	level := d.SLALevel
	if level == "" {
		level = zhagen.SLAOK
	}
	if !d.Status.Open() {
		if level == zhagen.SLARed {
			b.Tone, b.Label = "red", h.tr(r, "dm.sla.late")
		}
		return b
	}
	b.Kind = h.tr(r, kind)
	if l := d.Light; l.Tone != "" {
		b.Light = l.Tone
		due := l.Due.In(zhagen.Shanghai)
		if l.Tone == "red" {
			b.Reason = h.tr(r, "spv.light."+l.Kind+".over", int(due.Month()), due.Day(), due.Format("15:04"))
		} else {
			b.Reason = h.tr(r, "spv.light."+l.Kind, l.Pct, int(due.Month()), due.Day(), due.Format("15:04"))
		}
	}
	if due != nil {
		b.Due = due.In(zhagen.Shanghai).Format("01-02 15:04")
		left := due.Sub(h.clock.Now())
		if left < 0 {
			level = zhagen.SLARed
			if kind == "dm.sla.response" {
				level = "response_late" // the acceptance is late, whatever the resolution clock says
			}
			b.Remain = h.tr(r, "dm.sla.over", h.span(r, -left))
		} else {
			b.Remain = h.tr(r, "dm.sla.left", h.span(r, left))
		}
	}
	if level == "response_late" {
		b.Tone, b.Label = "red", h.tr(r, "dm.sla.response_late")
	} else {
		b.Tone, b.Label = string(level), h.tr(r, "dm.level."+string(level))
	}
	if d.Status == zhagen.DemandWaiting {
		b.Tone, b.Label, b.Remain = "paused", h.tr(r, "dm.sla.paused"), ""
	}
	return b
}

// span writes a duration as days and hours, or hours, or minutes.
func (h *Handler) span(r *http.Request, d time.Duration) string {
	switch {
	case d >= 24*time.Hour:
		days, hours := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour)
		if hours == 0 {
			return h.tr(r, "dm.span.d", days)
		}
		return h.tr(r, "dm.span.dh", days, hours)
	case d >= time.Hour:
		return h.tr(r, "dm.span.h", int(d/time.Hour))
	}
	return h.tr(r, "dm.span.m", max(1, int(d/time.Minute)))
}

// statusTone is the tag colour of a demand status.
func statusTone(s zhagen.DemandStatus) string {
	switch s {
	case zhagen.DemandSubmitted:
		return "orange"
	case zhagen.DemandAssigned:
		return "cyan"
	case zhagen.DemandReturned:
		return "red"
	case zhagen.DemandAccepted, zhagen.DemandInProgress:
		return "blue"
	case zhagen.DemandWaiting, zhagen.DemandEscalated:
		return "purple"
	case zhagen.DemandResolved:
		return "green"
	}
	return "grey"
}

// catGroup is the categories of one group, for grouped selects.
type catGroup struct {
	Name string
	Cats []*zhagen.Category
}

func groupCategories(cats []*zhagen.Category, other string) []catGroup {
	var out []catGroup
	idx := map[string]int{}
	for _, c := range cats {
		g := c.Group
		if g == "" {
			g = other
		}
		i, ok := idx[g]
		if !ok {
			i = len(out)
			idx[g] = i
			out = append(out, catGroup{Name: g})
		}
		out[i].Cats = append(out[i].Cats, c)
	}
	return out
}

func demandPath(id int64) string { return fmt.Sprintf("/demands/%d", id) }
