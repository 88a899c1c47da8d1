package sqldb

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"zhagen"
)

// ImportEnterprises stores many validated enterprises in one transaction
// with multi-row inserts and one operation-log line (admin only). It is
// all or nothing: one invalid record stores none.
func (s *EnterpriseService) ImportEnterprises(ctx context.Context, ents []*zhagen.Enterprise) error {
	if _, err := permitted(ctx, zhagen.PermEnterpriseImport, zhagen.Facts{}); err != nil {
		return err
	}
	for _, e := range ents {
		if err := e.Validate(); err != nil {
			return err
		}
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	checked := map[string]bool{}
	for _, e := range ents {
		if !checked[e.Industry] {
			if err := tx.checkIndustry(ctx, e.Industry); err != nil {
				return err
			}
			checked[e.Industry] = true
		}
	}
	if err := tx.insertEnterprises(ctx, ents, nil); err != nil {
		return err
	}
	tx.bumpGeneration("enterprises")
	if err := tx.writeOpLog(ctx, "导入", "企业", 0, "批量导入企业 "+strconv.Itoa(len(ents))+" 家"); err != nil {
		return err
	}
	return tx.Commit()
}

// BulkLoadDemands stores n synthetic demands for load tests, in batches
// of multi-row inserts: spread over the given enterprises and lead
// departments of one category, one in twenty open (evenly over the departments) and due around now, the
// rest closed. It writes no timeline and bypasses the workflow (admin only).
func (s *DemandService) BulkLoadDemands(ctx context.Context, n int, categoryID int64, enterprises, depts []int64, now time.Time) error {
	if _, err := permitted(ctx, zhagen.PermDemandBulkLoad, zhagen.Facts{}); err != nil {
		return err
	}
	const batch = 400
	for start := 0; start < n; start += batch {
		tx, err := s.db.begin(ctx)
		if err != nil {
			return err
		}
		end := min(start+batch, n)
		var b strings.Builder
		b.WriteString(`INSERT INTO demands (enterprise_id, submitter_name, channel, category_id, title, description, priority, lead_dept_id, status, is_open, resolution_due, budget_secs, created_at, updated_at, watch_at) VALUES `)
		args := make([]any, 0, (end-start)*10)
		for i := start; i < end; i++ {
			if i > start {
				b.WriteByte(',')
			}
			b.WriteString(`(?, '压测', 'api', ?, ?, '压测诉求', 'normal', ?, ?, ?, ?, 117000, ?, ?, ?)`)
			open := i%20 == 0
			status := "closed"
			if open {
				status = "in_progress"
			}
			created := now.Add(-time.Duration(n-i) * time.Minute).UTC()
			due := now.Add(time.Duration(i%1000-500) * time.Hour).UTC()
			var watch any // the jobs' first run sets the open ones' times
			if open {
				watch = created
			}
			args = append(args, enterprises[i%len(enterprises)], categoryID, "压测诉求 "+strconv.Itoa(i), depts[(i/20)%len(depts)], status, open, due, created, created, watch)
		}
		if _, err := tx.exec(ctx, b.String(), args...); err != nil {
			tx.Rollback()
			return err
		}
		b.Reset()
		b.WriteString(`INSERT INTO demand_depts (demand_id, dept_id, role, is_open, due) SELECT id, lead_dept_id, 'lead', is_open, resolution_due FROM demands WHERE id > ?`)
		var last int64
		if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(demand_id), 0) FROM demand_depts`).Scan(&last); err != nil {
			tx.Rollback()
			return err
		}
		if _, err := tx.exec(ctx, b.String(), last); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.rollupRows(ctx, `d.id > ?`, last); err != nil { // rollup.go
			tx.Rollback()
			return err
		}
		tx.bumpGeneration("demands")
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// enterpriseBatch is how many enterprises one INSERT stores (11
// parameters each, well below SQLite's limit of 32766).
const enterpriseBatch = 500

// insertEnterprises stores validated enterprises with multi-row inserts,
// telling progress after each batch; a USCC already in use is ECONFLICT.
func (tx *Tx) insertEnterprises(ctx context.Context, ents []*zhagen.Enterprise, progress func(done int)) error {
	for start := 0; start < len(ents); start += enterpriseBatch {
		chunk := ents[start:min(start+enterpriseBatch, len(ents))]
		var b strings.Builder
		b.WriteString(`INSERT INTO enterprises (name, uscc, industry, is_key, park, address, legal_rep, contacts, status, archived, version, created_at, updated_at) VALUES `)
		args := make([]any, 0, len(chunk)*11)
		for i, e := range chunk {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(`(?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE, 1, ?, ?)`)
			contacts, _ := json.Marshal(e.Contacts)
			args = append(args, e.Name, e.USCC, e.Industry, e.IsKey, e.Park, e.Address, e.LegalRep, string(contacts), string(e.Status), tx.now, tx.now)
		}
		if _, err := tx.exec(ctx, b.String(), args...); err != nil {
			return usccTaken(err)
		}
		if progress != nil {
			progress(start + len(chunk))
		}
	}
	return nil
}
