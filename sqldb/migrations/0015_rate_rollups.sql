-- The three rates and the trend's other figures are kept incrementally
-- (rollup.go): every filing, workflow step and SLA run adds what it
-- changes to one row per lead department (0: not routed), category and
-- day of filing (Asia/Shanghai, yyyymmdd), and to the same month's row
-- (yyyymm), in the transaction of the change. Reads sum rows; they never
-- scan demands.
--
-- On a demand, the store keeps what a row's counts need beyond its
-- fields: the response and resolution due times that passed while the
-- demand awaited acceptance or resolution (recorded once by the step or
-- the SLA run that saw them pass), the working seconds to first
-- acceptance and to resolution (NULL for demands filed before this
-- migration), and the extensions granted.
ALTER TABLE demands ADD COLUMN resp_lapsed {{TIMESTAMP}};
ALTER TABLE demands ADD COLUMN res_lapsed {{TIMESTAMP}};
ALTER TABLE demands ADD COLUMN response_secs {{BIGINT}};
ALTER TABLE demands ADD COLUMN resolution_secs {{BIGINT}};
ALTER TABLE demands ADD COLUMN extensions {{BIGINT}} NOT NULL DEFAULT 0;
-- The latest recorded follow-up (回访) that reached the enterprise after a
-- close: 0 none, 1 not solved, 2 solved (zhagen.FollowUpCounts).
ALTER TABLE demands ADD COLUMN followup_seen {{BIGINT}} NOT NULL DEFAULT 0;
CREATE INDEX demands_unaccepted ON demands(response_due) WHERE (accepted_at IS NULL) AND (resp_lapsed IS NULL) AND (closed_at IS NULL);
CREATE INDEX demands_unresolved ON demands(resolution_due) WHERE is_open AND (resolved_at IS NULL) AND (res_lapsed IS NULL);

CREATE TABLE demand_rollups_day (
	period           {{BIGINT}} NOT NULL,
	dept_id          {{BIGINT}} NOT NULL,
	category_id      {{BIGINT}} NOT NULL,
	submitted        {{BIGINT}} NOT NULL DEFAULT 0,
	due_response     {{BIGINT}} NOT NULL DEFAULT 0,
	accepted_in_time {{BIGINT}} NOT NULL DEFAULT 0,
	closed           {{BIGINT}} NOT NULL DEFAULT 0,
	solved           {{BIGINT}} NOT NULL DEFAULT 0,
	rated            {{BIGINT}} NOT NULL DEFAULT 0,
	satisfied        {{BIGINT}} NOT NULL DEFAULT 0,
	open_count       {{BIGINT}} NOT NULL DEFAULT 0,
	awaiting         {{BIGINT}} NOT NULL DEFAULT 0,
	withdrawn        {{BIGINT}} NOT NULL DEFAULT 0,
	accepted         {{BIGINT}} NOT NULL DEFAULT 0,
	resolved         {{BIGINT}} NOT NULL DEFAULT 0,
	response_timed   {{BIGINT}} NOT NULL DEFAULT 0,
	response_secs    {{BIGINT}} NOT NULL DEFAULT 0,
	resolution_timed {{BIGINT}} NOT NULL DEFAULT 0,
	resolution_secs  {{BIGINT}} NOT NULL DEFAULT 0,
	overdue          {{BIGINT}} NOT NULL DEFAULT 0,
	returns          {{BIGINT}} NOT NULL DEFAULT 0,
	extensions       {{BIGINT}} NOT NULL DEFAULT 0,
	followup_reached {{BIGINT}} NOT NULL DEFAULT 0,
	followup_solved  {{BIGINT}} NOT NULL DEFAULT 0,
	PRIMARY KEY (period, dept_id, category_id)
);

CREATE TABLE demand_rollups_month (
	period           {{BIGINT}} NOT NULL,
	dept_id          {{BIGINT}} NOT NULL,
	category_id      {{BIGINT}} NOT NULL,
	submitted        {{BIGINT}} NOT NULL DEFAULT 0,
	due_response     {{BIGINT}} NOT NULL DEFAULT 0,
	accepted_in_time {{BIGINT}} NOT NULL DEFAULT 0,
	closed           {{BIGINT}} NOT NULL DEFAULT 0,
	solved           {{BIGINT}} NOT NULL DEFAULT 0,
	rated            {{BIGINT}} NOT NULL DEFAULT 0,
	satisfied        {{BIGINT}} NOT NULL DEFAULT 0,
	open_count       {{BIGINT}} NOT NULL DEFAULT 0,
	awaiting         {{BIGINT}} NOT NULL DEFAULT 0,
	withdrawn        {{BIGINT}} NOT NULL DEFAULT 0,
	accepted         {{BIGINT}} NOT NULL DEFAULT 0,
	resolved         {{BIGINT}} NOT NULL DEFAULT 0,
	response_timed   {{BIGINT}} NOT NULL DEFAULT 0,
	response_secs    {{BIGINT}} NOT NULL DEFAULT 0,
	resolution_timed {{BIGINT}} NOT NULL DEFAULT 0,
	resolution_secs  {{BIGINT}} NOT NULL DEFAULT 0,
	overdue          {{BIGINT}} NOT NULL DEFAULT 0,
	returns          {{BIGINT}} NOT NULL DEFAULT 0,
	extensions       {{BIGINT}} NOT NULL DEFAULT 0,
	followup_reached {{BIGINT}} NOT NULL DEFAULT 0,
	followup_solved  {{BIGINT}} NOT NULL DEFAULT 0,
	PRIMARY KEY (period, dept_id, category_id)
);

-- The weights of the departments' overall score (rankings), set by the
-- administrator; one row.
CREATE TABLE ranking_weights (
	id           {{BIGINT}} PRIMARY KEY,
	response     {{BIGINT}} NOT NULL,
	resolution   {{BIGINT}} NOT NULL,
	satisfaction {{BIGINT}} NOT NULL,
	timeliness   {{BIGINT}} NOT NULL,
	version      {{BIGINT}} NOT NULL DEFAULT 1,
	updated_at   {{TIMESTAMP}}
);
INSERT INTO ranking_weights (id, response, resolution, satisfaction, timeliness) VALUES (1, 30, 30, 30, 10);
