// Package sqldb implements zhagen's services on SQL: embedded SQLite by
// default, PostgreSQL when the DSN is a postgres:// URL. Every dialect
// difference lives in dialect.go.
package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"

	"golang.org/x/sync/singleflight"

	"zhagen"
)

// DB is an open database with its dialect and clock.
type DB struct {
	sql     *sql.DB
	dialect dialect
	clock   zhagen.Clock
	counts  countCache
	// countFlight shares one count among the requests that miss the
	// count cache for the same query at the same generation.
	countFlight singleflight.Group
	countHook   func(query bool) // tests: called on a miss, and before its count runs
	// countRefresh waits for the counts refreshed in the background;
	// countRefreshing holds the keys of those being refreshed, and
	// countNext when each key may be recounted next (recountSpacing).
	countRefresh    sync.WaitGroup
	countRefreshing sync.Map
	countNext       sync.Map
	stmts           stmtCache
	batch           batcher
	DSN             string

	gens          generations
	deptNameCache genCache[struct{}, map[int64]string]
	categoryCache genCache[int64, *zhagen.Category]
	activeEntName genCache[int64, string] // names of enterprises not archived
	tokenCache    genCache[string, tokenEntry]
	linkedCache   genCache[int64, map[int64]bool] // a cadre's linked enterprises
	// ladderCountCache keeps LadderCounts per scope.
	ladderCountCache genCache[string, []zhagen.LadderCount]
	// tallyCache keeps SupervisionTallies per scope and minute.
	tallyCache genCache[string, []zhagen.SupervisionTally]

	// writeMu serialises SQLite writers inside the process, so that they
	// queue on a mutex instead of polling the file lock with the busy
	// handler's sleeps. PostgreSQL needs no such thing.
	writeMu sync.Mutex
	// txSlots bounds the PostgreSQL transactions open at once below the
	// pool's size, so that a transaction needing a second connection (to
	// prepare a statement for the cache, or to read through the pool)
	// always finds one. Without it a burst of writers as large as the
	// pool, each holding a connection and waiting for another, deadlocks.
	txSlots chan struct{}

	// wake tells the notice drainers that committed notices wait.
	wake chan struct{}

	// read is an optional streaming replica (AttachReadReplica): reads
	// outside transactions whose context allows it (ReadFromReplica) go
	// there, with their own prepared statements.
	read      *sql.DB
	readStmts stmtCache
}

// pgMaxConns is the PostgreSQL pool's size; pgTxSlots of its connections
// may be held by transactions at once.
const pgMaxConns, pgTxSlots = 32, 24

// sqliteMaxConns is the SQLite pool's size.
const sqliteMaxConns = 4

