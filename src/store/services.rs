//! The service catalogue (services and their plans) and each customer's services, with one
//! plan each. Every change to a customer's services writes its history entry.

use super::history::{record, Entry};
use super::lookup::{customer_ref, service_id};
use super::Store;
use crate::error::{Error, Result};
use crate::model::service::validate_name;
use crate::model::text::identity;
use crate::model::{CustomerService, Service};
use rusqlite::{Connection, OptionalExtension};
use serde_json::json;

fn plan_id(
    conn: &Connection,
    service: i64,
    service_name: &str,
    plan: &str,
) -> Result<(i64, String)> {
    conn.prepare_cached(
        "SELECT id, name FROM plans WHERE service_id = ?1 AND cb_fold(name) = cb_fold(?2)",
    )?
    .query_row((service, plan.trim()), |r| Ok((r.get(0)?, r.get(1)?)))
    .optional()?
    .ok_or_else(|| {
        Error::NotFound(format!(
            "The service '{service_name}' has no plan '{}'.",
            plan.trim()
        ))
    })
}

/// The plan the customer `cref` has of the service `service`, if it has the service.
fn current_plan(conn: &Connection, cref: i64, service: i64) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT p.name FROM customer_services cs JOIN plans p ON p.id = cs.plan_id \
             WHERE cs.customer_ref = ?1 AND cs.service_id = ?2",
            (cref, service),
            |r| r.get(0),
        )
        .optional()?)
}

impl Store {
    // ---- the catalogue -----------------------------------------------------------------------

    /// Every service of the catalogue with its plans, by name.
    pub fn services(&self) -> Result<Vec<Service>> {
        self.read(|c| {
            let mut stmt = c.prepare(
                "SELECT s.name, (SELECT group_concat(name, char(31)) FROM \
                   (SELECT name FROM plans WHERE service_id = s.id ORDER BY id)) \
                 FROM services s ORDER BY s.name",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok(Service {
                    name: r.get(0)?,
                    plans: r
                        .get::<_, Option<String>>(1)?
                        .map(|p| p.split('\u{1f}').map(str::to_owned).collect())
                        .unwrap_or_default(),
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// Adds a service with its plans (at least one).
    pub fn add_service(&self, name: &str, plans: &[String]) -> Result<Service> {
        let name = validate_name(name, "name", "Service name")?;
        let mut clean: Vec<String> = Vec::new();
        for p in plans {
            let p = validate_name(p, "plans", "Plan name")?;
            if !clean.iter().any(|c| identity(c) == identity(&p)) {
                clean.push(p);
            }
        }
        if clean.is_empty() {
            return Err(Error::Invalid(vec![crate::error::FieldError {
                field: "plans",
                label: "Plans",
                message: "A service needs at least one plan (e.g. Standard).".into(),
            }]));
        }
        self.write(|tx| {
            match service_id(tx, &name) {
                Err(Error::NotFound(_)) => {}
                Err(e) => return Err(e),
                Ok(_) => {
                    return Err(Error::Conflict {
                        field: Some("name"),
                        message: format!("The catalogue already has a service '{name}'."),
                    })
                }
            }
            tx.execute("INSERT INTO services (name) VALUES (?1)", [&name])?;
            let id = tx.last_insert_rowid();
            for p in &clean {
                tx.execute(
                    "INSERT INTO plans (service_id, name) VALUES (?1, ?2)",
                    (id, p),
                )?;
            }
            Ok(Service {
                name: name.clone(),
                plans: clean.clone(),
            })
        })
    }

    // ---- a customer's services ---------------------------------------------------------------

    pub fn customer_services(&self, customer_id: &str) -> Result<Vec<CustomerService>> {
        self.read(|c| {
            let cref = customer_ref(c, customer_id)?;
            let mut stmt = c.prepare_cached(
                "SELECT s.name, p.name FROM customer_services cs JOIN services s ON s.id = cs.service_id \
                 JOIN plans p ON p.id = cs.plan_id WHERE cs.customer_ref = ?1 ORDER BY s.name",
            )?;
            let rows = stmt.query_map([cref], |r| {
                Ok(CustomerService {
                    service: r.get(0)?,
                    plan: r.get(1)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// Gives the customer `service` with `plan`, or changes the plan of a service it has.
    pub fn set_customer_service(
        &self,
        customer_id: &str,
        service: &str,
        plan: &str,
    ) -> Result<CustomerService> {
        self.write(|tx| {
            let cref = customer_ref(tx, customer_id)?;
            let (sid, sname) = service_id(tx, service)?;
            let (pid, pname) = plan_id(tx, sid, &sname, plan)?;
            let before = current_plan(tx, cref, sid)?;
            tx.execute(
                "INSERT INTO customer_services (customer_ref, service_id, plan_id) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (customer_ref, service_id) DO UPDATE SET plan_id = excluded.plan_id",
                (cref, sid, pid),
            )?;
            if before.as_deref() != Some(pname.as_str()) {
                record(
                    tx,
                    cref,
                    "service",
                    &sname,
                    if before.is_some() { "edit" } else { "create" },
                    before.map(|p| json!({"service": sname, "plan": p})).as_ref(),
                    Some(&json!({"service": sname, "plan": pname})),
                )?;
            }
            Ok(CustomerService {
                service: sname.clone(),
                plan: pname.clone(),
            })
        })
    }

    /// Takes a service away from the customer; refused while a job uses it.
    pub fn remove_customer_service(&self, customer_id: &str, service: &str) -> Result<()> {
        self.write(|tx| {
            let cref = customer_ref(tx, customer_id)?;
            let (sid, sname) = service_id(tx, service)?;
            let jobs: i64 = tx.query_row(
                "SELECT count(*) FROM jobs WHERE customer_ref = ?1 AND service_id = ?2",
                (cref, sid),
                |r| r.get(0),
            )?;
            if jobs > 0 {
                return Err(Error::Refused(format!(
                    "'{sname}' is used by {jobs} of this customer's jobs; delete or move them first."
                )));
            }
            let plan = current_plan(tx, cref, sid)?;
            let Some(plan) = plan else {
                return Err(Error::NotFound(format!("This customer does not have '{sname}'.")));
            };
            tx.execute(
                "DELETE FROM customer_services WHERE customer_ref = ?1 AND service_id = ?2",
                (cref, sid),
            )?;
            Entry::new(cref, "service", &sname).deleted(tx, &json!({"service": sname, "plan": plan}))?;
            Ok(())
        })
    }

    // ---- jobs --------------------------------------------------------------------------------
}
