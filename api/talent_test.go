package api_test

import (
	"context"
	"fmt"
	"testing"

	"zhagen"
	"zhagen/sqldb/sqldbtest"
)

// talentFixture adds talent records to an env: a pending position of entA,
// entA's survey, a university, three graduates (the "graduate" login, grad2
// who withheld consent, grad3), a programme with one place at entA and one
// at entB, matched and published, and a service team whose member is the
// cadre.
func talentFixture(v *env) {
	t := v.t
	t.Helper()
	ctx := zhagen.NewContextWithActor(context.Background(), zhagen.SystemActor())
	tl := v.talent
	pos := &zhagen.Position{EnterpriseID: v.ids["entA"], Kind: zhagen.PositionFullTime, Title: "封装工程师", Majors: []string{"微电子科学与工程"}, Number: 2, Place: "福州高新区"}
	must(t, tl.CreatePosition(ctx, pos))
	v.ids["position"] = pos.ID
	sv := &zhagen.Survey{EnterpriseID: v.ids["entA"], Period: "2026", Lines: []zhagen.SurveyLine{{Major: "微电子科学与工程", Count: 5, Difficulty: 3}}}
	must(t, tl.SaveSurvey(ctx, sv))
	v.ids["survey"] = sv.ID
	uni := &zhagen.Department{Name: "福州大学", Kind: zhagen.DeptUniversity}
	must(t, v.depts.CreateDepartment(ctx, uni))
	v.ids["university"] = uni.ID
	for _, g := range []struct {
		login, major string
		consent      bool
	}{{"graduate", "微电子科学与工程", true}, {"grad2", "微电子科学与工程", false}, {"grad3", "电子信息工程", true}} {
		rec := &zhagen.Graduate{Name: "学生" + g.login, University: "福州大学", Major: g.major, Degree: zhagen.DegreeBachelor, GradYear: 2027, Phone: "13800000000", Consent: g.consent}
		must(t, tl.CreateGraduate(ctx, rec, g.login))
		v.ids["g:"+g.login] = rec.ID
	}
	p := &zhagen.Programme{Name: "暑期实践", RegOpen: "2026-10-01", RegClose: "2026-12-31", MaxChoices: 3}
	must(t, tl.CreateProgramme(ctx, p))
	v.ids["programme"] = p.ID
	for _, key := range []string{"entA", "entB"} {
		pp := &zhagen.ProgrammePosition{ProgrammeID: p.ID, EnterpriseID: v.ids[key], Title: "实习生", Majors: []string{"微电子科学与工程", "电子信息工程"}, Capacity: 1}
		must(t, tl.AddProgrammePosition(ctx, pp))
		v.ids["pp:"+key] = pp.ID
	}
	for login, choices := range map[string][]int64{"graduate": {v.ids["pp:entA"], v.ids["pp:entB"]}, "grad2": {v.ids["pp:entA"]}, "grad3": {v.ids["pp:entB"]}} {
		must(t, tl.SetChoices(ctx, &zhagen.Application{ProgrammeID: p.ID, GraduateID: v.ids["g:"+login], PositionIDs: choices}))
	}
	run, err := tl.RunMatch(ctx, p.ID)
	must(t, err)
	_, err = tl.PublishMatch(ctx, run.ID)
	must(t, err)
	team := &zhagen.ServiceTeam{Name: "服务队", Members: []zhagen.TeamMember{{UserID: v.ids["cadre"]}}}
	must(t, tl.CreateServiceTeam(ctx, team))
	v.ids["team"] = team.ID
	b := &zhagen.TeamBatch{TeamID: team.ID, StartDate: "2026-11-01", EndDate: "2026-11-30", EnterpriseIDs: []int64{v.ids["entA"]}}
	must(t, tl.AddTeamBatch(ctx, b))
	v.ids["batch"] = b.ID
}

