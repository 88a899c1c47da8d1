package zhagen

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"zhagen/sla"
)

// AppStatus is where a policy application (政策兑现申请) stands:
// 申报 → 受理 → 审核 → 公示 → 拨付, or 不予支持.
type AppStatus string

// Application statuses.
const (
	AppApplied    AppStatus = "applied"    // 已申报, waiting for the department to accept it
	AppAccepted   AppStatus = "accepted"   // 已受理, under review
	AppReviewed   AppStatus = "reviewed"   // 审核通过, to be publicised
	AppPublicized AppStatus = "publicized" // 公示中
	AppPaid       AppStatus = "paid"       // 已拨付
	AppRejected   AppStatus = "rejected"   // 不予支持
)

// AppStatuses lists the statuses in order.
var AppStatuses = []AppStatus{AppApplied, AppAccepted, AppReviewed, AppPublicized, AppPaid, AppRejected}

var appStatusLabels = map[AppStatus]string{AppApplied: "已申报", AppAccepted: "已受理", AppReviewed: "审核通过", AppPublicized: "公示中", AppPaid: "已拨付", AppRejected: "不予支持"}

// Label returns the Chinese name of the status.
func (s AppStatus) Label() string { return appStatusLabels[s] }

// Open reports whether the application still waits for a step.
func (s AppStatus) Open() bool { return s != AppPaid && s != AppRejected }

// AppAction is a step of the handling department on an application.
type AppAction string

// Application actions.
const (
	AppAccept    AppAction = "accept"    // 受理
	AppReview    AppAction = "review"    // 审核通过, with the approved amount
	AppPublicize AppAction = "publicize" // 公示
	AppPay       AppAction = "pay"       // 拨付, with the amount paid
	AppReject    AppAction = "reject"    // 不予支持, with the reason
)

// appSteps is the one table of the redemption: per action, the status it
// applies from, the status it leads to and the working days the next
// step has (0: none).
var appSteps = map[AppAction]struct {
	from []AppStatus
	to   AppStatus
}{
	AppAccept:    {[]AppStatus{AppApplied}, AppAccepted},
	AppReview:    {[]AppStatus{AppAccepted}, AppReviewed},
	AppPublicize: {[]AppStatus{AppReviewed}, AppPublicized},
	AppPay:       {[]AppStatus{AppPublicized}, AppPaid},
	AppReject:    {[]AppStatus{AppApplied, AppAccepted, AppReviewed, AppPublicized}, AppRejected},
}

// StageDays are the working days each open status has before its next
// step is due: accept within 3, review within 10, publicise for 5, pay
// within 15 after the publicity.
var StageDays = map[AppStatus]int{AppApplied: 3, AppAccepted: 10, AppReviewed: 3, AppPublicized: 5 + 15}

// AppActions lists the actions in the order of the redemption.
var AppActions = []AppAction{AppAccept, AppReview, AppPublicize, AppPay, AppReject}

// AppActionsFrom lists the actions that apply to an application in status s.
func AppActionsFrom(s AppStatus) []AppAction {
	var out []AppAction
	for _, a := range AppActions {
		if slices.Contains(appSteps[a].from, s) {
			out = append(out, a)
		}
	}
	return out
}

// StageDue is when the next step of an application entering status s at
// now is due, counted in working days on cal; nil when none is.
func StageDue(cal *sla.Calendar, s AppStatus, now time.Time) *time.Time {
	n := StageDays[s]
	if n == 0 || cal == nil {
		return nil
	}
	t := cal.Due(now, sla.Duration{Amount: n, Unit: sla.Days}).UTC()
	return &t
}

