package open311

import (
	"context"
	"net/http"
	"strings"

	"zhagen"
)

// Specification is the discovery document's name of the API served.
const Specification = "http://wiki.open311.org/GeoReport_v2"

// USCCAttribute is the code of the built-in attribute every service
// definition offers: the reporter's enterprise, by its unified social
// credit code (统一社会信用代码).
const USCCAttribute = "uscc"

// publicCtx is the context of the endpoints that need no api_key: the
// catalogue is public, read as the system.
func publicCtx(r *http.Request) context.Context {
	return zhagen.NewContextWithActor(r.Context(), zhagen.SystemActor())
}

// baseURL is the endpoint's address: Config.BaseURL, or the request's
// scheme and host.
func (h *Handler) baseURL(r *http.Request) string {
	if h.cfg.BaseURL != "" {
		return strings.TrimRight(h.cfg.BaseURL, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + strings.TrimSuffix(Prefix, "/")
}

// discovery answers GET discovery: where the endpoint is, what it speaks
// and how to get a key.
func (h *Handler) discovery(w http.ResponseWriter, c call) error {
	changeset := datetime(h.cfg.Changeset)
	d := discovery{
		Changeset:  changeset,
		Contact:    h.cfg.Contact,
		KeyService: "api_key 由平台管理员为每个接入渠道签发（zhagen open311-key create 名称），提交服务请求时必填；查询服务目录无需 api_key，不带 api_key 查询服务请求只返回公开渠道请求的公开字段。 (An api_key per intake channel is issued by the administrators and is required to POST; the service list needs none, and GETs of requests without one answer the public fields of publicly readable channels' requests.)",
		Endpoints: []endpoint{{
			Specification: Specification,
			URL:           h.baseURL(c.r),
			Changeset:     changeset,
			Type:          "production",
			Formats:       []string{"text/xml", "application/json"},
		}},
	}
	w.Header().Set("Cache-Control", "public, max-age=300")
	return write(w, c.f, http.StatusOK, d, d)
}

// listServices answers GET services: the active categories (FindCategories
// leaves archived ones out unless asked).
func (h *Handler) listServices(w http.ResponseWriter, c call) error {
	cats, err := h.cfg.Categories.FindCategories(publicCtx(c.r), zhagen.CategoryFilter{})
	if err != nil {
		return err
	}
	out := make([]service, 0, len(cats))
	for _, cat := range cats {
		out = append(out, service{
			ServiceCode: cat.Code, ServiceName: cat.Name, Description: cat.Description,
			Metadata: true, // every service has at least the uscc attribute
			Type:     "realtime", Keywords: strings.Join(cat.Keywords, ","), Group: cat.Group,
		})
	}
	w.Header().Set("Cache-Control", "public, max-age=60")
	return writeList(w, c.f, http.StatusOK, "services", out)
}

// findService returns the active category of a service_code; ENOTFOUND
// for an unknown or archived one.
func (h *Handler) findService(ctx context.Context, code string) (*zhagen.Category, error) {
	notFound := &zhagen.Error{Code: zhagen.ENOTFOUND, Field: "service_code", Message: "service_code 不存在 (service_code not found): " + code}
	if code == "" {
		return nil, notFound
	}
	cat, err := h.cfg.Categories.FindCategoryByCode(ctx, code)
	if zhagen.ErrorCode(err) == zhagen.ENOTFOUND || (err == nil && cat.Archived) {
		return nil, notFound
	} else if err != nil {
		return nil, err
	}
	return cat, nil
}

// serviceDefinition answers GET services/{code}: the category's questions
// as attributes, then the built-in uscc attribute.
func (h *Handler) serviceDefinition(w http.ResponseWriter, c call) error {
	cat, err := h.findService(publicCtx(c.r), c.name)
	if err != nil {
		return err
	}
	def := definitionOf(cat)
	w.Header().Set("Cache-Control", "public, max-age=60")
	return write(w, c.f, http.StatusOK, def, def)
}

// definitionOf lists a category's attributes in order.
func definitionOf(cat *zhagen.Category) serviceDefinition {
	def := serviceDefinition{ServiceCode: cat.Code, Attributes: []attribute{}}
	hasUSCC := false
	for i, q := range cat.Questions {
		desc := q.Label
		if q.Description != "" {
			desc += "：" + q.Description
		}
		a := attribute{Variable: true, Code: q.Code, Datatype: string(q.Type), Required: q.Required,
			DatatypeDescription: nullString(datatypeDescription(q.Type)), Order: i + 1, Description: desc}
		for _, o := range q.Options {
			a.Values = append(a.Values, valueEntry{Key: o.Key, Name: o.Name})
		}
		if len(a.Values) > 0 {
			a.XMLValues = &xmlValues{Values: a.Values}
		}
		def.Attributes = append(def.Attributes, a)
		hasUSCC = hasUSCC || q.Code == USCCAttribute
	}
	if !hasUSCC {
		def.Attributes = append(def.Attributes, attribute{Variable: true, Code: USCCAttribute, Datatype: string(zhagen.QString),
			DatatypeDescription: "18位统一社会信用代码 (18-character unified social credit code)",
			Order:               len(def.Attributes) + 1,
			Description:         "所属企业的统一社会信用代码（选填，用于识别企业） (the enterprise's unified social credit code, optional)"})
	}
	return def
}

// datatypeDescription helps a reporter type a value of the type.
func datatypeDescription(t zhagen.QuestionType) string {
	switch t {
	case zhagen.QNumber:
		return "数字 (a number)"
	case zhagen.QDatetime:
		return "日期时间，如 2026-10-08T09:30:00+08:00 (W3C date-time)"
	case zhagen.QString:
		return "不超过200个字 (at most 200 characters)"
	case zhagen.QText:
		return "不超过4000个字 (at most 4,000 characters)"
	case zhagen.QSingle:
		return "从 values 中选择一个 key (one key of values)"
	case zhagen.QMulti:
		return "从 values 中选择一个或多个 key，用 attribute[code][] 提交 (one or more keys of values, as attribute[code][])"
	}
	return ""
}
