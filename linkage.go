package zhagen

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// LinkRole is what a cadre does for a linked enterprise.
type LinkRole string

// Linkage roles.
const (
	LinkContact LinkRole = "contact" // 联系干部
	LinkParty   LinkRole = "party"   // 党建工作指导员
	LinkOfficer LinkRole = "officer" // 服务专员
)

// LinkRoles lists the roles in display order.
var LinkRoles = []LinkRole{LinkContact, LinkParty, LinkOfficer}

var linkRoleLabels = map[LinkRole]string{LinkContact: "联系干部", LinkParty: "党建工作指导员", LinkOfficer: "服务专员"}

// Label returns the Chinese name of the role.
func (r LinkRole) Label() string { return linkRoleLabels[r] }

// DefaultCadenceDays is the visit cadence of a new linkage.
const DefaultCadenceDays = 30

// Linkage links a cadre to an enterprise (挂钩联系). Ending it keeps the
// record: EndDate is set and Active turns false.
type Linkage struct {
	ID             int64     `json:"id"`
	CadreID        int64     `json:"cadre_id"`
	CadreName      string    `json:"cadre_name,omitempty"`
	CadreRank      string    `json:"cadre_rank,omitempty"`
	DeptID         int64     `json:"dept_id,omitempty"`
	DeptName       string    `json:"dept_name,omitempty"`
	EnterpriseID   int64     `json:"enterprise_id"`
	EnterpriseName string    `json:"enterprise_name,omitempty"`
	EnterpriseKey  bool      `json:"enterprise_is_key,omitempty"`
	Role           LinkRole  `json:"role"`
	StartDate      string    `json:"start_date"`         // YYYY-MM-DD
	EndDate        string    `json:"end_date,omitempty"` // YYYY-MM-DD when ended
	CadenceDays    int       `json:"cadence_days"`
	Active         bool      `json:"active"`
	SuggestionID   int64     `json:"suggestion_id,omitempty"`
	Version        int64     `json:"version"`
	CreatedAt      time.Time `json:"created_at"`

	// Computed on read: the enterprise's last logged visit, the next one
	// due (last visit, or the start, plus the cadence) and whether it is
	// overdue today.
	LastVisit string `json:"last_visit,omitempty"`
	NextDue   string `json:"next_due,omitempty"`
	Overdue   bool   `json:"overdue"`
	DueSoon   bool   `json:"due_soon"` // due within 7 days
}

// ParseDay checks a YYYY-MM-DD date.
func ParseDay(s string) (time.Time, bool) {
	t, err := time.ParseInLocation("2006-01-02", s, Shanghai)
	return t, err == nil
}

// Validate normalises and checks a new linkage.
func (l *Linkage) Validate() error {
	var v Validation
	if l.Role == "" {
		l.Role = LinkContact
	}
	if l.CadenceDays == 0 {
		l.CadenceDays = DefaultCadenceDays
	}
	if l.CadreID <= 0 {
		v.Add("cadre_id", "请选择挂钩干部")
	}
	if l.EnterpriseID <= 0 {
		v.Add("enterprise_id", "请选择挂钩企业")
	}
	if linkRoleLabels[l.Role] == "" {
		v.Add("role", "挂钩角色无效")
	}
	if l.CadenceDays < 1 || l.CadenceDays > 366 {
		v.Add("cadence_days", "走访周期须为1–366天")
	}
	if l.StartDate != "" {
		if _, ok := ParseDay(l.StartDate); !ok {
			v.Add("start_date", "开始日期格式应为YYYY-MM-DD")
		}
	}
	return v.Err()
}

// VisitKind is how a visit took place.
type VisitKind string

// Visit kinds.
const (
	VisitOnSite VisitKind = "onsite" // 实地
	VisitPhone  VisitKind = "phone"  // 电话
	VisitVideo  VisitKind = "video"  // 视频
)

// VisitKinds lists the kinds in display order.
var VisitKinds = []VisitKind{VisitOnSite, VisitPhone, VisitVideo}

var visitKindLabels = map[VisitKind]string{VisitOnSite: "实地", VisitPhone: "电话", VisitVideo: "视频"}

// Label returns the Chinese name of the kind.
func (k VisitKind) Label() string { return visitKindLabels[k] }

