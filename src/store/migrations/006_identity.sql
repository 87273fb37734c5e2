-- Identity without regard to case in every script. Customer IDs and usernames were unique
-- "without regard to case" for ASCII letters only (SQLite's NOCASE): "STRASSE" and "straße",
-- or "ǅ" and "ǆ", could both be stored and looked the same to a person. Each row now keeps its
-- identity form (model::text::identity: full Unicode case folding of the canonical form, made in
-- Rust) under a unique index, and the store finds customers and users by it.
--
-- Rows of an older file that already clash both stay, unchanged: the identity of every one after
-- the first gets a marker (U+0001 and the row's id), so that the index holds. `clientbook db
-- check` and the app name each such pair, to be told apart by renaming one; nothing is deleted.

ALTER TABLE customers ADD COLUMN id_fold TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN username_fold TEXT NOT NULL DEFAULT '';

-- identity: here the upgrade computes id_fold and username_fold of every row in Rust.

CREATE UNIQUE INDEX customers_by_identity ON customers (id_fold);
CREATE UNIQUE INDEX users_by_identity ON users (username_fold);

-- The marked rows, so that the app can name them at every opening without reading every row
-- (almost always empty).
CREATE INDEX customers_clashing ON customers (id) WHERE instr(id_fold, char(1)) > 0;
CREATE INDEX users_clashing ON users (id) WHERE instr(username_fold, char(1)) > 0;
