-- Guest lookup (names, emails, phones) can be switched off per door in its gate profile.
ALTER TABLE device ADD COLUMN lookup INTEGER NOT NULL DEFAULT 1;
