//! The command line's arguments, all of them: the clap definitions of every command, their
//! options and their help texts. `main.rs` dispatches on them; `commands/` runs them.

use clap::{Args, Parser, Subcommand};
use clientbook::model::CustomerFields;
use clientbook::transfer;
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "clientbook",
    version,
    about = "Customer accounts for managed-service providers."
)]
pub struct Cli {
    /// Database file (default: the app's, in the OS data directory). Created if missing.
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// List customers, sorted by name.
    List(ListArgs),
    /// Add a customer and print its customer ID.
    Add(AddArgs),
    /// Change a customer's fields (only those given; an empty value clears a field).
    Edit(EditArgs),
    /// Delete a customer (the own company cannot be deleted).
    Delete(DeleteArgs),
    /// Import customers from a CSV file: valid rows in one transaction, invalid ones listed.
    ///
    /// Exit 0 when the import was committed (row errors are listed); 1 when nothing was written
    /// (unreadable, empty or non-text file, no name column, --strict with errors, I/O failure).
    Import(ImportArgs),
    /// Export customers to a CSV file that `import` reads back exactly.
    Export(ExportArgs),
    /// Fill a new database with generated customers and print search and paging latencies.
    Bench(BenchArgs),
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
    History(HistoryArgs),
    /// Copy a customer: a new customer (invalid-temporarily, noted "Add users and activate")
    /// with, as chosen, the source's profile, services and groups — never its users or jobs.
    Copy(CopyArgs),
    /// Autotask PSA: credentials and companies.
    #[command(subcommand)]
    Autotask(AutotaskCommand),
}

#[derive(Args)]
pub struct ListArgs {
    /// Only customers whose ID, name or city has words starting with these.
    #[arg(long, value_name = "Q")]
    pub search: Option<String>,
    /// Only active (valid) or inactive customers.
    #[arg(long, value_enum, default_value = "all")]
    pub filter: Filter,
    /// Only customers that have this service (a name from `services list`).
    #[arg(long, value_name = "S")]
    pub service: Option<String>,
    /// Print a JSON array instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct AddArgs {
    /// Customer ID (default: derived from the name).
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,
    #[command(flatten)]
    pub fields: Fields,
}

#[derive(Args)]
pub struct EditArgs {
    /// The customer ID of the customer to change.
    #[arg(value_name = "ID")]
    pub customer: String,
    /// A new customer ID.
    #[arg(long = "new-id", value_name = "ID")]
    pub new_id: Option<String>,
    #[command(flatten)]
    pub fields: Fields,
}

#[derive(Args)]
pub struct DeleteArgs {
    pub id: String,
}

#[derive(Args)]
pub struct ImportArgs {
    /// The CSV file (UTF-8 with or without BOM, UTF-16, Windows-1252 or another legacy
    /// encoding; comma, semicolon, tab or | delimited: all detected).
    pub file: PathBuf,
    /// Read the file in this encoding instead of the detected one (UTF-8, UTF-16LE,
    /// windows-1250, macintosh, …: the WHATWG names).
    #[arg(long, value_name = "NAME", value_parser = transfer::read_as::encoding_named)]
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// Split values at this character instead of the detected one (, ; | or the word tab).
    #[arg(long, value_name = "C", value_parser = transfer::read_as::delimiter_named)]
    pub delimiter: Option<u8>,
    /// Check the file and print the report, writing nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Write nothing if any row has an error.
    #[arg(long)]
    pub strict: bool,
    /// Rows whose customer ID exists update that customer (otherwise they are errors).
    #[arg(long)]
    pub update: bool,
    /// Print {"inserted", "updated", "skipped", "errors"} as JSON (errors: at most the first
    /// 100,000; skipped counts them all).
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct ExportArgs {
    pub file: PathBuf,
    /// Only customers whose ID, name or city has words starting with these.
    #[arg(long, value_name = "Q")]
    pub search: Option<String>,
    /// Only inactive customers (default: all).
    #[arg(long, conflicts_with = "active")]
    pub inactive: bool,
    /// Only active customers (default: all).
    #[arg(long)]
    pub active: bool,
    /// Start the file with a byte-order mark so that Excel reads it as UTF-8.
    #[arg(long)]
    pub bom: bool,
}

#[derive(Args)]
pub struct BenchArgs {
    /// How many customers to generate.
    #[arg(long, default_value_t = 1_000_000)]
    pub customers: u64,
}

#[derive(Args)]
pub struct HistoryArgs {
    #[arg(value_name = "CUSTOMER_ID")]
    pub customer: String,
    /// At most this many entries.
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub limit: u32,
    /// Print a JSON array of {id, entity, entity_id, action, before, after, at}.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct CopyArgs {
    /// The customer ID of the customer to copy.
    #[arg(value_name = "SOURCE_ID")]
    pub source: String,
    /// The new customer's name.
    #[arg(long, value_name = "NAME")]
    pub name: String,
    /// The new customer's ID (default: derived from the name).
    #[arg(long, value_name = "NEW_ID")]
    pub id: Option<String>,
    /// Copy the address, country, URL and comment.
    #[arg(long)]
    pub profile: bool,
    /// Copy the services with their plans.
    #[arg(long)]
    pub services: bool,
    /// Copy the groups (without members).
    #[arg(long)]
    pub groups: bool,
    /// Print the new customer as `list --json` prints customers.
    #[arg(long)]
    pub json: bool,
}

#[derive(Subcommand)]
pub enum UsersCommand {
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
pub enum GroupsCommand {
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
pub enum ServicesCommand {
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
pub enum DbCommand {
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
pub enum JobsCommand {
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
pub enum AutotaskCommand {
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
pub enum Filter {
    All,
    Active,
    Inactive,
}

#[derive(Args)]
pub struct Fields {
    #[arg(long, value_name = "N")]
    pub name: Option<String>,
    #[arg(long, value_name = "S")]
    pub street: Option<String>,
    #[arg(long, value_name = "Z")]
    pub zip: Option<String>,
    #[arg(long, value_name = "C")]
    pub city: Option<String>,
    /// ISO 3166 alpha-2 or alpha-3 code, or the English name.
    #[arg(long, value_name = "CC")]
    pub country: Option<String>,
    #[arg(long, value_name = "U")]
    pub url: Option<String>,
    #[arg(long, value_name = "T")]
    pub comment: Option<String>,
    /// valid, invalid or invalid-temporarily.
    #[arg(long, value_name = "V")]
    pub validity: Option<String>,
}

impl Fields {
    pub fn into_core(self, id: Option<String>) -> CustomerFields {
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
