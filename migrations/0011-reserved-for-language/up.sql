-- PLACEHOLDER on the `wedge` branch only. Migration 11 is the `i18n` branch's
-- (`0011-language`); rusqlite_migration needs consecutive ids, so without it this branch's
-- 0012 could not be applied. Delete this folder when merging: with i18n's 0011 beside it the
-- store's `migrations_are_valid` test fails loudly ("Multiple migrations ... id: 11").
SELECT 1;
