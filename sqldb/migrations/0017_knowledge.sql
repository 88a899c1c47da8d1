-- The knowledge base (知识库): standing answers to questions enterprises
-- ask, kept by a department, reviewed by the command centre; helped
-- counts the answers given without a demand being filed.
CREATE TABLE knowledge_entries (
	id               {{ID}},
	question         TEXT NOT NULL,
	answer           TEXT NOT NULL,
	category_id      {{BIGINT}} REFERENCES categories(id),
	dept_id          {{BIGINT}} REFERENCES departments(id),
	links            TEXT NOT NULL DEFAULT '',
	valid_from       TEXT NOT NULL DEFAULT '',
	valid_to         TEXT NOT NULL DEFAULT '',
	reviewed         BOOLEAN NOT NULL DEFAULT FALSE,
	helped           {{BIGINT}} NOT NULL DEFAULT 0,
	source_demand_id {{BIGINT}} REFERENCES demands(id),
	created_by       {{BIGINT}} REFERENCES users(id),
	version          {{BIGINT}} NOT NULL DEFAULT 1,
	created_at       {{TIMESTAMP}} NOT NULL,
	updated_at       {{TIMESTAMP}} NOT NULL
);
CREATE INDEX knowledge_entries_dept ON knowledge_entries(dept_id, id);

-- Topics (每月一题): a common problem adopted for one lead department's
-- single answer, recorded on each of its demands.
CREATE TABLE topics (
	id           {{ID}},
	title        TEXT NOT NULL,
	month        TEXT NOT NULL,
	lead_dept_id {{BIGINT}} NOT NULL REFERENCES departments(id),
	status       TEXT NOT NULL DEFAULT 'open',
	answer       TEXT NOT NULL DEFAULT '',
	answered_at  {{TIMESTAMP}},
	answered_by  {{BIGINT}} REFERENCES users(id),
	created_by   {{BIGINT}} REFERENCES users(id),
	version      {{BIGINT}} NOT NULL DEFAULT 1,
	created_at   {{TIMESTAMP}} NOT NULL
);
CREATE TABLE topic_demands (
	topic_id  {{BIGINT}} NOT NULL REFERENCES topics(id),
	demand_id {{BIGINT}} NOT NULL REFERENCES demands(id),
	PRIMARY KEY (topic_id, demand_id)
);
CREATE INDEX topic_demands_demand ON topic_demands(demand_id);
