-- Organisation, identity and logs.
CREATE TABLE departments (
	id         {{ID}},
	parent_id  {{BIGINT}} REFERENCES departments(id),
	name       TEXT NOT NULL,
	kind       TEXT NOT NULL,
	path       TEXT NOT NULL DEFAULT '',
	sort       INTEGER NOT NULL DEFAULT 0,
	archived   BOOLEAN NOT NULL DEFAULT FALSE,
	version    {{BIGINT}} NOT NULL DEFAULT 1,
	created_at {{TIMESTAMP}} NOT NULL,
	updated_at {{TIMESTAMP}} NOT NULL
);
CREATE INDEX departments_path ON departments(path);

CREATE TABLE industries (
	id   {{ID}},
	name TEXT NOT NULL UNIQUE,
	sort INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE enterprises (
	id         {{ID}},
	name       TEXT NOT NULL,
	uscc       TEXT NOT NULL UNIQUE,
	industry   TEXT NOT NULL,
	is_key     BOOLEAN NOT NULL DEFAULT FALSE,
	park       TEXT NOT NULL DEFAULT '',
	address    TEXT NOT NULL DEFAULT '',
	legal_rep  TEXT NOT NULL DEFAULT '',
	contacts   TEXT NOT NULL DEFAULT '[]',
	status     TEXT NOT NULL,
	archived   BOOLEAN NOT NULL DEFAULT FALSE,
	version    {{BIGINT}} NOT NULL DEFAULT 1,
	created_at {{TIMESTAMP}} NOT NULL,
	updated_at {{TIMESTAMP}} NOT NULL
);
CREATE INDEX enterprises_archived_name ON enterprises(archived, name);
CREATE INDEX enterprises_archived ON enterprises(archived);
CREATE INDEX enterprises_industry ON enterprises(industry);
CREATE INDEX enterprises_park ON enterprises(park);

CREATE TABLE users (
	id            {{ID}},
	login         TEXT NOT NULL UNIQUE,
	name          TEXT NOT NULL,
	roles         TEXT NOT NULL,
	dept_id       {{BIGINT}} REFERENCES departments(id),
	rank          TEXT NOT NULL DEFAULT '',
	expertise     TEXT NOT NULL DEFAULT '[]',
	phone         TEXT NOT NULL DEFAULT '',
	enterprise_id {{BIGINT}} REFERENCES enterprises(id),
	password_hash TEXT NOT NULL DEFAULT '',
	failed_logins INTEGER NOT NULL DEFAULT 0,
	locked_until  {{TIMESTAMP}},
	last_login_at {{TIMESTAMP}},
	archived      BOOLEAN NOT NULL DEFAULT FALSE,
	version       {{BIGINT}} NOT NULL DEFAULT 1,
	created_at    {{TIMESTAMP}} NOT NULL,
	updated_at    {{TIMESTAMP}} NOT NULL
);
CREATE INDEX users_dept ON users(dept_id);
CREATE INDEX users_enterprise ON users(enterprise_id);

CREATE TABLE sessions (
	id           TEXT PRIMARY KEY,
	user_id      {{BIGINT}} NOT NULL REFERENCES users(id),
	ip           TEXT NOT NULL DEFAULT '',
	user_agent   TEXT NOT NULL DEFAULT '',
	created_at   {{TIMESTAMP}} NOT NULL,
	last_seen_at {{TIMESTAMP}} NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
	id           {{ID}},
	user_id      {{BIGINT}} NOT NULL REFERENCES users(id),
	name         TEXT NOT NULL,
	token_hash   TEXT NOT NULL UNIQUE,
	created_at   {{TIMESTAMP}} NOT NULL,
	expires_at   {{TIMESTAMP}}
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE op_logs (
	id          {{ID}},
	user_id     {{BIGINT}} NOT NULL DEFAULT 0,
	user_name   TEXT NOT NULL DEFAULT '',
	action      TEXT NOT NULL,
	object_type TEXT NOT NULL,
	object_id   {{BIGINT}} NOT NULL DEFAULT 0,
	summary     TEXT NOT NULL DEFAULT '',
	ip          TEXT NOT NULL DEFAULT '',
	at          {{TIMESTAMP}} NOT NULL
);
CREATE INDEX op_logs_at ON op_logs(at);

CREATE TABLE login_logs (
	id         {{ID}},
	login      TEXT NOT NULL,
	user_id    {{BIGINT}} NOT NULL DEFAULT 0,
	success    BOOLEAN NOT NULL,
	reason     TEXT NOT NULL DEFAULT '',
	ip         TEXT NOT NULL DEFAULT '',
	user_agent TEXT NOT NULL DEFAULT '',
	at         {{TIMESTAMP}} NOT NULL
);
CREATE INDEX login_logs_at ON login_logs(at);

INSERT INTO industries (name, sort) VALUES
	('数字经济', 10), ('生物医药', 20), ('光电', 30), ('新材料', 40), ('集成电路', 50),
	('高端装备制造', 60), ('新能源', 70), ('软件和信息服务', 80), ('科技服务', 90), ('现代服务业', 100), ('其他', 999);

-- A generation number per table, bumped by every write to it, so that
-- list totals can be cached until the table changes.
CREATE TABLE table_generations (
	name TEXT PRIMARY KEY,
	n    BIGINT NOT NULL DEFAULT 0
);
INSERT INTO table_generations (name, n) VALUES ('enterprises', 0), ('departments', 0), ('auth', 0);