// VisitStatus says whether a visit is planned or done.
type VisitStatus string

// Visit statuses.
const (
	VisitPlanned VisitStatus = "planned" // 计划
	VisitLogged  VisitStatus = "logged"  // 已走访
)

// Label returns the Chinese name of the status.
func (s VisitStatus) Label() string {
	if s == VisitPlanned {
		return "计划"
	}
	return "已走访"
}

// Situation is the checklist filled in on a visit (企业情况).
type Situation struct {
	Output          string   `json:"output,omitempty"`            // 生产经营与订单
	OrdersChangePct *float64 `json:"orders_change_pct,omitempty"` // 订单同比变化 %
	Employees       *int     `json:"employees,omitempty"`         // 用工人数
	Layoffs         *int     `json:"layoffs,omitempty"`           // 减员人数
	Financing       string   `json:"financing,omitempty"`         // 融资
	LandSpace       string   `json:"land_space,omitempty"`        // 用地与空间
	Talent          string   `json:"talent,omitempty"`            // 人才
	PowerWater      string   `json:"power_water,omitempty"`       // 水电保障
	PolicyNeeds     string   `json:"policy_needs,omitempty"`      // 政策需求
	PlansExpand     bool     `json:"plans_expand"`                // 拟扩产
	PlansRelocate   bool     `json:"plans_relocate"`              // 拟外迁
	PlansDownsize   bool     `json:"plans_downsize"`              // 拟缩减
}

