package demo

import (
	"context"
	"fmt"
	"slices"

	"zhagen"
)

// The talent part of the story: the summer practice programme that placed
// interns from the university town with 11 enterprises of the zone — one
// of them, a biomedicine company, found no intern of the majors it needs —
// plus positions on the job board, the talent-need survey, university
// contacts and a talent service team.

// SummerProgramme is the name of the demo programme.
const SummerProgramme = "2026年高新区大学生暑期实践"

// Interns is the number of interns in the demo programme.
const Interns = 94

const talentSeed = 0x5a6e2026

type ppSpec struct {
	Ent    string
	Title  string
	Majors []string
	Degree zhagen.Degree
	Skills []string
	Cap    int
}

// programmeTable lists the offers of the 11 enterprises.
var programmeTable = []ppSpec{
	{entFushun, "芯片测试实习生", []string{"微电子科学与工程", "集成电路设计与集成系统", "电子信息工程"}, zhagen.DegreeBachelor, []string{"C语言", "模拟电路", "嵌入式"}, 10},
	{"北卡科技有限公司", "软件开发实习生", []string{"计算机科学与技术", "软件工程"}, zhagen.DegreeBachelor, []string{"Java", "Go", "数据库"}, 12},
	{"福建浩蓝光电有限公司", "光学工艺实习生", []string{"光电信息科学与工程", "应用物理学"}, zhagen.DegreeBachelor, []string{"光学设计", "Zemax"}, 8},
	{entXianzhilou, "生物制药研发实习生", []string{"生物制药", "药物分析", "中药学"}, zhagen.DegreeBachelor, []string{"HPLC", "细胞培养"}, 6},
	{"福建云链数据科技有限公司", "数据分析实习生", []string{"统计学", "数学与应用数学", "计算机科学与技术"}, zhagen.DegreeBachelor, []string{"Python", "SQL"}, 8},
	{"福建芯曜半导体有限公司", "工艺整合实习生", []string{"微电子科学与工程", "材料科学与工程"}, zhagen.DegreeMaster, []string{"半导体工艺", "数据分析"}, 8},
	{"福建光曜显示技术有限公司", "显示模组实习生", []string{"光电信息科学与工程", "电子信息工程"}, zhagen.DegreeBachelor, []string{"模拟电路", "光学设计"}, 8},
	{"福建烯望石墨烯科技有限公司", "材料研发实习生", []string{"材料科学与工程", "化学"}, zhagen.DegreeBachelor, []string{"材料表征", "实验设计"}, 7},
	{"福建巨擘机器人有限公司", "机器人调试实习生", []string{"机械设计制造及其自动化", "自动化"}, zhagen.DegreeCollege, []string{"PLC", "CAD", "C语言"}, 10},
	{"福建安盾网络安全技术有限公司", "安全运维实习生", []string{"网络工程", "信息安全", "计算机科学与技术"}, zhagen.DegreeBachelor, []string{"Linux", "Python"}, 6},
	{deptHolding, "综合管理实习生", nil, zhagen.DegreeBachelor, []string{"公文写作", "Excel"}, 12},
}

// internMajors are the majors of the interns with their weights; no
// intern studies a major the biomedicine company asks for.
var internMajors = []struct {
	Major  string
	Weight int
	Skills []string
}{
	{"计算机科学与技术", 14, []string{"Java", "Go", "Python", "SQL", "数据库", "Linux"}},
	{"软件工程", 8, []string{"Java", "Go", "数据库", "Linux"}},
	{"微电子科学与工程", 10, []string{"C语言", "模拟电路", "半导体工艺", "嵌入式"}},
	{"集成电路设计与集成系统", 4, []string{"C语言", "模拟电路", "Verilog"}},
	{"电子信息工程", 9, []string{"C语言", "嵌入式", "模拟电路"}},
	{"光电信息科学与工程", 9, []string{"光学设计", "Zemax", "模拟电路"}},
	{"材料科学与工程", 8, []string{"材料表征", "实验设计", "半导体工艺"}},
	{"机械设计制造及其自动化", 7, []string{"CAD", "PLC"}},
	{"自动化", 5, []string{"PLC", "C语言", "Python"}},
	{"统计学", 4, []string{"Python", "SQL", "数据分析"}},
	{"信息安全", 3, []string{"Linux", "Python"}},
	{"生物技术", 5, []string{"细胞培养", "实验设计"}},
	{"汉语言文学", 4, []string{"公文写作", "Excel"}},
}

