package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"zhagen"
	"zhagen/sqldb"
)

const auditUsage = `用法 Usage:
  zhagen audit verify   核对操作日志的哈希链，指出第一条被修改或缺失的记录
                        check the operation log's hash chain; name the first altered or missing entry
  zhagen audit seal     立即封存尚未封存的日志（服务运行时每隔几秒自动进行）
                        seal the entries written since the last seal (the server does so every few seconds)`

// errAuditBroken makes "audit verify" exit non-zero.
var errAuditBroken = errors.New("audit chain broken")

// auditCmd verifies or seals the operation log's hash chain.
func auditCmd(ctx context.Context, cfg *Config, args []string, stdout io.Writer) error {
	if len(args) != 1 {
		return errors.New("missing or extra subcommand\n" + auditUsage)
	}
	switch args[0] {
	case "verify":
		return withApp(ctx, cfg, func(app *App) error {
			rep, err := app.DB.VerifyAudit(ctx)
			if err != nil {
				return err
			}
			fmt.Fprintln(stdout, auditText(rep))
			if !rep.OK() {
				return errAuditBroken
			}
			return nil
		})
	case "seal":
		return withApp(ctx, cfg, func(app *App) error {
			n, err := app.DB.SealAudit(ctx)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "已封存 %d 条 (sealed %d entries)\n", n, n)
			return nil
		})
	}
	return fmt.Errorf("unknown subcommand %q\n%s", args[0], auditUsage)
}

// auditText says what VerifyAudit found, in Chinese then English.
func auditText(r sqldb.AuditReport) string {
	switch r.Problem {
	case "":
		return fmt.Sprintf("审计链完整：已封存 %d 条，未封存 %d 条 (audit chain holds: %d sealed, %d not yet sealed)", r.Sealed, r.Unsealed, r.Sealed, r.Unsealed)
	case sqldb.AuditAltered:
		return fmt.Sprintf("审计链被破坏：第 %d 条（id %d）被修改 (entry %d altered)", r.Seq, r.ID, r.Seq)
	case sqldb.AuditMissing:
		return fmt.Sprintf("审计链被破坏：第 %d 条缺失 (entry %d missing)", r.Seq, r.Seq)
	default:
		return fmt.Sprintf("审计链被破坏：链头与第 %d 条不符 (the chain head does not match entry %d)", r.Seq, r.Seq)
	}
}

// sealEvery is how often the server seals the operation log: an entry
// can be altered unnoticed only until it is sealed.
const sealEvery = 2 * time.Second

// runSealer seals the operation log every sealEvery until ctx ends, and
// once more on the way out.
func runSealer(ctx context.Context, app *App, log *slog.Logger) {
	t := time.NewTicker(sealEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			if _, err := app.DB.SealAudit(context.WithoutCancel(ctx)); err != nil {
				log.Error("audit seal", "err", err)
			}
			return
		case <-t.C:
		}
		if _, err := app.DB.SealAudit(ctx); err != nil && ctx.Err() == nil && zhagen.ErrorCode(err) != zhagen.ECONFLICT {
			log.Error("audit seal", "err", err)
		}
	}
}

// recordDenials writes every refused request (HTTP 403), whichever
// handler refused it, to the operation log with who sent it and from
// where, as the handlers learnt them (zhagen.RequestTrace).
func recordDenials(next http.Handler, logs zhagen.LogService, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, trace := zhagen.NewContextWithTrace(r.Context())
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r.WithContext(ctx))
		if sw.status != http.StatusForbidden {
			return
		}
		ip := trace.IP
		if ip == "" {
			if ip, _, _ = net.SplitHostPort(r.RemoteAddr); ip == "" {
				ip = r.RemoteAddr
			}
		}
		if err := logs.RecordDenied(ctx, zhagen.DeniedRequest{Actor: trace.Actor, IP: ip, Method: r.Method, Path: r.URL.Path}); err != nil {
			log.Error("record denied request", "err", err)
		}
	})
}
