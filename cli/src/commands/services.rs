//! `clientbook services …`: the catalogue, and a customer's services with their plans.

use crate::cli::ServicesCommand;
use crate::output::{list_or_none, write_list, write_out};
use clientbook::{Error, Store};
use std::io::Write;

pub fn run(command: ServicesCommand, store: Store, out: &mut impl Write) -> Result<(), Error> {
    match command {
        ServicesCommand::List {
            customer: Some(customer),
            json,
        } => {
            let services = store.customer_services(&customer)?;
            write_list(
                out,
                json,
                &services,
                |s| s,
                |s| format!("{}  plan: {}\n", s.service, s.plan),
            )?;
        }
        ServicesCommand::List {
            customer: None,
            json,
        } => {
            let services = store.services()?;
            write_list(
                out,
                json,
                &services,
                |s| s,
                |s| format!("{}  plans: {}\n", s.name, list_or_none(&s.plans)),
            )?;
        }
        ServicesCommand::Set {
            customer,
            service,
            plan,
        } => {
            let set = store.set_customer_service(&customer, &service, &plan)?;
            write_out(
                out,
                &format!("{customer}: {} with the plan {}.\n", set.service, set.plan),
            )?;
        }
    }
    Ok(())
}
