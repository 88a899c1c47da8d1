package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"zhagen"
	"zhagen/sheet"
)

type demandInput struct {
	EnterpriseID int64           `json:"enterprise_id"`
	CategoryID   int64           `json:"category_id"`
	CategoryCode string          `json:"category_code"`
	Channel      zhagen.Channel  `json:"channel"`
	Title        string          `json:"title"`
	Description  string          `json:"description"`
	Answers      zhagen.Answers  `json:"answers"`
	Priority     zhagen.Priority `json:"priority"`
	ContactPhone string          `json:"contact_phone"`
	Address      string          `json:"address"`
	Lat          *float64        `json:"lat"`
	Long         *float64        `json:"long"`
	ProjectID    int64           `json:"project_id"`
}

func (h *Handler) createDemand(w http.ResponseWriter, r *http.Request) error {
	var in demandInput
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.CategoryID == 0 && in.CategoryCode != "" {
		c, err := h.cfg.Categories.FindCategoryByCode(r.Context(), in.CategoryCode)
		if err != nil {
			return &zhagen.Error{Code: zhagen.EINVALID, Field: "category_code", Message: "诉求类别不存在：" + in.CategoryCode}
		}
		in.CategoryID = c.ID
	}
	if in.Channel == "" {
		in.Channel = zhagen.ChannelAPI
	}
	d := &zhagen.Demand{EnterpriseID: in.EnterpriseID, CategoryID: in.CategoryID, Channel: in.Channel, Title: in.Title, Description: in.Description,
		Answers: in.Answers, Priority: in.Priority, ContactPhone: in.ContactPhone, Address: in.Address, Lat: in.Lat, Long: in.Long, ProjectID: in.ProjectID}
	if err := h.cfg.Demands.CreateDemand(r.Context(), d, r.Header.Get("Idempotency-Key")); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/demands/"+strconv.FormatInt(d.ID, 10))
	return writeJSON(w, http.StatusCreated, d)
}

// demandFilter reads the list filters shared with the web search.
func demandFilter(r *http.Request) (zhagen.DemandFilter, error) {
	q := r.URL.Query()
	f := zhagen.DemandFilter{Query: q.Get("q"), DeptRole: q.Get("dept_role"), Level: zhagen.SLALevel(q.Get("level")),
		Channel: zhagen.Channel(q.Get("channel")), Sort: q.Get("sort")}
	var err error
	if f.Limit, f.Offset, err = page(r); err != nil {
		return f, err
	}
	for _, s := range strings.Split(q.Get("status"), ",") {
		if s = strings.TrimSpace(s); s != "" {
			f.Statuses = append(f.Statuses, zhagen.DemandStatus(s))
		}
	}
	if err := f.CheckFilter(); err != nil {
		return f, err
	}
	for name, dst := range map[string]*int64{"category_id": &f.CategoryID, "dept_id": &f.DeptID, "enterprise_id": &f.EnterpriseID, "project_id": &f.ProjectID} {
		if s := q.Get(name); s != "" {
			if *dst, err = strconv.ParseInt(s, 10, 64); err != nil {
				return f, &zhagen.Error{Code: zhagen.EBADREQUEST, Field: name, Message: name + " 须为整数"}
			}
		}
	}
	if f.Open, err = boolParam(q.Get("open"), "open"); err != nil {
		return f, err
	}
	if pe, err := boolParam(q.Get("pending_extension"), "pending_extension"); err != nil {
		return f, err
	} else if pe != nil {
		f.PendingExtension = *pe
	}
	for name, dst := range map[string]**time.Time{"from": &f.From, "to": &f.To} {
		if s := q.Get(name); s != "" {
			t, err := zhagen.ParseDateTime(s)
			if err != nil {
				return f, &zhagen.Error{Code: zhagen.EBADREQUEST, Field: name, Message: name + " 须为日期，如 2026-10-01"}
			}
			*dst = &t
		}
	}
	return f, nil
}

func (h *Handler) listDemands(w http.ResponseWriter, r *http.Request) error {
	f, err := demandFilter(r)
	if err != nil {
		return err
	}
	if fm, ok, err := exportFormat(r); err != nil || ok {
		if err != nil {
			return err
		}
		return serveSheet(h, w, r, fm, sheet.Demands, func(emit func(*zhagen.Demand) error) error {
			return h.cfg.Demands.EachDemand(r.Context(), f, emit)
		})
	}
	items, total, err := h.cfg.Demands.FindDemands(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[*zhagen.Demand]{Items: items, Total: total})
}

