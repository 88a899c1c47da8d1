package zhagen

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// ProjectLevel is the tier that lists a key project.
type ProjectLevel string

// Project levels.
const (
	LevelProvincial ProjectLevel = "provincial" // 省重点
	LevelMunicipal  ProjectLevel = "municipal"  // 市重点
	LevelDistrict   ProjectLevel = "district"   // 区重点
)

// ProjectLevels lists the levels in display order.
var ProjectLevels = []ProjectLevel{LevelProvincial, LevelMunicipal, LevelDistrict}

var projectLevelLabels = map[ProjectLevel]string{LevelProvincial: "省重点", LevelMunicipal: "市重点", LevelDistrict: "区重点"}

// Label returns the Chinese name of the level.
func (l ProjectLevel) Label() string { return projectLevelLabels[l] }

// ProjectStatus is the construction stage of a project.
type ProjectStatus string

// Project stages.
const (
	ProjectPrep        ProjectStatus = "prep"         // 前期
	ProjectBuilding    ProjectStatus = "building"     // 在建
	ProjectNearlyDone  ProjectStatus = "nearly_done"  // 基本竣工
	ProjectFitOut      ProjectStatus = "fit_out"      // 装修
	ProjectCompleted   ProjectStatus = "completed"    // 竣工
	ProjectInOperation ProjectStatus = "in_operation" // 投用
)

// ProjectStatuses lists the stages in order.
var ProjectStatuses = []ProjectStatus{ProjectPrep, ProjectBuilding, ProjectNearlyDone, ProjectFitOut, ProjectCompleted, ProjectInOperation}

var projectStatusLabels = map[ProjectStatus]string{ProjectPrep: "前期", ProjectBuilding: "在建", ProjectNearlyDone: "基本竣工",
	ProjectFitOut: "装修", ProjectCompleted: "竣工", ProjectInOperation: "投用"}

// Label returns the Chinese name of the stage.
func (s ProjectStatus) Label() string { return projectStatusLabels[s] }

// Project is a key project (重点项目) with its point-to-point liaison.
type Project struct {
	ID                  int64         `json:"id"`
	Name                string        `json:"name"`
	Level               ProjectLevel  `json:"level"`
	OwnerEnterpriseID   int64         `json:"owner_enterprise_id,omitempty"`
	OwnerEnterpriseName string        `json:"owner_enterprise_name,omitempty"`
	OwnerDeptID         int64         `json:"owner_dept_id,omitempty"` // e.g. the zone's investment holding company
	OwnerDeptName       string        `json:"owner_dept_name,omitempty"`
	Industry            string        `json:"industry"`
	Investment          float64       `json:"investment"` // 万元
	Area                string        `json:"area"`
	Building            string        `json:"building"`
	LiaisonID           int64         `json:"liaison_id,omitempty"` // 点对点 cadre
	LiaisonName         string        `json:"liaison_name,omitempty"`
	Status              ProjectStatus `json:"status"`
	Description         string        `json:"description"`
	Version             int64         `json:"version"`
	CreatedAt           time.Time     `json:"created_at"`
	UpdatedAt           time.Time     `json:"updated_at"`

	// Read-only summaries.
	Progress      int `json:"progress"`       // mean milestone progress, %
	Behind        int `json:"behind"`         // milestones behind plan
	OpenApprovals int `json:"open_approvals"` // approvals not yet decided
}

// Owner names the owner of the project.
func (p *Project) Owner() string {
	if p.OwnerEnterpriseName != "" {
		return p.OwnerEnterpriseName
	}
	return p.OwnerDeptName
}

// Validate normalises and checks a project.
func (p *Project) Validate() error {
	var v Validation
	p.Name, p.Industry, p.Area, p.Building = strings.TrimSpace(p.Name), strings.TrimSpace(p.Industry), strings.TrimSpace(p.Area), strings.TrimSpace(p.Building)
	p.Description = strings.TrimSpace(p.Description)
	if p.Name == "" {
		v.Add("name", "请填写项目名称")
	}
	checkLen(&v, "name", "项目名称", p.Name, 100)
	if projectLevelLabels[p.Level] == "" {
		v.Add("level", "请选择项目级别")
	}
	if (p.OwnerEnterpriseID == 0) == (p.OwnerDeptID == 0) {
		v.Add("owner", "请选择业主单位（企业或区属国企，二选一）")
	}
	if p.Investment < 0 || p.Investment > 1e9 {
		v.Add("investment", "总投资须为0–10亿万元")
	}
	checkLen(&v, "industry", "行业", p.Industry, 40)
	checkLen(&v, "area", "片区", p.Area, 40)
	checkLen(&v, "building", "楼栋", p.Building, 40)
	checkLen(&v, "description", "项目简介", p.Description, 4000)
	if p.Status == "" {
		p.Status = ProjectPrep
	}
	if projectStatusLabels[p.Status] == "" {
		v.Add("status", "项目阶段无效")
	}
	return v.Err()
}