// Visit is a planned or logged visit of a cadre to a linked enterprise.
// The public part (date, kind, topics, public notes) is what the
// enterprise itself may read.
type Visit struct {
	ID             int64       `json:"id"`
	EnterpriseID   int64       `json:"enterprise_id"`
	EnterpriseName string      `json:"enterprise_name,omitempty"`
	CadreID        int64       `json:"cadre_id"`
	CadreName      string      `json:"cadre_name,omitempty"`
	Status         VisitStatus `json:"status"`
	Date           string      `json:"date"` // YYYY-MM-DD
	Kind           VisitKind   `json:"kind"`
	Participants   string      `json:"participants"`
	Topics         string      `json:"topics"`
	PublicNotes    string      `json:"public_notes"`
	// Internal part, blanked for enterprise users.
	Situation     *Situation `json:"situation,omitempty"`
	Findings      string     `json:"findings,omitempty"`
	InternalNotes string     `json:"internal_notes,omitempty"`
	DemandID      int64      `json:"demand_id,omitempty"`
	Flags         []string   `json:"flags,omitempty"` // reasons of the red flags this visit raised
	// IdempotencyKey, when set, makes creating the visit once-only: a
	// second create with the same key (a phone's retry) returns the
	// visit the first one wrote (Replayed) instead of writing another.
	IdempotencyKey string    `json:"idempotency_key,omitempty"`
	Replayed       bool      `json:"replayed,omitempty"`
	CheckIn        *CheckIn  `json:"checkin,omitempty"` // optional GPS check-in at the start of the visit
	Version        int64     `json:"version"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// PublicOnly blanks the internal part of the visit.
func (v *Visit) PublicOnly() {
	v.Situation, v.Findings, v.InternalNotes, v.Flags, v.DemandID = nil, "", "", nil, 0
	v.CheckIn, v.IdempotencyKey = nil, ""
}

// Validate normalises and checks the visit.
func (v *Visit) Validate() error {
	var val Validation
	if v.Status == "" {
		v.Status = VisitLogged
	}
	if v.Kind == "" {
		v.Kind = VisitOnSite
	}
	for _, p := range []*string{&v.Participants, &v.Topics, &v.PublicNotes, &v.Findings, &v.InternalNotes} {
		*p = strings.TrimSpace(*p)
	}
	if v.Situation == nil {
		v.Situation = &Situation{}
	}
	if v.EnterpriseID <= 0 {
		val.Add("enterprise_id", "请选择走访企业")
	}
	if v.Status != VisitPlanned && v.Status != VisitLogged {
		val.Add("status", "走访状态无效")
	}
	if visitKindLabels[v.Kind] == "" {
		val.Add("kind", "走访方式无效")
	}
	if _, ok := ParseDay(v.Date); !ok {
		val.Add("date", "请填写走访日期（YYYY-MM-DD）")
	}
	if v.Status == VisitLogged && v.Topics == "" {
		val.Add("topics", "请填写走访主题")
	}
	for _, f := range []struct {
		name, label, s string
		n              int
	}{{"participants", "参加人员", v.Participants, 200}, {"topics", "走访主题", v.Topics, 500},
		{"public_notes", "公开记录", v.PublicNotes, 2000}, {"findings", "发现问题", v.Findings, 2000},
		{"internal_notes", "内部记录", v.InternalNotes, 2000}} {
		if utf8.RuneCountInString(f.s) > f.n {
			val.Add(f.name, f.label+"不能超过"+strconv.Itoa(f.n)+"个字")
		}
	}
	if k := v.IdempotencyKey; k != "" && (len(k) < 8 || len(k) > 64 || strings.Trim(k, "0123456789abcdefABCDEF-") != "") {
		val.Add("idempotency_key", "幂等键无效（8–64位十六进制字符或连字符）")
	}
	if c := v.CheckIn; c != nil && (!ValidLat(c.Lat) || !ValidLong(c.Long) || !(c.Accuracy >= 0 && c.Accuracy <= 100000)) {
		val.Add("checkin", "签到位置无效")
	}
	s := v.Situation
	if s.OrdersChangePct != nil && (*s.OrdersChangePct < -100 || *s.OrdersChangePct > 10000) {
		val.Add("orders_change_pct", "订单变化须在-100%到10000%之间")
	}
	if s.Employees != nil && *s.Employees < 0 {
		val.Add("employees", "用工人数不能为负")
	}
	if s.Layoffs != nil && *s.Layoffs < 0 {
		val.Add("layoffs", "减员人数不能为负")
	}
	return val.Err()
}

// MsgVisitLinkEnded answers a visit to an enterprise whose link with the
// cadre has ended (e.g. one recorded offline and sent afterwards).
const MsgVisitLinkEnded = "您与该企业的挂钩关系已结束，不能再记录走访；草稿已保留，请联系指挥中心重新挂钩或删除草稿"

// CheckIn is where the cadre's phone was at the start of a visit (WGS84
// degrees, accuracy in metres as the phone reported it).
type CheckIn struct {
	Lat      float64   `json:"lat"`
	Long     float64   `json:"long"`
	Accuracy float64   `json:"accuracy,omitempty"`
	At       time.Time `json:"at"`
}

// VisitFilter selects visits; zero fields do not filter.
type VisitFilter struct {
	EnterpriseID int64
	CadreID      int64
	Status       VisitStatus
	Limit        int
	Offset       int
}

// RuleOp is the comparison of a red-flag rule.
type RuleOp string

// Rule operators.
var RuleOps = []RuleOp{"=", "!=", "<", "<=", ">", ">="}

// RuleFields are the visit answers a red-flag rule may test, with their
// Chinese names; the bool ones compare with true/false.
var RuleFields = []struct {
	Key, Label string
	Bool       bool
}{
	{"plans_relocate", "拟外迁", true}, {"plans_downsize", "拟缩减", true}, {"plans_expand", "拟扩产", true},
	{"orders_change_pct", "订单变化%", false}, {"layoffs", "减员人数", false}, {"employees", "用工人数", false},
}

// RedFlagRule marks an enterprise at risk when a logged visit's answer
// matches (e.g. orders_change_pct < -30).
type RedFlagRule struct {
	ID        int64     `json:"id"`
	Field     string    `json:"field"`
	Op        RuleOp    `json:"op"`
	Threshold string    `json:"threshold"`
	Reason    string    `json:"reason"`
	Active    bool      `json:"active"`
	CreatedAt time.Time `json:"created_at"`
}

// ruleField returns the field's entry or nil.
func ruleField(key string) (label string, isBool, ok bool) {
	for _, f := range RuleFields {
		if f.Key == key {
			return f.Label, f.Bool, true
		}
	}
	return "", false, false
}

// Validate checks the rule.
func (r *RedFlagRule) Validate() error {
	var v Validation
	r.Threshold, r.Reason = strings.TrimSpace(r.Threshold), strings.TrimSpace(r.Reason)
	_, isBool, ok := ruleField(r.Field)
	if !ok {
		v.Add("field", "请选择检查的走访字段")
	}
	opOK := false
	for _, o := range RuleOps {
		opOK = opOK || o == r.Op
	}
	if !opOK || (isBool && r.Op != "=" && r.Op != "!=") {
		v.Add("op", "比较方式无效")
	}
	if isBool {
		switch strings.ToLower(r.Threshold) {
		case "true", "是", "1", "yes":
			r.Threshold = "true"
		case "false", "否", "0", "no":
			r.Threshold = "false"
		}
		if r.Threshold != "true" && r.Threshold != "false" {
			v.Add("threshold", "阈值须为“是”或“否”")
		}
	} else if _, err := strconv.ParseFloat(r.Threshold, 64); err != nil {
		v.Add("threshold", "阈值须为数字")
	}
	if r.Reason == "" || utf8.RuneCountInString(r.Reason) > 60 {
		v.Add("reason", "请填写风险原因（不超过60个字）")
	}
	return v.Err()
}

// Matches reports whether the situation triggers the rule. A number the
// visit did not record never matches.
func (r *RedFlagRule) Matches(s *Situation) bool {
	if s == nil {
		return false
	}
	var x float64
	switch r.Field {
	case "plans_relocate", "plans_downsize", "plans_expand":
		b := map[string]bool{"plans_relocate": s.PlansRelocate, "plans_downsize": s.PlansDownsize, "plans_expand": s.PlansExpand}[r.Field]
		want := r.Threshold == "true"
		if r.Op == "!=" {
			return b != want
		}
		return r.Op == "=" && b == want
	case "orders_change_pct":
		if s.OrdersChangePct == nil {
			return false
		}
		x = *s.OrdersChangePct
	case "layoffs":
		if s.Layoffs == nil {
			return false
		}
		x = float64(*s.Layoffs)
	case "employees":
		if s.Employees == nil {
			return false
		}
		x = float64(*s.Employees)
	default:
		return false
	}
	t, err := strconv.ParseFloat(r.Threshold, 64)
	if err != nil {
		return false
	}
	switch r.Op {
	case "=":
		return x == t
	case "!=":
		return x != t
	case "<":
		return x < t
	case "<=":
		return x <= t
	case ">":
		return x > t
	case ">=":
		return x >= t
	}
	return false
}

// Describe is the rule as a phrase, e.g. 订单变化% < -30 or 拟外迁 = 是.
func (r *RedFlagRule) Describe() string {
	label, isBool, _ := ruleField(r.Field)
	th := r.Threshold
	if isBool {
		th = map[string]string{"true": "是", "false": "否"}[th]
	}
	return label + " " + string(r.Op) + " " + th
}

// RedFlag marks an enterprise at risk (风险预警) because a visit triggered
// a rule. It clears when a later visit no longer triggers the rule, or
// when a person clears it with a note; cleared flags are kept.
type RedFlag struct {
	ID             int64      `json:"id"`
	EnterpriseID   int64      `json:"enterprise_id"`
	EnterpriseName string     `json:"enterprise_name,omitempty"`
	RuleID         int64      `json:"rule_id"`
	Reason         string     `json:"reason"`
	VisitID        int64      `json:"visit_id"`
	VisitDate      string     `json:"visit_date,omitempty"`
	RaisedAt       time.Time  `json:"raised_at"`
	ClearedAt      *time.Time `json:"cleared_at,omitempty"`
	ClearedBy      string     `json:"cleared_by,omitempty"`
	ClearNote      string     `json:"clear_note,omitempty"`
	ClearVisitID   int64      `json:"clear_visit_id,omitempty"`
}

// Coverage is the share of linked enterprises visited within their
// cadence, for one cadre or one department.
type Coverage struct {
	ID      int64   `json:"id"`
	Name    string  `json:"name"`
	Linked  int     `json:"linked"`
	Visited int     `json:"visited"`
	Percent float64 `json:"percent"`
}

// CoverageReport is the coverage per department and per cadre.
type CoverageReport struct {
	Total  Coverage    `json:"total"`
	Depts  []*Coverage `json:"depts"`
	Cadres []*Coverage `json:"cadres"`
}

// SuggestionPair is one pair of a linkage suggestion with the reasons
// behind its cost.
type SuggestionPair struct {
	ID             int64    `json:"id"`
	CadreID        int64    `json:"cadre_id"`
	CadreName      string   `json:"cadre_name"`
	CadreRank      string   `json:"cadre_rank"`
	DeptName       string   `json:"dept_name"`
	EnterpriseID   int64    `json:"enterprise_id"`
	EnterpriseName string   `json:"enterprise_name"`
	EnterpriseKey  bool     `json:"enterprise_is_key"`
	Industry       string   `json:"industry"`
	Cost           int64    `json:"cost"`
	Reasons        []string `json:"reasons"`
	Accepted       bool     `json:"accepted"`
}

// SuggestionParams are the constraints of a suggestion run.
type SuggestionParams struct {
	Need     int `json:"need"`     // cadres per enterprise (r), default 1
	Capacity int `json:"capacity"` // enterprises per cadre (m), default 2
}

// Suggestion is a stored run of the linkage optimiser. Nothing changes
// until pairs are accepted.
type Suggestion struct {
	ID          int64             `json:"id"`
	Params      SuggestionParams  `json:"params"`
	Feasible    bool              `json:"feasible"`
	Message     string            `json:"message,omitempty"` // why it is infeasible
	Constraint  string            `json:"constraint,omitempty"`
	Cost        int64             `json:"cost"`
	Cadres      int               `json:"cadres"`
	Enterprises int               `json:"enterprises"`
	CreatedBy   string            `json:"created_by"`
	CreatedAt   time.Time         `json:"created_at"`
	AcceptedAt  *time.Time        `json:"accepted_at,omitempty"`
	Pairs       []*SuggestionPair `json:"pairs,omitempty"`
}

// LinkageFilter selects linkages.
type LinkageFilter struct {
	CadreID      int64
	EnterpriseID int64
	DeptID       int64
	Active       *bool
	Overdue      bool // only those whose visit is overdue
	Limit        int
	Offset       int
}

// LinkageService keeps linkages, visits, red flags and suggestions.
type LinkageService interface {
	CreateLinkage(ctx context.Context, l *Linkage) error
	// EndLinkage ends an active linkage on date (today when empty).
	EndLinkage(ctx context.Context, id int64, date string) (*Linkage, error)
	FindLinkages(ctx context.Context, f LinkageFilter) ([]*Linkage, int, error)

	// CreateVisit plans or logs a visit; a cadre only for enterprises
	// linked to them. A logged visit evaluates the red-flag rules.
	CreateVisit(ctx context.Context, v *Visit) error
	// UpdateVisit replaces the visit's fields when version is current
	// (e.g. logging a planned visit).
	UpdateVisit(ctx context.Context, id int64, v *Visit) error
	FindVisitByID(ctx context.Context, id int64) (*Visit, error)
	FindVisits(ctx context.Context, f VisitFilter) ([]*Visit, int, error)
	// DemandFromVisit files the visit's finding as a demand of its
	// enterprise through the channel "visit" and links it to the visit.
	DemandFromVisit(ctx context.Context, visitID int64, d *Demand) error
	Coverage(ctx context.Context) (*CoverageReport, error)

	FindRedFlagRules(ctx context.Context) ([]*RedFlagRule, error)
	CreateRedFlagRule(ctx context.Context, r *RedFlagRule) error
	SetRedFlagRuleActive(ctx context.Context, id int64, active bool) error
	FindRedFlags(ctx context.Context, openOnly bool, enterpriseID int64) ([]*RedFlag, error)
	ClearRedFlag(ctx context.Context, id int64, note string) (*RedFlag, error)

	// RunSuggestion solves the linkage model on the current cadres and
	// enterprises and stores the result.
	RunSuggestion(ctx context.Context, p SuggestionParams) (*Suggestion, error)
	FindSuggestion(ctx context.Context, id int64) (*Suggestion, error)
	// FindSuggestions lists recent runs without their pairs.
	FindSuggestions(ctx context.Context) ([]*Suggestion, error)
	// AcceptSuggestion creates linkages from the chosen pairs (all when
	// pairIDs is empty), starting on startDate (YYYY-MM-DD, not after
	// today; empty means today, a past date records linkages that began
	// earlier), and returns how many it created.
	AcceptSuggestion(ctx context.Context, id int64, pairIDs []int64, startDate string) (int, error)
}
