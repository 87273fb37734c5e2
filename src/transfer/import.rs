//! Importing customers from CSV: every row checked by the same rules as the edit dialog, every
//! problem reported by row and column, and the valid rows written in one transaction — all or
//! none. A dry run (the app's preview) runs exactly the same code and writes nothing.

use super::read::{
    delimiter_label, has, header_in, is_placeholder, Column, CsvSource, ExampleRow, Field,
    SourceRow,
};
use super::read_as::ReadAs;
use crate::error::{Error, FieldError, Result};
use crate::model::text::quoted;
use crate::model::{
    slug,
    text::{identity, SearchKeys},
    timestamp, Customer, CustomerFields, Mapping, MappingStatus, ValidCustomer,
};
use crate::store::import::ImportTx;
use crate::Store;
use serde::Serialize;
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::path::Path;
use std::sync::mpsc;

/// Errors kept in a report; beyond this they are only counted (a file of a million bad rows
/// must not need gigabytes to describe).
pub const MAX_ERRORS: usize = 100_000;

#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    /// Rows whose customer ID exists update that customer (otherwise they are errors).
    pub update: bool,
    /// Any row error aborts the whole import.
    pub strict: bool,
    /// Check everything, write nothing.
    pub dry_run: bool,
    /// The encoding and delimiter the user chose, in place of the detected ones.
    pub read_as: ReadAs,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    /// The row's line in the file; the header is row 1.
    pub row: u64,
    /// The column's header as the file names it; `None` when the whole row is wrong.
    pub column: Option<String>,
    pub message: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.column {
            Some(c) => write!(f, "Row {}, {c}: {}", self.row, self.message),
            None => write!(f, "Row {}: {}", self.row, self.message),
        }
    }
}

/// The `--json` summary every import-like command prints (CSV import, Autotask pull): exactly
/// `inserted`, `updated`, `skipped` and `errors`.
pub fn summary_json(
    inserted: u64,
    updated: u64,
    skipped: u64,
    errors: &[RowError],
) -> serde_json::Value {
    serde_json::json!({
        "inserted": inserted,
        "updated": updated,
        "skipped": skipped,
        "errors": errors,
    })
}

