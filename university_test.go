package zhagen_test

import (
	"testing"

	"zhagen"
)

// TestUniversityContactValidate: a kind, a name, a telephone number that
// reads, an e-mail address when one is given.
func TestUniversityContactValidate(t *testing.T) {
	ok := func() zhagen.UniversityContact {
		return zhagen.UniversityContact{Kind: zhagen.ContactCareer, Name: "王老师", Phone: "0591-87654321"}
	}
	for what, c := range map[string]struct {
		edit  func(c *zhagen.UniversityContact)
		field string
	}{
		"valid":      {func(c *zhagen.UniversityContact) {}, ""},
		"with email": {func(c *zhagen.UniversityContact) { c.Email = " a@b.cn " }, ""},
		"bad email":  {func(c *zhagen.UniversityContact) { c.Email = "a@b" }, "email"},
		"bad kind":   {func(c *zhagen.UniversityContact) { c.Kind = "dean" }, "kind"},
		"no name":    {func(c *zhagen.UniversityContact) { c.Name = "" }, "name"},
		"no phone":   {func(c *zhagen.UniversityContact) { c.Phone = " " }, "phone"},
		"bad phone":  {func(c *zhagen.UniversityContact) { c.Phone = "电话" }, "phone"},
	} {
		u := ok()
		c.edit(&u)
		oneError(t, what, u.Validate(), c.field)
	}
}

// TestOutreachValidate: a date, a known kind and a summary.
func TestOutreachValidate(t *testing.T) {
	for what, c := range map[string]struct {
		o     zhagen.Outreach
		field string
	}{
		"valid":      {zhagen.Outreach{Date: "2026-11-02", Kind: " 座谈 ", Summary: "座谈"}, ""},
		"bad date":   {zhagen.Outreach{Date: "2026-11", Kind: "座谈", Summary: "座谈"}, "date"},
		"bad kind":   {zhagen.Outreach{Date: "2026-11-02", Kind: "聚餐", Summary: "座谈"}, "kind"},
		"no summary": {zhagen.Outreach{Date: "2026-11-02", Kind: "座谈"}, "summary"},
	} {
		oneError(t, what, c.o.Validate(), c.field)
	}
}
