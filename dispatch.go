package zhagen

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"zhagen/textindex"
)

// RoutedDemand is one past demand as the dispatch model learns from it:
// its text and where it ended up (the category and the lead department
// after any return and reassignment: a return says the first routing was
// wrong, so the final one is the label).
type RoutedDemand struct {
	ID           int64
	CreatedAt    time.Time
	Title        string
	Description  string
	CategoryCode string
	CategoryName string
	LeadDeptID   int64
	LeadDeptName string
}

// Text is what the model reads of the demand.
func (r RoutedDemand) Text() string { return r.Title + "\n" + r.Description }

// DispatchModel suggests a category and a lead department for a text:
// two naive Bayes classifiers over character uni- and bi-grams.
type DispatchModel struct {
	cats, depts *textindex.Bayes
	catName     map[string]string
	deptName    map[string]string
	n           int
}

// TrainDispatch learns from past routings.
func TrainDispatch(rows []RoutedDemand) *DispatchModel {
	m := &DispatchModel{cats: textindex.NewBayes(), depts: textindex.NewBayes(), catName: map[string]string{}, deptName: map[string]string{}}
	for _, r := range rows {
		m.Learn(r)
	}
	m.Compact()
	return m
}

// Compact packs what the model has learnt so far (see textindex.Bayes):
// after learning a large history at once.
func (m *DispatchModel) Compact() {
	m.cats.Compact()
	m.depts.Compact()
}

// Learn adds one routing (a dispatcher's override is one more).
func (m *DispatchModel) Learn(r RoutedDemand) {
	if r.CategoryCode != "" {
		m.cats.Train(r.Text(), r.CategoryCode, 1)
		m.catName[r.CategoryCode] = r.CategoryName
	}
	if r.LeadDeptID != 0 {
		k := fmt.Sprint(r.LeadDeptID)
		m.depts.Train(r.Text(), k, 1)
		m.deptName[k] = r.LeadDeptName
	}
	m.n++
}

