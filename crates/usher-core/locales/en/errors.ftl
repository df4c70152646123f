# Errors the window and the command line show. `error-CODE` is an error's sentence by its
# stable code (usher-core's `Error::code`, usher-sync's, the station's and the shell's); the
# other messages are the specifics an error names (`$detail`), each worded here whole. What
# comes from someone else (the OS, SQLite, a parser, Session Services) arrives as a variable
# and is quoted as it was said.
error-DATA_DIR = cannot use the data folder { $path }: { $os }
error-CORRUPT_CACHE = the local database { $path } is damaged or is not an Usher database ({ $detail }). Nothing was changed; move the file aside and run `usher import` or `usher sync` to rebuild the cache
error-CACHE_LOCKED = the guest list is locked: { $detail }. Its key is kept in this computer's keychain: unlock the keychain (log in to the desktop session as the user who set up this door) and start Usher again. Nothing was changed, and no scan is lost
error-READ_ONLY = the local database is read-only or its folder cannot be written ({ $detail })
error-NOT_SET_UP = this device is not set up: run `usher setup --api … --tenant … --event …` first
error-EVENT_NOT_CACHED = the cache holds no data for event { $event }: run `usher import FILE` (or `usher sync`) first
error-INVALID_CONFIG = { $detail }
error-IMPORT_REFUSED = import refused, the cache is unchanged: { $detail }
error-REFUSED = { $detail }
error-WRONG_PIN = wrong PIN: { $left } more tries before Setup locks for a minute
error-PIN_LOCKED_OUT = Setup is locked after five wrong PINs: try again in { $seconds } s
error-SETUP_LOCKED = Setup is locked: enter the door PIN first
error-CALIBRATION_MISMATCH = the scanner was not taught: { $detail }
error-DATABASE = the local database failed: { $detail }
error-IO = { $detail }: { $os }
error-OFFLINE = { $detail }
error-BAD_ANSWER = { $detail }
error-BUSY = { $detail }
error-AUTH = { $detail }
error-CONFLICT = { $detail }
error-REJECTED = { $detail }
error-TOKEN = { $detail }
error-NOT_OPEN = the door is not open: set it up or start the demo first
error-NOTHING_TO_UNDO = there is no check-in on this device to undo
error-NOT_DEMO = only the demo can do that
error-NOT_SHARING = this door is not sharing with a door group now: create or join one in Setup, or wait until Door health shows it sharing
error-INTERNAL = { $detail }

## Someone else's words, as they were said.
quoted = { $words }

## Settings and arguments (INVALID_CONFIG).
config-language = unknown language { $tag }: use one of { $known }
config-base-url = { $url } is not a usable base URL: { $why }
config-api = unknown API { $api }: use prod, sandbox, or a URL starting with http:// or https://
config-id = { $what ->
    [tenant] tenant
    [event] event
    [admission] admission
   *[section] section
} { $value } is not a { $prefix }_… id
config-gate-name = the gate needs a name
config-stored-damaged = the stored { $what ->
    [api] API
    [mode] gate mode
    [admissions] admission filter
   *[sections] section filter
} is damaged: run `usher setup` again
config-retention = keep an event's data 1 to 3650 days after its entry ends, not { $days }
config-pin-shape = the door PIN is 4 to 12 digits
config-setup-needs-pin = choose a door PIN (4 to 12 digits): it keeps Setup for staff
config-kiosk-needs-pin = choose a door PIN first (4 to 12 digits): closing a kiosk asks for it
config-check-token = check the token first
config-export-link = { $path } is a symbolic link: an export is never written through one; choose the file itself
config-export-folder = { $path } is a folder: give a file name for the export

## Refusals (REFUSED).
refused-lookup-off = guest lookup is switched off at { $gate } (its gate profile): scan the ticket, or switch lookup on in Setup
refused-forget-waiting = { $waiting ->
    [one] 1 scan of event { $event } is still waiting to upload
   *[other] { $waiting } scans of event { $event } are still waiting to upload
}: run `usher sync` first, or save them with `usher export --pending --out FILE` (nothing was removed)

