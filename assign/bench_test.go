package assign

import (
	"flag"
	"strings"
	"testing"
)

// benchSolver times Solve on a prepared solver and reports seconds.
func benchSolver(b *testing.B, s Solver) {
	b.ReportAllocs()
	b.ResetTimer()
	var cost int64
	for b.Loop() {
		var err error
		if cost, err = s.Solve(); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/op")
	b.ReportMetric(float64(cost), "cost")
}

func benchDense(b *testing.B, n int) {
	a := GenerateDense(int64(n), n)
	benchSolver(b, a)
}

// BenchmarkDense2000: dense uniform assignment, n = 2000.
func BenchmarkDense2000(b *testing.B) { benchDense(b, 2000) }

// BenchmarkDense5000: dense uniform assignment, n = 5000. It runs only
// when -bench names it, as it needs 100 MB and several seconds.
func BenchmarkDense5000(b *testing.B) {
	if f := flag.Lookup("test.bench"); f == nil || !strings.Contains(f.Value.String(), "5000") {
		b.Skip("run with -bench Dense5000")
	}
	benchDense(b, 5000)
}

func benchLinkage(b *testing.B, cadres, enterprises int) {
	p := GenerateLinkage(int64(cadres), cadres, enterprises, 50, 6)
	s, err := p.Solver()
	if err != nil {
		b.Fatal(err)
	}
	benchSolver(b, s)
}

// BenchmarkSparse1k: linkage with 1,000 cadres × 5,000 enterprises.
func BenchmarkSparse1k(b *testing.B) { benchLinkage(b, 1000, 5000) }

// BenchmarkSparse10k: linkage with 10,000 cadres × 50,000 enterprises.
func BenchmarkSparse10k(b *testing.B) { benchLinkage(b, 10_000, 50_000) }
