package sqldb

import (
	"context"
	"database/sql"
	"math"
	"time"

	"zhagen"
	"zhagen/textindex"
)

// indexPage is how many demands one read of an index build or of the
// model's learning brings: a build reads in short queries, holding no
// connection (nor, on SQLite, the WAL) for the whole table.
const indexPage = 10_000

// demandSource reads the demands with an id above from, in pages by id,
// for a build of the index. The build reads it twice: the first read ends
// at the last demand then in the table and sets *to to its id (when *to
// is 0), the second reads up to *to, so that both see the same demands.
func (s *KnowledgeService) demandSource(ctx context.Context, from int64, to *int64) textindex.Source {
	return func(yield func(textindex.Doc, string) bool) error {
		hi := *to
		if hi == 0 {
			hi = math.MaxInt64
		}
		last := from
		for {
			n, stop, err := s.demandPage(ctx, last, hi, func(d textindex.Doc, text string) bool {
				last = d.ID
				return yield(d, text)
			})
			if err != nil || stop {
				return err
			}
			if n < indexPage {
				break
			}
		}
		if *to == 0 {
			*to = last
		}
		return nil
	}
}

// demandPage reads up to indexPage demands with ids in (from, to],
// ascending: how many were read and whether yield stopped the read.
func (s *KnowledgeService) demandPage(ctx context.Context, from, to int64, yield func(textindex.Doc, string) bool) (int, bool, error) {
	rows, err := s.db.query(ctx, `SELECT `+indexDocColumns+` FROM demands WHERE id > ? AND id <= ? ORDER BY id LIMIT ?`, from, to, indexPage)
	if err != nil {
		return 0, false, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		d, text, err := scanIndexDoc(rows)
		if err != nil {
			return n, false, err
		}
		n++
		if !yield(d, text) {
			return n, true, nil
		}
	}
	return n, false, rows.Err()
}

// buildIndex builds an index of the demands in the table and returns it
// with the last id it holds.
func (s *KnowledgeService) buildIndex(ctx context.Context) (*textindex.Index, int64, error) {
	if s.holdBuild != nil {
		<-s.holdBuild
	}
	x := textindex.New()
	var to int64
	if err := x.BuildFrom(s.demandSource(ctx, 0, &to)); err != nil {
		return nil, 0, err
	}
	return x, to, nil
}

// index returns the demand index, caught up with the table, or pending
// while it is being built in the background (Background set): that
// build is started by the first call if Warm has not. Without Background
// the first call builds it and waits.
func (s *KnowledgeService) index(ctx context.Context) (x *textindex.Index, pending bool, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.db.clock.Now()
	if s.idx == nil {
		if s.Background {
			s.startBuild(context.WithoutCancel(ctx))
			return nil, true, nil
		}
		x, to, err := s.buildIndex(ctx)
		if err != nil {
			return nil, false, err
		}
		s.idx, s.lastID, s.refreshed = x, to, now
		return x, false, nil
	}
	if now.Sub(s.refreshed) < s.IndexRefresh {
		return s.idx, false, nil
	}
	// Catch up with the demands filed since (here or by another server
	// over the same database), and with those of earlier ids committed
	// since the last catch-up.
	late, err := s.lateDemands(ctx, now)
	if err != nil {
		return nil, false, err
	}
	var to int64
	newer := s.demandSource(ctx, s.lastID, &to)
	reads := 0
	err = s.idx.BuildFrom(func(yield func(textindex.Doc, string) bool) error {
		reads++ // the second read is the one that adds
		for _, d := range late {
			if !yield(d.doc, d.text) {
				return nil
			}
		}
		prev := s.lastID
		return newer(func(d textindex.Doc, text string) bool {
			if reads == 2 {
				s.noteGaps(prev, d.ID, now)
				prev = d.ID
			}
			return yield(d, text)
		})
	})
	if err != nil {
		return nil, false, err
	}
	s.lastID = max(s.lastID, to)
	s.refreshed = now
	return s.idx, false, nil
}

// gapWait is how long the index looks for a demand whose id it skipped;
// maxGaps bounds how many it looks for at once.
const (
	gapWait = time.Minute
	maxGaps = 64
)

type lateDoc struct {
	doc  textindex.Doc
	text string
}

// noteGaps records the ids between prev and id, exclusive, as not seen
// at now. s.mu is held.
func (s *KnowledgeService) noteGaps(prev, id int64, now time.Time) {
	for g := prev + 1; g < id && len(s.gaps) < maxGaps; g++ {
		if s.gaps == nil {
			s.gaps = map[int64]time.Time{}
		}
		s.gaps[g] = now
	}
}

