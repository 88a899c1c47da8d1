package sqldb_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"
	"testing"
	"time"

	"zhagen"
	"zhagen/sla"
	"zhagen/sqldb"
	"zhagen/sqldb/sqldbtest"
)

var (
	testPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01")
	testEXE = []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00")
)

func hexSum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// TestFileLimitUnderConcurrency: of 50 uploads racing for one demand,
// exactly 20 are stored and 30 refused with the limit's message, on
// every engine (the count is a conditional UPDATE of the demand row, not
// a count before the insert).
func TestFileLimitUnderConcurrency(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newDemandFixture(t, e)
		d := f.file(t, f.ent, "并发上传")
		const uploads = 50
		errs := make([]error, uploads)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range uploads {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, errs[i] = f.files.AddFile(f.ent, zhagen.DemandFiles(d.ID), fmt.Sprintf("第%d页.txt", i), []byte(fmt.Sprintf("内容%d", i)))
			}()
		}
		close(start)
		wg.Wait()
		stored, refused := 0, 0
		for _, err := range errs {
			switch {
			case err == nil:
				stored++
			case zhagen.ErrorCode(err) == zhagen.EINVALID && zhagen.ErrorMessage(err) == "每条诉求最多上传20个附件" &&
				zhagen.FieldErrors(err)["file"] == "每条诉求最多上传20个附件":
				refused++
			default:
				t.Errorf("upload failed otherwise: %v", err)
			}
		}
		if stored != 20 || refused != 30 {
			t.Fatalf("%d stored, %d refused; want 20 and 30", stored, refused)
		}
		files, err := f.files.FindFiles(f.staff, zhagen.DemandFiles(d.ID))
		must(t, err)
		if len(files) != 20 {
			t.Fatalf("%d files listed, want 20", len(files))
		}
		events, err := f.demands.FindDemandEvents(f.staff, d.ID)
		must(t, err)
		attached := 0
		for _, ev := range events {
			if ev.Action == zhagen.ActAttach {
				attached++
			}
		}
		if attached != 20 {
			t.Fatalf("%d upload events on the timeline, want 20", attached)
		}
	})
}

// fileScopeFixture has one file of each owner kind: a demand of the
// enterprise, a visit of the cadre and an action item of the economic
// development bureau with its evidence.
type fileScopeFixture struct {
	*linkFixture
	consults                      *sqldb.ConsultationService
	demandFile, visitFile, evFile *zhagen.File
	item                          *zhagen.ActionItem
	graduate                      context.Context
}

func newFileScopeFixture(t *testing.T, e sqldbtest.Engine) *fileScopeFixture {
	t.Helper()
	f := &fileScopeFixture{linkFixture: newLinkFixture(t, e)}
	cal, err := sla.NewCalendar(sla.Config{})
	must(t, err)
	f.consults = sqldb.NewConsultationService(f.db, cal)
	f.graduate = f.user(t, "graduate", zhagen.RoleGraduate, 0, 0)
	d := f.file(t, f.ent, "附件范围")
	f.demandFile, err = f.files.AddFile(f.ent, zhagen.DemandFiles(d.ID), "申请表.png", testPNG)
	must(t, err)
	must(t, f.links.CreateLinkage(f.dispatcher, &zhagen.Linkage{CadreID: uid(f.cadre), EnterpriseID: f.entA.ID, StartDate: "2026-10-01"}))
	v := &zhagen.Visit{EnterpriseID: f.entA.ID, Date: "2026-11-01", Kind: zhagen.VisitOnSite, Topics: "拍照"}
	must(t, f.links.CreateVisit(f.cadre, v))
	f.visitFile, err = f.files.AddFile(f.cadre, zhagen.VisitFiles(v.ID), "现场.png", testPNG)
	must(t, err)
	c := &zhagen.Consultation{Kind: zhagen.KindTopic, Title: "文件专题会"}
	must(t, f.consults.CreateConsultation(f.dispatcher, c))
	f.item = &zhagen.ActionItem{ConsultationID: c.ID, Title: "补充材料", OwnerDeptID: f.edb.ID, DueDays: 3}
	must(t, f.consults.AddActionItem(f.dispatcher, f.item))
	done, err := f.consults.CompleteActionItem(f.staff, f.item.ID, zhagen.ItemCompletion{Note: "已补充", FileName: "说明.txt", File: []byte("材料已补充")})
	must(t, err)
	if done.EvidenceFile != "说明.txt" || done.EvidenceFileID == 0 {
		t.Fatalf("completed item %+v", done)
	}
	f.evFile, _, err = f.files.OpenFile(f.staff, done.EvidenceFileID)
	must(t, err)
	return f
}

