-- Talent: positions, talent-need surveys, university contacts and
-- outreach, graduates, matching programmes and service teams.
CREATE TABLE positions (
	id            {{ID}},
	enterprise_id {{BIGINT}} NOT NULL REFERENCES enterprises(id),
	kind          TEXT NOT NULL,
	title         TEXT NOT NULL,
	majors        TEXT NOT NULL DEFAULT '[]',
	degree        TEXT NOT NULL DEFAULT '',
	number        {{BIGINT}} NOT NULL,
	place         TEXT NOT NULL DEFAULT '',
	salary_min    {{BIGINT}} NOT NULL DEFAULT 0,
	salary_max    {{BIGINT}} NOT NULL DEFAULT 0,
	period        TEXT NOT NULL DEFAULT '',
	description   TEXT NOT NULL DEFAULT '',
	status        TEXT NOT NULL,
	review_note   TEXT NOT NULL DEFAULT '',
	version       {{BIGINT}} NOT NULL DEFAULT 1,
	created_at    {{TIMESTAMP}} NOT NULL,
	updated_at    {{TIMESTAMP}} NOT NULL
);
CREATE INDEX positions_status ON positions(status, created_at);
CREATE INDEX positions_enterprise ON positions(enterprise_id);

CREATE TABLE surveys (
	id            {{ID}},
	enterprise_id {{BIGINT}} NOT NULL REFERENCES enterprises(id),
	period        TEXT NOT NULL,
	lines         TEXT NOT NULL DEFAULT '[]',
	remarks       TEXT NOT NULL DEFAULT '',
	version       {{BIGINT}} NOT NULL DEFAULT 1,
	created_at    {{TIMESTAMP}} NOT NULL,
	updated_at    {{TIMESTAMP}} NOT NULL,
	UNIQUE (enterprise_id, period)
);

CREATE TABLE university_contacts (
	id         {{ID}},
	dept_id    {{BIGINT}} NOT NULL REFERENCES departments(id),
	kind       TEXT NOT NULL,
	name       TEXT NOT NULL,
	title      TEXT NOT NULL DEFAULT '',
	phone      TEXT NOT NULL DEFAULT '',
	email      TEXT NOT NULL DEFAULT '',
	created_at {{TIMESTAMP}} NOT NULL
);
CREATE INDEX university_contacts_dept ON university_contacts(dept_id);

CREATE TABLE university_outreach (
	id         {{ID}},
	dept_id    {{BIGINT}} NOT NULL REFERENCES departments(id),
	date       TEXT NOT NULL,
	kind       TEXT NOT NULL,
	summary    TEXT NOT NULL,
	by_name    TEXT NOT NULL DEFAULT '',
	created_at {{TIMESTAMP}} NOT NULL
);
CREATE INDEX university_outreach_dept ON university_outreach(dept_id, date);

CREATE TABLE graduates (
	id         {{ID}},
	user_id    {{BIGINT}} NOT NULL UNIQUE REFERENCES users(id),
	name       TEXT NOT NULL,
	university TEXT NOT NULL,
	major      TEXT NOT NULL,
	degree     TEXT NOT NULL,
	grad_year  {{BIGINT}} NOT NULL,
	skills     TEXT NOT NULL DEFAULT '[]',
	phone      TEXT NOT NULL,
	consent    BOOLEAN NOT NULL DEFAULT FALSE,
	version    {{BIGINT}} NOT NULL DEFAULT 1,
	created_at {{TIMESTAMP}} NOT NULL,
	updated_at {{TIMESTAMP}} NOT NULL
);
CREATE INDEX graduates_major ON graduates(major);

CREATE TABLE programmes (
	id          {{ID}},
	name        TEXT NOT NULL UNIQUE,
	description TEXT NOT NULL DEFAULT '',
	reg_open    TEXT NOT NULL,
	reg_close   TEXT NOT NULL,
	max_choices {{BIGINT}} NOT NULL,
	version     {{BIGINT}} NOT NULL DEFAULT 1,
	created_at  {{TIMESTAMP}} NOT NULL
);

