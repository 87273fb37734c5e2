//! Customers' Autotask mappings, kept in the customers table: map, unmap, the mapped
//! customers, and writing the results of a check (one transaction for all of them). Each change
//! writes its history entry.

use super::{get, now};
use crate::error::Result;
use crate::model::{Company, Customer, Mapping, MappingCheck, MappingStatus};
use crate::store::history;
use crate::store::lookup::{by_customer_id, customer_ref};
use crate::store::{Store, NOW};
use rusqlite::OptionalExtension;
use rusqlite::{named_params, Connection};
use serde_json::json;

/// The mapping to `company` as found just now (active: `ok`, inactive: `invalid`), checked `at`.
pub(crate) fn found(company: &Company, at: String) -> Mapping {
    let status = if company.active {
        MappingStatus::Ok
    } else {
        MappingStatus::Invalid
    };
    Mapping {
        company_id: company.id,
        company_name: company.name.clone(),
        status,
        checked_at: at,
    }
}

/// Writes a whole mapping onto the customer `customer_id`.
pub(crate) fn set_mapping(conn: &Connection, customer_id: &str, m: &Mapping) -> Result<()> {
    conn.prepare_cached(concat!(
        "UPDATE customers SET autotask_company_id = :id, autotask_company_name = :name, \
         autotask_status = :status, autotask_checked_at = :at WHERE ",
        by_customer_id!(":customer")
    ))?
    .execute(named_params! {
        ":id": m.company_id,
        ":name": m.company_name,
        ":status": m.status.as_str(),
        ":at": m.checked_at,
        ":customer": customer_id,
    })?;
    Ok(())
}

/// Removes the mapping of `customer_id` (it is then not mapped).
pub(crate) fn clear_mapping(conn: &Connection, customer_id: &str) -> Result<()> {
    conn.prepare_cached(concat!(
        "UPDATE customers SET autotask_company_id = NULL, autotask_company_name = '', \
         autotask_status = NULL, autotask_checked_at = NULL WHERE ",
        by_customer_id!("?1")
    ))?
    .execute([customer_id])?;
    Ok(())
}

/// A mapping change of one customer as history.
fn record_mapping(
    conn: &Connection,
    before: &Customer,
    after: &Customer,
    action: &str,
) -> Result<()> {
    let cref = customer_ref(conn, &after.customer_id)?;
    history::record(
        conn,
        cref,
        "mapping",
        &after.customer_id,
        action,
        before.autotask.as_ref().map(|m| json!(m)).as_ref(),
        after.autotask.as_ref().map(|m| json!(m)).as_ref(),
    )?;
    Ok(())
}

impl Store {
    /// Maps the customer to `company` (which the caller has just read from Autotask). Returns
    /// the customer as it is now.
    pub fn map_customer(&self, customer_id: &str, company: &Company) -> Result<Customer> {
        self.write(|tx| {
            let current = get(tx, customer_id)?;
            set_mapping(tx, &current.customer_id, &found(company, now(tx)?))?;
            let after = get(tx, &current.customer_id)?;
            record_mapping(tx, &current, &after, "map")?;
            Ok(after)
        })
    }

    /// Removes the customer's mapping; nothing else of the customer changes. A customer that
    /// is not mapped is left as it is (no history entry for nothing).
    pub fn unmap_customer(&self, customer_id: &str) -> Result<Customer> {
        self.write(|tx| {
            let current = get(tx, customer_id)?;
            if current.autotask.is_none() {
                return Ok(current);
            }
            clear_mapping(tx, &current.customer_id)?;
            let after = get(tx, &current.customer_id)?;
            record_mapping(tx, &current, &after, "unmap")?;
            Ok(after)
        })
    }

    /// Every mapped customer's ID with its mapping, by customer ID.
    pub fn mapped_customers(&self) -> Result<Vec<(String, Mapping)>> {
        self.read(|c| {
            let mut stmt = c.prepare(
                "SELECT customer_id, autotask_company_id, autotask_company_name, \
                 autotask_status, autotask_checked_at FROM customers \
                 WHERE autotask_company_id IS NOT NULL ORDER BY customer_id",
            )?;
            let rows = stmt.query_map([], |r| {
                let status: Option<String> = r.get(3)?;
                Ok((
                    r.get::<_, String>(0)?,
                    Mapping {
                        company_id: r.get(1)?,
                        company_name: r.get(2)?,
                        status: status
                            .as_deref()
                            .and_then(MappingStatus::parse)
                            .unwrap_or(MappingStatus::Invalid),
                        checked_at: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
                    },
                ))
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// Writes the results of a check, all in one transaction, stamped now. A result whose
    /// customer is no longer mapped to that company (changed meanwhile) is left out.
    pub fn record_checks(&self, checks: &[MappingCheck]) -> Result<()> {
        self.write(|tx| {
            let mut stmt = tx.prepare_cached(&format!(
                "UPDATE customers SET autotask_company_name = ?3, autotask_status = ?4, \
                 autotask_checked_at = {NOW} WHERE {} AND autotask_company_id = ?2",
                by_customer_id!("?1")
            ))?;
            let mut before_stmt = tx.prepare_cached(concat!(
                "SELECT autotask_company_name, autotask_status FROM customers WHERE ",
                by_customer_id!("?1"),
                " AND autotask_company_id = ?2"
            ))?;
            for c in checks {
                let before: Option<(String, Option<String>)> = before_stmt
                    .query_row((&c.customer_id, c.company_id), |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()?;
                let Some((name, status)) = before else { continue };
                stmt.execute((
                    &c.customer_id,
                    c.company_id,
                    &c.company_name,
                    c.status.as_str(),
                ))?;
                // Only a check that changed something is history.
                if name != c.company_name || status.as_deref() != Some(c.status.as_str()) {
                    let cref = customer_ref(tx, &c.customer_id)?;
                    history::record(
                        tx,
                        cref,
                        "mapping",
                        &c.customer_id,
                        "check",
                        Some(&json!({"company_id": c.company_id, "company_name": name, "status": status})),
                        Some(&json!({"company_id": c.company_id, "company_name": c.company_name, "status": c.status})),
                    )?;
                }
            }
            Ok(())
        })
    }
}
