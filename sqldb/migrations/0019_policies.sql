-- Policies to enterprises (惠企政策直达) and the enterprise profile (一企一档).
--
-- tags are the administrators' enterprise labels (专精特新, 链主…);
-- enterprise_tags carries them. enterprise_attrs are the attributes
-- policies match on beside the enterprise's own columns.
CREATE TABLE tags (
	id         {{ID}},
	name       TEXT NOT NULL UNIQUE,
	color      TEXT NOT NULL DEFAULT 'blue',
	created_at {{TIMESTAMP}} NOT NULL
);

CREATE TABLE enterprise_tags (
	enterprise_id {{BIGINT}} NOT NULL REFERENCES enterprises(id),
	tag_id        {{BIGINT}} NOT NULL REFERENCES tags(id),
	PRIMARY KEY (enterprise_id, tag_id)
);
CREATE INDEX enterprise_tags_tag ON enterprise_tags(tag_id);

CREATE TABLE enterprise_attrs (
	enterprise_id  {{BIGINT}} PRIMARY KEY REFERENCES enterprises(id),
	employees      {{BIGINT}} NOT NULL DEFAULT 0,
	revenue_band   TEXT NOT NULL DEFAULT '',
	founded_year   {{BIGINT}} NOT NULL DEFAULT 0,
	high_tech      BOOLEAN NOT NULL DEFAULT FALSE,
	chain          TEXT NOT NULL DEFAULT '',
	chain_position TEXT NOT NULL DEFAULT '',
	updated_at     {{TIMESTAMP}} NOT NULL
);

-- The catalogue. rules is the JSON list of eligibility conditions the
-- form edits (zhagen.PolicyRule); auto marks 免申即享.
CREATE TABLE policies (
	id              {{ID}},
	title           TEXT NOT NULL,
	doc_no          TEXT NOT NULL DEFAULT '',
	category        TEXT NOT NULL,
	issuer_dept_id  {{BIGINT}} NOT NULL REFERENCES departments(id),
	handler_dept_id {{BIGINT}} NOT NULL REFERENCES departments(id),
	summary         TEXT NOT NULL,
	body            TEXT NOT NULL DEFAULT '',
	valid_from      TEXT NOT NULL,
	valid_to        TEXT NOT NULL DEFAULT '',
	rules           TEXT NOT NULL DEFAULT '[]',
	benefit_type    TEXT NOT NULL,
	benefit_amount  {{BIGINT}} NOT NULL DEFAULT 0,
	benefit_text    TEXT NOT NULL DEFAULT '',
	auto            BOOLEAN NOT NULL DEFAULT FALSE,
	status          TEXT NOT NULL,
	published_at    {{TIMESTAMP}},
	version         {{BIGINT}} NOT NULL DEFAULT 1,
	created_at      {{TIMESTAMP}} NOT NULL,
	updated_at      {{TIMESTAMP}} NOT NULL
);
CREATE INDEX policies_status ON policies(status, category);

-- Each enterprise matched to a policy, once: matching inserts with ON
-- CONFLICT DO NOTHING and only the inserter tells anyone. explained_at
-- is set when a linked cadre logs the next visit.
CREATE TABLE policy_matches (
	policy_id        {{BIGINT}} NOT NULL REFERENCES policies(id),
	enterprise_id    {{BIGINT}} NOT NULL REFERENCES enterprises(id),
	reason           TEXT NOT NULL,
	matched_at       {{TIMESTAMP}} NOT NULL,
	explained_at     {{TIMESTAMP}},
	explained_visit  {{BIGINT}},
	PRIMARY KEY (policy_id, enterprise_id)
);
CREATE INDEX policy_matches_enterprise ON policy_matches(enterprise_id, explained_at);

-- Redemption (政策兑现): one application per enterprise and policy.
CREATE TABLE policy_applications (
	id               {{ID}},
	policy_id        {{BIGINT}} NOT NULL REFERENCES policies(id),
	enterprise_id    {{BIGINT}} NOT NULL REFERENCES enterprises(id),
	dept_id          {{BIGINT}} NOT NULL REFERENCES departments(id),
	auto             BOOLEAN NOT NULL DEFAULT FALSE,
	status           TEXT NOT NULL,
	amount_requested {{BIGINT}} NOT NULL DEFAULT 0,
	amount_approved  {{BIGINT}} NOT NULL DEFAULT 0,
	amount_paid      {{BIGINT}} NOT NULL DEFAULT 0,
	note             TEXT NOT NULL DEFAULT '',
	decision         TEXT NOT NULL DEFAULT '',
	stage_due        {{TIMESTAMP}},
	applicant_name   TEXT NOT NULL DEFAULT '',
	paid_at          {{TIMESTAMP}},
	file_count       {{BIGINT}} NOT NULL DEFAULT 0,
	version          {{BIGINT}} NOT NULL DEFAULT 1,
	created_at       {{TIMESTAMP}} NOT NULL,
	updated_at       {{TIMESTAMP}} NOT NULL
);
CREATE UNIQUE INDEX policy_applications_once ON policy_applications(policy_id, enterprise_id);
CREATE INDEX policy_applications_dept ON policy_applications(dept_id, status);
CREATE INDEX policy_applications_enterprise ON policy_applications(enterprise_id);

CREATE TABLE policy_app_events (
	id             {{ID}},
	application_id {{BIGINT}} NOT NULL REFERENCES policy_applications(id),
	from_status    TEXT NOT NULL,
	to_status      TEXT NOT NULL,
	actor_name     TEXT NOT NULL DEFAULT '',
	note           TEXT NOT NULL DEFAULT '',
	at             {{TIMESTAMP}} NOT NULL
);
CREATE INDEX policy_app_events_app ON policy_app_events(application_id, id);
