// Package download writes a stored file to an HTTP response as a
// download, with the same headers from every route that serves files
// (web and API alike).
package download

import (
	"net/http"
	"strconv"

	"zhagen"
)

// Serve writes f's data as a download: the content type fixed at upload,
// Content-Disposition attachment with the name (RFC 5987 when not ASCII);
// sniffing, scripts and caching are off.
func Serve(w http.ResponseWriter, f *zhagen.File, data []byte) {
	hd := w.Header()
	hd.Set("Content-Type", f.ContentType)
	hd.Set("Content-Disposition", f.Disposition())
	hd.Set("Content-Length", strconv.Itoa(len(data)))
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	hd.Set("Cache-Control", "private, no-store")
	w.Write(data)
}
