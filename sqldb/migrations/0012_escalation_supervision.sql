-- The escalation ladder (升级阶梯) and supervision orders (督办单).
--
-- ladder_rules configure the ladder per category and priority; a rule
-- with category_id 0 or priority '' holds for any. No rule: the domain's
-- defaults (zhagen.DefaultLadderRule).
CREATE TABLE ladder_rules (
	category_id    {{BIGINT}} NOT NULL DEFAULT 0,
	priority       TEXT NOT NULL DEFAULT '',
	warn_pct       {{BIGINT}} NOT NULL,
	supervise_days {{BIGINT}} NOT NULL,
	reply_hours    {{BIGINT}} NOT NULL,
	updated_by     TEXT NOT NULL DEFAULT '',
	updated_at     {{TIMESTAMP}} NOT NULL,
	PRIMARY KEY (category_id, priority)
);

-- Each rung of the ladder a demand reached, once: the job inserts with
-- ON CONFLICT DO NOTHING and only the inserter tells anyone. dept_id is
-- the lead department at the time, for the counts per department.
CREATE TABLE ladder_steps (
	demand_id {{BIGINT}} NOT NULL REFERENCES demands(id),
	rung      TEXT NOT NULL,
	dept_id   {{BIGINT}} NOT NULL DEFAULT 0,
	at        {{TIMESTAMP}} NOT NULL,
	PRIMARY KEY (demand_id, rung)
);
CREATE INDEX ladder_steps_dept ON ladder_steps(dept_id, rung);

-- Supervision orders. (year, seq) is the printed number 督办〔year〕第seq号,
-- unique; the next seq is one conditional counter row per year.
CREATE TABLE supervision_orders (
	id             {{ID}},
	year           {{BIGINT}} NOT NULL,
	seq            {{BIGINT}} NOT NULL,
	subject_kind   TEXT NOT NULL,
	subject_id     {{BIGINT}} NOT NULL,
	subject_title  TEXT NOT NULL DEFAULT '',
	demand_id      {{BIGINT}} REFERENCES demands(id),
	dept_id        {{BIGINT}} NOT NULL REFERENCES departments(id),
	requirement    TEXT NOT NULL,
	issuer_id      {{BIGINT}} NOT NULL DEFAULT 0,
	issuer_name    TEXT NOT NULL DEFAULT '',
	auto           BOOLEAN NOT NULL DEFAULT FALSE,
	status         TEXT NOT NULL,
	reply_hours    {{BIGINT}} NOT NULL,
	reply_due      {{TIMESTAMP}} NOT NULL,
	reply_progress TEXT NOT NULL DEFAULT '',
	promised_date  TEXT NOT NULL DEFAULT '',
	replied_by     TEXT NOT NULL DEFAULT '',
	replied_at     {{TIMESTAMP}},
	close_note     TEXT NOT NULL DEFAULT '',
	closed_by      TEXT NOT NULL DEFAULT '',
	closed_at      {{TIMESTAMP}},
	escalated_to   {{BIGINT}} NOT NULL DEFAULT 0,
	escalated_at   {{TIMESTAMP}},
	version        {{BIGINT}} NOT NULL DEFAULT 1,
	created_at     {{TIMESTAMP}} NOT NULL,
	updated_at     {{TIMESTAMP}} NOT NULL
);
CREATE UNIQUE INDEX supervision_number ON supervision_orders(year, seq);
CREATE INDEX supervision_dept ON supervision_orders(dept_id, status, reply_due);
CREATE INDEX supervision_open_due ON supervision_orders(status, reply_due);
CREATE INDEX supervision_subject ON supervision_orders(subject_kind, subject_id);

CREATE TABLE supervision_seq (
	year {{BIGINT}} PRIMARY KEY,
	last {{BIGINT}} NOT NULL
);
