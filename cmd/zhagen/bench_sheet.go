package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/xuri/excelize/v2"

	"zhagen"
	"zhagen/sheet"
)

// peakRSS returns the process's peak resident set (VmHWM) in MiB, 0 when
// /proc does not tell.
func peakRSS() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			return kb / 1024
		}
	}
	return 0
}

// rss returns the process's current resident set (VmRSS) in MiB.
func rss() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			return kb / 1024
		}
	}
	return 0
}

// heapPeak samples the Go heap every 20 ms until stop is called, which
// returns the largest heap in use and the largest live heap (what the
// last collection found reachable: what the export holds, garbage and
// the collector's headroom apart) in MiB. RSS also counts the
// database's own cache and mapped pages.
func heapPeak() (stop func() (inuse, live float64)) {
	done := make(chan struct{})
	var peakInuse, peakLive uint64
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		var ms runtime.MemStats
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&ms)
			metrics.Read(sample)
			peakInuse = max(peakInuse, ms.HeapInuse)
			if sample[0].Value.Kind() == metrics.KindUint64 {
				peakLive = max(peakLive, sample[0].Value.Uint64())
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() (float64, float64) {
		close(done)
		<-finished
		return float64(peakInuse) / (1 << 20), float64(peakLive) / (1 << 20)
	}
}

// resetPeakRSS starts a new peak (Linux: clear_refs 5), so that what a
// phase measures is its own; it reports whether it could.
func resetPeakRSS() bool {
	debug.FreeOSMemory() // what the load phase left on the heap goes back first
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

// cpuSeconds is the CPU time the process has used (user and system): on
// a shared machine it tells what the wall time cannot.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// countingWriter counts the bytes an export writes.
type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// benchExport stores N demands, then streams the whole demand list as
// .xlsx and as CSV through the export path (the list's query, the
// sheet writer), reporting the time and the peak resident memory of each.
func benchExport(ctx context.Context, fs *flag.FlagSet, args []string, stdout io.Writer) error {
	fs.Int("rows", 0, "导出行数 (rows to export; same as -n)")
	b, n, err := startBench(ctx, fs, args, 1000000)
	if err != nil {
		return err
	}
	defer b.close()
	if r := fs.Lookup("rows").Value.String(); r != "0" {
		*n, _ = strconv.Atoi(r)
	}
	if err := b.fillDemands(*n); err != nil {
		return err
	}
	for _, f := range []sheet.Format{sheet.XLSX, sheet.CSV} {
		exact := resetPeakRSS()
		rss0 := rss()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		heap0 := float64(ms.HeapInuse) / (1 << 20)
		stopHeap := heapPeak()
		var out countingWriter
		rows := 0
		t0, c0 := time.Now(), cpuSeconds()
		err := sheet.Write(&out, f, sheet.Demands, func(emit func(*zhagen.Demand) error) error {
			return b.app.Demands.EachDemand(b.sys, zhagen.DemandFilter{}, func(d *zhagen.Demand) error { rows++; return emit(d) })
		})
		if err != nil {
			return err
		}
		el := time.Since(t0)
		heap, live := stopHeap()
		if err := json.NewEncoder(stdout).Encode(map[string]any{"engine": b.engine, "phase": "export " + string(f), "rows": rows,
			"rss_start_mib": rss0, "go_heap_start_mib": heap0, "peak_go_heap_mib": heap, "peak_go_live_heap_mib": live,
			"seconds": el.Seconds(), "cpu_s": cpuSeconds() - c0, "rows_per_s": float64(rows) / el.Seconds(), "bytes": out.n, "peak_rss_mib": peakRSS(), "peak_is_phase": exact}); err != nil {
			return err
		}
	}
	return nil
}

// fillDemands stores n demands of one category over 20 departments and
// 1,000 enterprises, as bench demands does.
func (b *benchEnv) fillDemands(n int) error {
	root := &zhagen.Department{Name: "管委会", Kind: zhagen.DeptGov}
	if err := b.app.Departments.CreateDepartment(b.sys, root); err != nil {
		return err
	}
	var depts []int64
	for i := 0; i < 20; i++ {
		d := &zhagen.Department{Name: fmt.Sprintf("部门%02d", i), Kind: zhagen.DeptGov, ParentID: root.ID}
		if err := b.app.Departments.CreateDepartment(b.sys, d); err != nil {
			return err
		}
		depts = append(depts, d.ID)
	}
	if err := b.app.Enterprises.ImportEnterprises(b.sys, syntheticEnterprises(1000)); err != nil {
		return err
	}
	var entIDs []int64
	err := b.app.Enterprises.EachEnterprise(b.sys, zhagen.EnterpriseFilter{}, func(e *zhagen.Enterprise) error { entIDs = append(entIDs, e.ID); return nil })
	if err != nil {
		return err
	}
	cat := &zhagen.Category{Code: "power", Name: "用电保障", LeadDeptID: depts[0], CoopDeptIDs: []int64{depts[1]},
		Questions: []zhagen.Question{{Code: "load_kw", Label: "用电负荷", Type: zhagen.QNumber, Required: true}}}
	if err := b.app.Categories.CreateCategory(b.sys, cat); err != nil {
		return err
	}
	t0 := time.Now()
	if err := b.app.Demands.BulkLoadDemands(b.sys, n, cat.ID, entIDs, depts, time.Now()); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "bench: stored %d demands in %s\n", n, time.Since(t0).Round(time.Second))
	return nil
}

