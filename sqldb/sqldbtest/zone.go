package sqldbtest

import (
	"context"
	"crypto/sha256"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"zhagen"
	"zhagen/sla"
	"zhagen/sqldb"
)

// ZoneInternalNote is the internal progress note on demand A.
const ZoneInternalNote = "内部进展A仅政府可见"

// ZonePassword is the password of every user of a Zone.
const ZonePassword = "Zone@2026pass"

// Open311 api_keys of the zone's two intake channels.
const (
	ZoneKeyA = "zone-channel-a-0123456789"
	ZoneKeyB = "zone-channel-b-0123456789"
)

// Zone is a seeded zone for authorization tests, the same on every
// engine. Its department tree is
//
//	管委会 (root: the dispatcher and the leader)
//	├── 经济发展局 (edb: staff, cadre)
//	│   └── 企业服务科 (unit: unitstaff)
//	├── 住房和建设局 (build: buildstaff, cadre2)
//	└── 人事人才公共服务中心 (talent: talentstaff)
//
// and every kind of record exists on two sides: side A belongs to
// enterprise A (user ent), is led or owned by edb, served by cadre (linked
// to A) and filed through intake channel A, which is publicly readable;
// side B belongs to enterprise
// B (ent2), build, cadre2 and channel B. A few records more sit where the
// tree matters: a demand led by unit, one led by the root, a problem raised
// on each project. IDs holds every id by key ("user:staff", "demand:A",
// "file:visitB", …); Actors are the users as the services see them.
type Zone struct {
	DB    *sqldb.DB
	Clock *zhagen.FixedClock
	Cal   *sla.Calendar
	Sys   context.Context // the system actor

	Enterprises    *sqldb.EnterpriseService
	Departments    *sqldb.DepartmentService
	Users          *sqldb.UserService
	Auth           *sqldb.AuthService
	Logs           *sqldb.LogService
	Demands        *sqldb.DemandService
	Files          *sqldb.FileService
	Categories     *sqldb.CategoryService
	Notifications  *sqldb.NotificationService
	Calendar       *sqldb.CalendarService
	Linkages       *sqldb.LinkageService
	Talent         *sqldb.TalentService
	Consultations  *sqldb.ConsultationService
	Projects       *sqldb.ProjectService
	Rates          *sqldb.RatesService
	Intake         *sqldb.IntakeService
	Supervision    *sqldb.SupervisionService
	Knowledge      *sqldb.KnowledgeService
	FollowUps      *sqldb.FollowUpService
	ReplyTemplates *sqldb.ReplyTemplateService
	Policies       *sqldb.PolicyService

	IDs    map[string]int64
	Actors map[string]*zhagen.Actor // by login
	t      testing.TB
}

// ZoneLogins are the users of a Zone.
var ZoneLogins = []string{"admin", "disp", "leader", "staff", "unitstaff", "buildstaff", "talentstaff",
	"cadre", "cadre2", "ent", "ent2", "grad", "grad2"}

// NewZone opens a database of the engine and seeds the zone.
func NewZone(tb testing.TB, e Engine) *Zone {
	tb.Helper()
	clock := &zhagen.FixedClock{T: time.Date(2026, 11, 2, 9, 30, 0, 0, zhagen.Shanghai)}
	db := e.Open(tb, clock)
	cal, err := sla.NewCalendar(sla.Config{})
	if err != nil {
		tb.Fatal(err)
	}
	z := &Zone{DB: db, Clock: clock, Cal: cal, t: tb,
		Sys:         zhagen.NewContextWithActor(context.Background(), zhagen.SystemActor()),
		Enterprises: sqldb.NewEnterpriseService(db), Departments: sqldb.NewDepartmentService(db),
		Users: sqldb.NewUserService(db), Auth: sqldb.NewAuthService(db), Logs: sqldb.NewLogService(db),
		Demands: sqldb.NewDemandService(db, cal), Files: sqldb.NewFileService(db), Categories: sqldb.NewCategoryService(db),
		Notifications: sqldb.NewNotificationService(db), Calendar: sqldb.NewCalendarService(db),
		Talent: sqldb.NewTalentService(db), Consultations: sqldb.NewConsultationService(db, cal),
		Projects: sqldb.NewProjectService(db, cal), Rates: sqldb.NewRatesService(db), Intake: sqldb.NewIntakeService(db),
		IDs: map[string]int64{}, Actors: map[string]*zhagen.Actor{}}
	z.Linkages = sqldb.NewLinkageService(db, z.Demands)
	z.Supervision = sqldb.NewSupervisionService(db, cal)
	z.Knowledge = sqldb.NewKnowledgeService(db, z.Demands)
	z.Policies = sqldb.NewPolicyService(db, cal)
	z.FollowUps, z.ReplyTemplates = sqldb.NewFollowUpService(db, z.Demands), sqldb.NewReplyTemplateService(db)
	z.IDs["missing"] = 987654321 // an id no record has
	z.seed()
	Drain(tb, db, clock)
	// A message of the enterprise user and one of edb's staff.
	for _, login := range []string{"ent", "staff"} {
		ns, _, err := z.Notifications.FindNotifications(z.As(login), false, 1)
		z.must(err, "notifications of "+login)
		if len(ns) == 0 {
			tb.Fatalf("zone: no message for %s", login)
		}
		z.IDs["notification:"+login] = ns[0].ID
	}
	return z
}

func (z *Zone) must(err error, what string) {
	z.t.Helper()
	if err != nil {
		z.t.Fatalf("zone: %s: %v", what, err)
	}
}

// ID returns the id of key, failing the test for an unknown key.
func (z *Zone) ID(key string) int64 {
	z.t.Helper()
	id, ok := z.IDs[key]
	if !ok {
		z.t.Fatalf("zone: no id %q", key)
	}
	return id
}

