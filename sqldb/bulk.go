package sqldb

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"zhagen"
)

// ImportEnterprises stores many validated enterprises in one transaction
// with multi-row inserts and one operation-log line (admin only). It is
// all or nothing: one invalid record stores none.
func (s *EnterpriseService) ImportEnterprises(ctx context.Context, ents []*zhagen.Enterprise) error {
	if err := requireAdmin(ctx); err != nil {
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
	const batch = 500
	for start := 0; start < len(ents); start += batch {
		chunk := ents[start:min(start+batch, len(ents))]
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
	}
	if err := tx.bumpGeneration(ctx, "enterprises"); err != nil {
		return err
	}
	if err := tx.writeOpLog(ctx, "导入", "企业", 0, "批量导入企业 "+strconv.Itoa(len(ents))+" 家"); err != nil {
		return err
	}
	return tx.Commit()
}
