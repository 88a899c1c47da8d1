package sqldb

import (
	"context"

	"zhagen"
)

// AddAttachment stores a file on a demand for anyone taking part in it:
// the dispatcher, the lead or cooperating departments, the enterprise or
// the submitter, until the demand is finished.
func (s *DemandService) AddAttachment(ctx context.Context, demandID int64, name string, data []byte) (*zhagen.Attachment, error) {
	a, err := requireActor(ctx)
	if err != nil {
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
	r, err := s.findRow(ctx, tx.Tx, demandID)
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
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM demand_attachments WHERE demand_id = ?`, demandID).Scan(&n); err != nil {
		return nil, err
	}
	if n >= zhagen.MaxAttachmentsPerItem {
		return nil, &zhagen.Error{Code: zhagen.EINVALID, Field: "file", Message: "每条诉求最多上传20个附件"}
	}
	att := &zhagen.Attachment{DemandID: demandID, Name: name, ContentType: ctype, Size: int64(len(data)), UploadedBy: a.Name, CreatedAt: tx.now}
	att.ID, err = tx.insert(ctx, `INSERT INTO demand_attachments (demand_id, name, content_type, size, data, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		demandID, name, ctype, att.Size, data, a.Name, tx.now)
	if err != nil {
		return nil, err
	}
	if err := tx.event(ctx, demandID, r.Status, r.Status, zhagen.ActAttach, "上传附件："+name, true); err != nil {
		return nil, err
	}
	return att, tx.Commit()
}

// FindAttachments lists the files of a demand in the caller's scope.
func (s *DemandService) FindAttachments(ctx context.Context, demandID int64) ([]*zhagen.Attachment, error) {
	if _, err := s.findRow(ctx, s.db.sql, demandID); err != nil {
		return nil, err
	}
	rows, err := s.db.query(ctx, `SELECT id, demand_id, name, content_type, size, uploaded_by, created_at FROM demand_attachments WHERE demand_id = ? ORDER BY id`, demandID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*zhagen.Attachment{}
	for rows.Next() {
		at := &zhagen.Attachment{}
		if err := rows.Scan(&at.ID, &at.DemandID, &at.Name, &at.ContentType, &at.Size, &at.UploadedBy, &at.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, at)
	}
	return out, rows.Err()
}

// OpenAttachment returns one file of a demand in the caller's scope.
func (s *DemandService) OpenAttachment(ctx context.Context, demandID, id int64) (*zhagen.Attachment, []byte, error) {
	if _, err := s.findRow(ctx, s.db.sql, demandID); err != nil {
		return nil, nil, err
	}
	at := &zhagen.Attachment{}
	var data []byte
	err := s.db.queryRow(ctx, `SELECT id, demand_id, name, content_type, size, uploaded_by, created_at, data FROM demand_attachments WHERE id = ? AND demand_id = ?`, id, demandID).
		Scan(&at.ID, &at.DemandID, &at.Name, &at.ContentType, &at.Size, &at.UploadedBy, &at.CreatedAt, &data)
	if err != nil {
		return nil, nil, notFound(err, "附件")
	}
	return at, data, nil
}