// PolicyApplication is one enterprise's application for one policy.
type PolicyApplication struct {
	ID             int64      `json:"id"`
	PolicyID       int64      `json:"policy_id"`
	PolicyTitle    string     `json:"policy_title"`
	EnterpriseID   int64      `json:"enterprise_id"`
	EnterpriseName string     `json:"enterprise_name"`
	DeptID         int64      `json:"dept_id"` // handling department
	DeptName       string     `json:"dept_name"`
	Auto           bool       `json:"auto"` // 免申即享: created on matching, no application
	Status         AppStatus  `json:"status"`
	Requested      int64      `json:"amount_requested"` // 元
	Approved       int64      `json:"amount_approved"`
	Paid           int64      `json:"amount_paid"`
	Note           string     `json:"note"` // the applicant's statement
	Decision       string     `json:"decision,omitempty"`
	StageDue       *time.Time `json:"stage_due,omitempty"`
	ApplicantName  string     `json:"applicant_name"`
	PaidAt         *time.Time `json:"paid_at,omitempty"`
	Version        int64      `json:"version"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
	Events         []AppEvent `json:"events,omitempty"`
}

// Overdue reports whether the next step is late at now.
func (a *PolicyApplication) Overdue(now time.Time) bool {
	return a.Status.Open() && a.StageDue != nil && !now.Before(*a.StageDue)
}

// Facts of an application: the handling department owns it, the
// enterprise is its enterprise (linked cadres load Linked).
func (a *PolicyApplication) Facts() Facts {
	return Facts{DeptID: a.DeptID, EnterpriseID: a.EnterpriseID}
}

// Link is where the application is shown.
func (a *PolicyApplication) Link() string { return fmt.Sprintf("/policy-applications/%d", a.ID) }

// AppEvent is one step on an application's timeline.
type AppEvent struct {
	From  AppStatus `json:"from"`
	To    AppStatus `json:"to"`
	Actor string    `json:"actor"`
	Note  string    `json:"note"`
	At    time.Time `json:"at"`
}

// AppInput is what an applicant files.
type AppInput struct {
	PolicyID     int64  `json:"policy_id"`
	EnterpriseID int64  `json:"enterprise_id"` // an enterprise user's own, set by the store
	Requested    int64  `json:"amount_requested"`
	Note         string `json:"note"`
}

// Validate checks the input.
func (in *AppInput) Validate() error {
	var v Validation
	in.Note = strings.TrimSpace(in.Note)
	if in.PolicyID <= 0 {
		v.Add("policy_id", "请选择申报的政策")
	}
	if in.EnterpriseID <= 0 {
		v.Add("enterprise_id", "请选择申报企业")
	}
	if in.Requested < 0 || in.Requested > 1e10 {
		v.Add("amount_requested", "申请金额须在 0 到 100 亿元之间")
	}
	if utf8.RuneCountInString(in.Note) > 2000 {
		v.Add("note", "申报说明不能超过2000个字")
	}
	return v.Err()
}

// AppStep is a handling department's step.
type AppStep struct {
	Action  AppAction `json:"action"`
	Amount  int64     `json:"amount"` // approved (review) or paid (pay), 元
	Note    string    `json:"note"`
	Version int64     `json:"version"`
}

// PlanAppStep checks step against app at now and returns the status it
// leads to and the due time of the next step.
func PlanAppStep(app *PolicyApplication, step *AppStep, now time.Time, cal *sla.Calendar) (AppStatus, *time.Time, error) {
	spec, ok := appSteps[step.Action]
	if !ok {
		return "", nil, &Error{Code: EINVALID, Field: "action", Message: "未知的办理操作"}
	}
	if !slices.Contains(spec.from, app.Status) {
		return "", nil, Errorf(ECONFLICT, "申请当前为“%s”，不能执行该操作，请刷新后查看", app.Status.Label())
	}
	step.Note = strings.TrimSpace(step.Note)
	if utf8.RuneCountInString(step.Note) > 2000 {
		return "", nil, &Error{Code: EINVALID, Field: "note", Message: "办理意见不能超过2000个字"}
	}
	switch step.Action {
	case AppReview, AppPay:
		if step.Amount <= 0 || step.Amount > 1e10 {
			return "", nil, &Error{Code: EINVALID, Field: "amount", Message: "请填写金额（元），须大于 0"}
		}
		if step.Action == AppPay && app.Approved > 0 && step.Amount > app.Approved {
			return "", nil, &Error{Code: EINVALID, Field: "amount", Message: fmt.Sprintf("拨付金额不能超过核定金额 %d 元", app.Approved)}
		}
	case AppReject:
		if step.Note == "" {
			return "", nil, &Error{Code: EINVALID, Field: "note", Message: "请填写不予支持的理由"}
		}
	}
	return spec.to, StageDue(cal, spec.to, now), nil
}

// AppFilter narrows a list of applications.
type AppFilter struct {
	PolicyID     int64
	EnterpriseID int64
	DeptID       int64
	Status       AppStatus
	Open         bool
	Limit        int
}

// PaidTotal is an amount paid in one group (a policy, a department or a month).
type PaidTotal struct {
	Key   string `json:"key"`   // policy id, department id or YYYY-MM
	Label string `json:"label"` // title, name or month
	Count int    `json:"count"`
	Paid  int64  `json:"paid"`
}

// PaidTotals are the amounts paid, grouped three ways.
type PaidTotals struct {
	ByPolicy []PaidTotal `json:"by_policy"`
	ByDept   []PaidTotal `json:"by_dept"`
	ByMonth  []PaidTotal `json:"by_month"`
	Total    int64       `json:"total"`
	Count    int         `json:"count"`
}

// Yuan formats an amount in yuan as people read it: 12.5万元 or 800元.
func Yuan(n int64) string {
	if n >= 10000 {
		s := fmt.Sprintf("%.2f", float64(n)/10000)
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
		return s + "万元"
	}
	return fmt.Sprintf("%d元", n)
}

// PolicyService keeps the policy catalogue, enterprise tags and
// attributes, matching and redemption.
type PolicyService interface {
	FindPolicies(ctx context.Context, f PolicyFilter) ([]*Policy, error)
	FindPolicy(ctx context.Context, id int64) (*Policy, error)
	// CreatePolicy stores a draft.
	CreatePolicy(ctx context.Context, p *Policy) error
	// UpdatePolicy replaces a policy's fields when p.Version is current;
	// a published policy is matched again.
	UpdatePolicy(ctx context.Context, p *Policy) error
	// PublishPolicy publishes a draft once and matches it: every eligible
	// enterprise is matched once, and its users and linked cadres told.
	PublishPolicy(ctx context.Context, id int64, version int64) (*Policy, error)
	// Eligibility applies the policy to every enterprise, explaining each.
	Eligibility(ctx context.Context, id int64) ([]Eligibility, error)
	FindMatches(ctx context.Context, policyID, enterpriseID int64) ([]*PolicyMatch, error)

	FindTags(ctx context.Context) ([]*Tag, error)
	CreateTag(ctx context.Context, t *Tag) error
	DeleteTag(ctx context.Context, id int64) error
	// SetEnterpriseTags replaces an enterprise's tags by name; matching runs.
	SetEnterpriseTags(ctx context.Context, enterpriseID int64, names []string) error
	EnterpriseTags(ctx context.Context, enterpriseID int64) ([]*Tag, error)
	EnterpriseAttrs(ctx context.Context, enterpriseID int64) (*EnterpriseAttrs, error)
	// SetEnterpriseAttrs stores the attributes; matching runs.
	SetEnterpriseAttrs(ctx context.Context, x *EnterpriseAttrs) error
	// TaggedEnterprises returns the ids of enterprises carrying a tag.
	TaggedEnterprises(ctx context.Context, tagID int64) ([]int64, error)

	// Apply files an application (not for 免申即享 policies).
	Apply(ctx context.Context, in AppInput) (*PolicyApplication, error)
	FindApplication(ctx context.Context, id int64) (*PolicyApplication, error)
	FindApplications(ctx context.Context, f AppFilter) ([]*PolicyApplication, error)
	// StepApplication runs a handling department's step, once per version.
	StepApplication(ctx context.Context, id int64, s AppStep) (*PolicyApplication, error)
	PaidTotals(ctx context.Context) (*PaidTotals, error)

	// Profile is the enterprise's record (一企一档) for government users.
	Profile(ctx context.Context, enterpriseID int64) (*EnterpriseProfile, error)
	// Portal is what the enterprise's own users see on their home page.
	Portal(ctx context.Context) (*EnterprisePortal, error)
}

// ProfileCadre is a cadre linked to an enterprise, with how to reach them.
type ProfileCadre struct {
	UserID   int64    `json:"user_id"`
	Name     string   `json:"name"`
	Phone    string   `json:"phone"`
	DeptName string   `json:"dept_name"`
	Role     LinkRole `json:"role"`
	Since    string   `json:"since"`
}

// ProfileVisit is one logged visit with the checklist figures.
type ProfileVisit struct {
	ID        int64    `json:"id"`
	Date      string   `json:"date"`
	CadreName string   `json:"cadre_name"`
	Topics    string   `json:"topics"`
	OrdersPct *float64 `json:"orders_change_pct,omitempty"`
	Employees *int     `json:"employees,omitempty"`
	Financing string   `json:"financing,omitempty"`
}

// ProfileDemand is a demand and its outcome.
type ProfileDemand struct {
	ID       int64        `json:"id"`
	Title    string       `json:"title"`
	Status   DemandStatus `json:"status"`
	Open     bool         `json:"open"`
	Rating   string       `json:"rating,omitempty"`
	DeptName string       `json:"dept_name"`
	Created  time.Time    `json:"created_at"`
}

// ProfileItem is a short line of the profile: a red flag, a position,
// an intern, a project.
type ProfileItem struct {
	ID     int64  `json:"id"`
	Title  string `json:"title"`
	Detail string `json:"detail"`
	Status string `json:"status"`
}

// EnterpriseProfile is one enterprise's record (一企一档).
type EnterpriseProfile struct {
	Enterprise   *Enterprise          `json:"enterprise"`
	Attrs        *EnterpriseAttrs     `json:"attrs"`
	Tags         []*Tag               `json:"tags"`
	Cadres       []ProfileCadre       `json:"cadres"`
	Visits       []ProfileVisit       `json:"visits"`
	Demands      []ProfileDemand      `json:"demands"`
	RedFlags     []ProfileItem        `json:"red_flags"`
	Matches      []*PolicyMatch       `json:"policies_matched"`
	Applications []*PolicyApplication `json:"applications"`
	PaidTotal    int64                `json:"paid_total"`
	Positions    []ProfileItem        `json:"positions"`
	Interns      []ProfileItem        `json:"interns"`
	Projects     []ProfileItem        `json:"projects"`
}

// EnterprisePortal is the public part an enterprise's users see: their
// cadres, open demands and the policies they qualify for.
type EnterprisePortal struct {
	EnterpriseID   int64                `json:"enterprise_id"`
	EnterpriseName string               `json:"enterprise_name"`
	Cadres         []ProfileCadre       `json:"cadres"`
	OpenDemands    []ProfileDemand      `json:"open_demands"`
	Policies       []*PolicyMatch       `json:"policies"`
	Applications   []*PolicyApplication `json:"applications"`
}
