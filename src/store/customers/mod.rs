//! The customers table: a customer's row as stored and as the model has it, finding one by a
//! typed ID, a free ID for a name, inserting and overwriting rows, and the Store's create, read
//! and edit with the own-company rules. Its Autotask mapping columns are `mapping.rs`.

pub(crate) mod mapping;

use super::history;
use super::lookup::{by_customer_id, customer_ref};
use super::{Store, NOW};
use crate::error::{Error, Result};
use crate::model::{
    slug,
    text::{search_key, SearchKeys},
    Customer, CustomerFields, Mapping, MappingStatus, ValidCustomer, Validity,
};
use rusqlite::{named_params, params, Connection, OptionalExtension, Row};

/// The columns [`StoredCustomer::from_row`] reads, in its order. An unmapped customer's mapping
/// columns read as empty whatever they hold, and a mapped one without a status as 'invalid'.
macro_rules! stored_columns {
    () => {
        "c.customer_id, c.name, c.street, c.zip, c.city, c.country, c.url, c.comment, \
         c.validity, c.is_own, c.autotask_company_id, \
         CASE WHEN c.autotask_company_id IS NULL THEN '' ELSE c.autotask_company_name END, \
         CASE WHEN c.autotask_company_id IS NULL THEN '' \
              ELSE coalesce(c.autotask_status, 'invalid') END, \
         CASE WHEN c.autotask_company_id IS NULL THEN '' ELSE c.autotask_checked_at END, \
         c.created_at, c.updated_at"
    };
}

/// What an export reads: a [`StoredCustomer`].
pub(crate) const STORED_COLUMNS: &str = stored_columns!();

/// Columns read for a [`Customer`], in the order [`from_row`] expects: the stored ones, then
/// how many backup jobs the customer has.
pub(crate) const COLUMNS: &str = concat!(
    stored_columns!(),
    ", (SELECT count(*) FROM jobs j WHERE j.customer_ref = c.id)"
);

pub(crate) fn from_row(row: &Row) -> rusqlite::Result<Customer> {
    let jobs = row.get(16)?;
    Ok(StoredCustomer::from_row(row)?.to_customer(jobs))
}

/// One customer's columns as stored, borrowed from the row being read ('' where a field is
/// empty; the Autotask columns '' and `None` when the customer is not mapped): what an export
/// writes, a million times over, without copying a string or counting jobs, and what a
/// [`Customer`] is made from.
#[derive(Debug)]
pub struct StoredCustomer<'r> {
    pub customer_id: &'r str,
    pub name: &'r str,
    pub street: &'r str,
    pub zip: &'r str,
    pub city: &'r str,
    pub country: &'r str,
    pub url: &'r str,
    pub comment: &'r str,
    pub validity: &'r str,
    pub own: bool,
    pub autotask_company_id: Option<i64>,
    pub autotask_company_name: &'r str,
    pub autotask_status: &'r str,
    pub autotask_checked_at: &'r str,
    pub created_at: &'r str,
    pub updated_at: &'r str,
}

impl<'r> StoredCustomer<'r> {
    pub(crate) fn from_row(row: &'r Row) -> rusqlite::Result<Self> {
        let text = |i: usize| -> rusqlite::Result<&'r str> {
            match row.get_ref(i)? {
                rusqlite::types::ValueRef::Null => Ok(""),
                value => value.as_str().map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(i, value.data_type(), Box::new(e))
                }),
            }
        };
        Ok(StoredCustomer {
            customer_id: text(0)?,
            name: text(1)?,
            street: text(2)?,
            zip: text(3)?,
            city: text(4)?,
            country: text(5)?,
            url: text(6)?,
            comment: text(7)?,
            validity: text(8)?,
            own: row.get(9)?,
            autotask_company_id: row.get(10)?,
            autotask_company_name: text(11)?,
            autotask_status: text(12)?,
            autotask_checked_at: text(13)?,
            created_at: text(14)?,
            updated_at: text(15)?,
        })
    }

    /// The customer as the model has it, with its number of backup jobs.
    fn to_customer(&self, jobs: u64) -> Customer {
        let opt = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        let validity = Validity::parse(self.validity).unwrap_or(Validity::Invalid);
        let autotask = self.autotask_company_id.map(|company_id| Mapping {
            company_id,
            company_name: self.autotask_company_name.to_owned(),
            status: MappingStatus::parse(self.autotask_status).unwrap_or(MappingStatus::Invalid),
            checked_at: self.autotask_checked_at.to_owned(),
        });
        Customer {
            customer_id: self.customer_id.to_owned(),
            name: self.name.to_owned(),
            street: opt(self.street),
            zip: opt(self.zip),
            city: opt(self.city),
            country: opt(self.country),
            url: opt(self.url),
            comment: opt(self.comment),
            validity,
            active: validity.is_active(),
            own: self.own,
            jobs,
            autotask_company: autotask.as_ref().map(|m| m.company_name.clone()),
            autotask,
            created_at: self.created_at.to_owned(),
            updated_at: self.updated_at.to_owned(),
        }
    }
}

