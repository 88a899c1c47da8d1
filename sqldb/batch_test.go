package sqldb_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"zhagen/sqldb/sqldbtest"
)

// TestBatchRollupsOnlyOfCommittedRequests: requests that run together
// in group-commit batches, some of which fail after adding to a rollup,
// leave exactly the rollups of those that succeeded, in the day and the
// month rows, whichever batches they happened to share.
func TestBatchRollupsOnlyOfCommittedRequests(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		db := e.Open(t, nil)
		ctx := context.Background()
		failure := errors.New("the request failed after its rollup")
		const n = 96
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var failWith error
				if i%3 == 0 {
					failWith = failure
				}
				// Two days of one month, in two departments.
				errs[i] = db.BatchRollup(ctx, int64(1+i%2), 9, 20261201+i%4/2, failWith)
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if want := map[bool]error{true: failure, false: nil}[i%3 == 0]; !errors.Is(err, want) {
				t.Fatalf("request %d: %v, want %v", i, err, want)
			}
		}
		want := map[[2]int64]int64{}
		for i := range n {
			if i%3 != 0 {
				want[[2]int64{int64(1 + i%2), int64(20261201 + i%4/2)}]++
			}
		}
		for k, w := range want {
			var got int64
			if err := db.SQL().QueryRowContext(ctx, db.Rebind(`SELECT submitted FROM demand_rollups_day WHERE dept_id = ? AND category_id = 9 AND period = ?`), k[0], k[1]).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != w {
				t.Errorf("day rollup %v: %d filed, want %d", k, got, w)
			}
		}
		for dept := int64(1); dept <= 2; dept++ {
			var got int64
			if err := db.SQL().QueryRowContext(ctx, db.Rebind(`SELECT submitted FROM demand_rollups_month WHERE dept_id = ? AND category_id = 9 AND period = 202612`), dept).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if w := want[[2]int64{dept, 20261201}] + want[[2]int64{dept, 20261202}]; got != w {
				t.Errorf("month rollup of department %d: %d filed, want %d", dept, got, w)
			}
		}
	})
}
