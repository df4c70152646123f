-- The ticket cache, the device settings and the scan log (which is also the upload outbox).
-- Times: `*_ms` columns are Unix milliseconds UTC. Entry windows stay as the API's naive
-- wall-clock text, read in the event's IANA time zone by the verdict engine.

-- One row: this device's configuration.
CREATE TABLE device (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    device_id     TEXT NOT NULL,
    api           TEXT,             -- 'production' | 'sandbox' | a base URL
    tenant_id     TEXT,
    event_id      TEXT,
    gate_name     TEXT NOT NULL DEFAULT 'Main door',
    mode          TEXT NOT NULL DEFAULT 'ENTRY' CHECK (mode IN ('ENTRY', 'EXIT')),
    admission_ids TEXT NOT NULL DEFAULT '[]',  -- JSON array; empty = every admission
    section_ids   TEXT NOT NULL DEFAULT '[]',  -- JSON array; empty = every section
    offline       INTEGER NOT NULL DEFAULT 0,
    updated_ms    INTEGER NOT NULL
);

CREATE TABLE events (
    id              TEXT PRIMARY KEY,
    tenant_id       TEXT NOT NULL,
    api             TEXT NOT NULL,
    name            TEXT NOT NULL,
    slug            TEXT NOT NULL,
    status          TEXT NOT NULL,
    time_zone       TEXT NOT NULL,
    entry_starts_at TEXT,
    entry_ends_at   TEXT,
    synced_ms       INTEGER NOT NULL,  -- when the cache last received the whole event
    raw             TEXT NOT NULL      -- the event as the API sent it (JSON)
);

CREATE TABLE admissions (
    id              TEXT PRIMARY KEY,
    event_id        TEXT NOT NULL REFERENCES events(id),
    name            TEXT NOT NULL,
    section_id      TEXT,
    capacity        INTEGER NOT NULL,
    sort_order      INTEGER NOT NULL,
    entry_starts_at TEXT,
    entry_ends_at   TEXT
);
CREATE INDEX admissions_event ON admissions(event_id);

CREATE TABLE sections (
    id         TEXT PRIMARY KEY,
    event_id   TEXT NOT NULL REFERENCES events(id),
    name       TEXT NOT NULL,
    capacity   INTEGER NOT NULL,
    sort_order INTEGER NOT NULL
);
CREATE INDEX sections_event ON sections(event_id);

