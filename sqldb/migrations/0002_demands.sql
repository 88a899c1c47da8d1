-- Demand catalogue, demands with their departments, timeline and links,
-- consultations (a stub that the consultations issue extends), in-app
-- notifications, Open311 intake channels and scheduler ticks.
CREATE TABLE categories (
	id               {{ID}},
	code             TEXT NOT NULL UNIQUE,
	name             TEXT NOT NULL,
	description      TEXT NOT NULL DEFAULT '',
	grp              TEXT NOT NULL DEFAULT '',
	keywords         TEXT NOT NULL DEFAULT '[]',
	questions        TEXT NOT NULL DEFAULT '[]',
	lead_dept_id     {{BIGINT}} REFERENCES departments(id),
	coop_dept_ids    TEXT NOT NULL DEFAULT '[]',
	default_priority TEXT NOT NULL,
	sla              TEXT NOT NULL,
	auto_close_days  INTEGER NOT NULL DEFAULT 7,
	archived         BOOLEAN NOT NULL DEFAULT FALSE,
	version          {{BIGINT}} NOT NULL DEFAULT 1,
	created_at       {{TIMESTAMP}} NOT NULL,
	updated_at       {{TIMESTAMP}} NOT NULL
);

CREATE TABLE intake_channels (
	id         {{ID}},
	name       TEXT NOT NULL,
	key_hash   TEXT NOT NULL UNIQUE,
	created_at {{TIMESTAMP}} NOT NULL
);

CREATE TABLE demands (
	id               {{ID}},
	enterprise_id    {{BIGINT}} REFERENCES enterprises(id),
	submitter_id     {{BIGINT}} REFERENCES users(id),
	submitter_name   TEXT NOT NULL DEFAULT '',
	contact_phone    TEXT NOT NULL DEFAULT '',
	channel          TEXT NOT NULL,
	intake_id        {{BIGINT}} REFERENCES intake_channels(id),
	category_id      {{BIGINT}} NOT NULL REFERENCES categories(id),
	title            TEXT NOT NULL,
	description      TEXT NOT NULL,
	answers          TEXT NOT NULL DEFAULT '{}',
	address          TEXT NOT NULL DEFAULT '',
	lat              {{DOUBLE}},
	long             {{DOUBLE}},
	priority         TEXT NOT NULL,
	lead_dept_id     {{BIGINT}} REFERENCES departments(id),
	coop_dept_ids    TEXT NOT NULL DEFAULT '[]',
	status           TEXT NOT NULL,
	is_open          BOOLEAN NOT NULL DEFAULT TRUE,
	response_due     {{TIMESTAMP}},
	resolution_due   {{TIMESTAMP}},
	budget_secs      {{BIGINT}} NOT NULL DEFAULT 0,
	assigned_at      {{TIMESTAMP}},
	accepted_at      {{TIMESTAMP}},
	resolved_at      {{TIMESTAMP}},
	closed_at        {{TIMESTAMP}},
	paused_at        {{TIMESTAMP}},
	sla_level        TEXT NOT NULL DEFAULT 'ok',
	resolution       TEXT NOT NULL DEFAULT '',
	rating           TEXT NOT NULL DEFAULT '',
	solved           BOOLEAN,
	rating_comment   TEXT NOT NULL DEFAULT '',
	return_count     INTEGER NOT NULL DEFAULT 0,
	reopen_count     INTEGER NOT NULL DEFAULT 0,
	extension_days   INTEGER NOT NULL DEFAULT 0,
	extension_reason TEXT NOT NULL DEFAULT '',
	master_id        {{BIGINT}} REFERENCES demands(id),
	consultation_id  {{BIGINT}},
	token            TEXT,
	idem_scope       TEXT,
	idem_key         TEXT,
	version          {{BIGINT}} NOT NULL DEFAULT 1,
	created_at       {{TIMESTAMP}} NOT NULL,
	updated_at       {{TIMESTAMP}} NOT NULL
);
CREATE UNIQUE INDEX demands_idem ON demands(idem_scope, idem_key) WHERE idem_key IS NOT NULL;
CREATE UNIQUE INDEX demands_token ON demands(token) WHERE token IS NOT NULL;
CREATE INDEX demands_created ON demands(created_at);
CREATE INDEX demands_status ON demands(status, created_at);
CREATE INDEX demands_enterprise ON demands(enterprise_id, created_at);
CREATE INDEX demands_submitter ON demands(submitter_id, created_at);
CREATE INDEX demands_open_due ON demands(is_open, resolution_due);

