-- demands_unresolved holds the demands whose resolution lapse is still to
-- record (rollup_lapse.go's pendingResLapse): the predicate gained "not
-- paused, not waiting for the enterprise" after the index was made, so
-- every paused or waiting demand past its due time stayed in the index,
-- and the lapse marker and the rates' live part read each one's row to
-- drop it again (26,000 rows, half a second on PostgreSQL at a million
-- demands). The index now has the query's whole predicate.
DROP INDEX demands_unresolved;
CREATE INDEX demands_unresolved ON demands(resolution_due) WHERE is_open AND (resolved_at IS NULL) AND (res_lapsed IS NULL) AND (paused_at IS NULL) AND (status <> 'waiting');
