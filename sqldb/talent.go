package sqldb

import (
	"context"
	"encoding/json"
	"sort"
	"strings"

	"zhagen"
)

// TalentService stores positions, surveys, universities, graduates,
// programmes and service teams, with the caller's scope in every query.
type TalentService struct{ db *DB }

// NewTalentService returns the talent service of db.
func NewTalentService(db *DB) *TalentService { return &TalentService{db: db} }

var _ zhagen.TalentService = (*TalentService)(nil)

type scanner interface{ Scan(...any) error }

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func jsonStrings(s string) []string {
	var out []string
	if json.Unmarshal([]byte(s), &out) != nil || out == nil {
		return []string{}
	}
	return out
}

// jsonContains is the LIKE argument that finds s as an element of a JSON
// array of strings.
func jsonContains(s string) string {
	b, _ := json.Marshal(s)
	return likeArg(string(b))
}

func requireTalentManager(ctx context.Context) (*zhagen.Actor, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.CanManageTalent() {
		return nil, zhagen.Errorf(zhagen.EFORBIDDEN, "仅管理员、指挥中心和人才服务部门人员可以办理")
	}
	return a, nil
}

func requireGovernment(ctx context.Context) (*zhagen.Actor, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.IsGovernment() {
		return nil, zhagen.Errorf(zhagen.EFORBIDDEN, "当前角色无权查看")
	}
	return a, nil
}

// ---- positions ----

const positionColumns = `p.id, p.enterprise_id, e.name, e.industry, p.kind, p.title, p.majors, p.degree, p.number, p.place, p.salary_min, p.salary_max, p.period, p.description, p.status, p.review_note, p.version, p.created_at, p.updated_at`
const positionFrom = ` FROM positions p JOIN enterprises e ON e.id = p.enterprise_id`

