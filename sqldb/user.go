package sqldb

import (
	"context"
	"encoding/json"
	"strings"

	"zhagen"
)

// UserService stores users and applies the caller's scope in every query.
type UserService struct{ db *DB }

// NewUserService returns the user service of db.
func NewUserService(db *DB) *UserService { return &UserService{db: db} }

var _ zhagen.UserService = (*UserService)(nil)

const userColumns = `u.id, u.login, u.name, u.roles, COALESCE(u.dept_id, 0), COALESCE(d.name, ''), u.rank, u.expertise, u.phone, COALESCE(u.enterprise_id, 0), u.archived, u.locked_until, u.last_login_at, u.must_change_password, u.version, u.created_at, u.updated_at`
const userFrom = ` FROM users u LEFT JOIN departments d ON d.id = u.dept_id`

func scanUser(sc interface{ Scan(...any) error }, extra ...any) (*zhagen.User, error) {
	u := &zhagen.User{}
	var roles, expertise string
	dest := append([]any{&u.ID, &u.Login, &u.Name, &roles, &u.DeptID, &u.DeptName, &u.Rank, &expertise, &u.Phone, &u.EnterpriseID, &u.Archived, &u.LockedUntil, &u.LastLoginAt, &u.MustChangePassword, &u.Version, &u.CreatedAt, &u.UpdatedAt}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	u.Roles = zhagen.ParseRoles(roles)
	if err := json.Unmarshal([]byte(expertise), &u.Expertise); err != nil || u.Expertise == nil {
		u.Expertise = []string{}
	}
	return u, nil
}

// userScopeSQL selects the users an actor reaches through each relation
// of the policy's PermUserView.
var userScopeSQL = scopeSQL{
	zhagen.RelDeptBelow: subDeptsSQL("u.dept_id"),
	zhagen.RelSelf:      eqSQL("u.id", actorUser),
}

// userScope adds the caller's scope over users (the policy's
// PermUserView) to w.
func userScope(ctx context.Context, w *where) error {
	a, err := requireActor(ctx)
	if err != nil {
		return err
	}
	return scope(a, zhagen.PermUserView, w, userScopeSQL)
}

// FindUsers returns the users in the caller's scope.
func (s *UserService) FindUsers(ctx context.Context, f zhagen.UserFilter) ([]*zhagen.User, int, error) {
	var w where
	if err := userScope(ctx, &w); err != nil {
		return nil, 0, err
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		w.add(`(u.login LIKE ? ESCAPE '\' OR u.name LIKE ? ESCAPE '\')`, likeArg(q), likeArg(q))
	}
	if f.Login != "" {
		w.add("u.login = ?", f.Login)
	}
	if f.DeptID != 0 {
		w.add("u.dept_id = ?", f.DeptID)
	}
	if f.Role != "" {
		w.add(hasRoleSQL("u.roles"), string(f.Role))
	}
	page, pageArgs := pageSQL(zhagen.ClampLimit(f.Limit, 25, 200), f.Offset)
	rows, err := s.db.query(ctx, `SELECT `+userColumns+`, COUNT(*) OVER()`+userFrom+w.String()+` ORDER BY u.id`+page, append(w.args, pageArgs...)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []*zhagen.User{}
	total := 0
	for rows.Next() {
		u, err := scanUser(rows, &total)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, u)
	}
	return out, total, rows.Err()
}

// FindUserByID returns one user in the caller's scope.
func (s *UserService) FindUserByID(ctx context.Context, id int64) (*zhagen.User, error) {
	w := where{conds: []string{"u.id = ?"}, args: []any{id}}
	if err := userScope(ctx, &w); err != nil {
		return nil, err
	}
	u, err := scanUser(s.db.queryRow(ctx, `SELECT `+userColumns+userFrom+w.String(), w.args...))
	return u, notFound(err, "用户")
}

// checkRefs refuses a department or enterprise that does not exist.
func (tx *Tx) checkUserRefs(ctx context.Context, u *zhagen.User) error {
	var v zhagen.Validation
	var n int
	if u.DeptID != 0 {
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM departments WHERE id = ?`, u.DeptID).Scan(&n); err != nil {
			return err
		} else if n == 0 {
			v.Add("dept_id", "所属部门不存在")
		}
	}
	if u.EnterpriseID != 0 {
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM enterprises WHERE id = ?`, u.EnterpriseID).Scan(&n); err != nil {
			return err
		} else if n == 0 {
			v.Add("enterprise_id", "关联企业不存在")
		}
	}
	return v.Err()
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// CreateUser stores a new user with a hashed password (admin only).
func (s *UserService) CreateUser(ctx context.Context, u *zhagen.User) error {
	if _, err := permitted(ctx, zhagen.PermUserCreate, zhagen.Facts{DeptID: u.DeptID}); err != nil {
		return err
	}
	if u.Password == "" {
		return &zhagen.Error{Code: zhagen.EINVALID, Field: "password", Message: "请设置初始密码", Fields: []zhagen.FieldError{{Field: "password", Message: "请设置初始密码"}}}
	}
	if err := u.Validate(); err != nil {
		return err
	}
	hash, err := hashPassword(ctx, u.Password)
	if err != nil {
		return err
	}
	u.Password = ""
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.checkUserRefs(ctx, u); err != nil {
		return err
	}
	if err := tx.insertUser(ctx, u, hash, false); err != nil {
		return err
	}
	if err := tx.writeOpLog(ctx, "新建", "用户", u.ID, u.Login+" "+u.Name+" 角色 "+zhagen.JoinRoles(u.Roles)); err != nil {
		return err
	}
	return tx.Commit()
}

// insertUser stores a validated u whose password hash is hash: the one
// insert of CreateUser and the cadre import. mustChange marks a password
// the user did not choose, to be changed at the first login.
func (tx *Tx) insertUser(ctx context.Context, u *zhagen.User, hash string, mustChange bool) error {
	expertise, _ := json.Marshal(u.Expertise)
	u.Version, u.CreatedAt, u.UpdatedAt, u.MustChangePassword = 1, tx.now, tx.now, mustChange
	id, err := tx.insert(ctx, `INSERT INTO users (login, name, roles, dept_id, rank, expertise, phone, enterprise_id, password_hash, must_change_password, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		u.Login, u.Name, zhagen.JoinRoles(u.Roles), nullID(u.DeptID), u.Rank, string(expertise), u.Phone, nullID(u.EnterpriseID), hash, mustChange, tx.now, tx.now)
	if isUniqueViolation(err) {
		msg := "登录名已被使用：" + u.Login
		return &zhagen.Error{Code: zhagen.ECONFLICT, Field: "login", Message: msg, Fields: []zhagen.FieldError{{Field: "login", Message: msg}}}
	} else if err != nil {
		return err
	}
	u.ID = id
	return nil
}

// UpdateUser changes a user (admin only).
func (s *UserService) UpdateUser(ctx context.Context, id int64, upd zhagen.UserUpdate) (*zhagen.User, error) {
	a, err := permittedSome(ctx, zhagen.PermUserEdit)
	if err != nil {
		return nil, err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	u, err := scanUser(tx.queryRow(ctx, `SELECT `+userColumns+userFrom+` WHERE u.id = ?`, id))
	if err != nil {
		return nil, notFound(err, "用户")
	}
	if err := zhagen.Authorize(a, zhagen.PermUserEdit, zhagen.Facts{DeptID: u.DeptID, UserID: u.ID}); err != nil {
		return nil, err
	}
	if u.Version != upd.Version {
		return nil, staleError(u, u.Version)
	}
	before := *u
	upd.Apply(u)
	if err := u.Validate(); err != nil {
		return nil, err
	}
	if err := tx.checkUserRefs(ctx, u); err != nil {
		return nil, err
	}
	expertise, _ := json.Marshal(u.Expertise)
	res, err := tx.exec(ctx, `UPDATE users SET name = ?, roles = ?, dept_id = ?, rank = ?, expertise = ?, phone = ?, enterprise_id = ?, archived = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
		u.Name, zhagen.JoinRoles(u.Roles), nullID(u.DeptID), u.Rank, string(expertise), u.Phone, nullID(u.EnterpriseID), u.Archived, tx.now, id, upd.Version)
	if err != nil {
		return nil, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil, staleError(&before, before.Version)
	}
	if u.Archived {
		if err := tx.endSessions(ctx, id); err != nil {
			return nil, err
		}
	}
	tx.bumpGeneration("auth") // roles or department may have changed
	u.Version++
	u.UpdatedAt = tx.now
	summary := diffSummary([]diffField{{"姓名", before.Name, u.Name}, {"角色", zhagen.JoinRoles(before.Roles), zhagen.JoinRoles(u.Roles)},
		{"部门", before.DeptID, u.DeptID}, {"职级", before.Rank, u.Rank}, {"专长", strings.Join(before.Expertise, "、"), strings.Join(u.Expertise, "、")},
		{"电话", before.Phone, u.Phone}, {"企业", before.EnterpriseID, u.EnterpriseID}, {"停用", before.Archived, u.Archived}})
	if err := tx.writeOpLog(ctx, "修改", "用户", id, summary); err != nil {
		return nil, err
	}
	return u, tx.Commit()
}

// SetPassword replaces a password (admin, or the user themself), unlocks
// the account and ends its sessions and tokens. A password set for
// another user is a reset: the user must change it at the next login.
func (s *UserService) SetPassword(ctx context.Context, id int64, password string) error {
	a, err := permitted(ctx, zhagen.PermUserPassword, zhagen.Facts{UserID: id})
	if err != nil {
		return err
	}
	reset := a.UserID != id
	if msg := zhagen.ValidatePassword(password); msg != "" {
		return &zhagen.Error{Code: zhagen.EINVALID, Field: "password", Message: msg, Fields: []zhagen.FieldError{{Field: "password", Message: msg}}}
	}
	hash, err := hashPassword(ctx, password)
	if err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.exec(ctx, `UPDATE users SET password_hash = ?, must_change_password = ?, failed_logins = 0, locked_until = NULL, updated_at = ? WHERE id = ?`, hash, reset, tx.now, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return zhagen.Errorf(zhagen.ENOTFOUND, "用户不存在")
	}
	if err := tx.endSessions(ctx, id); err != nil {
		return err
	}
	summary := "密码已更换，会话已注销"
	if reset {
		summary += "，须在下次登录时修改"
	}
	if err := tx.writeOpLog(ctx, "重置密码", "用户", id, summary); err != nil {
		return err
	}
	return tx.Commit()
}

func (tx *Tx) endSessions(ctx context.Context, userID int64) error {
	if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM api_tokens WHERE user_id = ?`, userID); err != nil {
		return err
	}
	tx.bumpGeneration("auth")
	return nil
}
