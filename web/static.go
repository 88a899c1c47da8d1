package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"
)

// staticFiles serves the embedded static/ tree. Files are read once; each
// has a content hash used both as ETag and as the ?v= of its URL, so
// versioned URLs can be cached for a year.
type staticFiles struct {
	files map[string]*staticFile // keyed by path below static/, e.g. "app.css"
}

type staticFile struct {
	name  string
	data  []byte
	hash  string
	ctype string

	gzipOnce sync.Once
	gzipped  []byte // nil when compression does not pay
}

func loadStatic(fsys fs.FS) (*staticFiles, error) {
	s := &staticFiles{files: map[string]*staticFile{}}
	err := fs.WalkDir(fsys, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		name := strings.TrimPrefix(p, "static/")
		ctype := mime.TypeByExtension(path.Ext(name))
		if ctype == "" {
			ctype = http.DetectContentType(data)
		}
		s.files[name] = &staticFile{name: name, data: data, hash: hex.EncodeToString(sum[:6]), ctype: ctype}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if s.files["app.css"] == nil {
		return nil, fs.ErrNotExist
	}
	return s, nil
}

// url returns the versioned URL of a static file, or "" when the file is
// not embedded (vendor files are absent until scripts/assets.sh ran).
func (s *staticFiles) url(name string) string {
	f := s.files[name]
	if f == nil {
		return ""
	}
	return "/static/" + name + "?v=" + f.hash
}

func (s *staticFiles) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f := s.files[strings.TrimPrefix(r.URL.Path, "/static/")]
	if f == nil {
		http.NotFound(w, r)
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Type", f.ctype)
	hdr.Set("Vary", "Accept-Encoding")
	if r.URL.Query().Get("v") == f.hash {
		hdr.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		hdr.Set("Cache-Control", "public, max-age=300")
	}
	data, etag := f.data, `"`+f.hash+`"`
	if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") && r.Header.Get("Range") == "" {
		if gz := f.compressed(); gz != nil {
			hdr.Set("Content-Encoding", "gzip")
			data, etag = gz, `"`+f.hash+`-gz"`
		}
	}
	hdr.Set("ETag", etag)
	http.ServeContent(w, r, f.name, time.Time{}, bytes.NewReader(data))
}

// compressed returns the gzipped file, computed on first use.
func (f *staticFile) compressed() []byte {
	f.gzipOnce.Do(func() {
		if len(f.data) < 1024 || !compressible(f.ctype) {
			return
		}
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(f.data)
		zw.Close()
		if buf.Len() < len(f.data)*9/10 {
			f.gzipped = buf.Bytes()
		}
	})
	return f.gzipped
}

func compressible(ctype string) bool {
	return strings.HasPrefix(ctype, "text/") || strings.Contains(ctype, "javascript") ||
		strings.Contains(ctype, "json") || strings.Contains(ctype, "svg")
}
