package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"zhagen"
	"zhagen/sqldb"
)

const backupUsage = `用法 Usage:
  zhagen backup FILE             在线备份数据库（SQLite：一致性副本；PostgreSQL：调用 pg_dump），并核对备份
                                 back up the database online (SQLite: a consistent copy; PostgreSQL: pg_dump) and check the backup
  zhagen backup --check FILE     只核对一个备份文件   only check a backup file
  zhagen restore [--force] FILE  从备份恢复（先停止服务；SQLite 目标已存在时需 --force）
                                 restore from a backup (stop the server first; --force replaces an existing SQLite database)`

// backupCmd backs the database up to a file and checks the copy.
func backupCmd(ctx context.Context, cfg *Config, fs *flag.FlagSet, args []string, stdout io.Writer) error {
	check := fs.Bool("check", false, "只核对备份文件 (only check FILE)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("请给出备份文件 (give the backup FILE)\n" + backupUsage)
	}
	file := fs.Arg(0)
	pg := isPostgresURL(cfg.DatabaseURL)
	if !*check {
		if _, err := os.Stat(file); err == nil {
			return fmt.Errorf("备份文件已存在：%s (backup file exists)", file)
		}
		if pg {
			if err := pgDump(ctx, cfg.DatabaseURL, file); err != nil {
				return err
			}
		} else if err := withApp(ctx, cfg, func(app *App) error { return app.DB.BackupSQLite(ctx, file) }); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已备份到 %s (backed up)\n", file)
	}
	if pg {
		return checkPgDump(ctx, file, stdout)
	}
	return checkSQLiteBackup(ctx, file, stdout)
}

// checkSQLiteBackup opens a copy of a SQLite backup (the backup itself
// stays untouched) and reports its integrity, schema version, audit chain
// and row counts.
func checkSQLiteBackup(ctx context.Context, file string, stdout io.Writer) error {
	tmp, err := os.MkdirTemp("", "zhagen-check-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	probe := filepath.Join(tmp, "check.db")
	if err := copyFile(file, probe); err != nil {
		return err
	}
	db, err := sqldb.Open(ctx, probe, zhagen.SystemClock{})
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.IntegrityCheck(ctx); err != nil {
		return err
	}
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		return fmt.Errorf("不是 zhagen 数据库 (not a zhagen database): %w", err)
	}
	rep, err := db.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	counts, err := db.TableCounts(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "备份核对通过 (backup checked): 完整性 ok，结构版本 %d，%s\n", v, auditText(rep))
	fmt.Fprintln(stdout, formatCounts(counts))
	if !rep.OK() {
		return errAuditBroken
	}
	return nil
}

func formatCounts(counts map[string]int64) string {
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range []string{"enterprises", "users", "demands", "demand_events", "files", "op_logs"} {
		if n, ok := counts[k]; ok {
			fmt.Fprintf(&b, "%s %d  ", k, n)
		}
	}
	fmt.Fprintf(&b, "(%d 张表 tables)", len(keys))
	return b.String()
}

// pgDump backs a PostgreSQL database (or zhagen's schema in it) up with
// pg_dump's custom format, which pg_restore reads.
func pgDump(ctx context.Context, dsn, file string) error {
	conn, schema, err := sqldb.PgConnArgs(dsn)
	if err != nil {
		return err
	}
	args := []string{"--format=custom", "--no-owner", "--file=" + file}
	if schema != "" {
		args = append(args, "--schema="+schema)
	}
	return runTool(ctx, "pg_dump", append(args, conn)...)
}

// checkPgDump lists a pg_dump archive and checks that it holds zhagen's
// tables with their data.
func checkPgDump(ctx context.Context, file string, stdout io.Writer) error {
	out, err := exec.CommandContext(ctx, "pg_restore", "--list", file).Output()
	if err != nil {
		return fmt.Errorf("pg_restore 无法读取备份 (cannot read the archive): %w", err)
	}
	data := map[string]bool{}
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) >= 7 && strings.Contains(line, " TABLE DATA ") {
			data[f[len(f)-2]] = true
		}
	}
	for _, t := range []string{"schema_migrations", "demands", "op_logs", "audit_head", "files", "users"} {
		if !data[t] {
			return fmt.Errorf("备份缺少表 %s 的数据 (the archive lacks table %s)", t, t)
		}
	}
	fmt.Fprintf(stdout, "备份核对通过 (archive checked): %d 张表的数据\n", len(data))
	return nil
}

// restoreCmd restores a backup into the configured database.
func restoreCmd(ctx context.Context, cfg *Config, fs *flag.FlagSet, args []string, stdout io.Writer) error {
	force := fs.Bool("force", false, "替换已存在的 SQLite 数据库 (replace an existing SQLite database)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("请给出备份文件 (give the backup FILE)\n" + backupUsage)
	}
	file := fs.Arg(0)
	if isPostgresURL(cfg.DatabaseURL) {
		if err := checkPgDump(ctx, file, io.Discard); err != nil {
			return err
		}
		conn, _, err := sqldb.PgConnArgs(cfg.DatabaseURL)
		if err != nil {
			return err
		}
		if err := runTool(ctx, "pg_restore", "--clean", "--if-exists", "--no-owner", "--exit-on-error", "--single-transaction", "--dbname="+conn, file); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "已从备份恢复 (restored)")
		return nil
	}
	if err := checkSQLiteBackup(ctx, file, io.Discard); err != nil {
		return err
	}
	target := cfg.DatabaseURL
	if _, err := os.Stat(target); err == nil && !*force {
		return fmt.Errorf("数据库已存在：%s；确认已停止服务后加 --force 替换 (the database exists; stop the server and add --force)", target)
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o750); err != nil {
		return err
	}
	tmp := target + ".restore"
	if err := copyFile(file, tmp); err != nil {
		return err
	}
	for _, side := range []string{"-wal", "-shm"} {
		if err := os.Remove(target + side); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	if err := os.Rename(tmp, target); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已从备份恢复到 %s (restored)\n", target)
	return nil
}

// copyFile copies src to dst and syncs it.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o640)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// runTool runs a PostgreSQL client tool, with its error output in the
// error.
func runTool(ctx context.Context, name string, args ...string) error {
	var stderr strings.Builder
	c := exec.CommandContext(ctx, name, args...)
	c.Stderr = &stderr
	if err := c.Run(); err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return fmt.Errorf("未找到 %s，请安装 PostgreSQL 客户端 (install the PostgreSQL client tools): %w", name, err)
		}
		return fmt.Errorf("%s: %w: %s", name, err, strings.TrimSpace(stderr.String()))
	}
	return nil
}
