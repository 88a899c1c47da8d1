package zhagen_test

import (
	"strings"
	"testing"

	"zhagen"
)

// TestTopicValidate: a title, a month, a lead department and 2 to 500
// demands.
func TestTopicValidate(t *testing.T) {
	ids := func(n int) []int64 {
		out := make([]int64, n)
		for i := range out {
			out[i] = int64(i + 1)
		}
		return out
	}
	ok := func() zhagen.Topic {
		return zhagen.Topic{Title: " 用电 ", Month: "2026-11", LeadDeptID: 3, DemandIDs: ids(2)}
	}
	tp := ok()
	if err := tp.Validate(); err != nil || tp.Title != "用电" {
		t.Fatalf("valid: %v %q", err, tp.Title)
	}
	cases := []struct {
		what  string
		edit  func(tp *zhagen.Topic)
		field string
	}{
		{"no title", func(tp *zhagen.Topic) { tp.Title = "" }, "title"},
		{"title of 100", func(tp *zhagen.Topic) { tp.Title = strings.Repeat("题", 100) }, ""},
		{"title of 101", func(tp *zhagen.Topic) { tp.Title = strings.Repeat("题", 101) }, "title"},
		{"bad month", func(tp *zhagen.Topic) { tp.Month = "2026-13" }, "month"},
		{"no lead", func(tp *zhagen.Topic) { tp.LeadDeptID = 0 }, "lead_dept_id"},
		{"one demand", func(tp *zhagen.Topic) { tp.DemandIDs = ids(1) }, "demand_ids"},
		{"500 demands", func(tp *zhagen.Topic) { tp.DemandIDs = ids(500) }, ""},
		{"501 demands", func(tp *zhagen.Topic) { tp.DemandIDs = ids(501) }, "demand_ids"},
	}
	for _, c := range cases {
		tp := ok()
		c.edit(&tp)
		oneError(t, c.what, tp.Validate(), c.field)
	}
}
