-- Upload and online confirm keep to door order by asking, for each candidate scan, whether an
-- earlier scan of one of its tickets is still pending (`scanlog::FIRST_IN_LINE`). That
-- starts from the candidate's own tickets: without this index each candidate read the whole
-- table, and a backlog of 10,000 scans made every upload round slow.
CREATE INDEX scan_tickets_by_scan ON scan_tickets(scan_seq);
