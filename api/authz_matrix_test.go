package api_test

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"zhagen"
	"zhagen/api"
	"zhagen/catalog"
	"zhagen/docx"
	"zhagen/notify"
	"zhagen/sheet"
	"zhagen/sqldb"
	"zhagen/sqldb/sqldbtest"
)

// matrixActors are the users the API matrices act as ("" for no token):
// one of each role, and for staff a member of a unit below edb and of
// the talent centre (sqldbtest.Zone).
var matrixActors = []string{"admin", "disp", "leader", "staff", "unitstaff", "talentstaff", "cadre", "ent", "grad", ""}

// zoneAPI is the API over a sqldbtest.Zone with a token for every user.
type zoneAPI struct {
	t      *testing.T
	z      *sqldbtest.Zone
	h      *api.Handler
	tokens map[string]string
}

func newZoneAPI(t *testing.T, e sqldbtest.Engine) *zoneAPI {
	t.Helper()
	z := sqldbtest.NewZone(t, e)
	h := api.New(api.Config{Enterprises: z.Enterprises, Departments: z.Departments, Users: z.Users, Auth: z.Auth,
		Demands: z.Demands, Files: z.Files, Categories: z.Categories, Notifications: z.Notifications, Calendar: z.Calendar,
		Linkages: z.Linkages, Talent: z.Talent, Rates: z.Rates, Supervision: z.Supervision, Knowledge: z.Knowledge, Consultations: z.Consultations, Projects: z.Projects,
		Minutes: docx.Minutes, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		FollowUps: z.FollowUps, ReplyTemplates: z.ReplyTemplates, Clock: z.Clock, Oversight: sqldb.NewOversightService(z.DB), Policies: z.Policies,
		Channels: sqldb.NewChannelService(z.DB), ChannelTester: notify.NewCourier(sqldb.NewOutbox(z.DB), sqldb.NewChannelService(z.DB), catalog.MustLoad(), z.Clock),
		Imports: sheet.NewImporter(sqldb.NewImportService(z.DB), z.Clock)})
	v := &zoneAPI{t: t, z: z, h: h, tokens: map[string]string{}}
	for _, login := range sqldbtest.ZoneLogins {
		tok, err := z.Auth.CreateToken(z.Sys, z.ID("user:"+login), "matrix", 0)
		if err != nil {
			t.Fatal(err)
		}
		v.tokens[login] = tok.Token
	}
	return v
}

// get sends GET path as login ("" for no token) and returns the status
// and the body.
func (v *zoneAPI) get(login, path string) (int, []byte) {
	v.t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if login != "" {
		req.Header.Set("Authorization", "Bearer "+v.tokens[login])
	}
	w := httptest.NewRecorder()
	v.h.ServeHTTP(w, req)
	return w.Code, w.Body.Bytes()
}

func (v *zoneAPI) actor(login string) *zhagen.Actor { return v.z.Actors[login] }

// canDownload reports whether a may download the zone's file key: when it
// sees the file's owner as the files of that kind need.
func canDownload(z *sqldbtest.Zone, a *zhagen.Actor, key string) bool {
	kind, owner := z.FileOwner(z.ID(key))
	return zhagen.Can(a, sqldbtest.FileView(kind), z.Facts(a, kind, owner))
}

var zoneFiles = []string{"file:demandA", "file:demandB", "file:visitA", "file:visitB", "file:itemA", "file:itemB"}

