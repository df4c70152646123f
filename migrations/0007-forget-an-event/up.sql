-- Forgetting an event (`usher forget`): its guest list and its scan log leave the laptop once
-- every scan has reached the server. That is the one exception to the append-only scan log,
-- and only inside `forget`'s own transaction, which marks itself here first. A scan still
-- waiting to upload can never be deleted, marked or not.
CREATE TABLE forgetting (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    event_id   TEXT NOT NULL,
    started_ms INTEGER NOT NULL
);

DROP TRIGGER scans_are_never_deleted;
DROP TRIGGER scan_tickets_are_never_deleted;
CREATE TRIGGER scans_are_never_deleted BEFORE DELETE ON scans
WHEN NOT EXISTS (SELECT 1 FROM forgetting WHERE event_id = old.event_id)
     OR old.upload = 'PENDING' BEGIN
    SELECT RAISE(ABORT, 'the scan log is append-only: scans are never deleted');
END;
CREATE TRIGGER scan_tickets_are_never_deleted BEFORE DELETE ON scan_tickets
WHEN NOT EXISTS (SELECT 1 FROM forgetting f JOIN scans s ON s.event_id = f.event_id
                 WHERE s.seq = old.scan_seq AND s.upload <> 'PENDING') BEGIN
    SELECT RAISE(ABORT, 'the scan log is append-only: scans are never deleted');
END;