/// What an import did (or, for a dry run, would do).
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub file: String,
    pub encoding: String,
    pub delimiter: String,
    /// Each column of the file with the field it feeds (`null`: ignored).
    pub columns: Vec<super::read::Column>,
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

    fn error(&mut self, row: u64, column: Option<String>, message: String) {
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Reading and checking rows (and, for an import, writing them).
    Reading,
    /// All rows are in; the sort and search indexes are being built.
    Indexing,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Progress {
    pub phase: Phase,
    pub rows: u64,
    pub bytes: u64,
    pub total_bytes: u64,
}

/// How often (in rows) progress is reported and a cancel is noticed.
const PROGRESS_EVERY: u64 = 2_048;

/// Set in a claimed ID's line (see `Planner::seen`) when the importer made the ID.
const MADE: u64 = 1 << 63;

/// Rows the reading thread hands over at a time, and how many such batches may wait: enough to
/// keep both threads busy, few enough that memory stays small whatever the file's size.
const BATCH_ROWS: usize = 512;
const BATCHES_WAITING: usize = 8;

/// Imports `path`. `progress` is called now and then; returning `false` cancels, and a cancelled
/// import returns [`Error::Cancelled`] with the database as it was. File-level problems (not a
/// text file, no name column, unreadable) are errors naming the file; row problems are in the
/// report.
pub fn import(
    store: &Store,
    path: &Path,
    options: ImportOptions,
    progress: &mut dyn FnMut(&Progress) -> bool,
) -> Result<ImportReport> {
    let mut source = CsvSource::open(path, options.read_as)?;
    let mut report = ImportReport {
        file: path.display().to_string(),
        encoding: source.encoding.to_owned(),
        delimiter: delimiter_label(source.delimiter),
        columns: source.columns.clone(),
        ignored_columns: source.ignored_columns(),
        rows_read: 0,
        inserted: 0,
        updated: 0,
        unchanged: 0,
        skipped: 0,
        duplicates: 0,
        invalid: 0,
        stored: 0,
        errors: Vec::new(),
        more_errors: 0,
        dry_run: options.dry_run,
        written: false,
        aborted: false,
        added_beside: 0,
        notice: None,
        source_stamp: Some(source.stamp()),
        undo: None,
        examples: Vec::new(),
        read_as: options.read_as,
    };
    let write = !options.dry_run;
    let expected = source.estimated_rows();
    let columns = source.columns.clone();
    let total_bytes = source.size;
    let result = store.import_with(write, expected, |tx| {
        let mut planner = Planner {
            options,
            seen: HashMap::new(),
            own_row: None,
            mapping: None,
        };
        // Two threads: this one decides and writes, in file order, while a second reads,
        // decodes and checks the rows ahead of it. When this one stops early (a cancel, a full
        // disk) the channel closes and the reader stops at its next batch. Rows done with go
        // back to the reader to be freed: freeing here what the other thread allocated made both
        // wait on the allocator's locks, slower than one thread alone.
        std::thread::scope(|scope| {
            let (sender, batches) = mpsc::sync_channel(BATCHES_WAITING);
            let (done, freed) = mpsc::channel();
            let source = &mut source;
            scope.spawn(move || read_ahead(source, write, sender, freed));
            for mut batch in batches {
                for row in &mut batch.rows {
                    report.rows_read += 1;
                    planner.apply(tx, &columns, row, &mut report)?;
                    if report.rows_read % PROGRESS_EVERY == 0 {
                        let p = Progress {
                            phase: Phase::Reading,
                            rows: report.rows_read,
                            bytes: batch.bytes,
                            total_bytes,
                        };
                        if !progress(&p) {
                            return Err(Error::Cancelled);
                        }
                    }
                }
                // Fails only once the reader has finished; the rows are then freed here.
                let _ = done.send(batch.rows);
            }
            Ok(())
        })?;
        // Rows read from a file that changed meanwhile may be cut mid-value or come from two
        // versions of it: all or nothing, so nothing.
        source.check_unchanged()?;
        report.skipped = report.duplicates + report.invalid;
        if options.strict && report.skipped > 0 {
            report.aborted = true;
            return Err(Error::Refused(
                "stop on any error: the file has errors".into(),
            ));
        }
        let p = Progress {
            phase: if write {
                Phase::Indexing
            } else {
                Phase::Reading
            },
            rows: report.rows_read,
            bytes: total_bytes,
            total_bytes,
        };
        if !progress(&p) {
            return Err(Error::Cancelled);
        }
        Ok(())
    });
    report.examples = std::mem::take(&mut source.examples);
    match result {
        Ok(((), undo)) => {
            report.written = write && report.inserted + report.updated > 0;
            report.undo = undo;
            finish_notice(&mut report);
            Ok(report)
        }
        Err(Error::Refused(_)) if report.aborted => {
            report.notice = None;
            report.inserted = 0;
            report.updated = 0;
            report.unchanged = 0;
            report.skipped = report.rows_read;
            Ok(report)
        }
        Err(e) => Err(e),
    }
}

/// The report's notice about rows added beside stored customers of the same name, with the
/// first of them; [`finish_notice`] completes it once the count is known.
fn added_beside(line: u64, name: &str, id: &str, stored: &Customer) -> String {
    format!(
        "row {line}, \u{201c}{name}\u{201d}: '{id}' next to '{}'",
        stored.customer_id
    )
}

/// The notice's sentence: how many rows and what happens to them (the CLI and the window each
/// add how to update them instead).
fn finish_notice(report: &mut ImportReport) {
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

/// The file's columns as one row's messages name them: a value that came from a fallback
/// column is that column's.
#[derive(Clone, Copy)]
struct RowColumns<'a> {
    columns: &'a [Column],
    fell_back: &'a [(Field, usize)],
}

impl RowColumns<'_> {
    fn header(self, field: Field) -> String {
        header_in(self.columns, self.fell_back, field)
    }
}

/// A field's error as (the file's column for it, the message).
fn column_error(cols: RowColumns, e: &FieldError) -> (Option<String>, String) {
    let column = field_of(e.field).map_or_else(|| e.label.to_owned(), |f| cols.header(f));
    (
        Some(column),
        e.message.trim_end_matches('.').to_owned() + ".",
    )
}

