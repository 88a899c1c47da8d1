package sheet

import (
	"bytes"
	"context"
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"zhagen"
)

// PasswordSheetTTL is how long a cadre import's initial-password sheet
// waits for its one download; after it the passwords are dropped, and
// an administrator resets the password of anyone who did not get theirs.
const PasswordSheetTTL = 30 * time.Minute

// Where a job's password sheet stands (JobView.PasswordSheet).
const (
	SheetReady   = "ready"   // waiting for its one download
	SheetTaken   = "taken"   // downloaded: the passwords are gone
	SheetExpired = "expired" // not downloaded in time: the passwords are gone
)

// passwordSheet is the initial passwords of the accounts a cadre import
// created, held in memory only, for the import's owner.
type passwordSheet struct {
	entries []zhagen.InitialPassword
	until   time.Time
}

func (j *job) keepPasswords(creds []zhagen.InitialPassword, until time.Time) {
	j.passwords.Store(&passwordSheet{entries: creds, until: until})
	j.mu.Lock()
	j.sheet, j.sheetEnd = SheetReady, until
	j.mu.Unlock()
}

// dropPasswords ends the sheet as state says, if it is still there: one
// compare-and-swap, so that of two concurrent downloads (or a download
// and the expiry) only one gets the passwords.
func (j *job) dropPasswords(p *passwordSheet, state string) bool {
	if p == nil || !j.passwords.CompareAndSwap(p, nil) {
		return false
	}
	j.mu.Lock()
	j.sheet = state
	j.mu.Unlock()
	return true
}

// Sweep drops the password sheets that have expired by the importer's
// clock and forgets finished jobs older than an hour. Get and Start call
// it; cmd also calls it every minute, so that expired passwords do not
// stay in memory when nobody looks.
func (im *Importer) Sweep() {
	now := im.clock.Now()
	im.mu.Lock()
	defer im.mu.Unlock()
	for id, j := range im.jobs {
		if p := j.passwords.Load(); p != nil && !now.Before(p.until) {
			j.dropPasswords(p, SheetExpired)
		}
		if now.Sub(j.started) > jobTTL && !j.view().Running() {
			j.dropPasswords(j.passwords.Load(), SheetExpired)
			delete(im.jobs, id)
		}
	}
}

var errSheetGone = zhagen.Errorf(zhagen.ECONFLICT, "初始密码单只能下载一次，且须在导入后%d分钟内下载；它已被下载或已过期。未拿到密码的干部，请在用户管理中为其重设密码", int(PasswordSheetTTL/time.Minute))

// TakePasswords hands the owner of a cadre import the initial passwords
// of the accounts it created, once: the sheet is dropped as it is taken.
// Another user's job is not found; a sheet already taken or expired, or
// a job without one, is ECONFLICT. The caller must still hold the
// permission the import needed.
func (im *Importer) TakePasswords(ctx context.Context, id string) ([]zhagen.InitialPassword, error) {
	im.Sweep()
	j, err := im.find(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := zhagen.Authorize(zhagen.ActorFromContext(ctx), j.kind.Perm(), zhagen.Facts{}); err != nil {
		return nil, err
	}
	p := j.passwords.Load()
	if p == nil || !im.clock.Now().Before(p.until) || !j.dropPasswords(p, SheetTaken) {
		return nil, errSheetGone
	}
	return p.entries, nil
}

// WritePasswords writes the initial-password sheet (初始密码单): login,
// name and initial password of each account, every cell text.
func WritePasswords(w io.Writer, entries []zhagen.InitialPassword) error {
	f := excelize.NewFile()
	defer f.Close()
	name := "初始密码单"
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return err
	}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EEF2F7"}}})
	if err != nil {
		return err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49})
	if err != nil {
		return err
	}
	f.SetSheetRow(name, "A1", &[]any{"登录名", "姓名", "初始密码"})
	f.SetCellStyle(name, "A1", "C1", head)
	f.SetColWidth(name, "A", "A", 18)
	f.SetColWidth(name, "B", "B", 14)
	f.SetColWidth(name, "C", "C", 18)
	f.SetColStyle(name, "A:C", text)
	for i, e := range entries {
		if err := f.SetSheetRow(name, "A"+strconv.Itoa(i+2), &[]any{e.Login, e.Name, e.Password}); err != nil {
			return err
		}
	}
	f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	note := "说明"
	if _, err := f.NewSheet(note); err != nil {
		return err
	}
	f.SetColWidth(note, "A", "A", 80)
	for i, line := range []string{
		"本表只能下载一次，系统不保存明文密码。请逐一、当面或经安全渠道告知本人，分发后销毁本表。",
		"初始密码仅用于首次登录：登录后须先修改密码才能使用系统。",
		"未拿到密码的干部，请管理员在用户管理中为其重设密码（同样须在登录后修改）。",
	} {
		f.SetCellValue(note, "A"+strconv.Itoa(i+1), line)
	}
	return f.Write(w)
}

// ServePasswords sends the sheet as a download that no cache keeps.
func ServePasswords(w http.ResponseWriter, entries []zhagen.InitialPassword) error {
	var buf bytes.Buffer
	if err := WritePasswords(&buf, entries); err != nil {
		return err
	}
	hd := w.Header()
	hd.Set("Content-Type", XLSX.ContentType())
	hd.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": "初始密码单.xlsx"}))
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Cache-Control", "no-store")
	hd.Set("Content-Length", strconv.Itoa(buf.Len()))
	_, err := w.Write(buf.Bytes())
	return err
}
