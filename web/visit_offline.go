package web

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"zhagen"
)

// Offline visits (PWA). The new-visit form carries an idempotency key; its
// script keeps the visit in the phone's IndexedDB until the server has it
// and sends it (fields and resized photos, one multipart request) with
// Accept: application/json, so the answer is visitReply. A retry with the
// same key answers with the visit already written and adds only the photos
// it lacks. The service worker (static/sw.js, served at /sw.js for the
// whole site's scope) keeps the cadre's pages for when there is no signal.

// newIdempotencyKey draws the key of a new visit form.
func newIdempotencyKey() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// checkInOf reads the optional GPS check-in of the form; nil when the
// cadre took none. Numbers that do not parse fail validation as NaN.
func checkInOf(p func(string) string, now time.Time) *zhagen.CheckIn {
	lat, long := strings.TrimSpace(p("checkin_lat")), strings.TrimSpace(p("checkin_long"))
	if lat == "" && long == "" {
		return nil
	}
	num := func(s string) float64 {
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return math.NaN()
		}
		return x
	}
	c := &zhagen.CheckIn{Lat: num(lat), Long: num(long), At: now}
	if s := strings.TrimSpace(p("checkin_acc")); s != "" {
		c.Accuracy = num(s)
	}
	if t, err := time.Parse(time.RFC3339, strings.TrimSpace(p("checkin_at"))); err == nil && !t.After(now) {
		c.At = t
	}
	return c
}

// wantsJSON: the offline script asks for a JSON answer.
func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