// As returns a context acting as the user login.
func (z *Zone) As(login string) context.Context {
	z.t.Helper()
	a, ok := z.Actors[login]
	if !ok {
		z.t.Fatalf("zone: no user %q", login)
	}
	return zhagen.NewContextWithActor(context.Background(), a)
}

func (z *Zone) seed() {
	sys := z.Sys
	dept := func(key, name string, kind zhagen.DeptKind, parent string) {
		d := &zhagen.Department{Name: name, Kind: kind, ParentID: z.IDs["dept:"+parent]}
		z.must(z.Departments.CreateDepartment(sys, d), "department "+name)
		z.IDs["dept:"+key] = d.ID
	}
	dept("root", "管委会", zhagen.DeptGov, "")
	dept("edb", "经济发展局", zhagen.DeptGov, "root")
	dept("unit", "企业服务科", zhagen.DeptGov, "edb")
	dept("build", "住房和建设局", zhagen.DeptGov, "root")
	dept("talent", "人事人才公共服务中心", zhagen.DeptGov, "root")
	dept("university", "福州大学", zhagen.DeptUniversity, "")

	ind, err := z.Enterprises.CreateIndustry(sys, "测试行业")
	z.must(err, "industry")
	z.IDs["industry"] = ind.ID
	for side, serial := range map[string]string{"A": "0000001", "B": "0000002"} {
		body := "91350100MA" + serial
		c, _ := zhagen.USCCCheckChar(body)
		en := &zhagen.Enterprise{Name: "企业" + side + "微电子有限公司", USCC: body + string(c), Industry: "集成电路", Park: "园区" + side,
			Contacts: []zhagen.Contact{{Name: "联系人" + side, Phone: "1380000000" + map[string]string{"A": "1", "B": "2"}[side]}}}
		z.must(z.Enterprises.CreateEnterprise(sys, en), "enterprise "+side)
		z.IDs["ent:"+side] = en.ID
	}

	users := []struct {
		login string
		role  zhagen.Role
		dept  string
		ent   string
	}{
		{"admin", zhagen.RoleAdmin, "", ""}, {"disp", zhagen.RoleDispatcher, "root", ""}, {"leader", zhagen.RoleLeader, "root", ""},
		{"staff", zhagen.RoleStaff, "edb", ""}, {"unitstaff", zhagen.RoleStaff, "unit", ""}, {"buildstaff", zhagen.RoleStaff, "build", ""},
		{"talentstaff", zhagen.RoleStaff, "talent", ""}, {"cadre", zhagen.RoleCadre, "edb", ""}, {"cadre2", zhagen.RoleCadre, "build", ""},
		{"ent", zhagen.RoleEnterprise, "", "A"}, {"ent2", zhagen.RoleEnterprise, "", "B"}, {"grad", zhagen.RoleGraduate, "", ""}, {"grad2", zhagen.RoleGraduate, "", ""},
	}
	for _, u := range users {
		rec := &zhagen.User{Login: u.login, Name: "用户" + u.login, Roles: []zhagen.Role{u.role}, Password: ZonePassword}
		if u.dept != "" {
			rec.DeptID = z.IDs["dept:"+u.dept]
		}
		if u.ent != "" {
			rec.EnterpriseID = z.IDs["ent:"+u.ent]
		}
		z.must(z.Users.CreateUser(sys, rec), "user "+u.login)
		z.IDs["user:"+u.login] = rec.ID
		tok, err := z.Auth.CreateToken(sys, rec.ID, "zone", 0)
		z.must(err, "token "+u.login)
		z.IDs["token:"+u.login] = tok.ID
		a, err := z.Auth.ActorByToken(context.Background(), tok.Token)
		z.must(err, "actor "+u.login)
		z.Actors[u.login] = a
	}

	// Linkages: cadre to A, cadre2 to B.
	for side, cadre := range map[string]string{"A": "cadre", "B": "cadre2"} {
		l := &zhagen.Linkage{CadreID: z.IDs["user:"+cadre], EnterpriseID: z.IDs["ent:"+side], Role: zhagen.LinkContact}
		z.must(z.Linkages.CreateLinkage(sys, l), "linkage "+side)
		z.IDs["linkage:"+side] = l.ID
	}

	// The demand catalogue: power is led by edb, building by build.
	for side, c := range map[string]struct{ code, name, dept string }{"A": {"power", "用电保障", "edb"}, "B": {"building", "工程建设", "build"}} {
		cat := &zhagen.Category{Code: c.code, Name: c.name, Group: "要素保障", LeadDeptID: z.IDs["dept:"+c.dept],
			Questions: []zhagen.Question{{Code: "load_kw", Label: "用电负荷", Type: zhagen.QNumber}}}
		z.must(z.Categories.CreateCategory(sys, cat), "category "+c.code)
		z.IDs["category:"+side] = cat.ID
	}
	file := func(key, login string, d *zhagen.Demand) {
		ctx := sys
		if login != "" {
			ctx = z.As(login)
		}
		z.must(z.Demands.CreateDemand(ctx, d, ""), "demand "+key)
		z.IDs["demand:"+key] = d.ID
	}
	file("A", "ent", &zhagen.Demand{EnterpriseID: z.IDs["ent:A"], CategoryID: z.IDs["category:A"], Title: "诉求A双回路供电", Description: "描述A：生产扩能需要"})
	file("B", "ent2", &zhagen.Demand{EnterpriseID: z.IDs["ent:B"], CategoryID: z.IDs["category:B"], Title: "诉求B厂房报建", Description: "描述B：厂房二期"})
	file("unit", "", &zhagen.Demand{EnterpriseID: z.IDs["ent:A"], CategoryID: z.IDs["category:A"], Title: "诉求U科室主办", Description: "描述U"})
	file("root", "", &zhagen.Demand{EnterpriseID: z.IDs["ent:B"], CategoryID: z.IDs["category:B"], Title: "诉求R管委会主办", Description: "描述R"})
	for key, dept := range map[string]string{"unit": "unit", "root": "root"} {
		_, err := z.Demands.Transition(sys, z.IDs["demand:"+key], zhagen.Transition{Action: zhagen.ActAssign, LeadDeptID: z.IDs["dept:"+dept]})
		z.must(err, "assign demand "+key)
	}
	// edb accepts demand A and notes internal progress, which its
	// enterprise does not read.
	_, err = z.Demands.Transition(z.As("staff"), z.IDs["demand:A"], zhagen.Transition{Action: zhagen.ActAccept})
	z.must(err, "accept demand A")
	_, err = z.Demands.Transition(z.As("staff"), z.IDs["demand:A"], zhagen.Transition{Action: zhagen.ActUpdate, Note: ZoneInternalNote, Public: ptr(false)})
	z.must(err, "internal note on demand A")
	for side, login := range map[string]string{"A": "ent", "B": "ent2"} {
		f, err := z.Files.AddFile(z.As(login), zhagen.DemandFiles(z.IDs["demand:"+side]), "附件"+side+".pdf", []byte("%PDF-1.7 附件"+side))
		z.must(err, "demand file "+side)
		z.IDs["file:demand"+side] = f.ID
	}

	// Visits: each cadre logs a visit to its enterprise that raises a
	// red flag, with a photo; a planned visit of A.
	rules, err := z.Linkages.FindRedFlagRules(sys)
	z.must(err, "red-flag rules")
	for _, r := range rules {
		if r.Field == "plans_relocate" && r.Active {
			z.IDs["rule"] = r.ID
		}
	}
	if z.IDs["rule"] == 0 {
		rule := &zhagen.RedFlagRule{Field: "plans_relocate", Op: "=", Threshold: "true", Reason: "拟外迁", Active: true}
		z.must(z.Linkages.CreateRedFlagRule(sys, rule), "red-flag rule")
		z.IDs["rule"] = rule.ID
	}
	for side, cadre := range map[string]string{"A": "cadre", "B": "cadre2"} {
		v := &zhagen.Visit{EnterpriseID: z.IDs["ent:"+side], Status: zhagen.VisitLogged, Date: "2026-11-01", Kind: zhagen.VisitOnSite,
			Topics: "走访" + side, PublicNotes: "公开记录" + side, InternalNotes: "内部记录" + side, Findings: "发现" + side,
			Situation: &zhagen.Situation{PlansRelocate: true}}
		z.must(z.Linkages.CreateVisit(z.As(cadre), v), "visit "+side)
		z.IDs["visit:"+side] = v.ID
		f, err := z.Files.AddFile(z.As(cadre), zhagen.VisitFiles(v.ID), "照片"+side+".pdf", []byte("%PDF-1.7 照片"+side))
		z.must(err, "visit file "+side)
		z.IDs["file:visit"+side] = f.ID
		flags, err := z.Linkages.FindRedFlags(sys, true, z.IDs["ent:"+side])
		z.must(err, "red flags "+side)
		if len(flags) == 0 {
			z.t.Fatalf("zone: no red flag of %s", side)
		}
		z.IDs["redflag:"+side] = flags[0].ID
	}
	// A visit cadre plans to A: not yet the enterprise's business.
	planned := &zhagen.Visit{EnterpriseID: z.IDs["ent:A"], Status: zhagen.VisitPlanned, Date: "2026-11-20", Kind: zhagen.VisitOnSite, Topics: "计划走访A"}
	z.must(z.Linkages.CreateVisit(z.As("cadre"), planned), "planned visit")
	z.IDs["visit:Aplanned"] = planned.ID
	sg, err := z.Linkages.RunSuggestion(sys, zhagen.SuggestionParams{})
	z.must(err, "suggestion")
	z.IDs["suggestion"] = sg.ID

	// Key projects: A owned by enterprise A with cadre as liaison, B by
	// enterprise B with cadre2, D by the department edb; A and B have a
	// milestone and an approval that edb (A) or build (B) decides.
	for side, o := range map[string]struct{ ent, dept, cadre string }{"A": {"A", "", "cadre"}, "B": {"B", "", "cadre2"}, "D": {"", "edb", ""}} {
		p := &zhagen.Project{Name: "项目" + side + "二期厂房", Level: zhagen.LevelMunicipal, OwnerDeptID: z.IDs["dept:"+o.dept],
			OwnerEnterpriseID: z.IDs["ent:"+o.ent], LiaisonID: z.IDs["user:"+o.cadre], Status: zhagen.ProjectBuilding, Industry: "集成电路"}
		z.must(z.Projects.CreateProject(sys, p), "project "+side)
		z.IDs["project:"+side] = p.ID
		m := &zhagen.Milestone{ProjectID: p.ID, Name: "主体封顶" + side, PlannedStart: z.Clock.T.AddDate(0, -1, 0), PlannedEnd: z.Clock.T.AddDate(0, 2, 0)}
		z.must(z.Projects.SaveMilestone(sys, m), "milestone "+side)
		z.IDs["milestone:"+side] = m.ID
	}
	for side, dept := range map[string]string{"A": "edb", "B": "build"} {
		x := &zhagen.Approval{ProjectID: z.IDs["project:"+side], Kind: zhagen.ApprovalConstruction, DeptID: z.IDs["dept:"+dept]}
		z.must(z.Projects.FileApproval(sys, x), "approval "+side)
		z.IDs["approval:"+side] = x.ID
	}

	// Consultations: staff convenes A on project A inviting cadre and edb,
	// buildstaff convenes B on project B inviting build; each has an item
	// of its department done with evidence and one open.
	for side, o := range map[string]struct{ convener, dept, invitee string }{"A": {"staff", "edb", "cadre"}, "B": {"buildstaff", "build", "cadre2"}} {
		starts := z.Clock.T.Add(24 * time.Hour)
		c := &zhagen.Consultation{Kind: zhagen.KindProjectCoord, Title: "会商" + side + "推进会", StartsAt: &starts, Place: "会议室" + side,
			ProjectID: z.IDs["project:"+side], Agenda: "议程" + side,
			InviteDeptIDs: []int64{z.IDs["dept:"+o.dept]}, InviteUserIDs: []int64{z.IDs["user:"+o.invitee]}}
		z.must(z.Consultations.CreateConsultation(z.As(o.convener), c), "consultation "+side)
		z.IDs["consultation:"+side] = c.ID
		for _, k := range []string{"done", "open"} {
			it := &zhagen.ActionItem{ConsultationID: c.ID, Title: "事项" + side + k, OwnerDeptID: z.IDs["dept:"+o.dept], DueDays: 3}
			z.must(z.Consultations.AddActionItem(sys, it), "item "+side+k)
			z.IDs["item:"+side+k] = it.ID
		}
		done, err := z.Consultations.CompleteActionItem(sys, z.IDs["item:"+side+"done"],
			zhagen.ItemCompletion{Note: "已办" + side, FileName: "佐证" + side + ".pdf", File: []byte("%PDF-1.7 佐证" + side)})
		z.must(err, "complete item "+side)
		z.IDs["file:item"+side] = done.EvidenceFileID
	}

	// A problem raised on each project, led by build: on project A its
	// stakeholders (enterprise A, cadre, edb with its open item) see it only
	// as stakeholders.
	for _, side := range []string{"A", "B"} {
		file("problem"+side, "", &zhagen.Demand{ProjectID: z.IDs["project:"+side], CategoryID: z.IDs["category:B"],
			Title: "诉求P" + side + "项目问题", Description: "描述P" + side})
	}

	// Talent: a pending position and a survey of each enterprise, an
	// approved position of B, a university with a contact, a record of
	// each graduate (grad consents, grad2 not), a programme with a place at
	// each enterprise, and a service team of each cadre with a batch.
	for side := range map[string]bool{"A": true, "B": true} {
		pos := &zhagen.Position{EnterpriseID: z.IDs["ent:"+side], Kind: zhagen.PositionFullTime, Title: "岗位" + side + "工程师",
			Majors: []string{"微电子科学与工程"}, Number: 2, Place: "高新区"}
		z.must(z.Talent.CreatePosition(sys, pos), "position "+side)
		z.IDs["position:"+side] = pos.ID
		sv := &zhagen.Survey{EnterpriseID: z.IDs["ent:"+side], Period: "2026", Lines: []zhagen.SurveyLine{{Major: "微电子科学与工程", Count: 3, Difficulty: 2}}}
		z.must(z.Talent.SaveSurvey(sys, sv), "survey "+side)
		z.IDs["survey:"+side] = sv.ID
	}
	pub := &zhagen.Position{EnterpriseID: z.IDs["ent:B"], Kind: zhagen.PositionFullTime, Title: "公开岗位工程师", Majors: []string{"软件工程"}, Number: 1, Place: "高新区"}
	z.must(z.Talent.CreatePosition(sys, pub), "public position")
	_, err = z.Talent.ReviewPosition(sys, pub.ID, 0, true, "")
	z.must(err, "approve position")
	z.IDs["position:public"] = pub.ID
	uc := &zhagen.UniversityContact{UniversityID: z.IDs["dept:university"], Kind: zhagen.ContactCareer, Name: "王老师", Phone: "0591-22866000"}
	z.must(z.Talent.AddUniversityContact(sys, uc), "university contact")
	z.IDs["ucontact"] = uc.ID
	for side, g := range map[string]struct {
		login   string
		consent bool
	}{"A": {"grad", true}, "B": {"grad2", false}} {
		rec := &zhagen.Graduate{Name: "毕业生" + side, University: "福州大学", Major: "微电子科学与工程", Degree: zhagen.DegreeBachelor,
			GradYear: 2027, Phone: "1390000000" + map[string]string{"A": "1", "B": "2"}[side], Consent: g.consent}
		z.must(z.Talent.CreateGraduate(sys, rec, g.login), "graduate "+side)
		z.IDs["graduate:"+side] = rec.ID
	}
	prog := &zhagen.Programme{Name: "暑期实践计划", RegOpen: "2026-10-01", RegClose: "2026-12-31", MaxChoices: 3}
	z.must(z.Talent.CreateProgramme(sys, prog), "programme")
	z.IDs["programme"] = prog.ID
	for _, side := range []string{"A", "B"} {
		pp := &zhagen.ProgrammePosition{ProgrammeID: prog.ID, EnterpriseID: z.IDs["ent:"+side], Title: "实习生" + side,
			Majors: []string{"微电子科学与工程"}, Capacity: 1}
		z.must(z.Talent.AddProgrammePosition(sys, pp), "programme position "+side)
		z.IDs["pp:"+side] = pp.ID
	}
	for side, choices := range map[string][]int64{"A": {z.IDs["pp:A"], z.IDs["pp:B"]}, "B": {z.IDs["pp:A"]}} {
		z.must(z.Talent.SetChoices(sys, &zhagen.Application{ProgrammeID: prog.ID, GraduateID: z.IDs["graduate:"+side], PositionIDs: choices}), "choices "+side)
	}
	run, err := z.Talent.RunMatch(sys, prog.ID)
	z.must(err, "match")
	_, err = z.Talent.PublishMatch(sys, run.ID)
	z.must(err, "publish")
	for side, cadre := range map[string]string{"A": "cadre", "B": "cadre2"} {
		team := &zhagen.ServiceTeam{Name: "服务队" + side, Members: []zhagen.TeamMember{{UserID: z.IDs["user:"+cadre], Role: "队员"}}}
		z.must(z.Talent.CreateServiceTeam(sys, team), "team "+side)
		z.IDs["team:"+side] = team.ID
		b := &zhagen.TeamBatch{TeamID: team.ID, StartDate: "2026-11-01", EndDate: "2026-11-30", EnterpriseIDs: []int64{z.IDs["ent:"+side]}}
		z.must(z.Talent.AddTeamBatch(sys, b), "batch "+side)
		z.IDs["batch:"+side] = b.ID
	}

	// Open311: a channel of each side, each filing one demand.
	for side, key := range map[string]string{"A": ZoneKeyA, "B": ZoneKeyB} {
		ch, err := z.Intake.CreateIntakeChannel(sys, "渠道"+side, key)
		z.must(err, "channel "+side)
		z.IDs["channel:"+side] = ch.ID
		a, err := z.Intake.ActorByAPIKey(context.Background(), key)
		z.must(err, "channel actor "+side)
		d := &zhagen.Demand{Channel: zhagen.ChannelOpen311, CategoryID: z.IDs["category:"+side], Title: "渠道诉求" + side,
			Description: "渠道描述" + side, ContactPhone: "1370000000" + map[string]string{"A": "1", "B": "2"}[side], Address: "渠道地址" + side}
		z.must(z.Demands.CreateDemand(zhagen.NewContextWithActor(context.Background(), a), d, ""), "channel demand "+side)
		z.IDs["demand:channel"+side] = d.ID
	}
	// Channel A's requests are publicly readable (Open311 GETs without a
	// key see their public fields).
	_, err = z.Intake.SetIntakeChannelPublic(sys, z.IDs["channel:A"], true)
	z.must(err, "public channel")
	z.seedSupervision()
	z.seedFollowUps()
	z.seedKnowledge()
	z.seedPolicies()
}

