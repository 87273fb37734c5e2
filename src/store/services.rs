//! The service catalogue (services and their plans), each customer's services with one plan
//! each, backup jobs, and the Jobs view (jobs of active customers only).

use super::history::{customer_ref, record};
use super::{Store, NOW};
use crate::error::{Error, Result};
use crate::model::service::validate_name;
use crate::model::text::identity;
use crate::model::{CustomerService, Job, JobFields, Service};
use rusqlite::{Connection, OptionalExtension};
use serde_json::json;

pub(super) fn service_id(conn: &Connection, name: &str) -> Result<(i64, String)> {
    conn.prepare_cached("SELECT id, name FROM services WHERE cb_fold(name) = cb_fold(?1)")?
        .query_row([name.trim()], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or_else(|| {
            Error::NotFound(format!(
                "There is no service '{}' in the catalogue (Settings ▸ Services).",
                name.trim()
            ))
        })
}

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

const JOB_SELECT: &str = "SELECT c.customer_id, c.name, j.name, s.name, j.schedule, j.active \
     FROM jobs j JOIN customers c ON c.id = j.customer_ref JOIN services s ON s.id = j.service_id";

fn job_from_row(r: &rusqlite::Row) -> rusqlite::Result<Job> {
    Ok(Job {
        customer_id: r.get(0)?,
        customer_name: r.get(1)?,
        name: r.get(2)?,
        service: r.get(3)?,
        schedule: Some(r.get::<_, String>(4)?).filter(|s| !s.is_empty()),
        active: r.get(5)?,
    })
}

fn job_id(conn: &Connection, cref: i64, name: &str) -> Result<i64> {
    conn.prepare_cached(
        "SELECT id FROM jobs WHERE customer_ref = ?1 AND cb_fold(name) = cb_fold(?2)",
    )?
    .query_row((cref, name.trim()), |r| r.get(0))
    .optional()?
    .ok_or_else(|| Error::NotFound(format!("This customer has no job '{}'.", name.trim())))
}

/// Refuses `name` when the customer already has a job by that name (ignoring ASCII case).
fn refuse_taken_job_name(conn: &Connection, cref: i64, name: &str) -> Result<()> {
    let taken: bool = conn
        .prepare_cached(
            "SELECT count(*) FROM jobs WHERE customer_ref = ?1 AND cb_fold(name) = cb_fold(?2)",
        )?
        .query_row((cref, name), |r| r.get(0))?;
    match taken {
        true => Err(Error::Conflict {
            field: Some("name"),
            message: format!("This customer already has a job '{name}'."),
        }),
        false => Ok(()),
    }
}

fn job_by_id(conn: &Connection, id: i64) -> Result<Job> {
    Ok(conn
        .prepare_cached(&format!("{JOB_SELECT} WHERE j.id = ?1"))?
        .query_row([id], job_from_row)?)
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
            record(tx, cref, "service", &sname, "delete", Some(&json!({"service": sname, "plan": plan})), None)?;
            Ok(())
        })
    }

    // ---- jobs --------------------------------------------------------------------------------

    /// The customer's jobs, by name (whatever the customer's state); `service` narrows them to
    /// one service.
    pub fn customer_jobs(&self, customer_id: &str, service: Option<&str>) -> Result<Vec<Job>> {
        self.read(|c| {
            let cref = customer_ref(c, customer_id)?;
            let sid = match service {
                Some(s) => Some(service_id(c, s)?.0),
                None => None,
            };
            let mut stmt = c.prepare_cached(&format!(
                "{JOB_SELECT} WHERE j.customer_ref = ?1 AND (?2 IS NULL OR j.service_id = ?2) \
                 ORDER BY j.name"
            ))?;
            let rows = stmt.query_map((cref, sid), job_from_row)?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// The Jobs view: every job of an **active** customer, by customer then job name;
    /// `service` narrows it to one service.
    pub fn jobs(&self, service: Option<&str>) -> Result<Vec<Job>> {
        self.read(|c| {
            let sid = match service {
                Some(s) => Some(service_id(c, s)?.0),
                None => None,
            };
            let mut stmt = c.prepare_cached(&format!(
                "{JOB_SELECT} WHERE c.validity = 'valid' AND (?1 IS NULL OR j.service_id = ?1) \
                 ORDER BY c.name_key, c.customer_id, j.name"
            ))?;
            let rows = stmt.query_map([sid], job_from_row)?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// Adds a job; its service must be one of the customer's.
    pub fn add_job(&self, customer_id: &str, fields: JobFields) -> Result<Job> {
        let f = fields.validate()?;
        self.write(|tx| {
            let cref = customer_ref(tx, customer_id)?;
            let sid = customer_service_id(tx, cref, &f.service)?;
            refuse_taken_job_name(tx, cref, &f.name)?;
            tx.execute(
                &format!(
                    "INSERT INTO jobs (customer_ref, name, service_id, schedule, active, created_at) \
                     VALUES (?1, ?2, ?3, ?4, ?5, {NOW})"
                ),
                (cref, &f.name, sid, f.schedule.clone().unwrap_or_default(), f.active.unwrap_or(true)),
            )?;
            let job = job_by_id(tx, tx.last_insert_rowid())?;
            record(tx, cref, "job", &job.name, "create", None, Some(&job_json(&job)))?;
            Ok(job)
        })
    }

    /// Changes a job (name, service, schedule, active).
    pub fn update_job(&self, customer_id: &str, job: &str, fields: JobFields) -> Result<Job> {
        let f = fields.validate()?;
        self.write(|tx| {
            let cref = customer_ref(tx, customer_id)?;
            let id = job_id(tx, cref, job)?;
            let before = job_by_id(tx, id)?;
            let sid = customer_service_id(tx, cref, &f.service)?;
            if identity(&before.name) != identity(&f.name) {
                refuse_taken_job_name(tx, cref, &f.name)?;
            }
            tx.execute(
                "UPDATE jobs SET name = ?2, service_id = ?3, schedule = ?4, active = ?5 WHERE id = ?1",
                (id, &f.name, sid, f.schedule.clone().unwrap_or_default(), f.active.unwrap_or(before.active)),
            )?;
            let after = job_by_id(tx, id)?;
            record(tx, cref, "job", &after.name, "edit", Some(&job_json(&before)), Some(&job_json(&after)))?;
            Ok(after)
        })
    }

    pub fn delete_job(&self, customer_id: &str, job: &str) -> Result<Job> {
        self.write(|tx| {
            let cref = customer_ref(tx, customer_id)?;
            let id = job_id(tx, cref, job)?;
            let before = job_by_id(tx, id)?;
            tx.execute("DELETE FROM jobs WHERE id = ?1", [id])?;
            record(
                tx,
                cref,
                "job",
                &before.name,
                "delete",
                Some(&job_json(&before)),
                None,
            )?;
            Ok(before)
        })
    }
}

fn job_json(j: &Job) -> serde_json::Value {
    json!({"name": j.name, "service": j.service, "schedule": j.schedule, "active": j.active})
}

/// The id of `service` when the customer has it; otherwise a message naming what it has.
fn customer_service_id(conn: &Connection, cref: i64, service: &str) -> Result<i64> {
    let found: Option<i64> = conn
        .query_row(
            "SELECT s.id FROM customer_services cs JOIN services s ON s.id = cs.service_id \
             WHERE cs.customer_ref = ?1 AND cb_fold(s.name) = cb_fold(?2)",
            (cref, service.trim()),
            |r| r.get(0),
        )
        .optional()?;
    found.ok_or_else(|| {
        Error::Invalid(vec![crate::error::FieldError {
            field: "service",
            label: "Service",
            message: format!(
                "'{}' is not one of this customer's services; add it on the Services tab first.",
                service.trim()
            ),
        }])
    })
}
