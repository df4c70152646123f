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
cli-setup = Set up device { $device }
    {"  "}API:        { $api }
    {"  "}tenant:     { $tenant }
    {"  "}event:      { $event }
    {"  "}gate:       { $gate } ({ $mode })
    {"  "}admissions: { $admissions }
    {"  "}sections:   { $sections }
    {"  "}online confirm: { $offline ->
        [yes] off (forced offline)
       *[no] on
    }
cli-setup-all = all
cli-imported = Imported { $name } ({ $event }): { $tickets } tickets, { $admissions } admissions, { $sections } sections.
cli-service-token = a service token
cli-logged-in = Logged in as { $who } for tenant { $tenant } on { $api }. The token is in the OS keychain.
cli-warning = warning: { $warning }
cli-forgot-nothing = No event's data was on this laptop.
cli-forgot = Forgot event { $event }: { $tickets } tickets and { $scans } scans removed from this laptop.
cli-logged-out = { $removed ->
    [yes] Token removed from the keychain.
   *[no] There was no token in the keychain.
} The scan log is kept: { $pending } scans wait to upload after the next login.
cli-events-this-device = {"  "}(this device)
cli-synced-guest-list = Guest list: { $tickets } tickets in { $pages } pages ({ $walks } walks{ $resumed ->
    [yes] , resumed
   *[no] {""}
}).
cli-synced-uploads = Uploads: { $acknowledged } acknowledged, { $conflicts } conflicts, { $rejected } rejected, { $waiting } still waiting.
cli-synced-paused = Uploads paused: { $why }
cli-refreshed = Guest list refreshed: { $tickets } tickets.
cli-refunded = Refunds: { $cancelled } more tickets cancelled.
cli-sync-failed = Sync failed: { $message } (next try in { $seconds } s)
cli-roster-short = Warning: Session Services counts { $expected } guests but sent { $received } ({ $missing } missing); no ticket was taken off the guest list.
cli-demo-folder = Demo data folder: { $folder }
cli-token-prompt = Session Services token:{" "}

## usher peers: doors that see each other.
cli-peers-group = In door group { $hint } (the group's hint; its key stays in the OS keychain).
cli-peers-no-group = Not in a door group: `usher peers create` here, or `usher peers join CODE --at HOST:PORT`.
cli-peers-made = Door group { $hint } ready: its key is in the OS keychain. Other doors join with `usher peers serve --invite` here.
cli-peers-left = Left the door group: its key is gone from the keychain. Scans heard from other doors are kept.
cli-peers-list = Doors pulled from by address: { $doors }
cli-peers-list-empty = none (mDNS only)
cli-peers-heard = Heard from { $gate } ({ $device }): { $scans } scans
cli-peers-joined = Joined the door group of { $door }: set up for event { $event } at gate { $gate }; token handed on: { $token }.
cli-peers-serving = Exchanging scans with the group's doors on { $address } (Ctrl-C stops).
cli-peers-invite = Join code { $code } (valid { $minutes } min): on the new door, `usher peers join { $code } --at THIS-DOOR:{ $port }`.
cli-peers-link = { $door } ({ $address }): { $state }, { $received } scans received
cli-peers-linked = { $doors ->
    [one] 1 door linked
   *[other] { $doors } doors linked
  }
cli-link-connecting = connecting
cli-link-linked = linked
cli-link-unreachable = unreachable
cli-link-not-in-group = not of this group
cli-link-myself = this door