// Milestone is a phase or milestone of a project with its plan and actuals.
type Milestone struct {
	ID           int64      `json:"id"`
	ProjectID    int64      `json:"project_id"`
	ProjectName  string     `json:"project_name,omitempty"`
	Phase        string     `json:"phase"`
	Name         string     `json:"name"`
	PlannedStart time.Time  `json:"planned_start"`
	PlannedEnd   time.Time  `json:"planned_end"`
	ActualStart  *time.Time `json:"actual_start,omitempty"`
	ActualEnd    *time.Time `json:"actual_end,omitempty"`
	Progress     int        `json:"progress"` // 0–100
	Behind       bool       `json:"behind"`   // computed: past the planned end and not finished
	Version      int64      `json:"version"`
}

// Validate checks a milestone.
func (m *Milestone) Validate() error {
	var v Validation
	m.Phase, m.Name = strings.TrimSpace(m.Phase), strings.TrimSpace(m.Name)
	if m.Name == "" {
		v.Add("name", "请填写节点名称")
	}
	checkLen(&v, "name", "节点名称", m.Name, 100)
	checkLen(&v, "phase", "阶段", m.Phase, 40)
	if m.PlannedStart.IsZero() {
		v.Add("planned_start", "请填写计划开始日期")
	}
	if m.PlannedEnd.IsZero() {
		v.Add("planned_end", "请填写计划完成日期")
	} else if m.PlannedEnd.Before(m.PlannedStart) {
		v.Add("planned_end", "计划完成日期不能早于计划开始日期")
	}
	if m.ActualEnd != nil && m.ActualStart != nil && m.ActualEnd.Before(*m.ActualStart) {
		v.Add("actual_end", "实际完成日期不能早于实际开始日期")
	}
	if m.Progress < 0 || m.Progress > 100 {
		v.Add("progress", "进度须为0–100")
	}
	if m.ActualEnd != nil {
		m.Progress = 100
	}
	return v.Err()
}

// BehindAt reports whether the milestone is behind plan at now: not
// finished a day after its planned end.
func (m *Milestone) BehindAt(now time.Time) bool {
	return m.ActualEnd == nil && now.After(m.PlannedEnd.Add(24*time.Hour))
}

// ApprovalKind is the kind of an administrative approval of a project.
type ApprovalKind string

// Approval kinds.
const (
	ApprovalProject      ApprovalKind = "project_approval"    // 立项
	ApprovalPlanning     ApprovalKind = "planning_permit"     // 规划许可
	ApprovalConstruction ApprovalKind = "construction_permit" // 施工许可
	ApprovalChange       ApprovalKind = "plan_change"         // 总评变更
	ApprovalPlanAccept   ApprovalKind = "planning_acceptance" // 规划验收
	ApprovalFireAccept   ApprovalKind = "fire_acceptance"     // 消防验收
	ApprovalCompletion   ApprovalKind = "completion"          // 竣工验收
	ApprovalStaged       ApprovalKind = "staged_acceptance"   // 分阶段验收
)

// ApprovalKinds lists the kinds in order.
var ApprovalKinds = []ApprovalKind{ApprovalProject, ApprovalPlanning, ApprovalConstruction, ApprovalChange, ApprovalPlanAccept, ApprovalFireAccept, ApprovalCompletion, ApprovalStaged}

var approvalKindLabels = map[ApprovalKind]string{ApprovalProject: "立项", ApprovalPlanning: "规划许可", ApprovalConstruction: "施工许可",
	ApprovalChange: "总评变更", ApprovalPlanAccept: "规划验收", ApprovalFireAccept: "消防验收", ApprovalCompletion: "竣工验收", ApprovalStaged: "分阶段验收"}

// Label returns the Chinese name of the kind.
func (k ApprovalKind) Label() string { return approvalKindLabels[k] }

// ApprovalStatus is where an approval stands.
type ApprovalStatus string

