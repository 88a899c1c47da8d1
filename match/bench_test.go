package match

import (
	"bytes"
	"sync"
	"testing"
)

// The benchmark instances are generated once per test binary, outside
// the timer.
var (
	inst45k = sync.OnceValue(func() *Instance { return Generate(45, 45_000, 6_400, 12) })
	inst1M  = sync.OnceValue(func() *Instance { return Generate(1, 1_000_000, 100_000, 10) })
)

func benchSolve(b *testing.B, in *Instance) {
	b.ReportAllocs()
	b.ResetTimer()
	var res *Result
	for b.Loop() {
		res = Solve(in, nil)
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(res.Proposals), "ns/proposal")
	b.ReportMetric(float64(res.Proposals), "proposals")
	b.ReportMetric(float64(res.Matched()), "matched")
}

// BenchmarkSolve45k: 45,000 graduates, 6,400 positions, 12 choices each.
func BenchmarkSolve45k(b *testing.B) { in := inst45k(); b.ResetTimer(); benchSolve(b, in) }

// BenchmarkSolve1M: 1,000,000 graduates, 100,000 positions, 10 choices each.
func BenchmarkSolve1M(b *testing.B) { in := inst1M(); b.ResetTimer(); benchSolve(b, in) }

// BenchmarkAudit1M measures the audit of the 1M result.
func BenchmarkAudit1M(b *testing.B) {
	in := inst1M()
	res := Solve(in, nil)
	b.ResetTimer()
	for b.Loop() {
		if a := Audit(in, res); !a.OK() {
			b.Fatal("unstable")
		}
	}
}

// BenchmarkReadHR45k measures parsing the 45k instance written as text.
func BenchmarkReadHR45k(b *testing.B) {
	var buf bytes.Buffer
	if err := WriteHR(&buf, inst45k(), nil); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := ReadHR(bytes.NewReader(buf.Bytes())); err != nil {
			b.Fatal(err)
		}
	}
}
