package sqldb_test

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"zhagen/sqldb/sqldbtest"
)

// schema is what TestSchemaParity compares of a migrated database, in
// terms both engines share.
type schema map[string]*table

type table struct {
	columns map[string]column
	pk      string            // primary key columns, comma-separated in order
	indexes map[string]string // created index name → "unique (a, b) where …"
	uniques []string          // unique constraints: "(a, b)", sorted
	fks     []string          // foreign keys: "(a) → t(b) on update … on delete …", sorted
}

type column struct {
	typ      string // the engine-neutral type, see sqliteTypes and postgresTypes
	notNull  bool   // NOT NULL or part of the primary key
	def      string // the default, without casts; "" for none
	identity bool   // AUTOINCREMENT or GENERATED … AS IDENTITY
}

func (c column) String() string {
	s := c.typ
	if c.notNull {
		s += " not null"
	}
	if c.def != "" {
		s += " default " + c.def
	}
	if c.identity {
		s += " identity"
	}
	return s
}

// The declared types of each engine mapped to one name, as the migrations
// use them. SQLite has one integer type, so INTEGER matches both of
// PostgreSQL's (see postgresInt4 for where the 32-bit one is allowed).
var (
	sqliteTypes = map[string]string{
		"INTEGER": "integer", "BIGINT": "integer", "TEXT": "text", "BOOLEAN": "boolean",
		"TIMESTAMP": "timestamp", "REAL": "double", "BLOB": "bytes",
	}
	postgresTypes = map[string]string{
		"bigint": "integer", "integer": "integer", "text": "text", "boolean": "boolean",
		"timestamp with time zone": "timestamp", "double precision": "double", "bytea": "bytes",
	}
	// postgresInt4 are the columns the early migrations declared INTEGER
	// on PostgreSQL too, a 32-bit integer there; any other integer column
	// is to be 64-bit ({{BIGINT}}), like SQLite's.
	postgresInt4 = map[string]bool{
		"departments.sort": true, "industries.sort": true, "users.failed_logins": true,
		"categories.auto_close_days": true, "demands.return_count": true, "demands.reopen_count": true,
		"demands.extension_days": true, "linkages.cadence_days": true, "linkages.suggestion_id": true,
		"linkages.version": true, "visits.version": true, "linkage_runs.need": true,
		"linkage_runs.capacity": true, "linkage_runs.cadres": true, "linkage_runs.enterprises": true,
	}
)

// ignoredTables are not made by the migrations: the migrator's own record,
// which is created alike on both engines, and SQLite's internals.
func ignoredTable(name string) bool {
	return name == "schema_migrations" || strings.HasPrefix(name, "sqlite_")
}

// TestSchemaParity builds the schema on SQLite and, when
// ZHAGEN_TEST_POSTGRES is set, on PostgreSQL, and compares tables,
// columns, types, nullability, defaults, primary keys, indexes, unique
// constraints and foreign keys.
func TestSchemaParity(t *testing.T) {
	ctx := context.Background()
	engines := sqldbtest.Engines()
	lite := engines[0].Open(t, nil)
	ls := describeSQLite(t, ctx, lite.SQL())
	if len(ls) < 40 || len(ls["demands"].columns) < 40 || len(ls["demands"].indexes) < 5 || len(ls["demands"].fks) < 5 {
		t.Fatalf("SQLite schema read back too small: %d tables", len(ls))
	}
	for name, tb := range ls {
		if tb.pk == "" {
			t.Errorf("SQLite table %s has no primary key", name)
		}
	}

	// The comparison notices a column that one engine gains.
	extra := engines[0].Open(t, nil)
	if _, err := extra.SQL().ExecContext(ctx, `ALTER TABLE demands ADD COLUMN only_here TEXT`); err != nil {
		t.Fatal(err)
	}
	if d := compareSchemas(ls, describeSQLite(t, ctx, extra.SQL())); len(d) != 1 || !strings.Contains(d[0], "only_here") {
		t.Fatalf("an extra column gave the differences %q", d)
	}

	if len(engines) < 2 {
		t.Skip("ZHAGEN_TEST_POSTGRES not set: the PostgreSQL schema is not compared with SQLite's")
	}
	pg := engines[1].Open(t, nil)
	ps := describePostgres(t, ctx, pg.SQL())
	for _, d := range compareSchemas(ls, ps) {
		t.Error(d)
	}
}

