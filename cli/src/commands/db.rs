//! `clientbook db …`: the database file — check it (every finding, exit 1 on damage), copy it.

use crate::cli::DbCommand;
use crate::output::{write_json, write_out};
use clientbook::{paths, Error};
use std::io::Write;
use std::path::PathBuf;

pub fn run(command: DbCommand, db: Option<PathBuf>, out: &mut impl Write) -> Result<(), Error> {
    let path = db.unwrap_or_else(paths::default_database);
    match command {
        DbCommand::Check { json } => {
            let report = clientbook::store::check(&path)?;
            if json {
                write_json(out, &report)?;
            } else {
                let mut text = format!(
                    "{}\nIntegrity: {}\nSchema version: {} (this Clientbook writes {})\n",
                    report.path.display(),
                    report.integrity.join("; "),
                    report.schema_version,
                    report.supported_version
                );
                match report.findings.is_empty() {
                    true => text.push_str("Structure and rules: ok\n"),
                    false => {
                        text.push_str("Structure and rules:\n");
                        for finding in &report.findings {
                            text.push_str(&format!("  - {finding}\n"));
                        }
                    }
                }
                for note in &report.unchecked {
                    text.push_str(&format!("Not checked: {note}\n"));
                }
                for (table, n) in &report.counts {
                    text.push_str(&format!("{table}: {n}\n"));
                }
                write_out(out, &text)?;
            }
            out.flush().ok();
            let problems = report.problems();
            if let Some(first) = problems.first() {
                let more = match problems.len() {
                    1 => String::new(),
                    n => format!(" (and {} more, listed above)", n - 1),
                };
                return Err(Error::Refused(format!(
                    "'{}' is damaged: {}{more} Open it in Clientbook to save a copy of what can \
                     be read.",
                    path.display(),
                    first
                )));
            }
        }
        DbCommand::Backup { dest } => {
            clientbook::store::backup(&path, &dest)?;
            write_out(
                out,
                &format!("Copied {} to {}.\n", path.display(), dest.display()),
            )?;
        }
    }
    Ok(())
}
