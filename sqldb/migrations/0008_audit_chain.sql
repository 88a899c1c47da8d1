-- The operation log as a hash chain (等保 audit integrity). Entries are
-- written unsealed (seq NULL) in the transaction of the change they record;
-- a sealer numbers them in the order it finds them committed and links
-- each to the one before: hash = SHA-256 of the previous hash and the
-- entry's fields. audit_head holds the last sealed number and hash, so
-- that removing entries from the end is found as well.
ALTER TABLE op_logs ADD COLUMN seq {{BIGINT}};
ALTER TABLE op_logs ADD COLUMN hash TEXT;
CREATE UNIQUE INDEX op_logs_seq ON op_logs(seq);
CREATE INDEX op_logs_unsealed ON op_logs(id) WHERE seq IS NULL;

CREATE TABLE audit_head (
	id   {{BIGINT}} PRIMARY KEY,
	seq  {{BIGINT}} NOT NULL,
	hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');
