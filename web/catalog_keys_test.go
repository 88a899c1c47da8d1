package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"zhagen"
	"zhagen/catalog"
	"zhagen/sheet"
	"zhagen/sqldb"
)

// codes turns a domain list into the strings that follow a key prefix.
func codes[T ~string](xs ...T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// keyFamily is a set of keys the code builds at run time from a prefix
// and a code, e.g. "dm.status."+string(status).
type keyFamily struct {
	codes []string // every code the prefix is joined with
	// optional: the code looks the key up only when it exists
	// (catalog.Has), so not every code needs one.
	optional bool
}

// keyFamilies lists every prefix from which keys are built at run time,
// with the codes that complete it: from the domain's lists where there is
// one, else spelled out here. A prefix the code uses that is not listed
// here fails TestCatalogueKeysUsed, and so does a listed one nothing uses.
func keyFamilies() map[string]keyFamily {
	actions := append(codes(zhagen.ActSubmit, zhagen.ActClose, zhagen.ActWarn, zhagen.ActAttach, zhagen.ActSupervise, zhagen.ActFollowUp, zhagen.ActFollowUpReopen, zhagen.ActTopic), codes(zhagen.WorkflowActions...)...)
	var ruleFields []string
	for _, f := range zhagen.RuleFields {
		ruleFields = append(ruleFields, f.Key)
	}
	return map[string]keyFamily{
		"role.":                {codes: codes(zhagen.Roles...)},
		"ent.status.":          {codes: codes(zhagen.EnterpriseStatuses...)},
		"dept.kind.":           {codes: codes(zhagen.DeptKinds...)},
		"dm.status.":           {codes: codes(zhagen.DemandStatuses...)},
		"dm.priority.":         {codes: codes(zhagen.Priorities...)},
		"dm.channel.":          {codes: codes(zhagen.Channels...)},
		"dm.rating.":           {codes: codes(zhagen.RatingSatisfied, zhagen.RatingBasically, zhagen.RatingUnsatisfied)},
		"dm.action.":           {codes: actions},
		"dm.flash.":            {codes: actions, optional: true},
		"dm.level.":            {codes: codes(zhagen.SLAOK, zhagen.SLAYellow, zhagen.SLARed)},
		"cat.qtype.":           {codes: codes(zhagen.QuestionTypes...)},
		"cs.kind.":             {codes: codes(zhagen.ConsultationKinds...)},
		"cs.status.":           {codes: codes(zhagen.ConsultationStatuses...)},
		"cs.att.":              {codes: codes(zhagen.AttendPending, zhagen.AttendYes, zhagen.AttendDeclined)},
		"cs.item.":             {codes: codes(zhagen.ActionItemStatuses...)},
		"pj.level.":            {codes: codes(zhagen.ProjectLevels...)},
		"pj.status.":           {codes: codes(zhagen.ProjectStatuses...)},
		"pj.kind.":             {codes: codes(zhagen.ApprovalKinds...)},
		"pj.ap.":               {codes: codes(zhagen.ApprovalStatuses...)},
		"lk.role.":             {codes: codes(zhagen.LinkRoles...)},
		"vs.kind.":             {codes: codes(zhagen.VisitKinds...)},
		"rf.field.":            {codes: ruleFields},
		"pos.kind.":            {codes: codes(zhagen.PositionFullTime, zhagen.PositionInternship)},
		"pos.status.":          {codes: codes(zhagen.PositionPending, zhagen.PositionApproved, zhagen.PositionRejected)},
		"uni.kind.":            {codes: codes(zhagen.ContactCareer, zhagen.ContactUnion)},
		"deg.":                 {codes: codes(zhagen.Degrees...)},
		"sv.diff.":             {codes: []string{"1", "2", "3"}}, // survey line difficulty, 1..3
		"rt.col.":              {codes: append(slices.Sorted(maps.Keys(ratesSorts)), "dept")},
		"spv.rung.":            {codes: codes(zhagen.LadderRungs...)},
		"spv.tab.":             {codes: svTabKeys()},
		"pa.action.":           {codes: codes(zhagen.AppActions...)},
		"pa.status.":           {codes: codes(zhagen.AppStatuses...)},
		"pf.flag.":             {codes: []string{"open", "cleared"}},
		"pol.attr.":            {codes: codes(zhagen.RuleAttrs...)},
		"pol.band.":            {codes: zhagen.RevenueBands},
		"pol.benefit.":         {codes: codes(zhagen.BenefitTypes...)},
		"pol.cat.":             {codes: codes(zhagen.PolicyCategories...)},
		"pol.op.":              {codes: zhagen.PolicyRuleOps},
		"pol.pos.":             {codes: zhagen.ChainPositions},
		"pol.status.":          {codes: codes(zhagen.PolicyDraft, zhagen.PolicyPublished, zhagen.PolicyWithdrawn)},
		"etag.color.":          {codes: zhagen.TagColors},
		"spv.kind.":            {codes: codes(zhagen.SubjectKinds...)},
		"spv.status.":          {codes: codes(zhagen.SupervisionStatuses...)},
		"spv.light.":           {codes: []string{"response", "resolution", "response.over", "resolution.over"}},
		"notice.ladder.":       {codes: codes(zhagen.RungResponseOverdue, zhagen.RungResolutionWarn, zhagen.RungOverdue)},
		"fu.kind.":             {codes: codes(zhagen.FollowUpKinds...)},
		"imp.kind.":            {codes: append(codes(zhagen.ImportKinds...), "enterprises.hint", "linkages.hint", "cadres.hint")},
		"imp.mode.":            {codes: codes(zhagen.ImportAllOrNothing, zhagen.ImportValidOnly)},
		"imp.state.":           {codes: []string{sheet.JobValidating, sheet.JobValidated, sheet.JobWriting, sheet.JobDone, sheet.JobFailed}},
		"notice.followup.due.": {codes: codes(zhagen.FollowUpKinds...)},
		"fu.result.":           {codes: codes(zhagen.FollowUpResults...)},
		"fu.method.":           {codes: codes(zhagen.FollowUpMethods...)},
		"fu.status.":           {codes: followUpStatuses},
		// Web's own lists: the menu items (navItem and its callers), the
		// dispatch board's panels (demandBoard), the enterprise fields
		// that sort the list or show in a conflict (enterpriseList,
		// entConflict).
		"nav.": {codes: []string{"home", "enterprises", "departments", "users", "industries", "calendar", "log_ops", "log_logins",
			"dm_new", "dm_mine", "dm_board", "dm_inbox", "dm_search", "dm_proxy", "dm_cadre_new", "dm_cadre_mine", "rates", "categories", "followups", "replies",
			"lk_mine", "lk_record", "lk_sync", "lk_all", "lk_visits", "lk_coverage", "lk_flags", "lk_suggest",
			"project_overview", "projects", "consultations", "action_items", "my_action_items", "approvals",
			"positions", "surveys", "universities", "graduates", "programmes", "teams", "graduate_me", "jobs", "supervision", "ladder", "channels", "deliveries"}},
		"chn.kind.":   {codes: codes(zhagen.ChannelKinds...)},
		"chn.khint.":  {codes: codes(zhagen.ChannelKinds...)},
		"chn.skey.":   {codes: codes(zhagen.ChannelKinds...)},
		"chn.group.":  {codes: codes(zhagen.NoticeGroups...)},
		"chn.sev.":    {codes: codes(zhagen.SeverityInfo, zhagen.SeverityWarning, zhagen.SeverityUrgent)},
		"chn.status.": {codes: codes(zhagen.DeliveryPending, zhagen.DeliverySent, zhagen.DeliveryDead)},
		"chn.tls.":    {codes: []string{"starttls", "tls", "none"}},
		"dm.board.":   {codes: []string{"submitted", "returned", "overdue", "extension"}},
		"ent.f.": {codes: []string{"name", "uscc", "industry", "park", "is_key", "updated_at", "address", "legal_rep", "status",
			"contacts"}},
	}
}

var (
	keyShape    = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$`)
	prefixShape = regexp.MustCompile(`^(?:[a-z][a-z0-9_]*\.)+$`)
	formatShape = regexp.MustCompile(`^((?:[a-z][a-z0-9_]*\.)+)%[sdv]$`)
	tmplAction  = regexp.MustCompile(`(?s)\{\{.*?\}\}`)
	tmplString  = regexp.MustCompile(`"((?:[^"\\]|\\.)*)"`)
	tmplLookup  = regexp.MustCompile(`\bt "([^"]*)"`)
	// fileName matches names of files such as "app.css", which share the
	// shape of keys.
	fileName = regexp.MustCompile(`\.(css|js|html|docx|json|svg|png|toml)$`)
)

