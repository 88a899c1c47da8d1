-- The demands a department takes part in, by id: a list page in a
-- department's scope reads the newest of each department below the
-- actor's from here (demand_walk.go) instead of walking every demand.
CREATE INDEX demand_depts_dept ON demand_depts(dept_id, demand_id);