// TestFileScope: whoever sees the owner downloads its file; everybody
// else gets ENOTFOUND, for each owner kind.
func TestFileScope(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		f := newFileScopeFixture(t, e)
		for _, c := range []struct {
			file       *zhagen.File
			see, blind []context.Context
		}{
			{f.demandFile, []context.Context{f.ent, f.staff, f.dispatcher}, []context.Context{f.ent2, f.planStaff, f.graduate}},
			{f.visitFile, []context.Context{f.cadre, f.staff, f.dispatcher}, []context.Context{f.ent, f.ent2, f.supplyStaff, f.cadre2, f.graduate}},
			{f.evFile, []context.Context{f.staff, f.dispatcher}, []context.Context{f.ent, f.supplyStaff, f.cadre, f.graduate}},
		} {
			for i, ctx := range c.see {
				got, data, err := f.files.OpenFile(ctx, c.file.ID)
				if err != nil || got.OwnerKind != c.file.OwnerKind || got.SHA256 != hexSum(data) || int64(len(data)) != got.Size {
					t.Errorf("%s file, reader %d: %+v, %v", c.file.OwnerKind, i, got, err)
				}
			}
			for i, ctx := range c.blind {
				if _, _, err := f.files.OpenFile(ctx, c.file.ID); zhagen.ErrorCode(err) != zhagen.ENOTFOUND {
					t.Errorf("%s file, outsider %d: %v, want ENOTFOUND", c.file.OwnerKind, i, err)
				}
			}
		}
		if _, _, err := f.files.OpenFile(context.Background(), f.demandFile.ID); zhagen.ErrorCode(err) != zhagen.EUNAUTHORIZED {
			t.Errorf("anonymous: %v", err)
		}
		if _, _, err := f.files.OpenFile(f.dispatcher, f.evFile.ID+1000); zhagen.ErrorCode(err) != zhagen.ENOTFOUND {
			t.Errorf("no such file: %v", err)
		}
		// The enterprise sees its visit but lists none of its files.
		files, err := f.files.FindFiles(f.ent, zhagen.VisitFiles(f.visitFile.OwnerID))
		if err != nil || len(files) != 0 {
			t.Errorf("enterprise lists visit files %v, %v", files, err)
		}
		// Evidence comes with the completion, not through AddFile.
		_, err = f.files.AddFile(f.staff, zhagen.ActionItemFiles(f.item.ID), "更多.txt", []byte("更多"))
		wantCode(t, err, zhagen.EFORBIDDEN)
		// A file of a disallowed type is refused on the field file for every owner.
		_, err = f.files.AddFile(f.cadre, zhagen.VisitFiles(f.visitFile.OwnerID), "发票.pdf", testEXE)
		wantCode(t, err, zhagen.EINVALID)
		if zhagen.FieldErrors(err)["file"] != "文件内容与扩展名 .pdf 不符" {
			t.Errorf("field errors %v", zhagen.FieldErrors(err))
		}
		it := &zhagen.ActionItem{ConsultationID: f.item.ConsultationID, Title: "再补材料", OwnerDeptID: f.edb.ID, DueDays: 3}
		must(t, f.consults.AddActionItem(f.dispatcher, it))
		_, err = f.consults.CompleteActionItem(f.staff, it.ID, zhagen.ItemCompletion{Note: "已补", FileName: "发票.pdf", File: testEXE})
		wantCode(t, err, zhagen.EINVALID)
		if zhagen.FieldErrors(err)["file"] == "" {
			t.Errorf("evidence refusal names no field: %v", err)
		}
	})
}

