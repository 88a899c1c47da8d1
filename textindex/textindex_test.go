package textindex

import (
	"fmt"
	"slices"
	"testing"
)

func TestTerms(t *testing.T) {
	ts := Terms("园区道路 IC封装")
	for _, w := range []string{"园", "园区", "区道", "道路", "封装"} {
		found := false
		for term := range ts {
			if term.String() == w {
				found = true
			}
		}
		if !found {
			t.Errorf("term %q missing from %v", w, ts)
		}
	}
	for term := range ts {
		if term.String() == "路I" || term.String() == " " {
			t.Errorf("a bigram crosses a word boundary: %q", term.String())
		}
	}
}

func TestSearchFindsTheSimilarAndKeepsToTheGroup(t *testing.T) {
	texts := []string{"厂区夜间频繁跳闸影响生产", "申请招聘集成电路工程师", "夜间跳闸导致生产线停工", "研发费用补助申报咨询", "园区路灯不亮"}
	x := New()
	for i, s := range texts {
		x.Add(Doc{ID: int64(i + 1), Group: int64(i%2 + 1)}, s)
	}
	hits := x.Search(Query{Text: "晚上经常跳闸，生产受影响", K: 2})
	if len(hits) == 0 || hits[0].ID != 1 && hits[0].ID != 3 {
		t.Fatalf("hits = %+v, want the two about tripping first", hits)
	}
	for _, h := range x.Search(Query{Text: "晚上经常跳闸，生产受影响", K: 5, Group: 2}) {
		if h.Group != 2 {
			t.Fatalf("hit %+v outside group 2", h)
		}
	}
	if x.Search(Query{Text: "跳闸", K: 5, Skip: 1})[0].ID != 3 {
		t.Fatal("Skip did not leave out document 1")
	}
}

// The acceptance case: the same problem in different words falls in one
// cluster; unrelated demands do not join it.
func TestClusterSameProblemDifferentWords(t *testing.T) {
	texts := []string{
		"园区道路坑洼货车进不来",
		"厂区门口道路破损影响物流",
		"申请研发费用补助",
		"招聘集成电路工艺工程师",
		"门前道路塌陷，大车进出困难",
		"环评审批进度咨询",
		"员工通勤公交线路调整",
	}
	bg := New()
	for i := range 200 {
		bg.Add(Doc{ID: int64(i + 1)}, fmt.Sprintf("%s第%d次", []string{"申请双回路供电", "技改补助资金兑现", "危废处置单位对接", "高新技术企业认定辅导"}[i%4], i))
	}
	cs := Cluster(texts, bg, ClusterThreshold)
	if len(cs) != 1 {
		t.Fatalf("clusters = %v, want one", cs)
	}
	if !slices.Equal(cs[0], []int{0, 1, 4}) {
		t.Fatalf("cluster = %v, want the three road demands", cs[0])
	}
	if r := Representative(texts, cs[0]); r < 0 || r > 2 {
		t.Fatalf("representative %d out of range", r)
	}
}

func TestBayesLearnsAndExplains(t *testing.T) {
	b := NewBayes()
	for range 5 {
		b.Train("夜间跳闸停电影响生产", "power", 1)
		b.Train("申请变压器增容", "power", 1)
		b.Train("招聘工程师缺人", "talent", 1)
		b.Train("需要对接高校实习生", "talent", 1)
	}
	g := b.Predict("厂里老是跳闸", 2)
	if len(g) != 2 || g[0].Label != "power" || g[0].Confidence < 0.5 {
		t.Fatalf("guess = %+v, want power first", g)
	}
	if !slices.Contains(g[0].Words, "跳闸") {
		t.Fatalf("words = %v, want 跳闸 among them", g[0].Words)
	}
	b.Train("厂里老是跳闸", "talent", 40) // an override, learned
	if g := b.Predict("厂里老是跳闸", 1); g[0].Label != "talent" {
		t.Fatalf("after the override guess = %+v", g)
	}
}
