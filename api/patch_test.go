package api_test

import (
	"net/http"
	"strings"
	"testing"

	"zhagen/sqldb/sqldbtest"
)

// TestPatchOfFieldsTheActorMayNotChange: the owning department's staff
// may move a key project's status but not change what it is; a PATCH that
// changes such a field is refused with 403 naming it, and leaves the
// version alone (it answered 200 and bumped the version, changing
// nothing). Fields sent unchanged are no change.
func TestPatchOfFieldsTheActorMayNotChange(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		v := newEnv(t, e)
		_, me := v.do("staff", "GET", "/api/v1/me", nil)
		st, p := v.do("admin", "POST", "/api/v1/projects", map[string]any{"name": "芯片产业园", "level": "district", "owner_dept_id": me["dept_id"], "status": "prep", "industry": "集成电路"})
		if st != http.StatusCreated && st != http.StatusOK {
			t.Fatalf("create project: %d %v", st, p)
		}
		path := "/api/v1/projects/" + itoa(int64(p["id"].(float64)))
		for field, val := range map[string]any{"name": "改名", "level": "provincial", "description": "改写", "investment": 9.5, "industry": "生物医药"} {
			st, b := v.do("staff", "PATCH", path, map[string]any{"version": 1, field: val})
			if st != http.StatusForbidden || errField(b, "field") != field || !strings.Contains(errField(b, "message"), "修改重点项目") {
				t.Errorf("staff changes %s: %d %v, want 403 naming %s", field, st, b, field)
			}
		}
		if _, got := v.do("staff", "GET", path, nil); got["version"].(float64) != 1 || got["name"] != "芯片产业园" {
			t.Fatalf("after refused PATCHes: %v", got)
		}
		if st, b := v.do("staff", "PATCH", path, map[string]any{"version": 1, "status": "building", "name": "芯片产业园"}); st != http.StatusOK || b["version"].(float64) != 2 || b["status"] != "building" {
			t.Fatalf("staff moves the status: %d %v", st, b)
		}
		if st, b := v.do("admin", "PATCH", path, map[string]any{"version": 2, "name": "芯片产业园二期"}); st != http.StatusOK || b["name"] != "芯片产业园二期" {
			t.Fatalf("admin renames: %d %v", st, b)
		}
	})
}
