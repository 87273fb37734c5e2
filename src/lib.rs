//! Clientbook's core: everything the desktop app and the `clientbook` command do, with no
//! knowledge of windows or terminals. Its layers point one way (ARCHITECTURE.md; a test reads
//! the `use crate::…` lines and fails when one points up):
//!
//! ```text
//! error, files, paths, secrets, recent   the ground: errors, what may be done to a path, where
//!                                        things live, the keychain, the Recent list
//!   ↑
//! model       plain data and the rules that validate it (customers, users, identity, …)
//!   ↑
//! store       the only place that speaks SQL: the database file, its tables, the list
//!   ↑
//! transfer    CSV import and export        autotask   the Autotask PSA client and mappings
//!   ↑
//! the command line (package clientbook-cli) and the desktop shell (clientbook-app)
//! ```
//!
//! [`sample`] generates customers that look real, for the benchmark and tests of large files.

pub mod autotask;
pub mod error;
pub mod files;
pub mod model;
pub mod paths;
pub mod recent;
pub mod sample;
pub mod secrets;
pub mod store;
pub mod transfer;

pub use error::{Error, Result};
pub use store::Store;
