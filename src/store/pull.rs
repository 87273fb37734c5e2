//! Autotask's companies pulled in as customers: each active company of type Customer not yet
//! mapped becomes a customer with its name and city, a customer ID of its own and the mapping,
//! in one transaction (a dry run rolls it back and reports what it would do).

use super::customers::mapping::found;
use super::customers::{after_create, insert, now, suggest_id, Stamps};
use super::Store;
use crate::error::{Error, Result};
use crate::model::{Company, CustomerFields, MappingCheck, MappingStatus, RowError, ValidCustomer};
use serde::Serialize;
use std::collections::HashSet;

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
        crate::model::import::summary_json(self.inserted, self.updated, self.skipped, &self.errors)
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

impl Store {
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
                    &valid.keys(&id),
                )?;
                after_create(tx, &id, "pull")?;
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
