package textindex

import (
	"fmt"
	"testing"
)

// benchText draws a demand-like text of a small vocabulary (the worst
// case for postings: few distinct terms, long lists).
func benchText(i int) string {
	subj := []string{"新增生产线", "洁净车间", "园区道路", "研发中心", "危化品仓库", "员工宿舍", "配电房", "污水站", "标准厂房", "人才公寓"}
	prob := []string{"夜间频繁跳闸", "水压不足", "坑洼破损", "用地指标不够", "安全评估", "入住申请", "增容报装", "排放超标", "租约到期", "补贴兑现慢"}
	tail := []string{"影响生产", "请协调解决", "希望尽快答复", "企业十分着急", "交期压力较大"}
	h := uint64(i)*0x9e3779b97f4a7c15 + 1
	h ^= h >> 29
	return fmt.Sprintf("企业反映：%s%s，%s，编号%d", subj[h%10], prob[(h>>8)%10], tail[(h>>16)%5], h%997)
}

func BenchmarkSearch200k(b *testing.B) {
	x := New()
	const n = 200_000
	docs := make([]Doc, n)
	for i := range docs {
		docs[i] = Doc{ID: int64(i + 1), Group: int64(i%500 + 1)}
	}
	x.Build(docs, func(i int) string { return benchText(i) })
	b.ResetTimer()
	for i := range b.N {
		x.Search(Query{Text: benchText(n + i), K: 60, MinScore: 0.2})
	}
}

func BenchmarkSearchGroup200k(b *testing.B) {
	x := New()
	const n = 200_000
	docs := make([]Doc, n)
	for i := range docs {
		docs[i] = Doc{ID: int64(i + 1), Group: int64(i%500 + 1)}
	}
	x.Build(docs, func(i int) string { return benchText(i) })
	b.ResetTimer()
	for i := range b.N {
		x.Search(Query{Text: benchText(n + i), K: 5, MinScore: 0.2, Group: 42})
	}
}

func BenchmarkBuild200k(b *testing.B) {
	const n = 200_000
	docs := make([]Doc, n)
	for i := range docs {
		docs[i] = Doc{ID: int64(i + 1), Group: int64(i%500 + 1)}
	}
	for range b.N {
		New().Build(docs, func(i int) string { return benchText(i) })
	}
}
