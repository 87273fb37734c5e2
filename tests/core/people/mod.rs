//! Inside a customer, on real database files, a module per part of the store: users, groups and
//! the template, services and jobs, Copy, and history. The helpers here are shared by all of
//! them.

mod copy;
mod groups;
mod history;
mod services_and_jobs;
mod users;

use crate::common::{job, named, temp_store, user, TempDb, PASSWORD};
use clientbook::model::{CustomerFields, Validity};
use clientbook::Store;

/// A new database holding one customer more, made of `fields`, and that customer's ID.
fn with_customer(fields: CustomerFields) -> (TempDb, Store, String) {
    let (db, store) = temp_store();
    let id = store.create_customer(fields).unwrap().customer_id;
    (db, store, id)
}

/// A new database holding one customer more, Acme, and Acme's ID.
fn with_acme() -> (TempDb, Store, String) {
    with_customer(named("Acme"))
}

/// Gives `customer` Server backup at the Premium plan, the user jane in `group`, and the job
/// Nightly.
fn with_service_user_and_job(store: &Store, customer: &str, group: &str) {
    store
        .set_customer_service(customer, "Server backup", "Premium")
        .unwrap();
    store.add_user(customer, user("jane")).unwrap();
    store.add_user_to_group("jane", group).unwrap();
    store
        .add_job(customer, job("Nightly", "Server backup"))
        .unwrap();
}
