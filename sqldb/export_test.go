package sqldb

import (
	"context"
	"time"

	"zhagen"
)

// MigrateTo applies the pending migrations up to version only, so that a
// test can fill the tables a later migration moves.
func (db *DB) MigrateTo(ctx context.Context, version int) error {
	ms, err := db.migrations()
	if err != nil {
		return err
	}
	current, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	for _, m := range ms[current:version] {
		if err := db.apply(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// Rebind writes the ? placeholders of query in the database's dialect.
func (db *DB) Rebind(query string) string { return db.dialect.rebind(query) }

// AuditHash is the chain's hash function, for tests that forge entries
// as a tamperer who knows it would.
var AuditHash = auditHash

// RecomputeRates is the rates computed by scanning the demands, which
// the kept rollups must equal.
func (s *RatesService) RecomputeRates(ctx context.Context, f zhagen.RatesFilter) (zhagen.DemandRates, []zhagen.DeptRates, error) {
	return s.recomputeRates(ctx, f)
}

// TxSlotsTaken reports how many PostgreSQL transaction slots are held.
func (db *DB) TxSlotsTaken() int { return len(db.txSlots) }

// StmtCacheMax is how many statements the cache keeps before it starts
// afresh.
const StmtCacheMax = stmtCacheMax

// CacheStatement prepares query into the statement cache, as a read
// outside a transaction does.
func (db *DB) CacheStatement(ctx context.Context, query string) error {
	_, err := db.stmts.get(ctx, db.sql, db.dialect, query)
	return err
}

// HoldBuilds makes the index builds started from now on wait until the
// returned function is called.
func (s *KnowledgeService) HoldBuilds() (release func()) {
	ch := make(chan struct{})
	s.mu.Lock()
	s.holdBuild = ch
	s.mu.Unlock()
	return func() { close(ch) }
}

// BatchRollup runs one request through the group-commit writer that
// adds one filed demand to the day rollup of (dept, category, day) and
// then fails with failWith when it is not nil, as a request that wrote
// and then failed would.
func (db *DB) BatchRollup(ctx context.Context, dept, category int64, day int, failWith error) error {
	return db.inBatch(ctx, func(tx *Tx) error {
		var c rollupCounts
		c[0] = 1 // submitted
		if err := tx.addRollups(ctx, map[rollupKey]rollupCounts{{dept, category, day}: c}); err != nil {
			return err
		}
		return failWith
	})
}

// BumpGenerationIn bumps the generation of table in its own transaction,
// as the group-commit writer of shard would.
func (db *DB) BumpGenerationIn(ctx context.Context, table string, shard int) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	tx.shard = shard
	tx.bumpGeneration(table)
	return tx.Commit()
}

// Generation reads the generation of table from the database.
func (db *DB) Generation(ctx context.Context, table string) (int64, error) {
	defer SetGenTTL(0)()
	return db.generation(ctx, table)
}

// OnCount sets a function the count cache calls on every miss (query
// false) and before each count it runs (query true).
func (db *DB) OnCount(f func(query bool)) { db.countHook = f }

// SetLadderPageSize sets how many demands the ladder job reads at a
// time, and returns what restores it.
func SetLadderPageSize(n int) func() {
	old := ladderPageSize
	ladderPageSize = n
	return func() { ladderPageSize = old }
}

// SetAfterLadderPage has fn run after the ladder job read each page,
// before it acts on it, and returns what removes it.
func SetAfterLadderPage(fn func()) func() {
	afterLadderPage = fn
	return func() { afterLadderPage = nil }
}

// SetBackgroundCountRows sets the total from which counts are refreshed
// in the background, and returns what restores it.
func SetBackgroundCountRows(n int) func() {
	old := backgroundCountRows
	backgroundCountRows = n
	return func() { backgroundCountRows = old }
}

// SetRecountSpacing sets recountSpacing, and returns what restores it.
func SetRecountSpacing(n int) func() {
	old := recountSpacing
	recountSpacing = n
	return func() { recountSpacing = old }
}

// WaitCountRefreshes waits for the counts being refreshed in the
// background.
func (db *DB) WaitCountRefreshes() { db.countRefresh.Wait() }

// SetGenTTL sets how long a generation read from the database is
// trusted, and returns what restores it.
func SetGenTTL(d time.Duration) func() {
	old := genTTL
	genTTL = d
	return func() { genTTL = old }
}

// BatchStep is one request of RunOneBatch: statements queued to run
// with the transaction's next round trip (later), then, when Insert is
// set, an INSERT whose id is read, or, when DrawID is set, a demand id
// drawn ahead (PostgreSQL's newID) into *DrawID.
type BatchStep struct {
	Later  []string
	Insert string
	DrawID *int64
}

// RunOneBatch runs steps as the requests of one group-commit batch, in
// order, and returns each request's error.
func (db *DB) RunOneBatch(ctx context.Context, steps []BatchStep) []error {
	batch := make([]*batchReq, len(steps))
	for i, st := range steps {
		batch[i] = &batchReq{ctx: ctx, done: make(chan error, 1), fn: func(tx *Tx) error {
			for _, q := range st.Later {
				if err := tx.later(ctx, q); err != nil {
					return err
				}
			}
			if st.Insert != "" {
				_, err := tx.insert(ctx, st.Insert)
				return err
			}
			if st.DrawID != nil {
				var err error
				*st.DrawID, err = tx.newID(ctx, "demands")
				return err
			}
			return nil
		}}
	}
	db.runBatch(0, batch)
	errs := make([]error, len(steps))
	for i, r := range batch {
		errs[i] = <-r.done
	}
	return errs
}

// RunTx runs one write transaction: a read first when read is set
// (which, on PostgreSQL, sends BEGIN and anything queued), then the later
// statements queued, then a commit or, when commit is false, a rollback.
func (db *DB) RunTx(ctx context.Context, read bool, later []string, commit bool) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if read {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM table_generations`).Scan(&n); err != nil {
			return err
		}
	}
	for _, q := range later {
		if err := tx.later(ctx, q); err != nil {
			return err
		}
	}
	if commit {
		return tx.Commit()
	}
	return tx.Rollback()
}

// IsUniqueViolation reports whether err is a unique constraint's.
var IsUniqueViolation = isUniqueViolation