// TestFileDownloadMatrix: every download address of the API — the one
// of every file and the addresses of before, naming an owner — as every
// role, for each file of the zone and under each owner's address: the
// file is served exactly when the caller may see its owner's files and
// the address names its owner; 404 (or 401 without a token) otherwise.
// The owner's file lists follow the same rule.
func TestFileDownloadMatrix(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		v := newZoneAPI(t, e)
		z := v.z
		// owners: the address prefix of each owner kind's files.
		owners := map[string]string{"demand": "/api/v1/demands/%d/attachments", "visit": "/api/v1/visits/%d/files", "item": "/api/v1/action-items/%d/evidence"}
		ownerKeys := map[string][]string{"demand": {"demand:A", "demand:B"}, "visit": {"visit:A", "visit:B"}, "item": {"item:Adone", "item:Bdone"}}
		covered := map[string]bool{}
		for _, login := range matrixActors {
			a := v.actor(login)
			for _, file := range zoneFiles {
				fid := z.ID(file)
				kind, owner := z.FileOwner(fid)
				ok := login != "" && canDownload(z, a, file)
				check := func(path string, want bool) {
					t.Helper()
					st, body := v.get(login, path)
					switch {
					case login == "" && st != http.StatusUnauthorized:
						t.Errorf("GET %s without a token: %d", path, st)
					case login != "" && want && (st != http.StatusOK || !strings.Contains(string(body), "%PDF")):
						t.Errorf("GET %s as %s (%s): %d, want the file", path, login, file, st)
					case login != "" && !want && st != http.StatusNotFound && st != http.StatusForbidden:
						t.Errorf("GET %s as %s (%s): %d, want 404", path, login, file, st)
					case login != "" && !want && st == http.StatusForbidden && zhagen.CanAny(a, sqldbtest.FileView(kind)):
						t.Errorf("GET %s as %s (%s): 403 tells the file exists, want 404", path, login, file)
					}
				}
				check(fmt.Sprintf("/api/v1/files/%d", fid), ok)
				covered["GET /api/v1/files/{id}"] = true
				// The owner's own address of the file, and every other
				// owner's of the kind, which must not serve it.
				for _, ok2 := range ownerKeys[kind] {
					oid := z.ID(ok2)
					path := fmt.Sprintf(owners[kind], oid)
					if kind != "item" {
						path += fmt.Sprintf("/%d", fid)
						covered["GET "+strings.Replace(owners[kind], "%d", "{id}", 1)+map[string]string{"demand": "/{aid}", "visit": "/{fid}"}[kind]] = true
					} else if oid != owner {
						continue // the evidence address names no file
					} else {
						covered["GET /api/v1/action-items/{id}/evidence"] = true
					}
					check(path, ok && oid == owner)
				}
			}
			// The file lists: 404 for an owner out of sight, and only files
			// the caller may download.
			for kind, keys := range ownerKeys {
				if kind == "item" {
					continue
				}
				for _, key := range keys {
					path := strings.Replace(owners[kind], "%d", fmt.Sprint(z.ID(key)), 1)
					covered["GET "+strings.Replace(owners[kind], "%d", "{id}", 1)] = true
					st, body := v.get(login, path)
					if login == "" {
						if st != http.StatusUnauthorized {
							t.Errorf("GET %s without a token: %d", path, st)
						}
						continue
					}
					sees := zhagen.Can(a, map[string]zhagen.Perm{"demand": zhagen.PermDemandView, "visit": zhagen.PermVisitView}[kind], z.Facts(a, kind, z.ID(key)))
					if !sees {
						if st != http.StatusNotFound && !(st == http.StatusForbidden && !zhagen.CanAny(a, zhagen.PermDemandView)) {
							t.Errorf("GET %s as %s: %d, want 404", path, login, st)
						}
						continue
					}
					var list struct{ Items []zhagen.File }
					if st != http.StatusOK || json.Unmarshal(body, &list) != nil {
						t.Errorf("GET %s as %s: %d %s", path, login, st, body)
						continue
					}
					for _, f := range list.Items {
						if !canDownload(z, a, zoneFileKey(z, f.ID)) {
							t.Errorf("GET %s as %s lists file %d, which it may not download", path, login, f.ID)
						}
					}
				}
			}
		}
		for _, r := range v.h.Routes() {
			// An enterprise's profile (一企一档) is a record, not a download.
			if strings.HasSuffix(r.Path, "/profile") {
				continue
			}
			if r.Method == http.MethodGet && (strings.Contains(r.Path, "file") || strings.Contains(r.Path, "attachment") || strings.Contains(r.Path, "evidence")) && !covered[r.Method+" "+r.Path] {
				t.Errorf("download route %s %s is not in the file matrix", r.Method, r.Path)
			}
		}
	})
}

// zoneFileKey is the zone key of file id.
func zoneFileKey(z *sqldbtest.Zone, id int64) string {
	for _, k := range zoneFiles {
		if z.IDs[k] == id {
			return k
		}
	}
	return ""
}