// seedKnowledge writes two knowledge-base entries: A of edb, reviewed,
// and B of build, awaiting review.
func (z *Zone) seedKnowledge() {
	for _, key := range []string{"A", "B"} {
		dept := map[string]string{"A": "edb", "B": "build"}[key]
		e := &zhagen.KnowledgeEntry{Question: "知识问题" + key + "如何办理", Answer: "知识答复" + key, DeptID: z.IDs["dept:"+dept]}
		z.must(z.Knowledge.SaveEntry(z.Sys, e), "knowledge entry "+key)
		z.IDs["knowledge:"+key] = e.ID
		if key == "A" {
			_, err := z.Knowledge.ReviewEntry(z.Sys, e.ID, e.Version)
			z.must(err, "review entry A")
		}
	}
	tp := &zhagen.Topic{Title: "专题A", Month: "2026-11", LeadDeptID: z.IDs["dept:edb"], DemandIDs: []int64{z.IDs["demand:A"], z.IDs["demand:B"]}}
	z.must(z.Knowledge.AdoptTopic(z.Sys, tp), "topic A")
	z.IDs["topic:A"] = tp.ID
}

// seedPolicies gives enterprises A and B 120 employees and the tag 专精特新,
// publishes policy A (handled by edb) and policy B (handled by build),
// both for enterprises of at least 100 employees, and files application
// A (enterprise A on policy A) and B (enterprise B on policy B).
func (z *Zone) seedPolicies() {
	tag := &zhagen.Tag{Name: "专精特新"}
	z.must(z.Policies.CreateTag(z.Sys, tag), "tag")
	z.IDs["tag:A"] = tag.ID
	for _, side := range []string{"A", "B"} {
		ent := z.IDs["ent:"+side]
		z.must(z.Policies.SetEnterpriseAttrs(z.Sys, &zhagen.EnterpriseAttrs{EnterpriseID: ent, Employees: 120}), "attrs "+side)
		z.must(z.Policies.SetEnterpriseTags(z.Sys, ent, []string{"专精特新"}), "tags "+side)
	}
	for side, dept := range map[string]string{"A": "dept:edb", "B": "dept:build"} {
		p := &zhagen.Policy{Title: "政策" + side, Category: zhagen.PolicyIndustry, IssuerDeptID: z.IDs[dept], HandlerDeptID: z.IDs[dept],
			Summary: "摘要" + side, ValidFrom: "2026-01-01", BenefitType: zhagen.BenefitSubsidy,
			Rules: []zhagen.PolicyRule{{Attr: zhagen.AttrEmployees, Op: zhagen.OpGE, Value: "100"}}}
		z.must(z.Policies.CreatePolicy(z.Sys, p), "policy "+side)
		_, err := z.Policies.PublishPolicy(z.Sys, p.ID, p.Version)
		z.must(err, "publish "+side)
		z.IDs["policy:"+side] = p.ID
		a, err := z.Policies.Apply(z.Sys, zhagen.AppInput{PolicyID: p.ID, EnterpriseID: z.IDs["ent:"+side], Requested: 1000})
		z.must(err, "application "+side)
		z.IDs["policyapp:"+side] = a.ID
	}
}

