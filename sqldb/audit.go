package sqldb

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"time"

	"zhagen"
)

// The operation log is hash-chained in two steps. Writers insert entries
// unsealed, inside their own transactions, so that no write waits for a
// chain lock. SealAudit then takes the unsealed entries in id order, gives
// each the next sequence number and hash = SHA-256(previous hash, entry),
// and moves audit_head, all in one transaction whose conditional head
// update lets only one sealer win. VerifyAudit recomputes the chain.

// sealBatch is how many entries one seal transaction takes.
const sealBatch = 2000

// auditHash is the hash of an entry chained to prev. The fields go
// through JSON so that no two different entries encode alike.
func auditHash(prev string, seq int64, l *zhagen.OpLog) string {
	b, _ := json.Marshal([]any{prev, seq, l.ID, l.At.UTC().Format(time.RFC3339Nano), l.UserID, l.UserName, l.Action, l.ObjectType, l.ObjectID, l.Summary, l.IP})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

const opLogColumns = `id, user_id, user_name, action, object_type, object_id, summary, ip, at`

func scanOpLog(rows *sql.Rows, more ...any) (*zhagen.OpLog, error) {
	l := &zhagen.OpLog{}
	err := rows.Scan(append([]any{&l.ID, &l.UserID, &l.UserName, &l.Action, &l.ObjectType, &l.ObjectID, &l.Summary, &l.IP, &l.At}, more...)...)
	return l, err
}

// SealAudit chains the entries written since the last seal and returns
// how many it sealed. Run it often (the server does every few seconds):
// an entry is protected from the moment it is sealed.
func (db *DB) SealAudit(ctx context.Context) (int, error) {
	total := 0
	for {
		n, err := db.sealOnce(ctx)
		total += n
		if err != nil || n < sealBatch {
			return total, err
		}
	}
}

func (db *DB) sealOnce(ctx context.Context) (int, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	var seq int64
	var hash string
	if err := tx.queryRow(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&seq, &hash); err != nil {
		return 0, err
	}
	rows, err := tx.QueryContext(ctx, db.dialect.rebind(`SELECT `+opLogColumns+` FROM op_logs WHERE seq IS NULL ORDER BY id LIMIT ?`), sealBatch)
	if err != nil {
		return 0, err
	}
	var ls []*zhagen.OpLog
	for rows.Next() {
		l, err := scanOpLog(rows)
		if err != nil {
			rows.Close()
			return 0, err
		}
		ls = append(ls, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(ls) == 0 {
		return 0, err
	}
	from := seq
	for _, l := range ls {
		seq++
		hash = auditHash(hash, seq, l)
		res, err := tx.exec(ctx, `UPDATE op_logs SET seq = ?, hash = ? WHERE id = ? AND seq IS NULL`, seq, hash, l.ID)
		if err != nil {
			return 0, err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return 0, zhagen.Errorf(zhagen.ECONFLICT, "操作日志正由另一进程封存")
		}
	}
	res, err := tx.exec(ctx, `UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1 AND seq = ?`, seq, hash, from)
	if err != nil {
		return 0, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return 0, zhagen.Errorf(zhagen.ECONFLICT, "操作日志正由另一进程封存")
	}
	return len(ls), tx.Commit()
}

// AuditProblem is what is wrong with the chain at AuditReport.Seq.
type AuditProblem string

// Audit problems.
const (
	AuditAltered AuditProblem = "altered" // the entry's fields or hash do not match the chain
	AuditMissing AuditProblem = "missing" // no entry holds this sequence number (removed, or the tail cut off)
	AuditHead    AuditProblem = "head"    // the chain goes on past, or ends elsewhere than, the recorded head
)

// AuditReport is what VerifyAudit found.
type AuditReport struct {
	Sealed   int64 // entries checked
	Unsealed int64 // entries not yet sealed (not covered by the chain)
	// Problem is empty when the chain holds; otherwise what is wrong with
	// the first entry found altered or missing.
	Problem AuditProblem
	Seq     int64 // sequence number of that entry
	ID      int64 // its id, when the entry is there
}

// OK reports whether the chain holds.
func (r AuditReport) OK() bool { return r.Problem == "" }

// VerifyAudit recomputes the chain from its first entry and names the
// first entry that was altered, removed or inserted out of the chain.
func (db *DB) VerifyAudit(ctx context.Context) (AuditReport, error) {
	var rep AuditReport
	var headSeq int64
	var headHash string
	if err := db.queryRow(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&headSeq, &headHash); err != nil {
		return rep, err
	}
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM op_logs WHERE seq IS NULL`).Scan(&rep.Unsealed); err != nil {
		return rep, err
	}
	prev, want := "", int64(1)
	for {
		rows, err := db.query(ctx, `SELECT `+opLogColumns+`, seq, hash FROM op_logs WHERE seq >= ? ORDER BY seq LIMIT 5000`, want)
		if err != nil {
			return rep, err
		}
		n := 0
		for rows.Next() {
			var seq int64
			var hash string
			l, err := scanOpLog(rows, &seq, &hash)
			if err != nil {
				rows.Close()
				return rep, err
			}
			n++
			switch {
			case seq != want:
				rep.Problem, rep.Seq = AuditMissing, want
			case auditHash(prev, seq, l) != hash:
				rep.Problem, rep.Seq, rep.ID = AuditAltered, seq, l.ID
			}
			if rep.Problem != "" {
				rows.Close()
				return rep, nil
			}
			prev, want = hash, want+1
			rep.Sealed++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return rep, err
		}
		if n == 0 {
			break
		}
	}
	switch {
	case rep.Sealed < headSeq:
		rep.Problem, rep.Seq = AuditMissing, rep.Sealed+1
	case rep.Sealed > headSeq || prev != headHash:
		rep.Problem, rep.Seq = AuditHead, headSeq
	}
	return rep, nil
}
