//! The service catalogue (each service with its plans), a customer's services, and backup jobs.

use super::field::{check_line, required_line};
use crate::error::{Error, FieldErrors};
use serde::{Deserialize, Serialize};

const NAME_MAX: usize = 100;
const SCHEDULE_MAX: usize = 200;

/// A service of the catalogue with its plans.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    pub name: String,
    pub plans: Vec<String>,
}

/// One of a customer's services and the plan chosen for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerService {
    pub service: String,
    pub plan: String,
}

/// A backup job. In the top-level Jobs view `customer_id`/`customer_name` say whose it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    pub customer_id: String,
    pub customer_name: String,
    pub name: String,
    pub service: String,
    pub schedule: Option<String>,
    pub active: bool,
}

/// What a person entered for a job.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct JobFields {
    pub name: String,
    pub service: String,
    pub schedule: Option<String>,
    pub active: Option<bool>,
}

impl JobFields {
    /// Trims and checks the fields (that the service is one of the customer's is the store's
    /// to check).
    pub fn validate(mut self) -> Result<JobFields, Error> {
        let mut errors = FieldErrors::default();
        self.name = required_line(
            &self.name,
            "name",
            "Job name",
            NAME_MAX,
            "A job name is required.",
            &mut errors,
        );
        self.service = self.service.trim().to_owned();
        if self.service.is_empty() {
            errors.report(
                "service",
                "Service",
                "Choose one of the customer's services.".into(),
            );
        }
        self.schedule = self
            .schedule
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty());
        if let Some(s) = &self.schedule {
            check_line(s, "schedule", "Schedule", SCHEDULE_MAX, &mut errors);
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        Ok(self)
    }
}

/// A checked name for a service or a plan.
pub fn validate_name(
    value: &str,
    field: &'static str,
    label: &'static str,
) -> Result<String, Error> {
    let mut errors = FieldErrors::default();
    let value = required_line(
        value,
        field,
        label,
        NAME_MAX,
        &format!("{label} is required."),
        &mut errors,
    );
    if errors.is_empty() {
        Ok(value)
    } else {
        Err(errors.into())
    }
}
