-- Automatic retention: an event's guest list and scan log are forgotten this many days after
-- its entry ends (`usher_core::forget::forget_expired`), once its scans are uploaded.
ALTER TABLE device ADD COLUMN retention_days INTEGER NOT NULL DEFAULT 14
    CHECK (retention_days BETWEEN 1 AND 3650);
