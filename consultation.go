package zhagen

import (
	"context"
	"strings"
	"time"
)

// ConsultationKind is the kind of a joint meeting (DESIGN.md §3).
type ConsultationKind string

// Consultation kinds.
const (
	KindJoint         ConsultationKind = "joint"          // 联合会诊
	KindOneEnterprise ConsultationKind = "one_enterprise" // 一企一议
	KindProjectCoord  ConsultationKind = "project_coord"  // 项目协调推进会
	KindTopic         ConsultationKind = "topic"          // 专题会
)

// ConsultationKinds lists the kinds in display order.
var ConsultationKinds = []ConsultationKind{KindJoint, KindOneEnterprise, KindProjectCoord, KindTopic}

var consultationKindLabels = map[ConsultationKind]string{KindJoint: "联合会诊", KindOneEnterprise: "一企一议", KindProjectCoord: "项目协调推进会", KindTopic: "专题会"}

// Label returns the Chinese name of the kind.
func (k ConsultationKind) Label() string { return consultationKindLabels[k] }

// ConsultationStatus is where a meeting stands.
type ConsultationStatus string

// Consultation statuses.
const (
	ConsultPlanned   ConsultationStatus = "planned"   // 待召开
	ConsultHeld      ConsultationStatus = "held"      // 已召开
	ConsultClosed    ConsultationStatus = "closed"    // 已办结
	ConsultCancelled ConsultationStatus = "cancelled" // 已取消
)

// ConsultationStatuses lists the statuses in order.
var ConsultationStatuses = []ConsultationStatus{ConsultPlanned, ConsultHeld, ConsultClosed, ConsultCancelled}

var consultationStatusLabels = map[ConsultationStatus]string{ConsultPlanned: "待召开", ConsultHeld: "已召开", ConsultClosed: "已办结", ConsultCancelled: "已取消"}

// Label returns the Chinese name of the status.
func (s ConsultationStatus) Label() string { return consultationStatusLabels[s] }

// Attendance is an invitee's answer to an invitation.
type Attendance string

// Attendance answers.
const (
	AttendPending  Attendance = "pending"  // 待确认
	AttendYes      Attendance = "yes"      // 确认参会
	AttendDeclined Attendance = "declined" // 请假
)

var attendanceLabels = map[Attendance]string{AttendPending: "待确认", AttendYes: "确认参会", AttendDeclined: "请假"}

// Label returns the Chinese name of the answer.
func (a Attendance) Label() string { return attendanceLabels[a] }

// Invitee is a department or person invited to a consultation.
type Invitee struct {
	ID         int64      `json:"id"`
	DeptID     int64      `json:"dept_id,omitempty"`
	DeptName   string     `json:"dept_name,omitempty"`
	UserID     int64      `json:"user_id,omitempty"`
	UserName   string     `json:"user_name,omitempty"`
	Attendance Attendance `json:"attendance"`
	AnsweredBy string     `json:"answered_by,omitempty"`
	AnsweredAt *time.Time `json:"answered_at,omitempty"`
}

// Consultation is a meeting record: a joint consultation (联合会诊), a
// one-enterprise-one-policy meeting (一企一议), a project coordination
// meeting (项目协调推进会) or a topical meeting.
type Consultation struct {
	ID           int64              `json:"id"`
	Kind         ConsultationKind   `json:"kind"`
	Title        string             `json:"title"`
	Status       ConsultationStatus `json:"status"`
	StartsAt     *time.Time         `json:"starts_at,omitempty"`
	Place        string             `json:"place"`
	ConvenerID   int64              `json:"convener_id,omitempty"`
	ConvenerName string             `json:"convener_name"`
	ConvenerDept int64              `json:"convener_dept_id,omitempty"`
	ProjectID    int64              `json:"project_id,omitempty"`
	ProjectName  string             `json:"project_name,omitempty"`
	DemandIDs    []int64            `json:"demand_ids"`
	Agenda       string             `json:"agenda"`
	Minutes      string             `json:"minutes"`
	Decisions    string             `json:"decisions"`
	// InviteDeptIDs and InviteUserIDs are read on create only.
	InviteDeptIDs []int64       `json:"invite_dept_ids,omitempty"`
	InviteUserIDs []int64       `json:"invite_user_ids,omitempty"`
	Invitees      []*Invitee    `json:"invitees"`
	Items         []*ActionItem `json:"action_items"`
	OpenItems     int           `json:"open_items"`
	Version       int64         `json:"version"`
	CreatedAt     time.Time     `json:"created_at"`
	UpdatedAt     time.Time     `json:"updated_at"`
}

