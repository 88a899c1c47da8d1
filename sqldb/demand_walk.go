package sqldb

import (
	"slices"
	"strconv"
	"strings"

	"zhagen"
)

// A list page ordered by id reads the scope's demands down the primary
// key and stops at the page's last row, each demand asked whether one of
// the actor's relations reaches it (where.walkString). When the
// relations reach few of the demands the walk is long: a department
// takes part in one demand in eight, so the staff's fourth page read 760
// demands and asked demand_depts of each, 5 ms of PostgreSQL's time a
// page. keyedPage reads each relation through an index of its own
// instead, newest first and no further than the page: the demands of
// each department below the actor's through demand_depts_dept (dept_id,
// demand_id), those of each project the actor has a stake in through
// demands_project; the union of these short reads, sorted, holds the
// page. The same goes for the demands of each linked enterprise, the
// actor's own enterprise and own filings (demands_enterprise and
// demands_submitter, by id). Only PostgreSQL has the LATERAL join that
// reads per key; SQLite walks (and answers a probe in microseconds).

// keyedRel is a relation of PermDemandView whose demands keyedPage can
// read by key: the SQL of one read, given the filters' joins and
// conditions, the order and the rows to read.
type keyedRel func(a *zhagen.Actor, from, filters, order string, k int) (string, []any)

// keyedRels are the relations keyedPage reads by key. A relation not here
// leaves the page to the walk.
var keyedRels = map[zhagen.Rel]keyedRel{
	// Every demand lists its lead department in demand_depts (role lead),
	// so the demands of the departments below the actor through either
	// relation are read from there; RelDeptBelow alone keeps to the lead
	// rows.
	zhagen.RelPartDeptBelow: deptsKeyed(""),
	zhagen.RelDeptBelow:     deptsKeyed(" AND kd_sd.role = 'lead'"),
	zhagen.RelSelf:          ownerKeyed("d.submitter_id", actorUser),
	zhagen.RelOwnEnterprise: ownerKeyed("d.enterprise_id", actorEnterprise),
	zhagen.RelLinked: func(a *zhagen.Actor, from, filters, order string, k int) (string, []any) {
		return `SELECT x.id FROM linkages kl CROSS JOIN LATERAL (SELECT d.id FROM ` + from + ` WHERE d.enterprise_id = kl.enterprise_id` + filters +
			` ORDER BY ` + order + ` LIMIT ` + strconv.Itoa(k) + `) x WHERE kl.cadre_id = ? AND kl.active`, []any{a.UserID}
	},
	zhagen.RelStakeholder: func(a *zhagen.Actor, from, filters, order string, k int) (string, []any) {
		cond, args := projectStakeSQL("kp.id")(a)
		if cond == "" {
			return "", nil
		}
		return `SELECT x.id FROM projects kp CROSS JOIN LATERAL (SELECT d.id FROM ` + from + ` WHERE d.project_id = kp.id` + filters +
			` ORDER BY ` + order + ` LIMIT ` + strconv.Itoa(k) + `) x WHERE ` + cond, args
	},
}

// ownerKeyed reads the demands whose col (indexed with id) is the
// actor's value.
func ownerKeyed(col string, value func(a *zhagen.Actor) int64) keyedRel {
	return func(a *zhagen.Actor, from, filters, order string, k int) (string, []any) {
		v := value(a)
		if v == 0 {
			return "", nil
		}
		// The filters' arguments come first: col's condition goes last.
		return `SELECT * FROM (SELECT d.id FROM ` + from + ` WHERE TRUE` + filters + ` AND ` + col + ` = ? ORDER BY ` + order +
			` LIMIT ` + strconv.Itoa(k) + `) x`, []any{v}
	}
}

// deptsKeyed reads the demands of each department below the actor's
// through demand_depts; role narrows the department's rows.
func deptsKeyed(role string) keyedRel {
	return func(a *zhagen.Actor, from, filters, order string, k int) (string, []any) {
		if a.DeptID == 0 {
			return "", nil
		}
		inner := `SELECT d.id FROM ` + from + ` JOIN demand_depts kd_sd ON kd_sd.demand_id = d.id WHERE kd_sd.dept_id = kd.id` + role + filters
		if from == "demands d" && filters == "" {
			// Nothing to ask of the demand itself: the index alone.
			inner = `SELECT kd_sd.demand_id AS id FROM demand_depts kd_sd WHERE kd_sd.dept_id = kd.id` + role
			order = strings.ReplaceAll(order, "d.id", "kd_sd.demand_id")
		}
		return `SELECT x.id FROM departments kd CROSS JOIN LATERAL (` + inner + ` ORDER BY ` + order + ` LIMIT ` + strconv.Itoa(k) +
			`) x WHERE kd.` + deptsBelowWhere, []any{a.DeptPath}
	}
}

// keyedPage returns the ids of q's page read relation by relation, in a
// statement of its own and its arguments, or ok false when the walk is
// to serve: on SQLite, for an order other than by id, when q has no scope
// (every demand, or a department's inbox), or when one of the actor's
// relations has no keyed read.
func (s *DemandService) keyedPage(q *demandList, limit, offset int) (string, []any, bool) {
	if s.db.dialect != postgres || q.scope == nil || (q.order != "d.id DESC" && q.order != "d.id") {
		return "", nil, false
	}
	a := q.scope
	_, via := zhagen.ScopeOf(a, zhagen.PermDemandView)
	if via&zhagen.RelPartDeptBelow != 0 {
		via &^= zhagen.RelDeptBelow // its demands are among the other's
	}
	filters := where{conds: q.w.conds[1:], args: q.w.args[q.scopeArgs:]}
	fsql := ""
	if len(filters.conds) > 0 {
		fsql = " AND " + strings.Join(filters.conds, " AND ")
	}
	k := limit + max(offset, 0)
	var reads []string
	var args []any
	for rel := range via.Each() {
		read, ok := keyedRels[rel]
		if !ok {
			return "", nil, false
		}
		sql, as := read(a, q.countFrom, fsql, q.order, k)
		if sql == "" {
			continue
		}
		// The filters' arguments come first in each read, its key's after.
		reads = append(reads, sql)
		args = append(append(args, filters.args...), as...)
	}
	if len(reads) == 0 {
		return "", nil, false
	}
	dir := " DESC"
	if q.order == "d.id" {
		dir = ""
	}
	page, pageArgs := pageSQL(limit, offset)
	return `SELECT u.id FROM (` + strings.Join(reads, " UNION ") + `) u ORDER BY u.id` + dir + page, append(args, pageArgs...), true
}

// walkPage is the page's ids by the walk down q's order.
func walkPage(q *demandList, limit, offset int) (string, []any) {
	page, pageArgs := pageSQL(limit, offset)
	return `SELECT d.id FROM ` + q.countFrom + q.w.walkString() + ` ORDER BY ` + q.order + page, append(slices.Clone(q.w.args), pageArgs...)
}
