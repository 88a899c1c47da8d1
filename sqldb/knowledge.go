package sqldb

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"zhagen"
	"zhagen/textindex"
)

// KnowledgeService is the knowledge base and the text services over the
// demands. The index of the demands' texts lives in memory: built from
// the table at the first lookup, then caught up before a lookup with the
// demands filed since (by id, at most every IndexRefresh), so a server
// also sees what another server over the same database filed. The
// dispatch model is learned from the routed demands and relearned in the
// background once it is older than ModelMaxAge. Lookups find candidates
// in the index and read them through the caller's demand scope.
type KnowledgeService struct {
	db      *DB
	demands *DemandService

	mu        sync.Mutex
	idx       *textindex.Index
	lastID    int64
	refreshed time.Time
	entries   *textindex.Index
	entriesAt time.Time
	model     *zhagen.DispatchModel
	modelAt   time.Time
	training  bool

	// evalMu serialises the evaluation, which trains and tests a model
	// over the whole history (seconds at a million demands): one caller
	// computes, the others wait and share it for ModelMaxAge.
	evalMu sync.Mutex
	eval   *zhagen.DispatchEval
	evalAt time.Time

	// problems keeps CommonProblems per scope, month and index state.
	problems genCache[string, []*zhagen.CommonProblem]

	IndexRefresh time.Duration
	ModelMaxAge  time.Duration
}

// NewKnowledgeService returns the knowledge service of db.
func NewKnowledgeService(db *DB, demands *DemandService) *KnowledgeService {
	return &KnowledgeService{db: db, demands: demands, IndexRefresh: time.Second, ModelMaxAge: 10 * time.Minute}
}

var _ zhagen.KnowledgeService = (*KnowledgeService)(nil)

// index returns the demand index, caught up with the table.
func (s *KnowledgeService) index(ctx context.Context) (*textindex.Index, error) {
	idx, _, err := s.indexAt(ctx)
	return idx, err
}

