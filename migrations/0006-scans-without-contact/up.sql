-- Scan rows keep what the door decided (ticket, verdict, name, admission), not how to reach
-- the guest: verdicts recorded before this kept the attendee's email and phone in
-- `verdict_json` and `online_verdict_json`. They are removed here, wherever an attendee sits
-- in the verdict (a ticket's, or each line of an order's). This is the one rewrite of what
-- the door decided: the triggers that forbid it are dropped for it and created again as they
-- were.
DROP TRIGGER scans_door_facts_are_immutable;
DROP TRIGGER scans_online_verdict_is_set_once;

CREATE TEMP TABLE contact_paths AS
SELECT s.seq AS seq, 'v' AS col, t.fullkey AS path
FROM scans s, json_tree(s.verdict_json) t
WHERE t.key IN ('email', 'phone') AND t.path LIKE '%.attendee'
UNION ALL
SELECT s.seq, 'o', t.fullkey
FROM scans s, json_tree(s.online_verdict_json) t
WHERE s.online_verdict_json IS NOT NULL
  AND t.key IN ('email', 'phone') AND t.path LIKE '%.attendee';

-- json_remove one path at a time, folded per row by a recursive query.
CREATE TEMP TABLE contact_fixed AS
WITH RECURSIVE
  numbered(seq, col, n, path) AS (
    SELECT seq, col, row_number() OVER (PARTITION BY seq, col ORDER BY path), path
    FROM contact_paths
  ),
  folded(seq, col, n, doc) AS (
    SELECT DISTINCT p.seq, p.col, 0,
           CASE p.col WHEN 'v' THEN s.verdict_json ELSE s.online_verdict_json END
    FROM contact_paths p JOIN scans s ON s.seq = p.seq
    UNION ALL
    SELECT f.seq, f.col, f.n + 1, json_remove(f.doc, x.path)
    FROM folded f JOIN numbered x ON x.seq = f.seq AND x.col = f.col AND x.n = f.n + 1
  )
SELECT seq, col, doc FROM folded f
WHERE n = (SELECT max(n) FROM folded g WHERE g.seq = f.seq AND g.col = f.col);

UPDATE scans SET verdict_json = (SELECT doc FROM contact_fixed c WHERE c.seq = scans.seq AND c.col = 'v')
WHERE seq IN (SELECT seq FROM contact_fixed WHERE col = 'v');
UPDATE scans SET online_verdict_json = (SELECT doc FROM contact_fixed c WHERE c.seq = scans.seq AND c.col = 'o')
WHERE seq IN (SELECT seq FROM contact_fixed WHERE col = 'o');
DROP TABLE contact_fixed;
DROP TABLE contact_paths;

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
