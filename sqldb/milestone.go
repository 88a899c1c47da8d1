package sqldb

import (
	"context"

	"zhagen"
)

const milestoneColumns = `m.id, m.project_id, p.name, m.phase, m.name, m.planned_start, m.planned_end, m.actual_start, m.actual_end, m.progress, m.version`

func (s *ProjectService) milestones(ctx context.Context, cond string, args ...any) ([]*zhagen.Milestone, error) {
	rows, err := s.db.query(ctx, `SELECT `+milestoneColumns+` FROM milestones m JOIN projects p ON p.id = m.project_id WHERE `+cond, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	now := s.db.now()
	out := []*zhagen.Milestone{}
	for rows.Next() {
		m := &zhagen.Milestone{}
		if err := rows.Scan(&m.ID, &m.ProjectID, &m.ProjectName, &m.Phase, &m.Name, &m.PlannedStart, &m.PlannedEnd, &m.ActualStart, &m.ActualEnd, &m.Progress, &m.Version); err != nil {
			return nil, err
		}
		m.Behind = m.BehindAt(now)
		out = append(out, m)
	}
	return out, rows.Err()
}

// FindMilestones lists a project's milestones in plan order.
func (s *ProjectService) FindMilestones(ctx context.Context, projectID int64) ([]*zhagen.Milestone, error) {
	if _, err := s.FindProjectByID(ctx, projectID); err != nil {
		return nil, err
	}
	return s.milestones(ctx, `m.project_id = ? ORDER BY m.planned_start, m.id`, projectID)
}

// SaveMilestone creates or updates a milestone (the policy's
// PermMilestoneSave: the command centre, the liaison, the owner).
func (s *ProjectService) SaveMilestone(ctx context.Context, m *zhagen.Milestone) error {
	a, err := requireActor(ctx)
	if err != nil {
		return err
	}
	p, err := s.FindProjectByID(ctx, m.ProjectID)
	if err != nil {
		return err
	}
	if err := zhagen.Authorize(a, zhagen.PermMilestoneSave, zhagen.ProjectFacts(p, nil)); err != nil {
		return err
	}
	if err := m.Validate(); err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if m.ID == 0 {
		m.Version = 1
		m.ID, err = tx.insert(ctx, `INSERT INTO milestones (project_id, phase, name, planned_start, planned_end, actual_start, actual_end, progress, version)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)`, m.ProjectID, m.Phase, m.Name, m.PlannedStart.UTC(), m.PlannedEnd.UTC(), nullTime(m.ActualStart), nullTime(m.ActualEnd), m.Progress)
		if err != nil {
			return err
		}
	} else {
		// One statement checks and writes: with the version the client
		// read, of concurrent edits from it exactly one applies; without
		// one (the web form's), the edits apply in turn.
		q := `UPDATE milestones SET phase = ?, name = ?, planned_start = ?, planned_end = ?, actual_start = ?, actual_end = ?, progress = ?,
			version = version + 1 WHERE id = ? AND project_id = ?`
		args := []any{m.Phase, m.Name, m.PlannedStart.UTC(), m.PlannedEnd.UTC(), nullTime(m.ActualStart), nullTime(m.ActualEnd), m.Progress, m.ID, m.ProjectID}
		if m.Version != 0 {
			q += ` AND version = ?`
			args = append(args, m.Version)
		}
		err := tx.queryRow(ctx, q+` RETURNING version`, args...).Scan(&m.Version)
		if isNoRows(err) {
			var cur int64
			if err := tx.queryRow(ctx, `SELECT version FROM milestones WHERE id = ? AND project_id = ?`, m.ID, m.ProjectID).Scan(&cur); err != nil {
				return notFound(err, "项目节点")
			}
			return staleError(nil, cur)
		} else if err != nil {
			return err
		}
	}
	m.ProjectName, m.Behind = p.Name, m.BehindAt(tx.now)
	if err := tx.writeOpLog(ctx, "更新", "项目节点", m.ID, p.Name+" "+m.Name); err != nil {
		return err
	}
	return tx.Commit()
}
