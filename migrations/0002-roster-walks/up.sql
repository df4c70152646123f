-- The guest list downloaded by alpha-bucket walks (`usher-sync`'s download.rs), with a
-- completeness check and tickets that left the roster.

-- Replaced by roster_passes and roster_walks: a pass left half-way under the old plan simply
-- starts again.
DROP TABLE sync_progress;

-- The last download pass that received this ticket on the roster (roster_passes.pass).
ALTER TABLE tickets ADD COLUMN roster_pass INTEGER NOT NULL DEFAULT 0;
-- When a complete pass, whose count matched the server's index, did not receive this ticket:
-- it is no longer on the guest list. NULL while it is. The row is kept (this device's scans
-- of it may still be waiting for upload).
ALTER TABLE tickets ADD COLUMN gone_ms INTEGER;

-- One row per event: its current (or last) download pass.
CREATE TABLE roster_passes (
    event_id     TEXT PRIMARY KEY,
    pass         INTEGER NOT NULL,   -- counts up; stamped on each ticket received
    plan         TEXT NOT NULL,      -- 'anchors' (alpha buckets) or 'admissions' (no index)
    started_ms   INTEGER NOT NULL,
    finished_ms  INTEGER,            -- NULL while the pass is under way
    expected     INTEGER,            -- rows the index counted when the pass began
    received     INTEGER,            -- distinct tickets the pass received
    shortfall    INTEGER,            -- rows counted but never received (NULL: not checked)
    gone         INTEGER             -- tickets the pass found gone from the roster
);

-- Where each walk of the current pass stands, saved with its page in one transaction.
CREATE TABLE roster_walks (
    event_id  TEXT NOT NULL,
    walk      TEXT NOT NULL,         -- slice and bucket, e.g. '*/B' or 'adm_…/*'
    start_id  TEXT,                  -- the walk's first row, once its first page is in
    cursor    TEXT,                  -- the next page; NULL: from the bucket's anchor (or top)
    done      INTEGER NOT NULL DEFAULT 0,
    rows      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (event_id, walk)
);
