-- Linkage and visits (挂钩联系与定期走访): cadre ↔ enterprise linkages,
-- visits with their situation checklist, red-flag rules and flags,
-- linkage suggestion runs with their pairs, and reminder bookkeeping.
CREATE TABLE linkages (
	id            {{ID}},
	cadre_id      {{BIGINT}} NOT NULL REFERENCES users(id),
	enterprise_id {{BIGINT}} NOT NULL REFERENCES enterprises(id),
	role          TEXT NOT NULL,
	start_date    TEXT NOT NULL,
	end_date      TEXT,
	cadence_days  INTEGER NOT NULL DEFAULT 30,
	active        BOOLEAN NOT NULL DEFAULT TRUE,
	suggestion_id INTEGER,
	version       INTEGER NOT NULL DEFAULT 1,
	created_at    {{TIMESTAMP}} NOT NULL,
	updated_at    {{TIMESTAMP}} NOT NULL
);
CREATE UNIQUE INDEX linkages_active ON linkages(cadre_id, enterprise_id, role) WHERE active;
CREATE INDEX linkages_enterprise ON linkages(enterprise_id);

CREATE TABLE visits (
	id             {{ID}},
	enterprise_id  {{BIGINT}} NOT NULL REFERENCES enterprises(id),
	cadre_id       {{BIGINT}} NOT NULL REFERENCES users(id),
	status         TEXT NOT NULL,
	visit_date     TEXT NOT NULL,
	kind           TEXT NOT NULL,
	participants   TEXT NOT NULL DEFAULT '',
	topics         TEXT NOT NULL DEFAULT '',
	public_notes   TEXT NOT NULL DEFAULT '',
	situation      TEXT NOT NULL DEFAULT '{}',
	findings       TEXT NOT NULL DEFAULT '',
	internal_notes TEXT NOT NULL DEFAULT '',
	demand_id      {{BIGINT}} REFERENCES demands(id),
	version        INTEGER NOT NULL DEFAULT 1,
	created_at     {{TIMESTAMP}} NOT NULL,
	updated_at     {{TIMESTAMP}} NOT NULL
);
CREATE INDEX visits_enterprise ON visits(enterprise_id, visit_date);
CREATE INDEX visits_cadre ON visits(cadre_id, visit_date);

CREATE TABLE red_flag_rules (
	id         {{ID}},
	field      TEXT NOT NULL,
	op         TEXT NOT NULL,
	threshold  TEXT NOT NULL,
	reason     TEXT NOT NULL,
	active     BOOLEAN NOT NULL DEFAULT TRUE,
	created_at {{TIMESTAMP}} NOT NULL
);
{{/* PostgreSQL would read a time without an offset in the session's zone. */ -}}
INSERT INTO red_flag_rules (field, op, threshold, reason, active, created_at) VALUES
	('plans_relocate', '=', 'true', '企业拟外迁', TRUE, '2026-01-01 00:00:00{{if postgres}}+00{{end}}'),
	('plans_downsize', '=', 'true', '企业拟缩减规模', TRUE, '2026-01-01 00:00:00{{if postgres}}+00{{end}}'),
	('orders_change_pct', '<', '-30', '订单同比下降超过30%', TRUE, '2026-01-01 00:00:00{{if postgres}}+00{{end}}'),
	('layoffs', '>', '0', '企业有减员', TRUE, '2026-01-01 00:00:00{{if postgres}}+00{{end}}');

CREATE TABLE red_flags (
	id             {{ID}},
	enterprise_id  {{BIGINT}} NOT NULL REFERENCES enterprises(id),
	rule_id        {{BIGINT}} NOT NULL REFERENCES red_flag_rules(id),
	reason         TEXT NOT NULL,
	visit_id       {{BIGINT}} NOT NULL REFERENCES visits(id),
	raised_at      {{TIMESTAMP}} NOT NULL,
	cleared_at     {{TIMESTAMP}},
	cleared_by     TEXT NOT NULL DEFAULT '',
	clear_note     TEXT NOT NULL DEFAULT '',
	clear_visit_id {{BIGINT}} REFERENCES visits(id)
);
CREATE INDEX red_flags_enterprise ON red_flags(enterprise_id, cleared_at);

CREATE TABLE linkage_runs (
	id          {{ID}},
	need        INTEGER NOT NULL,
	capacity    INTEGER NOT NULL,
	feasible    BOOLEAN NOT NULL,
	message     TEXT NOT NULL DEFAULT '',
	constraint_name TEXT NOT NULL DEFAULT '',
	cost        BIGINT NOT NULL DEFAULT 0,
	cadres      INTEGER NOT NULL DEFAULT 0,
	enterprises INTEGER NOT NULL DEFAULT 0,
	created_by  TEXT NOT NULL DEFAULT '',
	created_at  {{TIMESTAMP}} NOT NULL,
	accepted_at {{TIMESTAMP}}
);

CREATE TABLE linkage_run_pairs (
	id            {{ID}},
	run_id        {{BIGINT}} NOT NULL REFERENCES linkage_runs(id),
	cadre_id      {{BIGINT}} NOT NULL REFERENCES users(id),
	enterprise_id {{BIGINT}} NOT NULL REFERENCES enterprises(id),
	cost          BIGINT NOT NULL,
	reasons       TEXT NOT NULL DEFAULT '[]',
	accepted      BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX linkage_run_pairs_run ON linkage_run_pairs(run_id);

-- One reminder per linkage, due date and day.
CREATE TABLE visit_reminders (
	linkage_id {{BIGINT}} NOT NULL REFERENCES linkages(id),
	due_date   TEXT NOT NULL,
	day        TEXT NOT NULL,
	PRIMARY KEY (linkage_id, due_date, day)
);

-- Photos and files of a visit, kept in the database like demand files.
CREATE TABLE visit_files (
	id           {{ID}},
	visit_id     {{BIGINT}} NOT NULL REFERENCES visits(id),
	name         TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size         {{BIGINT}} NOT NULL,
	data         {{BLOB}} NOT NULL,
	uploaded_by  TEXT NOT NULL DEFAULT '',
	created_at   {{TIMESTAMP}} NOT NULL
);
CREATE INDEX visit_files_visit ON visit_files(visit_id);
