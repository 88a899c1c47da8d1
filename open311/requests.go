package open311

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"zhagen"
	"zhagen/throttle"
)

const (
	maxBody    = 1 << 20 // bytes of a POST body
	maxResults = 1000    // service requests in one GET requests answer
	pageSize   = 200     // what one FindDemands call returns at most
)

// authenticate returns a context carrying the intake channel of the
// api_key: EUNAUTHORIZED (answered 403, as the specification says) when
// it is missing or unknown.
func (h *Handler) authenticate(r *http.Request, key string) (context.Context, error) {
	ctx := zhagen.NewContextWithIP(r.Context(), clientIP(r))
	key = strings.TrimSpace(key)
	if key == "" {
		return nil, &zhagen.Error{Code: zhagen.EUNAUTHORIZED, Field: "api_key", Message: "缺少 api_key (api_key is required)"}
	}
	a, err := h.cfg.Intake.ActorByAPIKey(ctx, key)
	switch zhagen.ErrorCode(err) {
	case "":
		return zhagen.NewContextWithActor(ctx, a), nil
	case zhagen.EUNAUTHORIZED, zhagen.ENOTFOUND:
		return nil, &zhagen.Error{Code: zhagen.EUNAUTHORIZED, Field: "api_key", Message: "api_key 无效 (invalid api_key)"}
	}
	return nil, err
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// readForm parses a form-encoded (or multipart, files ignored) POST body
// of at most 1 MiB (413 over it); the body's fields win over the query's.
// Every name and value passes the domain's text rule (400 naming it).
func readForm(w http.ResponseWriter, r *http.Request) (url.Values, error) {
	tooLarge := &zhagen.Error{Code: zhagen.ETOOLARGE, Message: "请求体过大，最多1 MiB (request body exceeds 1 MiB)"}
	if r.ContentLength > maxBody {
		return nil, tooLarge
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var err error
	if ct == "multipart/form-data" {
		err = r.ParseMultipartForm(maxBody)
		if r.MultipartForm != nil {
			defer r.MultipartForm.RemoveAll()
		}
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, tooLarge
		}
		return nil, badRequest("", "请求体不是有效的表单 (the body is not a valid form): "+err.Error())
	}
	return r.Form, zhagen.CheckValues(r.Form)
}

// postRequest answers POST requests: files a demand for the intake
// channel of the api_key.
func (h *Handler) postRequest(w http.ResponseWriter, c call) error {
	if ok, after := h.cfg.PostLimit.Allow(throttle.AddrKey(throttle.ClientIP(c.r))); !ok {
		err := zhagen.TooMany(after, "请求过于频繁，请稍后再试 (too many requests)")
		w.Header().Set("Retry-After", strconv.Itoa(zhagen.RetrySeconds(err)))
		return err
	}
	form, err := readForm(w, c.r)
	if err != nil {
		return err
	}
	ctx, err := h.authenticate(c.r, form.Get("api_key"))
	if err != nil {
		return err
	}
	code := strings.TrimSpace(form.Get("service_code"))
	if code == "" {
		return badRequest("service_code", "缺少 service_code (service_code is required)")
	}
	cat, err := h.findService(ctx, code)
	if err != nil {
		return err
	}
	d, err := demandFromForm(form, cat)
	if err != nil {
		return err
	}
	if err := h.cfg.Demands.CreateDemand(ctx, d, strings.TrimSpace(c.r.Header.Get("Idempotency-Key"))); err != nil {
		return err
	}
	notice := fmt.Sprintf("诉求已受理，编号 %d；可凭 service_request_id 查询办理进度。 (Request %d received.)", d.ID, d.ID)
	if d.ResolutionDue != nil {
		notice = fmt.Sprintf("诉求已受理，编号 %d，预计 %s 前办结。 (Request %d received; expected by %s.)", d.ID,
			d.ResolutionDue.In(zhagen.Shanghai).Format("2006-01-02 15:04"), d.ID, datetime(*d.ResolutionDue))
	}
	out := []created{{ServiceRequestID: idNumber(d.ID), ServiceNotice: nullString(notice),
		AccountID: nullString(strings.TrimSpace(form.Get("account_id")))}}
	w.Header().Set("Cache-Control", "no-store")
	return writeList(w, c.f, http.StatusOK, "service_requests", out)
}

// keyless reports whether a GET names no api_key. GeoReport v2 defines
// none on its GET resources and FixMyStreet sends none when it reads
// requests back: such a GET is answered with the public fields of the
// requests of publicly readable channels (zhagen.PublicRequest). A GET
// with a key reads that channel's own requests in full; a wrong key is
// refused.
func keyless(q url.Values) bool { return strings.TrimSpace(q.Get("api_key")) == "" }

// listRequests answers GET requests: the channel's service requests that
// match the filters, newest first; without an api_key, the public ones.
func (h *Handler) listRequests(w http.ResponseWriter, c call) error {
	q := c.r.URL.Query()
	if keyless(q) {
		return h.listPublic(w, c, q)
	}
	ctx, err := h.authenticate(c.r, q.Get("api_key"))
	if err != nil {
		return err
	}
	lq, err := parseListQuery(q, h.cfg.Clock.Now())
	if err != nil {
		return err
	}
	var ds []*zhagen.Demand
	if len(lq.ids) > 0 {
		if ds, _, err = h.cfg.Demands.FindDemands(ctx, zhagen.DemandFilter{IDs: lq.ids, Limit: len(lq.ids)}); err != nil {
			return err
		}
		slices.SortFunc(ds, func(a, b *zhagen.Demand) int { return slices.Index(lq.ids, a.ID) - slices.Index(lq.ids, b.ID) })
	} else {
		if ds, err = h.findWindow(ctx, lq); err != nil {
			return err
		}
	}
	out, err := h.requests(ctx, ds)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return writeList(w, c.f, http.StatusOK, "service_requests", out)
}

// findWindow finds the demands of a date window, for each service_code
// (an unknown one is ENOTFOUND), up to maxResults, newest first.
func (h *Handler) findWindow(ctx context.Context, lq listQuery) ([]*zhagen.Demand, error) {
	to := lq.to.Add(time.Microsecond) // end_date is inclusive
	base := zhagen.DemandFilter{Open: lq.open, From: &lq.from, To: &to, Sort: "-created"}
	var filters []zhagen.DemandFilter
	if len(lq.codes) == 0 {
		filters = append(filters, base)
	}
	for _, code := range lq.codes {
		cat, err := h.findService(ctx, code)
		if err != nil {
			return nil, err
		}
		f := base
		f.CategoryID = cat.ID
		filters = append(filters, f)
	}
	var out []*zhagen.Demand
	seen := map[int64]bool{}
	for _, f := range filters {
		for f.Offset = 0; f.Offset < maxResults; f.Offset += pageSize {
			f.Limit = pageSize
			page, total, err := h.cfg.Demands.FindDemands(ctx, f)
			if err != nil {
				return nil, err
			}
			for _, d := range page {
				if !seen[d.ID] {
					seen[d.ID] = true
					out = append(out, d)
				}
			}
			if len(page) < pageSize || f.Offset+len(page) >= total {
				break
			}
		}
	}
	slices.SortFunc(out, func(a, b *zhagen.Demand) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return int(b.ID - a.ID)
	})
	if len(out) > maxResults {
		out = out[:maxResults]
	}
	return out, nil
}

