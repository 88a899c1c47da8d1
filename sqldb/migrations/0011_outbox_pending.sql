-- Drainers look only for pending entries: index those alone, so that the
-- index stays small however many sent entries the table keeps, and a
-- delivery changes few of its pages.
DROP INDEX outbox_status;
CREATE INDEX outbox_pending ON outbox(id) WHERE status = 'pending';
