-- The door PIN that guards Setup and Forget in the window: an Argon2id hash in PHC form
-- (`usher_core::staff`), never the PIN itself. NULL: no PIN chosen yet.
ALTER TABLE device ADD COLUMN staff_pin TEXT;
