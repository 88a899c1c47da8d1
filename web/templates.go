package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"

	"zhagen"
	"zhagen/catalog"
)

// pageNames lists the page templates the handlers render; New fails when
// one is missing.
func pageNames() []string {
	return []string{
		"login", "home", "error",
		"enterprise_list", "enterprise_show", "enterprise_form",
		"department_list", "department_form",
		"user_list", "user_form",
		"industry_list", "log_ops", "log_logins",
		"demand_list", "demand_inbox", "demand_board", "demand_form", "demand_show",
		"category_list", "category_form", "notification_list", "calendar",
	}
}

// templates holds one parsed set per language: the shared partials, and
// for each page its blocks and its own copy of the layout, under names
// scoped to the page ("demand_list/content", "demand_list/layout"), so
// that the partials are parsed once per language rather than once per
// page (a set per page held about 60 MB of parse trees).
type templates struct {
	sets  map[string]*template.Template // lang → set
	local map[string]map[string]bool    // page → the block names it scopes
}

// scopedAlways are the layout's names every page scopes, whether it
// defines them or not: the layout itself, the content and the actions
// block (whose default the layout defines).
var scopedAlways = []string{"layout", "content", "actions"}

var (
	defineName = regexp.MustCompile(`\{\{-?\s*define\s+"([^"]+)"`)
	usedName   = regexp.MustCompile(`(\{\{-?\s*(?:define|template|block)\s+)"([^"]+)"`)
)

// scope rewrites the template names of src that are in names to their
// page-scoped form.
func scope(src, page string, names map[string]bool) string {
	return usedName.ReplaceAllStringFunc(src, func(m string) string {
		sub := usedName.FindStringSubmatch(m)
		if !names[sub[2]] {
			return m
		}
		return sub[1] + `"` + page + "/" + sub[2] + `"`
	})
}

func parseTemplates(fsys fs.FS, static *staticFiles, cat *catalog.Catalog) (*templates, error) {
	ts := &templates{sets: map[string]*template.Template{}, local: map[string]map[string]bool{}}
	pages, err := fs.Glob(fsys, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	layout, err := fs.ReadFile(fsys, "templates/layout.html")
	if err != nil {
		return nil, err
	}
	sources := map[string]string{}
	for _, p := range pages {
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, err
		}
		name := strings.TrimSuffix(path.Base(p), ".html")
		sources[name] = string(b)
		names := map[string]bool{}
		for _, n := range scopedAlways {
			names[n] = true
		}
		for _, m := range defineName.FindAllStringSubmatch(string(b), -1) {
			names[m[1]] = true
		}
		ts.local[name] = names
	}
	for _, lang := range []string{langZH, langEN} {
		set, err := template.New("").Funcs(funcMap(lang, cat, static)).ParseFS(fsys, "templates/partials/*.html")
		if err != nil {
			return nil, fmt.Errorf("web: parse partials: %w", err)
		}
		for name, src := range sources {
			names := ts.local[name]
			// The layout first: a page's "actions" replaces the
			// layout's empty default.
			if _, err := set.New(name + "/layout.html").Parse(scope(string(layout), name, names)); err != nil {
				return nil, fmt.Errorf("web: parse layout for %s: %w", name, err)
			}
			if _, err := set.New(name + ".html").Parse(scope(src, name, names)); err != nil {
				return nil, fmt.Errorf("web: parse %s.html: %w", name, err)
			}
			if set.Lookup(name+"/content") == nil {
				return nil, fmt.Errorf("web: %s.html defines no \"content\"", name)
			}
		}
		ts.sets[lang] = set
	}
	for _, name := range pageNames() {
		if ts.local[name] == nil {
			return nil, fmt.Errorf("web: template %s.html is missing", name)
		}
	}
	return ts, nil
}