// seedSupervision raises three supervision orders: A on demand A to edb
// (by the dispatcher), B on demand B to build (by the leader), unit on
// the unit's demand to the unit (by the dispatcher).
func (z *Zone) seedSupervision() {
	for _, kb := range [][2]string{{"A", "disp"}, {"B", "leader"}, {"unit", "disp"}} {
		key, by := kb[0], kb[1]
		o := &zhagen.SupervisionOrder{SubjectKind: zhagen.SubjectDemand, SubjectID: z.IDs["demand:"+key], Requirement: "督办要求" + key}
		z.must(z.Supervision.RaiseSupervision(z.As(by), o), "supervision order "+key)
		z.IDs["supervision:"+key] = o.ID
	}
}

// seedFollowUps makes a follow-up on each side — demand followA of A,
// led by edb, rated and closed; demand followB of B, led by build,
// withdrawn — and reply templates: edb's (side A), build's (side B)
// and one shared by the zone.
func (z *Zone) seedFollowUps() {
	sys := z.Sys
	for side, ent := range map[string]string{"A": "ent", "B": "ent2"} {
		d := &zhagen.Demand{EnterpriseID: z.IDs["ent:"+side], CategoryID: z.IDs["category:"+side], Title: "回访诉求" + side, Description: "回访描述" + side}
		z.must(z.Demands.CreateDemand(z.As(ent), d, ""), "follow-up demand "+side)
		z.IDs["demand:follow"+side] = d.ID
	}
	step := func(login, key string, t zhagen.Transition) {
		_, err := z.Demands.Transition(z.As(login), z.IDs["demand:"+key], t)
		z.must(err, fmt.Sprintf("%s on %s", t.Action, key))
	}
	step("staff", "followA", zhagen.Transition{Action: zhagen.ActAccept})
	step("staff", "followA", zhagen.Transition{Action: zhagen.ActResolve, Resolution: "已协调供电公司完成线路改造并书面答复企业"})
	step("ent", "followA", zhagen.Transition{Action: zhagen.ActRate, Rating: zhagen.RatingSatisfied, Solved: ptr(true)})
	step("ent2", "followB", zhagen.Transition{Action: zhagen.ActWithdraw})
	for _, side := range []string{"A", "B"} {
		fs, _, err := z.FollowUps.FindFollowUps(sys, zhagen.FollowUpFilter{DemandID: z.IDs["demand:follow"+side]})
		z.must(err, "follow-ups "+side)
		if len(fs) != 1 {
			z.t.Fatalf("zone: %d follow-ups of demand follow%s, want 1", len(fs), side)
		}
		z.IDs["followup:"+side] = fs[0].ID
	}
	for key, dept := range map[string]string{"A": "edb", "B": "build", "shared": ""} {
		t := &zhagen.ReplyTemplate{Title: "模板" + key, Body: "{企业名称}：您反映的诉求{诉求编号}已办理" + key, DeptID: z.IDs["dept:"+dept]}
		if key != "shared" {
			t.CategoryID = z.IDs["category:"+key]
		}
		z.must(z.ReplyTemplates.CreateReplyTemplate(sys, t), "reply template "+key)
		z.IDs["reply:"+key] = t.ID
	}
}

