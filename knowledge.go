package zhagen

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// KnowledgeEntry is an entry of the knowledge base (知识库): a question
// enterprises ask and its standing answer, kept by a department and
// reviewed by the command centre. Enterprises see reviewed entries valid
// today; Helped counts the times an entry answered an enterprise without
// a demand being filed.
type KnowledgeEntry struct {
	ID           int64  `json:"id"`
	Question     string `json:"question"`
	Answer       string `json:"answer"`
	CategoryID   int64  `json:"category_id,omitempty"`
	CategoryName string `json:"category_name,omitempty"`
	DeptID       int64  `json:"dept_id,omitempty"`
	DeptName     string `json:"dept_name,omitempty"`
	// Links are policy documents, one address a line.
	Links     string `json:"links,omitempty"`
	ValidFrom string `json:"valid_from,omitempty"` // YYYY-MM-DD
	ValidTo   string `json:"valid_to,omitempty"`
	Reviewed  bool   `json:"reviewed"`
	Helped    int    `json:"helped"`
	// SourceDemandID is the resolved demand the entry was promoted from.
	SourceDemandID int64     `json:"source_demand_id,omitempty"`
	Version        int64     `json:"version"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
	// Score is the similarity to the text looked up (lookups only).
	Score float64 `json:"score,omitempty"`
}

// Validate normalises and checks an entry as its editor typed it.
func (e *KnowledgeEntry) Validate() error {
	var v Validation
	e.Question, e.Answer = strings.TrimSpace(e.Question), strings.TrimSpace(e.Answer)
	e.Links, e.ValidFrom, e.ValidTo = strings.TrimSpace(e.Links), strings.TrimSpace(e.ValidFrom), strings.TrimSpace(e.ValidTo)
	if e.Question == "" {
		v.Add("question", "请填写问题")
	} else if utf8.RuneCountInString(e.Question) > 200 {
		v.Add("question", "问题不能超过200个字")
	}
	if e.Answer == "" {
		v.Add("answer", "请填写答复")
	} else if utf8.RuneCountInString(e.Answer) > 4000 {
		v.Add("answer", "答复不能超过4000个字")
	}
	if utf8.RuneCountInString(e.Links) > 2000 {
		v.Add("links", "政策文件链接不能超过2000个字")
	}
	for _, f := range []struct{ name, val, label string }{{"valid_from", e.ValidFrom, "生效日期"}, {"valid_to", e.ValidTo, "失效日期"}} {
		if f.val != "" {
			if _, err := time.Parse(time.DateOnly, f.val); err != nil {
				v.Add(f.name, f.label+"格式应为 YYYY-MM-DD")
			}
		}
	}
	if e.ValidFrom != "" && e.ValidTo != "" && e.ValidTo < e.ValidFrom {
		v.Add("valid_to", "失效日期不能早于生效日期")
	}
	return v.Err()
}

// ValidOn reports whether the entry holds on day (YYYY-MM-DD).
func (e *KnowledgeEntry) ValidOn(day string) bool {
	return (e.ValidFrom == "" || e.ValidFrom <= day) && (e.ValidTo == "" || day <= e.ValidTo)
}

// KnowledgeFilter narrows the knowledge base.
type KnowledgeFilter struct {
	Q      string // similar to this text, best first
	DeptID int64
	Limit  int
}

// SimilarDemand is a demand found like a text, with its similarity.
type SimilarDemand struct {
	Demand *Demand `json:"demand"`
	Score  float64 `json:"score"`
}

// Similar is what a lookup while filing finds: demands the caller may
// see and knowledge-base entries. While the index of the demands is
// still being built (for a while after a server starts) Demands is empty,
// Pending is set and Notice says so (IndexBuilding).
type Similar struct {
	Demands []SimilarDemand   `json:"demands"`
	Entries []*KnowledgeEntry `json:"entries"`
	Pending bool              `json:"pending,omitempty"`
	Notice  string            `json:"notice,omitempty"`
}

// IndexBuilding is the notice of a lookup answered empty because the
// index of the demands (or the dispatch model) is still being built.
const IndexBuilding = "索引建立中，请稍后再试"

// SuggestedLabel is one suggestion of the dispatch model: a category or
// a department, its confidence (0–1) and the words that drove it.
type SuggestedLabel struct {
	ID         int64    `json:"id"`
	Code       string   `json:"code,omitempty"`
	Name       string   `json:"name"`
	Confidence float64  `json:"confidence"`
	Words      []string `json:"words"`
}

// DispatchSuggestion is the dispatch model's answer for a text: the top three
// categories and lead departments.
type DispatchSuggestion struct {
	Categories  []SuggestedLabel `json:"categories"`
	Departments []SuggestedLabel `json:"departments"`
	// Examples is how many past routings the model learned from.
	Examples int `json:"examples"`
	// Pending says the model is still being learned (after a server
	// starts): no labels yet; Notice says so (IndexBuilding).
	Pending bool   `json:"pending,omitempty"`
	Notice  string `json:"notice,omitempty"`
}

// CommonProblem is a cluster of similar demands of different enterprises
// in a period (共性问题).
type CommonProblem struct {
	Title       string   `json:"title"` // the representative demand's
	Size        int      `json:"size"`
	DemandIDs   []int64  `json:"demand_ids"`
	Enterprises []string `json:"enterprises"`
	Departments []string `json:"departments"`
	// LeadDeptID is the department that led most of its demands: the
	// lead department proposed when it is adopted as a topic.
	LeadDeptID int64     `json:"lead_dept_id,omitempty"`
	Demands    []*Demand `json:"-"`
}

// KnowledgeService is the knowledge base and the text services over the
// demands: similar demands, candidate duplicates, the dispatch
// suggestion, common problems and the evaluation of the dispatch model.
type KnowledgeService interface {
	// Similar finds, for text, up to five demands the caller may see
	// (skip leaves one out) and up to five entries.
	Similar(ctx context.Context, text string, skip int64) (*Similar, error)
	// Duplicates finds candidate duplicates of a demand across
	// enterprises (the command centre's); while the index is being built
	// it finds none and pending is true.
	Duplicates(ctx context.Context, demandID int64) (dups []SimilarDemand, pending bool, err error)
	// Suggest answers the dispatch model's categories and departments.
	Suggest(ctx context.Context, title, description string) (*DispatchSuggestion, error)
	// CommonProblems clusters the demands filed in [from, to).
	CommonProblems(ctx context.Context, from, to time.Time) ([]*CommonProblem, error)
	// DispatchEval evaluates the model as `zhagen dispatch eval` does,
	// on the live history.
	DispatchEval(ctx context.Context) (*DispatchEval, error)
	FindEntries(ctx context.Context, f KnowledgeFilter) ([]*KnowledgeEntry, error)
	FindEntry(ctx context.Context, id int64) (*KnowledgeEntry, error)
	// SaveEntry creates (ID 0) or updates (versioned) an entry; an edit
	// clears its review.
	SaveEntry(ctx context.Context, e *KnowledgeEntry) error
	ReviewEntry(ctx context.Context, id, version int64) (*KnowledgeEntry, error)
	// EntryHelped counts one answer given without a demand.
	EntryHelped(ctx context.Context, id int64) error
	TopicService
}
