package web

import (
	"fmt"
	"net/http"

	"zhagen"
)

type programmeListData struct {
	Rows    []*zhagen.Programme
	Manager bool
	New     *zhagen.Programme
	Errors  map[string]string
	Error   string
}

func (h *Handler) programmeListPage(w http.ResponseWriter, r *http.Request, status int, d *programmeListData) {
	list, err := h.cfg.Talent.FindProgrammes(ctx(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Rows, d.Manager = list, zhagen.CanAny(actor(r), zhagen.PermProgrammeCreate)
	if d.New == nil {
		d.New = &zhagen.Programme{MaxChoices: 5}
	}
	h.render(w, r, status, "programmes", &page{Title: h.tr(r, "nav.programmes"), Nav: "programmes", Data: d})
}

func (h *Handler) programmeList(w http.ResponseWriter, r *http.Request) {
	h.programmeListPage(w, r, http.StatusOK, &programmeListData{})
}

// programmeCreate is POST /programmes (talent managers).
func (h *Handler) programmeCreate(w http.ResponseWriter, r *http.Request) {
	p := &zhagen.Programme{Name: r.FormValue("name"), Description: r.FormValue("description"), RegOpen: r.FormValue("reg_open"),
		RegClose: r.FormValue("reg_close"), MaxChoices: formInt(r, "max_choices")}
	if err := h.cfg.Talent.CreateProgramme(ctx(r), p); err != nil {
		d := &programmeListData{New: p}
		status, ok := formFailure(err, &d.Errors, &d.Error)
		if !ok {
			h.fail(w, r, err)
			return
		}
		h.programmeListPage(w, r, status, d)
		return
	}
	h.redirectFlash(w, r, fmt.Sprintf("/programmes/%d", p.ID), "prog.flash.created")
}

// programmePositionAdd is POST /programmes/{id}/positions (talent managers).
func (h *Handler) programmePositionAdd(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	pp := &zhagen.ProgrammePosition{ProgrammeID: id, EnterpriseID: formInt64(r, "enterprise_id"), Title: r.FormValue("title"),
		Majors: zhagen.SplitTags(r.FormValue("majors")), Degree: zhagen.Degree(r.FormValue("degree")), Skills: zhagen.SplitTags(r.FormValue("skills")),
		Capacity: formInt(r, "capacity")}
	if err := h.cfg.Talent.AddProgrammePosition(ctx(r), pp); err != nil {
		d := &programmeData{NewPos: pp, PosMajors: r.FormValue("majors"), PosSkills: r.FormValue("skills")}
		status, ok := formFailure(err, &d.Errors, &d.Error)
		if !ok {
			h.fail(w, r, err)
			return
		}
		d.Error = ""
		h.programmePage(w, r, status, id, d)
		return
	}
	h.redirectFlash(w, r, fmt.Sprintf("/programmes/%d", id), "prog.flash.position")
}

type programmeData struct {
	P         *zhagen.Programme
	Manager   bool // adds positions
	CanRun    bool // runs the matching
	AnyStats  bool // sees the applicant and placement counts of some positions
	Stats     map[int64]bool
	Graduate  *zhagen.Graduate
	App       *zhagen.Application
	Slots     []int // 1..MaxChoices for the choice form
	Open      bool
	MyResult  *zhagen.MatchResult
	Errors    map[string]string
	Error     string
	Today     string
	ChoiceMap map[int]int64 // slot → position id

	// The add-position form of talent managers.
	NewPos      *zhagen.ProgrammePosition
	PosMajors   string
	PosSkills   string
	Enterprises []*zhagen.Enterprise
	Degrees     []zhagen.Degree
}

func (h *Handler) programmePage(w http.ResponseWriter, r *http.Request, status int, id int64, d *programmeData) {
	a := actor(r)
	p, err := h.cfg.Talent.FindProgrammeByID(ctx(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.P, d.Manager, d.CanRun = p, zhagen.CanAny(a, zhagen.PermProgrammePositionAdd), zhagen.CanAny(a, zhagen.PermMatchRun)
	d.AnyStats, d.Stats = zhagen.CanAny(a, zhagen.PermProgrammeStats), map[int64]bool{}
	for _, pp := range p.Positions {
		d.Stats[pp.ID] = zhagen.Can(a, zhagen.PermProgrammeStats, zhagen.ProgrammePositionFacts(pp))
	}
	if d.Manager {
		if d.Enterprises, _, err = h.cfg.Enterprises.FindEnterprises(ctx(r), zhagen.EnterpriseFilter{Limit: 200}); err != nil {
			h.fail(w, r, err)
			return
		}
		d.Degrees = zhagen.Degrees
		if d.NewPos == nil {
			d.NewPos = &zhagen.ProgrammePosition{Capacity: 1}
		}
	}
	d.Today = day(h.clock.Now())
	d.Open = p.RegistrationOpen(d.Today)
	for i := 1; i <= p.MaxChoices; i++ {
		d.Slots = append(d.Slots, i)
	}
	if a.Has(zhagen.RoleGraduate) {
		if g, err := h.cfg.Talent.MyGraduate(ctx(r)); err == nil {
			d.Graduate = g
			if app, err := h.cfg.Talent.FindApplication(ctx(r), id, g.ID); err == nil {
				d.App = app
			}
		}
		if p.LatestRun != nil {
			if run, err := h.cfg.Talent.FindMatchRun(ctx(r), p.LatestRun.ID); err == nil && len(run.Results) > 0 {
				d.MyResult = run.Results[0]
			}
		}
	}
	if d.ChoiceMap == nil {
		d.ChoiceMap = map[int]int64{}
		if d.App != nil {
			for i, pid := range d.App.PositionIDs {
				d.ChoiceMap[i+1] = pid
			}
		}
	}
	h.render(w, r, status, "programme_show", &page{Title: p.Name, Nav: "programmes",
		Crumbs: []crumb{{Label: h.tr(r, "nav.programmes"), Href: "/programmes"}, {Label: p.Name}}, Data: d})
}

func (h *Handler) programmeShow(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	h.programmePage(w, r, http.StatusOK, id, &programmeData{})
}

func (h *Handler) programmeChoices(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	app := &zhagen.Application{ProgrammeID: id}
	choices := map[int]int64{}
	for i := 1; i <= 20; i++ {
		if pid := formInt64(r, fmt.Sprintf("choice%d", i)); pid > 0 {
			app.PositionIDs = append(app.PositionIDs, pid)
			choices[i] = pid
		}
	}
	if err := h.cfg.Talent.SetChoices(ctx(r), app); err != nil {
		d := &programmeData{ChoiceMap: choices}
		status, ok := formFailure(err, &d.Errors, &d.Error)
		if !ok {
			h.fail(w, r, err)
			return
		}
		if d.Error == "" && len(d.Errors) > 0 {
			d.Error = zhagen.ErrorMessage(err)
		}
		h.programmePage(w, r, status, id, d)
		return
	}
	h.redirectFlash(w, r, fmt.Sprintf("/programmes/%d", id), "prog.flash.choices")
}

func (h *Handler) programmeWithdraw(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	if err := h.cfg.Talent.WithdrawApplication(ctx(r), id, formInt64(r, "graduate_id")); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirectFlash(w, r, localPath(r.FormValue("back")), "prog.flash.withdrawn")
}
