package sqldb

import (
	"context"
	"fmt"
	"time"

	"zhagen"
)

// FindProgrammes lists the programmes with their sizes to any logged-in
// caller.
func (s *TalentService) FindProgrammes(ctx context.Context) ([]*zhagen.Programme, error) {
	if _, err := authorizeKind(ctx, zhagen.PermProgrammeView); err != nil {
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
	a, err := authorizeKind(ctx, zhagen.PermProgrammeView)
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
		if !zhagen.Can(a, zhagen.PermProgrammeStats, zhagen.ProgrammePositionFacts(pp)) {
			pp.Applicants = 0 // others' demand is not an enterprise's business
		}
	}
	p.Enterprises = len(ents)
	if err := s.db.queryRow(ctx, `SELECT COUNT(*) FROM programme_applicants WHERE programme_id = ? AND withdrawn = FALSE`, id).Scan(&p.Applicants); err != nil {
		return nil, err
	}
	run, err := s.latestRun(ctx, id, !zhagen.CanAny(a, zhagen.PermMatchDraft))
	if err != nil {
		return nil, err
	}
	if run != nil {
		p.LatestRun = run
		if zhagen.CanAny(a, zhagen.PermProgrammeStats) {
			counts, err := scanMap[int64, int](s.db.query(ctx, `SELECT position_id, COUNT(*) FROM match_results WHERE run_id = ? AND position_id IS NOT NULL GROUP BY position_id`, run.ID))
			if err != nil {
				return nil, err
			}
			for _, pp := range p.Positions {
				if zhagen.Can(a, zhagen.PermProgrammeStats, zhagen.ProgrammePositionFacts(pp)) {
					pp.Matched = counts[pp.ID]
				}
			}
		}
	}
	return p, nil
}

// CreateProgramme stores a programme (talent managers).
func (s *TalentService) CreateProgramme(ctx context.Context, p *zhagen.Programme) error {
	if _, err := authorizeKind(ctx, zhagen.PermProgrammeCreate); err != nil {
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
	if _, err := authorizeKind(ctx, zhagen.PermProgrammePositionAdd); err != nil {
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

// applicantFor resolves whose application the caller acts on (the
// policy's PermApplicationEdit): whoever it reaches every graduate for
// (manager), anybody's; a graduate only their own (another graduate's
// id is ENOTFOUND).
func (s *TalentService) applicantFor(ctx context.Context, graduateID *int64) (a *zhagen.Actor, manager bool, err error) {
	if a, err = requireActor(ctx); err != nil {
		return nil, false, err
	}
	if every, _ := zhagen.ScopeOf(a, zhagen.PermApplicationEdit); every {
		if *graduateID == 0 {
			return nil, false, &zhagen.Error{Code: zhagen.EINVALID, Field: "graduate_id", Message: "请指定毕业生"}
		}
		return a, true, nil
	}
	var w where
	if err := scope(a, zhagen.PermApplicationEdit, &w, graduateScopeSQL); err != nil {
		return nil, false, err
	}
	var own int64
	if err := s.db.queryRow(ctx, `SELECT g.id FROM graduates g`+w.String()+` ORDER BY g.id LIMIT 1`, w.args...).Scan(&own); isNoRows(err) {
		return nil, false, zhagen.Forbidden(zhagen.PermApplicationEdit) // no record of their own yet
	} else if err != nil {
		return nil, false, err
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
	// The graduate's row lock makes concurrent replacements of their
	// choices take turns (each deletes and inserts the same keys).
	if err := tx.lockRow(ctx, "graduates", app.GraduateID); isNoRows(err) {
		return zhagen.Errorf(zhagen.ENOTFOUND, "毕业生不存在")
	} else if err != nil {
		return err
	}
	// Keep the ranks enterprises already entered.
	ranks, err := scanMap[int64, int](tx.QueryContext(ctx, s.db.dialect.rebind(`SELECT position_id, ent_rank FROM programme_choices WHERE programme_id = ? AND graduate_id = ?`), p.ID, app.GraduateID))
	if err != nil {
		return err
	}
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
