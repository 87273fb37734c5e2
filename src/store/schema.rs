//! The database's own shape: every table, column, index and trigger as this Clientbook makes
//! them, compared with a file's ([`shape`], cheap: run at every opening), and the rules the store
//! relies on that SQLite cannot keep by itself ([`invariants`], a pass over the data: run by
//! `clientbook db check`). Each finding is a sentence; none quotes SQL.

use super::migrate::{apply_migrations_to, CLASH_MARK, MIGRATIONS};
use crate::model::text::{identity, search_key};
use rusqlite::{Connection, OptionalExtension};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// One schema object as `sqlite_master` and `table_xinfo` describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Object {
    kind: String,
    sql: String,
    /// Tables: (name, declared type, not null, default, primary key part, hidden) per column.
    columns: Vec<(String, String, bool, Option<String>, i64, i64)>,
}

type Shape = BTreeMap<String, Object>;

/// The shape of a database, SQLite's own objects aside.
fn read_shape(conn: &Connection) -> rusqlite::Result<Shape> {
    let mut stmt = conn.prepare(
        "SELECT type, name, coalesce(sql, '') FROM sqlite_master \
         WHERE name NOT LIKE 'sqlite_%' ORDER BY name",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut shape = Shape::new();
    for (kind, name, sql) in rows {
        let columns = match kind.as_str() {
            "table" => {
                let mut cols = conn.prepare("SELECT * FROM pragma_table_xinfo(?1)")?;
                let found = cols.query_map([&name], |r| {
                    Ok((
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, bool>(3)?,
                        r.get::<_, Option<String>>(4)?,
                        r.get::<_, i64>(5)?,
                        r.get::<_, i64>(6)?,
                    ))
                });
                // A virtual table whose module is gone cannot even list its columns.
                match found {
                    Ok(rows) => rows
                        .collect::<rusqlite::Result<Vec<_>>>()
                        .unwrap_or_default(),
                    Err(_) => Vec::new(),
                }
            }
            _ => Vec::new(),
        };
        let sql = sql.split_whitespace().collect::<Vec<_>>().join(" ");
        shape.insert(name, Object { kind, sql, columns });
    }
    Ok(shape)
}

/// The shape a file of schema `version` has when this Clientbook made it: every migration up to
/// it applied to an empty database (once per process and version).
fn expected(version: i64) -> Option<&'static Shape> {
    static SHAPES: OnceLock<Vec<Option<Shape>>> = OnceLock::new();
    let shapes = SHAPES.get_or_init(|| {
        let mut shapes = vec![None; MIGRATIONS.len() + 1];
        let Ok(mut conn) = Connection::open_in_memory() else {
            return shapes;
        };
        for (index, slot) in shapes.iter_mut().enumerate().skip(1) {
            if apply_migrations_to(&mut conn, index as i64 - 1, index as i64).is_err() {
                break;
            }
            *slot = read_shape(&conn).ok();
        }
        shapes
    });
    shapes.get(usize::try_from(version).ok()?)?.as_ref()
}

fn noun(kind: &str, name: &str) -> String {
    match (kind, name) {
        ("table", "customers_fts") => "the search index (customers_fts)".into(),
        ("table", n) if n.starts_with("customers_fts_") => {
            format!("the search index's table '{n}'")
        }
        ("table", n) => format!("the table '{n}'"),
        ("index", n) => format!("the index '{n}'"),
        ("trigger", n) => format!("the trigger '{n}'"),
        ("view", n) => format!("the view '{n}'"),
        (k, n) => format!("the {k} '{n}'"),
    }
}

fn capitalised(s: String) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => s,
    }
}