// lookup returns the set of lang and the name under which it holds the
// block of page: the page's own scoped block, else a shared partial.
// It returns nil for an unknown page.
func (ts *templates) lookup(lang, page, block string) (*template.Template, string) {
	names := ts.local[page]
	if names == nil {
		return nil, ""
	}
	if names[block] {
		block = page + "/" + block
	}
	return ts.sets[lang], block
}

// funcMap returns the template functions bound to one language.
func funcMap(lang string, cat *catalog.Catalog, static *staticFiles) template.FuncMap {
	tr := func(key string, args ...any) string { return cat.Sprintf(lang, key, args...) }
	return template.FuncMap{
		"t":     tr,
		"asset": static.url,
		"role": func(r zhagen.Role) string {
			return tr("role." + string(r))
		},
		"entStatus": func(s zhagen.EnterpriseStatus) string { return tr("ent.status." + string(s)) },
		"deptKind":  func(k zhagen.DeptKind) string { return tr("dept.kind." + string(k)) },
		"dt": func(t time.Time) string {
			if t.IsZero() {
				return "—"
			}
			return t.In(zhagen.Shanghai).Format("2006-01-02 15:04")
		},
		"dtp": func(t *time.Time) string {
			if t == nil || t.IsZero() {
				return "—"
			}
			return t.In(zhagen.Shanghai).Format("2006-01-02 15:04")
		},
		"add": func(a, b int) int { return a + b },
		// workSpan writes working time as whole days and hours: 2天6小时.
		"workSpan": func(w zhagen.WorkSpan) string {
			switch {
			case w.Days > 0 && w.Hours > 0:
				return tr("common.span.dh", w.Days, w.Hours)
			case w.Days > 0:
				return tr("common.span.d", w.Days)
			case w.Hours > 0:
				return tr("common.span.h", w.Hours)
			}
			return tr("common.span.none")
		},
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, fmt.Errorf("dict: odd number of arguments")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
		"indent": func(depth int) template.CSS {
			return template.CSS(fmt.Sprintf("padding-left:%.1frem", 0.5+1.5*float64(depth)))
		},
		"join":     strings.Join,
		"pct1":     func(f float64) string { return fmt.Sprintf("%.1f%%", 100*f) },
		"fsize":    fileSize,
		"dmStatus": func(s zhagen.DemandStatus) string { return tr("dm.status." + string(s)) },
		"priority": func(p zhagen.Priority) string { return tr("dm.priority." + string(p)) },
		"channel":  func(c zhagen.Channel) string { return tr("dm.channel." + string(c)) },
		"linkRole": func(r zhagen.LinkRole) string { return tr("lk.role." + string(r)) },
		"vsKind":   func(k zhagen.VisitKind) string { return tr("vs.kind." + string(k)) },
		"rating":   func(x zhagen.Rating) string { return tr("dm.rating." + string(x)) },
		"action":   func(a zhagen.Action) string { return tr("dm.action." + string(a)) },
		// eventActor names who took a step; steps the system took (SLA
		// warnings, automatic closing) read "System" in English.
		"eventActor": func(e *zhagen.DemandEvent) string {
			if e.ActorID == 0 && e.ActorName == zhagen.SystemActor().Name {
				return tr("dm.tl.system")
			}
			if e.ActorName == "" {
				return "—"
			}
			return e.ActorName
		},
		// ruleText is a red-flag rule as a phrase in the reader's language,
		// e.g. "订单变化% < -30" or "Plans to relocate = Yes".
		"ruleText": func(x *zhagen.RedFlagRule) string {
			th := x.Threshold
			switch {
			case !ruleFieldIsBool(x.Field):
			case th == "true":
				th = tr("common.yes")
			case th == "false":
				th = tr("common.no")
			}
			return tr("rf.field."+x.Field) + " " + string(x.Op) + " " + th
		},
		"qtype":         func(q zhagen.QuestionType) string { return tr("cat.qtype." + string(q)) },
		"statusTone":    statusTone,
		"slaPriorities": func() []zhagen.Priority { return zhagen.Priorities },
		"first": func(vals []string) string {
			if len(vals) == 0 {
				return ""
			}
			return vals[0]
		},
		"hasVal": func(vals []string, v string) bool { return slices.Contains(vals, v) },
		"deref":  func(b *bool) bool { return b != nil && *b },
		"yuan":   zhagen.Yuan,
		"stages": func() []zhagen.AppStatus { return zhagen.AppStatuses[:5] },
		"roleIn": func(roles []zhagen.Role, r zhagen.Role) bool { return slices.Contains(roles, r) },
	}
}

