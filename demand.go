package zhagen

import (
	"context"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"zhagen/sla"
)

// DemandStatus is where a demand stands in its lifecycle (DESIGN.md §3).
type DemandStatus string

// Demand statuses.
const (
	DemandSubmitted  DemandStatus = "submitted"   // 待分派
	DemandAssigned   DemandStatus = "assigned"    // 待签收
	DemandReturned   DemandStatus = "returned"    // 已退回
	DemandAccepted   DemandStatus = "accepted"    // 已签收
	DemandInProgress DemandStatus = "in_progress" // 办理中
	DemandWaiting    DemandStatus = "waiting"     // 待企业补充 (SLA clock paused)
	DemandEscalated  DemandStatus = "escalated"   // 会商中
	DemandResolved   DemandStatus = "resolved"    // 已办结待评价
	DemandClosed     DemandStatus = "closed"      // 已关闭
	DemandWithdrawn  DemandStatus = "withdrawn"   // 已撤回
	DemandMerged     DemandStatus = "merged"      // 已合并
)

// DemandStatuses lists the statuses in lifecycle order.
var DemandStatuses = []DemandStatus{DemandSubmitted, DemandAssigned, DemandReturned, DemandAccepted, DemandInProgress,
	DemandWaiting, DemandEscalated, DemandResolved, DemandClosed, DemandWithdrawn, DemandMerged}

var demandStatusLabels = map[DemandStatus]string{
	DemandSubmitted: "待分派", DemandAssigned: "待签收", DemandReturned: "已退回", DemandAccepted: "已签收",
	DemandInProgress: "办理中", DemandWaiting: "待企业补充", DemandEscalated: "会商中", DemandResolved: "已办结待评价",
	DemandClosed: "已关闭", DemandWithdrawn: "已撤回", DemandMerged: "已合并",
}

// Label returns the Chinese name of the status.
func (s DemandStatus) Label() string { return demandStatusLabels[s] }

// Open reports whether the demand still needs work from a department.
func (s DemandStatus) Open() bool {
	switch s {
	case DemandResolved, DemandClosed, DemandWithdrawn, DemandMerged:
		return false
	}
	return true
}

// TakesFiles reports whether files may still be attached to a demand in
// this status: until it is closed, withdrawn or merged.
func (s DemandStatus) TakesFiles() bool {
	switch s {
	case DemandClosed, DemandWithdrawn, DemandMerged:
		return false
	}
	return true
}

// Channel is how a demand reached the zone.
type Channel string

// Intake channels.
const (
	ChannelVisit      Channel = "visit"      // 走访
	ChannelPortal     Channel = "portal"     // 企业门户
	ChannelDispatcher Channel = "dispatcher" // 指挥中心代录
	ChannelHotline    Channel = "hotline"    // 热线
	ChannelAPI        Channel = "api"        // 接口
	ChannelOpen311    Channel = "open311"    // Open311
	ChannelProject    Channel = "project"    // 重点项目问题
)

var channelLabels = map[Channel]string{ChannelVisit: "走访", ChannelPortal: "企业门户", ChannelDispatcher: "指挥中心代录",
	ChannelHotline: "热线", ChannelAPI: "接口", ChannelOpen311: "Open311", ChannelProject: "重点项目"}

// Channels lists the channels in display order.
var Channels = []Channel{ChannelPortal, ChannelVisit, ChannelDispatcher, ChannelHotline, ChannelAPI, ChannelOpen311, ChannelProject}

// Label returns the Chinese name of the channel.
func (c Channel) Label() string { return channelLabels[c] }

// Rating is an enterprise's verdict on a resolved demand.
type Rating string

// Ratings.
const (
	RatingSatisfied   Rating = "satisfied"   // 满意
	RatingBasically   Rating = "basically"   // 基本满意
	RatingUnsatisfied Rating = "unsatisfied" // 不满意
)