/// How the file's tables, columns, indexes and triggers differ from what this Clientbook made
/// at schema `version`: one sentence per difference; empty when they agree.
pub(crate) fn shape(conn: &Connection, version: i64) -> Vec<String> {
    let Some(want) = expected(version) else {
        return Vec::new();
    };
    let have = match read_shape(conn) {
        Ok(shape) => shape,
        Err(e) => {
            return vec![format!(
                "The list of the database's tables cannot be read ({}).",
                crate::error::sqlite_words(&e)
            )]
        }
    };
    let mut findings = Vec::new();
    for (name, want) in want {
        let Some(have) = have.get(name) else {
            findings.push(capitalised(format!(
                "{} is missing.",
                noun(&want.kind, name)
            )));
            continue;
        };
        if have.kind != want.kind {
            findings.push(capitalised(format!(
                "{} is a {} where Clientbook made a {}.",
                noun(&want.kind, name),
                have.kind,
                want.kind
            )));
            continue;
        }
        if have.sql == want.sql {
            continue;
        }
        let before = findings.len();
        if want.kind == "table" {
            for column in &want.columns {
                match have.columns.iter().find(|c| c.0 == column.0) {
                    None => findings.push(capitalised(format!(
                        "{} has no column '{}'.",
                        noun("table", name),
                        column.0
                    ))),
                    Some(found) if found != column => findings.push(capitalised(format!(
                        "The column '{}' of {} is not as Clientbook made it (its type, default \
                         or rules differ).",
                        column.0,
                        noun("table", name)
                    ))),
                    Some(_) => {}
                }
            }
            for column in &have.columns {
                if !want.columns.iter().any(|c| c.0 == column.0) {
                    findings.push(capitalised(format!(
                        "{} has a column '{}' that Clientbook did not make.",
                        noun("table", name),
                        column.0
                    )));
                }
            }
        }
        if findings.len() == before {
            findings.push(capitalised(format!(
                "{} is not as Clientbook made it (its definition differs).",
                noun(&want.kind, name)
            )));
        }
    }
    for (name, have) in &have {
        if !want.contains_key(name) {
            findings.push(capitalised(format!(
                "{} was not made by Clientbook (another program added it).",
                noun(&have.kind, name)
            )));
        }
    }
    findings
}

/// The rules the store relies on that the schema alone does not keep, read from the data (a
/// file of this version's schema): exactly one own company, every customer's search keys made
/// from its values, the search index holding exactly the customers, and no row pointing at a
/// row that is not there. One sentence per broken rule.
pub(crate) fn invariants(
    conn: &Connection,
    search_index: SearchIndexCheck,
    unchecked: &mut Vec<String>,
) -> Vec<String> {
    let mut findings = Vec::new();
    let own: rusqlite::Result<i64> =
        conn.query_row("SELECT count(*) FROM customers WHERE is_own = 1", [], |r| {
            r.get(0)
        });
    match own {
        Ok(1) => {}
        Ok(0) => findings.push("There is no own company (the MSP's own customer).".into()),
        Ok(n) => findings.push(format!("There are {n} own companies; there must be one.")),
        Err(e) => findings.push(format!(
            "The customers cannot be read ({}).",
            crate::error::sqlite_words(&e)
        )),
    }
    match stale_search_keys(conn) {
        Ok((0, _)) => {}
        Ok((n, first)) => findings.push(format!(
            "{n} customer{} search keys do not match {} values, so searching and sorting \
             miss {} (the first: '{}').",
            if n == 1 { "'s" } else { "s'" },
            if n == 1 { "its" } else { "their" },
            if n == 1 { "it" } else { "them" },
            first.unwrap_or_default()
        )),
        Err(e) => findings.push(format!(
            "The customers' search keys cannot be read ({}).",
            crate::error::sqlite_words(&e)
        )),
    }
    match search_index {
        SearchIndexCheck::Run => {
            // FTS5's own check compares the index with the customers table. It runs as an
            // INSERT (which writes nothing), so it runs in a transaction that is rolled back.
            let checked = conn
                .execute_batch(
                    "PRAGMA query_only = OFF; BEGIN; \
                     INSERT INTO customers_fts (customers_fts, rank) VALUES ('integrity-check', 1);",
                )
                .map(|_| ());
            let _ = conn.execute_batch("ROLLBACK; PRAGMA query_only = ON;");
            let busy = |e: &rusqlite::Error| {
                matches!(
                    e.sqlite_error_code(),
                    Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
                )
            };
            match checked {
                Ok(()) => {}
                Err(e) if busy(&e) => unchecked.push(
                    "The search index was not compared with the customers: another program is \
                     writing to the file (SQLite's check of the index waits for that)."
                        .to_owned(),
                ),
                Err(e) => findings.push(format!(
                    "The search index does not match the customers ({}), so searches may miss \
                     or show the wrong customers.",
                    crate::error::sqlite_words(&e)
                )),
            }
        }
        SearchIndexCheck::ReadOnly => {}
    }
    match clashes(conn) {
        Ok(found) => findings.extend(found),
        Err(e) => findings.push(format!(
            "The customer IDs and usernames cannot be compared ({}).",
            crate::error::sqlite_words(&e)
        )),
    }
    let dangling: rusqlite::Result<Option<(i64, String)>> = conn
        .query_row(
            "SELECT count(*), min(\"table\") FROM pragma_foreign_key_check HAVING count(*) > 0",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional();
    if let Ok(Some((n, table))) = dangling {
        findings.push(format!(
            "{n} row{} point{} at rows that are not there (the first in the table '{table}').",
            if n == 1 { "" } else { "s" },
            if n == 1 { "s" } else { "" },
        ));
    }
    findings
}

/// Whether [`invariants`] may run FTS5's check of the search index, which SQLite runs only on
/// a connection that could write (it writes nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SearchIndexCheck {
    Run,
    ReadOnly,
}

