# The `usher` command line's own lines (crates/usher-cli/src/render.rs); its verdicts are the
# door's (door.ftl), its errors errors.ftl's.
cli-error-line = usher: { $message }
cli-no-match = No guest matches.
cli-status-head = { $event } ({ $id }) · gate { $gate } ({ $mode }) · device { $device }
cli-status-no-event = event not in cache
cli-status-counts = checked in: { $in } / { $total }   cancelled: { $cancelled }
cli-status-queue = scans: { $scans }   waiting to upload: { $pending }{ $oldest }   conflicts: { $conflicts }   rejected: { $rejected }
cli-status-oldest = {" "}(oldest { $age })
cli-status-cache = cache: { $age } old
cli-status-cache-never = never
cli-status-stale = {"  "}(WARNING: the guest list is old, sync it)
cli-status-paused = uploads paused: { $why }
cli-status-last-error = last sync error: { $error }
cli-status-warning = WARNING: { $warning }
cli-status-gone = { $count ->
    [one] { $count } ticket is no longer on the guest list
   *[other] { $count } tickets are no longer on the guest list
  }
cli-mode-ENTRY = entry
cli-mode-EXIT = exit
cli-exported = Wrote { $count } scans to { $file }.
cli-diagnostics-saved = Saved diagnostics in { $folder }
cli-language-set = The door speaks { $language } from now on.
cli-language-os = The door follows this computer's language ({ $language }) from now on.
cli-report-saved = Wrote the shift report to { $html } and { $csv }: { $scans } scans, { $admits } admitted, { $pending } waiting to upload; { $checked }.
cli-report-checked = checked against Session Services: { $count ->
    [one] { $count } ticket differs
   *[other] { $count } tickets differ
  }
cli-report-not-checked = not checked against Session Services ({ $why })