/// The per-row decisions of one import.
struct Planner {
    options: ImportOptions,
    /// Each customer ID given or derived so far (as its identity, as the database compares) and
    /// the line of the row that claimed it, with [`MADE`] set when the importer made the ID
    /// (from the row's name) rather than the row giving it.
    seen: HashMap<String, u64>,
    /// The row that set the own company.
    own_row: Option<u64>,
    /// The current row's Autotask mapping: `None` when the file has no mapping columns (the
    /// mapping is left as it is), `Some(None)` for "not mapped".
    mapping: Option<Option<Mapping>>,
}

fn field_of(error_field: &str) -> Option<Field> {
    Field::ALL
        .into_iter()
        .find(|f| field_name(*f) == error_field)
}

fn field_name(f: Field) -> &'static str {
    match f {
        Field::CustomerId => "customer_id",
        Field::Name => "name",
        Field::Street => "street",
        Field::Zip => "zip",
        Field::City => "city",
        Field::Country => "country",
        Field::Url => "url",
        Field::Comment => "comment",
        Field::Validity => "validity",
        Field::Active => "active",
        Field::Inactive => "inactive",
        Field::Own => "own",
        Field::AutotaskId => "autotask_company_id",
        Field::AutotaskName => "autotask_company_name",
        Field::AutotaskStatus => "autotask_status",
        Field::AutotaskChecked => "autotask_checked_at",
        Field::Created => "created_at",
        Field::Updated => "updated_at",
    }
}

/// The Autotask mapping columns of a row (as the exporter writes them): `None` when the file has
/// no "Autotask company ID" column. A missing status reads as `ok`, a missing time as unknown.
fn read_mapping(
    cols: RowColumns,
    row: &mut SourceRow,
    errors: &mut Vec<(Option<String>, String)>,
) -> Option<Option<Mapping>> {
    if !has(cols.columns, Field::AutotaskId) {
        return None;
    }
    let id = row.take(Field::AutotaskId).unwrap_or_default();
    let name = row.take(Field::AutotaskName).unwrap_or_default();
    let status = row.take(Field::AutotaskStatus).unwrap_or_default();
    let checked_at = row.take(Field::AutotaskChecked).unwrap_or_default();
    if id.is_empty() {
        return Some(None);
    }
    let company_id = match id.parse::<i64>() {
        Ok(n) if n >= 0 => n,
        _ => {
            errors.push((
                Some(cols.header(Field::AutotaskId)),
                format!(
                    "{} is not an Autotask company id (a whole number).",
                    quoted(id)
                ),
            ));
            return Some(None);
        }
    };
    let status = match status.is_empty() {
        true => MappingStatus::Ok,
        false => match MappingStatus::parse(&status.to_ascii_lowercase()) {
            Some(s) => s,
            None => {
                errors.push((
                    Some(cols.header(Field::AutotaskStatus)),
                    format!(
                        "{} is not a mapping status: use ok, renamed, missing or invalid.",
                        quoted(status)
                    ),
                ));
                return Some(None);
            }
        },
    };
    for (value, field) in [
        (&name, Field::AutotaskName),
        (&checked_at, Field::AutotaskChecked),
    ] {
        if crate::model::text::char_len(value) > crate::model::customer::MAX_TEXT
            || value.chars().any(char::is_control)
        {
            errors.push((
                Some(cols.header(field)),
                "Too long or contains a line break; keep it on one line of at most 200 characters."
                    .into(),
            ));
            return Some(None);
        }
    }
    Some(Some(Mapping {
        company_id,
        company_name: name,
        status,
        checked_at,
    }))
}

/// What other tools and people write for "no value" ("n/a", "-", "unknown") in a column whose
/// values are checked — an ID, an address, a country, a web address, a validity or a yes/no —
/// reads as no value at all rather than refusing the row over it or storing it: a new
/// customer gets none, and "Update existing" keeps the stored one. (Not in a comment, which is
/// free text.)
fn no_placeholder(value: Option<String>) -> Option<String> {
    value.filter(|v| !is_placeholder(v))
}