// requests renders demands with their latest public notes.
func (h *Handler) requests(ctx context.Context, ds []*zhagen.Demand) ([]request, error) {
	ids := make([]int64, len(ds))
	for i, d := range ds {
		ids[i] = d.ID
	}
	notes, err := h.cfg.Demands.LatestPublicNotes(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]request, 0, len(ds))
	for _, d := range ds {
		out = append(out, requestOf(d, notes[d.ID]))
	}
	return out, nil
}

// getRequest answers GET requests/{id}; without an api_key, the public
// fields of a publicly readable channel's request.
func (h *Handler) getRequest(w http.ResponseWriter, c call) error {
	q := c.r.URL.Query()
	notFound := zhagen.Errorf(zhagen.ENOTFOUND, "服务请求不存在 (service request not found): %s", c.name)
	id, err := strconv.ParseInt(c.name, 10, 64)
	if keyless(q) {
		if err != nil || id <= 0 {
			return notFound
		}
		return h.writePublic(w, c, zhagen.PublicRequestFilter{IDs: []int64{id}}, notFound)
	}
	ctx, aerr := h.authenticate(c.r, q.Get("api_key"))
	if aerr != nil {
		return aerr
	}
	if err != nil || id <= 0 {
		return notFound
	}
	d, err := h.cfg.Demands.FindDemandByID(ctx, id)
	if zhagen.ErrorCode(err) == zhagen.ENOTFOUND {
		return notFound
	} else if err != nil {
		return err
	}
	out, err := h.requests(ctx, []*zhagen.Demand{d})
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return writeList(w, c.f, http.StatusOK, "service_requests", out)
}

