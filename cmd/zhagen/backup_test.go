package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"zhagen"
	"zhagen/sqldb"
)

// snapshot is what a restore must bring back: every table's row count,
// the audit chain, and the demands' content.
type snapshot struct {
	counts  map[string]int64
	audit   sqldb.AuditReport
	demands string
}

func takeSnapshot(t *testing.T, dsn string) snapshot {
	t.Helper()
	ctx := context.Background()
	db, err := sqldb.Open(ctx, dsn, zhagen.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var s snapshot
	if s.counts, err = db.TableCounts(ctx); err != nil {
		t.Fatal(err)
	}
	if s.audit, err = db.VerifyAudit(ctx); err != nil {
		t.Fatal(err)
	}
	rows, err := db.SQL().Query(`SELECT id, title, status, version FROM demands ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var id, version int64
		var title, status string
		if err := rows.Scan(&id, &title, &status, &version); err != nil {
			t.Fatal(err)
		}
		b.WriteString(strings.Join([]string{title, status}, "|"))
	}
	s.demands = b.String()
	return s
}

func sameSnapshot(t *testing.T, what string, got, want snapshot) {
	t.Helper()
	if !maps.Equal(got.counts, want.counts) || got.demands != want.demands || !got.audit.OK() || got.audit.Sealed != want.audit.Sealed {
		t.Fatalf("%s differs from the original:\n got  %v %v\n want %v %v", what, got.counts, got.audit, want.counts, want.audit)
	}
}

// TestBackupRestoreSQLite backs the demo zone up, restores it into an
// empty data directory and compares; backups and restores never
// overwrite by accident.
func TestBackupRestoreSQLite(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"ZHAGEN_DATABASE_URL": filepath.Join(dir, "z.db")}
	if _, err := runCmd(t, env, "", "demo"); err != nil {
		t.Fatal(err)
	}
	if _, err := runCmd(t, env, "", "audit", "seal"); err != nil {
		t.Fatal(err)
	}
	want := takeSnapshot(t, env["ZHAGEN_DATABASE_URL"])
	if want.counts["demands"] == 0 || want.counts["visits"] == 0 || want.audit.Sealed == 0 {
		t.Fatalf("demo snapshot too thin: %v %v", want.counts, want.audit)
	}
	file := filepath.Join(dir, "backup.db")
	out, err := runCmd(t, env, "", "backup", file)
	if err != nil || !strings.Contains(out, "备份核对通过") {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	if _, err := runCmd(t, env, "", "backup", file); err == nil {
		t.Fatal("backup overwrote an existing file")
	}
	restored := map[string]string{"ZHAGEN_DATABASE_URL": filepath.Join(dir, "restored", "z.db")}
	if out, err := runCmd(t, restored, "", "restore", file); err != nil || !strings.Contains(out, "已从备份恢复") {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	sameSnapshot(t, "restored database", takeSnapshot(t, restored["ZHAGEN_DATABASE_URL"]), want)
	if _, err := runCmd(t, restored, "", "restore", file); err == nil {
		t.Fatal("restore replaced a database without --force")
	}
	if _, err := runCmd(t, restored, "", "restore", "--force", file); err != nil {
		t.Fatal(err)
	}
	// A damaged backup is refused before anything is replaced.
	bad := filepath.Join(dir, "bad.db")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, data[:len(data)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := runCmd(t, restored, "", "restore", "--force", bad); err == nil {
		t.Fatal("restored a truncated backup")
	}
	sameSnapshot(t, "database after a refused restore", takeSnapshot(t, restored["ZHAGEN_DATABASE_URL"]), want)
}

// TestBackupRestorePostgres dumps a schema with pg_dump and restores it
// into a new database.
func TestBackupRestorePostgres(t *testing.T) {
	pg := os.Getenv("ZHAGEN_TEST_POSTGRES")
	if pg == "" {
		t.Skip("ZHAGEN_TEST_POSTGRES not set")
	}
	dsn, drop, err := sqldb.TempSchema(pg, "bk_")
	if err != nil {
		t.Fatal(err)
	}
	defer drop()
	env := map[string]string{"ZHAGEN_DATABASE_URL": dsn}
	if _, err := runCmd(t, env, "Zhagen@2026-backup\n", "user", "add", "--login", "backup1", "--name", "备份测试", "--roles", "admin", "--password-stdin"); err != nil {
		t.Fatal(err)
	}
	if _, err := runCmd(t, env, "", "audit", "seal"); err != nil {
		t.Fatal(err)
	}
	want := takeSnapshot(t, dsn)
	file := filepath.Join(t.TempDir(), "zhagen.dump")
	if out, err := runCmd(t, env, "", "backup", file); err != nil || !strings.Contains(out, "备份核对通过") {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	// Restore into a fresh database, same schema name.
	b := make([]byte, 4)
	rand.Read(b)
	name := "zr_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", pg)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
		t.Fatal(err)
	}
	defer admin.Exec(`DROP DATABASE ` + name + ` WITH (FORCE)`)
	u, _ := url.Parse(dsn)
	u.Path = "/" + name
	restored := map[string]string{"ZHAGEN_DATABASE_URL": u.String()}
	if out, err := runCmd(t, restored, "", "restore", file); err != nil {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	sameSnapshot(t, "restored database", takeSnapshot(t, u.String()), want)
}
