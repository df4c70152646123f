-- The keyboard layout the USB scanner at this door types with, learned from Setup's
-- calibration code (`usher_core::scanner_layout`): a JSON object from a physical key with its
-- shift state ("KeyY", "Shift+Slash") to the character the scanner meant. NULL: the scanner
-- types as a US keyboard, the default.
ALTER TABLE device ADD COLUMN scanner_keys TEXT;
