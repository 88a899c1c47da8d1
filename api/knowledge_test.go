package api_test

import (
	"context"
	"encoding/json"
	"net/url"
	"testing"

	"zhagen"
	"zhagen/sqldb/sqldbtest"
)

// The suggestion answers categories with code, name and confidence and
// the words behind them; similar keeps an enterprise to its own demands.
func TestSuggestAndSimilar(t *testing.T) {
	v := newZoneAPI(t, sqldbtest.OneStore(t, "JSON shape; the scope is sqldb's TestKnowledgeSimilarScope"))
	st, body := v.do("disp", "POST", "/api/v1/demands/suggest", map[string]any{"title": "双回路供电", "description": "生产扩能需要"}, false)
	if st != 200 {
		t.Fatalf("suggest: %d %s", st, body)
	}
	var s struct {
		Categories []struct {
			Code       string   `json:"code"`
			Name       string   `json:"name"`
			Confidence float64  `json:"confidence"`
			Words      []string `json:"words"`
		} `json:"categories"`
		Departments []struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		} `json:"departments"`
	}
	if err := json.Unmarshal([]byte(body), &s); err != nil {
		t.Fatal(err)
	}
	if len(s.Categories) == 0 || s.Categories[0].Code == "" || s.Categories[0].Confidence <= 0 || s.Categories[0].Words == nil {
		t.Fatalf("suggestion = %s", body)
	}
	if st, body := v.do("disp", "POST", "/api/v1/demands/suggest", map[string]any{"title": " "}, false); st != 422 {
		t.Fatalf("empty suggest: %d %s", st, body)
	}
	st, body = v.do("ent", "GET", "/api/v1/demands/similar?text="+url.QueryEscape("诉求B厂房报建 厂房二期"), nil, false)
	if st != 200 {
		t.Fatalf("similar: %d %s", st, body)
	}
	var sim struct {
		Demands []struct {
			Demand struct {
				EnterpriseID int64 `json:"enterprise_id"`
			} `json:"demand"`
		} `json:"demands"`
	}
	if err := json.Unmarshal([]byte(body), &sim); err != nil {
		t.Fatal(err)
	}
	for _, d := range sim.Demands {
		if d.Demand.EnterpriseID != v.z.IDs["ent:A"] {
			t.Fatalf("enterprise A sees a demand of enterprise %d: %s", d.Demand.EnterpriseID, body)
		}
	}
	if st, _ := v.do("disp", "GET", "/api/v1/demands/similar", nil, false); st != 400 {
		t.Fatalf("similar without text: %d", st)
	}
}

// A server's first lookups do not wait for the index and the model: they
// answer at once, empty, with pending and the notice 索引建立中; once
// built, the same lookups find.
func TestSuggestAndSimilarPendingWhileBuilding(t *testing.T) {
	v := newZoneAPI(t, sqldbtest.OneStore(t, "JSON shape; the states are sqldb's TestKnowledgePendingWhileIndexBuilds"))
	v.z.Knowledge.Background = true
	type answer struct {
		Demands    []json.RawMessage `json:"demands"`
		Categories []json.RawMessage `json:"categories"`
		Pending    bool              `json:"pending"`
		Notice     string            `json:"notice"`
	}
	ask := func() (sim, sg answer) {
		st, body := v.do("disp", "GET", "/api/v1/demands/similar?text="+url.QueryEscape("诉求B厂房报建 厂房二期"), nil, false)
		if st != 200 || json.Unmarshal([]byte(body), &sim) != nil {
			t.Fatalf("similar: %d %s", st, body)
		}
		st, body = v.do("disp", "POST", "/api/v1/demands/suggest", map[string]any{"title": "双回路供电"}, false)
		if st != 200 || json.Unmarshal([]byte(body), &sg) != nil {
			t.Fatalf("suggest: %d %s", st, body)
		}
		return sim, sg
	}
	sim, sg := ask()
	for _, a := range []answer{sim, sg} {
		if !a.Pending || a.Notice != zhagen.IndexBuilding || len(a.Demands)+len(a.Categories) != 0 {
			t.Fatalf("first lookup = %+v, want empty, pending, 索引建立中", a)
		}
	}
	if err := v.z.Knowledge.Warm(context.Background()); err != nil {
		t.Fatal(err)
	}
	sim, sg = ask()
	if sim.Pending || sim.Notice != "" || len(sim.Demands) == 0 || sg.Pending || len(sg.Categories) == 0 {
		t.Fatalf("once built: similar %+v, suggestion %+v", sim, sg)
	}
}
