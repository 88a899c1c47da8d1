package sqldb

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// countCache remembers COUNT(*) results per table and WHERE clause until
// the table's generation changes: table_generations, bumped in every
// write transaction, each group-commit writer in its own shard row, the
// generation being their sum. Counting 100,000 rows costs milliseconds
// on every page of a list; reading a generation costs one index range
// of a few rows. It stays correct with several servers on one database,
// since the generation lives in the database.
type countCache struct {
	mu      sync.Mutex
	entries map[string]countEntry
}

type countEntry struct {
	gen   int64
	count int
}

// backgroundCountRows is the total from which a count is refreshed in
// the background. Counting a department's scope at a million demands
// takes a second on SQLite and a few hundred milliseconds on
// PostgreSQL; with demands filed every few hundred milliseconds, every
// list page would wait for a recount. A total this large is served from
// the generation before while one recount runs, so it can lag the
// demands by the time of one count; a smaller total is always exact.
var backgroundCountRows = 20000

const countCacheMax = 4096

// bumpGeneration marks table as changed within tx; the generation moves
// once, when tx commits, however many writes the transaction (or a group
// commit's batch) made. Only tables whose generation something reads
// (count, or a genCache's generation call) need bumping.
func (tx *Tx) bumpGeneration(table string) {
	if tx.dirty == nil {
		tx.dirty = map[string]bool{}
	}
	tx.dirty[table] = true
}

// flushGenerations writes the generations marked by bumpGeneration.
func (tx *Tx) flushGenerations() error {
	// In one order for every transaction: two that bump the same
	// generations in opposite orders would deadlock on PostgreSQL.
	for _, table := range slices.Sorted(maps.Keys(tx.dirty)) {
		if err := tx.later(context.Background(), `INSERT INTO table_generations (name, shard, n) VALUES (?, ?, 1)
			ON CONFLICT (name, shard) DO UPDATE SET n = table_generations.n + 1`, table, tx.shard); err != nil {
			return err
		}
	}
	tx.dirty = nil
	return nil
}

// countGenerations maps each table a counted query may read to the
// generation its writes bump. Several tables share the demands
// generation: writes to a demand's department rows, projects,
// consultations and action items (which the demand scope reads) bump
// "demands".
var countGenerations = map[string]string{
	"demands":       "demands",
	"demand_depts":  "demands",
	"projects":      "demands",
	"consultations": "demands",
	"action_items":  "demands",
	"enterprises":   "enterprises",
	// An enterprise's tags filter the enterprise list; setting them bumps
	// "enterprises".
	"enterprise_tags": "enterprises",
	"linkages":        "linkages",
	"departments":     "departments",
	"categories":      "categories",
}

var tableRef = regexp.MustCompile(`(?i)\b(?:FROM|JOIN)\s+([a-z_][a-z0-9_]*)`)

// columnGenerations are generations of single columns of a table, for
// writes that change nothing else: a counted query that reads the
// table and names the column depends on the column's generation too.
// The SLA job changes demands' warning levels all day and bumps only
// "demand_levels", so that it leaves the counts of lists that do not
// read the level (the staff's demand list: a full count of a
// department's scope at a million demands) in the cache.
var columnGenerations = []struct {
	tableGen string // the generation of the column's table
	col      *regexp.Regexp
	gen      string
}{
	{"demands", regexp.MustCompile(`(?i)\bsla_level\b`), "demand_levels"},
}

// countTables returns the generations that a COUNT(*) over sql depends
// on: one per table sql reads (FROM, JOIN and subqueries alike), sorted
// and without repeats. A table without a known generation is an error, so
// a new join cannot silently leave a cached total stale.
func countTables(sql string) ([]string, error) {
	seen := map[string]bool{}
	var gens []string
	for _, m := range tableRef.FindAllStringSubmatch(sql, -1) {
		g, ok := countGenerations[strings.ToLower(m[1])]
		if !ok {
			return nil, fmt.Errorf("sqldb: a counted query reads table %q, which has no generation in countGenerations", m[1])
		}
		if !seen[g] {
			seen[g] = true
			gens = append(gens, g)
		}
	}
	if len(gens) == 0 {
		return nil, fmt.Errorf("sqldb: a counted query reads no table: %q", sql)
	}
	for _, c := range columnGenerations {
		if seen[c.tableGen] && c.col.MatchString(sql) {
			gens = append(gens, c.gen)
		}
	}
	sort.Strings(gens)
	return gens, nil
}

// countTablesSeen remembers countTables by query text: lists count on
// every page, with a few query shapes each.
var countTablesSeen sync.Map // string → []string

func countTablesOf(q string) ([]string, error) {
	if t, ok := countTablesSeen.Load(q); ok {
		return t.([]string), nil
	}
	t, err := countTables(q)
	if err == nil {
		countTablesSeen.Store(q, t)
	}
	return t, err
}

