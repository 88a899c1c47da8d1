package sqldb

import (
	"context"
	"encoding/json"
	"strings"

	"zhagen"
)

// EnterpriseService stores enterprises and applies the caller's scope in
// every query.
type EnterpriseService struct {
	db *DB
	// cal is the working calendar the policies matched on an edit count
	// a 免申即享 application's deadline on, built once.
	cal policyCal
}

// NewEnterpriseService returns the enterprise service of db.
func NewEnterpriseService(db *DB) *EnterpriseService { return &EnterpriseService{db: db} }

var _ zhagen.EnterpriseService = (*EnterpriseService)(nil)

const entColumns = `id, name, uscc, industry, is_key, park, address, legal_rep, contacts, status, archived, version, created_at, updated_at`

func scanEnterprise(sc interface{ Scan(...any) error }, extra ...any) (*zhagen.Enterprise, error) {
	e := &zhagen.Enterprise{}
	var contacts string
	dest := append([]any{&e.ID, &e.Name, &e.USCC, &e.Industry, &e.IsKey, &e.Park, &e.Address, &e.LegalRep, &contacts, &e.Status, &e.Archived, &e.Version, &e.CreatedAt, &e.UpdatedAt}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(contacts), &e.Contacts); err != nil || e.Contacts == nil {
		e.Contacts = []zhagen.Contact{}
	}
	return e, nil
}

// enterpriseScopeSQL selects the enterprises an actor reaches through
// each relation of the policy's PermEnterpriseView.
var enterpriseScopeSQL = scopeSQL{
	zhagen.RelOwnEnterprise: eqSQL("id", actorEnterprise),
}

// enterpriseScope adds the caller's scope over enterprises (the policy's
// PermEnterpriseView) to w, or refuses.
func enterpriseScope(ctx context.Context, w *where) (*zhagen.Actor, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	return a, scope(a, zhagen.PermEnterpriseView, w, enterpriseScopeSQL)
}