// compareSchemas lists the differences between the SQLite schema a and
// the PostgreSQL schema b.
func compareSchemas(a, b schema) []string {
	var diffs []string
	add := func(format string, args ...any) { diffs = append(diffs, fmt.Sprintf(format, args...)) }
	for _, name := range slices.Sorted(maps.Keys(a)) {
		if b[name] == nil {
			add("table %s only on SQLite", name)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(b)) {
		ta, tb := a[name], b[name]
		if ta == nil {
			add("table %s only on PostgreSQL", name)
			continue
		}
		cols := slices.Sorted(maps.Keys(ta.columns))
		for _, c := range slices.Sorted(maps.Keys(tb.columns)) {
			if _, ok := ta.columns[c]; !ok {
				cols = append(cols, c)
			}
		}
		for _, c := range cols {
			ca, oka := ta.columns[c]
			cb, okb := tb.columns[c]
			switch {
			case !okb:
				add("column %s.%s only on SQLite", name, c)
			case !oka:
				add("column %s.%s only on PostgreSQL", name, c)
			case ca != cb:
				add("column %s.%s: SQLite %s, PostgreSQL %s", name, c, ca, cb)
			}
		}
		if ta.pk != tb.pk {
			add("table %s: primary key (%s) on SQLite, (%s) on PostgreSQL", name, ta.pk, tb.pk)
		}
		for _, ix := range slices.Sorted(maps.Keys(ta.indexes)) {
			if _, ok := tb.indexes[ix]; !ok {
				add("index %s on %s only on SQLite", ix, name)
			}
		}
		for _, ix := range slices.Sorted(maps.Keys(tb.indexes)) {
			if da, ok := ta.indexes[ix]; !ok {
				add("index %s on %s only on PostgreSQL", ix, name)
			} else if db := tb.indexes[ix]; da != db {
				add("index %s on %s: SQLite %s, PostgreSQL %s", ix, name, da, db)
			}
		}
		if !slices.Equal(ta.uniques, tb.uniques) {
			add("table %s: unique constraints %q on SQLite, %q on PostgreSQL", name, ta.uniques, tb.uniques)
		}
		if !slices.Equal(ta.fks, tb.fks) {
			add("table %s: foreign keys %q on SQLite, %q on PostgreSQL", name, ta.fks, tb.fks)
		}
	}
	return diffs
}

// normDefault drops casts and case from a default: 'ok'::text is 'ok',
// FALSE is false.
func normDefault(s string) string {
	s = regexp.MustCompile(`::[a-z ]+$`).ReplaceAllString(strings.TrimSpace(s), "")
	if l := strings.ToLower(s); l == "true" || l == "false" || l == "null" {
		return l
	}
	return s
}

// normPredicate drops the outer parentheses and case of an index's WHERE.
func normPredicate(s string) string {
	s = strings.ToLower(strings.Join(strings.Fields(s), " "))
	s = strings.ReplaceAll(s, "'::text", "'") // PostgreSQL spells out a literal's type
	for strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		s = s[1 : len(s)-1]
	}
	return s
}

func indexDesc(unique bool, cols, where string) string {
	s := "(" + cols + ")"
	if unique {
		s = "unique " + s
	}
	if where != "" {
		s += " where " + normPredicate(where)
	}
	return s
}

func rows[T any](t *testing.T, ctx context.Context, db *sql.DB, scan func(*sql.Rows) (T, error), q string, args ...any) []T {
	t.Helper()
	rs, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rs.Close()
	var out []T
	for rs.Next() {
		v, err := scan(rs)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		out = append(out, v)
	}
	if err := rs.Err(); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return out
}

