package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"time"

	"zhagen"
	"zhagen/sheet"
)

// benchImportCadres builds a cadre file of n rows by the template (20
// departments), then imports it as the web and API do: read the .xlsx,
// validate every row (User.Validate, the department, logins repeated or
// taken), draw and hash an initial password per account (argon2id at
// the server's parameters, on half the processors), store the accounts
// in one transaction. It reports each phase, the hashing per account
// and the hashing time 100,000 accounts would take at that rate.
func benchImportCadres(b *benchEnv, n int, stdout io.Writer) error {
	root := &zhagen.Department{Name: "管委会", Kind: zhagen.DeptGov}
	if err := b.app.Departments.CreateDepartment(b.sys, root); err != nil {
		return err
	}
	for i := range 20 {
		if err := b.app.Departments.CreateDepartment(b.sys, &zhagen.Department{Name: fmt.Sprintf("部门%02d", i), Kind: zhagen.DeptGov, ParentID: root.ID}); err != nil {
			return err
		}
	}
	data, err := cadreSheet(n)
	if err != nil {
		return err
	}
	t0, c0 := time.Now(), cpuSeconds()
	rows, _, err := sheet.ReadCadres(bytes.NewReader(data))
	if err != nil {
		return err
	}
	read := time.Since(t0)
	var validated, hashed time.Duration
	t1 := time.Now()
	progress := func(done, total int) {
		switch {
		case validated == 0 && done >= n:
			validated = time.Since(t1)
		case hashed == 0 && done >= 2*n && total == 3*n:
			hashed = time.Since(t1) - validated
		}
	}
	rep, creds, err := b.app.Imports.ImportCadreRows(b.sys, rows, true, zhagen.ImportAllOrNothing, progress)
	if err != nil {
		return err
	}
	store := time.Since(t1)
	if rep.Written != n || len(creds) != n {
		return fmt.Errorf("bench import cadres: wrote %d of %d rows (%d problems)", rep.Written, n, rep.ProblemCount)
	}
	perHash := hashed.Seconds() / float64(n)
	return json.NewEncoder(stdout).Encode(map[string]any{"engine": b.engine, "phase": "import cadres", "rows": n, "file_bytes": len(data),
		"read_xlsx_s": read.Seconds(), "validate_s": validated.Seconds(), "hash_s": hashed.Seconds(), "insert_s": (store - validated - hashed).Seconds(),
		"total_s": time.Since(t0).Seconds(), "cpu_s": cpuSeconds() - c0, "hash_ms_per_account": 1000 * perHash,
		"hash_workers": max(1, runtime.GOMAXPROCS(0)/2), "gomaxprocs": runtime.GOMAXPROCS(0),
		"hash_100k_estimate_min": perHash * 100000 / 60, "peak_rss_mib": peakRSS()})
}

// cadreSheet writes n cadres as an import file by the template's headers.
func cadreSheet(n int) ([]byte, error) {
	return importSheet(zhagen.CadreImportColumns, n, func(i int) []any {
		return []any{fmt.Sprintf("cadre%06d", i), fmt.Sprintf("干部%06d", i), fmt.Sprintf("部门%02d", i%20),
			zhagen.Ranks[i%len(zhagen.Ranks)], fmt.Sprintf("139%08d", i), "招商、财税"}
	})
}
