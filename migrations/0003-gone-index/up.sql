-- `usher status` (and the window's view, after every scan) counts an event's tickets gone
-- from the roster: a partial index keeps that count to the gone rows, not the whole event.
CREATE INDEX tickets_gone ON tickets(event_id) WHERE gone_ms IS NOT NULL;