// talentCases are the rows of the authorization table for the talent
// routes, in the role order of TestAuthorizationTable.
func talentCases(v *env) []struct {
	method, path string
	body         func() any
	want         []int
} {
	talentFixture(v)
	seq := 0
	next := func() int { seq++; return seq }
	id := func(key string) int64 { return v.ids[key] }
	path := func(format string, key string) string { return fmt.Sprintf(format, id(key)) }
	body := func(m map[string]any) func() any { return func() any { return m } }
	gradPath := path("/api/v1/graduates/%d", "g:graduate")
	ctx := zhagen.NewContextWithActor(context.Background(), zhagen.SystemActor())
	return []struct {
		method, path string
		body         func() any
		want         []int
	}{
		{"GET", "/api/v1/positions", nil, []int{200, 200, 200, 200, 200, 200, 200, 200, 401}},
		{"POST", "/api/v1/positions", body(map[string]any{"enterprise_id": id("entA"), "kind": "fulltime", "title": "工程师", "number": 1, "place": "高新区"}), []int{201, 201, 403, 403, 403, 201, 404, 403, 401}},
		{"GET", path("/api/v1/positions/%d", "position"), nil, []int{200, 200, 200, 200, 200, 200, 404, 404, 401}},
		{"POST", path("/api/v1/positions/%d/review", "position"), body(map[string]any{"approve": true}), []int{200, 200, 403, 403, 403, 403, 403, 403, 401}},
		{"GET", "/api/v1/surveys", nil, []int{200, 200, 200, 200, 200, 200, 200, 403, 401}},
		{"POST", "/api/v1/surveys", body(map[string]any{"enterprise_id": id("entA"), "period": "2026", "lines": []any{map[string]any{"major": "软件工程", "count": 2, "difficulty": 1}}}), []int{200, 200, 403, 403, 403, 200, 404, 403, 401}},
		{"GET", "/api/v1/surveys/summary", nil, []int{200, 200, 200, 200, 200, 403, 403, 403, 401}},
		{"GET", path("/api/v1/surveys/%d", "survey"), nil, []int{200, 200, 200, 200, 200, 200, 404, 403, 401}},
		{"GET", "/api/v1/universities", nil, []int{200, 200, 200, 200, 200, 403, 403, 403, 401}},
		{"GET", path("/api/v1/universities/%d", "university"), nil, []int{200, 200, 200, 200, 200, 403, 403, 403, 401}},
		{"POST", path("/api/v1/universities/%d/contacts", "university"), body(map[string]any{"kind": "career", "name": "王老师", "phone": "0591-22866000"}), []int{201, 201, 403, 403, 403, 403, 403, 403, 401}},
		{"POST", path("/api/v1/universities/%d/outreach", "university"), body(map[string]any{"date": "2026-11-02", "kind": "走访", "summary": "对接暑期实践"}), []int{201, 201, 403, 403, 403, 403, 403, 403, 401}},
		{"POST", "/api/v1/graduates/register", func() any {
			return map[string]any{"login": fmt.Sprintf("reg%d", next()), "password": password, "graduate": map[string]any{"name": "注册生", "university": "福州大学", "major": "软件工程", "degree": "bachelor", "grad_year": 2027, "phone": "13912345678", "consent": true}}
		}, []int{201, 201, 201, 201, 201, 201, 201, 201, 201}},
		{"GET", "/api/v1/graduates", nil, []int{200, 200, 200, 200, 200, 200, 200, 200, 401}},
		{"GET", "/api/v1/graduates/me", nil, []int{404, 404, 404, 404, 404, 404, 404, 200, 401}},
		{"GET", path("/api/v1/graduates/%d", "g:grad2"), nil, []int{200, 200, 200, 200, 200, 404, 404, 404, 401}},
		{"PATCH", gradPath, func() any {
			_, b := v.do("admin", "GET", gradPath, nil)
			return map[string]any{"version": b["version"], "skills": []string{fmt.Sprintf("技能%d", next())}}
		}, []int{200, 403, 403, 403, 403, 404, 404, 200, 401}},
		{"GET", "/api/v1/programmes", nil, []int{200, 200, 200, 200, 200, 200, 200, 200, 401}},
		{"POST", "/api/v1/programmes", func() any {
			return map[string]any{"name": fmt.Sprintf("项目%d", next()), "reg_open": "2026-11-01", "reg_close": "2026-11-30", "max_choices": 3}
		}, []int{201, 201, 403, 403, 403, 403, 403, 403, 401}},
		{"GET", path("/api/v1/programmes/%d", "programme"), nil, []int{200, 200, 200, 200, 200, 200, 200, 200, 401}},
		{"GET", path("/api/v1/programmes/%d/match", "programme"), nil, []int{200, 200, 200, 200, 200, 200, 200, 200, 401}},
		{"GET", path("/api/v1/programme-positions/%d/applicants", "pp:entA"), nil, []int{200, 200, 200, 200, 200, 200, 404, 403, 401}},
		{"PUT", path("/api/v1/programme-positions/%d/ranking", "pp:entA"), body(map[string]any{"graduate_ids": []int64{id("g:graduate")}}), []int{200, 200, 403, 403, 403, 200, 404, 403, 401}},
		{"PUT", path("/api/v1/programmes/%d/choices", "programme"), body(map[string]any{"graduate_id": id("g:graduate"), "position_ids": []int64{id("pp:entA"), id("pp:entB")}}), []int{200, 200, 403, 403, 403, 403, 403, 200, 401}},
		{"POST", path("/api/v1/programmes/%d/withdraw", "programme"), func() any {
			must(v.t, v.talent.SetChoices(ctx, &zhagen.Application{ProgrammeID: id("programme"), GraduateID: id("g:grad3"), PositionIDs: []int64{id("pp:entB")}}))
			return map[string]any{"graduate_id": id("g:grad3")}
		}, []int{204, 204, 403, 403, 403, 403, 403, 404, 401}},
		{"POST", path("/api/v1/programmes/%d/positions", "programme"), body(map[string]any{"enterprise_id": id("entB"), "title": "新增岗位", "capacity": 1}), []int{201, 201, 403, 403, 403, 403, 403, 403, 401}},
		{"POST", path("/api/v1/programmes/%d/match", "programme"), nil, []int{201, 201, 403, 403, 403, 403, 403, 403, 401}},
		{"POST", path("/api/v1/programmes/%d/match/publish", "programme"), func() any {
			// A fresh run each time: a published run cannot be published again.
			_, err := v.talent.RunMatch(ctx, id("programme"))
			must(v.t, err)
			return nil
		}, []int{200, 200, 403, 403, 403, 403, 403, 403, 401}},
		{"GET", "/api/v1/service-teams", nil, []int{200, 200, 200, 200, 200, 403, 403, 403, 401}},
		{"POST", "/api/v1/service-teams", func() any {
			return map[string]any{"name": fmt.Sprintf("服务队%d", next()), "members": []any{map[string]any{"user_id": id("cadre")}}}
		}, []int{201, 201, 403, 403, 403, 403, 403, 403, 401}},
		{"GET", path("/api/v1/service-teams/%d", "team"), nil, []int{200, 200, 200, 200, 200, 403, 403, 403, 401}},
		{"POST", path("/api/v1/service-teams/%d/batches", "team"), body(map[string]any{"start_date": "2026-12-01", "end_date": "2026-12-31", "enterprise_ids": []int64{id("entA")}}), []int{201, 201, 403, 403, 403, 403, 403, 403, 401}},
		{"POST", path("/api/v1/service-batches/%d/logs", "batch"), body(map[string]any{"enterprise_id": id("entA"), "date": "2026-11-02", "summary": "走访"}), []int{201, 201, 403, 403, 201, 404, 404, 404, 401}},
		{"PUT", path("/api/v1/service-batches/%d/resolved", "batch"), body(map[string]any{"resolved": "协调招聘专场1场"}), []int{204, 204, 403, 403, 403, 403, 403, 403, 401}},
	}
}

