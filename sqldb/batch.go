package sqldb

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sync"
)

// Group commit. Hot write paths (filing a demand, a workflow step) run
// through one writer goroutine that takes every request already waiting
// and runs them in one transaction, each under its own savepoint. A
// request that fails rolls back to its savepoint alone; the others commit
// together. Committing once per batch instead of once per request is what
// lets SQLite take thousands of writes a second: pages the requests share
// are written once, and the commit's fixed cost is paid once.
//
// A batch gathers the rollup differences of its requests in memory and
// adds them once, in key order, just before it commits: two statements
// per batch instead of two per request, and the rollup rows every filing
// touches stay locked only for the commit. A batch of one request needs
// no savepoint. SQLite has one writer; on PostgreSQL pgWriters batches
// run at once, each on its own connection, so that one batch's round
// trips overlap another's. A batch that PostgreSQL aborts for a deadlock
// or a serialization failure is run again one request at a time.

const maxBatch = 64

// pgWriters is the number of batches that run at once on PostgreSQL.
const pgWriters = 4

type batchReq struct {
	ctx  context.Context
	fn   func(*Tx) error
	done chan error
}

type batcher struct {
	once   sync.Once
	reqs   chan *batchReq
	closed chan struct{}
	wg     sync.WaitGroup
}

// inBatch runs fn within a shared write transaction and returns fn's
// error, or the commit's. fn must write only through tx.
func (db *DB) inBatch(ctx context.Context, fn func(*Tx) error) error {
	b := &db.batch
	b.once.Do(func() {
		b.reqs, b.closed = make(chan *batchReq, maxBatch), make(chan struct{})
		writers := 1
		if db.dialect == postgres {
			writers = pgWriters
		}
		b.wg.Add(writers)
		for w := range writers {
			go db.runBatches(w)
		}
	})
	req := &batchReq{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case b.reqs <- req:
	case <-ctx.Done():
		return ctx.Err()
	case <-b.closed:
		return fmt.Errorf("sqldb: database closed")
	}
	return <-req.done // the request runs even if ctx ends now; wait for its fate
}

// runBatches runs the batches of writer w, which adds to the rollup
// rows of shard w.
func (db *DB) runBatches(w int) {
	b := &db.batch
	defer b.wg.Done()
	for {
		var first *batchReq
		select {
		case first = <-b.reqs:
		case <-b.closed:
			for {
				select {
				case r := <-b.reqs:
					r.done <- fmt.Errorf("sqldb: database closed")
				default:
					return
				}
			}
		}
		batch := []*batchReq{first}
	drain:
		for len(batch) < maxBatch {
			select {
			case r := <-b.reqs:
				batch = append(batch, r)
			default:
				break drain
			}
		}
		db.runBatch(w, batch)
	}
}

func (db *DB) runBatch(w int, batch []*batchReq) {
	errs, err := db.tryBatch(w, batch)
	if len(batch) > 1 && (isRetryable(err) || err == errEarlierItem) {
		// Another writer held rows this batch needed, in the other
		// order: no request is at fault, so each runs again alone.
		for _, r := range batch {
			db.runBatch(w, []*batchReq{r})
		}
		return
	}
	for i, r := range batch {
		switch {
		case errs != nil && len(batch) > 1 && isRetryable(errs[i]):
			db.runBatch(w, []*batchReq{r}) // the same, for one request
		case errs != nil && errs[i] != nil:
			r.done <- errs[i]
		default:
			r.done <- err
		}
	}
}

// tryBatch runs batch in one transaction and returns each request's
// error, or an error that failed the whole batch (nothing of it is
// written then).
func (db *DB) tryBatch(w int, batch []*batchReq) ([]error, error) {
	errs := make([]error, len(batch))
	tx, err := db.begin(context.Background())
	if err != nil {
		return nil, err
	}
	tx.shard = w
	defer tx.Rollback()
	savepoints := len(batch) > 1
	tx.rollupBuf = map[rollupKey]rollupCounts{}
	ok := 0
	for i, r := range batch {
		if r.ctx.Err() != nil {
			errs[i] = r.ctx.Err()
			continue
		}
		tx.item, tx.left = i, len(batch)-i
		kept := maps.Clone(tx.rollupBuf)
		if savepoints {
			if err := tx.later(r.ctx, "SAVEPOINT item"); err != nil {
				return nil, err
			}
		}
		errs[i] = r.fn(tx)
		if le := (*lateError)(nil); errors.As(tx.failed, &le) && le.item != i {
			// A statement an earlier request queued failed: that request
			// is not done after all.
			return nil, errEarlierItem
		}
		if tx.failed != nil && errs[i] == nil {
			errs[i] = tx.failed
		}
		if errs[i] != nil {
			tx.rollupBuf = kept
			if savepoints {
				// At once: until it runs, PostgreSQL refuses to prepare
				// the statements queued after it.
				tx.failed = nil
				if err := tx.later(context.Background(), "ROLLBACK TO SAVEPOINT item"); err != nil {
					return nil, err
				}
				if err := tx.flush(context.Background()); err != nil {
					return nil, retryAlone(err, len(batch))
				}
			}
		} else {
			ok++
		}
		if savepoints {
			if err := tx.later(context.Background(), "RELEASE SAVEPOINT item"); err != nil {
				return nil, err
			}
		}
	}
	if ok == 0 {
		return errs, nil
	}
	buf := tx.rollupBuf
	tx.rollupBuf = nil
	if err := tx.addRollups(context.Background(), buf); err != nil {
		return nil, retryAlone(err, len(batch))
	}
	return errs, retryAlone(tx.Commit(), len(batch))
}

// errEarlierItem fails a batch in which a request's queued statement
// failed after the request had returned: each request runs again alone.
var errEarlierItem = errors.New("sqldb: a queued statement of an earlier request failed")

// retryAlone turns the failure of a queued statement, found at the end
// of a batch of several requests, into errEarlierItem: which request it
// belonged to no longer matters, since each runs again alone.
func retryAlone(err error, n int) error {
	if le := (*lateError)(nil); n > 1 && errors.As(err, &le) {
		return errEarlierItem
	}
	return err
}

// stopBatches ends the writer goroutine once queued requests are done.
func (db *DB) stopBatches() {
	b := &db.batch
	b.once.Do(func() { b.closed = make(chan struct{}) }) // never started
	select {
	case <-b.closed:
	default:
		close(b.closed)
	}
	b.wg.Wait()
}