// Validate normalises and checks a consultation.
func (c *Consultation) Validate() error {
	var v Validation
	c.Title, c.Place = strings.TrimSpace(c.Title), strings.TrimSpace(c.Place)
	c.Agenda, c.Minutes, c.Decisions = strings.TrimSpace(c.Agenda), strings.TrimSpace(c.Minutes), strings.TrimSpace(c.Decisions)
	if consultationKindLabels[c.Kind] == "" {
		v.Add("kind", "请选择会议类型")
	}
	if c.Title == "" {
		v.Add("title", "请填写会议议题")
	}
	checkLen(&v, "title", "会议议题", c.Title, 200)
	checkLen(&v, "place", "会议地点", c.Place, 100)
	checkLen(&v, "agenda", "议程", c.Agenda, 4000)
	checkLen(&v, "minutes", "会议纪要", c.Minutes, 20000)
	checkLen(&v, "decisions", "会议决定", c.Decisions, 8000)
	if c.Status != "" && consultationStatusLabels[c.Status] == "" {
		v.Add("status", "会议状态无效")
	}
	return v.Err()
}

// ConsultationUpdate changes a consultation; nil fields stay.
type ConsultationUpdate struct {
	Version   int64               `json:"version"`
	Title     *string             `json:"title,omitempty"`
	Status    *ConsultationStatus `json:"status,omitempty"`
	StartsAt  *time.Time          `json:"starts_at,omitempty"`
	Place     *string             `json:"place,omitempty"`
	ProjectID *int64              `json:"project_id,omitempty"`
	Agenda    *string             `json:"agenda,omitempty"`
	Minutes   *string             `json:"minutes,omitempty"`
	Decisions *string             `json:"decisions,omitempty"`
	// AddDemandIDs links more demands; AddDeptIDs and AddUserIDs invite more.
	AddDemandIDs []int64 `json:"add_demand_ids,omitempty"`
	AddDeptIDs   []int64 `json:"add_dept_ids,omitempty"`
	AddUserIDs   []int64 `json:"add_user_ids,omitempty"`
}

// ConsultationFilter selects consultations; zero fields do not filter.
type ConsultationFilter struct {
	Query     string
	Kind      ConsultationKind
	Status    ConsultationStatus
	ProjectID int64
	DemandID  int64
	Upcoming  bool // planned, starting now or later
	Limit     int
	Offset    int
}

// ActionItemStatus is where an action item stands. Overdue is computed on
// read: an open item past its due time is reported overdue.
type ActionItemStatus string

// Action item statuses.
const (
	ItemOpen      ActionItemStatus = "open"      // 办理中
	ItemDone      ActionItemStatus = "done"      // 已完成
	ItemOverdue   ActionItemStatus = "overdue"   // 已逾期
	ItemCancelled ActionItemStatus = "cancelled" // 已取消
)

// ActionItemStatuses lists the statuses in order.
var ActionItemStatuses = []ActionItemStatus{ItemOpen, ItemOverdue, ItemDone, ItemCancelled}

var itemStatusLabels = map[ActionItemStatus]string{ItemOpen: "办理中", ItemDone: "已完成", ItemOverdue: "已逾期", ItemCancelled: "已取消"}

// Label returns the Chinese name of the status.
func (s ActionItemStatus) Label() string { return itemStatusLabels[s] }

// Pending reports whether the item still needs work (open or overdue).
func (s ActionItemStatus) Pending() bool { return s == ItemOpen || s == ItemOverdue }