var universities = []string{"福州大学", "福建师范大学", "福建医科大学", "福建中医药大学", "闽江学院", "福建理工大学", "福建江夏学院"}

// talent loads the talent data when Services.Talent is set.
func (l *loader) talent(ctx context.Context) error {
	t := l.s.Talent
	if t == nil {
		return nil
	}
	steps := []func(context.Context, zhagen.TalentService) error{l.talentPositions, l.talentSurveys, l.talentUniversities, l.talentProgramme, l.talentTeams}
	for _, f := range steps {
		if err := f(ctx, t); err != nil {
			return err
		}
	}
	return nil
}

func (l *loader) entID(name string) (int64, error) {
	id, ok := l.entIDs[name]
	if !ok {
		return 0, fmt.Errorf("enterprise %q not found", name)
	}
	return id, nil
}

var boardPositions = []struct {
	Ent     string
	Kind    zhagen.PositionKind
	Title   string
	Majors  []string
	Degree  zhagen.Degree
	Number  int
	Min     int
	Max     int
	Period  string
	Desc    string
	Approve bool
}{
	{entFushun, zhagen.PositionFullTime, "封装测试工程师", []string{"微电子科学与工程", "电子信息工程"}, zhagen.DegreeBachelor, 6, 8000, 12000, "", "负责功率器件封装测试工艺的开发与良率提升，投产后驻厂。", true},
	{entFushun, zhagen.PositionFullTime, "设备工程师", []string{"机械设计制造及其自动化", "自动化"}, zhagen.DegreeCollege, 4, 7000, 10000, "", "负责产线设备安装调试与日常维护。", true},
	{"北卡科技有限公司", zhagen.PositionFullTime, "后端开发工程师", []string{"计算机科学与技术", "软件工程"}, zhagen.DegreeBachelor, 5, 10000, 18000, "", "Go/Java 后端服务开发，参与政务云项目。", true},
	{"北卡科技有限公司", zhagen.PositionInternship, "测试开发实习生", []string{"计算机科学与技术", "软件工程"}, zhagen.DegreeBachelor, 3, 3000, 4000, "2026-07 至 2026-09", "自动化测试脚本编写。", true},
	{entXianzhilou, zhagen.PositionFullTime, "药物分析研究员", []string{"药物分析", "生物制药"}, zhagen.DegreeMaster, 3, 9000, 14000, "", "负责灵芝孢子粉制剂的质量标准研究和方法学验证。", true},
	{entXianzhilou, zhagen.PositionFullTime, "发酵工艺工程师", []string{"生物制药", "生物工程"}, zhagen.DegreeBachelor, 2, 8000, 11000, "", "负责液体发酵工艺放大。", true},
	{"福建浩蓝光电有限公司", zhagen.PositionFullTime, "光学设计工程师", []string{"光电信息科学与工程"}, zhagen.DegreeMaster, 2, 12000, 20000, "", "激光光学系统设计。", true},
	{"福建云链数据科技有限公司", zhagen.PositionFullTime, "数据工程师", []string{"计算机科学与技术", "统计学"}, zhagen.DegreeBachelor, 4, 9000, 15000, "", "数据平台建设与数据治理。", true},
	{"福建芯曜半导体有限公司", zhagen.PositionFullTime, "工艺工程师", []string{"微电子科学与工程", "材料科学与工程"}, zhagen.DegreeMaster, 8, 12000, 18000, "", "负责刻蚀、薄膜工艺开发。", true},
	{"福建巨擘机器人有限公司", zhagen.PositionInternship, "机械设计实习生", []string{"机械设计制造及其自动化"}, zhagen.DegreeCollege, 4, 2500, 3500, "2026-07 至 2026-08", "协助结构设计与样机装配。", true},
	{"福建烯望石墨烯科技有限公司", zhagen.PositionFullTime, "材料研发工程师", []string{"材料科学与工程", "化学"}, zhagen.DegreeMaster, 2, 10000, 15000, "", "石墨烯导热膜研发。", true},
	{"福建康泽生物制药有限公司", zhagen.PositionFullTime, "QC 检验员", []string{"药物分析", "药学"}, zhagen.DegreeBachelor, 3, 6000, 8000, "", "原料药及成品检验。", true},
	{"福建光曜显示技术有限公司", zhagen.PositionFullTime, "模组工程师", []string{"光电信息科学与工程", "电子信息工程"}, zhagen.DegreeBachelor, 5, 8000, 12000, "", "Mini LED 模组开发。", false},
	{"福建安盾网络安全技术有限公司", zhagen.PositionInternship, "渗透测试实习生", []string{"信息安全", "网络工程"}, zhagen.DegreeBachelor, 2, 3000, 4000, "2026-12 至 2027-02", "参与等保测评项目。", false},
}

