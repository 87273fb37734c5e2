-- Faster writes under the same rules: an import of a million customers takes about a third less
-- time with both changes.
--
-- 1. The customers table is rebuilt with its two list checks written as comparisons. SQLite
--    checks `x IN ('a', 'b', 'c')` through a temporary table that it builds for every row
--    written; `x = 'a' OR x = 'b' OR x = 'c'` accepts and refuses exactly the same values
--    without one. Columns (in their order), rows and ids stay as they were. This follows
--    SQLite's procedure for changing a table: the upgrade runs with foreign keys off and checks
--    them before it commits.
-- 2. The search index keeps, for each word, only which customers have it (detail = none) and no
--    column sizes (columnsize = 0). The search asks nothing else of it: each typed word is a
--    prefix query, ANDed, with no phrases, column filters, positions or ranking
--    (store/search.rs). The index is about half the size and builds in half the time.

DROP TRIGGER customers_fts_insert;
DROP TRIGGER customers_fts_delete;
DROP TRIGGER customers_fts_update;
DROP TABLE customers_fts;

CREATE TABLE customers_new (
    id          INTEGER PRIMARY KEY,
    customer_id TEXT NOT NULL COLLATE NOCASE UNIQUE,
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

CREATE VIRTUAL TABLE customers_fts USING fts5 (
    id_key, name_key, city_key,
    content = 'customers', content_rowid = 'id',
    tokenize = 'ascii',
    prefix = '1 2 3',
    detail = none,
    columnsize = 0
);
INSERT INTO customers_fts (customers_fts) VALUES ('rebuild');

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
