//! Backup jobs: a customer's jobs (each of one of its services), and the Jobs view — the jobs of
//! active customers only. Every change writes its history entry in the same transaction.

use super::history::Entry;
use super::lookup::{customer_ref, refuse_taken_name, service_id};
use super::{Store, NOW};
use crate::error::{Error, Result};
use crate::model::text::identity;
use crate::model::{Job, JobFields};
use rusqlite::{Connection, OptionalExtension};
use serde_json::json;

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

fn job_by_id(conn: &Connection, id: i64) -> Result<Job> {
    Ok(conn
        .prepare_cached(&format!("{JOB_SELECT} WHERE j.id = ?1"))?
        .query_row([id], job_from_row)?)
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

impl Store {
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
            refuse_taken_name(tx, "jobs", "job", cref, &f.name)?;
            tx.execute(
                &format!(
                    "INSERT INTO jobs (customer_ref, name, service_id, schedule, active, created_at) \
                     VALUES (?1, ?2, ?3, ?4, ?5, {NOW})"
                ),
                (cref, &f.name, sid, f.schedule.clone().unwrap_or_default(), f.active.unwrap_or(true)),
            )?;
            let job = job_by_id(tx, tx.last_insert_rowid())?;
            Entry::new(cref, "job", &job.name).created(tx, &job_json(&job))?;
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
                refuse_taken_name(tx, "jobs", "job", cref, &f.name)?;
            }
            tx.execute(
                "UPDATE jobs SET name = ?2, service_id = ?3, schedule = ?4, active = ?5 WHERE id = ?1",
                (id, &f.name, sid, f.schedule.clone().unwrap_or_default(), f.active.unwrap_or(before.active)),
            )?;
            let after = job_by_id(tx, id)?;
            Entry::new(cref, "job", &after.name).edited(tx, &job_json(&before), &job_json(&after))?;
            Ok(after)
        })
    }

    pub fn delete_job(&self, customer_id: &str, job: &str) -> Result<Job> {
        self.write(|tx| {
            let cref = customer_ref(tx, customer_id)?;
            let id = job_id(tx, cref, job)?;
            let before = job_by_id(tx, id)?;
            tx.execute("DELETE FROM jobs WHERE id = ?1", [id])?;
            Entry::new(cref, "job", &before.name).deleted(tx, &job_json(&before))?;
            Ok(before)
        })
    }
}
