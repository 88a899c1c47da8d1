package sqldb

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"zhagen"
	"zhagen/match"
)

// ---- programmes ----

// FindProgrammes lists the programmes with their sizes to any logged-in
// caller.
func (s *TalentService) FindProgrammes(ctx context.Context) ([]*zhagen.Programme, error) {
	if _, err := requireActor(ctx); err != nil {
		return nil, err
	}
	rows, err := s.db.query(ctx, `SELECT p.id, p.name, p.description, p.reg_open, p.reg_close, p.max_choices, p.version, p.created_at,
		(SELECT COUNT(*) FROM programme_applicants a WHERE a.programme_id = p.id AND a.withdrawn = FALSE),
		(SELECT COALESCE(SUM(capacity), 0) FROM programme_positions pp WHERE pp.programme_id = p.id),
		(SELECT COUNT(DISTINCT enterprise_id) FROM programme_positions pp WHERE pp.programme_id = p.id)
		FROM programmes p ORDER BY p.reg_open DESC, p.id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*zhagen.Programme{}
	for rows.Next() {
		p := &zhagen.Programme{}
		if err := rows.Scan(&p.ID, &p.Name, &p.Description, &p.RegOpen, &p.RegClose, &p.MaxChoices, &p.Version, &p.CreatedAt, &p.Applicants, &p.Capacity, &p.Enterprises); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func (s *TalentService) programme(ctx context.Context, id int64) (*zhagen.Programme, error) {
	p := &zhagen.Programme{}
	err := s.db.queryRow(ctx, `SELECT id, name, description, reg_open, reg_close, max_choices, version, created_at FROM programmes WHERE id = ?`, id).
		Scan(&p.ID, &p.Name, &p.Description, &p.RegOpen, &p.RegClose, &p.MaxChoices, &p.Version, &p.CreatedAt)
	return p, notFound(err, "项目")
}

func (s *TalentService) programmePositions(ctx context.Context, programmeID int64) ([]*zhagen.ProgrammePosition, error) {
	rows, err := s.db.query(ctx, `SELECT pp.id, pp.programme_id, pp.enterprise_id, e.name, pp.title, pp.majors, pp.degree, pp.skills, pp.capacity,
		(SELECT COUNT(*) FROM programme_choices c JOIN programme_applicants a ON a.programme_id = c.programme_id AND a.graduate_id = c.graduate_id WHERE c.position_id = pp.id AND a.withdrawn = FALSE)
		FROM programme_positions pp JOIN enterprises e ON e.id = pp.enterprise_id WHERE pp.programme_id = ? ORDER BY e.name, pp.id`, programmeID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*zhagen.ProgrammePosition{}
	for rows.Next() {
		pp := &zhagen.ProgrammePosition{}
		var majors, skills string
		if err := rows.Scan(&pp.ID, &pp.ProgrammeID, &pp.EnterpriseID, &pp.EnterpriseName, &pp.Title, &majors, &pp.Degree, &skills, &pp.Capacity, &pp.Applicants); err != nil {
			return nil, err
		}
		pp.Majors, pp.Skills = jsonStrings(majors), jsonStrings(skills)
		out = append(out, pp)
	}
	return out, rows.Err()
}

// FindProgrammeByID returns a programme with its positions and latest run.
func (s *TalentService) FindProgrammeByID(ctx context.Context, id int64) (*zhagen.Programme, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.programme(ctx, id)
	if err != nil {
		return nil, err
	}
	if p.Positions, err = s.programmePositions(ctx, id); err != nil {
		return nil, err
	}
	ents := map[int64]bool{}
	for _, pp := range p.Positions {
		p.Capacity += pp.Capacity
		ents[pp.EnterpriseID] = true
		if !a.IsGovernment() && pp.EnterpriseID != a.EnterpriseID {
			pp.Applicants = 0 // others' demand is not an enterprise's business
		}
	}
	p.Enterprises = len(ents)
	if err := s.db.queryRow(ctx, `SELECT COUNT(*) FROM programme_applicants WHERE programme_id = ? AND withdrawn = FALSE`, id).Scan(&p.Applicants); err != nil {
		return nil, err
	}
	run, err := s.latestRun(ctx, id, !a.IsGovernment())
	if err != nil {
		return nil, err
	}
	if run != nil {
		p.LatestRun = run
		if a.IsGovernment() || a.EnterpriseID != 0 {
			counts := map[int64]int{}
			rows, err := s.db.query(ctx, `SELECT position_id, COUNT(*) FROM match_results WHERE run_id = ? AND position_id IS NOT NULL GROUP BY position_id`, run.ID)
			if err != nil {
				return nil, err
			}
			for rows.Next() {
				var pid int64
				var n int
				if err := rows.Scan(&pid, &n); err != nil {
					rows.Close()
					return nil, err
				}
				counts[pid] = n
			}
			rows.Close()
			for _, pp := range p.Positions {
				if a.IsGovernment() || pp.EnterpriseID == a.EnterpriseID {
					pp.Matched = counts[pp.ID]
				}
			}
		}
	}
	return p, nil
}

const runColumns = `id, programme_id, status, done, total, proposals, matched, unmatched, blocking, by_name, started_at, finished_at, published_at`

func scanRun(sc scanner) (*zhagen.MatchRun, error) {
	r := &zhagen.MatchRun{}
	err := sc.Scan(&r.ID, &r.ProgrammeID, &r.Status, &r.Done, &r.Total, &r.Proposals, &r.Matched, &r.Unmatched, &r.BlockingPairs, &r.ByName, &r.StartedAt, &r.FinishedAt, &r.PublishedAt)
	return r, err
}

// latestRun returns the newest run of a programme (the newest published
// one when publishedOnly), or nil.
func (s *TalentService) latestRun(ctx context.Context, programmeID int64, publishedOnly bool) (*zhagen.MatchRun, error) {
	q := `SELECT ` + runColumns + ` FROM match_runs WHERE programme_id = ?`
	if publishedOnly {
		q += ` AND published_at IS NOT NULL`
	}
	r, err := scanRun(s.db.queryRow(ctx, q+` ORDER BY id DESC LIMIT 1`, programmeID))
	if err != nil {
		if notFound(err, "") != err {
			return nil, nil
		}
		return nil, err
	}
	return r, nil
}

// CreateProgramme stores a programme (talent managers).
func (s *TalentService) CreateProgramme(ctx context.Context, p *zhagen.Programme) error {
	if _, err := requireTalentManager(ctx); err != nil {
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
	p.Version, p.CreatedAt = 1, tx.now
	p.ID, err = tx.insert(ctx, `INSERT INTO programmes (name, description, reg_open, reg_close, max_choices, version, created_at) VALUES (?, ?, ?, ?, ?, 1, ?)`,
		p.Name, p.Description, p.RegOpen, p.RegClose, p.MaxChoices, tx.now)
	if isUniqueViolation(err) {
		return &zhagen.Error{Code: zhagen.ECONFLICT, Field: "name", Message: "已有同名项目", Fields: []zhagen.FieldError{{Field: "name", Message: "已有同名项目"}}}
	} else if err != nil {
		return err
	}
	if err := tx.writeOpLog(ctx, "新建", "人才项目", p.ID, p.Name); err != nil {
		return err
	}
	return tx.Commit()
}

// AddProgrammePosition adds an enterprise's offer to a programme (talent
// managers).
func (s *TalentService) AddProgrammePosition(ctx context.Context, pp *zhagen.ProgrammePosition) error {
	if _, err := requireTalentManager(ctx); err != nil {
		return err
	}
	if err := pp.Validate(); err != nil {
		return err
	}
	if _, err := s.programme(ctx, pp.ProgrammeID); err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if pp.EnterpriseName, _, err = tx.enterpriseName(ctx, pp.EnterpriseID); err != nil {
		return err
	}
	if pp.ID, err = tx.insert(ctx, `INSERT INTO programme_positions (programme_id, enterprise_id, title, majors, degree, skills, capacity, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		pp.ProgrammeID, pp.EnterpriseID, pp.Title, jsonText(pp.Majors), string(pp.Degree), jsonText(pp.Skills), pp.Capacity, tx.now); err != nil {
		return err
	}
	if err := tx.writeOpLog(ctx, "新建", "项目岗位", pp.ID, pp.EnterpriseName+" "+pp.Title); err != nil {
		return err
	}
	return tx.Commit()
}

// ownGraduateID returns the caller's graduate id, or 0.
func (s *TalentService) ownGraduateID(ctx context.Context, a *zhagen.Actor) (int64, error) {
	if !a.Has(zhagen.RoleGraduate) {
		return 0, nil
	}
	var id int64
	err := s.db.queryRow(ctx, `SELECT id FROM graduates WHERE user_id = ?`, a.UserID).Scan(&id)
	if err != nil && notFound(err, "") == err {
		return 0, err
	}
	return id, nil
}

// applicantFor resolves whose application the caller acts on: a graduate
// only their own (another graduate's id is ENOTFOUND), a talent manager
// anybody's.
func (s *TalentService) applicantFor(ctx context.Context, graduateID *int64) (*zhagen.Actor, bool, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, false, err
	}
	if a.CanManageTalent() {
		if *graduateID == 0 {
			return nil, false, &zhagen.Error{Code: zhagen.EINVALID, Field: "graduate_id", Message: "请指定毕业生"}
		}
		return a, true, nil
	}
	own, err := s.ownGraduateID(ctx, a)
	if err != nil {
		return nil, false, err
	}
	if own == 0 {
		return nil, false, zhagen.Errorf(zhagen.EFORBIDDEN, "仅毕业生本人或人才服务人员可以办理报名")
	}
	if *graduateID == 0 {
		*graduateID = own
	}
	if *graduateID != own {
		return nil, false, zhagen.Errorf(zhagen.ENOTFOUND, "毕业生不存在")
	}
	return a, false, nil
}

