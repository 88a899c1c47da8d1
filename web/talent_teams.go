package web

import (
	"fmt"
	"net/http"
	"strconv"

	"zhagen"
)

type teamListData struct {
	Rows    []*zhagen.ServiceTeam
	Manager bool
	People  []*zhagen.User
	New     *zhagen.ServiceTeam
	Picked  map[int64]bool
	Errors  map[string]string
	Error   string
}

func (h *Handler) teamListPage(w http.ResponseWriter, r *http.Request, status int, d *teamListData) {
	list, err := h.cfg.Talent.FindServiceTeams(ctx(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Rows, d.Manager = list, zhagen.CanAny(actor(r), zhagen.PermTeamCreate)
	if d.Manager {
		if d.People, _, err = h.cfg.Users.FindUsers(ctx(r), zhagen.UserFilter{Role: zhagen.RoleCadre, Limit: 200}); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if d.New == nil {
		d.New = &zhagen.ServiceTeam{}
	}
	h.render(w, r, status, "teams", &page{Title: h.tr(r, "nav.teams"), Nav: "teams", Data: d})
}

func (h *Handler) teamList(w http.ResponseWriter, r *http.Request) {
	h.teamListPage(w, r, http.StatusOK, &teamListData{})
}

// teamCreate is POST /service-teams (talent managers): the first member
// picked as leader leads the team.
func (h *Handler) teamCreate(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, zhagen.Errorf(zhagen.EBADREQUEST, "%s", h.tr(r, "form.invalid")))
		return
	}
	t := &zhagen.ServiceTeam{Name: r.FormValue("name"), Description: r.FormValue("description")}
	leader := formInt64(r, "leader")
	picked := map[int64]bool{}
	for _, s := range r.Form["members"] {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil && !picked[id] {
			picked[id] = true
			role := "队员"
			if id == leader {
				role = "队长"
			}
			t.Members = append(t.Members, zhagen.TeamMember{UserID: id, Role: role})
		}
	}
	if err := h.cfg.Talent.CreateServiceTeam(ctx(r), t); err != nil {
		d := &teamListData{New: t, Picked: picked}
		status, ok := formFailure(err, &d.Errors, &d.Error)
		if !ok {
			h.fail(w, r, err)
			return
		}
		h.teamListPage(w, r, status, d)
		return
	}
	h.redirectFlash(w, r, fmt.Sprintf("/service-teams/%d", t.ID), "team.flash.created")
}

type teamData struct {
	T           *zhagen.ServiceTeam
	CanDispatch bool // dispatch the next batch
	CanResolve  bool // record what a batch resolved
	CanLog      bool // record a batch's visit
	Enterprises []*zhagen.Enterprise
	Batch       zhagen.TeamBatch
	Log         zhagen.ServiceLog
	LogBatch    int64
	Errors      map[string]string
	Error       string
	Form        string
	Today       string
}

func (h *Handler) teamPage(w http.ResponseWriter, r *http.Request, status int, id int64, d *teamData) {
	a := actor(r)
	t, err := h.cfg.Talent.FindServiceTeamByID(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.T = t
	d.CanDispatch, d.CanResolve = zhagen.CanAny(a, zhagen.PermTeamDispatch), zhagen.CanAny(a, zhagen.PermTeamResolve)
	d.CanLog = zhagen.Can(a, zhagen.PermServiceLog, zhagen.TeamFacts(t))
	if d.CanDispatch {
		yes := true
		if d.Enterprises, _, err = h.cfg.Enterprises.FindEnterprises(ctx(r), zhagen.EnterpriseFilter{IsKey: &yes, Limit: 200}); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	d.Today = day(h.clock.Now())
	if d.Log.Date == "" {
		d.Log.Date = d.Today
	}
	h.render(w, r, status, "team_show", &page{Title: t.Name, Nav: "teams",
		Crumbs: []crumb{{Label: h.tr(r, "nav.teams"), Href: "/service-teams"}, {Label: t.Name}}, Data: d})
}

func (h *Handler) teamShow(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	h.teamPage(w, r, http.StatusOK, id, &teamData{})
}

func (h *Handler) teamBatchAdd(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, zhagen.Errorf(zhagen.EBADREQUEST, "%s", h.tr(r, "form.invalid")))
		return
	}
	b := zhagen.TeamBatch{TeamID: id, StartDate: r.FormValue("start_date"), EndDate: r.FormValue("end_date"), Resolved: r.FormValue("resolved")}
	for _, s := range r.Form["enterprise_ids"] {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			b.EnterpriseIDs = append(b.EnterpriseIDs, n)
		}
	}
	if err := h.cfg.Talent.AddTeamBatch(ctx(r), &b); err != nil {
		d := &teamData{Batch: b, Form: "batch"}
		status, ok := formFailure(err, &d.Errors, &d.Error)
		if !ok {
			h.fail(w, r, err)
			return
		}
		h.teamPage(w, r, status, id, d)
		return
	}
	h.redirectFlash(w, r, fmt.Sprintf("/service-teams/%d", id), "team.flash.batch")
}

func (h *Handler) serviceLogAdd(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	teamID := formInt64(r, "team_id")
	l := zhagen.ServiceLog{BatchID: id, EnterpriseID: formInt64(r, "enterprise_id"), Date: r.FormValue("date"), Summary: r.FormValue("summary"), Resolved: r.FormValue("resolved")}
	if err := h.cfg.Talent.AddServiceLog(ctx(r), &l); err != nil {
		d := &teamData{Log: l, LogBatch: id, Form: "log"}
		status, ok := formFailure(err, &d.Errors, &d.Error)
		if !ok || teamID == 0 {
			h.fail(w, r, err)
			return
		}
		h.teamPage(w, r, status, teamID, d)
		return
	}
	h.redirectFlash(w, r, fmt.Sprintf("/service-teams/%d#batch-%d", teamID, id), "team.flash.log")
}

func (h *Handler) batchResolved(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	if err := h.cfg.Talent.SetBatchResolved(ctx(r), id, r.FormValue("resolved")); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirectFlash(w, r, fmt.Sprintf("/service-teams/%d#batch-%d", formInt64(r, "team_id"), id), "team.flash.resolved")
}