/// A lowercased word that names the state itself ("active", "disabled"): it says the same in
/// an Active column and in an Inactive one.
fn state_word(lower: &str) -> Option<bool> {
    match lower {
        "active" | "enabled" => Some(true),
        "inactive" | "disabled" => Some(false),
        _ => None,
    }
}

/// A lowercased yes or no as a spreadsheet writes it (yes/no/true/false/1/0, y/n, a tick).
fn yes_no_word(lower: &str) -> Option<bool> {
    match lower {
        "yes" | "y" | "true" | "1" | "x" | "ja" | "wahr" => Some(true),
        _ if super::read::is_mark(lower) => Some(true),
        "no" | "n" | "false" | "0" | "nein" | "falsch" => Some(false),
        _ => None,
    }
}

/// yes/no/true/false/1/0 (and y/n, a tick, active/inactive) as a spreadsheet writes them.
fn parse_flag(value: &str) -> Option<bool> {
    let lower = value.trim().to_ascii_lowercase();
    state_word(&lower).or_else(|| yes_no_word(&lower))
}

/// Whether an Active or an Inactive (Archived) column's value says the customer is active:
/// yes/no as [`parse_flag`] reads them, the opposite in an Inactive column, but a word that
/// names the state the same in both.
fn says_active(field: Field, value: &str) -> Option<bool> {
    let lower = value.trim().to_ascii_lowercase();
    state_word(&lower).or_else(|| yes_no_word(&lower).map(|yes| yes != (field == Field::Inactive)))
}

/// Whether a column for `field` takes `value` as a value (a validity, a yes/no): in a row it
/// is data, even where it is also a name for the column ("Valid", "Active").
pub(super) fn reads_as_value(field: Field, value: &str) -> bool {
    match field {
        Field::Validity => {
            crate::model::Validity::parse(value).is_some() || parse_flag(value).is_some()
        }
        Field::Active | Field::Inactive | Field::Own => parse_flag(value).is_some(),
        _ => false,
    }
}

/// One row as the reading thread leaves it.
enum Prepared {
    /// The file could not be read on: the import fails, writing nothing.
    Failed(Option<Error>),
    /// The row's own values break the rules (each error with its column).
    Invalid {
        line: u64,
        errors: Vec<(Option<String>, String)>,
    },
    Checked(Box<Checked>),
}

/// A row whose values pass the rules; what it does depends on the database and earlier rows.
struct Checked {
    line: u64,
    /// The values as read: an update or the own company lays them over what is there.
    fields: CustomerFields,
    valid: ValidCustomer,
    /// The ID the row gives, or else its name's slug (empty when the name has neither letters
    /// nor digits).
    key: String,
    /// `key`'s identity form ([`identity`]), as duplicates are found, and the search keys of
    /// `key`, the name and the city: made here so that the writing thread, the slower of the
    /// two, need not.
    folded: String,
    keys: SearchKeys,
    explicit: bool,
    own: bool,
    mapping: Option<Option<Mapping>>,
    stamps: Stamps,
    /// See [`SourceRow::fell_back`]: for the messages about the row.
    fell_back: Vec<(Field, usize)>,
}

/// A row's Created and Updated in the stored form; `None` where the file gives none.
#[derive(Default)]
struct Stamps {
    created: Option<String>,
    updated: Option<String>,
}

impl Stamps {
    fn get(&self) -> (Option<&str>, Option<&str>) {
        (self.created.as_deref(), self.updated.as_deref())
    }
}

struct Batch {
    rows: Vec<Prepared>,
    /// How far into the file the reader was after these rows.
    bytes: u64,
}

/// The rows of `source`, checked (and, when they are to be written, with their search keys),
/// in batches to `sender`, until the file ends or the receiving side hangs up; batches coming
/// back on `freed` are dropped here.
fn read_ahead(
    source: &mut CsvSource,
    write: bool,
    sender: mpsc::SyncSender<Batch>,
    freed: mpsc::Receiver<Vec<Prepared>>,
) {
    loop {
        while let Ok(rows) = freed.try_recv() {
            drop(rows);
        }
        let mut rows = Vec::with_capacity(BATCH_ROWS);
        let mut end = false;
        while rows.len() < BATCH_ROWS {
            match source.next_row() {
                Ok(Some(row)) => rows.push(prepare(&source.columns, row, write)),
                Ok(None) => {
                    end = true;
                    break;
                }
                Err(e) => {
                    rows.push(Prepared::Failed(Some(e)));
                    end = true;
                    break;
                }
            }
        }
        let batch = Batch {
            rows,
            bytes: source.bytes_read(),
        };
        if sender.send(batch).is_err() || end {
            return;
        }
    }
}