// Suggest answers the top three categories and departments for a text.
func (m *DispatchModel) Suggest(title, description string) *DispatchSuggestion {
	text := title + "\n" + description
	s := &DispatchSuggestion{Categories: []SuggestedLabel{}, Departments: []SuggestedLabel{}, Examples: m.n}
	for _, g := range m.cats.Predict(text, 3) {
		s.Categories = append(s.Categories, SuggestedLabel{Code: g.Label, Name: m.catName[g.Label], Confidence: round3(g.Confidence), Words: nonNil(g.Words)})
	}
	for _, g := range m.depts.Predict(text, 3) {
		var id int64
		fmt.Sscan(g.Label, &id)
		s.Departments = append(s.Departments, SuggestedLabel{ID: id, Name: m.deptName[g.Label], Confidence: round3(g.Confidence), Words: nonNil(g.Words)})
	}
	return s
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func round3(f float64) float64 { return float64(int(f*1000+0.5)) / 1000 }

// DispatchEval is the model's accuracy on the later part of the history
// after learning from the earlier part, against always answering the
// most frequent categories of the earlier part.
type DispatchEval struct {
	Train, Test         int
	Top1, Top3          float64
	BaselineTop1        float64
	BaselineTop3        float64
	DeptTop1            float64
	PerCategory         []CategoryEval
	Since, Split, Until time.Time
	MostFrequent        string
}

// CategoryEval is one category's figures.
type CategoryEval struct {
	Code, Name   string
	Test         int
	Top1, Top3   float64
	BaselineTop1 float64
}

// EvalDispatch orders rows by filing time, trains on the first share and
// tests on the rest.
func EvalDispatch(rows []RoutedDemand, share float64) *DispatchEval {
	rows = slices.Clone(rows)
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].CreatedAt.Before(rows[j].CreatedAt) })
	cut := int(float64(len(rows)) * share)
	ev := &DispatchEval{Train: cut, Test: len(rows) - cut}
	if cut == 0 || cut == len(rows) {
		return ev
	}
	ev.Since, ev.Split, ev.Until = rows[0].CreatedAt, rows[cut].CreatedAt, rows[len(rows)-1].CreatedAt
	m := TrainDispatch(rows[:cut])
	freq := map[string]int{}
	for _, r := range rows[:cut] {
		freq[r.CategoryCode]++
	}
	byFreq := make([]string, 0, len(freq))
	for c := range freq {
		byFreq = append(byFreq, c)
	}
	sort.Slice(byFreq, func(i, j int) bool {
		if freq[byFreq[i]] != freq[byFreq[j]] {
			return freq[byFreq[i]] > freq[byFreq[j]]
		}
		return byFreq[i] < byFreq[j]
	})
	ev.MostFrequent = byFreq[0]
	base3 := byFreq[:min(3, len(byFreq))]
	per := map[string]*CategoryEval{}
	var t1, t3, b1, b3, d1 int
	for _, r := range rows[cut:] {
		ce := per[r.CategoryCode]
		if ce == nil {
			ce = &CategoryEval{Code: r.CategoryCode, Name: r.CategoryName}
			per[r.CategoryCode] = ce
		}
		ce.Test++
		s := m.Suggest(r.Title, r.Description)
		for i, c := range s.Categories {
			if c.Code == r.CategoryCode {
				if i == 0 {
					t1++
					ce.Top1++
				}
				t3++
				ce.Top3++
			}
		}
		if len(s.Departments) > 0 && s.Departments[0].ID == r.LeadDeptID {
			d1++
		}
		if r.CategoryCode == ev.MostFrequent {
			b1++
			ce.BaselineTop1++
		}
		if slices.Contains(base3, r.CategoryCode) {
			b3++
		}
	}
	n := float64(ev.Test)
	ev.Top1, ev.Top3, ev.BaselineTop1, ev.BaselineTop3, ev.DeptTop1 = float64(t1)/n, float64(t3)/n, float64(b1)/n, float64(b3)/n, float64(d1)/n
	for _, ce := range per {
		k := float64(ce.Test)
		ce.Top1, ce.Top3, ce.BaselineTop1 = ce.Top1/k, ce.Top3/k, ce.BaselineTop1/k
		ev.PerCategory = append(ev.PerCategory, *ce)
	}
	sort.Slice(ev.PerCategory, func(i, j int) bool { return ev.PerCategory[i].Code < ev.PerCategory[j].Code })
	return ev
}

// Report is the evaluation as `zhagen dispatch eval` prints it.
func (ev *DispatchEval) Report() string {
	var b strings.Builder
	fmt.Fprintf(&b, "训练 %d 条（%s 至 %s），测试 %d 条（至 %s）\n", ev.Train, ev.Since.In(Shanghai).Format(time.DateOnly),
		ev.Split.In(Shanghai).Format(time.DateOnly), ev.Test, ev.Until.In(Shanghai).Format(time.DateOnly))
	fmt.Fprintf(&b, "类别 top-1 %.1f%%  top-3 %.1f%%  | 基线（最常见类别 %s）top-1 %.1f%%  top-3 %.1f%%  | 主办部门 top-1 %.1f%%\n",
		100*ev.Top1, 100*ev.Top3, ev.MostFrequent, 100*ev.BaselineTop1, 100*ev.BaselineTop3, 100*ev.DeptTop1)
	fmt.Fprintf(&b, "%-16s %6s %8s %8s %8s\n", "category", "test", "top-1", "top-3", "baseline")
	for _, c := range ev.PerCategory {
		fmt.Fprintf(&b, "%-16s %6d %7.1f%% %7.1f%% %7.1f%%\n", c.Code, c.Test, 100*c.Top1, 100*c.Top3, 100*c.BaselineTop1)
	}
	return b.String()
}
