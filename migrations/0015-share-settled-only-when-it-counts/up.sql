-- A scan is shared again when it is settled only if that changes how other doors decide:
-- a peer scan counts for decisions while it is pending or acknowledged at its door
-- (`usher_core::peers::peer_scans_of`), so "acknowledged" tells them nothing new. Sharing
-- every acknowledgement doubled the exchange, and when the server came back after an outage
-- each door's whole backlog was sent again to every door of the group at once: the doors'
-- new scans then waited seconds behind it (the stadium simulation). A conflict or a refusal
-- is still shared at once, so the other doors stop counting that scan.
DROP TRIGGER scans_are_shared_again_when_settled;
CREATE TRIGGER scans_are_shared_again_when_it_counts_otherwise AFTER UPDATE OF upload ON scans
WHEN new.action IS NOT NULL
 AND (new.upload IN ('PENDING', 'ACKNOWLEDGED')) IS NOT (old.upload IN ('PENDING', 'ACKNOWLEDGED'))
BEGIN
    UPDATE share_clock SET version = version + 1 WHERE id = 1;
    INSERT OR REPLACE INTO shared (scan_seq, version)
    VALUES (new.seq, (SELECT version FROM share_clock WHERE id = 1));
END;
