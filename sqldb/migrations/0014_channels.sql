-- Notices that leave the building (issue 12, item 5). An administrator
-- configures outside channels: group robots (WeCom, DingTalk), a generic
-- signed webhook, e-mail over SMTP and SMS through an HTTP gateway. config
-- holds the settings as JSON (address, SMTP server, gateway templates);
-- secret the signing key or password, never shown in full. Group channels
-- forward the notice groups listed in groups ('' for all) from
-- min_severity up.
CREATE TABLE channels (
	id           {{ID}},
	name         TEXT NOT NULL,
	kind         TEXT NOT NULL,
	enabled      BOOLEAN NOT NULL DEFAULT TRUE,
	config       TEXT NOT NULL DEFAULT '{}',
	secret       TEXT NOT NULL DEFAULT '',
	notice_groups TEXT NOT NULL DEFAULT '',
	min_severity TEXT NOT NULL DEFAULT 'info',
	version      {{BIGINT}} NOT NULL DEFAULT 1,
	created_at   {{TIMESTAMP}} NOT NULL,
	updated_at   {{TIMESTAMP}} NOT NULL
);

-- A user's choice of personal channels (e-mail, SMS): the address, the
-- notice groups to receive there ('' for all) and whether to gather them
-- in one message a day.
CREATE TABLE notice_prefs (
	user_id    {{BIGINT}} NOT NULL REFERENCES users(id),
	channel_id {{BIGINT}} NOT NULL REFERENCES channels(id),
	address    TEXT NOT NULL,
	notice_groups TEXT NOT NULL DEFAULT '',
	digest     BOOLEAN NOT NULL DEFAULT FALSE,
	updated_at {{TIMESTAMP}} NOT NULL,
	PRIMARY KEY (user_id, channel_id)
);

-- One delivery of a notice over an outside channel, to a user (user_id)
-- or to the channel's group (user_id 0). Rows are fanned out from the
-- outbox entry in the transaction that delivers it in-app, so in-app
-- messages are never repeated when a channel fails; each row is then
-- claimed, retried with backoff and, after its last try, left 'dead' (the
-- dead-letter list) by the courier, on its own. A digest row (digest)
-- waits for the daily digest and is sent with the user's others in one
-- message. The texts are rendered when the row is written.
CREATE TABLE deliveries (
	id            {{ID}},
	outbox_id     {{BIGINT}},
	channel_id    {{BIGINT}} NOT NULL REFERENCES channels(id),
	user_id       {{BIGINT}} NOT NULL DEFAULT 0,
	address       TEXT NOT NULL DEFAULT '',
	kind          TEXT NOT NULL,
	severity      TEXT NOT NULL,
	title         TEXT NOT NULL,
	body          TEXT NOT NULL DEFAULT '',
	link          TEXT NOT NULL DEFAULT '',
	digest        BOOLEAN NOT NULL DEFAULT FALSE,
	status        TEXT NOT NULL DEFAULT 'pending',
	attempts      {{BIGINT}} NOT NULL DEFAULT 0,
	next_at       {{TIMESTAMP}} NOT NULL,
	claimed_by    TEXT,
	claimed_until {{TIMESTAMP}},
	last_error    TEXT NOT NULL DEFAULT '',
	created_at    {{TIMESTAMP}} NOT NULL,
	sent_at       {{TIMESTAMP}}
);
CREATE UNIQUE INDEX deliveries_once ON deliveries(outbox_id, channel_id, user_id);
CREATE INDEX deliveries_pending ON deliveries(next_at, id) WHERE status = 'pending';
CREATE INDEX deliveries_status ON deliveries(status, id);

-- The bell groups messages by the kind of their notice.
ALTER TABLE notifications ADD COLUMN kind TEXT NOT NULL DEFAULT '';
UPDATE notifications SET kind = COALESCE((SELECT o.kind FROM outbox o WHERE o.id = notifications.outbox_id), '') WHERE outbox_id IS NOT NULL;
