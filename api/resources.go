package api

import (
	"net/http"
	"strconv"

	"zhagen"
	"zhagen/sheet"
)

func (h *Handler) me(w http.ResponseWriter, r *http.Request) error {
	u, err := h.cfg.Users.FindUserByID(r.Context(), zhagen.ActorFromContext(r.Context()).UserID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, u)
}

func (h *Handler) listEnterprises(w http.ResponseWriter, r *http.Request) error {
	limit, offset, err := page(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := zhagen.EnterpriseFilter{Query: q.Get("q"), Industry: q.Get("industry"), Park: q.Get("park"),
		Status: zhagen.EnterpriseStatus(q.Get("status")), Sort: q.Get("sort"), Limit: limit, Offset: offset}
	if f.IsKey, err = boolParam(q.Get("is_key"), "is_key"); err != nil {
		return err
	}
	if inc, err := boolParam(q.Get("include_archived"), "include_archived"); err != nil {
		return err
	} else if inc != nil {
		f.IncludeArchived = *inc
	}
	if fm, ok, err := exportFormat(r); err != nil || ok {
		if err != nil {
			return err
		}
		return serveSheet(h, w, r, fm, sheet.Enterprises, func(emit func(*zhagen.Enterprise) error) error {
			return h.cfg.Enterprises.EachEnterprise(r.Context(), f, emit)
		})
	}
	items, total, err := h.cfg.Enterprises.FindEnterprises(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[*zhagen.Enterprise]{Items: items, Total: total})
}

func boolParam(s, field string) (*bool, error) {
	if s == "" {
		return nil, nil
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return nil, &zhagen.Error{Code: zhagen.EBADREQUEST, Field: field, Message: field + " 须为 true 或 false"}
	}
	return &b, nil
}

type enterpriseInput struct {
	Name     string                  `json:"name"`
	USCC     string                  `json:"uscc"`
	Industry string                  `json:"industry"`
	IsKey    bool                    `json:"is_key"`
	Park     string                  `json:"park"`
	Address  string                  `json:"address"`
	LegalRep string                  `json:"legal_rep"`
	Contacts []zhagen.Contact        `json:"contacts"`
	Status   zhagen.EnterpriseStatus `json:"status"`
}

func (h *Handler) createEnterprise(w http.ResponseWriter, r *http.Request) error {
	var in enterpriseInput
	if err := decode(r, &in); err != nil {
		return err
	}
	e := &zhagen.Enterprise{Name: in.Name, USCC: in.USCC, Industry: in.Industry, IsKey: in.IsKey, Park: in.Park,
		Address: in.Address, LegalRep: in.LegalRep, Contacts: in.Contacts, Status: in.Status}
	if err := h.cfg.Enterprises.CreateEnterprise(r.Context(), e); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/enterprises/"+strconv.FormatInt(e.ID, 10))
	return writeJSON(w, http.StatusCreated, e)
}

func (h *Handler) getEnterprise(w http.ResponseWriter, r *http.Request) error {
	return byID(w, r, h.cfg.Enterprises.FindEnterpriseByID)
}

// requireVersion refuses an update that does not say which version it
// changes: without it a lost update could not be detected.
func requireVersion(v int64) error {
	if v <= 0 {
		return &zhagen.Error{Code: zhagen.EINVALID, Field: "version", Message: "请提供当前版本号 version，以免覆盖他人的修改"}
	}
	return nil
}

func (h *Handler) patchEnterprise(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var upd zhagen.EnterpriseUpdate
	if err := decode(r, &upd); err != nil {
		return err
	}
	if err := requireVersion(upd.Version); err != nil {
		return err
	}
	// Look the record up first so that a record outside the caller's
	// scope answers 404 rather than revealing that it exists.
	if _, err := h.cfg.Enterprises.FindEnterpriseByID(r.Context(), id); err != nil {
		return err
	}
	e, err := h.cfg.Enterprises.UpdateEnterprise(r.Context(), id, upd)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, e)
}

func (h *Handler) listIndustries(w http.ResponseWriter, r *http.Request) error {
	return all(w, r, h.cfg.Enterprises.FindIndustries)
}

func (h *Handler) listDepartments(w http.ResponseWriter, r *http.Request) error {
	return all(w, r, h.cfg.Departments.FindDepartments)
}

func (h *Handler) listUsers(w http.ResponseWriter, r *http.Request) error {
	limit, offset, err := page(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := zhagen.UserFilter{Query: q.Get("q"), Role: zhagen.Role(q.Get("role")), Limit: limit, Offset: offset}
	if s := q.Get("dept_id"); s != "" {
		if f.DeptID, err = strconv.ParseInt(s, 10, 64); err != nil {
			return &zhagen.Error{Code: zhagen.EBADREQUEST, Field: "dept_id", Message: "dept_id 须为整数"}
		}
	}
	items, total, err := h.cfg.Users.FindUsers(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[*zhagen.User]{Items: items, Total: total})
}

type userInput struct {
	Login        string        `json:"login"`
	Name         string        `json:"name"`
	Roles        []zhagen.Role `json:"roles"`
	DeptID       int64         `json:"dept_id"`
	Rank         string        `json:"rank"`
	Expertise    []string      `json:"expertise"`
	Phone        string        `json:"phone"`
	EnterpriseID int64         `json:"enterprise_id"`
	Password     string        `json:"password"`
}

func (h *Handler) createUser(w http.ResponseWriter, r *http.Request) error {
	var in userInput
	if err := decode(r, &in); err != nil {
		return err
	}
	u := &zhagen.User{Login: in.Login, Name: in.Name, Roles: in.Roles, DeptID: in.DeptID, Rank: in.Rank, Expertise: in.Expertise,
		Phone: in.Phone, EnterpriseID: in.EnterpriseID, Password: in.Password}
	if err := h.cfg.Users.CreateUser(r.Context(), u); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/users/"+strconv.FormatInt(u.ID, 10))
	return writeJSON(w, http.StatusCreated, u)
}

func (h *Handler) getUser(w http.ResponseWriter, r *http.Request) error {
	return byID(w, r, h.cfg.Users.FindUserByID)
}

func (h *Handler) patchUser(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var upd zhagen.UserUpdate
	if err := decode(r, &upd); err != nil {
		return err
	}
	if err := requireVersion(upd.Version); err != nil {
		return err
	}
	if _, err := h.cfg.Users.FindUserByID(r.Context(), id); err != nil {
		return err
	}
	u, err := h.cfg.Users.UpdateUser(r.Context(), id, upd)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, u)
}
