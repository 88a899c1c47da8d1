-- Oversight: the weights of the cadres' overall score (干部排名) and the
-- monthly bulletins (月度工作通报): a draft per month, the notable cases
-- the dispatcher chose and the leader's commentary, numbered per year
-- and frozen (content) when issued; an index of the demands filed from
-- visits for the cadres' ranking.
CREATE TABLE cadre_weights (
	id         {{BIGINT}} PRIMARY KEY,
	cadence    {{BIGINT}} NOT NULL,
	filing     {{BIGINT}} NOT NULL,
	outcome    {{BIGINT}} NOT NULL,
	version    {{BIGINT}} NOT NULL DEFAULT 1,
	updated_at {{TIMESTAMP}}
);
INSERT INTO cadre_weights (id, cadence, filing, outcome) VALUES (1, 50, 20, 30);

CREATE TABLE bulletins (
	id         {{ID}},
	month      TEXT NOT NULL,
	year       {{BIGINT}} NOT NULL,
	number     {{BIGINT}},
	status     TEXT NOT NULL,
	notable    TEXT NOT NULL DEFAULT '[]',
	commentary TEXT NOT NULL DEFAULT '',
	content    TEXT NOT NULL DEFAULT '',
	created_by {{BIGINT}} REFERENCES users(id),
	issued_by  {{BIGINT}} REFERENCES users(id),
	issued_at  {{TIMESTAMP}},
	version    {{BIGINT}} NOT NULL DEFAULT 1,
	created_at {{TIMESTAMP}} NOT NULL,
	updated_at {{TIMESTAMP}} NOT NULL
);
CREATE UNIQUE INDEX bulletins_month ON bulletins(month);
CREATE UNIQUE INDEX bulletins_number ON bulletins(year, number);

-- The cadres' ranking counts the demands filed from visits in a period.
CREATE INDEX demands_from_visits ON demands(created_at, submitter_id) WHERE channel = 'visit';
