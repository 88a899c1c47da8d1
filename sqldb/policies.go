package sqldb

import (
	"context"
	"encoding/json"
	"slices"

	"zhagen"
	"zhagen/sla"
)

// PolicyService keeps the policy catalogue (惠企政策), enterprise tags and
// attributes, matching, redemption and the enterprise profile.
type PolicyService struct {
	db   *DB
	cals calendarCache
}

// NewPolicyService returns the policy service of db; redemption deadlines
// follow base with the stored calendar overrides.
func NewPolicyService(db *DB, base *sla.Calendar) *PolicyService {
	return &PolicyService{db: db, cals: calendarCache{base: base}}
}

var _ zhagen.PolicyService = (*PolicyService)(nil)

const policyColumns = `p.id, p.title, p.doc_no, p.category, p.issuer_dept_id, COALESCE(di.name, ''), p.handler_dept_id, COALESCE(dh.name, ''),
	p.summary, p.body, p.valid_from, p.valid_to, p.rules, p.benefit_type, p.benefit_amount, p.benefit_text, p.auto, p.status, p.published_at,
	(SELECT COUNT(*) FROM policy_matches m WHERE m.policy_id = p.id),
	(SELECT COALESCE(SUM(a.amount_paid), 0) FROM policy_applications a WHERE a.policy_id = p.id AND a.status = 'paid'),
	p.version, p.created_at, p.updated_at`

const policyFrom = ` FROM policies p LEFT JOIN departments di ON di.id = p.issuer_dept_id LEFT JOIN departments dh ON dh.id = p.handler_dept_id`

func scanPolicy(sc interface{ Scan(...any) error }) (*zhagen.Policy, error) {
	p := &zhagen.Policy{}
	var rules string
	err := sc.Scan(&p.ID, &p.Title, &p.DocNo, &p.Category, &p.IssuerDeptID, &p.IssuerName, &p.HandlerDeptID, &p.HandlerName,
		&p.Summary, &p.Body, &p.ValidFrom, &p.ValidTo, &rules, &p.BenefitType, &p.BenefitAmount, &p.BenefitText, &p.Auto, &p.Status, &p.PublishedAt,
		&p.Matched, &p.PaidTotal, &p.Version, &p.CreatedAt, &p.UpdatedAt)
	if err != nil {
		return nil, err
	}
	if json.Unmarshal([]byte(rules), &p.Rules) != nil || p.Rules == nil {
		p.Rules = []zhagen.PolicyRule{}
	}
	return p, nil
}

// FindPolicy returns one policy; those who may not edit see only published ones.
func (s *PolicyService) FindPolicy(ctx context.Context, id int64) (*zhagen.Policy, error) {
	a, err := permittedSome(ctx, zhagen.PermPolicyView)
	if err != nil {
		return nil, err
	}
	w := where{conds: []string{"p.id = ?"}, args: []any{id}}
	if !zhagen.CanAny(a, zhagen.PermPolicyEdit) {
		w.add("p.status = 'published'")
	}
	p, err := scanPolicy(s.db.queryRow(ctx, `SELECT `+policyColumns+policyFrom+w.String(), w.args...))
	return p, notFound(err, "政策")
}