// FindEnterprises returns a page of enterprises in the caller's scope.
func (s *EnterpriseService) FindEnterprises(ctx context.Context, f zhagen.EnterpriseFilter) ([]*zhagen.Enterprise, int, error) {
	w, order, err := s.listQuery(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	total, err := s.db.count(ctx, "enterprises", w)
	if err != nil {
		return nil, 0, err
	}
	page, pageArgs := pageSQL(zhagen.ClampLimit(f.Limit, 25, 200), f.Offset)
	rows, err := s.db.query(ctx, `SELECT `+entColumns+` FROM enterprises`+w.String()+` ORDER BY `+order+page, append(w.args, pageArgs...)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []*zhagen.Enterprise{}
	for rows.Next() {
		e, err := scanEnterprise(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}

// listQuery builds the scope, filters and order of the enterprise list
// for f; the page and the export read the same rows through it.
func (s *EnterpriseService) listQuery(ctx context.Context, f zhagen.EnterpriseFilter) (*where, string, error) {
	w := &where{}
	a, err := enterpriseScope(ctx, w)
	if err != nil {
		return nil, "", err
	}
	if f.Linked {
		w.add("id IN (SELECT enterprise_id FROM linkages WHERE cadre_id = ? AND active)", a.UserID)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		w.add(`(name LIKE ? ESCAPE '\' OR uscc LIKE ? ESCAPE '\')`, likeArg(q), likeArg(strings.ToUpper(q)))
	}
	if f.Industry != "" {
		w.add("industry = ?", f.Industry)
	}
	if f.TagID != 0 {
		w.add("id IN (SELECT enterprise_id FROM enterprise_tags WHERE tag_id = ?)", f.TagID)
	}
	if f.Park != "" {
		w.add("park = ?", f.Park)
	}
	if f.IsKey != nil {
		w.add("is_key = ?", *f.IsKey)
	}
	if f.Status != "" {
		w.add("status = ?", string(f.Status))
	}
	if !f.IncludeArchived {
		w.add("archived = FALSE")
	}
	order := "name, id"
	if key, desc := strings.CutPrefix(f.Sort, "-"); zhagen.EnterpriseSorts[key] != "" {
		dir := ""
		if desc {
			dir = " DESC"
		}
		order = zhagen.EnterpriseSorts[key] + dir + ", id" + dir
	}
	return w, order, nil
}

// FindEnterpriseByID returns one enterprise in the caller's scope.
func (s *EnterpriseService) FindEnterpriseByID(ctx context.Context, id int64) (*zhagen.Enterprise, error) {
	w := where{conds: []string{"id = ?"}, args: []any{id}}
	if _, err := enterpriseScope(ctx, &w); err != nil {
		return nil, err
	}
	e, err := scanEnterprise(s.db.queryRow(ctx, `SELECT `+entColumns+` FROM enterprises`+w.String(), w.args...))
	return e, notFound(err, "企业")
}

// checkIndustry refuses an industry that is not on the list.
func (tx *Tx) checkIndustry(ctx context.Context, name string) error {
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM industries WHERE name = ?`, name).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return &zhagen.Error{Code: zhagen.EINVALID, Field: "industry", Message: "所属行业不在行业列表中：" + name}
	}
	return nil
}

func usccTaken(err error) error {
	if isUniqueViolation(err) {
		return &zhagen.Error{Code: zhagen.ECONFLICT, Field: "uscc", Message: "该统一社会信用代码已登记",
			Fields: []zhagen.FieldError{{Field: "uscc", Message: "该统一社会信用代码已登记"}}}
	}
	return err
}

// CreateEnterprise validates and stores a new enterprise.
func (s *EnterpriseService) CreateEnterprise(ctx context.Context, e *zhagen.Enterprise) error {
	if _, err := permitted(ctx, zhagen.PermEnterpriseCreate, zhagen.Facts{}); err != nil {
		return err
	}
	if err := e.Validate(); err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.checkIndustry(ctx, e.Industry); err != nil {
		return err
	}
	contacts, _ := json.Marshal(e.Contacts)
	e.Version, e.CreatedAt, e.UpdatedAt, e.Archived = 1, tx.now, tx.now, false
	e.ID, err = tx.insert(ctx, `INSERT INTO enterprises (name, uscc, industry, is_key, park, address, legal_rep, contacts, status, archived, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE, 1, ?, ?)`,
		e.Name, e.USCC, e.Industry, e.IsKey, e.Park, e.Address, e.LegalRep, string(contacts), string(e.Status), tx.now, tx.now)
	if err != nil {
		return usccTaken(err)
	}
	tx.bumpGeneration("enterprises")
	if err := tx.writeOpLog(ctx, "新建", "企业", e.ID, e.Name+"（"+e.USCC+"）"); err != nil {
		return err
	}
	return tx.Commit()
}

// UpdateEnterprise applies upd when its version is current.
func (s *EnterpriseService) UpdateEnterprise(ctx context.Context, id int64, upd zhagen.EnterpriseUpdate) (*zhagen.Enterprise, error) {
	if _, err := permitted(ctx, zhagen.PermEnterpriseEdit, zhagen.Facts{EnterpriseID: id}); err != nil {
		return nil, err
	}
	cal, err := s.cal.get(ctx, s.db)
	if err != nil {
		return nil, err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	e, err := scanEnterprise(tx.queryRow(ctx, `SELECT `+entColumns+` FROM enterprises WHERE id = ?`, id))
	if err != nil {
		return nil, notFound(err, "企业")
	}
	if e.Version != upd.Version {
		return nil, staleError(e, e.Version)
	}
	before := *e
	upd.Apply(e)
	if err := e.Validate(); err != nil {
		return nil, err
	}
	if e.Industry != before.Industry {
		if err := tx.checkIndustry(ctx, e.Industry); err != nil {
			return nil, err
		}
	}
	contacts, _ := json.Marshal(e.Contacts)
	res, err := tx.exec(ctx, `UPDATE enterprises SET name = ?, uscc = ?, industry = ?, is_key = ?, park = ?, address = ?, legal_rep = ?, contacts = ?, status = ?, archived = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
		e.Name, e.USCC, e.Industry, e.IsKey, e.Park, e.Address, e.LegalRep, string(contacts), string(e.Status), e.Archived, tx.now, id, upd.Version)
	if err != nil {
		return nil, usccTaken(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil, staleError(&before, before.Version)
	}
	tx.bumpGeneration("enterprises")
	e.Version++
	e.UpdatedAt = tx.now
	beforeContacts, _ := json.Marshal(before.Contacts)
	summary := diffSummary([]diffField{
		{"名称", before.Name, e.Name}, {"信用代码", before.USCC, e.USCC}, {"行业", before.Industry, e.Industry},
		{"重点企业", before.IsKey, e.IsKey}, {"园区", before.Park, e.Park}, {"地址", before.Address, e.Address},
		{"法定代表人", before.LegalRep, e.LegalRep}, {"联系人", string(beforeContacts), string(contacts)},
		{"状态", before.Status.Label(), e.Status.Label()}, {"归档", before.Archived, e.Archived},
	})
	// Policies match on the industry, key flag and park: a change may
	// make the enterprise eligible, and it is told then.
	if e.Industry != before.Industry || e.IsKey != before.IsKey || e.Park != before.Park || e.Status != before.Status || e.Archived != before.Archived {
		if err := tx.rematchEnterprise(ctx, cal, id); err != nil {
			return nil, err
		}
	}
	action := "修改"
	if e.Archived && !before.Archived {
		action = "归档"
	}
	if err := tx.writeOpLog(ctx, action, "企业", id, summary); err != nil {
		return nil, err
	}
	return e, tx.Commit()
}

// FindIndustries returns the industry list to any logged-in caller.
func (s *EnterpriseService) FindIndustries(ctx context.Context) ([]*zhagen.Industry, error) {
	if _, err := permitted(ctx, zhagen.PermIndustryView, zhagen.Facts{}); err != nil {
		return nil, err
	}
	rows, err := s.db.query(ctx, `SELECT id, name, sort FROM industries ORDER BY sort, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*zhagen.Industry
	for rows.Next() {
		i := &zhagen.Industry{}
		if err := rows.Scan(&i.ID, &i.Name, &i.Sort); err != nil {
			return nil, err
		}
		out = append(out, i)
	}
	return out, rows.Err()
}

// CreateIndustry adds an industry (admin only).
func (s *EnterpriseService) CreateIndustry(ctx context.Context, name string) (*zhagen.Industry, error) {
	if _, err := permitted(ctx, zhagen.PermIndustryEdit, zhagen.Facts{}); err != nil {
		return nil, err
	}
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > 20 {
		return nil, &zhagen.Error{Code: zhagen.EINVALID, Field: "name", Message: "行业名称须为1–20个字"}
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	ind := &zhagen.Industry{Name: name}
	if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(sort), 0) + 10 FROM industries WHERE sort < 999`).Scan(&ind.Sort); err != nil {
		return nil, err
	}
	ind.ID, err = tx.insert(ctx, `INSERT INTO industries (name, sort) VALUES (?, ?)`, ind.Name, ind.Sort)
	if isUniqueViolation(err) {
		return nil, &zhagen.Error{Code: zhagen.ECONFLICT, Field: "name", Message: "该行业已存在"}
	} else if err != nil {
		return nil, err
	}
	if err := tx.writeOpLog(ctx, "新建", "行业", ind.ID, name); err != nil {
		return nil, err
	}
	return ind, tx.Commit()
}

// DeleteIndustry removes an unused industry (admin only).
func (s *EnterpriseService) DeleteIndustry(ctx context.Context, id int64) error {
	if _, err := permitted(ctx, zhagen.PermIndustryEdit, zhagen.Facts{}); err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var name string
	if err := tx.queryRow(ctx, `SELECT name FROM industries WHERE id = ?`, id).Scan(&name); err != nil {
		return notFound(err, "行业")
	}
	var used int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM enterprises WHERE industry = ?`, name).Scan(&used); err != nil {
		return err
	}
	if used > 0 {
		return zhagen.Errorf(zhagen.ECONFLICT, "行业“%s”仍有 %d 家企业使用，不能删除", name, used)
	}
	res, err := tx.exec(ctx, `DELETE FROM industries WHERE id = ?`, id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return zhagen.Errorf(zhagen.ENOTFOUND, "行业不存在") // deleted meanwhile
	}
	if err := tx.writeOpLog(ctx, "删除", "行业", id, name); err != nil {
		return err
	}
	return tx.Commit()
}

// FindParks returns the distinct parks of enterprises in scope.
func (s *EnterpriseService) FindParks(ctx context.Context) ([]string, error) {
	w := where{conds: []string{"park <> ''"}}
	if _, err := enterpriseScope(ctx, &w); err != nil {
		return nil, err
	}
	rows, err := s.db.query(ctx, `SELECT DISTINCT park FROM enterprises`+w.String()+` ORDER BY park`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// activeEnterpriseName returns the name of enterprise id if it exists and
// is not archived (sql.ErrNoRows otherwise), cached until an enterprise
// changes: every filing names its enterprise.
func (db *DB) activeEnterpriseName(ctx context.Context, id int64) (string, error) {
	gen, err := db.generation(ctx, "enterprises")
	if err != nil {
		return "", err
	}
	if name, ok := db.activeEntName.get(gen, id); ok {
		return name, nil
	}
	var name string
	if err := db.queryRow(ctx, `SELECT name FROM enterprises WHERE id = ? AND archived = FALSE`, id).Scan(&name); err != nil {
		return "", err
	}
	db.activeEntName.put(gen, id, name)
	return name, nil
}
