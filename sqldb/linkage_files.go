package sqldb

import (
	"context"

	"zhagen"
)

// AddVisitFile stores a photo or file on a visit: the visit's cadre, the
// dispatcher or an administrator, at most MaxAttachmentsPerItem files.
func (s *LinkageService) AddVisitFile(ctx context.Context, visitID int64, name string, data []byte) (*zhagen.VisitFile, error) {
	v, err := s.FindVisitByID(ctx, visitID)
	if err != nil {
		return nil, err
	}
	a := zhagen.ActorFromContext(ctx)
	if err := zhagen.Authorize(a, zhagen.PermVisitUpload, zhagen.VisitFacts(v, 0, false)); err != nil {
		return nil, err
	}
	name, ctype, err := zhagen.CheckAttachment(name, data)
	if err != nil {
		return nil, err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM visit_files WHERE visit_id = ?`, visitID).Scan(&n); err != nil {
		return nil, err
	}
	if n >= zhagen.MaxAttachmentsPerItem {
		return nil, &zhagen.Error{Code: zhagen.EINVALID, Field: "file", Message: "每条走访记录最多上传20个文件",
			Fields: []zhagen.FieldError{{Field: "file", Message: "每条走访记录最多上传20个文件"}}}
	}
	f := &zhagen.VisitFile{VisitID: visitID, Name: name, ContentType: ctype, Size: int64(len(data)), UploadedBy: a.Name, CreatedAt: tx.now}
	if f.ID, err = tx.insert(ctx, `INSERT INTO visit_files (visit_id, name, content_type, size, data, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		visitID, name, ctype, f.Size, data, a.Name, tx.now); err != nil {
		return nil, err
	}
	if err := tx.writeOpLog(ctx, "上传", "走访文件", visitID, name); err != nil {
		return nil, err
	}
	return f, tx.Commit()
}

// visitFilesAllowed checks the visit is in scope and the caller sees its
// internal part.
func (s *LinkageService) visitFilesAllowed(ctx context.Context, visitID int64) (bool, error) {
	var w where
	public, err := visitScope(ctx, &w)
	if err != nil {
		return false, err
	}
	if _, err := s.FindVisitByID(ctx, visitID); err != nil {
		return false, err
	}
	return !public, nil
}

// FindVisitFiles lists the files of a visit in scope (none for an
// enterprise user).
func (s *LinkageService) FindVisitFiles(ctx context.Context, visitID int64) ([]*zhagen.VisitFile, error) {
	ok, err := s.visitFilesAllowed(ctx, visitID)
	if err != nil || !ok {
		return []*zhagen.VisitFile{}, err
	}
	rows, err := s.db.query(ctx, `SELECT id, visit_id, name, content_type, size, uploaded_by, created_at FROM visit_files WHERE visit_id = ? ORDER BY id`, visitID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*zhagen.VisitFile{}
	for rows.Next() {
		f := &zhagen.VisitFile{}
		if err := rows.Scan(&f.ID, &f.VisitID, &f.Name, &f.ContentType, &f.Size, &f.UploadedBy, &f.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// OpenVisitFile returns one file of a visit in scope.
func (s *LinkageService) OpenVisitFile(ctx context.Context, visitID, id int64) (*zhagen.VisitFile, []byte, error) {
	ok, err := s.visitFilesAllowed(ctx, visitID)
	if err != nil {
		return nil, nil, err
	}
	if !ok {
		return nil, nil, zhagen.Errorf(zhagen.ENOTFOUND, "文件不存在")
	}
	f := &zhagen.VisitFile{}
	var data []byte
	err = s.db.queryRow(ctx, `SELECT id, visit_id, name, content_type, size, uploaded_by, created_at, data FROM visit_files WHERE id = ? AND visit_id = ?`, id, visitID).
		Scan(&f.ID, &f.VisitID, &f.Name, &f.ContentType, &f.Size, &f.UploadedBy, &f.CreatedAt, &data)
	if err != nil {
		return nil, nil, notFound(err, "文件")
	}
	return f, data, nil
}
