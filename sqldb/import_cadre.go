package sqldb

import (
	"cmp"
	"context"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"zhagen"
)

// ImportCadreRows resolves each row's department by name, validates the
// account as CreateUser does (User.Validate, with the cadre role) and
// finds the logins repeated within the file or already taken. With write
// it draws an initial password for every account it will store, hashes
// them before the transaction (hashing is the slow part and must not hold
// the write lock), stores the accounts in one transaction through
// CreateUser's insert, marked to change the password at the first login,
// and returns the passwords to the caller; the operation log records the
// count only.
func (s *ImportService) ImportCadreRows(ctx context.Context, rows []*zhagen.CadreImportRow, write bool, mode zhagen.ImportMode, progress zhagen.ImportProgress) (*zhagen.ImportReport, []zhagen.InitialPassword, error) {
	if _, err := permitted(ctx, zhagen.PermUserCreate, zhagen.Facts{}); err != nil {
		return nil, nil, err
	}
	total := len(rows)
	if write {
		total *= 3 // validate, hash, insert
	}
	rep, users, err := s.checkCadres(ctx, rows, func(done int) { tick(progress, done, total) })
	if err != nil || !write {
		return rep, nil, err
	}
	rep.Mode = mode
	if mode != zhagen.ImportValidOnly && rep.ProblemCount > 0 {
		return rep, nil, nil
	}
	creds, err := s.storeCadres(ctx, users, len(rows), progress)
	if err != nil {
		return nil, nil, err
	}
	rep.Written, rep.Committed = len(users), true
	return rep, creds, nil
}

// checkCadres reports the problems of every row and returns the
// accounts of the valid ones, with their departments resolved.
func (s *ImportService) checkCadres(ctx context.Context, rows []*zhagen.CadreImportRow, progress func(done int)) (*zhagen.ImportReport, []*zhagen.User, error) {
	rep := &zhagen.ImportReport{Kind: zhagen.ImportCadres, Rows: len(rows), Problems: []zhagen.ImportProblem{}}
	depts, err := s.deptNames(ctx)
	if err != nil {
		return nil, nil, err
	}
	deptMsg := make([]string, len(rows))
	for i, r := range rows {
		if len(r.Problems) == 0 && r.User != nil {
			r.User.Roles, r.User.DeptID, r.User.Password = []zhagen.Role{zhagen.RoleCadre}, 0, ""
			if r.Dept != "" {
				r.User.DeptID, deptMsg[i] = depts.Resolve(r.Dept)
			}
		}
	}
	invalid := inParallel(len(rows), func(i int) error {
		if r := rows[i]; len(r.Problems) == 0 && r.User != nil {
			return r.User.Validate()
		}
		return nil
	})
	ok := make([]bool, len(rows))
	first := map[string]int{} // login → the row that has it first
	for i, r := range rows {
		ok[i] = checkCadre(rep, r, invalid[i], deptMsg[i], first)
		progress(i + 1)
	}
	taken, err := s.takenLogins(ctx, first)
	if err != nil {
		return nil, nil, err
	}
	var users []*zhagen.User
	for i, r := range rows {
		if ok[i] && taken[r.User.Login] {
			rep.Add(zhagen.CadreImportColumns, r.Row, "login", "登录名已被使用："+r.User.Login)
			ok[i] = false
		}
		if ok[i] {
			users = append(users, r.User)
		}
	}
	rep.Valid = len(users)
	sortProblems(rep)
	return rep, users, nil
}

