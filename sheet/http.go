package sheet

import (
	"mime"
	"net/http"
	"time"

	"zhagen"
)

// Serve streams the table as f as a download named after the table. An
// error before the first byte (the scope refused, the query failed) is
// returned with nothing written, for the caller to answer as usual; once
// the download has begun an error can only cut it short.
func Serve[T any](w http.ResponseWriter, f Format, t Table[T], each Each[T]) error {
	// A long list outlasts the server's write timeout: an export has
	// its own (a recorder without deadlines ignores it).
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(exportTimeout))
	lw := &lazy{w: w, start: func() {
		hd := w.Header()
		hd.Set("Content-Type", f.ContentType())
		name := t.Name + "." + string(f)
		if d := mime.FormatMediaType("attachment", map[string]string{"filename": name}); d != "" {
			hd.Set("Content-Disposition", d)
		}
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Cache-Control", "private, no-store")
		w.WriteHeader(http.StatusOK)
	}}
	if err := Write(lw, f, t, each); err != nil {
		if lw.started {
			return &Interrupted{Err: err}
		}
		return err
	}
	return nil
}

// Interrupted is an error that came after the download began: the
// response is cut short and no error page can follow.
type Interrupted struct{ Err error }

func (e *Interrupted) Error() string { return "sheet: download interrupted: " + e.Err.Error() }
func (e *Interrupted) Unwrap() error { return e.Err }

// exportTimeout bounds the writing of one export (a million rows take
// a few minutes on a small machine).
const exportTimeout = 30 * time.Minute

// lazy sends the download's headers with its first byte.
type lazy struct {
	w       http.ResponseWriter
	start   func()
	started bool
}

func (l *lazy) Write(p []byte) (int, error) {
	if !l.started {
		l.started = true
		l.start()
	}
	return l.w.Write(p)
}

// ServeTemplate sends the kind's import template as a download.
func ServeTemplate(w http.ResponseWriter, kind zhagen.ImportKind) error {
	hd := w.Header()
	hd.Set("Content-Type", XLSX.ContentType())
	hd.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": kind.Label() + "导入模板.xlsx"}))
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Cache-Control", "private, no-store")
	return Template(w, kind)
}
