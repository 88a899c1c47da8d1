package sqldb

import (
	"context"
	"strings"

	"zhagen"
)

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

// graduateScopeSQL selects the graduates an actor reaches through each
// relation of the policy's graduate permissions: the graduate themself;
// the enterprises whose programme positions a consenting graduate
// applied to.
var graduateScopeSQL = scopeSQL{
	zhagen.RelSelf: eqSQL("g.user_id", actorUser),
	zhagen.RelOwnEnterprise: func(a *zhagen.Actor) (string, []any) {
		if a.EnterpriseID == 0 {
			return "", nil
		}
		return `(g.consent = TRUE AND g.id IN (SELECT c.graduate_id FROM programme_choices c JOIN programme_positions pp ON pp.id = c.position_id WHERE pp.enterprise_id = ?))`, []any{a.EnterpriseID}
	},
}

// graduateScope adds the caller's scope over graduates (the policy's
// PermGraduateView) to w.
func graduateScope(ctx context.Context, w *where) error {
	a, err := requireActor(ctx)
	if err != nil {
		return err
	}
	return scope(a, zhagen.PermGraduateView, w, graduateScopeSQL)
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
	hash, err := hashPassword(ctx, reg.Password)
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
	page, pageArgs := pageSQL(zhagen.ClampLimit(f.Limit, 25, 200), f.Offset)
	rows, err := s.db.query(ctx, `SELECT `+graduateColumns+`, COUNT(*) OVER() FROM graduates g`+w.String()+` ORDER BY g.id`+page, append(w.args, pageArgs...)...)
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

// UpdateGraduate changes a graduate's record (the policy's
// PermGraduateEdit: the graduate themself or an administrator). Whoever
// reads every graduate is refused; anybody else finds no such graduate.
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
	if err := scope(a, zhagen.PermGraduateEdit, &w, graduateScopeSQL); err != nil {
		if every, _ := zhagen.ScopeOf(a, zhagen.PermGraduateView); every {
			return nil, err
		}
		return nil, zhagen.Errorf(zhagen.ENOTFOUND, "毕业生不存在")
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
	if err := tx.writeOpLog(ctx, "修改", "毕业生", id, g.Name); err != nil {
		return nil, err
	}
	return g, tx.Commit()
}

// CreateGraduate records a graduate on their behalf (talent managers).
func (s *TalentService) CreateGraduate(ctx context.Context, g *zhagen.Graduate, login string) error {
	if _, err := authorizeKind(ctx, zhagen.PermGraduateCreate); err != nil {
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
	case isNoRows(err):
		uid, err = tx.insert(ctx, `INSERT INTO users (login, name, roles, rank, expertise, phone, password_hash, version, created_at, updated_at) VALUES (?, ?, ?, '', '[]', ?, '', 1, ?, ?)`,
			u.Login, g.Name, string(zhagen.RoleGraduate), g.Phone, tx.now, tx.now)
		if isUniqueViolation(err) {
			// The same login created at the same time, with its graduate.
			return &zhagen.Error{Code: zhagen.ECONFLICT, Field: "login", Message: "该用户已有毕业生信息", Fields: []zhagen.FieldError{{Field: "login", Message: "该用户已有毕业生信息"}}}
		} else if err != nil {
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
	if err := tx.writeOpLog(ctx, "代录", "毕业生", g.ID, u.Login+" "+g.Name); err != nil {
		return err
	}
	return tx.Commit()
}