func scanPosition(sc scanner, extra ...any) (*zhagen.Position, error) {
	p := &zhagen.Position{}
	var majors string
	dest := append([]any{&p.ID, &p.EnterpriseID, &p.EnterpriseName, &p.Industry, &p.Kind, &p.Title, &majors, &p.Degree, &p.Number, &p.Place,
		&p.SalaryMin, &p.SalaryMax, &p.Period, &p.Description, &p.Status, &p.ReviewNote, &p.Version, &p.CreatedAt, &p.UpdatedAt}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	p.Majors = jsonStrings(majors)
	return p, nil
}

// positionScope: government roles see every position, an enterprise its
// own, a graduate the approved ones.
func positionScope(ctx context.Context, w *where) error {
	a, err := requireActor(ctx)
	if err != nil {
		return err
	}
	switch {
	case a.IsGovernment():
	case a.Has(zhagen.RoleEnterprise) && a.EnterpriseID != 0:
		w.add("p.enterprise_id = ?", a.EnterpriseID)
	default:
		w.add("p.status = ?", string(zhagen.PositionApproved))
	}
	return nil
}

func (s *TalentService) findPositions(ctx context.Context, w where, f zhagen.PositionFilter) ([]*zhagen.Position, int, error) {
	if q := strings.TrimSpace(f.Query); q != "" {
		w.add(`(p.title LIKE ? ESCAPE '\' OR p.description LIKE ? ESCAPE '\' OR e.name LIKE ? ESCAPE '\')`, likeArg(q), likeArg(q), likeArg(q))
	}
	if m := strings.TrimSpace(f.Major); m != "" {
		w.add(`p.majors LIKE ? ESCAPE '\'`, jsonContains(m))
	}
	if f.Industry != "" {
		w.add("e.industry = ?", f.Industry)
	}
	if f.Kind != "" {
		w.add("p.kind = ?", string(f.Kind))
	}
	if f.Status != "" {
		w.add("p.status = ?", string(f.Status))
	}
	if f.EnterpriseID != 0 {
		w.add("p.enterprise_id = ?", f.EnterpriseID)
	}
	rows, err := s.db.query(ctx, `SELECT `+positionColumns+`, COUNT(*) OVER()`+positionFrom+w.String()+` ORDER BY p.updated_at DESC, p.id DESC LIMIT ? OFFSET ?`,
		append(w.args, zhagen.ClampLimit(f.Limit, 25, 200), max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []*zhagen.Position{}
	total := 0
	for rows.Next() {
		p, err := scanPosition(rows, &total)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, p)
	}
	return out, total, rows.Err()
}

// FindPublicPositions returns approved positions to anybody.
func (s *TalentService) FindPublicPositions(ctx context.Context, f zhagen.PositionFilter) ([]*zhagen.Position, int, error) {
	f.Status = ""
	w := where{conds: []string{"p.status = ?"}, args: []any{string(zhagen.PositionApproved)}}
	return s.findPositions(ctx, w, f)
}

// FindPublicPosition returns one approved position.
func (s *TalentService) FindPublicPosition(ctx context.Context, id int64) (*zhagen.Position, error) {
	p, err := scanPosition(s.db.queryRow(ctx, `SELECT `+positionColumns+positionFrom+` WHERE p.id = ? AND p.status = ?`, id, string(zhagen.PositionApproved)))
	return p, notFound(err, "岗位")
}

// FindPositions returns the positions in the caller's scope.
func (s *TalentService) FindPositions(ctx context.Context, f zhagen.PositionFilter) ([]*zhagen.Position, int, error) {
	var w where
	if err := positionScope(ctx, &w); err != nil {
		return nil, 0, err
	}
	return s.findPositions(ctx, w, f)
}

// FindPositionByID returns one position in the caller's scope.
func (s *TalentService) FindPositionByID(ctx context.Context, id int64) (*zhagen.Position, error) {
	w := where{conds: []string{"p.id = ?"}, args: []any{id}}
	if err := positionScope(ctx, &w); err != nil {
		return nil, err
	}
	p, err := scanPosition(s.db.queryRow(ctx, `SELECT `+positionColumns+positionFrom+w.String(), w.args...))
	return p, notFound(err, "岗位")
}

// entOwner checks that the caller may write for enterprise id: an
// enterprise user for its own (which it forces), a talent manager for any.
func entOwner(ctx context.Context, id *int64) (*zhagen.Actor, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	switch {
	case a.Has(zhagen.RoleEnterprise) && a.EnterpriseID != 0 && !a.CanManageTalent():
		if *id == 0 {
			*id = a.EnterpriseID
		}
		if *id != a.EnterpriseID {
			return nil, zhagen.Errorf(zhagen.ENOTFOUND, "企业不存在")
		}
	case a.CanManageTalent():
	default:
		return nil, zhagen.Errorf(zhagen.EFORBIDDEN, "当前角色无权办理企业人才事项")
	}
	return a, nil
}

func (tx *Tx) enterpriseName(ctx context.Context, id int64) (string, string, error) {
	var name, industry string
	err := tx.queryRow(ctx, `SELECT name, industry FROM enterprises WHERE id = ?`, id).Scan(&name, &industry)
	if err != nil {
		if notFound(err, "") != err {
			return "", "", &zhagen.Error{Code: zhagen.EINVALID, Field: "enterprise_id", Message: "企业不存在",
				Fields: []zhagen.FieldError{{Field: "enterprise_id", Message: "企业不存在"}}}
		}
		return "", "", err
	}
	return name, industry, nil
}

// CreatePosition stores a position waiting for review.
func (s *TalentService) CreatePosition(ctx context.Context, p *zhagen.Position) error {
	if _, err := entOwner(ctx, &p.EnterpriseID); err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if p.EnterpriseName, p.Industry, err = tx.enterpriseName(ctx, p.EnterpriseID); err != nil {
		return err
	}
	p.Status, p.ReviewNote, p.Version, p.CreatedAt, p.UpdatedAt = zhagen.PositionPending, "", 1, tx.now, tx.now
	p.ID, err = tx.insert(ctx, `INSERT INTO positions (enterprise_id, kind, title, majors, degree, number, place, salary_min, salary_max, period, description, status, review_note, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', 1, ?, ?)`,
		p.EnterpriseID, string(p.Kind), p.Title, jsonText(p.Majors), string(p.Degree), p.Number, p.Place, p.SalaryMin, p.SalaryMax, p.Period, p.Description, string(p.Status), tx.now, tx.now)
	if err != nil {
		return err
	}
	if err := tx.notify(ctx, recipients{roles: []zhagen.Role{zhagen.RoleDispatcher}}, "新岗位待审核："+p.Title, p.EnterpriseName+" 发布了岗位“"+p.Title+"”，请审核。", "/positions?status=pending"); err != nil {
		return err
	}
	if err := tx.bumpGeneration(ctx, "positions"); err != nil {
		return err
	}
	if err := tx.writeOpLog(ctx, "新建", "岗位", p.ID, p.EnterpriseName+" "+p.Title); err != nil {
		return err
	}
	return tx.Commit()
}

// ReviewPosition approves or rejects a position (talent managers).
func (s *TalentService) ReviewPosition(ctx context.Context, id int64, approve bool, note string) (*zhagen.Position, error) {
	if _, err := requireTalentManager(ctx); err != nil {
		return nil, err
	}
	note = strings.TrimSpace(note)
	if !approve && note == "" {
		return nil, &zhagen.Error{Code: zhagen.EINVALID, Field: "note", Message: "退回须填写原因", Fields: []zhagen.FieldError{{Field: "note", Message: "退回须填写原因"}}}
	}
	if len([]rune(note)) > 500 {
		return nil, &zhagen.Error{Code: zhagen.EINVALID, Field: "note", Message: "审核意见不能超过500个字"}
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	p, err := scanPosition(tx.queryRow(ctx, `SELECT `+positionColumns+positionFrom+` WHERE p.id = ?`, id))
	if err != nil {
		return nil, notFound(err, "岗位")
	}
	p.Status, p.ReviewNote = zhagen.PositionRejected, note
	if approve {
		p.Status = zhagen.PositionApproved
	}
	if _, err := tx.exec(ctx, `UPDATE positions SET status = ?, review_note = ?, version = version + 1, updated_at = ? WHERE id = ?`, string(p.Status), note, tx.now, id); err != nil {
		return nil, err
	}
	p.Version++
	p.UpdatedAt = tx.now
	body := "岗位“" + p.Title + "”已审核通过，已在招聘信息平台发布。"
	if !approve {
		body = "岗位“" + p.Title + "”被退回：" + note
	}
	if err := tx.notify(ctx, recipients{enterprise: p.EnterpriseID}, "岗位审核结果："+p.Status.Label(), body, "/positions"); err != nil {
		return nil, err
	}
	if err := tx.bumpGeneration(ctx, "positions"); err != nil {
		return nil, err
	}
	if err := tx.writeOpLog(ctx, "审核", "岗位", id, p.Title+" "+p.Status.Label()+" "+note); err != nil {
		return nil, err
	}
	return p, tx.Commit()
}

// ---- surveys ----

const surveyColumns = `s.id, s.enterprise_id, e.name, e.industry, s.period, s.lines, s.remarks, s.version, s.created_at, s.updated_at`
const surveyFrom = ` FROM surveys s JOIN enterprises e ON e.id = s.enterprise_id`

func scanSurvey(sc scanner) (*zhagen.Survey, error) {
	s := &zhagen.Survey{}
	var lines string
	if err := sc.Scan(&s.ID, &s.EnterpriseID, &s.EnterpriseName, &s.Industry, &s.Period, &lines, &s.Remarks, &s.Version, &s.CreatedAt, &s.UpdatedAt); err != nil {
		return nil, err
	}
	if json.Unmarshal([]byte(lines), &s.Lines) != nil || s.Lines == nil {
		s.Lines = []zhagen.SurveyLine{}
	}
	return s, nil
}

func surveyScope(ctx context.Context, w *where) error {
	a, err := requireActor(ctx)
	if err != nil {
		return err
	}
	switch {
	case a.IsGovernment():
	case a.Has(zhagen.RoleEnterprise) && a.EnterpriseID != 0:
		w.add("s.enterprise_id = ?", a.EnterpriseID)
	default:
		return zhagen.Errorf(zhagen.EFORBIDDEN, "当前角色无权查看人才需求摸底")
	}
	return nil
}

// FindSurveys returns the surveys of a period ("" for all) in scope.
func (s *TalentService) FindSurveys(ctx context.Context, period string) ([]*zhagen.Survey, error) {
	var w where
	if err := surveyScope(ctx, &w); err != nil {
		return nil, err
	}
	if period != "" {
		w.add("s.period = ?", period)
	}
	rows, err := s.db.query(ctx, `SELECT `+surveyColumns+surveyFrom+w.String()+` ORDER BY s.period DESC, e.name`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*zhagen.Survey{}
	for rows.Next() {
		sv, err := scanSurvey(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, sv)
	}
	return out, rows.Err()
}

// FindSurveyByID returns one survey in scope.
func (s *TalentService) FindSurveyByID(ctx context.Context, id int64) (*zhagen.Survey, error) {
	w := where{conds: []string{"s.id = ?"}, args: []any{id}}
	if err := surveyScope(ctx, &w); err != nil {
		return nil, err
	}
	sv, err := scanSurvey(s.db.queryRow(ctx, `SELECT `+surveyColumns+surveyFrom+w.String(), w.args...))
	return sv, notFound(err, "摸底记录")
}

// SaveSurvey creates or replaces the survey of an enterprise and period.
func (s *TalentService) SaveSurvey(ctx context.Context, sv *zhagen.Survey) error {
	if _, err := entOwner(ctx, &sv.EnterpriseID); err != nil {
		return err
	}
	if err := sv.Validate(); err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if sv.EnterpriseName, sv.Industry, err = tx.enterpriseName(ctx, sv.EnterpriseID); err != nil {
		return err
	}
	var id, version int64
	err = tx.queryRow(ctx, `SELECT id, version FROM surveys WHERE enterprise_id = ? AND period = ?`, sv.EnterpriseID, sv.Period).Scan(&id, &version)
	switch {
	case err == nil:
		if sv.Version != 0 && sv.Version != version {
			return staleError(nil, version)
		}
		if _, err := tx.exec(ctx, `UPDATE surveys SET lines = ?, remarks = ?, version = version + 1, updated_at = ? WHERE id = ?`, jsonText(sv.Lines), sv.Remarks, tx.now, id); err != nil {
			return err
		}
		sv.ID, sv.Version, sv.UpdatedAt = id, version+1, tx.now
	case notFound(err, "") != err:
		sv.Version, sv.CreatedAt, sv.UpdatedAt = 1, tx.now, tx.now
		if sv.ID, err = tx.insert(ctx, `INSERT INTO surveys (enterprise_id, period, lines, remarks, version, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?)`,
			sv.EnterpriseID, sv.Period, jsonText(sv.Lines), sv.Remarks, tx.now, tx.now); err != nil {
			return err
		}
	default:
		return err
	}
	if err := tx.writeOpLog(ctx, "填报", "人才需求摸底", sv.ID, sv.EnterpriseName+" "+sv.Period); err != nil {
		return err
	}
	return tx.Commit()
}

// SurveySummary adds up a period's surveys by major and industry and sets
// each major's demand against the registered graduates of that major.
func (s *TalentService) SurveySummary(ctx context.Context, period string) (*zhagen.SurveySummary, error) {
	if _, err := requireGovernment(ctx); err != nil {
		return nil, err
	}
	surveys, err := s.FindSurveys(ctx, period)
	if err != nil {
		return nil, err
	}
	supply := map[string]int{}
	rows, err := s.db.query(ctx, `SELECT major, COUNT(*) FROM graduates GROUP BY major`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var m string
		var n int
		if err := rows.Scan(&m, &n); err != nil {
			rows.Close()
			return nil, err
		}
		supply[m] = n
	}
	rows.Close()
	sum := &zhagen.SurveySummary{Period: period, Surveys: len(surveys), ByMajor: []zhagen.MajorDemand{}, ByIndustry: []zhagen.IndustryDemand{}}
	majors := map[string]*zhagen.MajorDemand{}
	weight := map[string]int{}
	inds := map[string]*zhagen.IndustryDemand{}
	for _, sv := range surveys {
		ind := inds[sv.Industry]
		if ind == nil {
			ind = &zhagen.IndustryDemand{Industry: sv.Industry}
			inds[sv.Industry] = ind
		}
		ind.Enterprises++
		for _, l := range sv.Lines {
			m := majors[l.Major]
			if m == nil {
				m = &zhagen.MajorDemand{Major: l.Major, Supply: supply[l.Major]}
				majors[l.Major] = m
			}
			m.Demand += l.Count
			weight[l.Major] += l.Count * l.Difficulty
			ind.Demand += l.Count
			if l.Difficulty == 3 {
				ind.Hard += l.Count
			}
		}
	}
	for _, m := range majors {
		m.Gap = max(0, m.Demand-m.Supply)
		if m.Demand > 0 {
			m.Difficulty = float64(weight[m.Major]*10/m.Demand) / 10
		}
		sum.ByMajor = append(sum.ByMajor, *m)
	}
	sort.Slice(sum.ByMajor, func(i, j int) bool {
		a, b := sum.ByMajor[i], sum.ByMajor[j]
		if a.Gap != b.Gap {
			return a.Gap > b.Gap
		}
		if a.Demand != b.Demand {
			return a.Demand > b.Demand
		}
		return a.Major < b.Major
	})
	for _, i := range inds {
		sum.ByIndustry = append(sum.ByIndustry, *i)
	}
	sort.Slice(sum.ByIndustry, func(i, j int) bool {
		a, b := sum.ByIndustry[i], sum.ByIndustry[j]
		if a.Demand != b.Demand {
			return a.Demand > b.Demand
		}
		return a.Industry < b.Industry
	})
	return sum, nil
}

// ---- universities ----

// FindUniversities lists the universities with their contacts
// (government roles).
func (s *TalentService) FindUniversities(ctx context.Context) ([]*zhagen.University, error) {
	if _, err := requireGovernment(ctx); err != nil {
		return nil, err
	}
	rows, err := s.db.query(ctx, `SELECT d.id, d.name, (SELECT COUNT(*) FROM graduates g WHERE g.university = d.name) FROM departments d WHERE d.kind = ? AND d.archived = FALSE ORDER BY d.sort, d.id`, string(zhagen.DeptUniversity))
	if err != nil {
		return nil, err
	}
	out := []*zhagen.University{}
	byID := map[int64]*zhagen.University{}
	for rows.Next() {
		u := &zhagen.University{Contacts: []*zhagen.UniversityContact{}}
		if err := rows.Scan(&u.ID, &u.Name, &u.Graduates); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, u)
		byID[u.ID] = u
	}
	rows.Close()
	contacts, err := s.contacts(ctx, 0)
	if err != nil {
		return nil, err
	}
	for _, c := range contacts {
		if u := byID[c.UniversityID]; u != nil {
			u.Contacts = append(u.Contacts, c)
		}
	}
	return out, nil
}

func (s *TalentService) contacts(ctx context.Context, deptID int64) ([]*zhagen.UniversityContact, error) {
	q, args := `SELECT id, dept_id, kind, name, title, phone, email, created_at FROM university_contacts`, []any{}
	if deptID != 0 {
		q += ` WHERE dept_id = ?`
		args = append(args, deptID)
	}
	rows, err := s.db.query(ctx, q+` ORDER BY dept_id, kind, id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*zhagen.UniversityContact{}
	for rows.Next() {
		c := &zhagen.UniversityContact{}
		if err := rows.Scan(&c.ID, &c.UniversityID, &c.Kind, &c.Name, &c.Title, &c.Phone, &c.Email, &c.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// FindUniversityByID returns a university with contacts and outreach.
func (s *TalentService) FindUniversityByID(ctx context.Context, id int64) (*zhagen.University, error) {
	if _, err := requireGovernment(ctx); err != nil {
		return nil, err
	}
	u := &zhagen.University{}
	err := s.db.queryRow(ctx, `SELECT d.id, d.name, (SELECT COUNT(*) FROM graduates g WHERE g.university = d.name) FROM departments d WHERE d.id = ? AND d.kind = ?`, id, string(zhagen.DeptUniversity)).Scan(&u.ID, &u.Name, &u.Graduates)
	if err != nil {
		return nil, notFound(err, "高校")
	}
	if u.Contacts, err = s.contacts(ctx, id); err != nil {
		return nil, err
	}
	rows, err := s.db.query(ctx, `SELECT id, dept_id, date, kind, summary, by_name, created_at FROM university_outreach WHERE dept_id = ? ORDER BY date DESC, id DESC`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	u.Outreach = []*zhagen.Outreach{}
	for rows.Next() {
		o := &zhagen.Outreach{}
		if err := rows.Scan(&o.ID, &o.UniversityID, &o.Date, &o.Kind, &o.Summary, &o.ByName, &o.CreatedAt); err != nil {
			return nil, err
		}
		u.Outreach = append(u.Outreach, o)
	}
	return u, rows.Err()
}

func (tx *Tx) checkUniversity(ctx context.Context, id int64) error {
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM departments WHERE id = ? AND kind = ?`, id, string(zhagen.DeptUniversity)).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return zhagen.Errorf(zhagen.ENOTFOUND, "高校不存在")
	}
	return nil
}

// AddUniversityContact adds a career-office or student-union contact.
func (s *TalentService) AddUniversityContact(ctx context.Context, c *zhagen.UniversityContact) error {
	if _, err := requireTalentManager(ctx); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.checkUniversity(ctx, c.UniversityID); err != nil {
		return err
	}
	c.CreatedAt = tx.now
	if c.ID, err = tx.insert(ctx, `INSERT INTO university_contacts (dept_id, kind, name, title, phone, email, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		c.UniversityID, string(c.Kind), c.Name, c.Title, c.Phone, c.Email, tx.now); err != nil {
		return err
	}
	if err := tx.writeOpLog(ctx, "新建", "高校联系人", c.ID, c.Kind.Label()+" "+c.Name); err != nil {
		return err
	}
	return tx.Commit()
}

// DeleteUniversityContact removes a contact.
func (s *TalentService) DeleteUniversityContact(ctx context.Context, universityID, id int64) error {
	if _, err := requireTalentManager(ctx); err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.exec(ctx, `DELETE FROM university_contacts WHERE id = ? AND dept_id = ?`, id, universityID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return zhagen.Errorf(zhagen.ENOTFOUND, "联系人不存在")
	}
	if err := tx.writeOpLog(ctx, "删除", "高校联系人", id, ""); err != nil {
		return err
	}
	return tx.Commit()
}

// AddOutreach records a contact made with a university.
func (s *TalentService) AddOutreach(ctx context.Context, o *zhagen.Outreach) error {
	a, err := requireTalentManager(ctx)
	if err != nil {
		return err
	}
	if err := o.Validate(); err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.checkUniversity(ctx, o.UniversityID); err != nil {
		return err
	}
	o.ByName, o.CreatedAt = a.Name, tx.now
	if o.ID, err = tx.insert(ctx, `INSERT INTO university_outreach (dept_id, date, kind, summary, by_name, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		o.UniversityID, o.Date, o.Kind, o.Summary, o.ByName, tx.now); err != nil {
		return err
	}
	if err := tx.writeOpLog(ctx, "新建", "高校对接", o.ID, o.Date+" "+o.Kind); err != nil {
		return err
	}
	return tx.Commit()
}

// ---- graduates ----

const graduateColumns = `g.id, g.user_id, g.name, g.university, g.major, g.degree, g.grad_year, g.skills, g.phone, g.consent, g.version, g.created_at, g.updated_at`

func scanGraduate(sc scanner, extra ...any) (*zhagen.Graduate, error) {
	g := &zhagen.Graduate{}
	var skills string
	dest := append([]any{&g.ID, &g.UserID, &g.Name, &g.University, &g.Major, &g.Degree, &g.GradYear, &skills, &g.Phone, &g.Consent, &g.Version, &g.CreatedAt, &g.UpdatedAt}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	g.Skills = jsonStrings(skills)
	return g, nil
}

// graduateScope: government roles see every graduate; an enterprise only
// consenting graduates who applied to its own programme positions; a
// graduate only themself.
func graduateScope(ctx context.Context, w *where) error {
	a, err := requireActor(ctx)
	if err != nil {
		return err
	}
	switch {
	case a.IsGovernment():
	case a.Has(zhagen.RoleEnterprise) && a.EnterpriseID != 0:
		w.add(`g.consent = TRUE AND g.id IN (SELECT c.graduate_id FROM programme_choices c JOIN programme_positions pp ON pp.id = c.position_id WHERE pp.enterprise_id = ?)`, a.EnterpriseID)
	case a.Has(zhagen.RoleGraduate):
		w.add("g.user_id = ?", a.UserID)
	default:
		return zhagen.Errorf(zhagen.EFORBIDDEN, "当前角色无权查看毕业生信息")
	}
	return nil
}

// RegisterGraduate creates a graduate's user and record; no login needed.
func (s *TalentService) RegisterGraduate(ctx context.Context, reg *zhagen.GraduateRegistration) (*zhagen.Graduate, error) {
	g := reg.Graduate
	u := &zhagen.User{Login: reg.Login, Name: g.Name, Roles: []zhagen.Role{zhagen.RoleGraduate}, Phone: g.Phone, Password: reg.Password}
	var v zhagen.Validation
	if reg.Password == "" {
		v.Add("password", "请设置密码")
	}
	if err := u.Validate(); err != nil {
		for f, m := range zhagen.FieldErrors(err) {
			if f == "login" || f == "password" {
				v.Add(f, m)
			}
		}
	}
	if err := g.Validate(); err != nil {
		for _, fe := range err.(*zhagen.Error).Fields {
			v.Add(fe.Field, fe.Message)
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	hash, err := hashPassword(reg.Password)
	if err != nil {
		return nil, err
	}
	reg.Password = ""
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	u.ID, err = tx.insert(ctx, `INSERT INTO users (login, name, roles, rank, expertise, phone, password_hash, version, created_at, updated_at) VALUES (?, ?, ?, '', '[]', ?, ?, 1, ?, ?)`,
		u.Login, g.Name, string(zhagen.RoleGraduate), g.Phone, hash, tx.now, tx.now)
	if isUniqueViolation(err) {
		return nil, &zhagen.Error{Code: zhagen.ECONFLICT, Field: "login", Message: "登录名已被使用", Fields: []zhagen.FieldError{{Field: "login", Message: "登录名已被使用"}}}
	} else if err != nil {
		return nil, err
	}
	g.UserID, g.Version, g.CreatedAt, g.UpdatedAt = u.ID, 1, tx.now, tx.now
	if g.ID, err = tx.insert(ctx, `INSERT INTO graduates (user_id, name, university, major, degree, grad_year, skills, phone, consent, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		g.UserID, g.Name, g.University, g.Major, string(g.Degree), g.GradYear, jsonText(g.Skills), g.Phone, g.Consent, tx.now, tx.now); err != nil {
		return nil, err
	}
	if err := tx.bumpGeneration(ctx, "graduates"); err != nil {
		return nil, err
	}
	if err := tx.writeOpLog(ctx, "注册", "毕业生", g.ID, u.Login+" "+g.Name+" "+g.University+" "+g.Major); err != nil {
		return nil, err
	}
	return &g, tx.Commit()
}

// FindGraduates returns the graduates in the caller's scope.
func (s *TalentService) FindGraduates(ctx context.Context, f zhagen.GraduateFilter) ([]*zhagen.Graduate, int, error) {
	var w where
	if err := graduateScope(ctx, &w); err != nil {
		return nil, 0, err
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		w.add(`(g.name LIKE ? ESCAPE '\' OR g.major LIKE ? ESCAPE '\' OR g.university LIKE ? ESCAPE '\')`, likeArg(q), likeArg(q), likeArg(q))
	}
	if f.Major != "" {
		w.add("g.major = ?", f.Major)
	}
	if f.University != "" {
		w.add("g.university = ?", f.University)
	}
	rows, err := s.db.query(ctx, `SELECT `+graduateColumns+`, COUNT(*) OVER() FROM graduates g`+w.String()+` ORDER BY g.id LIMIT ? OFFSET ?`,
		append(w.args, zhagen.ClampLimit(f.Limit, 25, 200), max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []*zhagen.Graduate{}
	total := 0
	for rows.Next() {
		g, err := scanGraduate(rows, &total)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, g)
	}
	return out, total, rows.Err()
}

// FindGraduateByID returns one graduate in the caller's scope.
func (s *TalentService) FindGraduateByID(ctx context.Context, id int64) (*zhagen.Graduate, error) {
	w := where{conds: []string{"g.id = ?"}, args: []any{id}}
	if err := graduateScope(ctx, &w); err != nil {
		return nil, err
	}
	g, err := scanGraduate(s.db.queryRow(ctx, `SELECT `+graduateColumns+` FROM graduates g`+w.String(), w.args...))
	return g, notFound(err, "毕业生")
}

// MyGraduate returns the caller's own graduate record.
func (s *TalentService) MyGraduate(ctx context.Context) (*zhagen.Graduate, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	g, err := scanGraduate(s.db.queryRow(ctx, `SELECT `+graduateColumns+` FROM graduates g WHERE g.user_id = ?`, a.UserID))
	return g, notFound(err, "毕业生信息")
}

// UpdateGraduate changes a graduate's record: the graduate themself or an
// administrator.
func (s *TalentService) UpdateGraduate(ctx context.Context, id int64, upd zhagen.GraduateUpdate) (*zhagen.Graduate, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	w := where{conds: []string{"g.id = ?"}, args: []any{id}}
	if !a.CanAdmin() {
		if !a.Has(zhagen.RoleGraduate) {
			if a.IsGovernment() {
				return nil, zhagen.Errorf(zhagen.EFORBIDDEN, "毕业生信息只能由本人修改")
			}
			return nil, zhagen.Errorf(zhagen.ENOTFOUND, "毕业生不存在")
		}
		w.add("g.user_id = ?", a.UserID)
	}
	g, err := scanGraduate(tx.queryRow(ctx, `SELECT `+graduateColumns+` FROM graduates g`+w.String(), w.args...))
	if err != nil {
		return nil, notFound(err, "毕业生")
	}
	if g.Version != upd.Version {
		return nil, staleError(g, g.Version)
	}
	upd.Apply(g)
	if err := g.Validate(); err != nil {
		return nil, err
	}
	res, err := tx.exec(ctx, `UPDATE graduates SET name = ?, university = ?, major = ?, degree = ?, grad_year = ?, skills = ?, phone = ?, consent = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
		g.Name, g.University, g.Major, string(g.Degree), g.GradYear, jsonText(g.Skills), g.Phone, g.Consent, tx.now, id, upd.Version)
	if err != nil {
		return nil, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil, staleError(g, g.Version)
	}
	g.Version++
	g.UpdatedAt = tx.now
	if err := tx.bumpGeneration(ctx, "graduates"); err != nil {
		return nil, err
	}
	if err := tx.writeOpLog(ctx, "修改", "毕业生", id, g.Name); err != nil {
		return nil, err
	}
	return g, tx.Commit()
}

// CreateGraduate records a graduate on their behalf (talent managers).
func (s *TalentService) CreateGraduate(ctx context.Context, g *zhagen.Graduate, login string) error {
	if _, err := requireTalentManager(ctx); err != nil {
		return err
	}
	if err := g.Validate(); err != nil {
		return err
	}
	u := &zhagen.User{Login: login, Name: g.Name, Roles: []zhagen.Role{zhagen.RoleGraduate}}
	if err := u.Validate(); err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var uid int64
	var roles string
	err = tx.queryRow(ctx, `SELECT id, roles FROM users WHERE login = ?`, u.Login).Scan(&uid, &roles)
	switch {
	case err == nil:
		if !(&zhagen.Actor{Roles: zhagen.ParseRoles(roles)}).Has(zhagen.RoleGraduate) {
			return &zhagen.Error{Code: zhagen.ECONFLICT, Field: "login", Message: "该登录名属于非毕业生用户", Fields: []zhagen.FieldError{{Field: "login", Message: "该登录名属于非毕业生用户"}}}
		}
	case notFound(err, "") != err:
		if uid, err = tx.insert(ctx, `INSERT INTO users (login, name, roles, rank, expertise, phone, password_hash, version, created_at, updated_at) VALUES (?, ?, ?, '', '[]', ?, '', 1, ?, ?)`,
			u.Login, g.Name, string(zhagen.RoleGraduate), g.Phone, tx.now, tx.now); err != nil {
			return err
		}
	default:
		return err
	}
	g.UserID, g.Version, g.CreatedAt, g.UpdatedAt = uid, 1, tx.now, tx.now
	g.ID, err = tx.insert(ctx, `INSERT INTO graduates (user_id, name, university, major, degree, grad_year, skills, phone, consent, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		g.UserID, g.Name, g.University, g.Major, string(g.Degree), g.GradYear, jsonText(g.Skills), g.Phone, g.Consent, tx.now, tx.now)
	if isUniqueViolation(err) {
		return &zhagen.Error{Code: zhagen.ECONFLICT, Field: "login", Message: "该用户已有毕业生信息", Fields: []zhagen.FieldError{{Field: "login", Message: "该用户已有毕业生信息"}}}
	} else if err != nil {
		return err
	}
	if err := tx.bumpGeneration(ctx, "graduates"); err != nil {
		return err
	}
	if err := tx.writeOpLog(ctx, "代录", "毕业生", g.ID, u.Login+" "+g.Name); err != nil {
		return err
	}
	return tx.Commit()
}
