package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"time"

	"zhagen"
	"zhagen/demo"
	"zhagen/textindex"
)

// dispatchCmd runs `zhagen dispatch eval`: the dispatch model learns
// from the earlier part of the zone's routing and is tested on the later
// part, per category, against the most frequent category.
func dispatchCmd(ctx context.Context, cfg *Config, fs *flag.FlagSet, args []string, stdout io.Writer) error {
	share := fs.Float64("train", 0.8, "share of the history (by filing time) to learn from")
	if len(args) == 0 || args[0] != "eval" {
		return errors.New("usage: zhagen dispatch eval [--train 0.8]")
	}
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return errors.New("usage: zhagen dispatch eval [--train 0.8]")
	}
	if *share <= 0 || *share >= 1 {
		return errors.New("--train must be between 0 and 1")
	}
	return withApp(ctx, cfg, func(app *App) error {
		rows, err := app.Knowledge.RoutedDemands(ctx)
		if err != nil {
			return err
		}
		if len(rows) < 10 {
			return fmt.Errorf("only %d routed demands: load the demo or some history first", len(rows))
		}
		fmt.Fprint(stdout, zhagen.EvalDispatch(rows, *share).Report())
		return nil
	})
}

// benchSimilar runs `zhagen bench similar`: N demands drawn as the demo
// history draws its texts go into the index (in memory, as the server
// keeps it), then lookups with fresh texts are timed.
func benchSimilar(fs *flag.FlagSet, args []string, stdout io.Writer) error {
	n := fs.Int("demands", 1_000_000, "demands in the index")
	queries := fs.Int("queries", 2000, "lookups timed")
	heapProfile := fs.String("heap-profile", "", "write a heap profile (live objects after the build) to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *n < 1 || *queries < 1 {
		return errors.New("--demands and --queries must be positive")
	}
	cats := demo.TextCategories()
	text := func(i int) string {
		t, d := demo.DemandText(cats[i%len(cats)], uint64(i)*0x9e3779b97f4a7c15+7)
		return t + "\n" + d
	}
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	x := textindex.New()
	const batch = 100_000
	for lo := 0; lo < *n; lo += batch {
		hi := min(lo+batch, *n)
		docs := make([]textindex.Doc, hi-lo)
		for i := range docs {
			docs[i] = textindex.Doc{ID: int64(lo + i + 1), Group: int64((lo+i)%500 + 1)}
		}
		x.Build(docs, func(i int) string { return text(lo + i) })
	}
	built := time.Since(start)
	var after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&after)
	fmt.Fprintf(stdout, "indexed %d demands in %s, heap %.0f MiB\n", *n, built.Round(time.Millisecond), float64(after.HeapAlloc-before.HeapAlloc)/(1<<20))
	if *heapProfile != "" {
		if err := writeHeapProfile(*heapProfile); err != nil {
			return err
		}
	}
	for _, group := range []int64{0, 42} {
		lat := make([]time.Duration, *queries)
		for q := range lat {
			t0 := time.Now()
			x.Search(textindex.Query{Text: text(*n + q), K: 60, MinScore: 0.2, Group: group})
			lat[q] = time.Since(t0)
		}
		slices.Sort(lat)
		pct := func(p float64) time.Duration { return lat[int(p*float64(len(lat)-1))].Round(10 * time.Microsecond) }
		who := "all demands (dispatcher)"
		if group != 0 {
			who = "one enterprise's demands"
		}
		fmt.Fprintf(stdout, "lookup over %s: p50 %s  p90 %s  p99 %s  max %s  (%d lookups)\n", who, pct(0.5), pct(0.9), pct(0.99), lat[len(lat)-1].Round(10*time.Microsecond), *queries)
	}
	runtime.KeepAlive(x)
	return nil
}

// writeHeapProfile writes the live heap (after a collection) to path.
func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	runtime.GC()
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
