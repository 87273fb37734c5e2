//! Autotask PSA: the API user's credentials (environment or OS keychain) and a REST client for
//! companies. Facts about the API it follows are in the shared `autotask-api.md`.
//!
//! - [`credentials`]: the three values, where they are loaded from and saved to.
//! - [`client`]: zone lookup, auth headers, timeouts, retries, error messages.
//! - `answer`: reading Autotask's answers (errors bodies, JSON, `Retry-After`).
//! - [`companies`]: company search, one company, many companies by id.
//! - [`status`]: the mapping status rules (pure).
//! - [`mapping`]: map, verify one, refresh all (batched), pull companies as customers.

mod answer;
pub mod client;
pub mod companies;
pub mod credentials;
pub mod mapping;
pub mod status;

pub use client::{Client, RetryWait, Settings, Zone};
pub use companies::{Company, MAX_RECORDS};
pub use credentials::{Credentials, Source};
