//! Mapping customers to Autotask companies through the client: map (after checking the company
//! exists), verify one, refresh all (batched), and pull companies in as customers. Every
//! Autotask call happens before any write, so a failed call changes nothing.

use super::status::{judge, Lookup};
use super::{Client, Company, MAX_RECORDS};
use crate::error::{Error, Result};
use crate::model::{Customer, MappingCheck};
use crate::store::{PullReport, Store};
use std::collections::HashMap;

/// Maps the customer to the Autotask company `company_id`, refusing when Autotask does not
/// have that company. The customer is looked up first, so a typo costs no request.
pub fn map(store: &Store, client: &Client, customer_id: &str, company_id: i64) -> Result<Customer> {
    store.customer(customer_id)?;
    let Some(company) = client.company(company_id)? else {
        return Err(Error::Refused(format!(
            "Autotask has no company with the id {company_id}; nothing was mapped."
        )));
    };
    store.map_customer(customer_id, &company)
}

/// Re-checks one customer's mapping with one `Companies/{id}` call and records the result.
pub fn verify(store: &Store, client: &Client, customer_id: &str) -> Result<MappingCheck> {
    let customer = store.customer(customer_id)?;
    let Some(mapping) = customer.autotask else {
        return Err(Error::Refused(format!(
            "\u{201c}{}\u{201d} is not mapped to an Autotask company.",
            customer.name
        )));
    };
    let lookup = match client.company(mapping.company_id) {
        Ok(Some(company)) => Lookup::Found(company),
        Ok(None) => Lookup::NotFound,
        Err(Error::Autotask {
            status: Some(403), ..
        }) => Lookup::Denied,
        Err(e) => return Err(e),
    };
    let (status, company_name) = judge(&mapping.company_name, &lookup);
    let check = MappingCheck {
        customer_id: customer.customer_id,
        company_id: mapping.company_id,
        company_name,
        status,
    };
    store.record_checks(std::slice::from_ref(&check))?;
    Ok(check)
}

/// Re-checks every mapped customer: one Companies query with an `in` filter per 500 distinct
/// company ids (following nextPageUrl), then all results written in one transaction. Ids
/// Autotask does not return are `missing`. `progress(done, total)` is called after each batch
/// (counting company ids); returning `false` stops with [`Error::Cancelled`] and writes nothing.
pub fn refresh_all(
    store: &Store,
    client: &Client,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<Vec<MappingCheck>> {
    let mapped = store.mapped_customers()?;
    let mut ids: Vec<i64> = mapped.iter().map(|(_, m)| m.company_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut found: HashMap<i64, Company> = HashMap::with_capacity(ids.len());
    if !progress(0, ids.len()) {
        return Err(Error::Cancelled);
    }
    let mut done = 0;
    for chunk in ids.chunks(MAX_RECORDS) {
        for company in client.companies_by_ids(chunk)? {
            found.insert(company.id, company);
        }
        done += chunk.len();
        if !progress(done, ids.len()) {
            return Err(Error::Cancelled);
        }
    }
    let checks: Vec<MappingCheck> = mapped
        .into_iter()
        .map(|(customer_id, mapping)| {
            let lookup = match found.get(&mapping.company_id) {
                Some(c) => Lookup::Found(c.clone()),
                None => Lookup::NotFound,
            };
            let (status, company_name) = judge(&mapping.company_name, &lookup);
            MappingCheck {
                customer_id,
                company_id: mapping.company_id,
                company_name,
                status,
            }
        })
        .collect();
    store.record_checks(&checks)?;
    Ok(checks)
}

/// Lists every active company of type Customer (all pages) and creates a mapped customer for
/// each one not mapped yet, in one transaction; a dry run writes nothing.
pub fn pull(store: &Store, client: &Client, dry_run: bool) -> Result<PullReport> {
    let companies = client.customer_companies()?;
    store.pull_companies(&companies, dry_run)
}
