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