// benchImport builds an enterprise file of N rows by the template, then
// imports it as the web and API do: read the .xlsx, validate every row
// (USCC, required fields, industry, duplicates in the file and in the
// store), store them all in one transaction; it reports each step.
//
// With --kind cadres it imports cadre accounts instead (benchImportCadres),
// 1,000 by default: each account's initial password is hashed with
// argon2id, which dominates.
func benchImport(ctx context.Context, fs *flag.FlagSet, args []string, stdout io.Writer) error {
	fs.Int("rows", 0, "导入行数 (rows to import; same as -n)")
	kind := fs.String("kind", "enterprises", "导入类型 enterprises|cadres (what to import)")
	b, n, err := startBench(ctx, fs, args, 100000)
	if err != nil {
		return err
	}
	defer b.close()
	if r := fs.Lookup("rows").Value.String(); r != "0" {
		*n, _ = strconv.Atoi(r)
	}
	switch *kind {
	case "enterprises":
	case "cadres":
		set := false
		fs.Visit(func(f *flag.Flag) { set = set || f.Name == "n" || f.Name == "rows" })
		if !set {
			*n = 1000
		}
		return benchImportCadres(b, *n, stdout)
	default:
		return fmt.Errorf("bench import: --kind %q: want enterprises or cadres", *kind)
	}
	data, err := enterpriseSheet(syntheticEnterprises(*n))
	if err != nil {
		return err
	}
	t0, c0 := time.Now(), cpuSeconds()
	rows, _, err := sheet.ReadEnterprises(bytes.NewReader(data))
	if err != nil {
		return err
	}
	read := time.Since(t0)
	t1 := time.Now()
	rep, err := b.app.Imports.ImportEnterpriseRows(b.sys, rows, true, zhagen.ImportAllOrNothing, nil)
	if err != nil {
		return err
	}
	store := time.Since(t1)
	if rep.Written != *n {
		return fmt.Errorf("bench import: wrote %d of %d rows (%d problems)", rep.Written, *n, rep.ProblemCount)
	}
	return json.NewEncoder(stdout).Encode(map[string]any{"engine": b.engine, "phase": "import enterprises", "rows": *n, "file_bytes": len(data),
		"read_xlsx_s": read.Seconds(), "validate_and_store_s": store.Seconds(), "total_s": time.Since(t0).Seconds(), "cpu_s": cpuSeconds() - c0, "peak_rss_mib": peakRSS()})
}

// enterpriseSheet writes ents as an import file by the template's headers.
func enterpriseSheet(ents []*zhagen.Enterprise) ([]byte, error) {
	return importSheet(zhagen.EnterpriseImportColumns, len(ents), func(i int) []any {
		e := ents[i]
		key := "否"
		if e.IsKey {
			key = "是"
		}
		return []any{e.Name, e.USCC, e.Industry, e.Park, "福州高新区创业大道" + strconv.Itoa(i%300+1) + "号", "张三", key, "在营", "李四", fmt.Sprintf("138%08d", i)}
	})
}

// importSheet writes an import file: the columns' headers, then n rows.
func importSheet(cols []zhagen.ImportColumn, n int, row func(i int) []any) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return nil, err
	}
	var head []any
	for _, c := range cols {
		head = append(head, c.Header)
	}
	if err := sw.SetRow("A1", head); err != nil {
		return nil, err
	}
	for i := range n {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row(i)); err != nil {
			return nil, err
		}
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	err = f.Write(&buf)
	return buf.Bytes(), err
}
