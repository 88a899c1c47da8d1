package zhagen

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// EnterpriseStatus is the business status of an enterprise.
type EnterpriseStatus string

// Enterprise statuses.
const (
	EntPreparing EnterpriseStatus = "preparing" // 筹建
	EntOperating EnterpriseStatus = "operating" // 在营
	EntSuspended EnterpriseStatus = "suspended" // 停产
	EntClosed    EnterpriseStatus = "closed"    // 注销
)

// EnterpriseStatuses lists the statuses in display order.
var EnterpriseStatuses = []EnterpriseStatus{EntOperating, EntPreparing, EntSuspended, EntClosed}

var entStatusLabels = map[EnterpriseStatus]string{EntPreparing: "筹建", EntOperating: "在营", EntSuspended: "停产", EntClosed: "注销"}

// Label returns the Chinese name of the status.
func (s EnterpriseStatus) Label() string { return entStatusLabels[s] }

// Contact is a person at an enterprise.
type Contact struct {
	Name  string `json:"name"`
	Title string `json:"title,omitempty"`
	Phone string `json:"phone,omitempty"`
}

// Enterprise is a company in the zone.
type Enterprise struct {
	ID        int64            `json:"id"`
	Name      string           `json:"name"`
	USCC      string           `json:"uscc"`
	Industry  string           `json:"industry"`
	IsKey     bool             `json:"is_key"`
	Park      string           `json:"park"`
	Address   string           `json:"address"`
	LegalRep  string           `json:"legal_rep"`
	Contacts  []Contact        `json:"contacts"`
	Status    EnterpriseStatus `json:"status"`
	Archived  bool             `json:"archived"`
	Version   int64            `json:"version"`
	CreatedAt time.Time        `json:"created_at"`
	UpdatedAt time.Time        `json:"updated_at"`
}

// Validate normalises and checks the enterprise's fields. Whether the
// industry is on the list is checked by the store.
func (e *Enterprise) Validate() error {
	var v Validation
	e.Name = strings.TrimSpace(e.Name)
	e.USCC = NormalizeUSCC(e.USCC)
	e.Park = strings.TrimSpace(e.Park)
	e.Address = strings.TrimSpace(e.Address)
	e.LegalRep = strings.TrimSpace(e.LegalRep)
	if e.Status == "" {
		e.Status = EntOperating
	}
	if e.Name == "" {
		v.Add("name", "请填写企业名称")
	} else if utf8.RuneCountInString(e.Name) > 100 {
		v.Add("name", "企业名称不能超过100个字")
	}
	if msg := ValidateUSCC(e.USCC); msg != "" {
		v.Add("uscc", msg)
	}
	if strings.TrimSpace(e.Industry) == "" {
		v.Add("industry", "请选择所属行业")
	}
	if utf8.RuneCountInString(e.Park) > 40 {
		v.Add("park", "园区名称不能超过40个字")
	}
	if utf8.RuneCountInString(e.Address) > 200 {
		v.Add("address", "地址不能超过200个字")
	}
	if utf8.RuneCountInString(e.LegalRep) > 40 {
		v.Add("legal_rep", "法定代表人姓名不能超过40个字")
	}
	if _, ok := entStatusLabels[e.Status]; !ok {
		v.Add("status", "企业状态无效")
	}
	var contacts []Contact
	for _, c := range e.Contacts {
		c.Name, c.Title, c.Phone = strings.TrimSpace(c.Name), strings.TrimSpace(c.Title), strings.TrimSpace(c.Phone)
		if c.Name == "" && c.Phone == "" && c.Title == "" {
			continue
		}
		if c.Name == "" {
			v.Add("contacts", "联系人须填写姓名")
		}
		if c.Phone != "" {
			if msg := ValidatePhone(c.Phone); msg != "" {
				v.Add("contacts", "联系人"+msg)
			}
		}
		contacts = append(contacts, c)
	}
	if len(contacts) > 10 {
		v.Add("contacts", "联系人最多10位")
	}
	if contacts == nil {
		contacts = []Contact{}
	}
	e.Contacts = contacts
	return v.Err()
}

