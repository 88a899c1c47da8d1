// Package open311 serves the Open311 GeoReport v2 API
// (http://wiki.open311.org/GeoReport_v2) under /open311/v2/ over the
// demand service: the demand catalogue as services, demands as service
// requests, in XML and JSON. Outside systems (FixMyStreet and the like)
// file demands with an api_key issued per intake channel and read back
// the demands they filed in full with it; a GET without an api_key (the
// specification defines none on its GET resources) reads the public
// fields of the requests of publicly readable channels.
package open311

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"zhagen"
	"zhagen/throttle"
)

// Prefix is the path the handler serves; mount it with
// mux.Handle(open311.Prefix, h).
const Prefix = "/open311/v2/"

// Config holds what the Open311 endpoints serve.
type Config struct {
	Demands    zhagen.DemandService
	Categories zhagen.CategoryService
	Intake     zhagen.IntakeService
	Logger     *slog.Logger
	Clock      zhagen.Clock
	// BaseURL is the endpoint's public address in discovery, e.g.
	// "https://zone.example.gov.cn/open311/v2"; by default it is taken
	// from the request.
	BaseURL string
	// Contact is discovery's contact text.
	Contact string
	// Changeset is when the endpoint last changed, for discovery.
	Changeset time.Time
	// PostLimit bounds the requests one client address may POST (nil:
	// no bound); beyond it the answer is 429 with Retry-After.
	PostLimit *throttle.Limiter
}

// defaultChangeset is the date this implementation of the endpoint was
// published.
var defaultChangeset = time.Date(2026, 11, 1, 0, 0, 0, 0, zhagen.Shanghai)

// Handler serves /open311/v2/.
type Handler struct {
	cfg    Config
	mux    *http.ServeMux
	served []Route // every resource and method registered, for Routes
}

// Route is one resource and method served: Path is the mux pattern with
// the resource's name in place of {file} ("/open311/v2/requests"), or
// {file} itself for a resource of any name ("/open311/v2/requests/{file}");
// clients add .xml or .json. GET stands for HEAD too.
type Route struct{ Method, Path string }

// Routes lists every resource and method registered. The authorization
// matrix test walks it, so a new resource without an entry there fails.
func (h *Handler) Routes() []Route { return h.served }

// New returns the Open311 handler with every resource registered.
func New(cfg Config) *Handler {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Clock == nil {
		cfg.Clock = zhagen.SystemClock{}
	}
	if cfg.Contact == "" {
		cfg.Contact = "扎根政企服务平台管理员 (zhagen administrators)"
	}
	if cfg.Changeset.IsZero() {
		cfg.Changeset = defaultChangeset
	}
	h := &Handler{cfg: cfg, mux: http.NewServeMux()}
	h.route(Prefix+"{$}", map[string]resource{"": {get: h.discovery}})
	h.route(Prefix+"{file}", map[string]resource{
		"discovery": {get: h.discovery},
		"services":  {get: h.listServices},
		"requests":  {get: h.listRequests, post: h.postRequest},
	})
	h.route(Prefix+"services/{file}", map[string]resource{"*": {get: h.serviceDefinition}})
	h.route(Prefix+"requests/{file}", map[string]resource{"*": {get: h.getRequest}})
	h.route(Prefix+"tokens/{file}", map[string]resource{"*": {get: h.getToken}})
	h.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		_, f, _ := splitFormat(r.URL.Path)
		h.writeError(w, r, f, zhagen.Errorf(zhagen.ENOTFOUND, "资源不存在 (no such resource): %s", r.URL.Path))
	})
	return h
}

// ServeHTTP serves an Open311 request. A body over 1 MiB is refused
// (413) unread when it says its length; the path and the query pass the
// domain's text rule first (a path that is not text names no resource;
// a bad parameter is 400 naming it, see zhagen.CheckQuery), and a POST
// body passes it in readForm, so no handler sees a NUL.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_, f, _ := splitFormat(r.URL.Path)
	if r.ContentLength > maxBody {
		h.writeError(w, r, f, &zhagen.Error{Code: zhagen.ETOOLARGE, Message: "请求体过大，最多1 MiB (request body exceeds 1 MiB)"})
		return
	}
	if zhagen.TextProblem(r.URL.Path) != "" {
		h.writeError(w, r, f, zhagen.Errorf(zhagen.ENOTFOUND, "资源不存在 (no such resource)"))
		return
	}
	if err := zhagen.CheckQuery(r.URL.Query()); err != nil {
		h.writeError(w, r, f, err)
		return
	}
	h.mux.ServeHTTP(w, r)
	zhagen.TraceRoute(r.Context(), r.Pattern)
}

// call is what a handler gets: the request, the format and the resource
// name without its suffix (the service code, request id or token).
type call struct {
	r    *http.Request
	f    format
	name string
}

type handlerFunc func(w http.ResponseWriter, c call) error

// resource holds the handlers of one path by method.
type resource struct{ get, post handlerFunc }