var ratingLabels = map[Rating]string{RatingSatisfied: "满意", RatingBasically: "基本满意", RatingUnsatisfied: "不满意"}

// Label returns the Chinese name of the rating.
func (r Rating) Label() string { return ratingLabels[r] }

// SLALevel is the warning state of a demand's clock: the working
// calendar's [sla.Level], which defines the names ("ok", "yellow", "red")
// and the Chinese labels (正常, 黄色预警, 红色预警（已超期）) once.
type SLALevel = sla.Level

// SLA levels.
const (
	SLAOK     = sla.OK     // 正常
	SLAYellow = sla.Yellow // 黄色预警: 75 % of the time used
	SLARed    = sla.Red    // 红色预警（已超期）: the due time has come
)

// Demand is what an enterprise needs, driven to an answer it rates.
type Demand struct {
	ID             int64        `json:"id"`
	EnterpriseID   int64        `json:"enterprise_id,omitempty"`
	EnterpriseName string       `json:"enterprise_name,omitempty"`
	SubmitterID    int64        `json:"submitter_id,omitempty"`
	SubmitterName  string       `json:"submitter_name"`
	ContactPhone   string       `json:"contact_phone,omitempty"`
	Channel        Channel      `json:"channel"`
	CategoryID     int64        `json:"category_id"`
	CategoryCode   string       `json:"category_code"`
	CategoryName   string       `json:"category_name"`
	Title          string       `json:"title"`
	Description    string       `json:"description"`
	Answers        Answers      `json:"answers"`
	Address        string       `json:"address,omitempty"`
	Lat            *float64     `json:"lat,omitempty"`
	Long           *float64     `json:"long,omitempty"`
	Priority       Priority     `json:"priority"`
	LeadDeptID     int64        `json:"lead_dept_id,omitempty"`
	LeadDeptName   string       `json:"lead_dept_name,omitempty"`
	CoopDeptIDs    []int64      `json:"coop_dept_ids"`
	CoopDeptNames  []string     `json:"coop_dept_names"`
	Status         DemandStatus `json:"status"`

	ResponseDue   *time.Time `json:"response_due,omitempty"`
	ResolutionDue *time.Time `json:"resolution_due,omitempty"`
	AssignedAt    *time.Time `json:"assigned_at,omitempty"`
	AcceptedAt    *time.Time `json:"accepted_at,omitempty"`
	ResolvedAt    *time.Time `json:"resolved_at,omitempty"`
	ClosedAt      *time.Time `json:"closed_at,omitempty"`
	PausedAt      *time.Time `json:"paused_at,omitempty"`
	SLALevel      SLALevel   `json:"sla_level"`
	// Light is the 亮灯 state at the time the demand was read (computed,
	// not stored): green, yellow or red with the limit and share used.
	Light Light `json:"light"`

	Resolution      string `json:"resolution,omitempty"`
	Rating          Rating `json:"rating,omitempty"`
	Solved          *bool  `json:"solved,omitempty"`
	RatingComment   string `json:"rating_comment,omitempty"`
	ReturnCount     int    `json:"return_count"`
	ReopenCount     int    `json:"reopen_count"`
	ExtensionDays   int    `json:"extension_days,omitempty"` // a pending request
	ExtensionReason string `json:"extension_reason,omitempty"`
	MasterID        int64  `json:"master_id,omitempty"`
	ConsultationID  int64  `json:"consultation_id,omitempty"`
	// ProjectID links a problem raised on a key project (channel "project").
	ProjectID int64 `json:"project_id,omitempty"`
	// Token is the Open311 token of a demand filed through Open311.
	Token string `json:"token,omitempty"`
	// USCC, when set on create by an intake channel, names the enterprise
	// the demand is about; an unknown code leaves the enterprise empty.
	USCC string `json:"-"`

	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// MaxDemandDescription is the longest description a demand may have, in
// characters.
const MaxDemandDescription = 4000

// ValidLat reports whether v is a latitude in decimal WGS84 degrees:
// finite and within ±90.
func ValidLat(v float64) bool {
	return !math.IsNaN(v) && !math.IsInf(v, 0) && v >= -90 && v <= 90
}

// ValidLong reports whether v is a longitude in decimal WGS84 degrees:
// finite and within ±180.
func ValidLong(v float64) bool {
	return !math.IsNaN(v) && !math.IsInf(v, 0) && v >= -180 && v <= 180
}

// Validate normalises and checks what a submitter typed.
func (d *Demand) Validate() error {
	var v Validation
	d.Title = strings.TrimSpace(d.Title)
	d.Description = strings.TrimSpace(d.Description)
	d.Address = strings.TrimSpace(d.Address)
	d.ContactPhone = strings.TrimSpace(d.ContactPhone)
	if d.Title == "" {
		v.Add("title", "请填写诉求标题")
	} else if utf8.RuneCountInString(d.Title) > 100 {
		v.Add("title", "诉求标题不能超过100个字")
	}
	if d.Description == "" {
		v.Add("description", "请描述诉求内容")
	} else if utf8.RuneCountInString(d.Description) > MaxDemandDescription {
		v.Add("description", "诉求内容不能超过4000个字")
	}
	if d.CategoryID == 0 {
		v.Add("category_id", "请选择诉求类别")
	}
	if d.Priority != "" && !d.Priority.Valid() {
		v.Add("priority", "优先级无效")
	}
	if channelLabels[d.Channel] == "" {
		v.Add("channel", "受理渠道无效")
	}
	if d.ContactPhone != "" {
		if msg := ValidatePhone(d.ContactPhone); msg != "" {
			v.Add("contact_phone", msg)
		}
	}
	if utf8.RuneCountInString(d.Address) > 200 {
		v.Add("address", "地址不能超过200个字")
	}
	if (d.Lat == nil) != (d.Long == nil) || (d.Lat != nil && (!ValidLat(*d.Lat) || !ValidLong(*d.Long))) {
		v.Add("lat", "经纬度无效")
	}
	return v.Err()
}

// DemandEvent is one step on a demand's timeline.
type DemandEvent struct {
	ID         int64        `json:"id"`
	DemandID   int64        `json:"demand_id"`
	ActorID    int64        `json:"actor_id,omitempty"`
	ActorName  string       `json:"actor_name"`
	ActorDept  string       `json:"actor_dept,omitempty"`
	Action     Action       `json:"action"`
	FromStatus DemandStatus `json:"from_status"`
	ToStatus   DemandStatus `json:"to_status"`
	Note       string       `json:"note,omitempty"`
	Public     bool         `json:"public"`
	At         time.Time    `json:"at"`
}

// DemandFilter selects demands; zero fields do not filter.
type DemandFilter struct {
	Query        string // title, description or enterprise name contains; or "#123"
	Statuses     []DemandStatus
	Open         *bool // only open (or only finished) demands
	CategoryID   int64
	DeptID       int64  // lead or cooperating department
	DeptRole     string // "lead" or "coop" narrows DeptID (and the staff inbox)
	EnterpriseID int64
	SubmitterID  int64 // filed by that user (a cadre's demands from visits)
	ProjectID    int64 // raised on a key project
	Level        SLALevel
	Channel      Channel
	From, To     *time.Time // created within
	IDs          []int64
	Token        string // Open311 token
	// PendingExtension selects demands with an extension request awaiting
	// the dispatcher.
	PendingExtension bool
	Sort             string // "due" (overdue first, default for inboxes), "-created" (newest, default), "created", "updated"
	Limit            int
	Offset           int
}

// Transition is one action on a demand with what it needs.
type Transition struct {
	Action       Action   `json:"action"`
	Version      int64    `json:"version,omitempty"` // optional optimistic check
	Note         string   `json:"note,omitempty"`
	Public       *bool    `json:"public,omitempty"` // for update: visible to the enterprise (default true)
	LeadDeptID   int64    `json:"lead_dept_id,omitempty"`
	CoopDeptIDs  []int64  `json:"coop_dept_ids,omitempty"`
	Priority     Priority `json:"priority,omitempty"`
	Days         int      `json:"days,omitempty"`    // extend: working days asked for
	Approve      *bool    `json:"approve,omitempty"` // approve_extension
	Rating       Rating   `json:"rating,omitempty"`
	Solved       *bool    `json:"solved,omitempty"`
	TargetID     int64    `json:"target_id,omitempty"` // merge: master; link: related demand
	Consultation string   `json:"consultation,omitempty"`
	Resolution   string   `json:"resolution,omitempty"`
	Supplement   string   `json:"supplement,omitempty"`
}

// DemandService runs the demand workflow within the caller's scope.
type DemandService interface {
	// CreateDemand validates d and its answers, routes it by the
	// category's rule and computes its due times. A non-empty
	// idempotencyKey returns the first demand created with that key by
	// the same caller.
	CreateDemand(ctx context.Context, d *Demand, idempotencyKey string) error
	// FindDemandByID returns ENOTFOUND outside the caller's scope.
	FindDemandByID(ctx context.Context, id int64) (*Demand, error)
	// FindDemands returns a page of demands in scope and their total.
	FindDemands(ctx context.Context, f DemandFilter) ([]*Demand, int, error)
	// CountDemands returns the total FindDemands would return for f,
	// without reading a page: the figures of a workbench card.
	CountDemands(ctx context.Context, f DemandFilter) (int, error)
	// EachDemand calls fn for every demand FindDemands would list for f
	// (scope, filters and order alike, no page), streaming: an export.
	EachDemand(ctx context.Context, f DemandFilter, fn func(*Demand) error) error
	// FindDemandEvents returns the timeline; enterprise users see only
	// public events.
	FindDemandEvents(ctx context.Context, id int64) ([]*DemandEvent, error)
	// LatestPublicNotes maps each demand of ids in the caller's scope to
	// the note of its newest public event with a note (latest time, then
	// highest id), trimmed: what the enterprise was last told. Demands
	// outside the scope, or without such a note, are absent.
	LatestPublicNotes(ctx context.Context, ids []int64) (map[int64]string, error)
	// FindLinkedDemands returns the demands linked to or merged into id.
	FindLinkedDemands(ctx context.Context, id int64) ([]*Demand, error)
	// Transition applies t: EFORBIDDEN when the caller's role or relation
	// to the demand does not allow it, ECONFLICT when the status does not
	// (or Version is stale), EINVALID when a needed field is missing.
	Transition(ctx context.Context, id int64, t Transition) (*Demand, error)
}

// DemandSorts are the sort keys a demand list takes ("" is the default).
var DemandSorts = []string{"-created", "created", "due", "updated"}

// CheckFilter refuses the filter values no list knows: an SLA level,
// channel, department role or sort outside their sets. A filter that
// selects by a value nothing can hold would answer an empty list and
// hide the caller's typo.
func (f DemandFilter) CheckFilter() error {
	bad := func(field, msg string) error { return &Error{Code: EBADREQUEST, Field: field, Message: msg} }
	switch {
	case f.Level != "" && f.Level.Label() == "":
		return bad("level", "未知的时限状态："+string(f.Level)+"（可选 ok、yellow、red）")
	case f.Channel != "" && f.Channel.Label() == "":
		return bad("channel", "未知的渠道："+string(f.Channel))
	case f.DeptRole != "" && f.DeptRole != "lead" && f.DeptRole != "coop":
		return bad("dept_role", "dept_role 须为 lead 或 coop")
	case f.Sort != "" && !slices.Contains(DemandSorts, f.Sort):
		return bad("sort", "sort 须为 -created、created、due 或 updated")
	}
	for _, s := range f.Statuses {
		if s.Label() == "" {
			return bad("status", "未知状态："+string(s))
		}
	}
	return nil
}
