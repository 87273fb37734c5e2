//! "Copy…" a customer: a new customer with a new name (ID derived as usual) and, as chosen, the
//! source's profile fields, services with their plans, and groups — never its users (copied
//! groups have no members), jobs or Autotask mapping. The copy starts invalid-temporarily with
//! the note "Add users and activate".

use super::customers::{apply_template, insert, new_id, now, record_created, Stamps};
use super::lookup::customer_ref;
use super::Store;
use crate::error::Result;
use crate::model::{Customer, CustomerFields, Validity};
use serde::{Deserialize, Serialize};

/// The note a copy starts with (its comment).
pub const COPY_NOTE: &str = "Add users and activate";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CopyOptions {
    pub name: String,
    /// None: derived from the name.
    pub customer_id: Option<String>,
    /// Address, country, URL and comment.
    pub profile: bool,
    pub services: bool,
    pub groups: bool,
}

impl Store {
    pub fn copy_customer(&self, source_id: &str, options: CopyOptions) -> Result<Customer> {
        let source = self.customer(source_id)?;
        let profile = options.profile;
        let comment = match source.comment.as_deref().filter(|_| profile) {
            Some(c) => format!("{COPY_NOTE}\n\n{c}").chars().take(2000).collect(),
            None => COPY_NOTE.to_owned(),
        };
        let pick = |v: &Option<String>| if profile { v.clone() } else { None };
        let valid = CustomerFields {
            customer_id: options.customer_id.clone().filter(|s| !s.trim().is_empty()),
            name: Some(options.name.clone()),
            street: pick(&source.street),
            zip: pick(&source.zip),
            city: pick(&source.city),
            country: pick(&source.country),
            url: pick(&source.url),
            comment: Some(comment),
            validity: Some(Validity::InvalidTemporarily.as_str().to_owned()),
        }
        .validate()?;
        self.write(|tx| {
            let from = customer_ref(tx, &source.customer_id)?;
            let id = new_id(tx, &valid)?;
            let keys = valid.keys(&id);
            insert(tx, &id, &valid, false, Stamps::at(&now(tx)?), None, &keys)?;
            let details = serde_json::json!({
                "copied_from": source.customer_id,
                "copied": {"profile": options.profile, "services": options.services, "groups": options.groups},
            });
            let (to, copy) = record_created(tx, &id, "copy", Some(details))?;
            if options.groups {
                // The source's groups instead of the template's; no members come along.
                tx.execute(
                    "INSERT INTO groups (customer_ref, name, permissions) \
                     SELECT ?2, name, permissions FROM groups WHERE customer_ref = ?1 ORDER BY id",
                    (from, to),
                )?;
            } else {
                apply_template(tx, to)?;
            }
            if options.services {
                tx.execute(
                    "INSERT INTO customer_services (customer_ref, service_id, plan_id) \
                     SELECT ?2, service_id, plan_id FROM customer_services WHERE customer_ref = ?1",
                    (from, to),
                )?;
            }
            Ok(copy)
        })
    }
}
