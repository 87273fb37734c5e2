//! The customer page's Jobs tab and the Jobs view (the jobs of active customers).

use super::store_commands;
use clientbook::model::{Job, JobFields};

store_commands! {
    fn jobs_of_customer(customer_id: String) -> Vec<Job> => |s| s.customer_jobs(&customer_id, None);
    /// The Jobs view: jobs of active customers only.
    fn jobs_view(service: Option<String>) -> Vec<Job> => |s| s.jobs(service.as_deref());
    fn job_add(customer_id: String, fields: JobFields) -> Job => |s| s.add_job(&customer_id, fields);
    fn job_update(customer_id: String, job: String, fields: JobFields) -> Job =>
        |s| s.update_job(&customer_id, &job, fields);
    fn job_delete(customer_id: String, job: String) -> Job => |s| s.delete_job(&customer_id, &job);
}