func (l *loader) talentPositions(ctx context.Context, t zhagen.TalentService) error {
	existing, _, err := t.FindPositions(ctx, zhagen.PositionFilter{Limit: 200})
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, p := range existing {
		have[p.EnterpriseName+"|"+p.Title] = true
	}
	for _, s := range boardPositions {
		if have[s.Ent+"|"+s.Title] {
			continue
		}
		id, err := l.entID(s.Ent)
		if err != nil {
			return err
		}
		p := &zhagen.Position{EnterpriseID: id, Kind: s.Kind, Title: s.Title, Majors: s.Majors, Degree: s.Degree, Number: s.Number,
			Place: "福州高新区", SalaryMin: s.Min, SalaryMax: s.Max, Period: s.Period, Description: s.Desc}
		if err := t.CreatePosition(ctx, p); err != nil {
			return fmt.Errorf("position %s: %w", s.Title, err)
		}
		if s.Approve {
			if _, err := t.ReviewPosition(ctx, p.ID, 0, true, ""); err != nil {
				return err
			}
		}
	}
	return nil
}

var surveyTable = []struct {
	Ent     string
	Lines   []zhagen.SurveyLine
	Remarks string
}{
	{entFushun, []zhagen.SurveyLine{{Major: "微电子科学与工程", Degree: zhagen.DegreeBachelor, Count: 30, Difficulty: 3}, {Major: "集成电路设计与集成系统", Degree: zhagen.DegreeMaster, Count: 10, Difficulty: 3}, {Major: "机械设计制造及其自动化", Degree: zhagen.DegreeCollege, Count: 15, Difficulty: 2}}, "投产前需到岗一线技术人员约50人。"},
	{entXianzhilou, []zhagen.SurveyLine{{Major: "生物制药", Degree: zhagen.DegreeBachelor, Count: 8, Difficulty: 3}, {Major: "药物分析", Degree: zhagen.DegreeMaster, Count: 4, Difficulty: 3}, {Major: "中药学", Degree: zhagen.DegreeBachelor, Count: 3, Difficulty: 2}}, "收到不少简历，但生物制药、药物分析专业的毕业生很少。"},
	{"北卡科技有限公司", []zhagen.SurveyLine{{Major: "计算机科学与技术", Degree: zhagen.DegreeBachelor, Count: 20, Difficulty: 2}, {Major: "软件工程", Degree: zhagen.DegreeBachelor, Count: 10, Difficulty: 1}}, ""},
	{"福建浩蓝光电有限公司", []zhagen.SurveyLine{{Major: "光电信息科学与工程", Degree: zhagen.DegreeMaster, Count: 12, Difficulty: 3}}, "高端光学设计人才紧缺。"},
	{"福建芯曜半导体有限公司", []zhagen.SurveyLine{{Major: "微电子科学与工程", Degree: zhagen.DegreeMaster, Count: 15, Difficulty: 3}, {Major: "材料科学与工程", Degree: zhagen.DegreeMaster, Count: 6, Difficulty: 2}}, ""},
	{"福建云链数据科技有限公司", []zhagen.SurveyLine{{Major: "统计学", Degree: zhagen.DegreeBachelor, Count: 6, Difficulty: 2}, {Major: "计算机科学与技术", Degree: zhagen.DegreeBachelor, Count: 8, Difficulty: 1}}, ""},
	{"福建康泽生物制药有限公司", []zhagen.SurveyLine{{Major: "药物分析", Degree: zhagen.DegreeBachelor, Count: 6, Difficulty: 3}, {Major: "药学", Degree: zhagen.DegreeBachelor, Count: 5, Difficulty: 2}}, ""},
	{"福建烯望石墨烯科技有限公司", []zhagen.SurveyLine{{Major: "材料科学与工程", Degree: zhagen.DegreeMaster, Count: 5, Difficulty: 2}, {Major: "化学", Degree: zhagen.DegreeBachelor, Count: 4, Difficulty: 1}}, ""},
	{"福建巨擘机器人有限公司", []zhagen.SurveyLine{{Major: "机械设计制造及其自动化", Degree: zhagen.DegreeBachelor, Count: 10, Difficulty: 2}, {Major: "自动化", Degree: zhagen.DegreeBachelor, Count: 8, Difficulty: 2}}, ""},
	{"福建光曜显示技术有限公司", []zhagen.SurveyLine{{Major: "光电信息科学与工程", Degree: zhagen.DegreeBachelor, Count: 10, Difficulty: 2}, {Major: "电子信息工程", Degree: zhagen.DegreeBachelor, Count: 6, Difficulty: 1}}, ""},
}

