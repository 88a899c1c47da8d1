package sqldb

import (
	"context"
	"database/sql"
	"strings"
	"sync"

	"zhagen"
	"zhagen/sla"
)

// rowsQuerier runs a query with ?-placeholders: *sql.DB or *sql.Tx.
type rowsQuerier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

// loadSubjects reads what matching needs of the enterprises that are not
// archived or closed (only enterprise id when not 0): columns, attributes
// and tag names. All rows are read and closed before it returns.
func loadSubjects(ctx context.Context, q rowsQuerier, d dialect, id int64) ([]*zhagen.PolicySubject, error) {
	cond, args := "", []any{}
	if id != 0 {
		cond, args = " AND e.id = ?", []any{id}
	}
	rows, err := q.QueryContext(ctx, d.rebind(`SELECT e.id, e.name, e.industry, e.is_key, e.park, COALESCE(a.employees, 0), COALESCE(a.revenue_band, ''),
		COALESCE(a.founded_year, 0), COALESCE(a.high_tech, FALSE), COALESCE(a.chain, ''), COALESCE(a.chain_position, '')
		FROM enterprises e LEFT JOIN enterprise_attrs a ON a.enterprise_id = e.id
		WHERE e.archived = FALSE AND e.status <> 'closed'`+cond+` ORDER BY e.id`), args...)
	if err != nil {
		return nil, err
	}
	var out []*zhagen.PolicySubject
	byID := map[int64]*zhagen.PolicySubject{}
	for rows.Next() {
		s := &zhagen.PolicySubject{}
		var emp, year int64
		if err := rows.Scan(&s.ID, &s.Name, &s.Industry, &s.IsKey, &s.Park, &emp, &s.Attrs.RevenueBand, &year, &s.Attrs.HighTech, &s.Attrs.Chain, &s.Attrs.ChainPosition); err != nil {
			rows.Close()
			return nil, err
		}
		s.Attrs.EnterpriseID, s.Attrs.Employees, s.Attrs.FoundedYear = s.ID, int(emp), int(year)
		out = append(out, s)
		byID[s.ID] = s
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	cond = ""
	if id != 0 {
		cond = " WHERE et.enterprise_id = ?"
	}
	rows, err = q.QueryContext(ctx, d.rebind(`SELECT et.enterprise_id, t.name FROM enterprise_tags et JOIN tags t ON t.id = et.tag_id`+cond+` ORDER BY t.id`), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var eid int64
		var name string
		if err := rows.Scan(&eid, &name); err != nil {
			return nil, err
		}
		if s := byID[eid]; s != nil {
			s.Tags = append(s.Tags, name)
		}
	}
	return out, rows.Err()
}

// activeCadres maps enterprises to their actively linked cadres.
func activeCadres(ctx context.Context, q rowsQuerier, d dialect) (map[int64][]int64, error) {
	rows, err := q.QueryContext(ctx, d.rebind(`SELECT enterprise_id, cadre_id FROM linkages WHERE active ORDER BY id`))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[int64][]int64{}
	for rows.Next() {
		var e, c int64
		if err := rows.Scan(&e, &c); err != nil {
			return nil, err
		}
		m[e] = append(m[e], c)
	}
	return m, rows.Err()
}

// matchPolicies matches policies against the enterprises (only id when
// not 0). Each eligible pair is inserted once (ON CONFLICT DO NOTHING);
// only the inserter tells the enterprise's users and linked cadres, and
// for a 免申即享 policy files the application itself, accepted. It returns
// the number of new matches.
func (tx *Tx) matchPolicies(ctx context.Context, cal *sla.Calendar, ps []*zhagen.Policy, id int64) (int, error) {
	if len(ps) == 0 {
		return 0, nil
	}
	subs, err := loadSubjects(ctx, tx, tx.db.dialect, id)
	if err != nil {
		return 0, err
	}
	cadres, err := activeCadres(ctx, tx, tx.db.dialect)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, p := range ps {
		for _, sub := range subs {
			el := zhagen.Evaluate(p.Rules, sub, tx.now)
			if !el.Eligible {
				continue
			}
			m := &zhagen.PolicyMatch{PolicyID: p.ID, EnterpriseID: sub.ID, EnterpriseName: sub.Name, Reason: el.Reason(), MatchedAt: tx.now}
			res, err := tx.exec(ctx, `INSERT INTO policy_matches (policy_id, enterprise_id, reason, matched_at) VALUES (?, ?, ?, ?)
				ON CONFLICT (policy_id, enterprise_id) DO NOTHING`, p.ID, sub.ID, m.Reason, tx.now)
			if err != nil {
				return n, err
			}
			if k, _ := res.RowsAffected(); k != 1 {
				continue
			}
			n++
			if err := tx.enqueue(ctx, zhagen.NoticePolicyMatched(p, m, cadres[sub.ID])); err != nil {
				return n, err
			}
			if p.Auto {
				if err := tx.autoApplication(ctx, cal, p, sub.ID); err != nil {
					return n, err
				}
			}
		}
	}
	return n, nil
}

// rematchEnterprise matches every policy in force against one enterprise
// whose attributes changed.
func (tx *Tx) rematchEnterprise(ctx context.Context, cal *sla.Calendar, id int64) error {
	rows, err := tx.QueryContext(ctx, tx.db.dialect.rebind(`SELECT `+policyColumns+policyFrom+` WHERE p.status = 'published'`))
	if err != nil {
		return err
	}
	var ps []*zhagen.Policy
	for rows.Next() {
		p, err := scanPolicy(rows)
		if err != nil {
			rows.Close()
			return err
		}
		if p.InForce(tx.now) {
			ps = append(ps, p)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	_, err = tx.matchPolicies(ctx, cal, ps, id)
	return err
}

// FindTags lists the tags with the number of enterprises carrying each.
func (s *PolicyService) FindTags(ctx context.Context) ([]*zhagen.Tag, error) {
	if _, err := permittedSome(ctx, zhagen.PermTagView); err != nil {
		return nil, err
	}
	return s.tags(ctx, `SELECT t.id, t.name, t.color, (SELECT COUNT(*) FROM enterprise_tags et WHERE et.tag_id = t.id) FROM tags t ORDER BY t.id`)
}

func (s *PolicyService) tags(ctx context.Context, q string, args ...any) ([]*zhagen.Tag, error) {
	rows, err := s.db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*zhagen.Tag{}
	for rows.Next() {
		t := &zhagen.Tag{}
		if err := rows.Scan(&t.ID, &t.Name, &t.Color, &t.Count); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// CreateTag defines a tag; a name in use is ECONFLICT on name.
func (s *PolicyService) CreateTag(ctx context.Context, t *zhagen.Tag) error {
	if _, err := permitted(ctx, zhagen.PermTagEdit, zhagen.Facts{}); err != nil {
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
	res, err := tx.exec(ctx, `INSERT INTO tags (name, color, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING`, t.Name, t.Color, tx.now)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return &zhagen.Error{Code: zhagen.ECONFLICT, Field: "name", Message: "标签“" + t.Name + "”已存在"}
	}
	if err := tx.queryRow(ctx, `SELECT id FROM tags WHERE name = ?`, t.Name).Scan(&t.ID); err != nil {
		return err
	}
	if err := tx.writeOpLog(ctx, "新建", "企业标签", t.ID, t.Name); err != nil {
		return err
	}
	return tx.Commit()
}

// DeleteTag removes a tag no enterprise carries.
func (s *PolicyService) DeleteTag(ctx context.Context, id int64) error {
	if _, err := permitted(ctx, zhagen.PermTagEdit, zhagen.Facts{}); err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.exec(ctx, `DELETE FROM tags WHERE id = ? AND NOT EXISTS (SELECT 1 FROM enterprise_tags WHERE tag_id = ?)`, id, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return zhagen.Errorf(zhagen.ECONFLICT, "标签不存在或仍有企业使用，请先取消企业的该标签")
	}
	if err := tx.writeOpLog(ctx, "删除", "企业标签", id, ""); err != nil {
		return err
	}
	return tx.Commit()
}

// SetEnterpriseTags replaces an enterprise's tags by name and matches the
// policies in force against it.
func (s *PolicyService) SetEnterpriseTags(ctx context.Context, enterpriseID int64, names []string) error {
	if _, err := permitted(ctx, zhagen.PermEnterpriseTag, zhagen.Facts{EnterpriseID: enterpriseID}); err != nil {
		return err
	}
	cal, err := s.cals.current(ctx, s.db)
	if err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.lockRow(ctx, "enterprises", enterpriseID); err != nil {
		return notFound(err, "企业")
	}
	if _, err := tx.exec(ctx, `DELETE FROM enterprise_tags WHERE enterprise_id = ?`, enterpriseID); err != nil {
		return err
	}
	var kept []string
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		var tid int64
		if err := tx.queryRow(ctx, `SELECT id FROM tags WHERE name = ?`, n).Scan(&tid); err != nil {
			if isNoRows(err) {
				return &zhagen.Error{Code: zhagen.EINVALID, Field: "tags", Message: "标签“" + n + "”不存在，请先由管理员定义"}
			}
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO enterprise_tags (enterprise_id, tag_id) VALUES (?, ?) ON CONFLICT (enterprise_id, tag_id) DO NOTHING`, enterpriseID, tid); err != nil {
			return err
		}
		kept = append(kept, n)
	}
	tx.bumpGeneration("enterprises") // the list's counts by tag
	if err := tx.rematchEnterprise(ctx, cal, enterpriseID); err != nil {
		return err
	}
	if err := tx.writeOpLog(ctx, "设置标签", "企业", enterpriseID, strings.Join(kept, "、")); err != nil {
		return err
	}
	return tx.Commit()
}

// EnterpriseTags lists an enterprise's tags (government users).
func (s *PolicyService) EnterpriseTags(ctx context.Context, enterpriseID int64) ([]*zhagen.Tag, error) {
	if _, err := permittedSome(ctx, zhagen.PermTagView); err != nil {
		return nil, err
	}
	return s.tags(ctx, `SELECT t.id, t.name, t.color, 0 FROM tags t JOIN enterprise_tags et ON et.tag_id = t.id WHERE et.enterprise_id = ? ORDER BY t.id`, enterpriseID)
}

// TaggedEnterprises returns the ids of the enterprises carrying a tag.
func (s *PolicyService) TaggedEnterprises(ctx context.Context, tagID int64) ([]int64, error) {
	if _, err := permittedSome(ctx, zhagen.PermTagView); err != nil {
		return nil, err
	}
	rows, err := s.db.query(ctx, `SELECT enterprise_id FROM enterprise_tags WHERE tag_id = ? ORDER BY enterprise_id`, tagID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids := []int64{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// EnterpriseAttrs returns an enterprise's attributes (zero when never set)
// to those who see the enterprise.
func (s *PolicyService) EnterpriseAttrs(ctx context.Context, enterpriseID int64) (*zhagen.EnterpriseAttrs, error) {
	a, err := permittedSome(ctx, zhagen.PermEnterpriseView)
	if err != nil {
		return nil, err
	}
	if !zhagen.Can(a, zhagen.PermEnterpriseView, zhagen.Facts{EnterpriseID: enterpriseID}) {
		return nil, zhagen.Errorf(zhagen.ENOTFOUND, "企业不存在")
	}
	x := &zhagen.EnterpriseAttrs{EnterpriseID: enterpriseID}
	var emp, year int64
	err = s.db.queryRow(ctx, `SELECT employees, revenue_band, founded_year, high_tech, chain, chain_position, updated_at FROM enterprise_attrs WHERE enterprise_id = ?`,
		enterpriseID).Scan(&emp, &x.RevenueBand, &year, &x.HighTech, &x.Chain, &x.ChainPosition, &x.UpdatedAt)
	if err != nil && !isNoRows(err) {
		return nil, err
	}
	x.Employees, x.FoundedYear = int(emp), int(year)
	return x, nil
}

// SetEnterpriseAttrs stores the attributes and matches the policies in
// force against the enterprise: one that now qualifies is told then.
func (s *PolicyService) SetEnterpriseAttrs(ctx context.Context, x *zhagen.EnterpriseAttrs) error {
	a, err := requireActor(ctx)
	if err != nil {
		return err
	}
	linked, err := s.db.cadreLinked(ctx, a.UserID, x.EnterpriseID)
	if err != nil {
		return err
	}
	if err := zhagen.Authorize(a, zhagen.PermEnterpriseAttr, zhagen.Facts{EnterpriseID: x.EnterpriseID, Linked: linked}); err != nil {
		return err
	}
	if err := x.Validate(s.db.now()); err != nil {
		return err
	}
	cal, err := s.cals.current(ctx, s.db)
	if err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.lockRow(ctx, "enterprises", x.EnterpriseID); err != nil {
		return notFound(err, "企业")
	}
	x.UpdatedAt = tx.now
	if _, err := tx.exec(ctx, `INSERT INTO enterprise_attrs (enterprise_id, employees, revenue_band, founded_year, high_tech, chain, chain_position, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (enterprise_id) DO UPDATE SET employees = excluded.employees, revenue_band = excluded.revenue_band,
		founded_year = excluded.founded_year, high_tech = excluded.high_tech, chain = excluded.chain, chain_position = excluded.chain_position, updated_at = excluded.updated_at`,
		x.EnterpriseID, x.Employees, x.RevenueBand, x.FoundedYear, x.HighTech, x.Chain, x.ChainPosition, tx.now); err != nil {
		return err
	}
	if err := tx.rematchEnterprise(ctx, cal, x.EnterpriseID); err != nil {
		return err
	}
	if err := tx.writeOpLog(ctx, "维护画像", "企业", x.EnterpriseID, "从业人数 "+itoa(int64(x.Employees))+"，产业链 "+x.Chain); err != nil {
		return err
	}
	return tx.Commit()
}

// policyCal is the working calendar with the stored overrides, for
// matching started outside the policy service (an enterprise edited):
// the statutory base is built once, the overrides follow their generation.
type policyCal struct {
	once  sync.Once
	cache calendarCache
	err   error
}

func (c *policyCal) get(ctx context.Context, db *DB) (*sla.Calendar, error) {
	c.once.Do(func() { c.cache.base, c.err = sla.NewCalendar(sla.Config{}) })
	if c.err != nil {
		return nil, c.err
	}
	return c.cache.current(ctx, db)
}

// policiesExplained marks the policies matched to a visited enterprise
// as explained by the logged visit v: the next visit's checklist lists
// only those still to explain.
func (tx *Tx) policiesExplained(ctx context.Context, v *zhagen.Visit) error {
	_, err := tx.exec(ctx, `UPDATE policy_matches SET explained_at = ?, explained_visit = ? WHERE enterprise_id = ? AND explained_at IS NULL`,
		tx.now, v.ID, v.EnterpriseID)
	return err
}
