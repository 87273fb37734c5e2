//! `clientbook import | export`: CSV in (with progress on a terminal, the report as text or
//! JSON) and out.

use crate::cli::{ExportArgs, ImportArgs};
use crate::output::{io_error, write_out};
use clientbook::store::{ActiveFilter, ListQuery};
use clientbook::transfer::{self, ExportOptions, ImportOptions, ReadAs};
use clientbook::{Error, Store};
use std::io::Write;

pub fn import(store: Store, args: ImportArgs, out: &mut impl Write) -> Result<(), Error> {
    let options = ImportOptions {
        update: args.update,
        strict: args.strict,
        dry_run: args.dry_run,
        read_as: ReadAs {
            encoding: args.encoding,
            delimiter: args.delimiter,
        },
    };
    let report = import_with_progress(&store, &args.file, options)?;
    if args.json {
        let text = serde_json::to_string_pretty(&report.summary_json()).unwrap_or_default();
        write_out(out, &format!("{text}\n"))?;
    } else {
        write_out(out, &human_report(&report))?;
    }
    // The report is printed even when --strict then refuses the import.
    out.flush().map_err(io_error)?;
    if report.aborted {
        let bad = report.duplicates + report.invalid;
        let first = report
            .errors
            .first()
            .map_or(String::new(), |e| format!(" (the first: row {})", e.row));
        return Err(Error::Refused(format!(
            "nothing was imported from '{}': {bad} of {} rows {} errors{first}, and --strict stops on any error.",
            args.file.display(),
            report.rows_read,
            if bad == 1 { "has" } else { "have" },
        )));
    }
    Ok(())
}

pub fn export(store: Store, args: ExportArgs, out: &mut impl Write) -> Result<(), Error> {
    let query = ListQuery {
        search: args.search.unwrap_or_default(),
        filter: match (args.active, args.inactive) {
            (true, _) => ActiveFilter::Active,
            (_, true) => ActiveFilter::Inactive,
            _ => ActiveFilter::All,
        },
        ..Default::default()
    };
    let n = transfer::export(&store, &query, &args.file, ExportOptions { bom: args.bom })?;
    write_out(
        out,
        &format!("Exported {n} customers to {}.\n", args.file.display()),
    )
}

/// Imports, showing progress on a terminal's stderr for files that take a while.
fn import_with_progress(
    store: &Store,
    file: &std::path::Path,
    options: ImportOptions,
) -> Result<transfer::ImportReport, Error> {
    use std::io::IsTerminal;
    let tty = std::io::stderr().is_terminal();
    let started = std::time::Instant::now();
    let mut shown = false;
    let result = transfer::import(store, file, options, &mut |p| {
        if tty && started.elapsed().as_millis() > 500 {
            shown = true;
            let what = match p.phase {
                transfer::Phase::Reading => "Reading",
                transfer::Phase::Indexing => "Building the search index",
            };
            let percent = (p.bytes * 100).checked_div(p.total_bytes).unwrap_or(100);
            eprint!("\r{what}… {} rows ({percent}%)   ", p.rows);
        }
        true
    });
    if shown {
        eprintln!();
    }
    result
}

fn human_report(r: &transfer::ImportReport) -> String {
    let mut s = format!(
        "{}\nFile: {} ({}, {} delimited)\n",
        r.summary(),
        r.file,
        r.encoding,
        r.delimiter
    );
    // A dry run is a preview: the rows as read show a wrong --encoding or --delimiter.
    for e in r.examples.iter().filter(|_| r.dry_run) {
        let shown = |v: &str| v.replace(['\r', '\n'], "⏎");
        let mut values: Vec<String> = r
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let v = e.values.get(i).map_or("", String::as_str);
                format!("{}: {}", c.header, shown(v))
            })
            .collect();
        // Values past the header's columns: the first sign of a wrong delimiter.
        let extra = e.values.get(r.columns.len()..).unwrap_or_default();
        if extra.iter().any(|v| !v.is_empty()) {
            let extra: Vec<String> = extra.iter().map(|v| shown(v)).collect();
            values.push(format!("past the header: {}", extra.join(" | ")));
        }
        s += &format!("Row {} as read: {}\n", e.row, values.join(" | "));
    }
    if !r.ignored_columns.is_empty() {
        let named: Vec<&str> = r
            .ignored_columns
            .iter()
            .map(|h| if h.is_empty() { "(no name)" } else { h })
            .collect();
        s += &format!("Ignored columns: {}\n", named.join(", "));
    }
    if let Some(notice) = &r.notice {
        let instead = match r.dry_run {
            true => " Add --update to update those customers instead.",
            false => "",
        };
        s += &format!("Note: {notice}{instead}\n");
    }
    if r.duplicates + r.invalid > 0 {
        let n = |v: u64| clientbook::model::text::thousands(v as usize);
        let stored = match r.stored {
            0 => String::new(),
            s => format!(
                ", {} already stored (the same customer ID; add --update to update them)",
                n(s)
            ),
        };
        s += &format!(
            "Skipped: {} duplicates, {} invalid rows{stored}.\n",
            n(r.duplicates),
            n(r.invalid - r.stored)
        );
    }
    for e in &r.errors {
        s += &format!("  {e}\n");
    }
    if r.more_errors > 0 {
        s += &format!("  … and {} more errors.\n", r.more_errors);
    }
    s
}
