-- Clock sense: how far this laptop's clock is from Session Services', learned from the `Date`
-- header of its answers (server minus laptop, in ms), and when that was last seen.
ALTER TABLE sync_state ADD COLUMN clock_skew_ms INTEGER;
ALTER TABLE sync_state ADD COLUMN clock_checked_ms INTEGER;
-- The skew a scan was recorded under, while it was over the limit the door shows (the door
-- time is then the server's clock, not the laptop's). NULL: the clock was fine or unknown.
ALTER TABLE scans ADD COLUMN clock_skew_ms INTEGER;
