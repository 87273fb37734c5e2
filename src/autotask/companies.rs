//! Autotask companies: search by name, one by id, many by id (batched `in` queries), always
//! following `pageDetails.nextPageUrl` to the last page.

use super::client::{Client, Target, Zone};
use crate::{Error, Result};
use reqwest::Method;
use serde::Deserialize;
use serde_json::{json, Value};

/// Autotask's page size limit, and the most ids one `in` filter carries.
pub const MAX_RECORDS: usize = 500;
/// `companyType` of a customer company (1 Customer, 3 Prospect, 7 Vendor).
pub const COMPANY_TYPE_CUSTOMER: i64 = 1;
/// A safety stop for a server that keeps sending paging links.
const MAX_PAGES: usize = 10_000;
/// Fields asked for (names are case-insensitive for Autotask).
const FIELDS: [&str; 5] = ["id", "companyName", "companyNumber", "city", "isActive"];

pub use crate::model::Company;

/// The part of Autotask's CompanyModel that Clientbook reads.
#[derive(Deserialize)]
struct CompanyModel {
    #[serde(alias = "Id", alias = "ID")]
    id: i64,
    #[serde(rename = "companyName", alias = "CompanyName", default)]
    name: Option<String>,
    #[serde(rename = "companyNumber", alias = "CompanyNumber", default)]
    number: Option<Value>,
    #[serde(alias = "City", default)]
    city: Option<String>,
    #[serde(rename = "isActive", alias = "IsActive", default)]
    active: Option<bool>,
}

impl From<CompanyModel> for Company {
    fn from(m: CompanyModel) -> Self {
        let non_empty = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
        Company {
            id: m.id,
            name: m.name.unwrap_or_default(),
            number: non_empty(m.number.map(|v| match v {
                Value::String(s) => s,
                other => other.to_string(),
            })),
            city: non_empty(m.city),
            active: m.active.unwrap_or(false),
        }
    }
}

fn company_from(status_hint: &str, item: Value) -> Result<Company> {
    serde_json::from_value::<CompanyModel>(item)
        .map(Company::from)
        .map_err(|e| Error::Autotask {
            status: Some(200),
            message: format!(
                "Autotask sent a company Clientbook cannot read ({status_hint}): {e}."
            ),
        })
}

impl Client {
    /// Checks the three credential values: the zone lookup (fresh, not cached) and one
    /// authenticated call. Returns the zone on success.
    pub fn test_connection(&self) -> Result<Zone> {
        let zone = self.lookup_zone()?;
        // Company 0 is the owner company; any answer but an auth failure proves the values.
        self.call(Method::GET, Target::Path("v1.0/Companies/0"), None)?;
        Ok(zone)
    }

    /// Companies whose name contains `search` (all when empty), active only unless
    /// `include_inactive`, in Autotask's order, every page.
    pub fn search_companies(&self, search: &str, include_inactive: bool) -> Result<Vec<Company>> {
        let mut filter = Vec::new();
        let search = search.trim();
        if !search.is_empty() {
            filter.push(json!({"op": "contains", "field": "companyName", "value": search}));
        }
        if !include_inactive {
            filter.push(json!({"op": "eq", "field": "isActive", "value": true}));
        }
        if filter.is_empty() {
            filter.push(json!({"op": "gte", "field": "id", "value": 0}));
        }
        self.query_companies(filter)
    }

    /// Every active company of type Customer (`companyType` 1), every page.
    pub fn customer_companies(&self) -> Result<Vec<Company>> {
        self.query_companies(vec![
            json!({"op": "eq", "field": "isActive", "value": true}),
            json!({"op": "eq", "field": "companyType", "value": COMPANY_TYPE_CUSTOMER}),
        ])
    }

    /// One company, or `None` when Autotask does not have it (404, or 200 with a null item).
    pub fn company(&self, id: i64) -> Result<Option<Company>> {
        let path = format!("v1.0/Companies/{id}");
        let Some(answer) = self.call(Method::GET, Target::Path(&path), None)? else {
            return Ok(None);
        };
        match answer.get("item").or_else(|| answer.get("Item")) {
            None | Some(Value::Null) => Ok(None),
            Some(item) => company_from("Companies/{id}", item.clone()).map(Some),
        }
    }

    /// The companies with these ids that exist, one `in` query per 500 ids (duplicates asked
    /// once). Ids Autotask does not know are simply absent from the answer.
    pub fn companies_by_ids(&self, ids: &[i64]) -> Result<Vec<Company>> {
        let mut unique = ids.to_vec();
        unique.sort_unstable();
        unique.dedup();
        let mut out = Vec::with_capacity(unique.len());
        for chunk in unique.chunks(MAX_RECORDS) {
            out.extend(
                self.query_companies(vec![json!({"op": "in", "field": "id", "value": chunk})])?,
            );
        }
        Ok(out)
    }

    /// POSTs `Companies/query` and follows `nextPageUrl` (POST with the same body) to the end.
    fn query_companies(&self, filter: Vec<Value>) -> Result<Vec<Company>> {
        let body = json!({"MaxRecords": MAX_RECORDS, "IncludeFields": FIELDS, "filter": filter});
        let mut out = Vec::new();
        let mut next: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let target = match &next {
                None => Target::Path("v1.0/Companies/query"),
                Some(url) => Target::Url(url),
            };
            let Some(page) = self.call(Method::POST, target, Some(&body))? else {
                return Err(Error::Autotask {
                    status: Some(404),
                    message: "Autotask answered HTTP 404 to a company query: the Companies query is not available at this zone.".into(),
                });
            };
            let items = match page.get("items").or_else(|| page.get("Items")) {
                Some(Value::Array(items)) => items.clone(),
                _ => {
                    return Err(Error::Autotask {
                        status: Some(200),
                        message: "Autotask answered a company query without an item list.".into(),
                    })
                }
            };
            for item in items {
                out.push(company_from("Companies/query", item)?);
            }
            let details = page.get("pageDetails").or_else(|| page.get("PageDetails"));
            let link = details
                .and_then(|d| d.get("nextPageUrl").or_else(|| d.get("NextPageUrl")))
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_owned);
            match link {
                Some(url) if next.as_deref() != Some(url.as_str()) => next = Some(url),
                Some(_) => {
                    return Err(Error::Autotask {
                        status: Some(200),
                        message: "Autotask sent the same page link twice; the company list was not read to the end.".into(),
                    })
                }
                None => return Ok(out),
            }
        }
        Err(Error::Autotask {
            status: Some(200),
            message: format!("Autotask kept sending pages past {MAX_PAGES}; the company list was not read to the end."),
        })
    }
}
