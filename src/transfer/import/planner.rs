//! The decisions of one import, row by row in file order, against the database and the rows
//! before: added, updated, unchanged, a duplicate, already stored, or the own company.

use super::*;

/// The per-row decisions of one import.
pub(super) struct Planner {
    pub(super) options: ImportOptions,
    /// Each customer ID given or derived so far (as its identity, as the database compares) and
    /// the line of the row that claimed it, with [`MADE`] set when the importer made the ID
    /// (from the row's name) rather than the row giving it.
    pub(super) seen: HashMap<String, u64>,
    /// The row that set the own company.
    pub(super) own_row: Option<u64>,
    /// The current row's Autotask mapping: `None` when the file has no mapping columns (the
    /// mapping is left as it is), `Some(None)` for "not mapped".
    pub(super) mapping: Option<Option<Mapping>>,
}

impl Planner {
    /// Decides and writes one row. It takes out of `row` only what it keeps; the rest is freed
    /// by the thread that made it.
    pub(super) fn apply(
        &mut self,
        tx: &mut ImportTx,
        columns: &[Column],
        row: &mut Prepared,
        report: &mut ImportReport,
    ) -> Result<()> {
        match row {
            Prepared::Failed(e) => Err(e
                .take()
                .unwrap_or_else(|| Error::Refused("The file could not be read on.".into()))),
            Prepared::Invalid { line, errors } => {
                self.invalid(report, *line, std::mem::take(errors))
            }
            Prepared::Checked(checked) => self.row(tx, columns, checked, report),
        }
    }

    pub(super) fn row(
        &mut self,
        tx: &mut ImportTx,
        columns: &[Column],
        checked: &mut Checked,
        report: &mut ImportReport,
    ) -> Result<()> {
        let Checked {
            line,
            fields,
            valid,
            key,
            folded,
            keys,
            explicit,
            own,
            mapping,
            stamps,
            fell_back,
        } = checked;
        let cols = RowColumns { columns, fell_back };
        let (line, explicit, own) = (*line, *explicit, *own);
        self.mapping = mapping.take();
        let col = |f: Field| Some(cols.header(f));
        // Never empty: a valid name has a letter or digit that shows, which its slug keeps.
        let (key, folded): (&str, String) = (key, std::mem::take(folded));
        let key_column = if explicit {
            col(Field::CustomerId)
        } else {
            col(Field::Name)
        };
        if own {
            return self.own(
                tx,
                cols,
                line,
                (std::mem::take(fields), stamps),
                key,
                explicit,
                report,
            );
        }
        let found = match self.seen.entry(folded) {
            Entry::Occupied(first) => {
                let (first, made) = (first.get() & !MADE, first.get() & MADE != 0);
                let outcome = match self.options.strict {
                    true => "",
                    false => "; the first occurrence is imported, this row is skipped",
                };
                let message = match (explicit, made) {
                    (true, false) => format!("The customer ID '{key}' already appears in row {first}{outcome}."),
                    (true, true) => format!("The customer ID '{key}' was already given to row {first}, which has no ID of its own (it was made from its name){outcome}. Give one of the two rows another ID."),
                    (false, _) => format!("'{}' (customer ID '{key}') already appears in row {first}{outcome}.", valid.name),
                };
                report.duplicates += 1;
                report.error(line, key_column, message);
                return Ok(());
            }
            Entry::Vacant(vacant) => {
                let found = tx.find_folded(key, vacant.key())?;
                vacant.insert(if explicit { line } else { line | MADE });
                found
            }
        };

        match found {
            // Some tools' IDs tell case apart (Salesforce's "…1aB" and "…1ab" are two
            // accounts); Clientbook's do not. Updating on such a match could overwrite another
            // customer, unseen: the row says so instead.
            Some(current) if self.options.update && explicit && current.customer_id != key => {
                let message = format!(
                    "'{key}' matches the customer ID '{}' (\u{201c}{}\u{201d}) only when case is ignored, as customer IDs are compared; to update that customer, write its ID as '{}'.",
                    current.customer_id, current.name, current.customer_id
                );
                // Not imported: a later row with the stored ID is no duplicate of this one.
                self.seen.remove(&identity(key));
                self.invalid(report, line, vec![(key_column, message)])
            }
            Some(current) if self.options.update => {
                self.update(tx, cols, line, std::mem::take(fields), &current, report)
            }
            Some(current) if explicit => {
                let stored = current.customer_id == key;
                report.stored += u64::from(stored);
                let message = match stored {
                    true => format!(
                        "A customer with the ID '{}' already exists (\u{201c}{}\u{201d}); choose 'Update existing' to update it.",
                        current.customer_id, current.name
                    ),
                    false => format!(
                        "'{key}' is taken: the customer ID '{}' (\u{201c}{}\u{201d}) differs only in case, and customer IDs are compared without it. Give this row another ID, or to update that customer write its ID as '{}' and choose 'Update existing'.",
                        current.customer_id, current.name, current.customer_id
                    ),
                };
                self.invalid(report, line, vec![(key_column, message)])
            }
            Some(current) => {
                // A name whose ID is taken gets the next free ID, as when adding in the window.
                let id = self.free_id(tx, key)?;
                report.added_beside += 1;
                if report.notice.is_none() {
                    report.notice = Some(added_beside(line, &valid.name, &id, &current));
                }
                self.seen.insert(identity(&id), line | MADE);
                keys.set_id(&id);
                self.insert(tx, &id, (valid, keys), stamps, report)
            }
            None => self.insert(tx, key, (valid, keys), stamps, report),
        }
    }