/// Everything about a row that needs no database: its values read and checked by the edit
/// dialog's rules, its mapping columns, the ID it asks for and, to `write` it, its search keys.
fn prepare(columns: &[Column], mut row: SourceRow, write: bool) -> Prepared {
    let line = row.line;
    let fell_back = std::mem::take(&mut row.fell_back);
    let cols = RowColumns {
        columns,
        fell_back: &fell_back,
    };
    if let Some(error) = row.unusable.take() {
        return Prepared::Invalid {
            line,
            errors: vec![error],
        };
    }
    let col = |f: Field| Some(cols.header(f));
    let mut errors: Vec<(Option<String>, String)> = Vec::new();
    if row.extra > 0 {
        errors.push((
            None,
            format!(
                "{} values, but the header has {}; check for an unquoted delimiter in a value.",
                columns.len() + row.extra,
                match columns.len() {
                    1 => "1 column".to_owned(),
                    n => format!("{n} columns"),
                }
            ),
        ));
    }

    // Validity from the Validity column, or from an Active yes/no column. A Valid or Status
    // column may also say yes/no or Active/Inactive, as other tools write it.
    // An empty validity is no validity: with "Update existing" the stored one stays (it has
    // no empty state to clear to).
    let mut validity = no_placeholder(row.take(Field::Validity)).filter(|v| !v.is_empty());
    // What the validity column said, for a message about a flag contradicting it.
    let mut set_by = validity
        .as_ref()
        .map(|v| format!("{} {}", cols.header(Field::Validity), quoted(v)));
    if let Some(v) = validity.take() {
        validity = match (crate::model::Validity::parse(&v), parse_flag(&v)) {
            (None, Some(flag)) => Some(if flag { "valid" } else { "invalid" }.to_owned()),
            (None, None) => {
                errors.push((
                    col(Field::Validity),
                    format!(
                        "{} is not a validity: use valid, invalid or invalid-temporarily (or \
                         yes/no, Active/Inactive).",
                        quoted(v)
                    ),
                ));
                None
            }
            _ => Some(v),
        };
    }
    // Active yes/no, or Inactive (Archived) yes/no, which says the opposite.
    let flags = [Field::Active, Field::Inactive].map(|f| {
        let value = no_placeholder(row.take(f)).filter(|v| !v.is_empty());
        value.map(|v| (f, v))
    });
    for (field, value) in flags.into_iter().flatten() {
        match says_active(field, &value) {
            None => errors.push((
                col(field),
                format!(
                    "{} is not yes or no (use yes/no, true/false or 1/0).",
                    quoted(value)
                ),
            )),
            Some(active) => match validity.as_deref() {
                None => {
                    validity = Some(if active { "valid" } else { "invalid" }.to_owned());
                    set_by = Some(format!("{} {}", cols.header(field), quoted(&value)));
                }
                Some(v) => {
                    let says = crate::model::Validity::parse(v).map(|v| v.is_active());
                    if says.is_some_and(|s| s != active) {
                        let other = set_by.as_deref().unwrap_or_default();
                        errors.push((
                            col(field),
                            format!("{} contradicts {other}.", quoted(&value)),
                        ));
                    }
                }
            },
        }
    }
    let own = match row.take(Field::Own).filter(|o| !o.is_empty()) {
        None => false,
        Some(o) => parse_flag(&o).unwrap_or_else(|| {
            errors.push((col(Field::Own), format!("{} is not yes or no.", quoted(o))));
            false
        }),
    };
    let mapping = read_mapping(cols, &mut row, &mut errors);
    let stamps = read_stamps(cols, &mut row, &mut errors);
    // A name is required: a placeholder is none, and says so (a customer called "n/a" is
    // no customer anyone could find again).
    let name = row.take(Field::Name);
    let placeholder = name.as_deref().filter(|n| is_placeholder(n));
    if let Some(n) = placeholder {
        errors.push((
            col(Field::Name),
            format!("{} stands for no name; a customer needs a name.", quoted(n)),
        ));
    }
    // The name's own problems are told once: by the placeholder's message, if it is one.
    let told = placeholder.is_some();
    let fields = CustomerFields {
        // A placeholder ID is none given: the ID is made from the name, as for an empty one.
        customer_id: no_placeholder(row.take(Field::CustomerId)),
        name,
        street: no_placeholder(row.take(Field::Street)),
        zip: no_placeholder(row.take(Field::Zip)),
        city: no_placeholder(row.take(Field::City)),
        country: no_placeholder(row.take(Field::Country)),
        url: no_placeholder(row.take(Field::Url)),
        comment: row.take(Field::Comment),
        validity,
    };
    let checked = fields.clone().validate();
    if let Err(Error::Invalid(field_errors)) = &checked {
        let untold = field_errors.iter().filter(|e| !(told && e.field == "name"));
        errors.extend(untold.map(|e| column_error(cols, e)));
    }
    let valid = match checked {
        Ok(valid) if errors.is_empty() => valid,
        _ => return Prepared::Invalid { line, errors },
    };
    let explicit = valid.customer_id.is_some();
    let key = match &valid.customer_id {
        Some(id) => id.clone(),
        None => slug::slugify(&valid.name),
    };
    let city = valid.city.as_deref().unwrap_or_default();
    Prepared::Checked(Box::new(Checked {
        line,
        fields,
        // Only a write stores them; a preview or dry run would make them for nothing.
        keys: match write {
            true => SearchKeys::of(&key, &valid.name, city),
            false => SearchKeys::default(),
        },
        folded: identity(&key),
        valid,
        key,
        explicit,
        own,
        mapping,
        stamps,
        fell_back,
    }))
}

