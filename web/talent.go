package web

import (
	"net/http"
	"strconv"
	"strings"

	"zhagen"
)

// talentRoutes registers the talent pages: the public job board and
// self-registration without login, and the rest behind auth.
func (h *Handler) talentRoutes(auth func(string, func(http.ResponseWriter, *http.Request))) {
	h.public("GET /jobs", h.jobBoard)
	h.public("GET /jobs/{id}", h.jobShow)
	h.public("GET /register", h.registerForm)
	h.public("POST /register", h.register)

	auth("GET /positions", h.positionList)
	auth("GET /positions/new", h.positionNew)
	auth("POST /positions", h.positionCreate)
	auth("POST /positions/{id}/review", h.positionReview)
	auth("GET /surveys", h.surveyPage)
	auth("GET /surveys/new", h.surveyNew)
	auth("POST /surveys", h.surveySave)
	auth("GET /universities", h.universityList)
	auth("GET /universities/{id}", h.universityShow)
	auth("POST /universities/{id}/contacts", h.universityContactAdd)
	auth("POST /universities/{id}/contacts/{cid}/delete", h.universityContactDelete)
	auth("POST /universities/{id}/outreach", h.outreachAdd)
	auth("GET /graduates", h.graduateList)
	auth("GET /graduates/me", h.graduateMe)
	auth("POST /graduates/me", h.graduateMeSave)
	auth("GET /programmes", h.programmeList)
	auth("POST /programmes", h.programmeCreate)
	auth("GET /programmes/{id}", h.programmeShow)
	auth("POST /programmes/{id}/positions", h.programmePositionAdd)
	auth("POST /programmes/{id}/choices", h.programmeChoices)
	auth("POST /programmes/{id}/withdraw", h.programmeWithdraw)
	auth("POST /programmes/{id}/match", h.programmeMatch)
	auth("GET /programmes/{id}/run", h.programmeRun)
	auth("POST /programmes/{id}/publish", h.programmePublish)
	auth("GET /programme-positions/{id}", h.applicantList)
	auth("POST /programme-positions/{id}/ranking", h.applicantRanking)
	auth("GET /service-teams", h.teamList)
	auth("POST /service-teams", h.teamCreate)
	auth("GET /service-teams/{id}", h.teamShow)
	auth("POST /service-teams/{id}/batches", h.teamBatchAdd)
	auth("POST /service-batches/{id}/logs", h.serviceLogAdd)
	auth("POST /service-batches/{id}/resolved", h.batchResolved)
}

// talentMenu is the 人才 group of the navigation.
func (h *Handler) talentMenu(a *zhagen.Actor, item func(key, href, icon string) navItem) []navItem {
	var out []navItem
	if ownGraduateOnly(a) {
		out = append(out, item("graduate_me", "/graduates/me", "user"))
	}
	if zhagen.CanAny(a, zhagen.PermPositionView) {
		out = append(out, item("positions", "/positions", "doc"))
	}
	if zhagen.CanAny(a, zhagen.PermSurveyView) {
		out = append(out, item("surveys", "/surveys", "board"))
	}
	if zhagen.CanAny(a, zhagen.PermUniversityView) {
		out = append(out, item("universities", "/universities", "tree"))
	}
	if grantsEvery(a, zhagen.PermGraduateView) {
		out = append(out, item("graduates", "/graduates", "users"))
	}
	if zhagen.CanAny(a, zhagen.PermProgrammeView) {
		out = append(out, item("programmes", "/programmes", "list"))
	}
	if zhagen.CanAny(a, zhagen.PermTeamView) {
		out = append(out, item("teams", "/service-teams", "user"))
	}
	if len(out) > 0 {
		out = append(out, item("jobs", "/jobs", "search"))
	}
	return out
}

// ownGraduateOnly: whether the caller reads only their own graduate
// record (a graduate, who has their own page instead of the register).
func ownGraduateOnly(a *zhagen.Actor) bool {
	every, via := zhagen.ScopeOf(a, zhagen.PermGraduateView)
	return !every && via == zhagen.RelSelf
}

// formInt parses a form number; "" is 0 and garbage is -1, which the
// domain's validation refuses with its own message.
func formInt(r *http.Request, name string) int {
	s := strings.TrimSpace(r.FormValue(name))
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

func formInt64(r *http.Request, name string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(r.FormValue(name)), 10, 64)
	return n
}

func pathInt64(r *http.Request, name string) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	return id, err == nil && id > 0
}
