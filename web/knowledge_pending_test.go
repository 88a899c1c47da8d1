package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"zhagen"
)

// pendingKnowledge answers as the knowledge service does while the index
// of the demands and the dispatch model are being built.
type pendingKnowledge struct{ zhagen.KnowledgeService }

func (pendingKnowledge) Similar(context.Context, string, int64) (*zhagen.Similar, error) {
	return &zhagen.Similar{Demands: []zhagen.SimilarDemand{}, Entries: []*zhagen.KnowledgeEntry{}, Pending: true, Notice: zhagen.IndexBuilding}, nil
}

func (pendingKnowledge) Suggest(context.Context, string, string) (*zhagen.DispatchSuggestion, error) {
	return &zhagen.DispatchSuggestion{Categories: []zhagen.SuggestedLabel{}, Departments: []zhagen.SuggestedLabel{}, Pending: true, Notice: zhagen.IndexBuilding}, nil
}

func (pendingKnowledge) Duplicates(context.Context, int64) ([]zhagen.SimilarDemand, bool, error) {
	return []zhagen.SimilarDemand{}, true, nil
}

// While the index is being built the filing form's panel, the dispatch
// suggestion and the duplicates say 索引建立中 instead of nothing; the
// form's panel asks again a second later, until the index answers.
func TestKnowledgeSaysIndexBuilding(t *testing.T) {
	e := newTestEnv(t, func(c *Config) { c.Knowledge = pendingKnowledge{c.Knowledge} })
	cat := e.powerCategory(t, 0)
	e.login("ent1").get("/demands/similar?title="+url.QueryEscape("夜间跳闸影响生产")).wantStatus(t, http.StatusOK).
		contains(t, "索引建立中，相似诉求稍后即可查到", `hx-trigger="load delay:1s"`).lacks(t, "暂未找到相似的答复或诉求")
	d := e.login("disp1")
	form := url.Values{"key": {"disp-1"}, "category_id": {strconv.FormatInt(cat.ID, 10)}, "title": {"乙光电用电增容"}, "enterprise_id": {strconv.FormatInt(e.entB.ID, 10)},
		"description": {"热线来电：申请增容"}, "answers.load_kw": {"500"}, "channel": {"hotline"}, "priority": {"urgent"}}
	id := demandID(t, d.post("/demands", form))
	d.get(fmt.Sprintf("/demands/%d", id)).wantStatus(t, http.StatusOK).
		contains(t, "索引建立中，派单建议稍后即可给出", "索引建立中，疑似重复诉求稍后即可查到").lacks(t, "尚无历史派单可供学习")
}
