//! `clientbook`: the command-line companion of the Clientbook app. It parses, calls the core
//! library and prints; every rule lives in the library.
//!
//! Exit codes: 0 success, 1 the request was refused or failed (the reason on stderr), 2 usage.

use clap::{Args, Parser, Subcommand};
use clientbook::autotask::{self, credentials, mapping, Credentials};
use clientbook::model::{CustomerFields, JobFields, User, UserFields};
use clientbook::secrets::Keychain;
use clientbook::store::{ActiveFilter, CopyOptions, ListQuery};
use clientbook::transfer::{self, ExportOptions, ImportOptions, ReadAs};
use clientbook::{paths, Error, Store};
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "clientbook",
    version,
    about = "Customer accounts for managed-service providers."
)]
struct Cli {
    /// Database file (default: the app's, in the OS data directory). Created if missing.
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List customers, sorted by name.
    List {
        /// Only customers whose ID, name or city has words starting with these.
        #[arg(long, value_name = "Q")]
        search: Option<String>,
        /// Only active (valid) or inactive customers.
        #[arg(long, value_enum, default_value = "all")]
        filter: Filter,
        /// Only customers that have this service (a name from `services list`).
        #[arg(long, value_name = "S")]
        service: Option<String>,
        /// Print a JSON array instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Add a customer and print its customer ID.
    Add {
        /// Customer ID (default: derived from the name).
        #[arg(long, value_name = "ID")]
        id: Option<String>,
        #[command(flatten)]
        fields: Fields,
    },
    /// Change a customer's fields (only those given; an empty value clears a field).
    Edit {
        /// The customer ID of the customer to change.
        #[arg(value_name = "ID")]
        customer: String,
        /// A new customer ID.
        #[arg(long = "new-id", value_name = "ID")]
        new_id: Option<String>,
        #[command(flatten)]
        fields: Fields,
    },
    /// Delete a customer (the own company cannot be deleted).
    Delete { id: String },
    /// Import customers from a CSV file: valid rows in one transaction, invalid ones listed.
    ///
    /// Exit 0 when the import was committed (row errors are listed); 1 when nothing was written
    /// (unreadable, empty or non-text file, no name column, --strict with errors, I/O failure).
    Import {
        /// The CSV file (UTF-8 with or without BOM, UTF-16, Windows-1252 or another legacy
        /// encoding; comma, semicolon, tab or | delimited: all detected).
        file: PathBuf,
        /// Read the file in this encoding instead of the detected one (UTF-8, UTF-16LE,
        /// windows-1250, macintosh, …: the WHATWG names).
        #[arg(long, value_name = "NAME", value_parser = transfer::read_as::encoding_named)]
        encoding: Option<&'static encoding_rs::Encoding>,
        /// Split values at this character instead of the detected one (, ; | or the word tab).
        #[arg(long, value_name = "C", value_parser = transfer::read_as::delimiter_named)]
        delimiter: Option<u8>,
        /// Check the file and print the report, writing nothing.
        #[arg(long)]
        dry_run: bool,
        /// Write nothing if any row has an error.
        #[arg(long)]
        strict: bool,
        /// Rows whose customer ID exists update that customer (otherwise they are errors).
        #[arg(long)]
        update: bool,
        /// Print {"inserted", "updated", "skipped", "errors"} as JSON (errors: at most the first
        /// 100,000; skipped counts them all).
        #[arg(long)]
        json: bool,
    },
    /// Export customers to a CSV file that `import` reads back exactly.
    Export {
        file: PathBuf,
        /// Only customers whose ID, name or city has words starting with these.
        #[arg(long, value_name = "Q")]
        search: Option<String>,
        /// Only inactive customers (default: all).
        #[arg(long, conflicts_with = "active")]
        inactive: bool,
        /// Only active customers (default: all).
        #[arg(long)]
        active: bool,
        /// Start the file with a byte-order mark so that Excel reads it as UTF-8.
        #[arg(long)]
        bom: bool,
    },
    /// Fill a new database with generated customers and print search and paging latencies.
    Bench {
        /// How many customers to generate.
        #[arg(long, default_value_t = 1_000_000)]
        customers: u64,
    },
    /// A customer's users: list, add, passwords, groups.
    #[command(subcommand)]
    Users(UsersCommand),
    /// A customer's security groups.
    #[command(subcommand)]
    Groups(GroupsCommand),
    /// The service catalogue and a customer's services.
    #[command(subcommand)]
    Services(ServicesCommand),
    /// Backup jobs.
    #[command(subcommand)]
    Jobs(JobsCommand),
    /// The database file: check it, copy it.
    #[command(subcommand)]
    Db(DbCommand),
    /// A customer's history, newest first.
    History {
        #[arg(value_name = "CUSTOMER_ID")]
        customer: String,
        /// At most this many entries.
        #[arg(long, value_name = "N", default_value_t = 100)]
        limit: u32,
        /// Print a JSON array of {id, entity, entity_id, action, before, after, at}.
        #[arg(long)]
        json: bool,
    },
    /// Copy a customer: a new customer (invalid-temporarily, noted "Add users and activate")
    /// with, as chosen, the source's profile, services and groups — never its users or jobs.
    Copy {
        /// The customer ID of the customer to copy.
        #[arg(value_name = "SOURCE_ID")]
        source: String,
        /// The new customer's name.
        #[arg(long, value_name = "NAME")]
        name: String,
        /// The new customer's ID (default: derived from the name).
        #[arg(long, value_name = "NEW_ID")]
        id: Option<String>,
        /// Copy the address, country, URL and comment.
        #[arg(long)]
        profile: bool,
        /// Copy the services with their plans.
        #[arg(long)]
        services: bool,
        /// Copy the groups (without members).
        #[arg(long)]
        groups: bool,
        /// Print the new customer as `list --json` prints customers.
        #[arg(long)]
        json: bool,
    },
    /// Autotask PSA: credentials and companies.
    #[command(subcommand)]
    Autotask(AutotaskCommand),
}

#[derive(Subcommand)]
enum UsersCommand {
    /// List a customer's users and whether each can log in.
    List {
        #[arg(value_name = "CUSTOMER_ID")]
        customer: String,
        /// Print a JSON array of {username, email, display_name, mobile, active, groups,
        /// can_log_in, missing}.
        #[arg(long)]
        json: bool,
    },
    /// Add a user to a customer (usernames are unique across all customers).
    Add {
        #[arg(value_name = "CUSTOMER_ID")]
        customer: String,
        #[arg(long, value_name = "U")]
        username: String,
        #[arg(long, value_name = "E")]
        email: Option<String>,
        #[arg(long, value_name = "D")]
        display_name: Option<String>,
        /// A mobile number; without a country code, the customer's country is assumed.
        #[arg(long, value_name = "M")]
        mobile: Option<String>,
        /// Read the password from stdin (one line).
        #[arg(long)]
        password_stdin: bool,
        /// Print the user as a JSON object like one item of `users list --json`.
        #[arg(long)]
        json: bool,
    },
    /// Replace a user's password; the new password is read from stdin (one line).
    SetPassword {
        username: String,
        /// Read the password from stdin (one line); required.
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Delete a user.
    Delete { username: String },
    /// Add a user to one of its customer's groups.
    AddGroup { username: String, group: String },
    /// Remove a user from a group.
    RemoveGroup { username: String, group: String },
}

#[derive(Subcommand)]
enum GroupsCommand {
    /// List a customer's groups with their permissions and members.
    List {
        #[arg(value_name = "CUSTOMER_ID")]
        customer: String,
        /// Print a JSON array of {name, permissions, members}.
        #[arg(long)]
        json: bool,
    },
    /// Add a group to a customer.
    Add {
        #[arg(value_name = "CUSTOMER_ID")]
        customer: String,
        name: String,
        /// A permission the group grants (repeatable): view, manage-users, manage-backups,
        /// manage-billing, admin.
        #[arg(long = "permission", value_name = "P")]
        permissions: Vec<String>,
    },
    /// Delete a customer's group.
    Delete {
        #[arg(value_name = "CUSTOMER_ID")]
        customer: String,
        name: String,
    },
}

#[derive(Subcommand)]
enum ServicesCommand {
    /// List the service catalogue, or a customer's services and plans.
    List {
        /// Only this customer's services, with the plan of each.
        #[arg(value_name = "CUSTOMER_ID")]
        customer: Option<String>,
        /// Print a JSON array of {name, plans} (with CUSTOMER_ID: {service, plan}).
        #[arg(long)]
        json: bool,
    },
    /// Give a customer a service with a plan, or change the plan of one it has.
    Set {
        #[arg(value_name = "CUSTOMER_ID")]
        customer: String,
        service: String,
        plan: String,
    },
}

#[derive(Subcommand)]
enum DbCommand {
    /// Check the database without changing it: integrity, schema version, row counts, every
    /// table, column, index and trigger against what this Clientbook makes, and the rules the
    /// store relies on (one own company, search keys and index, identities, references).
    ///
    /// Exit 0 when the file is sound, 1 when it is damaged or cannot be read.
    Check {
        /// Print one JSON object {path, integrity, schema_version, supported_version, counts,
        /// findings, unchecked}.
        #[arg(long)]
        json: bool,
    },
    /// Write a consistent copy of the database to DEST (a new file), even while the app is
    /// using the database.
    Backup {
        #[arg(value_name = "DEST")]
        dest: PathBuf,
    },
}

#[derive(Subcommand)]
enum JobsCommand {
    /// List one customer's jobs, or (without CUSTOMER_ID) the jobs of all active customers.
    List {
        #[arg(value_name = "CUSTOMER_ID")]
        customer: Option<String>,
        /// Only jobs of this service.
        #[arg(long, value_name = "S")]
        service: Option<String>,
        /// Print a JSON array of {customer_id, customer_name, name, service, schedule, active}.
        #[arg(long)]
        json: bool,
    },
    /// Add a job to a customer; its service must be one of the customer's.
    Add {
        #[arg(value_name = "CUSTOMER_ID")]
        customer: String,
        #[arg(long, value_name = "N")]
        name: String,
        #[arg(long, value_name = "S")]
        service: String,
        /// When it runs, in words (e.g. "daily 22:00").
        #[arg(long, value_name = "TEXT")]
        schedule: Option<String>,
        /// Add the job deactivated.
        #[arg(long)]
        inactive: bool,
    },
}

#[derive(Subcommand)]
enum AutotaskCommand {
    /// Save the API user's credentials in the OS keychain; the secret is read from stdin.
    Login {
        /// The API user's name.
        #[arg(long, value_name = "U")]
        username: String,
        /// The API tracking identifier (integration code).
        #[arg(long, value_name = "C")]
        integration_code: String,
    },
    /// Remove the saved credentials from the OS keychain.
    Logout,
    /// Check the credentials: zone lookup and one authenticated call.
    Test,
    /// Search Autotask companies by name.
    Companies {
        /// Only companies whose name contains this text.
        #[arg(long, value_name = "Q")]
        search: Option<String>,
        /// Include inactive companies.
        #[arg(long)]
        include_inactive: bool,
        /// Print a JSON array of {id, name, number, city, active}.
        #[arg(long)]
        json: bool,
    },
    /// Map a customer to an Autotask company (refused when Autotask has no such company).
    Map {
        #[arg(value_name = "CUSTOMER_ID")]
        customer: String,
        #[arg(value_name = "COMPANY_ID")]
        company: i64,
    },
    /// Remove a customer's Autotask mapping (the customer is otherwise untouched).
    Unmap {
        #[arg(value_name = "CUSTOMER_ID")]
        customer: String,
    },
    /// Re-check one customer's mapping, or all of them (batched, 500 per request).
    Refresh {
        /// Only this customer.
        #[arg(value_name = "CUSTOMER_ID")]
        customer: Option<String>,
        /// Print a JSON array of {customer_id, company_id, company_name, status}.
        #[arg(long)]
        json: bool,
    },
    /// Create and map a customer for every active Autotask company of type Customer that no
    /// customer is mapped to yet (one transaction).
    Pull {
        /// Show what would be created, writing nothing.
        #[arg(long)]
        dry_run: bool,
        /// Print {inserted, updated, skipped, errors} (errors' `row` is the company id).
        #[arg(long)]
        json: bool,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Filter {
    All,
    Active,
    Inactive,
}

#[derive(Args)]
struct Fields {
    #[arg(long, value_name = "N")]
    name: Option<String>,
    #[arg(long, value_name = "S")]
    street: Option<String>,
    #[arg(long, value_name = "Z")]
    zip: Option<String>,
    #[arg(long, value_name = "C")]
    city: Option<String>,
    /// ISO 3166 alpha-2 or alpha-3 code, or the English name.
    #[arg(long, value_name = "CC")]
    country: Option<String>,
    #[arg(long, value_name = "U")]
    url: Option<String>,
    #[arg(long, value_name = "T")]
    comment: Option<String>,
    /// valid, invalid or invalid-temporarily.
    #[arg(long, value_name = "V")]
    validity: Option<String>,
}

impl Fields {
    fn into_core(self, id: Option<String>) -> CustomerFields {
        CustomerFields {
            customer_id: id,
            name: self.name,
            street: self.street,
            zip: self.zip,
            city: self.city,
            country: self.country,
            url: self.url,
            comment: self.comment,
            validity: self.validity,
        }
    }
}

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

fn open(db: Option<PathBuf>) -> Result<Store, Error> {
    Store::open(db.unwrap_or_else(paths::default_database))
}

/// Standard output, held back until the command has done its work and then printed whole: a
/// command that fails prints nothing there (never half a list, nor a JSON array without its
/// end). `flush` prints what is held (a report that comes before the failure it explains). Up to
/// 32 MiB is held in memory, the rest in a temporary file.
struct Spool {
    held: tempfile::SpooledTempFile,
}

impl Spool {
    fn new() -> Spool {
        Spool {
            held: tempfile::SpooledTempFile::new(32 << 20),
        }
    }
}

impl Write for Spool {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.held.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        use std::io::{Seek, SeekFrom};
        self.held.seek(SeekFrom::Start(0))?;
        let stdout = std::io::stdout();
        let mut stdout = BufWriter::with_capacity(1 << 16, stdout.lock());
        std::io::copy(&mut self.held, &mut stdout)?;
        stdout.flush()?;
        self.held.set_len(0)?;
        self.held.seek(SeekFrom::Start(0))?;
        Ok(())
    }
}

fn run(cli: Cli) -> Result<(), Error> {
    let mut out = Spool::new();
    match cli.command {
        Command::List {
            search,
            filter,
            service,
            json,
        } => {
            let store = open(cli.db)?;
            let query = ListQuery {
                search: search.unwrap_or_default(),
                filter: match filter {
                    Filter::All => ActiveFilter::All,
                    Filter::Active => ActiveFilter::Active,
                    Filter::Inactive => ActiveFilter::Inactive,
                },
                service,
                ..Default::default()
            };
            if json {
                let mut first = true;
                write_out(&mut out, "[")?;
                store.scan(&query, |c| {
                    let sep = if first { "\n  " } else { ",\n  " };
                    first = false;
                    let item = serde_json::to_string(&c.listing()).unwrap_or_default();
                    write_out(&mut out, &format!("{sep}{item}"))
                })?;
                write_out(&mut out, if first { "]\n" } else { "\n]\n" })?;
            } else {
                write_out(
                    &mut out,
                    &format!(
                        "{:<40} {:<32} {:<20} {:<7} {}\n",
                        "NAME", "CUSTOMER ID", "CITY", "COUNTRY", "ACTIVE"
                    ),
                )?;
                store.scan(&query, |c| {
                    let active = if c.own {
                        "yes (own company)"
                    } else if c.active {
                        "yes"
                    } else {
                        c.validity.as_str()
                    };
                    write_out(
                        &mut out,
                        &format!(
                            "{:<40} {:<32} {:<20} {:<7} {}\n",
                            clip(&c.name, 40),
                            clip(&c.customer_id, 32),
                            clip(c.city.as_deref().unwrap_or(""), 20),
                            c.country.as_deref().unwrap_or(""),
                            active
                        ),
                    )
                })?;
            }
        }
        Command::Add { id, fields } => {
            let store = open(cli.db)?;
            let customer = store.create_customer(fields.into_core(id))?;
            write_out(&mut out, &format!("{}\n", customer.customer_id))?;
        }
        Command::Edit {
            customer,
            new_id,
            fields,
        } => {
            let store = open(cli.db)?;
            let customer = store.update_customer(&customer, fields.into_core(new_id))?;
            write_out(&mut out, &format!("{}\n", customer.customer_id))?;
        }
        Command::Delete { id } => {
            let store = open(cli.db)?;
            let gone = store.delete_customer(&id)?;
            write_out(
                &mut out,
                &format!("Deleted {} ({}).\n", gone.customer_id, gone.name),
            )?;
        }
        Command::Import {
            file,
            encoding,
            delimiter,
            dry_run,
            strict,
            update,
            json,
        } => {
            let store = open(cli.db)?;
            let options = ImportOptions {
                update,
                strict,
                dry_run,
                read_as: ReadAs {
                    encoding,
                    delimiter,
                },
            };
            let report = import_with_progress(&store, &file, options)?;
            if json {
                let text = serde_json::to_string_pretty(&report.summary_json()).unwrap_or_default();
                write_out(&mut out, &format!("{text}\n"))?;
            } else {
                write_out(&mut out, &human_report(&report))?;
            }
            out.flush().map_err(io_error)?;
            if report.aborted {
                let bad = report.duplicates + report.invalid;
                let first = report
                    .errors
                    .first()
                    .map_or(String::new(), |e| format!(" (the first: row {})", e.row));
                return Err(Error::Refused(format!(
                    "nothing was imported from '{}': {bad} of {} rows {} errors{first}, and --strict stops on any error.",
                    file.display(),
                    report.rows_read,
                    if bad == 1 { "has" } else { "have" },
                )));
            }
        }
        Command::Export {
            file,
            search,
            inactive,
            active,
            bom,
        } => {
            let store = open(cli.db)?;
            let query = ListQuery {
                search: search.unwrap_or_default(),
                filter: match (active, inactive) {
                    (true, _) => ActiveFilter::Active,
                    (_, true) => ActiveFilter::Inactive,
                    _ => ActiveFilter::All,
                },
                ..Default::default()
            };
            let n = transfer::export(&store, &query, &file, ExportOptions { bom })?;
            write_out(
                &mut out,
                &format!("Exported {n} customers to {}.\n", file.display()),
            )?;
        }
        Command::Bench { customers } => {
            // Without --db, a new database in a temporary folder, removed at the end.
            let temp;
            let path = match cli.db {
                Some(db) => db,
                None => {
                    temp = tempfile::Builder::new()
                        .prefix("clientbook-bench-")
                        .tempdir()
                        .map_err(|source| Error::Io {
                            action: "create a temporary folder in",
                            path: std::env::temp_dir(),
                            source,
                        })?;
                    temp.path().join("clientbook-bench.clientbook")
                }
            };
            clientbook::bench::run(&path, customers, &mut out)?;
        }
        Command::Users(command) => users(command, open(cli.db)?, &mut out)?,
        Command::Groups(command) => groups(command, open(cli.db)?, &mut out)?,
        Command::Services(command) => services(command, open(cli.db)?, &mut out)?,
        Command::Db(command) => database(command, cli.db, &mut out)?,
        Command::Jobs(command) => jobs(command, open(cli.db)?, &mut out)?,
        Command::History {
            customer,
            limit,
            json,
        } => {
            let store = open(cli.db)?;
            let entries = store.history(&customer, None, limit)?;
            if json {
                write_json(&mut out, &entries)?;
            } else {
                for e in &entries {
                    write_out(
                        &mut out,
                        &format!("{}  {} {} {}\n", e.at, e.action, e.entity, e.entity_id),
                    )?;
                }
            }
        }
        Command::Copy {
            source,
            name,
            id,
            profile,
            services,
            groups,
            json,
        } => {
            let store = open(cli.db)?;
            let options = CopyOptions {
                name,
                customer_id: id,
                profile,
                services,
                groups,
            };
            let customer = store.copy_customer(&source, options)?;
            if json {
                write_json(&mut out, &customer.listing())?;
            } else {
                write_out(&mut out, &format!("{}\n", customer.customer_id))?;
            }
        }
        Command::Autotask(command) => autotask(command, cli.db, &mut out)?,
    }
    out.flush().map_err(io_error)?;
    Ok(())
}

fn autotask(
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

fn users(command: UsersCommand, store: Store, out: &mut impl Write) -> Result<(), Error> {
    match command {
        UsersCommand::List { customer, json } => {
            let users = store.users(&customer)?;
            if json {
                let items: Vec<serde_json::Value> = users.iter().map(user_json).collect();
                write_json(out, &items)?;
            } else {
                for u in &users {
                    write_out(out, &user_line(u))?;
                }
            }
        }
        UsersCommand::Add {
            customer,
            username,
            email,
            display_name,
            mobile,
            password_stdin,
            json,
        } => {
            let password = if password_stdin {
                Some(read_stdin_line(
                    &format!("Password for {username}"),
                    "read the password from",
                )?)
            } else {
                None
            };
            let fields = UserFields {
                username: Some(username),
                email,
                display_name,
                mobile,
                password,
            };
            let user = store.add_user(&customer, fields)?;
            if json {
                write_json(out, &user_json(&user))?;
            } else {
                write_out(out, &user_line(&user))?;
            }
        }
        UsersCommand::SetPassword { username, .. } => {
            let password = read_stdin_line(
                &format!("Password for {username}"),
                "read the password from",
            )?;
            let user = store.set_password(&username, &password)?;
            write_out(
                out,
                &format!("Changed the password of {}.\n", user.username),
            )?;
        }
        UsersCommand::Delete { username } => {
            let gone = store.delete_user(&username)?;
            write_out(out, &format!("Deleted the user {}.\n", gone.username))?;
        }
        UsersCommand::AddGroup { username, group } => {
            let user = store.add_user_to_group(&username, &group)?;
            write_out(out, &user_line(&user))?;
        }
        UsersCommand::RemoveGroup { username, group } => {
            let user = store.remove_user_from_group(&username, &group)?;
            write_out(out, &user_line(&user))?;
        }
    }
    Ok(())
}

fn groups(command: GroupsCommand, store: Store, out: &mut impl Write) -> Result<(), Error> {
    match command {
        GroupsCommand::List { customer, json } => {
            let groups = store.groups(&customer)?;
            if json {
                let items: Vec<serde_json::Value> = groups
                    .iter()
                    .map(|g| {
                        serde_json::json!({
                            "name": g.name,
                            "permissions": g.permissions,
                            "members": g.members,
                        })
                    })
                    .collect();
                write_json(out, &items)?;
            } else {
                for g in &groups {
                    write_out(
                        out,
                        &format!(
                            "{}  permissions: {}  members: {}\n",
                            g.name,
                            list_or_none(&g.permissions),
                            list_or_none(&g.members)
                        ),
                    )?;
                }
            }
        }
        GroupsCommand::Add {
            customer,
            name,
            permissions,
        } => {
            let group = store.add_group(&customer, &name, &permissions)?;
            write_out(
                out,
                &format!(
                    "Added the group {}  permissions: {}\n",
                    group.name,
                    list_or_none(&group.permissions)
                ),
            )?;
        }
        GroupsCommand::Delete { customer, name } => {
            let gone = store.delete_group(&customer, &name)?;
            write_out(out, &format!("Deleted the group {}.\n", gone.name))?;
        }
    }
    Ok(())
}

fn database(command: DbCommand, db: Option<PathBuf>, out: &mut impl Write) -> Result<(), Error> {
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

fn services(command: ServicesCommand, store: Store, out: &mut impl Write) -> Result<(), Error> {
    match command {
        ServicesCommand::List {
            customer: Some(customer),
            json,
        } => {
            let services = store.customer_services(&customer)?;
            if json {
                write_json(out, &services)?;
            } else {
                for s in &services {
                    write_out(out, &format!("{}  plan: {}\n", s.service, s.plan))?;
                }
            }
        }
        ServicesCommand::List {
            customer: None,
            json,
        } => {
            let services = store.services()?;
            if json {
                write_json(out, &services)?;
            } else {
                for s in &services {
                    write_out(
                        out,
                        &format!("{}  plans: {}\n", s.name, list_or_none(&s.plans)),
                    )?;
                }
            }
        }
        ServicesCommand::Set {
            customer,
            service,
            plan,
        } => {
            let set = store.set_customer_service(&customer, &service, &plan)?;
            write_out(
                out,
                &format!("{customer}: {} with the plan {}.\n", set.service, set.plan),
            )?;
        }
    }
    Ok(())
}

fn jobs(command: JobsCommand, store: Store, out: &mut impl Write) -> Result<(), Error> {
    match command {
        JobsCommand::List {
            customer,
            service,
            json,
        } => {
            let jobs = match customer {
                Some(customer) => store.customer_jobs(&customer, service.as_deref())?,
                None => store.jobs(service.as_deref())?,
            };
            if json {
                write_json(out, &jobs)?;
            } else {
                for j in &jobs {
                    write_out(out, &job_line(j))?;
                }
            }
        }
        JobsCommand::Add {
            customer,
            name,
            service,
            schedule,
            inactive,
        } => {
            let fields = JobFields {
                name,
                service,
                schedule,
                active: Some(!inactive),
            };
            let job = store.add_job(&customer, fields)?;
            write_out(out, &job_line(&job))?;
        }
    }
    Ok(())
}

/// A user as one item of `users list --json`: everything but `has_password` (`missing` says
/// when there is none).
fn user_json(u: &User) -> serde_json::Value {
    serde_json::json!({
        "username": u.username,
        "email": u.email,
        "display_name": u.display_name,
        "mobile": u.mobile,
        "active": u.active,
        "groups": u.groups,
        "can_log_in": u.can_log_in,
        "missing": u.missing,
    })
}

fn user_line(u: &User) -> String {
    let mut parts = vec![u.username.as_str()];
    parts.extend(
        [&u.display_name, &u.email, &u.mobile]
            .into_iter()
            .filter_map(|v| v.as_deref()),
    );
    let groups = format!("groups: {}", list_or_none(&u.groups));
    parts.push(&groups);
    let deactivated = if u.active { "" } else { "  deactivated" };
    let login = if u.can_log_in {
        "can log in: yes".to_owned()
    } else {
        format!("can log in: no ({})", u.missing.join("; "))
    };
    format!("{}{deactivated}  {login}\n", parts.join("  "))
}

fn job_line(j: &clientbook::model::Job) -> String {
    format!(
        "{}  {}  {}  {}  {}\n",
        j.customer_id,
        j.name,
        j.service,
        j.schedule.as_deref().unwrap_or("(no schedule)"),
        if j.active { "active" } else { "inactive" }
    )
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "(none)".to_owned()
    } else {
        items.join(", ")
    }
}

/// One line of stdin, without its line ending. A terminal is first shown `prompt` (e.g.
/// "Password for jane") on stderr; `action` words a read error ("read the password from").
fn read_stdin_line(prompt: &str, action: &'static str) -> Result<String, Error> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        eprint!("{prompt} (one line; pipe it in to keep it off the screen): ");
    }
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|source| Error::Io {
            action,
            path: PathBuf::from("standard input"),
            source,
        })?;
    let password = line.strip_suffix('\n').unwrap_or(&line);
    let password = password.strip_suffix('\r').unwrap_or(password);
    Ok(password.to_owned())
}

fn write_json(out: &mut impl Write, value: &impl serde::Serialize) -> Result<(), Error> {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    write_out(out, &format!("{text}\n"))
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

fn clip(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(width - 1).collect();
        t.push('…');
        t
    }
}

fn io_error(source: std::io::Error) -> Error {
    Error::Io {
        action: "write to",
        path: PathBuf::from("standard output"),
        source,
    }
}

/// Writes `s` with every character that could steer a terminal written as `\uXXXX`
/// ([`printable`](clientbook::model::text::printable)): the text holds names, comments and
/// answers from files and servers.
fn write_out(out: &mut impl Write, s: &str) -> Result<(), Error> {
    let s = clientbook::model::text::printable(s);
    out.write_all(s.as_bytes()).map_err(io_error)
}
