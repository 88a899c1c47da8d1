// Package demo loads the demo data of zhagen: the Fuzhou High-tech Zone
// (福州高新区) of the news story in seed/article.txt, with its departments,
// 73 linked cadres, 96 enterprises and one login per role.
//
// The loader works through the domain services only, so it runs on every
// store, and it is idempotent: records are recognised by department name,
// user login and enterprise USCC, and existing ones are left unchanged.
package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"zhagen"
)

// DefaultPassword is the password of the demo logins unless the caller
// passes another one.
const DefaultPassword = "Zhagen@2026"

// Services are the domain services Load writes through.
type Services struct {
	Departments zhagen.DepartmentService
	Users       zhagen.UserService
	Enterprises zhagen.EnterpriseService

	// Categories, Demands and Intake, when set, add the demand catalogue,
	// a few demands in several states and an Open311 intake channel whose
	// api_key is Open311Key (DefaultOpen311Key when empty).
	Categories zhagen.CategoryService
	Demands    zhagen.DemandService
	Intake     zhagen.IntakeService
	Open311Key string

	// Linkages, when set, links the cadres to the enterprises from an
	// accepted linkage suggestion and logs a few visits.
	Linkages zhagen.LinkageService
	// Talent, when set, adds positions, the talent-need survey,
	// university contacts, the summer programme (matched and published)
	// and a talent service team; see talent.go.
	Talent zhagen.TalentService
	// Projects and Consultations, when set with the demand services, add
	// the story's laboratory project with its approvals, consultations and
	// action items, and the staff logins planning, building and holding.
	// Clock dates them (the system clock when nil).
	Projects      zhagen.ProjectService
	Consultations zhagen.ConsultationService
	Clock         zhagen.Clock
	// Supervision, when set with the demand services, adds supervision
	// orders (督办单): open, replied and closed; see supervision.go.
	Supervision zhagen.SupervisionService
	// FollowUps and ReplyTemplates, when set with the demand services,
	// add a follow-up done, a withdrawal under check and the reply
	// templates; see followups.go.
	FollowUps      zhagen.FollowUpService
	ReplyTemplates zhagen.ReplyTemplateService
	// Channels, when set, adds a configured local webhook channel
	// (disabled); see channels.go.
	Channels zhagen.ChannelService
	// History, when set with the demand services, adds the year of past
	// demands (history.go).
	History zhagen.HistoryService
	// Knowledge, when set, adds the knowledge base (知识库); see
	// knowledge.go.
	Knowledge zhagen.KnowledgeService
	// Policies, when set, adds enterprise tags and attributes, the zone's
	// policies (published and matched) and applications at each stage of
	// redemption; see policies.go.
	Policies zhagen.PolicyService
}

// Load creates the demo zone through s: the organisation tree, the
// industry list entries it needs, the enterprises, the cadres and the
// fixed demo logins (see [Accounts]), all users with password. Records
// that already exist are skipped, so running Load again changes nothing.
// It writes a summary and the table of demo logins to w (which may be nil).
//
// The caller's actor in ctx must be an administrator; without one Load
// acts as [zhagen.SystemActor]. A password that fails
// [zhagen.ValidatePassword] gives EINVALID before anything is written.
func Load(ctx context.Context, s Services, password string, w io.Writer) error {
	if s.Departments == nil || s.Users == nil || s.Enterprises == nil {
		return errors.New("demo: Services needs Departments, Users and Enterprises")
	}
	if msg := zhagen.ValidatePassword(password); msg != "" {
		msg = "演示账号密码不符合规则：" + msg
		return &zhagen.Error{Code: zhagen.EINVALID, Field: "password", Message: msg, Fields: []zhagen.FieldError{{Field: "password", Message: msg}}}
	}
	if w == nil {
		w = io.Discard
	}
	if zhagen.ActorFromContext(ctx) == nil {
		ctx = zhagen.NewContextWithActor(ctx, zhagen.SystemActor())
	}
	if s.Open311Key == "" {
		s.Open311Key = DefaultOpen311Key
	}
	l := &loader{s: s, p: newPlan(), password: password, clock: s.Clock}
	if l.clock == nil {
		l.clock = zhagen.SystemClock{}
	}
	steps := []struct {
		name string
		run  func(context.Context) error
	}{
		{"部门", l.departments},
		{"行业", l.industries},
		{"企业", l.enterprises},
		{"用户", l.users},
		{"诉求类别", l.categories},
		{"Open311渠道", l.intake},
		{"挂钩走访", l.linkages}, // before the demands: a cadre files for its linked enterprises
		{"诉求", l.demands},
		{"人才", l.talent},
		{"重点项目", l.project},
		{"督办单", l.supervision},
		{"回访与常用回复", l.followups},
		{"推送渠道", l.channels},
		{"历史诉求", l.history},
		{"知识库", l.knowledge},
		{"惠企政策", l.policies},
	}
	for _, st := range steps {
		if err := st.run(ctx); err != nil {
			return fmt.Errorf("demo: load %s: %w", st.name, err)
		}
	}
	return l.report(w)
}

