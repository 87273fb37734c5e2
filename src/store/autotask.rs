//! Customers' Autotask mappings: map, unmap, the mapped customers, writing the results of a
//! check (one transaction for all of them), and pulling Autotask companies in as customers.

use super::customers::{by_customer_id, get, insert, now, suggest_id, Stamps};
use super::{history, Store, NOW};
use crate::autotask::Company;
use crate::error::{Error, Result};
use crate::model::{Customer, ValidCustomer};
use crate::model::{CustomerFields, Mapping, MappingCheck, MappingStatus};
use crate::transfer::RowError;
use rusqlite::OptionalExtension;
use rusqlite::{named_params, Connection};
use serde::Serialize;
use serde_json::json;
use std::collections::HashSet;

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

/// The mapping to `company` as found just now (active: `ok`, inactive: `invalid`), checked `at`.
fn found(company: &Company, at: String) -> Mapping {
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

/// What `clientbook autotask pull` did (or, in a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PullReport {
    /// Companies read from Autotask (active, of type Customer).
    pub companies: u64,
    pub inserted: u64,
    /// Always 0: a pull never changes an existing customer.
    pub updated: u64,
    /// Companies not created: already mapped, or not a valid customer.
    pub skipped: u64,
    /// Of the skipped: companies some customer is already mapped to.
    pub already_mapped: u64,
    /// One per company that cannot become a customer; `row` is the Autotask company id.
    pub errors: Vec<RowError>,
    /// The customers created (or that would be), in Autotask's order.
    pub created: Vec<MappingCheck>,
    pub dry_run: bool,
}

impl PullReport {
    /// The CLI's `--json` object, the CSV import's shape: `inserted`, `updated`, `skipped`,
    /// `errors`.
    pub fn summary_json(&self) -> serde_json::Value {
        crate::transfer::import::summary_json(
            self.inserted,
            self.updated,
            self.skipped,
            &self.errors,
        )
    }

    /// One sentence for a toast or the terminal.
    pub fn summary(&self) -> String {
        format!(
            "{} {} customers created from {} Autotask companies; {} skipped ({} already mapped).",
            if self.dry_run {
                "Would import:"
            } else {
                "Imported:"
            },
            self.inserted,
            self.companies,
            self.skipped,
            self.already_mapped
        )
    }
}

/// A mapping change of one customer as history.
fn record_mapping(
    conn: &Connection,
    before: &Customer,
    after: &Customer,
    action: &str,
) -> Result<()> {
    let cref = history::customer_ref(conn, &after.customer_id)?;
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
                    let cref = history::customer_ref(tx, &c.customer_id)?;
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

    /// Creates a customer for each company no customer is mapped to yet, with a slug ID (the
    /// next free one when taken) and the company's name and city, and maps it — all in one
    /// transaction, which a dry run rolls back.
    pub fn pull_companies(&self, companies: &[Company], dry_run: bool) -> Result<PullReport> {
        self.write_or_rollback(!dry_run, |tx| {
            let mut mapped: HashSet<i64> = {
                let mut stmt = tx.prepare(
                    "SELECT autotask_company_id FROM customers \
                     WHERE autotask_company_id IS NOT NULL",
                )?;
                let ids = stmt.query_map([], |r| r.get(0))?;
                ids.collect::<rusqlite::Result<_>>()?
            };
            let mut report = PullReport {
                companies: companies.len() as u64,
                dry_run,
                ..Default::default()
            };
            for company in companies {
                if !mapped.insert(company.id) {
                    report.skipped += 1;
                    report.already_mapped += 1;
                    continue;
                }
                let valid = match new_customer(company) {
                    Ok(v) => v,
                    Err(e) => {
                        report.skipped += 1;
                        report.errors.push(row_error(company.id, e));
                        continue;
                    }
                };
                let id = suggest_id(tx, &valid.name)?;
                // Created and mapped in one write, at one time.
                let at = now(tx)?;
                insert(
                    tx,
                    &id,
                    &valid,
                    false,
                    Stamps::at(&at),
                    Some(&found(company, at.clone())),
                )?;
                super::customers::after_create(tx, &id, "pull")?;
                report.inserted += 1;
                report.created.push(MappingCheck {
                    customer_id: id,
                    company_id: company.id,
                    company_name: company.name.clone(),
                    status: MappingStatus::Ok,
                });
            }
            Ok(report)
        })
    }
}

fn new_customer(company: &Company) -> Result<ValidCustomer> {
    CustomerFields {
        name: Some(company.name.clone()),
        city: company.city.clone(),
        ..Default::default()
    }
    .validate()
}

fn row_error(company_id: i64, e: Error) -> RowError {
    let (column, message) = match e {
        Error::Invalid(fields) => (
            fields.first().map(|f| f.field.to_owned()),
            fields
                .iter()
                .map(|f| f.message.clone())
                .collect::<Vec<_>>()
                .join(" "),
        ),
        other => (None, other.to_string()),
    };
    RowError {
        row: company_id.max(0) as u64,
        column,
        message,
    }
}