fn not_found(customer_id: &str) -> Error {
    Error::NotFound(format!("There is no customer with the ID '{customer_id}'."))
}

/// The customer with this ID (without regard to case: see [`by_customer_id`]), if any.
pub(crate) fn find(conn: &Connection, customer_id: &str) -> Result<Option<Customer>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM customers c WHERE c.{}",
            by_customer_id!("?1")
        ))?
        .query_row([customer_id], from_row)
        .optional()?)
}

pub(crate) fn get(conn: &Connection, customer_id: &str) -> Result<Customer> {
    conn.query_row(
        &format!(
            "SELECT {COLUMNS} FROM customers c WHERE c.{}",
            by_customer_id!("?1")
        ),
        [customer_id],
        from_row,
    )
    .optional()?
    .ok_or_else(|| not_found(customer_id))
}

/// The name of the customer that holds `customer_id` or its identity, other than the customer
/// `except` (an edit that changes only the case of an ID), if any.
fn id_taken(conn: &Connection, customer_id: &str, except: Option<&str>) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT name FROM customers WHERE (id_fold = cb_fold(?1) \
             OR (instr(id_fold, char(1)) > 0 AND customer_id = ?1)) \
             AND customer_id <> coalesce(?2, '') LIMIT 1",
            (customer_id, except),
            |r| r.get(0),
        )
        .optional()?)
}

fn conflict(customer_id: &str, holder: &str) -> Error {
    Error::Conflict {
        field: Some("customer_id"),
        message: format!(
            "The customer ID '{customer_id}' is already used by \u{201c}{holder}\u{201d}; choose another."
        ),
    }
}

/// A free customer ID for `name`: its slug, or the slug with `-2`, `-3`… appended when taken,
/// or `customer-<n>` when the name has no letters or digits.
pub(crate) fn suggest_id(conn: &Connection, name: &str) -> Result<String> {
    let base = slug::slugify(name);
    if base.is_empty() {
        let mut n: i64 = conn.query_row("SELECT count(*) + 1 FROM customers", [], |r| r.get(0))?;
        loop {
            let id = format!("customer-{n}");
            if id_taken(conn, &id, None)?.is_none() {
                return Ok(id);
            }
            n += 1;
        }
    }
    if id_taken(conn, &base, None)?.is_none() {
        return Ok(base);
    }
    for n in 2.. {
        let id = slug::with_suffix(&base, n);
        if id_taken(conn, &id, None)?.is_none() {
            return Ok(id);
        }
    }
    unreachable!("an unbounded range always yields a free ID")
}

/// The current time as the database writes it (`created_at`, `updated_at`, history's `at`).
pub(crate) fn now(conn: &Connection) -> Result<String> {
    Ok(conn.query_row(&format!("SELECT {NOW}"), [], |r| r.get(0))?)
}

/// When a customer was created and last updated, in the stored form (model/timestamp.rs).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Stamps<'a> {
    pub created: &'a str,
    pub updated: &'a str,
}

impl<'a> Stamps<'a> {
    /// Created and updated at `at`.
    pub fn at(at: &'a str) -> Self {
        Stamps {
            created: at,
            updated: at,
        }
    }
}

