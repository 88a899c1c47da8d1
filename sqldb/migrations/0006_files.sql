-- Placeholder for the files branch's 0006_files.sql, which replaces it on
-- merge: the outbox (0007) needs the numbers to run 1, 2, … without a gap.
SELECT 1;
