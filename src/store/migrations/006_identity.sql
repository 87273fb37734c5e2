-- Identity without regard to case in every script. Customer IDs and usernames were unique
-- "without regard to case" for ASCII letters only (SQLite's NOCASE): "STRASSE" and "straße",
-- or "ǅ" and "ǆ", could both be stored and looked the same to a person. Each row now keeps its
-- identity form (model::text::identity: full Unicode case folding of the canonical form, made in
-- Rust) under a unique index, and the store finds customers and users by it.
--
-- Rows of an older file that already clash both stay, unchanged: the identity of every one after
-- the first gets a marker (U+0001 and the row's id), so that the index holds. `clientbook db
-- check` and the app name each such pair, to be told apart by renaming one; nothing is deleted.
--
-- The customers table is rebuilt (SQLite's procedure, as in 005) so that the identity's unique
-- index takes the place of customer_id's own, which compared ASCII case only: one unique index,
-- which a large import can drop and build again at its end (store/import.rs) instead of
-- updating it a row at a time. customer_id keeps its NOCASE collation, which orders the list's
-- ties. Columns (in their order, id_fold last), rows, ids and the search index stay as they were.

DROP TRIGGER customers_fts_insert;
DROP TRIGGER customers_fts_delete;
DROP TRIGGER customers_fts_update;

CREATE TABLE customers_new (
    id          INTEGER PRIMARY KEY,
    customer_id TEXT NOT NULL COLLATE NOCASE,
    name        TEXT NOT NULL,
    name_key    TEXT NOT NULL,           -- search_key(name): sort order and search
    street      TEXT NOT NULL DEFAULT '',
    zip         TEXT NOT NULL DEFAULT '',
    city        TEXT NOT NULL DEFAULT '',
    city_key    TEXT NOT NULL DEFAULT '', -- search_key(city)
    country     TEXT NOT NULL DEFAULT '', -- ISO 3166-1 alpha-2
    url         TEXT NOT NULL DEFAULT '',
    comment     TEXT NOT NULL DEFAULT '',
    validity    TEXT NOT NULL DEFAULT 'valid'
                CHECK (validity = 'valid' OR validity = 'invalid'
                       OR validity = 'invalid-temporarily'),
    is_own      INTEGER NOT NULL DEFAULT 0 CHECK (is_own IN (0, 1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    -- The Autotask mapping (002): NULL company id = not mapped.
    autotask_company_id   INTEGER,
    autotask_company_name TEXT NOT NULL DEFAULT '',
    autotask_status       TEXT
                          CHECK (autotask_status = 'ok' OR autotask_status = 'renamed'
                                 OR autotask_status = 'missing' OR autotask_status = 'invalid'),
    autotask_checked_at   TEXT,
    id_key      TEXT NOT NULL DEFAULT '', -- search_key(customer_id) (004)
    id_fold     TEXT NOT NULL DEFAULT '', -- identity(customer_id): unique, how a typed ID finds it
    -- The MSP's own company is always active.
    CHECK (is_own = 0 OR validity = 'valid')
);

INSERT INTO customers_new (id, customer_id, name, name_key, street, zip, city, city_key, country,
                           url, comment, validity, is_own, created_at, updated_at,
                           autotask_company_id, autotask_company_name, autotask_status,
                           autotask_checked_at, id_key)
SELECT id, customer_id, name, name_key, street, zip, city, city_key, country,
       url, comment, validity, is_own, created_at, updated_at,
       autotask_company_id, autotask_company_name, autotask_status,
       autotask_checked_at, id_key
FROM customers;

DROP TABLE customers;
ALTER TABLE customers_new RENAME TO customers;

CREATE UNIQUE INDEX customers_one_own ON customers (is_own) WHERE is_own = 1;
CREATE INDEX customers_by_name ON customers (name_key, customer_id, city_key, validity);
CREATE INDEX customers_by_city ON customers (city_key, customer_id, name_key, validity);
CREATE INDEX customers_by_country ON customers (country, customer_id);
CREATE INDEX customers_by_autotask ON customers (autotask_company_id)
    WHERE autotask_company_id IS NOT NULL;

CREATE TRIGGER customers_fts_insert AFTER INSERT ON customers BEGIN
    INSERT INTO customers_fts (rowid, id_key, name_key, city_key)
    VALUES (new.id, new.id_key, new.name_key, new.city_key);
END;

CREATE TRIGGER customers_fts_delete AFTER DELETE ON customers BEGIN
    INSERT INTO customers_fts (customers_fts, rowid, id_key, name_key, city_key)
    VALUES ('delete', old.id, old.id_key, old.name_key, old.city_key);
END;

CREATE TRIGGER customers_fts_update AFTER UPDATE OF id_key, name_key, city_key ON customers BEGIN
    INSERT INTO customers_fts (customers_fts, rowid, id_key, name_key, city_key)
    VALUES ('delete', old.id, old.id_key, old.name_key, old.city_key);
    INSERT INTO customers_fts (rowid, id_key, name_key, city_key)
    VALUES (new.id, new.id_key, new.name_key, new.city_key);
END;

ALTER TABLE users ADD COLUMN username_fold TEXT NOT NULL DEFAULT '';

-- identity: here the upgrade computes id_fold and username_fold of every row in Rust.

CREATE UNIQUE INDEX customers_by_identity ON customers (id_fold);
CREATE UNIQUE INDEX users_by_identity ON users (username_fold);

-- Another program writing the file can neither add a customer without its identity nor give one
-- another ID and leave the old identity behind (a change of case only keeps it).
CREATE TRIGGER customers_identity_insert BEFORE INSERT ON customers WHEN new.id_fold = '' BEGIN
    SELECT RAISE(ABORT, 'a customer needs its identity (id_fold)');
END;
CREATE TRIGGER customers_identity_update BEFORE UPDATE OF customer_id ON customers
WHEN new.id_fold = old.id_fold AND new.customer_id <> old.customer_id BEGIN
    SELECT RAISE(ABORT, 'a new customer ID needs its identity (id_fold)');
END;

-- The marked rows, so that a typed ID or username finds each of a clashing pair by its own
-- spelling, and the app names them at every opening, without reading every row (almost always
-- empty).
CREATE INDEX customers_clashing ON customers (customer_id) WHERE instr(id_fold, char(1)) > 0;
CREATE INDEX users_clashing ON users (username) WHERE instr(username_fold, char(1)) > 0;
