-- Kiosk mode, a Setup switch of this device (`usher_core::kiosk`): the window full screen
-- with no chrome, the screen kept awake while the door is open, and closing behind the door
-- PIN. 0: off.
ALTER TABLE device ADD COLUMN kiosk INTEGER NOT NULL DEFAULT 0;
