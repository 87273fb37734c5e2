//! What an import reports: its counts, every problem by row and column (the first 100,000),
//! the notice about rows added beside stored customers, and the sentence a toast shows.

use super::*;

/// Errors kept in a report; beyond this they are only counted (a file of a million bad rows
/// must not need gigabytes to describe).
pub const MAX_ERRORS: usize = 100_000;

/// What an import did (or, for a dry run, would do).
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub file: String,
    pub encoding: String,
    pub delimiter: String,
    /// Each column of the file with the field it feeds (`null`: ignored).
    pub columns: Vec<super::super::read::Column>,
    pub ignored_columns: Vec<String>,
    pub rows_read: u64,
    pub inserted: u64,
    /// Customers "Update existing" changed. A row that matches its customer already is not
    /// written (its customer keeps its Updated time) and is counted in `unchanged` instead.
    pub updated: u64,
    /// Rows of existing customers that already had every value the row gives.
    pub unchanged: u64,
    /// Rows not written: duplicates plus invalid rows.
    pub skipped: u64,
    pub duplicates: u64,
    pub invalid: u64,
    /// Of the invalid rows: those whose customer ID a stored customer has, without "Update
    /// existing" (the same file imported again, an export brought back). Not wrong in the
    /// file — the report says how to update them instead.
    pub stored: u64,
    pub errors: Vec<RowError>,
    /// Errors beyond [`MAX_ERRORS`], counted but not listed.
    pub more_errors: u64,
    pub dry_run: bool,
    /// Whether the database was changed.
    pub written: bool,
    /// `--strict` / "stop on any error" found errors, so nothing was written.
    pub aborted: bool,
    /// Rows without a customer ID whose name makes the ID of a stored customer: without
    /// "Update existing" each is added beside it under the next free ID ("acme-2"). Seldom
    /// what a second import of the same list means, so the report says so.
    pub added_beside: u64,
    /// That, said in a sentence with the first such row (`None` when there are none, and
    /// with "Update existing", which updates those customers).
    pub notice: Option<String>,
    /// The imported file's size and modification time when it was read: the error report
    /// reads its rows again only if they are the same.
    #[serde(skip)]
    pub source_stamp: Option<crate::files::Stamp>,
    /// The token of this import's Undo ([`Store::undo_import`]) when it wrote something.
    pub undo: Option<u64>,
    /// Rows of the file as read, for the preview (see [`CsvSource::examples`]).
    pub examples: Vec<ExampleRow>,
    /// How the file was read, for the error report to read its rows again the same way.
    #[serde(skip)]
    pub read_as: ReadAs,
}

impl ImportReport {
    /// The CLI's `--json` object: exactly `inserted`, `updated`, `skipped` and `errors`.
    pub fn summary_json(&self) -> serde_json::Value {
        summary_json(self.inserted, self.updated, self.skipped, &self.errors)
    }

    /// One sentence for a toast or the terminal.
    pub fn summary(&self) -> String {
        let n = crate::model::text::thousands;
        let verb = match (self.dry_run, self.aborted) {
            (_, true) => "Nothing was imported because of errors (stop on any error);".to_owned(),
            (true, false) => "Would import:".to_owned(),
            (false, false) => "Imported:".to_owned(),
        };
        let unchanged = match self.unchanged {
            0 => String::new(),
            u => format!(", {} unchanged", n(u as usize)),
        };
        format!(
            "{verb} {} added, {} updated{unchanged}, {} skipped of {} rows read.",
            n(self.inserted as usize),
            n(self.updated as usize),
            n(self.skipped as usize),
            n(self.rows_read as usize)
        )
    }

    pub(super) fn error(&mut self, row: u64, column: Option<String>, message: String) {
        if self.errors.len() < MAX_ERRORS {
            self.errors.push(RowError {
                row,
                column,
                message,
            });
        } else {
            self.more_errors += 1;
        }
    }
}

/// The report's notice about rows added beside stored customers of the same name, with the
/// first of them; [`finish_notice`] completes it once the count is known.
pub(super) fn added_beside(line: u64, name: &str, id: &str, stored: &Customer) -> String {
    format!(
        "row {line}, \u{201c}{name}\u{201d}: '{id}' next to '{}'",
        stored.customer_id
    )
}

/// The notice's sentence: how many rows and what happens to them (the CLI and the window each
/// add how to update them instead).
pub(super) fn finish_notice(report: &mut ImportReport) {
    let Some(first) = report.notice.take() else {
        return;
    };
    let n = report.added_beside;
    let done = !report.dry_run;
    let rows = match n {
        1 => "1 row".to_owned(),
        n => format!("{} rows", crate::model::text::thousands(n as usize)),
    };
    let (have, be) = match (n == 1, done) {
        (true, false) => ("has", "it will be added as a new customer beside it"),
        (false, false) => ("have", "they will be added as new customers beside them"),
        (true, true) => ("had", "it was added as a new customer beside it"),
        (false, true) => ("had", "they were added as new customers beside them"),
    };
    report.notice = Some(format!(
        "{rows} {have} no customer ID and the name of a stored customer, so {be} ({first})."
    ));
}
