-- When the minute jobs (SLA levels, escalation ladder) next have to look
-- at a demand (zhagen.NextWatch): they read the demands whose time has
-- come instead of every open demand each minute. NULL: nothing will come
-- while the demand stays as it is. Open demands start due, so the first
-- run looks at each once and sets its time.
ALTER TABLE demands ADD COLUMN watch_at {{TIMESTAMP}};
UPDATE demands SET watch_at = created_at WHERE is_open = TRUE;
CREATE INDEX demands_watch ON demands(watch_at) WHERE watch_at IS NOT NULL;
