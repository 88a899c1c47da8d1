package sqldb

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"zhagen"
)

const bulletinSelect = `SELECT b.id, b.month, b.year, COALESCE(b.number, 0), b.status, b.notable, b.commentary, b.content,
	COALESCE(u.name, ''), b.issued_at, b.version, b.created_at FROM bulletins b LEFT JOIN users u ON u.id = b.issued_by`

func scanBulletin(sc interface{ Scan(...any) error }) (*zhagen.Bulletin, string, error) {
	b := &zhagen.Bulletin{}
	var notable, content string
	var issued *time.Time
	if err := sc.Scan(&b.ID, &b.Month, &b.Year, &b.Number, &b.Status, &notable, &b.Commentary, &content, &b.IssuedBy, &issued, &b.Version, &b.CreatedAt); err != nil {
		return nil, "", err
	}
	if issued != nil {
		t := issued.UTC()
		b.IssuedAt = &t
	}
	b.Notable = []int64{}
	_ = json.Unmarshal([]byte(notable), &b.Notable)
	return b, content, nil
}

// FindBulletins lists the bulletins, the latest month first, without
// their content.
func (s *OversightService) FindBulletins(ctx context.Context) ([]*zhagen.Bulletin, error) {
	if _, err := permittedSome(ctx, zhagen.PermBulletinView); err != nil {
		return nil, err
	}
	rows, err := s.db.query(ctx, bulletinSelect+` ORDER BY b.month DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*zhagen.Bulletin{}
	for rows.Next() {
		b, _, err := scanBulletin(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// FindBulletin returns a bulletin with its content: as issued, or
// computed now for a draft.
func (s *OversightService) FindBulletin(ctx context.Context, id int64) (*zhagen.Bulletin, error) {
	if _, err := permittedSome(ctx, zhagen.PermBulletinView); err != nil {
		return nil, err
	}
	b, content, err := scanBulletin(s.db.queryRow(ctx, bulletinSelect+` WHERE b.id = ?`, id))
	if err != nil {
		return nil, notFound(err, "工作通报")
	}
	if b.Status == zhagen.BulletinIssued && content != "" {
		b.Content = &zhagen.BulletinContent{}
		if err := json.Unmarshal([]byte(content), b.Content); err != nil {
			return nil, err
		}
		return b, nil
	}
	if b.Content, err = s.bulletinContent(ctx, b); err != nil {
		return nil, err
	}
	return b, nil
}

// CreateBulletin starts a month's draft; the unique month makes a second
// one ECONFLICT.
func (s *OversightService) CreateBulletin(ctx context.Context, month string) (*zhagen.Bulletin, error) {
	a, err := permitted(ctx, zhagen.PermBulletinDraft, zhagen.Facts{})
	if err != nil {
		return nil, err
	}
	t, ok := zhagen.ParseMonth(strings.TrimSpace(month))
	if !ok {
		return nil, &zhagen.Error{Code: zhagen.EINVALID, Field: "month", Message: "月份格式应为 YYYY-MM"}
	}
	if t.After(s.db.now()) {
		return nil, &zhagen.Error{Code: zhagen.EINVALID, Field: "month", Message: "不能为尚未开始的月份编制通报"}
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	id, err := tx.insert(ctx, `INSERT INTO bulletins (month, year, status, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
		t.Format("2006-01"), t.Year(), zhagen.BulletinDraft, nullID(a.UserID), tx.now, tx.now)
	if isUniqueViolation(err) {
		return nil, zhagen.Errorf(zhagen.ECONFLICT, "%s的工作通报已经存在", t.Format("2006年1月"))
	}
	if err != nil {
		return nil, err
	}
	if err := tx.writeOpLog(ctx, "新建", "工作通报", id, t.Format("2006年1月")+"工作通报（草稿）"); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return s.FindBulletin(ctx, id)
}

// updateDraft runs one conditional update of a draft at version and
// logs it.
func (s *OversightService) updateDraft(ctx context.Context, id, version int64, set string, summary string, args ...any) (*zhagen.Bulletin, error) {
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	args = append(append([]any{}, args...), tx.now, id, version, zhagen.BulletinDraft)
	res, err := tx.exec(ctx, `UPDATE bulletins SET `+set+`, version = version + 1, updated_at = ? WHERE id = ? AND version = ? AND status = ?`, args...)
	if err != nil {
		return nil, err
	}
	if err := s.checkOne(ctx, res, id); err != nil {
		return nil, err
	}
	if err := tx.writeOpLog(ctx, "修改", "工作通报", id, summary); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return s.FindBulletin(ctx, id)
}

// checkOne turns a conditional update that touched no row into
// ENOTFOUND or ECONFLICT.
func (s *OversightService) checkOne(ctx context.Context, res interface{ RowsAffected() (int64, error) }, id int64) error {
	n, err := res.RowsAffected()
	if err != nil || n == 1 {
		return err
	}
	var st string
	if err := s.db.queryRow(ctx, `SELECT status FROM bulletins WHERE id = ?`, id).Scan(&st); err != nil {
		return notFound(err, "工作通报")
	}
	if st == string(zhagen.BulletinIssued) {
		return zhagen.Errorf(zhagen.ECONFLICT, "该工作通报已经签发，不能再修改")
	}
	return zhagen.Errorf(zhagen.ECONFLICT, "工作通报已被他人修改，请刷新后重试")
}

// SetNotable sets a draft's notable cases: demands that exist, at most
// MaxNotable, without repeats.
func (s *OversightService) SetNotable(ctx context.Context, id, version int64, ids []int64) (*zhagen.Bulletin, error) {
	if _, err := permitted(ctx, zhagen.PermBulletinDraft, zhagen.Facts{}); err != nil {
		return nil, err
	}
	clean := []int64{}
	for _, d := range ids {
		if d <= 0 || slices.Contains(clean, d) {
			continue
		}
		clean = append(clean, d)
	}
	if len(clean) > zhagen.MaxNotable {
		return nil, &zhagen.Error{Code: zhagen.EINVALID, Field: "notable", Message: "典型案例最多选择10件"}
	}
	for _, d := range clean {
		var n int
		if err := s.db.queryRow(ctx, `SELECT COUNT(*) FROM demands WHERE id = ?`, d).Scan(&n); err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, &zhagen.Error{Code: zhagen.EINVALID, Field: "notable", Message: "典型案例中的诉求不存在：" + itoa(d)}
		}
	}
	js, _ := json.Marshal(clean)
	return s.updateDraft(ctx, id, version, "notable = ?", "选定典型案例", string(js))
}