func (h *Handler) getDemand(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	d, err := h.cfg.Demands.FindDemandByID(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, struct {
		*zhagen.Demand
		Actions []zhagen.Action `json:"actions"`
	}{d, zhagen.ActorFromContext(r.Context()).AvailableActions(d)})
}

func (h *Handler) demandEvents(w http.ResponseWriter, r *http.Request) error {
	return allByID(w, r, h.cfg.Demands.FindDemandEvents)
}

func (h *Handler) demandTransition(w http.ResponseWriter, r *http.Request) error {
	return applyByID(w, r, h.cfg.Demands.Transition)
}

func (h *Handler) listCategories(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	inc, err := boolParam(q.Get("include_archived"), "include_archived")
	if err != nil {
		return err
	}
	f := zhagen.CategoryFilter{Query: q.Get("q"), Group: q.Get("group"), IncludeArchived: inc != nil && *inc}
	items, err := h.cfg.Categories.FindCategories(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[*zhagen.Category]{Items: items, Total: len(items)})
}

func (h *Handler) getCategory(w http.ResponseWriter, r *http.Request) error {
	return byID(w, r, h.cfg.Categories.FindCategoryByID)
}

// categoryInput is a category as a client writes it; version is needed
// to replace one.
type categoryInput struct {
	Version         int64                              `json:"version"`
	Code            string                             `json:"code"`
	Name            string                             `json:"name"`
	Description     string                             `json:"description"`
	Group           string                             `json:"group"`
	Keywords        []string                           `json:"keywords"`
	Questions       []zhagen.Question                  `json:"questions"`
	LeadDeptID      int64                              `json:"lead_dept_id"`
	CoopDeptIDs     []int64                            `json:"coop_dept_ids"`
	DefaultPriority zhagen.Priority                    `json:"default_priority"`
	SLA             map[zhagen.Priority]zhagen.SLARule `json:"sla"`
	AutoCloseDays   int                                `json:"auto_close_days"`
	Archived        bool                               `json:"archived"`
	// The answer rule and the follow-up term; 0 takes the default.
	AnswerMinLen       int  `json:"answer_min_len"`
	AnswerFileRequired bool `json:"answer_file_required"`
	FollowUpDays       int  `json:"followup_days"`
}

func (in categoryInput) category() *zhagen.Category {
	return &zhagen.Category{Code: in.Code, Name: in.Name, Description: in.Description, Group: in.Group, Keywords: in.Keywords,
		Questions: in.Questions, LeadDeptID: in.LeadDeptID, CoopDeptIDs: in.CoopDeptIDs, DefaultPriority: in.DefaultPriority,
		SLA: in.SLA, AutoCloseDays: in.AutoCloseDays, Archived: in.Archived,
		AnswerMinLen: in.AnswerMinLen, AnswerFileRequired: in.AnswerFileRequired, FollowUpDays: in.FollowUpDays}
}

func (h *Handler) createCategory(w http.ResponseWriter, r *http.Request) error {
	var in categoryInput
	if err := decode(r, &in); err != nil {
		return err
	}
	c := in.category()
	if err := h.cfg.Categories.CreateCategory(r.Context(), c); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/categories/"+strconv.FormatInt(c.ID, 10))
	return writeJSON(w, http.StatusCreated, c)
}

func (h *Handler) putCategory(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in categoryInput
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := requireVersion(in.Version); err != nil {
		return err
	}
	c, err := h.cfg.Categories.UpdateCategory(r.Context(), id, in.Version, in.category())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

func (h *Handler) listNotifications(w http.ResponseWriter, r *http.Request) error {
	unread, err := boolParam(r.URL.Query().Get("unread"), "unread")
	if err != nil {
		return err
	}
	limit, _, err := page(r)
	if err != nil {
		return err
	}
	items, n, err := h.cfg.Notifications.FindGroupNotifications(r.Context(), zhagen.NoticeGroup(r.URL.Query().Get("group")), unread != nil && *unread, limit)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, struct {
		Items  []*zhagen.Notification `json:"items"`
		Unread int                    `json:"unread"`
	}{items, n})
}