// keyUses is what a scan of the module found.
type keyUses struct {
	used     map[string]bool     // keys named by a literal
	missing  map[string][]string // key-like literals that are not keys → where
	prefixes map[string][]string // prefixes keys are built from → where
}

// literal records one string literal of Go code or of a template.
func (u *keyUses) literal(cat *catalog.Catalog, spaces map[string]bool, s, where string) {
	switch {
	case cat.Has(s):
		u.used[s] = true
	case fileName.MatchString(s):
	case keyShape.MatchString(s) && spaces[s[:strings.IndexByte(s, '.')]]:
		u.missing[s] = append(u.missing[s], where)
	case prefixShape.MatchString(s) && spaces[s[:strings.IndexByte(s, '.')]]:
		u.prefixes[s] = append(u.prefixes[s], where)
	default:
		if m := formatShape.FindStringSubmatch(s); m != nil && spaces[s[:strings.IndexByte(s, '.')]] {
			u.prefixes[m[1]] = append(u.prefixes[m[1]], where)
		}
	}
}

// scanKeys reads every Go file of the module (tests aside) and every web
// template for catalogue keys: a string literal that is a key uses it; a
// literal shaped like a key in one of the catalogue's namespaces (the part
// before the first dot) must be one; a literal "ns.part." joined to a code,
// or a format "ns.part.%s", is a prefix of a key family.
func scanKeys(t *testing.T, cat *catalog.Catalog) *keyUses {
	t.Helper()
	spaces := map[string]bool{}
	for _, k := range cat.Keys() {
		spaces[k[:strings.IndexByte(k, '.')]] = true
	}
	u := &keyUses{used: map[string]bool{}, missing: map[string][]string{}, prefixes: map[string][]string{}}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("the module root is not %s: %v", root, err)
	}
	fset := token.NewFileSet()
	goFiles := 0
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); p != root && (strings.HasPrefix(n, ".") || n == "node_modules" || n == "testdata" || n == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		goFiles++
		ast.Inspect(f, func(n ast.Node) bool {
			if _, ok := n.(*ast.ImportSpec); ok {
				return false
			}
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil {
					pos := fset.Position(lit.Pos())
					rel, _ := filepath.Rel(root, pos.Filename)
					u.literal(cat, spaces, s, rel+":"+strconv.Itoa(pos.Line))
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if goFiles < 100 {
		t.Fatalf("scanned only %d Go files under %s", goFiles, root)
	}
	err = fs.WalkDir(files, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(files, p)
		if err != nil {
			return err
		}
		for _, act := range tmplAction.FindAllString(string(b), -1) {
			for _, m := range tmplLookup.FindAllStringSubmatch(act, -1) {
				if !cat.Has(m[1]) {
					u.missing[m[1]] = append(u.missing[m[1]], "web/"+p)
				}
			}
			for _, m := range tmplString.FindAllStringSubmatch(act, -1) {
				if s, err := strconv.Unquote(m[0]); err == nil {
					u.literal(cat, spaces, s, "web/"+p)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestCatalogueKeysUsed fails when code or a template names a key the
// catalogue lacks (Load makes sure each key is in both languages), when a
// key family is built from a prefix that keyFamilies does not enumerate,
// or when a catalogue key is used nowhere.
func TestCatalogueKeysUsed(t *testing.T) {
	cat := catalog.MustLoad()
	u := scanKeys(t, cat)
	where := func(ps []string) string { return strings.Join(slices.Compact(slices.Sorted(slices.Values(ps))), ", ") }
	for _, k := range slices.Sorted(maps.Keys(u.missing)) {
		t.Errorf("%s: %q is not in the catalogue", where(u.missing[k]), k)
	}
	fams := keyFamilies()
	for _, p := range slices.Sorted(maps.Keys(u.prefixes)) {
		if _, ok := fams[p]; !ok {
			t.Errorf("%s: keys are built from %q, which keyFamilies does not enumerate", where(u.prefixes[p]), p)
		}
	}
	used := maps.Clone(u.used)
	for _, p := range slices.Sorted(maps.Keys(fams)) {
		f := fams[p]
		if _, ok := u.prefixes[p]; !ok {
			t.Errorf("keyFamilies lists %q, which no code builds keys from", p)
		}
		if len(f.codes) == 0 {
			t.Errorf("key family %q has no codes", p)
		}
		for _, c := range f.codes {
			switch k := p + c; {
			case cat.Has(k):
				used[k] = true
			case !f.optional:
				t.Errorf("%q (family %q) is not in the catalogue", k, p)
			}
		}
	}
	for _, k := range cat.Keys() {
		if !used[k] {
			t.Errorf("%q is in the catalogue but used nowhere", k)
		}
	}
}

// TestMenuLabelsInCatalogue builds the menu of every role in both
// languages: no item or group may show a raw key, which is what a lookup
// of a missing nav.<key> returns.
func TestMenuLabelsInCatalogue(t *testing.T) {
	cat := catalog.MustLoad()
	h := &Handler{cat: cat, cfg: Config{Rates: (*sqldb.RatesService)(nil), Linkages: (*sqldb.LinkageService)(nil),
		FollowUps: (*sqldb.FollowUpService)(nil), ReplyTemplates: (*sqldb.ReplyTemplateService)(nil),
		Consultations: (*sqldb.ConsultationService)(nil), Projects: (*sqldb.ProjectService)(nil)}}
	items := 0
	for _, lang := range catalog.Languages {
		for _, r := range zhagen.Roles {
			a := &zhagen.Actor{UserID: 1, Name: "x", Roles: []zhagen.Role{r}, DeptID: 1, EnterpriseID: 1}
			for _, g := range h.menu(lang, a, "") {
				if strings.HasPrefix(g.Label, "nav.") {
					t.Errorf("%s %s: menu group %q has no message", lang, r, g.Label)
				}
				for _, it := range g.Items {
					items++
					if it.Label == "" || strings.HasPrefix(it.Label, "nav.") {
						t.Errorf("%s %s: menu item %s shows %q", lang, r, it.Key, it.Label)
					}
				}
			}
		}
	}
	if items < 50 {
		t.Errorf("only %d menu items for all roles", items)
	}
}

// labels maps each code of a domain list to its Chinese Label.
func labels[T interface {
	~string
	Label() string
}](xs ...T) map[string]string {
	m := map[string]string{}
	for _, x := range xs {
		m[string(x)] = x.Label()
	}
	return m
}

// TestCatalogueAgreesWithDomainLabels: the web reads the names of roles,
// statuses, actions and kinds from the catalogue, while Chinese-only
// callers (CSV exports, .docx minutes, notices) use the domain's Label.
// Both must say the same in Chinese.
func TestCatalogueAgreesWithDomainLabels(t *testing.T) {
	cat := catalog.MustLoad()
	rf := map[string]string{}
	for _, f := range zhagen.RuleFields {
		rf[f.Key] = f.Label
	}
	actions := append([]zhagen.Action{zhagen.ActSubmit, zhagen.ActClose, zhagen.ActWarn, zhagen.ActAttach, zhagen.ActSupervise, zhagen.ActFollowUp, zhagen.ActFollowUpReopen}, zhagen.WorkflowActions...)
	families := map[string]map[string]string{
		"role.": labels(zhagen.Roles...), "ent.status.": labels(zhagen.EnterpriseStatuses...), "dept.kind.": labels(zhagen.DeptKinds...),
		"dm.status.": labels(zhagen.DemandStatuses...), "dm.priority.": labels(zhagen.Priorities...),
		"dm.channel.": labels(zhagen.Channels...), "dm.action.": labels(actions...),
		"dm.rating.": labels(zhagen.RatingSatisfied, zhagen.RatingBasically, zhagen.RatingUnsatisfied),
		"dm.level.":  labels(zhagen.SLAOK, zhagen.SLAYellow, zhagen.SLARed), "cat.qtype.": labels(zhagen.QuestionTypes...),
		"cs.kind.": labels(zhagen.ConsultationKinds...), "cs.status.": labels(zhagen.ConsultationStatuses...),
		"cs.att.": labels(zhagen.AttendPending, zhagen.AttendYes, zhagen.AttendDeclined), "cs.item.": labels(zhagen.ActionItemStatuses...),
		"pj.level.": labels(zhagen.ProjectLevels...), "pj.status.": labels(zhagen.ProjectStatuses...),
		"pj.kind.": labels(zhagen.ApprovalKinds...), "pj.ap.": labels(zhagen.ApprovalStatuses...),
		"lk.role.": labels(zhagen.LinkRoles...), "vs.kind.": labels(zhagen.VisitKinds...),
		"vs.status.":  labels(zhagen.VisitPlanned, zhagen.VisitLogged),
		"pos.kind.":   labels(zhagen.PositionFullTime, zhagen.PositionInternship),
		"pos.status.": labels(zhagen.PositionPending, zhagen.PositionApproved, zhagen.PositionRejected),
		"uni.kind.":   labels(zhagen.ContactCareer, zhagen.ContactUnion), "deg.": labels(zhagen.Degrees...),
		"rf.field.": rf,
	}
	// The pages shorten these.
	shortened := map[string]bool{"uni.kind.career": true}
	n := 0
	for p, m := range families {
		for code, label := range m {
			k := p + code
			if !cat.Has(k) {
				t.Errorf("%q is not in the catalogue", k)
			} else if zh := cat.Sprintf(catalog.ZH, k); zh != label && !shortened[k] {
				t.Errorf("%q is %q in the catalogue but %q in the domain", k, zh, label)
			}
			n++
		}
	}
	if n < 100 {
		t.Errorf("only %d labels compared", n)
	}
}

// svTabKeys are the supervision list's states.
func svTabKeys() []string {
	var ks []string
	for _, t := range svTabs {
		ks = append(ks, t.key)
	}
	return ks
}
