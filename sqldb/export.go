package sqldb

import (
	"context"

	"zhagen"
)

// eachChunk is how many rows an export reads before it completes them
// (lights, department names) and hands them on: the memory an export
// holds, whatever the length of the list.
const eachChunk = 500

// EachDemand calls fn for every demand of the list f selects, in the
// list's order and within the caller's scope, the same query as
// FindDemands without its page: the rows stream from one cursor and at
// most eachChunk of them are held at a time.
func (s *DemandService) EachDemand(ctx context.Context, f zhagen.DemandFilter, fn func(*zhagen.Demand) error) error {
	q, err := s.listQuery(ctx, f)
	if err != nil {
		return err
	}
	rows, err := s.db.sql.QueryContext(ctx, s.db.dialect.rebind(`SELECT `+demandColumns+q.from+q.w.String()+` ORDER BY `+q.order), q.w.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	chunk := make([]demandRow, 0, eachChunk)
	flush := func() error {
		if len(chunk) == 0 {
			return nil
		}
		ds := make([]*zhagen.Demand, len(chunk))
		for i, r := range chunk {
			ds[i] = r.Demand
		}
		if err := s.lights(ctx, chunk...); err != nil {
			return err
		}
		if err := s.db.deptNames(ctx, ds...); err != nil {
			return err
		}
		for _, d := range ds {
			if err := fn(d); err != nil {
				return err
			}
		}
		chunk = chunk[:0]
		return nil
	}
	for rows.Next() {
		r, err := scanDemand(rows)
		if err != nil {
			return err
		}
		if chunk = append(chunk, r); len(chunk) == eachChunk {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return flush()
}

// EachEnterprise calls fn for every enterprise of the list f selects, in
// the list's order and within the caller's scope, streaming from one
// cursor (the query of FindEnterprises without its page).
func (s *EnterpriseService) EachEnterprise(ctx context.Context, f zhagen.EnterpriseFilter, fn func(*zhagen.Enterprise) error) error {
	w, order, err := s.listQuery(ctx, f)
	if err != nil {
		return err
	}
	rows, err := s.db.sql.QueryContext(ctx, s.db.dialect.rebind(`SELECT `+entColumns+` FROM enterprises`+w.String()+` ORDER BY `+order), w.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanEnterprise(rows)
		if err != nil {
			return err
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}