// SetChoices replaces a graduate's ranked choices.
func (s *TalentService) SetChoices(ctx context.Context, app *zhagen.Application) error {
	_, manager, err := s.applicantFor(ctx, &app.GraduateID)
	if err != nil {
		return err
	}
	p, err := s.programme(ctx, app.ProgrammeID)
	if err != nil {
		return err
	}
	positions, err := s.programmePositions(ctx, p.ID)
	if err != nil {
		return err
	}
	valid := map[int64]bool{}
	for _, pp := range positions {
		valid[pp.ID] = true
	}
	var v zhagen.Validation
	seen := map[int64]bool{}
	for _, id := range app.PositionIDs {
		if !valid[id] {
			v.Add("position_ids", fmt.Sprintf("岗位 %d 不属于本项目", id))
		} else if seen[id] {
			v.Add("position_ids", "同一岗位不能重复填报")
		}
		seen[id] = true
	}
	if len(app.PositionIDs) == 0 {
		v.Add("position_ids", "请至少填报一个志愿")
	} else if len(app.PositionIDs) > p.MaxChoices {
		v.Add("position_ids", fmt.Sprintf("最多填报%d个志愿", p.MaxChoices))
	}
	if err := v.Err(); err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if today := tx.now.In(zhagen.Shanghai).Format(time.DateOnly); !manager && !p.RegistrationOpen(today) {
		return zhagen.Errorf(zhagen.ECONFLICT, "不在报名时间内（%s 至 %s）", p.RegOpen, p.RegClose)
	}
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM graduates WHERE id = ?`, app.GraduateID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return zhagen.Errorf(zhagen.ENOTFOUND, "毕业生不存在")
	}
	// Keep the ranks enterprises already entered.
	ranks := map[int64]int{}
	rows, err := tx.QueryContext(ctx, s.db.dialect.rebind(`SELECT position_id, ent_rank FROM programme_choices WHERE programme_id = ? AND graduate_id = ?`), p.ID, app.GraduateID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var pid int64
		var r int
		if err := rows.Scan(&pid, &r); err != nil {
			rows.Close()
			return err
		}
		ranks[pid] = r
	}
	rows.Close()
	if _, err := tx.exec(ctx, `DELETE FROM programme_choices WHERE programme_id = ? AND graduate_id = ?`, p.ID, app.GraduateID); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM programme_applicants WHERE programme_id = ? AND graduate_id = ?`, p.ID, app.GraduateID); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `INSERT INTO programme_applicants (programme_id, graduate_id, withdrawn, created_at) VALUES (?, ?, FALSE, ?)`, p.ID, app.GraduateID, tx.now); err != nil {
		return err
	}
	for i, pid := range app.PositionIDs {
		if _, err := tx.exec(ctx, `INSERT INTO programme_choices (programme_id, graduate_id, position_id, choice, ent_rank) VALUES (?, ?, ?, ?, ?)`, p.ID, app.GraduateID, pid, i+1, ranks[pid]); err != nil {
			return err
		}
	}
	app.Withdrawn = false
	if err := tx.writeOpLog(ctx, "填报志愿", "人才项目", p.ID, fmt.Sprintf("毕业生 %d 填报 %d 个志愿", app.GraduateID, len(app.PositionIDs))); err != nil {
		return err
	}
	return tx.Commit()
}