// getToken answers GET tokens/{token}: the service_request_id of a
// token; without an api_key, of a publicly readable channel's request.
func (h *Handler) getToken(w http.ResponseWriter, c call) error {
	q := c.r.URL.Query()
	notFound := zhagen.Errorf(zhagen.ENOTFOUND, "token 不存在 (token not found): %s", c.name)
	if keyless(q) {
		if c.name == "" || len(c.name) > 128 {
			return notFound
		}
		rs, err := h.cfg.Intake.FindPublicRequests(c.r.Context(), zhagen.PublicRequestFilter{Token: c.name, Limit: 1})
		if err != nil {
			return err
		}
		if len(rs) == 0 {
			return notFound
		}
		w.Header().Set("Cache-Control", "no-store")
		return writeList(w, c.f, http.StatusOK, "service_requests", []tokenAnswer{{ServiceRequestID: idNumber(rs[0].ID), Token: c.name}})
	}
	ctx, err := h.authenticate(c.r, q.Get("api_key"))
	if err != nil {
		return err
	}
	if c.name == "" || len(c.name) > 128 {
		return notFound
	}
	ds, _, err := h.cfg.Demands.FindDemands(ctx, zhagen.DemandFilter{Token: c.name, Limit: 1})
	if err != nil {
		return err
	}
	if len(ds) == 0 {
		return notFound
	}
	out := []tokenAnswer{{ServiceRequestID: idNumber(ds[0].ID), Token: c.name}}
	w.Header().Set("Cache-Control", "no-store")
	return writeList(w, c.f, http.StatusOK, "service_requests", out)
}

// listPublic answers a keyless GET requests: the public requests that
// match the filters (a service_request_id list, else service codes,
// status and the date window), newest first or in the order of the ids.
func (h *Handler) listPublic(w http.ResponseWriter, c call, q url.Values) error {
	lq, err := parseListQuery(q, h.cfg.Clock.Now())
	if err != nil {
		return err
	}
	f := zhagen.PublicRequestFilter{IDs: lq.ids, Limit: maxResults}
	if len(lq.ids) == 0 {
		for _, code := range lq.codes {
			cat, err := h.findService(publicCtx(c.r), code)
			if err != nil {
				return err
			}
			f.CategoryIDs = append(f.CategoryIDs, cat.ID)
		}
		to := lq.to.Add(time.Microsecond) // end_date is inclusive
		f.Open, f.From, f.To = lq.open, &lq.from, &to
	}
	return h.writePublic(w, c, f, nil)
}

// writePublic answers with the public requests f selects; notFound, when
// set, is the answer when there is none.
func (h *Handler) writePublic(w http.ResponseWriter, c call, f zhagen.PublicRequestFilter, notFound error) error {
	rs, err := h.cfg.Intake.FindPublicRequests(c.r.Context(), f)
	if err != nil {
		return err
	}
	if len(rs) == 0 && notFound != nil {
		return notFound
	}
	if len(f.IDs) > 0 {
		slices.SortFunc(rs, func(a, b *zhagen.PublicRequest) int { return slices.Index(f.IDs, a.ID) - slices.Index(f.IDs, b.ID) })
	}
	out := make([]request, 0, len(rs))
	for _, r := range rs {
		out = append(out, publicRequestOf(r))
	}
	w.Header().Set("Cache-Control", "no-store")
	return writeList(w, c.f, http.StatusOK, "service_requests", out)
}

// publicRequestOf renders the public fields of a request: the
// description stays empty, the address and the location null.
func publicRequestOf(r *zhagen.PublicRequest) request {
	updated := r.UpdatedAt
	if updated.IsZero() {
		updated = r.CreatedAt
	}
	return request{
		ServiceRequestID:  idNumber(r.ID),
		Status:            statusOf(r.Status),
		StatusNotes:       nullString(r.Note),
		ServiceName:       r.CategoryName,
		ServiceCode:       r.CategoryCode,
		AgencyResponsible: nullString(r.LeadDeptName),
		ServiceNotice:     nullString(r.Status.Label()),
		RequestedDatetime: datetime(r.CreatedAt),
		UpdatedDatetime:   nullString(datetime(updated)),
		ExpectedDatetime:  optDatetime(r.ResolutionDue),
	}
}