/// Inserts one customer under `id`, created and updated as `stamps` say, with its Autotask
/// mapping if it has one, and its search keys and identity made already (`c.keys(id)`; an import
/// makes them on its reading thread). One cached statement, so bulk inserts reuse it; an import
/// without dates passes one timestamp for all its rows rather than a clock reading per row; the
/// mapping is written in the same INSERT, not an update after it.
pub(crate) fn insert(
    conn: &Connection,
    id: &str,
    c: &ValidCustomer,
    own: bool,
    stamps: Stamps,
    mapping: Option<&Mapping>,
    keys: &SearchKeys,
) -> Result<()> {
    // Positional parameters and borrowed values: a large import runs this a million times,
    // and looking up 19 parameter names or copying 6 strings per row shows in its time.
    fn opt(v: &Option<String>) -> &str {
        v.as_deref().unwrap_or_default()
    }
    conn.prepare_cached(
        "INSERT INTO customers (customer_id, id_key, name, name_key, street, zip, city, \
             city_key, country, url, comment, validity, is_own, created_at, updated_at, \
             autotask_company_id, autotask_company_name, autotask_status, autotask_checked_at, \
             id_fold) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, \
             ?16, ?17, ?18, ?19, ?20)",
    )?
    .execute(params![
        id,
        keys.id,
        c.name,
        keys.name,
        opt(&c.street),
        opt(&c.zip),
        opt(&c.city),
        keys.city,
        opt(&c.country),
        opt(&c.url),
        opt(&c.comment),
        c.validity.as_str(),
        own,
        stamps.created,
        stamps.updated,
        mapping.map(|m| m.company_id),
        mapping.map(|m| m.company_name.as_str()).unwrap_or_default(),
        mapping.map(|m| m.status.as_str()),
        mapping.map(|m| m.checked_at.as_str()),
        keys.identity,
    ])?;
    Ok(())
}

/// Overwrites every field of the customer `current_id` (and its ID, with `new_id`).
pub(crate) fn replace(
    conn: &Connection,
    current_id: &str,
    new_id: &str,
    valid: &ValidCustomer,
) -> Result<()> {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    conn.prepare_cached(&format!(
        "UPDATE customers SET customer_id = :new_id, id_fold = cb_fold(:new_id), \
         id_key = :id_key, name = :name, \
         name_key = :name_key, \
         street = :street, zip = :zip, city = :city, city_key = :city_key, \
         country = :country, url = :url, comment = :comment, validity = :validity, \
         updated_at = {NOW} WHERE {}",
        by_customer_id!(":id")
    ))?
    .execute(named_params! {
        ":id": current_id,
        ":new_id": new_id,
        ":id_key": search_key(new_id),
        ":name": valid.name,
        ":name_key": search_key(&valid.name),
        ":street": opt(&valid.street),
        ":zip": opt(&valid.zip),
        ":city": opt(&valid.city),
        ":city_key": search_key(valid.city.as_deref().unwrap_or_default()),
        ":country": opt(&valid.country),
        ":url": opt(&valid.url),
        ":comment": opt(&valid.comment),
        ":validity": valid.validity.as_str(),
    })?;
    Ok(())
}

/// Inserts a customer as it was (same ID, fields, timestamps, mapping); refuses when its ID is
/// taken meanwhile.
pub(crate) fn put_back(conn: &Connection, customer: &Customer) -> Result<()> {
    let valid = CustomerFields {
        customer_id: Some(customer.customer_id.clone()),
        name: Some(customer.name.clone()),
        street: customer.street.clone(),
        zip: customer.zip.clone(),
        city: customer.city.clone(),
        country: customer.country.clone(),
        url: customer.url.clone(),
        comment: customer.comment.clone(),
        validity: Some(customer.validity.as_str().to_owned()),
    }
    .validate()?;
    let id = &customer.customer_id;
    if let Some(holder) = id_taken(conn, id, None)? {
        return Err(conflict(id, &holder));
    }
    let stamps = Stamps {
        created: &customer.created_at,
        updated: &customer.updated_at,
    };
    let keys = valid.keys(id);
    insert(
        conn,
        id,
        &valid,
        false,
        stamps,
        customer.autotask.as_ref(),
        &keys,
    )?;
    Ok(())
}