// FindApplication returns a graduate's choices in a programme.
func (s *TalentService) FindApplication(ctx context.Context, programmeID, graduateID int64) (*zhagen.Application, error) {
	if _, _, err := s.applicantFor(ctx, &graduateID); err != nil {
		return nil, err
	}
	app := &zhagen.Application{ProgrammeID: programmeID, GraduateID: graduateID, PositionIDs: []int64{}}
	err := s.db.queryRow(ctx, `SELECT withdrawn FROM programme_applicants WHERE programme_id = ? AND graduate_id = ?`, programmeID, graduateID).Scan(&app.Withdrawn)
	if err != nil {
		return nil, notFound(err, "报名记录")
	}
	rows, err := s.db.query(ctx, `SELECT position_id FROM programme_choices WHERE programme_id = ? AND graduate_id = ? ORDER BY choice`, programmeID, graduateID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		app.PositionIDs = append(app.PositionIDs, id)
	}
	return app, rows.Err()
}

// WithdrawApplication takes a graduate out of a programme; the next run
// leaves them out.
func (s *TalentService) WithdrawApplication(ctx context.Context, programmeID, graduateID int64) error {
	if _, _, err := s.applicantFor(ctx, &graduateID); err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.exec(ctx, `UPDATE programme_applicants SET withdrawn = TRUE WHERE programme_id = ? AND graduate_id = ? AND withdrawn = FALSE`, programmeID, graduateID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return zhagen.Errorf(zhagen.ENOTFOUND, "报名记录不存在或已退出")
	}
	if err := tx.writeOpLog(ctx, "退出", "人才项目", programmeID, fmt.Sprintf("毕业生 %d 退出", graduateID)); err != nil {
		return err
	}
	return tx.Commit()
}