// ActionItem is a task a consultation gives a department.
type ActionItem struct {
	ID                int64  `json:"id"`
	ConsultationID    int64  `json:"consultation_id"`
	ConsultationTitle string `json:"consultation_title,omitempty"`
	Title             string `json:"title"`
	OwnerDeptID       int64  `json:"owner_dept_id"`
	OwnerDeptName     string `json:"owner_dept_name"`
	AssigneeID        int64  `json:"assignee_id,omitempty"`
	AssigneeName      string `json:"assignee_name,omitempty"`
	// DueDays, on create, sets DueAt that many working days after the
	// meeting's start (after now when the meeting has no time set).
	DueDays  int              `json:"due_days,omitempty"`
	DueAt    time.Time        `json:"due_at"`
	Status   ActionItemStatus `json:"status"`
	Evidence string           `json:"evidence,omitempty"`
	// EvidenceFile names the item's newest file, EvidenceFileID is its id
	// (see FileService).
	EvidenceFile   string     `json:"evidence_file,omitempty"`
	EvidenceFileID int64      `json:"evidence_file_id,omitempty"`
	DoneAt         *time.Time `json:"done_at,omitempty"`
	DoneBy         string     `json:"done_by,omitempty"`
	Version        int64      `json:"version"`
	CreatedAt      time.Time  `json:"created_at"`
}

// Validate checks an action item before it is stored.
func (i *ActionItem) Validate() error {
	var v Validation
	i.Title = strings.TrimSpace(i.Title)
	if i.Title == "" {
		v.Add("title", "请填写事项内容")
	}
	checkLen(&v, "title", "事项内容", i.Title, 300)
	if i.OwnerDeptID == 0 {
		v.Add("owner_dept_id", "请选择责任部门")
	}
	if i.DueDays == 0 && i.DueAt.IsZero() {
		v.Add("due_days", "请填写办理时限（工作日）")
	} else if i.DueDays < 0 || i.DueDays > 250 {
		v.Add("due_days", "办理时限须为1–250个工作日")
	}
	return v.Err()
}

// ActionItemFilter selects action items; zero fields do not filter.
type ActionItemFilter struct {
	ConsultationID int64
	DeptID         int64 // owner department (or below)
	DemandID       int64 // items of the consultations linked to a demand
	ProjectID      int64
	Status         ActionItemStatus // "overdue" selects open items past due
	Pending        bool             // open or overdue
	Limit          int
	Offset         int
}

// ItemCompletion closes an action item with its evidence.
type ItemCompletion struct {
	Version  int64  `json:"version,omitempty"`
	Note     string `json:"note"`
	FileName string `json:"file_name,omitempty"`
	File     []byte `json:"file,omitempty"`
}

// ConsultationService records meetings and tracks their action items
// within the caller's scope: administrators, dispatchers and leaders see
// all; department staff the meetings their department convenes, is invited
// to or owns items of, and the action items their department owns.
type ConsultationService interface {
	// CreateConsultation stores c with its invitations and notifies the
	// invitees (dispatchers, administrators and department staff).
	CreateConsultation(ctx context.Context, c *Consultation) error
	// FindConsultationByID returns ENOTFOUND outside the caller's scope.
	FindConsultationByID(ctx context.Context, id int64) (*Consultation, error)
	FindConsultations(ctx context.Context, f ConsultationFilter) ([]*Consultation, int, error)
	// UpdateConsultation applies u; a stale Version is ECONFLICT.
	UpdateConsultation(ctx context.Context, id int64, u ConsultationUpdate) (*Consultation, error)
	// ConfirmAttendance answers the caller's invitation (their own or their
	// department's).
	ConfirmAttendance(ctx context.Context, consultationID int64, a Attendance) error
	// AddActionItem adds an item to a consultation; DueDays counts working days.
	AddActionItem(ctx context.Context, item *ActionItem) error
	FindActionItemByID(ctx context.Context, id int64) (*ActionItem, error)
	FindActionItems(ctx context.Context, f ActionItemFilter) ([]*ActionItem, int, error)
	// CompleteActionItem marks an item done with a note and an optional
	// evidence file (checked with CheckFile and stored with the item's
	// files); staff of the owner department or the dispatcher.
	CompleteActionItem(ctx context.Context, id int64, c ItemCompletion) (*ActionItem, error)
	// CancelActionItem cancels an item with a reason (dispatcher or convener).
	CancelActionItem(ctx context.Context, id int64, reason string) (*ActionItem, error)
}
