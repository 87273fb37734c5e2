//! `clientbook jobs …`: backup jobs — a customer's, or the Jobs view of active customers.

use crate::cli::JobsCommand;
use crate::output::{write_list, write_out};
use clientbook::model::JobFields;
use clientbook::{Error, Store};
use std::io::Write;

pub fn run(command: JobsCommand, store: Store, out: &mut impl Write) -> Result<(), Error> {
    match command {
        JobsCommand::List {
            customer,
            service,
            json,
        } => {
            let jobs = match customer {
                Some(customer) => store.customer_jobs(&customer, service.as_deref())?,
                None => store.jobs(service.as_deref())?,
            };
            write_list(out, json, &jobs, |j| j, job_line)?;
        }
        JobsCommand::Add {
            customer,
            name,
            service,
            schedule,
            inactive,
        } => {
            let fields = JobFields {
                name,
                service,
                schedule,
                active: Some(!inactive),
            };
            let job = store.add_job(&customer, fields)?;
            write_out(out, &job_line(&job))?;
        }
    }
    Ok(())
}

fn job_line(j: &clientbook::model::Job) -> String {
    format!(
        "{}  {}  {}  {}  {}\n",
        j.customer_id,
        j.name,
        j.service,
        j.schedule.as_deref().unwrap_or("(no schedule)"),
        if j.active { "active" } else { "inactive" }
    )
}
