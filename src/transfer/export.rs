//! Exporting customers to CSV: UTF-8 (optionally with a BOM for Excel), one header row with the
//! column names the importer reads, formula-looking cells escaped. The file appears whole or
//! not at all: it is written beside the target and renamed into place at the end.

use super::escape::{escape, unescape};
use super::import::{ImportReport, RowError};
use super::read::{CsvSource, Field};
use super::read_as::ReadAs;
use crate::error::{Error, Result};
use crate::files::Target;
use crate::store::ListQuery;
use crate::Store;
use std::collections::{HashMap, HashSet};
use std::io::{BufWriter, Write};
use std::path::Path;

/// The exported columns, in order: every field a customer has (all the importer reads but the
/// Active and Inactive columns, which say what Validity says).
pub const COLUMNS: [Field; Field::ALL.len() - 2] = {
    let mut columns = [Field::Name; Field::ALL.len() - 2];
    let (mut from, mut to) = (0, 0);
    while from < Field::ALL.len() {
        if !matches!(Field::ALL[from], Field::Active | Field::Inactive) {
            columns[to] = Field::ALL[from];
            to += 1;
        }
        from += 1;
    }
    columns
};

#[derive(Debug, Clone, Copy, Default)]
pub struct ExportOptions {
    /// Start the file with a UTF-8 byte-order mark, which Excel needs to read UTF-8.
    pub bom: bool,
}

/// Writes `target` whole, through a temporary file beside it renamed into place only when
/// complete (see [`Target::write_atomically`]).
fn write_atomically(
    target: &Target,
    f: impl FnOnce(&mut BufWriter<&std::fs::File>) -> Result<u64>,
) -> Result<u64> {
    target.write_atomically(|file| {
        let mut out = BufWriter::with_capacity(1 << 20, file);
        let count = f(&mut out)?;
        out.flush().map_err(|source| Error::Io {
            action: "write",
            path: target.path().to_owned(),
            source,
        })?;
        Ok(count)
    })
}

/// Exports the customers `query` lists (its search and filter) to `path`, in the order they were
/// added (reading the table front to back, as stored, is what makes a million-row export take a
/// second or two), and returns how many were written. `path` must be a new or an ordinary file
/// that may be replaced, and never the database itself or one of its files ([`Target`]).
pub fn export(
    store: &Store,
    query: &ListQuery,
    path: &Path,
    options: ExportOptions,
) -> Result<u64> {
    let target = Target::replace(path, store.path())?;
    let io = |source| Error::Io {
        action: "write",
        path: path.to_owned(),
        source,
    };
    write_atomically(&target, |out| {
        if options.bom {
            out.write_all(b"\xEF\xBB\xBF").map_err(io)?;
        }
        let mut csv = csv::WriterBuilder::new().from_writer(out);
        csv.write_record(COLUMNS.iter().map(|f| f.header()))
            .map_err(|e| io(e.into()))?;
        let mut n = 0;
        store.scan_in_added_order(query, |c| {
            let company_id = c.autotask_company_id.map(|id| id.to_string());
            csv.write_record([
                escape(c.customer_id).as_bytes(),
                escape(c.name).as_bytes(),
                escape(c.street).as_bytes(),
                escape(c.zip).as_bytes(),
                escape(c.city).as_bytes(),
                escape(c.country).as_bytes(),
                escape(c.url).as_bytes(),
                escape(c.comment).as_bytes(),
                c.validity.as_bytes(),
                if c.own { b"yes" } else { b"no" },
                company_id.as_deref().unwrap_or_default().as_bytes(),
                escape(c.autotask_company_name).as_bytes(),
                c.autotask_status.as_bytes(),
                c.autotask_checked_at.as_bytes(),
                c.created_at.as_bytes(),
                c.updated_at.as_bytes(),
            ])
            .map_err(|e| io(e.into()))?;
            n += 1;
            Ok(())
        })?;
        csv.flush().map_err(io)?;
        Ok(n)
    })
}

/// Writes an import's row errors as CSV for the user to work through: Row, Column, Message, a
/// line per row (a row's problems together) — and, when the imported file is as it was during
/// the import, the file's own columns with the row's values, so that the rows can be put right
/// in the report and imported from it (Row, Column and Message are then ignored columns).
/// Returns how many rows were written. `database` (the open one) is never written over.
pub fn write_error_report(
    path: &Path,
    report: &ImportReport,
    database: Option<&Path>,
) -> Result<u64> {
    let target = Target::replace(path, database)?;
    let io = |source| Error::Io {
        action: "write",
        path: path.to_owned(),
        source,
    };
    let errors = &report.errors;
    // A file changed since (put right in a spreadsheet, say) has other rows at those numbers.
    let source = Path::new(&report.file);
    let unchanged =
        report.source_stamp.is_some() && crate::files::Stamp::now(source) == report.source_stamp;
    let rows = unchanged
        .then(|| rows_of(source, report.read_as, errors))
        .flatten();
    write_atomically(&target, |out| {
        out.write_all(b"\xEF\xBB\xBF").map_err(io)?;
        let mut csv = csv::WriterBuilder::new().flexible(true).from_writer(out);
        let mut header = vec!["Row".to_owned(), "Column".to_owned(), "Message".to_owned()];
        if let Some((columns, _)) = &rows {
            header.extend(columns.iter().map(|h| escape(h).into_owned()));
        }
        csv.write_record(&header).map_err(|e| io(e.into()))?;
        let mut n = 0;
        for problems in errors.chunk_by(|a, b| a.row == b.row) {
            let row = problems[0].row;
            let mut columns: Vec<&str> = Vec::new();
            for c in problems.iter().filter_map(|e| e.column.as_deref()) {
                if !columns.contains(&c) {
                    columns.push(c);
                }
            }
            let messages: Vec<&str> = problems.iter().map(|e| e.message.as_str()).collect();
            let mut record = vec![
                row.to_string(),
                escape(&columns.join(", ")).into_owned(),
                escape(&messages.join(" ")).into_owned(),
            ];
            if let Some(values) = rows.as_ref().and_then(|(_, rows)| rows.get(&row)) {
                record.extend(values.iter().map(|v| escape(v).into_owned()));
            }
            csv.write_record(&record).map_err(|e| io(e.into()))?;
            n += 1;
        }
        csv.flush().map_err(io)?;
        Ok(n)
    })
}

/// The imported file's column names and, by row number, the values of the rows with errors.
type SourceRows = (Vec<String>, HashMap<u64, Vec<String>>);

/// The header of `source` and the values (as the importer reads them) of each row `errors` name,
/// read again from the file; `None` when it cannot be read (moved, changed into something else):
/// the report then has the errors alone.
fn rows_of(source: &Path, read_as: ReadAs, errors: &[RowError]) -> Option<SourceRows> {
    let wanted: HashSet<u64> = errors.iter().map(|e| e.row).collect();
    let last = wanted.iter().copied().max()?;
    let mut file = CsvSource::open(source, read_as).ok()?;
    let header = file.columns.iter().map(|c| c.header.clone()).collect();
    let mut rows = HashMap::new();
    while let Ok(Some(row)) = file.next_row() {
        if wanted.contains(&row.line) {
            let values = file.raw_values().map(|v| unescape(v.trim()).to_owned());
            rows.insert(row.line, values.collect());
        }
        if row.line >= last {
            break;
        }
    }
    Some((header, rows))
}
