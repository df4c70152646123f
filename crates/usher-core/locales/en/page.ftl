# The window's page (message ids without a prefix; the CLI's are cli-…, the door's in door.ftl): its static text (ui/index.html: data-i18n="id", data-i18n-placeholder,
# data-i18n-title) and the sentences its modules set (ui/i18n.js: t("id", { name: value })).
# The page gets these resolved for the current language from the shell's `page_texts`; a
# variable the page fills in itself stays as { $name } here. Anything with a count that needs
# a plural is better worded in Rust (door.ftl, cli.ftl).

## Navigation and top bar.
nav-scan = Scan
nav-lookup = Lookup
nav-activity = Activity
nav-health = Health
nav-setup = Setup
count-in = In
sound-on = Sound on
sound-off = Muted
sound-mute-title = Press to mute verdict sounds
sound-unmute-title = Sounds are off: press to turn them on
online = Online
offline = Offline
online-title = Connected to Session Services
offline-title = No connection: scans are decided from the guest list on this device and uploaded later
waiting-to-upload = waiting to upload
door-demo = DEMO
door-exit = { $gate } (exit)
door-cache-only = cache only
upload-problems = upload problems: { $count }
uploads-paused = Uploads paused: { $why }
oldest-pending = oldest { $age }
guest-list-age = guest list { $age } old
guest-list-stale = (old!)
no-guest-list = no guest list yet
open-setup = Open Setup
downloaded = Guest list downloaded: { $rows } guests
downloading = Downloading guest list: { $rows } guests
downloading-of = Downloading guest list: { $rows } of { $expected } guests

## Ages the page ticks on by itself (the core's door.ftl words the same).
page-age-seconds = { $n } s
page-age-minutes = { $n } min
page-age-hours = { $h } h { $m } min
page-age-days = { $n } d

## Welcome.
welcome-lead = This door is not set up yet.
welcome-locked = The guest list is locked.
try-demo = Try the demo
setup-real = Set up a real door
demo-starting = Starting the demo…
demo-starting-long = Starting the demo… downloading the demo guest list.
data-folder = Data folder: { $folder }

## Scan screen.
ready = READY
ready-detail = Scan a ticket, or type a code below and press Enter.
not-ready = NOT READY
admit-rest = Admit the rest
admitting = Admitting…
camera-preview = Camera preview
manual-label = Type a code, then Enter
manual-placeholder = tkt_… or ord_…
demo-tag = Demo
demo-show-ticket = Hold up a demo ticket
demo-showing = Holding up a demo ticket to the camera…
demo-cut = Cut the network
demo-restore = Restore the network
demo-cut-done = Network cut: the door keeps working from the guest list on this device.
demo-restore-done = Network restored: waiting scans will upload.
demo-save-tickets = Save printable tickets
demo-saved = Saved { $count } printable tickets in: { $folder }
something-wrong = Something went wrong. Try again.

## Lookup.
lookup-title = Find a guest
lookup-label = Name, email, phone, ticket or order
lookup-placeholder = Start typing…
check-in = Check in
check-out = Check out
checking-in = Checking in…
checking-out = Checking out…

## Activity.
activity-title = Activity on this door
undo-last = Undo last check-in
upload-problems-title = Upload problems
recent-scans = Recent scans
no-scans = No scans on this door yet.
undone = Undone: { $who } is checked out again. The check-out will be uploaded.
undone-guest = the guest
nothing-to-undo = Nothing to undo: this door has no check-in to take back.

## Door health.
health-title = Door health
health-spm = Scans per minute (last 5 min)
health-decision = Decision time
health-enter = Enter to verdict
health-pending = Waiting to upload
health-oldest = Oldest waiting
health-cache-age = Guest list age
health-camera = Camera
health-network = Network
health-pace = Pace, last 30 minutes (scans per minute)
health-no-scans = No scans yet
health-save-diagnostics = Save diagnostics
saved-in = Saved in: { $folder }
search-index-error = Guest search index: { $why }