/// The Created and Updated columns of a row. A customer cannot be updated before it was
/// created: with both given, Updated must not be the earlier.
fn read_stamps(
    cols: RowColumns,
    row: &mut SourceRow,
    errors: &mut Vec<(Option<String>, String)>,
) -> Stamps {
    let mut read = |field: Field| {
        let text = row.take(field).filter(|v| !v.is_empty())?;
        let problem = match timestamp::from_text(&text) {
            Ok(stamp) => return Some((text, stamp)),
            Err(timestamp::Unreadable::NotADate) => format!(
                "{} is not a date and time; write it as {}.",
                quoted(text),
                timestamp::FORMS
            ),
            Err(timestamp::Unreadable::OutOfRange) => format!(
                "{} is out of range: Clientbook keeps dates from the year 1000 to 9999 (in UTC).",
                quoted(text)
            ),
        };
        errors.push((Some(cols.header(field)), problem));
        None
    };
    let created = read(Field::Created);
    let updated = read(Field::Updated);
    if let (Some((created, c)), Some((updated, u))) = (&created, &updated) {
        if u < c {
            errors.push((
                Some(cols.header(Field::Updated)),
                format!(
                    "'{updated}' is before {} ('{created}'); a customer cannot be updated before it was created.",
                    cols.header(Field::Created)
                ),
            ));
        }
    }
    Stamps {
        created: created.map(|(_, stamp)| stamp),
        updated: updated.map(|(_, stamp)| stamp),
    }
}

impl Planner {
    /// Decides and writes one row. It takes out of `row` only what it keeps; the rest is freed
    /// by the thread that made it.
    fn apply(
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

    fn row(
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

    fn invalid(
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

    fn insert(
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

    fn update(
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
    fn own(
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
    fn leaves_as_is(&mut self, valid: &ValidCustomer, current: &Customer) -> bool {
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
    fn free_id(&mut self, tx: &ImportTx, base: &str) -> Result<String> {
        for n in 2u64.. {
            let id = slug::with_suffix(base, n);
            if !self.seen.contains_key(&identity(&id)) && tx.find(&id)?.is_none() {
                return Ok(id);
            }
        }
        unreachable!("an unbounded range always yields a free ID")
    }
}
