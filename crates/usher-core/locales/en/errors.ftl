# Errors the window and the command line show, by their stable code (usher-core's
# `Error::code`, usher-sync's, the station's and the shell's). `$detail` is the error's own
# English sentence, with the specifics (a path, the server's words); an error without
# specifics is worded here whole. A code with no message here shows its English sentence.
error-DATA_DIR = { $detail }
error-CORRUPT_CACHE = { $detail }
error-CACHE_LOCKED = { $detail }
error-READ_ONLY = { $detail }
error-NOT_SET_UP = this device is not set up: run `usher setup --api … --tenant … --event …` first
error-EVENT_NOT_CACHED = { $detail }
error-INVALID_CONFIG = { $detail }
error-IMPORT_REFUSED = { $detail }
error-REFUSED = { $detail }
error-WRONG_PIN = wrong PIN: { $left } more tries before Setup locks for a minute
error-PIN_LOCKED_OUT = Setup is locked after five wrong PINs: try again in { $seconds } s
error-SETUP_LOCKED = Setup is locked: enter the door PIN first
error-DATABASE = { $detail }
error-IO = { $detail }
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
error-INTERNAL = { $detail }
error-CALIBRATION_MISMATCH = { $detail }
