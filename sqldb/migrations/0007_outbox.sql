-- The outbox of notices (DESIGN.md §4, "who is told what"). A notice is
-- written here in the transaction of the change it reports and delivered
-- afterwards by drainers: each claims due rows with a lease (claimed_by,
-- claimed_until), hands them to the senders and records the outcome: sent,
-- or a failed attempt retried from next_at, or after too many failures
-- status 'dead', the dead-letter list. notice holds the notice as JSON:
-- recipients, catalogue keys with their arguments, link.
CREATE TABLE outbox (
	id            {{ID}},
	kind          TEXT NOT NULL,
	severity      TEXT NOT NULL DEFAULT 'info',
	notice        TEXT NOT NULL,
	status        TEXT NOT NULL DEFAULT 'pending',
	attempts      {{BIGINT}} NOT NULL DEFAULT 0,
	next_at       {{TIMESTAMP}} NOT NULL,
	claimed_by    TEXT,
	claimed_until {{TIMESTAMP}},
	last_error    TEXT NOT NULL DEFAULT '',
	created_at    {{TIMESTAMP}} NOT NULL,
	sent_at       {{TIMESTAMP}}
);
CREATE INDEX outbox_status ON outbox(status, id);

-- The in-app sender writes one message per recipient and outbox row, so
-- a delivery retried after a failure never repeats a message.
ALTER TABLE notifications ADD COLUMN outbox_id {{BIGINT}};
CREATE UNIQUE INDEX notifications_outbox ON notifications(outbox_id, user_id);
