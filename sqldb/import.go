package sqldb

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"sync"

	"zhagen"
)

// ImportService validates and stores rows read from spreadsheets.
type ImportService struct {
	db    *DB
	links *LinkageService
}

// NewImportService returns the import service of db.
func NewImportService(db *DB) *ImportService {
	return &ImportService{db: db, links: &LinkageService{db: db}}
}

// importChunk is how many keys one lookup of existing records asks for.
const importChunk = 500

// every calls fn with the values of keys in chunks of importChunk, as
// the arguments of an IN list and its placeholders.
func every[K any](keys []K, fn func(ph string, args []any) error) error {
	for start := 0; start < len(keys); start += importChunk {
		chunk := keys[start:min(start+importChunk, len(keys))]
		args := make([]any, len(chunk))
		for i, k := range chunk {
			args[i] = k
		}
		if err := fn(placeholders(len(chunk)), args); err != nil {
			return err
		}
	}
	return nil
}

// tick tells progress every 1,000 rows and at the end.
func tick(progress zhagen.ImportProgress, done, total int) {
	if progress != nil && (done%1000 == 0 || done == total) {
		progress(done, total)
	}
}

// ImportEnterpriseRows validates every row as CreateEnterprise does
// (Validate, the industry list) and finds the USCCs repeated within the
// file or already registered; with write it stores the rows (all or, in
// ImportValidOnly, the valid ones) in one transaction.
func (s *ImportService) ImportEnterpriseRows(ctx context.Context, rows []*zhagen.EnterpriseImportRow, write bool, mode zhagen.ImportMode, progress zhagen.ImportProgress) (*zhagen.ImportReport, error) {
	if _, err := permitted(ctx, zhagen.PermEnterpriseImport, zhagen.Facts{}); err != nil {
		return nil, err
	}
	cols := zhagen.EnterpriseImportColumns
	rep := &zhagen.ImportReport{Kind: zhagen.ImportEnterprises, Rows: len(rows), Problems: []zhagen.ImportProblem{}}
	industries := map[string]bool{}
	list, err := (&EnterpriseService{db: s.db}).FindIndustries(ctx)
	if err != nil {
		return nil, err
	}
	for _, in := range list {
		industries[in.Name] = true
	}
	total := len(rows)
	if write {
		total *= 2
	}
	ok := make([]bool, len(rows))
	invalid := validateAll(rows)
	first := map[string]int{} // USCC → the row that has it first
	for i, r := range rows {
		ok[i] = s.checkEnterprise(rep, r, invalid[i], industries, first)
		tick(progress, i+1, total)
	}
	keys := make([]string, 0, len(first))
	for k := range first {
		keys = append(keys, k)
	}
	taken := map[string]bool{}
	err = every(keys, func(ph string, args []any) error {
		return s.db.scanStrings(ctx, `SELECT uscc FROM enterprises WHERE uscc IN (`+ph+`)`, args, func(v string) { taken[v] = true })
	})
	if err != nil {
		return nil, err
	}
	var ents []*zhagen.Enterprise
	for i, r := range rows {
		if ok[i] && taken[r.Enterprise.USCC] {
			rep.Add(cols, r.Row, "uscc", "该统一社会信用代码已登记："+r.Enterprise.USCC)
			ok[i] = false
		}
		if ok[i] {
			ents = append(ents, r.Enterprise)
		}
	}
	rep.Valid = len(ents)
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
	if err := tx.insertEnterprises(ctx, ents, func(done int) { tick(progress, len(rows)+done, total) }); err != nil {
		return nil, err
	}
	tx.bumpGeneration("enterprises")
	if err := tx.writeOpLog(ctx, "导入", "企业", 0, "表格导入企业 "+strconv.Itoa(len(ents))+" 家"); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	if progress != nil {
		progress(total, total)
	}
	rep.Written, rep.Committed = len(ents), true
	return rep, nil
}

// checkEnterprise reports the problems of one row; true when it has none.
func (s *ImportService) checkEnterprise(rep *zhagen.ImportReport, r *zhagen.EnterpriseImportRow, invalid error, industries map[string]bool, first map[string]int) bool {
	cols := zhagen.EnterpriseImportColumns
	for _, p := range r.Problems {
		rep.Add(cols, r.Row, p.Field, p.Message)
	}
	if len(r.Problems) > 0 || r.Enterprise == nil {
		return false
	}
	e := r.Enterprise
	if invalid != nil {
		rep.AddErr(cols, r.Row, invalid)
		return false
	}
	good := true
	if !industries[e.Industry] {
		rep.Add(cols, r.Row, "industry", "所属行业不在行业列表中："+e.Industry)
		good = false
	}
	if row, dup := first[e.USCC]; dup {
		rep.Add(cols, r.Row, "uscc", fmt.Sprintf("统一社会信用代码与第%d行重复", row))
		return false
	}
	first[e.USCC] = r.Row
	return good
}

// validateAll runs the domain's Validate on every readable row, on all
// processors (it is pure: the rows are independent), and returns each
// row's error.
func validateAll(rows []*zhagen.EnterpriseImportRow) []error {
	return inParallel(len(rows), func(i int) error {
		if r := rows[i]; len(r.Problems) == 0 && r.Enterprise != nil {
			return r.Enterprise.Validate()
		}
		return nil
	})
}

// inParallel calls fn(0) … fn(n-1) on all processors and returns each
// call's error; the calls must be independent.
func inParallel(n int, fn func(i int) error) []error {
	errs := make([]error, n)
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				errs[i] = fn(i)
			}
		}()
	}
	wg.Wait()
	return errs
}

// sortProblems orders the report by row, then column.
func sortProblems(rep *zhagen.ImportReport) {
	slices.SortStableFunc(rep.Problems, func(a, b zhagen.ImportProblem) int { return a.Row - b.Row })
}

// scanStrings runs a query of one text column and hands each value on.
func (db *DB) scanStrings(ctx context.Context, q string, args []any, fn func(string)) error {
	rows, err := db.sql.QueryContext(ctx, db.dialect.rebind(q), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return err
		}
		fn(v)
	}
	return rows.Err()
}