## Imports (IMPORT_REFUSED).
import-cannot-open = cannot open { $path }: { $os }
import-no-event = the file has no "event"
import-no-tickets = the file has no "tickets" list

## The guest list's key (CACHE_LOCKED).
locked-no-key-given = it is encrypted and its key was not given

## The local database (DATABASE).
db-no-random = the OS gave no random bytes ({ $os })
db-pin-hash = cannot hash the PIN ({ $why })
db-encrypt-busy = cannot encrypt the guest list while another Usher window or command has it open (close them and try again): { $why }
db-encrypt-changed = the guest list changed while it was being encrypted; nothing was lost, try again

## Files (IO): what was being done.
io-read = cannot read { $path }
io-write = cannot write { $path }
io-remove = cannot remove { $path }
io-sync = cannot sync { $path }
io-restrict = cannot restrict { $path }
io-create = cannot create { $path }
io-copy = cannot copy { $path }
io-create-beside = cannot create a file beside { $path }
io-replace = cannot put the encrypted copy in place of { $path }
io-read-stdin = cannot read stdin
io-read-token = cannot read the token
io-write-export = cannot write the export

## Teaching the USB scanner its layout (CALIBRATION_MISMATCH).
calibration-length = the scanner typed { $typed } keys, the calibration code has { $expected }: it dropped or added keys (a prefix or suffix set in the scanner?). Scan the calibration code again
calibration-no-key-code = key { $position } (for { $character }) came without a physical key code, so this scanner's keys cannot be learned
calibration-same-key = the scanner typed the same key ({ $key }) for { $first } and { $second }: this was not the calibration code, or the scanner changed layout while typing it
calibration-two-keys = the scanner typed { $character } with two different keys ({ $first } and { $second }): this was not the calibration code

## The scanner layout in use: its name, and why a kept one is not used.
layout-US = US
layout-DE = German (QWERTZ)
layout-FR = French (AZERTY)
layout-damaged = the scanner layout kept on this laptop is damaged ({ $why }): scanners are read as US keyboards. Scan the calibration code in Setup again
layout-unreadable = the scanner layout kept on this laptop cannot be read now ({ $why }): scanners are read as US keyboards
layout-not-a-table = it is not a key table ({ $why })
layout-not-a-key = { $key } is not a key
layout-not-one-character = { $key } types { $typed }, not one character
layout-keys-per-character = { $keys } keys type { $character }, not one

## Session Services out of reach or not answering as it should (usher-sync).
failure-no-answer-status = Session Services did not answer (HTTP { $status }); will retry
failure-not-session-services = the answer at the Session Services address is not Session Services' own (HTTP { $status }): check the address and the network (a sign-in page?); will retry
failure-not-now = Session Services could not do it now ({ $status } { $code }: { $server }); will retry
failure-unreadable-answer = Session Services sent an answer this app cannot read ({ $why }); will retry. If it goes on, Session Services may have changed: tell support
failure-http-client = cannot start the HTTP client: { $why }
failure-timeout = Session Services did not answer in time; will retry
failure-unreachable = cannot reach Session Services (network down?); will retry
failure-connection-broke = the connection to Session Services broke; will retry
failure-confirm-timeout = Session Services did not answer in time; decided from the cache
failure-page-stopped = a page download stopped: { $why }
failure-token-refused = Session Services did not accept the token (401): log in again with a new token. Scans stay queued.
failure-token-permission = The token lacks a permission this needs (403: { $server }): ask for a token with the SCANNING scope. Scans stay queued.
sync-bad-answer = Session Services sent something the app cannot use: { $detail }