// visitReply is the JSON answer to the offline script.
type visitReply struct {
	ID       int64             `json:"id,omitempty"`
	URL      string            `json:"url,omitempty"`
	Replayed bool              `json:"replayed,omitempty"`
	Photos   int               `json:"photos,omitempty"`   // photos stored by this request
	Warnings []string          `json:"warnings,omitempty"` // photos refused (kind, size)
	Error    string            `json:"error,omitempty"`
	Fields   map[string]string `json:"fields,omitempty"`
	Keep     bool              `json:"keep,omitempty"` // the draft stays for the cadre to resolve
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// storeVisitPhotos stores the photos of the form's "photo" field on the
// visit, skipping names the visit already has (a replay). A photo the
// store refuses (EINVALID) is a warning; any other error is returned.
func (h *Handler) storeVisitPhotos(r *http.Request, v *zhagen.Visit) (stored int, warnings []string, err error) {
	if r.MultipartForm == nil || len(r.MultipartForm.File["photo"]) == 0 {
		return 0, nil, nil
	}
	have := map[string]bool{}
	if v.Replayed {
		files, err := h.cfg.Files.FindFiles(ctx(r), zhagen.VisitFiles(v.ID))
		if err != nil {
			return 0, nil, err
		}
		for _, f := range files {
			have[f.Name] = true
		}
	}
	for _, fh := range r.MultipartForm.File["photo"] {
		if have[fh.Filename] {
			continue
		}
		f, err := fh.Open()
		if err != nil {
			return stored, warnings, err
		}
		data, err := io.ReadAll(io.LimitReader(f, zhagen.MaxFileSize+1))
		f.Close()
		if err != nil {
			return stored, warnings, err
		}
		if _, err := h.cfg.Files.AddFile(ctx(r), zhagen.VisitFiles(v.ID), fh.Filename, data); err != nil {
			if zhagen.ErrorCode(err) == zhagen.EINVALID || zhagen.ErrorCode(err) == zhagen.ECONFLICT {
				warnings = append(warnings, fh.Filename+"："+zhagen.ErrorMessage(err))
				continue
			}
			return stored, warnings, err
		}
		have[fh.Filename] = true
		stored++
	}
	return stored, warnings, nil
}

// visitSaved answers a created visit: its photos, then JSON for the
// offline script or the redirect to the visit page.
func (h *Handler) visitSaved(w http.ResponseWriter, r *http.Request, v *zhagen.Visit) {
	n, warnings, err := h.storeVisitPhotos(r, v)
	url := "/visits/" + strconv.FormatInt(v.ID, 10)
	if wantsJSON(r) {
		if err != nil {
			// The visit is kept; the retry (same key) adds the photos it lacks.
			h.log.Error("web: visit photos", "visit", v.ID, "err", err)
			writeJSON(w, http.StatusServiceUnavailable, visitReply{ID: v.ID, Error: h.tr(r, "vs.sync.photo_retry")})
			return
		}
		writeJSON(w, http.StatusOK, visitReply{ID: v.ID, URL: url, Replayed: v.Replayed, Photos: n, Warnings: warnings})
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	flash := "vs.flash.saved"
	if len(v.Flags) > 0 {
		flash = "vs.flash.flagged"
	}
	if len(warnings) > 0 {
		flash = "vs.flash.photo_refused"
	}
	h.redirectFlash(w, r, url, flash)
}

// visitRefusedJSON answers the offline script when the visit was not
// written: field errors, or a message (the link ended) with the draft kept.
func (h *Handler) visitRefusedJSON(w http.ResponseWriter, r *http.Request, err error, errs map[string]string) {
	rep := visitReply{Fields: errs, Keep: true}
	status := http.StatusUnprocessableEntity
	switch zhagen.ErrorCode(err) {
	case "":
	case zhagen.EINVALID:
		rep.Fields = zhagen.FieldErrors(err)
	case zhagen.ENOTFOUND, zhagen.ECONFLICT, zhagen.EFORBIDDEN:
		status = map[string]int{zhagen.ENOTFOUND: http.StatusNotFound, zhagen.ECONFLICT: http.StatusConflict, zhagen.EFORBIDDEN: http.StatusForbidden}[zhagen.ErrorCode(err)]
		rep.Error = zhagen.ErrorMessage(err)
	default:
		h.log.Error("web: offline visit", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, visitReply{Error: h.tr(r, "vs.sync.server")})
		return
	}
	if rep.Error == "" {
		rep.Error = h.tr(r, "form.fix", len(rep.Fields))
	}
	writeJSON(w, status, rep)
}

// visitSync is GET /visits/sync: what waits on this phone to be sent and
// what failed, and why. The list is the script's (IndexedDB); the page is
// its frame, kept by the service worker for use without signal.
func (h *Handler) visitSync(w http.ResponseWriter, r *http.Request) {
	if !zhagen.CanAny(actor(r), zhagen.PermVisitLog) {
		h.forbidden(w, r, zhagen.PermVisitLog)
		return
	}
	title := h.tr(r, "nav.lk_sync")
	h.render(w, r, http.StatusOK, "visit_sync", &page{Title: title, Nav: "lk_sync",
		Crumbs: []crumb{{Label: h.tr(r, "nav.lk_visits"), Href: "/visits"}, {Label: title}}})
}

// serviceWorker is GET /sw.js: the worker at the site's root so that its
// scope is the whole site; never cached long, so a new release reaches
// the phones.
func (h *Handler) serviceWorker(w http.ResponseWriter, r *http.Request) {
	f := h.static.files["sw.js"]
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("Service-Worker-Allowed", "/")
	// The worker names its cache after the assets it serves.
	io.WriteString(w, "const VERSION = "+strconv.Quote(h.static.files["app.js"].hash+h.static.files["app.css"].hash+f.hash)+";\n")
	w.Write(f.data)
}

// manifest is GET /manifest.webmanifest: the app as a phone installs it.
func (h *Handler) manifest(w http.ResponseWriter, r *http.Request) {
	m := map[string]any{
		"name": h.tr(r, "app.name"), "short_name": h.tr(r, "app.short"), "lang": "zh-CN",
		"start_url": "/", "scope": "/", "display": "standalone",
		"background_color": "#ffffff", "theme_color": "#1f5fbf",
		"icons": []map[string]string{
			{"src": h.static.url("icon.svg"), "sizes": "any", "type": "image/svg+xml", "purpose": "any"},
		},
	}
	w.Header().Set("Content-Type", "application/manifest+json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	json.NewEncoder(w).Encode(m)
}

// favicon is GET /favicon.ico for browsers that ask without reading the
// page's icon link: the same SVG.
func (h *Handler) favicon(w http.ResponseWriter, r *http.Request) {
	f := h.static.files["icon.svg"]
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Write(f.data)
}