-- `seq` is a compact integer key, used by the in-memory guest search (lookup.rs).
CREATE TABLE tickets (
    seq              INTEGER PRIMARY KEY,
    id               TEXT NOT NULL UNIQUE,
    event_id         TEXT NOT NULL,
    order_id         TEXT NOT NULL,
    admission_id     TEXT NOT NULL,
    section_id       TEXT,
    status           TEXT NOT NULL CHECK (status IN ('ACTIVE', 'REDEEMED', 'CANCELLED')),
    first_name       TEXT NOT NULL,
    last_name        TEXT NOT NULL,
    email            TEXT NOT NULL,
    phone            TEXT,
    -- The server's latest scan of this ticket.
    last_scan_kind   TEXT CHECK (last_scan_kind IN ('CHECK_IN', 'CHECK_OUT')),
    last_scan_ms     INTEGER,
    last_scan_device TEXT,
    last_scan_by     TEXT,
    updated_at       TEXT NOT NULL DEFAULT '',
    synced_ms        INTEGER NOT NULL,
    -- When the status above was known to be true: a page's request time, or the time an
    -- upload was acknowledged. An older page never overwrites a newer state.
    state_ms         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX tickets_order ON tickets(order_id);
CREATE INDEX tickets_event_name ON tickets(event_id, last_name COLLATE NOCASE, first_name COLLATE NOCASE);
CREATE INDEX tickets_event_status ON tickets(event_id, admission_id, status);

-- Where a download stands, per slice, so a crash or a dropped connection resumes.
CREATE TABLE sync_progress (
    event_id   TEXT NOT NULL,
    slice      TEXT NOT NULL,            -- 'all' or an admission id
    cursor     TEXT,                     -- the next page's cursor; NULL = from the top
    done       INTEGER NOT NULL DEFAULT 0,
    started_ms INTEGER NOT NULL,         -- when this pass began
    updated_ms INTEGER NOT NULL,
    PRIMARY KEY (event_id, slice)
);

-- The last sync's outcome, for `usher status` and the sync bar (one row).
CREATE TABLE sync_state (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    last_upload_ms INTEGER,
    last_download_ms INTEGER,
    last_error     TEXT,
    last_error_ms  INTEGER,
    paused         TEXT                  -- why uploads are paused (401/403), in plain words
);

-- The scan log: one row per scan, whatever the verdict. It is the app's log and the upload
-- outbox. Rows are never deleted, and what the door decided is never rewritten.
CREATE TABLE scans (
    seq              INTEGER PRIMARY KEY,       -- door order
    id               TEXT NOT NULL UNIQUE,      -- local scan id (UUIDv7)
    idempotency_key  TEXT NOT NULL UNIQUE,      -- sent on every upload attempt
    door_ms          INTEGER NOT NULL,          -- the real door time
    tenant_id        TEXT,
    api              TEXT,
    event_id         TEXT,
    device_id        TEXT NOT NULL,
    gate_name        TEXT NOT NULL,
    mode             TEXT NOT NULL CHECK (mode IN ('ENTRY', 'EXIT')),
    source           TEXT NOT NULL CHECK (source IN ('CAMERA', 'WEDGE', 'MANUAL')),
    payload          TEXT NOT NULL,             -- printable preview of the scanned text
    payload_len      INTEGER NOT NULL,          -- its length in bytes, before truncation
    key              TEXT,                      -- tkt_/ord_ id found in it, if any
    verdict          TEXT NOT NULL,
    verdict_json     TEXT NOT NULL,             -- the whole verdict as shown
    action           TEXT CHECK (action IN ('CHECK_IN', 'CHECK_OUT')),  -- NULL: nothing to upload
    allow_partial    INTEGER NOT NULL DEFAULT 0,
    admission_ids    TEXT NOT NULL DEFAULT '[]',
    section_ids      TEXT NOT NULL DEFAULT '[]',
    upload           TEXT NOT NULL CHECK (upload IN ('NONE', 'PENDING', 'ACKNOWLEDGED', 'CONFLICT', 'REJECTED')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT,
    next_attempt_ms  INTEGER,
    server_scan_id   TEXT,
    server_scanned_at TEXT,
    server_detail    TEXT,                      -- JSON the server explained a conflict/rejection with
    settled_ms       INTEGER,                   -- when the upload reached a final state
    -- Online confirm: what the server made of the door's decision, when it answered in
    -- time, and so what the door showed. Set once; NULL = the cache's verdict was shown.
    online_verdict      TEXT,
    online_verdict_json TEXT,
    CHECK ((action IS NULL) = (upload = 'NONE'))
);
CREATE INDEX scans_pending ON scans(upload, seq) WHERE upload = 'PENDING';

-- Which tickets a scan acts on (one for a ticket code, several for an order).
CREATE TABLE scan_tickets (
    ticket_id TEXT NOT NULL,
    scan_seq  INTEGER NOT NULL REFERENCES scans(seq),
    PRIMARY KEY (ticket_id, scan_seq)
) WITHOUT ROWID;

CREATE TRIGGER scans_are_never_deleted BEFORE DELETE ON scans BEGIN
    SELECT RAISE(ABORT, 'the scan log is append-only: scans are never deleted');
END;
CREATE TRIGGER scan_tickets_are_never_deleted BEFORE DELETE ON scan_tickets BEGIN
    SELECT RAISE(ABORT, 'the scan log is append-only: scans are never deleted');
END;
CREATE TRIGGER scans_online_verdict_is_set_once
BEFORE UPDATE OF online_verdict, online_verdict_json ON scans
WHEN old.online_verdict IS NOT NULL BEGIN
    SELECT RAISE(ABORT, 'what the door decided is never rewritten');
END;
CREATE TRIGGER scans_door_facts_are_immutable
BEFORE UPDATE OF id, idempotency_key, door_ms, tenant_id, api, event_id, device_id, gate_name,
                 mode, source, payload, payload_len, key, verdict, verdict_json, action,
                 allow_partial, admission_ids, section_ids ON scans BEGIN
    SELECT RAISE(ABORT, 'what the door decided is never rewritten');
END;