## The token and the keychain (TOKEN).
token-empty = no token given
token-malformed = the token has spaces or line breaks inside it; paste it again
token-missing = no token for tenant { $tenant } on { $api }: run `usher login` (or set SESSION_SERVICES_TOKEN)
token-keychain-locked = the OS keychain is locked ({ $why }); unlock it (log in to the desktop session) to read the token
token-keychain-no-answer = it did not answer within { $seconds } s
token-keychain-missing = the OS keychain is not available: { $why }
locked-no-key-in-keychain = it is encrypted, and this computer's keychain holds no key for it
keychain-test-folder = the test token folder failed: { $why }
keychain-key-damaged = its copy of the guest list's key is damaged
keychain-key-not-kept = it did not keep the guest list's new key
keychain-no-thread = cannot start a thread to ask it: { $why }
keychain-crashed = the keychain call crashed

## The guest list's download and the report's questions (BAD_ANSWER, the reconciliation).
sync-writer-stopped = the guest-list writer stopped without a word
sync-writer-start = cannot start the writer: { $why }
sync-walks-unfinished = the guest list download stopped before every walk ended
sync-walk-stopped = the guest list walk { $walk }: { $why }; this walk stopped and starts over on the next sync
sync-refunds-walk = the list of cancelled tickets: { $why }
sync-cursor-repeats = Session Services sent a page cursor it had sent before, after { $pages } pages
sync-walk-endless = the list did not end within { $pages } pages
reconcile-no-answer = no answer from Session Services ({ $why })
sync-uploads-cannot-start = uploads cannot start: { $why }

## The window's station (IO).
station-demo-start = the demo simulator cannot start: { $why }
station-demo-restart = the demo simulator cannot restart: { $why }
station-write-tickets = cannot write tickets to { $path }: { $why }
station-sync-runtime = cannot start the sync runtime: { $why }
station-write-status = cannot write the status: { $why }
station-no-folder = this user has no Downloads or home folder
station-clear-demo = cannot clear the demo folder { $path }: { $why }
station-online-confirm = cannot start online confirm: { $why }
station-write-logs = cannot write logs in { $path }: { $why }
station-stopped = the command stopped unexpectedly: { $why }
shell-kiosk-window = the window cannot change to kiosk mode: { $why }

## The command line's own (INVALID_CONFIG, REFUSED, IO).
cli-decode-unreadable = { $failed } of { $files } files could not be read as images
cli-camera-nothing-to-show = the cache has no tickets to show: run `usher import` or `usher demo` first, or pass --show
refused-logout-waiting = { $waiting } scans are still waiting to upload: run `usher sync` first, or save them with `usher export --pending --out FILE` (nothing was removed, the token is kept)
io-play = cannot play { $path }

## Doors that see each other (peer sharing).
error-PEER_SCAN = a linked door sent a scan this door cannot keep: { $detail }. Nothing of its batch was kept
peer-scan-bad = { $why }
peer-scan-bad-ticket = a ticket id that is not one ({ $ticket })
config-peer-address = { $address } is not a door's address: give it as host:port, e.g. 192.168.1.20:7300
config-join-qr = { $text } is not a join QR code of Usher: scan the QR code on the first door's Setup screen again, or type its code and address
config-join-needs-address = a join code needs the first door's address (host:port, shown under the code on its Setup screen)
config-join-code = { $code } is not a join code: a join code is ten letters and digits, like ABCDE-FGHJK
error-PEER_NOT_IN_GROUP = the door there is not of this door group (it does not hold this group's key): nothing was exchanged
error-PEER_TIMEOUT = the other door did not answer in time
error-PEER_UNREACHABLE = the other door cannot be reached: { $detail }
error-PEER_PROTOCOL = the other door said something this door cannot read: { $detail }
error-PEER_RANDOM = this computer gave no random bytes for a door group key: { $detail }
error-PEER_KEY_DAMAGED = the door group key in the keychain is damaged: leave the group and join it again
error-PEER_KEY_NOT_KEPT = the keychain did not keep the door group key: this door is not in a group
error-PEER_KEYCHAIN = the keychain failed with the door group key
error-PEER_JOIN_REFUSED = the join was refused: the code is wrong, has expired, was tried too often, or that door has no join code open. Ask for a new code
