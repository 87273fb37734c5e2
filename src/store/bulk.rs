//! Many customers in one transaction: the benchmark's generator now, the CSV importer later.

use super::{Store, NOW};
use crate::error::Result;
use crate::model::{text::fold, ValidCustomer};

impl Store {
    /// Inserts `(customer ID, fields)` pairs in one transaction with one prepared statement:
    /// all of them or, on the first error, none.
    pub fn insert_many(
        &self,
        customers: impl IntoIterator<Item = (String, ValidCustomer)>,
    ) -> Result<u64> {
        self.write(|tx| {
            let mut stmt = tx.prepare_cached(&format!(
                "INSERT INTO customers (customer_id, name, name_key, street, zip, city, city_key, \
                 country, url, comment, validity, is_own, created_at, updated_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 0, {NOW}, {NOW})"
            ))?;
            let mut n = 0;
            for (id, c) in customers {
                let opt = |v: &Option<String>| v.as_deref().unwrap_or_default().to_owned();
                stmt.execute(rusqlite::params![
                    id,
                    c.name,
                    fold(&c.name),
                    opt(&c.street),
                    opt(&c.zip),
                    opt(&c.city),
                    fold(c.city.as_deref().unwrap_or_default()),
                    opt(&c.country),
                    opt(&c.url),
                    opt(&c.comment),
                    c.validity.as_str(),
                ])?;
                n += 1;
            }
            Ok(n)
        })
    }
}