// page is the data every template receives.
type page struct {
	Title  string  // page title, already translated
	Crumbs []crumb // breadcrumbs after the home crumb; the last is the current page
	Nav    string  // key of the active navigation item
	Actor  *zhagen.Actor
	Menu   []navGroup
	Lang   string
	Flash  string // one-off success message, already translated
	HTMX   bool   // htmx is embedded and loaded
	Unread int    // unread notifications, for the bell
	Data   any
	// Export, when set, links the page's list as .xlsx and CSV (its
	// current filters kept), in the page head.
	Export *pager
}

type crumb struct {
	Label string
	Href  string
}

// render writes a full page with the layout.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	h.execute(w, r, status, name, "layout", p)
}

// renderPartial writes one named block of a page, for htmx swaps.
func (h *Handler) renderPartial(w http.ResponseWriter, r *http.Request, name, block string, p *page) {
	h.execute(w, r, http.StatusOK, name, block, p)
}

func (h *Handler) execute(w http.ResponseWriter, r *http.Request, status int, name, block string, p *page) {
	lang := langOf(r)
	set, scoped := h.tmpl.lookup(lang, name, block)
	if set == nil {
		h.log.Error("web: no such template", "name", name)
		http.Error(w, h.cat.Sprintf(lang, "error.internal"), http.StatusInternalServerError)
		return
	}
	p.Lang = lang
	p.Actor = actor(r)
	p.HTMX = h.static.url("vendor/htmx.min.js") != ""
	if block == "layout" {
		if p.Actor != nil {
			p.Menu = h.menu(lang, p.Actor, p.Nav)
			p.Unread = h.unreadCount(r)
		}
		if key := h.takeFlash(w, r); key != "" {
			p.Flash = h.tr(r, key)
		}
	}
	var buf bytes.Buffer
	if err := set.ExecuteTemplate(&buf, scoped, p); err != nil {
		h.log.Error("web: render", "template", name, "block", block, "err", err)
		http.Error(w, h.cat.Sprintf(lang, "error.internal"), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Add("Vary", "HX-Request")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// partialRequest reports whether r is an htmx request that swaps only the
// element with the given id (not a history restore, which needs the page).
func partialRequest(r *http.Request, target string) bool {
	return r.Header.Get("HX-Request") == "true" &&
		r.Header.Get("HX-History-Restore-Request") != "true" &&
		r.Header.Get("HX-Target") == target
}

const flashCookie = "zhagen_flash"

// setFlash remembers a message key for the next page the browser shows.
func (h *Handler) setFlash(w http.ResponseWriter, r *http.Request, key string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: key, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: h.secure(r), MaxAge: 60})
}

func (h *Handler) takeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil || c.Value == "" {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: h.secure(r), MaxAge: -1})
	if !h.cat.Has(c.Value) {
		return ""
	}
	return c.Value
}

// redirectFlash redirects after a successful POST with a flash message.
func (h *Handler) redirectFlash(w http.ResponseWriter, r *http.Request, to, flashKey string) {
	h.setFlash(w, r, flashKey)
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// day formats t as a date in Shanghai.
func day(t time.Time) string { return t.In(zhagen.Shanghai).Format("2006-01-02") }

// dayp formats *t as day does, or "—" when t is nil.
func dayp(t *time.Time) string {
	if t == nil {
		return "—"
	}
	return day(*t)
}