## Setup.
setup-title = Set up this door
language = Language
language-os = As this computer ({ $language })
door-pin = Door PIN
unlock-setup = Unlock Setup
step-account = 1. Account
environment = Environment
env-production = Production
env-sandbox = Sandbox
env-custom = Custom URL
api-address = API address
tenant-id = Tenant id
api-token = API token (scanning)
check-token = Check the token
checking = Checking…
step-event = 2. Event and gate
event = Event
gate-name = Gate name
direction = Direction
direction-entry = Entry: check people in
direction-exit = Exit: check people out
admissions-here = Admissions this gate lets in
sections-here = Sections this gate lets in
guest-lookup = Guest lookup
guest-lookup-note = Staff can search the guest list by name, email or phone at this door
offline-label = Offline
offline-note = Decide every scan from the cache (do not ask the server)
forget-after = Forget after
forget-after-note = days after the event's entry ends (its guest list and scans leave this laptop)
pin-placeholder = 4 to 12 digits (blank: keep the current one)
setup-finish = Download the guest list and open the door
step-forget = 4. Forget this event
forget-note = Removes this event's guest list and scan log from this laptop. Refused while scans wait to upload.
forget-event = Forget this event
export-pending = Save the waiting scans to a file
forget-confirm = Forget this event's guest list and scan log on this laptop?
forgot = Forgot event { $event }: { $tickets } tickets and { $scans } scans removed.
saved-waiting = Saved the waiting scans to { $folder }
not-set-up = This door is not set up yet.
type-api = Type the API address.
type-tenant = Type the tenant id.
paste-token = Paste the API token.
choose-event = Choose the event first.
tick-admission = Tick at least one admission this gate lets in.
tick-section = Tick at least one section this gate lets in.
no-events = No events found for this tenant
no-admissions = This event has no admissions.
no-sections = This event has no sections.
downloading-list = Downloading the guest list…
setup-done = Done. The door is open.

## More of the top bar, Door health, lookup and Setup.
synced = synced { $time }
not-synced = not synced yet
about = About:
last-ms = last { $ms }
none-waiting = none waiting
no-usb-scan = no USB scan yet
retention = An event's guest list and scans are forgotten { $days } days after its entry ends.
no-match = No guest matches.
guests-found = guests: { $count }
setup-now = Now: { $door }
setup-gate-entry = gate { $gate } (entry)
setup-gate-exit = gate { $gate } (exit)
setup-tenant = tenant { $tenant }
service-token = a service token (no person)
token-accepted = Token accepted: { $who }.
able-all = Appears able to scan tickets for every event listed
able-some = Appears able to scan tickets for { $able } of { $events } events
able-unknown = Scan permission could not be confirmed from the token's listed permissions; the first check-in will tell.
event-entry = entry { $when }
token-denies = token denies scanning
scan-unconfirmed = scan permission not confirmed
main-door = Main door

## Screen readers' names of the page's regions.
aria-screens = Screens
aria-checked-in = Checked in
aria-checked-in-per-admission = Checked in per admission
aria-scan = Scan
aria-camera-and-entry = Camera and manual entry
aria-pace-chart = Scans per minute over the last 30 minutes

## Door health's shift report (health.js).
health-save-report = Save shift report
report-saved = Saved: { $html } and { $csv }; { $checked }.
report-checked = checked against Session Services: { $count } differ
report-not-checked = not checked against Session Services ({ $why })

