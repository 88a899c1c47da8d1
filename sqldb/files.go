package sqldb

import (
	"context"
	"crypto/sha256"
	"encoding/hex"

	"zhagen"
)

// FileService keeps every uploaded file, whatever it belongs to, in the
// table files: the bytes in the row (never a path a user chose), the
// owner as (owner_kind, owner_id). Each owner row counts its files in
// file_count, so the per-owner limit holds under concurrent uploads.
type FileService struct {
	db       *DB
	demands  *DemandService
	linkages *LinkageService
	consults *ConsultationService
	policies *PolicyService
}

// NewFileService returns the file service of db. It sees owners through
// the scope lookups of the demand, visit and action item services over
// the same db; those lookups need nothing but db.
func NewFileService(db *DB) *FileService {
	return &FileService{db: db, demands: &DemandService{db: db}, linkages: &LinkageService{db: db}, consults: &ConsultationService{db: db},
		policies: &PolicyService{db: db}}
}

var _ zhagen.FileService = (*FileService)(nil)

const fileColumns = `id, owner_kind, owner_id, name, content_type, size, sha256, uploaded_by, created_at`

func scanFile(sc interface{ Scan(...any) error }) (*zhagen.File, error) {
	f := &zhagen.File{}
	err := sc.Scan(&f.ID, &f.OwnerKind, &f.OwnerID, &f.Name, &f.ContentType, &f.Size, &f.SHA256, &f.UploadedBy, &f.CreatedAt)
	return f, err
}

// ownerInScope is the one place that decides who may see the files of
// an owner: whoever sees the owner in their scope, by the owner's own
// lookup (the demand in the caller's scope; the visit in scope, its
// files only for government users; the action item in scope or managed
// through its consultation). It returns the lookup's error when the owner
// is out of scope, and visible false when the caller sees the owner but
// not its files. The central permission policy replaces this function.
func (s *FileService) ownerInScope(ctx context.Context, q querier, owner zhagen.FileOwner) (visible bool, err error) {
	switch owner.Kind {
	case zhagen.FileOfDemand:
		_, err = s.demands.findRow(ctx, q, owner.ID)
	case zhagen.FileOfVisit:
		var public bool
		if public, err = visitPublic(ctx); err == nil {
			_, err = s.linkages.FindVisitByID(ctx, owner.ID)
		}
		return err == nil && !public, err
	case zhagen.FileOfActionItem:
		_, err = s.consults.FindActionItemByID(ctx, owner.ID)
	case zhagen.FileOfPolicyApp:
		_, err = s.policies.FindApplication(ctx, owner.ID)
	default:
		err = zhagen.Errorf(zhagen.ENOTFOUND, "文件不存在")
	}
	return err == nil, err
}

// visitPublic reports whether the caller sees only the public part of
// visits (enterprise users), whose files are internal.
func visitPublic(ctx context.Context) (bool, error) {
	var w where
	return visitScope(ctx, &w)
}

// startUpload checks that the caller may upload to owner, within tx, and
// returns what to record with the file: a demand's timeline event or a
// visit's operation log.
func (s *FileService) startUpload(ctx context.Context, tx *Tx, a *zhagen.Actor, owner zhagen.FileOwner) (after func(name string) error, err error) {
	switch owner.Kind {
	case zhagen.FileOfDemand:
		r, err := s.demands.findRow(ctx, tx, owner.ID)
		if err != nil {
			return nil, err
		}
		if err := zhagen.Authorize(a, zhagen.PermDemandAttach, zhagen.DemandFacts(r.Demand, false, 0)); err != nil {
			return nil, err
		}
		switch r.Status {
		case zhagen.DemandClosed, zhagen.DemandWithdrawn, zhagen.DemandMerged:
			return nil, zhagen.Errorf(zhagen.ECONFLICT, "诉求当前状态为“%s”，不能上传附件", r.Status.Label())
		}
		return func(name string) error {
			return tx.event(ctx, owner.ID, r.Status, r.Status, zhagen.ActAttach, "上传附件："+name, true)
		}, nil
	case zhagen.FileOfVisit:
		v, err := s.linkages.FindVisitByID(ctx, owner.ID)
		if err != nil {
			return nil, err
		}
		if err := zhagen.Authorize(a, zhagen.PermVisitUpload, zhagen.VisitFacts(v, 0, false)); err != nil {
			return nil, err
		}
		return func(name string) error { return tx.writeOpLog(ctx, "上传", "走访文件", owner.ID, name) }, nil
	case zhagen.FileOfActionItem:
		if _, err := s.consults.FindActionItemByID(ctx, owner.ID); err != nil {
			return nil, err
		}
		return nil, zhagen.Forbidden(zhagen.PermItemUpload)
	case zhagen.FileOfPolicyApp:
		app, err := s.policies.FindApplication(ctx, owner.ID)
		if err != nil {
			return nil, err
		}
		linked, err := s.db.cadreLinked(ctx, a.UserID, app.EnterpriseID)
		if err != nil {
			return nil, err
		}
		f := app.Facts()
		f.Linked = linked
		if !zhagen.Can(a, zhagen.PermAppApply, f) && !zhagen.Can(a, zhagen.PermAppHandle, f) {
			return nil, zhagen.Forbidden(zhagen.PermAppApply)
		}
		if !app.Status.Open() {
			return nil, zhagen.Errorf(zhagen.ECONFLICT, "申请已%s，不能再上传材料", app.Status.Label())
		}
		return func(name string) error {
			return tx.appEvent(ctx, app.ID, app.Status, app.Status, a.Name, "上传材料："+name)
		}, nil
	}
	return nil, zhagen.Errorf(zhagen.ENOTFOUND, "未知的文件归属：%s", owner.Kind)
}