// Approval statuses.
const (
	ApprovalSubmitted ApprovalStatus = "submitted" // 已申报
	ApprovalAccepted  ApprovalStatus = "accepted"  // 已受理
	ApprovalApproved  ApprovalStatus = "approved"  // 已通过
	ApprovalRejected  ApprovalStatus = "rejected"  // 未通过
	ApprovalWithdrawn ApprovalStatus = "withdrawn" // 已撤回
)

// ApprovalStatuses lists the statuses in order.
var ApprovalStatuses = []ApprovalStatus{ApprovalSubmitted, ApprovalAccepted, ApprovalApproved, ApprovalRejected, ApprovalWithdrawn}

var approvalStatusLabels = map[ApprovalStatus]string{ApprovalSubmitted: "已申报", ApprovalAccepted: "已受理", ApprovalApproved: "已通过",
	ApprovalRejected: "未通过", ApprovalWithdrawn: "已撤回"}

// Label returns the Chinese name of the status.
func (s ApprovalStatus) Label() string { return approvalStatusLabels[s] }

// Waiting reports whether the approval still waits on its department.
func (s ApprovalStatus) Waiting() bool { return s == ApprovalSubmitted || s == ApprovalAccepted }

// Approval is an administrative approval a project waits on; several run
// in parallel.
type Approval struct {
	ID          int64          `json:"id"`
	ProjectID   int64          `json:"project_id"`
	ProjectName string         `json:"project_name,omitempty"`
	Kind        ApprovalKind   `json:"kind"`
	Part        string         `json:"part,omitempty"` // the part of the works, for staged acceptance
	DeptID      int64          `json:"dept_id"`
	DeptName    string         `json:"dept_name"`
	Status      ApprovalStatus `json:"status"`
	SubmittedAt time.Time      `json:"submitted_at"`
	AcceptedAt  *time.Time     `json:"accepted_at,omitempty"`
	DecidedAt   *time.Time     `json:"decided_at,omitempty"`
	Note        string         `json:"note,omitempty"`
	// Opinion (审批意见) and DocNo (批复文号, only when approved) are
	// the approving department's decision.
	Opinion string `json:"opinion,omitempty"`
	DocNo   string `json:"doc_no,omitempty"`
	// WaitDays is the working days from submission to decision (or now);
	// Wait is the same time in whole working days and hours, as shown.
	WaitDays  float64   `json:"wait_days"`
	Wait      WorkSpan  `json:"wait"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
}

// WorkSpan is working time as people read it: whole working days and
// the working hours beyond them ("2天6小时", never "2.8").
type WorkSpan struct {
	Days  int `json:"days"`
	Hours int `json:"hours"`
}

// NewWorkSpan splits working time d into days of dayLen (the working
// time of one working day) and whole hours, rounded down.
func NewWorkSpan(d, dayLen time.Duration) WorkSpan {
	if d <= 0 || dayLen <= 0 {
		return WorkSpan{}
	}
	return WorkSpan{Days: int(d / dayLen), Hours: int(d % dayLen / time.Hour)}
}

// Label is the span in Chinese: "2天6小时", "3天", "5小时", "不足1小时".
func (w WorkSpan) Label() string {
	switch {
	case w.Days > 0 && w.Hours > 0:
		return fmt.Sprintf("%d天%d小时", w.Days, w.Hours)
	case w.Days > 0:
		return fmt.Sprintf("%d天", w.Days)
	case w.Hours > 0:
		return fmt.Sprintf("%d小时", w.Hours)
	}
	return "不足1小时"
}

// Validate checks an approval before it is filed.
func (a *Approval) Validate() error {
	var v Validation
	a.Part, a.Note = strings.TrimSpace(a.Part), strings.TrimSpace(a.Note)
	if approvalKindLabels[a.Kind] == "" {
		v.Add("kind", "请选择审批事项")
	}
	if a.Kind == ApprovalStaged && a.Part == "" {
		v.Add("part", "分阶段验收请填写验收部位")
	}
	checkLen(&v, "part", "验收部位", a.Part, 100)
	checkLen(&v, "note", "备注", a.Note, 2000)
	if a.DeptID == 0 {
		v.Add("dept_id", "请选择审批部门")
	}
	return v.Err()
}

// ApprovalStep moves an approval: "accept" (受理), "approve", "reject" or
// "withdraw". A decision (approve, reject) carries the approving
// department's Opinion (审批意见) and, when approved, the DocNo of its
// reply (批复文号): see ValidateDecision.
type ApprovalStep struct {
	Action  string `json:"action"`
	Version int64  `json:"version,omitempty"`
	Note    string `json:"note,omitempty"`
	Opinion string `json:"opinion,omitempty"`
	DocNo   string `json:"doc_no,omitempty"`
	// At records a step taken earlier (not before the submission, not in
	// the future); nil means now.
	At *time.Time `json:"at,omitempty"`
}

// ValidateDecision checks a decision's record, trimmed: the opinion is
// required, and so is the document number when the approval is
// approved; a rejection carries no document number.
func (st *ApprovalStep) ValidateDecision() error {
	var v Validation
	st.Opinion, st.DocNo = strings.TrimSpace(st.Opinion), strings.TrimSpace(st.DocNo)
	if st.Opinion == "" {
		if st.Action == "reject" {
			v.Add("opinion", "请填写审批意见（不予通过的理由）")
		} else {
			v.Add("opinion", "请填写审批意见")
		}
	}
	checkLen(&v, "opinion", "审批意见", st.Opinion, 2000)
	if st.Action == "approve" && st.DocNo == "" {
		v.Add("doc_no", "审批通过须填写批复文号")
	}
	if st.Action == "reject" {
		st.DocNo = ""
	}
	checkLen(&v, "doc_no", "批复文号", st.DocNo, 100)
	return v.Err()
}

// ApprovalDecisionText is how a decision reads in the operation log:
// "审批意见：…；批复文号：…".
func ApprovalDecisionText(opinion, docNo string) string {
	t := "审批意见：" + opinion
	if docNo != "" {
		t += "；批复文号：" + docNo
	}
	return t
}

// ProjectFilter selects projects.
type ProjectFilter struct {
	Query  string
	Level  ProjectLevel
	Status ProjectStatus
	Behind bool   // only projects with milestones behind plan
	Sort   string // a key of ProjectSorts, "-" first for descending; default by id
	Limit  int
	Offset int
}

// ProjectSorts maps the accepted sort keys of projects to their columns.
var ProjectSorts = map[string]string{"name": "p.name", "level": "p.level", "status": "p.status", "investment": "p.investment", "created": "p.id"}

// ApprovalFilter selects approvals.
type ApprovalFilter struct {
	ProjectID int64
	DeptID    int64
	Waiting   bool
	Limit     int
	Offset    int
}

// DeptCount is a number per department, for overview charts.
type DeptCount struct {
	DeptID   int64   `json:"dept_id"`
	DeptName string  `json:"dept_name"`
	Count    int     `json:"count"`
	MaxDays  float64 `json:"max_days,omitempty"`
}

// ProjectOverview is what the dispatcher and leaders watch.
type ProjectOverview struct {
	Behind          []*Milestone    `json:"behind"`
	LongestWaits    []*Approval     `json:"longest_waits"`
	WaitsByDept     []DeptCount     `json:"waits_by_dept"`
	OpenItemsByDept []DeptCount     `json:"open_items_by_dept"`
	Upcoming        []*Consultation `json:"upcoming"`
}

// ProjectService keeps key projects, their milestones and approvals.
// Government roles read every project; enterprise users only their own.
type ProjectService interface {
	CreateProject(ctx context.Context, p *Project) error
	FindProjectByID(ctx context.Context, id int64) (*Project, error)
	FindProjects(ctx context.Context, f ProjectFilter) ([]*Project, int, error)
	UpdateProject(ctx context.Context, p *Project) error
	FindMilestones(ctx context.Context, projectID int64) ([]*Milestone, error)
	// SaveMilestone creates (ID 0) or updates a milestone.
	SaveMilestone(ctx context.Context, m *Milestone) error
	// FindApprovals lists approvals: staff see those their department
	// decides (or, for the owner's department, its own project's).
	FindApprovals(ctx context.Context, f ApprovalFilter) ([]*Approval, int, error)
	FindApprovalByID(ctx context.Context, id int64) (*Approval, error)
	// FileApproval files an approval for a project (owner, liaison, dispatcher).
	FileApproval(ctx context.Context, a *Approval) error
	// StepApproval accepts or decides an approval (staff of its
	// department itself, nobody else) or withdraws it (owner, dispatcher).
	StepApproval(ctx context.Context, id int64, s ApprovalStep) (*Approval, error)
	// UrgeApproval reminds the approving department of a waiting
	// approval (催办; the command centre), with an optional note.
	UrgeApproval(ctx context.Context, id int64, note string) error
	Overview(ctx context.Context) (*ProjectOverview, error)
}
