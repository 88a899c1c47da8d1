-- The rollup rows and the table generations get a shard: each of
-- PostgreSQL's group-commit writers adds to its own row of a day,
-- department and category, and bumps its own row of a table's
-- generation, so that filings no longer wait for one another's commit
-- on one row (rollup.go, countcache.go). Reads sum every shard's row.
{{if postgres}}
ALTER TABLE table_generations ADD COLUMN shard BIGINT NOT NULL DEFAULT 0;
ALTER TABLE table_generations DROP CONSTRAINT table_generations_pkey;
ALTER TABLE table_generations ADD PRIMARY KEY (name, shard);
ALTER TABLE demand_rollups_day ADD COLUMN shard BIGINT NOT NULL DEFAULT 0;
ALTER TABLE demand_rollups_day DROP CONSTRAINT demand_rollups_day_pkey;
ALTER TABLE demand_rollups_day ADD PRIMARY KEY (period, dept_id, category_id, shard);
ALTER TABLE demand_rollups_month ADD COLUMN shard BIGINT NOT NULL DEFAULT 0;
ALTER TABLE demand_rollups_month DROP CONSTRAINT demand_rollups_month_pkey;
ALTER TABLE demand_rollups_month ADD PRIMARY KEY (period, dept_id, category_id, shard);
{{else}}
CREATE TABLE table_generations_sharded (
	name  TEXT NOT NULL,
	n     BIGINT NOT NULL DEFAULT 0,
	shard {{BIGINT}} NOT NULL DEFAULT 0,
	PRIMARY KEY (name, shard)
);
INSERT INTO table_generations_sharded (name, n, shard) SELECT name, n, 0 FROM table_generations;
DROP TABLE table_generations;
ALTER TABLE table_generations_sharded RENAME TO table_generations;
CREATE TABLE demand_rollups_day_sharded (
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
	shard            {{BIGINT}} NOT NULL DEFAULT 0,
	PRIMARY KEY (period, dept_id, category_id, shard)
);
INSERT INTO demand_rollups_day_sharded (period, dept_id, category_id, submitted, due_response, accepted_in_time, closed, solved, rated, satisfied, open_count, awaiting, withdrawn, accepted, resolved, response_timed, response_secs, resolution_timed, resolution_secs, overdue, returns, extensions, followup_reached, followup_solved, shard) SELECT period, dept_id, category_id, submitted, due_response, accepted_in_time, closed, solved, rated, satisfied, open_count, awaiting, withdrawn, accepted, resolved, response_timed, response_secs, resolution_timed, resolution_secs, overdue, returns, extensions, followup_reached, followup_solved, 0 FROM demand_rollups_day;
DROP TABLE demand_rollups_day;
ALTER TABLE demand_rollups_day_sharded RENAME TO demand_rollups_day;
CREATE TABLE demand_rollups_month_sharded (
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
	shard            {{BIGINT}} NOT NULL DEFAULT 0,
	PRIMARY KEY (period, dept_id, category_id, shard)
);
INSERT INTO demand_rollups_month_sharded (period, dept_id, category_id, submitted, due_response, accepted_in_time, closed, solved, rated, satisfied, open_count, awaiting, withdrawn, accepted, resolved, response_timed, response_secs, resolution_timed, resolution_secs, overdue, returns, extensions, followup_reached, followup_solved, shard) SELECT period, dept_id, category_id, submitted, due_response, accepted_in_time, closed, solved, rated, satisfied, open_count, awaiting, withdrawn, accepted, resolved, response_timed, response_secs, resolution_timed, resolution_secs, overdue, returns, extensions, followup_reached, followup_solved, 0 FROM demand_rollups_month;
DROP TABLE demand_rollups_month;
ALTER TABLE demand_rollups_month_sharded RENAME TO demand_rollups_month;
{{end}}