// AddFile checks and stores a file on owner; see [zhagen.FileService].
func (s *FileService) AddFile(ctx context.Context, owner zhagen.FileOwner, name string, data []byte) (*zhagen.File, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	f, err := zhagen.CheckFile(owner.Kind, name, data)
	if err != nil {
		return nil, err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	after, err := s.startUpload(ctx, tx, a, owner)
	if err != nil {
		return nil, err
	}
	if err := after(f.Name); err != nil {
		return nil, err
	}
	// Last: storeFile counts the file on the owner's row, locking it.
	if err := tx.storeFile(ctx, owner, f, data, a.Name); err != nil {
		return nil, err
	}
	return f, tx.Commit()
}

// ownerTable returns the table of an owner kind, which has a file_count
// column; "" for an unknown kind.
func ownerTable(kind zhagen.FileOwnerKind) string {
	switch kind {
	case zhagen.FileOfDemand:
		return "demands"
	case zhagen.FileOfVisit:
		return "visits"
	case zhagen.FileOfActionItem:
		return "action_items"
	case zhagen.FileOfPolicyApp:
		return "policy_applications"
	}
	return ""
}

// storeFile stores f, as checked by zhagen.CheckFile, with its bytes on
// owner, uploaded by the named user, and counts it on the owner's row in
// one conditional UPDATE. On PostgreSQL that UPDATE locks the row until
// commit and rechecks the count on its latest version, so of concurrent
// uploads exactly as many as the kind allows succeed; the others get the
// kind's limit error and must roll back. The UPDATE comes last, so that
// while a transaction holds the row it needs nothing but its commit (a
// statement prepared under the lock could wait for a pooled connection
// that the uploads queued on the lock are holding). A missing owner row
// is refused the same way, so callers look the owner up first.
func (tx *Tx) storeFile(ctx context.Context, owner zhagen.FileOwner, f *zhagen.File, data []byte, by string) error {
	rule, ok := zhagen.FileRuleFor(owner.Kind)
	table := ownerTable(owner.Kind)
	if !ok || table == "" {
		return zhagen.Errorf(zhagen.EINVALID, "未知的文件归属：%s", owner.Kind)
	}
	var err error
	f.OwnerKind, f.OwnerID, f.UploadedBy, f.CreatedAt = owner.Kind, owner.ID, by, tx.now
	f.ID, err = tx.insert(ctx, `INSERT INTO files (owner_kind, owner_id, name, content_type, size, sha256, data, uploaded_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, string(owner.Kind), owner.ID, f.Name, f.ContentType, f.Size, f.SHA256, data, by, tx.now)
	if err != nil {
		return err
	}
	res, err := tx.exec(ctx, `UPDATE `+table+` SET file_count = file_count + 1 WHERE id = ? AND file_count < ?`, owner.ID, rule.MaxCount)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return rule.FileLimitError()
	}
	return nil
}

// FindFiles lists the files of owner, oldest first; see [zhagen.FileService].
func (s *FileService) FindFiles(ctx context.Context, owner zhagen.FileOwner) ([]*zhagen.File, error) {
	visible, err := s.ownerInScope(ctx, s.db.sql, owner)
	if err != nil {
		return nil, err
	}
	out := []*zhagen.File{}
	if !visible {
		return out, nil
	}
	rows, err := s.db.query(ctx, `SELECT `+fileColumns+` FROM files WHERE owner_kind = ? AND owner_id = ? ORDER BY id`, string(owner.Kind), owner.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		f, err := scanFile(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// OpenFile returns a file and its bytes when the caller sees its owner;
// every other caller gets ENOTFOUND, as if there were no such file.
func (s *FileService) OpenFile(ctx context.Context, id int64) (*zhagen.File, []byte, error) {
	if _, err := requireActor(ctx); err != nil {
		return nil, nil, err
	}
	gone := zhagen.Errorf(zhagen.ENOTFOUND, "文件不存在")
	f, err := scanFile(s.db.queryRow(ctx, `SELECT `+fileColumns+` FROM files WHERE id = ?`, id))
	if isNoRows(err) {
		return nil, nil, gone
	} else if err != nil {
		return nil, nil, err
	}
	visible, err := s.ownerInScope(ctx, s.db.sql, f.Owner())
	switch zhagen.ErrorCode(err) {
	case "":
	case zhagen.ENOTFOUND, zhagen.EFORBIDDEN:
		return nil, nil, gone
	default:
		return nil, nil, err
	}
	if !visible {
		return nil, nil, gone
	}
	var data []byte
	if err := s.db.queryRow(ctx, `SELECT data FROM files WHERE id = ?`, id).Scan(&data); err != nil {
		return nil, nil, notFound(err, "文件")
	}
	return f, data, nil
}

// OpenOwnerFile resolves an address from before files were one type;
// see [zhagen.FileService]. Migration 0006 kept each moved file's old id
// in legacy_id; files stored since have none, and ids above every old one.
func (s *FileService) OpenOwnerFile(ctx context.Context, owner zhagen.FileOwner, id int64) (*zhagen.File, []byte, error) {
	visible, err := s.ownerInScope(ctx, s.db.sql, owner)
	if err != nil {
		return nil, nil, err
	}
	missing := zhagen.Errorf(zhagen.ENOTFOUND, "文件不存在")
	if id == 0 && owner.Kind == zhagen.FileOfActionItem {
		missing = zhagen.Errorf(zhagen.ENOTFOUND, "该事项没有佐证材料")
	}
	if !visible {
		return nil, nil, missing
	}
	var f *zhagen.File
	if id == 0 {
		f, err = scanFile(s.db.queryRow(ctx, `SELECT `+fileColumns+` FROM files WHERE owner_kind = ? AND owner_id = ? ORDER BY id DESC LIMIT 1`,
			string(owner.Kind), owner.ID))
	} else {
		f, err = scanFile(s.db.queryRow(ctx, `SELECT `+fileColumns+` FROM files WHERE owner_kind = ? AND owner_id = ?
			AND (legacy_id = ? OR (legacy_id IS NULL AND id = ?))`, string(owner.Kind), owner.ID, id, id))
	}
	if isNoRows(err) {
		return nil, nil, missing
	} else if err != nil {
		return nil, nil, err
	}
	var data []byte
	if err := s.db.queryRow(ctx, `SELECT data FROM files WHERE id = ?`, f.ID).Scan(&data); err != nil {
		return nil, nil, notFound(err, "文件")
	}
	return f, data, nil
}

// fillFileHashes records the SHA-256 of the files that migration 0006
// moved on SQLite, which has no SQL function for it (on PostgreSQL the
// migration computes them). Once done it finds nothing to do.
func (db *DB) fillFileHashes(ctx context.Context) error {
	for {
		rows, err := db.sql.QueryContext(ctx, `SELECT id, data FROM files WHERE sha256 = '' ORDER BY id LIMIT 50`)
		if err != nil {
			return err
		}
		sums := map[int64]string{}
		for rows.Next() {
			var id int64
			var data []byte
			if err := rows.Scan(&id, &data); err != nil {
				rows.Close()
				return err
			}
			sum := sha256.Sum256(data)
			sums[id] = hex.EncodeToString(sum[:])
		}
		rows.Close()
		if err := rows.Err(); err != nil || len(sums) == 0 {
			return err
		}
		tx, err := db.begin(ctx)
		if err != nil {
			return err
		}
		for id, sum := range sums {
			if _, err := tx.exec(ctx, `UPDATE files SET sha256 = ? WHERE id = ?`, sum, id); err != nil {
				tx.Rollback()
				return err
			}
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
}