// queryGeneration returns a number that moves whenever a table that
// from (a FROM clause with its joins and WHERE, subqueries included)
// reads changes: what a value computed from that query is cached under.
func (db *DB) queryGeneration(ctx context.Context, from string) (int64, error) {
	tables, err := countTablesOf(`SELECT COUNT(*) FROM ` + strings.TrimPrefix(strings.TrimSpace(from), "FROM "))
	if err != nil {
		return 0, err
	}
	return db.generation(ctx, tables...)
}

// count returns SELECT COUNT(*) FROM from + w, from the cache when none
// of the tables the query reads (from, its joins and the subqueries of w;
// see countTables) has changed since it was counted.
func (db *DB) count(ctx context.Context, from string, w *where) (int, error) {
	q := `SELECT COUNT(*) FROM ` + from + w.String()
	tables, err := countTablesOf(q)
	if err != nil {
		return 0, err
	}
	gen, err := db.generation(ctx, tables...)
	if err != nil {
		return 0, err
	}
	var key strings.Builder
	key.WriteString(q)
	for _, a := range w.args {
		fmt.Fprintf(&key, "\x00%T:%v", a, a)
	}
	k := key.String()
	e, ok := db.cachedCount(k)
	if !ok {
		// New to this server: another server, or this one before a
		// restart, may have counted it.
		if e, ok, err = db.sharedCount(ctx, k); err != nil {
			return 0, err
		}
	}
	if ok && e.gen == gen {
		return e.count, nil
	}
	if ok && e.count >= backgroundCountRows {
		db.refreshCount(k, gen, q, w.args)
		return e.count, nil
	}
	// Requests that miss at once count once: under a steady stream of
	// filings every list page after one would otherwise run the same
	// count of a whole scope side by side.
	if db.countHook != nil {
		db.countHook(false)
	}
	v, err, _ := db.countFlight.Do(k+"\x01"+strconv.FormatInt(gen, 10), func() (any, error) {
		// A flight that ended just before this one began has kept its
		// count: the same generation needs no second count.
		if e, ok := db.cachedCount(k); ok && e.gen == gen {
			return e.count, nil
		}
		return db.countAndKeep(context.WithoutCancel(ctx), k, gen, q, w.args)
	})
	if err != nil {
		return 0, err
	}
	return v.(int), nil
}

// cachedCount is the kept count of the query keyed k, of whatever
// generation.
func (db *DB) cachedCount(k string) (countEntry, bool) {
	db.counts.mu.Lock()
	defer db.counts.mu.Unlock()
	e, ok := db.counts.entries[k]
	return e, ok
}

// countAndKeep runs the count q and keeps it under k at generation gen.
func (db *DB) countAndKeep(ctx context.Context, k string, gen int64, q string, args []any) (int, error) {
	if db.countHook != nil {
		db.countHook(true)
	}
	var n int
	if err := db.queryRow(ctx, q, args...).Scan(&n); err != nil {
		return 0, err
	}
	db.storeCount(k, gen, n)
	return n, nil
}

// sharedCount is the count of the query keyed k kept in the database
// (see storeCount), of whatever generation; it is kept in this server's
// cache too.
func (db *DB) sharedCount(ctx context.Context, k string) (countEntry, bool, error) {
	var e countEntry
	err := db.queryRow(ctx, `SELECT gen, n FROM shared_counts WHERE qkey = ?`, sharedCountKey(k)).Scan(&e.gen, &e.count)
	if errors.Is(err, sql.ErrNoRows) {
		return e, false, nil
	}
	if err != nil {
		return e, false, err
	}
	db.keepCount(k, e.gen, e.count)
	return e, true, nil
}

func sharedCountKey(k string) string {
	h := sha256.Sum256([]byte(k))
	return hex.EncodeToString(h[:])
}

// storeCount keeps count n of the query keyed k at generation gen,
// unless a count of a later generation is kept already. A total of
// backgroundCountRows or more, which takes long to count, is kept in
// the database as well, for the other servers and for after a restart
// (an upsert that never goes back to an earlier generation); a failure
// to keep it there leaves only this server's cache.
func (db *DB) storeCount(k string, gen int64, n int) {
	db.keepCount(k, gen, n)
	if n >= backgroundCountRows {
		db.exec(context.Background(), `INSERT INTO shared_counts (qkey, gen, n) VALUES (?, ?, ?)
			ON CONFLICT (qkey) DO UPDATE SET gen = excluded.gen, n = excluded.n WHERE shared_counts.gen < excluded.gen`, sharedCountKey(k), gen, n)
	}
}

