-- Placeholder in the followup branch for the ladder branch's migration 0012
-- (escalation ladder, supervision orders), which keeps the numbering
-- contiguous here; on merge the ladder branch's file of this name wins.
SELECT 1;