// TestFilesMigration: migration 0006 moves the files of the three old
// stores into files, keeps the old addresses resolving, counts each
// owner's files and drops the old tables.
func TestFilesMigration(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, e sqldbtest.Engine) {
		ctx := context.Background()
		db, err := sqldb.Open(ctx, e.DSN(t), nil)
		must(t, err)
		t.Cleanup(func() { db.Close() })
		must(t, db.MigrateTo(ctx, 5))
		// The services of this code write their notices to the outbox,
		// which 0007 creates: they get a stand-in while they fill the old
		// schema, dropped before migrating on.
		if _, err := db.SQL().ExecContext(ctx, `CREATE TABLE outbox (kind TEXT, severity TEXT, notice TEXT, status TEXT, attempts INTEGER,
			next_at TIMESTAMP, last_error TEXT, created_at TIMESTAMP)`); err != nil {
			t.Fatal(err)
		}
		// So do the rate rollups of 0015, on their columns and tables.
		for _, q := range rollupStandIn {
			if _, err := db.SQL().ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		// A logged visit marks the enterprise's policies explained (0019):
		// a stand-in table, dropped before migrating on.
		if _, err := db.SQL().ExecContext(ctx, `CREATE TABLE policy_matches (enterprise_id BIGINT, explained_at TIMESTAMP, explained_visit BIGINT)`); err != nil {
			t.Fatal(err)
		}
		// Users carry the must-change flag of 0020 the same way.
		if _, err := db.SQL().ExecContext(ctx, `ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE`); err != nil {
			t.Fatal(err)
		}
		// A filing reads the ladder rules of 0012, writes the watch time of
		// 0023 and bumps generations sharded as in 0024: stand-ins,
		// dropped (the old generations put back) before migrating on.
		for _, q := range []string{`CREATE TABLE ladder_rules (category_id BIGINT, priority TEXT, warn_pct BIGINT, supervise_days BIGINT,
			reply_hours BIGINT, updated_by TEXT, updated_at TIMESTAMP)`, `ALTER TABLE demands ADD COLUMN watch_at TIMESTAMP`,
			`ALTER TABLE table_generations RENAME TO table_generations_v5`,
			`CREATE TABLE table_generations (name TEXT NOT NULL, n BIGINT NOT NULL DEFAULT 0, shard BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (name, shard))`} {
			if _, err := db.SQL().ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		// Categories carry the answer rule and follow-up term of 0013 the
		// same way: stand-in columns, dropped before migrating on.
		for _, c := range []string{"answer_min_len BIGINT NOT NULL DEFAULT 15", "answer_file_required BOOLEAN NOT NULL DEFAULT FALSE", "followup_days BIGINT NOT NULL DEFAULT 3"} {
			if _, err := db.SQL().ExecContext(ctx, `ALTER TABLE categories ADD COLUMN `+c); err != nil {
				t.Fatal(err)
			}
		}
		admin := zhagen.NewContextWithActor(ctx, zhagen.SystemActor())
		depts, ents, users, auth := sqldb.NewDepartmentService(db), sqldb.NewEnterpriseService(db), sqldb.NewUserService(db), sqldb.NewAuthService(db)
		cal, err := sla.NewCalendar(sla.Config{})
		must(t, err)
		cats, demands, consults := sqldb.NewCategoryService(db), sqldb.NewDemandService(db, cal), sqldb.NewConsultationService(db, cal)
		links := sqldb.NewLinkageService(db, demands)
		edb := &zhagen.Department{Name: "经济发展局", Kind: zhagen.DeptGov}
		must(t, depts.CreateDepartment(admin, edb))
		ent := &zhagen.Enterprise{Name: "甲公司", USCC: usccA, Industry: "集成电路"}
		must(t, ents.CreateEnterprise(admin, ent))
		login := func(name string, role zhagen.Role, dept, entID int64) context.Context {
			u := &zhagen.User{Login: name, Name: name, Roles: []zhagen.Role{role}, DeptID: dept, EnterpriseID: entID, Password: "Zg-Test#4821"}
			must(t, users.CreateUser(admin, u))
			tok, err := auth.CreateToken(admin, u.ID, "test", 0)
			must(t, err)
			a, err := auth.ActorByToken(ctx, tok.Token)
			must(t, err)
			return zhagen.NewContextWithActor(ctx, a)
		}
		entCtx, staff, cadre := login("ent", zhagen.RoleEnterprise, 0, ent.ID), login("staff", zhagen.RoleStaff, edb.ID, 0), login("cadre", zhagen.RoleCadre, edb.ID, 0)
		cat := &zhagen.Category{Code: "power", Name: "用电保障", LeadDeptID: edb.ID, DefaultPriority: zhagen.PriorityNormal, SLA: zhagen.DefaultSLA()}
		must(t, cats.CreateCategory(admin, cat))
		d := &zhagen.Demand{EnterpriseID: ent.ID, CategoryID: cat.ID, Title: "迁移前的附件", Description: "两份附件"}
		must(t, demands.CreateDemand(entCtx, d, ""))
		must(t, links.CreateLinkage(admin, &zhagen.Linkage{CadreID: zhagen.ActorFromContext(cadre).UserID, EnterpriseID: ent.ID, StartDate: "2026-10-01"}))
		// The visit as the schema of version 5 holds it (today's
		// CreateVisit writes columns added later).
		v := &zhagen.Visit{}
		must(t, db.SQL().QueryRowContext(ctx, db.Rebind(`INSERT INTO visits (enterprise_id, cadre_id, status, visit_date, kind, topics, created_at, updated_at) VALUES (?, ?, 'logged', '2026-11-01', 'onsite', '拍照', ?, ?) RETURNING id`),
			ent.ID, zhagen.ActorFromContext(cadre).UserID, time.Now().UTC(), time.Now().UTC()).Scan(&v.ID))
		c := &zhagen.Consultation{Kind: zhagen.KindTopic, Title: "迁移前的会商"}
		must(t, consults.CreateConsultation(admin, c))
		it := &zhagen.ActionItem{ConsultationID: c.ID, Title: "补充材料", OwnerDeptID: edb.ID, DueDays: 3}
		must(t, consults.AddActionItem(admin, it))

		// The rows as the old stores kept them.
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := db.SQL().ExecContext(ctx, db.Rebind(q), args...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		at := time.Date(2026, 11, 2, 1, 0, 0, 0, time.UTC)
		pdf, txt, photo, note := []byte("%PDF-1.7 测算"), []byte("第二份"), testPNG, []byte("佐证内容")
		exec(`INSERT INTO demand_attachments (demand_id, name, content_type, size, data, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			d.ID, "测算.pdf", "application/pdf", len(pdf), pdf, "ent", at)
		exec(`INSERT INTO demand_attachments (demand_id, name, content_type, size, data, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			d.ID, "说明.txt", "text/plain; charset=utf-8", len(txt), txt, "staff", at)
		exec(`INSERT INTO visit_files (visit_id, name, content_type, size, data, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			v.ID, "现场.png", "image/png", len(photo), photo, "cadre", at)
		exec(`UPDATE action_items SET status = 'done', evidence = ?, evidence_name = ?, evidence_type = ?, evidence_data = ?, done_at = ?, done_by = ? WHERE id = ?`,
			"已补充", "佐证.txt", "text/plain; charset=utf-8", note, at, "staff", it.ID)

		if _, err := db.SQL().ExecContext(ctx, `DROP TABLE outbox`); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{`DROP TABLE policy_matches`, `DROP TABLE demand_rollups_day`, `DROP TABLE demand_rollups_month`, `ALTER TABLE demands DROP COLUMN resp_lapsed`,
			`ALTER TABLE demands DROP COLUMN res_lapsed`, `ALTER TABLE demands DROP COLUMN response_secs`, `ALTER TABLE demands DROP COLUMN resolution_secs`,
			`ALTER TABLE demands DROP COLUMN extensions`, `ALTER TABLE demands DROP COLUMN followup_seen`, `ALTER TABLE users DROP COLUMN must_change_password`,
			`DROP TABLE ladder_rules`, `ALTER TABLE demands DROP COLUMN watch_at`,
			`DROP TABLE table_generations`, `ALTER TABLE table_generations_v5 RENAME TO table_generations`} {
			if _, err := db.SQL().ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range []string{"answer_min_len", "answer_file_required", "followup_days"} {
			if _, err := db.SQL().ExecContext(ctx, `ALTER TABLE categories DROP COLUMN `+c); err != nil {
				t.Fatal(err)
			}
		}
		must(t, db.Migrate(ctx))
		must(t, db.CheckSchema(ctx))
		for _, table := range []string{"demand_attachments", "visit_files"} {
			if _, err := db.SQL().ExecContext(ctx, `SELECT 1 FROM `+table); err == nil {
				t.Errorf("table %s still exists", table)
			}
		}
		files := sqldb.NewFileService(db)
		list, err := files.FindFiles(staff, zhagen.DemandFiles(d.ID))
		must(t, err)
		if len(list) != 2 || list[0].ID != 1 || list[1].ID != 2 || list[0].Name != "测算.pdf" || list[0].SHA256 != hexSum(pdf) ||
			list[1].SHA256 != hexSum(txt) || list[0].Size != int64(len(pdf)) || list[0].UploadedBy != "ent" || !list[0].CreatedAt.Equal(at) {
			t.Fatalf("demand files after the move: %+v", list)
		}
		// Demand attachments kept their ids; the old address resolves too.
		got, data, err := files.OpenOwnerFile(entCtx, zhagen.DemandFiles(d.ID), 2)
		if err != nil || got.ID != 2 || string(data) != string(txt) {
			t.Fatalf("old demand address: %+v %q %v", got, data, err)
		}
		// The visit file is numbered after them and found by its old id.
		got, data, err = files.OpenOwnerFile(cadre, zhagen.VisitFiles(v.ID), 1)
		if err != nil || got.ID != 3 || string(data) != string(photo) || got.SHA256 != hexSum(photo) || got.ContentType != "image/png" {
			t.Fatalf("old visit address: %+v %v", got, err)
		}
		if _, data, err = files.OpenFile(cadre, 3); err != nil || string(data) != string(photo) {
			t.Fatalf("visit file by its new id: %v", err)
		}
		// The evidence became the item's file.
		item, err := consults.FindActionItemByID(staff, it.ID)
		must(t, err)
		if item.EvidenceFile != "佐证.txt" || item.EvidenceFileID != 3+it.ID || item.Evidence != "已补充" {
			t.Fatalf("item after the move: %+v", item)
		}
		got, data, err = files.OpenOwnerFile(staff, zhagen.ActionItemFiles(it.ID), 0)
		if err != nil || got.ID != item.EvidenceFileID || string(data) != string(note) || got.Size != int64(len(note)) || got.SHA256 != hexSum(note) {
			t.Fatalf("evidence after the move: %+v %q %v", got, data, err)
		}
		// New files are numbered after the moved ones, and the moved ones
		// count towards the limit.
		for i := 3; i <= zhagen.MaxFilesPerOwner; i++ {
			f, err := files.AddFile(entCtx, zhagen.DemandFiles(d.ID), fmt.Sprintf("第%d页.txt", i), []byte("内容"))
			must(t, err)
			if f.ID <= item.EvidenceFileID {
				t.Fatalf("new file #%d collides with the moved ids", f.ID)
			}
		}
		_, err = files.AddFile(entCtx, zhagen.DemandFiles(d.ID), "多余.txt", []byte("多余"))
		wantCode(t, err, zhagen.EINVALID)
	})
}

// rollupStandIn creates what the rate rollups (migrations 0015 and 0024) write, for
// tests that run today's services on an older schema.
var rollupStandIn = func() []string {
	cols := "period BIGINT, dept_id BIGINT, category_id BIGINT, submitted BIGINT, due_response BIGINT, accepted_in_time BIGINT, closed BIGINT, solved BIGINT, " +
		"rated BIGINT, satisfied BIGINT, open_count BIGINT, awaiting BIGINT, withdrawn BIGINT, accepted BIGINT, resolved BIGINT, response_timed BIGINT, " +
		"response_secs BIGINT, resolution_timed BIGINT, resolution_secs BIGINT, overdue BIGINT, returns BIGINT, extensions BIGINT, followup_reached BIGINT, followup_solved BIGINT, shard BIGINT, PRIMARY KEY (period, dept_id, category_id, shard)"
	return []string{`CREATE TABLE demand_rollups_day (` + cols + `)`, `CREATE TABLE demand_rollups_month (` + cols + `)`,
		`ALTER TABLE demands ADD COLUMN resp_lapsed TIMESTAMP`, `ALTER TABLE demands ADD COLUMN res_lapsed TIMESTAMP`,
		`ALTER TABLE demands ADD COLUMN response_secs BIGINT`, `ALTER TABLE demands ADD COLUMN resolution_secs BIGINT`,
		`ALTER TABLE demands ADD COLUMN extensions BIGINT NOT NULL DEFAULT 0`, `ALTER TABLE demands ADD COLUMN followup_seen BIGINT NOT NULL DEFAULT 0`}
}()
