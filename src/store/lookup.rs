//! Which row a typed name means: a customer by its ID, a user by its username, a group of a
//! customer and a service of the catalogue by their names — the stored spelling first (ignoring
//! ASCII case, as the columns compare), else the one with the same identity (without regard to
//! case in every script, `cb_fold`); and whether a name a customer's group or job would take is
//! taken. Shared by every module of the store; it calls none of them.

use crate::error::{Error, Result};
use rusqlite::{Connection, OptionalExtension};

/// Picks the customer a typed ID (the parameter `$p`) means: the one whose identity it has
/// ([`identity`](crate::model::text::identity): "STRASSE" finds "straße"). Of two customers of
/// an older file that are one identity (006_identity.sql), the later one (its identity marked)
/// is found by its own spelling, ignoring ASCII case as the column compares — first, through
/// the small index of marked rows.
macro_rules! by_customer_id {
    ($p:literal) => {
        concat!(
            "id = (SELECT id FROM customers WHERE instr(id_fold, char(1)) > 0 AND customer_id = ",
            $p,
            " UNION ALL SELECT id FROM customers WHERE id_fold = cb_fold(",
            $p,
            ") LIMIT 1)"
        )
    };
}
pub(crate) use by_customer_id;

/// Picks the user a typed username (the parameter `$p`) means: the one with that name as stored
/// (ignoring ASCII case), else the one whose identity it has (see `by_customer_id`).
macro_rules! by_username {
    ($p:literal) => {
        concat!(
            "id = (SELECT id FROM users WHERE username = ",
            $p,
            " UNION ALL SELECT id FROM users WHERE username_fold = cb_fold(",
            $p,
            ") LIMIT 1)"
        )
    };
}
pub(crate) use by_username;

/// The row id of the customer `customer_id` (without regard to case: its identity form).
pub(crate) fn customer_ref(conn: &Connection, customer_id: &str) -> Result<i64> {
    conn.prepare_cached(concat!(
        "SELECT id FROM customers WHERE ",
        by_customer_id!("?1")
    ))?
    .query_row([customer_id], |r| r.get(0))
    .optional()?
    .ok_or_else(|| Error::NotFound(format!("There is no customer with the ID '{customer_id}'.")))
}

/// "the customer 'Acme' (acme)" for a user that holds `username` or its identity, if any.
pub(crate) fn username_holder(conn: &Connection, username: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT c.name, c.customer_id FROM users u JOIN customers c ON c.id = u.customer_ref \
             WHERE u.username_fold = cb_fold(?1) OR u.username = ?1 LIMIT 1",
        )?
        .query_row([username], |r| {
            Ok(format!(
                "the customer \u{201c}{}\u{201d} ({})",
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?
            ))
        })
        .optional()?)
}

pub(crate) fn group_id(conn: &Connection, cref: i64, name: &str) -> Result<(i64, String)> {
    conn.prepare_cached(
        "SELECT id, name FROM groups WHERE customer_ref = ?1 AND cb_fold(name) = cb_fold(?2)",
    )?
    .query_row((cref, name.trim()), |r| Ok((r.get(0)?, r.get(1)?)))
    .optional()?
    .ok_or_else(|| Error::NotFound(format!("This customer has no group '{}'.", name.trim())))
}

/// Refuses `name` for one of the customer's groups or jobs (`what`, in the table `table`) when
/// another of them already has it or its identity.
pub(crate) fn refuse_taken_name(
    conn: &Connection,
    table: &'static str,
    what: &str,
    cref: i64,
    name: &str,
) -> Result<()> {
    let taken: bool = conn
        .prepare_cached(&format!(
            "SELECT count(*) FROM {table} WHERE customer_ref = ?1 AND cb_fold(name) = cb_fold(?2)"
        ))?
        .query_row((cref, name), |r| r.get(0))?;
    match taken {
        true => Err(Error::Conflict {
            field: Some("name"),
            message: format!("This customer already has a {what} '{name}'."),
        }),
        false => Ok(()),
    }
}

pub(crate) fn service_id(conn: &Connection, name: &str) -> Result<(i64, String)> {
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