func (l *loader) talentSurveys(ctx context.Context, t zhagen.TalentService) error {
	existing, err := t.FindSurveys(ctx, "2026")
	if err != nil {
		return err
	}
	have := map[int64]bool{}
	for _, s := range existing {
		have[s.EnterpriseID] = true
	}
	for _, s := range surveyTable {
		id, err := l.entID(s.Ent)
		if err != nil {
			return err
		}
		if have[id] {
			continue
		}
		sv := &zhagen.Survey{EnterpriseID: id, Period: "2026", Lines: s.Lines, Remarks: s.Remarks}
		if err := t.SaveSurvey(ctx, sv); err != nil {
			return fmt.Errorf("survey %s: %w", s.Ent, err)
		}
	}
	return nil
}

func (l *loader) talentUniversities(ctx context.Context, t zhagen.TalentService) error {
	list, err := t.FindUniversities(ctx)
	if err != nil {
		return err
	}
	r := &rng{s: talentSeed + 1}
	names := newNamer(r)
	phones := &phoner{r: r, used: map[string]bool{}}
	for i, u := range list {
		if len(u.Contacts) > 0 {
			continue
		}
		for _, c := range []*zhagen.UniversityContact{
			{UniversityID: u.ID, Kind: zhagen.ContactCareer, Name: names.name(), Title: "就业指导中心主任", Phone: phones.landline(), Email: fmt.Sprintf("jyc%d@example.edu.cn", i+1)},
			{UniversityID: u.ID, Kind: zhagen.ContactCareer, Name: names.name(), Title: "就业专干", Phone: phones.mobile()},
			{UniversityID: u.ID, Kind: zhagen.ContactUnion, Name: names.name(), Title: "校学生会主席", Phone: phones.mobile()},
		} {
			if err := t.AddUniversityContact(ctx, c); err != nil {
				return fmt.Errorf("contact %s: %w", u.Name, err)
			}
		}
		for _, o := range []*zhagen.Outreach{
			{UniversityID: u.ID, Date: "2026-03-18", Kind: "走访", Summary: "走访就业指导中心，介绍高新区重点企业用人需求，商定暑期实践宣传安排。"},
			{UniversityID: u.ID, Date: "2026-04-22", Kind: "宣讲会", Summary: "举办“扎根高新”暑期实践专场宣讲，学生会协助组织报名。"},
		} {
			if err := t.AddOutreach(ctx, o); err != nil {
				return err
			}
		}
	}
	return nil
}

// internPlan is one intern of the demo programme.
type internPlan struct {
	Login   string
	G       zhagen.Graduate
	Choices []int // indices into programmeTable
}

