//! `clientbook autotask …`: credentials (keychain or environment), the connection test,
//! companies, and customers' mappings — map, unmap, refresh, pull — with waits counted down.

use crate::cli::AutotaskCommand;
use crate::open;
use crate::output::{clip, read_stdin_line, write_out};
use clientbook::autotask::{self, credentials, mapping, Credentials};
use clientbook::secrets::Keychain;
use clientbook::{Error, Store};
use std::io::Write;
use std::path::PathBuf;

pub fn run(
    command: AutotaskCommand,
    db: Option<PathBuf>,
    out: &mut impl Write,
) -> Result<(), Error> {
    let keychain = Keychain::from_env();
    match command {
        AutotaskCommand::Login {
            username,
            integration_code,
        } => {
            let secret =
                read_stdin_line(&format!("Secret for {username}"), "read the secret from")?;
            let credentials = Credentials::new(&username, &secret, &integration_code)?;
            credentials::save(&keychain, &credentials)?;
            write_out(
                out,
                &format!(
                    "Saved the Autotask credentials of {} in the OS keychain. `clientbook autotask test` checks them.\n",
                    credentials.username
                ),
            )?;
        }
        AutotaskCommand::Logout => {
            let message = if credentials::delete(&keychain)? {
                "Removed the Autotask credentials from the OS keychain.\n"
            } else {
                "No Autotask credentials were saved in the OS keychain.\n"
            };
            write_out(out, message)?;
        }
        AutotaskCommand::Test => {
            let client = autotask_client(&keychain)?;
            let zone = client.test_connection()?;
            write_out(
                out,
                &format!(
                    "Connected to Autotask as {}: zone {} ({}).\n",
                    client.username(),
                    if zone.name.is_empty() {
                        "(unnamed)"
                    } else {
                        &zone.name
                    },
                    zone.url
                ),
            )?;
        }
        AutotaskCommand::Companies {
            search,
            include_inactive,
            json,
        } => {
            let client = autotask_client(&keychain)?;
            let companies =
                client.search_companies(search.as_deref().unwrap_or(""), include_inactive)?;
            if json {
                let text = serde_json::to_string_pretty(&companies).unwrap_or_default();
                write_out(out, &format!("{text}\n"))?;
            } else {
                write_out(
                    out,
                    &format!(
                        "{:<10} {:<40} {:<12} {:<20} {}\n",
                        "ID", "NAME", "NUMBER", "CITY", "ACTIVE"
                    ),
                )?;
                for c in &companies {
                    write_out(
                        out,
                        &format!(
                            "{:<10} {:<40} {:<12} {:<20} {}\n",
                            c.id,
                            clip(&c.name, 40),
                            clip(c.number.as_deref().unwrap_or(""), 12),
                            clip(c.city.as_deref().unwrap_or(""), 20),
                            if c.active { "yes" } else { "no" }
                        ),
                    )?;
                }
            }
        }
        AutotaskCommand::Map { customer, company } => {
            let store = open(db)?;
            let client = autotask_client(&keychain)?;
            let c = mapping::map(&store, &client, &customer, company)?;
            let name = c.autotask_company.unwrap_or_default();
            write_out(
                out,
                &format!(
                    "Mapped {} to the Autotask company {company} ({name}).\n",
                    c.customer_id
                ),
            )?;
        }
        AutotaskCommand::Unmap { customer } => {
            let store = open(db)?;
            let before = store.customer(&customer)?;
            let c = store.unmap_customer(&customer)?;
            let said = match before.autotask {
                Some(_) => format!("Removed the Autotask mapping of {}.\n", c.customer_id),
                None => format!(
                    "{} is not mapped to an Autotask company; nothing was changed.\n",
                    c.customer_id
                ),
            };
            write_out(out, &said)?;
        }
        AutotaskCommand::Refresh { customer, json } => {
            let store = open(db)?;
            let client = autotask_client(&keychain)?;
            let checks = match customer {
                Some(id) => vec![mapping::verify(&store, &client, &id)?],
                None => refresh_with_progress(&store, &client)?,
            };
            if json {
                let text = serde_json::to_string_pretty(&checks).unwrap_or_default();
                write_out(out, &format!("{text}\n"))?;
            } else {
                for c in &checks {
                    write_out(
                        out,
                        &format!(
                            "{:<24} {:<10} {:<8} {}\n",
                            clip(&c.customer_id, 24),
                            c.company_id,
                            c.status.as_str(),
                            c.company_name
                        ),
                    )?;
                }
                write_out(out, &format!("Checked {} mappings.\n", checks.len()))?;
            }
        }
        AutotaskCommand::Pull { dry_run, json } => {
            let store = open(db)?;
            let client = autotask_client(&keychain)?;
            let report = mapping::pull(&store, &client, dry_run)?;
            if json {
                let text = serde_json::to_string_pretty(&report.summary_json()).unwrap_or_default();
                write_out(out, &format!("{text}\n"))?;
            } else {
                for c in &report.created {
                    write_out(
                        out,
                        &format!(
                            "  {:<24} ← {} {}\n",
                            c.customer_id, c.company_id, c.company_name
                        ),
                    )?;
                }
                for e in &report.errors {
                    write_out(out, &format!("  company {}: {}\n", e.row, e.message))?;
                }
                write_out(out, &format!("{}\n", report.summary()))?;
            }
        }
    }
    Ok(())
}

/// Refresh all, showing progress on a terminal's stderr.
fn refresh_with_progress(
    store: &Store,
    client: &autotask::Client,
) -> Result<Vec<clientbook::model::MappingCheck>, Error> {
    use std::io::IsTerminal;
    let tty = std::io::stderr().is_terminal();
    let checks = mapping::refresh_all(store, client, &mut |done, total| {
        if tty && total > 0 {
            eprint!("\rChecking mappings… {done} of {total}   ");
        }
        true
    });
    if tty {
        eprintln!();
    }
    checks
}

/// A client for the credentials from the environment or the keychain.
fn autotask_client(keychain: &Keychain) -> Result<autotask::Client, Error> {
    let Some((credentials, _)) = credentials::load(keychain)? else {
        return Err(Error::Refused(
            "No Autotask credentials: run `clientbook autotask login --username U --integration-code C` (secret on stdin), or set CLIENTBOOK_AUTOTASK_USERNAME, CLIENTBOOK_AUTOTASK_SECRET and CLIENTBOOK_AUTOTASK_INTEGRATION_CODE.".into(),
        ));
    };
    let mut settings = autotask::Settings::from_env();
    let tries = settings.max_tries;
    // While Autotask answers 429, the wait is counted down on stderr (Ctrl+C stops it, and
    // nothing has been written by then: every Autotask call comes before the writes).
    settings.on_retry = Some(std::sync::Arc::new(move |w: autotask::RetryWait| {
        let seconds = w.remaining.as_secs_f64().ceil().max(1.0);
        eprint!(
            "\rAutotask is busy (HTTP 429, too many requests): trying again in {seconds} s (try {} of {tries}); Ctrl+C stops.   ",
            w.attempt + 1
        );
        if seconds <= 1.0 {
            eprintln!();
        }
    }));
    autotask::Client::new(credentials, settings)
}
