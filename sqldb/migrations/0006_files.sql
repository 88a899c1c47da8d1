-- One table for every uploaded file: demand attachments, visit photos and
-- files, action item evidence. The bytes stay in the database as before,
-- now in files.data. The owner is (owner_kind, owner_id); each owner row
-- counts its files in file_count, which an upload raises with one
-- conditional UPDATE, so the per-owner limit holds under concurrency.
--
-- Ids: demand attachments keep theirs; visit files are numbered after
-- them and evidence after those, so ids never collide. legacy_id keeps
-- the id a moved file had in its old table, which the old addresses
-- (/demands/{id}/attachments/{aid}, /visits/{id}/files/{fid}) still
-- resolve; evidence was addressed by its item and needs none. Files
-- stored from now on get ids above all of these and no legacy_id.
-- The SHA-256 of moved files: PostgreSQL computes it here; on SQLite,
-- which has no SQL function for it, the migrator fills it in afterwards.
CREATE TABLE files (
	id           {{ID}},
	owner_kind   TEXT NOT NULL,
	owner_id     {{BIGINT}} NOT NULL,
	legacy_id    {{BIGINT}},
	name         TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size         {{BIGINT}} NOT NULL,
	sha256       TEXT NOT NULL DEFAULT '',
	data         {{BLOB}} NOT NULL,
	uploaded_by  TEXT NOT NULL DEFAULT '',
	created_at   {{TIMESTAMP}} NOT NULL
);
CREATE INDEX files_owner ON files(owner_kind, owner_id, id);

ALTER TABLE demands ADD COLUMN file_count {{BIGINT}} NOT NULL DEFAULT 0;
ALTER TABLE visits ADD COLUMN file_count {{BIGINT}} NOT NULL DEFAULT 0;
ALTER TABLE action_items ADD COLUMN file_count {{BIGINT}} NOT NULL DEFAULT 0;

INSERT INTO files (id, owner_kind, owner_id, legacy_id, name, content_type, size, data, uploaded_by, created_at)
SELECT id, 'demand', demand_id, id, name, content_type, size, data, uploaded_by, created_at FROM demand_attachments;

INSERT INTO files (id, owner_kind, owner_id, legacy_id, name, content_type, size, data, uploaded_by, created_at)
SELECT id + (SELECT COALESCE(MAX(id), 0) FROM demand_attachments), 'visit', visit_id, id, name, content_type, size, data, uploaded_by, created_at
FROM visit_files;

INSERT INTO files (id, owner_kind, owner_id, legacy_id, name, content_type, size, data, uploaded_by, created_at)
SELECT id + (SELECT COALESCE(MAX(id), 0) FROM demand_attachments) + (SELECT COALESCE(MAX(id), 0) FROM visit_files),
	'action_item', id, NULL, evidence_name, evidence_type, OCTET_LENGTH(evidence_data), evidence_data, done_by, COALESCE(done_at, created_at)
FROM action_items WHERE evidence_name <> '' AND evidence_data IS NOT NULL;

UPDATE demands SET file_count = (SELECT COUNT(*) FROM files f WHERE f.owner_kind = 'demand' AND f.owner_id = demands.id)
WHERE id IN (SELECT owner_id FROM files WHERE owner_kind = 'demand');
UPDATE visits SET file_count = (SELECT COUNT(*) FROM files f WHERE f.owner_kind = 'visit' AND f.owner_id = visits.id)
WHERE id IN (SELECT owner_id FROM files WHERE owner_kind = 'visit');
UPDATE action_items SET file_count = (SELECT COUNT(*) FROM files f WHERE f.owner_kind = 'action_item' AND f.owner_id = action_items.id)
WHERE id IN (SELECT owner_id FROM files WHERE owner_kind = 'action_item');

DROP TABLE demand_attachments;
DROP TABLE visit_files;
ALTER TABLE action_items DROP COLUMN evidence_name;
ALTER TABLE action_items DROP COLUMN evidence_type;
ALTER TABLE action_items DROP COLUMN evidence_data;
{{if postgres}}
UPDATE files SET sha256 = encode(sha256(data), 'hex');
SELECT setval(pg_get_serial_sequence('files', 'id'), COALESCE((SELECT MAX(id) FROM files), 0) + 1, false);
{{end}}