// keepCount is storeCount in this server's cache alone.
func (db *DB) keepCount(k string, gen int64, n int) {
	db.counts.mu.Lock()
	defer db.counts.mu.Unlock()
	if db.counts.entries == nil || len(db.counts.entries) >= countCacheMax {
		db.counts.entries = map[string]countEntry{}
		db.countNext.Clear()
	}
	if e, ok := db.counts.entries[k]; ok && e.gen > gen {
		return
	}
	db.counts.entries[k] = countEntry{gen: gen, count: n}
}

// recountSpacing bounds the time a query's background recounts take:
// after a recount that took d, the next one starts no sooner than
// recountSpacing × d later. Under a steady stream of filings the recount
// of a department's scope at a million demands (one to three seconds)
// otherwise ran back to back, a core busy counting one list; its total
// now lags the demands by at most about (recountSpacing + 1) × d.
var recountSpacing = 4

// refreshCount recounts the query keyed k in the background, keeping
// the result under gen; a query already being recounted, or recounted
// too recently (recountSpacing), is left as it is.
func (db *DB) refreshCount(k string, gen int64, q string, args []any) {
	if next, ok := db.countNext.Load(k); ok && time.Now().Before(next.(time.Time)) {
		return
	}
	if _, busy := db.countRefreshing.LoadOrStore(k, true); busy {
		return
	}
	args = slices.Clone(args)
	db.countRefresh.Add(1)
	go func() {
		defer db.countRefresh.Done()
		defer db.countRefreshing.Delete(k)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		start := time.Now()
		if _, err := db.countAndKeep(ctx, k, gen, q, args); err == nil { // on failure the next request tries again
			db.countNext.Store(k, time.Now().Add(time.Duration(recountSpacing)*time.Since(start)))
		}
	}()
}

// genTTL is how long a generation read from the database is trusted.
// Commits in this process drop their tables' entries at once, so only
// changes made by another server can go unseen, and for at most this long.
var genTTL = 100 * time.Millisecond

type genEntry struct {
	n    int64
	read time.Time
}

// generations remembers recently read generation numbers.
type generations struct {
	mu sync.Mutex
	m  map[string]genEntry
}

func (g *generations) forget(tables map[string]bool) {
	g.mu.Lock()
	for t := range tables {
		delete(g.m, t)
	}
	g.mu.Unlock()
}

// generation returns a number that moves whenever any of tables
// changes: the sum of their generations, which only grow. A value cached
// under it goes stale when any table it was read from is written.
func (db *DB) generation(ctx context.Context, tables ...string) (int64, error) {
	var sum int64
	for _, t := range tables {
		n, err := db.tableGeneration(ctx, t)
		if err != nil {
			return 0, err
		}
		sum += n
	}
	return sum, nil
}

// tableGeneration returns the generation number of one table.
func (db *DB) tableGeneration(ctx context.Context, table string) (int64, error) {
	now := time.Now()
	db.gens.mu.Lock()
	e, ok := db.gens.m[table]
	db.gens.mu.Unlock()
	if ok && now.Sub(e.read) < genTTL {
		return e.n, nil
	}
	var gen int64
	// A table first bumped after the migrations that list the others has
	// no row until its first write: generation 0.
	if err := db.queryRow(ctx, `SELECT COALESCE(SUM(n), 0) FROM table_generations WHERE name = ?`, table).Scan(&gen); err != nil {
		return 0, err
	}
	db.gens.mu.Lock()
	if db.gens.m == nil {
		db.gens.m = map[string]genEntry{}
	}
	db.gens.m[table] = genEntry{gen, now}
	db.gens.mu.Unlock()
	return gen, nil
}

// genCache keeps values read from tables that rarely change (department
// names, categories, token owners) until the generation of the tables
// they were read from moves.
type genCache[K comparable, V any] struct {
	mu  sync.Mutex
	gen int64
	m   map[K]V
}

func (c *genCache[K, V]) get(gen int64, k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var zero V
	if c.m == nil || c.gen != gen {
		return zero, false
	}
	v, ok := c.m[k]
	return v, ok
}

func (c *genCache[K, V]) put(gen int64, k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || c.gen != gen || len(c.m) >= countCacheMax {
		c.m, c.gen = map[K]V{}, gen
	}
	c.m[k] = v
}

// keptCopies returns the values c keeps for key at generation gen,
// loading and keeping them when it has none; each caller gets copies of
// its own to change.
func keptCopies[T any](c *genCache[string, []T], gen int64, key string, load func() ([]T, error)) ([]*T, error) {
	vs, ok := c.get(gen, key)
	if !ok {
		var err error
		if vs, err = load(); err != nil {
			return nil, err
		}
		c.put(gen, key, vs)
	}
	out := make([]*T, len(vs))
	for i := range vs {
		v := vs[i]
		out[i] = &v
	}
	return out, nil
}
