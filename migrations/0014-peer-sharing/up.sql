-- Doors that see each other (`usher_core::peers`): what this door shares with the doors of
-- its group, and what it received from them.

-- This door's sharing order. Every change a peer should hear of takes the next version: a
-- scan that acts on a ticket when it is recorded, and again when its upload state changes.
-- The counter only grows, so a version is never given twice, even after `forget` deletes
-- scans.
CREATE TABLE share_clock (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO share_clock (id, version) VALUES (1, 0);

-- One row per shared scan, with the version of its latest change: a peer that asks for
-- "everything after version v" gets each scan once, in its latest state.
CREATE TABLE shared (
    scan_seq INTEGER PRIMARY KEY,
    version  INTEGER NOT NULL UNIQUE
);

CREATE TRIGGER scans_are_shared_when_recorded AFTER INSERT ON scans
WHEN new.action IS NOT NULL BEGIN
    UPDATE share_clock SET version = version + 1 WHERE id = 1;
    INSERT INTO shared (scan_seq, version)
    VALUES (new.seq, (SELECT version FROM share_clock WHERE id = 1));
END;
CREATE TRIGGER scans_are_shared_again_when_settled AFTER UPDATE OF upload ON scans
WHEN new.action IS NOT NULL AND new.upload IS NOT old.upload BEGIN
    UPDATE share_clock SET version = version + 1 WHERE id = 1;
    INSERT OR REPLACE INTO shared (scan_seq, version)
    VALUES (new.seq, (SELECT version FROM share_clock WHERE id = 1));
END;
CREATE TRIGGER forgotten_scans_are_no_longer_shared AFTER DELETE ON scans BEGIN
    DELETE FROM shared WHERE scan_seq = old.seq;
END;

-- Scans recorded before this migration are shared too, in door order.
INSERT INTO shared (scan_seq, version)
SELECT seq, ROW_NUMBER() OVER (ORDER BY seq) FROM scans WHERE action IS NOT NULL;
UPDATE share_clock SET version = (SELECT COUNT(*) FROM shared) WHERE id = 1;

-- Scans other doors of the group made, as they last told of them. Never this door's own,
-- never uploaded by this door (the outbox reads only `scans`): each door uploads its own.
-- `version` is the origin door's sharing version of this state; the highest per device is
-- how far this door has heard from it.
CREATE TABLE peer_scans (
    scan_id     TEXT PRIMARY KEY,             -- the origin door's scan id
    device_id   TEXT NOT NULL,                -- the door that made it
    version     INTEGER NOT NULL,
    gate_name   TEXT NOT NULL,
    tenant_id   TEXT,
    api         TEXT,
    event_id    TEXT,
    door_ms     INTEGER NOT NULL,             -- the origin door's time of the scan
    action      TEXT NOT NULL CHECK (action IN ('CHECK_IN', 'CHECK_OUT')),
    verdict     TEXT NOT NULL,
    upload      TEXT NOT NULL CHECK (upload IN ('PENDING', 'ACKNOWLEDGED', 'CONFLICT', 'REJECTED')),
    received_ms INTEGER NOT NULL              -- when this door first heard of it
);
CREATE INDEX peer_scans_by_device ON peer_scans(device_id, version);

-- How far this door has heard from each door: the highest version of its scans kept here
-- (what `peer_scans` holds, kept small so a pull reads one row per door, not every scan).
CREATE TABLE peer_doors (
    device_id TEXT PRIMARY KEY,
    version   INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE peer_scan_tickets (
    ticket_id TEXT NOT NULL,
    scan_id   TEXT NOT NULL REFERENCES peer_scans(scan_id),
    PRIMARY KEY (ticket_id, scan_id)
) WITHOUT ROWID;
-- A scan's tickets, for passing it on.
CREATE INDEX peer_scan_tickets_by_scan ON peer_scan_tickets(scan_id);

-- Doors typed in Setup for networks that block multicast: "host:port", JSON array.
ALTER TABLE device ADD COLUMN peer_list TEXT NOT NULL DEFAULT '[]';
