//! The Autotask client against a fake Autotask server on 127.0.0.1, a module per part of it:
//! requests (zone lookup, credentials, companies, paging, batching and every fault), the
//! credentials round trip through the real OS keychain, the log, and bounded waits. The helpers
//! here are shared by all of them.
//!
//! The keychain tests need a reachable Secret Service (`scripts/test` runs the suite under
//! `dbus-run-session` with an unlocked gnome-keyring). Without one they FAIL with a message;
//! set `CLIENTBOOK_SKIP_KEYCHAIN_TESTS=1` to skip them on purpose.

mod keychain;
mod logging;
mod requests;
mod waits;

use crate::common::test_keychain;
use crate::fake_autotask::{
    closed_port_url, company, sample, test_credentials, test_settings, FakeAutotask, Fault,
    INTEGRATION_CODE, SECRET, USERNAME,
};
use clientbook::autotask::{credentials, Client, Credentials, RetryWait, Settings};
use clientbook::Error;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn settings(zone_url: String) -> Settings {
    test_settings(zone_url, Duration::from_secs(2))
}

fn client(fake: &FakeAutotask) -> Client {
    Client::new(test_credentials(), settings(fake.zone_url())).unwrap()
}

/// A client of `fake` signing in with these values.
fn client_as(fake: &FakeAutotask, username: &str, secret: &str, code: &str) -> Client {
    let credentials = Credentials::new(username, secret, code).unwrap();
    Client::new(credentials, settings(fake.zone_url())).unwrap()
}

fn names(companies: &[clientbook::autotask::Company]) -> Vec<&str> {
    companies.iter().map(|c| c.name.as_str()).collect()
}

/// Asserts that `err`, which came less than `limit` after `started`, says Autotask is not
/// reachable.
fn assert_not_reachable_within(err: &Error, started: Instant, limit: Duration) {
    assert!(started.elapsed() < limit, "{:?}", started.elapsed());
    assert!(
        err.to_string().starts_with("Autotask is not reachable"),
        "{err}"
    );
}

/// Asserts an error's kind and that it never shows the secret.
fn expect_err(result: Result<impl std::fmt::Debug, Error>, kind: &str) -> Error {
    let err = result.expect_err("expected an error");
    assert_eq!(err.kind(), kind, "{err}");
    assert!(!err.to_string().contains(SECRET), "{err}");
    assert!(!format!("{err:?}").contains(SECRET), "{err:?}");
    err
}