// TestTalentScope covers the talent acceptance points of the API: an
// enterprise sees neither another enterprise's applicants nor a graduate
// who withheld consent (404); a graduate edits only their own record; a
// re-run after a withdrawal gives the freed place to the next applicant.
func TestTalentScope(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		v := newEnv(t, e)
		talentFixture(v)
		ppA, ppB := fmt.Sprintf("/api/v1/programme-positions/%d/applicants", v.ids["pp:entA"]), fmt.Sprintf("/api/v1/programme-positions/%d/applicants", v.ids["pp:entB"])
		// entA's applicants as entA: the consenting graduate only; grad2
		// withheld consent.
		st, b := v.do("enterprise", "GET", ppA, nil)
		items, _ := b["items"].([]any)
		if st != 200 || len(items) != 1 || int64(items[0].(map[string]any)["graduate_id"].(float64)) != v.ids["g:graduate"] {
			t.Fatalf("entA applicants: %d %v", st, b)
		}
		if st, b = v.do("admin", "GET", ppA, nil); len(b["items"].([]any)) != 2 {
			t.Fatalf("admin sees %v applicants", b)
		}
		if st, _ = v.do("enterprise", "GET", ppB, nil); st != 404 {
			t.Fatalf("entA reads entB's applicants: %d", st)
		}
		if st, _ = v.do("enterprise", "GET", fmt.Sprintf("/api/v1/graduates/%d", v.ids["g:grad2"]), nil); st != 404 {
			t.Fatalf("entA reads a graduate who withheld consent: %d", st)
		}
		// Nor can entA rank (and so learn of) the graduate who withheld
		// consent; its consenting applicant it can.
		rankA := fmt.Sprintf("/api/v1/programme-positions/%d/ranking", v.ids["pp:entA"])
		if st, b = v.do("enterprise", "PUT", rankA, map[string]any{"graduate_ids": []int64{v.ids["g:grad2"]}}); st != 422 || errField(b, "field") != "graduate_ids" {
			t.Fatalf("entA ranks a graduate who withheld consent: %d %v", st, b)
		}
		if st, _ = v.do("enterprise", "PUT", rankA, map[string]any{"graduate_ids": []int64{v.ids["g:graduate"]}}); st != 200 {
			t.Fatalf("entA ranks its consenting applicant: %d", st)
		}
		if st, _ = v.do("enterprise", "GET", fmt.Sprintf("/api/v1/graduates/%d", v.ids["g:graduate"]), nil); st != 200 {
			t.Fatalf("entA reads its consenting applicant: %d", st)
		}
		if st, b = v.do("enterprise", "GET", "/api/v1/graduates", nil); st != 200 || b["total"].(float64) != 1 {
			t.Fatalf("entA graduate list: %d %v", st, b)
		}
		if _, b = v.do("enterprise2", "GET", "/api/v1/graduates", nil); b["total"].(float64) != 2 { // graduate and grad3
			t.Fatalf("entB graduate list: %v", b)
		}

		// A graduate reads and edits only their own record.
		own := fmt.Sprintf("/api/v1/graduates/%d", v.ids["g:graduate"])
		other := fmt.Sprintf("/api/v1/graduates/%d", v.ids["g:grad3"])
		if st, b = v.do("graduate", "GET", "/api/v1/graduates/me", nil); st != 200 || b["name"] != "学生graduate" {
			t.Fatalf("me: %d %v", st, b)
		}
		if st, b = v.do("graduate", "PATCH", own, map[string]any{"version": 1, "phone": "12345"}); st != 422 || errField(b, "field") != "phone" {
			t.Fatalf("bad phone: %d %v", st, b)
		}
		if st, b = v.do("graduate", "PATCH", own, map[string]any{"version": 1, "consent": false}); st != 200 || b["consent"] != false || b["version"].(float64) != 2 {
			t.Fatalf("own edit: %d %v", st, b)
		}
		if st, _ = v.do("graduate", "PATCH", other, map[string]any{"version": 1, "name": "改名"}); st != 404 {
			t.Fatalf("edit another graduate: %d", st)
		}
		if st, _ = v.do("graduate", "GET", other, nil); st != 404 {
			t.Fatalf("read another graduate: %d", st)
		}
		if st, _ = v.do("enterprise", "GET", own, nil); st != 404 {
			t.Fatalf("after consent withdrawn, entA still reads the graduate: %d", st)
		}

		// Programme: graduate (choices A then B) took A; grad2 (A only) is
		// out-ranked? Both have the same score; the earlier registration
		// wins, so grad2 is unmatched with a reason. grad3 took B.
		prog := fmt.Sprintf("/api/v1/programmes/%d", v.ids["programme"])
		_, b = v.do("admin", "GET", prog+"/match", nil)
		placed := map[string]string{}
		for _, r := range b["results"].([]any) {
			m := r.(map[string]any)
			placed[m["graduate_name"].(string)] = str(m["enterprise_name"]) + "|" + str(m["reason"])
		}
		if placed["学生graduate"] != "entA公司|" || placed["学生grad3"] != "entB公司|" || placed["学生grad2"] == "" || b["blocking_pairs"].(float64) != 0 {
			t.Fatalf("first run: %v", placed)
		}
		// The graduate withdraws; after a re-run grad2 gets entA.
		if st, _ = v.do("graduate", "POST", prog+"/withdraw", map[string]any{}); st != 204 {
			t.Fatalf("withdraw: %d", st)
		}
		if st, b = v.do("dispatcher", "POST", prog+"/match", nil); st != 201 || b["blocking_pairs"].(float64) != 0 {
			t.Fatalf("re-run: %d %v", st, b)
		}
		placed = map[string]string{}
		for _, r := range b["results"].([]any) {
			m := r.(map[string]any)
			placed[m["graduate_name"].(string)] = str(m["enterprise_name"]) + "|" + str(m["reason"])
		}
		if placed["学生grad2"] != "entA公司|" || placed["学生graduate"] != "|已退出项目" || placed["学生grad3"] != "entB公司|" {
			t.Fatalf("re-run after withdrawal: %v", placed)
		}
		// Not yet published: the graduate sees no result of the new run
		// but still the published one.
		if _, b = v.do("graduate", "GET", prog+"/match", nil); len(b["results"].([]any)) != 1 {
			t.Fatalf("graduate result: %v", b)
		}
	})
}

func str(v any) string {
	s, _ := v.(string)
	return s
}