// storeCadres draws and hashes the initial passwords of users, then
// stores them in one transaction with one operation log line that counts
// them; progress goes on from the read rows.
func (s *ImportService) storeCadres(ctx context.Context, users []*zhagen.User, read int, progress zhagen.ImportProgress) ([]zhagen.InitialPassword, error) {
	total := read + 2*len(users)
	creds, hashes, err := initialPasswords(ctx, users, func(done int) {
		if progress != nil {
			progress(read+done, total)
		}
	})
	if err != nil {
		return nil, err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	for i, u := range users {
		if err := tx.insertUser(ctx, u, hashes[i], true); err != nil {
			return nil, err
		}
		tick(progress, read+len(users)+i+1, total)
	}
	if err := tx.writeOpLog(ctx, "导入", "用户", 0, "表格导入干部账号 "+strconv.Itoa(len(users))+" 个（初始密码随机生成，须首次登录后修改）"); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	if progress != nil {
		progress(total, total)
	}
	return creds, nil
}

// checkCadre reports the problems of one row; true when it has none.
// An unknown department is reported once, in its column, not again as
// User.Validate's missing department.
func checkCadre(rep *zhagen.ImportReport, r *zhagen.CadreImportRow, invalid error, deptMsg string, first map[string]int) bool {
	cols := zhagen.CadreImportColumns
	for _, p := range r.Problems {
		rep.Add(cols, r.Row, p.Field, p.Message)
	}
	if len(r.Problems) > 0 || r.User == nil {
		return false
	}
	good := true
	switch {
	case r.Dept == "":
		rep.Add(cols, r.Row, "dept", "请填写所属部门")
		good = false
	case deptMsg != "":
		rep.Add(cols, r.Row, "dept", deptMsg)
		good = false
	}
	if e, isErr := zhagen.AsError(invalid); isErr && len(e.Fields) > 0 {
		for _, f := range e.Fields {
			if f.Field != "dept_id" { // reported above
				rep.Add(cols, r.Row, f.Field, f.Message)
				good = false
			}
		}
	} else if invalid != nil {
		rep.AddErr(cols, r.Row, invalid)
		good = false
	}
	if r.User.Login == "" {
		return false
	}
	if row, dup := first[r.User.Login]; dup {
		rep.Add(cols, r.Row, "login", fmt.Sprintf("登录名与第%d行重复：%s", row, r.User.Login))
		return false
	}
	first[r.User.Login] = r.Row
	return good
}

// takenLogins returns which of the logins are already used, by any
// account (an archived one too: logins are unique for good).
func (s *ImportService) takenLogins(ctx context.Context, logins map[string]int) (map[string]bool, error) {
	keys := make([]string, 0, len(logins))
	for k := range logins {
		keys = append(keys, k)
	}
	taken := map[string]bool{}
	err := every(keys, func(ph string, args []any) error {
		return s.db.scanStrings(ctx, `SELECT login FROM users WHERE login IN (`+ph+`)`, args, func(v string) { taken[v] = true })
	})
	return taken, err
}

// deptNames indexes the departments in use by their names and their
// parents' (zhagen.DeptNames).
func (s *ImportService) deptNames(ctx context.Context) (*zhagen.DeptNames, error) {
	rows, err := s.db.query(ctx, `SELECT id, name, path, archived FROM departments`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	names := map[string]string{} // id → name
	paths := map[int64]string{}  // the departments in use → their path
	for rows.Next() {
		var (
			id         int64
			name, path string
			archived   bool
		)
		if err := rows.Scan(&id, &name, &path, &archived); err != nil {
			return nil, err
		}
		names[strconv.FormatInt(id, 10)] = name
		if !archived && path != "" {
			paths[id] = path
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	chains := make(map[int64][]string, len(paths))
	for id, path := range paths {
		var chain []string
		for _, p := range strings.Split(strings.Trim(path, "/"), "/") {
			chain = append(chain, names[p])
		}
		chains[id] = chain
	}
	return zhagen.NewDeptNames(chains), nil
}

// initialPasswords draws an initial password for each user and hashes
// it, on half the processors (at least one) so that logins keep a share
// of the password hashing gate; each hash waits for its slot as long as
// ctx lets it rather than failing the import when logins fill the gate.
func initialPasswords(ctx context.Context, users []*zhagen.User, progress func(done int)) ([]zhagen.InitialPassword, []string, error) {
	creds := make([]zhagen.InitialPassword, len(users))
	hashes := make([]string, len(users))
	var (
		next, done atomic.Int64
		mu         sync.Mutex
		firstErr   error
		wg         sync.WaitGroup
	)
	failed := func() bool { mu.Lock(); defer mu.Unlock(); return firstErr != nil }
	for range max(1, runtime.GOMAXPROCS(0)/2) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < len(users) && !failed(); i = int(next.Add(1) - 1) {
				pw, err := zhagen.NewInitialPassword()
				if err == nil {
					hashes[i], err = hashPasswordPatient(ctx, pw)
				}
				if err != nil {
					mu.Lock()
					firstErr = cmp.Or(firstErr, err)
					mu.Unlock()
					return
				}
				creds[i] = zhagen.InitialPassword{Login: users[i].Login, Name: users[i].Name, Password: pw}
				progress(int(done.Add(1)))
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, nil, firstErr
	}
	return creds, hashes, nil
}
