package zhagen

import "testing"

// TestKnowledgeEntryDates: both dates are optional, each must read as
// YYYY-MM-DD, and the entry may end on the day it starts but not before.
func TestKnowledgeEntryDates(t *testing.T) {
	entry := func(from, to string) func() error {
		return func() error {
			return (&KnowledgeEntry{Question: "电力增容怎么办", Answer: "向供电公司申请", ValidFrom: from, ValidTo: to}).Validate()
		}
	}
	assertLimitCases(t, []limitCase{
		{"from, optional", "valid_from", entry("", ""), entry("2026/01/01", "")},
		{"from, a date", "valid_from", entry("2026-01-01", ""), entry("2026-02-30", "")},
		{"to, optional", "valid_to", entry("", ""), entry("", "下月底")},
		{"to, a date", "valid_to", entry("", "2026-12-31"), entry("", "2026-12-32")},
		{"to, not before from", "valid_to", entry("2026-03-01", "2026-03-01"), entry("2026-03-01", "2026-02-28")},
	})
	if err := entry("2026-01-01", "2026-12-31")(); err != nil {
		t.Errorf("entry valid all year refused: %v", err)
	}
}