// progData is a programme loaded for ranking and matching.
type progData struct {
	positions  []*zhagen.ProgrammePosition
	posIndex   map[int64]int
	grads      map[int64]*zhagen.Graduate
	order      []int64 // graduate ids of the applicants, ascending
	withdrawn  map[int64]bool
	choices    map[int64][]int64 // graduate → position ids, first choice first
	byPosition map[int64][]*zhagen.Applicant
}

func (s *TalentService) loadProgramme(ctx context.Context, programmeID int64) (*progData, error) {
	d := &progData{posIndex: map[int64]int{}, grads: map[int64]*zhagen.Graduate{}, withdrawn: map[int64]bool{},
		choices: map[int64][]int64{}, byPosition: map[int64][]*zhagen.Applicant{}}
	var err error
	if d.positions, err = s.programmePositions(ctx, programmeID); err != nil {
		return nil, err
	}
	for i, pp := range d.positions {
		d.posIndex[pp.ID] = i
	}
	rows, err := s.db.query(ctx, `SELECT `+graduateColumns+`, a.withdrawn FROM programme_applicants a JOIN graduates g ON g.id = a.graduate_id WHERE a.programme_id = ? ORDER BY g.id`, programmeID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var w bool
		g, err := scanGraduate(rows, &w)
		if err != nil {
			rows.Close()
			return nil, err
		}
		d.grads[g.ID], d.withdrawn[g.ID] = g, w
		d.order = append(d.order, g.ID)
	}
	rows.Close()
	rows, err = s.db.query(ctx, `SELECT graduate_id, position_id, choice, ent_rank FROM programme_choices WHERE programme_id = ? ORDER BY graduate_id, choice`, programmeID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var gid, pid int64
		var choice, rank int
		if err := rows.Scan(&gid, &pid, &choice, &rank); err != nil {
			return nil, err
		}
		g := d.grads[gid]
		i, ok := d.posIndex[pid]
		if g == nil || !ok {
			continue
		}
		d.choices[gid] = append(d.choices[gid], pid)
		d.byPosition[pid] = append(d.byPosition[pid], &zhagen.Applicant{PositionID: pid, GraduateID: gid, Graduate: g, Choice: choice,
			EnteredRank: rank, Score: zhagen.ScoreApplicant(d.positions[i], g), Withdrawn: d.withdrawn[gid]})
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// The enterprise's order: entered ranks first, then by score, then by
	// registration; applicants neither ranked nor acceptable by score are
	// not acceptable (Rank 0).
	for _, list := range d.byPosition {
		sort.SliceStable(list, func(i, j int) bool {
			a, b := list[i], list[j]
			ka, kb := a.EnteredRank > 0 || a.Score.Acceptable, b.EnteredRank > 0 || b.Score.Acceptable
			if ka != kb {
				return ka
			}
			if (a.EnteredRank > 0) != (b.EnteredRank > 0) {
				return a.EnteredRank > 0
			}
			if a.EnteredRank != b.EnteredRank {
				return a.EnteredRank < b.EnteredRank
			}
			if a.Score.Total != b.Score.Total {
				return a.Score.Total > b.Score.Total
			}
			return a.GraduateID < b.GraduateID
		})
		r := 0
		for _, ap := range list {
			if ap.EnteredRank > 0 || ap.Score.Acceptable {
				if !ap.Withdrawn {
					r++
					ap.Rank = r
				}
			}
		}
	}
	return d, nil
}

// positionFor returns a programme position the caller may see applicants
// of: government roles any, an enterprise only its own.
func (s *TalentService) positionFor(ctx context.Context, positionID int64, write bool) (*zhagen.Actor, *zhagen.ProgrammePosition, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, nil, err
	}
	var w where
	w.add("id = ?", positionID)
	switch {
	case a.CanManageTalent() || (!write && a.IsGovernment()):
	case a.Has(zhagen.RoleEnterprise) && a.EnterpriseID != 0:
		w.add("enterprise_id = ?", a.EnterpriseID)
	case a.IsGovernment():
		return nil, nil, zhagen.Errorf(zhagen.EFORBIDDEN, "仅企业本身或人才服务人员可以排序")
	default:
		return nil, nil, zhagen.Errorf(zhagen.EFORBIDDEN, "当前角色无权查看申请人")
	}
	pp := &zhagen.ProgrammePosition{}
	err = s.db.queryRow(ctx, `SELECT id, programme_id, enterprise_id FROM programme_positions`+w.String(), w.args...).Scan(&pp.ID, &pp.ProgrammeID, &pp.EnterpriseID)
	if err != nil {
		return nil, nil, notFound(err, "项目岗位")
	}
	return a, pp, nil
}

