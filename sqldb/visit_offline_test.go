package sqldb_test

import (
	"sync"
	"testing"
	"time"

	"zhagen"
	"zhagen/sqldb/sqldbtest"
)

// TestVisitIdempotencyKey: a visit sent again with the same key (a
// phone's retry) is the visit already written, also when retries race or
// the link ended in between; another user's key is refused; the check-in
// is kept.
func TestVisitIdempotencyKey(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newLinkFixture(t, e)
		f.clock.T = time.Date(2026, 12, 1, 10, 0, 0, 0, zhagen.Shanghai)
		l := &zhagen.Linkage{CadreID: uid(f.cadre), EnterpriseID: f.entA.ID, StartDate: "2026-10-01"}
		must(t, f.links.CreateLinkage(f.dispatcher, l))
		key := "0f4c2a9e-5b7d-4e21-9a3c-1d2e3f4a5b6c"
		at := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
		newVisit := func() *zhagen.Visit {
			return &zhagen.Visit{EnterpriseID: f.entA.ID, Date: "2026-11-30", Topics: "车间走访", IdempotencyKey: key,
				CheckIn: &zhagen.CheckIn{Lat: 26.08, Long: 119.3, Accuracy: 12, At: at}}
		}
		const n = 8
		got := make([]*zhagen.Visit, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got[i] = newVisit()
				errs[i] = f.links.CreateVisit(f.cadre, got[i])
			}()
		}
		wg.Wait()
		fresh := 0
		for i := range n {
			must(t, errs[i])
			if got[i].ID != got[0].ID {
				t.Fatalf("retry %d wrote visit %d, first %d", i, got[i].ID, got[0].ID)
			}
			if !got[i].Replayed {
				fresh++
			}
		}
		if fresh != 1 {
			t.Fatalf("%d of %d creates wrote a visit, want 1", fresh, n)
		}
		_, total, err := f.links.FindVisits(f.cadre, zhagen.VisitFilter{EnterpriseID: f.entA.ID})
		must(t, err)
		if total != 1 {
			t.Fatalf("%d visits stored, want 1", total)
		}
		v, err := f.links.FindVisitByID(f.cadre, got[0].ID)
		must(t, err)
		if v.CheckIn == nil || v.CheckIn.Lat != 26.08 || v.CheckIn.Long != 119.3 || !v.CheckIn.At.Equal(at) || v.IdempotencyKey != key {
			t.Fatalf("stored check-in %+v key %q", v.CheckIn, v.IdempotencyKey)
		}
		// The link ends: a replay still answers with the visit, a new
		// visit is refused with the link-ended message.
		_, err = f.links.EndLinkage(f.dispatcher, l.ID, "")
		must(t, err)
		again := newVisit()
		must(t, f.links.CreateVisit(f.cadre, again))
		if !again.Replayed || again.ID != got[0].ID {
			t.Fatalf("replay after the link ended: %+v", again)
		}
		late := newVisit()
		late.IdempotencyKey = "1f4c2a9e-5b7d-4e21-9a3c-1d2e3f4a5b6c"
		err = f.links.CreateVisit(f.cadre, late)
		wantCode(t, err, zhagen.ENOTFOUND)
		if zhagen.ErrorMessage(err) != zhagen.MsgVisitLinkEnded {
			t.Fatalf("link ended: %v", err)
		}
		// The same key on a different visit (a reused form) is refused.
		reused := newVisit()
		reused.Topics = "另一次走访"
		wantCode(t, f.links.CreateVisit(f.cadre, reused), zhagen.ECONFLICT)
		// Another cadre's replay of the key is a conflict, not the visit.
		must(t, f.links.CreateLinkage(f.dispatcher, &zhagen.Linkage{CadreID: uid(f.cadre2), EnterpriseID: f.entA.ID}))
		other := newVisit()
		wantCode(t, f.links.CreateVisit(f.cadre2, other), zhagen.ECONFLICT)
		if other.ID != 0 {
			t.Fatalf("another cadre got visit %d", other.ID)
		}
		bad := newVisit()
		bad.IdempotencyKey, bad.CheckIn.Lat = "x'; --", 91
		err = f.links.CreateVisit(f.cadre2, bad)
		wantCode(t, err, zhagen.EINVALID)
		if fe := zhagen.FieldErrors(err); fe["idempotency_key"] == "" || fe["checkin"] == "" {
			t.Fatalf("field errors: %v", fe)
		}
	})
}
