package sqldb

import (
	"context"
	"strings"

	"zhagen"
)

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

// positionScopeSQL selects the positions an actor reaches through each
// relation of the policy's PermPositionView.
var positionScopeSQL = scopeSQL{
	zhagen.RelOwnEnterprise: eqSQL("p.enterprise_id", actorEnterprise),
}

// positionScope adds the caller's scope over positions to w: the
// policy's PermPositionView, or, for a caller it grants none, the
// approved positions, which are public (the job board).
func positionScope(ctx context.Context, w *where) error {
	a, err := requireActor(ctx)
	if err != nil {
		return err
	}
	if !zhagen.CanAny(a, zhagen.PermPositionView) {
		w.add("p.status = ?", string(zhagen.PositionApproved))
		return nil
	}
	return scope(a, zhagen.PermPositionView, w, positionScopeSQL)
}

func (s *TalentService) findPositions(ctx context.Context, w where, f zhagen.PositionFilter) ([]*zhagen.Position, int, error) {
	if q := strings.TrimSpace(f.Query); q != "" {
		w.add(`(p.title LIKE ? ESCAPE '\' OR p.description LIKE ? ESCAPE '\' OR e.name LIKE ? ESCAPE '\')`, likeArg(q), likeArg(q), likeArg(q))
	}
	if m := strings.TrimSpace(f.Major); m != "" {
		// A position that names no major takes every major.
		w.add(`(p.majors LIKE ? ESCAPE '\' OR p.majors IN ('[]', 'null'))`, jsonContains(m))
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
	page, pageArgs := pageSQL(zhagen.ClampLimit(f.Limit, 25, 200), f.Offset)
	rows, err := s.db.query(ctx, `SELECT `+positionColumns+`, COUNT(*) OVER()`+positionFrom+w.String()+` ORDER BY p.updated_at DESC, p.id DESC`+page, append(w.args, pageArgs...)...)
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

// CreatePosition stores a position waiting for review.
func (s *TalentService) CreatePosition(ctx context.Context, p *zhagen.Position) error {
	if _, err := entOwner(ctx, zhagen.PermPositionPost, &p.EnterpriseID); err != nil {
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
	if err := tx.enqueue(ctx, zhagen.NoticePositionCreated(p)); err != nil {
		return err
	}
	if err := tx.writeOpLog(ctx, "新建", "岗位", p.ID, p.EnterpriseName+" "+p.Title); err != nil {
		return err
	}
	return tx.Commit()
}

// ReviewPosition approves or rejects a position (talent managers).
func (s *TalentService) ReviewPosition(ctx context.Context, id, version int64, approve bool, note string) (*zhagen.Position, error) {
	if _, err := authorizeKind(ctx, zhagen.PermPositionReview); err != nil {
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
	if version != 0 && version != p.Version {
		return nil, staleError(p, p.Version)
	}
	p.Status, p.ReviewNote = zhagen.PositionRejected, note
	if approve {
		p.Status = zhagen.PositionApproved
	}
	if res, err := tx.exec(ctx, `UPDATE positions SET status = ?, review_note = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`, string(p.Status), note, tx.now, id, p.Version); err != nil {
		return nil, err
	} else if n, _ := res.RowsAffected(); n != 1 {
		return nil, staleError(nil, p.Version)
	}
	p.Version++
	p.UpdatedAt = tx.now
	if err := tx.enqueue(ctx, zhagen.NoticePositionReviewed(p)); err != nil {
		return nil, err
	}
	if err := tx.writeOpLog(ctx, "审核", "岗位", id, p.Title+" "+p.Status.Label()+" "+note); err != nil {
		return nil, err
	}
	return p, tx.Commit()
}
