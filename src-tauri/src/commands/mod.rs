//! Tauri commands, one module per noun. Each is a few lines: arguments in, one core call (off
//! the UI thread), the result (or a `{kind, message, field?}` error) out.

pub mod admins;
pub mod autotask;
pub mod copy;
pub mod customers;
pub mod database;
pub mod groups;
pub mod history;
pub mod jobs;
pub mod services;
pub mod transfer;
pub mod users;

/// What a command returns: its value, or the one error type the page can place.
pub type Res<T> = Result<T, clientbook::Error>;