// Open connects to the database named by dsn: a postgres:// or
// postgresql:// URL selects PostgreSQL, anything else is a SQLite file
// path (WAL, busy_timeout, foreign keys on). It does not migrate.
func Open(ctx context.Context, dsn string, clock zhagen.Clock) (*DB, error) {
	if dsn == "" {
		return nil, errors.New("sqldb: empty DSN")
	}
	if clock == nil {
		clock = zhagen.SystemClock{}
	}
	db := &DB{clock: clock, DSN: dsn, wake: make(chan struct{}, 1)}
	var err error
	if isPostgres(dsn) {
		db.dialect = postgres
		db.sql, err = sql.Open("pgx", pgDSN(dsn))
		if err == nil {
			db.sql.SetMaxOpenConns(pgMaxConns)
			db.sql.SetMaxIdleConns(pgMaxConns)
			db.txSlots = make(chan struct{}, pgTxSlots)
		}
	} else {
		db.dialect = sqlite
		db.sql, err = sql.Open("sqlite", sqliteDSN(dsn))
		if err == nil {
			// Four connections keep two cores busy (WAL readers run side
			// by side, one writer at a time). Each holds its page cache
			// and its prepared statements in SQLite's own heap, which the
			// Go collector does not see: under wrk at a million demands,
			// eight read no faster than four (staff list 2,190–2,619
			// against 2,008–2,689 req/s; creates 1,468–1,688 against
			// 1,594–2,048), and under the mixed load four served more
			// (2,159 against 1,849 req/s, p99 30 against 47 ms) with 17 MB
			// less of SQLite's heap (44 against 61 MB) after 3 minutes.
			db.sql.SetMaxOpenConns(sqliteMaxConns)
			db.sql.SetMaxIdleConns(sqliteMaxConns)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("sqldb: open: %w", err)
	}
	db.sql.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.sql.PingContext(ctx); err != nil {
		db.sql.Close()
		return nil, fmt.Errorf("sqldb: connect: %w", err)
	}
	return db, nil
}

// Close closes the prepared statements and the connection pools.
func (db *DB) Close() error {
	db.stopBatches()
	db.countRefresh.Wait()
	db.stmts.close()
	if db.read != nil {
		db.readStmts.close()
		db.read.Close()
	}
	return db.sql.Close()
}

// IsPostgres reports whether the database is PostgreSQL.
func (db *DB) IsPostgres() bool { return db.dialect == postgres }

// SQL returns the underlying pool, for tests and benchmarks.
func (db *DB) SQL() *sql.DB { return db.sql }

// now returns the clock's time in UTC, truncated to microseconds so that
// both engines store and return the same value.
func (db *DB) now() time.Time { return db.clock.Now().UTC().Truncate(time.Microsecond) }

// Tx is a transaction that carries the time it started.
type Tx struct {
	*sql.Tx
	db   *DB
	now  time.Time
	done bool

	unlock  func()
	dirty   map[string]bool // tables whose generation moves on commit
	notices int             // notices written to the outbox

	// rollupBuf, when not nil, gathers the rollup differences of the
	// transaction to write at once (a bulk import); see rollup.go.
	rollupBuf map[rollupKey]rollupCounts
	// shard is the shard of the rollup and generation rows the
	// transaction adds to: its group-commit writer's (batch.go), else 0.
	shard int

	// PostgreSQL: the connection the transaction runs on, the statements
	// queued to run with its next round trip, the error that aborted it
	// there, and the group-commit item being run (pipeline.go).
	conn    *sql.Conn
	pending []lateStmt
	failed  error
	item    int
	// left is the number of group-commit items from the one being run to
	// the batch's end (0 outside a batch); ids are the ids drawn ahead
	// for them (newID).
	left int
	ids  map[string][]int64
}

// lockTx takes what an open transaction holds: the SQLite writer lock,
// or one of PostgreSQL's transaction slots; the returned func releases it.
func (db *DB) lockTx() func() {
	if db.dialect == postgres {
		db.txSlots <- struct{}{}
		return func() { <-db.txSlots }
	}
	return db.lockWrite()
}

// lockWrite takes the SQLite writer lock; the returned func releases it.
func (db *DB) lockWrite() func() {
	if db.dialect != sqlite {
		return func() {}
	}
	db.writeMu.Lock()
	return db.writeMu.Unlock
}

// begin starts a write transaction.
func (db *DB) begin(ctx context.Context) (*Tx, error) {
	unlock := db.lockTx()
	if db.dialect == sqlite {
		tx, err := db.sql.BeginTx(ctx, nil)
		if err != nil {
			unlock()
			return nil, err
		}
		return &Tx{Tx: tx, db: db, now: db.now(), unlock: unlock}, nil
	}
	// A connection of its own, for the pipeline's raw access to it. BEGIN
	// is queued, not sent: it goes with the transaction's first round
	// trip (pipeline.go), and COMMIT with its last.
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		unlock()
		return nil, err
	}
	release := func() {
		conn.Close() // back to the pool
		unlock()
	}
	return &Tx{db: db, now: db.now(), unlock: release, conn: conn, pending: []lateStmt{{query: "BEGIN", item: -1}}}, nil
}

// Commit moves the generations of the tables written, commits and
// releases the writer lock.
func (tx *Tx) Commit() error {
	if tx.done {
		return sql.ErrTxDone
	}
	dirty := tx.dirty
	err := tx.flushGenerations()
	if err == nil && tx.conn == nil {
		err = tx.flush(context.Background())
	}
	if err != nil {
		tx.Rollback()
		return err
	}
	tx.done = true
	defer tx.unlock()
	if tx.conn != nil {
		err = tx.endPG("COMMIT")
	} else {
		err = tx.Tx.Commit()
	}
	tx.db.gens.forget(dirty)
	if err == nil && tx.notices > 0 {
		tx.db.wakeOutbox()
	}
	return err
}

// Rollback rolls back (once) and releases the writer lock; after Commit
// it does nothing, so it can be deferred.
func (tx *Tx) Rollback() error {
	if tx.done {
		return nil
	}
	tx.done = true
	defer tx.unlock()
	if tx.conn != nil {
		return tx.endPG("ROLLBACK")
	}
	return tx.Tx.Rollback()
}

