-- Indexes for the pages each role opens from its menu, measured at a
-- million demands (zhagen bench pages).
--
-- The bell on every page counts the caller's unread messages: the index
-- holds only unread ones, so the count reads no table row.
CREATE INDEX notifications_unread ON notifications(user_id) WHERE read_at IS NULL;
-- The dispatch board's and the workbench's overdue panels: open demands
-- of one light, earliest due first, counted from the index alone.
CREATE INDEX demands_open_level ON demands(is_open, sla_level, resolution_due, id);
-- Demands with an extension: a few among the open ones.
CREATE INDEX demands_extension ON demands(is_open, resolution_due, id) WHERE extension_days > 0;
-- The supervision page and the workbench list the orders not closed by
-- reply due time, then the closed ones (supervision_open_due).
CREATE INDEX supervision_open ON supervision_orders(reply_due, id) WHERE status <> 'closed';