// Linked reports whether a is a cadre actively linked to enterprise.
func (z *Zone) Linked(a *zhagen.Actor, enterprise int64) bool {
	z.t.Helper()
	if a == nil || !a.Has(zhagen.RoleCadre) || enterprise == 0 {
		return false
	}
	ls, _, err := z.Linkages.FindLinkages(z.Sys, zhagen.LinkageFilter{CadreID: a.UserID, EnterpriseID: enterprise, Active: ptr(true), Limit: 1})
	z.must(err, "linked")
	return len(ls) > 0
}

func ptr[T any](v T) *T { return &v }

// itemDepts are the departments with open action items on project p.
func (z *Zone) itemDepts(p int64) []int64 {
	z.t.Helper()
	items, _, err := z.Consultations.FindActionItems(z.Sys, zhagen.ActionItemFilter{ProjectID: p, Pending: true, Limit: 1000})
	z.must(err, "items of a project")
	var out []int64
	for _, it := range items {
		if !slices.Contains(out, it.OwnerDeptID) {
			out = append(out, it.OwnerDeptID)
		}
	}
	return out
}

// channelOf is the intake channel that filed demand id, from the zone's
// own records (0 for the others).
func (z *Zone) channelOf(id int64) int64 {
	for _, side := range []string{"A", "B"} {
		if z.IDs["demand:channel"+side] == id {
			return z.IDs["channel:"+side]
		}
	}
	return 0
}