    pub(super) fn invalid(
        &mut self,
        report: &mut ImportReport,
        line: u64,
        errors: Vec<(Option<String>, String)>,
    ) -> Result<()> {
        report.invalid += 1;
        for (column, message) in errors {
            report.error(line, column, message);
        }
        Ok(())
    }

    pub(super) fn insert(
        &mut self,
        tx: &mut ImportTx,
        id: &str,
        customer: (&ValidCustomer, &SearchKeys),
        stamps: &Stamps,
        report: &mut ImportReport,
    ) -> Result<()> {
        if !(self.options.strict && report.errors.len() + report.more_errors as usize > 0) {
            // A new customer has no mapping yet: only a mapped row has one to write.
            let mapping = self.mapping.take().flatten();
            let (created, updated) = stamps.get();
            tx.insert(id, customer, mapping.as_ref(), created, updated)?;
        }
        report.inserted += 1;
        Ok(())
    }

    pub(super) fn update(
        &mut self,
        tx: &mut ImportTx,
        cols: RowColumns,
        line: u64,
        fields: CustomerFields,
        current: &Customer,
        report: &mut ImportReport,
    ) -> Result<()> {
        let fields = CustomerFields {
            customer_id: Some(current.customer_id.clone()),
            ..fields
        };
        let valid = match fields.over(current).validate() {
            Ok(v) => v,
            Err(Error::Invalid(errs)) => {
                let errors = errs.iter().map(|e| column_error(cols, e)).collect();
                return self.invalid(report, line, errors);
            }
            Err(e) => return Err(e),
        };
        if current.own && !valid.validity.is_active() {
            let message = format!(
                "\u{201c}{}\u{201d} is your own company; it is always active.",
                current.name
            );
            return self.invalid(
                report,
                line,
                vec![(Some(cols.header(Field::Validity)), message)],
            );
        }
        if self.leaves_as_is(&valid, current) {
            report.unchanged += 1;
            return Ok(());
        }
        let mapping = self.mapping.take();
        tx.update(
            &current.customer_id,
            &current.customer_id,
            &valid,
            mapping.as_ref().map(Option::as_ref),
        )?;
        report.updated += 1;
        Ok(())
    }