-- One row per department a demand is routed to, kept in step with the
-- demand's status and due time so that a department's inbox is one
-- index range.
CREATE TABLE demand_depts (
	demand_id {{BIGINT}} NOT NULL REFERENCES demands(id),
	dept_id   {{BIGINT}} NOT NULL REFERENCES departments(id),
	role      TEXT NOT NULL,
	is_open   BOOLEAN NOT NULL,
	due       {{TIMESTAMP}},
	PRIMARY KEY (demand_id, dept_id, role)
);
CREATE INDEX demand_depts_inbox ON demand_depts(dept_id, role, is_open, due, demand_id);

CREATE TABLE demand_events (
	id          {{ID}},
	demand_id   {{BIGINT}} NOT NULL REFERENCES demands(id),
	actor_id    {{BIGINT}} NOT NULL DEFAULT 0,
	actor_name  TEXT NOT NULL DEFAULT '',
	actor_dept  TEXT NOT NULL DEFAULT '',
	action      TEXT NOT NULL,
	from_status TEXT NOT NULL DEFAULT '',
	to_status   TEXT NOT NULL DEFAULT '',
	note        TEXT NOT NULL DEFAULT '',
	public      BOOLEAN NOT NULL DEFAULT TRUE,
	at          {{TIMESTAMP}} NOT NULL
);
CREATE INDEX demand_events_demand ON demand_events(demand_id, id);

CREATE TABLE demand_links (
	demand_id  {{BIGINT}} NOT NULL REFERENCES demands(id),
	related_id {{BIGINT}} NOT NULL REFERENCES demands(id),
	created_at {{TIMESTAMP}} NOT NULL,
	PRIMARY KEY (demand_id, related_id)
);

CREATE TABLE consultations (
	id         {{ID}},
	kind       TEXT NOT NULL,
	title      TEXT NOT NULL,
	status     TEXT NOT NULL,
	demand_id  {{BIGINT}} REFERENCES demands(id),
	created_by {{BIGINT}} NOT NULL DEFAULT 0,
	created_at {{TIMESTAMP}} NOT NULL
);

CREATE TABLE notifications (
	id         {{ID}},
	user_id    {{BIGINT}} NOT NULL REFERENCES users(id),
	title      TEXT NOT NULL,
	body       TEXT NOT NULL DEFAULT '',
	link       TEXT NOT NULL DEFAULT '',
	created_at {{TIMESTAMP}} NOT NULL,
	read_at    {{TIMESTAMP}}
);
CREATE INDEX notifications_user ON notifications(user_id, id);

CREATE TABLE job_ticks (
	name TEXT PRIMARY KEY,
	tick {{BIGINT}} NOT NULL
);

INSERT INTO table_generations (name, n) VALUES ('demands', 0), ('categories', 0);

-- Files attached to a demand, kept in the database: never served from a
-- path a user chose.
CREATE TABLE demand_attachments (
	id           {{ID}},
	demand_id    {{BIGINT}} NOT NULL REFERENCES demands(id),
	name         TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size         {{BIGINT}} NOT NULL,
	data         {{BLOB}} NOT NULL,
	uploaded_by  TEXT NOT NULL DEFAULT '',
	created_at   {{TIMESTAMP}} NOT NULL
);
CREATE INDEX demand_attachments_demand ON demand_attachments(demand_id);

-- Administrators' rulings on single dates of the working calendar.
CREATE TABLE calendar_overrides (
	date       TEXT PRIMARY KEY,
	working    BOOLEAN NOT NULL,
	name       TEXT NOT NULL,
	updated_by TEXT NOT NULL DEFAULT '',
	updated_at {{TIMESTAMP}} NOT NULL
);
INSERT INTO table_generations (name, n) VALUES ('calendar', 0);