// Facts returns the ownership facts of the record kind/id as actor a
// stands to it, loaded as the system: the facts the policy decides on.
// Kinds: demand, enterprise, visit, linkage, redflag, project, approval,
// milestone (its project's), consultation, item, position, survey,
// graduate, pp (programme position), team, batch (its team's), user,
// token (its user's), file (its owner's, with the owner's view
// permission from FileView).
func (z *Zone) Facts(a *zhagen.Actor, kind string, id int64) zhagen.Facts {
	z.t.Helper()
	sys := z.Sys
	switch kind {
	case "demand":
		d, err := z.Demands.FindDemandByID(sys, id)
		z.must(err, fmt.Sprint("demand ", id))
		f := zhagen.DemandFacts(d, z.Linked(a, d.EnterpriseID), z.channelOf(id))
		if d.ProjectID != 0 {
			p, err := z.Projects.FindProjectByID(sys, d.ProjectID)
			z.must(err, "project of a demand")
			f.Stakeholder = zhagen.ProjectStakeholder(a, p, z.itemDepts(p.ID))
		}
		return f
	case "enterprise":
		return zhagen.Facts{EnterpriseID: id, Linked: z.Linked(a, id)}
	case "visit":
		v, err := z.Linkages.FindVisitByID(sys, id)
		z.must(err, "visit")
		return zhagen.VisitFacts(v, z.deptOf(v.CadreID), z.Linked(a, v.EnterpriseID))
	case "linkage":
		ls, _, err := z.Linkages.FindLinkages(sys, zhagen.LinkageFilter{Limit: 1000})
		z.must(err, "linkages")
		for _, l := range ls {
			if l.ID == id {
				return zhagen.LinkageFacts(l, z.Linked(a, l.EnterpriseID))
			}
		}
		z.t.Fatalf("zone: no linkage %d", id)
	case "redflag":
		fs, err := z.Linkages.FindRedFlags(sys, false, 0)
		z.must(err, "red flags")
		for _, f := range fs {
			if f.ID == id {
				return zhagen.RedFlagFacts(f, z.Linked(a, f.EnterpriseID))
			}
		}
		z.t.Fatalf("zone: no red flag %d", id)
	case "project":
		p, err := z.Projects.FindProjectByID(sys, id)
		z.must(err, "project")
		return zhagen.ProjectFacts(p, z.itemDepts(id))
	case "milestone":
		for _, side := range []string{"A", "B", "D"} {
			if z.IDs["milestone:"+side] == id {
				return z.Facts(a, "project", z.IDs["project:"+side])
			}
		}
		z.t.Fatalf("zone: no milestone %d", id)
	case "policy":
		p, err := z.Policies.FindPolicy(sys, id)
		z.must(err, "policy")
		return p.Facts()
	case "policyapp":
		ap, err := z.Policies.FindApplication(sys, id)
		z.must(err, "policy application")
		f := ap.Facts()
		f.Linked = z.Linked(a, ap.EnterpriseID)
		return f
	case "supervision":
		o, err := z.Supervision.FindSupervision(sys, id)
		z.must(err, "supervision order")
		return o.Facts()
	case "approval":
		x, err := z.Projects.FindApprovalByID(sys, id)
		z.must(err, "approval")
		p, err := z.Projects.FindProjectByID(sys, x.ProjectID)
		z.must(err, "project of an approval")
		return zhagen.ApprovalFacts(x, p)
	case "consultation":
		c, err := z.Consultations.FindConsultationByID(sys, id)
		z.must(err, "consultation")
		var projectEnt int64
		if c.ProjectID != 0 {
			p, err := z.Projects.FindProjectByID(sys, c.ProjectID)
			z.must(err, "project of a consultation")
			projectEnt = p.OwnerEnterpriseID
		}
		var ents, depts []int64
		for _, did := range c.DemandIDs {
			d, err := z.Demands.FindDemandByID(sys, did)
			z.must(err, "demand of a consultation")
			ents = append(ents, d.EnterpriseID)
			depts = append(append(depts, d.LeadDeptID), d.CoopDeptIDs...)
		}
		return zhagen.ConsultationFacts(c, projectEnt, ents, depts)
	case "item":
		it, err := z.Consultations.FindActionItemByID(sys, id)
		z.must(err, "item")
		c, err := z.Consultations.FindConsultationByID(sys, it.ConsultationID)
		z.must(err, "consultation of an item")
		return zhagen.ItemFacts(it, c)
	case "position":
		p, err := z.Talent.FindPositionByID(sys, id)
		z.must(err, "position")
		return zhagen.PositionFacts(p)
	case "survey":
		s, err := z.Talent.FindSurveyByID(sys, id)
		z.must(err, "survey")
		return zhagen.SurveyFacts(s)
	case "graduate":
		g, err := z.Talent.FindGraduateByID(sys, id)
		z.must(err, "graduate")
		return zhagen.GraduateFacts(g, z.appliedTo(g.ID))
	case "pp":
		pp, err := z.Talent.FindProgrammePosition(sys, id)
		z.must(err, "programme position")
		return zhagen.ProgrammePositionFacts(pp)
	case "team":
		t, err := z.Talent.FindServiceTeamByID(sys, id)
		z.must(err, "team")
		return zhagen.TeamFacts(t)
	case "batch":
		for _, side := range []string{"A", "B"} {
			if z.IDs["batch:"+side] == id {
				return z.Facts(a, "team", z.IDs["team:"+side])
			}
		}
		z.t.Fatalf("zone: no batch %d", id)
	case "user":
		u, err := z.Users.FindUserByID(sys, id)
		z.must(err, "user")
		return zhagen.Facts{DeptID: u.DeptID, UserID: u.ID}
	case "file":
		kind, owner := z.FileOwner(id)
		return z.Facts(a, kind, owner)
	case "followup":
		f, err := z.FollowUps.FindFollowUpByID(sys, id)
		z.must(err, "follow-up")
		return zhagen.FollowUpFacts(f)
	case "topic":
		return zhagen.Facts{DeptID: z.IDs["dept:edb"]} // the one topic, led by edb
	case "knowledge":
		e, err := z.Knowledge.FindEntry(sys, id)
		z.must(err, "knowledge entry")
		return zhagen.Facts{DeptID: e.DeptID}
	case "reply":
		t, err := z.ReplyTemplates.FindReplyTemplateByID(sys, id)
		z.must(err, "reply template")
		return zhagen.ReplyTemplateFacts(t)
	case "token":
		for _, login := range ZoneLogins {
			if z.IDs["token:"+login] == id {
				return zhagen.Facts{UserID: z.IDs["user:"+login]}
			}
		}
		z.t.Fatalf("zone: no token %d", id)
	case "programme":
		return zhagen.Facts{} // programmes are open to every role that may view them
	}
	z.t.Fatalf("zone: Facts of an unknown kind %q", kind)
	return zhagen.Facts{}
}

