//! Many customers in one transaction: the benchmark's generator now, the CSV importer later.

use super::{customers, Store};
use crate::error::Result;
use crate::model::ValidCustomer;

impl Store {
    /// Inserts `(customer ID, fields)` pairs in one transaction with one prepared statement:
    /// all of them or, on the first error, none.
    pub fn insert_many(
        &self,
        customers: impl IntoIterator<Item = (String, ValidCustomer)>,
    ) -> Result<u64> {
        self.write(|tx| {
            let mut n = 0;
            let at = customers::now(tx)?;
            for (id, c) in customers {
                let keys = c.keys(&id);
                customers::insert(tx, &id, &c, false, customers::Stamps::at(&at), None, &keys)?;
                n += 1;
            }
            Ok(n)
        })
    }
}
