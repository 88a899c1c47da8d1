package sqldb

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"zhagen"
)

func scanTeam(sc scanner) (*zhagen.ServiceTeam, error) {
	t := &zhagen.ServiceTeam{}
	var members string
	if err := sc.Scan(&t.ID, &t.Name, &t.Description, &members, &t.Version, &t.CreatedAt); err != nil {
		return nil, err
	}
	if json.Unmarshal([]byte(members), &t.Members) != nil || t.Members == nil {
		t.Members = []zhagen.TeamMember{}
	}
	return t, nil
}

// FindServiceTeams lists the service teams (the policy's PermTeamView).
func (s *TalentService) FindServiceTeams(ctx context.Context) ([]*zhagen.ServiceTeam, error) {
	if _, err := authorizeKind(ctx, zhagen.PermTeamView); err != nil {
		return nil, err
	}
	rows, err := s.db.query(ctx, `SELECT id, name, description, members, version, created_at FROM service_teams ORDER BY id`)
	if err != nil {
		return nil, err
	}
	out := []*zhagen.ServiceTeam{}
	for rows.Next() {
		t, err := scanTeam(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, t)
	}
	rows.Close()
	for _, t := range out {
		if t.Batches, err = s.batches(ctx, t.ID, false); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *TalentService) batches(ctx context.Context, teamID int64, withLogs bool) ([]*zhagen.TeamBatch, error) {
	rows, err := s.db.query(ctx, `SELECT id, team_id, no, start_date, end_date, enterprise_ids, resolved FROM team_batches WHERE team_id = ? ORDER BY no`, teamID)
	if err != nil {
		return nil, err
	}
	out := []*zhagen.TeamBatch{}
	for rows.Next() {
		b := &zhagen.TeamBatch{}
		var ids string
		if err := rows.Scan(&b.ID, &b.TeamID, &b.No, &b.StartDate, &b.EndDate, &ids, &b.Resolved); err != nil {
			rows.Close()
			return nil, err
		}
		json.Unmarshal([]byte(ids), &b.EnterpriseIDs)
		out = append(out, b)
	}
	rows.Close()
	names, err := s.enterpriseNames(ctx)
	if err != nil {
		return nil, err
	}
	for _, b := range out {
		b.EnterpriseNames = []string{}
		for _, id := range b.EnterpriseIDs {
			b.EnterpriseNames = append(b.EnterpriseNames, names[id])
		}
		if !withLogs {
			continue
		}
		b.Logs = []*zhagen.ServiceLog{}
		lr, err := s.db.query(ctx, `SELECT id, batch_id, enterprise_id, date, summary, resolved, by_name, created_at FROM service_logs WHERE batch_id = ? ORDER BY date, id`, b.ID)
		if err != nil {
			return nil, err
		}
		for lr.Next() {
			l := &zhagen.ServiceLog{}
			if err := lr.Scan(&l.ID, &l.BatchID, &l.EnterpriseID, &l.Date, &l.Summary, &l.Resolved, &l.ByName, &l.CreatedAt); err != nil {
				lr.Close()
				return nil, err
			}
			l.EnterpriseName = names[l.EnterpriseID]
			b.Logs = append(b.Logs, l)
		}
		lr.Close()
	}
	return out, nil
}

func (s *TalentService) enterpriseNames(ctx context.Context) (map[int64]string, error) {
	rows, err := s.db.query(ctx, `SELECT id, name FROM enterprises`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[int64]string{}
	for rows.Next() {
		var id int64
		var n string
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		m[id] = n
	}
	return m, rows.Err()
}

// FindServiceTeamByID returns a team with its batches and visit logs.
func (s *TalentService) FindServiceTeamByID(ctx context.Context, id int64) (*zhagen.ServiceTeam, error) {
	if _, err := authorizeKind(ctx, zhagen.PermTeamView); err != nil {
		return nil, err
	}
	t, err := scanTeam(s.db.queryRow(ctx, `SELECT id, name, description, members, version, created_at FROM service_teams WHERE id = ?`, id))
	if err != nil {
		return nil, notFound(err, "服务队")
	}
	if t.Batches, err = s.batches(ctx, id, true); err != nil {
		return nil, err
	}
	return t, nil
}

// CreateServiceTeam stores a team; members' names and departments come
// from their user records (talent managers).
func (s *TalentService) CreateServiceTeam(ctx context.Context, t *zhagen.ServiceTeam) error {
	if _, err := authorizeKind(ctx, zhagen.PermTeamCreate); err != nil {
		return err
	}
	if err := t.Validate(); err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for i := range t.Members {
		m := &t.Members[i]
		err := tx.queryRow(ctx, `SELECT u.name, COALESCE(d.name, '') FROM users u LEFT JOIN departments d ON d.id = u.dept_id WHERE u.id = ? AND u.archived = FALSE`, m.UserID).Scan(&m.Name, &m.DeptName)
		if err != nil {
			if isNoRows(err) {
				return &zhagen.Error{Code: zhagen.EINVALID, Field: "members", Message: fmt.Sprintf("队员 %d 不存在", m.UserID)}
			}
			return err
		}
		if m.Role == "" {
			m.Role = "队员"
		}
	}
	t.Version, t.CreatedAt = 1, tx.now
	t.ID, err = tx.insert(ctx, `INSERT INTO service_teams (name, description, members, version, created_at) VALUES (?, ?, ?, 1, ?)`, t.Name, t.Description, jsonText(t.Members), tx.now)
	if isUniqueViolation(err) {
		return &zhagen.Error{Code: zhagen.ECONFLICT, Field: "name", Message: "已有同名服务队", Fields: []zhagen.FieldError{{Field: "name", Message: "已有同名服务队"}}}
	} else if err != nil {
		return err
	}
	if err := tx.writeOpLog(ctx, "新建", "人才科创服务队", t.ID, t.Name); err != nil {
		return err
	}
	return tx.Commit()
}

// AddTeamBatch dispatches the next batch of a team (talent managers).
func (s *TalentService) AddTeamBatch(ctx context.Context, b *zhagen.TeamBatch) error {
	if _, err := authorizeKind(ctx, zhagen.PermTeamDispatch); err != nil {
		return err
	}
	if err := b.Validate(); err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// The team's row lock numbers concurrent batches in turn.
	if err := tx.lockRow(ctx, "service_teams", b.TeamID); isNoRows(err) {
		return zhagen.Errorf(zhagen.ENOTFOUND, "服务队不存在")
	} else if err != nil {
		return err
	}
	b.EnterpriseNames = nil
	for _, id := range b.EnterpriseIDs {
		name, _, err := tx.enterpriseName(ctx, id)
		if err != nil {
			return &zhagen.Error{Code: zhagen.EINVALID, Field: "enterprise_ids", Message: fmt.Sprintf("企业 %d 不存在", id)}
		}
		b.EnterpriseNames = append(b.EnterpriseNames, name)
	}
	if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(no), 0) + 1 FROM team_batches WHERE team_id = ?`, b.TeamID).Scan(&b.No); err != nil {
		return err
	}
	if b.ID, err = tx.insert(ctx, `INSERT INTO team_batches (team_id, no, start_date, end_date, enterprise_ids, resolved, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		b.TeamID, b.No, b.StartDate, b.EndDate, jsonText(b.EnterpriseIDs), b.Resolved, tx.now); err != nil {
		return err
	}
	if err := tx.writeOpLog(ctx, "选派", "人才科创服务队", b.TeamID, fmt.Sprintf("第%d批 %s 至 %s：%s", b.No, b.StartDate, b.EndDate, strings.Join(b.EnterpriseNames, "、"))); err != nil {
		return err
	}
	return tx.Commit()
}

// SetBatchResolved records what a batch resolved (talent managers).
func (s *TalentService) SetBatchResolved(ctx context.Context, batchID int64, resolved string) error {
	if _, err := authorizeKind(ctx, zhagen.PermTeamResolve); err != nil {
		return err
	}
	resolved = strings.TrimSpace(resolved)
	if len([]rune(resolved)) > 2000 {
		return &zhagen.Error{Code: zhagen.EINVALID, Field: "resolved", Message: "解决事项不能超过2000个字"}
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.exec(ctx, `UPDATE team_batches SET resolved = ? WHERE id = ?`, resolved, batchID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return zhagen.Errorf(zhagen.ENOTFOUND, "批次不存在")
	}
	if err := tx.writeOpLog(ctx, "修改", "服务队批次", batchID, resolved); err != nil {
		return err
	}
	return tx.Commit()
}

// AddServiceLog records a visit of a batch to one of its enterprises: by
// a member of the team or a talent manager.
func (s *TalentService) AddServiceLog(ctx context.Context, l *zhagen.ServiceLog) error {
	a, err := requireActor(ctx)
	if err != nil {
		return err
	}
	if err := l.Validate(); err != nil {
		return err
	}
	var ids, members string
	err = s.db.queryRow(ctx, `SELECT b.enterprise_ids, t.members FROM team_batches b JOIN service_teams t ON t.id = b.team_id WHERE b.id = ?`, l.BatchID).Scan(&ids, &members)
	if err != nil {
		return notFound(err, "批次")
	}
	var team []zhagen.TeamMember
	json.Unmarshal([]byte(members), &team)
	if !zhagen.Can(a, zhagen.PermServiceLog, zhagen.TeamFacts(&zhagen.ServiceTeam{Members: team})) {
		if zhagen.CanAny(a, zhagen.PermTeamView) {
			return zhagen.Forbidden(zhagen.PermServiceLog)
		}
		return zhagen.Errorf(zhagen.ENOTFOUND, "批次不存在") // a team the caller does not see
	}
	var ents []int64
	json.Unmarshal([]byte(ids), &ents)
	if !slices.Contains(ents, l.EnterpriseID) {
		return &zhagen.Error{Code: zhagen.EINVALID, Field: "enterprise_id", Message: "该企业不在本批次服务名单中",
			Fields: []zhagen.FieldError{{Field: "enterprise_id", Message: "该企业不在本批次服务名单中"}}}
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if l.EnterpriseName, _, err = tx.enterpriseName(ctx, l.EnterpriseID); err != nil {
		return err
	}
	l.ByName, l.CreatedAt = a.Name, tx.now
	if l.ID, err = tx.insert(ctx, `INSERT INTO service_logs (batch_id, enterprise_id, date, summary, resolved, by_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		l.BatchID, l.EnterpriseID, l.Date, l.Summary, l.Resolved, l.ByName, tx.now); err != nil {
		return err
	}
	if err := tx.writeOpLog(ctx, "走访", "服务队批次", l.BatchID, l.EnterpriseName+" "+l.Date); err != nil {
		return err
	}
	return tx.Commit()
}
