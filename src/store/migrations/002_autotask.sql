-- Each customer's mapping to its company in Autotask PSA: the company's id, its name as last
-- seen (shown in the list), the status of the last check and when that was. A customer is
-- unmapped when autotask_company_id is NULL; the other three are then empty/NULL as well.
ALTER TABLE customers ADD COLUMN autotask_company_id INTEGER;
ALTER TABLE customers ADD COLUMN autotask_company_name TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN autotask_status TEXT
    CHECK (autotask_status IN ('ok', 'renamed', 'missing', 'invalid'));
ALTER TABLE customers ADD COLUMN autotask_checked_at TEXT;

-- Refresh all and pull read only the mapped customers (a few among many).
CREATE INDEX customers_by_autotask ON customers (autotask_company_id)
    WHERE autotask_company_id IS NOT NULL;
