package api

import (
	_ "embed"
	"net/http"
)

// openAPI is the OpenAPI 3 document of the API. It is kept by hand; a test
// fails when a registered route is missing from it or it names a route
// that does not exist.
//
//go:embed openapi.json
var openAPI []byte

func serveOpenAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, err := w.Write(openAPI)
	return err
}
