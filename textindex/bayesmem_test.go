package textindex

import (
	"fmt"
	"os"
	"runtime"
	"testing"
	"time"
)

// TestBayesMemory prints the heap a trained model holds, the former dense
// one and the sparse one alternately, on load-test texts ("压测诉求 N": a
// term of their own each) and a few hundred demand titles under 20 labels.
// It runs only when asked (ZHAGEN_BAYES_MEM=N texts):
//
//	ZHAGEN_BAYES_MEM=300000 go test -count=1 -run BayesMemory -v ./textindex
//
// With ZHAGEN_BAYES_CORPUS=random the texts are the random ones of the
// compact tests instead (Zipf-drawn characters whatever the label: many
// terms under many labels, the sparse layout's worst case).
func TestBayesMemory(t *testing.T) {
	n := 0
	fmt.Sscan(os.Getenv("ZHAGEN_BAYES_MEM"), &n)
	if n <= 0 {
		t.Skip("set ZHAGEN_BAYES_MEM to the number of texts")
	}
	subj := []string{"新增生产线", "洁净车间", "园区道路", "研发中心", "危化品仓库", "员工宿舍", "配电房", "污水站", "标准厂房", "人才公寓", "食堂", "停车场"}
	prob := []string{"夜间频繁跳闸", "水压不足", "坑洼破损", "用地指标不够", "安全评估", "入住申请", "增容报装", "排放超标", "租约到期", "补贴兑现慢", "招工难", "路灯不亮", "货车进不来", "网络信号差"}
	tail := []string{"影响生产", "请协调解决", "希望尽快答复", "企业十分着急", "交期压力较大"}
	text := func(i int) string {
		if i%1000 == 0 { // a few hundred demand titles among the load
			h := uint64(i)*0x9e3779b97f4a7c15 + 1
			h ^= h >> 29
			return subj[h%12] + prob[(h>>8)%14] + "，" + tail[(h>>16)%5]
		}
		return fmt.Sprintf("压测诉求 %d", 100000+i)
	}
	if os.Getenv("ZHAGEN_BAYES_CORPUS") == "random" {
		texts := make([]string, n)
		c := newCorpus(3)
		for i := range texts {
			texts[i] = c.text()
		}
		text = func(i int) string { return texts[i] }
	}
	label := func(i int) string { return fmt.Sprintf("%d", 1000+i%20) }
	heap := func() uint64 {
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapInuse
	}
	for round := range 2 {
		for _, kind := range []string{"dense", "sparse"} {
			before := heap()
			start := time.Now()
			var model any
			if kind == "dense" {
				b := newDenseBayes()
				for i := range n {
					b.Train(text(i), label(i), 1)
				}
				model = b
			} else {
				b := NewBayes()
				for i := range n {
					b.Train(text(i), label(i), 1)
				}
				model = b
			}
			took := time.Since(start)
			after := heap()
			t.Logf("round %d %-6s: %d texts, HeapInuse +%.1f MiB (%.0f B/text), trained in %v", round, kind, n, float64(after-before)/(1<<20), float64(after-before)/float64(n), took.Round(time.Millisecond))
			runtime.KeepAlive(model)
		}
	}
}
