//! The OS keychain (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows)
//! behind a small trait, so callers can be tested with the in-memory store.
//!
//! Every keychain call runs on a worker thread with a deadline: a locked keychain with a live
//! display waits for the user's unlock prompt forever, and a frozen service answers only after
//! seconds. Past the deadline the caller gets [`Error::Keychain`] and the worker is left to
//! finish (or not) on its own. Values never appear in errors.

use crate::{Error, Result};
use std::collections::HashMap;
use std::sync::mpsc;
use std::sync::Mutex;
use std::time::Duration;

/// Keychain service name of Clientbook's entries (Secret Service attribute `service`).
pub const DEFAULT_SERVICE: &str = "clientbook";

/// Replaces [`DEFAULT_SERVICE`], so tests and scripts can use entries of their own.
pub const SERVICE_ENV: &str = "CLIENTBOOK_KEYCHAIN_SERVICE";

/// How long one keychain call may take before the user is told it did not answer.
pub const DEADLINE: Duration = Duration::from_secs(5);

/// Named secret strings.
pub trait SecretStore: Send + Sync {
    /// The value stored under `name`, or `None` if there is none.
    fn get(&self, name: &str) -> Result<Option<String>>;
    fn set(&self, name: &str, value: &str) -> Result<()>;
    /// Removes the value; `false` if there was none.
    fn delete(&self, name: &str) -> Result<bool>;
}

/// The OS keychain through the `keyring` crate: one entry per name under one service.
#[derive(Debug, Clone)]
pub struct Keychain {
    service: String,
    deadline: Duration,
}

impl Keychain {
    pub fn new(service: impl Into<String>) -> Self {
        Keychain {
            service: service.into(),
            deadline: DEADLINE,
        }
    }

    /// The service from `CLIENTBOOK_KEYCHAIN_SERVICE`, else [`DEFAULT_SERVICE`].
    pub fn from_env() -> Self {
        match std::env::var(SERVICE_ENV) {
            Ok(s) if !s.trim().is_empty() => Keychain::new(s),
            _ => Keychain::new(DEFAULT_SERVICE),
        }
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    /// Runs one keyring operation on a worker thread and waits at most the deadline.
    fn run<T: Send + 'static>(
        &self,
        name: &str,
        op: impl FnOnce(&keyring::Entry) -> keyring::Result<T> + Send + 'static,
    ) -> Result<keyring::Result<T>> {
        let (tx, rx) = mpsc::channel();
        let (service, user) = (self.service.clone(), name.to_owned());
        std::thread::Builder::new()
            .name("keychain".into())
            .spawn(move || {
                let result = keyring::Entry::new(&service, &user).and_then(|e| op(&e));
                let _ = tx.send(result);
            })
            .map_err(|e| Error::Keychain(format!("Could not start the keychain call: {e}.")))?;
        rx.recv_timeout(self.deadline).map_err(|_| {
            Error::Keychain(format!(
                "The OS keychain did not answer within {} seconds (is it locked, waiting for a password?). Unlock it and try again.",
                self.deadline.as_secs()
            ))
        })
    }
}

/// Turns a keyring failure into a sentence. Deliberately never prints stored data.
fn keychain_error(err: keyring::Error) -> Error {
    use keyring::Error as K;
    let detail = match &err {
        K::PlatformFailure(e) | K::NoStorageAccess(e) => e.to_string(),
        K::BadEncoding(_) => "the stored value is not text".to_owned(),
        K::Ambiguous(_) => "there are several matching entries".to_owned(),
        other => other.to_string(),
    };
    Error::Keychain(format!(
        "The OS keychain is not available ({detail}). On Linux a Secret Service (e.g. GNOME Keyring) must be running and unlocked; otherwise set the CLIENTBOOK_AUTOTASK_* environment variables."
    ))
}

impl SecretStore for Keychain {
    fn get(&self, name: &str) -> Result<Option<String>> {
        match self.run(name, |e| e.get_password())? {
            Ok(v) => Ok(Some(v)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keychain_error(e)),
        }
    }

    fn set(&self, name: &str, value: &str) -> Result<()> {
        let value = value.to_owned();
        self.run(name, move |e| e.set_password(&value))?
            .map_err(keychain_error)
    }

    fn delete(&self, name: &str) -> Result<bool> {
        match self.run(name, |e| e.delete_credential())? {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(keychain_error(e)),
        }
    }
}

/// An in-memory store for unit tests (the real keychain is tested in `tests/autotask.rs`).
#[derive(Debug, Default)]
pub struct MemoryStore(Mutex<HashMap<String, String>>);

impl MemoryStore {
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, String>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl SecretStore for MemoryStore {
    fn get(&self, name: &str) -> Result<Option<String>> {
        Ok(self.map().get(name).cloned())
    }

    fn set(&self, name: &str, value: &str) -> Result<()> {
        self.map().insert(name.to_owned(), value.to_owned());
        Ok(())
    }

    fn delete(&self, name: &str) -> Result<bool> {
        Ok(self.map().remove(name).is_some())
    }
}
