package sqldb

import (
	"context"
	"fmt"
	"sync"
)

// Group commit. Hot write paths (filing a demand, a workflow step) run
// through one writer goroutine that takes every request already waiting
// and runs them in one transaction, each under its own savepoint. A
// request that fails rolls back to its savepoint alone; the others commit
// together. Committing once per batch instead of once per request is what
// lets SQLite take thousands of writes a second: pages the requests share
// are written once, and the commit's fixed cost is paid once.

const maxBatch = 64

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
		b.wg.Add(1)
		go db.runBatches()
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

func (db *DB) runBatches() {
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
		db.runBatch(batch)
	}
}

func (db *DB) runBatch(batch []*batchReq) {
	errs := make([]error, len(batch))
	fail := func(err error) {
		for _, r := range batch {
			r.done <- err
		}
	}
	tx, err := db.begin(context.Background())
	if err != nil {
		fail(err)
		return
	}
	defer tx.Rollback()
	ok := 0
	for i, r := range batch {
		if r.ctx.Err() != nil {
			errs[i] = r.ctx.Err()
			continue
		}
		if _, err := tx.ExecContext(r.ctx, "SAVEPOINT item"); err != nil {
			fail(err)
			return
		}
		if errs[i] = r.fn(tx); errs[i] != nil {
			if _, err := tx.ExecContext(context.Background(), "ROLLBACK TO SAVEPOINT item"); err != nil {
				fail(err)
				return
			}
		} else {
			ok++
		}
		if _, err := tx.ExecContext(context.Background(), "RELEASE SAVEPOINT item"); err != nil {
			fail(err)
			return
		}
	}
	if ok > 0 {
		err = tx.Commit()
	}
	for i, r := range batch {
		if errs[i] == nil {
			errs[i] = err
		}
		r.done <- errs[i]
	}
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
