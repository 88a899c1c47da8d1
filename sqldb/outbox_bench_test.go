package sqldb

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"zhagen"
	"zhagen/catalog"
	"zhagen/notify"
)

// BenchmarkOutboxInStore measures the in-app fast path: a drain that
// delivers a batch of 100 notices (to 5 users each) through
// Outbox.DeliverInStore, on SQLite. Run it before and after a change to
// delivery: go test ./sqldb -run '^$' -bench Outbox -benchtime 200x
func BenchmarkOutboxInStore(b *testing.B) {
	ctx := context.Background()
	clock := &zhagen.FixedClock{T: time.Date(2026, 11, 2, 9, 0, 0, 0, zhagen.Shanghai)}
	db, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"), clock)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	sys := zhagen.NewContextWithActor(ctx, zhagen.SystemActor())
	var users []int64
	for i := range 5 {
		u := &zhagen.User{Login: fmt.Sprintf("bench%d", i), Name: "用户", Roles: []zhagen.Role{zhagen.RoleDispatcher}, Password: "Zg-Test#4821"}
		if err := NewUserService(db).CreateUser(sys, u); err != nil {
			b.Fatal(err)
		}
		users = append(users, u.ID)
	}
	d := notify.New(NewOutbox(db), catalog.MustLoad(), clock, NewInAppSender(db))
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		tx, err := db.begin(ctx)
		if err != nil {
			b.Fatal(err)
		}
		for j := range 100 {
			n := zhagen.Notice{Kind: "demand.assigned", Severity: zhagen.SeverityInfo, To: zhagen.Recipients{Users: users},
				Title: zhagen.Msg("notice.demand.assigned", int64(i*100+j), "基准诉求"), Link: "/demands/1"}
			if err := tx.enqueue(ctx, n); err != nil {
				b.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res, err := d.Drain(ctx)
		if err != nil || res.Sent != 100 {
			b.Fatalf("drain %+v %v", res, err)
		}
	}
}