// tally counts created and existing records of one kind.
type tally struct{ created, existing int }

func (t tally) String() string {
	return fmt.Sprintf("%d（新建 %d，已存在 %d）", t.created+t.existing, t.created, t.existing)
}

type loader struct {
	s        Services
	p        *plan
	password string

	deptIDs map[string]int64 // by name
	entIDs  map[string]int64 // by name, for enterprise users

	created map[string]bool // logins created by this run

	catIDs map[string]int64 // by code

	historyT zhagen.HistoryResult

	clock    zhagen.Clock
	projectT tally

	depts, industriesT, ents, cadres, cats, demandsT tally
	supervisionT                                     tally
	knowledgeT                                       tally

	linkT linkageResult

	talentT string // the summer programme line of the report

	followT  string // the follow-ups line of the report
	policyT  string // the policies line of the report
	channelT tally
}

// departments creates the organisation tree, parents first.
func (l *loader) departments(ctx context.Context) error {
	existing, err := l.s.Departments.FindDepartments(ctx)
	if err != nil {
		return err
	}
	l.deptIDs = map[string]int64{}
	for _, d := range existing {
		if _, dup := l.deptIDs[d.Name]; !dup {
			l.deptIDs[d.Name] = d.ID
		}
	}
	for i, spec := range l.p.Depts {
		if _, ok := l.deptIDs[spec.Name]; ok {
			l.depts.existing++
			continue
		}
		d := &zhagen.Department{Name: spec.Name, Kind: spec.Kind, Sort: (i + 1) * 10}
		if spec.Parent != "" {
			pid, ok := l.deptIDs[spec.Parent]
			if !ok {
				return fmt.Errorf("parent %q of %q not found", spec.Parent, spec.Name)
			}
			d.ParentID = pid
		}
		if err := l.s.Departments.CreateDepartment(ctx, d); err != nil {
			return fmt.Errorf("%s: %w", spec.Name, err)
		}
		if d.ID == 0 {
			return fmt.Errorf("%s: created department has no id", spec.Name)
		}
		l.deptIDs[spec.Name] = d.ID
		l.depts.created++
	}
	return nil
}

// industries adds the industries the enterprises need to the list.
func (l *loader) industries(ctx context.Context) error {
	list, err := l.s.Enterprises.FindIndustries(ctx)
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, ind := range list {
		have[ind.Name] = true
	}
	for _, name := range l.p.Industries {
		if have[name] {
			l.industriesT.existing++
			continue
		}
		if _, err := l.s.Enterprises.CreateIndustry(ctx, name); err != nil && zhagen.ErrorCode(err) != zhagen.ECONFLICT {
			return fmt.Errorf("%s: %w", name, err)
		}
		have[name] = true
		l.industriesT.created++
	}
	return nil
}