// FindApplicants returns the applicants to a programme position in the
// enterprise's order, with scores and their derivation.
func (s *TalentService) FindApplicants(ctx context.Context, positionID int64) ([]*zhagen.Applicant, error) {
	a, pp, err := s.positionFor(ctx, positionID, false)
	if err != nil {
		return nil, err
	}
	d, err := s.loadProgramme(ctx, pp.ProgrammeID)
	if err != nil {
		return nil, err
	}
	out := []*zhagen.Applicant{}
	for _, ap := range d.byPosition[positionID] {
		if !a.IsGovernment() && !ap.Graduate.Consent {
			continue // withheld consent: invisible to enterprises
		}
		out = append(out, ap)
	}
	return out, nil
}

// SetRanking stores an enterprise's order of applicants to a position.
func (s *TalentService) SetRanking(ctx context.Context, positionID int64, graduateIDs []int64) error {
	_, pp, err := s.positionFor(ctx, positionID, true)
	if err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	seen := map[int64]bool{}
	for _, gid := range graduateIDs {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM programme_choices WHERE position_id = ? AND graduate_id = ?`, positionID, gid).Scan(&n); err != nil {
			return err
		}
		if n == 0 || seen[gid] {
			return &zhagen.Error{Code: zhagen.EINVALID, Field: "graduate_ids", Message: fmt.Sprintf("毕业生 %d 不是该岗位的申请人或重复排序", gid)}
		}
		seen[gid] = true
	}
	if _, err := tx.exec(ctx, `UPDATE programme_choices SET ent_rank = 0 WHERE position_id = ?`, positionID); err != nil {
		return err
	}
	for i, gid := range graduateIDs {
		if _, err := tx.exec(ctx, `UPDATE programme_choices SET ent_rank = ? WHERE position_id = ? AND graduate_id = ?`, i+1, positionID, gid); err != nil {
			return err
		}
	}
	if err := tx.writeOpLog(ctx, "排序", "项目岗位", pp.ID, fmt.Sprintf("录入 %d 名申请人的排序", len(graduateIDs))); err != nil {
		return err
	}
	return tx.Commit()
}

// unmatchedReason words an audit reason for people.
func unmatchedReason(r match.Reason) string {
	switch r {
	case match.ReasonEmptyList:
		return "志愿已用尽：所填志愿岗位均不接受其专业（或未填志愿）"
	case match.ReasonOutranked:
		return "所填志愿岗位均已被排名更靠前的申请人占满"
	case match.ReasonWithdrawn:
		return "已退出项目"
	}
	return r.Chinese()
}

// RunMatch runs graduate-proposing deferred acceptance over the programme
// (talent managers). The run row records progress while it runs; the
// results and the audit are written when it ends.
func (s *TalentService) RunMatch(ctx context.Context, programmeID int64) (*zhagen.MatchRun, error) {
	a, err := requireTalentManager(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := s.programme(ctx, programmeID); err != nil {
		return nil, err
	}
	d, err := s.loadProgramme(ctx, programmeID)
	if err != nil {
		return nil, err
	}
	if len(d.order) == 0 || len(d.positions) == 0 {
		return nil, zhagen.Errorf(zhagen.ECONFLICT, "项目还没有岗位或报名，无法匹配")
	}
	// Residents are the applicants in id order, hospitals the positions.
	resIndex := map[int64]int{}
	for i, gid := range d.order {
		resIndex[gid] = i
	}
	capacity := make([]int, len(d.positions))
	hospitals := make([][]int, len(d.positions))
	for h, pp := range d.positions {
		capacity[h] = pp.Capacity
		for _, ap := range d.byPosition[pp.ID] {
			if ap.Rank > 0 {
				hospitals[h] = append(hospitals[h], resIndex[ap.GraduateID])
			}
		}
	}
	residents := make([][]int, len(d.order))
	var withdrawn []int
	for r, gid := range d.order {
		for _, pid := range d.choices[gid] {
			residents[r] = append(residents[r], d.posIndex[pid])
		}
		if d.withdrawn[gid] {
			withdrawn = append(withdrawn, r)
		}
	}
	in, err := match.NewInstance(capacity, residents, hospitals)
	if err != nil {
		return nil, err
	}
	if len(withdrawn) > 0 {
		if in, err = in.Withdraw(withdrawn, nil); err != nil {
			return nil, err
		}
	}

	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	run := &zhagen.MatchRun{ProgrammeID: programmeID, Status: "running", Total: len(d.order), ByName: a.Name, StartedAt: tx.now}
	run.ID, err = tx.insert(ctx, `INSERT INTO match_runs (programme_id, status, done, total, by_name, started_at) VALUES (?, 'running', 0, ?, ?, ?)`, programmeID, run.Total, a.Name, tx.now)
	if err == nil {
		err = tx.Commit()
	}
	tx.Rollback()
	if err != nil {
		return nil, err
	}

	res := match.Solve(in, func(done, total int) {
		s.db.exec(ctx, `UPDATE match_runs SET done = ?, total = ? WHERE id = ?`, done, total, run.ID)
	})
	audit := match.Audit(in, res)

	tx, err = s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	reasons := map[int32]match.Reason{}
	for _, u := range audit.Unmatched {
		reasons[u.Resident] = u.Reason
	}
	for r, gid := range d.order {
		mr := &zhagen.MatchResult{GraduateID: gid}
		var pos any
		if h := res.Match[r]; h >= 0 {
			pp := d.positions[h]
			pos = pp.ID
			mr.Choice = slices.Index(d.choices[gid], pp.ID) + 1
		} else {
			mr.Reason = unmatchedReason(reasons[int32(r)])
		}
		if _, err := tx.exec(ctx, `INSERT INTO match_results (run_id, graduate_id, position_id, choice, reason) VALUES (?, ?, ?, ?, ?)`, run.ID, gid, pos, mr.Choice, mr.Reason); err != nil {
			return nil, err
		}
	}
	finished := tx.now
	run.Status, run.Done, run.Proposals, run.Matched = "done", run.Total, res.Proposals, audit.Matched
	run.Unmatched, run.BlockingPairs, run.FinishedAt = len(audit.Unmatched), len(audit.BlockingPairs), &finished
	if _, err := tx.exec(ctx, `UPDATE match_runs SET status = 'done', done = ?, proposals = ?, matched = ?, unmatched = ?, blocking = ?, finished_at = ? WHERE id = ?`,
		run.Done, run.Proposals, run.Matched, run.Unmatched, run.BlockingPairs, finished, run.ID); err != nil {
		return nil, err
	}
	if err := tx.writeOpLog(ctx, "匹配", "人才项目", programmeID, fmt.Sprintf("第 %d 次运行：匹配 %d 人，未匹配 %d 人，阻塞对 %d", run.ID, run.Matched, run.Unmatched, run.BlockingPairs)); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return s.FindMatchRun(ctx, run.ID)
}

// FindMatchRun returns a run with the results the caller may see:
// government roles all; once published, an enterprise the consenting
// graduates placed with it, a graduate their own result.
func (s *TalentService) FindMatchRun(ctx context.Context, runID int64) (*zhagen.MatchRun, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	run, err := scanRun(s.db.queryRow(ctx, `SELECT `+runColumns+` FROM match_runs WHERE id = ?`, runID))
	if err != nil {
		return nil, notFound(err, "匹配记录")
	}
	w := where{conds: []string{"r.run_id = ?"}, args: []any{runID}}
	switch {
	case a.IsGovernment():
	case run.PublishedAt == nil:
		return nil, zhagen.Errorf(zhagen.ENOTFOUND, "匹配记录不存在")
	case a.Has(zhagen.RoleEnterprise) && a.EnterpriseID != 0:
		w.add("pp.enterprise_id = ? AND g.consent = TRUE", a.EnterpriseID)
	case a.Has(zhagen.RoleGraduate):
		w.add("g.user_id = ?", a.UserID)
	default:
		return nil, zhagen.Errorf(zhagen.ENOTFOUND, "匹配记录不存在")
	}
	rows, err := s.db.query(ctx, `SELECT r.graduate_id, g.name, g.major, COALESCE(r.position_id, 0), COALESCE(pp.title, ''), COALESCE(pp.enterprise_id, 0), COALESCE(e.name, ''), r.choice, r.reason
		FROM match_results r JOIN graduates g ON g.id = r.graduate_id LEFT JOIN programme_positions pp ON pp.id = r.position_id LEFT JOIN enterprises e ON e.id = pp.enterprise_id`+
		w.String()+` ORDER BY CASE WHEN r.position_id IS NULL THEN 1 ELSE 0 END, e.name, pp.id, g.id`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	run.Results = []*zhagen.MatchResult{}
	for rows.Next() {
		m := &zhagen.MatchResult{}
		if err := rows.Scan(&m.GraduateID, &m.GraduateName, &m.Major, &m.PositionID, &m.PositionTitle, &m.EnterpriseID, &m.EnterpriseName, &m.Choice, &m.Reason); err != nil {
			return nil, err
		}
		run.Results = append(run.Results, m)
	}
	return run, rows.Err()
}

// PublishMatch publishes a finished run: each graduate gets their result
// and each enterprise its placements as in-app notifications.
func (s *TalentService) PublishMatch(ctx context.Context, runID int64) (*zhagen.MatchRun, error) {
	if _, err := requireTalentManager(ctx); err != nil {
		return nil, err
	}
	run, err := s.FindMatchRun(ctx, runID)
	if err != nil {
		return nil, err
	}
	if run.Status != "done" {
		return nil, zhagen.Errorf(zhagen.ECONFLICT, "匹配尚未完成，不能发布")
	}
	if run.BlockingPairs > 0 {
		return nil, zhagen.Errorf(zhagen.ECONFLICT, "匹配存在 %d 个阻塞对，不能发布", run.BlockingPairs)
	}
	if latest, err := s.latestRun(ctx, run.ProgrammeID, false); err != nil {
		return nil, err
	} else if latest.ID != run.ID {
		return nil, zhagen.Errorf(zhagen.ECONFLICT, "只能发布最近一次匹配结果")
	}
	p, err := s.programme(ctx, run.ProgrammeID)
	if err != nil {
		return nil, err
	}
	users := map[int64]int64{}
	rows, err := s.db.query(ctx, `SELECT g.id, g.user_id FROM match_results r JOIN graduates g ON g.id = r.graduate_id WHERE r.run_id = ?`, runID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var gid, uid int64
		if err := rows.Scan(&gid, &uid); err != nil {
			rows.Close()
			return nil, err
		}
		users[gid] = uid
	}
	rows.Close()
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	link := fmt.Sprintf("/programmes/%d", p.ID)
	perEnt := map[int64][]string{}
	for _, m := range run.Results {
		body := ""
		if m.PositionID != 0 {
			body = fmt.Sprintf("您已匹配到 %s 的“%s”岗位（第%d志愿）。", m.EnterpriseName, m.PositionTitle, m.Choice)
			perEnt[m.EnterpriseID] = append(perEnt[m.EnterpriseID], m.GraduateName)
		} else {
			body = "本次未能匹配：" + m.Reason + "。"
		}
		if err := tx.notify(ctx, recipients{users: []int64{users[m.GraduateID]}}, p.Name+"匹配结果", body, link); err != nil {
			return nil, err
		}
	}
	var entIDs []int64
	for id := range perEnt {
		entIDs = append(entIDs, id)
	}
	slices.Sort(entIDs)
	for _, id := range entIDs {
		names := perEnt[id]
		if err := tx.notify(ctx, recipients{enterprise: id}, p.Name+"匹配结果", fmt.Sprintf("贵企业共录取 %d 名实习生：%s。", len(names), strings.Join(names, "、")), link); err != nil {
			return nil, err
		}
	}
	if _, err := tx.exec(ctx, `UPDATE match_runs SET published_at = ? WHERE id = ?`, tx.now, runID); err != nil {
		return nil, err
	}
	now := tx.now
	run.PublishedAt = &now
	if err := tx.writeOpLog(ctx, "发布", "人才项目", p.ID, fmt.Sprintf("发布第 %d 次匹配结果", runID)); err != nil {
		return nil, err
	}
	return run, tx.Commit()
}
