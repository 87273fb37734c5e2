-- Customers and their search index. Optional text columns hold '' rather than NULL so that
-- keyset paging can compare (sort key, customer_id) row values without NULL special cases;
-- the model turns '' back into "absent".
CREATE TABLE customers (
    id          INTEGER PRIMARY KEY,
    customer_id TEXT NOT NULL COLLATE NOCASE UNIQUE,
    name        TEXT NOT NULL,
    name_key    TEXT NOT NULL,           -- folded name (lowercase, no accents): sort order
    street      TEXT NOT NULL DEFAULT '',
    zip         TEXT NOT NULL DEFAULT '',
    city        TEXT NOT NULL DEFAULT '',
    city_key    TEXT NOT NULL DEFAULT '', -- folded city: sort order
    country     TEXT NOT NULL DEFAULT '', -- ISO 3166-1 alpha-2
    url         TEXT NOT NULL DEFAULT '',
    comment     TEXT NOT NULL DEFAULT '',
    validity    TEXT NOT NULL DEFAULT 'valid'
                CHECK (validity IN ('valid', 'invalid', 'invalid-temporarily')),
    is_own      INTEGER NOT NULL DEFAULT 0 CHECK (is_own IN (0, 1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    -- The MSP's own company is always active.
    CHECK (is_own = 0 OR validity = 'valid')
);

-- Exactly one own company: at most one by this index, at least one by the store's rules.
CREATE UNIQUE INDEX customers_one_own ON customers (is_own) WHERE is_own = 1;

-- One index per sortable column; customer_id breaks ties and makes every key unique. The name
-- and city indexes also carry what the search matcher and the active filter read, so scanning
-- the list in order while matching never touches the table (see store/view.rs).
CREATE INDEX customers_by_name    ON customers (name_key, customer_id, city_key, validity);
CREATE INDEX customers_by_city    ON customers (city_key, customer_id, name_key, validity);
CREATE INDEX customers_by_country ON customers (country, customer_id);

-- Search index over the folded texts, so that FTS and the in-order matcher agree on every match.
CREATE VIRTUAL TABLE customers_fts USING fts5 (
    customer_id, name_key, city_key,
    content = 'customers', content_rowid = 'id',
    tokenize = "unicode61 remove_diacritics 2 categories 'L* N* Co M*'",
    prefix = '1 2 3'
);

CREATE TRIGGER customers_fts_insert AFTER INSERT ON customers BEGIN
    INSERT INTO customers_fts (rowid, customer_id, name_key, city_key)
    VALUES (new.id, new.customer_id, new.name_key, new.city_key);
END;

CREATE TRIGGER customers_fts_delete AFTER DELETE ON customers BEGIN
    INSERT INTO customers_fts (customers_fts, rowid, customer_id, name_key, city_key)
    VALUES ('delete', old.id, old.customer_id, old.name_key, old.city_key);
END;

CREATE TRIGGER customers_fts_update AFTER UPDATE OF customer_id, name_key, city_key ON customers BEGIN
    INSERT INTO customers_fts (customers_fts, rowid, customer_id, name_key, city_key)
    VALUES ('delete', old.id, old.customer_id, old.name_key, old.city_key);
    INSERT INTO customers_fts (rowid, customer_id, name_key, city_key)
    VALUES (new.id, new.customer_id, new.name_key, new.city_key);
END;

INSERT INTO customers (customer_id, name, name_key, is_own, created_at, updated_at)
VALUES ('my-company', 'My company', 'my company', 1,
        strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
