-- PLACEHOLDER on branch `tablet` only: migration ids must be consecutive
-- (rusqlite_migration's from_directory), and this branch was given 0013 while 0012 belongs to
-- another branch not merged yet. Delete this folder when the real 0012 lands; nothing here
-- changes the schema.
SELECT 1;
