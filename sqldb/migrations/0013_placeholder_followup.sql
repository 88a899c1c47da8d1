-- Placeholder keeping the numbers contiguous on branch oversight; the
-- coordinator replaces it with the real migration of this number when merging.
SELECT 1;
