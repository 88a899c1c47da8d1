package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"zhagen"
	"zhagen/sqldb"
	"zhagen/sqldb/sqldbtest"
)

var zoneBulletins sync.Map // *zoneAPI → a draft bulletin's id

// bulletinPath is /api/v1/bulletins/{id}+suffix of a draft bulletin of
// the zone, made on first use.
func bulletinPath(suffix string) func(v *zoneAPI, _ string) string {
	return func(v *zoneAPI, _ string) string {
		id, ok := zoneBulletins.Load(v)
		if !ok {
			b, err := sqldb.NewOversightService(v.z.DB).CreateBulletin(v.z.Sys, v.z.Clock.Now().AddDate(0, -1, 0).Format("2006-01"))
			if err != nil {
				v.t.Fatal(err)
			}
			id = b.ID
			zoneBulletins.Store(v, id)
		}
		return fmt.Sprintf("/api/v1/bulletins/%d%s", id, suffix)
	}
}

// TestAPIRankingsAndBulletins: /api/v1/rankings answers the departments
// to department staff and the cadres too to a leader; a bulletin is
// drafted by the dispatcher, issued once by the leader and numbered.
func TestAPIRankingsAndBulletins(t *testing.T) {
	v := newZoneAPI(t, sqldbtest.OneStore(t, "rankings and bulletins"))
	var rk struct {
		Depts  []map[string]any `json:"depts"`
		Cadres []map[string]any `json:"cadres"`
	}
	st, body := v.get("leader", "/api/v1/rankings")
	if st != http.StatusOK || json.Unmarshal(body, &rk) != nil || rk.Cadres == nil {
		t.Fatalf("leader's rankings: %d %s", st, body)
	}
	rk.Cadres = nil
	st, body = v.get("staff", "/api/v1/rankings")
	if st != http.StatusOK || json.Unmarshal(body, &rk) != nil || rk.Cadres != nil {
		t.Fatalf("staff's rankings: %d %s", st, body)
	}
	st, out := v.do("disp", "POST", "/api/v1/bulletins", map[string]any{"month": "2026-10"}, false)
	if st != http.StatusCreated {
		t.Fatalf("draft: %d %s", st, out)
	}
	var b struct {
		ID      int64  `json:"id"`
		Version int64  `json:"version"`
		Issue   string `json:"issue"`
		Status  zhagen.BulletinStatus
	}
	json.Unmarshal([]byte(out), &b)
	path := fmt.Sprintf("/api/v1/bulletins/%d/issue", b.ID)
	if st, out := v.do("disp", "POST", path, map[string]any{"version": b.Version}, false); st != http.StatusForbidden {
		t.Errorf("dispatcher issues: %d %s", st, out)
	}
	st, out = v.do("leader", "POST", path, map[string]any{"version": b.Version}, false)
	json.Unmarshal([]byte(out), &b)
	if st != http.StatusOK || b.Status != zhagen.BulletinIssued || b.Issue == "" {
		t.Fatalf("issue: %d %s", st, out)
	}
	if st, _ := v.do("leader", "POST", path, map[string]any{"version": b.Version}, false); st != http.StatusConflict {
		t.Errorf("second issue: %d", st)
	}
}