CREATE TABLE programme_positions (
	id            {{ID}},
	programme_id  {{BIGINT}} NOT NULL REFERENCES programmes(id),
	enterprise_id {{BIGINT}} NOT NULL REFERENCES enterprises(id),
	title         TEXT NOT NULL,
	majors        TEXT NOT NULL DEFAULT '[]',
	degree        TEXT NOT NULL DEFAULT '',
	skills        TEXT NOT NULL DEFAULT '[]',
	capacity      {{BIGINT}} NOT NULL,
	created_at    {{TIMESTAMP}} NOT NULL
);
CREATE INDEX programme_positions_programme ON programme_positions(programme_id);

CREATE TABLE programme_applicants (
	programme_id {{BIGINT}} NOT NULL REFERENCES programmes(id),
	graduate_id  {{BIGINT}} NOT NULL REFERENCES graduates(id),
	withdrawn    BOOLEAN NOT NULL DEFAULT FALSE,
	created_at   {{TIMESTAMP}} NOT NULL,
	PRIMARY KEY (programme_id, graduate_id)
);

CREATE TABLE programme_choices (
	programme_id {{BIGINT}} NOT NULL REFERENCES programmes(id),
	graduate_id  {{BIGINT}} NOT NULL REFERENCES graduates(id),
	position_id  {{BIGINT}} NOT NULL REFERENCES programme_positions(id),
	choice       {{BIGINT}} NOT NULL,
	ent_rank     {{BIGINT}} NOT NULL DEFAULT 0,
	PRIMARY KEY (programme_id, graduate_id, position_id)
);
CREATE INDEX programme_choices_position ON programme_choices(position_id, graduate_id);

CREATE TABLE match_runs (
	id            {{ID}},
	programme_id  {{BIGINT}} NOT NULL REFERENCES programmes(id),
	status        TEXT NOT NULL,
	done          {{BIGINT}} NOT NULL DEFAULT 0,
	total         {{BIGINT}} NOT NULL DEFAULT 0,
	proposals     BIGINT NOT NULL DEFAULT 0,
	matched       {{BIGINT}} NOT NULL DEFAULT 0,
	unmatched     {{BIGINT}} NOT NULL DEFAULT 0,
	blocking      {{BIGINT}} NOT NULL DEFAULT 0,
	by_name       TEXT NOT NULL DEFAULT '',
	started_at    {{TIMESTAMP}} NOT NULL,
	finished_at   {{TIMESTAMP}},
	published_at  {{TIMESTAMP}}
);
CREATE INDEX match_runs_programme ON match_runs(programme_id, id);

CREATE TABLE match_results (
	run_id      {{BIGINT}} NOT NULL REFERENCES match_runs(id),
	graduate_id {{BIGINT}} NOT NULL REFERENCES graduates(id),
	position_id {{BIGINT}} REFERENCES programme_positions(id),
	choice      {{BIGINT}} NOT NULL DEFAULT 0,
	reason      TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (run_id, graduate_id)
);

CREATE TABLE service_teams (
	id          {{ID}},
	name        TEXT NOT NULL UNIQUE,
	description TEXT NOT NULL DEFAULT '',
	members     TEXT NOT NULL DEFAULT '[]',
	version     {{BIGINT}} NOT NULL DEFAULT 1,
	created_at  {{TIMESTAMP}} NOT NULL
);

CREATE TABLE team_batches (
	id             {{ID}},
	team_id        {{BIGINT}} NOT NULL REFERENCES service_teams(id),
	no             {{BIGINT}} NOT NULL,
	start_date     TEXT NOT NULL,
	end_date       TEXT NOT NULL,
	enterprise_ids TEXT NOT NULL DEFAULT '[]',
	resolved       TEXT NOT NULL DEFAULT '',
	created_at     {{TIMESTAMP}} NOT NULL
);

CREATE TABLE service_logs (
	id            {{ID}},
	batch_id      {{BIGINT}} NOT NULL REFERENCES team_batches(id),
	enterprise_id {{BIGINT}} NOT NULL REFERENCES enterprises(id),
	date          TEXT NOT NULL,
	summary       TEXT NOT NULL,
	resolved      TEXT NOT NULL DEFAULT '',
	by_name       TEXT NOT NULL DEFAULT '',
	created_at    {{TIMESTAMP}} NOT NULL
);
CREATE INDEX service_logs_batch ON service_logs(batch_id, date);

INSERT INTO table_generations (name, n) VALUES ('positions', 0), ('graduates', 0);
