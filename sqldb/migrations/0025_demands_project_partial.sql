-- Demands raised on a key project are few; the rest have no project_id.
-- The index held an entry for every demand and took an insert with each
-- filing; it now holds only the demands of a project. Every query that
-- reads it compares project_id with a value, which implies IS NOT NULL
-- on both engines.
DROP INDEX demands_project;
CREATE INDEX demands_project ON demands(project_id) WHERE project_id IS NOT NULL;
