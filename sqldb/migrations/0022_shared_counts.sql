-- Large list totals, shared by the servers of one database and kept
-- across restarts (countcache.go): a server that starts, or another
-- server, serves the total counted last while it counts again in the
-- background, instead of making the first request wait seconds for a
-- count of a million demands. qkey is a SHA-256 of the count's SQL and
-- arguments; gen is the generation it was counted at.
CREATE TABLE shared_counts (
	qkey TEXT PRIMARY KEY,
	gen BIGINT NOT NULL,
	n   BIGINT NOT NULL
);