// FindPolicies lists policies, newest first; an enterprise user sees the
// published ones, and with f.EnterpriseID those it was matched to.
func (s *PolicyService) FindPolicies(ctx context.Context, f zhagen.PolicyFilter) ([]*zhagen.Policy, error) {
	a, err := permittedSome(ctx, zhagen.PermPolicyView)
	if err != nil {
		return nil, err
	}
	var w where
	if !zhagen.CanAny(a, zhagen.PermPolicyEdit) {
		w.add("p.status = 'published'")
	}
	if a.Has(zhagen.RoleEnterprise) && !zhagen.CanAny(a, zhagen.PermPolicyEligible) && f.EnterpriseID != 0 {
		f.EnterpriseID = a.EnterpriseID
	}
	if f.Category != "" {
		w.add("p.category = ?", string(f.Category))
	}
	if f.Status != "" {
		w.add("p.status = ?", string(f.Status))
	}
	if f.Query != "" {
		w.add(`(p.title LIKE ? ESCAPE '\' OR p.doc_no LIKE ? ESCAPE '\')`, likeArg(f.Query), likeArg(f.Query))
	}
	if f.EnterpriseID != 0 {
		w.add("p.id IN (SELECT policy_id FROM policy_matches WHERE enterprise_id = ?)", f.EnterpriseID)
	}
	rows, err := s.db.query(ctx, `SELECT `+policyColumns+policyFrom+w.String()+` ORDER BY p.status DESC, COALESCE(p.published_at, p.created_at) DESC, p.id DESC LIMIT ?`,
		append(w.args, zhagen.ClampLimit(f.Limit, 200, 1000))...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*zhagen.Policy{}
	for rows.Next() {
		p, err := scanPolicy(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// CreatePolicy stores a draft.
func (s *PolicyService) CreatePolicy(ctx context.Context, p *zhagen.Policy) error {
	if _, err := permitted(ctx, zhagen.PermPolicyEdit, zhagen.Facts{}); err != nil {
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
	if err := tx.checkDepts(ctx, "issuer_dept_id", p.IssuerDeptID); err != nil {
		return err
	}
	if err := tx.checkDepts(ctx, "handler_dept_id", p.HandlerDeptID); err != nil {
		return err
	}
	rules, _ := json.Marshal(p.Rules)
	p.Status, p.Version, p.CreatedAt, p.UpdatedAt = zhagen.PolicyDraft, 1, tx.now, tx.now
	p.ID, err = tx.insert(ctx, `INSERT INTO policies (title, doc_no, category, issuer_dept_id, handler_dept_id, summary, body, valid_from, valid_to, rules,
		benefit_type, benefit_amount, benefit_text, auto, status, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft', 1, ?, ?)`,
		p.Title, p.DocNo, string(p.Category), p.IssuerDeptID, p.HandlerDeptID, p.Summary, p.Body, p.ValidFrom, p.ValidTo, string(rules),
		string(p.BenefitType), p.BenefitAmount, p.BenefitText, p.Auto, tx.now, tx.now)
	if err != nil {
		return err
	}
	if err := tx.writeOpLog(ctx, "新建", "政策", p.ID, p.Title); err != nil {
		return err
	}
	return tx.Commit()
}

// UpdatePolicy replaces the fields of a policy at p.Version; a published
// policy is matched again (new matches only: nobody is told twice).
func (s *PolicyService) UpdatePolicy(ctx context.Context, p *zhagen.Policy) error {
	if _, err := permitted(ctx, zhagen.PermPolicyEdit, zhagen.Facts{}); err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
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
	if err := tx.checkDepts(ctx, "issuer_dept_id", p.IssuerDeptID); err != nil {
		return err
	}
	if err := tx.checkDepts(ctx, "handler_dept_id", p.HandlerDeptID); err != nil {
		return err
	}
	rules, _ := json.Marshal(p.Rules)
	if err := tx.once(ctx, `UPDATE policies SET title = ?, doc_no = ?, category = ?, issuer_dept_id = ?, handler_dept_id = ?, summary = ?, body = ?,
		valid_from = ?, valid_to = ?, rules = ?, benefit_type = ?, benefit_amount = ?, benefit_text = ?, auto = ?, version = version + 1, updated_at = ?
		WHERE id = ? AND version = ?`, []any{p.Title, p.DocNo, string(p.Category), p.IssuerDeptID, p.HandlerDeptID, p.Summary, p.Body,
		p.ValidFrom, p.ValidTo, string(rules), string(p.BenefitType), p.BenefitAmount, p.BenefitText, p.Auto, tx.now, p.ID, p.Version},
		"该政策已被他人修改，请刷新后重试"); err != nil {
		return err
	}
	cur, err := scanPolicy(tx.queryRow(ctx, `SELECT `+policyColumns+policyFrom+` WHERE p.id = ?`, p.ID))
	if err != nil {
		return err
	}
	if cur.InForce(tx.now) {
		if _, err := tx.matchPolicies(ctx, cal, []*zhagen.Policy{cur}, 0); err != nil {
			return err
		}
	}
	if err := tx.writeOpLog(ctx, "修改", "政策", p.ID, p.Title); err != nil {
		return err
	}
	*p = *cur
	return tx.Commit()
}

// PublishPolicy publishes a draft, once, and matches it in the same
// transaction: each eligible enterprise is matched and told once.
func (s *PolicyService) PublishPolicy(ctx context.Context, id, version int64) (*zhagen.Policy, error) {
	if _, err := permitted(ctx, zhagen.PermPolicyEdit, zhagen.Facts{}); err != nil {
		return nil, err
	}
	cal, err := s.cals.current(ctx, s.db)
	if err != nil {
		return nil, err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	q := `UPDATE policies SET status = 'published', published_at = ?, version = version + 1, updated_at = ? WHERE id = ? AND status = 'draft'`
	args := []any{tx.now, tx.now, id}
	if version != 0 {
		q += ` AND version = ?`
		args = append(args, version)
	}
	if err := tx.once(ctx, q, args, "该政策已发布或已被他人修改，请刷新后查看"); err != nil {
		return nil, err
	}
	p, err := scanPolicy(tx.queryRow(ctx, `SELECT `+policyColumns+policyFrom+` WHERE p.id = ?`, id))
	if err != nil {
		return nil, err
	}
	n := 0
	if p.InForce(tx.now) {
		if n, err = tx.matchPolicies(ctx, cal, []*zhagen.Policy{p}, 0); err != nil {
			return nil, err
		}
	}
	if err := tx.writeOpLog(ctx, "发布", "政策", id, p.Title+"，匹配企业 "+itoa(int64(n))+" 家"); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return s.FindPolicy(ctx, id)
}

// Eligibility applies a policy to every enterprise that is not archived
// or closed, eligible ones first.
func (s *PolicyService) Eligibility(ctx context.Context, id int64) ([]zhagen.Eligibility, error) {
	if _, err := permittedSome(ctx, zhagen.PermPolicyEligible); err != nil {
		return nil, err
	}
	p, err := s.FindPolicy(ctx, id)
	if err != nil {
		return nil, err
	}
	subs, err := loadSubjects(ctx, s.db.sql, s.db.dialect, 0)
	if err != nil {
		return nil, err
	}
	now := s.db.now()
	out := make([]zhagen.Eligibility, 0, len(subs))
	for _, sub := range subs {
		out = append(out, zhagen.Evaluate(p.Rules, sub, now))
	}
	slices.SortStableFunc(out, func(a, b zhagen.Eligibility) int {
		if a.Eligible != b.Eligible {
			if a.Eligible {
				return -1
			}
			return 1
		}
		return 0
	})
	return out, nil
}

// FindMatches lists the matches of a policy or of an enterprise (one of
// the two ids set), newest first, within what the caller may see.
func (s *PolicyService) FindMatches(ctx context.Context, policyID, enterpriseID int64) ([]*zhagen.PolicyMatch, error) {
	a, err := permittedSome(ctx, zhagen.PermPolicyView)
	if err != nil {
		return nil, err
	}
	w := where{conds: []string{"p.status = 'published'"}}
	if !zhagen.CanAny(a, zhagen.PermPolicyEligible) {
		enterpriseID = a.EnterpriseID
		if enterpriseID == 0 {
			return nil, zhagen.Forbidden(zhagen.PermPolicyEligible)
		}
	}
	if policyID != 0 {
		w.add("m.policy_id = ?", policyID)
	}
	if enterpriseID != 0 {
		w.add("m.enterprise_id = ?", enterpriseID)
	}
	return queryMatches(ctx, s.db, w)
}

func queryMatches(ctx context.Context, db *DB, w where) ([]*zhagen.PolicyMatch, error) {
	rows, err := db.query(ctx, `SELECT m.policy_id, p.title, m.enterprise_id, e.name, m.reason, p.auto, p.benefit_text, m.matched_at, m.explained_at
		FROM policy_matches m JOIN policies p ON p.id = m.policy_id JOIN enterprises e ON e.id = m.enterprise_id`+w.String()+
		` ORDER BY m.matched_at DESC, m.policy_id DESC LIMIT 500`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*zhagen.PolicyMatch{}
	for rows.Next() {
		m := &zhagen.PolicyMatch{}
		if err := rows.Scan(&m.PolicyID, &m.PolicyTitle, &m.EnterpriseID, &m.EnterpriseName, &m.Reason, &m.Auto, &m.BenefitText, &m.MatchedAt, &m.ExplainedAt); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