// stmt returns the cached prepared statement of query bound to tx, so
// that hot statements are parsed once per connection, not per call.
// SQLite only: on PostgreSQL exec, queryRow and query run on the
// transaction's connection, whose prepared statements pgx keeps itself.
func (tx *Tx) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	st, err := tx.db.stmts.get(ctx, tx.db.sql, tx.db.dialect, query)
	if err != nil {
		return nil, err
	}
	return tx.StmtContext(ctx, st), nil
}

// exec runs a statement written with ? placeholders.
func (tx *Tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if tx.conn != nil {
		return tx.ExecContext(ctx, tx.db.dialect.rebind(query), args...)
	}
	st, err := tx.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

func (tx *Tx) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if tx.conn != nil {
		return tx.QueryRowContext(ctx, tx.db.dialect.rebind(query), args...)
	}
	st, err := tx.stmt(ctx, query)
	if err != nil {
		return tx.QueryRowContext(ctx, tx.db.dialect.rebind(query), args...) // reports err on Scan
	}
	return st.QueryRowContext(ctx, args...)
}

// query runs a read within tx.
func (tx *Tx) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if tx.conn != nil {
		return tx.QueryContext(ctx, tx.db.dialect.rebind(query), args...)
	}
	st, err := tx.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// insert runs an INSERT … RETURNING id and returns the id.
func (tx *Tx) insert(ctx context.Context, query string, args ...any) (int64, error) {
	var id int64
	if len(tx.pending) > 0 { // one round trip with the queued statements
		err := tx.pipeline(ctx, &lateStmt{query: tx.db.dialect.rebind(query + " RETURNING id"), args: args, item: tx.item}, scanOne(&id))
		return id, err
	}
	err := tx.queryRow(ctx, query+" RETURNING id", args...).Scan(&id)
	return id, err
}

// insertNew inserts a row into table (cols and vals without the id) and
// returns its id. On PostgreSQL the id is drawn first (newID) and the
// INSERT is queued: a filing then waits on no round trip before its
// commit.
func (tx *Tx) insertNew(ctx context.Context, table, cols, vals string, args ...any) (int64, error) {
	if tx.conn == nil {
		return tx.insert(ctx, "INSERT INTO "+table+" ("+cols+") VALUES ("+vals+")", args...)
	}
	id, err := tx.newID(ctx, table)
	if err != nil {
		return 0, err
	}
	return id, tx.later(ctx, "INSERT INTO "+table+" (id, "+cols+") VALUES (?, "+vals+")", append([]any{id}, args...)...)
}

// newID draws an id from table's sequence (PostgreSQL). The first call
// of a group-commit batch draws one for each item left in it, in one
// statement sent with the statements already queued: a batch of n
// filings costs one round trip for their ids instead of one per INSERT
// … RETURNING. Ids a batch draws and does not use (an item that files
// no demand, or fails) are gaps in the numbering, as a rolled-back
// insert leaves with a sequence anyway.
func (tx *Tx) newID(ctx context.Context, table string) (int64, error) {
	if len(tx.ids[table]) == 0 {
		var ids []int64
		err := tx.pipeline(ctx, &lateStmt{query: tx.db.dialect.rebind(`SELECT nextval(pg_get_serial_sequence(?, 'id')) FROM generate_series(1, ?)`),
			args: []any{table, max(tx.left, 1)}, item: tx.item}, func(rows pgx.Rows) error {
			for rows.Next() {
				var id int64
				if err := rows.Scan(&id); err != nil {
					return err
				}
				ids = append(ids, id)
			}
			return nil
		})
		if err != nil {
			return 0, err
		}
		if len(ids) == 0 {
			return 0, fmt.Errorf("sqldb: no id drawn for %s", table)
		}
		if tx.ids == nil {
			tx.ids = map[string][]int64{}
		}
		tx.ids[table] = ids
	}
	id := tx.ids[table][0]
	tx.ids[table] = tx.ids[table][1:]
	return id, nil
}

// query runs a read outside any transaction: on the replica when there
// is one and ctx allows it (ReadFromReplica), else on the primary.
func (db *DB) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	pool, stmts := db.reader(ctx)
	st, err := stmts.get(ctx, pool, db.dialect, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// queryForValues is query for a statement whose best plan depends on
// its arguments' values, such as "due before now" over a partial index
// of the few demands still to lapse. PostgreSQL runs the prepared
// statements of query with one generic plan (pgSettings), which for a
// bound time guesses a third of the table and took the index of every
// open demand instead: 343 ms against 0.1 ms. Here the values are sent
// in the statement's text (pgx's simple protocol), so each run is
// planned for them; SQLite plans for bound values as it is.
func (db *DB) queryForValues(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if db.dialect != postgres {
		return db.query(ctx, query, args...)
	}
	pool, _ := db.reader(ctx)
	return pool.QueryContext(ctx, db.dialect.rebind(query), append([]any{pgx.QueryExecModeSimpleProtocol}, args...)...)
}

func (db *DB) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	pool, stmts := db.reader(ctx)
	st, err := stmts.get(ctx, pool, db.dialect, query)
	if err != nil {
		return pool.QueryRowContext(ctx, db.dialect.rebind(query), args...) // reports err on Scan
	}
	return st.QueryRowContext(ctx, args...)
}