// planInterns invents the interns and their choices from the fixed seed.
// The first is the fixed graduate login.
func planInterns(graduateName, graduatePhone string) []internPlan {
	r := &rng{s: talentSeed}
	names := newNamer(r)
	phones := &phoner{r: r, used: map[string]bool{}}
	total := 0
	for _, m := range internMajors {
		total += m.Weight
	}
	accepts := func(p ppSpec, major string) bool { return len(p.Majors) == 0 || slices.Contains(p.Majors, major) }
	out := make([]internPlan, 0, Interns)
	for i := range Interns {
		k := r.intn(total)
		mi := 0
		for ; k >= internMajors[mi].Weight; mi++ {
			k -= internMajors[mi].Weight
		}
		m := internMajors[mi]
		deg := zhagen.DegreeBachelor
		switch x := r.intn(10); {
		case x == 0:
			deg = zhagen.DegreeCollege
		case x >= 8:
			deg = zhagen.DegreeMaster
		}
		g := zhagen.Graduate{Name: names.name(), University: universities[r.intn(len(universities))], Major: m.Major, Degree: deg,
			GradYear: 2027 + r.intn(2), Skills: r.pick(m.Skills, 1+r.intn(3)), Phone: phones.mobile(), Consent: r.intn(10) != 0}
		login := fmt.Sprintf("intern%02d", i)
		if i == 0 {
			login, g.Name, g.Phone, g.Consent = loginGraduate, graduateName, graduatePhone, true
		}
		// Choices: offers that accept the major in a shuffled order, one
		// wild choice now and then (the biology students all try the
		// biomedicine company first).
		var fit, other []int
		for j, p := range programmeTable {
			if accepts(p, m.Major) && len(p.Majors) > 0 {
				fit = append(fit, j)
			} else {
				other = append(other, j)
			}
		}
		var choices []int
		if m.Major == "生物技术" {
			choices = append(choices, 3)
		}
		for _, j := range r.perm(fit) {
			choices = append(choices, j)
		}
		if r.intn(3) == 0 || len(choices) < 2 {
			choices = append(choices, 10) // the zone's holding company takes every major
		}
		if r.intn(4) == 0 {
			if o := other[r.intn(len(other))]; !slices.Contains(choices, o) {
				choices = append(choices, o)
			}
		}
		out = append(out, internPlan{Login: login, G: g, Choices: choices[:min(len(choices), 5)]})
	}
	return out
}

// perm returns the elements of s in a shuffled order.
func (r *rng) perm(s []int) []int {
	out := slices.Clone(s)
	for i := range out {
		j := i + r.intn(len(out)-i)
		out[i], out[j] = out[j], out[i]
	}
	return out
}

func (l *loader) talentProgramme(ctx context.Context, t zhagen.TalentService) error {
	list, err := t.FindProgrammes(ctx)
	if err != nil {
		return err
	}
	var prog *zhagen.Programme
	for _, p := range list {
		if p.Name == SummerProgramme {
			prog = p
		}
	}
	if prog != nil {
		full, err := t.FindProgrammeByID(ctx, prog.ID)
		if err != nil {
			return err
		}
		if full.LatestRun != nil {
			l.talentReport(full.Applicants, full.Enterprises, full.LatestRun, "已存在")
			return nil // loaded and matched before
		}
		return fmt.Errorf("programme %q exists but was never matched; remove it or run the match", SummerProgramme)
	}
	prog = &zhagen.Programme{Name: SummerProgramme, RegOpen: "2026-05-20", RegClose: "2026-06-15", MaxChoices: 5,
		Description: "面向大学城高校在校生的暑期社会实践：11家区内企业提供实习岗位，学生按志愿填报，企业按专业、学历、技能评分排序，系统以毕业生优先的延迟接受算法匹配。实习期 2026-07-06 至 2026-08-28。"}
	if err := t.CreateProgramme(ctx, prog); err != nil {
		return err
	}
	ppIDs := make([]int64, len(programmeTable))
	for i, s := range programmeTable {
		id, err := l.entID(s.Ent)
		if err != nil {
			return err
		}
		pp := &zhagen.ProgrammePosition{ProgrammeID: prog.ID, EnterpriseID: id, Title: s.Title, Majors: s.Majors, Degree: s.Degree, Skills: s.Skills, Capacity: s.Cap}
		if err := t.AddProgrammePosition(ctx, pp); err != nil {
			return err
		}
		ppIDs[i] = pp.ID
	}
	var grad *person
	for _, a := range l.p.Accounts {
		if a.Login == loginGraduate {
			grad = a
		}
	}
	for _, ip := range planInterns(grad.Name, grad.Phone) {
		g := ip.G
		if err := t.CreateGraduate(ctx, &g, ip.Login); err != nil {
			if zhagen.ErrorCode(err) != zhagen.ECONFLICT {
				return fmt.Errorf("intern %s: %w", ip.Login, err)
			}
			// The fixed graduate may have a record already.
			found, _, ferr := t.FindGraduates(ctx, zhagen.GraduateFilter{Query: g.Name, Limit: 10})
			if ferr != nil || len(found) == 0 {
				return fmt.Errorf("intern %s: %w", ip.Login, err)
			}
			g = *found[0]
		}
		app := &zhagen.Application{ProgrammeID: prog.ID, GraduateID: g.ID}
		for _, c := range ip.Choices {
			app.PositionIDs = append(app.PositionIDs, ppIDs[c])
		}
		if err := t.SetChoices(ctx, app); err != nil {
			return fmt.Errorf("choices %s: %w", ip.Login, err)
		}
	}
	run, err := t.RunMatch(ctx, prog.ID)
	if err != nil {
		return err
	}
	if _, err = t.PublishMatch(ctx, run.ID); err != nil {
		return err
	}
	l.talentReport(Interns, len(programmeTable), run, "新建")
	return nil
}

