//! The one error type of Clientbook. Every variant carries what the person at the screen or the
//! terminal must be told; it crosses the IPC boundary as `{kind, message, field?, row?, fields?}`.

use serde::ser::{Serialize, SerializeStruct, Serializer};
use std::path::PathBuf;

/// A problem with one input field, worded to stand beside that field in a form.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    /// Machine name of the field (`name`, `customer_id`, `country`, …).
    pub field: &'static str,
    /// Human label of the field (`Name`, `Customer ID`, `Country`, …).
    pub label: &'static str,
    /// A sentence saying what is wrong and, where useful, what to do.
    pub message: String,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.label, self.message)
    }
}

/// Every broken rule of one form, collected so that a validator reports all of them at once.
#[derive(Debug, Default)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    pub fn report(&mut self, field: &'static str, label: &'static str, message: String) {
        self.0.push(FieldError {
            field,
            label,
            message,
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<FieldErrors> for Error {
    fn from(errors: FieldErrors) -> Self {
        Error::Invalid(errors.0)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// One or more fields are invalid; nothing was saved.
    #[error("{}", join_fields(.0))]
    Invalid(Vec<FieldError>),
    /// The change collides with existing data (e.g. a customer ID already in use).
    #[error("{message}")]
    Conflict {
        field: Option<&'static str>,
        message: String,
    },
    /// The thing asked for does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The request is understood but not allowed (e.g. deleting the own company).
    #[error("{0}")]
    Refused(String),
    /// The file was written by a newer Clientbook; it is left untouched.
    #[error(
        "'{}' was written by a newer version of Clientbook (database version {found}; this version understands up to {supported}). Update Clientbook to open it; the file was not changed.",
        path.display()
    )]
    NewerDatabase {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    /// The file is not a Clientbook database; it is left untouched.
    #[error("'{}' is not a Clientbook database ({reason}); the file was not changed.", path.display())]
    NotClientbook { path: PathBuf, reason: String },
    /// Another program holds the database; the user can retry.
    #[error("The database is busy: another Clientbook window or command is writing to it. Try again in a moment.")]
    Busy,
    /// The database was opened read-only (damaged, write-protected, read-only media); the reason
    /// says which. Nothing was changed.
    #[error("{}", read_only(.0))]
    ReadOnly(String),
    /// Stopped before it finished — cancelled, or replaced by a newer request (e.g. the next
    /// keystroke). Nothing was changed.
    #[error("Stopped before it finished; nothing was changed.")]
    Cancelled,
    /// SQLite reported something unexpected. The message gives SQLite's own words, never the
    /// statement: SQL means nothing to the person reading it.
    #[error("{context}: {}", sqlite_words(source))]
    Database {
        context: String,
        #[source]
        source: rusqlite::Error,
    },
    /// The database file could not be read or written — a disk (the database's or the one with
    /// SQLite's temporary files) is full or reported an error — so the change (`what`: "The
    /// change", "The import" …) was rolled back whole.
    #[error("{}", not_saved(what, path, *disk_full, detail))]
    NotSaved {
        what: &'static str,
        path: PathBuf,
        disk_full: bool,
        /// SQLite's own words, e.g. "disk I/O error".
        detail: String,
    },
    /// Reading or writing a file failed.
    #[error("Could not {action} '{}': {}.", path.display(), io_words(source))]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// One of the three Autotask credential values is wrong; `field` names which one
    /// (`username`, `secret` or `integration_code`) so a form can mark it.
    #[error("{message}")]
    Credentials {
        field: &'static str,
        message: String,
    },
    /// Autotask answered, but with an error (HTTP status, `{"errors": [...]}` text verbatim).
    #[error("{message}")]
    Autotask {
        status: Option<u16>,
        message: String,
    },
    /// Autotask could not be reached at all (offline, DNS, refused, timed out). Nothing changed.
    #[error("{0}")]
    Unreachable(String),
    /// The OS keychain could not be used (no service, locked, no answer).
    #[error("{0}")]
    Keychain(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

fn not_saved(what: &str, path: &std::path::Path, disk_full: bool, detail: &str) -> String {
    match disk_full {
        true => format!(
            "{what} was not saved: the disk holding '{}' (or the one with the temporary \
             folder) is full. Nothing was changed; free some space and try again.",
            path.display()
        ),
        false => format!(
            "{what} was not saved: reading or writing '{}' failed ({detail}). Nothing was \
             changed; check the disk and try again.",
            path.display()
        ),
    }
}

/// SQLite's description of a failure without the statement it came from (rusqlite puts the
/// SQL text into some of its messages), and with a pointer to `db check` where the file's
/// structure is not what the statement expected.
pub(crate) fn sqlite_words(e: &rusqlite::Error) -> String {
    let words = match e {
        rusqlite::Error::SqlInputError { msg, .. } => msg.clone(),
        rusqlite::Error::SqliteFailure(_, Some(msg)) if !msg.is_empty() => msg.clone(),
        rusqlite::Error::SqliteFailure(code, _) => code.to_string(),
        rusqlite::Error::InvalidColumnType(_, name, _) => {
            format!("the column '{name}' holds a value of the wrong type")
        }
        rusqlite::Error::InvalidColumnName(name) => format!("there is no column '{name}'"),
        rusqlite::Error::FromSqlConversionFailure(..)
        | rusqlite::Error::IntegralValueOutOfRange(..) => {
            "a stored value cannot be read: it is not what Clientbook writes there (was the file \
             edited with another program?)"
                .into()
        }
        other => other.to_string(),
    };
    let structural = [
        "no such table",
        "no such column",
        "no such index",
        "no such function",
    ]
    .iter()
    .any(|w| words.contains(w))
        || matches!(
            e,
            rusqlite::Error::InvalidColumnType(..) | rusqlite::Error::InvalidColumnName(_)
        );
    match structural {
        true => format!(
            "the database's structure is not what this Clientbook expects ({words}); \
             `clientbook db check` lists what is wrong"
        ),
        false => words,
    }
}

/// What went wrong with a file, in words rather than an OS error number where it is common.
fn io_words(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        StorageFull => {
            "the disk is full. Nothing was written; free some space and try again".into()
        }
        ReadOnlyFilesystem => "it is on read-only media".into(),
        PermissionDenied => "permission denied".into(),
        NotFound => "it does not exist".into(),
        IsADirectory => "it is a folder".into(),
        _ => e.to_string(),
    }
}

/// The read-only reason of a database on a full disk (see `files::disk_full`).
pub const DISK_FULL: &str = "the disk it is on is full";

fn read_only(reason: &str) -> String {
    let remedy = match reason == DISK_FULL {
        true => "Free some space on it and open the database again.",
        false => "Use Save a copy… to work on a copy.",
    };
    format!("This database is open read-only because {reason}, so nothing can be changed. {remedy}")
}

fn join_fields(fields: &[FieldError]) -> String {
    fields
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

impl Error {
    /// A short, stable machine name for the UI and for scripts.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Invalid(_) => "invalid",
            Error::Conflict { .. } => "conflict",
            Error::NotFound(_) => "not_found",
            Error::Refused(_) => "refused",
            Error::NewerDatabase { .. } => "newer_database",
            Error::NotClientbook { .. } => "not_clientbook",
            Error::Busy => "busy",
            Error::ReadOnly(_) => "read_only",
            Error::Cancelled => "cancelled",
            Error::Database { .. } => "database",
            Error::NotSaved { .. } => "not_saved",
            Error::Io { .. } => "io",
            Error::Credentials { .. } => "credentials",
            Error::Autotask { .. } => "autotask",
            Error::Unreachable(_) => "unreachable",
            Error::Keychain(_) => "keychain",
        }
    }

    /// What the log says of this error. A refused input (invalid field, conflict, credentials)
    /// is logged by kind and field only: its message can quote what the user typed, which may
    /// be a credential (e.g. "Autotask does not know the API user name '…'").
    pub fn for_log(&self) -> String {
        match self {
            Error::Invalid(_) | Error::Conflict { .. } | Error::Credentials { .. } => {
                match self.field() {
                    Some(field) => format!("{} (field {field})", self.kind()),
                    None => self.kind().to_owned(),
                }
            }
            _ => format!("{}: {self}", self.kind()),
        }
    }

    /// The field the message belongs beside, if any.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Error::Invalid(fields) => fields.first().map(|f| f.field),
            Error::Conflict { field, .. } => *field,
            Error::Credentials { field, .. } => Some(field),
            _ => None,
        }
    }

    pub fn invalid(field: &'static str, label: &'static str, message: impl Into<String>) -> Self {
        Error::Invalid(vec![FieldError {
            field,
            label,
            message: message.into(),
        }])
    }

    /// Whether SQLite failed to read or write the disk (an I/O error, a full disk, a file it
    /// could not open).
    pub fn is_io_failure(&self) -> bool {
        use rusqlite::ErrorCode::*;
        match self {
            Error::Database { source, .. } => matches!(
                source.sqlite_error_code(),
                Some(SystemIoFailure | DiskFull | CannotOpen)
            ),
            Error::NotSaved { .. } | Error::Io { .. } => true,
            _ => false,
        }
    }

    /// Wraps a SQLite error with what we were doing, turning "busy/locked" into [`Error::Busy`].
    pub fn db(context: impl Into<String>) -> impl FnOnce(rusqlite::Error) -> Error {
        let context = context.into();
        move |source| {
            if is_busy(&source) {
                Error::Busy
            } else if source.sqlite_error_code() == Some(rusqlite::ErrorCode::OperationInterrupted)
            {
                Error::Cancelled
            } else {
                Error::Database { context, source }
            }
        }
    }
}

fn is_busy(err: &rusqlite::Error) -> bool {
    matches!(
        err.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

impl From<rusqlite::Error> for Error {
    fn from(source: rusqlite::Error) -> Self {
        Error::db("The database reported a problem")(source)
    }
}

impl Serialize for Error {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let fields = match self {
            Error::Invalid(fields) => Some(fields),
            _ => None,
        };
        let mut s = serializer.serialize_struct("Error", 4)?;
        s.serialize_field("kind", self.kind())?;
        s.serialize_field("message", &self.to_string())?;
        s.serialize_field("field", &self.field())?;
        s.serialize_field("fields", &fields)?;
        s.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_kind_message_and_field() {
        let err = Error::invalid("country", "Country", "'Atlantis' is not a country.");
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(json["kind"], "invalid");
        assert_eq!(json["field"], "country");
        assert_eq!(json["message"], "Country: 'Atlantis' is not a country.");
        assert_eq!(json["fields"][0]["message"], "'Atlantis' is not a country.");
    }

    #[test]
    fn busy_sqlite_errors_become_a_plain_sentence() {
        let source = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
            None,
        );
        let err: Error = source.into();
        assert_eq!(err.kind(), "busy");
        assert!(!err.to_string().contains("locked"));
    }
}