// enterprises creates the enterprises whose USCC is not yet stored.
func (l *loader) enterprises(ctx context.Context) error {
	l.entIDs = map[string]int64{}
	byUSCC := map[string]int64{}
	const page = 200
	for offset := 0; ; {
		list, total, err := l.s.Enterprises.FindEnterprises(ctx, zhagen.EnterpriseFilter{IncludeArchived: true, Sort: "created_at", Limit: page, Offset: offset})
		if err != nil {
			return err
		}
		for _, e := range list {
			byUSCC[e.USCC] = e.ID
		}
		offset += len(list)
		if len(list) == 0 || offset >= total {
			break
		}
	}
	for _, tmpl := range l.p.Enterprises {
		if id, ok := byUSCC[tmpl.USCC]; ok {
			l.entIDs[tmpl.Name] = id
			l.ents.existing++
			continue
		}
		e := *tmpl
		e.Contacts = append([]zhagen.Contact(nil), tmpl.Contacts...)
		if err := l.s.Enterprises.CreateEnterprise(ctx, &e); err != nil {
			return fmt.Errorf("%s: %w", tmpl.Name, err)
		}
		if e.ID == 0 {
			return fmt.Errorf("%s: created enterprise has no id", tmpl.Name)
		}
		l.entIDs[tmpl.Name] = e.ID
		l.ents.created++
	}
	return nil
}

// users creates the cadres and the fixed logins whose login is free.
func (l *loader) users(ctx context.Context) error {
	logins := map[string]bool{}
	const page = 200
	for offset := 0; ; {
		list, total, err := l.s.Users.FindUsers(ctx, zhagen.UserFilter{Limit: page, Offset: offset})
		if err != nil {
			return err
		}
		for _, u := range list {
			logins[strings.ToLower(u.Login)] = true
		}
		offset += len(list)
		if len(list) == 0 || offset >= total {
			break
		}
	}
	l.created = map[string]bool{}
	create := func(p *person, t *tally) error {
		if logins[strings.ToLower(p.Login)] {
			t.existing++
			return nil
		}
		u := &zhagen.User{
			Login:     p.Login,
			Name:      p.Name,
			Roles:     []zhagen.Role{p.Role},
			Rank:      p.Rank,
			Expertise: append([]string{}, p.Expertise...),
			Phone:     p.Phone,
			Password:  l.password,
		}
		if p.Dept != "" {
			id, ok := l.deptIDs[p.Dept]
			if !ok {
				return fmt.Errorf("%s: department %q not found", p.Login, p.Dept)
			}
			u.DeptID = id
		}
		if p.Enterprise != "" {
			id, ok := l.entIDs[p.Enterprise]
			if !ok {
				return fmt.Errorf("%s: enterprise %q not found", p.Login, p.Enterprise)
			}
			u.EnterpriseID = id
		}
		err := l.s.Users.CreateUser(ctx, u)
		if zhagen.ErrorCode(err) == zhagen.ECONFLICT {
			// Stored but not listed (e.g. archived): leave it alone.
			t.existing++
			return nil
		} else if err != nil {
			return fmt.Errorf("%s: %w", p.Login, err)
		}
		logins[strings.ToLower(p.Login)] = true
		l.created[p.Login] = true
		t.created++
		return nil
	}
	for _, c := range l.p.Cadres {
		if err := create(c, &l.cadres); err != nil {
			return err
		}
	}
	var others tally
	for _, a := range l.p.Accounts {
		if a.Login == loginCadre {
			continue // created with the cadres
		}
		if err := create(a, &others); err != nil {
			return err
		}
	}
	return nil
}

