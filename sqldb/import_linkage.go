package sqldb

import (
	"context"
	"fmt"
	"slices"

	"zhagen"
)

// linkKey is what makes an active linkage unique.
type linkKey struct {
	cadre, ent int64
	role       zhagen.LinkRole
}

// ImportLinkageRows resolves each row's cadre (by login, an active user
// with the cadre role) and enterprise (by USCC, not archived), validates
// the linkage as CreateLinkage does and finds those repeated within the
// file or already active; with write it stores them in one transaction
// through the create path's insert.
func (s *ImportService) ImportLinkageRows(ctx context.Context, rows []*zhagen.LinkageImportRow, write bool, mode zhagen.ImportMode, progress zhagen.ImportProgress) (*zhagen.ImportReport, error) {
	if _, err := permitted(ctx, zhagen.PermLinkageImport, zhagen.Facts{}); err != nil {
		return nil, err
	}
	rep := &zhagen.ImportReport{Kind: zhagen.ImportLinkages, Rows: len(rows), Problems: []zhagen.ImportProblem{}}
	cadres, ents, err := s.resolveLinkRefs(ctx, rows)
	if err != nil {
		return nil, err
	}
	active := map[linkKey]bool{}
	entIDs := make([]int64, 0, len(ents))
	for _, id := range ents {
		entIDs = append(entIDs, id)
	}
	err = every(entIDs, func(ph string, args []any) error {
		rs, err := s.db.sql.QueryContext(ctx, s.db.dialect.rebind(`SELECT cadre_id, enterprise_id, role FROM linkages WHERE active AND enterprise_id IN (`+ph+`)`), args...)
		if err != nil {
			return err
		}
		defer rs.Close()
		for rs.Next() {
			var k linkKey
			if err := rs.Scan(&k.cadre, &k.ent, &k.role); err != nil {
				return err
			}
			active[k] = true
		}
		return rs.Err()
	})
	if err != nil {
		return nil, err
	}
	total := len(rows)
	if write {
		total *= 2
	}
	first := map[linkKey]int{}
	var valid []*zhagen.Linkage
	for i, r := range rows {
		if s.checkLinkage(rep, r, cadres, ents, active, first) {
			valid = append(valid, r.Linkage)
		}
		tick(progress, i+1, total)
	}
	rep.Valid = len(valid)
	sortProblems(rep)
	if !write {
		return rep, nil
	}
	rep.Mode = mode
	if mode != zhagen.ImportValidOnly && rep.ProblemCount > 0 {
		return rep, nil
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	for i, l := range valid {
		if err := s.links.insertLinkage(ctx, tx, l); err != nil {
			return nil, err
		}
		tick(progress, len(rows)+i+1, total)
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	if progress != nil {
		progress(total, total)
	}
	rep.Written, rep.Committed = len(valid), true
	return rep, nil
}

// resolveLinkRefs maps the logins of the file's cadres and the USCCs of
// its enterprises to ids, in chunks.
func (s *ImportService) resolveLinkRefs(ctx context.Context, rows []*zhagen.LinkageImportRow) (cadres, ents map[string]int64, err error) {
	var logins, usccs []string
	for _, r := range rows {
		if r.CadreLogin != "" && !slices.Contains(logins, r.CadreLogin) {
			logins = append(logins, r.CadreLogin)
		}
		if u := zhagen.NormalizeUSCC(r.USCC); u != "" && !slices.Contains(usccs, u) {
			usccs = append(usccs, u)
		}
	}
	cadres, ents = map[string]int64{}, map[string]int64{}
	err = every(logins, func(ph string, args []any) error {
		rs, err := s.db.sql.QueryContext(ctx, s.db.dialect.rebind(`SELECT id, login, roles FROM users WHERE archived = FALSE AND login IN (`+ph+`)`), args...)
		if err != nil {
			return err
		}
		defer rs.Close()
		for rs.Next() {
			var id int64
			var login, roles string
			if err := rs.Scan(&id, &login, &roles); err != nil {
				return err
			}
			if slices.Contains(zhagen.ParseRoles(roles), zhagen.RoleCadre) {
				cadres[login] = id
			}
		}
		return rs.Err()
	})
	if err != nil {
		return nil, nil, err
	}
	err = every(usccs, func(ph string, args []any) error {
		rs, err := s.db.sql.QueryContext(ctx, s.db.dialect.rebind(`SELECT id, uscc FROM enterprises WHERE archived = FALSE AND uscc IN (`+ph+`)`), args...)
		if err != nil {
			return err
		}
		defer rs.Close()
		for rs.Next() {
			var id int64
			var u string
			if err := rs.Scan(&id, &u); err != nil {
				return err
			}
			ents[u] = id
		}
		return rs.Err()
	})
	return cadres, ents, err
}

// checkLinkage reports the problems of one row; true when it has none.
func (s *ImportService) checkLinkage(rep *zhagen.ImportReport, r *zhagen.LinkageImportRow, cadres, ents map[string]int64, active map[linkKey]bool, first map[linkKey]int) bool {
	cols := zhagen.LinkageImportColumns
	for _, p := range r.Problems {
		rep.Add(cols, r.Row, p.Field, p.Message)
	}
	if len(r.Problems) > 0 || r.Linkage == nil {
		return false
	}
	l := r.Linkage
	l.CadreID, l.EnterpriseID = cadres[r.CadreLogin], ents[zhagen.NormalizeUSCC(r.USCC)]
	good := true
	if l.CadreID == 0 {
		rep.Add(cols, r.Row, "cadre_login", "干部账号不存在或不是联系干部："+r.CadreLogin)
		good = false
	}
	if l.EnterpriseID == 0 {
		rep.Add(cols, r.Row, "uscc", "企业未登记："+r.USCC)
		good = false
	}
	if !good {
		return false
	}
	if err := l.Validate(); err != nil {
		rep.AddErr(cols, r.Row, err)
		return false
	}
	k := linkKey{l.CadreID, l.EnterpriseID, l.Role}
	if row, dup := first[k]; dup {
		rep.Add(cols, r.Row, "cadre_login", fmt.Sprintf("与第%d行重复：同一干部以同一角色挂钩同一企业", row))
		return false
	}
	first[k] = r.Row
	if active[k] {
		rep.Add(cols, r.Row, "cadre_login", "该干部已以此角色挂钩该企业")
		return false
	}
	return true
}