// talentReport sets the programme line of the demo summary.
func (l *loader) talentReport(applicants, enterprises int, run *zhagen.MatchRun, how string) {
	l.talentT = fmt.Sprintf("  人才项目  %s（%s）：%d 家企业、%d 名实习生，已匹配 %d 人，阻塞对 %d（毕业生账号 graduate）\n",
		SummerProgramme, how, enterprises, applicants, run.Matched, run.BlockingPairs)
}

func (l *loader) talentTeams(ctx context.Context, t zhagen.TalentService) error {
	teams, err := t.FindServiceTeams(ctx)
	if err != nil {
		return err
	}
	const name = "高新区人才科创服务队"
	for _, tm := range teams {
		if tm.Name == name {
			return nil
		}
	}
	users := map[string]int64{}
	list, _, err := l.s.Users.FindUsers(ctx, zhagen.UserFilter{Role: zhagen.RoleCadre, Limit: 200})
	if err != nil {
		return err
	}
	for _, u := range list {
		users[u.Login] = u.ID
	}
	team := &zhagen.ServiceTeam{Name: name, Description: "由人才、科技、经发、建设等部门干部组成，分批选派驻点重点企业，协调解决用工招聘、人才政策兑现、科技项目申报等问题。"}
	for i, login := range []string{"cadre", "cadre05", "cadre12", "cadre20", "cadre33", "cadre41"} {
		id, ok := users[login]
		if !ok {
			continue
		}
		role := "队员"
		if i == 0 {
			role = "队长"
		}
		team.Members = append(team.Members, zhagen.TeamMember{UserID: id, Role: role})
	}
	if err := t.CreateServiceTeam(ctx, team); err != nil {
		return err
	}
	batches := []struct {
		start, end string
		ents       []string
		resolved   string
		logs       [][3]string // enterprise, date, summary
	}{
		{"2026-03-02", "2026-04-30", []string{entFushun, entXianzhilou, "北卡科技有限公司", "福建浩蓝光电有限公司"},
			"协调福顺微电子一线技术人员招聘专场1场、对接高校2所；为仙芝楼对接福建医科大学、福建中医药大学药学院；北卡科技高层次人才认定材料已报送。",
			[][3]string{{entFushun, "2026-03-05", "了解投产前用工缺口约50人，重点是微电子专业。"}, {entXianzhilou, "2026-03-12", "企业反映生物制药、药物分析专业毕业生难招，建议对接医科类高校。"}, {"北卡科技有限公司", "2026-04-08", "宣讲高层次人才认定政策，指导准备申报材料。"}}},
		{"2026-05-06", "2026-06-30", []string{"福建芯曜半导体有限公司", "福建光曜显示技术有限公司", "福建巨擘机器人有限公司"},
			"组织3家企业参加暑期实践项目，提供实习岗位26个；协助芯曜半导体申报省级引才项目。",
			[][3]string{{"福建芯曜半导体有限公司", "2026-05-12", "对接暑期实践岗位需求，确认工艺整合实习岗8个。"}, {"福建巨擘机器人有限公司", "2026-06-03", "协调大学城高校机械类学生参加实践。"}}},
	}
	for _, b := range batches {
		tb := &zhagen.TeamBatch{TeamID: team.ID, StartDate: b.start, EndDate: b.end, Resolved: b.resolved}
		for _, e := range b.ents {
			id, err := l.entID(e)
			if err != nil {
				return err
			}
			tb.EnterpriseIDs = append(tb.EnterpriseIDs, id)
		}
		if err := t.AddTeamBatch(ctx, tb); err != nil {
			return err
		}
		for _, lg := range b.logs {
			id, _ := l.entID(lg[0])
			if err := t.AddServiceLog(ctx, &zhagen.ServiceLog{BatchID: tb.ID, EnterpriseID: id, Date: lg[1], Summary: lg[2]}); err != nil {
				return err
			}
		}
	}
	return nil
}
