package web

import (
	"net/http"
	"strconv"
	"strings"

	"zhagen"
	"zhagen/throttle"
)

type registerData struct {
	Login    string
	G        zhagen.Graduate
	Skills   string
	Degrees  []zhagen.Degree
	Unis     []string
	Errors   map[string]string
	Error    string
	Done     bool
	DoneName string
}

func (h *Handler) registerForm(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, "register", &page{Title: h.tr(r, "reg.title"),
		Data: &registerData{G: zhagen.Graduate{Degree: zhagen.DegreeBachelor, GradYear: h.clock.Now().In(zhagen.Shanghai).Year(), Consent: true}, Degrees: zhagen.Degrees, Unis: universityNames}})
}

// universityNames are suggestions for the university field; any name is
// accepted.
var universityNames = []string{"福州大学", "福建师范大学", "福建医科大学", "福建中医药大学", "闽江学院", "福建理工大学", "福建江夏学院", "福建农林大学", "厦门大学"}

func graduateFromForm(r *http.Request) (zhagen.Graduate, string) {
	skills := r.FormValue("skills")
	return zhagen.Graduate{
		Name: r.FormValue("name"), University: r.FormValue("university"), Major: r.FormValue("major"),
		Degree: zhagen.Degree(r.FormValue("degree")), GradYear: formInt(r, "grad_year"), Skills: zhagen.SplitTags(skills),
		Phone: r.FormValue("phone"), Consent: r.FormValue("consent") == "1",
	}, skills
}

// register is POST /register: creates a graduate's account and record.
// Each client address may register Config.RegisterLimit times per period.
// A login that is taken gets the very answer a free one gets, so that
// registering tells nothing about other accounts: the page asks the
// registrant to log in, and to register again under another login if
// that fails.
func (h *Handler) register(w http.ResponseWriter, r *http.Request) {
	if ok, after := h.cfg.RegisterLimit.Allow(throttle.AddrKey(clientIP(r))); !ok {
		h.fail(w, r, zhagen.TooMany(after, "注册请求过于频繁，请%s后再试", zhagen.WaitText(after)))
		return
	}
	g, skills := graduateFromForm(r)
	reg := &zhagen.GraduateRegistration{Login: strings.TrimSpace(r.FormValue("login")), Password: r.FormValue("password"), Graduate: g}
	d := &registerData{Login: reg.Login, G: g, Skills: skills, Degrees: zhagen.Degrees, Unis: universityNames}
	if r.FormValue("password") != r.FormValue("password2") {
		d.Errors = map[string]string{"password2": h.tr(r, "reg.err.password2")}
		h.render(w, r, http.StatusUnprocessableEntity, "register", &page{Title: h.tr(r, "reg.title"), Data: d})
		return
	}
	ctx := zhagen.NewContextWithIP(r.Context(), clientIP(r))
	_, err := h.cfg.Talent.RegisterGraduate(ctx, reg)
	if zhagen.ErrorCode(err) == zhagen.ECONFLICT && zhagen.FieldErrors(err)["login"] != "" {
		err = nil // taken: answered as registered
	}
	if err != nil {
		status, ok := formFailure(err, &d.Errors, &d.Error)
		if !ok {
			h.fail(w, r, err)
			return
		}
		h.render(w, r, status, "register", &page{Title: h.tr(r, "reg.title"), Data: d})
		return
	}
	d.Done, d.DoneName = true, strings.TrimSpace(g.Name)
	h.render(w, r, http.StatusCreated, "register", &page{Title: h.tr(r, "reg.title"), Data: d})
}

type graduateListData struct {
	Rows  []*zhagen.Graduate
	Pager pager
	Q     string
	Gov   bool
}

func (h *Handler) graduateList(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	if ownGraduateOnly(a) {
		http.Redirect(w, r, "/graduates/me", http.StatusSeeOther)
		return
	}
	d := &graduateListData{Q: strings.TrimSpace(r.URL.Query().Get("q")), Gov: grantsEvery(a, zhagen.PermGraduateView)}
	pageNum := pageParam(r)
	rows, total, err := h.cfg.Talent.FindGraduates(ctx(r), zhagen.GraduateFilter{Query: d.Q, Limit: perPage, Offset: offset(pageNum)})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Rows, d.Pager = rows, newPager(r.URL, total, pageNum)
	p := &page{Title: h.tr(r, "nav.graduates"), Nav: "graduates", Data: d}
	if partialRequest(r, "grad-results") {
		h.renderPartial(w, r, "graduates", "grad_results", p)
		return
	}
	h.render(w, r, http.StatusOK, "graduates", p)
}

type graduateMeData struct {
	G          *zhagen.Graduate
	Skills     string
	Degrees    []zhagen.Degree
	Unis       []string
	Errors     map[string]string
	Error      string
	Programmes []*zhagen.Programme
}

func (h *Handler) graduateMePage(w http.ResponseWriter, r *http.Request, status int, d *graduateMeData) {
	d.Degrees, d.Unis = zhagen.Degrees, universityNames
	if d.Skills == "" {
		d.Skills = strings.Join(d.G.Skills, "、")
	}
	progs, err := h.cfg.Talent.FindProgrammes(ctx(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Programmes = progs
	h.render(w, r, status, "graduate_me", &page{Title: h.tr(r, "nav.graduate_me"), Nav: "graduate_me", Data: d})
}

func (h *Handler) graduateMe(w http.ResponseWriter, r *http.Request) {
	g, err := h.cfg.Talent.MyGraduate(ctx(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.graduateMePage(w, r, http.StatusOK, &graduateMeData{G: g})
}

func (h *Handler) graduateMeSave(w http.ResponseWriter, r *http.Request) {
	g, err := h.cfg.Talent.MyGraduate(ctx(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	in, skills := graduateFromForm(r)
	version, _ := strconv.ParseInt(r.FormValue("version"), 10, 64)
	upd := zhagen.GraduateUpdate{Version: version, Name: &in.Name, University: &in.University, Major: &in.Major, Degree: &in.Degree,
		GradYear: &in.GradYear, Skills: &in.Skills, Phone: &in.Phone, Consent: &in.Consent}
	if _, err := h.cfg.Talent.UpdateGraduate(ctx(r), g.ID, upd); err != nil {
		in.ID, in.Version = g.ID, g.Version
		d := &graduateMeData{G: &in, Skills: skills}
		status, ok := formFailure(err, &d.Errors, &d.Error)
		if !ok {
			h.fail(w, r, err)
			return
		}
		if staleUpdate(err) {
			d.Errors, d.Error = nil, zhagen.ErrorMessage(err) // the form now carries the current version
		}
		h.graduateMePage(w, r, status, d)
		return
	}
	h.redirectFlash(w, r, "/graduates/me", "grad.flash.saved")
}