// lateDemands forgets the gaps older than gapWait and reads the demands
// that have filled the others since. s.mu is held.
func (s *KnowledgeService) lateDemands(ctx context.Context, now time.Time) ([]lateDoc, error) {
	ids := make([]any, 0, maxGaps)
	for id, since := range s.gaps {
		if now.Sub(since) >= gapWait {
			delete(s.gaps, id)
		} else {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	for len(ids) < maxGaps {
		ids = append(ids, ids[0]) // one statement, whatever the count
	}
	rows, err := s.db.query(ctx, `SELECT `+indexDocColumns+` FROM demands WHERE id IN (`+
		placeholders(maxGaps)+`) ORDER BY id`, ids...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []lateDoc
	for rows.Next() {
		var d lateDoc
		var err error
		if d.doc, d.text, err = scanIndexDoc(rows); err != nil {
			return nil, err
		}
		delete(s.gaps, d.doc.ID)
		out = append(out, d)
	}
	return out, rows.Err()
}

// indexDocColumns are the columns scanIndexDoc reads.
const indexDocColumns = `id, COALESCE(enterprise_id, 0), title, description`

// scanIndexDoc reads a demand as the index takes it in: its id and
// enterprise, and its text.
func scanIndexDoc(rows *sql.Rows) (textindex.Doc, string, error) {
	var d textindex.Doc
	var title, desc string
	err := rows.Scan(&d.ID, &d.Group, &title, &desc)
	return d, title + "\n" + desc, err
}

// startBuild starts building the index in the background unless a build
// is under way; it returns the channel closed when that build ends.
// s.mu is held.
func (s *KnowledgeService) startBuild(ctx context.Context) <-chan struct{} {
	if s.building != nil {
		return s.building
	}
	done := make(chan struct{})
	s.building = done
	go func() {
		defer close(done)
		x, to, err := s.buildIndex(ctx)
		s.mu.Lock()
		defer s.mu.Unlock()
		s.building, s.buildErr = nil, err
		if err == nil {
			s.idx, s.lastID, s.refreshed = x, to, s.db.clock.Now()
		}
	}()
	return done
}

// currentModel returns the model, learning it on first use (in the
// background with Background set, pending meanwhile) and again in the
// background once it is old (meanwhile the old one answers).
func (s *KnowledgeService) currentModel(ctx context.Context) (m *zhagen.DispatchModel, pending bool, err error) {
	s.mu.Lock()
	m = s.model
	now := s.db.clock.Now()
	if m == nil && s.Background || m != nil && now.Sub(s.modelAt) >= s.ModelMaxAge {
		s.startLearning(context.WithoutCancel(ctx))
	}
	s.mu.Unlock()
	if m != nil {
		return m, false, nil
	}
	if s.Background {
		return nil, true, nil
	}
	if m, err = s.learn(ctx); err != nil {
		return nil, false, err
	}
	s.mu.Lock()
	s.model, s.modelAt = m, now
	s.mu.Unlock()
	return m, false, nil
}

// startLearning starts learning the model in the background unless that
// is under way; it returns the channel closed when the learning ends.
// s.mu is held.
func (s *KnowledgeService) startLearning(ctx context.Context) <-chan struct{} {
	if s.training != nil {
		return s.training
	}
	done := make(chan struct{})
	s.training = done
	go func() {
		defer close(done)
		m, err := s.learn(ctx)
		s.mu.Lock()
		defer s.mu.Unlock()
		s.training, s.learnErr = nil, err
		if err == nil {
			s.model, s.modelAt = m, s.db.clock.Now()
		}
	}()
	return done
}

// learn trains a dispatch model on the routed demands, read in pages (the
// history is never all in memory).
func (s *KnowledgeService) learn(ctx context.Context) (*zhagen.DispatchModel, error) {
	m := zhagen.TrainDispatch(nil)
	if err := s.eachRouted(ctx, m.Learn); err != nil {
		return nil, err
	}
	m.Compact()
	return m, nil
}

// Warm builds the demand index and then learns the dispatch model,
// unless they are there, and waits for both (and any build or learning
// under way), or until ctx ends (which stops the build it started). A
// server sets Background and runs it on a goroutine of its own at start:
// lookups meanwhile answer at once, empty and pending (索引建立中).
func (s *KnowledgeService) Warm(ctx context.Context) error {
	wait := func(start func(context.Context) <-chan struct{}, ready func() bool) error {
		s.mu.Lock()
		var done <-chan struct{}
		if !ready() {
			done = start(ctx)
		}
		s.mu.Unlock()
		if done == nil {
			return nil
		}
		select {
		case <-done:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	failed := func(err *error, ok func() bool) error {
		s.mu.Lock()
		defer s.mu.Unlock()
		if ok() {
			return nil
		}
		return *err
	}
	if err := wait(s.startBuild, func() bool { return s.idx != nil }); err != nil {
		return err
	}
	if err := failed(&s.buildErr, func() bool { return s.idx != nil }); err != nil {
		return err
	}
	if err := wait(s.startLearning, func() bool { return s.model != nil && s.training == nil }); err != nil {
		return err
	}
	return failed(&s.learnErr, func() bool { return s.model != nil })
}