// FileOwner returns the kind ("demand", "visit", "item") and id of the
// owner of the zone's file id.
func (z *Zone) FileOwner(id int64) (kind string, owner int64) {
	z.t.Helper()
	for _, side := range []string{"A", "B"} {
		switch id {
		case z.IDs["file:demand"+side]:
			return "demand", z.IDs["demand:"+side]
		case z.IDs["file:visit"+side]:
			return "visit", z.IDs["visit:"+side]
		case z.IDs["file:item"+side]:
			return "item", z.IDs["item:"+side+"done"]
		}
	}
	z.t.Fatalf("zone: file %d is not the zone's", id)
	return "", 0
}

// FileView is the permission that lets one download a file of an owner
// of the kind: the owner's view permission (a visit's files are its
// internal part).
func FileView(kind string) zhagen.Perm {
	switch kind {
	case "demand":
		return zhagen.PermDemandView
	case "visit":
		return zhagen.PermVisitInternal
	case "item":
		return zhagen.PermItemView
	}
	panic("sqldbtest: no file owner kind " + kind)
}

// deptOf is the department of user id.
func (z *Zone) deptOf(id int64) int64 {
	u, err := z.Users.FindUserByID(z.Sys, id)
	z.must(err, "user")
	return u.DeptID
}

// appliedTo are the enterprises whose programme positions graduate g
// applied to.
func (z *Zone) appliedTo(g int64) []int64 {
	app, err := z.Talent.FindApplication(z.Sys, z.IDs["programme"], g)
	if zhagen.ErrorCode(err) == zhagen.ENOTFOUND {
		return nil
	}
	z.must(err, "application")
	var out []int64
	for _, pid := range app.PositionIDs {
		pp, err := z.Talent.FindProgrammePosition(z.Sys, pid)
		z.must(err, "programme position")
		if !slices.Contains(out, pp.EnterpriseID) {
			out = append(out, pp.EnterpriseID)
		}
	}
	return out
}

