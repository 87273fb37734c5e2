//! `clientbook list | add | edit | delete | history | copy`: the customers themselves.

use crate::cli::{AddArgs, CopyArgs, DeleteArgs, EditArgs, Filter, HistoryArgs, ListArgs};
use crate::output::{clip, write_json, write_list, write_out};
use clientbook::store::{ActiveFilter, CopyOptions, ListQuery};
use clientbook::{Error, Store};
use std::io::Write;

pub fn list(store: Store, args: ListArgs, out: &mut impl Write) -> Result<(), Error> {
    let query = ListQuery {
        search: args.search.unwrap_or_default(),
        filter: match args.filter {
            Filter::All => ActiveFilter::All,
            Filter::Active => ActiveFilter::Active,
            Filter::Inactive => ActiveFilter::Inactive,
        },
        service: args.service,
        ..Default::default()
    };
    if args.json {
        let mut first = true;
        write_out(out, "[")?;
        store.scan(&query, |c| {
            let sep = if first { "\n  " } else { ",\n  " };
            first = false;
            let item = serde_json::to_string(&c.listing()).unwrap_or_default();
            write_out(out, &format!("{sep}{item}"))
        })?;
        write_out(out, if first { "]\n" } else { "\n]\n" })?;
        return Ok(());
    }
    write_out(
        out,
        &format!(
            "{:<40} {:<32} {:<20} {:<7} {}\n",
            "NAME", "CUSTOMER ID", "CITY", "COUNTRY", "ACTIVE"
        ),
    )?;
    store.scan(&query, |c| {
        let active = if c.own {
            "yes (own company)"
        } else if c.active {
            "yes"
        } else {
            c.validity.as_str()
        };
        write_out(
            out,
            &format!(
                "{:<40} {:<32} {:<20} {:<7} {}\n",
                clip(&c.name, 40),
                clip(&c.customer_id, 32),
                clip(c.city.as_deref().unwrap_or(""), 20),
                c.country.as_deref().unwrap_or(""),
                active
            ),
        )
    })
}

pub fn add(store: Store, args: AddArgs, out: &mut impl Write) -> Result<(), Error> {
    let customer = store.create_customer(args.fields.into_core(args.id))?;
    write_out(out, &format!("{}\n", customer.customer_id))
}

pub fn edit(store: Store, args: EditArgs, out: &mut impl Write) -> Result<(), Error> {
    let fields = args.fields.into_core(args.new_id);
    let customer = store.update_customer(&args.customer, fields)?;
    write_out(out, &format!("{}\n", customer.customer_id))
}

pub fn delete(store: Store, args: DeleteArgs, out: &mut impl Write) -> Result<(), Error> {
    let gone = store.delete_customer(&args.id)?;
    write_out(
        out,
        &format!("Deleted {} ({}).\n", gone.customer_id, gone.name),
    )
}

pub fn history(store: Store, args: HistoryArgs, out: &mut impl Write) -> Result<(), Error> {
    let entries = store.history(&args.customer, None, args.limit)?;
    write_list(
        out,
        args.json,
        &entries,
        |e| e,
        |e| format!("{}  {} {} {}\n", e.at, e.action, e.entity, e.entity_id),
    )
}

pub fn copy(store: Store, args: CopyArgs, out: &mut impl Write) -> Result<(), Error> {
    let options = CopyOptions {
        name: args.name,
        customer_id: args.id,
        profile: args.profile,
        services: args.services,
        groups: args.groups,
    };
    let customer = store.copy_customer(&args.source, options)?;
    match args.json {
        true => write_json(out, &customer.listing()),
        false => write_out(out, &format!("{}\n", customer.customer_id)),
    }
}
