-- The language the door speaks (`en`, `de`: usher-core's i18n). NULL: follow the OS locale.
ALTER TABLE device ADD COLUMN language TEXT;
