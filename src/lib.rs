//! Clientbook's core: everything the desktop app and the `clientbook` command do, with no
//! knowledge of windows or terminals.
//!
//! - [`model`]: plain data and validation (customers, countries, customer-ID slugs).
//! - [`store`]: the SQLite file: migrations, queries, search, paging. The only place with SQL.
//! - [`error`]: the one error type every front end shows.
//! - [`transfer`]: CSV import and export.
//! - [`paths`]: where the default database lives; [`files`]: what may be done to a path a
//!   person named (databases, exports, imported files).
//! - [`bench`]: the performance benchmark behind `clientbook bench`.
//! - [`autotask`]: the Autotask PSA client and its credentials; [`secrets`]: the OS keychain.

pub mod autotask;
pub mod bench;
pub mod error;
pub mod files;
pub mod model;
pub mod paths;
pub mod recent;
pub mod secrets;
pub mod store;
pub mod transfer;

pub use error::{Error, Result};
pub use store::Store;