    /// A row marked as the own company fills in this database's own company: always with
    /// "Update existing", and without it only while the own company is still as a new database
    /// has it (so that an export imported into a new database reproduces it).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn own(
        &mut self,
        tx: &mut ImportTx,
        cols: RowColumns,
        line: u64,
        (fields, stamps): (CustomerFields, &Stamps),
        key: &str,
        explicit: bool,
        report: &mut ImportReport,
    ) -> Result<()> {
        let own_col = Some(cols.header(Field::Own));
        if let Some(first) = self.own_row {
            report.duplicates += 1;
            report.error(
                line,
                own_col,
                format!("Row {first} already sets the own company; this row is skipped."),
            );
            return Ok(());
        }
        let current = tx.own()?;
        let pristine = current.name == "My company"
            && [
                &current.street,
                &current.zip,
                &current.city,
                &current.country,
                &current.url,
                &current.comment,
            ]
            .iter()
            .all(|f| f.is_none());
        if !(self.options.update || pristine) {
            let message = format!(
                "This database already has its own company (\u{201c}{}\u{201d}); choose 'Update existing' to replace its details.",
                current.name
            );
            return self.invalid(report, line, vec![(own_col, message)]);
        }
        let new_id = if explicit {
            key.to_owned()
        } else {
            current.customer_id.clone()
        };
        let lower = identity(&new_id);
        let taken = lower != identity(&current.customer_id)
            && (self.seen.contains_key(&lower) || tx.find(&new_id)?.is_some());
        if taken {
            let message =
                format!("The customer ID '{new_id}' is already used by another customer.");
            return self.invalid(
                report,
                line,
                vec![(Some(cols.header(Field::CustomerId)), message)],
            );
        }
        let fields = CustomerFields {
            customer_id: Some(new_id.clone()),
            ..fields
        };
        let valid = match fields.over(&current).validate() {
            Ok(v) => v,
            Err(Error::Invalid(errs)) => {
                let errors = errs.iter().map(|e| column_error(cols, e)).collect();
                return self.invalid(report, line, errors);
            }
            Err(e) => return Err(e),
        };
        if !valid.validity.is_active() {
            let message = "The own company is always active.".to_owned();
            return self.invalid(
                report,
                line,
                vec![(Some(cols.header(Field::Validity)), message)],
            );
        }
        self.own_row = Some(line);
        self.seen.insert(lower, line);
        // A new database's own company takes the row's dates below, even with equal fields —
        // unless it has them already (the file is this database's own export).
        let (created, updated) = stamps.get();
        let same_dates = created.is_none_or(|c| c == current.created_at)
            && updated.is_none_or(|u| u == current.updated_at);
        if (!pristine || same_dates) && self.leaves_as_is(&valid, &current) {
            report.unchanged += 1;
            return Ok(());
        }
        let mapping = self.mapping.take();
        tx.update(
            &current.customer_id,
            &new_id,
            &valid,
            mapping.as_ref().map(Option::as_ref),
        )?;
        if pristine {
            // A new database's own company is, in effect, created by this row: it takes the
            // row's Created and Updated, as a new customer would.
            let (created, updated) = stamps.get();
            tx.set_stamps(&new_id, created, updated)?;
        }
        report.updated += 1;
        Ok(())
    }

    /// Whether the current row would change nothing of `current`: neither a field nor, when the
    /// file has mapping columns, the mapping. Then its mapping is dropped unwritten.
    pub(super) fn leaves_as_is(&mut self, valid: &ValidCustomer, current: &Customer) -> bool {
        let same_mapping = match &self.mapping {
            None => true,
            Some(mapping) => mapping.as_ref() == current.autotask.as_ref(),
        };
        let unchanged = same_mapping && valid.is_stored_as(current);
        if unchanged {
            self.mapping = None;
        }
        unchanged
    }

    /// `base-2`, `base-3`… : the first ID neither in the database nor claimed by the file.
    pub(super) fn free_id(&mut self, tx: &ImportTx, base: &str) -> Result<String> {
        for n in 2u64.. {
            let id = slug::with_suffix(base, n);
            if !self.seen.contains_key(&identity(&id)) && tx.find(&id)?.is_none() {
                return Ok(id);
            }
        }
        unreachable!("an unbounded range always yields a free ID")
    }
}