func describeSQLite(t *testing.T, ctx context.Context, db *sql.DB) schema {
	t.Helper()
	type named struct{ name, sql string }
	s := schema{}
	tables := rows(t, ctx, db, func(r *sql.Rows) (n named, err error) { return n, r.Scan(&n.name, &n.sql) },
		`SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	for _, tn := range tables {
		if ignoredTable(tn.name) {
			continue
		}
		tb := &table{columns: map[string]column{}, indexes: map[string]string{}}
		s[tn.name] = tb
		type col struct {
			name, typ string
			notNull   bool
			def       sql.NullString
			pk        int
		}
		cols := rows(t, ctx, db, func(r *sql.Rows) (c col, err error) {
			return c, r.Scan(&c.name, &c.typ, &c.notNull, &c.def, &c.pk)
		}, `SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?)`, tn.name)
		var pk []col
		for _, c := range cols {
			typ, ok := sqliteTypes[strings.ToUpper(c.typ)]
			if !ok {
				typ = "unmapped SQLite type " + c.typ
			}
			tb.columns[c.name] = column{typ: typ, notNull: c.notNull || c.pk > 0, def: normDefault(c.def.String),
				identity: c.pk > 0 && strings.EqualFold(c.typ, "INTEGER") && strings.Contains(strings.ToUpper(tn.sql), "AUTOINCREMENT")}
			if c.pk > 0 {
				pk = append(pk, c)
			}
		}
		slices.SortFunc(pk, func(a, b col) int { return a.pk - b.pk })
		for i, c := range pk {
			if i > 0 {
				tb.pk += ", "
			}
			tb.pk += c.name
		}
		if len(pk) != 1 {
			for name, c := range tb.columns {
				c.identity = false
				tb.columns[name] = c
			}
		}

		type index struct {
			name, origin string
			unique       bool
		}
		indexes := rows(t, ctx, db, func(r *sql.Rows) (ix index, err error) { return ix, r.Scan(&ix.name, &ix.unique, &ix.origin) },
			`SELECT name, "unique", origin FROM pragma_index_list(?)`, tn.name)
		for _, ix := range indexes {
			cols := strings.Join(rows(t, ctx, db, func(r *sql.Rows) (c string, err error) { return c, r.Scan(&c) },
				`SELECT name FROM pragma_index_info(?) ORDER BY seqno`, ix.name), ", ")
			switch ix.origin {
			case "c":
				var def string
				if err := db.QueryRowContext(ctx, `SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?`, ix.name).Scan(&def); err != nil {
					t.Fatal(err)
				}
				var where string
				if i := strings.Index(strings.ToUpper(def), " WHERE "); i >= 0 {
					where = def[i+len(" WHERE "):]
				}
				tb.indexes[ix.name] = indexDesc(ix.unique, cols, where)
			case "u":
				tb.uniques = append(tb.uniques, "("+cols+")")
			}
		}
		slices.Sort(tb.uniques)

		type fk struct {
			id                          int
			to, from, toCol, upd, delet string
		}
		fks := rows(t, ctx, db, func(r *sql.Rows) (f fk, err error) {
			return f, r.Scan(&f.id, &f.to, &f.from, &f.toCol, &f.upd, &f.delet)
		}, `SELECT id, "table", "from", COALESCE("to", ''), on_update, on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq`, tn.name)
		byID := map[int]*fk{}
		var ids []int
		for _, f := range fks {
			if g := byID[f.id]; g != nil {
				g.from += ", " + f.from
				g.toCol += ", " + f.toCol
				continue
			}
			byID[f.id] = &f
			ids = append(ids, f.id)
		}
		for _, id := range ids {
			f := byID[id]
			tb.fks = append(tb.fks, fmt.Sprintf("(%s) → %s(%s) on update %s on delete %s", f.from, f.to, f.toCol,
				strings.ToLower(f.upd), strings.ToLower(f.delet)))
		}
		slices.Sort(tb.fks)
	}
	return s
}

func describePostgres(t *testing.T, ctx context.Context, db *sql.DB) schema {
	t.Helper()
	s := schema{}
	tables := rows(t, ctx, db, func(r *sql.Rows) (n string, err error) { return n, r.Scan(&n) },
		`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`)
	for _, name := range tables {
		if ignoredTable(name) {
			continue
		}
		tb := &table{columns: map[string]column{}, indexes: map[string]string{}}
		s[name] = tb
		type col struct {
			name, typ, nullable, identity string
			def                           sql.NullString
		}
		cols := rows(t, ctx, db, func(r *sql.Rows) (c col, err error) {
			return c, r.Scan(&c.name, &c.typ, &c.nullable, &c.def, &c.identity)
		}, `SELECT column_name, data_type, is_nullable, column_default, is_identity FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = $1`, name)
		for _, c := range cols {
			typ, ok := postgresTypes[c.typ]
			if !ok {
				typ = "unmapped PostgreSQL type " + c.typ
			}
			if c.typ == "integer" && !postgresInt4[name+"."+c.name] {
				typ = "32-bit integer (use {{BIGINT}})"
			}
			tb.columns[c.name] = column{typ: typ, notNull: c.nullable == "NO", def: normDefault(c.def.String), identity: c.identity == "YES"}
		}

		// Constraints, with their columns in order.
		type constraint struct {
			kind, cols, refTable, refCols, upd, del string
			index                                   string
		}
		cons := rows(t, ctx, db, func(r *sql.Rows) (c constraint, err error) {
			return c, r.Scan(&c.kind, &c.cols, &c.refTable, &c.refCols, &c.upd, &c.del, &c.index)
		}, `SELECT c.contype::text,
				(SELECT string_agg(a.attname, ', ' ORDER BY k.i) FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
					JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n),
				COALESCE(c.confrelid::regclass::text, ''),
				COALESCE((SELECT string_agg(a.attname, ', ' ORDER BY k.i) FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
					JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n), ''),
				c.confupdtype::text, c.confdeltype::text, COALESCE(c.conindid::regclass::text, '')
			FROM pg_constraint c WHERE c.conrelid = $1::regclass`, name)
		actions := map[string]string{"a": "no action", "r": "restrict", "c": "cascade", "n": "set null", "d": "set default"}
		constraintIndexes := map[string]bool{}
		for _, c := range cons {
			constraintIndexes[c.index] = true
			switch c.kind {
			case "p":
				tb.pk = c.cols
			case "u":
				tb.uniques = append(tb.uniques, "("+c.cols+")")
			case "f":
				tb.fks = append(tb.fks, fmt.Sprintf("(%s) → %s(%s) on update %s on delete %s", c.cols, c.refTable, c.refCols, actions[c.upd], actions[c.del]))
			default:
				tb.fks = append(tb.fks, "constraint of kind "+c.kind+" that SQLite lacks on "+c.cols)
			}
		}
		slices.Sort(tb.uniques)
		slices.Sort(tb.fks)

		type index struct {
			name, cols, where string
			unique            bool
		}
		indexes := rows(t, ctx, db, func(r *sql.Rows) (ix index, err error) { return ix, r.Scan(&ix.name, &ix.unique, &ix.cols, &ix.where) },
			`SELECT ic.relname, i.indisunique,
				(SELECT string_agg(a.attname, ', ' ORDER BY k.i) FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(n, i)
					JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n),
				COALESCE(pg_get_expr(i.indpred, i.indrelid), '')
			FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid WHERE i.indrelid = $1::regclass`, name)
		for _, ix := range indexes {
			if !constraintIndexes[ix.name] {
				tb.indexes[ix.name] = indexDesc(ix.unique, ix.cols, ix.where)
			}
		}
	}
	return s
}