/// The ID a new customer gets: the one asked for (refused when taken) or one derived from its
/// name.
pub(crate) fn new_id(conn: &Connection, valid: &ValidCustomer) -> Result<String> {
    match &valid.customer_id {
        Some(id) => match id_taken(conn, id, None)? {
            Some(holder) => Err(conflict(id, &holder)),
            None => Ok(id.clone()),
        },
        None => suggest_id(conn, &valid.name),
    }
}

/// Gives the new customer `cref` the template's groups.
pub(crate) fn apply_template(conn: &Connection, cref: i64) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO groups (customer_ref, name, permissions) \
         SELECT ?1, name, permissions FROM template_groups ORDER BY id",
    )?
    .execute([cref])?;
    Ok(())
}

/// The history entry of a customer just inserted (`action`: `create`, `copy`, `pull` …); its
/// `after` is the customer's fields plus the keys of `extra`. Returns its row id and the
/// customer.
pub(crate) fn record_created(
    conn: &Connection,
    customer_id: &str,
    action: &str,
    extra: Option<serde_json::Value>,
) -> Result<(i64, Customer)> {
    let cref = customer_ref(conn, customer_id)?;
    let created = get(conn, customer_id)?;
    let mut after = history::customer_json(&created);
    if let (Some(fields), Some(serde_json::Value::Object(more))) = (after.as_object_mut(), extra) {
        fields.extend(more);
    }
    history::record(
        conn,
        cref,
        "customer",
        customer_id,
        action,
        None,
        Some(&after),
    )?;
    Ok((cref, created))
}

/// What every new customer gets: the template's groups and its history entry.
pub(crate) fn after_create(conn: &Connection, customer_id: &str, action: &str) -> Result<Customer> {
    let (cref, created) = record_created(conn, customer_id, action, None)?;
    apply_template(conn, cref)?;
    Ok(created)
}

impl Store {
    /// Adds a customer. Without a customer ID one is derived from the name.
    pub fn create_customer(&self, fields: CustomerFields) -> Result<Customer> {
        let valid = fields.validate()?;
        self.write(|tx| {
            let id = new_id(tx, &valid)?;
            let keys = valid.keys(&id);
            insert(tx, &id, &valid, false, Stamps::at(&now(tx)?), None, &keys)?;
            after_create(tx, &id, "create")
        })
    }

    /// The customer ID a new customer called `name` would get.
    pub fn suggest_customer_id(&self, name: &str) -> Result<String> {
        self.read(|c| suggest_id(c, name))
    }

    pub fn customer(&self, customer_id: &str) -> Result<Customer> {
        self.read(|c| get(c, customer_id))
    }

    /// Changes the fields given (absent ones stay as they are).
    pub fn update_customer(&self, customer_id: &str, fields: CustomerFields) -> Result<Customer> {
        self.write(|tx| {
            let current = get(tx, customer_id)?;
            let valid = fields.over(&current).validate()?;
            let new_id = valid
                .customer_id
                .clone()
                .unwrap_or_else(|| current.customer_id.clone());
            if current.own && !valid.validity.is_active() {
                return Err(Error::Refused(format!(
                    "\u{201c}{}\u{201d} is your own company; it is always active.",
                    current.name
                )));
            }
            if let Some(holder) = id_taken(tx, &new_id, Some(&current.customer_id))? {
                return Err(conflict(&new_id, &holder));
            }
            replace(tx, &current.customer_id, &new_id, &valid)?;
            let updated = get(tx, &new_id)?;
            history::record_customer_edit(tx, &current, &updated)?;
            Ok(updated)
        })
    }

    /// Switches a customer between valid and invalid (the list's Active checkbox).
    pub fn set_validity(&self, customer_id: &str, validity: Validity) -> Result<Customer> {
        self.update_customer(
            customer_id,
            CustomerFields {
                validity: Some(validity.as_str().to_owned()),
                ..Default::default()
            },
        )
    }

    /// How many customers the database holds.
    pub fn count_customers(&self) -> Result<u64> {
        self.read(|c| Ok(c.query_row("SELECT count(*) FROM customers", [], |r| r.get(0))?))
    }
}