// exec runs a statement outside a transaction; writers queue on the
// SQLite writer lock.
func (db *DB) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	defer db.lockWrite()()
	return db.sql.ExecContext(ctx, db.dialect.rebind(query), args...)
}

// stmtCache keeps prepared statements of the queries run outside
// transactions: the hot ones (token lookup, lists) then skip parsing.
type stmtCache struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

const stmtCacheMax = 512

func (c *stmtCache) get(ctx context.Context, pool *sql.DB, d dialect, query string) (*sql.Stmt, error) {
	c.mu.Lock()
	st, ok := c.m[query]
	c.mu.Unlock()
	if ok {
		return st, nil
	}
	st, err := pool.PrepareContext(ctx, d.rebind(query))
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= stmtCacheMax {
		closeLater(slices.Collect(maps.Values(c.m))...)
		c.m = map[string]*sql.Stmt{}
	}
	if prev, ok := c.m[query]; ok {
		closeLater(st) // another caller prepared it meanwhile
		return prev, nil
	}
	c.m[query] = st
	return st, nil
}

// closeLater closes statements on a goroutine of their own. Closing one
// waits for every connection it was prepared on, and such a connection
// may be running a statement that waits for a row lock held by the
// transaction of the goroutine that would close it, or by one that needs
// the cache's lock: closing inline deadlocked PostgreSQL under 50
// concurrent requests (TestStmtCacheCloseNeverWaits).
func closeLater(sts ...*sql.Stmt) {
	if len(sts) == 0 {
		return
	}
	go func() {
		for _, st := range sts {
			st.Close()
		}
	}()
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		st.Close()
	}
	c.m = nil
}

// where accumulates the conditions and arguments of a WHERE clause.
type where struct {
	conds []string
	args  []any
	// walk holds, by index in conds, another form of a condition for a
	// query that walks rows in an index's order and stops at a page:
	// asked row by row, where the usual form suits a query that reads
	// every row in scope (a count). Both take the same arguments.
	walk map[int]string
}

// addWalk adds cond, whose form for a walk down an index is walk.
func (w *where) addWalk(cond, walk string, args ...any) {
	if walk != cond {
		if w.walk == nil {
			w.walk = map[int]string{}
		}
		w.walk[len(w.conds)] = walk
	}
	w.add(cond, args...)
}

// walkString is String with each condition in its form for a walk.
func (w *where) walkString() string {
	if len(w.walk) == 0 {
		return w.String()
	}
	conds := slices.Clone(w.conds)
	for i, c := range w.walk {
		conds[i] = c
	}
	return (&where{conds: conds}).String()
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

func (w *where) String() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// likeArg escapes % and _ in a user's search text for LIKE … ESCAPE '\'.
func likeArg(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}

// requireActor returns the caller or EUNAUTHORIZED.
func requireActor(ctx context.Context) (*zhagen.Actor, error) {
	a := zhagen.ActorFromContext(ctx)
	if a == nil {
		return nil, zhagen.Errorf(zhagen.EUNAUTHORIZED, "请先登录")
	}
	return a, nil
}

// notFound maps sql.ErrNoRows to ENOTFOUND naming the object.
func notFound(err error, what string) error {
	if isNoRows(err) {
		return zhagen.Errorf(zhagen.ENOTFOUND, "%s不存在", what)
	}
	return err
}

// isNoRows reports whether err is (or wraps) sql.ErrNoRows.
func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// lockRow locks row id of table for the rest of tx (see forUpdate): a
// check-then-write on that row's behalf (count, then insert) becomes one
// critical section. It returns sql.ErrNoRows when there is no such row.
func (tx *Tx) lockRow(ctx context.Context, table string, id int64) error {
	var got int64
	return tx.queryRow(ctx, `SELECT id FROM `+table+` WHERE id = ?`+tx.db.dialect.forUpdate(), id).Scan(&got)
}
