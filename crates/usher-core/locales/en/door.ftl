# The door's words: verdicts, reasons, the previous scan, the small print, orders, lookup and
# activity rows (usher-core's look.rs). Every message here must also be in every other
# language's door.ftl, with the same variables (a unit test checks).

## Verdict headlines, by verdict name.
headline-ADMIT = ADMIT
headline-ALREADY_CHECKED_IN = ALREADY IN
headline-CANCELLED = CANCELLED
headline-NOT_FOUND = NOT FOUND
headline-WRONG_EVENT = WRONG EVENT
headline-NOT_FOR_THIS_GATE = NOT FOR THIS GATE
headline-TOO_EARLY = TOO EARLY
headline-ENTRY_CLOSED = ENTRY CLOSED
headline-ORDER = ORDER
headline-CHECKED_OUT = CHECKED OUT
headline-NOT_CHECKED_IN = NOT CHECKED IN
headline-NOT_A_TICKET_CODE = NOT A TICKET

## Reasons.
reason-empty = Nothing was scanned.
reason-too-long = The scanned text is { $bytes } bytes long; a ticket code is far shorter.
reason-no-ticket-id = The scanned text holds no ticket or order id.
reason-not-found = { $order ->
    [yes] This order
   *[no] This ticket
  } { $gone ->
    [yes] { $age ->
        [none] is no longer on the guest list.
       *[other] is no longer on the guest list (downloaded { $age } ago).
      }
   *[no] { $age ->
        [none] is not in the guest list, which was never downloaded.
       *[other] is not in the guest list downloaded { $age } ago.
      }
  }
reason-wrong-event = { $order ->
    [yes] This order
   *[no] This ticket
  } is for another event ({ $event }).
reason-cancelled = This ticket was cancelled.
reason-admission-not-here = { $admission } tickets do not enter at { $gate }.
reason-section-not-here = Section { $section } does not enter at { $gate }.
reason-no-section = (none)
reason-already-in = Already checked in.
reason-already-in-at = Already checked in: { $previous }.
reason-opens = Entry opens { $when }.
reason-closed = Entry closed { $when }.
reason-not-checked-in = This ticket is not checked in.
reason-order-nothing = Order of { $tickets }: { $in } already in, nothing to { $exit ->
    [yes] check out
   *[no] admit
  }.
reason-order-confirm = Order of { $tickets }: { $in } already in. Confirm to admit the other { $admitting }.
reason-order-acting = Order of { $tickets }: { $in } already in, { $exit ->
    [yes] checking out
   *[no] admitting
  } { $admitting }.

## The previous scan: "Checked in 19:42 by Sam Lee (this door)".
prior = { $kind ->
    [out] Checked out
   *[in] Checked in
  } { $time }
prior-by = by { $by }
prior-at-door = at { $door }
prior-this-door = (this door)
prior-device = (device { $device })
never-scanned = Never scanned
scanned = Scanned: { $text }
cache-age = Guest list on this device is { $age } old

## The small print.
source-WEDGE = USB scanner
source-MANUAL = typed
source-CAMERA = camera
decided-online = confirmed with the server
decided-here = decided on this device
same-scan = same scan, shown again
list-age = guest list { $age } old
last = Last: { $line }

## Ages: "45 s", "12 min", "3 h 05 min", "2 days".
age-seconds = { $n } s
age-minutes = { $n } min
age-hours = { $h } h { $m } min
age-days = { $n ->
    [one] { $n } day
   *[other] { $n } days
  }

## An order.
order-summary = { $tickets ->
    [one] { $tickets } ticket
   *[other] { $tickets } tickets
  } · { $in } already in · { $confirm ->
    [yes] { $admitting } to admit
   *[no] admitting { $admitting }
  }
order-confirm = Admit the rest ({ $admitting })

## Upload states, as the activity list says them.
upload-NONE = no upload needed
upload-PENDING = waiting to upload
upload-ACKNOWLEDGED = uploaded
upload-CONFLICT = conflict
upload-REJECTED = rejected
problem-CONFLICT = Conflict
problem-REJECTED = Rejected
action-check-in = check-in
action-check-out = check-out

## Lookup badges.
badge-cancelled = Cancelled
badge-inside = Inside
badge-out = Checked out
badge-waiting = Not in yet
no-name = (no name)

## The camera's state, on the scan screen (usher-camera's `CameraState`). The USB scanner and
## typed codes work in every state: each sentence says so where the camera is out.
camera-STARTING = Starting the camera…
camera-LIVE = Camera ready.
camera-NO_CAMERA = No camera found. Scan with the USB scanner or type the code.
camera-BUSY = The camera is in use by another program. Close it, or scan with the USB scanner.
camera-PERMISSION_DENIED = Usher is not allowed to use the camera. Allow camera access in the system settings.
camera-UNPLUGGED = The camera was unplugged. Plug it back in: scanning resumes by itself.
camera-ENDED = No more frames.
camera-FAILED = The camera stopped working ({ $why }). Retrying…

## Kiosk mode's keep-awake, as Door health says it (usher-station's awake.rs).
awake-asking = Kiosk mode: asking to keep the screen awake…
awake-held = Kiosk mode: the screen is kept awake while the door is open.
awake-held-partly = Kiosk mode: the screen is kept awake while the door is open (the computer may still go idle or sleep: { $why }).
awake-failed = Kiosk mode: the screen could NOT be kept awake ({ $why }). Turn the computer's screen blanking off in its own settings.

## Door health's sentences (usher-core's status, the station's token state).
clock-off = This laptop's clock is { $amount } { $unit ->
    [days] days
    [hours] h
   *[minutes] min
} { $way ->
    [fast] fast
   *[slow] slow
}: set it right in the system settings.
roster-shortfall = The last download received { $shortfall } fewer guests than Session Services counts; no ticket was taken off the guest list, and the next refresh tries again.
token-state-missing = There is no Session Services token on this device: scans are decided from the guest list and kept. Open Setup and check a token to upload them.
token-state-locked = The keychain is locked ({ $why }): scans are decided from the guest list and kept. Unlock it (log in to this computer's desktop session) and uploads start by themselves.
token-state-unavailable = The keychain cannot be read ({ $why }): scans are decided from the guest list and kept. Usher keeps asking it; if this stays, open Setup and check the token again.
encryption-on = The guest list on this laptop is encrypted; its key is in the OS keychain.
encryption-off = The guest list on this laptop is NOT encrypted ({ $why }). Run set-up again with the OS keychain unlocked to encrypt it.
encryption-no-key-made = no key was made for it at set-up
encryption-demo = The demo's made-up guest list is not encrypted.

## What a checked token's listed permissions suggest (Setup, `usher login`).
access-scan-yes = This token appears able to scan { $event }.
access-scan-denied = This token's permissions deny scanning { $event }: check-ins will most likely be refused (403). Ask for a SCANNING token for this event.
access-scan-unconfirmed = This token's scan permission for { $event } could not be confirmed; the first check-in will tell.
access-read-denied = Its permissions deny reading tickets: the guest list will most likely not download.
access-read-unconfirmed = Reading the guest list could not be confirmed; the first download will tell.
access-administrator = administrator
access-team-owner = team owner
access-broad = This token can do much more than scan ({ $what }). A door laptop should hold a SCANNING-scoped token: if this laptop is lost, so is that access.
access-malformed = Some permissions could not be read and were ignored: { $permissions }.
access-service-token = This token belongs to no person (a service token): scans will show no staff name on the server.