## Setup's USB scanner section (scanner.js): the calibration code.
step-scanner = 5. USB scanner
scanner-note = USB scanner set to a keyboard layout other than US? Click outside any field, then scan this code with it.
scanner-qr-alt = Calibration code for USB scanners
scanner-forget = Forget scanner layout (back to US)
scanner-layout-us = Scanner layout: US keyboard (the default).
scanner-layout-taught = Scanner layout: { $name } layout, taught by the calibration code.
scanner-layout-taught-own = Scanner layout: a layout of its own, taught by the calibration code.
scanner-layout-warning = Scanner layout: US. { $warning }.
scanner-layout-not-loaded = Scanner layout: not loaded ({ $why }); scanners are read as the OS types them.
scanner-learning = Learning the scanner's layout…
scanner-taught = Scanner taught: { $name } layout detected.
scanner-taught-own = Scanner taught: a layout of its own learned.
scanner-then-again = { $why }, then scan the calibration code again.
scanner-error = { $why }.
scanner-forgotten = Scanner layout forgotten: scanners are read as US keyboards.

## Kiosk mode (kiosk.js): Setup's switch and the close dialog.
step-kiosk = Kiosk mode
kiosk-note = For a tablet or a screen at the door: full screen with no window frame, the screen kept awake while the door is open, and closing Usher asks for the door PIN.
kiosk-switch = Kiosk mode on this door
kiosk-pin = Door PIN
kiosk-pin-placeholder = needed when the door has none (blank: keep it)
kiosk-apply = Apply kiosk mode
kiosk-quit = Close Usher
kiosk-is-on = Kiosk mode is on: full screen, the screen kept awake, and closing asks for the door PIN.
kiosk-is-off = Kiosk mode is off.
kiosk-close-title = Close Usher?
kiosk-close-note = This door is in kiosk mode: closing needs the door PIN.
kiosk-keep-open = Keep the door open
kiosk-waiting-unknown = How many scans wait to upload could not be read.
kiosk-waiting-none = No scans wait to upload.
kiosk-waiting-one = 1 scan waits to upload: closing keeps it on this laptop, and it uploads the next time Usher runs online.
kiosk-waiting-many = { $count } scans wait to upload: closing keeps them on this laptop, and they upload the next time Usher runs online.
kiosk-type-pin = Type the door PIN to close Usher.
kiosk-closing = Closing…
kiosk-stays-open = { $why } Usher stays open.

## Doors that see each other: the sync bar, Door health, Setup's door group.
doors-linked-one = 1 door linked
doors-linked-many = { $count } doors linked
health-door-group = Door group
door-group-off = This door is in no door group (Setup → Door group).
door-group-starting = Starting to share scans with the door group…
door-group-on = { $linked } linked · listening at { $at } · { $refused } refused handshakes (wrong group key)
door-group-failed = Scans are not shared: { $why }
door-group-no-peers = No other door heard yet.
peer-name = Door
peer-state = State
peer-last-heard = Last heard
peer-lag = Lag
peer-received = Scans received
link-connecting = connecting
link-linked = linked
link-unreachable = unreachable
link-not-in-group = not of this group
link-myself = this door
peer-never = never
step-door-group = Door group
door-group-note = Doors of one group share their scans over the venue network while Session Services is out of reach. The first door creates the group; every other door joins with its code.
door-group-none = This door is in no door group.
door-group-in = In door group { $hint }.
door-group-create = Create a door group
door-group-leave = Leave the door group
door-group-leave-confirm = Leave the door group? This door stops sharing scans with the others.
door-group-with-token = Hand this door's token on with the code (straight into the new door's keychain)
door-group-invite = Show a join code
door-group-qr-alt = Join QR code for a new door
door-group-code = Join code: { $code } (open { $minutes } min)
door-group-addresses = This door's address: { $addresses }
door-group-join-title = Join a door group
door-group-join-code = Join code or QR text
door-group-join-note = Click the field and scan the first door's join QR code with the USB scanner, or type its code and address.
door-group-join-at = First door's address
door-group-join-gate = This door's gate name
door-group-join = Join the door group
door-group-joining = Joining…
door-group-joined-open = Joined. The guest list is downloaded and the door is open.
door-group-joined-token = Joined. This door has the group's set-up: check a token in 1. Account to open it.
door-group-peers = Doors by address
door-group-peers-note = For networks that block discovery: one door per line, as host:port.
door-group-peers-save = Save the list
door-group-peers-saved = The list is saved.