// route registers pattern, records its resources in Routes and
// dispatches on the {file} path value: its name (or "*" for any name)
// selects the resource, its suffix the format, the method the handler.
func (h *Handler) route(pattern string, resources map[string]resource) {
	names := make([]string, 0, len(resources))
	for name := range resources {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		path := strings.Replace(pattern, "{$}", "", 1)
		if name != "*" {
			path = strings.Replace(path, "{file}", name, 1)
		}
		if resources[name].get != nil {
			h.served = append(h.served, Route{Method: http.MethodGet, Path: path})
		}
		if resources[name].post != nil {
			h.served = append(h.served, Route{Method: http.MethodPost, Path: path})
		}
	}
	h.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		name, f, ok := splitFormat(r.PathValue("file"))
		if !ok {
			h.writeError(w, r, formatXML, zhagen.Errorf(zhagen.EBADREQUEST, "不支持的格式，请使用 .xml 或 .json (unsupported format; use .xml or .json)"))
			return
		}
		res, found := resources[name]
		if !found && name != "" {
			res, found = resources["*"]
		}
		if !found {
			h.writeError(w, r, f, zhagen.Errorf(zhagen.ENOTFOUND, "资源不存在 (no such resource): %s", r.URL.Path))
			return
		}
		var fn handlerFunc
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			fn = res.get
		case http.MethodPost:
			fn = res.post
		}
		if fn == nil {
			allow := "GET, HEAD"
			if res.post != nil {
				allow += ", POST"
			}
			w.Header().Set("Allow", allow)
			h.writeStatus(w, r, f, http.StatusMethodNotAllowed, []apiError{{Code: http.StatusMethodNotAllowed,
				Description: "不支持的请求方法 (method not allowed): " + r.Method}})
			return
		}
		if err := fn(w, call{r: r, f: f, name: name}); err != nil {
			h.writeError(w, r, f, err)
		}
	})
}

// splitFormat splits "services.json" into "services" and JSON. A name
// without a suffix is XML, the format the specification requires; ok is
// false for any other suffix.
func splitFormat(file string) (name string, f format, ok bool) {
	if i := strings.LastIndexByte(file, '/'); i >= 0 {
		file = file[i+1:]
	}
	i := strings.LastIndexByte(file, '.')
	if i < 0 {
		return file, formatXML, true
	}
	switch strings.ToLower(file[i+1:]) {
	case "xml":
		return file[:i], formatXML, true
	case "json":
		return file[:i], formatJSON, true
	}
	return file, formatXML, false
}

// statusFor maps an error code to the status the specification uses:
// 403 for a missing or bad api_key, 404 for what does not exist, 400 for
// bad input.
func statusFor(code string) int {
	switch code {
	case zhagen.EUNAUTHORIZED, zhagen.EFORBIDDEN:
		return http.StatusForbidden
	case zhagen.ENOTFOUND:
		return http.StatusNotFound
	case zhagen.EINVALID, zhagen.EBADREQUEST:
		return http.StatusBadRequest
	case zhagen.ECONFLICT:
		return http.StatusConflict
	case zhagen.ETOOMANY:
		return http.StatusTooManyRequests
	case zhagen.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusInternalServerError
}

// openFields names the Open311 parameter behind a domain field.
var openFields = map[string]string{
	"title": "description", "category_id": "service_code", "contact_phone": "phone", "address": "address_string",
	"lat": "lat", "long": "long", "submitter_name": "first_name",
}

// errorList turns err into the specification's errors list: one entry per
// invalid field, each naming the Open311 parameter.
func errorList(err error) (int, []apiError) {
	code := zhagen.ErrorCode(err)
	status := statusFor(code)
	if status == http.StatusInternalServerError {
		return status, []apiError{{Code: status, Description: "内部错误 (internal error)"}}
	}
	var ze *zhagen.Error
	var out []apiError
	if errors.As(err, &ze) && len(ze.Fields) > 0 {
		for _, fe := range ze.Fields {
			out = append(out, apiError{Code: status, Description: fieldMessage(fe.Field, fe.Message)})
		}
		return status, out
	}
	field := ""
	if ze != nil {
		field = ze.Field
	}
	return status, []apiError{{Code: status, Description: fieldMessage(field, zhagen.ErrorMessage(err))}}
}

func fieldMessage(field, msg string) string {
	if field == "" {
		return msg
	}
	if code, ok := strings.CutPrefix(field, "answers."); ok {
		field = "attribute[" + code + "]"
	} else if f, ok := openFields[field]; ok {
		field = f
	}
	if strings.Contains(msg, field) {
		return msg
	}
	return msg + " (" + field + ")"
}

// writeError answers with the errors list; internal errors are logged
// (without the query, which carries the api_key) and shown only as 内部错误.
func (h *Handler) writeError(w http.ResponseWriter, r *http.Request, f format, err error) {
	status, list := errorList(err)
	if status == http.StatusInternalServerError {
		h.cfg.Logger.Error("open311 internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	h.writeStatus(w, r, f, status, list)
}

func (h *Handler) writeStatus(w http.ResponseWriter, r *http.Request, f format, status int, list []apiError) {
	w.Header().Set("Cache-Control", "no-store")
	if err := writeList(w, f, status, "errors", list); err != nil {
		h.cfg.Logger.Warn("open311 write error", "path", r.URL.Path, "err", err)
	}
}
