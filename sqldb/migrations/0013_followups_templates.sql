-- Follow-ups (回访, 撤单核查) of demands that ended, reply templates
-- (常用回复), and each category's answer rule and follow-up term.
ALTER TABLE categories ADD COLUMN answer_min_len {{BIGINT}} NOT NULL DEFAULT 15;
ALTER TABLE categories ADD COLUMN answer_file_required BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE categories ADD COLUMN followup_days {{BIGINT}} NOT NULL DEFAULT 3;

CREATE TABLE followups (
	id           {{ID}},
	demand_id    {{BIGINT}} NOT NULL REFERENCES demands(id),
	kind         TEXT NOT NULL,
	due_at       {{TIMESTAMP}} NOT NULL,
	created_at   {{TIMESTAMP}} NOT NULL,
	result       TEXT NOT NULL DEFAULT '',
	method       TEXT NOT NULL DEFAULT '',
	satisfaction TEXT NOT NULL DEFAULT '',
	note         TEXT NOT NULL DEFAULT '',
	pressed      BOOLEAN,
	reopened     BOOLEAN NOT NULL DEFAULT FALSE,
	done_by      {{BIGINT}} REFERENCES users(id),
	done_at      {{TIMESTAMP}},
	version      {{BIGINT}} NOT NULL DEFAULT 1
);
-- At most one open follow-up per demand: a demand reopened and closed
-- again gets a new one once the first is recorded.
CREATE UNIQUE INDEX followups_open ON followups(demand_id) WHERE done_at IS NULL;
CREATE INDEX followups_due ON followups(due_at) WHERE done_at IS NULL;
CREATE INDEX followups_demand ON followups(demand_id, id);

CREATE TABLE reply_templates (
	id          {{ID}},
	category_id {{BIGINT}} REFERENCES categories(id),
	dept_id     {{BIGINT}} REFERENCES departments(id),
	title       TEXT NOT NULL,
	body        TEXT NOT NULL,
	version     {{BIGINT}} NOT NULL DEFAULT 1,
	created_at  {{TIMESTAMP}} NOT NULL,
	updated_at  {{TIMESTAMP}} NOT NULL
);
CREATE INDEX reply_templates_dept ON reply_templates(dept_id, title);
