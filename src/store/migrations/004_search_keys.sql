-- Search keys made in Rust (model::text::search_key: folded words joined by single spaces) and
-- indexed with FTS5's ascii tokenizer, which splits them at the spaces and nowhere else. Before,
-- the unicode61 tokenizer split the folded texts by SQLite's own, older Unicode tables, which
-- disagree with Rust's about some scripts, so a name could be missed by one of the two search
-- paths. The customer ID gets its key too (id_key), as IDs may hold accented letters.

DROP TRIGGER customers_fts_insert;
DROP TRIGGER customers_fts_delete;
DROP TRIGGER customers_fts_update;
DROP TABLE customers_fts;
DROP INDEX customers_by_name;
DROP INDEX customers_by_city;
ALTER TABLE customers ADD COLUMN id_key TEXT NOT NULL DEFAULT '';

-- rekey: here the upgrade computes id_key, name_key and city_key of every row in Rust.

CREATE INDEX customers_by_name ON customers (name_key, customer_id, city_key, validity);
CREATE INDEX customers_by_city ON customers (city_key, customer_id, name_key, validity);

CREATE VIRTUAL TABLE customers_fts USING fts5 (
    id_key, name_key, city_key,
    content = 'customers', content_rowid = 'id',
    tokenize = 'ascii',
    prefix = '1 2 3'
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
