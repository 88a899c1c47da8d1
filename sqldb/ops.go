package sqldb

import (
	"context"
	"fmt"
	"time"
)

// OpsStats is what the operations endpoint (/metrics) reports about the
// store: demands by status, open demands past their resolution due time,
// and the work waiting in the notice outbox and the outside deliveries.
type OpsStats struct {
	DemandsByStatus   map[string]int64
	Overdue           int64
	OutboxPending     int64
	OutboxDead        int64
	DeliveriesPending int64
	DeliveriesDead    int64
	SchemaVersion     int
	ReplicaLag        float64 // seconds; 0 without a replica
}

// OpsStats reads the figures in a handful of index-only counts; it sees
// every row (an operator's view, not a user's) and is not served to users.
func (db *DB) OpsStats(ctx context.Context) (OpsStats, error) {
	s := OpsStats{DemandsByStatus: map[string]int64{}}
	rows, err := db.query(ctx, `SELECT status, COUNT(*) FROM demands GROUP BY status`)
	if err != nil {
		return s, err
	}
	for rows.Next() {
		var st string
		var n int64
		if err := rows.Scan(&st, &n); err != nil {
			rows.Close()
			return s, err
		}
		s.DemandsByStatus[st] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return s, err
	}
	now := db.now()
	counts := []struct {
		dst   *int64
		query string
		args  []any
	}{
		{&s.Overdue, `SELECT COUNT(*) FROM demands WHERE is_open = ? AND resolution_due < ?`, []any{true, now}},
		{&s.OutboxPending, `SELECT COUNT(*) FROM outbox WHERE status = 'pending'`, nil},
		{&s.OutboxDead, `SELECT COUNT(*) FROM outbox WHERE status = 'dead'`, nil},
		{&s.DeliveriesPending, `SELECT COUNT(*) FROM deliveries WHERE status = 'pending'`, nil},
		{&s.DeliveriesDead, `SELECT COUNT(*) FROM deliveries WHERE status = 'dead'`, nil},
	}
	for _, c := range counts {
		if err := db.queryRow(ctx, c.query, c.args...).Scan(c.dst); err != nil {
			return s, err
		}
	}
	if err := db.queryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&s.SchemaVersion); err != nil {
		return s, err
	}
	s.ReplicaLag, err = db.ReplicaLag(ctx)
	return s, err
}

// Ready reports whether this server can take requests: the database
// answers within the context and its schema is the one this binary knows.
func (db *DB) Ready(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	var v int
	if err := db.queryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v); err != nil {
		return err
	}
	if latest := db.LatestVersion(); v != latest {
		return fmt.Errorf("数据库结构版本 %d，本程序需要 %d (schema version %d, this binary needs %d)", v, latest, v, latest)
	}
	return nil
}