// indexAt returns the demand index and the last demand it holds.
func (s *KnowledgeService) indexAt(ctx context.Context) (*textindex.Index, int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.db.clock.Now()
	if s.idx != nil && now.Sub(s.refreshed) < s.IndexRefresh {
		return s.idx, s.lastID, nil
	}
	rows, err := s.db.query(ctx, `SELECT id, COALESCE(enterprise_id, 0), title, description FROM demands WHERE id > ? ORDER BY id`, s.lastID)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var docs []textindex.Doc
	var texts []string
	for rows.Next() {
		var d textindex.Doc
		var title, desc string
		if err := rows.Scan(&d.ID, &d.Group, &title, &desc); err != nil {
			return nil, 0, err
		}
		docs, texts = append(docs, d), append(texts, title+"\n"+desc)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if s.idx == nil {
		s.idx = textindex.New()
	}
	if len(docs) > 0 {
		s.idx.Build(docs, func(i int) string { return texts[i] })
		s.lastID = docs[len(docs)-1].ID
	}
	s.refreshed = now
	return s.idx, s.lastID, nil
}

// Similar finds demands the caller may see and entries like text.
func (s *KnowledgeService) Similar(ctx context.Context, text string, skip int64) (*zhagen.Similar, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	if !zhagen.CanAny(a, zhagen.PermDemandView) && !zhagen.CanAny(a, zhagen.PermKnowledgeView) {
		return nil, zhagen.Forbidden(zhagen.PermKnowledgeView)
	}
	out := &zhagen.Similar{Demands: []zhagen.SimilarDemand{}, Entries: []*zhagen.KnowledgeEntry{}}
	if zhagen.CanAny(a, zhagen.PermDemandView) {
		q := textindex.Query{Text: text, K: 60, MinScore: 0.2, Skip: skip}
		if all, via := zhagen.ScopeOf(a, zhagen.PermDemandView); !all && via == zhagen.RelOwnEnterprise && a.EnterpriseID != 0 {
			q.Group, q.K = a.EnterpriseID, 5 // an enterprise sees its own: look only there
		}
		if out.Demands, err = s.visible(ctx, q, 5); err != nil {
			return nil, err
		}
	}
	if zhagen.CanAny(a, zhagen.PermKnowledgeView) {
		if out.Entries, err = s.similarEntries(ctx, a, text, 5); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// visible reads the index's hits through the caller's scope, best first.
func (s *KnowledgeService) visible(ctx context.Context, q textindex.Query, k int) ([]zhagen.SimilarDemand, error) {
	idx, err := s.index(ctx)
	if err != nil {
		return nil, err
	}
	hits := idx.Search(q)
	out := []zhagen.SimilarDemand{}
	if len(hits) == 0 {
		return out, nil
	}
	ids := make([]int64, len(hits))
	score := map[int64]float64{}
	for i, h := range hits {
		ids[i], score[h.ID] = h.ID, h.Score
	}
	ds, _, err := s.demands.FindDemands(ctx, zhagen.DemandFilter{IDs: ids, Limit: len(ids)})
	if err != nil {
		return nil, err
	}
	for _, d := range ds {
		out = append(out, zhagen.SimilarDemand{Demand: d, Score: round2(score[d.ID])})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].Demand.ID < out[j].Demand.ID
	})
	return out[:min(k, len(out))], nil
}

func round2(f float64) float64 { return float64(int(f*100+0.5)) / 100 }

// Duplicates finds candidate duplicates of a demand across enterprises.
func (s *KnowledgeService) Duplicates(ctx context.Context, demandID int64) ([]zhagen.SimilarDemand, error) {
	if _, err := authorizeKind(ctx, zhagen.PermDemandDuplicates); err != nil {
		return nil, err
	}
	d, err := s.demands.FindDemandByID(ctx, demandID)
	if err != nil {
		return nil, err
	}
	return s.visible(ctx, textindex.Query{Text: d.Title + "\n" + d.Description, K: 8, MinScore: 0.35, Skip: d.ID}, 8)
}

// routed reads the routed demands the model learns from.
func (s *KnowledgeService) routed(ctx context.Context) ([]zhagen.RoutedDemand, error) {
	rows, err := s.db.query(ctx, `SELECT d.id, d.created_at, d.title, d.description, c.code, c.name, COALESCE(d.lead_dept_id, 0), COALESCE(dp.name, '')
		FROM demands d JOIN categories c ON c.id = d.category_id LEFT JOIN departments dp ON dp.id = d.lead_dept_id
		WHERE d.lead_dept_id IS NOT NULL ORDER BY d.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []zhagen.RoutedDemand
	for rows.Next() {
		var r zhagen.RoutedDemand
		if err := rows.Scan(&r.ID, &r.CreatedAt, &r.Title, &r.Description, &r.CategoryCode, &r.CategoryName, &r.LeadDeptID, &r.LeadDeptName); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Suggest answers the dispatch model's categories and departments.
func (s *KnowledgeService) Suggest(ctx context.Context, title, description string) (*zhagen.DispatchSuggestion, error) {
	if _, err := authorizeKind(ctx, zhagen.PermDispatchSuggest); err != nil {
		return nil, err
	}
	v := zhagen.Validation{}
	if title == "" && description == "" {
		v.Add("title", "请填写诉求标题或内容")
		return nil, v.Err()
	}
	m, err := s.currentModel(ctx)
	if err != nil {
		return nil, err
	}
	return m.Suggest(title, description), nil
}

// currentModel returns the model, learning it on first use and again in
// the background once it is old (meanwhile the old one answers).
func (s *KnowledgeService) currentModel(ctx context.Context) (*zhagen.DispatchModel, error) {
	s.mu.Lock()
	m, at, busy := s.model, s.modelAt, s.training
	now := s.db.clock.Now()
	if m != nil && now.Sub(at) >= s.ModelMaxAge && !busy {
		s.training = true
		go func() {
			rows, err := s.routed(context.WithoutCancel(ctx))
			s.mu.Lock()
			defer s.mu.Unlock()
			s.training = false
			if err == nil {
				s.model, s.modelAt = zhagen.TrainDispatch(rows), s.db.clock.Now()
			}
		}()
	}
	s.mu.Unlock()
	if m != nil {
		return m, nil
	}
	rows, err := s.routed(ctx)
	if err != nil {
		return nil, err
	}
	m = zhagen.TrainDispatch(rows)
	s.mu.Lock()
	s.model, s.modelAt = m, now
	s.mu.Unlock()
	return m, nil
}

// DispatchEval evaluates the model on the live history: trained on the
// first 80% by filing time, tested on the rest. The result is kept for
// ModelMaxAge, as the live model is.
func (s *KnowledgeService) DispatchEval(ctx context.Context) (*zhagen.DispatchEval, error) {
	if _, err := authorizeKind(ctx, zhagen.PermDispatchEval); err != nil {
		return nil, err
	}
	s.evalMu.Lock()
	defer s.evalMu.Unlock()
	now := s.db.clock.Now()
	if s.eval != nil && now.Sub(s.evalAt) < s.ModelMaxAge {
		return s.eval, nil
	}
	rows, err := s.routed(ctx)
	if err != nil {
		return nil, err
	}
	s.eval, s.evalAt = zhagen.EvalDispatch(rows, 0.8), now
	return s.eval, nil
}

// RoutedDemands is the history the dispatch model learns from (for the
// command line's evaluation; no caller check).
func (s *KnowledgeService) RoutedDemands(ctx context.Context) ([]zhagen.RoutedDemand, error) {
	return s.routed(ctx)
}

// CommonProblems clusters the demands filed in [from, to) that the caller
// sees; a cluster counts when it spans two enterprises or more. The
// clusters of each scope and month are kept until a table the list reads
// changes (its generation) or the index takes in new demands: clustering
// a month costs tens of milliseconds, and the page is opened far more
// often than demands are filed. Callers must not modify what it returns.
func (s *KnowledgeService) CommonProblems(ctx context.Context, from, to time.Time) ([]*zhagen.CommonProblem, error) {
	if _, err := authorizeKind(ctx, zhagen.PermCommonProblemView); err != nil {
		return nil, err
	}
	f := zhagen.DemandFilter{From: &from, To: &to, Sort: "created", Limit: 2000}
	q, err := s.demands.listQuery(ctx, f)
	if err != nil {
		return nil, err
	}
	gen, err := s.db.queryGeneration(ctx, q.from+q.w.String())
	if err != nil {
		return nil, err
	}
	idx, indexed, err := s.indexAt(ctx)
	if err != nil {
		return nil, err
	}
	key := fmt.Sprint(indexed, "\x00", q.w.String(), "\x00", q.w.args)
	if ps, ok := s.problems.get(gen, key); ok {
		return ps, nil
	}
	ps, err := s.commonProblems(ctx, f, idx)
	if err != nil {
		return nil, err
	}
	s.problems.put(gen, key, ps)
	return ps, nil
}

// commonProblems clusters the demands f lists with the weights of idx.
func (s *KnowledgeService) commonProblems(ctx context.Context, f zhagen.DemandFilter, idx *textindex.Index) ([]*zhagen.CommonProblem, error) {
	ds, _, err := s.demands.FindDemands(ctx, f)
	if err != nil {
		return nil, err
	}
	texts := make([]string, len(ds))
	for i, d := range ds {
		texts[i] = d.Title + "\n" + d.Description
	}
	out := []*zhagen.CommonProblem{}
	for _, members := range textindex.Cluster(texts, idx, CommonProblemThreshold) {
		p := &zhagen.CommonProblem{Size: len(members), Title: ds[members[textindex.Representative(texts, members)]].Title}
		for _, m := range members {
			d := ds[m]
			p.Demands = append(p.Demands, d)
			p.DemandIDs = append(p.DemandIDs, d.ID)
			if d.EnterpriseName != "" && !slices.Contains(p.Enterprises, d.EnterpriseName) {
				p.Enterprises = append(p.Enterprises, d.EnterpriseName)
			}
			if d.LeadDeptName != "" && !slices.Contains(p.Departments, d.LeadDeptName) {
				p.Departments = append(p.Departments, d.LeadDeptName)
			}
		}
		led := map[int64]int{}
		for _, d := range p.Demands {
			if d.LeadDeptID != 0 {
				if led[d.LeadDeptID]++; led[d.LeadDeptID] > led[p.LeadDeptID] {
					p.LeadDeptID = d.LeadDeptID
				}
			}
		}
		if len(p.Enterprises) >= 2 {
			out = append(out, p)
		}
	}
	return out, nil
}

// CommonProblemThreshold is the least cosine that joins a demand to a
// cluster.
var CommonProblemThreshold = textindex.ClusterThreshold