// Digest is a hash of every table a refused request must leave alone:
// all but the logs, sessions, tokens and the scheduler's ticks, which
// refusals and reads may write.
func (z *Zone) Digest() string {
	z.t.Helper()
	db := z.DB.SQL()
	q := "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
	if z.DB.IsPostgres() {
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
	}
	rows, err := db.Query(q)
	z.must(err, "tables")
	var tables []string
	for rows.Next() {
		var s string
		z.must(rows.Scan(&s), "tables")
		tables = append(tables, s)
	}
	rows.Close()
	sort.Strings(tables)
	skip := []string{"op_logs", "login_logs", "sessions", "api_tokens", "job_ticks", "schema_migrations"}
	h := sha256.New()
	for _, tb := range tables {
		if slices.Contains(skip, tb) {
			continue
		}
		rows, err := db.Query("SELECT * FROM " + tb)
		z.must(err, "digest "+tb)
		cols, _ := rows.Columns()
		var lines []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			z.must(rows.Scan(ptrs...), "digest "+tb)
			lines = append(lines, fmt.Sprintf("%v", vals))
		}
		rows.Close()
		sort.Strings(lines)
		fmt.Fprintf(h, "%s:%d:%s\n", tb, len(lines), strings.Join(lines, "\n"))
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

// Mention is a text of one zone record that an answer may hold only for
// those who may see the record through See.
type Mention struct {
	Text      string
	Kind, Key string
	See       zhagen.Perm
}

// Mentions are the distinctive texts of the zone's records: demand
// titles, enterprise, project, pending position and graduate names,
// consultation and action item titles, visit topics and internal notes.
func (z *Zone) Mentions() []Mention {
	z.t.Helper()
	var out []Mention
	add := func(text, kind, key string, see zhagen.Perm) {
		out = append(out, Mention{Text: text, Kind: kind, Key: key, See: see})
	}
	for k, id := range z.IDs {
		kind, _, _ := strings.Cut(k, ":")
		switch kind {
		case "demand":
			d, err := z.Demands.FindDemandByID(z.Sys, id)
			z.must(err, k)
			add(d.Title, "demand", k, zhagen.PermDemandView)
			if k == "demand:A" {
				add(ZoneInternalNote, "demand", k, zhagen.PermDemandInternal)
			}
		case "project":
			p, err := z.Projects.FindProjectByID(z.Sys, id)
			z.must(err, k)
			add(p.Name, "project", k, zhagen.PermProjectView)
		case "consultation":
			c, err := z.Consultations.FindConsultationByID(z.Sys, id)
			z.must(err, k)
			add(c.Title, "consultation", k, zhagen.PermConsultationView)
		case "item":
			it, err := z.Consultations.FindActionItemByID(z.Sys, id)
			z.must(err, k)
			add(it.Title, "item", k, zhagen.PermItemView)
		case "visit":
			v, err := z.Linkages.FindVisitByID(z.Sys, id)
			z.must(err, k)
			add(v.Topics, "visit", k, zhagen.PermVisitView)
			if v.InternalNotes != "" {
				add(v.InternalNotes, "visit", k, zhagen.PermVisitInternal)
			}
		case "position":
			if k == "position:public" {
				continue // on the public job board
			}
			p, err := z.Talent.FindPositionByID(z.Sys, id)
			z.must(err, k)
			add(p.Title, "position", k, zhagen.PermPositionView)
		case "graduate":
			g, err := z.Talent.FindGraduateByID(z.Sys, id)
			z.must(err, k)
			add(g.Name, "graduate", k, zhagen.PermGraduateView)
		case "ent":
			e, err := z.Enterprises.FindEnterpriseByID(z.Sys, id)
			z.must(err, k)
			add(e.Name, "enterprise", k, zhagen.PermEnterpriseView)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key+out[i].Text < out[j].Key+out[j].Text })
	return out
}

// Sees reports whether a may see the record mn names: through mn.See,
// and an action item also as part of its consultation
// (PermConsultationView reads a consultation with its items).
func (z *Zone) Sees(a *zhagen.Actor, mn Mention) bool {
	z.t.Helper()
	if zhagen.Can(a, mn.See, z.Facts(a, mn.Kind, z.ID(mn.Key))) {
		return true
	}
	if mn.Kind == "item" {
		it, err := z.Consultations.FindActionItemByID(z.Sys, z.ID(mn.Key))
		z.must(err, mn.Key)
		return zhagen.Can(a, zhagen.PermConsultationView, z.Facts(a, "consultation", it.ConsultationID))
	}
	return false
}

// Shows reports whether body holds text as a whole: not as the start of
// a longer name ("用户cadre" in "用户cadre2").
func Shows(body, text string) bool {
	for i := 0; ; {
		j := strings.Index(body[i:], text)
		if j < 0 {
			return false
		}
		end := i + j + len(text)
		r, _ := utf8.DecodeRuneInString(body[end:])
		if end == len(body) || r > unicode.MaxASCII || !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return true
		}
		i = end
	}
}
