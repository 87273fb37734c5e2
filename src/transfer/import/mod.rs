//! Importing customers from CSV: every row checked by the same rules as the edit dialog, every
//! problem reported by row and column, and the valid rows written in one transaction — all or
//! none. A dry run (the app's preview) runs exactly the same code and writes nothing.

mod planner;
mod report;
mod rows;

use planner::*;
pub use report::ImportReport;
pub use report::MAX_ERRORS;
use report::*;
use rows::*;

use super::read::{
    delimiter_label, has, header_in, is_placeholder, parse_flag, says_active, Column, CsvSource,
    ExampleRow, Field, SourceRow,
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

pub use crate::model::import::{summary_json, RowError};

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
