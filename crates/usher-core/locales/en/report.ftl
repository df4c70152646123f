# The shift report (usher-core's report.rs builds its words, usher-report draws the page and
# the CSV). The CSV's section and item columns stay these stable names in every language;
# its label and detail columns are in the report's language.
report-title = Shift report: { $event }
report-meta = Event { $event } · gate { $gate } · device { $device } · times in { $zone } · made { $made }.
report-span = Scans from { $from } to { $to }.
report-no-scans = No scans yet.
report-this-door = This door now
report-this-door-note = As usher status counts them.
report-all-doors = All doors
report-all-doors-note = Every gate and device in the scan log.
report-door-heading = { $gate } · device { $device } ({ $mode })
report-mode-ENTRY = entry
report-mode-EXIT = exit
report-arrivals = Arrivals per 5 minutes
report-arrivals-table = Arrivals per 5 minutes, as a table
report-arrivals-axis = Arrivals
report-problems = Conflicts and rejections
report-none = None.
report-problem-head = Ticket or order
report-reconciliation = Reconciliation with Session Services
report-reconciled = { $tickets ->
    [one] { $tickets } ticket this device checked in or out was checked against Session Services' current state: { $agree } agree, { $differ } differ.
   *[other] { $tickets } tickets this device checked in or out were checked against Session Services' current state: { $agree } agree, { $differ } differ.
  }
report-not-reconciled = Not reconciled: { $why }. The { $tickets } tickets this device checked in or out could not be checked against Session Services; everything else in this report is from this laptop's scan log.
report-not-reconciled-unknown = unknown
report-difference-head = Difference
report-difference = This door: { $door }. Session Services: { $server }.
report-limits = The counts are this laptop's scan log: every scan it took, under each gate profile it had. Other laptops' scans are not in it: they appear only where Session Services named them, as the first scan of a conflict and in the reconciliation.

# Row labels: usher status's figures, then each door's.
report-status-scans = Scans in the log
report-status-checked_in = Inside now
report-status-total = Tickets that can enter
report-status-pending_upload = Waiting to upload
report-status-conflicts = Conflicts
report-status-rejected = Rejected by Session Services
report-status-cancelled = Cancelled tickets
report-tally-scans = Scans
report-tally-admits = Admitted
report-tally-re_entries = of them re-entries
report-tally-exits = Exits
report-tally-refused = Refused
report-tally-conflicts = Conflicts
report-tally-rejected = Rejected by Session Services
report-tally-pending = Waiting to upload
report-refused-because = Refused: { $reason }

# Conflicts and rejections.
report-problem-CONFLICT = Conflict at { $at }
report-problem-REJECTED = Rejected at { $at }
report-problem-guest = { $problem }: { $guest }
report-first-scanned = first scanned
report-first-by = by { $who }
report-first-at = at { $at }
report-first-device = on device { $device }
report-rejected-default = refused by Session Services

# The reconciliation's words for each difference.
report-door-scan = { $action } here at { $at } (scan { $seq }, { $upload })
report-action-CHECK_IN = checked in
report-action-CHECK_OUT = checked out
report-state-ACTIVE = not inside (ACTIVE)
report-state-REDEEMED = inside (REDEEMED)
report-state-CANCELLED = cancelled
report-server-last-scan = { $state } since its last scan: { $action } at { $at }
report-server-by = by { $who }
report-server-device = (device { $device })
report-server-no-scan = { $state }, with no scan
report-server-not-asked = not asked about this ticket
report-server-not-found = Session Services does not know this ticket
report-missing-door = scan { $seq } was acknowledged as { $id }
report-missing-server = no such scan in its history; { $server }
report-offline = this door is set to work offline

## Writing the report.
report-not-html = { $path } ends in .csv: give the report an .html name (its CSV is written beside it)
report-csv-write = cannot write the CSV: { $why }
