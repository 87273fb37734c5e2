//! The MSP's administrators: who has access to every customer (shown, read-only, on each
//! customer's Users tab).

use super::Store;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// An MSP administrator: has access to every customer (shown read-only on each Users tab).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Administrator {
    pub name: String,
    pub email: String,
}

impl Store {
    pub fn administrators(&self) -> Result<Vec<Administrator>> {
        self.read(|c| {
            let mut stmt =
                c.prepare("SELECT name, email FROM administrators ORDER BY name, email")?;
            let rows = stmt.query_map([], |r| {
                Ok(Administrator {
                    name: r.get(0)?,
                    email: r.get(1)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    pub fn add_administrator(&self, name: &str, email: &str) -> Result<Administrator> {
        let name = name.trim().to_owned();
        let email = email.trim().to_owned();
        let mut errors = Vec::new();
        if name.is_empty() {
            errors.push(crate::error::FieldError {
                field: "name",
                label: "Name",
                message: "A name is required.".into(),
            });
        }
        if let Err(message) = crate::model::user::check_email(&email) {
            errors.push(crate::error::FieldError {
                field: "email",
                label: "Email",
                message,
            });
        }
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        self.write(|tx| {
            let taken: bool = tx.query_row(
                "SELECT count(*) FROM administrators WHERE email = ?1",
                [&email],
                |r| r.get(0),
            )?;
            if taken {
                return Err(Error::Conflict {
                    field: Some("email"),
                    message: format!("'{email}' is already an administrator."),
                });
            }
            tx.execute(
                "INSERT INTO administrators (name, email) VALUES (?1, ?2)",
                (&name, &email),
            )?;
            Ok(Administrator {
                name: name.clone(),
                email: email.clone(),
            })
        })
    }

    pub fn delete_administrator(&self, email: &str) -> Result<()> {
        self.write(|tx| {
            match tx.execute(
                "DELETE FROM administrators WHERE email = ?1",
                [email.trim()],
            )? {
                0 => Err(Error::NotFound(format!(
                    "'{}' is not an administrator.",
                    email.trim()
                ))),
                _ => Ok(()),
            }
        })
    }
}