// report writes the summary and the table of demo logins.
func (l *loader) report(w io.Writer) error {
	key := 0
	for _, e := range l.p.Enterprises {
		if e.IsKey {
			key++
		}
	}
	senior := 0
	for _, c := range l.p.Cadres {
		if zhagen.RankLevel(c.Rank) >= zhagen.RankLevel("副处级") {
			senior++
		}
	}
	b := &strings.Builder{}
	fmt.Fprintf(b, "演示数据（%s）\n", deptRoot)
	fmt.Fprintf(b, "  部门      %s\n", l.depts)
	fmt.Fprintf(b, "  行业      %s\n", l.industriesT)
	fmt.Fprintf(b, "  企业      %s，其中重点企业 %d 家\n", l.ents, key)
	fmt.Fprintf(b, "  联系干部  %s，其中副处级及以上 %d 名\n", l.cadres, senior)
	var accounts tally
	for _, a := range l.p.Accounts {
		if l.created[a.Login] {
			accounts.created++
		} else {
			accounts.existing++
		}
	}
	fmt.Fprintf(b, "  演示账号  %s\n", accounts)
	if l.s.Categories != nil {
		fmt.Fprintf(b, "  诉求类别  %s\n", l.cats)
		fmt.Fprintf(b, "  诉求      %s\n", l.demandsT)
		if l.followT != "" {
			fmt.Fprintf(b, "  回访      %s\n", l.followT)
		}
	}
	if l.s.History != nil {
		fmt.Fprintf(b, "  历史诉求  %d（新建 %d，已存在 %d；办理步骤 %d）\n", l.historyT.Filed+l.historyT.Existing, l.historyT.Filed, l.historyT.Existing, l.historyT.Steps)
	}
	b.WriteString(l.linkageReport())
	b.WriteString(l.policyT)
	b.WriteString(l.talentT)
	if l.s.Projects != nil && l.s.Consultations != nil && l.s.Demands != nil {
		fmt.Fprintf(b, "  重点项目  %s（部门账号 planning、building、holding）\n", l.projectT)
	}
	if l.s.Supervision != nil && l.s.Demands != nil {
		fmt.Fprintf(b, "  督办单    %s\n", l.supervisionT)
	}
	if l.s.Intake != nil {
		fmt.Fprintf(b, "  Open311   /open311/v2/，api_key：%s\n", l.s.Open311Key)
	}
	if l.s.Knowledge != nil {
		fmt.Fprintf(b, "  知识库    %s\n", l.knowledgeT)
	}
	b.WriteString(l.channelReport())
	b.WriteString("\n")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	rows := [][]string{{"登录名", "密码", "角色", "姓名", "单位"}}
	accts := l.p.Accounts
	if l.s.Projects != nil && l.s.Consultations != nil && l.s.Demands != nil && l.s.Categories != nil {
		accts = append(slices.Clip(accts), projectStaff...) // the key-project story's logins, as in the README
	}
	for _, a := range accts {
		rows = append(rows, []string{a.Login, l.password, a.Role.Label(), a.Name, a.Unit()})
	}
	_, err := io.WriteString(w, table(rows))
	return err
}

// table lays rows out in columns two spaces apart, padding by display
// width so that Chinese text lines up in a terminal.
func table(rows [][]string) string {
	var widths []int
	for _, row := range rows {
		for i, cell := range row {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], displayWidth(cell))
		}
	}
	var b strings.Builder
	for _, row := range rows {
		var line strings.Builder
		for i, cell := range row {
			line.WriteString(cell)
			line.WriteString(strings.Repeat(" ", widths[i]-displayWidth(cell)+2))
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteByte('\n')
	}
	return b.String()
}

// displayWidth counts East Asian wide and full-width characters as two
// columns and every other character as one.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case r >= 0x1100 && r <= 0x115F, r >= 0x2E80 && r <= 0xA4CF, r >= 0xAC00 && r <= 0xD7A3,
			r >= 0xF900 && r <= 0xFAFF, r >= 0xFE30 && r <= 0xFE4F, r >= 0xFF00 && r <= 0xFF60,
			r >= 0xFFE0 && r <= 0xFFE6, r >= 0x20000 && r <= 0x3FFFD:
			n += 2
		default:
			n++
		}
	}
	return n
}