/// How many customers' stored search keys or identity differ from those of their values, and
/// the first. (An identity marked as clashing, see 006_identity.sql, is its value's too.)
fn stale_search_keys(conn: &Connection) -> rusqlite::Result<(u64, Option<String>)> {
    let mut stmt = conn.prepare(
        "SELECT customer_id, name, city, id_key, name_key, city_key, id_fold FROM customers",
    )?;
    let mut rows = stmt.query([])?;
    let (mut n, mut first) = (0, None);
    while let Some(r) = rows.next()? {
        let value = |i| {
            r.get_ref(i)
                .map(|v| v.as_str().unwrap_or_default().to_owned())
        };
        let (id, name, city) = (value(0)?, value(1)?, value(2)?);
        let fold = value(6)?;
        let own = identity(&id);
        let same_identity = fold == own
            || fold
                .strip_prefix(own.as_str())
                .is_some_and(|rest| rest.starts_with(CLASH_MARK));
        let stale = search_key(&id) != value(3)?
            || search_key(&name) != value(4)?
            || search_key(&city) != value(5)?
            || !same_identity;
        if stale {
            n += 1;
            first.get_or_insert(id);
        }
    }
    Ok((n, first))
}

/// Customer IDs and usernames of an older file that are one identity without regard to case
/// (kept apart by a marker, see 006_identity.sql): a sentence per pair, saying what to do.
pub(crate) fn clashes(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let pairs =
        |table: &str, column: &str, fold: &str| -> rusqlite::Result<Vec<(String, String)>> {
            let mut stmt = conn.prepare(&format!(
                "SELECT c.{column}, o.{column} FROM {table} c JOIN {table} o \
             ON o.{fold} = substr(c.{fold}, 1, instr(c.{fold}, char(1)) - 1) \
             WHERE instr(c.{fold}, char(1)) > 0 ORDER BY c.id"
            ))?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect()
        };
    let mut found = Vec::new();
    for (later, first) in pairs("customers", "customer_id", "id_fold")? {
        found.push(format!(
            "The customer IDs '{first}' and '{later}' are the same without regard to case, so \
             one of them cannot be found by its ID; give '{later}' another ID."
        ));
    }
    for (later, first) in pairs("users", "username", "username_fold")? {
        found.push(format!(
            "The usernames '{first}' and '{later}' are the same without regard to case, so one \
             of them cannot be found by its name; delete '{later}' and add that user again \
             under another username."
        ));
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_database_has_exactly_the_expected_shape() {
        let store = crate::Store::open_in_memory().unwrap();
        let conn = super::super::lock(&store.writer);
        assert_eq!(
            shape(&conn, super::super::SCHEMA_VERSION),
            Vec::<String>::new()
        );
        let mut unchecked = Vec::new();
        assert_eq!(
            invariants(&conn, SearchIndexCheck::Run, &mut unchecked),
            Vec::<String>::new()
        );
        assert!(unchecked.is_empty());
    }

    #[test]
    fn every_version_has_a_shape() {
        for version in 1..=super::super::SCHEMA_VERSION {
            assert!(expected(version).is_some(), "version {version}");
        }
        assert!(expected(0).is_none() && expected(-1).is_none());
    }
}
