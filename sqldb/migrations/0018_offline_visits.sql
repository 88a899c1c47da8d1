-- Offline visits (离线走访): a visit sent from a phone's queue carries the
-- idempotency key the phone drew for it, so a retry after a dropped
-- connection finds the visit it already created instead of writing a
-- second one (INSERT … ON CONFLICT DO NOTHING on this unique index; NULL
-- for visits written otherwise). The optional GPS check-in taken at the
-- start of the visit is kept as JSON (lat, lng, accuracy in metres, at).
ALTER TABLE visits ADD COLUMN idempotency_key TEXT;
ALTER TABLE visits ADD COLUMN checkin TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX visits_idempotency ON visits(idempotency_key);
