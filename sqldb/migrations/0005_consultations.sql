-- Consultations (联合会诊 / 一企一议 / 项目协调推进会 / 专题会) with their
-- invitations, linked demands and action items; key projects with their
-- milestones and approvals. The consultations table of 0002 is extended.
ALTER TABLE consultations ADD COLUMN starts_at {{TIMESTAMP}};
ALTER TABLE consultations ADD COLUMN place TEXT NOT NULL DEFAULT '';
ALTER TABLE consultations ADD COLUMN convener_name TEXT NOT NULL DEFAULT '';
ALTER TABLE consultations ADD COLUMN convener_dept_id {{BIGINT}};
ALTER TABLE consultations ADD COLUMN project_id {{BIGINT}};
ALTER TABLE consultations ADD COLUMN agenda TEXT NOT NULL DEFAULT '';
ALTER TABLE consultations ADD COLUMN minutes TEXT NOT NULL DEFAULT '';
ALTER TABLE consultations ADD COLUMN decisions TEXT NOT NULL DEFAULT '';
ALTER TABLE consultations ADD COLUMN version {{BIGINT}} NOT NULL DEFAULT 1;
ALTER TABLE consultations ADD COLUMN updated_at {{TIMESTAMP}};
CREATE INDEX consultations_starts ON consultations(status, starts_at);
CREATE INDEX consultations_project ON consultations(project_id);

CREATE TABLE consultation_demands (
	consultation_id {{BIGINT}} NOT NULL REFERENCES consultations(id),
	demand_id       {{BIGINT}} NOT NULL REFERENCES demands(id),
	PRIMARY KEY (consultation_id, demand_id)
);
CREATE INDEX consultation_demands_demand ON consultation_demands(demand_id);

CREATE TABLE consultation_invitees (
	id              {{ID}},
	consultation_id {{BIGINT}} NOT NULL REFERENCES consultations(id),
	dept_id         {{BIGINT}} REFERENCES departments(id),
	user_id         {{BIGINT}} REFERENCES users(id),
	attendance      TEXT NOT NULL DEFAULT 'pending',
	answered_by     TEXT NOT NULL DEFAULT '',
	answered_at     {{TIMESTAMP}}
);
CREATE INDEX consultation_invitees_c ON consultation_invitees(consultation_id);
CREATE INDEX consultation_invitees_dept ON consultation_invitees(dept_id);
CREATE INDEX consultation_invitees_user ON consultation_invitees(user_id);

CREATE TABLE action_items (
	id              {{ID}},
	consultation_id {{BIGINT}} NOT NULL REFERENCES consultations(id),
	title           TEXT NOT NULL,
	owner_dept_id   {{BIGINT}} NOT NULL REFERENCES departments(id),
	assignee_id     {{BIGINT}} REFERENCES users(id),
	due_at          {{TIMESTAMP}} NOT NULL,
	status          TEXT NOT NULL,
	evidence        TEXT NOT NULL DEFAULT '',
	evidence_name   TEXT NOT NULL DEFAULT '',
	evidence_type   TEXT NOT NULL DEFAULT '',
	evidence_data   {{BLOB}},
	done_at         {{TIMESTAMP}},
	done_by         TEXT NOT NULL DEFAULT '',
	version         {{BIGINT}} NOT NULL DEFAULT 1,
	created_at      {{TIMESTAMP}} NOT NULL
);
CREATE INDEX action_items_c ON action_items(consultation_id);
CREATE INDEX action_items_dept ON action_items(owner_dept_id, status, due_at);

CREATE TABLE projects (
	id                  {{ID}},
	name                TEXT NOT NULL UNIQUE,
	level               TEXT NOT NULL,
	owner_enterprise_id {{BIGINT}} REFERENCES enterprises(id),
	owner_dept_id       {{BIGINT}} REFERENCES departments(id),
	industry            TEXT NOT NULL DEFAULT '',
	investment          {{DOUBLE}} NOT NULL DEFAULT 0,
	area                TEXT NOT NULL DEFAULT '',
	building            TEXT NOT NULL DEFAULT '',
	liaison_id          {{BIGINT}} REFERENCES users(id),
	status              TEXT NOT NULL,
	description         TEXT NOT NULL DEFAULT '',
	version             {{BIGINT}} NOT NULL DEFAULT 1,
	created_at          {{TIMESTAMP}} NOT NULL,
	updated_at          {{TIMESTAMP}} NOT NULL
);
CREATE INDEX projects_enterprise ON projects(owner_enterprise_id);

CREATE TABLE milestones (
	id            {{ID}},
	project_id    {{BIGINT}} NOT NULL REFERENCES projects(id),
	phase         TEXT NOT NULL DEFAULT '',
	name          TEXT NOT NULL,
	planned_start {{TIMESTAMP}} NOT NULL,
	planned_end   {{TIMESTAMP}} NOT NULL,
	actual_start  {{TIMESTAMP}},
	actual_end    {{TIMESTAMP}},
	progress      {{BIGINT}} NOT NULL DEFAULT 0,
	version       {{BIGINT}} NOT NULL DEFAULT 1
);
CREATE INDEX milestones_project ON milestones(project_id, planned_start);

CREATE TABLE approvals (
	id           {{ID}},
	project_id   {{BIGINT}} NOT NULL REFERENCES projects(id),
	kind         TEXT NOT NULL,
	part         TEXT NOT NULL DEFAULT '',
	dept_id      {{BIGINT}} NOT NULL REFERENCES departments(id),
	status       TEXT NOT NULL,
	submitted_at {{TIMESTAMP}} NOT NULL,
	accepted_at  {{TIMESTAMP}},
	decided_at   {{TIMESTAMP}},
	note         TEXT NOT NULL DEFAULT '',
	version      {{BIGINT}} NOT NULL DEFAULT 1,
	created_at   {{TIMESTAMP}} NOT NULL
);
CREATE INDEX approvals_project ON approvals(project_id);
CREATE INDEX approvals_dept ON approvals(dept_id, status);

ALTER TABLE demands ADD COLUMN project_id {{BIGINT}} REFERENCES projects(id);
CREATE INDEX demands_project ON demands(project_id);

-- The stubs that escalation created before this migration.
INSERT INTO consultation_demands (consultation_id, demand_id) SELECT id, demand_id FROM consultations WHERE demand_id IS NOT NULL;
UPDATE consultations SET updated_at = created_at WHERE updated_at IS NULL;
