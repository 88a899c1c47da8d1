package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"zhagen"
	"zhagen/textindex"
)

// KnowledgeService is the knowledge base and the text services over the
// demands. The index of the demands' texts lives in memory (it keeps no
// texts: IDs, groups and postings): built from the table, then caught up
// before a lookup with the demands filed since (by id, at most every
// IndexRefresh), so a server also sees what another server over the same
// database filed. The dispatch model is learned from the routed demands
// and relearned in the background once it is older than ModelMaxAge.
// With Background set (a server) neither is ever waited for: until the
// first build is done a lookup answers empty and pending. Lookups find
// candidates in the index and read them through the caller's demand
// scope.
type KnowledgeService struct {
	db      *DB
	demands *DemandService

	mu        sync.Mutex
	idx       *textindex.Index
	building  chan struct{} // closed when the build under way ends
	buildErr  error         // of the last build
	lastID    int64
	refreshed time.Time
	// gaps are ids below lastID the index has not seen, since when: a
	// transaction that took its id before a later one committed after it
	// (PostgreSQL's writers run side by side), or one rolled back. Each
	// catch-up looks for them again until gapWait has passed.
	gaps      map[int64]time.Time
	entries   *textindex.Index
	entriesAt time.Time
	model     *zhagen.DispatchModel
	modelAt   time.Time
	training  chan struct{} // closed when the learning under way ends
	learnErr  error
	holdBuild chan struct{} // tests: builds wait for it to close

	// evalMu serialises the evaluation, which trains and tests a model
	// over the latest ModelWindow routed demands (seconds): one caller
	// computes, the others wait and share it for ModelMaxAge.
	evalMu sync.Mutex
	eval   *zhagen.DispatchEval
	evalAt time.Time

	// problems keeps CommonProblems per scope, month and index state.
	problems genCache[string, []*zhagen.CommonProblem]

	IndexRefresh time.Duration
	ModelMaxAge  time.Duration
	// ModelWindow is how many of the latest routed demands the model
	// learns from and is evaluated on (0: all of them). The routing of
	// recent years is what a suggestion should follow (departments merge
	// and split), and a model of the whole history grows with it: at a
	// million demands its terms held 90 MB, and the evaluation read every
	// routed demand into memory at once.
	ModelWindow int
	// Background makes the first build of the index and the first
	// learning of the model run in the background, lookups answering
	// pending meanwhile, instead of making the first lookup wait.
	Background bool
}

// NewKnowledgeService returns the knowledge service of db.
func NewKnowledgeService(db *DB, demands *DemandService) *KnowledgeService {
	return &KnowledgeService{db: db, demands: demands, IndexRefresh: time.Second, ModelMaxAge: 10 * time.Minute, ModelWindow: 200_000}
}

var _ zhagen.KnowledgeService = (*KnowledgeService)(nil)

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
		if out.Demands, out.Pending, err = s.visible(ctx, q, 5); err != nil {
			return nil, err
		}
		if out.Pending {
			out.Notice = zhagen.IndexBuilding
		}
	}
	if zhagen.CanAny(a, zhagen.PermKnowledgeView) {
		if out.Entries, err = s.similarEntries(ctx, a, text, 5); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// visible reads the index's hits through the caller's scope, best first
// (none, pending, while the index is being built).
func (s *KnowledgeService) visible(ctx context.Context, q textindex.Query, k int) ([]zhagen.SimilarDemand, bool, error) {
	out := []zhagen.SimilarDemand{}
	idx, pending, err := s.index(ctx)
	if err != nil || pending {
		return out, pending, err
	}
	hits := idx.Search(q)
	if len(hits) == 0 {
		return out, false, nil
	}
	ids := make([]int64, len(hits))
	score := map[int64]float64{}
	for i, h := range hits {
		ids[i], score[h.ID] = h.ID, h.Score
	}
	ds, _, err := s.demands.FindDemands(ctx, zhagen.DemandFilter{IDs: ids, Limit: len(ids)})
	if err != nil {
		return nil, false, err
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
	return out[:min(k, len(out))], false, nil
}

func round2(f float64) float64 { return float64(int(f*100+0.5)) / 100 }

// Duplicates finds candidate duplicates of a demand across enterprises.
func (s *KnowledgeService) Duplicates(ctx context.Context, demandID int64) ([]zhagen.SimilarDemand, bool, error) {
	if _, err := authorizeKind(ctx, zhagen.PermDemandDuplicates); err != nil {
		return nil, false, err
	}
	d, err := s.demands.FindDemandByID(ctx, demandID)
	if err != nil {
		return nil, false, err
	}
	return s.visible(ctx, textindex.Query{Text: d.Title + "\n" + d.Description, K: 8, MinScore: 0.35, Skip: d.ID}, 8)
}

// eachRouted calls f with each routed demand the model learns from (the
// latest ModelWindow), by id, reading in pages.
func (s *KnowledgeService) eachRouted(ctx context.Context, f func(zhagen.RoutedDemand)) error {
	last := int64(0)
	if s.ModelWindow > 0 {
		// The id just below the window's oldest; none when the history
		// is shorter than the window.
		err := s.db.queryRow(ctx, `SELECT id FROM demands WHERE lead_dept_id IS NOT NULL ORDER BY id DESC LIMIT 1 OFFSET ?`, s.ModelWindow).Scan(&last)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
	}
	for {
		n, err := s.routedPage(ctx, last, func(r zhagen.RoutedDemand) { last = r.ID; f(r) })
		if err != nil || n < indexPage {
			return err
		}
	}
}

// routedPage reads up to indexPage routed demands with an id above from.
func (s *KnowledgeService) routedPage(ctx context.Context, from int64, f func(zhagen.RoutedDemand)) (int, error) {
	rows, err := s.db.query(ctx, `SELECT d.id, d.created_at, d.title, d.description, c.code, c.name, COALESCE(d.lead_dept_id, 0), COALESCE(dp.name, '')
		FROM demands d JOIN categories c ON c.id = d.category_id LEFT JOIN departments dp ON dp.id = d.lead_dept_id
		WHERE d.lead_dept_id IS NOT NULL AND d.id > ? ORDER BY d.id LIMIT ?`, from, indexPage)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var r zhagen.RoutedDemand
		if err := rows.Scan(&r.ID, &r.CreatedAt, &r.Title, &r.Description, &r.CategoryCode, &r.CategoryName, &r.LeadDeptID, &r.LeadDeptName); err != nil {
			return n, err
		}
		n++
		f(r)
	}
	return n, rows.Err()
}

// routed reads all the routed demands (for the evaluation).
func (s *KnowledgeService) routed(ctx context.Context) ([]zhagen.RoutedDemand, error) {
	var out []zhagen.RoutedDemand
	err := s.eachRouted(ctx, func(r zhagen.RoutedDemand) { out = append(out, r) })
	return out, err
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
	m, pending, err := s.currentModel(ctx)
	if err != nil {
		return nil, err
	}
	if pending {
		return &zhagen.DispatchSuggestion{Categories: []zhagen.SuggestedLabel{}, Departments: []zhagen.SuggestedLabel{}, Pending: true, Notice: zhagen.IndexBuilding}, nil
	}
	return m.Suggest(title, description), nil
}

// DispatchEval evaluates the model on its window of the history: trained on the
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
	// While the index is being built the texts' own IDF serves the
	// clustering; the key moves once it is built and whenever it takes
	// in new demands.
	idx, pending, err := s.index(ctx)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	indexed := s.lastID
	s.mu.Unlock()
	key := fmt.Sprint(indexed, "\x00", pending, "\x00", q.w.String(), "\x00", q.w.args)
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
