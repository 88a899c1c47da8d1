-- A list page reads the newest demands of each enterprise, and of each
-- submitter, by id (demand_walk.go): the enterprise's own list, a
-- cadre's linked enterprises and own filings. Ordered by created_at the
-- indexes could not give them by id, and nothing reads them by time:
-- an enterprise's profile lists its newest by id too.
DROP INDEX demands_enterprise;
CREATE INDEX demands_enterprise ON demands(enterprise_id, id);
DROP INDEX demands_submitter;
CREATE INDEX demands_submitter ON demands(submitter_id, id);
