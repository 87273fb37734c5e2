//! `clientbook`: the command-line companion of the Clientbook app. It parses (`cli.rs`), calls
//! the core library (`commands/`, one file per noun) and prints (`output.rs`); every rule lives in
//! the library.
//!
//! Exit codes: 0 success, 1 the request was refused or failed (the reason on stderr), 2 usage.

mod bench;
mod cli;
mod commands;
mod output;

use clap::Parser;
use cli::{Cli, Command};
use clientbook::{paths, Error, Store};
use commands::{autotask, customers, db, groups, jobs, services, transfer, users};
use output::{io_error, Spool};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        // `clientbook list | head` closing the pipe early is not a failure.
        Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(err) => {
            let message = err.to_string();
            eprintln!(
                "clientbook: {}",
                clientbook::model::text::printable(&message)
            );
            ExitCode::from(1)
        }
    }
}

pub(crate) fn open(db: Option<PathBuf>) -> Result<Store, Error> {
    Store::open(db.unwrap_or_else(paths::default_database))
}

fn run(cli: Cli) -> Result<(), Error> {
    let mut out = Spool::new();
    let db = cli.db;
    match cli.command {
        Command::List(args) => customers::list(open(db)?, args, &mut out)?,
        Command::Add(args) => customers::add(open(db)?, args, &mut out)?,
        Command::Edit(args) => customers::edit(open(db)?, args, &mut out)?,
        Command::Delete(args) => customers::delete(open(db)?, args, &mut out)?,
        Command::History(args) => customers::history(open(db)?, args, &mut out)?,
        Command::Copy(args) => customers::copy(open(db)?, args, &mut out)?,
        Command::Import(args) => transfer::import(open(db)?, args, &mut out)?,
        Command::Export(args) => transfer::export(open(db)?, args, &mut out)?,
        Command::Bench(args) => commands::bench::run(db, args, &mut out)?,
        Command::Users(command) => users::run(command, open(db)?, &mut out)?,
        Command::Groups(command) => groups::run(command, open(db)?, &mut out)?,
        Command::Services(command) => services::run(command, open(db)?, &mut out)?,
        Command::Jobs(command) => jobs::run(command, open(db)?, &mut out)?,
        Command::Db(command) => db::run(command, db, &mut out)?,
        Command::Autotask(command) => autotask::run(command, db, &mut out)?,
    }
    out.flush().map_err(io_error)
}