// SetCommentary sets a draft's commentary (领导批示).
func (s *OversightService) SetCommentary(ctx context.Context, id, version int64, text string) (*zhagen.Bulletin, error) {
	if _, err := permitted(ctx, zhagen.PermBulletinIssue, zhagen.Facts{}); err != nil {
		return nil, err
	}
	text = strings.TrimSpace(text)
	if p := zhagen.TextProblem(text); p != "" {
		return nil, &zhagen.Error{Code: zhagen.EINVALID, Field: "commentary", Message: "领导批示" + p}
	}
	if len([]rune(text)) > zhagen.MaxCommentary {
		return nil, &zhagen.Error{Code: zhagen.EINVALID, Field: "commentary", Message: "领导批示不能超过4000字"}
	}
	return s.updateDraft(ctx, id, version, "commentary = ?", "填写领导批示", text)
}

// IssueBulletin freezes the content and numbers the bulletin within the
// year of issue, in one conditional UPDATE: a second issue, or one
// racing a change, touches no row (ECONFLICT); two bulletins issued at
// once that drew the same number meet the unique (year, number).
func (s *OversightService) IssueBulletin(ctx context.Context, id, version int64) (*zhagen.Bulletin, error) {
	a, err := permitted(ctx, zhagen.PermBulletinIssue, zhagen.Facts{})
	if err != nil {
		return nil, err
	}
	b, err := s.FindBulletin(ctx, id)
	if err != nil {
		return nil, err
	}
	if b.Status == zhagen.BulletinIssued {
		return nil, zhagen.Errorf(zhagen.ECONFLICT, "该工作通报已经签发，不能再修改")
	}
	content, err := json.Marshal(b.Content)
	if err != nil {
		return nil, err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	year := tx.now.In(zhagen.Shanghai).Year()
	res, err := tx.exec(ctx, `UPDATE bulletins SET status = ?, year = ?, number = (SELECT COALESCE(MAX(o.number), 0) + 1 FROM bulletins o WHERE o.year = ?),
		content = ?, issued_by = ?, issued_at = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ? AND status = ?`,
		zhagen.BulletinIssued, year, year, string(content), nullID(a.UserID), tx.now, tx.now, id, version, zhagen.BulletinDraft)
	if isUniqueViolation(err) {
		return nil, zhagen.Errorf(zhagen.ECONFLICT, "另一期通报同时签发，请重试")
	}
	if err != nil {
		return nil, err
	}
	if err := s.checkOne(ctx, res, id); err != nil {
		return nil, err
	}
	if err := tx.writeOpLog(ctx, "签发", "工作通报", id, b.Title()); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return s.FindBulletin(ctx, id)
}