// EnterpriseFilter selects enterprises; zero fields do not filter.
type EnterpriseFilter struct {
	Query           string // name or USCC contains
	Industry        string
	Park            string
	IsKey           *bool
	Status          EnterpriseStatus
	IncludeArchived bool
	Linked          bool   // only the enterprises the caller is linked to as a cadre
	TagID           int64  // only the enterprises carrying the tag (企业标签)
	Sort            string // name, -name, created_at, -created_at, industry, park, updated_at, -updated_at
	Limit           int
	Offset          int
}

// EnterpriseSorts maps the accepted sort keys to their columns.
var EnterpriseSorts = map[string]string{"name": "name", "uscc": "uscc", "industry": "industry", "park": "park", "created_at": "created_at", "updated_at": "updated_at", "is_key": "is_key"}

// EnterpriseUpdate holds the fields to change; nil leaves a field alone.
type EnterpriseUpdate struct {
	Version  int64             `json:"version"`
	Name     *string           `json:"name"`
	USCC     *string           `json:"uscc"`
	Industry *string           `json:"industry"`
	IsKey    *bool             `json:"is_key"`
	Park     *string           `json:"park"`
	Address  *string           `json:"address"`
	LegalRep *string           `json:"legal_rep"`
	Contacts *[]Contact        `json:"contacts"`
	Status   *EnterpriseStatus `json:"status"`
	Archived *bool             `json:"archived"`
}

// Apply copies the set fields of upd onto e.
func (upd EnterpriseUpdate) Apply(e *Enterprise) {
	setIf(&e.Name, upd.Name)
	setIf(&e.USCC, upd.USCC)
	setIf(&e.Industry, upd.Industry)
	setIf(&e.IsKey, upd.IsKey)
	setIf(&e.Park, upd.Park)
	setIf(&e.Address, upd.Address)
	setIf(&e.LegalRep, upd.LegalRep)
	setIf(&e.Contacts, upd.Contacts)
	setIf(&e.Status, upd.Status)
	setIf(&e.Archived, upd.Archived)
}

func setIf[T any](dst *T, src *T) {
	if src != nil {
		*dst = *src
	}
}

// Industry is an entry of the editable industry list.
type Industry struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Sort int    `json:"sort"`
}

// EnterpriseService manages enterprises within the caller's scope.
type EnterpriseService interface {
	// FindEnterprises returns a page of the enterprises in the caller's
	// scope and the total that match.
	FindEnterprises(ctx context.Context, f EnterpriseFilter) ([]*Enterprise, int, error)
	// EachEnterprise calls fn for every enterprise FindEnterprises would
	// list for f (scope, filters and order alike, no page), streaming.
	EachEnterprise(ctx context.Context, f EnterpriseFilter, fn func(*Enterprise) error) error
	// FindEnterpriseByID returns ENOTFOUND outside the caller's scope.
	FindEnterpriseByID(ctx context.Context, id int64) (*Enterprise, error)
	// CreateEnterprise validates and stores e; a USCC already in use
	// gives ECONFLICT on field uscc.
	CreateEnterprise(ctx context.Context, e *Enterprise) error
	// UpdateEnterprise applies upd if upd.Version is current, else
	// returns ECONFLICT with the current record.
	UpdateEnterprise(ctx context.Context, id int64, upd EnterpriseUpdate) (*Enterprise, error)
	// FindIndustries returns the industry list.
	FindIndustries(ctx context.Context) ([]*Industry, error)
	// CreateIndustry adds a name to the industry list (admin only).
	CreateIndustry(ctx context.Context, name string) (*Industry, error)
	// DeleteIndustry removes a name that no enterprise uses (admin only).
	DeleteIndustry(ctx context.Context, id int64) error
	// FindParks returns the distinct parks of the enterprises in scope.
	FindParks(ctx context.Context) ([]string, error)
}
