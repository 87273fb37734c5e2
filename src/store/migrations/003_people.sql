-- Inside a customer: its users, security groups, services (each with one plan) and backup jobs;
-- the MSP's administrators, the group template new customers start with, the service catalogue,
-- and the history of every change. Children point at customers.id and go with their customer.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    customer_ref  INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    username      TEXT NOT NULL COLLATE NOCASE UNIQUE,
    email         TEXT NOT NULL DEFAULT '',
    display_name  TEXT NOT NULL DEFAULT '',
    mobile        TEXT NOT NULL DEFAULT '',      -- E.164, e.g. +4915112345678
    password_hash TEXT NOT NULL DEFAULT '',      -- argon2id PHC string; '' = no password
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX users_by_customer ON users (customer_ref, username);

CREATE TABLE groups (
    id           INTEGER PRIMARY KEY,
    customer_ref INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    name         TEXT NOT NULL COLLATE NOCASE,
    permissions  TEXT NOT NULL DEFAULT '',       -- space-separated words, see model/group.rs
    UNIQUE (customer_ref, name)
);

CREATE TABLE user_groups (
    user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    group_id INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, group_id)
) WITHOUT ROWID;
CREATE INDEX user_groups_by_group ON user_groups (group_id);

CREATE TABLE administrators (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL,
    email TEXT NOT NULL COLLATE NOCASE UNIQUE
);

-- The default template: the groups every new customer starts with.
CREATE TABLE template_groups (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL COLLATE NOCASE UNIQUE,
    permissions TEXT NOT NULL DEFAULT ''
);
INSERT INTO template_groups (name, permissions) VALUES
    ('Administrators', 'view manage-users manage-backups manage-billing admin'),
    ('Users', 'view');

CREATE TABLE services (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL COLLATE NOCASE UNIQUE
);
CREATE TABLE plans (
    id         INTEGER PRIMARY KEY,
    service_id INTEGER NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    name       TEXT NOT NULL COLLATE NOCASE,
    UNIQUE (service_id, name)
);
INSERT INTO services (id, name) VALUES
    (1, 'Server backup'), (2, 'Workstation backup'), (3, 'Microsoft 365 backup');
INSERT INTO plans (service_id, name)
    SELECT s.id, p.name FROM services s, (SELECT 'Basic' AS name UNION ALL SELECT 'Standard' UNION ALL SELECT 'Premium') p
    ORDER BY s.id;

CREATE TABLE customer_services (
    customer_ref INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    service_id   INTEGER NOT NULL REFERENCES services (id),
    plan_id      INTEGER NOT NULL REFERENCES plans (id),
    PRIMARY KEY (customer_ref, service_id)
) WITHOUT ROWID;
CREATE INDEX customer_services_by_service ON customer_services (service_id, customer_ref);

CREATE TABLE jobs (
    id           INTEGER PRIMARY KEY,
    customer_ref INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    name         TEXT NOT NULL COLLATE NOCASE,
    service_id   INTEGER NOT NULL REFERENCES services (id),
    schedule     TEXT NOT NULL DEFAULT '',
    active       INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at   TEXT NOT NULL,
    UNIQUE (customer_ref, name)
);

-- What happened to each customer, written in the same transaction as the change. customer_ref
-- is the customer's id while it exists; deleting it moves its history to the negative id of the
-- delete entry (so a later customer can never inherit it), and restoring moves it back.
CREATE TABLE history (
    id           INTEGER PRIMARY KEY,
    customer_ref INTEGER NOT NULL,
    entity       TEXT NOT NULL,      -- customer, user, group, service, job, mapping
    entity_id    TEXT NOT NULL,      -- the customer ID, username, group or job name, service name
    action       TEXT NOT NULL,      -- create, edit, delete, restore, import, map, unmap, copy …
    before       TEXT,               -- JSON, NULL when there was nothing before
    after        TEXT,               -- JSON, NULL when there is nothing after
    at           TEXT NOT NULL
);
CREATE INDEX history_by_customer ON history (customer_ref, id);
CREATE INDEX history_deleted ON history (action, customer_ref) WHERE action = 'delete';
